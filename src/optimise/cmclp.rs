//! The capacitated MCLP: choose exactly p sites and serve demand points whole, each by one
//! chosen site within the standard, no site beyond its capacity, to serve the most weight.
//! (spopt's MCLP has no capacities; its users ask for them, pysal/spopt#415.)
//!
//! - Small instances (up to [`CAPACITATED_SETS`] sets and [`CMCLP_DEMAND`] demand
//!   points): every set of sites, each with an exact assignment (depth-first, heaviest demand
//!   first, pruned by the weight left): optimal.
//! - Beyond: the uncapacitated MCLP's sites assigned within capacities (most constrained demand
//!   first, to the eligible site with most room), improved by site swaps, start a best-first
//!   branch-and-bound on the knapsack Lagrangian ([`knapsack_search`]): the problem as a
//!   capacitated p-median whose cost is the weight left unserved (relaxing "each demand point
//!   served at most once" leaves a 0-1 knapsack per site). Optimal when it finishes; at the
//!   time limit the bound is the smaller of the uncapacitated MCLP's and the search's.

use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use super::capacitated::CAPACITATED_SETS;
use super::combinations::{binomial, next_combination};
use super::core::Limits;
use super::knapsack_search::{self, Capacitated, Searched};
use super::mclp::mclp;
use super::solution::{capacities, gap, Model, Solution};
use super::Instance;
use crate::error::Result;
use crate::num::sum;

/// An assignment (a site or none per demand point) and the weight it serves.
type Served = (Vec<Option<usize>>, f64);

/// Demand points at most for the exact assignment of every set.
pub(super) const CMCLP_DEMAND: usize = 16;

/// Per demand point, the allowed sites within the standard, nearest first.
fn eligible(inst: &Instance, standard: f64) -> Vec<Vec<(u32, f64)>> {
    inst.costs
        .iter()
        .map(|row| {
            row.iter()
                .copied()
                .filter(|&(j, c)| c <= standard && !inst.forbidden[j as usize])
                .collect()
        })
        .collect()
}

pub(super) fn capacitated_mclp(
    inst: &Instance,
    p: usize,
    standard: f64,
    limits: Limits,
) -> Result<Solution> {
    let cap = capacities(inst, Model::CapacitatedMclp)?;
    let start = Instant::now();
    let el = eligible(inst, standard);
    let m = inst.site_ids.len();
    let fixed: Vec<usize> = (0..m).filter(|&j| inst.fixed[j]).collect();
    let candidates: Vec<usize> = (0..m)
        .filter(|&j| !inst.forbidden[j] && !inst.fixed[j])
        .collect();
    let k = p - fixed.len();
    let small =
        binomial(candidates.len(), k) <= CAPACITATED_SETS && inst.demand_ids.len() <= CMCLP_DEMAND;
    let mut nodes = 0;
    let (chosen, to, value, bound, optimal, method) = if small {
        let (chosen, to, value) = enumerate(inst, &el, &cap, &fixed, &candidates, k);
        (
            chosen,
            to,
            value,
            value,
            true,
            "every set of p sites, each with an exact assignment within capacities",
        )
    } else {
        let relaxed = mclp(
            inst,
            p,
            standard,
            Limits {
                seconds: limits.seconds / 4.0,
                ..limits
            },
        );
        let mut open = vec![false; m];
        for &j in &relaxed.chosen {
            open[j] = true;
        }
        let deadline = limits.seconds / 4.0 - start.elapsed().as_secs_f64();
        let (to, value) = swaps(inst, &el, &cap, &mut open, deadline, start);
        let chosen: Vec<usize> = (0..m).filter(|&j| open[j]).collect();
        let left = Limits {
            seconds: (limits.seconds - start.elapsed().as_secs_f64()).max(0.0),
            ..limits
        };
        let found = branch_and_bound(inst, &el, &cap, p, Some((chosen, to, value)), left);
        let total = sum(inst.weights.iter().copied());
        let (chosen, to) = found.best.expect("the incumbent at least");
        nodes = found.nodes;
        let value = total - found.value;
        let bound = (total - found.bound).min(relaxed.bound).max(value);
        (
            chosen,
            to,
            value,
            bound,
            found.finished || value >= bound - 1e-9 * bound.abs().max(1.0),
            "uncapacitated MCLP's sites assigned within capacities, site swaps; best-first branch-and-bound on the knapsack Lagrangian (sites, then assignments)",
        )
    };
    let total = sum(inst.weights.iter().copied());
    let mut s = Solution {
        model: Model::CapacitatedMclp,
        chosen,
        objective: value,
        bound,
        gap: if optimal { 0.0 } else { gap(value, bound) },
        optimal,
        method,
        assignment: to.clone(),
        assigned_cost: to
            .iter()
            .enumerate()
            .map(|(i, t)| t.and_then(|j| el[i].iter().find(|x| x.0 as usize == j).map(|x| x.1)))
            .collect(),
        loads: vec![0.0; m],
        seconds: 0.0,
        nodes,
        figures: Vec::new(),
    };
    for (i, t) in to.iter().enumerate() {
        if let Some(j) = t {
            s.loads[*j] += inst.weights[i];
        }
    }
    s.figures.push(("p", json!(p)));
    s.figures.push(("standard", json!(standard)));
    s.figures.push(("covered_weight", json!(value)));
    s.figures.push(("total_weight", json!(total)));
    s.figures.push((
        "percent_weight_covered",
        json!(100.0 * value / total.max(f64::MIN_POSITIVE)),
    ));
    s.figures.push((
        "uncovered_clients",
        json!(to.iter().filter(|t| t.is_none()).count()),
    ));
    Ok(s)
}

