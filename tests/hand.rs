//! A small study worked by hand: four zones, three open sites and a candidate on a line in
//! British National Grid, walking at 100 m a minute in a straight line (so 10/20/30 minutes are
//! 1/2/3 km) and driving at 1.5 minutes a kilometre. Every expected number below was derived
//! on paper from the coordinates; the derivations are in the comments.
//!
//! Relative to (400000, 200000): Z1 (0,0) 1,000 people, 100 old; Z2 (1500,0) 2,000/500;
//! Z3 (4000,0) 500/50; Z4 (4000,2500) 300/30. Libraries A (500,0) and B (3000,0), council
//! office C (0,2000), candidate library D (4000,1000).
//! Distances: Z1-A 500, Z1-B 3000, Z1-C 2000, Z1-D 4123; Z2-A 1000, Z2-B 1500, Z2-C 2500,
//! Z2-D 2693; Z3-A 3500, Z3-B 1000, Z3-C 4472, Z3-D 1000; Z4-A 4301, Z4-B 2693, Z4-C 4031,
//! Z4-D 1500.

use std::path::{Path, PathBuf};

use crate::support::*;

pub const ZONES: &str = "id,name,population,old,x,y
Z1,Zone one,1000,100,400000,200000
Z2,Zone two,2000,500,401500,200000
Z3,Zone three,500,50,404000,200000
Z4,Zone four,300,30,404000,202500
";

pub const SITES: &str = "id,name,agency,kind,services,annual_cost,fixed,candidate,x,y
A,Library A,County,library,library services;blue badge,,false,false,400500,200000
B,Library B,County,library,library services,10000,false,false,403000,200000
C,Office C,District,council_office,council tax;blue badge,40000,true,false,400000,202000
D,Library D,County,library,library services,5000,false,true,404000,201000
";

/// Five good rows and three that cannot be placed (unknown category, unknown zone, candidate).
pub const DEMAND: &str = "service,category,channel,zone,site,count,x,y
library services,information,face_to_face,Z1,B,10,,
library services,information,digital,Z2,,4,,
council tax,simple,phone,Z3,,7,,
blue badge,registered,face_to_face,,,3,403900,200100
blue badge,registered,face_to_face,,C,20,,
library services,urgent,face_to_face,Z1,,1,,
library services,information,digital,Z9,,2,,
library services,information,face_to_face,Z3,D,5,,
";

pub const STUDY: &str = r#"name = "Hand-worked"

[zones]
path = "zones.csv"
crs = "EPSG:27700"
profile = ["old"]
vulnerable = ["old"]

[[sites]]
path = "sites.csv"
crs = "EPSG:27700"

[[demand]]
path = "demand.csv"
crs = "EPSG:27700"

[travel]
modes = ["walk", "drive"]
bands = [10, 20, 30]
walk = { speed_kmh = 6.0, circuity = 1.0 }
drive = { speed_kmh = 60.0, circuity = 1.5 }

[privacy]
suppress_below = 5

[[access]]
method = "2sfca"
mode = "walk"
service = "library services"
max_minutes = 20
"#;

/// Writes the hand-worked study into a fresh folder and returns the folder.
pub fn write_hand_study(name: &str) -> PathBuf {
    let d = temp_dir(name);
    write_files(
        &d,
        &[
            ("zones.csv", ZONES),
            ("sites.csv", SITES),
            ("demand.csv", DEMAND),
            ("study.toml", STUDY),
        ],
    );
    d
}

