//! `[travel] matrix`: travel times computed by another tool (r5py, TRACC, OSRM, a previous
//! frontdoor run's matrix.parquet), read as a long table of zone, site and minutes (and the
//! mode, where the study measures more than one), to be used in place of frontdoor's routing.
//!
//! Columns: `zone_id` (or `zone`), `site_id` (or `site`), `minutes`, and `mode` (one of the
//! study's modes) unless the study measures one mode only. r5py's travel-time matrix
//! (`from_id`, `to_id`, `travel_time` in minutes) reads as it is. Pairs the file does not give are
//! unreachable. Rows naming a zone or site the study does not have are skipped and counted
//! (the first few shown), as are rows of a mode the study does not measure, or refused with
//! `--strict`; a row whose minutes are not a number of
//! zero or more, or a pair given twice, is an error.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::load::open::open_rows;
use crate::load::table::{list_columns, Table};
use crate::mode::{Mode, ModeParams};
use crate::model::{InputFile, LoadReport, Site, TravelMatrix, Zone};

/// How many skipped rows are shown as examples.
const EXAMPLES: usize = 5;

/// The study's zones, sites and modes, which the matrix's rows refer to.
pub(crate) struct Ids<'a> {
    /// The zones.
    pub zones: &'a [Zone],
    /// The sites.
    pub sites: &'a [Site],
    /// The modes measured.
    pub modes: &'a [ModeParams],
}

/// The columns of a matrix table: zone, site, minutes and (optional) mode.
struct Columns<'a> {
    zone: &'a str,
    site: &'a str,
    minutes: &'a str,
    mode: Option<&'a str>,
}

/// The names of the zone column: frontdoor's, then r5py's (`from_id`) and others' (`origin`).
const ZONE: [&str; 5] = ["zone_id", "zone", "from_id", "origin_id", "origin"];
/// The names of the site column.
const SITE: [&str; 5] = ["site_id", "site", "to_id", "destination_id", "destination"];
/// The names of the minutes column (r5py's `travel_time` is in minutes).
const MINUTES: [&str; 2] = ["minutes", "travel_time"];

/// The first of `names` the table has (exactly, else ignoring case).
fn column<'a>(t: &'a Table, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| t.find_column(n))
}

fn columns<'a>(t: &'a Table, modes: &[ModeParams]) -> std::result::Result<Columns<'a>, Problem> {
    let missing = |what: &str, names: &str| {
        Problem::field(
            &t.path,
            what,
            format!(
                "no {names} column; a travel-time matrix has zone_id, site_id, minutes (and mode); the columns are: {}",
                list_columns(&t.columns)
            ),
        )
    };
    let cols = Columns {
        zone: column(t, &ZONE)
            .ok_or_else(|| missing("zone_id", "zone_id (or zone, from_id, origin)"))?,
        site: column(t, &SITE)
            .ok_or_else(|| missing("site_id", "site_id (or site, to_id, destination)"))?,
        minutes: column(t, &MINUTES)
            .ok_or_else(|| missing("minutes", "minutes (or travel_time)"))?,
        mode: column(t, &["mode"]),
    };
    if cols.mode.is_none() && modes.len() > 1 {
        let names: Vec<&str> = modes.iter().map(|m| m.mode.name()).collect();
        return Err(Problem::field(
            &t.path,
            "mode",
            format!(
                "no mode column, and the study measures {}: add a mode column naming one of them on each row, or set [travel] modes to the one mode the file gives",
                names.join(", ")
            ),
        ));
    }
    Ok(cols)
}