/// Every set of `k` candidates with the fixed sites, each assigned exactly.
fn enumerate(
    inst: &Instance,
    el: &[Vec<(u32, f64)>],
    cap: &[f64],
    fixed: &[usize],
    candidates: &[usize],
    k: usize,
) -> (Vec<usize>, Vec<Option<usize>>, f64) {
    let n = inst.demand_ids.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| inst.weights[b].total_cmp(&inst.weights[a]).then(a.cmp(&b)));
    let mut best: (Vec<usize>, Vec<Option<usize>>, f64) = (Vec::new(), vec![None; n], -1.0);
    let mut comb: Vec<usize> = (0..k).collect();
    loop {
        let mut set = fixed.to_vec();
        set.extend(comb.iter().map(|&c| candidates[c]));
        set.sort_unstable();
        let mut open = vec![false; inst.site_ids.len()];
        for &j in &set {
            open[j] = true;
        }
        let mut exact = Exact {
            inst,
            el,
            open: &open,
            order: &order,
            left: cap.to_vec(),
            to: vec![None; n],
            best: (vec![None; n], best.2),
        };
        let rest = sum(inst.weights.iter().copied());
        exact.place(0, 0.0, rest);
        if exact.best.1 > best.2 {
            best = (set, exact.best.0, exact.best.1);
        }
        if k == 0 || !next_combination(&mut comb, candidates.len()) {
            break;
        }
    }
    best
}

/// The exact assignment of one set of sites.
struct Exact<'a> {
    inst: &'a Instance,
    el: &'a [Vec<(u32, f64)>],
    open: &'a [bool],
    order: &'a [usize],
    left: Vec<f64>,
    to: Vec<Option<usize>>,
    best: (Vec<Option<usize>>, f64),
}

impl Exact<'_> {
    /// Demand `order[pos..]` served or not, with `served` so far and `rest` weight to come.
    fn place(&mut self, pos: usize, served: f64, rest: f64) {
        if served > self.best.1 {
            self.best = (self.to.clone(), served);
        }
        if pos == self.order.len() || served + rest <= self.best.1 {
            return;
        }
        let i = self.order[pos];
        let a = self.inst.weights[i];
        for &(j, _) in &self.el[i] {
            let j = j as usize;
            if self.open[j] && self.left[j] + 1e-9 >= a {
                self.left[j] -= a;
                self.to[i] = Some(j);
                self.place(pos + 1, served + a, rest - a);
                self.to[i] = None;
                self.left[j] += a;
            }
        }
        self.place(pos + 1, served, rest - a);
    }
}

