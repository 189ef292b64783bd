//! The writers of each command's outputs into a staged [`OutputDir`], and the last stage that
//! fingerprints them into run.json (and builds report.html) before one commit.

use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::json;

use crate::decide::{Decisions, Rules};
use crate::error::Result;
use crate::fingerprint::sha256;
use crate::measured::Measured;
use crate::model::Study;
use crate::optimise::{Instance, Solution};
use crate::render::feature::{FeatureGeometry, Layer};
use crate::render::geojson::{lonlat, multipolygon_lonlat};
use crate::render::tables::OutTable;
use crate::render::{self, Outputs};
use crate::scenario::Evaluation;
use crate::timing::Timings;

/// Writes run.json with every output's fingerprint (and, with `report`, report.html from the
/// outputs), and moves the outputs into place. Returns the folder and the files written.
pub fn finish(
    m: &Measured,
    rules: &Rules,
    mut out: Outputs,
    timings: &Timings,
    report: bool,
) -> Result<(PathBuf, Vec<String>)> {
    out.write_geopackage()?;
    let mut hashes = Vec::new();
    for f in out.files().to_vec() {
        hashes.push((f.clone(), sha256(&out.read(&f)?)));
    }
    let run = render::run_json::run_json(
        &m.study,
        &m.reach,
        m.network.as_ref(),
        rules,
        &hashes,
        &out.formats().names(),
        timings,
    );
    out.write("run.json", run.as_bytes())?;
    if report {
        let html = render::report::build(&out.reader())?;
        out.write("report.html", html.as_bytes())?;
    }
    let files = out.files().to_vec();
    log::debug!(
        "render: {} files in the formats {}",
        files.len(),
        out.formats().names().join(", ")
    );
    let folder = out.into_dir().commit()?;
    Ok((folder, files))
}

/// Writes the travel-time matrix and the catchments (`frontdoor reach`).
pub fn travel_times(m: &Measured, out: &mut Outputs) -> Result<()> {
    out.write(
        "matrix.parquet",
        &render::matrix::matrix_parquet(&m.study, &m.reach)?,
    )?;
    // The catchments are a spatial layer: drawn only where a spatial format is chosen (a
    // partition's parts choose csv, and need the matrix alone).
    let f = out.formats();
    if f.geojson || f.geoparquet || f.gpkg {
        catchments(m, out)?;
    }
    Ok(())
}

/// Computes and writes the catchments layer.
fn catchments(m: &Measured, out: &mut Outputs) -> Result<()> {
    let c = crate::catchment::catchments(&m.study, &m.reach, m.network.as_ref());
    out.layer(
        render::geojson::catchments_layer(&m.study, &m.reach, &c)?,
        None,
    )
}

/// The QGIS style of a zones table: shaded by minutes by the map's mode, where it has them.
fn zones_style(study: &Study, table: &OutTable) -> Option<(&'static str, String)> {
    let mode = study.modes[render::map::map_mode(study)].mode;
    let column = format!("minutes_{mode}");
    if !table.columns.contains(&column) {
        return None;
    }
    let classes = render::map::classes(&study.bands);
    let colours: Vec<(u8, u8, u8)> = (0..classes.len())
        .map(|i| {
            let c = render::map::ramp(i, classes.len());
            (c.0, c.1, c.2)
        })
        .collect();
    let polygons = study.zones.iter().any(|z| z.polygon.is_some());
    Some((
        "minutes",
        render::qml::minutes_style(&column, &classes, &colours, polygons),
    ))
}

/// The QGIS style of a sites table: coloured by recommendation, where it has them.
fn sites_style(table: &OutTable) -> Option<(&'static str, String)> {
    table
        .columns
        .iter()
        .any(|c| c == "recommendation")
        .then(|| ("recommendation", render::qml::recommendation_style()))
}

