//! Range RAPTOR (Delling, Pajor and Werneck, "Round-Based Public Transit Routing", 2012) over
//! a departure window, minute by minute from the last departure to the first as R5 does: the
//! labels of a later departure stay valid for an earlier one (a rider can wait), so each minute
//! only propagates what improves.
//!
//! Round k holds, per stop, the earliest arrival with at most k rides (`tau[k]`), so the ride
//! limit is exact: a label is only ever compared with labels of as many rides or fewer. A ride
//! is boarded at a stop reached at least [`BOARD_SLACK_S`] seconds before the vehicle leaves;
//! after a ride one walk to another stop may follow (the street transfers of [`Walks`]).
//! Walking alone to a site is always a journey too.

use crate::network::transit::timetable::Timetable;
use crate::network::transit::walk::Walks;

/// A rider reaches the stop at least this long before the vehicle leaves (R5's minimum board
/// wait).
pub const BOARD_SLACK_S: u32 = 60;

/// Not reached.
pub const NEVER: u32 = u32::MAX;

/// One origin's departure window.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// The first departure, seconds after the study day's midnight.
    pub start: u32,
    /// Departures, one a minute.
    pub minutes: u32,
    /// Journeys longer than this (seconds) are not followed.
    pub horizon: u32,
    /// Most rides in a journey.
    pub max_rides: u8,
}

/// Reusable labels for one thread.
pub struct Raptor {
    /// Per round k: earliest arrival at each stop with at most k rides, any way.
    tau: Vec<Vec<u32>>,
    /// Per round k: earliest arrival by a vehicle (a walk may only follow a ride, so a later
    /// ride arrival can still lead to stops an earlier walk cannot).
    rode: Vec<Vec<u32>>,
    flag: Vec<bool>,
    ride_flag: Vec<bool>,
    pattern_from: Vec<u32>,
    patterns: Vec<u32>,
    /// Stops whose labels changed in the last round (to carry up to later rounds).
    improved: Vec<u32>,
    /// Stops whose any-way label improved in the last round (patterns to scan from).
    scan: Vec<u32>,
}

impl Raptor {
    /// Labels for `stops` stops, `patterns` patterns and up to `max_rides` rides.
    pub fn new(stops: usize, patterns: usize, max_rides: u8) -> Raptor {
        Raptor {
            tau: vec![vec![NEVER; stops]; max_rides as usize + 1],
            rode: vec![vec![NEVER; stops]; max_rides as usize + 1],
            flag: vec![false; stops],
            ride_flag: vec![false; stops],
            pattern_from: vec![NEVER; patterns],
            patterns: Vec::new(),
            improved: Vec::new(),
            scan: Vec::new(),
        }
    }

    /// Travel seconds from an origin to every site for each departure of the window.
    /// `access`: (stop, seconds) walked from the origin; `direct`: (site, seconds) walking
    /// alone. Writes `out[site * stride + offset + minute]` (NEVER where not reached within the
    /// horizon).
    #[allow(clippy::too_many_arguments)]
    pub fn range(
        &mut self,
        tt: &Timetable,
        walks: &Walks,
        access: &[(u32, u32)],
        direct: &[(u32, u32)],
        w: Window,
        out: &mut [u32],
        stride: usize,
        offset: usize,
    ) {
        for t in self.tau.iter_mut().chain(self.rode.iter_mut()) {
            t.fill(NEVER);
        }
        let k = w.max_rides as usize;
        for minute in (0..w.minutes).rev() {
            let t0 = w.start + minute * 60;
            self.depart(
                tt,
                walks,
                access,
                t0,
                t0.saturating_add(w.horizon),
                w.max_rides,
            );
            let col = offset + minute as usize;
            for (site, egress) in walks.egress.iter().enumerate() {
                let mut best = NEVER;
                for &(s, secs) in egress {
                    best = best.min(self.tau[k][s as usize].saturating_add(secs));
                }
                out[site * stride + col] = best.saturating_sub(t0);
            }
            for &(site, secs) in direct {
                let o = &mut out[site as usize * stride + col];
                *o = (*o).min(secs);
            }
            for site in 0..walks.egress.len() {
                let o = &mut out[site * stride + col];
                if *o > w.horizon {
                    *o = NEVER;
                }
            }
        }
    }

