//! Solving a model: the checks of p and the standard, then the model's own solver.

use std::time::Instant;

use super::capacitated::capacitated;
use super::cmclp::capacitated_mclp;
use super::lscp::{lscp, lscp_b};
use super::mclp::mclp;
use super::pcenter::p_center;
use super::pmedian::p_median;
use super::solution::{infeasible, Model, Options, Solution};
use super::Instance;
use crate::error::{Error, Result};

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
            .ok_or_else(|| Error::Usage(format!("--p is needed for {}", model.name())))?;
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
            .ok_or_else(|| Error::Usage(format!("--standard is needed for {}", model.name())))?;
        if !(s >= 0.0 && s.is_finite()) {
            return Err(Error::Usage(format!(
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
        Model::CapacitatedMclp => capacitated_mclp(inst, p, standard, options.limits)?,
    };
    sol.seconds = start.elapsed().as_secs_f64();
    Ok(sol)
}
