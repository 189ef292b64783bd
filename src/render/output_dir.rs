//! An output folder written as a whole. The new folder is built in a hidden staging folder
//! beside the target (in the target's real parent, so on the same file system even when the
//! target is a symlink) and swapped in by one atomic operation (`renameat2(RENAME_EXCHANGE)` on
//! Linux; elsewhere, or where the file system refuses it, the old folder is renamed aside first,
//! so that for a moment there is no folder, but never a mix). A lock file beside the target
//! keeps two runs from writing into one folder at once: the second waits, and says for whom.
//! Under the lock, staging folders that dead runs left behind are removed. A folder that holds
//! an input, or holds files but is not a frontdoor output folder, is refused.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::interrupt::{self, Pending};

/// A folder of outputs being written. Files go into a hidden staging folder beside the target;
/// [`OutputDir::commit`] swaps it in as a whole; dropping without committing removes it.
pub struct OutputDir {
    /// The folder as the user named it.
    shown: PathBuf,
    /// The real folder (its parent's symlinks resolved, or the symlink's target).
    target: PathBuf,
    staging: PathBuf,
    files: Vec<String>,
    committed: bool,
    _pending: Pending,
    _lock: File,
}

impl OutputDir {
    /// Starts writing outputs for `target`; `inputs` are the files the command reads, which the
    /// outputs must never replace.
    pub fn create(target: &Path, inputs: &[PathBuf]) -> Result<Self> {
        if target.is_file() {
            return Err(Error::Usage(format!(
                "{}: the output folder is an existing file; choose a folder with --out",
                target.display()
            )));
        }
        let real = real_path(target)?;
        refuse_inputs(target, &real, inputs)?;
        refuse_foreign(target, &real)?;
        let parent = real
            .parent()
            .expect("a real path has a parent")
            .to_path_buf();
        let name = real
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("out")
            .to_string();
        let lock = take_lock(&parent, &name, target)?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.frontdoor-{}", std::process::id()));
        let pending = Pending::new(&staging);
        std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(OutputDir {
            shown: target.to_path_buf(),
            target: real,
            staging,
            files: Vec::new(),
            committed: false,
            _pending: pending,
            _lock: lock,
        })
    }

    /// Writes one file (by name) into the staging folder, once it has passed the check that
    /// no number in it is NaN or infinite.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        super::finite::check(name, bytes)?;
        let path = self.staging.join(name);
        if let Some(parent) = path.parent().filter(|p| *p != self.staging) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        injected_fault(self.files.len())
            .and_then(|_| std::fs::write(&path, bytes))
            .map_err(|e| Error::io(&self.shown.join(name), e))?;
        self.files.push(name.to_string());
        Ok(())
    }

    /// The bytes of a file already written, for fingerprints.
    pub fn read(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.staging.join(name);
        std::fs::read(&path).map_err(|e| Error::io(&path, e))
    }

    /// Names of the files written so far.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Swaps the new folder in for the old one (or moves it into place) in one step.
    pub fn commit(mut self) -> Result<PathBuf> {
        interrupt::critical(|| swap_in(&self.staging, &self.target))
            .map_err(|e| Error::io(&self.shown, e))?;
        self.committed = true;
        Ok(self.shown.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            interrupt::remove(&self.staging);
        }
    }
}

/// The fault-injection seam of the tests: with `FRONTDOOR_FAULT_AFTER_WRITES=N`, every staged
/// write after the first N fails as a full disk would, so that a failure midway can be tested
/// on any machine.
fn injected_fault(written: usize) -> std::io::Result<()> {
    match std::env::var("FRONTDOOR_FAULT_AFTER_WRITES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(n) if written >= n => Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device (injected by FRONTDOOR_FAULT_AFTER_WRITES)",
        )),
        _ => Ok(()),
    }
}

/// The folder the outputs really go to: a symlink's target, or the real parent joined with the
/// name (the parent is created if needed).
fn real_path(target: &Path) -> Result<PathBuf> {
    if target.is_dir() {
        return target.canonicalize().map_err(|e| Error::io(target, e));
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let parent = parent.canonicalize().map_err(|e| Error::io(&parent, e))?;
    let name = target.file_name().ok_or_else(|| {
        Error::Usage(format!(
            "{}: not a folder name; give --out a folder such as out/",
            target.display()
        ))
    })?;
    Ok(parent.join(name))
}

/// Refuses an output folder that is, or holds, one of the inputs: the swap would take them away.
fn refuse_inputs(shown: &Path, real: &Path, inputs: &[PathBuf]) -> Result<()> {
    for input in inputs {
        let Ok(file) = input.canonicalize() else {
            continue;
        };
        if file.starts_with(real) {
            return Err(Error::Usage(format!(
                "{}: the output folder holds the input {}; the outputs replace the whole folder, \
                 so the inputs would be lost: choose a new folder for --out (such as {})",
                shown.display(),
                input.display(),
                suggestion(real).display()
            )));
        }
    }
    Ok(())
}

fn suggestion(real: &Path) -> PathBuf {
    let name = real.file_name().and_then(|n| n.to_str()).unwrap_or("study");
    real.with_file_name(format!("{name}-out"))
}

/// Refuses a folder that holds files but no run.json: it is not a frontdoor output folder, and
/// replacing it would delete them.
fn refuse_foreign(shown: &Path, real: &Path) -> Result<()> {
    let Ok(mut entries) = std::fs::read_dir(real) else {
        return Ok(());
    };
    // A run's folder has run.json; a partition's, partition.json.
    if entries.next().is_none()
        || real.join("run.json").is_file()
        || real.join("partition.json").is_file()
    {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: the folder holds files but is not a frontdoor output folder (it has no run.json or partition.json); \
         the outputs replace the whole folder, so choose a new or empty folder for --out",
        shown.display()
    )))
}

fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.frontdoor.lock"))
}

/// Takes the folder's lock, waiting (and saying so) while another run holds it.
fn take_lock(parent: &Path, name: &str, shown: &Path) -> Result<File> {
    let path = lock_path(parent, name);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    if file.try_lock().is_err() {
        let holder = std::fs::read_to_string(&path).unwrap_or_default();
        log::warn!(
            "waiting: another frontdoor run (process {}) is writing into {}",
            holder.trim(),
            shown.display()
        );
        file.lock().map_err(|e| Error::io(&path, e))?;
    }
    let _ = file
        .set_len(0)
        .and_then(|_| write!(file, "{}", std::process::id()));
    Ok(file)
}

/// Removes the staging folders of earlier runs into this folder that did not finish (killed,
/// or the machine stopped). Only the lock's holder writes staging folders, so every one found
/// while holding it is stale.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.frontdoor-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if stale && e.path().is_dir() {
            log::info!("removing {} left by an interrupted run", e.path().display());
            interrupt::remove(&e.path());
        }
    }
}

/// Puts `staging` in the place of `target`; the old folder is removed afterwards.
fn swap_in(staging: &Path, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        return std::fs::rename(staging, target);
    }
    if exchange(staging, target)? {
        interrupt::remove(staging);
        return Ok(());
    }
    let old = staging.with_extension("old");
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    interrupt::remove(&old);
    Ok(())
}

/// Exchanges two paths atomically; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}
