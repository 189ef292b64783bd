//! An independent earliest-arrival connection scan (Dibbelt, Pajor, Strasser and Wagner,
//! "Connection Scan Algorithm", 2018), written for the tests from the paper, not from
//! frontdoor's RAPTOR: every elementary connection (a vehicle leaving one stop and reaching the
//! next) in order of departure, with the same walks and rules as frontdoor's journeys:
//! - from the origin, walks to stops (access), then any number of rides;
//! - a ride is boarded at a stop reached at least 60 s before the vehicle leaves (a rider
//!   already on the vehicle stays on);
//! - after each ride, at most one walk to another stop (the transfers);
//! - to the site, a walk from a stop (egress), whether the stop was reached by a ride, a
//!   transfer or the access walk.

use frontdoor::network::transit::timetable::Timetable;

/// One elementary connection.
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    pub trip: u32,
    pub from: u32,
    pub to: u32,
    pub dep: u32,
    pub arr: u32,
    pub board: bool,
    pub alight: bool,
}

/// Every connection of a timetable, by departure (then arrival, trip).
pub fn connections(tt: &Timetable) -> Vec<Connection> {
    let mut out = Vec::new();
    let mut trip = 0u32;
    for p in &tt.patterns {
        let len = p.stops.len();
        for t in 0..p.times.len() / len {
            for i in 0..len - 1 {
                out.push(Connection {
                    trip,
                    from: p.stops[i],
                    to: p.stops[i + 1],
                    dep: p.times[t * len + i].1,
                    arr: p.times[t * len + i + 1].0,
                    board: p.pickup[i],
                    alight: p.drop_off[i + 1],
                });
            }
            trip += 1;
        }
    }
    out.sort_by_key(|c| (c.dep, c.arr, c.trip, c.from));
    out
}

/// Earliest arrival at each site leaving the origin at `t0` (u32::MAX: never).
pub fn earliest_arrivals(
    conns: &[Connection],
    n_stops: usize,
    transfers: &[Vec<(u32, u32)>],
    access: &[(u32, u32)],
    egress: &[Vec<(u32, u32)>],
    t0: u32,
) -> Vec<u32> {
    const SLACK: u32 = 60;
    // Earliest time at each stop able to board (walked or ridden there).
    let mut at = vec![u32::MAX; n_stops];
    let mut on_trip: std::collections::HashSet<u32> = std::collections::HashSet::new();
    for &(s, w) in access {
        at[s as usize] = at[s as usize].min(t0 + w);
    }
    for c in conns {
        if c.dep < t0 {
            continue;
        }
        let boarded = on_trip.contains(&c.trip)
            || (c.board && at[c.from as usize] != u32::MAX && at[c.from as usize] + SLACK <= c.dep);
        if !boarded {
            continue;
        }
        on_trip.insert(c.trip);
        if c.alight && c.arr < at[c.to as usize] {
            at[c.to as usize] = c.arr;
        }
        if c.alight {
            for &(q, w) in &transfers[c.to as usize] {
                let t = c.arr + w;
                if t < at[q as usize] {
                    at[q as usize] = t;
                }
            }
        }
    }
    egress
        .iter()
        .map(|e| {
            e.iter()
                .filter(|(s, _)| at[*s as usize] != u32::MAX)
                .map(|&(s, w)| at[s as usize] + w)
                .min()
                .unwrap_or(u32::MAX)
        })
        .collect()
}
