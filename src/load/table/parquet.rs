//! Parquet (and GeoParquet), every column read as text; a damaged file is a problem of the
//! file, never a crash.

use std::io::Cursor;
use std::path::Path;

use geo::Geometry;
use polars::prelude::*;

use crate::error::{Location, Problem};

/// A Parquet file's columns as text and, for GeoParquet, its geometries and CRS.
pub(super) type ParquetParts = (
    DataFrame,
    Option<Vec<Option<Geometry<f64>>>>,
    Option<String>,
);

pub(super) fn read_parquet(path: &Path, bytes: Vec<u8>) -> Result<ParquetParts, Problem> {
    // The Parquet reader panics on some damaged files (found by fuzzing): contained, that is
    // a problem with the file like any other.
    crate::contain::contained(|| parquet_as_text(path, bytes)).unwrap_or_else(|m| {
        Err(Problem::file(
            path,
            format!(
                "not a readable Parquet file: its data is damaged (the reader stopped at: {})",
                m.lines().next().unwrap_or("")
            ),
        ))
    })
}

/// Checks every data page's value count against its row group's rows before the reader
/// decodes it: a damaged page header (a negative count read as 2^64 - 1, found by fuzzing) makes
/// polars-parquet 0.55 ask for exabytes and abort the process, which no error handling can
/// catch. Input tables are flat, so a page holds at most its row group's rows.
fn check_parquet_pages(path: &Path, bytes: &[u8]) -> Result<(), Problem> {
    use polars_parquet::parquet::page::CompressedPage;
    use polars_parquet::parquet::read::{get_page_iterator, read_metadata};
    let bad = |m: String| Problem::file(path, format!("not a readable Parquet file: {m}"));
    crate::load::thrift::check_footer(bytes)
        .map_err(|m| bad(format!("its footer is damaged ({m})")))?;
    let buffer = polars_buffer::Buffer::from(bytes.to_vec());
    let meta = read_metadata(&mut Cursor::new(buffer.clone())).map_err(|e| bad(e.to_string()))?;
    for (g, group) in meta.row_groups.iter().enumerate() {
        for column in group.parquet_columns() {
            let pages =
                get_page_iterator(column, Cursor::new(buffer.clone()), Vec::new(), bytes.len())
                    .map_err(|e| bad(e.to_string()))?;
            for page in pages {
                let page = page.map_err(|e| bad(e.to_string()))?;
                if let CompressedPage::Data(d) = page {
                    if d.num_values() > group.num_rows() {
                        return Err(bad(format!(
                            "its data is damaged (a page of row group {} claims {} values for {} rows)",
                            g + 1,
                            d.num_values(),
                            group.num_rows()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

fn parquet_as_text(path: &Path, bytes: Vec<u8>) -> Result<ParquetParts, Problem> {
    check_parquet_pages(path, &bytes)?;
    let geo = geo_metadata(path, &bytes)?;
    // The Arrow schema some writers store (geoarrow extension types, views) is set aside: the
    // columns are typed from the Parquet schema alone, and every one is read as text anyway.
    let mut meta =
        polars_parquet::parquet::read::read_metadata(&mut Cursor::new(&bytes)).map_err(|e| {
            Problem::file(
                path,
                format!("not a readable Parquet file: {}", short(&e.to_string())),
            )
        })?;
    if let Some(kv) = meta.key_value_metadata.as_mut() {
        kv.retain(|kv| kv.key != "ARROW:schema");
    }
    let mut reader = ParquetReader::new(Cursor::new(bytes));
    reader.set_metadata(std::sync::Arc::new(meta));
    let mut df = reader.finish().map_err(|e| {
        Problem::file(
            path,
            format!("not a readable Parquet file: {}", short(&e.to_string())),
        )
    })?;
    let (geometries, crs) = match &geo {
        Some(g) => {
            let geoms = geometries(path, &df, &g.column)?;
            for c in std::iter::once(&g.column).chain(&g.covering) {
                if df.get_column_index(c).is_some() {
                    df = df.drop(c).map_err(|e| Problem::file(path, e.to_string()))?;
                }
            }
            (Some(geoms), g.crs.clone())
        }
        None => (None, None),
    };
    let cols = df
        .columns()
        .iter()
        .map(|c| c.cast(&DataType::String))
        .collect::<PolarsResult<Vec<_>>>()
        .map_err(|e| Problem::file(path, format!("a column cannot be read as text: {e}")))?;
    // A damaged column can decode short (in release builds, where polars checks less): the
    // file's problem, said as such.
    let df = DataFrame::new(df.height(), cols).map_err(|e| {
        Problem::file(
            path,
            format!("not a readable Parquet file: {}", short(&e.to_string())),
        )
    })?;
    Ok((df, geometries, crs))
}

/// What a GeoParquet file's `geo` metadata says of its primary geometry column.
struct GeoColumn {
    /// The column's name.
    column: String,
    /// The bbox covering column, dropped with it.
    covering: Option<String>,
    /// The CRS as `EPSG:<code>`; None for the default, longitude/latitude (OGC:CRS84).
    crs: Option<String>,
}

/// The `geo` metadata of a GeoParquet file (None for plain Parquet).
fn geo_metadata(path: &Path, bytes: &[u8]) -> Result<Option<GeoColumn>, Problem> {
    use polars_parquet::parquet::read::read_metadata;
    let bad = |m: String| Problem::file(path, format!("GeoParquet metadata: {m}"));
    let meta = read_metadata(&mut Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let Some(text) = meta
        .key_value_metadata()
        .iter()
        .flatten()
        .find(|kv| kv.key == "geo")
        .and_then(|kv| kv.value.clone())
    else {
        return Ok(None);
    };
    let geo: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let column = geo["primary_column"]
        .as_str()
        .ok_or_else(|| bad("no primary_column".into()))?
        .to_string();
    let c = &geo["columns"][&column];
    let encoding = c["encoding"].as_str().unwrap_or("");
    if !encoding.eq_ignore_ascii_case("WKB") {
        return Err(bad(format!(
            "column \"{column}\" is encoded as {encoding:?}; frontdoor reads WKB (write the file with the WKB encoding, the default of geopandas and GDAL)"
        )));
    }
    let crs = match &c["crs"] {
        serde_json::Value::Object(o) => {
            let id = &o.get("id").cloned().unwrap_or_default();
            match (id["authority"].as_str(), &id["code"]) {
                (Some(a), code) if a.eq_ignore_ascii_case("EPSG") => {
                    Some(format!("EPSG:{}", code.as_i64().map(|c| c.to_string()).or_else(|| code.as_str().map(str::to_string)).unwrap_or_default()))
                }
                (Some(a), code) if a.eq_ignore_ascii_case("OGC") && code.as_str() == Some("CRS84") => None,
                _ => return Err(bad(format!(
                    "column \"{column}\": a CRS without an EPSG code; set crs = \"EPSG:...\" for the input in the study"
                ))),
            }
        }
        _ => None,
    };
    let covering = c["covering"]["bbox"]["xmin"][0]
        .as_str()
        .map(str::to_string);
    Ok(Some(GeoColumn {
        column,
        covering,
        crs,
    }))
}

/// The geometries of a GeoParquet file's WKB column.
fn geometries(
    path: &Path,
    df: &DataFrame,
    column: &str,
) -> Result<Vec<Option<Geometry<f64>>>, Problem> {
    let col = df.column(column).map_err(|_| {
        Problem::file(
            path,
            format!(
                "GeoParquet metadata names the column \"{column}\", which the file does not have"
            ),
        )
    })?;
    let bin = col
        .binary()
        .map_err(|_| Problem::field(path, column, "expected WKB (a binary column)"))?;
    bin.iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(|b| {
                super::wkb::from_wkb(b)
                    .map_err(|m| Problem::at(path, Location::Row(i + 1), column, m))
            })
            .transpose()
        })
        .collect()
}

/// A reader's message cut to its first line and 200 characters (some quote whole schemas).
fn short(m: &str) -> String {
    let line = m.lines().next().unwrap_or(m);
    match line.char_indices().nth(200) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_string(),
    }
}
