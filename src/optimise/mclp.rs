//! MCLP: the p sites covering the most weight within the standard, on the exact engine.

use serde_json::json;

use super::core::{Core, Limits};
use super::solution::{gap, solution, Model, Solution, BRANCH_AND_BOUND};
use super::Instance;
use crate::num::sum;

/// The coverage engine: minimise uncovered weight with p sites; `weights` may be all ones.
pub(super) fn coverage_core(inst: &Instance, weights: &[f64], p: usize, standard: f64) -> Core {
    Core {
        rows: inst
            .costs
            .iter()
            .map(|row| {
                let mut r: Vec<(u32, f64)> = row
                    .iter()
                    .filter(|&&(_, c)| c <= standard)
                    .map(|&(j, _)| (j, 0.0))
                    .collect();
                r.sort_by_key(|&(j, _)| j);
                r
            })
            .collect(),
        fallback: weights.to_vec(),
        sites: inst.site_ids.len(),
        fixed: inst.fixed.clone(),
        forbidden: inst.forbidden.clone(),
        p,
        heuristics: true,
    }
}

pub(super) fn mclp(inst: &Instance, p: usize, standard: f64, limits: Limits) -> Solution {
    let core = coverage_core(inst, &inst.weights, p, standard);
    let out = core.solve(limits);
    let total = sum(inst.weights.iter().copied());
    let mut s = solution(
        inst,
        Model::Mclp,
        out.chosen.clone(),
        standard,
        (0.0, 0.0, out.optimal),
        BRANCH_AND_BOUND,
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
    s
}
