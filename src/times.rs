//! Travel times of one mode as every later stage takes them: a sparse zones × sites matrix
//! within the largest band and each zone's nearest open site, overall and of each kind, with
//! how they were found (straight-line estimates or the network).

use crate::mode::ModeParams;
use crate::model::Study;

/// How travel times were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBasis {
    /// Straight-line distance × circuity / speed.
    StraightLine,
    /// Shortest paths on an OpenStreetMap network.
    Network,
    /// Public-transport timetables (GTFS) with walks on the OpenStreetMap network.
    PublicTransport,
    /// Read from another tool's travel-time matrix (`[travel] matrix`).
    Matrix,
}

impl TimeBasis {
    /// The name written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            TimeBasis::StraightLine => "straight_line_estimate",
            TimeBasis::Network => "network",
            TimeBasis::PublicTransport => "public_transport",
            TimeBasis::Matrix => "travel_time_matrix",
        }
    }
}

/// Travel times of one mode: a sparse zones × sites matrix within the largest band, and each
/// zone's nearest open site at any distance.
#[derive(Debug, Clone)]
pub struct ModeTimes {
    /// The mode and its parameters.
    pub params: ModeParams,
    /// How the times were found.
    pub basis: TimeBasis,
    /// Per site (open or candidate): zones within the largest band, in zone order, with minutes.
    pub by_site: Vec<Vec<(u32, f64)>>,
    /// Per zone: the nearest open site and minutes to it.
    pub nearest: Vec<Option<(usize, f64)>>,
    /// Per zone, per kind (study order): the nearest open site of that kind.
    pub kind_nearest: Vec<Vec<Option<(usize, f64)>>>,
    /// Public transport's percentiles and every site reached (None for other modes).
    pub transit: Option<Box<TransitTimes>>,
}

/// Public transport's travel times beyond the sparse matrix.
#[derive(Debug, Clone)]
pub struct TransitTimes {
    /// Percentiles of travel time over the departure window; the first gives the minutes of
    /// the matrix and of every measure.
    pub percentiles: Vec<u8>,
    /// Per site, aligned with [`ModeTimes::by_site`]: minutes at every percentile (the first
    /// repeated), None where that percentile is not reached within the horizon.
    pub by_site: Vec<Vec<Vec<Option<f64>>>>,
    /// Per zone: every site reached within the search horizon at the first percentile,
    /// (site, minutes), by site.
    pub reached: Vec<Vec<(u32, f64)>>,
}

/// Per zone, the nearest kept site among those reached (lower minutes, then lower site,
/// first), else the zone's `fallback`.
pub fn nearest_reached(
    reached: &[Vec<(u32, f64)>],
    keep: &(dyn Fn(usize) -> bool + Sync),
    fallback: &[Option<(usize, f64)>],
) -> Vec<Option<(usize, f64)>> {
    reached
        .iter()
        .zip(fallback)
        .map(|(list, fb)| {
            let mut best: Option<(usize, f64)> = None;
            for &(s, m) in list {
                if keep(s as usize) && best.is_none_or(|(_, b)| m < b) {
                    best = Some((s as usize, m));
                }
            }
            match (best, fb) {
                (Some(b), Some(f)) if f.1 < b.1 => Some(*f),
                (Some(b), _) => Some(b),
                (None, f) => *f,
            }
        })
        .collect()
}

/// Per zone, the nearest open site overall and of each kind (`[zone][kind]`), from a search
/// for the nearest among the sites a filter keeps.
#[allow(clippy::type_complexity)]
pub fn nearest_overall_and_by_kind(
    study: &Study,
    nearest_among: &(dyn Fn(&(dyn Fn(usize) -> bool + Sync)) -> Vec<Option<(usize, f64)>> + Sync),
) -> (Vec<Option<(usize, f64)>>, Vec<Vec<Option<(usize, f64)>>>) {
    use rayon::prelude::*;
    let open = |i: usize| !study.sites[i].candidate;
    let kind: Vec<usize> = study.sites.iter().map(|s| study.kind_index(s)).collect();
    // Overall (None) and each kind: independent searches, run side by side.
    let mut all: Vec<Vec<Option<(usize, f64)>>> = std::iter::once(None)
        .chain((0..study.kinds.len()).map(Some))
        .collect::<Vec<Option<usize>>>()
        .into_par_iter()
        .map(|k| match k {
            None => nearest_among(&open),
            Some(k) => nearest_among(&|i| open(i) && kind[i] == k),
        })
        .collect();
    let kinds = all.split_off(1);
    let nearest = all.pop().expect("overall");
    let by_kind = (0..study.zones.len())
        .map(|z| kinds.iter().map(|k| k[z]).collect())
        .collect();
    (nearest, by_kind)
}
