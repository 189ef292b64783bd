//! MCLP: the p sites covering the most weight within the standard, on the exact engine.

use std::time::Instant;

use serde_json::json;

use super::core::{Core, Limits, Outcome};
use super::cover_lp;
use super::presolve::{presolve, Coverage, Stats};
use super::solution::{gap, solution, Model, Solution, BRANCH_AND_BOUND};
use super::Instance;
use crate::num::sum;

/// The coverage problem: with p sites, the least weight left uncovered within the standard;
/// `weights` may be all ones.
pub(super) fn coverage(inst: &Instance, weights: &[f64], p: usize, standard: f64) -> Coverage {
    Coverage {
        rows: inst
            .costs
            .iter()
            .map(|row| {
                let mut r: Vec<u32> = row
                    .iter()
                    .filter(|&&(_, c)| c <= standard)
                    .map(|&(j, _)| j)
                    .collect();
                r.sort_unstable();
                r
            })
            .collect(),
        weights: weights.to_vec(),
        sites: inst.site_ids.len(),
        fixed: inst.fixed.clone(),
        forbidden: inst.forbidden.clone(),
        p,
    }
}

/// Solves a coverage problem on the exact engine after presolve: the chosen sites are the
/// original's, the objective and bounds its uncovered weight.
pub(super) fn solve_coverage(c: &Coverage, limits: Limits) -> (Outcome, Stats, &'static str) {
    let r = presolve(c);
    let q = &r.problem;
    let core = Core {
        rows: q
            .rows
            .iter()
            .map(|row| row.iter().map(|&j| (j, 0.0)).collect())
            .collect(),
        fallback: q.weights.clone(),
        sites: q.sites,
        fixed: q.fixed.clone(),
        forbidden: q.forbidden.clone(),
        p: q.p,
        heuristics: true,
    };
    let mut method = BRANCH_AND_BOUND;
    let mut out = if q.p == 0 || q.rows.is_empty() {
        // Nothing left to decide: any sites will do, the first ones; with none to choose,
        // what is left is uncovered.
        let left = if q.p == 0 {
            sum(q.weights.iter().copied())
        } else {
            0.0
        };
        Outcome {
            chosen: (0..q.p).collect(),
            objective: left,
            bound: left,
            root_bound: left,
            optimal: true,
            nodes: 0,
            iterations: 0,
        }
    } else if cover_lp::fits(q) {
        match lp_solve(&core, q, limits) {
            Some(out) => {
                method = LP_BRANCH_AND_BOUND;
                out
            }
            None => core.solve(limits),
        }
    } else {
        core.solve(limits)
    };
    let mut chosen: Vec<usize> = out.chosen.iter().map(|&k| r.site_of[k]).collect();
    chosen.extend(&r.chosen);
    chosen.sort_unstable();
    out.chosen = chosen;
    out.objective += r.uncovered;
    out.bound += r.uncovered;
    out.root_bound += r.uncovered;
    (out, r.stats, method)
}

/// What the LP search says it did.
const LP_BRANCH_AND_BOUND: &str = "greedy and fast interchange; branch-and-bound on the exact LP (microlp), split on demand points";

/// The LP branch-and-bound from the heuristics' incumbent; None where the LP cannot be solved.
fn lp_solve(core: &Core, q: &Coverage, limits: Limits) -> Option<Outcome> {
    let start = Instant::now();
    let incumbent = core.incumbent();
    let s = cover_lp::search(q, incumbent, limits, start)?;
    Some(Outcome {
        chosen: s.chosen,
        objective: s.objective,
        bound: s.bound.min(s.objective),
        root_bound: s.root_bound,
        optimal: s.finished,
        nodes: s.nodes,
        iterations: 0,
    })
}

pub(super) fn mclp(inst: &Instance, p: usize, standard: f64, limits: Limits) -> Solution {
    let (out, stats, method) = solve_coverage(&coverage(inst, &inst.weights, p, standard), limits);
    let total = sum(inst.weights.iter().copied());
    let mut s = solution(
        inst,
        Model::Mclp,
        out.chosen.clone(),
        standard,
        (0.0, 0.0, out.optimal),
        method,
        out.nodes,
    );
    let uncovered_clients = s.assignment.iter().filter(|a| a.is_none()).count();
    s.objective = sum(s
        .assignment
        .iter()
        .zip(&inst.weights)
        .filter(|(a, _)| a.is_some())
        .map(|(_, w)| *w));
    s.bound = if out.optimal {
        s.objective
    } else {
        (total - out.bound).max(s.objective)
    };
    s.gap = if out.optimal {
        0.0
    } else {
        gap(s.objective, s.bound)
    };
    let n = inst.demand_ids.len();
    s.figures.push(("p", json!(p)));
    s.figures.push(("standard", json!(standard)));
    s.figures.push(("covered_weight", json!(s.objective)));
    s.figures.push(("total_weight", json!(total)));
    s.figures.push((
        "percent_weight_covered",
        json!(100.0 * s.objective / total.max(f64::MIN_POSITIVE)),
    ));
    s.figures
        .push(("uncovered_clients", json!(uncovered_clients)));
    // spopt's perc_cov: clients, not weight.
    s.figures.push((
        "percent_clients_covered",
        json!((1.0 - uncovered_clients as f64 / n as f64) * 100.0),
    ));
    s.figures.push(("iterations", json!(out.iterations)));
    s.figures
        .push(("root_bound", json!(total - out.root_bound)));
    s.figures
        .push(("presolve_merged_demand", json!(stats.merged_demand)));
    s.figures
        .push(("presolve_dominated_sites", json!(stats.dominated_sites)));
    s
}
