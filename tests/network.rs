//! Network travel times on a hand-made OpenStreetMap file, every expected time worked out by
//! hand. Nodes are laid out in British National Grid metres from (450000, 200000) and written
//! to the .osm file in lon/lat (9 decimals), so link lengths are the round numbers below to
//! about a millimetre.
//!
//! ```text
//!                         G (400,800)   private service road F-G
//!                         |
//!   E (0,400) ---------- F (400,400) ---------- D (800,400)     D-F-E residential, two-way
//!   |                     |                      ^
//!   | residential         | footway (bridge)     | residential, oneway C -> D
//!   |                     |                      |
//!   A (0,0) ------------ B (400,0) ------------- C (800,0)      A-B-C residential, two-way
//!
//!   island: H (2000,2000) - I (2400,2000), residential, joined to nothing
//! ```
//! Walking is 4.8 km/h (750 ms a metre) everywhere but the private road; driving is 32 km/h on
//! residential streets (112.5 ms a metre), not on the footway, one way on C-D. Legs between a
//! point and the network are walked.

use std::path::{Path, PathBuf};

use frontdoor::crs::Crs;
use frontdoor::mode::Mode;
use frontdoor::network::osm::OsmWay;
use frontdoor::network::profile::{parse_maxspeed, traversal};
use frontdoor::{measure, RunOptions, Timings};

use crate::support::*;

const BASE: (f64, f64) = (450_000.0, 200_000.0);

fn osm_xml() -> String {
    let bng = Crs::bng();
    let nodes = [
        (1, 0.0, 0.0),
        (2, 400.0, 0.0),
        (3, 800.0, 0.0),
        (4, 800.0, 400.0),
        (5, 0.0, 400.0),
        (6, 400.0, 400.0),
        (7, 400.0, 800.0),
        (8, 2000.0, 2000.0),
        (9, 2400.0, 2000.0),
    ];
    let mut s = String::from("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n");
    for (id, x, y) in nodes {
        let (lon, lat) = bng.to_lonlat(BASE.0 + x, BASE.1 + y).unwrap();
        s.push_str(&format!(
            "  <node id=\"{id}\" lat=\"{lat:.9}\" lon=\"{lon:.9}\"/>\n"
        ));
    }
    type Way<'a> = (i64, &'a [i64], &'a [(&'a str, &'a str)]);
    let ways: [Way; 7] = [
        (101, &[1, 2, 3], &[("highway", "residential")]),
        (
            102,
            &[3, 4],
            &[("highway", "residential"), ("oneway", "yes")],
        ),
        (103, &[4, 6, 5], &[("highway", "residential")]),
        (104, &[5, 1], &[("highway", "residential")]),
        (105, &[2, 6], &[("highway", "footway"), ("bridge", "yes")]),
        (
            106,
            &[6, 7],
            &[("highway", "service"), ("access", "private")],
        ),
        (107, &[8, 9], &[("highway", "residential")]),
    ];
    for (id, refs, tags) in ways {
        s.push_str(&format!("  <way id=\"{id}\">\n"));
        for r in refs {
            s.push_str(&format!("    <nd ref=\"{r}\"/>\n"));
        }
        for (k, v) in tags {
            s.push_str(&format!("    <tag k=\"{k}\" v=\"{v}\"/>\n"));
        }
        s.push_str("  </way>\n");
    }
    s.push_str("</osm>\n");
    s
}

pub(crate) fn at(x: f64, y: f64) -> String {
    format!("{},{}", BASE.0 + x, BASE.1 + y)
}

pub(crate) fn write_study(dir: &Path) -> PathBuf {
    let zones = format!(
        "id,population,x,y\nZ1,100,{}\nZ2,200,{}\nZ3,300,{}\n",
        at(10.0, -50.0),
        at(760.0, 330.0),
        at(2200.0, 2050.0)
    );
    let sites = format!(
        "id,name,agency,kind,x,y\nS1,Site one,A,hub,{}\nS2,Site two,A,hub,{}\nS3,Site three,A,hub,{}\nS4,Site four,A,hub,{}\n",
        at(400.0, 450.0),
        at(850.0, 200.0),
        at(450.0, 180.0),
        at(400.0, 900.0)
    );
    let study = "name = \"Hand-made network\"\n[zones]\npath = \"zones.csv\"\ncrs = \"EPSG:27700\"\n\n[[sites]]\npath = \"sites.csv\"\ncrs = \"EPSG:27700\"\n\n[travel]\nmodes = [\"walk\", \"drive\"]\nbands = [5, 10, 15]\nnetwork = \"net.osm\"\n";
    write_files(
        dir,
        &[
            ("zones.csv", &zones),
            ("sites.csv", &sites),
            ("net.osm", &osm_xml()),
            ("study.toml", study),
        ],
    );
    dir.join("study.toml")
}