/// A spatial layer of a table and its geometries.
fn layer(name: &str, table: OutTable, geometries: Vec<Option<FeatureGeometry>>) -> Layer {
    let polygons = geometries
        .iter()
        .any(|g| matches!(g, Some(FeatureGeometry::MultiPolygon(_))));
    Layer {
        name: name.to_string(),
        table,
        geometries,
        when_empty: if polygons { "MultiPolygon" } else { "Point" },
    }
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
pub fn scenarios(m: &Measured, evs: &[Evaluation], out: &mut Outputs) -> Result<()> {
    let study = &m.study;
    let zone_geoms = zone_geometries(study)?;
    for ev in evs {
        let name = ev.scenario.name();
        let zones = render::scenario::zones_table(study, &m.measures, &m.access, ev);
        out.write(&format!("scenario-{name}.csv"), zones.to_csv().as_bytes())?;
        let style = zones_style(study, &zones);
        out.layer(
            layer(&format!("scenario-{name}"), zones, zone_geoms.clone()),
            style,
        )?;
        out.write(
            &format!("scenario-{name}-sites.csv"),
            render::scenario::sites_table(study, ev).to_csv().as_bytes(),
        )?;
        let shade = render::scenario::scenario_shading(
            study,
            m.reach.modes[render::map::map_mode(study)].times.basis,
            ev,
        );
        let (png, svg) = render::map::render_shading(study, m.reach.map_basis(), &shade)?;
        out.write(&format!("scenario-{name}.png"), &png)?;
        out.write(&format!("scenario-{name}.svg"), svg.as_bytes())?;
    }
    let summary = render::scenario::summary_table(study, &m.measures, evs);
    out.write("scenarios.csv", summary.to_csv().as_bytes())
}

/// Writes the tables, GeoJSON, matrix, catchments, maps and the decision layer's outputs.
pub fn outputs(m: &Measured, d: &Decisions, out: &mut Outputs) -> Result<()> {
    let (study, reach, network) = (&m.study, &m.reach, m.network.as_ref());
    let mut sites = render::tables::sites_table(study, reach, network);
    render::decide::append_site_columns(study, d, &mut sites);
    let mut zones = render::tables::zones_table(study, reach, network, &m.measures, &m.access);
    render::decide::append_zone_columns(study, d, &mut zones);
    out.write("sites.csv", sites.to_csv().as_bytes())?;
    out.write("zones.csv", zones.to_csv().as_bytes())?;
    let site_geoms = study
        .sites
        .iter()
        .map(|s| lonlat(&study.crs, s.point).map(|c| Some(FeatureGeometry::Point(c))))
        .collect::<Result<Vec<_>>>()?;
    let style = sites_style(&sites);
    out.layer(layer("sites", sites, site_geoms.clone()), style)?;
    let style = zones_style(study, &zones);
    out.layer(layer("zones", zones, zone_geometries(study)?), style)?;
    out.write(
        "matrix.parquet",
        &render::matrix::matrix_parquet(study, reach)?,
    )?;
    catchments(m, out)?;
    if let Some(roads) = network
        .map(|n| render::geojson::roads_geojson(&study.crs, n))
        .transpose()?
        .flatten()
    {
        out.write("roads.geojson", roads.as_bytes())?;
    }
    let (png, svg) = render::map::render(study, reach)?;
    out.write("map.png", &png)?;
    out.write("map.svg", svg.as_bytes())?;
    decisions(m, d, &site_geoms, out)
}

/// Writes proposals, digital points, hot spots, new sites, decide.json and the maps of
/// recommendations and of each proposal.
fn decisions(
    m: &Measured,
    d: &Decisions,
    site_geoms: &[Option<FeatureGeometry>],
    out: &mut Outputs,
) -> Result<()> {
    let study = &m.study;
    let basis = m.reach.basis();
    // A table as CSV, and as a layer at the host site of each row.
    let mut with_hosts = |name: &str, table: OutTable, hosts: Vec<usize>| {
        out.write(&format!("{name}.csv"), table.to_csv().as_bytes())?;
        let geoms: Vec<_> = hosts.iter().map(|&h| site_geoms[h].clone()).collect();
        out.layer(layer(name, table, geoms), None)
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
    out.write(
        "hot_spots.csv",
        csv(render::decide::hot_spots_table(study, d)).as_bytes(),
    )?;
    out.write(
        "new_sites.csv",
        csv(render::decide::new_sites_table(study, d)).as_bytes(),
    )?;
    out.write(
        "decide.json",
        render::decide::decide_json(study, d).as_bytes(),
    )?;
    let shade = render::decide::recommendations_shading(study, d, None);
    let (png, svg) = render::map::render_shading(study, basis, &shade)?;
    out.write("recommendations.png", &png)?;
    out.write("recommendations.svg", svg.as_bytes())?;
    // The proposals' close-ups, drawn in parallel a batch at a time and written in order.
    let index = render::map_index::MapIndex::new(study);
    for batch in d.proposals.chunks(32) {
        let closeups: Vec<Result<String>> = batch
            .par_iter()
            .map(|p| {
                let shade = render::decide::recommendations_shading(study, d, Some(&p.sites()));
                render::map::render_svg(study, basis, &shade, &index)
            })
            .collect();
        for (p, svg) in batch.iter().zip(closeups) {
            out.write(&format!("proposal-{}.svg", p.id), svg?.as_bytes())?;
        }
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
    out: &mut Outputs,
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
    optimise_tables(out, inst, solution, &context)?;
    let shade = render::optimise::shading(study, m.reach.basis(), inst, solution, &what);
    let (png, svg) = render::map::render_shading(study, m.reach.map_basis(), &shade)?;
    out.write(&format!("optimise-{name}.png"), &png)?;
    out.write(&format!("optimise-{name}.svg"), svg.as_bytes())
}

/// Writes `optimise-<model>.csv` and `optimise-<model>.json`.
pub fn optimise_tables(
    out: &mut Outputs,
    inst: &Instance,
    solution: &Solution,
    context: &[(&str, serde_json::Value)],
) -> Result<()> {
    let name = solution.model.name();
    out.write(
        &format!("optimise-{name}.csv"),
        render::optimise::table(inst, solution).to_csv().as_bytes(),
    )?;
    out.write(
        &format!("optimise-{name}.json"),
        render::optimise::summary(inst, solution, context).as_bytes(),
    )
}
