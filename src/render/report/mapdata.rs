//! The interactive map's data, embedded in report.html as one JSON document the map script
//! reads: sites (with their symbol, agency, recommendation and reasons), zones (simplified
//! outlines with minutes to the nearest front door and people losing a service under the plan),
//! the network's main roads, place labels from zone names, the decision band's catchments and
//! the share proposals. Coordinates are whole metres east and north of the study's south-west
//! corner (an equirectangular projection at the study's mean latitude, exact enough to draw
//! and to measure a scale bar at county scale), outlines delta-coded, so a county's data is a
//! few hundred kilobytes and England's a few tens of megabytes.

use std::collections::BTreeMap;

use geo::{Coord, LineString, Simplify};
use serde::de::IgnoredAny;
use serde_json::{json, Value};

use super::csv::Csv;
use super::inputs::Inputs;
use super::outlines::{Features, Geometry};
use super::summary::place_of;
use crate::render::symbols::symbol;

/// Metres per degree of latitude (mean).
const M_PER_DEG: f64 = 111_195.0;

/// Catchments are drawn where the study has at most this many assessed sites.
const MOST_CATCHMENTS: usize = 3_000;

/// Recommendations in the order the map's legend and filters list them.
pub(super) const RECOMMENDATIONS: [&str; 8] = [
    "close",
    "share",
    "open",
    "review",
    "keep",
    "not_opened",
    "context",
    "not_assessed",
];

/// The local projection: lon/lat to metres from an origin.
struct Projection {
    lon0: f64,
    lat0: f64,
    kx: f64,
}

impl Projection {
    fn new(lons: &[f64], lats: &[f64]) -> Projection {
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let (lon0, lat0) = (min(lons), min(lats));
        let mean_lat = if lats.is_empty() {
            0.0
        } else {
            lats.iter().sum::<f64>() / lats.len() as f64
        };
        Projection {
            lon0: if lon0.is_finite() { lon0 } else { 0.0 },
            lat0: if lat0.is_finite() { lat0 } else { 0.0 },
            kx: M_PER_DEG * mean_lat.to_radians().cos(),
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> Coord<f64> {
        Coord {
            x: (lon - self.lon0) * self.kx,
            y: (lat - self.lat0) * M_PER_DEG,
        }
    }
}

/// A line or ring simplified to `tolerance` metres and delta-coded in whole metres:
/// `[x0, y0, dx1, dy1, ...]`.
fn encode(points: Vec<Coord<f64>>, tolerance: f64) -> Vec<i64> {
    let line = LineString::from(points).simplify(tolerance);
    let mut out = Vec::with_capacity(line.0.len() * 2);
    let (mut px, mut py) = (0i64, 0i64);
    for c in &line.0 {
        let (x, y) = (c.x.round() as i64, c.y.round() as i64);
        if !out.is_empty() && x == px && y == py {
            continue;
        }
        out.push(x - px);
        out.push(y - py);
        (px, py) = (x, y);
    }
    out
}

/// A column's values as numbers (None where blank or not a number).
fn numbers(t: &Csv, column: &str) -> Vec<Option<f64>> {
    let i = t.col(column);
    t.rows
        .iter()
        .map(|r| i.and_then(|i| r.get(i)).and_then(|v| v.parse::<f64>().ok()))
        .collect()
}

/// A column's values as text (blank where absent).
fn texts<'a>(t: &'a Csv, column: &str) -> Vec<&'a str> {
    let i = t.col(column);
    t.rows
        .iter()
        .map(|r| i.and_then(|i| r.get(i)).map_or("", String::as_str))
        .collect()
}

