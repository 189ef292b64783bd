//! `frontdoor partition` (a study split into parts, each a study of its own) and `frontdoor
//! merge` (the parts' travel times joined, and the whole study run on them).

use std::path::{Path, PathBuf};

use super::run::run_from;
use super::scenarios::scenarios_from;
use super::{stage, RunOptions, RunOutcome, ScenarioOutcome, TimesFrom};
use crate::error::Result;
use crate::partition::{self, Buffer, PlannedPart, Split};
use crate::render::OutputDir;
use crate::timing::Timings;

/// What a partition wrote.
pub struct PartitionOutcome {
    /// The partition's folder.
    pub out: PathBuf,
    /// The buffer of sites around each part's zones.
    pub buffer: Buffer,
    /// The parts.
    pub parts: Vec<PlannedPart>,
    /// The zones and sites of the whole study.
    pub whole: (usize, usize),
    /// The stages' times.
    pub timings: Timings,
}

/// Loads a study, splits its zones by `split`, and writes each part (its zones, the sites they
/// need, and a study file) and partition.json into `out`, as a whole or not at all.
pub fn partition(
    study_path: &Path,
    split: &Split,
    out: &Path,
    options: &RunOptions,
) -> Result<PartitionOutcome> {
    let mut timings = Timings::default();
    let values = match split {
        Split::By(column) => Some(crate::load::zone_column(study_path, column)?),
        Split::Tiles(_) => None,
    };
    // Zones and sites only: the parts measure travel times, which no demand changes.
    let load_options = crate::load::LoadOptions {
        strict: options.strict,
        skip_demand: true,
    };
    let study = stage(&mut timings, "load", "loading the study", || {
        crate::load::load_study(study_path, &load_options)
    })?;
    partition::check_partitionable(&study)?;
    let regions = partition::regions(&study, split, values)?;
    let (buffer, parts) = stage(&mut timings, "plan", "choosing each part's sites", || {
        partition::plan(&study, &regions)
    });
    let files = stage(&mut timings, "write", "writing the parts", || {
        partition::files(&study, split, &buffer, &parts)
    })?;
    let mut dir = OutputDir::create(out, &study.input_paths())?;
    for (name, bytes) in &files {
        dir.write(name, bytes)?;
    }
    let out = dir.commit()?;
    Ok(PartitionOutcome {
        out,
        buffer,
        whole: (study.zones.len(), study.sites.len()),
        parts,
        timings,
    })
}

/// Joins the travel times of the measured parts of the partition in `parts` and runs the whole
/// study on them, as `frontdoor run` would (every output, with report.html), into `out`.
pub fn merge(
    parts: &Path,
    out: &Path,
    options: &RunOptions,
    scenario_paths: &[PathBuf],
) -> Result<RunOutcome> {
    let (study, parts) = finished(parts)?;
    run_from(
        &study,
        TimesFrom::Parts(&parts),
        out,
        options,
        scenario_paths,
        None,
    )
}

/// Joins the parts' travel times and evaluates only the scenarios, as `frontdoor scenario`
/// would on the whole study: one slice of a sweep.
pub fn merge_scenarios(
    parts: &Path,
    scenario_paths: &[PathBuf],
    out: &Path,
    options: &RunOptions,
) -> Result<ScenarioOutcome> {
    let (study, parts) = finished(parts)?;
    scenarios_from(
        &study,
        TimesFrom::Parts(&parts),
        scenario_paths,
        out,
        options,
    )
}

/// The whole study's file and the partition's folder (absolute), once every part is measured.
fn finished(parts: &Path) -> Result<(PathBuf, PathBuf)> {
    let manifest = partition::read_manifest(parts)?;
    let parts = parts
        .canonicalize()
        .map_err(|e| crate::error::Error::io(parts, e))?;
    partition::join::check_finished(&parts, &manifest)?;
    Ok((manifest.study, parts))
}
