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

use std::path::Path;

use rayon::prelude::*;

use crate::error::Problem;
use crate::index::PointIndex;
use crate::load::settings::AccessInput;
use crate::mode::ModeParams;
use crate::model::{column_part, Estate, Site, Study};
use crate::num::Sum;
use crate::reach::{zones_within, Reach};

/// A weight function of travel cost, as in access's `weights` module.
#[derive(Debug, Clone, PartialEq)]
pub enum Weight {
    /// f(c) = 1.
    Flat,
    /// f(c) = (max(c, min) / scale)^alpha. alpha is not negated for you: use a negative alpha
    /// for decay.
    Gravity {
        /// Scale the cost is divided by.
        scale: f64,
        /// Power.
        alpha: f64,
        /// Costs below this count as this (avoids an infinite weight at zero cost).
        min: f64,
    },
    /// f(c) = w_k for the first threshold t_k (ascending) with c ≤ t_k; 0 beyond the last.
    Step(Vec<(f64, f64)>),
    /// f(c) = exp(−c² / 2σ²), not normalised.
    Gaussian {
        /// σ.
        sigma: f64,
    },
}

impl Weight {
    /// The weight of a cost.
    pub fn of(&self, c: f64) -> f64 {
        match self {
            Weight::Flat => 1.0,
            Weight::Gravity { scale, alpha, min } => (c.max(*min) / scale).powf(*alpha),
            Weight::Step(steps) => steps
                .iter()
                .find(|(t, _)| c <= *t)
                .map(|&(_, w)| w)
                .unwrap_or(0.0),
            Weight::Gaussian { sigma } => (-(c * c) / (2.0 * sigma * sigma)).exp(),
        }
    }

    /// Luo & Qi's (2009) E2SFCA steps, access's default: {10: 1, 20: 0.68, 30: 0.22}.
    pub fn e2sfca_default() -> Weight {
        Weight::Step(vec![(10.0, 1.0), (20.0, 0.68), (30.0, 0.22)])
    }

    /// access's default 3SFCA steps: {10: 0.962, 20: 0.704, 30: 0.377, 60: 0.042}.
    pub fn three_stage_default() -> Weight {
        Weight::Step(vec![
            (10.0, 0.962),
            (20.0, 0.704),
            (30.0, 0.377),
            (60.0, 0.042),
        ])
    }
}

/// A sparse cost table: per supply location, the demand locations it reaches (ascending) with
/// their costs.
#[derive(Debug, Clone, Copy)]
pub struct Costs<'a> {
    /// Per supply location, `(demand location, cost)` in ascending demand order.
    pub by_site: &'a [Vec<(u32, f64)>],
    /// Number of demand locations.
    pub zones: usize,
}

impl Costs<'_> {
    /// Per site (in parallel), its pairs with a cost up to `max`; empty for sites not
    /// `include`d.
    fn within(&self, include: &(dyn Fn(usize) -> bool + Sync), max: f64) -> Vec<Vec<(u32, f64)>> {
        self.by_site
            .par_iter()
            .enumerate()
            .map(|(j, list)| {
                if include(j) {
                    list.iter().copied().filter(|&(_, c)| c <= max).collect()
                } else {
                    Vec::new()
                }
            })
            .collect()
    }

    /// The same table by demand location, keeping only sites `include`d and costs up to `max`:
    /// per zone, `(site, cost)` in ascending site order, in one flat array.
    fn by_zone(&self, include: &(dyn Fn(usize) -> bool + Sync), max: f64) -> ByZone {
        ByZone::transpose(&self.within(include, max), self.zones)
    }
}

/// A cost table by zone, flat: zone `i`'s sites are `entries[offsets[i]..offsets[i + 1]]`.
pub struct ByZone {
    offsets: Vec<usize>,
    entries: Vec<(u32, f64)>,
}