/// Reads the matrix named by `[travel] matrix` (relative to the study's folder `dir`).
pub(crate) fn load_matrix(
    dir: &Path,
    written: &Path,
    ids: &Ids,
    strict: bool,
    inputs: &mut Vec<InputFile>,
    report: &mut LoadReport,
) -> Result<TravelMatrix> {
    let t = open_rows(
        dir,
        crate::load::open::Source::path(written),
        &Default::default(),
        "travel matrix",
        inputs,
    )
    .map_err(Error::problem)?;
    let cols = columns(&t, ids.modes).map_err(Error::problem)?;
    let zone_ix: HashMap<&str, u32> = ids
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| (z.id.as_str(), i as u32))
        .collect();
    let site_ix: HashMap<&str, u32> = ids
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i as u32))
        .collect();
    let (zones, sites, minutes) = (
        t.strings(cols.zone),
        t.strings(cols.site),
        t.strings(cols.minutes),
    );
    let modes = cols.mode.map(|c| t.strings(c));
    let mut by_mode: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); ids.modes.len()];
    let mut first_row: HashMap<(usize, u32, u32), usize> = HashMap::new();
    let (mut problems, mut skipped) = (Vec::new(), Vec::new());
    for i in 0..t.len() {
        let at = |field: &str, m: String| Problem::at(&t.path, t.location(i), field, m);
        let mode_field = cols.mode.unwrap_or("mode");
        let mode = match &modes {
            None => Ok(Some(0)),
            Some(m) => mode_of(m[i], ids.modes).map_err(|m| at(mode_field, m)),
        };
        let value = minutes[i].unwrap_or("");
        let min = match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(at(
                cols.minutes,
                format!("expected minutes of zero or more, found \"{value}\""),
            )),
        };
        let (mode, min) = match (mode, min) {
            (Ok(Some(mode)), Ok(min)) => (mode, min),
            (Ok(None), Ok(_)) => {
                let v = modes.as_ref().and_then(|m| m[i]).unwrap_or("");
                skipped.push(at(
                    mode_field,
                    format!("the study does not measure \"{v}\""),
                ));
                continue;
            }
            (a, b) => {
                problems.extend(a.err().into_iter().chain(b.err()));
                continue;
            }
        };
        let (z, s) = (zones[i].unwrap_or(""), sites[i].unwrap_or(""));
        let (Some(&zi), Some(&si)) = (zone_ix.get(z), site_ix.get(s)) else {
            let (field, id, what) = match zone_ix.get(z) {
                None => (cols.zone, z, "zone"),
                Some(_) => (cols.site, s, "site"),
            };
            skipped.push(at(field, format!("\"{id}\" is not a {what} of the study")));
            continue;
        };
        if let Some(first) = first_row.insert((mode, zi, si), i) {
            problems.push(at(
                cols.site,
                format!(
                    "zone \"{z}\" and site \"{s}\" ({}) are given again (first on {})",
                    ids.modes[mode].mode,
                    t.location(first)
                ),
            ));
            continue;
        }
        by_mode[mode].push((si, zi, min));
    }
    if !problems.is_empty() || (strict && !skipped.is_empty()) {
        problems.extend(if strict { skipped } else { Vec::new() });
        return Err(Error::Input(problems));
    }
    if !skipped.is_empty() {
        let mut w = format!(
            "{}: {} rows name a zone, site or mode the study does not have and were skipped (--strict refuses them)",
            t.path.display(),
            skipped.len()
        );
        for p in skipped.iter().take(EXAMPLES) {
            w.push_str(&format!("\n  {p}"));
        }
        report.warnings.push(w);
    }
    for list in &mut by_mode {
        list.sort_by_key(|&(s, z, _)| (s, z));
    }
    Ok(TravelMatrix {
        path: t.path.clone(),
        sha256: t.sha256.clone(),
        rows: t.len(),
        skipped: skipped.len(),
        by_mode,
    })
}

/// The index among the study's modes of a row's mode; None for a mode the study does not
/// measure (the row is skipped).
fn mode_of(
    value: Option<&str>,
    modes: &[ModeParams],
) -> std::result::Result<Option<usize>, String> {
    let v = value.unwrap_or("");
    let mode: Mode = v.parse().map_err(|_| {
        let names: Vec<&str> = modes.iter().map(|m| m.mode.name()).collect();
        format!(
            "expected a mode (walk, cycle, drive or transit; the study measures {}), found \"{v}\"",
            names.join(", ")
        )
    })?;
    Ok(modes.iter().position(|m| m.mode == mode))
}
