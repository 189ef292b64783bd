//! p-median: the p sites minimising weighted cost, on the exact engine with each demand
//! point's k nearest sites.

use serde_json::json;

use super::core::{Core, Limits};
use super::solution::{
    assign, every_demand_reaches_a_site, gap, infeasible, solution, Model, Solution,
    BRANCH_AND_BOUND,
};
use super::Instance;
use crate::error::Result;
use crate::num::sum;

pub(super) fn p_median(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
    every_demand_reaches_a_site(inst, f64::INFINITY)?;
    // Falling back costs more than any solution where every demand is served.
    let total: f64 = inst
        .weights
        .iter()
        .zip(&inst.costs)
        .map(|(a, row)| a * row.last().map(|x| x.1).unwrap_or(0.0))
        .sum();
    let big = 2.0 * total + 1.0;
    // Each demand point's allowed sites, nearest first.
    let allowed: Vec<Vec<(u32, f64)>> = inst
        .costs
        .iter()
        .map(|row| {
            row.iter()
                .copied()
                .filter(|&(j, _)| !inst.forbidden[j as usize])
                .collect()
        })
        .collect();
    // k nearest (Church 2018): each demand point keeps its k nearest allowed sites and falls
    // back to the cost of the next one, a lower bound on going further. The restricted optimum
    // is a lower bound for the whole problem, and is its optimum when no demand falls back;
    // where some do, their k doubles and the search runs again.
    let m = inst.site_ids.len();
    let mut k: Vec<usize> = allowed
        .iter()
        .map(|row| row.len().min((3 * m / p).max(20)))
        .collect();
    let start = std::time::Instant::now();
    let mut nodes = 0;
    let mut iterations = 0;
    let out = loop {
        let core = Core {
            rows: allowed
                .iter()
                .zip(&inst.weights)
                .zip(&k)
                .map(|((row, a), &k)| row[..k].iter().map(|&(j, c)| (j, a * c)).collect())
                .collect(),
            fallback: allowed
                .iter()
                .zip(&inst.weights)
                .zip(&k)
                .map(|((row, a), &k)| row.get(k).map(|x| a * x.1).unwrap_or(big))
                .collect(),
            sites: m,
            fixed: inst.fixed.clone(),
            forbidden: inst.forbidden.clone(),
            p,
            heuristics: true,
        };
        let left = Limits {
            seconds: (limits.seconds - start.elapsed().as_secs_f64()).max(0.0),
            ..limits
        };
        let out = core.solve(left);
        nodes += out.nodes;
        iterations += out.iterations;
        let mut open = vec![false; m];
        for &j in &out.chosen {
            open[j] = true;
        }
        let mut grown = false;
        for (i, row) in allowed.iter().enumerate() {
            if k[i] < row.len() && !row[..k[i]].iter().any(|&(j, _)| open[j as usize]) {
                k[i] = (2 * k[i]).min(row.len());
                grown = true;
            }
        }
        if !grown || !out.optimal {
            break out;
        }
    };
    let (assignment, _, _) = assign(inst, &out.chosen, f64::INFINITY);
    if assignment.iter().any(Option::is_none) {
        return Err(infeasible(format!(
            "no set of {p} sites reaches every demand point (the cost table leaves some pairs out)"
        )));
    }
    let chosen = out.chosen.clone();
    let mut s = solution(
        inst,
        Model::PMedian,
        chosen,
        f64::INFINITY,
        (0.0, 0.0, out.optimal),
        BRANCH_AND_BOUND,
        nodes,
    );
    // The objective summed afresh from the assignment (compensated, in demand order).
    s.objective = sum(s
        .assigned_cost
        .iter()
        .zip(&inst.weights)
        .map(|(c, a)| a * c.expect("assigned")));
    s.bound = if out.optimal {
        s.objective
    } else {
        out.bound.min(s.objective)
    };
    s.gap = if out.optimal {
        0.0
    } else {
        gap(s.objective, s.bound)
    };
    let weight = sum(inst.weights.iter().copied());
    s.figures.push(("p", json!(p)));
    s.figures.push(("mean_cost", json!(s.objective / weight)));
    s.figures.push(("total_weight", json!(weight)));
    s.figures.push(("iterations", json!(iterations)));
    s.figures
        .push(("nearest_sites_kept_at_most", json!(k.iter().max())));
    Ok(s)
}