    /// One departure at `t0`: rounds of rides until nothing improves.
    fn depart(
        &mut self,
        tt: &Timetable,
        walks: &Walks,
        access: &[(u32, u32)],
        t0: u32,
        limit: u32,
        max_rides: u8,
    ) {
        self.improved.clear();
        self.scan.clear();
        for &(s, secs) in access {
            let t = t0 + secs;
            if t < self.tau[0][s as usize] && t <= limit {
                self.tau[0][s as usize] = t;
                self.improved.push(s);
                self.scan.push(s);
            }
        }
        for k in 1..=max_rides as usize {
            if self.improved.is_empty() {
                break;
            }
            let improved = self.carry(k);
            let rode = self.scan_patterns(tt, k, limit);
            self.walk_after_rides(walks, k, limit, rode, improved);
        }
    }

    /// What round k-1 improved holds with k rides too (carried up to the last round, where
    /// the egress reads). Returns the stops changed, flagged.
    fn carry(&mut self, k: usize) -> Vec<u32> {
        let mut improved = Vec::with_capacity(self.improved.len());
        for &s in &self.improved {
            let s = s as usize;
            let mut changed = false;
            for lab in [&mut self.tau, &mut self.rode] {
                let (before, after) = lab.split_at_mut(k);
                if before[k - 1][s] < after[0][s] {
                    after[0][s] = before[k - 1][s];
                    changed = true;
                }
            }
            if changed && !self.flag[s] {
                self.flag[s] = true;
                improved.push(s as u32);
            }
        }
        improved
    }

    /// Round k's rides: each pattern scanned from its earliest stop improved in round k-1.
    /// Returns the stops whose ride arrival improved.
    fn scan_patterns(&mut self, tt: &Timetable, k: usize, limit: u32) -> Vec<u32> {
        for &s in &self.scan {
            for &(p, i) in tt.calls_at(s) {
                if self.pattern_from[p as usize] == NEVER {
                    self.patterns.push(p);
                }
                let f = &mut self.pattern_from[p as usize];
                *f = (*f).min(i);
            }
        }
        let mut rode_stops: Vec<u32> = Vec::new();
        let (before, after) = self.tau.split_at_mut(k);
        let (prev, cur) = (&before[k - 1], &mut after[0]);
        let ride = &mut self.rode[k];
        for &p in &self.patterns {
            let from = self.pattern_from[p as usize] as usize;
            self.pattern_from[p as usize] = NEVER;
            let pat = &tt.patterns[p as usize];
            let mut trip: Option<usize> = None;
            for i in from..pat.stops.len() {
                let s = pat.stops[i] as usize;
                if let Some(t) = trip {
                    let arr = pat.at(t, i).0;
                    if pat.drop_off[i] && arr < ride[s] && arr <= limit {
                        ride[s] = arr;
                        cur[s] = cur[s].min(arr);
                        if !self.ride_flag[s] {
                            self.ride_flag[s] = true;
                            rode_stops.push(s as u32);
                        }
                    }
                }
                if pat.pickup[i] && prev[s] != NEVER {
                    let ready = prev[s] + BOARD_SLACK_S;
                    if trip.is_none_or(|t| ready <= pat.at(t, i).1) {
                        if let Some(t2) = pat.first_after(i, ready) {
                            if trip.is_none_or(|t| t2 < t) {
                                trip = Some(t2);
                            }
                        }
                    }
                }
            }
        }
        self.patterns.clear();
        rode_stops
    }

    /// One walk after each ride of round k; then the stops to carry and to scan next.
    fn walk_after_rides(
        &mut self,
        walks: &Walks,
        k: usize,
        limit: u32,
        rode: Vec<u32>,
        mut improved: Vec<u32>,
    ) {
        let mut scan = Vec::with_capacity(rode.len());
        let cur = &mut self.tau[k];
        let flag = &mut self.flag;
        for &s in &rode {
            self.ride_flag[s as usize] = false;
            let arr = self.rode[k][s as usize];
            if cur[s as usize] == arr {
                scan.push(s);
            }
            // Changed in this round (by the ride at least): carried.
            flag_once(flag, s, &mut improved);
            for &(q, secs) in &walks.transfers[s as usize] {
                let t = arr + secs;
                if t < cur[q as usize] && t <= limit {
                    cur[q as usize] = t;
                    scan.push(q);
                    flag_once(flag, q, &mut improved);
                }
            }
        }
        for &s in &improved {
            self.flag[s as usize] = false;
        }
        scan.sort_unstable();
        scan.dedup();
        self.improved = improved;
        self.scan = scan;
    }
}

/// Adds `s` to `list` unless it is flagged already.
fn flag_once(flag: &mut [bool], s: u32, list: &mut Vec<u32>) {
    if !flag[s as usize] {
        flag[s as usize] = true;
        list.push(s);
    }
}
