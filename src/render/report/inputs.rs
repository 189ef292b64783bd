//! What every section of the report reads: the run's files (through a reader, so the report
//! can be rebuilt from a folder) and the decision rules' basics, with the helpers that read
//! minutes to a front door from zones.csv.

use serde_json::Value;

use super::csv::Csv;
use crate::error::{Error, Result};

/// What every section reads: the run's files and the decision rules' basics.
pub(super) struct Inputs<'a> {
    pub(super) read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    pub(super) run: Value,
    pub(super) decide: Value,
    pub(super) sites: Csv,
    pub(super) minutes: u64,
    pub(super) mode: String,
    pub(super) far: u64,
    pub(super) study_name: String,
    pub(super) basis: String,
    /// The vulnerable groups, as named in the tables' columns (from scenarios.csv or sites.csv).
    pub(super) vulnerable: Vec<String>,
    /// The kinds the rules treat as street furniture.
    pub(super) furniture: Vec<String>,
    /// Columns of zones.csv giving minutes by the decision mode to each kind of front door.
    pub(super) front_doors: Vec<usize>,
}

impl<'a> Inputs<'a> {
    /// Reads run.json, decide.json and sites.csv; refused, saying what is missing, where the
    /// folder is not a run's.
    pub(super) fn read(read: &'a dyn Fn(&str) -> Option<Vec<u8>>) -> Result<Inputs<'a>> {
        let text = |name: &str| read(name).map(|b| String::from_utf8_lossy(&b).into_owned());
        let json = |name: &str| -> Result<Value> {
            let t = text(name).ok_or_else(|| {
                Error::Usage(format!(
                    "{name} is missing: `frontdoor report` needs the folder of a `frontdoor run`"
                ))
            })?;
            serde_json::from_str(&t)
                .map_err(|e| Error::Usage(format!("{name}: not valid JSON: {e}")))
        };
        let run = json("run.json")?;
        let decide = json("decide.json")?;
        let sites = Csv::parse(&text("sites.csv").ok_or_else(|| {
            Error::Usage(
                "sites.csv is missing: `frontdoor report` needs the folder of a `frontdoor run`"
                    .into(),
            )
        })?);
        let rules = &decide["rules"];
        let mode = rules["mode"].as_str().unwrap_or("walk").to_string();
        let minutes = rules["minutes"].as_u64().unwrap_or(0);
        let furniture: Vec<String> = rules["street_furniture"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let suffix = format!("_losing_{minutes}min_{mode}");
        let vulnerable: Vec<String> = sites
            .columns
            .iter()
            .filter_map(|c| c.strip_prefix("close_alone_")?.strip_suffix(&suffix))
            .filter(|g| *g != "losing" && !g.is_empty())
            .map(str::to_string)
            .collect();
        let zones_head = text("zones.csv")
            .and_then(|t| t.lines().next().map(str::to_string))
            .unwrap_or_default();
        let front_doors = front_door_columns(&zones_head, &sites, &furniture, &mode);
        Ok(Inputs {
            read,
            vulnerable,
            furniture,
            front_doors,
            minutes,
            mode,
            far: rules["far_minutes"].as_u64().unwrap_or(0),
            study_name: run["study"]["name"].as_str().unwrap_or("study").to_string(),
            basis: run["parameters"]["time_basis"]
                .as_str()
                .unwrap_or("")
                .replace('_', " ")
                + &transit_note(&run)
                    .or_else(|| matrix_note(&run))
                    .map(|t| format!("; {t}"))
                    .unwrap_or_default(),
            run,
            decide,
            sites,
        })
    }

    /// An output file as text, if the run wrote it.
    pub(super) fn text(&self, name: &str) -> Option<String> {
        (self.read)(name).map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// The columns of zones.csv (by position in its header) giving minutes by `mode` to each kind of
/// front door (every kind of the sites but street furniture); the nearest-site column where the
/// run did not measure kinds apart.
fn front_door_columns(header: &str, sites: &Csv, furniture: &[String], mode: &str) -> Vec<usize> {
    let names: Vec<&str> = header.split(',').collect();
    let kinds: std::collections::BTreeSet<&str> = sites
        .rows
        .iter()
        .map(|r| sites.get(r, "kind"))
        .filter(|k| !furniture.iter().any(|f| f == k))
        .collect();
    let cols: Vec<usize> = kinds
        .iter()
        .filter_map(|k| {
            let want = format!("minutes_{k}_{mode}");
            names.iter().position(|n| *n == want)
        })
        .collect();
    if cols.is_empty() {
        let want = format!("minutes_{mode}");
        names.iter().position(|n| *n == want).into_iter().collect()
    } else {
        cols
    }
}

/// Minutes from a zone (a row of zones.csv) to the nearest front door, by the decision mode.
pub(super) fn front_door_minutes(row: &[String], r: &Inputs) -> Option<f64> {
    r.front_doors
        .iter()
        .filter_map(|&i| row.get(i)?.parse::<f64>().ok())
        .reduce(f64::min)
}

/// How public-transport times were found, from run.json, e.g. "public transport from GTFS
/// timetables, leaving 14:00-15:00 on 2019-05-13, median (p50)".
/// Where times read from a matrix came from: "read from r5py.csv, computed by another tool".
fn matrix_note(run: &Value) -> Option<String> {
    let file = run["parameters"]["travel_matrix"]["file"].as_str()?;
    Some(format!(
        "read from {file}, computed by another tool, not by frontdoor"
    ))
}

fn transit_note(run: &Value) -> Option<String> {
    let t = &run["parameters"]["transit"];
    let day = t["service_day"].as_str()?;
    let first = t["first_departure"].as_str().unwrap_or("");
    let window = t["window_minutes"].as_u64().unwrap_or(0);
    let end = first
        .split_once(':')
        .and_then(|(h, m)| Some(h.parse::<u64>().ok()? * 60 + m.parse::<u64>().ok()?))
        .map(|m| m + window)
        .map(|m| format!("{:02}:{:02}", m / 60 % 24, m % 60))
        .unwrap_or_default();
    let p = t["percentiles"][0].as_u64().unwrap_or(50);
    let which = if p == 50 {
        "median".to_string()
    } else {
        format!("{p}th percentile")
    };
    Some(format!(
        "public transport from GTFS timetables, leaving {first}-{end} on {day}, {which} (p{p})"
    ))
}
