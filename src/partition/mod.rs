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
mod plan;
pub mod regions;

use std::path::Path;

pub use buffer::Buffer;
pub use manifest::{Manifest, PartEntry};
pub use plan::{check_partitionable, plan, regions, PlannedPart, Split};
pub use regions::Regions;

use crate::error::Result;
use crate::model::Study;

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
