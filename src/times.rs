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
}

impl TimeBasis {
    /// The name written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            TimeBasis::StraightLine => "straight_line_estimate",
            TimeBasis::Network => "network",
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
}

/// Per zone, the nearest open site overall and of each kind (`[zone][kind]`), from a search
/// for the nearest among the sites a filter keeps.
#[allow(clippy::type_complexity)]
pub fn nearest_overall_and_by_kind(
    study: &Study,
    nearest_among: &dyn Fn(&(dyn Fn(usize) -> bool + Sync)) -> Vec<Option<(usize, f64)>>,
) -> (Vec<Option<(usize, f64)>>, Vec<Vec<Option<(usize, f64)>>>) {
    let open = |i: usize| !study.sites[i].candidate;
    let nearest = nearest_among(&open);
    let kinds: Vec<Vec<Option<(usize, f64)>>> = (0..study.kinds.len())
        .map(|k| nearest_among(&|i| open(i) && study.kind_index(&study.sites[i]) == k))
        .collect();
    let by_kind = (0..study.zones.len())
        .map(|z| kinds.iter().map(|k| k[z]).collect())
        .collect();
    (nearest, by_kind)
}
