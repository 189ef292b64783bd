//! The study file's own settings checked: travel modes and their speeds, bands, snap limit,
//! demand years and the working CRS; and the references it makes (network file, map kind and
//! mode).

use std::path::Path;

use crate::crs::Crs;
use crate::error::{Error, Problem, Result};
use crate::ids::Bands;
use crate::load::settings::{AssignmentInput, StudyFile, TravelInput};
use crate::mode::{default_mode_params, Mode, ModeParams};
use crate::model::{Assignment, ServiceDate, TransitSettings};

/// The modes with their parameters, the bands and public transport's settings.
pub(crate) type Settings = (Vec<ModeParams>, Bands, Option<TransitSettings>);

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
        .unwrap_or_else(|| Mode::DEFAULT.to_vec());
    let bands = travel
        .as_ref()
        .and_then(|t| t.bands.clone())
        .unwrap_or_else(|| vec![10, 20, 30]);
    if modes.is_empty() {
        problems.push(Problem::field(
            path,
            "travel.modes",
            "expected at least one of walk, cycle, drive, transit",
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
            Mode::Transit => None,
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
    // Public transport's times come from the timetables, unless a matrix gives them.
    let from_matrix = travel.as_ref().is_some_and(|t| t.matrix.is_some());
    let transit = (modes.contains(&Mode::Transit) && !from_matrix)
        .then(|| check_transit(path, travel.as_ref(), problems))
        .flatten();
    match checked_bands {
        Ok(bands) if problems.len() == before => Some((params, bands, transit)),
        _ => None,
    }
}

/// The study file's references to its inputs and outputs: the network file exists, the map's
/// kind and mode are the study's.
/// `[travel] gtfs` and `[travel.transit]` checked, for a study that measures `transit`.
fn check_transit(
    path: &Path,
    travel: Option<&TravelInput>,
    problems: &mut Vec<Problem>,
) -> Option<TransitSettings> {
    let before = problems.len();
    let mut bad = |key: &str, msg: String| {
        problems.push(Problem::field(path, format!("travel.transit.{key}"), msg))
    };
    let t = travel.and_then(|t| t.transit.clone()).unwrap_or_default();
    let departure = t.departure.as_deref().and_then(parse_departure);
    if departure.is_none() {
        bad("departure", format!(
            "expected the day and time people leave, as \"YYYY-MM-DDTHH:MM\" in the feed's local time (e.g. \"2019-05-13T14:00\"), found {}",
            t.departure.as_deref().map_or("nothing".to_string(), |d| format!("{d:?}"))
        ));
    }
    let window = t.window_minutes.unwrap_or(60);
    if !(1..=1440).contains(&window) {
        bad(
            "window_minutes",
            format!("expected 1 to 1440 minutes, found {window}"),
        );
    }
    let percentiles = t.percentiles.clone().unwrap_or_else(|| vec![50]);
    if percentiles.is_empty() || percentiles.iter().any(|p| !(1..=99).contains(p)) {
        bad("percentiles", format!("expected whole percentiles from 1 to 99, e.g. [50] or [25, 50, 75], found {percentiles:?}"));
    }
    let mut sorted = percentiles.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != percentiles.len() {
        bad(
            "percentiles",
            format!("a percentile is listed twice in {percentiles:?}"),
        );
    }
    let access = t.max_access_minutes.unwrap_or(15.0);
    if !(access > 0.0 && access <= 120.0) {
        bad(
            "max_access_minutes",
            format!("expected minutes above 0 and at most 120, found {access}"),
        );
    }
    let transfer = t.max_transfer_m.unwrap_or(1000.0);
    if !(0.0..=10_000.0).contains(&transfer) {
        bad(
            "max_transfer_m",
            format!("expected metres from 0 to 10000, found {transfer}"),
        );
    }
    let rides = t.max_rides.unwrap_or(8);
    if !(1..=16).contains(&rides) {
        bad(
            "max_rides",
            format!("expected 1 to 16 vehicles, found {rides}"),
        );
    }
    let draws = t.draws.unwrap_or(10);
    if !(1..=1000).contains(&draws) {
        bad("draws", format!("expected 1 to 1000 draws, found {draws}"));
    }
    let gtfs = travel.and_then(|t| t.gtfs.clone()).unwrap_or_default();
    if gtfs.is_empty() {
        problems.push(Problem::field(path, "travel.gtfs", "the transit mode needs timetables: list the GTFS feeds, e.g. gtfs = [\"buses.zip\"] (paths relative to the study file)"));
    }
    if travel.and_then(|t| t.network.as_ref()).is_none() {
        problems.push(Problem::field(path, "travel.network", "the transit mode walks to, from and between stops on the street network: name an OpenStreetMap extract, e.g. network = \"area.osm.pbf\""));
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let (date, departure_s) = departure?;
    (problems.len() == before).then(|| TransitSettings {
        gtfs: gtfs.iter().map(|g| dir.join(g)).collect(),
        date,
        departure_s,
        window_minutes: window,
        percentiles: percentiles.iter().map(|&p| p as u8).collect(),
        max_access_minutes: access,
        max_transfer_m: transfer,
        max_rides: rides as u8,
        draws,
    })
}

/// `YYYY-MM-DDTHH:MM` (or with a space, or seconds) as a service day and seconds after its
/// midnight.
pub(crate) fn parse_departure(text: &str) -> Option<(ServiceDate, u32)> {
    let (day, time) = text.trim().split_once(['T', ' '])?;
    let date = ServiceDate::parse(day)?;
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = (n[0], n[1], n.get(2).copied().unwrap_or(0));
    (h < 24 && m < 60 && s < 60).then_some((date, h * 3600 + m * 60 + s))
}

pub(crate) fn check_references(
    path: &Path,
    dir: &Path,
    file: &StudyFile,
    kinds: &[String],
    modes: &[ModeParams],
) -> Result<()> {
    if let Some(t) = file.travel.as_ref().filter(|t| t.matrix.is_some()) {
        if t.network.is_some() || t.gtfs.is_some() {
            return Err(Error::problem(Problem::field(
                path,
                "travel.matrix",
                "the study names a travel-time matrix and a network or GTFS feeds: the matrix \
                 replaces frontdoor's routing, so give one or the other",
            )));
        }
    }
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
    for g in file.travel.iter().flat_map(|t| t.gtfs.iter().flatten()) {
        if !dir.join(g).exists() {
            return Err(Error::problem(Problem::field(
                path,
                "travel.gtfs",
                format!(
                    "{}: GTFS feed not found (a zip file or a folder); the path is relative to the study file",
                    dir.join(g).display()
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
