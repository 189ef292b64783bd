//! GeoJSON output (RFC 7946): WGS84 longitude/latitude with 7 decimals (about 1 cm), polygons
//! with counter-clockwise exterior rings and clockwise holes.

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::crs::Crs;
use crate::error::{Error, Result};
pub use crate::render::feature::FeatureGeometry;
use crate::render::feature::Layer;
use crate::render::tables::{format_number, OutTable};

/// Decimal places of output coordinates.
const DECIMALS: i32 = 7;

fn round(v: f64) -> f64 {
    let f = 10f64.powi(DECIMALS);
    (v * f).round() / f
}

/// A coordinate of the working CRS in WGS84, rounded for output.
pub fn lonlat(crs: &Crs, c: Coord<f64>) -> Result<Coord<f64>> {
    let (lon, lat) = crs
        .to_lonlat(c.x, c.y)
        .map_err(|m| Error::Output(format!("writing GeoJSON: {m}")))?;
    Ok(Coord {
        x: round(lon),
        y: round(lat),
    })
}

/// A polygon of the working CRS in WGS84, rounded and oriented by the right-hand rule.
pub fn multipolygon_lonlat(crs: &Crs, m: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>> {
    let ring = |l: &LineString<f64>| -> Result<LineString<f64>> {
        let mut pts: Vec<Coord<f64>> = Vec::with_capacity(l.0.len());
        for c in &l.0 {
            let p = lonlat(crs, *c)?;
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        Ok(LineString::from(pts))
    };
    let polys =
        m.0.iter()
            .map(|p| {
                Ok(Polygon::new(
                    ring(p.exterior())?,
                    p.interiors().iter().map(ring).collect::<Result<_>>()?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
    Ok(MultiPolygon(polys).orient(Direction::Default))
}

fn coord_json(c: &Coord<f64>, out: &mut String) {
    out.push('[');
    out.push_str(&format_number(c.x));
    out.push(',');
    out.push_str(&format_number(c.y));
    out.push(']');
}

fn ring_json(l: &LineString<f64>, out: &mut String) {
    out.push('[');
    for (i, c) in l.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        coord_json(c, out);
    }
    out.push(']');
}

fn geometry_json(g: &FeatureGeometry, out: &mut String) {
    match g {
        FeatureGeometry::Point(c) => {
            out.push_str("{\"type\":\"Point\",\"coordinates\":");
            coord_json(c, out);
            out.push('}');
        }
        FeatureGeometry::MultiPolygon(m) => {
            out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (i, p) in m.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('[');
                ring_json(p.exterior(), out);
                for h in p.interiors() {
                    out.push(',');
                    ring_json(h, out);
                }
                out.push(']');
            }
            out.push_str("]}");
        }
    }
}

/// A FeatureCollection: one feature per table row, its cells as properties.
pub fn feature_collection(table: &OutTable, geometries: &[Option<FeatureGeometry>]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let keys: Vec<String> = table
        .columns
        .iter()
        .map(|c| serde_json::to_string(c).expect("strings serialise"))
        .collect();
    for (i, row) in table.rows.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str("{\"type\":\"Feature\",\"properties\":{");
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&keys[j]);
            out.push(':');
            out.push_str(&cell.json());
        }
        out.push_str("},\"geometry\":");
        match &geometries[i] {
            Some(g) => geometry_json(g, &mut out),
            None => out.push_str("null"),
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    out
}

/// The catchments layer: one feature per catchment, with its site, mode, band, population and
/// vulnerable groups, area and method.
pub fn catchments_layer(
    study: &crate::model::Study,
    reach: &crate::reach::Reach,
    catchments: &[crate::catchment::Catchment],
) -> Result<Layer> {
    use crate::render::tables::Cell;
    let method = |mode| match (mode, reach.basis()) {
        (crate::mode::Mode::Transit, _) => format!(
            "zones reached by public transport, grid {} m",
            crate::catchment::cell_size(mode)
        ),
        (_, crate::reach::TimeBasis::StraightLine) => "straight-line disc".to_string(),
        (_, crate::reach::TimeBasis::Matrix) => format!(
            "zones reached in the travel-time matrix, grid {} m",
            crate::catchment::cell_size(crate::mode::Mode::Transit)
        ),
        _ => format!("network grid {} m", crate::catchment::cell_size(mode)),
    };
    let columns = [
        "site",
        "name",
        "agency",
        "kind",
        "coverage",
        "mode",
        "band_minutes",
        "population",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(study.group_columns())
    .chain(
        ["area_km2", "method", "time_basis"]
            .iter()
            .map(|s| s.to_string()),
    )
    .collect();
    let mut table = OutTable {
        columns,
        rows: Vec::new(),
    };
    let drawn: Vec<&crate::catchment::Catchment> = catchments
        .iter()
        .filter(|c| !c.polygon.0.is_empty())
        .collect();
    // Projecting the outlines to lon/lat (OSTN15 in Britain) is most of the layer's work.
    let geoms = {
        use rayon::prelude::*;
        drawn
            .par_iter()
            .map(|c| {
                Ok(Some(FeatureGeometry::MultiPolygon(multipolygon_lonlat(
                    &study.crs, &c.polygon,
                )?)))
            })
            .collect::<Result<Vec<_>>>()?
    };
    for c in drawn {
        let site = c.site.map(|s| &study.sites[s]);
        let mut row = vec![
            site.map(|s| Cell::Text(s.id.clone())).unwrap_or(Cell::Null),
            site.map(|s| Cell::Text(s.name.clone()))
                .unwrap_or(Cell::Null),
            site.map(|s| Cell::Text(s.agency.clone()))
                .unwrap_or(Cell::Null),
            Cell::Text(c.kind.clone()),
            Cell::Bool(c.site.is_none()),
            Cell::Text(c.mode.name().into()),
            Cell::Number(c.band as f64),
            Cell::rounded(c.population, 2),
        ];
        row.extend(c.vulnerable.iter().map(|v| Cell::rounded(*v, 2)));
        row.push(Cell::rounded(c.area_km2(), 4));
        row.push(Cell::Text(method(c.mode)));
        let basis = reach
            .modes
            .iter()
            .find(|m| m.params.mode == c.mode)
            .map_or(reach.basis(), |m| m.times.basis);
        row.push(Cell::Text(basis.name().into()));
        table.rows.push(row);
    }
    Ok(Layer {
        name: "catchments".into(),
        table,
        geometries: geoms,
        when_empty: "MultiPolygon",
    })
}

/// Links of a walking or cycling network drawn whole as context when it has at most this many.
const STREETS_DRAWN: usize = 40_000;

/// Drive links at this speed (km/h) or more are main roads (secondary roads and above in the
/// default profile).
const MAIN_ROAD_KMH: f64 = 50.0;

/// roads.geojson: the network's main roads, for maps' context. With a drive network, one
/// MultiLineString of the links driven at 50 km/h or more (class `main_road`); without one,
/// the walking or cycling network's links where it has at most 40,000 (class `street`).
/// Lines are simplified to 5 m and written with 5 decimals (about 1 m). None when the network
/// gives nothing to draw.
pub fn roads_geojson(crs: &Crs, network: &crate::network::Network) -> Result<Option<String>> {
    use crate::mode::Mode;
    use geo::Simplify;
    let drive = network.modes.iter().find(|m| m.graph.mode == Mode::Drive);
    let (class, links): (&str, Vec<&crate::network::graph::Link>) = match drive {
        Some(d) => (
            "main_road",
            d.graph
                .links
                .iter()
                .filter(|l| {
                    let ms = l.ms_ab.into_iter().chain(l.ms_ba).min().unwrap_or(u32::MAX);
                    ms > 0 && l.length_m / (ms as f64 / 1000.0) * 3.6 >= MAIN_ROAD_KMH
                })
                .collect(),
        ),
        None => match network.modes.iter().find(|m| m.graph.mode != Mode::Transit) {
            Some(m) if m.graph.links.len() <= STREETS_DRAWN => {
                ("street", m.graph.links.iter().collect())
            }
            _ => return Ok(None),
        },
    };
    if links.is_empty() {
        return Ok(None);
    }
    let mut lines = Vec::with_capacity(links.len());
    for l in links {
        let simple = LineString::from(l.geometry.clone()).simplify(5.0);
        let mut pts = Vec::with_capacity(simple.0.len());
        for c in &simple.0 {
            let p = lonlat(crs, *c)?;
            pts.push(format!(
                "[{},{}]",
                format_number((p.x * 1e5).round() / 1e5),
                format_number((p.y * 1e5).round() / 1e5)
            ));
        }
        pts.dedup();
        if pts.len() >= 2 {
            lines.push(format!("[{}]", pts.join(",")));
        }
    }
    Ok(Some(format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"class\":\"{class}\",\"links\":{}}},\"geometry\":{{\"type\":\"MultiLineString\",\"coordinates\":[{}]}}}}]}}\n",
        lines.len(),
        lines.join(",")
    )))
}
