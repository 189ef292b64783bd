//! frontdoor: tells a public body which of its buildings and points of presence to keep, share
//! or close, from where people live, where the front doors are and what residents come for.
//!
//! The pipeline follows the modules: [`load`] a study (in one metric CRS, [`crs`]), [`index`] it
//! in R-trees, measure [`reach`], and [`render`] the outputs. [`synth`] makes the demo study.

pub mod access;
pub mod catchment;
pub mod crs;
pub mod decide;
pub mod error;
pub mod index;
pub mod load;
pub mod model;
pub mod network;
pub mod optimise;
pub mod progress;
pub mod reach;
pub mod render;
pub mod scenario;
pub mod study;
pub mod synth;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use error::{Error, Problem, Result};
pub use load::{load_study, LoadOptions};
pub use model::Study;
pub use reach::Reach;

use render::geojson::{feature_collection, lonlat, multipolygon_lonlat, FeatureGeometry};
use render::run_json::run_json;
pub use render::run_json::Timings;
use render::OutputDir;

/// Options of `frontdoor run`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Refuse demand rows that cannot be placed.
    pub strict: bool,
}

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
    pub decisions: Option<decide::Decisions>,
}

/// A study with its network (if any) and its reach measured.
pub struct Measured {
    /// The study as loaded.
    pub study: Study,
    /// The network, when the study names one.
    pub network: Option<network::Network>,
    /// Reach per mode.
    pub reach: Reach,
    /// The study's accessibility measures in the baseline, in study order.
    pub access: Vec<access::Scores>,
}

/// Loads a study, builds its network if it names one, and measures reach.
pub fn measure(study_path: &Path, options: &RunOptions, timings: &mut Timings) -> Result<Measured> {
    let study = timings.time("load", || {
        let spinner = progress::spinner("loading the study");
        let s = load_study(
            study_path,
            &LoadOptions {
                strict: options.strict,
            },
        );
        spinner.finish_and_clear();
        s
    })?;
    log::info!(
        "loaded {}: {} zones, {} sites, {} demand contacts, working CRS {}",
        study.name,
        study.zones.len(),
        study.sites.len(),
        study.demand.total,
        study.crs
    );
    let network = match &study.network {
        Some(path) => Some(timings.time("network", || {
            let spinner = progress::spinner("building the network");
            let n = network::build_network(&study, path, study.snap_limit_m);
            spinner.finish_and_clear();
            n
        })?),
        None => None,
    };
    let reach = timings.time("reach", || {
        let pb = progress::bar(reach::work_units(&study), "reach");
        let r = match &network {
            Some(net) => network::network_reach(&study, net, &|n| pb.inc(n)),
            None => reach::compute(&study, &|n| pb.inc(n)),
        };
        pb.finish_and_clear();
        r
    });
    let access = timings.time("access", || {
        let baseline = model::Estate::baseline(&study);
        study
            .access
            .iter()
            .map(|m| access::scores(&study, &reach, &baseline, m))
            .collect()
    });
    Ok(Measured {
        study,
        network,
        reach,
        access,
    })
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
    let mut timings = Timings::default();
    let mut m = measure(study_path, options, &mut timings)?;
    let explain_site = explain
        .map(|id| decide::explain::find_site(&m.study, id))
        .transpose()?;
    let scenarios = read_scenarios_checked(&m.study, scenario_paths)?;
    let decisions = timings.time("decide", || {
        let spinner = progress::spinner("deciding");
        let d = decide::decide(&m);
        spinner.finish_and_clear();
        d
    })?;
    let mut evaluations: Vec<scenario::Evaluation> = decisions.plan.iter().cloned().collect();
    evaluations.extend(evaluate_scenarios(&m, &scenarios, &mut timings));
    let explanation = explain_site.map(|j| decide::explain::explain(&m, &decisions, j));
    let mut dir = OutputDir::create(out)?;
    timings.time("render", || -> Result<()> {
        let spinner = progress::spinner("writing outputs");
        write_outputs(&m, &decisions, &mut dir)?;
        if !evaluations.is_empty() {
            write_scenarios(&m, &evaluations, &mut dir)?;
        }
        spinner.finish_and_clear();
        Ok(())
    })?;
    record_scenarios(&mut m.study, &scenarios);
    let mut outcome = finish(m, dir, timings, true)?;
    outcome.explanation = explanation;
    outcome.decisions = Some(decisions);
    Ok(outcome)
}

/// Reads and checks scenario files; `recommended` is kept for the plan of `frontdoor run`.
fn read_scenarios_checked(study: &Study, paths: &[PathBuf]) -> Result<Vec<scenario::Scenario>> {
    let scenarios = scenario::read_scenarios(study, paths)?;
    for s in &scenarios {
        if s.name == "recommended" {
            return Err(Error::problem(Problem::field(
                &s.path,
                "name",
                "\"recommended\" is the name of the plan frontdoor run evaluates; give the scenario another name",
            )));
        }
        for w in &s.warnings {
            log::warn!("scenario {}: {w}", s.name);
        }
    }
    Ok(scenarios)
}

