//! The trips that run around the study's departure window, with every time known: services
//! chosen from calendar.txt and calendar_dates.txt for the day before, the day and the day
//! after (so trips past 24:00 and windows past midnight are both right), consecutive calls at
//! one stop merged, and blank times interpolated in proportion to the distance between stops
//! (as R5 does). Times are seconds after midnight of the study's day.

use crate::model::{ServiceDate, TransitSettings};
use crate::network::transit::feed::{Call, Feed, Frequency};

/// A trip resolved for the study's day.
#[derive(Debug, Clone)]
pub struct Run {
    /// Feed and route (index into the feed's routes).
    pub route: (u32, u32),
    /// Stops called at (study-wide stop index).
    pub stops: Vec<u32>,
    /// Arrival and departure per call, seconds after the study day's midnight; for a
    /// frequency-based trip, after its first departure.
    pub times: Vec<(u32, u32)>,
    /// Riders may board, per call.
    pub pickup: Vec<bool>,
    /// Riders may alight, per call.
    pub drop_off: Vec<bool>,
    /// Frequency periods (shifted to the study day); empty for a timetabled trip.
    pub frequencies: Vec<Frequency>,
}

/// What the schedule found, for `frontdoor transit` and run.json.
#[derive(Debug, Clone, Default)]
pub struct ScheduleCounts {
    /// Trips whose service runs on the day.
    pub trips_on_day: usize,
    /// Of those, frequency-based.
    pub frequency_trips: usize,
    /// Stop times whose arrival or departure was blank and was interpolated (every day).
    pub interpolated: usize,
    /// Stop times in all.
    pub stop_times: usize,
    /// Trips left out, with why (at most a few examples kept in `examples`).
    pub skipped: usize,
    /// Examples of trips left out.
    pub examples: Vec<String>,
}

/// The study's stops (every feed's, feed by feed) and the runs around the window.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Per study stop: (feed, stop index in that feed).
    pub stops: Vec<(u32, u32)>,
    /// Runs that may matter to the window.
    pub runs: Vec<Run>,
    /// What was found.
    pub counts: ScheduleCounts,
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The runs of `feeds` that may matter to departures in the window of `t`, within `horizon_s`
/// seconds after its end.
pub fn schedule(feeds: &[Feed], t: &TransitSettings, horizon_s: u32) -> Schedule {
    let mut stops = Vec::new();
    let mut offsets = Vec::new();
    for (f, feed) in feeds.iter().enumerate() {
        offsets.push(stops.len() as u32);
        stops.extend((0..feed.stops.len() as u32).map(|s| (f as u32, s)));
    }
    let (lo, hi) = (
        t.departure_s as i64,
        t.departure_s as i64 + t.window_minutes as i64 * 60 + horizon_s as i64,
    );
    let mut runs = Vec::new();
    let mut counts = ScheduleCounts::default();
    for (f, feed) in feeds.iter().enumerate() {
        for trip in &feed.trips {
            counts.stop_times += trip.calls.len();
            counts.interpolated += trip
                .calls
                .iter()
                .filter(|c| c.arrival.is_none() && c.departure.is_none())
                .count();
            let service = feed.services.get(&trip.service);
            let day_runs = |d: i64| service.is_some_and(|s| s.runs_on(t.date.plus(d)));
            if day_runs(0) {
                counts.trips_on_day += 1;
                counts.frequency_trips += usize::from(!trip.frequencies.is_empty());
            }
            let days: Vec<i64> = (-1..=1).filter(|&d| day_runs(d)).collect();
            if days.is_empty() {
                continue;
            }
            let times = match resolve(feed, &trip.calls) {
                Ok(x) => x,
                Err(why) => {
                    if day_runs(0) {
                        counts.skipped += 1;
                        if counts.examples.len() < 5 {
                            counts.examples.push(format!(
                                "{}: trip {}: {why}; the trip is left out",
                                feed.path.display(),
                                trip.id
                            ));
                        }
                    }
                    continue;
                }
            };
            for d in days {
                // Yesterday's trips from the first call after midnight on.
                let from = if trip.frequencies.is_empty() {
                    times
                        .iter()
                        .position(|c| c.departure as i64 + d * DAY >= 0)
                        .unwrap_or(times.len())
                } else {
                    0
                };
                let calls = &times[from..];
                if calls.len() < 2 {
                    continue;
                }
                if let Some(run) = shifted(calls, &trip.frequencies, d * DAY, lo, hi) {
                    runs.push(Run {
                        route: (f as u32, trip.route),
                        stops: calls.iter().map(|c| offsets[f] + c.stop).collect(),
                        pickup: calls.iter().map(|c| c.pickup).collect(),
                        drop_off: calls.iter().map(|c| c.drop_off).collect(),
                        ..run
                    });
                }
            }
        }
    }
    Schedule {
        stops,
        runs,
        counts,
    }
}

/// A call with both times known.
#[derive(Debug, Clone, Copy)]
struct Timed {
    stop: u32,
    arrival: u32,
    departure: u32,
    pickup: bool,
    drop_off: bool,
}

