//! The location-allocation models on an [`Instance`], with spopt's semantics.

use std::time::Instant;

use serde_json::{json, Value};

use super::core::{Core, Limits};
use super::Instance;
use crate::error::{Error, Result};
use crate::reach::sum;

/// A location-allocation model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Minimise weighted cost with exactly p sites.
    PMedian,
    /// Maximise weight covered within the standard with exactly p sites.
    Mclp,
    /// Fewest sites covering every demand within the standard.
    Lscp,
    /// LSCP's number of sites, most demands covered twice.
    LscpB,
    /// Minimise the largest cost with exactly p sites.
    PCenter,
    /// p-median with site capacities, each demand served whole by one site.
    CapacitatedPMedian,
}

impl Model {
    /// Every model with its command-line name.
    pub const ALL: [(Model, &'static str); 6] = [
        (Model::PMedian, "pmedian"),
        (Model::Mclp, "mclp"),
        (Model::Lscp, "lscp"),
        (Model::LscpB, "lscpb"),
        (Model::PCenter, "pcenter"),
        (Model::CapacitatedPMedian, "cpmedian"),
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        Model::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("listed")
    }

    /// Parses a command-line name.
    pub fn parse(text: &str) -> Option<Model> {
        Model::ALL
            .iter()
            .find(|(_, n)| *n == text.trim().to_ascii_lowercase())
            .map(|(m, _)| *m)
    }

    fn needs_p(self) -> bool {
        matches!(
            self,
            Model::PMedian | Model::Mclp | Model::PCenter | Model::CapacitatedPMedian
        )
    }

    fn needs_standard(self) -> bool {
        matches!(self, Model::Mclp | Model::Lscp | Model::LscpB)
    }
}

/// Options of a solve.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of sites (p-median, MCLP, p-center, capacitated p-median).
    pub p: Option<usize>,
    /// Service standard: the largest cost that counts as covered (MCLP, LSCP, LSCP-B).
    pub standard: Option<f64>,
    /// Time limit and gap tolerance.
    pub limits: Limits,
}

/// A solved model.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The model.
    pub model: Model,
    /// Chosen sites (instance indices), ascending.
    pub chosen: Vec<usize>,
    /// The objective in the model's sense (cost, covered weight, sites, worst cost...).
    pub objective: f64,
    /// The best bound on the objective: below it for minimisation, above for maximisation.
    pub bound: f64,
    /// |objective − bound| / |objective| (0 when optimal).
    pub gap: f64,
    /// Proven optimal.
    pub optimal: bool,
    /// How it was solved.
    pub method: &'static str,
    /// Per demand: the chosen site serving it (None: none in reach, or uncovered for MCLP).
    pub assignment: Vec<Option<usize>>,
    /// Per demand: its cost at that site.
    pub assigned_cost: Vec<Option<f64>>,
    /// Per site: weight assigned to it.
    pub loads: Vec<f64>,
    /// Seconds taken.
    pub seconds: f64,
    /// Branch-and-bound nodes (0 where not used).
    pub nodes: usize,
    /// Model-specific figures for the JSON output.
    pub figures: Vec<(&'static str, Value)>,
}

fn infeasible(message: String) -> Error {
    Error::Other(format!("infeasible: {message}"))
}

