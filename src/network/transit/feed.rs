//! GTFS feeds read with `gtfs-structures` into frontdoor's own plain form: stops with
//! coordinates, trips as stop sequences with optional times, frequencies and service rules.
//! Errors name the feed, the file, the line and the field.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gtfs_structures::{ExactTimes, Exception, GtfsReader, PickupDropOffType, RawGtfs, RawTrip};

use crate::error::{Error, Result};
use crate::model::ServiceDate;

/// A stop of a feed (or a station with coordinates that trips call at).
#[derive(Debug, Clone)]
pub struct FeedStop {
    /// `stop_id`.
    pub id: String,
    /// `stop_name` (the id where none).
    pub name: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
}

/// One row of frequencies.txt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frequency {
    /// First departure of the period, seconds after the service day's midnight.
    pub start: u32,
    /// End of the period (exclusive).
    pub end: u32,
    /// Seconds between departures.
    pub headway: u32,
    /// `exact_times = 1`: departures exactly at start, start + headway...
    pub exact: bool,
}

/// A trip: the stops it calls at, in order, with the times the feed gives.
#[derive(Debug, Clone)]
pub struct FeedTrip {
    /// `trip_id`.
    pub id: String,
    /// Index of its route in [`Feed::routes`].
    pub route: u32,
    /// `service_id`.
    pub service: String,
    /// Per call: the stop (index in [`Feed::stops`]), arrival, departure (None: blank), and
    /// whether riders may board and alight.
    pub calls: Vec<Call>,
    /// Frequency periods; empty for a timetabled trip.
    pub frequencies: Vec<Frequency>,
}

/// A trip's call at a stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// The stop, index in [`Feed::stops`].
    pub stop: u32,
    /// Arrival, seconds after the service day's midnight (may pass 24:00).
    pub arrival: Option<u32>,
    /// Departure likewise.
    pub departure: Option<u32>,
    /// Riders may board here.
    pub pickup: bool,
    /// Riders may alight here.
    pub drop_off: bool,
    /// `stop_sequence`.
    pub sequence: u32,
}

/// A route: its id, the name riders know it by and its GTFS type.
#[derive(Debug, Clone)]
pub struct FeedRoute {
    /// `route_id`.
    pub id: String,
    /// Short name, else long name, else the id.
    pub name: String,
    /// Bus, tram, rail... (the GTFS route type as written by gtfs-structures).
    pub kind: String,
}

/// When a service runs: calendar.txt's weekdays over a range, and calendar_dates.txt's
/// exceptions.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// Weekdays (Monday first) and the date range, from calendar.txt.
    pub weekly: Option<([bool; 7], ServiceDate, ServiceDate)>,
    /// Dates added (true) or removed (false).
    pub exceptions: HashMap<ServiceDate, bool>,
}

impl Service {
    /// Whether the service runs on `date`.
    pub fn runs_on(&self, date: ServiceDate) -> bool {
        if let Some(&added) = self.exceptions.get(&date) {
            return added;
        }
        self.weekly.is_some_and(|(days, from, to)| {
            date >= from && date <= to && days[date.weekday() as usize]
        })
    }
}

/// A GTFS feed as frontdoor uses it.
#[derive(Debug, Clone)]
pub struct Feed {
    /// Where it was read from.
    pub path: PathBuf,
    /// Agencies' names.
    pub agencies: Vec<String>,
    /// Routes, sorted by id.
    pub routes: Vec<FeedRoute>,
    /// Stops that trips call at, sorted by id.
    pub stops: Vec<FeedStop>,
    /// Trips, sorted by id.
    pub trips: Vec<FeedTrip>,
    /// Services by id.
    pub services: HashMap<String, Service>,
    /// Rows of transfers.txt (read, not applied: transfers walk on the street network).
    pub transfer_rules: usize,
    /// Problems that did not stop the feed being used.
    pub warnings: Vec<String>,
}

