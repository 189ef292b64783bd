//! What a synthetic district tile is made of: settlements, small areas, sites and bus stops.

use super::catalogue::{SERVICES, STREET_REPORTS};

#[derive(Clone)]
pub(super) struct Settlement {
    pub(super) name: String,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) population: f64,
    /// Spread of the population, metres.
    pub(super) sigma: f64,
    pub(super) rank: u8, // 0 main town, 1 market town, 2 village
}

pub(super) struct ZoneOut {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
    pub(super) population: f64,
    pub(super) age_65_plus: f64,
    pub(super) no_car: f64,
    pub(super) imd_decile: u32,
}

pub(super) struct SiteOut {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) agency: &'static str,
    pub(super) kind: &'static str,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) annual_cost: f64,
    pub(super) capacity: f64,
    pub(super) floor_area: f64,
    pub(super) tenure: &'static str,
    pub(super) lease_end: String,
    pub(super) condition: &'static str,
    pub(super) fixed: bool,
    pub(super) candidate: bool,
}

impl SiteOut {
    pub(super) fn services(&self) -> Vec<&'static str> {
        SERVICES
            .iter()
            .chain(std::iter::once(&STREET_REPORTS))
            .filter(|s| s.kinds.contains(&self.kind))
            .map(|s| s.name)
            .collect()
    }
}

/// One district tile.
pub(super) struct Tile {
    pub(super) zones: Vec<ZoneOut>,
    pub(super) sites: Vec<SiteOut>,
    pub(super) stops: Vec<(String, String, f64, f64)>,
    pub(super) settlements: Vec<Settlement>,
}
