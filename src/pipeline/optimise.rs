//! `frontdoor optimise`: location-allocation on a study's travel times, or on a user's cost
//! and demand tables.

use std::path::{Path, PathBuf};

use super::{finish, measure, stage, RunOptions};
use crate::error::{Error, Problem, Result};
use crate::mode::Mode;
use crate::optimise::{self, instance, Instance, Model, Solution};
use crate::render;
use crate::timing::Timings;

/// What `frontdoor optimise` is asked.
#[derive(Debug, Clone)]
pub struct OptimiseRequest {
    /// The model.
    pub model: Model,
    /// p, standard and limits.
    pub options: optimise::Options,
    /// Travel mode (study runs; default the study's first).
    pub mode: Option<Mode>,
    /// Only sites of this kind are candidates.
    pub kind: Option<String>,
    /// Only sites offering this service are candidates.
    pub service: Option<String>,
    /// Demand weight: population, face_to_face or a profile column (study runs).
    pub weight: String,
    /// Site ids that may not be chosen.
    pub forbid: Vec<String>,
}

/// What an optimiser run produced.
pub struct OptimiseOutcome {
    /// The output folder.
    pub out: PathBuf,
    /// The instance solved.
    pub instance: Instance,
    /// The solution.
    pub solution: Solution,
    /// Files written.
    pub files: Vec<String>,
}

/// Runs a model on a study's travel times and writes `optimise-<model>.csv`, `.json`, a map
/// (`.png`, `.svg`) and run.json into `out`.
pub fn run_optimise(
    study_path: &Path,
    req: &OptimiseRequest,
    out: &Path,
    options: &RunOptions,
) -> Result<OptimiseOutcome> {
    let mut timings = Timings::default();
    let (m, later) = measure(study_path, options, &mut timings)?;
    let study = &m.study;
    let mode = match req.mode {
        None => 0,
        Some(md) => study
            .mode_ix(md)
            .map(|i| i.ix())
            .ok_or_else(|| Error::Usage(format!("{md} is not one of the study's travel modes")))?,
    };
    if let Some(k) = &req.kind {
        if !study.kinds.contains(k) {
            return Err(Error::Usage(format!(
                "no site has the kind \"{k}\"; the kinds are: {}",
                study.kinds.join(", ")
            )));
        }
    }
    let weight = instance::Weight::parse(study, &req.weight)
        .map_err(|e| Error::Usage(format!("--weight: {e}")))?;
    let keep = |j: usize| {
        let s = &study.sites[j];
        req.kind.as_ref().is_none_or(|k| &s.kind == k)
            && req
                .service
                .as_ref()
                .is_none_or(|v| s.offers().contains(&v.as_str()))
    };
    let inst = instance::from_study(
        study,
        &m.reach,
        m.network.as_ref(),
        mode,
        &weight,
        &keep,
        &req.forbid,
    )?;
    let solution = stage(&mut timings, "optimise", "optimising", || {
        optimise::solve(&inst, req.model, &req.options)
    })?;
    let mut dir = super::outputs(out, &m.study.input_paths(), later.formats)?;
    timings.time("render", || {
        render::write::optimise_on_study(&m, req_context(req), mode, &inst, &solution, &mut dir)
    })?;
    let (out, files) = finish(&m, &later.rules, dir, &timings, false)?;
    Ok(OptimiseOutcome {
        out,
        instance: inst,
        solution,
        files,
    })
}

/// The request's choices as written in `optimise-<model>.json`.
fn req_context(req: &OptimiseRequest) -> render::write::OptimiseChoices<'_> {
    render::write::OptimiseChoices {
        weight: &req.weight,
        kind: req.kind.as_deref(),
        service: req.service.as_deref(),
    }
}

/// Runs a model on a user's cost and demand tables and writes `optimise-<model>.csv` and
/// `.json` into `out`.
pub fn run_optimise_tables(
    costs: &Path,
    demand: &Path,
    columns: &instance::TableColumns,
    req: &OptimiseRequest,
    out: &Path,
) -> Result<OptimiseOutcome> {
    let mut inst = instance::from_tables(costs, demand, columns)?;
    let mut problems = Vec::new();
    for id in &req.forbid {
        match inst.site_ids.iter().position(|s| s == id) {
            Some(j) => inst.forbidden[j] = true,
            None => problems.push(Problem::field(
                costs,
                "--forbid",
                format!("\"{id}\" is not a site of the cost table"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let spinner = crate::progress::spinner("optimising");
    let solution = optimise::solve(&inst, req.model, &req.options);
    spinner.finish_and_clear();
    let solution = solution?;
    let mut dir = super::outputs(
        out,
        &[costs.to_path_buf(), demand.to_path_buf()],
        render::Formats::default(),
    )?;
    let context = [
        ("costs", serde_json::json!(costs.display().to_string())),
        ("demand", serde_json::json!(demand.display().to_string())),
    ];
    render::write::optimise_tables(&mut dir, &inst, &solution, &context)?;
    let files = dir.files().to_vec();
    let out = dir.into_dir().commit()?;
    Ok(OptimiseOutcome {
        out,
        instance: inst,
        solution,
        files,
    })
}