/// Minutes from zone to site in the measured matrix (None where beyond the largest band).
fn minutes(times: &frontdoor::reach::ModeTimes, zone: u32, site: usize) -> Option<f64> {
    times.by_site[site]
        .iter()
        .find(|(z, _)| *z == zone)
        .map(|(_, m)| *m)
}

#[test]
fn hand_made_network_gives_the_hand_worked_times() {
    let dir = temp_dir("network-hand");
    let path = write_study(&dir);
    let (m, _) = measure(&path, &RunOptions::default(), &mut Timings::default()).unwrap();
    let net = m.network.as_ref().unwrap();
    let (walk, drive) = (&net.modes[0], &net.modes[1]);
    // Walk: A, B, C, D, E, F (G only by the private road); the island's 2 nodes and 1 link are
    // dropped. Links: A-B, B-C, C-D, D-F, F-E, E-A, B-F.
    assert_eq!(walk.graph.node_count(), 6);
    assert_eq!(walk.graph.links.len(), 7);
    assert_eq!((walk.graph.dropped_nodes, walk.graph.dropped_links), (2, 1));
    // Drive: B and F join no other drivable way, so the links are A-C, C-D, D-E, E-A.
    assert_eq!(drive.graph.node_count(), 4);
    assert_eq!(drive.graph.links.len(), 4);
    assert_eq!(
        (drive.graph.dropped_nodes, drive.graph.dropped_links),
        (2, 1)
    );

    let (w, d) = (&m.reach.modes[0].times, &m.reach.modes[1].times);
    let expect = |got: Option<f64>, ms: f64, what: &str| {
        let got = got.unwrap_or_else(|| panic!("{what}: not reached"));
        close(got * 60_000.0, ms, 5.0, what);
    };
    // Z1 (10,-50) joins A-B 10 m from A after a 50 m walk.
    // Walk Z1->S1 (at F, 50 m off): 390 to B, 400 over the footbridge: 790 m + 100 m of legs.
    expect(minutes(w, 0, 0), (790.0 + 100.0) * 750.0, "walk Z1-S1");
    // Drive Z1->S1: 10 back to A, 400 to E, 400 to F: 810 m driven + 100 m walked.
    expect(
        minutes(d, 0, 0),
        810.0 * 112.5 + 100.0 * 750.0,
        "drive Z1-S1",
    );
    // Z1->S2 (C-D, 200 m from C, 50 m off): 390 + 400 + 200 = 990 m either way.
    expect(minutes(w, 0, 1), (990.0 + 100.0) * 750.0, "walk Z1-S2");
    expect(
        minutes(d, 0, 1),
        990.0 * 112.5 + 100.0 * 750.0,
        "drive Z1-S2",
    );
    // Z1->S3 (450,180): walking it joins the footbridge 180 m from B, 50 m off: 390 + 180 m.
    expect(minutes(w, 0, 2), (570.0 + 100.0) * 750.0, "walk Z1-S3");
    // Driving, S3 joins A-C 450 m from A, 180 m off; Z1 is on the same link: 440 m along it.
    expect(
        minutes(d, 0, 2),
        440.0 * 112.5 + 230.0 * 750.0,
        "drive Z1-S3",
    );
    // Z2 (760,330) joins C-D 330 m from C, 40 m off. Walking to S2 (200 m from C): 130 m back.
    expect(minutes(w, 1, 1), (130.0 + 90.0) * 750.0, "walk Z2-S2");
    // Driving, C-D is one way: on to D (70), D-E (800), E-A (400), A-C (800), C to S2 (200).
    expect(
        minutes(d, 1, 1),
        2270.0 * 112.5 + 90.0 * 750.0,
        "drive Z2-S2",
    );
    // S4 (400,900) is 100 m from G, but the private road is closed: it joins D-E at F, 500 m
    // off. Driving from Z1: 810 m driven, 550 m walked.
    expect(
        minutes(d, 0, 3),
        810.0 * 112.5 + 550.0 * 750.0,
        "drive Z1-S4",
    );
    // Z3 is 2.16 km from the network (the island is dropped): not joined, reaches nothing.
    assert!(walk.zone_snaps[2].is_none());
    close(
        walk.zone_snap_m[2].unwrap(),
        (1400.0f64).hypot(1650.0),
        0.01,
        "Z3 snap distance",
    );
    assert!(w.nearest[2].is_none() && d.nearest[2].is_none());
    assert!((0..4).all(|s| minutes(w, 2, s).is_none()));
    // Nearest site: Z1 walking: S3 (8.375 min) before S1 (11.125), S2 (13.625).
    assert_eq!(w.nearest[0].map(|n| n.0), Some(2));
    expect(w.nearest[0].map(|n| n.1), 670.0 * 750.0, "walk Z1 nearest");
    // Z2 driving: S2 is 5.38 min round the block; S1 is 70 + 400 = 470 m and 90 m walked.
    assert_eq!(d.nearest[1].map(|n| n.0), Some(0));
    expect(
        d.nearest[1].map(|n| n.1),
        470.0 * 112.5 + 90.0 * 750.0,
        "drive Z2 nearest",
    );
}

