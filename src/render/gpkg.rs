//! The GeoPackage (OGC 12-128, version 1.3, which GDAL 3.6 and later read without a warning): every spatial layer of a run in one SQLite file
//! that QGIS opens by default, with the QGIS styles of its recommendation and minutes layers in
//! the `layer_styles` table QGIS reads them from.
//!
//! Built in an in-memory database through rusqlite (SQLite bundled, so nothing to install) and
//! serialised to bytes, so that the file is staged like every other output. Nothing in it
//! depends on the clock: `last_change` is a fixed instant, so equal inputs give equal bytes.
//! Layers have no R-tree spatial index (the `gpkg_rtree_index` extension): its triggers call
//! SQL functions that only GeoPackage-aware software provides; QGIS builds one on demand.

use rusqlite::{params, params_from_iter, Connection, MAIN_DB};

use crate::error::{Error, Result};
use crate::render::feature::{FeatureGeometry, Layer};
use crate::render::tables::{Cell, ColumnType};

/// The SQLite application id of a GeoPackage ("GPKG").
const APPLICATION_ID: i32 = 0x4750_4B47;
/// The GeoPackage version, as `PRAGMA user_version` holds it (1.3.0).
const USER_VERSION: i32 = 10300;
/// WGS 84 longitude/latitude.
const SRS_ID: i32 = 4326;
/// The `last_change` of every layer: fixed, so that outputs do not depend on the clock.
const LAST_CHANGE: &str = "2000-01-01T00:00:00.000Z";

/// A QGIS style (QML) for one layer, stored as its default.
pub struct Style {
    /// The layer it styles.
    pub layer: String,
    /// Its name in QGIS's style list.
    pub name: String,
    /// The QML document.
    pub qml: String,
}

/// The GeoPackage of `layers` (tables named as the layers, `-` written `_`) with `styles`.
pub fn geopackage(file: &str, layers: &[&Layer], styles: &[Style]) -> Result<Vec<u8>> {
    let fail = |e: rusqlite::Error| Error::Output(format!("writing {file}: {e}"));
    let mut db = Connection::open_in_memory().map_err(fail)?;
    db.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
    ))
    .map_err(fail)?;
    db.execute_batch(CORE_TABLES).map_err(fail)?;
    db.execute_batch("BEGIN").map_err(fail)?;
    for layer in layers {
        write_layer(&db, layer).map_err(fail)?;
    }
    if !styles.is_empty() {
        write_styles(&db, styles).map_err(fail)?;
    }
    db.execute_batch("COMMIT; VACUUM;").map_err(fail)?;
    let data = db.serialize(MAIN_DB).map_err(fail)?;
    Ok(data.to_vec())
}

/// The table name of a layer.
pub fn table_name(layer: &str) -> String {
    layer.replace('-', "_")
}

/// SQL text of an identifier, double-quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The required tables, with the three required spatial reference systems.
const CORE_TABLES: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"#;

/// The geometry type a layer's column is declared as.
fn geometry_type_name(layer: &Layer) -> &'static str {
    match layer.geometry_types().as_slice() {
        ["Point"] => "POINT",
        ["MultiPolygon"] => "MULTIPOLYGON",
        _ => "GEOMETRY",
    }
}

fn sql_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Number => "REAL",
        ColumnType::Bool => "BOOLEAN",
        ColumnType::Text => "TEXT",
    }
}

/// One feature table, registered in gpkg_contents and gpkg_geometry_columns.
fn write_layer(db: &Connection, layer: &Layer) -> rusqlite::Result<()> {
    let table = table_name(&layer.name);
    let t = &layer.table;
    let types: Vec<ColumnType> = (0..t.columns.len()).map(|j| t.column_type(j)).collect();
    let geom_type = geometry_type_name(layer);
    let columns: Vec<String> = t
        .columns
        .iter()
        .zip(&types)
        .map(|(c, &ty)| format!("{} {}", ident(c), sql_type(ty)))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {geom_type}{}{})",
        ident(&table),
        if columns.is_empty() { "" } else { ", " },
        columns.join(", ")
    ))?;
    let b = layer.bbox();
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, \
         min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            table,
            LAST_CHANGE,
            b.map(|b| b[0]),
            b.map(|b| b[1]),
            b.map(|b| b[2]),
            b.map(|b| b[3]),
            SRS_ID
        ],
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![table, geom_type, SRS_ID],
    )?;
    let marks = vec!["?"; t.columns.len() + 1].join(", ");
    let names: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
    let mut insert = db.prepare(&format!(
        "INSERT INTO {} (geom{}{}) VALUES ({marks})",
        ident(&table),
        if names.is_empty() { "" } else { ", " },
        names.join(", ")
    ))?;
    for (row, g) in t.rows.iter().zip(&layer.geometries) {
        let blob = g
            .as_ref()
            .map(geometry_blob)
            .transpose()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        let values = std::iter::once(blob.map(rusqlite::types::Value::Blob))
            .map(|v| v.unwrap_or(rusqlite::types::Value::Null))
            .chain(row.iter().zip(&types).map(|(c, &ty)| value(c, ty)));
        insert.execute(params_from_iter(values))?;
    }
    Ok(())
}