impl Feed {
    /// The first and last dates any service runs (from calendar ranges and added dates).
    pub fn date_range(&self) -> Option<(ServiceDate, ServiceDate)> {
        let mut dates: Vec<ServiceDate> = Vec::new();
        for s in self.services.values() {
            if let Some((_, a, b)) = s.weekly {
                dates.extend([a, b]);
            }
            dates.extend(s.exceptions.iter().filter(|e| *e.1).map(|e| *e.0));
        }
        Some((*dates.iter().min()?, *dates.iter().max()?))
    }
}

/// Reads a GTFS feed (a zip file or a folder).
pub fn read_feed(path: &Path) -> Result<Feed> {
    if !path.exists() {
        return Err(Error::Network(format!(
            "{}: GTFS feed not found; [travel] gtfs paths are relative to the study file",
            path.display()
        )));
    }
    let raw = GtfsReader::default()
        .read_shapes(false)
        .raw()
        .read_from_path(path)
        .map_err(|e| feed_error(path, e))?;
    convert(path, raw)
}

/// A gtfs-structures error in words a user can act on.
fn feed_error(path: &Path, e: gtfs_structures::Error) -> Error {
    use gtfs_structures::Error as G;
    let at = path.display();
    Error::Network(match e {
        G::MissingFile(f) => format!(
            "{at}: the GTFS feed has no {f}; a feed needs agency.txt, stops.txt, routes.txt, \
             trips.txt, stop_times.txt and calendar.txt or calendar_dates.txt"
        ),
        G::ReferenceError(id) => format!(
            "{at}: a row refers to the id \"{id}\", which the feed does not define (e.g. a \
             stop_id of stop_times.txt missing from stops.txt, or a route_id of trips.txt \
             missing from routes.txt)"
        ),
        G::InvalidTime(t) => format!("{at}: \"{t}\" is not a time: expected HH:MM:SS"),
        G::CSVError {
            file_name,
            source,
            line_in_error,
        } => {
            let line = source
                .position()
                .map(|p| format!(", line {}", p.line()))
                .unwrap_or_default();
            let detail = match source.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
                _ => source.to_string(),
            };
            let field = match (source.kind(), &line_in_error) {
                (csv::ErrorKind::Deserialize { err, .. }, Some(l)) => {
                    field_in_error(err.field(), &detail, l)
                        .map(|i| format!(", field {} ({:?})", l.headers[i], l.values[i]))
                        .unwrap_or_default()
                }
                _ => String::new(),
            };
            format!("{at}: {file_name}{line}{field}: {detail}")
        }
        G::NamedFileIO { file_name, source } => format!("{at}: cannot read {file_name}: {source}"),
        G::Zip(z) => format!("{at}: not a readable zip file ({z}); give a GTFS zip or folder"),
        other => format!("{at}: cannot read the GTFS feed: {other}"),
    })
}

/// A required file's rows, or its error in words.
fn rows<T>(path: &Path, r: std::result::Result<Vec<T>, gtfs_structures::Error>) -> Result<Vec<T>> {
    r.map_err(|e| feed_error(path, e))
}

