//! Errors and problems: every message names the file, the row or feature, the field and what was
//! expected, so that a user can fix the input without reading the code.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A data row of a table, 1-based (the header is not counted).
    Row(usize),
    /// A feature of a GeoJSON FeatureCollection, 1-based.
    Feature(usize),
    /// A line (and column) of a text file such as the study TOML, 1-based.
    Line {
        /// The line, 1-based.
        line: usize,
        /// The column, 1-based.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Row(r) => write!(f, "row {r}"),
            Location::Feature(n) => write!(f, "feature {n}"),
            Location::Line { line, column } => write!(f, "line {line}, column {column}"),
        }
    }
}

/// One problem found in the inputs: a file, optionally a row and a field, and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The input file the problem is in.
    pub file: PathBuf,
    /// The row, feature or line, where the problem is tied to one.
    pub location: Option<Location>,
    /// The study field (and the user's column for it), e.g. `lat (column "Latitude")`.
    pub field: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_path_buf(),
            location: None,
            field: None,
            message: message.into(),
        }
    }

    /// A problem with one field of a whole file (e.g. a missing column).
    pub fn field(file: &Path, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_path_buf(),
            location: None,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A problem at one row or feature, in one field.
    pub fn at(
        file: &Path,
        location: Location,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.to_path_buf(),
            location: Some(location),
            field: Some(field.into()),
            message: message.into(),
        }
    }
}

impl Problem {
    /// The problem as a line; with `more` > 0, as the first of that many more of its kind in
    /// other rows ("row 2 and 4,336 more rows").
    fn line(&self, more: usize) -> String {
        let mut s = format!("{}", self.file.display());
        if let Some(loc) = &self.location {
            s.push_str(&format!(", {loc}"));
            if more > 0 {
                let unit = match loc {
                    Location::Feature(_) => "feature",
                    Location::Line { .. } => "line",
                    Location::Row(_) => "row",
                };
                let plural = if more == 1 { "" } else { "s" };
                s.push_str(&format!(
                    " and {} more {unit}{plural}",
                    crate::text::whole(more as f64)
                ));
            }
        }
        if let Some(field) = &self.field {
            s.push_str(&format!(", field {field}"));
        }
        s.push_str(&format!(": {}", self.message));
        s
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(0))
    }
}

/// The error type of every frontdoor operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems with the inputs (study file, tables, geometries).
    #[error("{}", format_problems(.0))]
    Input(Vec<Problem>),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The command was asked something it cannot do as given (an argument, a model's
    /// parameters, a folder that is not a run's); the message says what to give instead.
    #[error("{0}")]
    Usage(String),
    /// The optimisation model has no solution as asked (too few or too many sites, a demand
    /// point no site reaches).
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// The network cannot be built from the OpenStreetMap file (no highways for the mode).
    #[error("{0}")]
    Network(String),
    /// An output could not be produced (encoding a table, a map or GeoJSON).
    #[error("{0}")]
    Output(String),
    /// A defect of frontdoor rather than of the inputs: please report it.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// A single input problem as an error.
    pub fn problem(p: Problem) -> Self {
        Error::Input(vec![p])
    }

    /// An I/O error on a path.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The input problems of this error (empty for other kinds).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Input(p) => p,
            _ => &[],
        }
    }
}

/// How many problems are listed before the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 50;

fn format_problems(problems: &[Problem]) -> String {
    let lines = grouped(problems);
    let mut s = lines
        .iter()
        .take(MAX_LISTED_PROBLEMS)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > MAX_LISTED_PROBLEMS {
        s.push_str(&format!(
            "\n... and {} more problems",
            lines.len() - MAX_LISTED_PROBLEMS
        ));
    }
    s
}

/// A message without the value found ("expected a number, found 206000; hint" ->
/// "expected a number, found; hint"): problems that differ only in the value are one kind.
fn kind_of(message: &str) -> String {
    match message.find("found ") {
        Some(i) => {
            let rest = &message[i + 6..];
            let end = rest.find("; ").unwrap_or(rest.len());
            format!("{}found{}", &message[..i], &rest[end..])
        }
        None => message.to_string(),
    }
}

/// The problems as lines, one per kind: problems of one file, field and message in many rows
/// (the value found aside) are one line naming the first row, with its value, and counting the
/// others ("row 2 and 4,336 more rows: ..."), in the order each kind was first found.
pub fn grouped(problems: &[Problem]) -> Vec<String> {
    let mut groups: Vec<(&Problem, usize)> = Vec::new();
    let mut index: std::collections::HashMap<(&Path, Option<&str>, String), usize> =
        std::collections::HashMap::new();
    for p in problems {
        let key = (p.file.as_path(), p.field.as_deref(), kind_of(&p.message));
        match index.get(&key) {
            Some(&g) if p.location.is_some() => groups[g].1 += 1,
            _ => {
                index.insert(key, groups.len());
                groups.push((p, 0));
            }
        }
    }
    groups.into_iter().map(|(p, more)| p.line(more)).collect()
}

/// Result with frontdoor's error.
pub type Result<T> = std::result::Result<T, Error>;
