//! National runs in parts. `frontdoor partition` splits a study's zones into regions (tiles of
//! equal zone counts, or the values of a column such as a local authority code) and writes
//! each region as a study of its own: its zones, and the sites they need so that every zone's
//! travel times are those of the whole study ([`buffer`]). The parts are measured anywhere
//! (`frontdoor reach` on each, side by side on one machine or as Ray tasks on many: see
//! `ray/`), and `frontdoor merge` joins their travel-time matrices and runs the whole study's
//! later stages once on them: accessibility, the decisions, scenarios and every output, the
//! same tables as a single run's.
//!
//! What is split is what grows with the country: the routing searches. What is not split is
//! what is study-wide by definition: the decisions compare every site with the study's rates
//! and close sites one after another, and the gap analysis chooses new sites for the whole
//! study.

pub mod buffer;
pub(crate) mod join;
pub mod manifest;
mod part;
pub mod regions;

use std::path::Path;

pub use buffer::Buffer;
pub use manifest::{Manifest, PartEntry};
pub use regions::Regions;

use crate::error::{Error, Result};
use crate::model::Study;

/// How the zones are split.
#[derive(Debug, Clone, PartialEq)]
pub enum Split {
    /// This many tiles of about the same number of zones.
    Tiles(usize),
    /// One region per value of this column of the zones file.
    By(String),
}

impl Split {
    /// In words, for partition.json.
    pub fn describe(&self) -> String {
        match self {
            Split::Tiles(n) => format!("{n} tiles of about equal zone counts"),
            Split::By(c) => format!("by the zones' column \"{c}\""),
        }
    }
}

/// A part planned: its region, its zones and the sites they need (study order).
#[derive(Debug, Clone)]
pub struct PlannedPart {
    /// The region's name.
    pub region: String,
    /// The zones.
    pub zones: Vec<usize>,
    /// The sites.
    pub sites: Vec<usize>,
}

/// The parts of a study by `regions`, each with the sites its zones need; regions without
/// zones are left out.
pub fn plan(study: &Study, regions: &Regions) -> (Buffer, Vec<PlannedPart>) {
    use rayon::prelude::*;
    let buffer = Buffer::of(study);
    let index = buffer::KindIndex::new(study);
    let parts = regions
        .zones()
        .into_par_iter()
        .zip(regions.names.par_iter())
        .filter(|(z, _)| !z.is_empty())
        .map(|(zones, region)| PlannedPart {
            region: region.clone(),
            sites: buffer::sites_for(study, &buffer, &zones, &index),
            zones,
        })
        .collect();
    (buffer, parts)
}

/// The regions of a study's zones by `split` (`values`: the column's value per zone, for
/// [`Split::By`]).
pub fn regions(study: &Study, split: &Split, values: Option<Vec<String>>) -> Result<Regions> {
    match (split, values) {
        (Split::Tiles(n), _) => {
            if *n == 0 {
                return Err(Error::Usage("--tiles must be 1 or more".into()));
            }
            let points: Vec<_> = study.zones.iter().map(|z| z.point).collect();
            Ok(Regions::tiles(&points, *n))
        }
        (Split::By(_), Some(v)) => Ok(Regions::by_values(&v)),
        (Split::By(c), None) => Err(Error::Usage(format!("no values read for --by {c}"))),
    }
}

/// Refuses what cannot be partitioned exactly yet.
pub fn check_partitionable(study: &Study) -> Result<()> {
    if study.transit.is_some() {
        return Err(Error::Usage(format!(
            "{}: the study measures public transport, which frontdoor cannot partition yet (the sites each zone reaches beyond the largest band, which scenarios read, are not in a part's matrix.parquet); run it on one machine",
            study.path.display()
        )));
    }
    Ok(())
}

/// The files of a partition: each part's (folder/name, bytes), then partition.json.
pub fn files(
    study: &Study,
    split: &Split,
    buffer: &Buffer,
    parts: &[PlannedPart],
) -> Result<Vec<(String, Vec<u8>)>> {
    use rayon::prelude::*;
    let travel = part::travel_table(&study.path)?;
    let n = parts.len();
    let mut files: Vec<(String, Vec<u8>)> = parts
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let title = format!("{}, part {} of {n} ({})", study.name, i + 1, p.region);
            let written = part::part_files(study, &travel, &title, &p.zones, &p.sites)?;
            Ok(written
                .into_iter()
                .map(|(f, b)| (format!("{}/{f}", manifest::part_name(i)), b))
                .collect::<Vec<_>>())
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let m = Manifest::new(study, split, buffer, parts)?;
    files.push((manifest::FILE.to_string(), m.to_json()?));
    Ok(files)
}

/// Reads a partition's manifest from its folder.
pub fn read_manifest(parts: &Path) -> Result<Manifest> {
    Manifest::read(parts)
}
