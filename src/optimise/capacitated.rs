//! The capacitated p-median: single-source assignment within site capacities; by
//! enumeration on small instances, else branch-and-bound on the knapsack Lagrangian
//! ([`super::knapsack_search`]) from the uncapacitated optimum's sites.

use std::time::Instant;

use serde_json::json;

use super::assignment::assign_with_capacity;
use super::combinations::{binomial, next_combination};
use super::core::Limits;
use super::knapsack_search::{self, Capacitated};
use super::pmedian::p_median;
use super::solution::{capacities, infeasible, solution, Model, Solution};
use super::Instance;
use crate::error::Result;
use crate::num::sum;

/// Sets of sites enumerated at most, for the capacitated p-median.
pub(super) const CAPACITATED_SETS: u128 = 200_000;
/// Demand points at most, for the capacitated p-median's exact assignment.
pub(super) const CAPACITATED_DEMAND: usize = 40;

pub(super) fn capacitated(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
    let cap = capacities(inst, Model::CapacitatedPMedian)?;
    let m = inst.site_ids.len();
    let candidates: Vec<usize> = (0..m)
        .filter(|&j| !inst.forbidden[j] && !inst.fixed[j])
        .collect();
    let fixed: Vec<usize> = (0..m).filter(|&j| inst.fixed[j]).collect();
    let k = p - fixed.len();
    if binomial(candidates.len(), k) > CAPACITATED_SETS
        || inst.demand_ids.len() > CAPACITATED_DEMAND
    {
        return capacitated_search(inst, p, &cap, limits);
    }
    let n = inst.demand_ids.len();
    let mut best: Option<(f64, Vec<usize>, Vec<usize>)> = None;
    let mut comb: Vec<usize> = (0..k).collect();
    loop {
        let mut set = fixed.clone();
        set.extend(comb.iter().map(|&c| candidates[c]));
        set.sort_unstable();
        let mut assign = vec![usize::MAX; n];
        let mut left: Vec<f64> = set.iter().map(|&j| cap[j]).collect();
        let mut found: Option<(f64, Vec<usize>)> = best.as_ref().map(|b| (b.0, Vec::new()));
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| inst.weights[b].total_cmp(&inst.weights[a]).then(a.cmp(&b)));
        place(
            inst,
            &set,
            &order,
            0,
            0.0,
            &mut left,
            &mut assign,
            &mut found,
        );
        if let Some((v, a)) = found {
            if !a.is_empty() && best.as_ref().is_none_or(|b| v < b.0) {
                best = Some((v, set.clone(), a));
            }
        }
        if k == 0 || !next_combination(&mut comb, candidates.len()) {
            break;
        }
    }
    let Some((value, chosen, assignment)) = best else {
        return Err(infeasible(format!(
            "no set of {p} sites can serve every demand point within the capacities"
        )));
    };
    let mut s = solution(
        inst,
        Model::CapacitatedPMedian,
        chosen,
        f64::INFINITY,
        (value, value, true),
        "every set of p sites, each with an exact single-source assignment",
        0,
    );
    with_capacitated_assignment(&mut s, inst, &assignment, p);
    Ok(s)
}

