//! Inputs the fuzzers (fuzz/, cargo-fuzz) found to crash frontdoor, kept so that the fixes
//! stay fixed: each file under tests/fuzz_cases/<target>/ goes through the same entry point as
//! the fuzz target of that name, which must return (an error is fine), never panic.

use std::path::{Path, PathBuf};

use frontdoor::network::cache::{decode, seal};
use frontdoor::Mode;

use crate::support::temp_dir;

fn cases(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_cases")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The input as a file of the loaders' kind (they read paths), in a fresh folder.
fn as_file(case: &Path, name: &str) -> PathBuf {
    let p = temp_dir("fuzz-case").join(name);
    std::fs::copy(case, &p).unwrap();
    p
}

#[test]
fn parquet_cases_are_problems_not_panics() {
    let found = cases("table_parquet");
    assert!(!found.is_empty(), "the crash the fuzzer found is kept");
    for case in found {
        let path = as_file(&case, "input.parquet");
        let e = frontdoor::load::table::read_table(&path, None, None, &Default::default())
            .err()
            .unwrap_or_else(|| panic!("{} read as a table", case.display()));
        assert!(e.message.starts_with("not a readable Parquet file"), "{e}");
    }
}

#[test]
fn table_cases_return() {
    for (target, name) in [
        ("table_csv", "input.csv"),
        ("table_geojson", "input.geojson"),
    ] {
        for case in cases(target) {
            let _ = frontdoor::load::table::read_table(
                &as_file(&case, name),
                None,
                None,
                &Default::default(),
            );
        }
    }
}

#[test]
fn network_and_cache_cases_return() {
    for case in cases("osm_xml") {
        let bytes = std::fs::read(&case).unwrap();
        let _ = frontdoor::network::osm::parse_xml(Path::new("area.osm"), &bytes[..]);
    }
    for case in cases("osm_pbf") {
        let _ = frontdoor::network::osm::read_osm(&as_file(&case, "area.osm.pbf"));
    }
    for case in cases("graph_cache") {
        let bytes = std::fs::read(&case).unwrap();
        let _ = decode(&bytes, "", Mode::Walk);
        let _ = decode(&seal(&bytes), "", Mode::Walk);
    }
    for case in cases("study_toml") {
        let text = String::from_utf8_lossy(&std::fs::read(&case).unwrap()).to_string();
        let _ = frontdoor::load::settings::parse_study_text(Path::new("study.toml"), &text);
    }
}
