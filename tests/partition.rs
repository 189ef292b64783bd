//! `frontdoor partition` and `frontdoor merge`: a study split into parts, each measured on its
//! own, joined again, gives the single run's tables byte for byte; and the parts on Ray.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{frontdoor, read_csv, shared, stderr, temp_dir, tool_missing};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The demo district four times (the tiles of `frontdoor synth --tiles 4`, seed 2024).
fn four_tiles(name: &str) -> PathBuf {
    let dir = temp_dir(name).join("study");
    let o = frontdoor(&["-q", "synth", "--tiles", "4", "--out", s(&dir)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("study.toml")
}

fn ok(args: &[&str]) {
    let o = frontdoor(args, &[]);
    assert!(o.status.success(), "frontdoor {args:?}: {}", stderr(&o));
}

/// Measures every part of a partition with `frontdoor reach`.
fn measure_parts(parts: &Path) -> usize {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(parts.join("partition.json")).unwrap()).unwrap();
    let names: Vec<String> = manifest["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for n in &names {
        let part = parts.join(n);
        ok(&[
            "-q",
            "reach",
            s(&part.join("study.toml")),
            "--out",
            s(&part.join("out")),
        ]);
    }
    names.len()
}

/// Every file of `a` is in `b` with the same bytes, but run.json (timings, inputs) and
/// report.html (which shows run.json); returns how many were compared.
fn same_outputs(a: &Path, b: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(a).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name == "run.json" || name == "report.html" {
            continue;
        }
        let (x, y) = (
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)),
        );
        assert!(
            y.as_ref().is_ok_and(|y| *y == x),
            "{name} differs between the single run and the merged parts"
        );
        n += 1;
    }
    n
}

#[test]
fn the_demo_tiled_four_times_partitioned_and_merged_gives_the_single_runs_tables() {
    let study = four_tiles("part-four");
    let root = study.parent().unwrap().parent().unwrap();
    let (single, parts, merged) = (root.join("single"), root.join("parts"), root.join("merged"));
    ok(&["-q", "run", s(&study), "--out", s(&single)]);
    ok(&[
        "-q",
        "partition",
        s(&study),
        "--tiles",
        "4",
        "--out",
        s(&parts),
    ]);
    assert_eq!(measure_parts(&parts), 4);
    ok(&["-q", "merge", s(&parts), "--out", s(&merged)]);
    let compared = same_outputs(&single, &merged);
    assert!(compared >= 30, "only {compared} files compared");
    // The per-zone and per-site tables above include zones.csv, sites.csv and matrix.parquet;
    // the merged run says where its times came from.
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(merged.join("run.json")).unwrap()).unwrap();
    let from_parts = run["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["role"] == "part's travel times")
        .count();
    assert_eq!(from_parts, 4);
    assert!(run["timings_ms"]["join parts"].is_number());
    check_buffer(&single, &parts);
}

/// Each part holds every site within the buffer of one of its zones, and no site further off
/// but each zone's nearest open site of a kind, checked by brute force over the single run's
/// coordinates. The buffer is 30 min at the drive mode's 40 km/h and circuity 1.35 (the
/// study's parameters in run.json): 30 x 40,000 / 60 / 1.35 = 14,814.8 m.
fn check_buffer(single: &Path, parts: &Path) {
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(single.join("run.json")).unwrap()).unwrap();
    let radius = run["parameters"]["modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            30.0 * m["speed_kmh"].as_f64().unwrap() * 1000.0
                / 60.0
                / m["circuity"].as_f64().unwrap()
        })
        .fold(0.0, f64::max);
    assert!((radius - 14_814.8).abs() < 0.1, "{radius}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(parts.join("partition.json")).unwrap()).unwrap();
    assert!((manifest["buffer_m"].as_f64().unwrap() - radius).abs() < 1e-6);
    let xy = |r: &HashMap<String, String>| {
        (
            r["x"].parse::<f64>().unwrap(),
            r["y"].parse::<f64>().unwrap(),
        )
    };
    let zones: HashMap<String, (f64, f64)> = read_csv(&single.join("zones.csv"))
        .iter()
        .map(|r| (r["id"].clone(), xy(r)))
        .collect();
    let sites: Vec<(String, (f64, f64), String, bool)> = read_csv(&single.join("sites.csv"))
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                xy(r),
                r["kind"].clone(),
                r["candidate"] == "true",
            )
        })
        .collect();
    let d = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1);
    let (mut in_parts, mut pruned) = (0, 0);
    for p in manifest["parts"].as_array().unwrap() {
        let part_zones: Vec<(f64, f64)> = p["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| zones[z.as_str().unwrap()])
            .collect();
        in_parts += part_zones.len();
        let held = parquet_ids(
            &parts
                .join(p["name"].as_str().unwrap())
                .join("sites.parquet"),
        );
        assert_eq!(held.len(), p["sites"].as_u64().unwrap() as usize);
        pruned += sites.len() - held.len();
        // Per zone and kind, the nearest open site's distance.
        let mut nearest: HashMap<(usize, &str), f64> = HashMap::new();
        for (zi, &z) in part_zones.iter().enumerate() {
            for (_, at, kind, candidate) in &sites {
                if !candidate {
                    let e = nearest.entry((zi, kind.as_str())).or_insert(f64::INFINITY);
                    *e = e.min(d(z, *at));
                }
            }
        }
        for (id, at, kind, candidate) in &sites {
            let near = part_zones
                .iter()
                .map(|&z| d(z, *at))
                .fold(f64::INFINITY, f64::min);
            let is_nearest = !candidate
                && part_zones
                    .iter()
                    .enumerate()
                    .any(|(zi, &z)| d(z, *at) <= nearest[&(zi, kind.as_str())] + 1.0);
            if near < radius - 1.0 || (!candidate && is_nearest && near > radius + 1.0) {
                assert!(
                    held.contains(id),
                    "{id} ({near:.0} m) is missing from {}",
                    p["name"]
                );
            }
            if held.contains(id) {
                assert!(
                    near <= radius + 1.0 || is_nearest,
                    "{id} is {near:.0} m from {}'s zones and the nearest of its kind to none",
                    p["name"]
                );
            }
        }
    }
    assert_eq!(in_parts, zones.len(), "every zone in one part");
    assert!(
        pruned > 1000,
        "the buffer leaves out only {pruned} site-part pairs"
    );
}

