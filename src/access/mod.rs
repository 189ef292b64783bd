//! Accessibility measures over a sparse travel-time matrix, with the names and formulas of
//! PySAL access (`access/fca.py`, `access/weights.py`), so analysts recognise them.
//!
//! The matrix is held per site (supply location `j`): the zones (demand locations `i`) it
//! reaches, in zone order, with the cost `c_ij` in minutes. `P_i` is demand (population or a
//! profile column), `S_j` supply (a site column, or 1), `f` a weight function of the cost.
//!
//! - **cumulative** and **gravity** (access's `weighted_catchment`):
//!   `A_i = Σ_{j: c_ij ≤ max} S_j f(c_ij)`; cumulative has `f = 1`.
//! - **2SFCA**: `D_j = Σ_{i: c_ij ≤ max} P_i f(c_ij)`, `R_j = S_j / D_j`,
//!   `A_i = Σ_{j: c_ij ≤ max} R_j f(c_ij)`; without a weight function `f = 1`.
//! - **E2SFCA**: 2SFCA with step weights, by default Luo & Qi's `{10: 1, 20: 0.68, 30: 0.22}`.
//! - **3SFCA** (Wan et al. 2012): `W_ij = f(c_ij)`, `G_ij = W_ij / Σ_k W_ik` over every site in
//!   zone `i`'s row of the matrix (ignoring `max`, as access does), then 2SFCA with the weight
//!   `W_ij G_ij`. Default step weights `{10: 0.962, 20: 0.704, 30: 0.377, 60: 0.042}` (access's).
//! - **FCA ratio**: supply within the catchment of `i` over demand within it:
//!   `Σ_{j: c_ij ≤ max} S_j f(c_ij) / Σ_{k: c_ik ≤ max} P_k f(c_ik)`, the second sum over a
//!   zone-to-zone cost table.
//! - **normalised**: `v_i / (Σ_i P_i v_i / Σ_i P_i)`, the value over its demand-weighted mean.
//!
//! Empty catchments, documented rather than NaN: a zone with no site within `max` scores 0 (no
//! supply reachable); a site whose catchment holds no demand (`D_j = 0`) has no ratio and adds
//! nothing to any zone (access would give infinity or NaN); an FCA ratio with no demand within
//! the catchment is `None` (written as an empty cell).
//!
//! Every sum is compensated (Neumaier) and runs in a fixed order (zones in zone order, sites in
//! site order), so results do not depend on thread count or summation order.

mod fca;
mod measure;
mod weight;

use rayon::prelude::*;

use crate::index::PointIndex;
use crate::mode::ModeParams;
use crate::model::{Estate, Study};
use crate::reach::{zones_within, Reach};

pub use fca::{
    fca_ratio, normalised, three_stage, two_stage, weighted_catchment, ByZone, Costs, Fca, Supply,
};
pub use measure::{resolve_measures, Measure, Method, SupplyField};
pub use weight::Weight;

/// Scores of one measure per zone: raw and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Per zone (None only for an FCA ratio with no demand in the catchment).
    pub raw: Vec<Option<f64>>,
    /// Per zone, divided by the demand-weighted mean.
    pub normalised: Vec<Option<f64>>,
}

/// Computes a measure for an estate (which sites are open, what they offer, their capacity)
/// over the study's travel times.
pub fn scores(study: &Study, reach: &Reach, estate: &Estate, m: &Measure) -> Scores {
    let times = &reach.modes[m.mode].times;
    let costs = Costs {
        by_site: &times.by_site,
        zones: study.zones.len(),
    };
    let supply: Vec<Option<f64>> = (0..study.sites.len())
        .map(|j| {
            let member = estate.provides(j, m.service.as_deref());
            if member {
                m.supply.value(estate, study, j)
            } else {
                None
            }
        })
        .collect();
    let demand: Vec<f64> = study
        .zones
        .iter()
        .map(|z| match m.demand {
            None => z.population,
            Some(c) => z.profile[c],
        })
        .collect();
    let raw: Vec<Option<f64>> = match m.method {
        Method::Cumulative | Method::Gravity => {
            weighted_catchment(costs, &supply, m.max_minutes, &m.weight)
                .into_iter()
                .map(Some)
                .collect()
        }
        Method::TwoStage | Method::EnhancedTwoStage => {
            two_stage(costs, &demand, &supply, m.max_minutes, &m.weight)
                .zones
                .into_iter()
                .map(Some)
                .collect()
        }
        Method::ThreeStage => three_stage(costs, &demand, &supply, m.max_minutes, &m.weight)
            .zones
            .into_iter()
            .map(Some)
            .collect(),
        Method::FcaRatio => {
            let neighbours = zone_neighbours(study, &reach.modes[m.mode].params, m.max_minutes);
            fca_ratio(
                costs,
                Costs {
                    by_site: &neighbours,
                    zones: study.zones.len(),
                },
                &demand,
                &supply,
                m.max_minutes,
                &m.weight,
            )
        }
    };
    let normalised = normalised(&raw, &demand);
    Scores { raw, normalised }
}

/// Zone-to-zone straight-line travel times (the mode's speed and circuity) within `max`
/// minutes, for the demand side of the FCA ratio.
fn zone_neighbours(study: &Study, p: &ModeParams, max: f64) -> Vec<Vec<(u32, f64)>> {
    let index = PointIndex::new(study.zones.iter().map(|z| z.point));
    study
        .zones
        .par_iter()
        .map(|z| zones_within(&index, z.point, p, max))
        .collect()
}
