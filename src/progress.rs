//! Progress bars and log lines on standard error: bars for long steps, quiet with `--quiet`,
//! more detail with `-v`.

use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences progress bars and informational lines.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether output is silenced.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A progress bar of `len` steps (hidden when quiet or when standard error is not a terminal).
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if is_quiet() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("template is valid")
            .progress_chars("=> "),
    );
    pb.set_message(message.to_string());
    pb
}

/// A spinner for a step of unknown length (hidden when quiet or not on a terminal).
pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    if is_quiet() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        pb.set_draw_target(ProgressDrawTarget::stderr());
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    pb.set_message(message.to_string());
    pb
}

/// A logger that writes `level: message` lines to standard error: frontdoor's own at the
/// level asked for, other crates' (the LP solver's pivots, say) only warnings and errors.
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::max_level()
            && (m.target().starts_with("frontdoor") || m.level() <= log::Level::Warn)
    }
    fn log(&self, r: &log::Record) {
        if self.enabled(r.metadata()) {
            eprintln!("{}: {}", r.level().as_str().to_lowercase(), r.args());
        }
    }
    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

/// Installs the logger: warnings by default, info with -v, debug with -vv; errors only if quiet.
pub fn init_logging(verbosity: u8, quiet: bool) {
    let level = match (quiet, verbosity) {
        (true, _) => log::LevelFilter::Error,
        (false, 0) => log::LevelFilter::Warn,
        (false, 1) => log::LevelFilter::Info,
        _ => log::LevelFilter::Debug,
    };
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
    set_quiet(quiet);
}