/// An optional file's rows (none where the file is absent).
fn optional<T>(
    path: &Path,
    r: Option<std::result::Result<Vec<T>, gtfs_structures::Error>>,
) -> Result<Vec<T>> {
    r.map(|r| rows(path, r))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The column a row's error is about: the reader's own where it says, else the column whose
/// value the message quotes, else the first value that is not the number the message wanted.
fn field_in_error(
    field: Option<u64>,
    message: &str,
    line: &gtfs_structures::error::LineError,
) -> Option<usize> {
    let n = line.headers.len().min(line.values.len());
    if let Some(f) = field.map(|f| f as usize).filter(|&f| f < n) {
        return Some(f);
    }
    let quoted = (0..n).find(|&i| {
        let v = line.values[i].trim();
        !v.is_empty()
            && (message.contains(&format!("'{v}'")) || message.contains(&format!("\"{v}\"")))
    });
    if quoted.is_some() {
        return quoted;
    }
    // GTFS's numeric fields: a number refused is in one of these.
    const NUMERIC: [&str; 22] = [
        "stop_lat",
        "stop_lon",
        "shape_pt_lat",
        "shape_pt_lon",
        "shape_dist_traveled",
        "price",
        "stop_sequence",
        "shape_pt_sequence",
        "headway_secs",
        "min_transfer_time",
        "location_type",
        "route_type",
        "direction_id",
        "pickup_type",
        "drop_off_type",
        "exact_times",
        "timepoint",
        "transfer_type",
        "wheelchair_boarding",
        "wheelchair_accessible",
        "bikes_allowed",
        "exception_type",
    ];
    let numeric = |i: usize| NUMERIC.contains(&line.headers[i].trim());
    (0..n).find(|&i| {
        let v = line.values[i].trim();
        numeric(i) && !v.is_empty() && v.parse::<f64>().is_err()
    })
}

fn convert(path: &Path, raw: RawGtfs) -> Result<Feed> {
    let at = path.display();
    let mut warnings = Vec::new();
    let trips_raw = rows(path, raw.trips)?;
    let stop_rows = rows(path, raw.stops)?;
    let stop_times = rows(path, raw.stop_times)?;
    // Routes matter for names and counts only: a value the reader refuses in an unused field
    // (a colour written "0") does not stop the feed; the routes are then named by their ids.
    let mut routes: Vec<FeedRoute> = match raw.routes {
        Ok(list) => list
            .into_iter()
            .map(|r| FeedRoute {
                name: r
                    .short_name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .or_else(|| r.long_name.clone().filter(|n| !n.is_empty()))
                    .unwrap_or_else(|| r.id.clone()),
                kind: format!("{:?}", r.route_type),
                id: r.id,
            })
            .collect(),
        Err(e) => {
            warnings.push(format!(
                "{}; the routes are named by their ids",
                feed_error(path, e)
            ));
            Vec::new()
        }
    };
    let mut known: std::collections::HashSet<String> =
        routes.iter().map(|r| r.id.clone()).collect();
    let listed = !routes.is_empty();
    let unlisted: Vec<&RawTrip> = trips_raw
        .iter()
        .filter(|t| listed && !known.contains(&t.route_id))
        .collect();
    if let Some(t) = unlisted.first() {
        warnings.push(format!(
            "{at}: trips.txt: {} trips refer to a route_id that routes.txt does not list (trip {} \
             to route {}); they are used, their route named by its id",
            unlisted.len(),
            t.id,
            t.route_id
        ));
    }
    for t in &trips_raw {
        if known.insert(t.route_id.clone()) {
            routes.push(FeedRoute {
                id: t.route_id.clone(),
                name: t.route_id.clone(),
                kind: "unknown".into(),
            });
        }
    }
    routes.sort_by(|a, b| a.id.cmp(&b.id));
    let route_index: HashMap<&str, u32> = routes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i as u32))
        .collect();

    let by_id: HashMap<&str, &gtfs_structures::Stop> =
        stop_rows.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut stop_ids: Vec<&str> = stop_times.iter().map(|st| st.stop_id.as_str()).collect();
    stop_ids.sort_unstable();
    stop_ids.dedup();
    let mut stops = Vec::with_capacity(stop_ids.len());
    for id in &stop_ids {
        let Some(s) = by_id.get(id) else {
            return Err(Error::Network(format!(
                "{at}: stop_times.txt calls at stop_id {id}, which stops.txt does not list"
            )));
        };
        let (Some(lon), Some(lat)) = (s.longitude, s.latitude) else {
            return Err(Error::Network(format!(
                "{at}: stops.txt, stop {id}: stop_lat and stop_lon are needed for a stop that \
                 trips call at"
            )));
        };
        if !(lon.abs() <= 180.0 && lat.abs() <= 90.0) || (lon == 0.0 && lat == 0.0) {
            return Err(Error::Network(format!(
                "{at}: stops.txt, stop {id}: stop_lat {lat}, stop_lon {lon} are not the \
                 stop's latitude and longitude in degrees"
            )));
        }
        stops.push(FeedStop {
            id: id.to_string(),
            name: s.name.clone().unwrap_or_else(|| id.to_string()),
            lon,
            lat,
        });
    }
    let stop_index: HashMap<&str, u32> = stop_ids
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();

    let mut calls: HashMap<&str, Vec<Call>> = HashMap::new();
    for st in &stop_times {
        calls.entry(st.trip_id.as_str()).or_default().push(Call {
            stop: stop_index[st.stop_id.as_str()],
            arrival: st.arrival_time,
            departure: st.departure_time,
            pickup: st.pickup_type != PickupDropOffType::NotAvailable,
            drop_off: st.drop_off_type != PickupDropOffType::NotAvailable,
            sequence: st.stop_sequence,
        });
    }
    let mut frequencies: HashMap<&str, Vec<Frequency>> = HashMap::new();
    let freq_rows = optional(path, raw.frequencies)?;
    for f in &freq_rows {
        frequencies
            .entry(f.trip_id.as_str())
            .or_default()
            .push(Frequency {
                start: f.start_time,
                end: f.end_time,
                headway: f.headway_secs,
                exact: f.exact_times == Some(ExactTimes::ScheduleBased),
            });
    }
    let mut trips: Vec<FeedTrip> = Vec::with_capacity(trips_raw.len());
    for t in &trips_raw {
        let mut c = calls.remove(t.id.as_str()).unwrap_or_default();
        c.sort_by_key(|c| c.sequence);
        if let Some(w) = c.windows(2).find(|w| w[0].sequence == w[1].sequence) {
            return Err(Error::Network(format!(
                "{at}: stop_times.txt, trip {}: stop_sequence {} is given twice",
                t.id, w[0].sequence
            )));
        }
        let mut freq = frequencies.remove(t.id.as_str()).unwrap_or_default();
        freq.sort_by_key(|f| f.start);
        trips.push(FeedTrip {
            id: t.id.clone(),
            route: route_index[t.route_id.as_str()],
            service: t.service_id.clone(),
            calls: c,
            frequencies: freq,
        });
    }
    if let Some(id) = calls.keys().min() {
        return Err(Error::Network(format!(
            "{at}: stop_times.txt gives times for trip_id {id}, which trips.txt does not list"
        )));
    }
    trips.sort_by(|a, b| a.id.cmp(&b.id));

    let date = |d: &jiff::civil::Date| ServiceDate {
        year: d.year() as i32,
        month: d.month() as u32,
        day: d.day() as u32,
    };
    let mut services: HashMap<String, Service> = HashMap::new();
    for c in optional(path, raw.calendar)? {
        let days = [
            c.monday,
            c.tuesday,
            c.wednesday,
            c.thursday,
            c.friday,
            c.saturday,
            c.sunday,
        ];
        services.entry(c.id.clone()).or_default().weekly =
            Some((days, date(&c.start_date), date(&c.end_date)));
    }
    for cd in optional(path, raw.calendar_dates)? {
        services
            .entry(cd.service_id.clone())
            .or_default()
            .exceptions
            .insert(date(&cd.date), cd.exception_type == Exception::Added);
    }
    let transfer_rules = optional(path, raw.transfers)?.len();
    let agencies = match raw.agencies {
        Ok(a) => a.into_iter().map(|a| a.name).collect(),
        Err(e) => {
            warnings.push(format!("{}", feed_error(path, e)));
            Vec::new()
        }
    };
    Ok(Feed {
        path: path.to_path_buf(),
        agencies,
        routes,
        stops,
        trips,
        services,
        transfer_rules,
        warnings,
    })
}
