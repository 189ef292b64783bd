//! Public transport: a hand-made GTFS feed with times worked out by hand (a transfer, a
//! frequency-based route, a trip past midnight, a blank interpolated time, a service removed by
//! calendar_dates), frequency-based trips against their zero-wait and full-headway bounds, and
//! range RAPTOR against an independent connection scan on Porto Alegre's two real feeds.

#[path = "independent/connection_scan.rs"]
mod connection_scan;

use std::path::Path;

use crate::support::*;
use frontdoor::model::{ServiceDate, TransitSettings};
use frontdoor::network::transit::feed::read_feed;
use frontdoor::network::transit::raptor::{Raptor, Window, NEVER};
use frontdoor::network::transit::schedule::schedule;
use frontdoor::network::transit::timetable::timetable;
use frontdoor::network::transit::walk::Walks;

/// Monday 4 March 2024.
const MONDAY: ServiceDate = ServiceDate {
    year: 2024,
    month: 3,
    day: 4,
};

fn hms(h: u32, m: u32, s: u32) -> u32 {
    h * 3600 + m * 60 + s
}

/// The hand feed. Stops on the equator (so distances along it are in proportion to longitude):
/// S1 at 10°E, S2 at 10.01°, S3 at 10.03°, S5 beside S3, S4 at 10.05°, S6 and S7 elsewhere.
/// - R1/T1 (weekdays): S1 08:00, S2 blank, S3 08:30. S2 is a third of the way: 08:10.
/// - R2/T2 (weekdays): S5 08:40, S4 09:00; R2/T3 (service X, removed on the Monday by
///   calendar_dates): S5 08:35, S4 08:50.
/// - R3/F1 (weekdays, frequencies.txt, exact times): S1 then S6 10 minutes later, every 10
///   minutes from 07:00 to 09:00.
/// - R4/N1 (weekdays): S1 23:50, S7 24:10, S6 24:20 (past midnight).
fn write_feed(dir: &Path) {
    let files = [
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Hand Buses,http://example.org,Europe/London\n"),
        ("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nS1,One,0,10\nS2,Two,0,10.01\nS3,Three,0,10.03\nS4,Four,0,10.05\nS5,Five,0.0001,10.03\nS6,Six,0.01,10\nS7,Seven,0.02,10\n"),
        ("routes.txt", "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,3\nR3,A,3,3\nR4,A,4,3\n"),
        ("trips.txt", "route_id,service_id,trip_id\nR1,WK,T1\nR2,WK,T2\nR2,X,T3\nR3,WK,F1\nR4,WK,N1\n"),
        ("stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
            T1,08:00:00,08:00:00,S1,1\nT1,,,S2,2\nT1,08:30:00,08:30:00,S3,3\n\
            T2,08:40:00,08:40:00,S5,1\nT2,09:00:00,09:00:00,S4,2\n\
            T3,08:35:00,08:35:00,S5,1\nT3,08:50:00,08:50:00,S4,2\n\
            F1,00:00:00,00:00:00,S1,1\nF1,00:10:00,00:10:00,S6,2\n\
            N1,23:50:00,23:50:00,S1,1\nN1,24:10:00,24:10:00,S7,2\nN1,24:20:00,24:20:00,S6,3\n"),
        ("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\nX,1,1,1,1,1,0,0,20240101,20241231\n"),
        ("calendar_dates.txt", "service_id,date,exception_type\nX,20240304,2\n"),
        ("frequencies.txt", "trip_id,start_time,end_time,headway_secs,exact_times\nF1,07:00:00,09:00:00,600,1\n"),
    ];
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        let text: String = text
            .lines()
            .map(|l| l.trim_start().to_string() + "\n")
            .collect();
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn settings(dir: &Path, date: ServiceDate, departure_s: u32, minutes: u32) -> TransitSettings {
    TransitSettings {
        gtfs: vec![dir.to_path_buf()],
        date,
        departure_s,
        window_minutes: minutes,
        percentiles: vec![50],
        max_access_minutes: 15.0,
        max_transfer_m: 1000.0,
        max_rides: 8,
        draws: 1,
    }
}

/// Stop indices are the feed's stops sorted by id: S1..S7 are 0..6.
fn stop(name: &str) -> u32 {
    name[1..].parse::<u32>().unwrap() - 1
}

/// Walks by hand: the origin is 60 s from S1 and from S7; the single site is 0 s from S4 and
/// from S6 (so arrival at the site is arrival at either stop); S3 to S5 is a 120 s walk.
fn hand_walks() -> Walks {
    let mut transfers = vec![Vec::new(); 7];
    transfers[stop("S3") as usize] = vec![(stop("S5"), 120)];
    Walks {
        stop_snaps: vec![None; 7],
        transfers,
        access: vec![vec![(stop("S1"), 60), (stop("S7"), 60)]],
        egress: vec![vec![(stop("S4"), 0), (stop("S6"), 0)]],
    }
}

/// Seconds from leaving the origin at each minute of the window to reaching the site.
fn travel(
    dir: &Path,
    date: ServiceDate,
    departure_s: u32,
    minutes: u32,
    walks: &Walks,
) -> Vec<u32> {
    let feed = read_feed(dir).unwrap();
    let t = settings(dir, date, departure_s, minutes);
    let sched = schedule(std::slice::from_ref(&feed), &t, 3 * 3600);
    let tt = timetable(&sched.runs, sched.stops.len(), 0);
    let mut raptor = Raptor::new(sched.stops.len(), tt.patterns.len(), 8);
    let mut out = vec![NEVER; minutes as usize];
    let w = Window {
        start: departure_s,
        minutes,
        horizon: 3 * 3600,
        max_rides: 8,
    };
    raptor.range(
        &tt,
        walks,
        &walks.access[0],
        &[],
        w,
        &mut out,
        minutes as usize,
        0,
    );
    out
}

#[test]
fn hand_feed_interpolates_the_blank_time_by_distance() {
    let dir = temp_dir("gtfs-hand");
    write_feed(&dir);
    let feed = read_feed(&dir).unwrap();
    let t = settings(&dir, MONDAY, hms(7, 0, 0), 60);
    let sched = schedule(std::slice::from_ref(&feed), &t, 3 * 3600);
    let t1 = sched
        .runs
        .iter()
        .find(|r| r.stops == vec![stop("S1"), stop("S2"), stop("S3")])
        .expect("T1 runs on the Monday");
    // 1,800 s from S1 to S3; S2 is 0.01° of 0.03° along the equator: 600 s after S1.
    assert_eq!(t1.times[1], (hms(8, 10, 0), hms(8, 10, 0)));
    assert_eq!(sched.counts.interpolated, 1);
    // T3's service is removed on the Monday: of five trips, four run.
    assert_eq!(sched.counts.trips_on_day, 4);
    assert_eq!(sched.counts.frequency_trips, 1);
}

#[test]
fn hand_feed_transfer_and_removed_service() {
    let dir = temp_dir("gtfs-hand");
    write_feed(&dir);
    let walks = hand_walks();
    // Leaving at 07:58: at S1 07:59, T1 leaves 08:00 (60 s slack met), S3 08:30, walk to S5
    // 08:32, T2 leaves 08:40, S4 09:00: 62 minutes. T3 (08:35 from S5, 08:50 at S4) would give
    // 52 minutes, but its service is removed that day. F1 gets to S6 sooner: the 08:00
    // departure reaches S6 at 08:10 (12 minutes), so the site is reached via S6.
    let v = travel(&dir, MONDAY, hms(7, 58, 0), 1, &walks);
    assert_eq!(v[0], 12 * 60);
    // Without S6 as an exit the journey is T1, the walk and T2.
    let mut only_s4 = hand_walks();
    only_s4.egress = vec![vec![(stop("S4"), 0)]];
    let v = travel(&dir, MONDAY, hms(7, 58, 0), 1, &only_s4);
    assert_eq!(v[0], 62 * 60);
    // On Tuesday T3 runs: 07:58 + 52 minutes.
    let tuesday = MONDAY.plus(1);
    let v = travel(&dir, tuesday, hms(7, 58, 0), 1, &only_s4);
    assert_eq!(v[0], 52 * 60);
}

#[test]
fn hand_feed_frequency_route_and_board_slack() {
    let dir = temp_dir("gtfs-hand");
    write_feed(&dir);
    let mut walks = hand_walks();
    walks.egress = vec![vec![(stop("S6"), 0)]];
    // A window of 11 minutes from 07:50: leaving at 07:50+m, at S1 60 s later, the first F1
    // departure at least 60 s after that (every 10 minutes from 07:00), S6 10 minutes on.
    let v = travel(&dir, MONDAY, hms(7, 50, 0), 11, &walks);
    let expected: Vec<u32> = (0..11u32)
        .map(|m| {
            let leave = hms(7, 50, 0) + m * 60;
            let ready = leave + 60 + 60;
            let dep = ready.div_ceil(600) * 600;
            dep + 600 - leave
        })
        .collect();
    assert_eq!(v, expected);
    // Leaving 07:58 exactly: ready 08:00, boards the 08:00 (slack exactly met): 12 minutes.
    assert_eq!(v[8], 12 * 60);
    // Leaving 07:59: ready 08:01, waits for 08:10: 21 minutes.
    assert_eq!(v[9], 21 * 60);
}

#[test]
fn hand_feed_trip_past_midnight() {
    let dir = temp_dir("gtfs-hand");
    write_feed(&dir);
    let mut walks = hand_walks();
    walks.egress = vec![vec![(stop("S6"), 0)]];
    // Monday 23:45: at S1 23:46, N1 leaves 23:50, S6 at 24:20: 35 minutes.
    let v = travel(&dir, MONDAY, hms(23, 45, 0), 1, &walks);
    assert_eq!(v[0], 35 * 60);
    // Tuesday 00:05: Monday's N1 is still running: at S7 00:06, it leaves S7 00:10 (24:10 on
    // Monday's service), S6 00:20: 15 minutes. Only the day before's service gives this.
    let v = travel(&dir, MONDAY.plus(1), hms(0, 5, 0), 1, &walks);
    assert_eq!(v[0], 15 * 60);
}

#[test]
fn a_day_without_service_is_an_error_naming_the_dates_covered() {
    let dir = temp_dir("gtfs-hand");
    write_feed(&dir);
    let o = frontdoor(
        &["transit", dir.to_str().unwrap(), "--date", "2025-06-02"],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("no trip runs on 2025-06-02"), "{text}");
    assert!(text.contains("2024-01-01 to 2024-12-31"), "{text}");
}

#[test]
fn frequency_based_median_lies_between_zero_wait_and_full_headway() {
    let dir = temp_dir("gtfs-freq");
    write_feed(&dir);
    // The same F1, but frequency-based (exact_times 0): its phase is drawn at random.
    std::fs::write(
        dir.join("frequencies.txt"),
        "trip_id,start_time,end_time,headway_secs,exact_times\nF1,07:00:00,09:00:00,600,0\n",
    )
    .unwrap();
    let mut walks = hand_walks();
    walks.egress = vec![vec![(stop("S6"), 0)]];
    let feed = read_feed(&dir).unwrap();
    let t = settings(&dir, MONDAY, hms(7, 30, 0), 30);
    let sched = schedule(std::slice::from_ref(&feed), &t, 3 * 3600);
    let draws = 50;
    let mut samples = vec![NEVER; 30 * draws];
    for d in 0..draws {
        let tt = timetable(&sched.runs, sched.stops.len(), d as u32);
        let mut raptor = Raptor::new(sched.stops.len(), tt.patterns.len(), 8);
        let w = Window {
            start: hms(7, 30, 0),
            minutes: 30,
            horizon: 3 * 3600,
            max_rides: 8,
        };
        raptor.range(
            &tt,
            &walks,
            &walks.access[0],
            &[],
            w,
            &mut samples,
            30 * draws,
            d * 30,
        );
    }
    // Zero wait: 60 s walk, 60 s slack, 10-minute ride. Full headway: 10 minutes more.
    let (lo, hi) = (60 + 60 + 600, 60 + 60 + 600 + 600);
    assert!(samples.iter().all(|&s| s >= lo && s <= hi), "{samples:?}");
    samples.sort_unstable();
    let median = frontdoor::network::transit::times::percentile(&samples, 50);
    assert!(median > lo && median < hi, "median {median}");
    // With uniform phases the mean wait is half a headway: the median is near the middle.
    assert!(
        (median as f64 - (lo + hi) as f64 / 2.0).abs() < 120.0,
        "median {median}"
    );
    // The same seed gives the same draws.
    let a = timetable(&sched.runs, sched.stops.len(), 7);
    let b = timetable(&sched.runs, sched.stops.len(), 7);
    assert_eq!(a.patterns[0].times, b.patterns[0].times);
}

#[test]
fn range_raptor_equals_an_independent_connection_scan_on_porto_alegre() {
    let Some(shared) = shared() else { return };
    let poa = shared.join("data/porto-alegre");
    let d = temp_dir("poa-csa");
    let study = porto_alegre_transit_study(&d, &poa, 16, 60);
    let loaded = frontdoor::pipeline::load(&study, &Default::default()).unwrap();
    let s = &loaded.study;
    let net =
        frontdoor::network::build_network(s, s.network.as_ref().unwrap(), s.snap_limit_m).unwrap();
    let tn = net.transit.as_ref().unwrap();
    let tt = &tn.timetables[0];
    let conns = connection_scan::connections(tt);
    let t = &tn.settings;
    let w = Window {
        start: t.departure_s,
        minutes: t.window_minutes,
        horizon: tn.horizon_s,
        max_rides: t.max_rides,
    };
    let n_sites = s.sites.len();
    let minutes = t.window_minutes as usize;
    let mut raptor = Raptor::new(tn.stops.len(), tt.patterns.len(), t.max_rides);
    let (mut compared, mut reached, mut origins) = (0, 0, 0);
    // Every 97th zone with stops to walk to: a spread of origins over the city.
    for z in (0..s.zones.len()).step_by(97) {
        let access = &tn.walks.access[z];
        if access.is_empty() {
            continue;
        }
        origins += 1;
        let mut out = vec![NEVER; n_sites * minutes];
        raptor.range(tt, &tn.walks, access, &[], w, &mut out, minutes, 0);
        for m in 0..minutes {
            let t0 = w.start + m as u32 * 60;
            let csa = connection_scan::earliest_arrivals(
                &conns,
                tn.stops.len(),
                &tn.walks.transfers,
                access,
                &tn.walks.egress,
                t0,
            );
            for site in 0..n_sites {
                let expect = match csa[site] {
                    a if a == u32::MAX || a - t0 > w.horizon => NEVER,
                    a => a - t0,
                };
                assert_eq!(
                    out[site * minutes + m],
                    expect,
                    "zone {z}, departure minute {m}, site {site}"
                );
                compared += 1;
                reached += usize::from(expect != NEVER);
            }
        }
    }
    // At least 10 origins x 60 departures x 117 sites, most of them reached.
    assert!(
        origins >= 10 && compared == origins * 60 * n_sites,
        "{compared}"
    );
    assert!(reached * 2 > compared, "{reached} of {compared}");
}

/// Porto Alegre's hexagons to its health facilities, on foot and by public transport departing
/// 14:00-15:00 on Monday 13 May 2019 (in the EPTC sample's hours).
pub fn porto_alegre_transit_study(
    dir: &Path,
    poa: &Path,
    max_rides: u32,
    window: u32,
) -> std::path::PathBuf {
    let toml = format!(
        "name = \"Porto Alegre health facilities by public transport\"\n\
         [zones]\npath = \"{hex}\"\nid = \"id\"\npopulation = \"population\"\n\
         [[sites]]\npath = \"{hex}\"\nfilter = {{ healthcare = [\"1\", \"2\", \"3\", \"4\", \"5\"] }}\n\
         id = \"id\"\nname = \"id\"\nagency = {{ value = \"SUS\" }}\nkind = {{ value = \"health\" }}\n\
         [travel]\nmodes = [\"walk\", \"transit\"]\nbands = [15, 30, 45]\n\
         network = \"{osm}\"\ncache_dir = \"caches\"\n\
         gtfs = [\"{eptc}\", \"{trensurb}\"]\n\
         [travel.transit]\ndeparture = \"2019-05-13T14:00\"\nwindow_minutes = {window}\n\
         percentiles = [50, 75]\nmax_rides = {max_rides}\n",
        hex = poa.join("poa_hexgrid.csv").display(),
        osm = poa.join("poa_osm.pbf").display(),
        eptc = poa.join("poa_eptc.zip").display(),
        trensurb = poa.join("poa_trensurb.zip").display(),
    );
    let path = dir.join("study.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn porto_alegre_study_by_transit_end_to_end_with_a_scenario() {
    let Some(shared) = shared() else { return };
    let poa = shared.join("data/porto-alegre");
    let d = temp_dir("poa-transit");
    let study = porto_alegre_transit_study(&d, &poa, 8, 60);
    // Close the five hexagons with three or more health facilities (poa_hexgrid.csv).
    std::fs::write(
        d.join("close.toml"),
        "description = \"Close the five largest health centres\"\nclose = [\"89a9012ae7bffff\", \"89a90e92697ffff\", \"89a90129e93ffff\", \"89a90128217ffff\", \"89a90128ec7ffff\"]\n",
    )
    .unwrap();
    // `check` reads the timetables too.
    let o = frontdoor(&["check", study.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("on 2019-05-13: 2,374 trips run"), "{text}");
    assert!(text.contains("130,019 in all, 125,271 blank"), "{text}");
    let out = d.join("out");
    let o = frontdoor(
        &[
            "run",
            study.to_str().unwrap(),
            "-q",
            "--scenario",
            d.join("close.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let zones = read_csv(&out.join("zones.csv"));
    let (mut both, mut faster) = (0, 0);
    for z in &zones {
        assert!(z.contains_key("nearest_site_transit"));
        let (w, t) = (&z["minutes_walk"], &z["minutes_transit"]);
        if w.is_empty() || t.is_empty() {
            continue;
        }
        let (w, t): (f64, f64) = (w.parse().unwrap(), t.parse().unwrap());
        // Walking alone is a journey by public transport too (0.001 min of rounding).
        assert!(t <= w + 0.001, "{} transit {t} walk {w}", z["id"]);
        both += 1;
        faster += usize::from(t < w - 0.5);
    }
    assert!(both > 1000, "{both}");
    assert!(faster > 0, "no zone is faster by bus than on foot");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let t = &run["parameters"]["transit"];
    assert_eq!(t["service_day"], "2019-05-13");
    assert_eq!(t["stop_times_interpolated"], 125_271);
    // matrix.parquet: transit rows with one column per percentile.
    let m = polars::prelude::ParquetReader::new(
        std::fs::File::open(out.join("matrix.parquet")).unwrap(),
    );
    use polars::prelude::SerReader;
    let df = m.finish().unwrap();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        names.contains(&"minutes_p50".to_string()) && names.contains(&"minutes_p75".to_string()),
        "{names:?}"
    );
    let modes = df.column("mode").unwrap().str().unwrap().clone();
    let p50 = df.column("minutes_p50").unwrap().f64().unwrap().clone();
    let p75 = df.column("minutes_p75").unwrap().f64().unwrap().clone();
    let minutes = df.column("minutes").unwrap().f64().unwrap().clone();
    let mut transit_rows = 0;
    for i in 0..df.height() {
        if modes.get(i) == Some("transit") {
            transit_rows += 1;
            assert_eq!(p50.get(i), minutes.get(i));
            if let (Some(a), Some(b)) = (p50.get(i), p75.get(i)) {
                assert!(b >= a);
            }
        } else {
            assert!(p50.get(i).is_none());
        }
    }
    assert!(transit_rows > 10_000, "{transit_rows}");
    // Transit catchments.
    let c = std::fs::read_to_string(out.join("catchments.geojson")).unwrap();
    assert!(c.contains("\"mode\":\"transit\""), "no transit catchment");
    // The scenario is evaluated by transit too.
    let s = std::fs::read_to_string(out.join("scenarios.csv")).unwrap();
    assert!(s.contains("transit"), "{s}");
}

#[test]
fn bad_feeds_are_refused_naming_the_file_line_and_field() {
    let cases = [
        (
            "stops.txt",
            "S2,Two,0,10.01",
            "S2,Two,zero,10.01",
            "stops.txt, line 3, field stop_lat (\"zero\")",
        ),
        (
            "stop_times.txt",
            "T1,,,S2,2",
            "T1,08:6x:00,08:10:00,S2,2",
            "stop_times.txt, line 3, field arrival_time (\"08:6x:00\")",
        ),
        (
            "stop_times.txt",
            "T1,,,S2,2",
            "T1,,,S2,two",
            "stop_times.txt, line 3, field stop_sequence (\"two\")",
        ),
    ];
    for (file, good, bad, expected) in cases {
        let dir = temp_dir("gtfs-bad");
        write_feed(&dir);
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains(good), "{file} has no line {good}");
        std::fs::write(dir.join(file), text.replace(good, bad)).unwrap();
        let o = frontdoor(
            &["transit", dir.to_str().unwrap(), "--date", "2024-03-04"],
            &[],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let e = stderr(&o);
        assert!(e.contains(expected), "{bad}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    // A trip without a time at its last stop cannot be used: said, and the rest still runs.
    let dir = temp_dir("gtfs-bad");
    write_feed(&dir);
    let text = std::fs::read_to_string(dir.join("stop_times.txt")).unwrap();
    std::fs::write(
        dir.join("stop_times.txt"),
        text.replace("T2,09:00:00,09:00:00,S4,2", "T2,,,S4,2"),
    )
    .unwrap();
    let o = frontdoor(
        &["transit", dir.to_str().unwrap(), "--date", "2024-03-04"],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("trip T2: stop_times.txt gives no time at stop_sequence 2"),
        "{out}"
    );
    assert!(
        out.contains("4 trips run") && out.contains("1 trips on 2024-03-04 cannot be used"),
        "{out}"
    );
}

#[test]
fn transit_times_are_the_same_at_any_thread_count() {
    let Some(shared) = shared() else { return };
    let poa = shared.join("data/porto-alegre");
    let d = temp_dir("poa-threads");
    let study = porto_alegre_transit_study(&d, &poa, 8, 10);
    let loaded = frontdoor::pipeline::load(&study, &Default::default()).unwrap();
    let s = &loaded.study;
    let net =
        frontdoor::network::build_network(s, s.network.as_ref().unwrap(), s.snap_limit_m).unwrap();
    let tn = net.transit.as_ref().unwrap();
    let i = s
        .modes
        .iter()
        .position(|m| m.mode == frontdoor::Mode::Transit)
        .unwrap();
    let walk = frontdoor::network::walk_kmh(s);
    let times = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                frontdoor::network::transit::transit_times(
                    s,
                    &net.modes[i],
                    tn,
                    &s.modes[i],
                    walk,
                    &|_| {},
                )
            })
    };
    let (one, four) = (times(1), times(4));
    assert_eq!(one.by_site, four.by_site);
    assert_eq!(one.nearest, four.nearest);
    let (a, b) = (one.transit.unwrap(), four.transit.unwrap());
    assert_eq!(a.reached, b.reached);
    assert_eq!(a.by_site, b.by_site);
    assert!(a.reached.iter().filter(|r| !r.is_empty()).count() > 1000);
}
