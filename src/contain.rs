//! Third-party code that can panic on malformed input (the Parquet reader on a damaged file,
//! found by fuzzing), contained: the panic becomes an error the caller turns into a problem
//! naming the file, and its message is not printed over the user's terminal. Outside a
//! contained call, panics are reported as before (the previous hook runs).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// Contained calls in progress (on any thread: the reader's workers panic on their own).
static CONTAINED: AtomicUsize = AtomicUsize::new(0);

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CONTAINED.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it (or in the workers it waits for) is returned as its message.
pub(crate) fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CONTAINED.fetch_add(1, Ordering::SeqCst);
    let r = catch_unwind(AssertUnwindSafe(f));
    CONTAINED.fetch_sub(1, Ordering::SeqCst);
    r.map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the reader stopped".into())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(super::contained(|| 2 + 2), Ok(4));
        let r: Result<(), String> = super::contained(|| panic!("bad page"));
        assert_eq!(r.unwrap_err(), "bad page");
        let r: Result<(), String> = super::contained(|| {
            rayon::join(|| (), || panic!("in a worker"));
        });
        assert_eq!(r.unwrap_err(), "in a worker");
    }
}