impl ByZone {
    /// Per-site lists turned into per-zone lists (a counting sort: sites stay in order).
    pub fn transpose(by_site: &[Vec<(u32, f64)>], zones: usize) -> ByZone {
        let mut offsets = vec![0usize; zones + 1];
        for list in by_site {
            for &(i, _) in list {
                offsets[i as usize + 1] += 1;
            }
        }
        for i in 0..zones {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets[..zones].to_vec();
        let mut entries = vec![(0u32, 0.0f64); offsets[zones]];
        for (j, list) in by_site.iter().enumerate() {
            for &(i, c) in list {
                entries[next[i as usize]] = (j as u32, c);
                next[i as usize] += 1;
            }
        }
        ByZone { offsets, entries }
    }

    /// Zone `i`'s `(site, cost)` entries, in site order.
    pub fn row(&self, i: usize) -> &[(u32, f64)] {
        &self.entries[self.offsets[i]..self.offsets[i + 1]]
    }

    /// `f(zone, its entries)` per zone, in parallel, collected in zone order.
    fn map<T: Send>(&self, f: impl Fn(usize, &[(u32, f64)]) -> T + Sync) -> Vec<T> {
        (0..self.offsets.len() - 1)
            .into_par_iter()
            .map(|i| f(i, &self.entries[self.offsets[i]..self.offsets[i + 1]]))
            .collect()
    }
}

/// Supply per site: `None` for sites outside the measure (another service, closed).
pub type Supply = [Option<f64>];

/// `A_i = Σ_{j: c_ij ≤ max} S_j f(c_ij)`: cumulative opportunities (flat weight) or gravity.
pub fn weighted_catchment(costs: Costs, supply: &Supply, max: f64, f: &Weight) -> Vec<f64> {
    costs.by_zone(&|j| supply[j].is_some(), max).map(|_, row| {
        let mut acc = Sum::default();
        for &(j, c) in row {
            acc.add(supply[j as usize].expect("included") * f.of(c));
        }
        acc.value()
    })
}

/// The result of a two- or three-stage FCA.
#[derive(Debug, Clone, PartialEq)]
pub struct Fca {
    /// Per zone, the accessibility score.
    pub zones: Vec<f64>,
    /// Per site, the supply-to-demand ratio R_j (None outside the measure or where the
    /// catchment holds no demand).
    pub ratios: Vec<Option<f64>>,
}

/// 2SFCA (and E2SFCA, with step weights).
pub fn two_stage(costs: Costs, demand: &[f64], supply: &Supply, max: f64, f: &Weight) -> Fca {
    floating_catchment(costs, demand, supply, max, &|_, _, c| f.of(c))
}

/// 3SFCA: 2SFCA with each weight multiplied by the selection weight G_ij.
pub fn three_stage(costs: Costs, demand: &[f64], supply: &Supply, max: f64, f: &Weight) -> Fca {
    // Σ_k W_ik over every site in the row, ignoring max (as access does).
    let row_sums: Vec<f64> =
        costs
            .by_zone(&|j| supply[j].is_some(), f64::INFINITY)
            .map(|_, row| {
                let mut acc = Sum::default();
                for &(_, c) in row {
                    acc.add(f.of(c));
                }
                acc.value()
            });
    floating_catchment(costs, demand, supply, max, &|i, _, c| {
        let w = f.of(c);
        if row_sums[i] > 0.0 {
            w * (w / row_sums[i])
        } else {
            0.0
        }
    })
}

/// The two stages with a pair weight `w(i, j, c_ij)`, evaluated once per pair within `max`.
fn floating_catchment(
    costs: Costs,
    demand: &[f64],
    supply: &Supply,
    max: f64,
    w: &(dyn Fn(usize, usize, f64) -> f64 + Sync),
) -> Fca {
    // Per site: (zone, weight) for the zones within max.
    let mut weighted: Vec<Vec<(u32, f64)>> = costs
        .by_site
        .par_iter()
        .enumerate()
        .map(|(j, list)| match supply[j] {
            Some(_) => list
                .iter()
                .filter(|&&(_, c)| c <= max)
                .map(|&(i, c)| (i, w(i as usize, j, c)))
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let ratios: Vec<Option<f64>> = weighted
        .par_iter()
        .enumerate()
        .map(|(j, list)| {
            let s = supply[j]?;
            let mut d = Sum::default();
            for &(i, wij) in list {
                d.add(demand[i as usize] * wij);
            }
            let d = d.value();
            (d > 0.0).then(|| s / d)
        })
        .collect();
    for (list, r) in weighted.iter_mut().zip(&ratios) {
        if r.is_none() {
            list.clear();
        }
    }
    let zones = ByZone::transpose(&weighted, costs.zones).map(|_, row| {
        let mut acc = Sum::default();
        for &(j, wij) in row {
            acc.add(ratios[j as usize].expect("included") * wij);
        }
        acc.value()
    });
    Fca { zones, ratios }
}

/// FCA ratio: supply within each zone's catchment over demand within it. `neighbours` is the
/// zone-to-zone cost table in the same form as `costs` (per zone, the zones it reaches).
pub fn fca_ratio(
    costs: Costs,
    neighbours: Costs,
    demand: &[f64],
    supply: &Supply,
    max: f64,
    f: &Weight,
) -> Vec<Option<f64>> {
    let supply_within = weighted_catchment(costs, supply, max, f);
    let demand_as_supply: Vec<Option<f64>> = demand.iter().map(|&p| Some(p)).collect();
    let demand_within = weighted_catchment(neighbours, &demand_as_supply, max, f);
    supply_within
        .iter()
        .zip(&demand_within)
        .map(|(&s, &d)| (d > 0.0).then(|| s / d))
        .collect()
}

/// Values divided by their demand-weighted mean, `v_i / (Σ P_i v_i / Σ P_i)`. Zones without a
/// value are left out of the mean and stay without one; all `None` if the mean is not above 0.
pub fn normalised(values: &[Option<f64>], demand: &[f64]) -> Vec<Option<f64>> {
    let mut num = Sum::default();
    let mut den = Sum::default();
    for (v, &p) in values.iter().zip(demand) {
        if let Some(v) = v {
            num.add(p * v);
            den.add(p);
        }
    }
    let mean = if den.value() > 0.0 {
        num.value() / den.value()
    } else {
        0.0
    };
    values
        .iter()
        .map(|v| v.filter(|_| mean > 0.0).map(|v| v / mean))
        .collect()
}

/// The accessibility method of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Cumulative opportunities: supply within the catchment.
    Cumulative,
    /// Gravity: supply weighted by a function of cost.
    Gravity,
    /// Two-step floating catchment area.
    TwoStage,
    /// Enhanced 2SFCA (step weights).
    EnhancedTwoStage,
    /// Three-step floating catchment area.
    ThreeStage,
    /// Supply over demand within each zone's catchment.
    FcaRatio,
}

impl Method {
    /// Every method, with the names the study file uses.
    pub const ALL: [(Method, &'static str); 6] = [
        (Method::Cumulative, "cumulative"),
        (Method::Gravity, "gravity"),
        (Method::TwoStage, "2sfca"),
        (Method::EnhancedTwoStage, "e2sfca"),
        (Method::ThreeStage, "3sfca"),
        (Method::FcaRatio, "fca_ratio"),
    ];

    /// The name in study files and outputs.
    pub fn name(self) -> &'static str {
        Method::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("every method is listed")
    }

    /// The weight function used when the study names none.
    pub fn default_weight(self) -> Weight {
        match self {
            Method::Gravity => Weight::Gravity {
                scale: 1.0,
                alpha: -1.0,
                min: 1.0,
            },
            Method::EnhancedTwoStage => Weight::e2sfca_default(),
            Method::ThreeStage => Weight::three_stage_default(),
            Method::Cumulative | Method::TwoStage | Method::FcaRatio => Weight::Flat,
        }
    }
}

/// The site value a measure takes as supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplyField {
    /// Every site counts 1.
    One,
    /// Capacity, visits a year.
    Capacity,
    /// Opening hours a week.
    OpeningHours,
    /// Floor area, m².
    FloorArea,
    /// Annual running cost.
    AnnualCost,
}

impl SupplyField {
    /// Every supply field, with the names the study file uses.
    pub const ALL: [(SupplyField, &'static str); 5] = [
        (SupplyField::One, "one"),
        (SupplyField::Capacity, "capacity"),
        (SupplyField::OpeningHours, "opening_hours"),
        (SupplyField::FloorArea, "floor_area_m2"),
        (SupplyField::AnnualCost, "annual_cost"),
    ];

    /// The value of a site in an estate (`None` where the site has none).
    pub fn value(self, estate: &Estate, study: &Study, j: usize) -> Option<f64> {
        let s = &study.sites[j];
        match self {
            SupplyField::One => Some(1.0),
            SupplyField::Capacity => estate.capacity[j],
            SupplyField::OpeningHours => estate.opening_hours[j],
            SupplyField::FloorArea => s.floor_area_m2,
            SupplyField::AnnualCost => s.annual_cost,
        }
    }

    fn name(self) -> &'static str {
        SupplyField::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("every field is listed")
    }
}

/// An accessibility measure of the study, resolved and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Its name; columns are `access_<name>` and `access_<name>_normalised`.
    pub name: String,
    /// The method.
    pub method: Method,
    /// Index of the travel mode in the study's modes.
    pub mode: usize,
    /// Only sites offering this service, or every open site.
    pub service: Option<String>,
    /// Supply per site.
    pub supply: SupplyField,
    /// Demand per zone: population (None) or a profile column index.
    pub demand: Option<usize>,
    /// Catchment limit, minutes.
    pub max_minutes: f64,
    /// The weight function.
    pub weight: Weight,
}

