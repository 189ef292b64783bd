//! Per mode, the routing graph with the study's zones and sites joined to it; and the speeds of
//! the legs off the network.

use crate::mode::Mode;
use crate::model::Study;
use crate::network::graph::{self, Graph};
use crate::network::snap::{self, Snap};

/// The network of one mode with the study's zones and sites joined to it.
pub struct ModeNetwork {
    /// The routing graph.
    pub graph: Graph,
    /// Each zone's join, None where it is beyond the snap limit.
    pub zone_snaps: Vec<Option<Snap>>,
    /// Each zone's distance to the network, metres (also where beyond the limit).
    pub zone_snap_m: Vec<Option<f64>>,
    /// Each site's join, None where it is beyond the snap limit.
    pub site_snaps: Vec<Option<Snap>>,
    /// Each site's distance to the network, metres.
    pub site_snap_m: Vec<Option<f64>>,
}

impl ModeNetwork {
    /// How the network reaches site `s`: (node, milliseconds from the node to the site door,
    /// walk from the network included). Empty where the site is not joined.
    pub fn site_entries(&self, s: usize, walk_kmh: f64) -> Vec<(u32, u32)> {
        match self.site_snaps[s] {
            Some(snap) => {
                let leg = graph::millis(snap.distance_m, walk_kmh);
                snap::entries(&self.graph, &snap)
                    .into_iter()
                    .map(|e| (e.node.0, e.ms.saturating_add(leg)))
                    .collect()
            }
            None => Vec::new(),
        }
    }
}

/// The study's speed for a mode (its default where the study does not measure that mode).
pub(super) fn speed_kmh(study: &Study, mode: Mode) -> f64 {
    study
        .modes
        .iter()
        .find(|m| m.mode == mode)
        .map(|m| m.speed_kmh)
        .unwrap_or_else(|| crate::mode::default_mode_params(mode).speed_kmh)
}

/// The walking speed used for the legs between points and the network, km/h.
pub fn walk_kmh(study: &Study) -> f64 {
    speed_kmh(study, Mode::Walk)
}
