//! Scenarios on the hand-worked study (tests/hand.rs): every expected number derived on paper
//! from the coordinates in that file's header. Walking is 100 m a minute in a straight line;
//! driving 1.5 minutes a kilometre.
//!
//! Demand as placed (worked in hand.rs): A holds 3 face-to-face blue badge contacts
//! (registered) from Z3 and 4 digital; B 10 face-to-face library contacts (information) from
//! Z1; C 20 face-to-face blue badge contacts (registered) from Z1 and 7 by phone from Z3.

use std::path::{Path, PathBuf};

use crate::hand::write_hand_study;
use crate::support::*;

fn run_scenarios(dir: &Path, files: &[(&str, &str)]) -> (PathBuf, std::process::Output) {
    let mut args: Vec<String> = vec![
        "scenario".into(),
        dir.join("study.toml").display().to_string(),
    ];
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        args.push(p.display().to_string());
    }
    let out = dir.join("out");
    args.push("--out".into());
    args.push(out.display().to_string());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = frontdoor(&refs, &[]);
    (out, o)
}

const CLOSE_B: &str = "close = [\"B\"]\n";

const SHARE: &str = r#"name = "share-and-shift"
open = ["D"]
share = [{ host = "C", guests = ["A"] }]
capacity = { "C" = 10 }

[[channel_shift]]
category = "registered"
share = 0.5
to = "phone"
"#;

