//! The study file's own settings checked: travel modes and their speeds, bands, snap limit,
//! demand years and the working CRS; and the references it makes (network file, map kind and
//! mode).

use std::path::Path;

use crate::crs::Crs;
use crate::error::{Error, Problem, Result};
use crate::ids::Bands;
use crate::load::settings::{AssignmentInput, StudyFile};
use crate::mode::{default_mode_params, Mode, ModeParams};
use crate::model::Assignment;

/// The modes with their parameters, and the bands.
pub(crate) type Settings = (Vec<ModeParams>, Bands);

/// Checks the travel, privacy and CRS settings of the study file.
pub(crate) fn check_settings(
    path: &Path,
    file: &StudyFile,
    problems: &mut Vec<Problem>,
) -> Option<Settings> {
    let before = problems.len();
    let travel = file.travel.clone();
    let modes = travel
        .as_ref()
        .and_then(|t| t.modes.clone())
        .unwrap_or_else(|| Mode::ALL.to_vec());
    let bands = travel
        .as_ref()
        .and_then(|t| t.bands.clone())
        .unwrap_or_else(|| vec![10, 20, 30]);
    if modes.is_empty() {
        problems.push(Problem::field(
            path,
            "travel.modes",
            "expected at least one of walk, cycle, drive",
        ));
    }
    let mut sorted = modes.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != modes.len() {
        problems.push(Problem::field(
            path,
            "travel.modes",
            "a mode is listed twice",
        ));
    }
    let checked_bands = Bands::new(bands.clone());
    if checked_bands.is_err() {
        problems.push(Problem::field(
            path,
            "travel.bands",
            format!(
                "expected increasing whole minutes above zero, e.g. [10, 20, 30], found {bands:?}"
            ),
        ));
    }
    if let Some(limit) = travel.as_ref().and_then(|t| t.snap_limit_m) {
        if !(limit >= 0.0 && limit.is_finite()) {
            problems.push(Problem::field(
                path,
                "travel.snap_limit_m",
                format!("expected a distance in metres of zero or more, found {limit}"),
            ));
        }
    }
    let mut params = Vec::new();
    for &m in &modes {
        let mut p = default_mode_params(m);
        let given = travel.as_ref().and_then(|t| match m {
            Mode::Walk => t.walk,
            Mode::Cycle => t.cycle,
            Mode::Drive => t.drive,
        });
        if let Some(g) = given {
            if let Some(s) = g.speed_kmh {
                p.speed_kmh = s;
            }
            if let Some(c) = g.circuity {
                p.circuity = c;
            }
        }
        if !(p.speed_kmh > 0.0 && p.speed_kmh.is_finite()) {
            problems.push(Problem::field(
                path,
                format!("travel.{m}.speed_kmh"),
                format!("expected a speed above zero, found {}", p.speed_kmh),
            ));
        }
        if !(p.circuity >= 1.0 && p.circuity.is_finite()) {
            problems.push(Problem::field(path, format!("travel.{m}.circuity"), format!("expected a factor of at least 1 (route length over straight-line distance), found {}", p.circuity)));
        }
        params.push(p);
    }
    if let Some(y) = file.demand_years {
        if !(y > 0.0 && y.is_finite()) {
            problems.push(Problem::field(
                path,
                "demand_years",
                format!("expected a number of years above zero, found {y}"),
            ));
        }
    }
    if let Some(c) = &file.crs {
        match Crs::parse(c) {
            Ok(crs) if !crs.is_metric() => problems.push(Problem::field(
                path,
                "crs",
                format!("the working CRS must be projected in metres, found {crs}: use e.g. EPSG:27700 or a UTM zone"),
            )),
            Ok(_) => {}
            Err(m) => problems.push(Problem::field(path, "crs", m)),
        }
    }
    match checked_bands {
        Ok(bands) if problems.len() == before => Some((params, bands)),
        _ => None,
    }
}

/// The study file's references to its inputs and outputs: the network file exists, the map's
/// kind and mode are the study's.
pub(crate) fn check_references(
    path: &Path,
    dir: &Path,
    file: &StudyFile,
    kinds: &[String],
    modes: &[ModeParams],
) -> Result<()> {
    if let Some(n) = file.travel.as_ref().and_then(|t| t.network.as_ref()) {
        if !dir.join(n).is_file() {
            return Err(Error::problem(Problem::field(
                path,
                "travel.network",
                format!(
                    "{}: file not found; the path is relative to the study file",
                    dir.join(n).display()
                ),
            )));
        }
    }
    if let Some(k) = &file.map.kind {
        if !kinds.contains(k) {
            return Err(Error::problem(Problem::field(
                path,
                "map.kind",
                format!(
                    "no site has the kind \"{k}\"; the kinds are: {}",
                    kinds.join(", ")
                ),
            )));
        }
    }
    if let Some(m) = file.map.mode {
        if !modes.iter().any(|p| p.mode == m) {
            return Err(Error::problem(Problem::field(
                path,
                "map.mode",
                format!("{m} is not one of the study's travel modes"),
            )));
        }
    }
    Ok(())
}

/// The assignment model of records that do not say where they were served.
pub(crate) fn assignment(path: &Path, file: &StudyFile, problems: &mut Vec<Problem>) -> Assignment {
    let (model, beta, attractiveness) = match &file.assignment {
        None => return Assignment::Nearest,
        Some(AssignmentInput::Model(m)) => (m.clone(), None, None),
        Some(AssignmentInput::Table(t)) => (t.model.clone(), t.beta, t.attractiveness.clone()),
    };
    let beta = beta.unwrap_or(2.0);
    if !(beta.is_finite() && beta > 0.0) {
        problems.push(Problem::field(
            path,
            "assignment.beta",
            format!("expected a distance-decay exponent above 0, found {beta}"),
        ));
    }
    let by_capacity = match attractiveness.as_deref().unwrap_or("capacity") {
        "capacity" => true,
        "one" => false,
        other => {
            problems.push(Problem::field(
                path,
                "assignment.attractiveness",
                format!("expected \"capacity\" or \"one\", found \"{other}\""),
            ));
            true
        }
    };
    match model.trim().to_ascii_lowercase().as_str() {
        "nearest" => Assignment::Nearest,
        "huff" => Assignment::Huff { beta, by_capacity },
        other => {
            problems.push(Problem::field(
                path,
                "assignment",
                format!("expected \"nearest\" or \"huff\", found \"{other}\""),
            ));
            Assignment::Nearest
        }
    }
}
