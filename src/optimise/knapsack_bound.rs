//! The capacitated MCLP's knapsack Lagrangian bound: relaxing "each demand point is served at
//! most once" with multipliers λ ≥ 0 leaves, per site, a 0-1 knapsack,
//!
//! `U(λ) = Σ_i λ_i + Σ_{p sites j with the largest V_j} V_j`,
//! `V_j(λ) = max { Σ_i (a_i − λ_i) x_i : Σ_i a_i x_i ≤ C_j, x binary, i within the standard of j }`,
//!
//! an upper bound on the weight any p sites can serve within capacities, for any λ ≥ 0. The
//! multipliers are improved by projected subgradient steps on Dantzig's knapsack bound (whose
//! value makes `U` a valid bound too); at the best multipliers the knapsacks are then solved
//! exactly, which can only lower it. (The capacitated p-median's, with the equality relaxed,
//! is searched by branch-and-bound in [`super::knapsack_search`].)

use rayon::prelude::*;

use super::knapsack::{by_ratio, dantzig, exact, Item};
use super::Instance;
use crate::num::sum;

/// Subgradient steps at most.
const ITERATIONS: usize = 400;
/// Nodes of one exact knapsack search at most (beyond, Dantzig's value stands).
const KNAPSACK_NODES: usize = 20_000;

/// A knapsack Lagrangian: per site, the demand points it may serve, the capacities, and how
/// many sites to choose.
pub(super) struct Knapsacks<'a> {
    inst: &'a Instance,
    /// Per site: `(demand, cost)`.
    cols: Vec<Vec<(u32, f64)>>,
    cap: &'a [f64],
    p: usize,
}

impl<'a> Knapsacks<'a> {
    /// From each demand point's `(site, cost)` pairs it may be served by.
    pub fn new(
        inst: &'a Instance,
        pairs: &[Vec<(u32, f64)>],
        cap: &'a [f64],
        p: usize,
    ) -> Knapsacks<'a> {
        let mut cols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); inst.site_ids.len()];
        for (i, row) in pairs.iter().enumerate() {
            for &(j, c) in row {
                cols[j as usize].push((i as u32, c));
            }
        }
        Knapsacks { inst, cols, cap, p }
    }

    /// Site `j`'s knapsack items at `lambda`: the demand points with a positive profit.
    fn items(&self, lambda: &[f64], j: usize) -> Vec<Item> {
        let mut it: Vec<Item> = self.cols[j]
            .iter()
            .filter_map(|&(i, _)| {
                let a = self.inst.weights[i as usize];
                let profit = a - lambda[i as usize];
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

    /// The bound at `lambda` given each site's most profit, and the sites it takes: the fixed
    /// ones and the allowed ones of most profit.
    fn value(&self, lambda: &[f64], most: &[f64]) -> (f64, Vec<bool>) {
        let inst = self.inst;
        let m = inst.site_ids.len();
        let mut chosen = inst.fixed.clone();
        let need = self.p - chosen.iter().filter(|&&f| f).count();
        let mut free: Vec<(f64, usize)> = (0..m)
            .filter(|&j| !inst.fixed[j] && !inst.forbidden[j])
            .map(|j| (-most[j], j))
            .collect();
        free.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, j) in free.iter().take(need) {
            chosen[j] = true;
        }
        let sites = sum((0..m).filter(|&j| chosen[j]).map(|j| most[j]));
        (sum(lambda.iter().copied()) + sites, chosen)
    }

    /// Whether bound `a` is better (tighter) than `b`.
    fn tighter(&self, a: f64, b: f64) -> bool {
        let eps = 1e-12 * a.abs().max(1.0);
        a < b - eps
    }

    /// The bound from multipliers `start`, aiming at `target` (a solution's value): subgradient
    /// steps on Dantzig's knapsack bound, then the knapsacks solved exactly at the best
    /// multipliers (which can only tighten it).
    pub fn bound(&self, start: Vec<f64>, target: f64) -> f64 {
        let n = self.inst.demand_ids.len();
        let m = self.inst.site_ids.len();
        let mut lambda = start;
        let mut best = (f64::INFINITY, lambda.clone());
        let mut theta = 2.0;
        let mut stall = 0;
        for _ in 0..ITERATIONS {
            let solved: Vec<(f64, Vec<(u32, f64)>)> = (0..m)
                .into_par_iter()
                .map(|j| dantzig(&self.items(&lambda, j), self.cap[j]))
                .collect();
            let most: Vec<f64> = solved.iter().map(|s| s.0).collect();
            let (v, chosen) = self.value(&lambda, &most);
            if self.tighter(v, best.0) {
                best = (v, lambda.clone());
                stall = 0;
            } else {
                stall += 1;
                if stall >= 10 {
                    theta /= 2.0;
                    stall = 0;
                }
            }
            let reached = !self.tighter(target, best.0) && best.0.is_finite();
            if theta < 1e-4 || reached {
                break;
            }
            // The derivative of the bound in λ_i: 1 less the chosen sites serving i.
            let mut g = vec![1.0; n];
            for (j, s) in solved.iter().enumerate() {
                if chosen[j] {
                    for &(i, f) in &s.1 {
                        g[i as usize] -= f;
                    }
                }
            }
            // Descent with λ ≥ 0: a direction pushing λ_i below 0 does not count.
            for (gi, l) in g.iter_mut().zip(&lambda) {
                if *l <= 0.0 && *gi > 0.0 {
                    *gi = 0.0;
                }
            }
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm < 1e-18 {
                break;
            }
            let step = theta * (target - v).abs().max(1e-9 * target.abs().max(1.0)) / norm;
            for (l, g) in lambda.iter_mut().zip(&g) {
                *l = (*l - step * g).max(0.0);
            }
        }
        let lambda = best.1;
        let most: Vec<f64> = (0..m)
            .into_par_iter()
            .map(|j| {
                let it = self.items(&lambda, j);
                exact(&it, self.cap[j], KNAPSACK_NODES)
                    .unwrap_or_else(|| dantzig(&it, self.cap[j]).0)
            })
            .collect();
        let v = self.value(&lambda, &most).0;
        if self.tighter(v, best.0) {
            v
        } else {
            best.0
        }
    }
}
