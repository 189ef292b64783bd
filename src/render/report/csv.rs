//! The report's reader of the CSV tables a run wrote (RFC 4180: quoted fields, doubled quotes,
//! newlines inside quotes).

/// A CSV table read back from an output file.
pub(super) struct Csv {
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

impl Csv {
    /// Parses RFC 4180 text as written by frontdoor.
    pub(super) fn parse(text: &str) -> Csv {
        let mut records: Vec<Vec<String>> = Vec::new();
        let mut field = String::new();
        let mut record = Vec::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, '\r') => {}
                (false, c) => field.push(c),
            }
        }
        if !field.is_empty() || !record.is_empty() {
            record.push(field);
            records.push(record);
        }
        let mut it = records.into_iter();
        Csv {
            columns: it.next().unwrap_or_default(),
            rows: it.collect(),
        }
    }

    /// The first `limit` rows, with these columns (blank where a column is absent).
    pub(super) fn select(&self, columns: &[&str], limit: usize) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .take(limit)
            .map(|r| columns.iter().map(|c| self.get(r, c).to_string()).collect())
            .collect()
    }

    pub(super) fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    pub(super) fn get<'a>(&'a self, row: &'a [String], name: &str) -> &'a str {
        self.col(name)
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_commas_and_newlines_in_fields() {
        let t =
            Csv::parse("id,name,note\n1,\"Smith, J\",\"said \"\"hi\"\"\"\n2,B,\"two\nlines\"\n");
        assert_eq!(t.columns, ["id", "name", "note"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.get(&t.rows[0], "name"), "Smith, J");
        assert_eq!(t.get(&t.rows[0], "note"), "said \"hi\"");
        assert_eq!(t.get(&t.rows[1], "note"), "two\nlines");
        assert_eq!(t.get(&t.rows[1], "missing"), "");
        assert_eq!(t.select(&["id"], 1), vec![vec!["1".to_string()]]);
    }
}