#[test]
fn closing_a_library_by_hand() {
    let dir = write_hand_study("scenario-close");
    let (out, o) = run_scenarios(&dir, &[("close-b.toml", CLOSE_B)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let z = by_id(read_csv(&out.join("scenario-close-b.csv")));
    // Library services: before A or B, after A only.
    // Z3: B 1000 m = 10 min, then A 3500 m = 35 min. Z4: B 2692.58 m = 26.93, then A 4301.16 m
    // = 43.01 min. Z1 and Z2 keep A (5 and 10 min).
    for (id, before, after) in [
        ("Z1", 5.0, 5.0),
        ("Z2", 10.0, 10.0),
        ("Z3", 10.0, 35.0),
        ("Z4", 26.93, 43.01),
    ] {
        close(num(&z[id], "minutes_walk_before"), before, 0.005, id);
        close(num(&z[id], "minutes_walk_after"), after, 0.005, id);
    }
    assert_eq!(z["Z3"]["nearest_walk_before"], "B");
    assert_eq!(z["Z3"]["nearest_walk_after"], "A");
    close(
        num(&z["Z4"], "minutes_walk_change"),
        16.09,
        0.005,
        "Z4 change",
    );
    // Z3 loses every band; Z4 only 30 minutes (it was beyond 20 already).
    for (id, b10, b20, b30) in [
        ("Z1", "false", "false", "false"),
        ("Z3", "true", "true", "true"),
        ("Z4", "false", "false", "true"),
    ] {
        assert_eq!(z[id]["loses_10min_walk"], b10, "{id}");
        assert_eq!(z[id]["loses_20min_walk"], b20, "{id}");
        assert_eq!(z[id]["loses_30min_walk"], b30, "{id}");
    }
    // Driving: Z3 1.5 → 5.25 min, Z4 4.04 → 6.45: within 10 both times.
    close(
        num(&z["Z3"], "minutes_drive_after"),
        5.25,
        0.005,
        "Z3 drive",
    );
    assert!(z.values().all(|r| r["loses_10min_drive"] == "false"));
    // 2SFCA, library services within 20 min walk: R_A = 1/(1000 + 2000), R_B = 1/(2000 + 500).
    // Before: Z1 1/3000, Z2 1/3000 + 1/2500, Z3 1/2500, Z4 nothing in reach: 0.
    // After (A only): Z1 and Z2 1/3000, Z3 and Z4 0.
    let a = |id: &str, col: &str| num(&z[id], col);
    close(
        a("Z2", "access_2sfca_walk_library_services_before"),
        1.0 / 3000.0 + 1.0 / 2500.0,
        1e-15,
        "Z2 before",
    );
    close(
        a("Z2", "access_2sfca_walk_library_services_after"),
        1.0 / 3000.0,
        1e-15,
        "Z2 after",
    );
    close(
        a("Z3", "access_2sfca_walk_library_services_change"),
        -1.0 / 2500.0,
        1e-15,
        "Z3 change",
    );
    assert_eq!(z["Z4"]["access_2sfca_walk_library_services_before"], "0");

    let s = read_csv(&out.join("scenarios.csv"));
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s["scenario"], "close-b");
    assert_eq!(s["scope"], "library services");
    assert_eq!(s["annual_cost_saved"], "10000");
    // Scores fall in Z2 and Z3 (2,000 + 500 people); Z1 keeps 1/3000; none rise.
    assert_eq!(s["access_2sfca_walk_library_services_demand_worse"], "2500");
    assert_eq!(s["access_2sfca_walk_library_services_demand_better"], "0");
    for (b, pop, old) in [(10, 500.0, 50.0), (20, 500.0, 50.0), (30, 800.0, 80.0)] {
        close(
            num(s, &format!("population_losing_{b}min_walk")),
            pop,
            1e-9,
            "pop",
        );
        close(num(s, &format!("old_losing_{b}min_walk")), old, 1e-9, "old");
        close(
            num(s, &format!("population_losing_{b}min_drive")),
            0.0,
            1e-9,
            "drive",
        );
        close(
            num(s, &format!("population_gaining_{b}min_walk")),
            0.0,
            1e-9,
            "gain",
        );
    }
    // Population-weighted minutes: (1000·5 + 2000·10 + 500·10 + 300·26.9258) / 3800 before,
    // (1000·5 + 2000·10 + 500·35 + 300·43.0116) / 3800 after; the largest rise is Z3's 25.
    close(
        num(s, "mean_minutes_walk_before"),
        38077.75 / 3800.0,
        0.001,
        "mean before",
    );
    close(
        num(s, "mean_minutes_walk_after"),
        55403.49 / 3800.0,
        0.001,
        "mean after",
    );
    close(num(s, "max_minutes_increase_walk"), 25.0, 1e-9, "max rise");
    // B's 10 face-to-face contacts came from Z1, whose nearest library after is A.
    close(num(s, "face_to_face_rerouted"), 10.0, 1e-9, "rerouted");
    let sites = by_id(read_csv(&out.join("scenario-close-b-sites.csv")));
    assert_eq!(sites["B"]["action"], "close");
    assert_eq!(sites["B"]["sent_to"], "A: 10");
    assert_eq!(sites["A"]["received_from"], "B: 10");
    // A's own 3 contacts are below the study's suppression threshold of 5: blank.
    assert_eq!(sites["A"]["face_to_face_before"], "");
    assert_eq!(sites["A"]["face_to_face_after"], "13");
    for f in [
        "scenario-close-b.geojson",
        "scenario-close-b.png",
        "scenario-close-b.svg",
        "run.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn sharing_opening_and_shifting_channels_by_hand() {
    let dir = write_hand_study("scenario-share");
    let (out, o) = run_scenarios(&dir, &[("s2.toml", SHARE), ("close-b.toml", CLOSE_B)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.join("scenario-share-and-shift.csv").is_file(),
        "named by `name`"
    );
    let z = by_id(read_csv(&out.join("scenario-share-and-shift.csv")));
    // Scope: A's services (library services, blue badge) and D's (library services).
    // Library before (A, B) / after (B, C hosting A, D): Z1 5 → 20 (C), Z2 10 → 15 (B),
    // Z3 10 → 10, Z4 26.93 → 15 (D). Blue badge before (A, C) / after (C): Z1 5 → 20,
    // Z2 10 → 25, Z3 35 → 44.72, Z4 40.31 → 40.31. Minutes are to the farther of the two.
    for (id, before, after) in [
        ("Z1", 5.0, 20.0),
        ("Z2", 10.0, 25.0),
        ("Z3", 35.0, 44.72),
        ("Z4", 40.31, 40.31),
    ] {
        close(num(&z[id], "minutes_walk_before"), before, 0.005, id);
        close(num(&z[id], "minutes_walk_after"), after, 0.005, id);
    }
    close(
        num(&z["Z4"], "minutes_walk_library_services_after"),
        15.0,
        0.005,
        "Z4 library",
    );
    close(
        num(&z["Z2"], "minutes_walk_blue_badge_after"),
        25.0,
        0.005,
        "Z2 blue badge",
    );
    // Z1 loses 10 (both services 5 → 20); Z2 loses 10 and 20 (blue badge 10 → 25); Z4 gains
    // 20 (library 26.93 → 15).
    assert_eq!(z["Z1"]["loses_10min_walk"], "true");
    assert_eq!(z["Z1"]["loses_20min_walk"], "false");
    assert_eq!(z["Z2"]["loses_20min_walk"], "true");
    assert_eq!(z["Z3"]["loses_10min_walk"], "false");
    assert_eq!(z["Z4"]["gains_20min_walk"], "true");
    assert_eq!(z["Z4"]["gains_30min_walk"], "false");

    let rows = read_csv(&out.join("scenarios.csv"));
    assert_eq!(rows.len(), 2, "one line per scenario");
    let s = rows
        .iter()
        .find(|r| r["scenario"] == "share-and-shift")
        .unwrap();
    assert_eq!(s["scope"], "blue badge;library services");
    assert_eq!(s["sites_shared"], "1");
    assert_eq!(s["sites_opened"], "1");
    // A has no cost (unknown), D costs 5000 to open.
    close(num(s, "annual_cost_saved"), -5000.0, 1e-9, "cost");
    assert_eq!(s["sites_without_cost"], "1");
    for (b, lose, old, gain) in [
        (10, 3000.0, 600.0, 0.0),
        (20, 2000.0, 500.0, 300.0),
        (30, 0.0, 0.0, 0.0),
    ] {
        close(
            num(s, &format!("population_losing_{b}min_walk")),
            lose,
            1e-9,
            "lose",
        );
        close(num(s, &format!("old_losing_{b}min_walk")), old, 1e-9, "old");
        close(
            num(s, &format!("population_gaining_{b}min_walk")),
            gain,
            1e-9,
            "gain",
        );
    }
    // Registered face-to-face contacts: 3 (Z3) + 20 (Z1); half move to phone.
    close(num(s, "face_to_face_moved_to_phone"), 11.5, 1e-9, "moved");
    assert_eq!(s["face_to_face_moved_to_digital"], "0");
    // C: its own 20 plus A's 3, all registered; half shift: 11.5 against a capacity of 10.
    let sites = by_id(read_csv(&out.join("scenario-share-and-shift-sites.csv")));
    let c = &sites["C"];
    assert_eq!(c["action"], "host");
    assert_eq!(
        c["services_after"],
        "council tax;blue badge;library services"
    );
    assert_eq!(c["face_to_face_before"], "20");
    assert_eq!(c["face_to_face_received"], "", "3 is suppressed");
    assert_eq!(c["received_from"], "A: suppressed");
    assert_eq!(c["face_to_face_shifted"], "11.5");
    assert_eq!(c["face_to_face_after"], "11.5");
    assert_eq!(c["capacity_after"], "10");
    assert_eq!(c["load_share"], "1.15");
    assert_eq!(c["overloaded"], "true");
    // C had no capacity in the baseline: the cut to 10 makes it over capacity, newly.
    assert_eq!(c["overloaded_before"], "false");
    assert_eq!(c["newly_overloaded"], "true");
    assert_eq!(s["newly_overloaded_sites"], "1");
    assert_eq!(s["already_overloaded_sites"], "0");
    assert_eq!(sites["A"]["action"], "guest");
    assert_eq!(sites["A"]["open_after"], "false");
    assert_eq!(sites["D"]["action"], "open");
    assert_eq!(sites["D"]["open_after"], "true");
    // B's information contacts are not shifted (only registered ones are).
    assert_eq!(sites["B"]["face_to_face_after"], "10");
}

#[test]
fn bad_scenarios_are_refused_with_the_file_and_field() {
    let dir = write_hand_study("scenario-bad");
    let out = dir.join("out");
    let cases: [(&str, &[&str]); 9] = [
        (
            "close = [\"Q\"]\n",
            &["close[0]", "no site has the id \"Q\""],
        ),
        ("close = [\"a\"]\n", &["close[0]", "did you mean \"A\""]),
        (
            "close = [\"B\", \"B\"]\n",
            &["close[1]", "site \"B\" is closed twice: also by close[0]"],
        ),
        (
            "close = [\"A\"]\nshare = [{ host = \"C\", guests = [\"A\"] }]\n",
            &["share[0].guests[0]", "closed twice"],
        ),
        (
            "open = [\"A\"]\n",
            &["open[0]", "already open in the baseline"],
        ),
        (
            "close = [\"D\"]\n",
            &["close[0]", "candidate, not open in the baseline"],
        ),
        (
            "share = [{ host = \"D\", guests = [\"B\"] }]\n",
            &["share[0].host", "add it to `open`"],
        ),
        (
            "[[channel_shift]]\ncategory = \"advocacy\"\nshare = 1.5\n",
            &["channel_shift[0].share", "from 0 to 1"],
        ),
        ("clsoe = [\"A\"]\n", &["unknown field `clsoe`"]),
    ];
    for (text, expected) in cases {
        let p = dir.join("bad.toml");
        std::fs::write(&p, text).unwrap();
        let o = frontdoor(
            &[
                "scenario",
                dir.join("study.toml").to_str().unwrap(),
                p.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &[],
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains("bad.toml"), "{text}: names the file: {err}");
        for e in expected {
            assert!(err.contains(e), "{text}: expected {e:?} in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "nothing written for {text}");
    }
    // Two files with one name.
    let a = dir.join("x.toml");
    std::fs::write(&a, "name = \"same\"\n").unwrap();
    let b = dir.join("y.toml");
    std::fs::write(&b, "name = \"same\"\n").unwrap();
    let o = frontdoor(
        &[
            "scenario",
            dir.join("study.toml").to_str().unwrap(),
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("names must differ"), "{}", stderr(&o));
}
