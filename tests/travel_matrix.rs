//! `[travel] matrix`: travel times from another tool used in place of frontdoor's routing by
//! `run`, `scenario` and `optimise`: a hand-made matrix on the hand-worked study (every number
//! below follows from the matrix's rows), a round trip through frontdoor's own matrix.parquet
//! (and the same numbers as a CSV) giving the same tables, and each error a user can make.

use std::path::{Path, PathBuf};

use crate::hand::{write_hand_study, STUDY};
use crate::support::{
    by_id, demo_copy, frontdoor, read_csv, run_with as run, stderr, temp_dir, write_files,
};

/// A matrix "from another tool" for the hand-worked study: walk and drive, one pair beyond the
/// largest band (Z4-B), one to the candidate D, and two rows to skip (an unknown zone, a mode
/// the study does not measure).
const MATRIX: &str = "zone_id,site_id,mode,minutes
Z1,A,walk,7.5
Z1,C,walk,18
Z2,A,walk,12
Z2,B,walk,16
Z3,B,walk,9
Z3,D,walk,11
Z4,B,walk,35
Z1,A,drive,3
Z2,B,drive,2.5
Z9,A,walk,1
Z3,A,transit,4
";

fn hand_with_matrix(name: &str, matrix: &str) -> PathBuf {
    let dir = write_hand_study(name);
    let study = STUDY.replace("[travel]\n", "[travel]\nmatrix = \"times.csv\"\n");
    write_files(&dir, &[("study.toml", &study), ("times.csv", matrix)]);
    dir
}