/// Values to indices into a sorted list of the distinct values.
fn factor(values: &[&str]) -> (Vec<String>, Vec<usize>) {
    let levels: Vec<String> = values
        .iter()
        .map(|v| v.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let idx = values
        .iter()
        .map(|v| levels.binary_search_by(|l| l.as_str().cmp(v)).unwrap_or(0))
        .collect();
    (levels, idx)
}

/// Rounds to one decimal for the data (minutes).
fn tenth(v: Option<f64>) -> Value {
    v.filter(|x| x.is_finite())
        .map_or(Value::Null, |x| json!((x * 10.0).round() / 10.0))
}

/// The sites: coordinates, symbol, agency, recommendation, name, id and (for assessed sites)
/// the reasons.
fn sites(r: &Inputs, proj: &Projection) -> Value {
    let s = &r.sites;
    let (lon, lat) = (numbers(s, "lon"), numbers(s, "lat"));
    let (kinds, kind) = factor(&texts(s, "kind"));
    let (agencies, agency) = factor(&texts(s, "agency"));
    let recs = texts(s, "recommendation");
    let rec: Vec<usize> = recs
        .iter()
        .map(|v| RECOMMENDATIONS.iter().position(|x| x == v).unwrap_or(7))
        .collect();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (a, b) in lon.iter().zip(&lat) {
        let c = proj.xy(a.unwrap_or(proj.lon0), b.unwrap_or(proj.lat0));
        x.push(c.x.round() as i64);
        y.push(c.y.round() as i64);
    }
    let assessed = texts(s, "assessed");
    let why: Vec<&str> = texts(s, "reasons")
        .into_iter()
        .zip(&assessed)
        .zip(&recs)
        .map(|((w, a), rec)| {
            if *a == "true" || *rec == "open" || *rec == "not_opened" {
                w
            } else {
                ""
            }
        })
        .collect();
    let band = format!("close_alone_losing_{}min_{}", r.minutes, r.mode);
    let kind_list: Vec<Value> = kinds
        .iter()
        .map(|k| {
            let sym = symbol(k);
            json!({"name": k, "shape": sym.shape.name(), "colour": sym.hex(),
                   "furniture": r.furniture.contains(k)})
        })
        .collect();
    json!({
        "kinds": kind_list,
        "agencies": agencies,
        "id": texts(s, "id"),
        "name": texts(s, "name"),
        "kind": kind,
        "agency": agency,
        "rec": rec,
        "x": x,
        "y": y,
        "role": texts(s, "role"),
        "catchment": numbers(s, &format!("population_{}min_{}", r.minutes, r.mode)).iter().map(|v| v.map(|x| x.round())).collect::<Vec<_>>(),
        "losing": numbers(s, &band).iter().map(|v| v.map(|x| x.round())).collect::<Vec<_>>(),
        "contacts": numbers(s, "face_to_face_a_year").iter().map(|v| v.map(|x| x.round())).collect::<Vec<_>>(),
        "cost": numbers(s, "annual_cost"),
        "why": why,
    })
}

/// A zone feature's `id` property.
#[derive(serde::Deserialize)]
struct OutlineId {
    #[serde(default)]
    id: Value,
}

/// A catchment feature's properties the map reads.
#[derive(serde::Deserialize)]
struct CatchmentOf {
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    band_minutes: Option<u64>,
    #[serde(default)]
    kind: String,
}

/// A feature's lines projected, simplified and delta-coded; those of fewer than `least`
/// numbers dropped.
fn encoded(
    geometry: Option<Geometry>,
    proj: &Projection,
    tolerance: f64,
    least: usize,
) -> Vec<Vec<i64>> {
    geometry
        .map(Geometry::lines)
        .unwrap_or_default()
        .into_iter()
        .map(|ring| {
            encode(
                ring.iter().map(|(a, b)| proj.xy(*a, *b)).collect(),
                tolerance,
            )
        })
        .filter(|e| e.len() >= least)
        .collect()
}

/// The zones: outlines, names, people, minutes to the nearest front door today and under the
/// plan, and whether the plan takes a service out of reach.
fn zones(r: &Inputs, z: &Csv, proj: &Projection, tolerance: f64) -> Value {
    let ids = texts(z, "id");
    let mut outline: BTreeMap<String, Vec<Vec<i64>>> = BTreeMap::new();
    if let Some(doc) = r
        .text("zones.geojson")
        .and_then(|t| serde_json::from_str::<Features<OutlineId>>(&t).ok())
    {
        for f in doc.features {
            let id = match &f.properties.id {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let rs = encoded(f.geometry, proj, tolerance, 6);
            if !rs.is_empty() {
                outline.insert(id, rs);
            }
        }
    }
    let plan = r
        .text("scenario-recommended.csv")
        .map(|t| Csv::parse(&t))
        .unwrap_or(Csv {
            columns: Vec::new(),
            rows: Vec::new(),
        });
    let plan_row: BTreeMap<&str, usize> = texts(&plan, "id")
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let after = numbers(&plan, &format!("minutes_{}_after", r.mode));
    let loses = texts(&plan, &format!("loses_{}min_{}", r.minutes, r.mode));
    let (lon, lat) = (numbers(z, "lon"), numbers(z, "lat"));
    let mut before = Vec::new();
    let mut after_z = Vec::new();
    let mut lost = Vec::new();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (i, row) in z.rows.iter().enumerate() {
        before.push(tenth(super::inputs::front_door_minutes(row, r)));
        let p = plan_row.get(ids[i]).copied();
        after_z.push(tenth(p.and_then(|p| after[p])));
        lost.push(p.is_some_and(|p| loses[p] == "true"));
        let c = proj.xy(lon[i].unwrap_or(proj.lon0), lat[i].unwrap_or(proj.lat0));
        x.push(c.x.round() as i64);
        y.push(c.y.round() as i64);
    }
    let shapes: Vec<Value> = ids
        .iter()
        .map(|id| outline.get(*id).map_or(Value::Null, |r| json!(r)))
        .collect();
    json!({
        "id": ids,
        "name": texts(z, "name"),
        "population": numbers(z, "population"),
        "x": x,
        "y": y,
        "before": before,
        "after": if plan.rows.is_empty() { Value::Null } else { json!(after_z) },
        "loses": lost,
        "rings": shapes,
    })
}

/// Places further apart than this (metres) with the same name are different places.
const PLACE_CELL_M: f64 = 25_000.0;

/// Place labels from zone names: the zones of one place ("Cherwell 008A", "Cherwell 012B")
/// labelled once at their population-weighted centre, largest first; none where names do not
/// group (every zone its own place). Zones of one name far apart (two Newports) are two places.
fn places(zones: &Value) -> Value {
    let names = zones["name"].as_array().cloned().unwrap_or_default();
    // Per (name, cell): population-weighted sums of x and y, and the population.
    type Sums = (f64, f64, f64);
    let mut acc: BTreeMap<(String, i64, i64), Sums> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        let name = place_of(n.as_str().unwrap_or("")).to_string();
        if name.is_empty() {
            continue;
        }
        let p = zones["population"][i].as_f64().unwrap_or(0.0).max(1.0);
        let (x, y) = (
            zones["x"][i].as_f64().unwrap_or(0.0),
            zones["y"][i].as_f64().unwrap_or(0.0),
        );
        let cell = (
            (x / PLACE_CELL_M).floor() as i64,
            (y / PLACE_CELL_M).floor() as i64,
        );
        let e = acc.entry((name, cell.0, cell.1)).or_insert((0.0, 0.0, 0.0));
        e.0 += p * x;
        e.1 += p * y;
        e.2 += p;
    }
    if acc.len() * 2 > names.len() {
        return json!([]);
    }
    let mut v: Vec<(String, f64, f64, f64)> = acc
        .into_iter()
        .map(|((n, _, _), (sx, sy, p))| (n, (sx / p).round(), (sy / p).round(), p))
        .collect();
    v.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    json!(v
        .into_iter()
        .map(|(n, x, y, p)| json!([n, x, y, p]))
        .collect::<Vec<_>>())
}

/// The main roads (roads.geojson), when the run had a network.
fn roads(r: &Inputs, proj: &Projection, tolerance: f64) -> Value {
    let Some(doc) = r
        .text("roads.geojson")
        .and_then(|t| serde_json::from_str::<Features<IgnoredAny>>(&t).ok())
    else {
        return json!([]);
    };
    let lines: Vec<Vec<i64>> = doc
        .features
        .into_iter()
        .flat_map(|f| encoded(f.geometry, proj, tolerance, 4))
        .collect();
    json!(lines)
}

/// The decision band's catchments of the assessed sites, by site index.
fn catchments(r: &Inputs, proj: &Projection, tolerance: f64) -> Value {
    let assessed = texts(&r.sites, "assessed")
        .iter()
        .filter(|a| **a == "true")
        .count();
    if assessed > MOST_CATCHMENTS {
        return json!([]);
    }
    let Some(doc) = r
        .text("catchments.geojson")
        .and_then(|t| serde_json::from_str::<Features<CatchmentOf>>(&t).ok())
    else {
        return json!([]);
    };
    let index: BTreeMap<&str, usize> = texts(&r.sites, "id")
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let mut out = Vec::new();
    for f in doc.features {
        let p = &f.properties;
        let right = p.mode == r.mode && p.band_minutes == Some(r.minutes);
        let Some(&site) = p.site.as_deref().and_then(|s| index.get(s)) else {
            continue;
        };
        if right && r.furniture.iter().all(|k| p.kind != *k) {
            out.push(json!([site, encoded(f.geometry, proj, tolerance, 6)]));
        }
    }
    json!(out)
}

/// The share proposals: host and guests by site index.
fn proposals(r: &Inputs) -> Value {
    let props = Csv::parse(&r.text("proposals.csv").unwrap_or_default());
    let index: BTreeMap<&str, usize> = texts(&r.sites, "id")
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    json!(props
        .rows
        .iter()
        .filter_map(|p| {
            let host = *index.get(props.get(p, "host"))?;
            let guests: Vec<usize> = props
                .get(p, "guests")
                .split(';')
                .filter_map(|g| index.get(g).copied())
                .collect();
            let walk: Vec<Value> = props
                .get(p, "guest_walk_minutes")
                .split(';')
                .map(|w| w.parse::<f64>().map_or(Value::Null, |v| json!(v)))
                .collect();
            Some(
                json!({"id": props.get(p, "proposal"), "host": host, "guests": guests,
                        "walk": walk, "recommended": props.get(p, "recommended") == "true"}),
            )
        })
        .collect::<Vec<_>>())
}

/// The map's whole data document.
pub(super) fn map_data(r: &Inputs) -> String {
    let zones_csv = Csv::parse(&r.text("zones.csv").unwrap_or_default());
    let mut lons: Vec<f64> = numbers(&r.sites, "lon").into_iter().flatten().collect();
    let mut lats: Vec<f64> = numbers(&r.sites, "lat").into_iter().flatten().collect();
    lons.extend(numbers(&zones_csv, "lon").into_iter().flatten());
    lats.extend(numbers(&zones_csv, "lat").into_iter().flatten());
    let proj = Projection::new(&lons, &lats);
    let extent = lons
        .iter()
        .zip(&lats)
        .map(|(a, b)| proj.xy(*a, *b))
        .fold(0.0f64, |m, c| m.max(c.x).max(c.y));
    // About a pixel of a 3,000-pixel view of the whole study.
    let tolerance = (extent / 3000.0).clamp(2.0, 200.0);
    let zones = zones(r, &zones_csv, &proj, tolerance);
    let doc = json!({
        "study": r.study_name,
        "mode": r.mode,
        "minutes": r.minutes,
        "recommendations": RECOMMENDATIONS,
        "sites": sites(r, &proj),
        "places": places(&zones),
        "zones": zones,
        "roads": roads(r, &proj, tolerance),
        "catchments": catchments(r, &proj, tolerance),
        "proposals": proposals(r),
        "currency": r.decide["currency"],
    });
    // In a <script> element: a "</" would end it.
    doc.to_string().replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_are_delta_coded_whole_metres() {
        let pts = vec![
            Coord { x: 10.2, y: 20.0 },
            Coord { x: 110.0, y: 20.4 },
            Coord { x: 110.0, y: 120.0 },
            Coord { x: 10.2, y: 20.0 },
        ];
        assert_eq!(encode(pts, 1.0), vec![10, 20, 100, 0, 0, 100, -100, -100]);
    }

    #[test]
    fn the_projection_measures_metres() {
        // 0.01 degree of latitude is 1,112 m; of longitude at 51.75 N, 688 m.
        let p = Projection::new(&[-1.3], &[51.75]);
        let c = p.xy(-1.29, 51.76);
        assert!((c.y - 1112.0).abs() < 1.0, "{}", c.y);
        assert!((c.x - 688.0).abs() < 1.0, "{}", c.x);
    }
}
