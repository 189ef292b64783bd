//! The embedded demo: the committed study is what `frontdoor synth` makes, `frontdoor demo`
//! writes every output, and outputs do not depend on the number of threads.

use std::path::Path;

use crate::support::*;

/// Outputs every run writes (besides a map per share proposal and the scenario files).
const OUTPUTS: [&str; 20] = [
    "catchments.geojson",
    "matrix.parquet",
    "sites.csv",
    "zones.csv",
    "sites.geojson",
    "zones.geojson",
    "map.png",
    "map.svg",
    "proposals.csv",
    "proposals.geojson",
    "digital_points.csv",
    "digital_points.geojson",
    "hot_spots.csv",
    "new_sites.csv",
    "decide.json",
    "recommendations.png",
    "recommendations.svg",
    "scenarios.csv",
    "run.json",
    "report.html",
];

#[test]
fn committed_demo_is_what_synth_makes() {
    let d = temp_dir("synth");
    let o = frontdoor(&["synth", "--out", d.to_str().unwrap(), "-q"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    for f in [
        "study.toml",
        "zones.geojson",
        "sites.csv",
        "bus_stops.csv",
        "demand.csv",
        "scenarios/close-small-libraries.toml",
        "scenarios/share-town-hub.toml",
        "scenarios/digital-first.toml",
    ] {
        let a = std::fs::read(d.join(f)).unwrap();
        let b = std::fs::read(committed.join(f)).unwrap();
        assert!(
            a == b,
            "data/demo/{f} differs from `frontdoor synth` output: regenerate it"
        );
    }
    let total: u64 = std::fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    assert!(total < 5_000_000, "demo is {total} bytes");
}

pub(crate) fn without_run_variables(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("timings_ms");
    o.remove("threads");
    v
}

#[test]
fn demo_writes_every_output_identically_on_one_two_and_sixteen_threads() {
    let d = temp_dir("demo");
    let (one, two, sixteen) = (d.join("one"), d.join("two"), d.join("sixteen"));
    let a = frontdoor(
        &["demo", "--out", one.to_str().unwrap()],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert!(a.status.success(), "{}", stderr(&a));
    // 523 sites less 480 bus stops and a kiosk (street furniture) and 2 candidates.
    assert!(
        stdout(&a).contains("recommendations for 40 buildings assessed and 2 candidates"),
        "{}",
        stdout(&a)
    );
    let b = frontdoor(
        &["demo", "--out", two.to_str().unwrap(), "--quiet"],
        &[("RAYON_NUM_THREADS", "2")],
    );
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(stdout(&b).is_empty(), "--quiet printed: {}", stdout(&b));
    // More threads than this machine's cores: work split finer, the same bytes.
    let c = frontdoor(
        &["demo", "--out", sixteen.to_str().unwrap(), "--quiet"],
        &[("RAYON_NUM_THREADS", "16")],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    let mut files: Vec<String> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    for f in OUTPUTS {
        assert!(files.iter().any(|x| x == f), "{f} not written: {files:?}");
    }
    // The plan and the demo's three scenarios, five files each; a map per share proposal.
    for s in [
        "recommended",
        "close-small-libraries",
        "share-town-hub",
        "digital-first",
    ] {
        assert!(files.contains(&format!("scenario-{s}-sites.csv")), "{s}");
    }
    assert!(files.iter().any(|f| f == "proposal-P1.svg"));
    for f in &files {
        let x = std::fs::read(one.join(f)).unwrap();
        assert!(!x.is_empty(), "{f} is empty");
        for (other, threads) in [(&two, 2), (&sixteen, 16)] {
            let y = std::fs::read(other.join(f)).unwrap();
            if f == "run.json" {
                let (rx, ry) = (without_run_variables(&x), without_run_variables(&y));
                assert_eq!(rx, ry, "run.json differs beyond timings and threads");
                assert_eq!(
                    serde_json::from_slice::<serde_json::Value>(&x).unwrap()["threads"],
                    1
                );
                assert_eq!(
                    serde_json::from_slice::<serde_json::Value>(&y).unwrap()["threads"],
                    threads
                );
            } else {
                assert!(x == y, "{f} differs between 1 and {threads} threads");
            }
        }
    }
    // The PNG is a real image, 1000 pixels high and as wide as the area's shape needs.
    let png = std::fs::read(one.join("map.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let (w, h) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert_eq!(h, 1000);
    assert!((900..=2000).contains(&w), "width {w}");
    let svg = std::fs::read_to_string(one.join("map.svg")).unwrap();
    assert!(svg.contains("Demoshire") && svg.contains("straight-line estimate"));
}

#[test]
fn demo_scenarios_are_identical_on_one_and_two_threads() {
    let d = temp_dir("demo-scenarios");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let scenarios: Vec<String> = ["close-small-libraries", "share-town-hub", "digital-first"]
        .iter()
        .map(|s| {
            demo.join(format!("scenarios/{s}.toml"))
                .display()
                .to_string()
        })
        .collect();
    let run = |threads: &str, out: &Path| {
        let mut all: Vec<String> = vec![
            "scenario".into(),
            demo.join("study.toml").display().to_string(),
        ];
        all.extend(scenarios.iter().cloned());
        all.extend(["--out".into(), out.display().to_string(), "-q".into()]);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = frontdoor(&refs, &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let (one, two) = (d.join("one"), d.join("two"));
    run("1", &one);
    run("2", &two);
    let mut files: Vec<String> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    // Per scenario: zones CSV and GeoJSON, sites CSV, PNG and SVG; then scenarios.csv and run.json.
    assert_eq!(files.len(), 3 * 5 + 2, "{files:?}");
    for f in &files {
        let (x, y) = (
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
        );
        if f == "run.json" {
            assert_eq!(without_run_variables(&x), without_run_variables(&y));
        } else {
            assert!(x == y, "{f} differs between 1 and 2 threads");
        }
    }
    let summary = read_csv(&one.join("scenarios.csv"));
    let names: Vec<&str> = summary.iter().map(|r| r["scenario"].as_str()).collect();
    assert_eq!(
        names,
        ["close-small-libraries", "share-town-hub", "digital-first"]
    );
}

#[test]
fn help_shows_an_example_for_each_command() {
    for cmd in [
        "check", "run", "demo", "synth", "scenario", "optimise", "reach", "network", "report",
    ] {
        let o = frontdoor(&[cmd, "--help"], &[]);
        assert!(o.status.success());
        assert!(stdout(&o).contains("Example:"), "{cmd}: {}", stdout(&o));
    }
}

#[test]
fn two_v_flags_add_stage_timings_and_counts_and_one_does_not() {
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/study.toml");
    let said = |flag: &str| {
        let out = crate::support::temp_dir("demo-verbosity");
        let o = crate::support::frontdoor(
            &[
                "reach",
                study.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                flag,
            ],
            &[],
        );
        assert!(o.status.success());
        crate::support::stderr(&o)
    };
    let v = said("-v");
    let vv = said("-vv");
    assert!(
        v.contains("info: loaded") && !v.contains("stage load"),
        "{v}"
    );
    for w in [
        "stage load: ",
        "stage reach: ",
        "input zones.geojson (zones): 129 rows",
        "reach walk (straight_line_estimate):",
        "zone-site pairs within 30 min",
    ] {
        assert!(vv.contains(w), "-vv lacks {w:?}: {vv}");
    }
}

#[test]
fn two_v_flags_do_not_print_other_crates_debug_lines() {
    // The optimiser's LP solver (microlp) logs every solve at debug level; -vv is for
    // frontdoor's own stages, not a library's pivots.
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/study.toml");
    let out = crate::support::temp_dir("demo-vv-optimise");
    let o = crate::support::frontdoor(
        &[
            "optimise",
            study.to_str().unwrap(),
            "--model",
            "mclp",
            "--p",
            "3",
            "--standard",
            "10",
            "--out",
            out.to_str().unwrap(),
            "-vv",
        ],
        &[],
    );
    assert!(o.status.success());
    let said = crate::support::stderr(&o);
    assert!(
        said.contains("debug: "),
        "-vv says nothing of its own: {said}"
    );
    for w in [
        "initialized solver",
        "restore feasibility",
        "restored feasibility",
    ] {
        assert!(!said.contains(w), "-vv prints the solver's {w:?}: {said}");
    }
}

/// The example lines of a command's `--help`, as words.
fn help_examples(command: &str) -> Vec<Vec<String>> {
    let o = crate::support::frontdoor(&[command, "--help"], &[]);
    let text = crate::support::stdout(&o);
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("frontdoor "))
        .map(|l| l.split_whitespace().skip(1).map(String::from).collect())
        .collect()
}

#[test]
fn help_examples_work_from_the_repository_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = crate::support::shared().is_some();
    let out = crate::support::temp_dir("help-examples");
    let commands = [
        "check", "run", "report", "reach", "scenario", "optimise", "network", "transit", "demo",
        "synth",
    ];
    let mut ran = 0;
    for command in commands {
        let examples = help_examples(command);
        assert!(
            !examples.is_empty(),
            "`frontdoor {command} --help` has no example"
        );
        for words in examples {
            // Every file an example reads exists from the repository root.
            let mut k = 0;
            while k < words.len() {
                let w = &words[k];
                let is_out = k > 0 && words[k - 1] == "--out";
                let reads = w.ends_with(".toml")
                    || w.ends_with(".csv")
                    || w.ends_with(".pbf")
                    || w.ends_with(".zip");
                if reads && !is_out && (shared || !w.starts_with("../shared")) {
                    let used_by_study = w.starts_with("tests/studies/");
                    if !used_by_study || shared {
                        assert!(
                            root.join(w).exists(),
                            "{command} example reads {w}, which is not there"
                        );
                    }
                }
                k += 1;
            }
            // The light ones run, with their outputs sent to a temporary folder.
            let light = words
                .iter()
                .all(|w| !w.contains("shared") && !w.starts_with("tests/"))
                && !words.contains(&"40".to_string());
            if light {
                let mut args: Vec<String> = Vec::new();
                for (i, w) in words.iter().enumerate() {
                    let folder =
                        |w: &str| out.join(w.replace('/', "_")).to_string_lossy().to_string();
                    if (i > 0 && words[i - 1] == "--out") || (command == "report" && i == 1) {
                        args.push(folder(w));
                    } else {
                        args.push(w.clone());
                    }
                }
                if command == "demo" && !args.contains(&"--out".to_string()) {
                    continue;
                }
                let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                let o = std::process::Command::new(env!("CARGO_BIN_EXE_frontdoor"))
                    .args(&refs)
                    .arg("-q")
                    .current_dir(root)
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "frontdoor {}: {}",
                    args.join(" "),
                    crate::support::stderr(&o)
                );
                ran += 1;
            }
        }
    }
    assert!(ran >= 8, "only {ran} examples ran");
}
