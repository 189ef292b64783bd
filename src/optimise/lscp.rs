//! LSCP (fewest sites covering everyone within the standard) and LSCP-B (with that many
//! sites, the most demand points covered twice).

use serde_json::json;

use super::combinations::{binomial, next_combination};
use super::core::Limits;
use super::mclp::{coverage, solve_coverage};
use super::solution::{every_demand_reaches_a_site, infeasible, solution, Model, Solution};
use super::Instance;
use crate::error::Result;

/// Whether p sites can cover every demand within `standard`: Some(sites) if so, None if
/// proven not, Err(bound) if the limits stopped the search first.
pub(super) fn covers_all(
    inst: &Instance,
    p: usize,
    standard: f64,
    limits: Limits,
) -> std::result::Result<Option<Vec<usize>>, ()> {
    let ones = vec![1.0; inst.demand_ids.len()];
    let (out, _, _) = solve_coverage(&coverage(inst, &ones, p, standard), limits);
    if out.objective == 0.0 {
        Ok(Some(out.chosen))
    } else if out.optimal {
        Ok(None)
    } else {
        Err(())
    }
}

pub(super) fn lscp(inst: &Instance, standard: f64, limits: Limits) -> Result<Solution> {
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
pub(super) fn fewest_covering(
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

pub(super) fn lscp_b(inst: &Instance, standard: f64, limits: Limits) -> Result<Solution> {
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
