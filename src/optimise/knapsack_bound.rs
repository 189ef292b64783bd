//! The capacitated p-median's Lagrangian bound (Ceselli and Righini 2005): relaxing "each
//! demand point is served once" with multipliers λ leaves, per site, a 0-1 knapsack,
//!
//! `L(λ) = Σ_i λ_i + Σ_{p sites j with the smallest K_j} K_j`,
//! `K_j(λ) = −max { Σ_i (λ_i − a_i c_ij) x_i : Σ_i a_i x_i ≤ C_j, x binary }`,
//!
//! a lower bound on every single-source solution for any λ, and stronger than the
//! uncapacitated optimum because each site's knapsack keeps its capacity. The multipliers are
//! improved by subgradient steps on Dantzig's knapsack bound (whose value makes `L` a valid
//! bound too); at the best multipliers the knapsacks are then solved exactly, which can only
//! raise the bound.

use rayon::prelude::*;

use super::knapsack::{by_ratio, dantzig, exact, Item};
use super::Instance;

/// Subgradient steps at most.
const ITERATIONS: usize = 400;
/// Nodes of one exact knapsack search at most (beyond, Dantzig's value stands).
const KNAPSACK_NODES: usize = 20_000;

/// Per site, the knapsack items at `lambda`: the demand points it reaches that gain from it.
fn items(inst: &Instance, cols: &[Vec<(u32, f64)>], lambda: &[f64], j: usize) -> Vec<Item> {
    let mut it: Vec<Item> = cols[j]
        .iter()
        .filter_map(|&(i, c)| {
            let a = inst.weights[i as usize];
            let profit = lambda[i as usize] - a * c;
            (profit > 0.0).then_some(Item {
                profit,
                weight: a,
                index: i,
            })
        })
        .collect();
    by_ratio(&mut it);
    it
}

/// The bound's value at `lambda` given every site's knapsack value (its most profit).
fn value(inst: &Instance, p: usize, lambda: &[f64], most: &[f64]) -> (f64, Vec<bool>) {
    let m = inst.site_ids.len();
    let mut chosen = inst.fixed.clone();
    let need = p - chosen.iter().filter(|&&f| f).count();
    let mut free: Vec<(f64, usize)> = (0..m)
        .filter(|&j| !inst.fixed[j] && !inst.forbidden[j])
        .map(|j| (-most[j], j))
        .collect();
    free.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for &(_, j) in free.iter().take(need) {
        chosen[j] = true;
    }
    let v = crate::num::sum(lambda.iter().copied())
        - crate::num::sum((0..m).filter(|&j| chosen[j]).map(|j| most[j]));
    (v, chosen)
}

