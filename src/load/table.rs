//! Reading an input file (CSV, Parquet or GeoJSON) into one shape: text columns in a polars
//! DataFrame, plus geometries for GeoJSON, with filters applied and original row numbers kept.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
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
            Format::Geojson => Location::Feature(pos),
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
    if name.ends_with(".csv") || name.ends_with(".txt") {
        Ok(Format::Csv)
    } else if name.ends_with(".parquet") || name.ends_with(".pq") {
        Ok(Format::Parquet)
    } else if name.ends_with(".geojson") || name.ends_with(".json") {
        Ok(Format::Geojson)
    } else {
        Err(Problem::file(
            path,
            "cannot tell the format from the extension: expected .csv, .parquet or .geojson, \
             or set format = \"csv\" | \"parquet\" | \"geojson\" in the study",
        ))
    }
}

/// Reads a file and applies the filters.
pub fn read_table(
    path: &Path,
    format: Option<Format>,
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
    let (frame, geometries, crs_in_file) = match format {
        Format::Csv => (read_csv(path, bytes)?, None, None),
        Format::Parquet => (read_parquet(path, bytes)?, None, None),
        Format::Geojson => {
            let (df, geoms, crs) = read_geojson(path, &bytes)?;
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
        rows: (0..rows_in_file).collect(),
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

fn read_csv(path: &Path, mut bytes: Vec<u8>) -> Result<DataFrame, Problem> {
    trim_blank_end(&mut bytes);
    let separator = separator(&bytes);
    // Every column is read as text so that each value is checked, and reported, by frontdoor.
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_parse_options(
            CsvParseOptions::default()
                .with_missing_is_null(true)
                .with_separator(separator),
        )
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| Problem::file(path, csv_message(&e.to_string())))?;
    refuse_duplicate_headers(path, &df)?;
    Ok(df)
}

/// The field separator, from the header line: a comma, or a semicolon or tab where the header
/// has no comma but those (spreadsheets in much of Europe save CSV with semicolons).
fn separator(bytes: &[u8]) -> u8 {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    match (count(b','), count(b';'), count(b'\t')) {
        (0, s, t) if s > 0 && s >= t => b';',
        (0, _, t) if t > 0 => b'\t',
        _ => b',',
    }
}

/// What the CSV reader's failure means, in words (never the library's own advice).
fn csv_message(e: &str) -> String {
    let first = e.lines().next().unwrap_or(e);
    if e.contains("more fields") {
        "not a readable CSV file: a row has more fields than the header (a comma inside a value needs the value in double quotes)".into()
    } else if e.contains("invalid utf-8") || e.contains("utf8") {
        "not a readable CSV file: it is not UTF-8 text (save it from the spreadsheet as \"CSV UTF-8\")".into()
    } else {
        format!("not a readable CSV file: {first}")
    }
}

/// Cuts blank lines (and spaces) at the end of a file, which editors and exports often leave.
fn trim_blank_end(bytes: &mut Vec<u8>) {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    bytes.truncate(end);
    bytes.push(b'\n');
}

/// Refuses a header that names a column twice (the CSV reader renames the second
/// `NAME_duplicated_0`; which one a field means would be a guess).
fn refuse_duplicate_headers(path: &Path, df: &DataFrame) -> Result<(), Problem> {
    let names: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
    for (i, n) in names.iter().enumerate() {
        let Some((base, k)) = n.rsplit_once("_duplicated_") else {
            continue;
        };
        let first = names.iter().position(|m| *m == base);
        if let (Some(first), true) = (first, k.parse::<usize>().is_ok()) {
            return Err(Problem::file(
                path,
                format!(
                    "the header names the column \"{base}\" twice (columns {} and {}): rename \
                     or remove one, so that it is clear which the study means",
                    first + 1,
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

fn read_parquet(path: &Path, bytes: Vec<u8>) -> Result<DataFrame, Problem> {
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

fn parquet_as_text(path: &Path, bytes: Vec<u8>) -> Result<DataFrame, Problem> {
    check_parquet_pages(path, &bytes)?;
    let df = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|e| Problem::file(path, format!("not a readable Parquet file: {e}")))?;
    let cols = df
        .columns()
        .iter()
        .map(|c| c.cast(&DataType::String))
        .collect::<PolarsResult<Vec<_>>>()
        .map_err(|e| Problem::file(path, format!("a column cannot be read as text: {e}")))?;
    DataFrame::new(df.height(), cols).map_err(|e| Problem::file(path, e.to_string()))
}

type GeojsonParts = (DataFrame, Vec<Option<Geometry<f64>>>, Option<String>);

fn read_geojson(path: &Path, bytes: &[u8]) -> Result<GeojsonParts, Problem> {
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
