//! What a GTFS feed holds on a day, for `frontdoor transit`.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::{ServiceDate, TransitSettings};
use crate::network::transit::feed::read_feed;
use crate::network::transit::schedule::{coverage, schedule};

/// One feed's contents and the trips it runs on a day.
#[derive(Debug, Clone)]
pub struct FeedSummary {
    /// The feed.
    pub path: PathBuf,
    /// Agencies' names.
    pub agencies: Vec<String>,
    /// Routes, and their names (a few).
    pub routes: usize,
    /// Stops that trips call at.
    pub stops: usize,
    /// Trips in all.
    pub trips: usize,
    /// Trips running on the day.
    pub trips_on_day: usize,
    /// Of those, frequency-based.
    pub frequency_trips: usize,
    /// Stop times in all, and those with no time (interpolated).
    pub stop_times: usize,
    /// Stop times interpolated.
    pub interpolated: usize,
    /// Rows of transfers.txt.
    pub transfer_rules: usize,
    /// Days with any service, as "first to last".
    pub covers: String,
    /// Problems found (the feed is still used).
    pub problems: Vec<String>,
}

/// Reads each feed and counts what it runs on `date`.
pub fn summarise(feeds: &[PathBuf], date: ServiceDate) -> Result<Vec<FeedSummary>> {
    feeds.iter().map(|p| summarise_one(p, date)).collect()
}

fn summarise_one(path: &Path, date: ServiceDate) -> Result<FeedSummary> {
    let feed = read_feed(path)?;
    let day = TransitSettings {
        gtfs: vec![path.to_path_buf()],
        date,
        departure_s: 0,
        window_minutes: 1440,
        percentiles: vec![50],
        max_access_minutes: 15.0,
        max_transfer_m: 1000.0,
        max_rides: 8,
        draws: 1,
    };
    let sched = schedule(std::slice::from_ref(&feed), &day, 0);
    let mut problems = feed.warnings.clone();
    if sched.counts.skipped > 0 {
        problems.push(format!(
            "{} trips on {date} cannot be used: {}",
            sched.counts.skipped,
            sched.counts.examples.join("; ")
        ));
    }
    if sched.counts.trips_on_day == 0 {
        problems.push(format!(
            "no trip runs on {date}: the feed covers {}",
            coverage(&feed)
        ));
    }
    if feed.transfer_rules > 0 {
        problems.push(format!(
            "transfers.txt has {} rows; frontdoor walks transfers on the street network and does not apply them",
            feed.transfer_rules
        ));
    }
    Ok(FeedSummary {
        path: path.to_path_buf(),
        agencies: feed.agencies.clone(),
        routes: feed.routes.len(),
        stops: feed.stops.len(),
        trips: feed.trips.len(),
        trips_on_day: sched.counts.trips_on_day,
        frequency_trips: sched.counts.frequency_trips,
        stop_times: sched.counts.stop_times,
        interpolated: sched.counts.interpolated,
        transfer_rules: feed.transfer_rules,
        covers: coverage(&feed),
        problems,
    })
}
