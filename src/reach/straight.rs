//! Straight-line travel times: distance × circuity / speed, found with R-tree radius and
//! nearest-neighbour queries, never a loop over all zone-site pairs.

use rayon::prelude::*;

use crate::index::PointIndex;
use crate::mode::ModeParams;
use crate::model::Study;
use crate::times::{nearest_overall_and_by_kind, ModeTimes, TimeBasis};

/// The zones (of `zone_index`) within `max` straight-line minutes of a point, in zone order,
/// with their minutes.
pub fn zones_within(
    zone_index: &PointIndex,
    at: geo::Coord<f64>,
    p: &ModeParams,
    max: f64,
) -> Vec<(u32, f64)> {
    let mut near = Vec::new();
    zone_index.for_each_within(at, p.metres(max) * (1.0 + 1e-9), |z, d| {
        let m = p.minutes(d);
        if m <= max {
            near.push((z as u32, m));
        }
    });
    near.sort_unstable_by_key(|&(z, _)| z);
    near
}

/// Straight-line travel times of one mode.
pub fn straight_line_times(
    study: &Study,
    p: &ModeParams,
    progress: &(dyn Fn(u64) + Sync),
) -> ModeTimes {
    let zone_index = PointIndex::new(study.zones.iter().map(|z| z.point));
    let max_band = study.bands.largest();
    let by_site: Vec<Vec<(u32, f64)>> = study
        .sites
        .par_iter()
        .map(|s| {
            let near = zones_within(&zone_index, s.point, p, max_band as f64);
            progress(1);
            near
        })
        .collect();
    let (nearest, kind_nearest) =
        nearest_overall_and_by_kind(study, &|keep| straight_line_nearest(study, p, keep));
    progress(study.zones.len() as u64);
    ModeTimes {
        params: *p,
        basis: TimeBasis::StraightLine,
        by_site,
        nearest,
        kind_nearest,
        transit: None,
    }
}

/// Per zone, the nearest site among those kept and the straight-line minutes to it.
pub fn straight_line_nearest(
    study: &Study,
    p: &ModeParams,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<(usize, f64)>> {
    let index = PointIndex::with_indices(
        (0..study.sites.len())
            .filter(|&i| keep(i))
            .map(|i| (i, study.sites[i].point)),
    );
    study
        .zones
        .par_iter()
        .map(|z| index.nearest(z.point).map(|(s, d)| (s, p.minutes(d))))
        .collect()
}
