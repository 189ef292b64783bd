//! GeoPackage layers (OGC GeoPackage 1.x) read through rusqlite: one feature table (the
//! study's `layer`, else the only one), its attributes as text, its geometry column decoded,
//! and the CRS of its `srs_id` named as `EPSG:<code>` where the organisation is EPSG.

use std::path::Path;

use geo::Geometry;
use polars::prelude::*;
use rusqlite::{types::ValueRef, Connection, OpenFlags};

use crate::error::{Location, Problem};

/// A layer's columns, geometries and CRS.
pub(super) type Layer = (DataFrame, Vec<Option<Geometry<f64>>>, Option<String>);

/// Reads a layer of the GeoPackage at `path`.
pub(super) fn read_layer(path: &Path, layer: Option<&str>) -> Result<Layer, Problem> {
    let bad = |m: String| Problem::file(path, m);
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(format!("not a readable GeoPackage: {e}")))?;
    let sql = |e: rusqlite::Error| bad(format!("not a readable GeoPackage: {e}"));
    let layers: Vec<(String, String, Option<i64>)> = db
        .prepare(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.table_name",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(sql)?;
    let listed = || {
        layers
            .iter()
            .map(|l| format!("\"{}\"", l.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (table, geom_col, srs) = match layer {
        Some(name) => layers
            .iter()
            .find(|l| l.0 == name)
            .cloned()
            .ok_or_else(|| {
                bad(format!(
                    "no feature layer \"{name}\"; the layers are: {}",
                    listed()
                ))
            })?,
        None if layers.len() == 1 => layers[0].clone(),
        None => {
            return Err(bad(format!(
                "the GeoPackage has {} feature layers: name one with layer = \"...\" ({})",
                layers.len(),
                listed()
            )))
        }
    };
    let crs = match srs {
        Some(id) => db
            .query_row(
                "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
                [id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .ok()
            .filter(|(org, _)| org.eq_ignore_ascii_case("EPSG"))
            .map(|(_, code)| format!("EPSG:{code}")),
        None => None,
    };
    let mut stmt = db
        .prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))
        .map_err(sql)?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let gi = names.iter().position(|n| *n == geom_col);
    if gi.is_none() {
        return Err(bad(format!(
            "layer \"{table}\": its geometry column \"{geom_col}\" is not in the table"
        )));
    }
    let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    let mut geoms = Vec::new();
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let n = geoms.len() + 1;
        for (j, col) in values.iter_mut().enumerate() {
            let v = row.get_ref(j).map_err(sql)?;
            if Some(j) == gi {
                geoms.push(match v {
                    ValueRef::Blob(b) => super::wkb::from_gpkg_blob(b).map_err(|m| {
                        Problem::at(path, Location::Feature(n), geom_col.clone(), m)
                    })?,
                    _ => None,
                });
                continue;
            }
            col.push(match v {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i.to_string()),
                ValueRef::Real(f) => Some(f.to_string()),
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).to_string()),
                ValueRef::Blob(_) => None,
            });
        }
    }
    let cols: Vec<Column> = names
        .iter()
        .zip(values)
        .enumerate()
        .filter(|(j, _)| Some(*j) != gi)
        .map(|(_, (n, v))| Column::new(n.as_str().into(), v))
        .collect();
    let df = DataFrame::new(geoms.len(), cols).map_err(|e| bad(e.to_string()))?;
    Ok((df, geoms, crs))
}
