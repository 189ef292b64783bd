//! CSV (comma, semicolon or tab separated), every column read as text.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use crate::error::Problem;

pub(super) fn read_csv(path: &Path, mut bytes: Vec<u8>) -> Result<DataFrame, Problem> {
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