/// Solves a model on an instance.
pub fn solve(inst: &Instance, model: Model, options: &Options) -> Result<Solution> {
    let start = Instant::now();
    let m = inst.site_ids.len();
    let allowed = (0..m).filter(|&j| !inst.forbidden[j]).count();
    let fixed = inst.fixed.iter().filter(|&&f| f).count();
    if let Some(j) = (0..m).find(|&j| inst.fixed[j] && inst.forbidden[j]) {
        return Err(infeasible(format!(
            "site \"{}\" is both fixed and forbidden",
            inst.site_ids[j]
        )));
    }
    let p = if model.needs_p() {
        let p = options
            .p
            .ok_or_else(|| Error::Other(format!("--p is needed for {}", model.name())))?;
        if p == 0 {
            return Err(infeasible("p = 0: at least one site must be chosen".into()));
        }
        if p > allowed {
            return Err(infeasible(format!(
                "p = {p} but only {allowed} candidate sites may be chosen"
            )));
        }
        if p < fixed {
            return Err(infeasible(format!(
                "p = {p} but {fixed} sites are fixed (must be chosen)"
            )));
        }
        p
    } else {
        0
    };
    let standard = if model.needs_standard() {
        let s = options
            .standard
            .ok_or_else(|| Error::Other(format!("--standard is needed for {}", model.name())))?;
        if !(s >= 0.0 && s.is_finite()) {
            return Err(Error::Other(format!(
                "--standard must be a cost of zero or more, found {s}"
            )));
        }
        s
    } else {
        f64::INFINITY
    };
    let mut sol = match model {
        Model::PMedian => p_median(inst, p, options.limits)?,
        Model::Mclp => mclp(inst, p, standard, options.limits),
        Model::Lscp => lscp(inst, standard, options.limits)?,
        Model::LscpB => lscp_b(inst, standard, options.limits)?,
        Model::PCenter => p_center(inst, p, options.limits)?,
        Model::CapacitatedPMedian => capacitated(inst, p, options.limits)?,
    };
    sol.seconds = start.elapsed().as_secs_f64();
    Ok(sol)
}

/// Assigns each demand to its cheapest chosen site (optionally only within `standard`).
fn assign(
    inst: &Instance,
    chosen: &[usize],
    standard: f64,
) -> (Vec<Option<usize>>, Vec<Option<f64>>, Vec<f64>) {
    let mut open = vec![false; inst.site_ids.len()];
    for &j in chosen {
        open[j] = true;
    }
    let mut loads = vec![0.0; inst.site_ids.len()];
    let mut site = Vec::with_capacity(inst.costs.len());
    let mut cost = Vec::with_capacity(inst.costs.len());
    for (i, row) in inst.costs.iter().enumerate() {
        match row
            .iter()
            .find(|&&(j, c)| open[j as usize] && c <= standard)
        {
            Some(&(j, c)) => {
                loads[j as usize] += inst.weights[i];
                site.push(Some(j as usize));
                cost.push(Some(c));
            }
            None => {
                site.push(None);
                cost.push(None);
            }
        }
    }
    (site, cost, loads)
}

fn gap(objective: f64, bound: f64) -> f64 {
    if objective == bound {
        0.0
    } else {
        (objective - bound).abs() / objective.abs().max(f64::MIN_POSITIVE)
    }
}

fn solution(
    inst: &Instance,
    model: Model,
    chosen: Vec<usize>,
    standard: f64,
    (objective, bound, optimal): (f64, f64, bool),
    method: &'static str,
    nodes: usize,
) -> Solution {
    let (assignment, assigned_cost, loads) = assign(inst, &chosen, standard);
    Solution {
        model,
        chosen,
        objective,
        bound,
        gap: if optimal { 0.0 } else { gap(objective, bound) },
        optimal,
        method,
        assignment,
        assigned_cost,
        loads,
        seconds: 0.0,
        nodes,
        figures: Vec::new(),
    }
}

const BRANCH_AND_BOUND: &str =
    "Lagrangian relaxation with greedy, fast interchange and branch-and-bound";

/// Every demand point must be able to reach a site that may be chosen, within `standard`
/// (infinite: at any cost).
fn every_demand_reaches_a_site(inst: &Instance, standard: f64) -> Result<()> {
    for (i, row) in inst.costs.iter().enumerate() {
        if !row
            .iter()
            .any(|&(j, c)| c <= standard && !inst.forbidden[j as usize])
        {
            let id = &inst.demand_ids[i];
            return Err(infeasible(if standard.is_finite() {
                format!(
                    "demand point \"{id}\" has no candidate site within the standard ({standard})"
                )
            } else {
                format!("demand point \"{id}\" reaches no candidate site")
            }));
        }
    }
    Ok(())
}

