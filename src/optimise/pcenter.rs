//! p-center: the p sites minimising the largest cost, by binary search over costs, each
//! radius an exact covering question.

use serde_json::json;

use super::core::Limits;
use super::lscp::covers_all;
use super::solution::{every_demand_reaches_a_site, gap, infeasible, solution, Model, Solution};
use super::Instance;
use crate::error::Result;

pub(super) fn p_center(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
    every_demand_reaches_a_site(inst, f64::INFINITY)?;
    // The answer is one of the costs: at least every demand's cheapest allowed site.
    let floor = inst
        .costs
        .iter()
        .map(|row| {
            row.iter()
                .find(|&&(j, _)| !inst.forbidden[j as usize])
                .map(|x| x.1)
                .unwrap_or(f64::INFINITY)
        })
        .fold(0.0, f64::max);
    let mut values: Vec<f64> = inst
        .costs
        .iter()
        .flatten()
        .map(|&(_, c)| c)
        .filter(|&c| c >= floor)
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    // Binary search for the smallest feasible radius.
    let (mut lo, mut hi) = (0usize, values.len() - 1);
    let mut proven = true;
    let mut best = match covers_all(inst, p, values[hi], limits) {
        Ok(Some(c)) => c,
        _ => {
            return Err(infeasible(format!(
                "no set of {p} sites reaches every demand point"
            )))
        }
    };
    let mut infeasible_below: Option<f64> = None;
    while lo < hi {
        let mid = (lo + hi) / 2;
        match covers_all(inst, p, values[mid], limits) {
            Ok(Some(c)) => {
                hi = mid;
                best = c;
            }
            Ok(None) => {
                lo = mid + 1;
                infeasible_below = Some(values[mid]);
            }
            Err(()) => {
                proven = false;
                lo = mid + 1;
            }
        }
    }
    let mut s = solution(
        inst,
        Model::PCenter,
        best,
        f64::INFINITY,
        (0.0, 0.0, proven),
        "binary search over the costs, each radius an exact covering question",
        0,
    );
    s.objective = s
        .assigned_cost
        .iter()
        .map(|c| c.expect("assigned"))
        .fold(0.0, f64::max);
    s.bound = if proven {
        s.objective
    } else {
        infeasible_below.unwrap_or(floor)
    };
    s.gap = if proven {
        0.0
    } else {
        gap(s.objective, s.bound)
    };
    s.figures.push(("p", json!(p)));
    Ok(s)
}