/// The capacitated p-median beyond enumeration: the uncapacitated optimum's sites, assigned
/// within capacities, are the first incumbent and its value a first bound (dropping capacities
/// can only lower the cost); then branch-and-bound on the knapsack Lagrangian
/// ([`super::knapsack_search`]) proves the optimum, or states the gap at the time limit.
pub(super) fn capacitated_search(
    inst: &Instance,
    p: usize,
    cap: &[f64],
    limits: Limits,
) -> Result<Solution> {
    let start = Instant::now();
    let quarter = Limits {
        seconds: limits.seconds / 4.0,
        ..limits
    };
    let relaxed = p_median(inst, p, quarter)?;
    let m = inst.site_ids.len();
    let mut open = vec![false; m];
    for &j in &relaxed.chosen {
        open[j] = true;
    }
    let best = assign_with_capacity(inst, &open, cap);
    // The search from the multipliers of the solution found (each point's weighted cost in
    // it), or of the dearest site of each point when there is none.
    let lambda: Vec<f64> = (0..inst.demand_ids.len())
        .map(|i| {
            let row = &inst.costs[i];
            let c = match &best {
                Some((_, to)) => row.iter().find(|x| x.0 as usize == to[i]).map(|x| x.1),
                None => None,
            };
            inst.weights[i] * c.unwrap_or_else(|| row.iter().map(|x| x.1).fold(0.0, f64::max))
        })
        .collect();
    let wrap = |to: Vec<usize>| to.into_iter().map(Some).collect();
    let incumbent = best.map(|(v, to)| (v, (0..m).filter(|&j| open[j]).collect(), wrap(to)));
    let left = Limits {
        seconds: (limits.seconds - start.elapsed().as_secs_f64()).max(0.0),
        ..limits
    };
    let assign = |open: &[bool]| assign_with_capacity(inst, open, cap).map(|(v, to)| (v, wrap(to)));
    let problem = Capacitated {
        inst,
        pairs: &inst.costs,
        unserved: None,
        cap,
        p,
        assign: &assign,
    };
    let found = knapsack_search::search(&problem, incumbent, lambda, left, Instant::now());
    let Some((chosen, to)) = found.best else {
        return Err(infeasible(if found.finished {
            format!("no set of {p} sites can serve every demand point within the capacities")
        } else {
            format!(
                "no set of {p} sites found that serves every demand point within the \
                 capacities (the search stopped at its time limit)"
            )
        }));
    };
    let value = found.value;
    let bound = relaxed.objective.max(found.bound).min(value);
    let optimal = found.finished || value <= bound + 1e-9 * bound.abs().max(1.0);
    let mut s = solution(
        inst,
        Model::CapacitatedPMedian,
        chosen,
        f64::INFINITY,
        (value, if optimal { value } else { bound }, optimal),
        "the uncapacitated optimum's sites assigned within capacities; best-first branch-and-bound on the knapsack Lagrangian (sites, then assignments)",
        relaxed.nodes + found.nodes,
    );
    let to: Vec<usize> = (to.iter())
        .map(|t| t.expect("every point served"))
        .collect();
    with_capacitated_assignment(&mut s, inst, &to, p);
    s.figures
        .push(("uncapacitated_bound", json!(relaxed.objective)));
    s.figures.push(("knapsack_bound", json!(found.root_bound)));
    Ok(s)
}

/// Puts a capacitated assignment (site per demand point) into a solution: assignment, costs,
/// loads and the figures.
pub(super) fn with_capacitated_assignment(
    s: &mut Solution,
    inst: &Instance,
    to: &[usize],
    p: usize,
) {
    s.loads = vec![0.0; inst.site_ids.len()];
    for (i, &j) in to.iter().enumerate() {
        s.assignment[i] = Some(j);
        s.assigned_cost[i] = inst.costs[i]
            .iter()
            .find(|x| x.0 as usize == j)
            .map(|x| x.1);
        s.loads[j] += inst.weights[i];
    }
    let weight = sum(inst.weights.iter().copied());
    s.figures.push(("p", json!(p)));
    s.figures.push(("mean_cost", json!(s.objective / weight)));
}

/// Depth-first single-source assignment of `order[pos..]` to `set` within capacities,
/// keeping the cheapest complete assignment in `found`.
#[allow(clippy::too_many_arguments)]
pub(super) fn place(
    inst: &Instance,
    set: &[usize],
    order: &[usize],
    pos: usize,
    cost: f64,
    left: &mut [f64],
    assign: &mut [usize],
    found: &mut Option<(f64, Vec<usize>)>,
) {
    if found.as_ref().is_some_and(|f| cost >= f.0) {
        return;
    }
    if pos == order.len() {
        *found = Some((cost, assign.to_vec()));
        return;
    }
    let i = order[pos];
    let a = inst.weights[i];
    for &(j, c) in &inst.costs[i] {
        let j = j as usize;
        let Some(slot) = set.iter().position(|&s| s == j) else {
            continue;
        };
        if left[slot] + 1e-9 < a {
            continue;
        }
        left[slot] -= a;
        assign[i] = j;
        place(inst, set, order, pos + 1, cost + a * c, left, assign, found);
        left[slot] += a;
    }
}
