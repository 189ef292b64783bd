//! The study's network as the later stages take it: per mode, the routing graph with the
//! study's zones and sites joined to it; and the speeds of the legs off the network.

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

/// The study's network: one graph per mode, zones and sites joined.
pub struct Network {
    /// One per study mode, in study order.
    pub modes: Vec<ModeNetwork>,
    /// SHA-256 of the OSM file, hex.
    pub sha256: String,
    /// What a user should know about the joins (zones or sites the network does not reach).
    pub warnings: Vec<String>,
    /// Public transport, when the study measures the `transit` mode.
    pub transit: Option<crate::network::transit::TransitNetwork>,
}

impl Network {
    /// Zones beyond the snap limit, per mode.
    pub fn zones_not_joined(&self) -> Vec<usize> {
        self.modes
            .iter()
            .map(|m| m.zone_snaps.iter().filter(|s| s.is_none()).count())
            .collect()
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
