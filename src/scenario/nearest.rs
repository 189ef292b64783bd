//! Each zone's nearest site providing a service, by a mode (network or straight line), and
//! the baseline's searches kept across the scenarios of a run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    pub(super) fn get(&self, m: &Measured, mode: usize, service: &Option<String>) -> Arc<Nearest> {
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

/// Per zone, the nearest kept site by a mode: by public transport among the sites each zone
/// reaches (else by walking alone), on the network when the study has one, in the travel-time
/// matrix when it gives one, else straight-line.
pub fn nearest_providing(
    m: &Measured,
    mode: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Nearest {
    let p = &m.study.modes[mode];
    match &m.network {
        Some(net) => {
            let on_foot = crate::network::times::network_nearest(
                &net.modes[mode],
                crate::network::walk_kmh(&m.study),
                keep,
            );
            match &m.reach.modes[mode].times.transit {
                Some(t) => crate::times::nearest_reached(&t.reached, keep, &on_foot),
                None => on_foot,
            }
        }
        None => match &m.study.travel_matrix {
            Some(tm) => {
                crate::reach::nearest_in_matrix(m.study.zones.len(), &tm.by_mode[mode], keep)
            }
            None => straight_line_nearest(&m.study, p, keep),
        },
    }
}