/// Evaluates scenarios against the baseline, in order, sharing the baseline's searches.
fn evaluate_scenarios(
    m: &Measured,
    scenarios: &[scenario::Scenario],
    timings: &mut Timings,
) -> Vec<scenario::Evaluation> {
    timings.time("scenarios", || {
        let pb = progress::bar(scenarios.len() as u64, "scenarios");
        let cache = scenario::BaselineCache::default();
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
fn record_scenarios(study: &mut Study, scenarios: &[scenario::Scenario]) {
    let folder = study
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for s in scenarios {
        let path = s
            .path
            .strip_prefix(&folder)
            .ok()
            .filter(|_| !folder.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| s.path.clone());
        study.inputs.push(model::InputFile {
            role: "scenario",
            path,
            sha256: s.sha256.clone(),
            bytes: s.bytes,
            rows: 1,
            used: 1,
        });
    }
}

/// Loads a study and writes only its travel-time matrix (and run.json) into `out`.
pub fn run_reach(study_path: &Path, out: &Path, options: &RunOptions) -> Result<RunOutcome> {
    let mut timings = Timings::default();
    let m = measure(study_path, options, &mut timings)?;
    let mut dir = OutputDir::create(out)?;
    timings.time("render", || {
        dir.write(
            "matrix.parquet",
            &render::matrix::matrix_parquet(&m.study, &m.reach)?,
        )?;
        write_catchments(&m, &mut dir)
    })?;
    finish(m, dir, timings, false)
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
    let mut timings = Timings::default();
    let mut m = measure(study_path, options, &mut timings)?;
    let scenarios = read_scenarios_checked(&m.study, scenario_paths)?;
    let evaluations = evaluate_scenarios(&m, &scenarios, &mut timings);
    let mut dir = OutputDir::create(out)?;
    timings.time("render", || write_scenarios(&m, &evaluations, &mut dir))?;
    record_scenarios(&mut m.study, &scenarios);
    let outcome = finish(m, dir, timings, false)?;
    Ok(ScenarioOutcome {
        run: outcome,
        evaluations,
    })
}

/// What `run_scenarios` produced.
pub struct ScenarioOutcome {
    /// The run: folder, study, reach, files.
    pub run: RunOutcome,
    /// Each scenario evaluated, in the order given.
    pub evaluations: Vec<scenario::Evaluation>,
}

fn write_scenarios(m: &Measured, evs: &[scenario::Evaluation], dir: &mut OutputDir) -> Result<()> {
    let study = &m.study;
    let zone_geoms = zone_geometries(study)?;
    for ev in evs {
        let name = &ev.scenario.name;
        let zones = render::scenario::zones_table(study, &m.access, ev);
        dir.write(&format!("scenario-{name}.csv"), zones.to_csv().as_bytes())?;
        dir.write(
            &format!("scenario-{name}.geojson"),
            feature_collection(&zones, &zone_geoms).as_bytes(),
        )?;
        dir.write(
            &format!("scenario-{name}-sites.csv"),
            render::scenario::sites_table(study, ev).to_csv().as_bytes(),
        )?;
        let shade = render::scenario::scenario_shading(study, m.reach.basis(), ev);
        let png = dir.staged_path(&format!("scenario-{name}.png"));
        let svg = render::map::render_shading(study, m.reach.basis(), &shade, &png)?;
        dir.write(&format!("scenario-{name}.svg"), svg.as_bytes())?;
    }
    dir.write(
        "scenarios.csv",
        render::scenario::summary_table(study, evs)
            .to_csv()
            .as_bytes(),
    )
}

/// Zone geometries for GeoJSON: polygons where the study has them, else points.
fn zone_geometries(study: &Study) -> Result<Vec<Option<FeatureGeometry>>> {
    study
        .zones
        .iter()
        .map(|z| match &z.polygon {
            Some(p) => {
                multipolygon_lonlat(&study.crs, p).map(|m| Some(FeatureGeometry::MultiPolygon(m)))
            }
            None => lonlat(&study.crs, z.point).map(|c| Some(FeatureGeometry::Point(c))),
        })
        .collect()
}

/// Writes run.json with every output's fingerprint (and, with `report`, report.html from the
/// outputs), and moves the outputs into place.
fn finish(m: Measured, mut dir: OutputDir, timings: Timings, report: bool) -> Result<RunOutcome> {
    let mut hashes = Vec::new();
    for f in dir.files().to_vec() {
        hashes.push((f.clone(), load::table::hex(&Sha256::digest(dir.read(&f)?))));
    }
    dir.write(
        "run.json",
        run_json(&m.study, &m.reach, m.network.as_ref(), &hashes, &timings).as_bytes(),
    )?;
    if report {
        let html = render::report::build(&|name| dir.read(name).ok())?;
        dir.write("report.html", html.as_bytes())?;
    }
    let files = dir.files().to_vec();
    let out = dir.commit()?;
    Ok(RunOutcome {
        out,
        study: m.study,
        reach: m.reach,
        files,
        explanation: None,
        decisions: None,
    })
}

/// Computes and writes catchments.geojson.
fn write_catchments(m: &Measured, dir: &mut OutputDir) -> Result<()> {
    let c = catchment::catchments(&m.study, &m.reach, m.network.as_ref());
    dir.write(
        "catchments.geojson",
        render::geojson::catchments_geojson(&m.study, &m.reach, &c)?.as_bytes(),
    )
}

/// Writes the tables, GeoJSON, matrix, catchments, maps and the decision layer's outputs.
fn write_outputs(m: &Measured, d: &decide::Decisions, dir: &mut OutputDir) -> Result<()> {
    let (study, reach) = (&m.study, &m.reach);
    let mut sites = render::tables::sites_table(study, reach, m.network.as_ref());
    render::decide::append_site_columns(study, d, &mut sites);
    let mut zones = render::tables::zones_table(study, reach, m.network.as_ref(), &m.access);
    render::decide::append_zone_columns(study, d, &mut zones);
    dir.write("sites.csv", sites.to_csv().as_bytes())?;
    dir.write("zones.csv", zones.to_csv().as_bytes())?;
    let site_geoms = study
        .sites
        .iter()
        .map(|s| lonlat(&study.crs, s.point).map(|c| Some(FeatureGeometry::Point(c))))
        .collect::<Result<Vec<_>>>()?;
    dir.write(
        "sites.geojson",
        feature_collection(&sites, &site_geoms).as_bytes(),
    )?;
    let zone_geoms = zone_geometries(study)?;
    dir.write(
        "zones.geojson",
        feature_collection(&zones, &zone_geoms).as_bytes(),
    )?;
    dir.write(
        "matrix.parquet",
        &render::matrix::matrix_parquet(study, reach)?,
    )?;
    write_catchments(m, dir)?;
    let png = dir.staged_path("map.png");
    let svg = render::map::render(study, reach, &png)?;
    dir.write("map.svg", svg.as_bytes())?;
    write_decisions(m, d, &site_geoms, dir)
}

/// Writes proposals, digital points, hot spots, new sites, decide.json and the maps of
/// recommendations and of each proposal.
fn write_decisions(
    m: &Measured,
    d: &decide::Decisions,
    site_geoms: &[Option<FeatureGeometry>],
    dir: &mut OutputDir,
) -> Result<()> {
    let study = &m.study;
    let basis = m.reach.basis();
    // A table as CSV, and as GeoJSON at the host site of each row.
    let mut with_hosts = |name: &str, table: render::tables::OutTable, hosts: Vec<usize>| {
        dir.write(&format!("{name}.csv"), table.to_csv().as_bytes())?;
        let geoms: Vec<_> = hosts.iter().map(|&h| site_geoms[h].clone()).collect();
        dir.write(
            &format!("{name}.geojson"),
            feature_collection(&table, &geoms).as_bytes(),
        )
    };
    with_hosts(
        "proposals",
        render::decide::proposals_table(study, d),
        d.proposals.iter().map(|p| p.host).collect(),
    )?;
    with_hosts(
        "digital_points",
        render::decide::digital_points_table(study, d),
        d.digital_points.iter().map(|p| p.host).collect(),
    )?;
    dir.write(
        "hot_spots.csv",
        render::decide::hot_spots_table(study, d)
            .to_csv()
            .as_bytes(),
    )?;
    dir.write(
        "new_sites.csv",
        render::decide::new_sites_table(study, d)
            .to_csv()
            .as_bytes(),
    )?;
    dir.write(
        "decide.json",
        render::decide::decide_json(study, d).as_bytes(),
    )?;
    let shade = render::decide::recommendations_shading(study, d, None);
    let png = dir.staged_path("recommendations.png");
    let svg = render::map::render_shading(study, basis, &shade, &png)?;
    dir.write("recommendations.svg", svg.as_bytes())?;
    for p in &d.proposals {
        let shade = render::decide::recommendations_shading(study, d, Some(&p.sites()));
        let svg = render::map::render_svg(study, basis, &shade)?;
        dir.write(&format!("proposal-{}.svg", p.id), svg.as_bytes())?;
    }
    Ok(())
}

/// What `frontdoor optimise` is asked.
#[derive(Debug, Clone)]
pub struct OptimiseRequest {
    /// The model.
    pub model: optimise::Model,
    /// p, standard and limits.
    pub options: optimise::Options,
    /// Travel mode (study runs; default the study's first).
    pub mode: Option<model::Mode>,
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
    pub instance: optimise::Instance,
    /// The solution.
    pub solution: optimise::Solution,
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
    let m = measure(study_path, options, &mut timings)?;
    let study = &m.study;
    let mode = match req.mode {
        None => 0,
        Some(md) => study
            .modes
            .iter()
            .position(|p| p.mode == md)
            .ok_or_else(|| Error::Other(format!("{md} is not one of the study's travel modes")))?,
    };
    if let Some(k) = &req.kind {
        if !study.kinds.contains(k) {
            return Err(Error::Other(format!(
                "no site has the kind \"{k}\"; the kinds are: {}",
                study.kinds.join(", ")
            )));
        }
    }
    let weight = optimise::instance::Weight::parse(study, &req.weight)
        .map_err(|e| Error::Other(format!("--weight: {e}")))?;
    let keep = |j: usize| {
        let s = &study.sites[j];
        req.kind.as_ref().is_none_or(|k| &s.kind == k)
            && req
                .service
                .as_ref()
                .is_none_or(|v| s.offers().contains(&v.as_str()))
    };
    let inst = optimise::instance::from_study(
        study,
        &m.reach,
        m.network.as_ref(),
        mode,
        &weight,
        &keep,
        &req.forbid,
    )?;
    let solution = timings.time("optimise", || {
        let spinner = progress::spinner("optimising");
        let s = optimise::solve(&inst, req.model, &req.options);
        spinner.finish_and_clear();
        s
    })?;
    let name = req.model.name();
    let mut dir = OutputDir::create(out)?;
    let p = &study.modes[mode];
    let what = format!(
        "{} by {} minutes{}",
        name,
        p.mode,
        req.kind
            .as_ref()
            .or(req.service.as_ref())
            .map(|k| format!(", {k}"))
            .unwrap_or_default()
    );
    let context = [
        ("study", serde_json::json!(study.name)),
        ("mode", serde_json::json!(p.mode.name())),
        ("time_basis", serde_json::json!(m.reach.basis().name())),
        ("weight", serde_json::json!(req.weight)),
        ("kind", serde_json::json!(req.kind)),
        ("service", serde_json::json!(req.service)),
        ("cost_unit", serde_json::json!("minutes")),
    ];
    timings.time("render", || -> Result<()> {
        write_optimise_tables(&mut dir, &inst, &solution, &context)?;
        let shade = render::optimise::shading(study, m.reach.basis(), &inst, &solution, &what);
        let png = dir.staged_path(&format!("optimise-{name}.png"));
        let svg = render::map::render_shading(study, m.reach.basis(), &shade, &png)?;
        dir.write(&format!("optimise-{name}.svg"), svg.as_bytes())
    })?;
    let outcome = finish(m, dir, timings, false)?;
    Ok(OptimiseOutcome {
        out: outcome.out,
        instance: inst,
        solution,
        files: outcome.files,
    })
}

/// Runs a model on a user's cost and demand tables and writes `optimise-<model>.csv` and
/// `.json` into `out`.
pub fn run_optimise_tables(
    costs: &Path,
    demand: &Path,
    columns: &optimise::instance::TableColumns,
    req: &OptimiseRequest,
    out: &Path,
) -> Result<OptimiseOutcome> {
    let mut inst = optimise::instance::from_tables(costs, demand, columns)?;
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
    let spinner = progress::spinner("optimising");
    let solution = optimise::solve(&inst, req.model, &req.options);
    spinner.finish_and_clear();
    let solution = solution?;
    let mut dir = OutputDir::create(out)?;
    let context = [
        ("costs", serde_json::json!(costs.display().to_string())),
        ("demand", serde_json::json!(demand.display().to_string())),
    ];
    write_optimise_tables(&mut dir, &inst, &solution, &context)?;
    let files = dir.files().to_vec();
    let out = dir.commit()?;
    Ok(OptimiseOutcome {
        out,
        instance: inst,
        solution,
        files,
    })
}

/// Writes `optimise-<model>.csv` and `optimise-<model>.json`.
fn write_optimise_tables(
    dir: &mut OutputDir,
    inst: &optimise::Instance,
    solution: &optimise::Solution,
    context: &[(&str, serde_json::Value)],
) -> Result<()> {
    let name = solution.model.name();
    dir.write(
        &format!("optimise-{name}.csv"),
        render::optimise::table(inst, solution).to_csv().as_bytes(),
    )?;
    dir.write(
        &format!("optimise-{name}.json"),
        render::optimise::summary(inst, solution, context).as_bytes(),
    )
}
