//! The orchestration, written once. Every command is a short composition of these named,
//! timed stages, always in this order:
//!
//! 1. `load`: the study file and its inputs, and the settings of the later stages resolved
//!    ([`load`]);
//! 2. `network`: the routing graphs, when the study names an OpenStreetMap file;
//! 3. `reach`: travel times and reach per mode (straight-line or network);
//! 4. `access`: the study's accessibility measures in the baseline ([`measure`]);
//! 5. `decide`, `scenarios`, `optimise`: what the command asks of the measured study;
//! 6. `render`: the outputs, staged, then run.json (and report.html) and one commit
//!    ([`finish`]).
//!
//! The commands: [`run()`] (everything, with the report), [`run_reach`], [`run_scenarios`],
//! [`run_optimise`] and [`run_optimise_tables`], [`inspect_network`] and [`rebuild_report`].

mod network;
mod optimise;
mod partition;
mod run;
mod scenarios;

use std::path::{Path, PathBuf};

pub use network::{export_network, inspect_network, NetworkSummary};
pub use optimise::{run_optimise, run_optimise_tables, OptimiseOutcome, OptimiseRequest};
pub use partition::{merge, merge_scenarios, partition, PartitionOutcome};
pub use run::{run, run_reach, RunOutcome};
pub use scenarios::{run_scenarios, ScenarioOutcome};

use crate::access::{self, Measure};
use crate::decide::{self, Rules};
use crate::error::{Error, Result};
use crate::load::{self, LoadOptions};
use crate::measured::Measured;
use crate::model::{Estate, Study};
use crate::render::{self, Formats, OutputDir, Outputs};
use crate::timing::Timings;
use crate::{progress, reach};

/// Options of the commands that load a study.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Refuse demand rows that cannot be placed.
    pub strict: bool,
    /// Neither read nor write the routing graphs' caches.
    pub no_cache: bool,
    /// The output formats, in place of the study's `[output] formats`.
    pub formats: Option<Formats>,
}

/// A study loaded, with the settings of its later stages resolved and checked.
pub struct Loaded {
    /// The study as loaded.
    pub study: Study,
    /// Its accessibility measures (`[[access]]`).
    pub measures: Vec<Measure>,
    /// The rules of its recommendations (`[decide]`).
    pub rules: Rules,
    /// The formats of its outputs (`[output] formats`, or the command's).
    pub formats: Formats,
}

/// The settings of the stages after measuring, resolved.
pub struct Later {
    /// The rules of the recommendations.
    pub rules: Rules,
    /// The formats of the outputs.
    pub formats: Formats,
}

/// Stage 1: loads a study and resolves the settings of its later stages; every problem of the
/// inputs is reported together, then those of `[[access]]`, then those of `[decide]`.
pub fn load(path: &Path, options: &RunOptions) -> Result<Loaded> {
    let (study, later) = load::load_study_with_settings(
        path,
        &LoadOptions {
            strict: options.strict,
            skip_demand: false,
        },
    )?;
    let measures = access::resolve_measures(
        path,
        &later.access,
        &study.modes,
        &study.bands,
        &study.profile,
        &study.sites,
    )
    .map_err(Error::Input)?;
    let rules = decide::rules::resolve_rules(path, &later.decide, &study.modes, &study.bands)
        .map_err(Error::Input)?;
    let formats = match (options.formats, &later.output.formats) {
        (Some(f), _) => f,
        (None, Some(names)) => Formats::parse(names)
            .map_err(|m| Error::problem(crate::error::Problem::field(path, "output.formats", m)))?,
        (None, None) => Formats::default(),
    };
    Ok(Loaded {
        study,
        measures,
        rules,
        formats,
    })
}

/// Where stage 3 takes its travel times from.
#[derive(Debug, Clone, Copy)]
pub enum TimesFrom<'a> {
    /// Measured here: straight-line, on the network, or read from the study's matrix.
    Study,
    /// Joined from the measured parts of the partition in this folder (`frontdoor merge`).
    Parts(&'a Path),
}

/// Stages 1-4: loads a study, builds its network if it names one, measures reach and scores
/// its accessibility measures. Returns the measured study and the settings of the stages
/// after.
pub fn measure(
    study_path: &Path,
    options: &RunOptions,
    timings: &mut Timings,
) -> Result<(Measured, Later)> {
    measure_with(study_path, options, TimesFrom::Study, timings)
}

