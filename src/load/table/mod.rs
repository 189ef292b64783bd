//! Reading an input file (CSV, Parquet or GeoParquet, GeoJSON, an Excel or OpenDocument sheet,
//! a GeoPackage layer) into one shape: text columns in a polars DataFrame, plus geometries
//! where the file has them, with filters applied and original row numbers kept. One file per
//! format; the geometries of GeoParquet and GeoPackage are WKB ([`wkb`]).

mod csv;
mod geojson;
mod gpkg;
mod parquet;
mod wkb;
mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::Geometry;
use polars::prelude::*;

use crate::error::{Location, Problem};
use crate::load::settings::{FilterValue, Format};

/// One input file, read.
pub struct Table {
    /// The file, as a path the user recognises (study folder joined with the study's path).
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Column names in file order (GeoJSON: property names in order of first appearance).
    pub columns: Vec<String>,
    /// Rows kept after filters, as text columns.
    frame: DataFrame,
    /// The 0-based position in the file of each kept row.
    rows: Vec<usize>,
    /// Geometries of the kept rows (GeoJSON only), in lon/lat or the file's CRS.
    pub geometries: Option<Vec<Option<Geometry<f64>>>>,
    /// CRS named inside the file (legacy GeoJSON `crs` member).
    pub crs_in_file: Option<String>,
    /// SHA-256 of the file bytes.
    pub sha256: String,
    /// File size.
    pub bytes: u64,
    /// Rows (or features) in the file before filters.
    pub rows_in_file: usize,
}

impl Table {
    /// Rows kept.
    pub fn len(&self) -> usize {
        self.frame.height()
    }

    /// Whether no rows were kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where kept row `i` is in the file, for messages.
    pub fn location(&self, i: usize) -> Location {
        let pos = self.rows[i] + 1;
        match self.format {
            Format::Geojson | Format::Gpkg => Location::Feature(pos),
            _ => Location::Row(pos),
        }
    }

    /// The text values of a column of the kept rows (None for empty cells).
    pub fn strings(&self, column: &str) -> Vec<Option<&str>> {
        let col = self.frame.column(column).expect("column checked by caller");
        col.str()
            .expect("columns are text")
            .iter()
            .map(|v| v.map(str::trim))
            .collect()
    }

