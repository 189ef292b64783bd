//! GeoJSON FeatureCollections: properties as text columns, Point, Polygon and MultiPolygon
//! geometries.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
use polars::prelude::*;

use crate::error::{Location, Problem};

pub(super) type GeojsonParts = (DataFrame, Vec<Option<Geometry<f64>>>, Option<String>);

pub(super) fn read_geojson(path: &Path, bytes: &[u8]) -> Result<GeojsonParts, Problem> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| Problem {
        file: path.to_path_buf(),
        location: Some(Location::Line {
            line: e.line(),
            column: e.column(),
        }),
        field: None,
        message: format!("not valid JSON: {e}"),
    })?;
    let obj = value
        .as_object()
        .filter(|o| o.get("type").and_then(|t| t.as_str()) == Some("FeatureCollection"))
        .ok_or_else(|| Problem::file(path, "expected a GeoJSON FeatureCollection"))?;
    let crs_in_file = obj
        .get("crs")
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let features = obj
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| Problem::file(path, "the FeatureCollection has no \"features\" array"))?;
    let mut names: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut values: Vec<Vec<Option<String>>> = Vec::new();
    let mut geoms = Vec::with_capacity(features.len());
    for (n, f) in features.iter().enumerate() {
        let loc = Location::Feature(n + 1);
        let feature: geojson::Feature = serde_json::from_value(f.clone()).map_err(|e| Problem {
            file: path.to_path_buf(),
            location: Some(loc.clone()),
            field: None,
            message: format!("not a valid GeoJSON Feature: {e}"),
        })?;
        geoms.push(match &feature.geometry {
            None => None,
            Some(g) => Some(
                convert_geometry(&g.value)
                    .map_err(|m| Problem::at(path, loc.clone(), "geometry", m))?,
            ),
        });
        if let Some(props) = &feature.properties {
            for (k, v) in props {
                let col = *index.entry(k.clone()).or_insert_with(|| {
                    names.push(k.clone());
                    values.push(vec![None; n]);
                    names.len() - 1
                });
                values[col].push(json_text(v));
            }
        }
        for column in values.iter_mut() {
            if column.len() < n + 1 {
                column.push(None);
            }
        }
    }
    let cols: Vec<Column> = names
        .iter()
        .zip(values)
        .map(|(name, vals)| Column::new(name.as_str().into(), vals))
        .collect();
    let df =
        DataFrame::new(features.len(), cols).map_err(|e| Problem::file(path, e.to_string()))?;
    Ok((df, geoms, crs_in_file))
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn convert_geometry(value: &geojson::GeometryValue) -> Result<Geometry<f64>, String> {
    use geojson::GeometryValue as G;
    fn coord(p: &geojson::Position) -> Result<Coord<f64>, String> {
        let s = p.as_slice();
        if s.len() < 2 || !s[0].is_finite() || !s[1].is_finite() {
            return Err(format!(
                "expected a position [x, y] of two finite numbers, found {s:?}"
            ));
        }
        Ok(Coord { x: s[0], y: s[1] })
    }
    fn ring(r: &[geojson::Position]) -> Result<LineString<f64>, String> {
        if r.len() < 4 {
            return Err(format!(
                "a polygon ring needs at least 4 positions, found {}",
                r.len()
            ));
        }
        if r.first().map(|p| p.as_slice()) != r.last().map(|p| p.as_slice()) {
            return Err("a polygon ring must end where it starts".into());
        }
        r.iter()
            .map(coord)
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::from)
    }
    fn polygon(rings: &[Vec<geojson::Position>]) -> Result<Polygon<f64>, String> {
        let mut it = rings.iter();
        let outer = ring(it.next().ok_or("a polygon needs at least one ring")?)?;
        let inner = it.map(|r| ring(r)).collect::<Result<Vec<_>, _>>()?;
        Ok(Polygon::new(outer, inner))
    }
    Ok(match value {
        G::Point { coordinates } => Geometry::Point(Point(coord(coordinates)?)),
        G::Polygon { coordinates } => Geometry::Polygon(polygon(coordinates)?),
        G::MultiPolygon { coordinates } => Geometry::MultiPolygon(MultiPolygon(
            coordinates
                .iter()
                .map(|p| polygon(p))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        other => {
            return Err(format!(
                "expected a Point, Polygon or MultiPolygon, found a {}",
                other.type_name()
            ))
        }
    })
}
