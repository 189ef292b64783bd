//! GeoParquet 1.1 layers: the attributes as typed columns, the geometry as WKB in `geometry`,
//! a `bbox` covering column (struct of xmin, ymin, xmax, ymax) that readers such as DuckDB and
//! GDAL use to skip row groups, and the `geo` file metadata. Coordinates are longitude and
//! latitude on WGS84, GeoParquet's default CRS (OGC:CRS84), so the metadata names no `crs`.
//!
//! Written with polars, which frontdoor already builds for its Parquet inputs: the geoarrow-rs
//! `geoparquet` crate would add a second Arrow and Parquet stack (arrow-rs and parquet) for
//! what is here one binary column, one struct column and one metadata key.

use polars::prelude::*;
use serde_json::json;

use crate::error::{Error, Result};
use crate::render::feature::Layer;
use crate::render::parquet::{parquet_bytes, table_columns};

/// The GeoParquet version written.
pub const VERSION: &str = "1.1.0";

/// A layer as GeoParquet bytes (`<name>.parquet`).
pub fn layer_parquet(layer: &Layer) -> Result<Vec<u8>> {
    layer_parquet_in(layer, None)
}

/// A layer as GeoParquet bytes, its coordinates in the CRS with this EPSG code (named in the
/// metadata as PROJJSON with the code as its id); None: longitude and latitude on WGS84.
pub fn layer_parquet_in(layer: &Layer, epsg: Option<u32>) -> Result<Vec<u8>> {
    let file = format!("{}.parquet", layer.name);
    let fail = |e: PolarsError| Error::Output(format!("writing {file}: {e}"));
    let n = layer.table.rows.len();
    let mut columns = table_columns(&layer.table);
    let wkb = layer
        .geometries
        .iter()
        .map(|g| g.as_ref().map(|g| g.wkb()).transpose())
        .collect::<Result<Vec<Option<Vec<u8>>>>>()?;
    let geometry: BinaryChunked = wkb.iter().map(|w| w.as_deref()).collect();
    columns.push(geometry.with_name("geometry".into()).into_series().into());
    columns.push(bbox_column(layer, n).map_err(fail)?);
    let mut df = DataFrame::new(n, columns).map_err(fail)?;
    let geo = geo_metadata(layer, epsg);
    parquet_bytes(&file, &mut df, vec![("geo".into(), geo)])
}

/// The `bbox` covering column: one struct per row, null where the row has no geometry.
fn bbox_column(layer: &Layer, n: usize) -> PolarsResult<Column> {
    let boxes: Vec<Option<[f64; 4]>> = layer
        .geometries
        .iter()
        .map(|g| g.as_ref().and_then(|g| g.bbox()))
        .collect();
    let field = |name: &str, k: usize| -> Series {
        Series::new(
            name.into(),
            boxes.iter().map(|b| b.map(|b| b[k])).collect::<Vec<_>>(),
        )
    };
    let fields = [
        field("xmin", 0),
        field("ymin", 1),
        field("xmax", 2),
        field("ymax", 3),
    ];
    let mut s = StructChunked::from_series("bbox".into(), n, fields.iter())?;
    if boxes.iter().any(Option::is_none) {
        let valid = polars_arrow::bitmap::Bitmap::from_iter(boxes.iter().map(Option::is_some));
        s = s.with_outer_validity(Some(valid));
    }
    Ok(s.into_series().into())
}

/// The `geo` metadata (GeoParquet 1.1).
fn geo_metadata(layer: &Layer, epsg: Option<u32>) -> String {
    let mut geometry = json!({
        "encoding": "WKB",
        "geometry_types": layer.geometry_types(),
        "covering": {"bbox": {
            "xmin": ["bbox", "xmin"],
            "ymin": ["bbox", "ymin"],
            "xmax": ["bbox", "xmax"],
            "ymax": ["bbox", "ymax"],
        }},
    });
    if let Some(b) = layer.bbox() {
        geometry["bbox"] = json!(b);
    }
    if let Some(code) = epsg {
        geometry["crs"] = json!({
            "$schema": "https://proj.org/schemas/v0.7/projjson.schema.json",
            "type": "ProjectedCRS",
            "name": format!("EPSG:{code}"),
            "id": {"authority": "EPSG", "code": code},
        });
    }
    if layer.geometry_types().contains(&"MultiPolygon") {
        // Exterior rings counter-clockwise, holes clockwise (see render::geojson).
        geometry["orientation"] = json!("counterclockwise");
    }
    json!({
        "version": VERSION,
        "primary_column": "geometry",
        "columns": {"geometry": geometry},
    })
    .to_string()
}
