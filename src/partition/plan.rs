//! The plan of a partition: how the zones are split into regions, and each region's part, its
//! zones and the sites they need.

use super::buffer::{self, Buffer};
use super::regions::Regions;
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
