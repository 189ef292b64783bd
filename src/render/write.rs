//! The writers of each command's outputs into a staged [`OutputDir`], and the last stage that
//! fingerprints them into run.json (and builds report.html) before one commit.

use std::path::PathBuf;

use serde_json::json;

use crate::decide::{Decisions, Rules};
use crate::error::Result;
use crate::fingerprint::sha256;
use crate::measured::Measured;
use crate::model::Study;
use crate::optimise::{Instance, Solution};
use crate::render::geojson::{feature_collection, lonlat, multipolygon_lonlat, FeatureGeometry};
use crate::render::tables::OutTable;
use crate::render::{self, OutputDir};
use crate::scenario::Evaluation;
use crate::timing::Timings;

/// Writes run.json with every output's fingerprint (and, with `report`, report.html from the
/// outputs), and moves the outputs into place. Returns the folder and the files written.
pub fn finish(
    m: &Measured,
    rules: &Rules,
    mut dir: OutputDir,
    timings: &Timings,
    report: bool,
) -> Result<(PathBuf, Vec<String>)> {
    let mut hashes = Vec::new();
    for f in dir.files().to_vec() {
        hashes.push((f.clone(), sha256(&dir.read(&f)?)));
    }
    let run = render::run_json::run_json(
        &m.study,
        &m.reach,
        m.network.as_ref(),
        rules,
        &hashes,
        timings,
    );
    dir.write("run.json", run.as_bytes())?;
    if report {
        let html = render::report::build(&|name| dir.read(name).ok())?;
        dir.write("report.html", html.as_bytes())?;
    }
    let files = dir.files().to_vec();
    let out = dir.commit()?;
    Ok((out, files))
}

/// Writes the travel-time matrix and the catchments (`frontdoor reach`).
pub fn travel_times(m: &Measured, dir: &mut OutputDir) -> Result<()> {
    dir.write(
        "matrix.parquet",
        &render::matrix::matrix_parquet(&m.study, &m.reach)?,
    )?;
    catchments(m, dir)
}

