//! Resolving the study's field mapping against a table, and checking each value.

use crate::error::Problem;
use crate::load::settings::FieldSpec;
use crate::load::table::{list_columns, Table};

/// The largest value any number of an input may have, either way: beyond it a value is a
/// mistake (a misplaced column, a unit slip, an overflow in the exporting tool), and sums and
/// products of such values would lose meaning or stop being finite.
pub const MAX_ANY: f64 = 1e15;
/// The largest population of one zone (the most populous city region is under 40 million).
pub const MAX_POPULATION: f64 = 1e8;
/// The largest count of contacts in one demand row.
pub const MAX_COUNT: f64 = 1e9;
/// The largest amount of money (a site's annual cost).
pub const MAX_MONEY: f64 = 1e12;
/// The largest capacity of a site, visits a year.
pub const MAX_CAPACITY: f64 = 1e10;
/// The largest floor area of a site, square metres.
pub const MAX_FLOOR_AREA: f64 = 1e7;
/// The hours in a week.
pub const MAX_HOURS_A_WEEK: f64 = 168.0;

/// Where a field's values come from in one table.
pub struct Field<'a> {
    /// How the field is named in messages, e.g. `population (column "all_ages")`.
    pub label: String,
    source: Source<'a>,
}

enum Source<'a> {
    Column(Vec<Option<&'a str>>),
    Constant(String),
    Absent,
}

impl<'a> Field<'a> {
    /// A field no input provides.
    pub fn absent(name: &str) -> Field<'a> {
        Field {
            label: name.to_string(),
            source: Source::Absent,
        }
    }

    /// Whether the field has values (a column or a constant).
    pub fn is_present(&self) -> bool {
        !matches!(self.source, Source::Absent)
    }

    /// Whether the field is a column of the file.
    pub fn is_column(&self) -> bool {
        matches!(self.source, Source::Column(_))
    }

    /// The raw text of row `i`, None where empty or absent.
    pub fn get(&self, i: usize) -> Option<&str> {
        match &self.source {
            Source::Column(v) => v[i].filter(|s| !s.is_empty()),
            Source::Constant(c) => Some(c.as_str()).filter(|s| !s.is_empty()),
            Source::Absent => None,
        }
    }

    /// Row `i` as owned text.
    pub fn text(&self, i: usize) -> Option<String> {
        self.get(i).map(str::to_string)
    }

    /// Row `i` as text that must be there.
    pub fn required_text(&self, t: &Table, i: usize, what: &str) -> Result<String, Problem> {
        self.text(i)
            .ok_or_else(|| self.problem(t, i, format!("expected {what}, found an empty cell")))
    }

    /// Row `i` as a finite number within [`MAX_ANY`] either way, None where empty.
    pub fn number(&self, t: &Table, i: usize, expected: &str) -> Result<Option<f64>, Problem> {
        match self.get(i) {
            None => Ok(None),
            Some(s) => match s.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= MAX_ANY => Ok(Some(v)),
                Ok(v) if v.is_finite() => Err(self.problem(
                    t,
                    i,
                    format!(
                        "expected {expected}, found {s}, beyond any sensible value (at most {} either way)",
                        crate::text::whole(MAX_ANY)
                    ),
                )),
                _ => Err(self.problem(t, i, format!("expected {expected}, found \"{s}\""))),
            },
        }
    }

    /// Row `i` as a number from zero to `max`, None where empty.
    pub fn non_negative(
        &self,
        t: &Table,
        i: usize,
        expected: &str,
        max: f64,
    ) -> Result<Option<f64>, Problem> {
        let Some(s) = self.get(i) else {
            return Ok(None);
        };
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(Some(v)),
            Ok(v) if v.is_finite() && v > max => Err(self.problem(
                t,
                i,
                format!(
                    "expected {expected}, at most {}; found {s}, which cannot be right",
                    crate::text::whole(max)
                ),
            )),
            Ok(v) if v.is_finite() => {
                Err(self.problem(t, i, format!("expected {expected}, found {s}")))
            }
            _ => Err(self.problem(t, i, format!("expected {expected}, found \"{s}\""))),
        }
    }

    /// Row `i` as true/false (also yes/no, y/n, 1/0), false where empty.
    pub fn boolean(&self, t: &Table, i: usize) -> Result<bool, Problem> {
        match self.get(i).map(|s| s.to_ascii_lowercase()) {
            None => Ok(false),
            Some(s) => match s.as_str() {
                "true" | "yes" | "y" | "1" | "t" => Ok(true),
                "false" | "no" | "n" | "0" | "f" => Ok(false),
                _ => Err(self.problem(
                    t,
                    i,
                    format!("expected true or false, found \"{}\"", self.get(i).unwrap()),
                )),
            },
        }
    }

    /// A problem at row `i` of this field.
    pub fn problem(&self, t: &Table, i: usize, message: impl Into<String>) -> Problem {
        Problem::at(&t.path, t.location(i), self.label.clone(), message)
    }
}

/// Resolves a field: the user's column or constant, else the first default column present.
/// A field the user named must exist; a required field must be found one way or the other.
pub fn resolve<'a>(
    table: &'a Table,
    field: &str,
    spec: Option<&FieldSpec>,
    defaults: &[&str],
    required: bool,
) -> Result<Field<'a>, Problem> {
    match spec {
        Some(FieldSpec::Constant(v)) => Ok(Field {
            label: format!("{field} (constant)"),
            source: Source::Constant(v.clone()),
        }),
        Some(FieldSpec::Column(name)) => match table.find_column(name) {
            Some(col) => Ok(column(table, field, col)),
            None => Err(Problem::field(
                &table.path,
                format!("{field} (column \"{name}\")"),
                format!(
                    "no such column; the file has: {}",
                    list_columns(&table.columns)
                ),
            )),
        },
        None => {
            for d in defaults {
                if let Some(col) = table.find_column(d) {
                    return Ok(column(table, field, col));
                }
            }
            if required {
                Err(Problem::field(
                    &table.path,
                    field,
                    format!(
                        "no column \"{}\" (the default); name the column in the study with \
                         {field} = \"...\" or give a constant with {field} = {{ value = ... }}; \
                         the file has: {}",
                        defaults.first().unwrap_or(&field),
                        list_columns(&table.columns)
                    ),
                ))
            } else {
                Ok(Field::absent(field))
            }
        }
    }
}

fn column<'a>(table: &'a Table, field: &str, col: &str) -> Field<'a> {
    let label = if field == col {
        field.to_string()
    } else {
        format!("{field} (column \"{col}\")")
    };
    Field {
        label,
        source: Source::Column(table.strings(col)),
    }
}
