//! Helpers shared by the tests: temporary folders, the CLI, CSV reading, ../shared.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh empty folder under cargo's test temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The shared data folder beside the project. Without it the test is skipped with a notice,
/// except under CI (the `CI` variable set), where its absence is a failure.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared");
    if p.join("data").is_dir() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "../shared is missing, and CI always has it: {}",
            p.display()
        );
    }
    eprintln!("notice: ../shared not found beside the project; skipping this test");
    None
}

/// Runs the frontdoor binary with arguments (and extra environment variables).
pub fn frontdoor(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontdoor"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

/// `frontdoor run STUDY --out OUT` with further arguments, whatever its outcome.
pub fn run_with(study: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    frontdoor(&args, &[])
}

/// What a command printed, on either stream (`check` lists problems on standard output).
pub fn said(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// Standard error of a run as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Standard output of a run as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Splits one CSV line, honouring double quotes.
pub fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A CSV file as rows of column → value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(split_csv(l)).collect())
        .collect()
}

/// Rows keyed by their `id` column.
pub fn by_id(rows: Vec<HashMap<String, String>>) -> HashMap<String, HashMap<String, String>> {
    rows.into_iter().map(|r| (r["id"].clone(), r)).collect()
}

/// A cell as a number (panics with the column name if it is not one).
pub fn num(row: &HashMap<String, String>, col: &str) -> f64 {
    let v = row.get(col).unwrap_or_else(|| panic!("no column {col}"));
    v.parse()
        .unwrap_or_else(|_| panic!("{col} = {v:?} is not a number"))
}

/// Asserts two numbers agree within an absolute tolerance.
pub fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: {a} vs expected {b} (tolerance {tol})"
    );
}

/// Writes files into a folder.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// GDAL's ogrinfo, where installed (Debian: gdal-bin), reads the file without a warning.
pub fn assert_opens_in_ogrinfo(path: &Path) {
    match Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
    {
        Ok(o) => {
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(o.status.success(), "{all}");
            assert!(!all.contains("Warning") && !all.contains("ERROR"), "{all}");
            assert!(all.contains("Feature Count:"), "{all}");
        }
        Err(_) => tool_missing(
            "ogrinfo",
            "gdal-bin",
            &format!("the GDAL check of {}", path.display()),
        ),
    }
}

/// A checking tool is absent: under CI (which installs it, see .ci/run) a failure; elsewhere a
/// notice, and the check is skipped.
pub fn tool_missing(tool: &str, debian_package: &str, what: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{tool} is missing, and CI installs it (Debian: {debian_package}): {what}"
    );
    eprintln!(
        "notice: {tool} not installed (Debian: apt-get install {debian_package}); skipped {what}"
    );
}

/// `frontdoor run STUDY --out OUT`, which must succeed.
pub fn run_study(study: &Path, out: &Path) -> Output {
    let o = frontdoor(
        &[
            "run",
            study.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// A copy of the demo study (data/demo, with its scenarios) in a fresh folder, to change.
pub fn demo_copy(name: &str) -> PathBuf {
    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let study = temp_dir(name).join("study");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo"),
        &study,
    );
    study
}

/// Checks an output folder's GeoParquet layers and GeoPackage with geopandas, pyarrow, DuckDB,
/// geoparquet-validator and ogrinfo (tests/formats/check_layers.py); its findings, or None
/// (with a notice, or a failure under CI) where those tools are missing.
pub fn check_layers(out: &Path) -> Option<serde_json::Value> {
    let modules = "import geopandas, pyarrow, duckdb, pyogrio";
    let python = Command::new("python3").args(["-c", modules]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        tool_missing(
            "geopandas, pyarrow, duckdb",
            "python3-pip, then pip install geopandas pyarrow duckdb geoparquet-validator",
            "the analysts' tools' check of the GeoParquet and GeoPackage layers",
        );
        return None;
    }
    for (tool, package) in [
        ("geoparquet-validator", "pip install geoparquet-validator"),
        ("ogrinfo", "gdal-bin"),
    ] {
        if Command::new(tool).arg("--help").output().is_err() {
            tool_missing(
                tool,
                package,
                "the check of the GeoParquet and GeoPackage layers",
            );
            return None;
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/check_layers.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(out)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "the layers' check failed: {text}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_str(text.lines().last().unwrap_or("{}")).unwrap())
}