fn p_median(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
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

/// The coverage engine: minimise uncovered weight with p sites; `weights` may be all ones.
fn coverage_core(inst: &Instance, weights: &[f64], p: usize, standard: f64) -> Core {
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

fn mclp(inst: &Instance, p: usize, standard: f64, limits: Limits) -> Solution {
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

/// Whether p sites can cover every demand within `standard`: Some(sites) if so, None if
/// proven not, Err(bound) if the limits stopped the search first.
fn covers_all(
    inst: &Instance,
    p: usize,
    standard: f64,
    limits: Limits,
) -> std::result::Result<Option<Vec<usize>>, ()> {
    let ones = vec![1.0; inst.demand_ids.len()];
    let out = coverage_core(inst, &ones, p, standard).solve(limits);
    if out.objective == 0.0 {
        Ok(Some(out.chosen))
    } else if out.optimal {
        Ok(None)
    } else {
        Err(())
    }
}

fn lscp(inst: &Instance, standard: f64, limits: Limits) -> Result<Solution> {
    every_demand_reaches_a_site(inst, standard)?;
    let (p, chosen, proven) = fewest_covering(inst, standard, limits)?;
    let mut s = solution(
        inst,
        Model::Lscp,
        chosen,
        standard,
        (p as f64, p as f64, proven),
        "the smallest p whose MCLP covers everyone (exact engine)",
        0,
    );
    s.figures.push(("standard", json!(standard)));
    Ok(s)
}

/// The fewest sites covering everyone: p from the fixed count upwards, each an exact MCLP.
fn fewest_covering(
    inst: &Instance,
    standard: f64,
    limits: Limits,
) -> Result<(usize, Vec<usize>, bool)> {
    let fixed = inst.fixed.iter().filter(|&&f| f).count().max(1);
    let allowed = inst.forbidden.iter().filter(|&&f| !f).count();
    let mut proven = true;
    for p in fixed..=allowed {
        match covers_all(inst, p, standard, limits) {
            Ok(Some(chosen)) => return Ok((p, chosen, proven)),
            Ok(None) => {}
            Err(()) => proven = false,
        }
    }
    Err(infeasible(
        "no set of sites covers every demand point".into(),
    ))
}

fn lscp_b(inst: &Instance, standard: f64, limits: Limits) -> Result<Solution> {
    every_demand_reaches_a_site(inst, standard)?;
    let (p, first, proven_p) = fewest_covering(inst, standard, limits)?;
    let m = inst.site_ids.len();
    // Per demand, the candidate sites within the standard.
    let within: Vec<Vec<usize>> = inst
        .costs
        .iter()
        .map(|row| {
            row.iter()
                .filter(|&&(_, c)| c <= standard)
                .map(|&(j, _)| j as usize)
                .collect()
        })
        .collect();
    // spopt's constraint for a demand with fewer than two candidates within the standard is
    // "covered once", and it counts as backed up for free.
    let free_backups = within.iter().filter(|w| w.len() < 2).count();
    let backups = |open: &[bool]| -> Option<usize> {
        let mut twice = 0;
        for w in &within {
            let k = w.iter().filter(|&&j| open[j]).count();
            if k == 0 {
                return None;
            }
            if k >= 2 {
                twice += 1;
            }
        }
        Some(twice)
    };
    let candidates: Vec<usize> = (0..m)
        .filter(|&j| !inst.forbidden[j] && !inst.fixed[j])
        .collect();
    let fixed: Vec<usize> = (0..m).filter(|&j| inst.fixed[j]).collect();
    let k = p - fixed.len();
    let mut best: (usize, Vec<bool>) = {
        let mut open = vec![false; m];
        for &j in &first {
            open[j] = true;
        }
        (backups(&open).expect("covers"), open)
    };
    let exhaustive = binomial(candidates.len(), k) <= 5_000_000;
    if exhaustive {
        let mut comb: Vec<usize> = (0..k).collect();
        loop {
            let mut open = vec![false; m];
            for &j in &fixed {
                open[j] = true;
            }
            for &c in &comb {
                open[candidates[c]] = true;
            }
            if let Some(b) = backups(&open) {
                if b > best.0 {
                    best = (b, open);
                }
            }
            if !next_combination(&mut comb, candidates.len()) {
                break;
            }
        }
    } else {
        // Swaps that keep everyone covered, while any improves.
        loop {
            let mut improved = false;
            'swap: for &out in &candidates {
                if !best.1[out] {
                    continue;
                }
                for &inn in &candidates {
                    if best.1[inn] {
                        continue;
                    }
                    let mut open = best.1.clone();
                    open[out] = false;
                    open[inn] = true;
                    if let Some(b) = backups(&open) {
                        if b > best.0 {
                            best = (b, open);
                            improved = true;
                            break 'swap;
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
    let chosen: Vec<usize> = (0..m).filter(|&j| best.1[j]).collect();
    let n = inst.demand_ids.len();
    let objective = (best.0 + free_backups) as f64;
    let optimal = exhaustive && proven_p;
    let mut s = solution(
        inst,
        Model::LscpB,
        chosen,
        standard,
        (
            objective,
            if optimal { objective } else { n as f64 },
            optimal,
        ),
        if exhaustive {
            "LSCP's p by the exact engine, then every set of p sites"
        } else {
            "LSCP's p by the exact engine, then swaps (a local optimum, no proof)"
        },
        0,
    );
    s.figures.push(("standard", json!(standard)));
    s.figures.push(("p", json!(p)));
    s.figures
        .push(("backup_clients_spopt", json!(best.0 + free_backups)));
    s.figures
        .push(("backup_percent_spopt", json!(objective / n as f64 * 100.0)));
    s.figures.push(("backup_clients_strict", json!(best.0)));
    s.figures.push((
        "backup_percent_strict",
        json!(best.0 as f64 / n as f64 * 100.0),
    ));
    s.figures.push((
        "clients_with_fewer_than_two_candidates",
        json!(free_backups),
    ));
    Ok(s)
}

fn p_center(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
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

fn binomial(n: usize, k: usize) -> u128 {
    let k = k.min(n.saturating_sub(k));
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * (n - i) as u128 / (i + 1) as u128;
        if r > u64::MAX as u128 {
            return r;
        }
    }
    r
}

/// The next k-combination of 0..n in lexicographic order; false after the last.
fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    for i in (0..k).rev() {
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// Sets of sites enumerated at most, for the capacitated p-median.
const CAPACITATED_SETS: u128 = 200_000;
/// Demand points at most, for the capacitated p-median's exact assignment.
const CAPACITATED_DEMAND: usize = 40;

fn capacitated(inst: &Instance, p: usize, limits: Limits) -> Result<Solution> {
    let Some(cap) = inst.capacity.clone() else {
        return Err(Error::Other(
            "the capacitated p-median needs a capacity for every candidate site".into(),
        ));
    };
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
fn assign_with_capacity(inst: &Instance, open: &[bool], cap: &[f64]) -> Option<(f64, Vec<usize>)> {
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
fn capacitated_search(inst: &Instance, p: usize, cap: &[f64], limits: Limits) -> Result<Solution> {
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
    let bound = relaxed.objective;
    let optimal = value <= bound + 1e-9 * bound.abs().max(1.0);
    let chosen: Vec<usize> = (0..m).filter(|&j| open[j]).collect();
    let mut s = solution(
        inst,
        Model::CapacitatedPMedian,
        chosen,
        f64::INFINITY,
        (value, bound, optimal),
        "uncapacitated optimum as the bound; regret assignment within capacities and site swaps (no proof unless the bound is met)",
        relaxed.nodes,
    );
    with_capacitated_assignment(&mut s, inst, &to, p);
    Ok(s)
}

/// Puts a capacitated assignment (site per demand point) into a solution: assignment, costs,
/// loads and the figures.
fn with_capacitated_assignment(s: &mut Solution, inst: &Instance, to: &[usize], p: usize) {
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
fn place(
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