/// Checks the study's `[[access]]` entries against its modes, bands, profile and sites.
pub fn resolve_measures(
    path: &Path,
    inputs: &[AccessInput],
    modes: &[ModeParams],
    bands: &[u32],
    profile: &[String],
    sites: &[Site],
) -> std::result::Result<Vec<Measure>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let max_band = bands.last().copied().unwrap_or(0) as f64;
    for (n, input) in inputs.iter().enumerate() {
        let field = |f: &str| format!("access[{n}].{f}");
        let before = problems.len();
        let mut fail = |f: &str, m: String| problems.push(Problem::field(path, field(f), m));
        let method = Method::ALL
            .iter()
            .find(|(_, name)| *name == input.method.trim().to_ascii_lowercase())
            .map(|(m, _)| *m);
        let Some(method) = method else {
            fail(
                "method",
                format!(
                    "expected one of {}, found \"{}\"",
                    Method::ALL.map(|(_, n)| n).join(", "),
                    input.method
                ),
            );
            continue;
        };
        let mode = match input.mode {
            None => Some(0),
            Some(m) => {
                let i = modes.iter().position(|p| p.mode == m);
                if i.is_none() {
                    fail(
                        "mode",
                        format!("{m} is not one of the study's travel modes"),
                    );
                }
                i
            }
        };
        let supply = match &input.supply {
            None => Some(SupplyField::One),
            Some(s) => {
                let f = SupplyField::ALL
                    .iter()
                    .find(|(_, name)| name == s)
                    .map(|(f, _)| *f);
                if f.is_none() {
                    fail(
                        "supply",
                        format!(
                            "expected one of {}, found \"{s}\"",
                            SupplyField::ALL.map(|(_, n)| n).join(", ")
                        ),
                    );
                }
                f
            }
        };
        let demand = match input.demand.as_deref() {
            None | Some("population") => Some(None),
            Some(d) => match profile.iter().position(|p| p == d) {
                Some(i) => Some(Some(i)),
                None => {
                    fail(
                        "demand",
                        format!(
                            "expected \"population\" or a profile column ({}), found \"{d}\"",
                            profile.join(", ")
                        ),
                    );
                    None
                }
            },
        };
        let max_minutes = input.max_minutes.unwrap_or(max_band);
        if !(max_minutes > 0.0 && max_minutes <= max_band) {
            fail(
                "max_minutes",
                format!("expected minutes above 0 and at most the largest travel band ({max_band}), found {max_minutes}: travel times are only kept up to the largest band"),
            );
        }
        let in_measure = |s: &Site| match &input.service {
            Some(svc) => s.offers().contains(&svc.as_str()),
            None => true,
        };
        if let Some(svc) = &input.service {
            if !sites.iter().any(in_measure) {
                fail(
                    "service",
                    format!("no site offers \"{svc}\" (a site offers its `services`, or its kind where it lists none)"),
                );
            }
        }
        if let Some(f) = supply.filter(|f| *f != SupplyField::One) {
            let missing = sites.iter().find(|s| {
                in_measure(s)
                    && match f {
                        SupplyField::Capacity => s.capacity.is_none(),
                        SupplyField::OpeningHours => s.opening_hours.is_none(),
                        SupplyField::FloorArea => s.floor_area_m2.is_none(),
                        SupplyField::AnnualCost => s.annual_cost.is_none(),
                        SupplyField::One => false,
                    }
            });
            if let Some(s) = missing {
                fail(
                    "supply",
                    format!(
                        "site \"{}\" has no {}, and every site in the measure needs one",
                        s.id,
                        f.name()
                    ),
                );
            }
        }
        let weight = weight_of(input, method, &mut fail);
        if problems.len() > before {
            continue;
        }
        let mode = mode.expect("checked");
        let name = input.name.clone().unwrap_or_else(|| {
            let mut n = format!("{}_{}", method.name(), modes[mode].mode);
            if let Some(s) = &input.service {
                n = format!("{n}_{s}");
            }
            n
        });
        out.push(Measure {
            name: column_part(&name),
            method,
            mode,
            service: input.service.clone(),
            supply: supply.expect("checked"),
            demand: demand.expect("checked"),
            max_minutes,
            weight: weight.expect("checked"),
        });
    }
    for (i, m) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.name == m.name) {
            problems.push(Problem::field(
                path,
                "access",
                format!(
                    "two measures are named \"{}\": give each its own `name`",
                    m.name
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn weight_of(
    input: &AccessInput,
    method: Method,
    fail: &mut dyn FnMut(&str, String),
) -> Option<Weight> {
    let decay = input
        .decay
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase());
    let positive = |v: f64| v > 0.0 && v.is_finite();
    let w = match decay.as_deref() {
        None if input.steps.is_none()
            && input.scale.is_none()
            && input.alpha.is_none()
            && input.min_minutes.is_none()
            && input.sigma.is_none() =>
        {
            method.default_weight()
        }
        None => {
            fail(
                "decay",
                "weight parameters are given without `decay`: set decay = \"step\", \"gravity\" or \"gaussian\"".into(),
            );
            return None;
        }
        Some("none") => Weight::Flat,
        Some("step") => {
            let Some(steps) = input.steps.clone().filter(|s| !s.is_empty()) else {
                fail(
                    "steps",
                    "expected [[minutes, weight], ...] for a step decay".into(),
                );
                return None;
            };
            if steps.windows(2).any(|w| w[0].0 >= w[1].0)
                || steps
                    .iter()
                    .any(|&(t, w)| !(t >= 0.0 && t.is_finite() && w >= 0.0 && w.is_finite()))
            {
                fail(
                    "steps",
                    format!(
                        "expected ascending minutes with weights of zero or more, found {steps:?}"
                    ),
                );
                return None;
            }
            Weight::Step(steps)
        }
        Some("gravity") => {
            let scale = input.scale.unwrap_or(1.0);
            let alpha = input.alpha.unwrap_or(-1.0);
            let min = input.min_minutes.unwrap_or(1.0);
            if !positive(scale) {
                fail("scale", format!("expected a scale above 0, found {scale}"));
                return None;
            }
            if !alpha.is_finite() {
                fail("alpha", format!("expected a finite power, found {alpha}"));
                return None;
            }
            if !(min >= 0.0 && min.is_finite()) || (alpha < 0.0 && min == 0.0) {
                fail(
                    "min_minutes",
                    format!("expected minutes above 0 with a negative alpha (a zero cost would weigh infinitely), found {min}"),
                );
                return None;
            }
            Weight::Gravity { scale, alpha, min }
        }
        Some("gaussian") => {
            let sigma = input.sigma.unwrap_or(f64::NAN);
            if !positive(sigma) {
                fail(
                    "sigma",
                    format!("expected σ in minutes above 0 for a gaussian decay, found {sigma}"),
                );
                return None;
            }
            Weight::Gaussian { sigma }
        }
        Some(other) => {
            fail(
                "decay",
                format!("expected none, step, gravity or gaussian, found \"{other}\""),
            );
            return None;
        }
    };
    Some(w)
}

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