/// A greedy assignment within capacities: the demand points with fewest open eligible sites
/// first (heaviest first among them), each to its eligible open site with most room left.
fn assign(inst: &Instance, el: &[Vec<(u32, f64)>], cap: &[f64], open: &[bool]) -> Served {
    let n = inst.demand_ids.len();
    let options: Vec<usize> = (0..n)
        .map(|i| el[i].iter().filter(|x| open[x.0 as usize]).count())
        .collect();
    let mut order: Vec<usize> = (0..n).filter(|&i| options[i] > 0).collect();
    order.sort_by(|&a, &b| {
        options[a]
            .cmp(&options[b])
            .then(inst.weights[b].total_cmp(&inst.weights[a]))
            .then(a.cmp(&b))
    });
    let mut left = cap.to_vec();
    let mut to = vec![None; n];
    let mut served = Vec::new();
    for i in order {
        let a = inst.weights[i];
        let pick = el[i]
            .iter()
            .map(|x| x.0 as usize)
            .filter(|&j| open[j] && left[j] + 1e-9 >= a)
            .max_by(|&x, &y| left[x].total_cmp(&left[y]).then(y.cmp(&x)));
        if let Some(j) = pick {
            left[j] -= a;
            to[i] = Some(j);
            served.push(a);
        }
    }
    (to, sum(served))
}

/// Site swaps (a chosen, not fixed, site out, an allowed one in; first improvement) until none
/// improves or the time is up; `open` ends as the best set.
fn swaps(
    inst: &Instance,
    el: &[Vec<(u32, f64)>],
    cap: &[f64],
    open: &mut [bool],
    seconds: f64,
    start: Instant,
) -> Served {
    let m = inst.site_ids.len();
    let mut best = assign(inst, el, cap, open);
    let began = start.elapsed().as_secs_f64();
    'improve: loop {
        for out in (0..m).filter(|&j| open[j] && !inst.fixed[j]) {
            let trials: Vec<(usize, Served)> = (0..m)
                .into_par_iter()
                .filter(|&j| !open[j] && !inst.forbidden[j])
                .map(|inn| {
                    let mut trial = open.to_vec();
                    trial[out] = false;
                    trial[inn] = true;
                    (inn, assign(inst, el, cap, &trial))
                })
                .collect();
            if let Some((inn, t)) = trials
                .into_iter()
                .find(|(_, t)| t.1 > best.1 + 1e-9 * best.1.abs().max(1.0))
            {
                open[out] = false;
                open[inn] = true;
                best = t;
                continue 'improve;
            }
            if start.elapsed().as_secs_f64() - began > seconds {
                break 'improve;
            }
        }
        break;
    }
    best
}

