//! The demo study committed in `data/demo/`, carried inside the binary so that `frontdoor
//! demo` needs no files.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A study written to a temporary folder, removed when dropped.
pub struct TempStudy {
    path: std::path::PathBuf,
    /// Removed on an interruption too.
    _pending: crate::interrupt::Pending,
}

impl TempStudy {
    /// The folder holding the study.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempStudy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The demo study committed in `data/demo/` (seed 2024, one tile), carried inside the binary.
const DEMO_FILES: &[(&str, &[u8])] = &[
    ("study.toml", include_bytes!("../../data/demo/study.toml")),
    (
        "zones.geojson",
        include_bytes!("../../data/demo/zones.geojson"),
    ),
    ("sites.csv", include_bytes!("../../data/demo/sites.csv")),
    (
        "bus_stops.csv",
        include_bytes!("../../data/demo/bus_stops.csv"),
    ),
    ("demand.csv", include_bytes!("../../data/demo/demand.csv")),
    (
        "scenarios/close-small-libraries.toml",
        include_bytes!("../../data/demo/scenarios/close-small-libraries.toml"),
    ),
    (
        "scenarios/share-town-hub.toml",
        include_bytes!("../../data/demo/scenarios/share-town-hub.toml"),
    ),
    (
        "scenarios/digital-first.toml",
        include_bytes!("../../data/demo/scenarios/digital-first.toml"),
    ),
];

/// Writes the embedded demo study to a temporary folder.
pub fn embedded_demo() -> Result<TempStudy> {
    let path = std::env::temp_dir().join(format!("frontdoor-demo-{}", std::process::id()));
    std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    let study = TempStudy {
        _pending: crate::interrupt::Pending::new(&path),
        path,
    };
    for (name, bytes) in DEMO_FILES {
        let p = study.path.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))?;
    }
    Ok(study)
}

/// The demo's example scenario files inside a folder written by [`embedded_demo`], in order.
pub fn demo_scenarios(dir: &Path) -> Vec<PathBuf> {
    DEMO_FILES
        .iter()
        .filter(|(name, _)| name.starts_with("scenarios/"))
        .map(|(name, _)| dir.join(name))
        .collect()
}