/// A cell as an SQLite value of its column's type.
fn value(c: &Cell, ty: ColumnType) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match (c, ty) {
        (Cell::Null, _) => Value::Null,
        (Cell::Number(v), ColumnType::Number) => Value::Real(*v),
        (Cell::Bool(b), ColumnType::Bool) => Value::Integer(i64::from(*b)),
        (Cell::Text(s), _) => Value::Text(s.clone()),
        (other, _) => Value::Text(other.csv()),
    }
}

/// A GeoPackage geometry blob: the header (magic `GP`, version 0, flags, SRS id and, for
/// anything but a point, the envelope minx, maxx, miny, maxy), then the WKB.
pub fn geometry_blob(g: &FeatureGeometry) -> Result<Vec<u8>> {
    let envelope = match g {
        FeatureGeometry::Point(_) => None,
        FeatureGeometry::MultiPolygon(_) => g.bbox(),
    };
    // Flags: bit 0 little-endian; bits 1-3 the envelope (1: x and y); bit 4 empty.
    let empty = matches!(g, FeatureGeometry::MultiPolygon(m) if m.0.is_empty());
    let flags: u8 =
        1 | if envelope.is_some() { 1 << 1 } else { 0 } | if empty { 1 << 4 } else { 0 };
    let mut out = vec![b'G', b'P', 0, flags];
    out.extend(SRS_ID.to_le_bytes());
    if let Some([x0, y0, x1, y1]) = envelope {
        for v in [x0, x1, y0, y1] {
            out.extend(v.to_le_bytes());
        }
    }
    out.extend(g.wkb()?);
    Ok(out)
}

/// The `layer_styles` table QGIS reads default styles from, registered as attributes.
fn write_styles(db: &Connection, styles: &[Style]) -> rusqlite::Result<()> {
    db.execute_batch(
        "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), \
         f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), \
         styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, \
         owner TEXT(30), ui TEXT(30), update_time DATETIME)",
    )?;
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) \
         VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', ?1)",
        params![LAST_CHANGE],
    )?;
    for s in styles {
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, \
             f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, \
             ui, update_time) VALUES ('', '', ?1, 'geom', ?2, ?3, '', 1, ?2, 'frontdoor', '', ?4)",
            params![table_name(&s.layer), s.name, s.qml, LAST_CHANGE],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Coord;

    #[test]
    fn a_point_blob_has_no_envelope() {
        let b = geometry_blob(&FeatureGeometry::Point(Coord { x: 1.0, y: 2.0 })).unwrap();
        assert_eq!(&b[..4], &[b'G', b'P', 0, 1]);
        assert_eq!(&b[4..8], &4326i32.to_le_bytes());
        assert_eq!(b.len(), 8 + 21);
    }

    #[test]
    fn a_polygon_blob_has_its_envelope_in_x_then_y_order() {
        let ring = vec![(0.0, 1.0), (2.0, 1.0), (2.0, 5.0), (0.0, 1.0)];
        let sq = geo::Polygon::new(geo::LineString::from(ring), vec![]);
        let b = geometry_blob(&FeatureGeometry::MultiPolygon(geo::MultiPolygon(vec![sq]))).unwrap();
        assert_eq!(b[3], 0b011);
        let f = |k: usize| f64::from_le_bytes(b[8 + 8 * k..16 + 8 * k].try_into().unwrap());
        assert_eq!([f(0), f(1), f(2), f(3)], [0.0, 2.0, 1.0, 5.0]);
    }
}