#[test]
fn a_hand_made_matrix_gives_the_nearest_sites_and_reach_its_rows_say() {
    let dir = hand_with_matrix("matrix-hand", MATRIX);
    let out = dir.join("out");
    let o = run(&dir.join("study.toml"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = crate::support::said(&o);
    assert!(
        said.contains("travel times: read from") && said.contains("not computed by frontdoor"),
        "{said}"
    );
    assert!(
        said.contains("2 rows name a zone, site or mode the study does not have"),
        "{said}"
    );
    assert!(said.contains("\"Z9\" is not a zone of the study"), "{said}");
    let zones = by_id(read_csv(&out.join("zones.csv")));
    let z = |id: &str, c: &str| zones[id][c].clone();
    // Walk: the nearest open site (D is a candidate), at any minutes the matrix gives.
    assert_eq!(
        (z("Z1", "nearest_site_walk"), z("Z1", "minutes_walk")),
        ("A".into(), "7.5".into())
    );
    assert_eq!(
        (z("Z2", "nearest_site_walk"), z("Z2", "minutes_walk")),
        ("A".into(), "12".into())
    );
    assert_eq!(
        (z("Z3", "nearest_site_walk"), z("Z3", "minutes_walk")),
        ("B".into(), "9".into())
    );
    assert_eq!(
        (z("Z4", "nearest_site_walk"), z("Z4", "minutes_walk")),
        ("B".into(), "35".into())
    );
    // Sites within each band: Z1 has A (10) and C (20); Z2 has A and B by 20; Z4 none by 30.
    assert_eq!(
        [z("Z1", "sites_10min_walk"), z("Z1", "sites_20min_walk")],
        ["1", "2"]
    );
    assert_eq!(
        [z("Z2", "sites_10min_walk"), z("Z2", "sites_20min_walk")],
        ["0", "2"]
    );
    assert_eq!(z("Z4", "sites_30min_walk"), "0");
    // Drive: only the pairs given; Z3 and Z4 reach no site.
    assert_eq!(
        (z("Z1", "nearest_site_drive"), z("Z1", "minutes_drive")),
        ("A".into(), "3".into())
    );
    assert_eq!(
        (z("Z2", "nearest_site_drive"), z("Z2", "minutes_drive")),
        ("B".into(), "2.5".into())
    );
    assert_eq!(
        (z("Z3", "nearest_site_drive"), z("Z3", "minutes_drive")),
        (String::new(), String::new())
    );
    assert_eq!(z("Z1", "time_basis"), "travel_time_matrix");
    // Sites: A reaches Z1 (1,000) by 10 and Z1 + Z2 (3,000) by 20; B reaches Z3 (500) by 10,
    // Z2 + Z3 (2,500) by 20 and 30 (Z4 at 35 is beyond the largest band).
    let sites = by_id(read_csv(&out.join("sites.csv")));
    let s = |id: &str, c: &str| sites[id][c].parse::<f64>().unwrap();
    assert_eq!(
        [
            s("A", "population_10min_walk"),
            s("A", "population_20min_walk")
        ],
        [1000.0, 3000.0]
    );
    assert_eq!(
        [
            s("B", "population_10min_walk"),
            s("B", "population_20min_walk"),
            s("B", "population_30min_walk")
        ],
        [500.0, 2500.0, 2500.0]
    );
    assert_eq!(sites["A"]["time_basis"], "travel_time_matrix");
    let runj: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let tm = &runj["parameters"]["travel_matrix"];
    assert_eq!(
        (
            tm["file"].as_str(),
            tm["rows"].as_u64(),
            tm["rows_skipped"].as_u64(),
            tm["pairs_used"].as_u64()
        ),
        (Some("times.csv"), Some(11), Some(2), Some(9))
    );
    assert_eq!(runj["parameters"]["time_basis"], "travel_time_matrix");
    assert!(
        runj["inputs"].to_string().contains("times.csv"),
        "the matrix is a fingerprinted input"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("travel time matrix; read from times.csv, computed by another tool"),
        "the report says where the times came from"
    );
    // --strict refuses the rows it would skip, naming them (with demand rows all good).
    let good = crate::hand::DEMAND
        .lines()
        .take(6)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    write_files(&dir, &[("demand.csv", &good)]);
    let o = run(&dir.join("study.toml"), &dir.join("strict"), &["--strict"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("times.csv")
            && e.contains("\"Z9\" is not a zone")
            && e.contains("does not measure \"transit\""),
        "{e}"
    );
    assert!(!dir.join("strict").exists());
}

#[test]
fn scenario_and_optimise_read_the_matrix_too() {
    let dir = hand_with_matrix("matrix-scenario", MATRIX);
    write_files(
        &dir,
        &[("close-a.toml", "name = \"close-a\"\nclose = [\"A\"]\n")],
    );
    let out = dir.join("scen");
    let o = frontdoor(
        &[
            "scenario",
            dir.join("study.toml").to_str().unwrap(),
            dir.join("close-a.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Closing A (library services, blue badge): Z1's walkers' blue badge is then at C, 18
    // minutes; its library services at none (the matrix gives Z1 no other library); Z2's
    // library services at B, 16 minutes.
    let zones = by_id(read_csv(&out.join("scenario-close-a.csv")));
    let z = |id: &str, c: &str| zones[id][c].clone();
    assert_eq!(z("Z1", "minutes_walk_blue_badge_after"), "18");
    assert_eq!(z("Z1", "minutes_walk_library_services_after"), "");
    assert_eq!(z("Z2", "minutes_walk_library_services_after"), "16");
    assert_eq!(z("Z1", "loses_10min_walk"), "true");
    // MCLP within 10 walking minutes, two sites, C fixed (it covers nobody within 10: Z1-C is
    // 18): of the others A covers Z1 (1,000 people, 7.5 minutes), B Z3 (500, 9), D nobody
    // (11 from Z3). So A and C, covering 1,000.
    let opt = dir.join("opt");
    let o = frontdoor(
        &[
            "optimise",
            dir.join("study.toml").to_str().unwrap(),
            "--model",
            "mclp",
            "--p",
            "2",
            "--standard",
            "10",
            "--mode",
            "walk",
            "--out",
            opt.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let chosen = read_csv(&opt.join("optimise-mclp.csv"));
    let picked: Vec<&str> = chosen
        .iter()
        .filter(|r| r["chosen"] == "true")
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(picked, vec!["A", "C"], "{chosen:?}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(opt.join("optimise-mclp.json")).unwrap()).unwrap();
    assert_eq!(summary["covered_weight"], 1000.0);
    assert_eq!(summary["time_basis"], "travel_time_matrix");
}

#[test]
fn the_demo_round_trips_through_its_own_matrix_parquet_and_a_csv_of_it() {
    let study = demo_copy("matrix-roundtrip");
    let toml = study.join("study.toml");
    let first = temp_dir("matrix-rt-first");
    let o = run(&toml, &first, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The same study with the first run's matrix.parquet as its travel times.
    let text = std::fs::read_to_string(&toml).unwrap();
    let with = |m: &Path| {
        text.replace(
            "[travel]\n",
            &format!("[travel]\nmatrix = {:?}\n", m.to_str().unwrap()),
        )
    };
    std::fs::write(&toml, with(&first.join("matrix.parquet"))).unwrap();
    let second = temp_dir("matrix-rt-second");
    let o = run(&toml, &second, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "zones.csv",
        "sites.csv",
        "proposals.csv",
        "digital_points.csv",
        "hot_spots.csv",
    ] {
        let a = std::fs::read_to_string(first.join(f))
            .unwrap()
            .replace("straight_line_estimate", "BASIS");
        let b = std::fs::read_to_string(second.join(f))
            .unwrap()
            .replace("travel_time_matrix", "BASIS");
        assert!(
            a == b,
            "{f} differs when the times come back from matrix.parquet"
        );
    }
    // The same numbers as a CSV from "another tool", with its own column names.
    use polars::prelude::*;
    let mut df = ParquetReader::new(std::fs::File::open(first.join("matrix.parquet")).unwrap())
        .finish()
        .unwrap()
        .select(["zone", "site", "mode", "minutes"])
        .unwrap();
    df.rename("zone", "zone_id".into()).unwrap();
    df.rename("site", "site_id".into()).unwrap();
    let csv = study.join("tool_times.csv");
    CsvWriter::new(std::fs::File::create(&csv).unwrap())
        .finish(&mut df)
        .unwrap();
    std::fs::write(&toml, with(&csv)).unwrap();
    let third = temp_dir("matrix-rt-third");
    let o = run(&toml, &third, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["zones.csv", "sites.csv", "decide.json", "scenarios.csv"] {
        assert_eq!(
            std::fs::read(second.join(f)).unwrap(),
            std::fs::read(third.join(f)).unwrap(),
            "{f}: the CSV and the Parquet of the same numbers differ"
        );
    }
}

#[test]
fn each_mistake_in_a_matrix_is_named() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "zone_id,site,time\nZ1,A,5\n",
            "",
            &[
                "no minutes (or travel_time) column",
                "\"zone_id\", \"site\", \"time\"",
            ],
        ),
        (
            "zone_id,site_id,minutes\nZ1,A,5\n",
            "",
            &["no mode column", "walk, drive"],
        ),
        (
            "zone_id,site_id,mode,minutes\nZ1,A,walk,5\nZ2,A,walk,-1\nZ3,A,bike,4\n",
            "",
            &[
                "row 2",
                "expected minutes of zero or more, found \"-1\"",
                "row 3",
                "found \"bike\"",
            ],
        ),
        (
            "zone_id,site_id,mode,minutes\nZ1,A,walk,5\nZ1,A,walk,6\n",
            "",
            &["row 2", "given again (first on row 1)"],
        ),
    ];
    for (i, (matrix, _, wants)) in cases.iter().enumerate() {
        let dir = hand_with_matrix(&format!("matrix-bad-{i}"), matrix);
        let o = run(&dir.join("study.toml"), &dir.join("out"), &[]);
        assert_eq!(o.status.code(), Some(2), "case {i}");
        let e = stderr(&o);
        assert!(e.contains("times.csv"), "case {i}: {e}");
        for w in *wants {
            assert!(e.contains(w), "case {i}: wanted {w:?} in {e}");
        }
        assert!(!e.contains("panicked"), "{e}");
    }
    // A matrix and a network together: one or the other.
    let dir = write_hand_study("matrix-and-network");
    let study = STUDY.replace(
        "[travel]\n",
        "[travel]\nmatrix = \"times.csv\"\nnetwork = \"area.osm.pbf\"\n",
    );
    write_files(&dir, &[("study.toml", &study), ("times.csv", MATRIX)]);
    let o = run(&dir.join("study.toml"), &dir.join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("travel.matrix") && stderr(&o).contains("give one or the other"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_r5py_matrix_reads_as_it_is() {
    // r5py's TravelTimeMatrixComputer writes from_id, to_id, travel_time (whole minutes), one
    // mode per table: a walk-only study reads it without renaming anything.
    let dir = write_hand_study("matrix-r5py");
    let study = STUDY
        .replace("[travel]\n", "[travel]\nmatrix = \"r5py.csv\"\n")
        .replace("modes = [\"walk\", \"drive\"]", "modes = [\"walk\"]");
    let r5py = "from_id,to_id,travel_time\nZ1,A,7\nZ2,B,14\nZ3,B,9\nZ4,B,25\n";
    write_files(&dir, &[("study.toml", &study), ("r5py.csv", r5py)]);
    let out = dir.join("out");
    let o = run(&dir.join("study.toml"), &out, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let zones = by_id(read_csv(&out.join("zones.csv")));
    assert_eq!(
        (
            zones["Z1"]["nearest_site_walk"].as_str(),
            zones["Z1"]["minutes_walk"].as_str()
        ),
        ("A", "7")
    );
    assert_eq!(
        (
            zones["Z2"]["nearest_site_walk"].as_str(),
            zones["Z2"]["minutes_walk"].as_str()
        ),
        ("B", "14")
    );
    assert_eq!(zones["Z4"]["sites_20min_walk"], "0");
}