#[test]
fn network_run_writes_snap_distances_and_says_so() {
    let dir = temp_dir("network-run");
    let path = write_study(&dir);
    let out = dir.join("out");
    let o = frontdoor(
        &[
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let z = by_id(read_csv(&out.join("zones.csv")));
    assert_eq!(z["Z1"]["time_basis"], "network");
    close(num(&z["Z1"], "snap_m_walk"), 50.0, 0.05, "Z1 snap");
    assert_eq!(z["Z3"]["minutes_walk"], "", "Z3 is beyond the snap limit");
    close(num(&z["Z3"], "snap_m_drive"), 2163.9, 0.1, "Z3 snap");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["parameters"]["time_basis"], "network");
    assert_eq!(
        run["parameters"]["network"]["modes"][0]["zones_not_joined"],
        1
    );
    assert_eq!(run["parameters"]["network"]["modes"][1]["dropped_nodes"], 2);
    // The matrix holds Z1-S3 walking at 8.375 minutes.
    use polars::prelude::*;
    let df = ParquetReader::new(std::fs::File::open(out.join("matrix.parquet")).unwrap())
        .finish()
        .unwrap();
    let (zs, ss, ms, mins) = (
        df.column("zone").unwrap().str().unwrap(),
        df.column("site").unwrap().str().unwrap(),
        df.column("mode").unwrap().str().unwrap(),
        df.column("minutes").unwrap().f64().unwrap(),
    );
    let row = (0..df.height())
        .find(|&i| zs.get(i) == Some("Z1") && ss.get(i) == Some("S3") && ms.get(i) == Some("walk"))
        .unwrap();
    close(mins.get(row).unwrap(), 8.375, 0.001, "matrix Z1-S3 walk");
}

fn way(tags: &[(&str, &str)]) -> OsmWay {
    OsmWay {
        id: 1,
        nodes: vec![1, 2],
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn routing_profiles_follow_the_tags() {
    let t = |m, tags: &[(&str, &str)]| {
        traversal(m, &way(tags), 4.8, 16.0).map(|t| (t.forward, t.backward, t.speed_kmh))
    };
    assert_eq!(
        t(Mode::Drive, &[("highway", "primary"), ("oneway", "-1")]),
        Some((false, true, 64.0))
    );
    assert_eq!(
        t(
            Mode::Drive,
            &[("highway", "primary"), ("junction", "roundabout")]
        ),
        Some((true, false, 64.0))
    );
    assert_eq!(
        t(
            Mode::Drive,
            &[("highway", "motorway"), ("maxspeed", "70 mph")]
        )
        .map(|x| (x.0, x.1)),
        Some((true, false))
    );
    assert_eq!(t(Mode::Walk, &[("highway", "motorway")]), None);
    assert_eq!(
        t(Mode::Walk, &[("highway", "residential"), ("oneway", "yes")]),
        Some((true, true, 4.8))
    );
    assert_eq!(
        t(
            Mode::Cycle,
            &[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("oneway:bicycle", "no")
            ]
        ),
        Some((true, true, 16.0))
    );
    assert_eq!(t(Mode::Cycle, &[("highway", "footway")]), None);
    assert_eq!(
        t(Mode::Cycle, &[("highway", "footway"), ("bicycle", "yes")]),
        Some((true, true, 16.0))
    );
    assert_eq!(
        t(
            Mode::Drive,
            &[("highway", "residential"), ("access", "private")]
        ),
        None
    );
    assert_eq!(
        t(
            Mode::Walk,
            &[
                ("highway", "residential"),
                ("access", "no"),
                ("foot", "yes")
            ]
        ),
        Some((true, true, 4.8))
    );
    assert_eq!(
        t(
            Mode::Drive,
            &[("highway", "residential"), ("motor_vehicle", "no")]
        ),
        None
    );
    assert_eq!(t(Mode::Drive, &[("highway", "footway")]), None);
    assert!((parse_maxspeed("30 mph").unwrap() - 48.28).abs() < 0.01);
    assert_eq!(parse_maxspeed("50"), Some(50.0));
    assert_eq!(parse_maxspeed("GB:nsl_single"), Some(96.56));
    assert_eq!(parse_maxspeed("signals"), None);
}

#[test]
fn graphs_are_cached_next_to_the_osm_file_and_rebuilt_when_stale() {
    let dir = temp_dir("network-cache");
    let path = write_study(&dir);
    let (first, _) = measure(&path, &RunOptions::default(), &mut Timings::default()).unwrap();
    let cache = dir.join("net.osm.walk.fdgraph");
    assert!(cache.is_file() && dir.join("net.osm.drive.fdgraph").is_file());
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    // A second run reads the caches (not rewritten) and gets the same graphs and times.
    let (second, _) = measure(&path, &RunOptions::default(), &mut Timings::default()).unwrap();
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written
    );
    let (a, b) = (first.network.unwrap(), second.network.unwrap());
    for (x, y) in a.modes.iter().zip(&b.modes) {
        assert_eq!(x.graph, y.graph);
    }
    assert_eq!(
        first.reach.modes[1].times.by_site,
        second.reach.modes[1].times.by_site
    );
    // A damaged cache is rebuilt.
    std::fs::write(&cache, b"FDGRAPH1 damaged").unwrap();
    let (third, _) = measure(&path, &RunOptions::default(), &mut Timings::default()).unwrap();
    assert_eq!(third.network.unwrap().modes[0].graph, a.modes[0].graph);
    assert!(std::fs::metadata(&cache).unwrap().len() > 100);
    // Changing the OSM file changes the key: the cache is not used for the new file.
    let before = std::fs::read(&cache).unwrap();
    let osm = std::fs::read_to_string(dir.join("net.osm")).unwrap();
    std::fs::write(
        dir.join("net.osm"),
        osm.replace(
            "<osm version=\"0.6\">",
            "<osm version=\"0.6\" generator=\"edited\">",
        ),
    )
    .unwrap();
    let (fourth, _) = measure(&path, &RunOptions::default(), &mut Timings::default()).unwrap();
    assert_eq!(fourth.network.unwrap().modes[0].graph, a.modes[0].graph);
    let after = std::fs::read(&cache).unwrap();
    assert_ne!(
        before, after,
        "the cache was rebuilt under the new file's key"
    );
    assert_eq!(before.len(), after.len());
}

#[test]
fn scenario_on_the_network_uses_network_times_after_a_closure() {
    let dir = temp_dir("network-scenario");
    let path = write_study(&dir);
    let sc = dir.join("close-s3.toml");
    std::fs::write(&sc, "close = [\"S3\"]\n").unwrap();
    let out = dir.join("out");
    let o = frontdoor(
        &[
            "scenario",
            path.to_str().unwrap(),
            sc.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let z = by_id(read_csv(&out.join("scenario-close-s3.csv")));
    // Walking, Z1's nearest is S3 (670 m: 8.375 min); without it S1 (890 m over the
    // footbridge: 11.125 min), written to 2 decimals. Driving, S1 was nearer already (810 m driven + 100 m walked:
    // 2.769 min) than S3 (440 driven + 230 walked: 3.7 min).
    assert_eq!(z["Z1"]["nearest_walk_before"], "S3");
    assert_eq!(z["Z1"]["nearest_walk_after"], "S1");
    close(num(&z["Z1"], "minutes_walk_before"), 8.375, 0.006, "before");
    close(num(&z["Z1"], "minutes_walk_after"), 11.125, 0.006, "after");
    assert_eq!(z["Z1"]["nearest_drive_after"], "S1");
    close(
        num(&z["Z1"], "minutes_drive_after"),
        166.125 / 60.0,
        0.005,
        "drive",
    );
    // Bands 5, 10, 15: Z1 (100 people) loses the 10-minute band only; Z3 reaches nothing
    // before or after.
    assert_eq!(z["Z1"]["loses_10min_walk"], "true");
    assert_eq!(z["Z1"]["loses_15min_walk"], "false");
    assert_eq!(z["Z3"]["minutes_walk_before"], "");
    let s = &read_csv(&out.join("scenarios.csv"))[0];
    assert_eq!(s["population_losing_10min_walk"], "100");
    assert_eq!(s["population_losing_5min_walk"], "0");
    assert_eq!(s["population_losing_10min_drive"], "0");
}

#[test]
fn optimiser_on_the_network_uses_unbounded_network_times() {
    let dir = temp_dir("network-optimise");
    let path = write_study(&dir);
    // Walking times by hand (metres walked x 0.75 s): Z1 to S1 890 m, S2 1,090, S3 670, S4
    // 1,340 (over the footbridge, then 500 m from the network to S4); Z2 to S1 560, S2 220,
    // S3 780 (to D, F, down the footbridge), S4 1,010. Z3 is not joined: left out.
    // p-median, p = 1, weights 100 and 200 (person-minutes): S1 2,512.5, S2 1,912.5,
    // S3 2,787.5, S4 4,200: S2. p-center: the worst of the two is least at S3 (9.75 min).
    for (model, site, objective) in [("pmedian", "S2", 1912.5), ("pcenter", "S3", 9.75)] {
        let out = dir.join(model);
        let o = frontdoor(
            &[
                "optimise",
                path.to_str().unwrap(),
                "--model",
                model,
                "--p",
                "1",
                "--mode",
                "walk",
                "--out",
                out.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let j: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("optimise-{model}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(j["sites"], serde_json::json!([site]), "{model}");
        assert_eq!(j["optimal"], true);
        close(j["objective"].as_f64().unwrap(), objective, 1e-9, model);
        assert_eq!(
            j["zones_left_out_not_joined_to_the_network"],
            serde_json::json!(["Z3"])
        );
        assert_eq!(j["time_basis"], "network");
    }
}

#[test]
fn on_a_street_grid_searches_from_zones_from_sites_and_from_near_sites_give_the_same_times() {
    use frontdoor::network::times::{network_times, times_to_sites_from, SearchFrom};
    use frontdoor::Mode;
    // 150 x 150 junctions 100 m apart (15 km square), 400 zones and 500 sites at random.
    let (study, mut nets) = crate::grid::county(150, 400, 500, &[Mode::Walk, Mode::Drive]);
    // Only the zones of the western fifth are joined: most sites are too far from every one
    // of them to reach it within 30 minutes on foot, and are not searched from.
    for net in &mut nets {
        for (z, snap) in net.zone_snaps.iter_mut().enumerate() {
            if study.zones[z].point.x > 3_000.0 {
                *snap = None;
            }
        }
    }
    let all: Vec<usize> = (0..study.sites.len()).collect();
    let bound = 30 * 60_000;
    for (net, params) in nets.iter().zip(&study.modes) {
        let by = |from| times_to_sites_from(&study, net, 4.8, &all, bound, from, &|_| {});
        let (from_sites, from_zones) = (by(SearchFrom::Sites), by(SearchFrom::Zones));
        let pairs: usize = from_sites.iter().map(Vec::len).sum();
        assert!(pairs > 500, "{}: only {pairs} pairs", params.mode);
        assert_eq!(
            from_sites, from_zones,
            "{}: zones or sites first",
            params.mode
        );
        let near_only = network_times(&study, net, params, 4.8, &|_| {});
        assert_eq!(
            near_only.by_site, from_sites,
            "{}: near sites only",
            params.mode
        );
        let reaching = from_sites.iter().filter(|l| !l.is_empty()).count();
        if params.mode == Mode::Walk {
            assert!(
                reaching < 200,
                "walking, {reaching} of 500 sites reach a joined zone"
            );
        }
    }
}
