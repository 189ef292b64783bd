//! Evaluating a scenario against the baseline: access per service and mode (who loses and
//! gains within each band), accessibility after, what happens at each site and the summary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::sites::{site_changes, SiteChange};
use super::summary::{summarise, Summary};
use super::Scenario;
use crate::access::{scores, Scores};
use crate::measured::Measured;
use crate::model::Estate;
use crate::reach::straight_line_nearest;

/// Per zone: the nearest site and minutes to it.
pub type Nearest = Vec<Option<(usize, f64)>>;

/// A mode and a service (None: any open site).
type NearestKey = (usize, Option<String>);

/// Nearest-site searches of the baseline, kept across the scenarios of a run.
#[derive(Default)]
pub struct BaselineCache {
    nearest: Mutex<HashMap<NearestKey, Arc<Nearest>>>,
}

impl BaselineCache {
    fn get(&self, m: &Measured, mode: usize, service: &Option<String>) -> Arc<Nearest> {
        let key = (mode, service.clone());
        if let Some(v) = self.nearest.lock().expect("not poisoned").get(&key) {
            return v.clone();
        }
        let base = Estate::baseline(&m.study);
        let v = Arc::new(nearest_providing(m, mode, &|j| {
            base.provides(j, service.as_deref())
        }));
        self.nearest
            .lock()
            .expect("not poisoned")
            .insert(key, v.clone());
        v
    }
}

/// Per zone, the nearest kept site by a mode: on the network when the study has one, else
/// straight-line.
pub fn nearest_providing(
    m: &Measured,
    mode: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Nearest {
    let p = &m.study.modes[mode];
    match &m.network {
        Some(net) => crate::network::times::network_nearest(
            &net.modes[mode],
            crate::network::walk_kmh(&m.study),
            keep,
        ),
        None => straight_line_nearest(&m.study, p, keep),
    }
}

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

/// A scenario evaluated against the baseline.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The scenario.
    pub scenario: Scenario,
    /// The services in scope.
    pub scope: Vec<Option<String>>,
    /// The estate after.
    pub after: Estate,
    /// Per mode, in study order.
    pub modes: Vec<ModeChange>,
    /// Per measure: scores after (before are the run's baseline scores).
    pub access_after: Vec<Scores>,
    /// Per site, in study order.
    pub sites: Vec<SiteChange>,
    /// The summary line.
    pub summary: Summary,
}

/// Evaluates a scenario against the baseline of a measured study.
pub fn evaluate(m: &Measured, cache: &BaselineCache, sc: &Scenario) -> Evaluation {
    let study = &m.study;
    let after = sc.estate(study);
    let base = Estate::baseline(study);
    let scope = sc.scope(study);
    let nz = study.zones.len();
    let modes: Vec<ModeChange> = (0..study.modes.len())
        .map(|mode| {
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
        })
        .collect();
    let access_after: Vec<Scores> = m
        .measures
        .iter()
        .map(|a| scores(study, &m.reach, &after, a))
        .collect();
    let sites = site_changes(m, sc, &base, &after);
    let summary = summarise(m, sc, &modes, &access_after, &sites);
    Evaluation {
        scenario: sc.clone(),
        scope,
        after,
        modes,
        access_after,
        sites,
        summary,
    }
}