/// A run shifted by `shift` seconds, if any of it falls in [lo, hi]; None otherwise.
fn shifted(calls: &[Timed], freq: &[Frequency], shift: i64, lo: i64, hi: i64) -> Option<Run> {
    let first = calls[0].departure as i64 + shift;
    let last = calls[calls.len() - 1].arrival as i64 + shift;
    if freq.is_empty() {
        if last < lo || first > hi || first < 0 {
            return None;
        }
        let times = calls
            .iter()
            .map(|c| {
                let a = (c.arrival as i64 + shift).max(0) as u32;
                (a, (c.departure as i64 + shift) as u32)
            })
            .collect();
        return Some(Run {
            route: (0, 0),
            stops: Vec::new(),
            times,
            pickup: Vec::new(),
            drop_off: Vec::new(),
            frequencies: Vec::new(),
        });
    }
    let base = calls[0].departure;
    let span = (calls[calls.len() - 1].arrival - base) as i64;
    let periods: Vec<Frequency> = freq
        .iter()
        .filter(|f| f.headway > 0 && f.end > f.start)
        .filter(|f| f.start as i64 + shift <= hi && f.end as i64 + shift + span >= lo)
        .filter(|f| f.start as i64 + shift >= 0)
        .map(|f| Frequency {
            start: (f.start as i64 + shift) as u32,
            end: (f.end as i64 + shift) as u32,
            ..*f
        })
        .collect();
    if periods.is_empty() {
        return None;
    }
    let times = calls
        .iter()
        .map(|c| (c.arrival - base, c.departure - base))
        .collect();
    Some(Run {
        route: (0, 0),
        stops: Vec::new(),
        times,
        pickup: Vec::new(),
        drop_off: Vec::new(),
        frequencies: periods,
    })
}

/// A trip's calls with every time known: consecutive calls at one stop merged, a blank arrival
/// or departure taken from the other, and calls with neither interpolated by distance between
/// the nearest timed calls. Err says why the trip cannot be used.
fn resolve(feed: &Feed, calls: &[Call]) -> Result<Vec<Timed>, String> {
    let mut merged: Vec<Call> = Vec::with_capacity(calls.len());
    for c in calls {
        match merged.last_mut() {
            Some(prev) if prev.stop == c.stop => {
                prev.arrival = prev.arrival.or(c.arrival);
                prev.departure = c.departure.or(prev.departure);
                prev.pickup |= c.pickup;
                prev.drop_off |= c.drop_off;
            }
            _ => merged.push(*c),
        }
    }
    if merged.len() < 2 {
        return Err("it calls at fewer than two stops".into());
    }
    let known: Vec<Option<(u32, u32)>> = merged
        .iter()
        .map(|c| match (c.arrival, c.departure) {
            (Some(a), Some(d)) => Some((a, d)),
            (Some(a), None) => Some((a, a)),
            (None, Some(d)) => Some((d, d)),
            (None, None) => None,
        })
        .collect();
    let (Some(_), Some(_)) = (known[0], known[known.len() - 1]) else {
        let seq = if known[0].is_none() {
            merged[0].sequence
        } else {
            merged[merged.len() - 1].sequence
        };
        return Err(format!(
            "stop_times.txt gives no time at stop_sequence {seq}; the first and last stops need times"
        ));
    };
    let mut times = known.clone();
    let mut a = 0;
    while a + 1 < times.len() {
        let b = (a + 1..times.len())
            .find(|&i| known[i].is_some())
            .expect("the last call is timed");
        if b > a + 1 {
            fill(feed, &merged[a..=b], &mut times[a..=b]);
        }
        a = b;
    }
    let out: Vec<Timed> = merged
        .iter()
        .zip(&times)
        .map(|(c, t)| {
            let (arrival, departure) = t.expect("every time filled");
            Timed {
                stop: c.stop,
                arrival,
                departure,
                pickup: c.pickup,
                drop_off: c.drop_off,
            }
        })
        .collect();
    for (i, w) in out.windows(2).enumerate() {
        if w[0].departure < w[0].arrival || w[1].arrival < w[0].departure {
            return Err(format!(
                "its times go backwards at stop_sequence {}",
                merged[i + 1].sequence
            ));
        }
    }
    Ok(out)
}

/// Interpolates the untimed calls strictly between the first and last of `calls`, in
/// proportion to the straight-line distance along the stops (evenly where they coincide).
fn fill(feed: &Feed, calls: &[Call], times: &mut [Option<(u32, u32)>]) {
    let n = calls.len();
    let mut along = vec![0.0; n];
    for i in 1..n {
        let (p, q) = (
            &feed.stops[calls[i - 1].stop as usize],
            &feed.stops[calls[i].stop as usize],
        );
        along[i] = along[i - 1] + haversine_m(p.lon, p.lat, q.lon, q.lat);
    }
    let start = times[0].expect("timed").1 as f64;
    let end = times[n - 1].expect("timed").0 as f64;
    for i in 1..n - 1 {
        let f = if along[n - 1] > 0.0 {
            along[i] / along[n - 1]
        } else {
            i as f64 / (n - 1) as f64
        };
        let t = (start + (end - start) * f).round().max(start) as u32;
        times[i] = Some((t, t));
    }
}

/// Great-circle distance in metres.
pub fn haversine_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let r = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().asin()
}

/// The service days a feed covers, for the message of a day with no service.
pub fn coverage(feed: &Feed) -> String {
    match feed.date_range() {
        Some((a, b)) => format!("{a} to {b}"),
        None => "no dates at all".into(),
    }
}

/// Whether any trip of the feeds runs on `date`.
pub fn any_service_on(feeds: &[Feed], date: ServiceDate) -> bool {
    feeds.iter().any(|f| {
        f.trips
            .iter()
            .any(|t| f.services.get(&t.service).is_some_and(|s| s.runs_on(date)))
    })
}
