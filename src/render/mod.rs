//! Outputs: tables (CSV), GeoJSON, the map and run.json, written into a staging folder and moved
//! into place only once every file is complete.

pub mod decide;
pub mod geojson;
pub mod map;
pub mod matrix;
pub mod optimise;
pub mod report;
pub mod run_json;
pub mod scenario;
pub mod tables;
pub mod write;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A folder of outputs being written. Files go into a hidden staging folder beside the target;
/// [`OutputDir::commit`] moves them into the target; dropping without committing removes them.
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    files: Vec<String>,
    committed: bool,
}

impl OutputDir {
    /// Starts writing outputs for `target`.
    pub fn create(target: &Path) -> Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if target.is_file() {
            return Err(Error::Usage(format!(
                "{}: the output folder is an existing file; choose a folder with --out",
                target.display()
            )));
        }
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let staging = parent.join(format!(".{name}.frontdoor-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
            files: Vec::new(),
            committed: false,
        })
    }

    /// Writes one file (by name) into the staging folder.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        self.files.push(name.to_string());
        Ok(())
    }

    /// The path to write a file to directly (e.g. by an image encoder); the file is registered.
    pub fn staged_path(&mut self, name: &str) -> PathBuf {
        self.files.push(name.to_string());
        self.staging.join(name)
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

    /// Moves every file into the target folder.
    pub fn commit(mut self) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.target).map_err(|e| Error::io(&self.target, e))?;
        for f in &self.files {
            let to = self.target.join(f);
            std::fs::rename(self.staging.join(f), &to).map_err(|e| Error::io(&to, e))?;
        }
        let _ = std::fs::remove_dir_all(&self.staging);
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
