//! One part written as a study of its own: its zones and the sites they need as GeoParquet in
//! the whole study's working CRS (coordinates as loaded, to the bit), and a study.toml with the
//! whole study's travel settings, its paths made absolute. A part has no demand: it measures
//! travel times, and the whole study's stages after reach run once, on every part's times
//! (`frontdoor merge`).

use std::path::Path;

use geo::orient::{Direction, Orient};

use crate::error::{Error, Result};
use crate::model::Study;
use crate::render::feature::{FeatureGeometry, Layer};
use crate::render::geoparquet::layer_parquet_in;
use crate::render::tables::{Cell, OutTable, SITE_ATTRIBUTES};

/// The files of one part: (name in the part's folder, bytes).
pub(crate) fn part_files(
    study: &Study,
    travel: &toml::Table,
    title: &str,
    zones: &[usize],
    sites: &[usize],
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let epsg = Some(study.crs.code());
    Ok(vec![
        (
            "zones.parquet",
            layer_parquet_in(&zones_layer(study, zones), epsg)?,
        ),
        (
            "sites.parquet",
            layer_parquet_in(&sites_layer(study, sites), epsg)?,
        ),
        ("study.toml", study_toml(study, travel, title)?.into_bytes()),
    ])
}

fn num(v: f64) -> Cell {
    Cell::Number(v)
}

fn opt_num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Null, Cell::Number)
}

/// The part's zones: id, name, population, the profile, the point and the polygon.
fn zones_layer(study: &Study, zones: &[usize]) -> Layer {
    let mut columns: Vec<String> = vec!["id".into(), "name".into(), "population".into()];
    columns.extend(study.profile.iter().cloned());
    columns.extend(["x".into(), "y".into()]);
    let mut rows = Vec::with_capacity(zones.len());
    let mut geometries = Vec::with_capacity(zones.len());
    for &z in zones {
        let zone = &study.zones[z];
        let mut row = vec![
            Cell::Text(zone.id.clone()),
            Cell::opt_text(&zone.name),
            num(zone.population),
        ];
        row.extend(zone.profile.iter().map(|&v| num(v)));
        row.extend([num(zone.point.x), num(zone.point.y)]);
        rows.push(row);
        geometries.push(
            zone.polygon
                .as_ref()
                .map(|p| FeatureGeometry::MultiPolygon(p.orient(Direction::Default))),
        );
    }
    Layer {
        name: "zones".into(),
        table: OutTable { columns, rows },
        geometries,
        when_empty: "MultiPolygon",
    }
}

/// The part's sites with every attribute the study file can give.
fn sites_layer(study: &Study, sites: &[usize]) -> Layer {
    let columns = SITE_ATTRIBUTES.map(String::from).to_vec();
    let mut rows = Vec::with_capacity(sites.len());
    let mut geometries = Vec::with_capacity(sites.len());
    for &s in sites {
        let site = &study.sites[s];
        rows.push(vec![
            Cell::Text(site.id.clone()),
            Cell::Text(site.name.clone()),
            Cell::Text(site.agency.clone()),
            Cell::Text(site.kind.clone()),
            Cell::Text(site.services.join(";")),
            opt_num(site.annual_cost),
            opt_num(site.capacity),
            opt_num(site.floor_area_m2),
            opt_num(site.opening_hours),
            Cell::opt_text(&site.tenure),
            Cell::opt_text(&site.lease_end),
            Cell::opt_text(&site.condition),
            Cell::Bool(site.fixed),
            Cell::Bool(site.candidate),
            num(site.point.x),
            num(site.point.y),
        ]);
        geometries.push(Some(FeatureGeometry::Point(site.point)));
    }
    Layer {
        name: "sites".into(),
        table: OutTable { columns, rows },
        geometries,
        when_empty: "Point",
    }
}

/// The part's study file.
fn study_toml(study: &Study, travel: &toml::Table, title: &str) -> Result<String> {
    let crs = format!("EPSG:{}", study.crs.code());
    let strings =
        |v: &[String]| toml::Value::Array(v.iter().cloned().map(toml::Value::from).collect());
    let mut zones = toml::Table::new();
    for (k, v) in [
        ("path", "zones.parquet"),
        ("crs", crs.as_str()),
        ("id", "id"),
        ("name", "name"),
        ("population", "population"),
        ("x", "x"),
        ("y", "y"),
    ] {
        zones.insert(k.into(), v.into());
    }
    zones.insert("profile".into(), strings(&study.profile));
    let vulnerable: Vec<String> = study
        .vulnerable
        .iter()
        .map(|&v| study.profile[v].clone())
        .collect();
    zones.insert("vulnerable".into(), strings(&vulnerable));
    let mut sites = toml::Table::new();
    sites.insert("path".into(), "sites.parquet".into());
    sites.insert("crs".into(), crs.clone().into());
    let mut output = toml::Table::new();
    output.insert("formats".into(), strings(&["csv".to_string()]));
    // Written section by section, in the order a person reads a study file.
    let section = |key: &str, value: toml::Value| {
        let mut t = toml::Table::new();
        t.insert(key.into(), value);
        toml::to_string(&t).map_err(|e| Error::Output(format!("writing a part's study.toml: {e}")))
    };
    let body = [
        section("name", title.into())?,
        section("crs", crs.into())?,
        section("attribution", strings(&study.attribution))?,
        format!("\n{}", section("zones", toml::Value::Table(zones))?),
        format!(
            "\n{}",
            section("sites", toml::Value::Array(vec![toml::Value::Table(sites)]))?
        ),
        format!(
            "\n{}",
            section("travel", toml::Value::Table(travel.clone()))?
        ),
        format!("\n{}", section("output", toml::Value::Table(output))?),
    ]
    .concat();
    Ok(format!(
        "# A part of {} written by `frontdoor partition`: its zones, the sites they need, and the\n# whole study's travel settings. Measure it with `frontdoor reach study.toml --out out`.\n{body}",
        study.path.display()
    ))
}

/// The whole study's `[travel]` table with its paths made absolute, so that a part reads the
/// same network, timetables, matrix and graph cache wherever its folder is.
pub(crate) fn travel_table(study_path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(study_path).map_err(|e| Error::io(study_path, e))?;
    let file: toml::Table = toml::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", study_path.display())))?;
    let dir = study_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let absolute = |v: &toml::Value| match v.as_str() {
        Some(p) => toml::Value::from(dir.join(p).to_string_lossy().into_owned()),
        None => v.clone(),
    };
    let mut travel = file
        .get("travel")
        .and_then(|t| t.as_table())
        .cloned()
        .unwrap_or_default();
    for key in ["network", "matrix", "cache_dir"] {
        if let Some(v) = travel.get(key).map(absolute) {
            travel.insert(key.into(), v);
        }
    }
    if let Some(toml::Value::Array(feeds)) = travel.get("gtfs") {
        let feeds = feeds.iter().map(absolute).collect();
        travel.insert("gtfs".into(), toml::Value::Array(feeds));
    }
    Ok(travel)
}