    /// The column with exactly this name, else the only one equal ignoring case.
    pub fn find_column(&self, name: &str) -> Option<&str> {
        if let Some(c) = self.columns.iter().find(|c| c.as_str() == name) {
            return Some(c);
        }
        let mut matches = self.columns.iter().filter(|c| c.eq_ignore_ascii_case(name));
        match (matches.next(), matches.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }
}

/// The format of a file from its extension, unless the study says.
pub fn detect_format(path: &Path, given: Option<Format>) -> Result<Format, Problem> {
    if let Some(f) = given {
        return Ok(f);
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ends = |exts: &[&str]| exts.iter().any(|e| name.ends_with(e));
    if ends(&[".csv", ".txt"]) {
        Ok(Format::Csv)
    } else if ends(&[".parquet", ".pq", ".geoparquet"]) {
        Ok(Format::Parquet)
    } else if ends(&[".geojson", ".json"]) {
        Ok(Format::Geojson)
    } else if ends(&[".xlsx", ".xlsm", ".xls", ".ods"]) {
        Ok(Format::Xlsx)
    } else if ends(&[".gpkg"]) {
        Ok(Format::Gpkg)
    } else {
        Err(Problem::file(
            path,
            "cannot tell the format from the extension: expected .csv, .parquet, .geojson, \
             .xlsx (or .xls, .ods) or .gpkg, or set format = \"csv\" | \"parquet\" | \"geojson\" | \
             \"xlsx\" | \"gpkg\" in the study",
        ))
    }
}

/// Runs a reader that may panic on a damaged file, the panic reported as a problem of the file.
fn contained<T>(
    path: &Path,
    what: &str,
    read: impl FnOnce() -> Result<T, Problem>,
) -> Result<T, Problem> {
    crate::contain::contained(read).unwrap_or_else(|m| {
        Err(Problem::file(
            path,
            format!(
                "not a readable {what}: its data is damaged (the reader stopped at: {})",
                m.lines().next().unwrap_or("")
            ),
        ))
    })
}

/// Reads a file (of a spreadsheet, the sheet `layer`; of a GeoPackage, the layer) and applies
/// the filters.
pub fn read_table(
    path: &Path,
    format: Option<Format>,
    layer: Option<&str>,
    filter: &BTreeMap<String, FilterValue>,
) -> Result<Table, Problem> {
    let format = detect_format(path, format)?;
    let bytes = std::fs::read(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "file not found: check the path, which is relative to the study file".to_string()
        } else {
            format!("cannot read: {e}")
        };
        Problem::file(path, what)
    })?;
    let sha256 = crate::fingerprint::sha256(&bytes);
    let size = bytes.len() as u64;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Problem::file(
            path,
            "the file is empty: expected a header row and data rows",
        ));
    }
    let mut places = None;
    let (frame, geometries, crs_in_file) = match format {
        Format::Csv => (csv::read_csv(path, bytes)?, None, None),
        Format::Parquet => parquet::read_parquet(path, bytes)?,
        // Damaged workbooks and GeoPackages are problems of the file, never a crash.
        Format::Xlsx => {
            let (df, rows) =
                contained(path, "spreadsheet", || xlsx::read_sheet(path, bytes, layer))?;
            places = Some(rows);
            (df, None, None)
        }
        Format::Gpkg => {
            let (df, geoms, crs) = contained(path, "GeoPackage", || gpkg::read_layer(path, layer))?;
            (df, Some(geoms), crs)
        }
        Format::Geojson => {
            let (df, geoms, crs) = geojson::read_geojson(path, &bytes)?;
            (df, Some(geoms), crs)
        }
    };
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows_in_file = frame.height();
    let mut table = Table {
        rows: places.unwrap_or_else(|| (0..rows_in_file).collect()),
        path: path.to_path_buf(),
        format,
        columns,
        frame,
        geometries,
        crs_in_file,
        sha256,
        bytes: size,
        rows_in_file,
    };
    apply_filter(&mut table, filter)?;
    Ok(table)
}

fn apply_filter(table: &mut Table, filter: &BTreeMap<String, FilterValue>) -> Result<(), Problem> {
    if filter.is_empty() {
        return Ok(());
    }
    let mut keep = vec![true; table.len()];
    for (column, accepted) in filter {
        let name = table
            .find_column(column)
            .map(str::to_string)
            .ok_or_else(|| {
                Problem::field(
                    &table.path,
                    format!("filter (column \"{column}\")"),
                    format!(
                        "no such column; the file has: {}",
                        list_columns(&table.columns)
                    ),
                )
            })?;
        let accepted = accepted.values();
        for (k, v) in keep.iter_mut().zip(table.strings(&name)) {
            // An empty accepted value ("") keeps rows whose cell is empty.
            let v = v.unwrap_or("");
            *k = *k && accepted.iter().any(|a| a == v);
        }
    }
    let mask = BooleanChunked::new("keep".into(), keep.clone());
    table.frame = table
        .frame
        .filter(&mask)
        .map_err(|e| Problem::file(&table.path, format!("cannot filter rows: {e}")))?;
    table.rows = table
        .rows
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(r, _)| *r)
        .collect();
    if let Some(g) = table.geometries.take() {
        table.geometries = Some(
            g.into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(g, _)| g)
                .collect(),
        );
    }
    Ok(())
}

/// The file's columns, listed for a message.
pub fn list_columns(columns: &[String]) -> String {
    const MAX: usize = 30;
    let mut s: Vec<String> = columns
        .iter()
        .take(MAX)
        .map(|c| format!("\"{c}\""))
        .collect();
    if columns.len() > MAX {
        s.push(format!("... ({} more)", columns.len() - MAX));
    }
    if s.is_empty() {
        "no columns".into()
    } else {
        s.join(", ")
    }
}
