//! Opening an input table: read it (CSV, Parquet or GeoJSON, filtered), record it among the
//! run's inputs with its fingerprint, and find the CRS of its coordinates.

use std::collections::BTreeMap;
use std::path::Path;

use crate::crs::Crs;
use crate::error::Problem;
use crate::load::points::{input_crs, resolve_points, PointColumns, PointSpecs};
use crate::load::settings::{FilterValue, Format};
use crate::load::table::{read_table, Table};
use crate::model::InputFile;

/// Where an input is: its path as written (relative to the study's folder), its format when
/// the extension does not say, and its sheet or layer.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The path as written in the study.
    pub path: &'a Path,
    /// The format, when the study says.
    pub format: Option<Format>,
    /// The sheet of a spreadsheet, the layer of a GeoPackage.
    pub layer: Option<&'a str>,
}

impl<'a> Source<'a> {
    /// A file given by its path alone.
    pub fn path(path: &'a Path) -> Source<'a> {
        Source {
            path,
            format: None,
            layer: None,
        }
    }
}

/// Reads the input (relative to the study's folder `dir`) and records it, under `role`, among
/// the run's inputs.
pub(crate) fn open_input(
    dir: &Path,
    source: Source,
    filter: &BTreeMap<String, FilterValue>,
    role: &'static str,
    inputs: &mut Vec<InputFile>,
) -> Result<Table, Problem> {
    let written = source.path;
    let table = read_table(&dir.join(written), source.format, source.layer, filter)?;
    record(inputs, role, written, &table);
    Ok(table)
}

/// Like [`open_input`], refusing a table with no rows (after filters): "no <role>".
pub(crate) fn open_rows(
    dir: &Path,
    source: Source,
    filter: &BTreeMap<String, FilterValue>,
    role: &'static str,
    inputs: &mut Vec<InputFile>,
) -> Result<Table, Problem> {
    let table = open_input(dir, source, filter, role, inputs)?;
    if table.is_empty() {
        return Err(Problem::file(
            &table.path,
            format!("no {role}: the file (after filters) has no rows"),
        ));
    }
    Ok(table)
}

/// Records a table read among the run's inputs.
pub(crate) fn record(inputs: &mut Vec<InputFile>, role: &'static str, written: &Path, t: &Table) {
    inputs.push(InputFile {
        role,
        path: written.to_path_buf(),
        sha256: t.sha256.clone(),
        bytes: t.bytes,
        rows: t.rows_in_file,
        used: t.len(),
    });
}

/// The CRS of a table's coordinates: the study's setting for it, else the one the file states.
pub(crate) fn table_crs(table: &Table, setting: Option<&str>) -> Result<Option<Crs>, Problem> {
    let crs = input_crs(table, setting)?;
    Ok(crs.or_else(|| {
        table
            .crs_in_file
            .as_deref()
            .and_then(|c| Crs::parse(c).ok())
    }))
}

/// The coordinate columns of a table, and the CRS of its points: the columns' own, else the
/// table's, else WGS84 (lon/lat).
pub(crate) fn table_points<'a>(
    table: &'a Table,
    specs: &PointSpecs,
    crs: Option<Crs>,
    required: bool,
) -> Result<(Option<PointColumns<'a>>, Crs), Problem> {
    let points = resolve_points(table, specs, crs.clone(), required)?;
    let point_crs = points
        .as_ref()
        .map(|p| p.crs.clone())
        .or(crs)
        .unwrap_or_else(Crs::wgs84);
    Ok((points, point_crs))
}

/// The value of a check, or None with its problem recorded.
pub(crate) fn keep<T>(problems: &mut Vec<Problem>, r: Result<T, Problem>) -> Option<T> {
    r.map_err(|p| problems.push(p)).ok()
}
