//! What an interrupted run leaves behind: nothing. Folders and files being written (an output
//! folder's staging, a cache's temporary file) are registered here while they exist; on SIGINT,
//! SIGTERM or SIGHUP the handler removes them and exits with status 130. A commit holds
//! [`critical`] while it swaps folders, so an interruption waits for the swap to finish and the
//! reader sees the old outputs or the new ones, never a mix.
//!
//! SIGKILL cannot be handled: what it leaves is removed by the next run that writes to the same
//! place (see `render::output_dir` and `network::cache`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs the handler (once, from the binary). A library user who installs their own keeps
/// theirs; then an interrupted run's leftovers are removed by the next run instead.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let paths = pending();
        for p in paths.iter() {
            remove(p);
        }
        eprintln!(
            "interrupted: the run stopped and wrote nothing; earlier outputs are as they were"
        );
        std::process::exit(130);
    });
}

/// A path being written, removed if the process is interrupted while the guard lives.
pub(crate) struct Pending(PathBuf);

impl Pending {
    /// Registers `path` (a folder or a file).
    pub(crate) fn new(path: &Path) -> Self {
        pending().push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut p = pending();
        if let Some(i) = p.iter().position(|q| *q == self.0) {
            p.swap_remove(i);
        }
    }
}

/// Runs `f` with interruptions held off until it returns (an interruption meanwhile waits).
pub(crate) fn critical<T>(f: impl FnOnce() -> T) -> T {
    let _held = pending();
    f()
}

/// Removes a file or a folder, retrying a folder a few times (a writer may still be adding
/// files to it).
pub(crate) fn remove(path: &Path) {
    if path.is_dir() {
        for _ in 0..5 {
            if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
                return;
            }
        }
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// Whether a process with this id is running (Linux: /proc; elsewhere assumed running, so that
/// nothing of a live process is removed).
pub(crate) fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
