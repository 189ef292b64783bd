//! One column of the zones input read as text, row for row with the loaded zones: the regions
//! of `frontdoor partition --by COLUMN`.

use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::load::settings::read_study_file;
use crate::load::table::list_columns;
use crate::load::zones::open_zones;

/// The values of the zones file's `column`, one per zone in the order the study loads them;
/// every zone must have one.
pub fn zone_column(study_path: &Path, column: &str) -> Result<Vec<String>> {
    let (file, _) = read_study_file(study_path)?;
    let dir = study_path.parent().unwrap_or(Path::new(""));
    let table = open_zones(dir, &file.zones, &mut Vec::new()).map_err(Error::problem)?;
    let Some(name) = table.find_column(column).map(str::to_string) else {
        return Err(Error::problem(Problem::field(
            &table.path,
            column,
            format!(
                "no such column in the zones file to split by; it has {}",
                list_columns(&table.columns)
            ),
        )));
    };
    let values = table.strings(&name);
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        match v {
            Some(v) if !v.is_empty() => out.push(v.to_string()),
            _ => {
                return Err(Error::problem(Problem::at(
                    &table.path,
                    table.location(i),
                    &name,
                    "empty: every zone needs a value in the column the study is split by",
                )))
            }
        }
    }
    Ok(out)
}
