//! The last check before an output is staged: no number that is not finite (NaN, infinity)
//! reaches a table or a JSON document. The inputs are bounded and the sums exact, so such a
//! number is a defect of frontdoor; it shows as an error naming the file, the column (or
//! property) and the row, and nothing is written, rather than as a CSV a spreadsheet misreads
//! or a GeoJSON file no reader opens.

use crate::error::{Error, Result};

/// How a number that is not finite is written by Rust's formatting (and so by the tables).
pub(crate) const NOT_FINITE: [&str; 3] = ["NaN", "inf", "-inf"];

/// Checks a file about to be written: CSV cells and JSON documents (GeoJSON, run.json...).
pub(crate) fn check(name: &str, bytes: &[u8]) -> Result<()> {
    if name.ends_with(".csv") {
        check_csv(name, bytes)
    } else if name.ends_with(".json") || name.ends_with(".geojson") {
        check_json(name, bytes)
    } else {
        Ok(())
    }
}

/// The error for a number that is not finite found in output `name` (`what`: where).
pub(crate) fn defect(name: &str, what: String) -> Error {
    Error::Internal(format!(
        "{name}: {what}: a number that is not finite reached an output, which is a defect of \
         frontdoor (please report it with the study's run.json); nothing was written"
    ))
}

/// Unquoted cells that are exactly NaN or an infinity (quoted cells are text). The scan
/// holds no cell: only when one is found is the header read, to name its column.
fn check_csv(name: &str, bytes: &[u8]) -> Result<()> {
    let Some((row, col, cell)) = first_not_finite(bytes) else {
        return Ok(());
    };
    let head = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let header = records(&String::from_utf8_lossy(&bytes[..head]));
    let column = header
        .first()
        .and_then(|h| h.get(col))
        .map_or("?", |(c, _)| c.as_str());
    Err(defect(
        name,
        format!("row {row}, column {column} is {cell}"),
    ))
}

/// The first unquoted cell below the header that is exactly NaN or an infinity: its row,
/// column and text.
fn first_not_finite(bytes: &[u8]) -> Option<(usize, usize, &str)> {
    let (mut row, mut col, mut start) = (0usize, 0usize, 0usize);
    let (mut quoted, mut in_quotes) = (false, false);
    let mut i = 0;
    while i <= bytes.len() {
        let c = bytes.get(i).copied();
        if in_quotes {
            match (c, bytes.get(i + 1)) {
                (Some(b'"'), Some(b'"')) => i += 1,
                (Some(b'"'), _) => in_quotes = false,
                _ => {}
            }
        } else {
            match c {
                Some(b'"') if i == start => (in_quotes, quoted) = (true, true),
                Some(b',' | b'\n') | None => {
                    let cell = bytes[start..i]
                        .strip_suffix(b"\r")
                        .unwrap_or(&bytes[start..i]);
                    if !quoted && row > 0 {
                        if let Some(t) = NOT_FINITE.iter().find(|t| t.as_bytes() == cell) {
                            return Some((row, col, t));
                        }
                    }
                    (col, start, quoted) = (col + 1, i + 1, false);
                    if c == Some(b'\n') {
                        (row, col) = (row + 1, 0);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// CSV records (RFC 4180: quotes, doubled quotes, line breaks inside quotes), each cell with
/// whether it was quoted.
fn records(text: &str) -> Vec<Vec<(String, bool)>> {
    let (mut out, mut rec, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut in_quotes) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if cell.is_empty() => (in_quotes, quoted) = (true, true),
            (',', false) => rec.push((std::mem::take(&mut cell), std::mem::take(&mut quoted))),
            ('\n', false) => {
                rec.push((std::mem::take(&mut cell), std::mem::take(&mut quoted)));
                out.push(std::mem::take(&mut rec));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !rec.is_empty() {
        rec.push((cell, quoted));
        out.push(rec);
    }
    out
}

/// A JSON document must parse (NaN and infinity are not JSON); where it does not, the
/// property is named from the text before the error.
fn check_json(name: &str, bytes: &[u8]) -> Result<()> {
    let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let at = line
        .char_indices()
        .nth(e.column().saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let before = &line[..at];
    let key = before.rfind("\":").and_then(|end| {
        before[..end]
            .rfind('"')
            .map(|start| &before[start + 1..end])
    });
    let what = match key {
        Some(k) => format!("line {}, property \"{k}\" is not valid JSON", e.line()),
        None => format!("not valid JSON at line {}, column {}", e.line(), e.column()),
    };
    Err(defect(name, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_tables_and_documents_pass() {
        // Text that reads like a number that is not finite is quoted by the writer.
        let csv = b"id,name,minutes\nZ1,\"NaN\",3.5\nZ2,\"inf, the village\",\n";
        assert!(check("zones.csv", csv).is_ok());
        assert!(check("run.json", br#"{"a": [1, 2.5, null]}"#).is_ok());
        assert!(check("map.png", b"NaN").is_ok());
    }

    #[test]
    fn a_nan_cell_names_its_row_and_column() {
        let e = check("zones.csv", b"id,minutes_walk\nZ1,3\nZ2,NaN\n").unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("zones.csv: row 2, column minutes_walk is NaN"),
            "{m}"
        );
        let e = check("sites.csv", b"id,cost\r\nS1,-inf\r\n").unwrap_err();
        assert!(e.to_string().contains("row 1, column cost is -inf"), "{e}");
    }

    #[test]
    fn an_infinite_property_names_the_property() {
        let doc = b"{\"type\":\"FeatureCollection\",\"features\":[\n{\"properties\":{\"id\":\"Z1\",\"population\":inf}}\n]}";
        let e = check("zones.geojson", doc).unwrap_err().to_string();
        assert!(e.contains("line 2, property \"population\""), "{e}");
    }

    #[test]
    fn quoted_line_breaks_and_quotes_are_one_cell() {
        let r = records("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1][0], ("x\ny".to_string(), true));
        assert_eq!(r[1][1], ("say \"hi\"".to_string(), true));
    }
}
