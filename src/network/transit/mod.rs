//! Public transport: GTFS timetables read (`feed`), the trips around the departure window
//! resolved (`schedule`), patterns for RAPTOR (`timetable`), the walks to, from and between
//! stops on the walking network (`walk`), range RAPTOR (`raptor`) and the travel times every
//! later stage takes (`times`).

pub mod feed;
pub mod raptor;
pub mod schedule;
pub mod summary;
pub mod times;
pub mod timetable;
pub mod walk;

pub use times::transit_times;

use std::time::Instant;

use crate::crs::Transformer;
use crate::error::{Error, Result};
use crate::model::{Study, TransitSettings};
use crate::network::joined::ModeNetwork;
use crate::network::transit::feed::{read_feed, Feed};
use crate::network::transit::schedule::{any_service_on, coverage, schedule, ScheduleCounts};
use crate::network::transit::timetable::{has_frequencies, timetable, Timetable};
use crate::network::transit::walk::{walks, Walks};
use crate::text::whole;

/// Public transport prepared for a study: one timetable per draw of the frequency-based
/// trips' phases (one in all for a timetabled feed) and the walks of a journey.
pub struct TransitNetwork {
    /// The study's settings.
    pub settings: TransitSettings,
    /// Timetables, one per draw.
    pub timetables: Vec<Timetable>,
    /// The walks on the walking network.
    pub walks: Walks,
    /// Journeys longer than this many seconds are not followed.
    pub horizon_s: u32,
    /// Stops of every feed (feed, id, name).
    pub stops: Vec<(u32, String, String)>,
    /// What the feeds held on the day.
    pub counts: ScheduleCounts,
    /// Each feed's path and SHA-256.
    pub feeds: Vec<(std::path::PathBuf, String)>,
    /// What a user should know (stops off the network, trips left out).
    pub warnings: Vec<String>,
    /// Seconds spent reading the feeds and preparing the timetable.
    pub prepared_s: f64,
}

/// The longest journey followed: twice the largest band, at least an hour. Sites further than
/// that by public transport are reached by walking alone, if at all.
pub fn horizon_s(study: &Study) -> u32 {
    (2 * study.bands.largest()).max(60) * 60
}

/// Reads the study's feeds, checks they run on the day, and prepares the timetables and walks
/// on `walk_net` (the walking network with the study's zones and sites joined).
pub fn build_transit(
    study: &Study,
    t: &TransitSettings,
    walk_net: &ModeNetwork,
    walk_kmh: f64,
) -> Result<TransitNetwork> {
    let started = Instant::now();
    let feeds: Vec<Feed> = t.gtfs.iter().map(|p| read_feed(p)).collect::<Result<_>>()?;
    if !any_service_on(&feeds, t.date) {
        let covered: Vec<String> = feeds
            .iter()
            .map(|f| format!("{} covers {}", f.path.display(), coverage(f)))
            .collect();
        return Err(Error::Network(format!(
            "no trip of the GTFS feeds runs on {} (travel.transit.departure): {}; choose a \
             departure day the feeds cover",
            t.date,
            covered.join("; ")
        )));
    }
    let horizon = horizon_s(study);
    let sched = schedule(&feeds, t, horizon);
    let draws = if has_frequencies(&sched.runs) {
        t.draws
    } else {
        1
    };
    let timetables: Vec<Timetable> = (0..draws)
        .map(|d| timetable(&sched.runs, sched.stops.len(), d))
        .collect();
    let to = Transformer::new(&crate::crs::Crs::wgs84(), &study.crs);
    let points: Vec<geo::Coord<f64>> = sched
        .stops
        .iter()
        .map(|&(f, s)| {
            let st = &feeds[f as usize].stops[s as usize];
            let (x, y) = to.apply(st.lon, st.lat).map_err(|e| {
                Error::Network(format!(
                    "{}: stops.txt, stop {}: cannot project into {}: {e}",
                    feeds[f as usize].path.display(),
                    st.id,
                    study.crs
                ))
            })?;
            Ok(geo::Coord { x, y })
        })
        .collect::<Result<_>>()?;
    let walks = walks(
        walk_net,
        &points,
        study.snap_limit_m,
        walk_kmh,
        t.max_access_minutes,
        t.max_transfer_m,
    );
    let mut warnings = Vec::new();
    let off = walks.stop_snaps.iter().filter(|s| s.is_none()).count();
    if off > 0 {
        warnings.push(format!(
            "{} of {} public-transport stops are more than {} m from the walking network and \
             are not used",
            whole(off as f64),
            whole(points.len() as f64),
            study.snap_limit_m
        ));
    }
    if sched.counts.skipped > 0 {
        warnings.push(format!(
            "{} trips running on {} were left out: {}",
            whole(sched.counts.skipped as f64),
            t.date,
            sched.counts.examples.join("; ")
        ));
    }
    let stops = sched
        .stops
        .iter()
        .map(|&(f, s)| {
            let st = &feeds[f as usize].stops[s as usize];
            (f, st.id.clone(), st.name.clone())
        })
        .collect();
    let feeds_sha = t
        .gtfs
        .iter()
        .map(|p| {
            let sha = if p.is_file() {
                crate::fingerprint::sha256_of_file(p)?
            } else {
                String::new()
            };
            Ok((p.clone(), sha))
        })
        .collect::<Result<_>>()?;
    Ok(TransitNetwork {
        settings: t.clone(),
        timetables,
        walks,
        horizon_s: horizon,
        stops,
        counts: sched.counts,
        feeds: feeds_sha,
        warnings,
        prepared_s: started.elapsed().as_secs_f64(),
    })
}
