//! `frontdoor run` (every output, the decisions and the report) and `frontdoor reach` (travel
//! times only).

use std::path::{Path, PathBuf};

use super::scenarios::{evaluate_scenarios, read_scenarios_checked, record_scenarios};
use super::{finish, inputs_with, measure, measure_with, outputs, stage, RunOptions, TimesFrom};
use crate::decide::{self, Decisions};
use crate::error::Result;
use crate::measured::Measured;
use crate::model::Study;
use crate::reach::Reach;
use crate::render;
use crate::scenario::Evaluation;
use crate::timing::Timings;

/// What a run produced.
pub struct RunOutcome {
    /// The output folder.
    pub out: PathBuf,
    /// The study as loaded.
    pub study: Study,
    /// Reach per mode.
    pub reach: Reach,
    /// Files written.
    pub files: Vec<String>,
    /// The full reasoning for the site asked about with `--explain`.
    pub explanation: Option<String>,
    /// The decisions (`frontdoor run` only).
    pub decisions: Option<Decisions>,
}

impl RunOutcome {
    /// The outcome of a command that wrote `files` into `out` for the measured study.
    pub(super) fn of(out: PathBuf, m: Measured, files: Vec<String>) -> RunOutcome {
        RunOutcome {
            out,
            study: m.study,
            reach: m.reach,
            files,
            explanation: None,
            decisions: None,
        }
    }
}

/// Loads a study, measures reach, decides what to keep, share, close or open, evaluates the
/// whole plan and any `scenario_paths` against the baseline, and writes every output, with
/// report.html, into `out`. With `explain`, the outcome holds the full reasoning for that site.
/// Nothing is written to `out` unless every output was produced.
pub fn run(
    study_path: &Path,
    out: &Path,
    options: &RunOptions,
    scenario_paths: &[PathBuf],
    explain: Option<&str>,
) -> Result<RunOutcome> {
    run_from(
        study_path,
        TimesFrom::Study,
        out,
        options,
        scenario_paths,
        explain,
    )
}

/// [`run`], with the travel times from `times`.
pub(super) fn run_from(
    study_path: &Path,
    times: TimesFrom,
    out: &Path,
    options: &RunOptions,
    scenario_paths: &[PathBuf],
    explain: Option<&str>,
) -> Result<RunOutcome> {
    let mut timings = Timings::default();
    let (mut m, later) = measure_with(study_path, options, times, &mut timings)?;
    let explain_site = explain
        .map(|id| m.study.site_ix(id, "--explain"))
        .transpose()?;
    let scenarios = read_scenarios_checked(&m.study, scenario_paths)?;
    let decisions = stage(&mut timings, "decide", "deciding", || {
        decide::decide(&m, &later.rules)
    })?;
    let mut evaluations: Vec<Evaluation> = decisions.plan.iter().cloned().collect();
    evaluations.extend(evaluate_scenarios(&m, &scenarios, &mut timings));
    let explanation = explain_site.map(|j| decide::explain::explain(&m, &decisions, j.ix()));
    let mut dir = outputs(out, &inputs_with(&m.study, scenario_paths), later.formats)?;
    stage(
        &mut timings,
        "render",
        "writing outputs",
        || -> Result<()> {
            render::write::outputs(&m, &decisions, &mut dir)?;
            if !evaluations.is_empty() {
                render::write::scenarios(&m, &evaluations, &mut dir)?;
            }
            Ok(())
        },
    )?;
    record_scenarios(&mut m.study, &scenarios);
    let (out, files) = finish(&m, &later.rules, dir, &timings, true)?;
    Ok(RunOutcome {
        explanation,
        decisions: Some(decisions),
        ..RunOutcome::of(out, m, files)
    })
}

/// Loads a study and writes only its travel-time matrix, catchments and run.json into `out`.
pub fn run_reach(study_path: &Path, out: &Path, options: &RunOptions) -> Result<RunOutcome> {
    let mut timings = Timings::default();
    let (m, later) = measure(study_path, options, &mut timings)?;
    let mut dir = outputs(out, &m.study.input_paths(), later.formats)?;
    timings.time("render", || render::write::travel_times(&m, &mut dir))?;
    let (out, files) = finish(&m, &later.rules, dir, &timings, false)?;
    Ok(RunOutcome::of(out, m, files))
}