/// The knapsack Lagrangian bound, from multipliers `start` (e.g. each demand point's cost in
/// a good solution) and aiming at `target` (that solution's cost).
pub(super) fn knapsack_bound(
    inst: &Instance,
    p: usize,
    cap: &[f64],
    start: Vec<f64>,
    target: f64,
) -> f64 {
    let n = inst.demand_ids.len();
    let m = inst.site_ids.len();
    let mut cols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); m];
    for (i, row) in inst.costs.iter().enumerate() {
        for &(j, c) in row {
            cols[j as usize].push((i as u32, c));
        }
    }
    let mut lambda = start;
    let mut best = (f64::NEG_INFINITY, lambda.clone());
    let mut theta = 2.0;
    let mut stall = 0;
    for _ in 0..ITERATIONS {
        let solved: Vec<(f64, Vec<(u32, f64)>)> = (0..m)
            .into_par_iter()
            .map(|j| dantzig(&items(inst, &cols, &lambda, j), cap[j]))
            .collect();
        let most: Vec<f64> = solved.iter().map(|s| s.0).collect();
        let (v, chosen) = value(inst, p, &lambda, &most);
        if v > best.0 + 1e-12 * v.abs().max(1.0) {
            best = (v, lambda.clone());
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if theta < 1e-4 || best.0 >= target - 1e-9 * target.abs().max(1.0) {
            break;
        }
        let mut g = vec![1.0; n];
        for (j, s) in solved.iter().enumerate() {
            if chosen[j] {
                for &(i, f) in &s.1 {
                    g[i as usize] -= f;
                }
            }
        }
        let norm: f64 = g.iter().map(|v| v * v).sum();
        if norm < 1e-18 {
            break;
        }
        let step = theta * (target - v).max(1e-9 * target.abs().max(1.0)) / norm;
        for (l, g) in lambda.iter_mut().zip(&g) {
            *l += step * g;
        }
    }
    // The knapsacks solved exactly at the best multipliers: never lower.
    let lambda = best.1;
    let most: Vec<f64> = (0..m)
        .into_par_iter()
        .map(|j| {
            let it = items(inst, &cols, &lambda, j);
            exact(&it, cap[j], KNAPSACK_NODES).unwrap_or_else(|| dantzig(&it, cap[j]).0)
        })
        .collect();
    value(inst, p, &lambda, &most).0.max(best.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn instance(weights: Vec<f64>, costs: Vec<Vec<(u32, f64)>>, m: usize) -> Instance {
        Instance {
            demand_ids: (0..weights.len()).map(|i| format!("d{i}")).collect(),
            weights,
            site_ids: (0..m).map(|j| format!("s{j}")).collect(),
            costs,
            fixed: vec![false; m],
            forbidden: vec![false; m],
            capacity: None,
            study_sites: vec![],
            study_zones: vec![],
            left_out: vec![],
        }
    }

    /// Every single-source assignment using at most p sites, within capacities.
    fn brute_force(inst: &Instance, p: usize, cap: &[f64]) -> Option<f64> {
        let n = inst.demand_ids.len();
        let m = inst.site_ids.len();
        let mut best: Option<f64> = None;
        let mut to = vec![0usize; n];
        loop {
            let mut load = vec![0.0; m];
            let mut cost = 0.0;
            let mut ok = true;
            for i in 0..n {
                match inst.costs[i].iter().find(|x| x.0 as usize == to[i]) {
                    Some(&(_, c)) => {
                        cost += inst.weights[i] * c;
                        load[to[i]] += inst.weights[i];
                    }
                    None => ok = false,
                }
            }
            let used = (0..m).filter(|&j| to.contains(&j)).count();
            if ok && used <= p && (0..m).all(|j| load[j] <= cap[j] + 1e-9) {
                best = Some(best.map_or(cost, |b: f64| b.min(cost)));
            }
            // Next assignment, as a number in base m.
            let mut k = 0;
            while k < n {
                to[k] += 1;
                if to[k] < m {
                    break;
                }
                to[k] = 0;
                k += 1;
            }
            if k == n {
                return best;
            }
        }
    }

    #[test]
    fn a_hand_case_where_capacity_binds() {
        // d0: A 1, B 10; d1: A 2, B 5; both capacities 1, p = 2. Uncapacitated: both to A, 3.
        // Capacitated: d0 to A, d1 to B, 6; and L(4, 5) = 9 - 3 - 0 = 6 by hand.
        let inst = instance(
            vec![1.0, 1.0],
            vec![vec![(0, 1.0), (1, 10.0)], vec![(0, 2.0), (1, 5.0)]],
            2,
        );
        let b = knapsack_bound(&inst, 2, &[1.0, 1.0], vec![1.0, 2.0], 6.0);
        assert!(b > 5.5 && b <= 6.0 + 1e-9, "bound {b}");
        assert_eq!(brute_force(&inst, 2, &[1.0, 1.0]), Some(6.0));
    }

    #[test]
    fn never_above_the_optimum_and_above_the_uncapacitated_bound_where_capacity_binds() {
        let mut rng = Rng::new(7);
        let mut stronger = 0;
        for case in 0..200 {
            let n = 3 + rng.below(5);
            let m = 2 + rng.below(3);
            let p = 1 + rng.below(m);
            let weights: Vec<f64> = (0..n).map(|_| 1.0 + rng.below(9) as f64).collect();
            let costs: Vec<Vec<(u32, f64)>> = (0..n)
                .map(|_| {
                    let mut row = Vec::new();
                    for j in 0..m as u32 {
                        if rng.below(10) < 9 {
                            row.push((j, rng.below(30) as f64));
                        }
                    }
                    row
                })
                .collect();
            let total: f64 = weights.iter().sum();
            let cap: Vec<f64> = (0..m)
                .map(|_| (total * rng.range(0.3, 1.2)).round())
                .collect();
            let inst = instance(weights, costs, m);
            let Some(opt) = brute_force(&inst, p, &cap) else {
                continue;
            };
            // The uncapacitated optimum with p sites, by brute force too.
            let uncap = brute_force(&inst, p, &vec![f64::INFINITY; m]).unwrap();
            let start: Vec<f64> = inst
                .costs
                .iter()
                .zip(&inst.weights)
                .map(|(r, a)| a * r.iter().map(|x| x.1).fold(0.0, f64::max))
                .collect();
            let b = knapsack_bound(&inst, p, &cap, start, opt);
            assert!(
                b <= opt + 1e-6 * opt.max(1.0),
                "case {case}: bound {b} above optimum {opt}"
            );
            if b > uncap + 1e-6 {
                stronger += 1;
            }
        }
        assert!(
            stronger >= 20,
            "the knapsack bound beat the uncapacitated one {stronger} times"
        );
    }
}
