//! How a scenario changes access by one mode: per service in scope, the nearest providing
//! site before and after, and the zones losing or gaining it within each band.

use std::sync::Arc;

use super::nearest::{nearest_providing, BaselineCache, Nearest};
use crate::measured::Measured;
use crate::model::Estate;

/// Change of access by one mode.
#[derive(Debug, Clone)]
pub struct ModeChange {
    /// Per scope service (in scope order), per zone: nearest providing site before.
    pub by_service_before: Vec<Arc<Nearest>>,
    /// Likewise after.
    pub by_service_after: Vec<Nearest>,
    /// Per zone: the farthest of the scope's services before (None: one is out of reach).
    pub before: Nearest,
    /// Likewise after.
    pub after: Nearest,
    /// Per band, per zone: loses access within the band.
    pub loses: Vec<Vec<bool>>,
    /// Per band, per zone: gains access within the band.
    pub gains: Vec<Vec<bool>>,
}

/// How one accessibility measure moved.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccessChange {
    /// Demand-weighted mean score before (for 2SFCA this is total supply per head of demand,
    /// so it moves only when supply is removed or added).
    pub mean_before: f64,
    /// Likewise after.
    pub mean_after: f64,
    /// Demand (population or the measure's column) in zones whose score falls.
    pub demand_worse: f64,
    /// Demand in zones whose score rises.
    pub demand_better: f64,
}

/// The change of access by study mode `mode` for the services of `scope`.
pub(super) fn mode_change(
    m: &Measured,
    cache: &BaselineCache,
    after: &Estate,
    scope: &[Option<String>],
    mode: usize,
) -> ModeChange {
    let study = &m.study;
    let nz = study.zones.len();
    let by_service_before: Vec<_> = scope.iter().map(|s| cache.get(m, mode, s)).collect();
    let by_service_after: Vec<Nearest> = scope
        .iter()
        .map(|s| nearest_providing(m, mode, &|j| after.provides(j, s.as_deref())))
        .collect();
    let farthest = |lists: &[&Nearest]| -> Nearest {
        (0..nz)
            .map(|z| {
                let mut worst: Option<(usize, f64)> = None;
                for l in lists {
                    let v = l[z]?;
                    if worst.is_none_or(|w| v.1 > w.1) {
                        worst = Some(v);
                    }
                }
                worst
            })
            .collect()
    };
    let before = farthest(&by_service_before.iter().map(|a| &**a).collect::<Vec<_>>());
    let after_n = farthest(&by_service_after.iter().collect::<Vec<_>>());
    let within = |n: Option<(usize, f64)>, b: u32| n.is_some_and(|(_, t)| t <= b as f64);
    let change = |gain: bool| -> Vec<Vec<bool>> {
        study
            .bands
            .iter()
            .map(|&b| {
                (0..nz)
                    .map(|z| {
                        (0..scope.len()).any(|s| {
                            let was = within(by_service_before[s][z], b);
                            let is = within(by_service_after[s][z], b);
                            if gain {
                                !was && is
                            } else {
                                was && !is
                            }
                        })
                    })
                    .collect()
            })
            .collect()
    };
    ModeChange {
        loses: change(false),
        gains: change(true),
        by_service_before,
        by_service_after,
        before,
        after: after_n,
    }
}
