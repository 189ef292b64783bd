//! Spreadsheets (.xlsx, .xlsm, .xls, .ods) with the `calamine` crate: one sheet (the study's
//! `sheet`, else the first), its first row the header, every cell read as the text a user
//! sees: whole numbers without a decimal point, dates as ISO 8601.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use polars::prelude::*;

use crate::error::Problem;

/// A sheet of a workbook as text columns, with each row's place in the file: the sheet's own
/// row number less one (the header of a sheet that starts at A1 is row 1, so the first data
/// row is at 1 and messages call it "row 2", as the spreadsheet does).
pub(super) fn read_sheet(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(DataFrame, Vec<usize>), Problem> {
    let bad = |m: String| Problem::file(path, m);
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        bad(format!(
            "not a readable spreadsheet (.xlsx, .xls or .ods): {e}"
        ))
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                bad(format!(
                    "no sheet \"{s}\"; the sheets are: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheet".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| bad(format!("sheet \"{name}\" cannot be read: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = range.rows().enumerate();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| {
            bad(format!(
                "sheet \"{name}\" is empty: expected a header row and data rows"
            ))
        })?
        .1
        .iter()
        .map(|c| text(c).unwrap_or_default())
        .collect();
    let (places, body): (Vec<usize>, Vec<&[Data]>) = rows
        .filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|(k, r)| (first_row + k, r))
        .unzip();
    let mut cols = Vec::new();
    for (j, h) in header.iter().enumerate() {
        let h = h.trim();
        if h.is_empty() {
            if body
                .iter()
                .all(|r| r.get(j).is_none_or(|c| matches!(c, Data::Empty)))
            {
                continue;
            }
            return Err(bad(format!(
                "sheet \"{name}\", column {}: values under an empty header cell; give the column a name",
                j + 1
            )));
        }
        if header[..j].iter().any(|p| p.trim() == h) {
            return Err(bad(format!(
                "sheet \"{name}\": the header names the column \"{h}\" twice; rename or remove one"
            )));
        }
        let values: Vec<Option<String>> = body.iter().map(|r| r.get(j).and_then(text)).collect();
        cols.push(Column::new(h.into(), values));
    }
    let df = DataFrame::new(body.len(), cols).map_err(|e| bad(e.to_string()))?;
    Ok((df, places))
}

/// The text of a cell as a user sees it; None for an empty cell.
fn text(c: &Data) -> Option<String> {
    match c {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", *f as i64)
        } else {
            f.to_string()
        }),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            Some(if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{s:02}")
            })
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}
