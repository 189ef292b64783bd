//! `frontdoor scenario`: what-if scenarios evaluated against the baseline; and the scenario
//! stage of `frontdoor run`.

use std::path::{Path, PathBuf};

use super::{finish, measure_with, RunOptions, RunOutcome, TimesFrom};
use crate::error::{Error, Problem, Result};
use crate::measured::Measured;
use crate::model::{InputFile, Study};
use crate::progress;
use crate::render;
use crate::scenario::{self, BaselineCache, Evaluation, Scenario};
use crate::timing::Timings;

/// What `run_scenarios` produced.
pub struct ScenarioOutcome {
    /// The run: folder, study, reach, files.
    pub run: RunOutcome,
    /// Each scenario evaluated, in the order given.
    pub evaluations: Vec<Evaluation>,
}

/// Loads a study, evaluates each scenario file against its baseline, and writes per scenario
/// `scenario-<name>.csv`, `scenario-<name>-sites.csv`, `scenario-<name>.geojson` and
/// `scenario-<name>.png`/`.svg`, with `scenarios.csv` (one line each) and run.json, into `out`.
/// Every scenario is checked before any is evaluated; nothing is written unless all succeed.
pub fn run_scenarios(
    study_path: &Path,
    scenario_paths: &[PathBuf],
    out: &Path,
    options: &RunOptions,
) -> Result<ScenarioOutcome> {
    scenarios_from(study_path, TimesFrom::Study, scenario_paths, out, options)
}

/// [`run_scenarios`], with the travel times from `times`.
pub(super) fn scenarios_from(
    study_path: &Path,
    times: TimesFrom,
    scenario_paths: &[PathBuf],
    out: &Path,
    options: &RunOptions,
) -> Result<ScenarioOutcome> {
    let mut timings = Timings::default();
    let (mut m, later) = measure_with(study_path, options, times, &mut timings)?;
    let scenarios = read_scenarios_checked(&m.study, scenario_paths)?;
    let evaluations = evaluate_scenarios(&m, &scenarios, &mut timings);
    let mut dir = super::outputs(
        out,
        &super::inputs_with(&m.study, scenario_paths),
        later.formats,
    )?;
    timings.time("render", || {
        render::write::scenarios(&m, &evaluations, &mut dir)
    })?;
    record_scenarios(&mut m.study, &scenarios);
    let (out, files) = finish(&m, &later.rules, dir, &timings, false)?;
    Ok(ScenarioOutcome {
        run: RunOutcome::of(out, m, files),
        evaluations,
    })
}

/// Reads and checks scenario files; `recommended` is kept for the plan of `frontdoor run`.
pub(super) fn read_scenarios_checked(study: &Study, paths: &[PathBuf]) -> Result<Vec<Scenario>> {
    let scenarios = scenario::read_scenarios(study, paths)?;
    for s in &scenarios {
        if s.name() == "recommended" {
            return Err(Error::problem(Problem::field(
                s.path(),
                "name",
                "\"recommended\" is the name of the plan frontdoor run evaluates; give the scenario another name",
            )));
        }
        for w in s.warnings() {
            log::warn!("scenario {}: {w}", s.name());
        }
    }
    Ok(scenarios)
}

/// Evaluates scenarios against the baseline, in order, sharing the baseline's searches.
pub(super) fn evaluate_scenarios(
    m: &Measured,
    scenarios: &[Scenario],
    timings: &mut Timings,
) -> Vec<Evaluation> {
    timings.time("scenarios", || {
        let pb = progress::bar(scenarios.len() as u64, "scenarios");
        let cache = BaselineCache::default();
        let evs = scenarios
            .iter()
            .map(|s| {
                let e = scenario::evaluate(m, &cache, s);
                pb.inc(1);
                e
            })
            .collect();
        pb.finish_and_clear();
        evs
    })
}

/// Lists the scenario files among the run's inputs (for run.json), relative to the study's
/// folder where they are inside it (as the study's own inputs are).
pub(super) fn record_scenarios(study: &mut Study, scenarios: &[Scenario]) {
    let folder = study
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for s in scenarios {
        let path = s
            .path()
            .strip_prefix(&folder)
            .ok()
            .filter(|_| !folder.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| s.path().to_path_buf());
        study.inputs.push(InputFile {
            role: "scenario",
            path,
            sha256: s.sha256().to_string(),
            bytes: s.bytes(),
            rows: 1,
            used: 1,
        });
    }
}