fn run_hand(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let o = frontdoor(
        &[
            "run",
            dir.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    out
}

#[test]
fn zones_nearest_site_and_counts_by_band() {
    let dir = write_hand_study("hand-zones");
    let out = run_hand(&dir);
    let z = by_id(read_csv(&out.join("zones.csv")));
    // Nearest open site (D is a candidate and never counts for zones).
    let expect = [
        ("Z1", "A", 5.0, 0.75),
        ("Z2", "A", 10.0, 1.5),
        ("Z3", "B", 10.0, 1.5),
        ("Z4", "B", 26.93, 4.04),
    ];
    for (id, site, walk, drive) in expect {
        assert_eq!(z[id]["nearest_site_walk"], site, "{id}");
        assert_eq!(z[id]["nearest_site_drive"], site, "{id}");
        // Z4-B = sqrt(1000² + 2500²) = 2692.58 m: 26.93 min walking, 4.04 driving.
        close(
            num(&z[id], "minutes_walk"),
            walk,
            0.005,
            &format!("{id} walk"),
        );
        close(
            num(&z[id], "minutes_drive"),
            drive,
            0.005,
            &format!("{id} drive"),
        );
    }
    // Sites within 1 / 2 / 3 km (inclusive): Z1 A | A,C (2000) | A,C,B (3000);
    // Z2 A (1000) | A,B | A,B,C; Z3 B | B | B; Z4 none | none | B.
    let counts = [
        ("Z1", [1, 2, 3]),
        ("Z2", [1, 2, 3]),
        ("Z3", [1, 1, 1]),
        ("Z4", [0, 0, 1]),
    ];
    for (id, c) in counts {
        for (b, band) in [10, 20, 30].iter().enumerate() {
            assert_eq!(
                num(&z[id], &format!("sites_{band}min_walk")),
                c[b] as f64,
                "{id} {band}"
            );
        }
    }
    assert_eq!(z["Z1"]["time_basis"], "straight_line_estimate");
}

#[test]
fn sites_population_unique_and_vulnerable_by_band() {
    let dir = write_hand_study("hand-sites");
    let out = run_hand(&dir);
    let s = by_id(read_csv(&out.join("sites.csv")));
    // (site, population within 10/20/30, unique population 10/20/30, old within, unique old)
    // A: Z1, Z2 in every band (Z3 3500 > 3000). Unique among libraries: 10: both zones have
    //    only A within 1 km; 20: Z1 only (Z2 also has B at 1500); 30: none (Z1 has B at 3000).
    // B: 10: Z3; 20: Z2, Z3; 30: Z1, Z2, Z3, Z4. Unique: Z3 at every band, Z4 at 30 (A 4301).
    // C: the only council office: 10: none; 20: Z1 (2000); 30: Z1, Z2 (2500).
    // D (candidate): 10: Z3; 20: Z3, Z4; 30: Z2, Z3, Z4. Unique for a candidate: zones with
    //    no open library in the band that it would reach: 20: Z4 (B is 2693 away); else none.
    type Bands = [f64; 3];
    let expect: [(&str, Bands, Bands, Bands, Bands); 4] = [
        (
            "A",
            [3000.0, 3000.0, 3000.0],
            [3000.0, 1000.0, 0.0],
            [600.0, 600.0, 600.0],
            [600.0, 100.0, 0.0],
        ),
        (
            "B",
            [500.0, 2500.0, 3800.0],
            [500.0, 500.0, 800.0],
            [50.0, 550.0, 680.0],
            [50.0, 50.0, 80.0],
        ),
        (
            "C",
            [0.0, 1000.0, 3000.0],
            [0.0, 1000.0, 3000.0],
            [0.0, 100.0, 600.0],
            [0.0, 100.0, 600.0],
        ),
        (
            "D",
            [500.0, 800.0, 2800.0],
            [0.0, 300.0, 0.0],
            [50.0, 80.0, 580.0],
            [0.0, 30.0, 0.0],
        ),
    ];
    for (id, pop, uniq, old, uold) in expect {
        for (b, band) in [10, 20, 30].iter().enumerate() {
            assert_eq!(
                num(&s[id], &format!("population_{band}min_walk")),
                pop[b],
                "{id} pop {band}"
            );
            assert_eq!(
                num(&s[id], &format!("unique_population_{band}min_walk")),
                uniq[b],
                "{id} unique {band}"
            );
            assert_eq!(
                num(&s[id], &format!("old_{band}min_walk")),
                old[b],
                "{id} old {band}"
            );
            assert_eq!(
                num(&s[id], &format!("unique_old_{band}min_walk")),
                uold[b],
                "{id} unique old {band}"
            );
        }
    }
}

#[test]
fn demand_attribution_suppression_and_cost_per_contact() {
    let dir = write_hand_study("hand-demand");
    let out = run_hand(&dir);
    let s = by_id(read_csv(&out.join("sites.csv")));
    // Row 1 is served at B (its site column). Row 2 has no site: the nearest open site offering
    // library services to Z2 is A (1000 m; B is 1500, D is a candidate). Row 3: only C offers
    // council tax. Row 4 is a point 141 m from Z3; blue badge is offered by A (3401 m) and C
    // (4338 m): A. Row 5 is served at C. Rows 6-8 are skipped.
    // A: 4 digital information + 3 face-to-face registered = 7; B: 10; C: 7 + 20 = 27.
    assert_eq!(num(&s["A"], "demand_total"), 7.0);
    assert_eq!(num(&s["B"], "demand_total"), 10.0);
    assert_eq!(num(&s["C"], "demand_total"), 27.0);
    assert_eq!(num(&s["C"], "demand_simple"), 7.0);
    assert_eq!(num(&s["C"], "demand_registered"), 20.0);
    assert_eq!(num(&s["C"], "demand_face_to_face"), 20.0);
    assert_eq!(num(&s["B"], "face_to_face_information"), 10.0);
    // Counts from 1 to 4 are suppressed (suppress_below = 5): A's 4 and 3 are blank.
    assert_eq!(s["A"]["demand_information"], "");
    assert_eq!(s["A"]["demand_registered"], "");
    assert_eq!(s["A"]["demand_face_to_face"], "");
    assert_eq!(s["A"]["face_to_face_once_and_done_share"], "");
    assert_eq!(num(&s["A"], "demand_advocacy"), 0.0);
    // Cost per face-to-face contact: B 10,000 / 10; C 40,000 / 20. A has no cost.
    assert_eq!(num(&s["B"], "cost_per_face_to_face"), 1000.0);
    assert_eq!(num(&s["C"], "cost_per_face_to_face"), 2000.0);
    assert_eq!(s["A"]["cost_per_face_to_face"], "");
    // All of B's and C's face-to-face contacts are once-and-done (information, registered).
    assert_eq!(num(&s["C"], "face_to_face_once_and_done_share"), 1.0);
    // Zones: Z1 gets rows 1 and 5 (C's nearest zone point is Z1, 2000 m); Z2 row 2 (4,
    // suppressed); Z3 rows 3 and 4.
    let z = by_id(read_csv(&out.join("zones.csv")));
    assert_eq!(num(&z["Z1"], "demand_total"), 30.0);
    assert_eq!(z["Z2"]["demand_total"], "");
    assert_eq!(num(&z["Z3"], "demand_total"), 10.0);
    assert_eq!(num(&z["Z4"], "demand_total"), 0.0);
    // run.json counts the skipped rows by reason.
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let c = &run["counts"];
    assert_eq!(c["demand_rows"], 8);
    assert_eq!(c["demand_rows_placed"], 5);
    assert_eq!(c["demand_rows_skipped"]["unknown category"], 1);
    assert_eq!(c["demand_rows_skipped"]["unknown zone id"], 1);
    assert_eq!(c["demand_rows_skipped"]["candidate site"], 1);
    assert_eq!(c["demand_contacts"], 44.0);
}

#[test]
fn strict_refuses_rows_that_cannot_be_placed_and_writes_nothing() {
    let dir = write_hand_study("hand-strict");
    let out = dir.join("out");
    let o = frontdoor(
        &[
            "run",
            dir.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("demand.csv, row 6, field category"), "{e}");
    assert!(e.contains("demand.csv, row 7, field zone"), "{e}");
    assert!(e.contains("demand.csv, row 8, field site"), "{e}");
    assert!(!out.exists());
    // check lists the same problems and exits 1.
    let o = frontdoor(
        &[
            "check",
            dir.join("study.toml").to_str().unwrap(),
            "--strict",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("3 problems found"), "{}", stdout(&o));
    // Without --strict, check reports the skipped rows and passes.
    let o = frontdoor(&["check", dir.join("study.toml").to_str().unwrap()], &[]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("8 rows, 5 placed, 3 skipped"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn outputs_are_complete_rfc7946_geojson() {
    let dir = write_hand_study("hand-geojson");
    let out = run_hand(&dir);
    for name in ["sites.geojson", "zones.geojson"] {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 4);
        for f in features {
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            // (400000, 200000) BNG is about 2.0°W, 51.7°N.
            assert!(
                (-2.1..-1.9).contains(&lon) && (51.6..51.8).contains(&lat),
                "{lon} {lat}"
            );
        }
    }
    for f in ["sites.csv", "zones.csv", "map.png", "map.svg", "run.json"] {
        assert!(std::fs::metadata(out.join(f)).unwrap().len() > 0, "{f}");
    }
}

#[test]
fn parquet_and_geojson_inputs_give_the_same_results_as_csv() {
    use polars::prelude::*;
    let dir = write_hand_study("hand-formats");
    // Zones as Parquet with typed columns (population as integers, coordinates as floats).
    let mut df = df!(
        "id" => ["Z1", "Z2", "Z3", "Z4"],
        "name" => ["Zone one", "Zone two", "Zone three", "Zone four"],
        "population" => [1000i64, 2000, 500, 300],
        "old" => [100.0f64, 500.0, 50.0, 30.0],
        "x" => [400000.0f64, 401500.0, 404000.0, 404000.0],
        "y" => [200000.0f64, 200000.0, 200000.0, 202500.0],
    )
    .unwrap();
    let f = std::fs::File::create(dir.join("zones.parquet")).unwrap();
    ParquetWriter::new(f).finish(&mut df).unwrap();
    // Sites as GeoJSON points in lon/lat, converted here with frontdoor's own BNG (OSTN15).
    let bng = frontdoor::crs::Crs::bng();
    let mut features = Vec::new();
    for line in SITES.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let (lon, lat) = bng
            .to_lonlat(c[8].parse().unwrap(), c[9].parse().unwrap())
            .unwrap();
        features.push(format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{}\",\"name\":\"{}\",\"agency\":\"{}\",\"kind\":\"{}\",\"services\":\"{}\",\"annual_cost\":{},\"fixed\":{},\"candidate\":{}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}}}",
            c[0], c[1], c[2], c[3], c[4], if c[5].is_empty() { "null" } else { c[5] }, c[6], c[7]
        ));
    }
    std::fs::write(
        dir.join("sites.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    )
    .unwrap();
    let study = STUDY
        .replace("path = \"zones.csv\"", "path = \"zones.parquet\"")
        .replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.geojson\"",
        );
    std::fs::write(dir.join("study.toml"), study).unwrap();
    let out = run_hand(&dir);
    let s = by_id(read_csv(&out.join("sites.csv")));
    assert_eq!(num(&s["B"], "population_30min_walk"), 3800.0);
    assert_eq!(num(&s["D"], "unique_population_20min_walk"), 300.0);
    assert_eq!(num(&s["C"], "cost_per_face_to_face"), 2000.0);
    let z = by_id(read_csv(&out.join("zones.csv")));
    assert_eq!(z["Z4"]["nearest_site_walk"], "B");
    close(num(&z["Z4"], "minutes_walk"), 26.93, 0.005, "Z4");
}
