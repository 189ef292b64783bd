//! partition.json: what a partition was made from (the study file and every input, with their
//! SHA-256), how it was split and buffered, and each part's zones, so that `frontdoor merge`
//! can tell a finished, current partition from a stale or incomplete one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::buffer::Buffer;
use super::plan::{PlannedPart, Split};
use crate::error::{Error, Result};
use crate::model::Study;

/// The manifest's file name in the partition's folder.
pub const FILE: &str = "partition.json";

/// The folder of part `i` (0-based): `part-001`, `part-002`...
pub fn part_name(i: usize) -> String {
    format!("part-{:03}", i + 1)
}

/// A partition's manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The frontdoor version that wrote it.
    pub frontdoor: String,
    /// The whole study's file (absolute).
    pub study: PathBuf,
    /// SHA-256 of the study file.
    pub study_sha256: String,
    /// The study's inputs as loaded: (role, path as written, SHA-256).
    pub inputs: Vec<(String, PathBuf, String)>,
    /// How the zones were split.
    pub split: String,
    /// The sites' buffer, in words.
    pub buffer: String,
    /// The buffer's radius in metres (None: every site).
    pub buffer_m: Option<f64>,
    /// The parts, in order.
    pub parts: Vec<PartEntry>,
}

/// One part in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartEntry {
    /// Its folder in the partition (`part-001`).
    pub name: String,
    /// Its region.
    pub region: String,
    /// Its zones' ids, in study order.
    pub zones: Vec<String>,
    /// How many sites it holds.
    pub sites: usize,
}

impl Manifest {
    /// The manifest of a partition of `study`.
    pub fn new(
        study: &Study,
        split: &Split,
        buffer: &Buffer,
        parts: &[PlannedPart],
    ) -> Result<Manifest> {
        let path = study
            .path
            .canonicalize()
            .map_err(|e| Error::io(&study.path, e))?;
        Ok(Manifest {
            frontdoor: env!("CARGO_PKG_VERSION").to_string(),
            study: path,
            study_sha256: study.sha256.clone(),
            inputs: inputs_of(study),
            split: split.describe(),
            buffer: buffer.describe(study),
            buffer_m: match buffer {
                Buffer::Metres(m) => Some(*m),
                Buffer::AllSites => None,
            },
            parts: parts
                .iter()
                .enumerate()
                .map(|(i, p)| PartEntry {
                    name: part_name(i),
                    region: p.region.clone(),
                    zones: p.zones.iter().map(|&z| study.zones[z].id.clone()).collect(),
                    sites: p.sites.len(),
                })
                .collect(),
        })
    }

    /// The manifest as pretty JSON.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| Error::Output(format!("writing {FILE}: {e}")))
    }

    /// Reads the manifest of the partition in `dir`.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(FILE);
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Usage(format!(
                "{}: not a partition (it has no {FILE}); make one with `frontdoor partition STUDY --tiles N --out {}`",
                dir.display(),
                dir.display()
            )),
            _ => Error::io(&path, e),
        })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::Usage(format!(
                "{}: not a partition.json frontdoor wrote: {e}",
                path.display()
            ))
        })
    }

    /// Refuses a study that is not, input for input, the one partitioned.
    pub fn check_study(&self, study: &Study) -> Result<()> {
        let stale = |what: String| {
            Error::Usage(format!(
                "{}: {what} has changed since the study was partitioned; partition it again (`frontdoor partition {} ...`) and measure the parts",
                self.study.display(),
                self.study.display()
            ))
        };
        if study.sha256 != self.study_sha256 {
            return Err(stale("the study file".into()));
        }
        let now = inputs_of(study);
        if let Some(changed) = now.iter().find(|i| !self.inputs.contains(i)) {
            return Err(stale(format!(
                "its {} input {}",
                changed.0,
                changed.1.display()
            )));
        }
        if now.len() != self.inputs.len() {
            return Err(stale("the list of its inputs".into()));
        }
        Ok(())
    }
}

fn inputs_of(study: &Study) -> Vec<(String, PathBuf, String)> {
    study
        .inputs
        .iter()
        .map(|i| (i.role.to_string(), i.path.clone(), i.sha256.clone()))
        .collect()
}
