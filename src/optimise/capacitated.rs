//! The capacitated p-median: single-source assignment within site capacities; by
//! enumeration on small instances, else a regret assignment with site swaps and the knapsack
//! Lagrangian bound ([`super::knapsack_bound`]).

use std::time::Instant;

use serde_json::json;

use super::combinations::{binomial, next_combination};
use super::core::Limits;
use super::knapsack_bound::knapsack_bound;
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

/// Single-source assignment of every demand point to the open sites within capacities, by
/// regret (the demand points that lose most by missing their cheapest site go first), then
/// moves of single demand points to cheaper sites with room. None if some point finds no room.
pub(super) fn assign_with_capacity(
    inst: &Instance,
    open: &[bool],
    cap: &[f64],
) -> Option<(f64, Vec<usize>)> {
    let n = inst.demand_ids.len();
    let options: Vec<Vec<(u32, f64)>> = inst
        .costs
        .iter()
        .map(|row| {
            row.iter()
                .copied()
                .filter(|&(j, _)| open[j as usize])
                .collect()
        })
        .collect();
    let mut order: Vec<(f64, usize)> = (0..n)
        .map(|i| {
            let o = &options[i];
            let regret = match (o.first(), o.get(1)) {
                (Some(a), Some(b)) => (b.1 - a.1) * inst.weights[i],
                (Some(_), None) => f64::INFINITY,
                _ => f64::INFINITY,
            };
            (regret, i)
        })
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = cap.to_vec();
    let mut to = vec![usize::MAX; n];
    for &(_, i) in &order {
        let a = inst.weights[i];
        let &(j, _) = options[i]
            .iter()
            .find(|&&(j, _)| left[j as usize] + 1e-9 >= a)?;
        left[j as usize] -= a;
        to[i] = j as usize;
    }
    // Moves to cheaper sites with room, until none helps.
    loop {
        let mut moved = false;
        for i in 0..n {
            let a = inst.weights[i];
            let here = options[i]
                .iter()
                .find(|x| x.0 as usize == to[i])
                .expect("assigned")
                .1;
            if let Some(&(j, _)) = options[i]
                .iter()
                .take_while(|&&(_, c)| c < here)
                .find(|&&(j, _)| left[j as usize] + 1e-9 >= a)
            {
                left[to[i]] += a;
                left[j as usize] -= a;
                to[i] = j as usize;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let cost = sum((0..n).map(|i| {
        inst.weights[i]
            * options[i]
                .iter()
                .find(|x| x.0 as usize == to[i])
                .expect("assigned")
                .1
    }));
    Some((cost, to))
}

/// The capacitated p-median beyond enumeration: the uncapacitated optimum is a lower bound
/// (dropping capacities can only lower the cost); its sites, assigned within capacities by
/// regret, start a swap search over sites (first improvement), each set assigned the same way.
/// The answer is optimal when it meets the bound; otherwise the gap is stated.
pub(super) fn capacitated_search(
    inst: &Instance,
    p: usize,
    cap: &[f64],
    limits: Limits,
) -> Result<Solution> {
    let start = Instant::now();
    let relaxed = p_median(inst, p, limits)?;
    let m = inst.site_ids.len();
    let mut open = vec![false; m];
    for &j in &relaxed.chosen {
        open[j] = true;
    }
    let mut best = assign_with_capacity(inst, &open, cap);
    // Swaps: a chosen (not fixed) site out, an allowed one in, while any improves.
    'improve: loop {
        for out in 0..m {
            if !open[out] || inst.fixed[out] {
                continue;
            }
            for inn in 0..m {
                if open[inn] || inst.forbidden[inn] {
                    continue;
                }
                if start.elapsed().as_secs_f64() > limits.seconds {
                    break 'improve;
                }
                open[out] = false;
                open[inn] = true;
                let trial = assign_with_capacity(inst, &open, cap);
                let better = match (&trial, &best) {
                    (Some(t), Some(b)) => t.0 < b.0 - 1e-9 * b.0.abs().max(1.0),
                    (Some(_), None) => true,
                    _ => false,
                };
                if better {
                    best = trial;
                    continue 'improve;
                }
                open[inn] = false;
                open[out] = true;
            }
        }
        break;
    }
    let Some((value, to)) = best else {
        return Err(infeasible(format!(
            "no set of {p} sites found that serves every demand point within the capacities"
        )));
    };
    // The knapsack Lagrangian from the multipliers of the solution found.
    let start_lambda: Vec<f64> = to
        .iter()
        .enumerate()
        .map(|(i, &j)| {
            let c = inst.costs[i]
                .iter()
                .find(|x| x.0 as usize == j)
                .expect("assigned")
                .1;
            inst.weights[i] * c
        })
        .collect();
    let knapsack = knapsack_bound(inst, p, cap, start_lambda, value);
    let bound = relaxed.objective.max(knapsack).min(value);
    let optimal = value <= bound + 1e-9 * bound.abs().max(1.0);
    let chosen: Vec<usize> = (0..m).filter(|&j| open[j]).collect();
    let mut s = solution(
        inst,
        Model::CapacitatedPMedian,
        chosen,
        f64::INFINITY,
        (value, bound, optimal),
        "knapsack Lagrangian bound (or the uncapacitated optimum, if higher); regret assignment within capacities and site swaps (no proof unless the bound is met)",
        relaxed.nodes,
    );
    with_capacitated_assignment(&mut s, inst, &to, p);
    s.figures
        .push(("uncapacitated_bound", json!(relaxed.objective)));
    s.figures.push(("knapsack_bound", json!(knapsack)));
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