/// Computes and writes catchments.geojson.
fn catchments(m: &Measured, dir: &mut OutputDir) -> Result<()> {
    let c = crate::catchment::catchments(&m.study, &m.reach, m.network.as_ref());
    dir.write(
        "catchments.geojson",
        render::geojson::catchments_geojson(&m.study, &m.reach, &c)?.as_bytes(),
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

/// Writes each scenario's zones (CSV, GeoJSON), sites and map, and `scenarios.csv`.
pub fn scenarios(m: &Measured, evs: &[Evaluation], dir: &mut OutputDir) -> Result<()> {
    let study = &m.study;
    let zone_geoms = zone_geometries(study)?;
    for ev in evs {
        let name = ev.scenario.name();
        let zones = render::scenario::zones_table(study, &m.measures, &m.access, ev);
        dir.write(&format!("scenario-{name}.csv"), zones.to_csv().as_bytes())?;
        dir.write(
            &format!("scenario-{name}.geojson"),
            feature_collection(&zones, &zone_geoms).as_bytes(),
        )?;
        dir.write(
            &format!("scenario-{name}-sites.csv"),
            render::scenario::sites_table(study, ev).to_csv().as_bytes(),
        )?;
        let shade = render::scenario::scenario_shading(
            study,
            m.reach.modes[render::map::map_mode(study)].times.basis,
            ev,
        );
        let (png, svg) = render::map::render_shading(study, m.reach.map_basis(), &shade)?;
        dir.write(&format!("scenario-{name}.png"), &png)?;
        dir.write(&format!("scenario-{name}.svg"), svg.as_bytes())?;
    }
    let summary = render::scenario::summary_table(study, &m.measures, evs);
    dir.write("scenarios.csv", summary.to_csv().as_bytes())
}

/// Writes the tables, GeoJSON, matrix, catchments, maps and the decision layer's outputs.
pub fn outputs(m: &Measured, d: &Decisions, dir: &mut OutputDir) -> Result<()> {
    let (study, reach, network) = (&m.study, &m.reach, m.network.as_ref());
    let mut sites = render::tables::sites_table(study, reach, network);
    render::decide::append_site_columns(study, d, &mut sites);
    let mut zones = render::tables::zones_table(study, reach, network, &m.measures, &m.access);
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
    catchments(m, dir)?;
    if let Some(roads) = network
        .map(|n| render::geojson::roads_geojson(&study.crs, n))
        .transpose()?
        .flatten()
    {
        dir.write("roads.geojson", roads.as_bytes())?;
    }
    let (png, svg) = render::map::render(study, reach)?;
    dir.write("map.png", &png)?;
    dir.write("map.svg", svg.as_bytes())?;
    decisions(m, d, &site_geoms, dir)
}

/// Writes proposals, digital points, hot spots, new sites, decide.json and the maps of
/// recommendations and of each proposal.
fn decisions(
    m: &Measured,
    d: &Decisions,
    site_geoms: &[Option<FeatureGeometry>],
    dir: &mut OutputDir,
) -> Result<()> {
    let study = &m.study;
    let basis = m.reach.basis();
    // A table as CSV, and as GeoJSON at the host site of each row.
    let mut with_hosts = |name: &str, table: OutTable, hosts: Vec<usize>| {
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
    let csv = |t: OutTable| t.to_csv();
    dir.write(
        "hot_spots.csv",
        csv(render::decide::hot_spots_table(study, d)).as_bytes(),
    )?;
    dir.write(
        "new_sites.csv",
        csv(render::decide::new_sites_table(study, d)).as_bytes(),
    )?;
    dir.write(
        "decide.json",
        render::decide::decide_json(study, d).as_bytes(),
    )?;
    let shade = render::decide::recommendations_shading(study, d, None);
    let (png, svg) = render::map::render_shading(study, basis, &shade)?;
    dir.write("recommendations.png", &png)?;
    dir.write("recommendations.svg", svg.as_bytes())?;
    for p in &d.proposals {
        let shade = render::decide::recommendations_shading(study, d, Some(&p.sites()));
        let svg = render::map::render_svg(study, basis, &shade)?;
        dir.write(&format!("proposal-{}.svg", p.id), svg.as_bytes())?;
    }
    Ok(())
}

/// What an optimiser run on a study was asked, as written in `optimise-<model>.json`.
pub struct OptimiseChoices<'a> {
    /// The demand weight.
    pub weight: &'a str,
    /// Only sites of this kind were candidates.
    pub kind: Option<&'a str>,
    /// Only sites offering this service were candidates.
    pub service: Option<&'a str>,
}

/// Writes an optimiser's answer on a study: its table, JSON and map.
pub fn optimise_on_study(
    m: &Measured,
    choices: OptimiseChoices,
    mode: usize,
    inst: &Instance,
    solution: &Solution,
    dir: &mut OutputDir,
) -> Result<()> {
    let study = &m.study;
    let name = solution.model.name();
    let p = &study.modes[mode];
    let what = format!(
        "{} by {} minutes{}",
        name,
        p.mode,
        choices
            .kind
            .or(choices.service)
            .map(|k| format!(", {k}"))
            .unwrap_or_default()
    );
    let context = [
        ("study", json!(study.name)),
        ("mode", json!(p.mode.name())),
        ("time_basis", json!(m.reach.basis().name())),
        ("weight", json!(choices.weight)),
        ("kind", json!(choices.kind)),
        ("service", json!(choices.service)),
        ("cost_unit", json!("minutes")),
    ];
    optimise_tables(dir, inst, solution, &context)?;
    let shade = render::optimise::shading(study, m.reach.basis(), inst, solution, &what);
    let (png, svg) = render::map::render_shading(study, m.reach.map_basis(), &shade)?;
    dir.write(&format!("optimise-{name}.png"), &png)?;
    dir.write(&format!("optimise-{name}.svg"), svg.as_bytes())
}

/// Writes `optimise-<model>.csv` and `optimise-<model>.json`.
pub fn optimise_tables(
    dir: &mut OutputDir,
    inst: &Instance,
    solution: &Solution,
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
