//! The timetable RAPTOR scans: trips grouped into patterns (one stop sequence with the same
//! boarding and alighting rules), each pattern's trips in an order no trip overtakes another
//! (a sequence that overtakes is split into two patterns), and each stop's patterns.
//!
//! Frequency-based trips become timetabled trips for one draw: departures every headway from
//! the period's start plus a phase drawn at random (fixed seed, so the same inputs give the same
//! timetable), or from the start exactly where `exact_times = 1`.

use std::collections::HashMap;

use crate::network::transit::schedule::Run;
use crate::rng::Rng;

/// One pattern: its stops and its trips' times.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// Stops in order.
    pub stops: Vec<u32>,
    /// Riders may board, per position.
    pub pickup: Vec<bool>,
    /// Riders may alight, per position.
    pub drop_off: Vec<bool>,
    /// Per trip then position: (arrival, departure), trips in order of departure.
    pub times: Vec<(u32, u32)>,
    /// The route (feed, route index) of every trip (for counts).
    pub route: (u32, u32),
}

impl Pattern {
    /// Trips in the pattern.
    pub fn trips(&self) -> usize {
        self.times.len() / self.stops.len()
    }

    /// (arrival, departure) of trip `t` at position `i`.
    #[inline]
    pub fn at(&self, t: usize, i: usize) -> (u32, u32) {
        self.times[t * self.stops.len() + i]
    }

    /// The first trip that leaves position `i` at or after `time`, if any.
    pub fn first_after(&self, i: usize, time: u32) -> Option<usize> {
        let n = self.trips();
        let len = self.stops.len();
        let mut lo = 0;
        let mut hi = n;
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.times[mid * len + i].1 >= time {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        (lo < n).then_some(lo)
    }
}

/// Patterns and, per stop, the (pattern, position) pairs that call there.
#[derive(Debug, Clone)]
pub struct Timetable {
    /// Every pattern.
    pub patterns: Vec<Pattern>,
    /// Per stop: offsets into `stop_calls`.
    pub stop_offsets: Vec<u32>,
    /// (pattern, position), grouped by stop.
    pub stop_calls: Vec<(u32, u32)>,
}

impl Timetable {
    /// The (pattern, position) pairs at stop `s`.
    pub fn calls_at(&self, s: u32) -> &[(u32, u32)] {
        let (a, b) = (
            self.stop_offsets[s as usize] as usize,
            self.stop_offsets[s as usize + 1] as usize,
        );
        &self.stop_calls[a..b]
    }

    /// Trips of every pattern.
    pub fn trips(&self) -> usize {
        self.patterns.iter().map(Pattern::trips).sum()
    }
}

/// Whether the runs hold frequency-based trips (then each draw has its own timetable).
pub fn has_frequencies(runs: &[Run]) -> bool {
    runs.iter().any(|r| !r.frequencies.is_empty())
}

/// The timetable of draw `draw` (phases of frequency-based trips drawn with seed `draw`).
pub fn timetable(runs: &[Run], n_stops: usize, draw: u32) -> Timetable {
    let mut rng = Rng::new(0x7261_7074_6f72 ^ draw as u64);
    // (stops, pickup, drop_off) -> trips' times and the route
    type Key = (Vec<u32>, Vec<bool>, Vec<bool>);
    type Trips = (Vec<Vec<(u32, u32)>>, (u32, u32));
    let mut groups: HashMap<Key, Trips> = HashMap::new();
    for r in runs {
        let key = (r.stops.clone(), r.pickup.clone(), r.drop_off.clone());
        let entry = groups.entry(key).or_insert_with(|| (Vec::new(), r.route));
        if r.frequencies.is_empty() {
            entry.0.push(r.times.clone());
            continue;
        }
        for f in &r.frequencies {
            let phase = if f.exact {
                0
            } else {
                (rng.uniform() * f.headway as f64) as u32
            };
            let mut dep = f.start + phase;
            while dep < f.end {
                entry
                    .0
                    .push(r.times.iter().map(|&(a, d)| (a + dep, d + dep)).collect());
                dep += f.headway;
            }
        }
    }
    let mut keys: Vec<Key> = groups.keys().cloned().collect();
    keys.sort();
    let mut patterns = Vec::new();
    for key in keys {
        let (mut trips, route) = groups.remove(&key).expect("key listed");
        trips.sort();
        trips.dedup();
        for part in fifo_parts(trips) {
            patterns.push(Pattern {
                stops: key.0.clone(),
                pickup: key.1.clone(),
                drop_off: key.2.clone(),
                times: part.into_iter().flatten().collect(),
                route,
            });
        }
    }
    let mut counts = vec![0u32; n_stops + 1];
    for p in &patterns {
        for &s in &p.stops {
            counts[s as usize + 1] += 1;
        }
    }
    for i in 0..n_stops {
        counts[i + 1] += counts[i];
    }
    let mut fill = counts.clone();
    let mut stop_calls = vec![(0, 0); counts[n_stops] as usize];
    for (pi, p) in patterns.iter().enumerate() {
        for (i, &s) in p.stops.iter().enumerate() {
            stop_calls[fill[s as usize] as usize] = (pi as u32, i as u32);
            fill[s as usize] += 1;
        }
    }
    Timetable {
        patterns,
        stop_offsets: counts,
        stop_calls,
    }
}

/// Trips (sorted) split into groups in which each trip is no earlier than the one before at
/// every stop, so a binary search by departure finds the earliest trip at any position.
fn fifo_parts(trips: Vec<Vec<(u32, u32)>>) -> Vec<Vec<Vec<(u32, u32)>>> {
    let mut parts: Vec<Vec<Vec<(u32, u32)>>> = Vec::new();
    'trip: for t in trips {
        for part in parts.iter_mut() {
            let last = part.last().expect("parts are never empty");
            if last.iter().zip(&t).all(|(a, b)| a.0 <= b.0 && a.1 <= b.1) {
                part.push(t);
                continue 'trip;
            }
        }
        parts.push(vec![t]);
    }
    parts
}