/// [`measure`], with the travel times from `times`.
pub fn measure_with(
    study_path: &Path,
    options: &RunOptions,
    times: TimesFrom,
    timings: &mut Timings,
) -> Result<(Measured, Later)> {
    let loaded = timings.time("load", || {
        let spinner = progress::spinner("loading the study");
        let l = load(study_path, options);
        spinner.finish_and_clear();
        l
    })?;
    let Loaded {
        mut study,
        measures,
        rules,
        formats,
    } = loaded;
    if options.no_cache {
        study.graph_cache = crate::model::GraphCache::Off;
    }
    log::info!(
        "loaded {}: {} zones, {} sites, {} demand contacts, working CRS {}",
        study.name,
        study.zones.len(),
        study.sites.len(),
        study.demand.total,
        study.crs
    );
    for i in &study.inputs {
        log::debug!(
            "input {} ({}): {} rows, {} used, {} bytes, sha256 {}",
            i.path.display(),
            i.role,
            i.rows,
            i.used,
            i.bytes,
            &i.sha256[..12.min(i.sha256.len())]
        );
    }
    let network = match &study.network {
        Some(path) => Some(timings.time("network", || {
            let spinner = progress::spinner("building the network");
            let n = crate::network::build_network(&study, path, study.snap_limit_m);
            spinner.finish_and_clear();
            n
        })?),
        None => None,
    };
    let reach = match times {
        TimesFrom::Study => timings.time("reach", || {
            let pb = progress::bar(reach::work_units(&study), "reach");
            let r = match (&network, &study.travel_matrix) {
                (Some(net), _) => reach::on_network(&study, net, &|n| pb.inc(n)),
                (None, Some(matrix)) => reach::from_matrix(&study, matrix),
                (None, None) => reach::compute(&study, &|n| pb.inc(n)),
            };
            pb.finish_and_clear();
            r
        }),
        TimesFrom::Parts(dir) => stage(
            timings,
            "join parts",
            "joining the parts' travel times",
            || {
                let mut inputs = study.inputs.clone();
                let t = crate::partition::join::joined_times(&study, dir, &mut inputs);
                study.inputs = inputs;
                t.map(|t| reach::reach_from_times(&study, t))
            },
        )?,
    };
    log_reach(&study, &reach, network.as_ref());
    let access = timings.time("access", || {
        let baseline = Estate::baseline(&study);
        measures
            .iter()
            .map(|m| access::scores(&study, &reach, &baseline, m))
            .collect()
    });
    let measured = Measured {
        study,
        network,
        reach,
        measures,
        access,
    };
    Ok((measured, Later { rules, formats }))
}

/// The outputs of a command, staged for `out` in `formats`; `inputs` are never replaced.
fn outputs(out: &Path, inputs: &[PathBuf], formats: Formats) -> Result<Outputs> {
    Ok(Outputs::new(OutputDir::create(out, inputs)?, formats))
}

/// With -vv: per mode, the network's size and the pairs and zones reached.
fn log_reach(study: &Study, reach: &reach::Reach, network: Option<&crate::network::Network>) {
    let largest = study.bands.largest();
    for (i, m) in reach.modes.iter().enumerate() {
        let pairs: usize = m.times.by_site.iter().map(Vec::len).sum();
        let reached = m
            .zones
            .iter()
            .filter(|z| z.nearest.is_some_and(|n| n.1 <= largest as f64))
            .count();
        let graph = network
            .and_then(|n| n.modes.get(i))
            .map(|n| {
                format!(
                    ", graph {} nodes and {} links",
                    n.graph.node_count(),
                    n.graph.links.len()
                )
            })
            .unwrap_or_default();
        log::debug!(
            "reach {} ({}): {pairs} zone-site pairs within {largest} min, {reached} of {} zones with a site within it{graph}",
            m.params.mode,
            m.times.basis.name(),
            study.zones.len()
        );
    }
}

/// The study's input files and the scenario files of a command, which outputs must not replace.
fn inputs_with(study: &Study, scenario_paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = study.input_paths();
    paths.extend(scenario_paths.iter().cloned());
    paths
}

/// Runs `f` as a timed stage with a spinner.
fn stage<T>(timings: &mut Timings, name: &str, message: &str, f: impl FnOnce() -> T) -> T {
    timings.time(name, || {
        let spinner = progress::spinner(message);
        let v = f();
        spinner.finish_and_clear();
        v
    })
}

/// The last stage: writes run.json with every output's fingerprint (and, with `report`,
/// report.html from the outputs), and moves the outputs into place.
fn finish(
    m: &Measured,
    rules: &Rules,
    out: Outputs,
    timings: &Timings,
    report: bool,
) -> Result<(PathBuf, Vec<String>)> {
    render::write::finish(m, rules, out, timings, report)
}

/// `frontdoor transit`: what each GTFS feed holds and runs on `date`.
pub fn inspect_transit(
    feeds: &[PathBuf],
    date: crate::model::ServiceDate,
) -> Result<Vec<crate::network::transit::summary::FeedSummary>> {
    crate::network::transit::summary::summarise(feeds, date)
}

/// Rebuilds report.html in the output folder of a `frontdoor run` from its files alone.
pub fn rebuild_report(out: &Path) -> Result<PathBuf> {
    render::report::rebuild(out)
}