/// The `id` column of a Parquet file.
fn parquet_ids(path: &Path) -> HashSet<String> {
    use polars::prelude::*;
    let df = ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    df.column("id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect()
}

#[test]
fn parts_by_a_column_scattered_over_the_map_merge_exactly_with_scenarios() {
    // Deprivation deciles are scattered over the district: ten parts, each of zones all over.
    let study = crate::support::demo_copy("part-by").join("study.toml");
    let root = study.parent().unwrap().parent().unwrap();
    let (single, parts, merged) = (root.join("single"), root.join("parts"), root.join("merged"));
    let dir = study.parent().unwrap();
    let scenarios: Vec<PathBuf> = ["close-small-libraries", "share-town-hub"]
        .iter()
        .map(|n| dir.join("scenarios").join(format!("{n}.toml")))
        .collect();
    let with = |args: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        for sc in &scenarios {
            v.extend(["--scenario".into(), s(sc).into()]);
        }
        v
    };
    let run = with(&["-q", "run", s(&study), "--out", s(&single)]);
    ok(&run.iter().map(String::as_str).collect::<Vec<_>>());
    let o = frontdoor(
        &[
            "partition",
            s(&study),
            "--by",
            "imd_decile",
            "--out",
            s(&parts),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = crate::support::stdout(&o);
    assert!(said.contains("into 10 parts"), "{said}");
    // Numbers in number order: decile 2 is the second part, not 10.
    assert!(said.contains("part-002  2:"), "{said}");
    assert_eq!(measure_parts(&parts), 10);
    let merge = with(&["-q", "merge", s(&parts), "--out", s(&merged)]);
    ok(&merge.iter().map(String::as_str).collect::<Vec<_>>());
    same_outputs(&single, &merged);
    assert!(merged.join("scenario-share-town-hub-sites.csv").is_file());
}

#[test]
fn merge_refuses_parts_not_measured_stale_or_foreign_and_partition_names_a_bad_column() {
    let study = crate::support::demo_copy("part-errors").join("study.toml");
    let root = study.parent().unwrap().parent().unwrap();
    let parts = root.join("parts");
    let fails = |args: &[&str]| {
        let o = frontdoor(args, &[]);
        assert!(!o.status.success(), "frontdoor {args:?} should fail");
        stderr(&o)
    };
    let e = fails(&["partition", s(&study), "--out", s(&parts)]);
    assert!(e.contains("--tiles <TILES>|--by <COLUMN>"), "{e}");
    let e = fails(&[
        "partition",
        s(&study),
        "--by",
        "district",
        "--out",
        s(&parts),
    ]);
    assert!(
        e.contains("zones.geojson") && e.contains("district") && e.contains("imd_decile"),
        "{e}"
    );
    assert!(!parts.exists(), "nothing written on an error");
    ok(&[
        "-q",
        "partition",
        s(&study),
        "--tiles",
        "3",
        "--out",
        s(&parts),
    ]);
    // No part measured yet: the first is named, with the command that measures it.
    let out = root.join("merged");
    let e = fails(&["merge", s(&parts), "--out", s(&out)]);
    assert!(
        e.contains("part-001 has not been measured") && e.contains("frontdoor reach"),
        "{e}"
    );
    measure_parts(&parts);
    // A part's study changed after it was measured.
    let p2 = parts.join("part-002").join("study.toml");
    let text = std::fs::read_to_string(&p2).unwrap();
    std::fs::write(
        &p2,
        text.replace("bands = [10, 20, 30]", "bands = [10, 20, 40]"),
    )
    .unwrap();
    let e = fails(&["merge", s(&parts), "--out", s(&out)]);
    assert!(
        e.contains("part-002: its output was measured from another study file"),
        "{e}"
    );
    std::fs::write(&p2, text).unwrap();
    // The whole study changed after it was partitioned.
    let whole = std::fs::read_to_string(&study).unwrap();
    std::fs::write(
        &study,
        whole.replace("suppress_below = 5", "suppress_below = 6"),
    )
    .unwrap();
    let e = fails(&["merge", s(&parts), "--out", s(&out)]);
    assert!(
        e.contains("has changed since the study was partitioned"),
        "{e}"
    );
    std::fs::write(&study, whole).unwrap();
    assert!(!out.exists(), "nothing written on an error");
    // A folder that is not a partition.
    let e = fails(&["merge", s(study.parent().unwrap()), "--out", s(&out)]);
    assert!(
        e.contains("not a partition") && e.contains("frontdoor partition"),
        "{e}"
    );
    ok(&["-q", "merge", s(&parts), "--out", s(&out)]);
}

#[test]
fn porto_alegre_on_its_network_in_three_parts_merges_to_the_single_runs_tables() {
    let Some(_) = shared() else { return };
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/studies/porto-alegre.toml");
    let root = temp_dir("part-poa");
    let (single, parts, merged) = (root.join("single"), root.join("parts"), root.join("merged"));
    ok(&["-q", "run", s(&study), "--out", s(&single)]);
    let o = frontdoor(
        &["partition", s(&study), "--tiles", "3", "--out", s(&parts)],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // On a network every site comes into every part (a path's length does not bound where it
    // runs); the parts' searches are those of their own zones.
    assert!(
        crate::support::stdout(&o).contains("every site"),
        "{}",
        crate::support::stdout(&o)
    );
    let text = std::fs::read_to_string(parts.join("part-001/study.toml")).unwrap();
    assert!(
        text.contains("poa_osm.pbf") && text.contains("network = \"/"),
        "{text}"
    );
    measure_parts(&parts);
    ok(&["-q", "merge", s(&parts), "--out", s(&merged)]);
    same_outputs(&single, &merged);
}

#[test]
fn the_ray_driver_measures_the_parts_on_a_local_ray_and_slices_a_sweep() {
    let has_ray = Command::new("python3")
        .args(["-c", "import ray"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_ray {
        tool_missing(
            "Ray for Python",
            "python3 -m pip install ray",
            "the Ray driver's test",
        );
        return;
    }
    let study = four_tiles("part-ray");
    let root = study.parent().unwrap().parent().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/scenarios");
    let scenarios: Vec<PathBuf> = ["close-small-libraries", "digital-first", "share-town-hub"]
        .iter()
        .map(|n| demo.join(format!("{n}.toml")))
        .collect();
    let (single, sweep_single) = (root.join("single"), root.join("sweep-single"));
    ok(&["-q", "run", s(&study), "--out", s(&single)]);
    let mut args = vec!["-q", "scenario", s(&study)];
    args.extend(scenarios.iter().map(|p| s(p)));
    args.extend(["--out", s(&sweep_single)]);
    ok(&args);
    let (work, merged, sweep) = (root.join("work"), root.join("merged"), root.join("sweep"));
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("ray/frontdoor_ray.py");
    let mut c = Command::new("python3");
    c.arg(&driver)
        .arg(&study)
        .args(["--tiles", "4", "--num-cpus", "2", "--slices", "2"])
        .args(["--binary", env!("CARGO_BIN_EXE_frontdoor")])
        .arg("--work")
        .arg(&work)
        .arg("--out")
        .arg(&merged)
        .arg("--sweep")
        .args(&scenarios)
        .arg("--sweep-out")
        .arg(&sweep);
    let o = c.output().unwrap();
    let said = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(said.contains("measured 4 parts on Ray"), "{said}");
    assert!(
        said.contains("evaluated 3 scenarios in 2 slices on Ray"),
        "{said}"
    );
    same_outputs(&single, &merged);
    // The sweep in slices: one scenarios.csv and every scenario's files, as one
    // `frontdoor scenario` run of all the files writes them.
    let mut n = 0;
    for e in std::fs::read_dir(&sweep_single).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name != "run.json" {
            assert_eq!(
                std::fs::read(sweep_single.join(&name)).unwrap(),
                std::fs::read(sweep.join(&name)).unwrap(),
                "{name} differs between one scenario run and the sweep on Ray"
            );
            n += 1;
        }
    }
    assert_eq!(n, 16);
}
