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
use crate::num::sum;

/// Subgradient steps at most.
const ITERATIONS: usize = 400;
/// Nodes of one exact knapsack search at most (beyond, Dantzig's value stands).
const KNAPSACK_NODES: usize = 20_000;

/// Which way a knapsack Lagrangian bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sense {
    /// A lower bound on a cost (the capacitated p-median): item profit `λ_i − a_i c_ij`,
    /// `L(λ) = Σ λ_i − Σ_{p best} V_j`, maximised over every λ.
    Cost,
    /// An upper bound on a covered weight (the capacitated MCLP): item profit `a_i − λ_i`,
    /// `U(λ) = Σ λ_i + Σ_{p best} V_j`, minimised over λ ≥ 0.
    Coverage,
}

/// A knapsack Lagrangian: per site, the demand points it may serve (with their cost), the
/// capacities, and how many sites to choose.
pub(super) struct Knapsacks<'a> {
    inst: &'a Instance,
    /// Per site: `(demand, cost)`.
    cols: Vec<Vec<(u32, f64)>>,
    cap: &'a [f64],
    p: usize,
    sense: Sense,
}

impl<'a> Knapsacks<'a> {
    /// From each demand point's `(site, cost)` pairs it may be served by.
    pub fn new(
        inst: &'a Instance,
        pairs: &[Vec<(u32, f64)>],
        cap: &'a [f64],
        p: usize,
        sense: Sense,
    ) -> Knapsacks<'a> {
        let mut cols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); inst.site_ids.len()];
        for (i, row) in pairs.iter().enumerate() {
            for &(j, c) in row {
                cols[j as usize].push((i as u32, c));
            }
        }
        Knapsacks {
            inst,
            cols,
            cap,
            p,
            sense,
        }
    }

    /// Site `j`'s knapsack items at `lambda`: the demand points with a positive profit.
    fn items(&self, lambda: &[f64], j: usize) -> Vec<Item> {
        let mut it: Vec<Item> = self.cols[j]
            .iter()
            .filter_map(|&(i, c)| {
                let a = self.inst.weights[i as usize];
                let profit = match self.sense {
                    Sense::Cost => lambda[i as usize] - a * c,
                    Sense::Coverage => a - lambda[i as usize],
                };
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
        let v = match self.sense {
            Sense::Cost => sum(lambda.iter().copied()) - sites,
            Sense::Coverage => sum(lambda.iter().copied()) + sites,
        };
        (v, chosen)
    }

    /// Whether bound `a` is better (tighter) than `b`.
    fn tighter(&self, a: f64, b: f64) -> bool {
        let eps = 1e-12 * a.abs().max(1.0);
        match self.sense {
            Sense::Cost => a > b + eps,
            Sense::Coverage => a < b - eps,
        }
    }

    /// The bound from multipliers `start`, aiming at `target` (a solution's value): subgradient
    /// steps on Dantzig's knapsack bound, then the knapsacks solved exactly at the best
    /// multipliers (which can only tighten it).
    pub fn bound(&self, start: Vec<f64>, target: f64) -> f64 {
        let n = self.inst.demand_ids.len();
        let m = self.inst.site_ids.len();
        let mut lambda = start;
        let worst = match self.sense {
            Sense::Cost => f64::NEG_INFINITY,
            Sense::Coverage => f64::INFINITY,
        };
        let mut best = (worst, lambda.clone());
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
            if self.sense == Sense::Coverage {
                // Descent with λ ≥ 0: a direction pushing λ_i below 0 does not count.
                for (gi, l) in g.iter_mut().zip(&lambda) {
                    if *l <= 0.0 && *gi > 0.0 {
                        *gi = 0.0;
                    }
                }
            }
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm < 1e-18 {
                break;
            }
            let step = theta * (target - v).abs().max(1e-9 * target.abs().max(1.0)) / norm;
            for (l, g) in lambda.iter_mut().zip(&g) {
                *l = match self.sense {
                    Sense::Cost => *l + step * g,
                    Sense::Coverage => (*l - step * g).max(0.0),
                };
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

/// The capacitated p-median's knapsack Lagrangian bound, from multipliers `start` (e.g. each
/// demand point's weighted cost in a good solution) and aiming at `target` (that solution's
/// cost).
pub(super) fn knapsack_bound(
    inst: &Instance,
    p: usize,
    cap: &[f64],
    start: Vec<f64>,
    target: f64,
) -> f64 {
    Knapsacks::new(inst, &inst.costs, cap, p, Sense::Cost).bound(start, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn instance(weights: Vec<f64>, costs: Vec<Vec<(u32, f64)>>, m: usize) -> Instance {
        Instance::bare(weights, costs, m)
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
