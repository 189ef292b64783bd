//! The floating-catchment family on a sparse cost table: weighted catchment (cumulative,
//! gravity), 2SFCA and E2SFCA, 3SFCA, the FCA ratio and normalisation.

use rayon::prelude::*;

use super::weight::Weight;
use crate::num::Sum;

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