/// Branch-and-bound on the knapsack Lagrangian ([`knapsack_search`]) as a capacitated
/// p-median whose cost is the weight left unserved: serving costs nothing within the
/// standard, leaving a point unserved costs its weight. From an incumbent (sites, assignment,
/// weight served), if any.
fn branch_and_bound(
    inst: &Instance,
    el: &[Vec<(u32, f64)>],
    cap: &[f64],
    p: usize,
    incumbent: Option<(Vec<usize>, Vec<Option<usize>>, f64)>,
    limits: Limits,
) -> Searched {
    let total = sum(inst.weights.iter().copied());
    let pairs: Vec<Vec<(u32, f64)>> = (el.iter())
        .map(|row| row.iter().map(|&(j, _)| (j, 0.0)).collect())
        .collect();
    let heuristic = |open: &[bool]| {
        let (to, served) = assign(inst, el, cap, open);
        Some((total - served, to))
    };
    let problem = Capacitated {
        inst,
        pairs: &pairs,
        unserved: Some(&inst.weights),
        cap,
        p,
        assign: &heuristic,
    };
    let incumbent = incumbent.map(|(chosen, to, served)| (total - served, chosen, to));
    // Multipliers at the weights: every point worth serving, none worth more.
    let lambda = inst.weights.clone();
    knapsack_search::search(&problem, incumbent, lambda, limits, Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn instance(weights: Vec<f64>, costs: Vec<Vec<(u32, f64)>>, cap: Vec<f64>) -> Instance {
        let m = cap.len();
        Instance {
            capacity: Some(cap),
            ..Instance::bare(weights, costs, m)
        }
    }

    /// Every assignment (a site or none per demand point) using at most p sites.
    fn brute_force(inst: &Instance, p: usize, standard: f64) -> f64 {
        let n = inst.demand_ids.len();
        let m = inst.site_ids.len();
        let cap = inst.capacity.as_ref().unwrap();
        let mut best = 0.0f64;
        let mut to = vec![0usize; n]; // m means none
        loop {
            let mut load = vec![0.0; m];
            let mut ok = true;
            let mut served = 0.0;
            for i in 0..n {
                if to[i] < m {
                    if inst.costs[i]
                        .iter()
                        .any(|&(j, c)| j as usize == to[i] && c <= standard)
                    {
                        load[to[i]] += inst.weights[i];
                        served += inst.weights[i];
                    } else {
                        ok = false;
                    }
                }
            }
            let used = (0..m).filter(|&j| to.contains(&j)).count();
            if ok && used <= p && (0..m).all(|j| load[j] <= cap[j] + 1e-9) {
                best = best.max(served);
            }
            let mut k = 0;
            while k < n {
                to[k] += 1;
                if to[k] <= m {
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

    fn random(rng: &mut Rng) -> (Instance, usize) {
        let n = 3 + rng.below(5);
        let m = 2 + rng.below(3);
        let p = 1 + rng.below(m);
        let weights: Vec<f64> = (0..n).map(|_| 1.0 + rng.below(9) as f64).collect();
        let mut costs = Vec::new();
        for _ in 0..n {
            let mut row = Vec::new();
            for j in 0..m as u32 {
                if rng.below(10) < 8 {
                    row.push((j, rng.below(10) as f64));
                }
            }
            row.sort_by(|a: &(u32, f64), b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            costs.push(row);
        }
        let total: f64 = weights.iter().sum();
        let cap: Vec<f64> = (0..m)
            .map(|_| (total * rng.range(0.1, 0.6)).round())
            .collect();
        (instance(weights, costs, cap), p)
    }

    #[test]
    fn equals_brute_force_and_its_bound_holds() {
        let mut rng = Rng::new(11);
        let (mut below_mclp, mut branched) = (0, 0);
        for case in 0..150 {
            let (inst, p) = random(&mut rng);
            let standard = 5.0;
            let opt = brute_force(&inst, p, standard);
            let s = capacitated_mclp(&inst, p, standard, Limits::default()).unwrap();
            assert!(s.optimal);
            assert_eq!(s.objective, opt, "case {case}");
            let cap = inst.capacity.as_ref().unwrap();
            for (j, l) in s.loads.iter().enumerate() {
                assert!(*l <= cap[j] + 1e-9 && (*l == 0.0 || s.chosen.contains(&j)));
            }
            // The branch-and-bound beyond enumeration, from no incumbent, finds the same; its
            // root's knapsack bound is never below the optimum and often below the MCLP's.
            let el = eligible(&inst, standard);
            let total: f64 = inst.weights.iter().sum();
            let b = branch_and_bound(&inst, &el, cap, p, None, Limits::default());
            assert!(b.finished, "case {case}");
            assert!(
                (total - b.value - opt).abs() < 1e-9,
                "case {case}: branch-and-bound {} against {opt}",
                total - b.value
            );
            let (chosen, to) = b.best.unwrap();
            let mut load = vec![0.0; cap.len()];
            for (i, t) in to.iter().enumerate() {
                if let Some(j) = *t {
                    assert!(chosen.contains(&j) && el[i].iter().any(|x| x.0 as usize == j));
                    load[j] += inst.weights[i];
                }
            }
            assert!((0..cap.len()).all(|j| load[j] <= cap[j] + 1e-9) && chosen.len() <= p);
            let u = total - b.root_bound;
            assert!(
                u >= opt - 1e-6,
                "case {case}: bound {u} below optimum {opt}"
            );
            let plain = mclp(&inst, p, standard, Limits::default()).objective;
            if u < plain - 1e-6 {
                below_mclp += 1;
            }
            if b.nodes > 1 {
                branched += 1;
            }
        }
        assert!(
            below_mclp >= 20,
            "the knapsack bound beat the MCLP one {below_mclp} times"
        );
        assert!(branched >= 20, "branched on {branched} instances only");
    }
}
