//! frontdoor: tells a public body which of its buildings and points of presence to keep, share
//! or close, from where people live, where the front doors are and what residents come for.
//!
//! The pipeline follows the modules: [`load`] a study (in one metric CRS, [`crs`]), [`index`] it
//! in R-trees, measure [`reach`], and [`render`] the outputs. [`synth`] makes the demo study.

pub mod crs;
pub mod error;
pub mod index;
pub mod load;
pub mod model;
pub mod network;
pub mod progress;
pub mod reach;
pub mod render;
pub mod study;
pub mod synth;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use error::{Error, Problem, Result};
pub use load::{load_study, LoadOptions};
pub use model::Study;
pub use reach::Reach;

use render::geojson::{feature_collection, lonlat, multipolygon_lonlat, FeatureGeometry};
use render::run_json::{run_json, Timings};
use render::OutputDir;

/// Options of `frontdoor run`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Refuse demand rows that cannot be placed.
    pub strict: bool,
}

/// What a run produced.
pub struct RunOutcome {
    /// The output folder.
    pub out: PathBuf,
    /// The study as loaded.
    pub study: Study,
    /// Reach per mode.
    pub reach: Reach,
    /// Files written.
    pub files: Vec<String>,
}

/// Loads a study, measures reach and writes every output into `out`. Nothing is written to
/// `out` unless every output was produced.
pub fn run(study_path: &Path, out: &Path, options: &RunOptions) -> Result<RunOutcome> {
    let mut timings = Timings::default();
    let study = timings.time("load", || {
        load_study(
            study_path,
            &LoadOptions {
                strict: options.strict,
            },
        )
    })?;
    log::info!(
        "loaded {}: {} zones, {} sites, {} demand contacts, working CRS {}",
        study.name,
        study.zones.len(),
        study.sites.len(),
        study.demand.total,
        study.crs
    );
    let reach = timings.time("reach", || {
        let pb = progress::bar(reach::work_units(&study), "reach");
        let r = reach::compute(&study, &|n| pb.inc(n));
        pb.finish_and_clear();
        r
    });
    let mut dir = OutputDir::create(out)?;
    timings.time("render", || {
        let spinner = progress::spinner("writing outputs");
        let r = write_outputs(&study, &reach, &mut dir);
        spinner.finish_and_clear();
        r
    })?;
    let mut hashes = Vec::new();
    for f in dir.files().to_vec() {
        hashes.push((f.clone(), load::table::hex(&Sha256::digest(dir.read(&f)?))));
    }
    dir.write("run.json", run_json(&study, &hashes, &timings).as_bytes())?;
    let files = dir.files().to_vec();
    let out = dir.commit()?;
    Ok(RunOutcome {
        out,
        study,
        reach,
        files,
    })
}

/// Writes the tables, GeoJSON and map.
fn write_outputs(study: &Study, reach: &Reach, dir: &mut OutputDir) -> Result<()> {
    let sites = render::tables::sites_table(study, reach);
    let zones = render::tables::zones_table(study, reach);
    dir.write("sites.csv", sites.to_csv().as_bytes())?;
    dir.write("zones.csv", zones.to_csv().as_bytes())?;
    let site_geoms = study
        .sites
        .iter()
        .map(|s| lonlat(&study.crs, s.point).map(|c| Some(FeatureGeometry::Point(c))))
        .collect::<Result<Vec<_>>>()?;
    dir.write(
        "sites.geojson",
        feature_collection(&sites, &site_geoms).as_bytes(),
    )?;
    let zone_geoms = study
        .zones
        .iter()
        .map(|z| match &z.polygon {
            Some(p) => {
                multipolygon_lonlat(&study.crs, p).map(|m| Some(FeatureGeometry::MultiPolygon(m)))
            }
            None => lonlat(&study.crs, z.point).map(|c| Some(FeatureGeometry::Point(c))),
        })
        .collect::<Result<Vec<_>>>()?;
    dir.write(
        "zones.geojson",
        feature_collection(&zones, &zone_geoms).as_bytes(),
    )?;
    let png = dir.staged_path("map.png");
    let svg = render::map::render(study, reach, &png)?;
    dir.write("map.svg", svg.as_bytes())?;
    Ok(())
}
