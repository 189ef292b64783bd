//! The models' shared ground: which model, its options, the solution, the assignment of
//! demand to chosen sites, and the checks every model makes.

use std::str::FromStr;

use serde_json::Value;

use super::core::Limits;
use super::Instance;
use crate::error::{Error, Result};

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
    /// MCLP with site capacities: the most weight served whole within the standard and the
    /// capacities.
    CapacitatedMclp,
}

impl Model {
    /// Every model with its command-line name.
    pub const ALL: [(Model, &'static str); 7] = [
        (Model::PMedian, "pmedian"),
        (Model::Mclp, "mclp"),
        (Model::Lscp, "lscp"),
        (Model::LscpB, "lscpb"),
        (Model::PCenter, "pcenter"),
        (Model::CapacitatedPMedian, "cpmedian"),
        (Model::CapacitatedMclp, "cmclp"),
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

    pub(super) fn needs_p(self) -> bool {
        matches!(
            self,
            Model::PMedian
                | Model::Mclp
                | Model::PCenter
                | Model::CapacitatedPMedian
                | Model::CapacitatedMclp
        )
    }

    pub(super) fn needs_standard(self) -> bool {
        matches!(
            self,
            Model::Mclp | Model::Lscp | Model::LscpB | Model::CapacitatedMclp
        )
    }
}

impl FromStr for Model {
    type Err = String;

    /// Parses a command-line name (any case).
    fn from_str(text: &str) -> std::result::Result<Model, String> {
        Model::parse(text).ok_or_else(|| {
            format!(
                "expected pmedian, mclp, lscp, lscpb, pcenter, cpmedian or cmclp, found \"{text}\""
            )
        })
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

pub(super) fn infeasible(message: String) -> Error {
    Error::Infeasible(message)
}

/// Assigns each demand to its cheapest chosen site (optionally only within `standard`).
pub(super) fn assign(
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

pub(super) fn gap(objective: f64, bound: f64) -> f64 {
    if objective == bound {
        0.0
    } else {
        (objective - bound).abs() / objective.abs().max(f64::MIN_POSITIVE)
    }
}

pub(super) fn solution(
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

pub(super) const BRANCH_AND_BOUND: &str =
    "Lagrangian relaxation with greedy, fast interchange and branch-and-bound";

/// Every demand point must be able to reach a site that may be chosen, within `standard`
/// (infinite: at any cost).
pub(super) fn every_demand_reaches_a_site(inst: &Instance, standard: f64) -> Result<()> {
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

/// The site capacities a capacitated model needs, or an error saying how to give them.
pub(super) fn capacities(inst: &Instance, model: Model) -> Result<Vec<f64>> {
    inst.capacity.clone().ok_or_else(|| {
        Error::Usage(format!(
            "{} needs a capacity for every candidate site, and some have none: on a study, \
             give every site a capacity or choose candidates that have one with --kind or \
             --service (street furniture such as bus stops has none)",
            model.name()
        ))
    })
}
