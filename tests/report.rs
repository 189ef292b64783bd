//! report.html as its readers use it: in headless Chromium, driven by Playwright for Python
//! (tests/browser/report_check.py, with the system's Chromium). The script opens the report,
//! fails on any console error or request leaving the file, zooms into a site, hovers it and
//! reads the tooltip, clicks it and finds its reasons in the card, filters one agency and
//! compares the markers the map says it shows with the count it makes itself from the
//! embedded data, searches a site by name, takes screenshots at 1280 and 390 px, and prints
//! the report to PDF, counting the summary's pages. Skipped with a notice where Python's
//! Playwright or Chromium is missing; never under CI, which installs both.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{demo_copy, frontdoor, run_study, shared, stderr, temp_dir};

/// Whether the browser check can run here; a notice (or, under CI, a failure) if not.
fn browser_available() -> bool {
    let chromium = Command::new("chromium").arg("--version").output();
    let playwright = Command::new("python3")
        .args(["-c", "import playwright.sync_api"])
        .output();
    let ok =
        chromium.is_ok_and(|o| o.status.success()) && playwright.is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium or Playwright for Python is missing, and CI installs them (apt-get install chromium; pip install playwright)"
        );
        eprintln!("notice: chromium or Playwright for Python not installed (apt-get install chromium; pip install playwright); skipped the browser check of report.html");
    }
    ok
}

/// Runs the browser check on a report; its findings.
fn check(report: &Path, shots: &Path, extra: &[&str]) -> Value {
    std::fs::create_dir_all(shots).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/report_check.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(report)
        .arg(shots)
        .args(["--chromium", "chromium"])
        .args(extra)
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "browser check failed: {out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(out.lines().last().unwrap_or("{}")).unwrap()
}

/// What every report must show in the browser.
fn assert_usable(found: &Value, shots: &Path) {
    assert!(found["console"].as_array().unwrap().is_empty(), "{found}");
    let pages = found["summary_pages"].as_u64().unwrap();
    assert!((1..=2).contains(&pages), "summary prints on {pages} pages");
    assert!(found["pdf_pages"].as_u64().unwrap() > pages);
    for shot in [
        "summary-1280.png",
        "map-zoomed-tooltip-1280.png",
        "map-card-1280.png",
        "map-filtered-1280.png",
        "summary-390.png",
        "map-390.png",
    ] {
        let len = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(len > 10_000, "{shot}: {len} bytes");
    }
}

#[test]
fn the_demo_report_works_in_a_browser() {
    if !browser_available() {
        return;
    }
    let out = temp_dir("report-demo").join("out");
    let o = frontdoor(&["demo", "--out", out.to_str().unwrap(), "-q"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shots = out.with_file_name("shots");
    // S000001 is Kingsbridge Central Library (data/demo/sites.csv), of the County Council.
    let found = check(
        &out.join("report.html"),
        &shots,
        &["--site", "S000001", "--agency", "Police"],
    );
    assert_usable(&found, &shots);
    let tip = found["tooltip"].as_str().unwrap();
    assert!(
        tip.contains("Kingsbridge Central Library") && tip.contains("library"),
        "{tip}"
    );
    // The demo's police: 3 police stations (data/demo/sites.csv), no street furniture.
    assert_eq!(found["filtered"]["markers"], 3, "{found}");
    assert!(
        shots.join("proposal-1280.png").exists(),
        "the demo has share proposals"
    );
}

#[test]
fn the_oxfordshire_report_works_in_a_browser() {
    if shared().is_none() || !browser_available() {
        return;
    }
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/studies/oxfordshire.toml");
    let out = temp_dir("report-oxfordshire").join("out");
    run_study(&study, &out);
    let shots = out.with_file_name("shots");
    let found = check(&out.join("report.html"), &shots, &["--agency", "NHS"]);
    assert_usable(&found, &shots);
    // Active GP practices with prescribing setting 4 in the EPRACCUR extract: the study's NHS
    // sites, counted from the source file by the study's own filter.
    let gp = std::fs::read_to_string(
        shared()
            .unwrap()
            .join("data/oxfordshire-sites/gp_practices_epraccur_oxfordshire.csv"),
    )
    .unwrap();
    let mut lines = gp.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (status, setting) = (col("Status Code"), col("Prescribing Setting"));
    let nhs = lines
        .filter(|l| {
            let f = crate::support::split_csv(l);
            f[status] == "A" && f[setting] == "4"
        })
        .count();
    assert_eq!(found["filtered"]["markers"].as_u64().unwrap() as usize, nhs);
}

/// The symbol (shape and colour) of each kind in a report's map data.
fn symbols(report: &Path) -> std::collections::BTreeMap<String, (String, String)> {
    let html = std::fs::read_to_string(report).unwrap();
    let start = html.find("id=\"fd-data\">").unwrap() + "id=\"fd-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let d: Value = serde_json::from_str(&html[start..end]).unwrap();
    d["sites"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["name"].as_str().unwrap().to_string(),
                (
                    k["shape"].as_str().unwrap().to_string(),
                    k["colour"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_kind_has_the_same_symbol_in_every_study() {
    // The demo, and the demo with its community hubs renamed "advice_hub" (a kind that is not
    // standard and sorts before every other): every kind's place in the sorted list moves, and
    // no symbol may move with it.
    let base = temp_dir("symbols").join("demo");
    let o = frontdoor(&["demo", "--out", base.to_str().unwrap(), "-q"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let study = demo_copy("symbols-renamed");
    let sites = std::fs::read_to_string(study.join("sites.csv")).unwrap();
    std::fs::write(
        study.join("sites.csv"),
        sites.replace(",community_hub,", ",advice_hub,"),
    )
    .unwrap();
    let other = study.with_file_name("out");
    run_study(&study.join("study.toml"), &other);
    let (a, b) = (
        symbols(&base.join("report.html")),
        symbols(&other.join("report.html")),
    );
    assert!(b.contains_key("advice_hub") && !b.contains_key("community_hub"));
    let mut shared_kinds = 0;
    for (kind, sym) in &a {
        if let Some(other) = b.get(kind) {
            assert_eq!(sym, other, "{kind}");
            shared_kinds += 1;
        }
    }
    assert_eq!(shared_kinds, a.len() - 1);
    // The standard kinds' colours are the fixed ones (src/render/symbols.rs), in the SVG map
    // as in the report: a library is purple (#7b3294), a GP practice green (#1b7837).
    assert_eq!(a["library"], ("diamond".to_string(), "#7b3294".to_string()));
    assert_eq!(
        a["gp_practice"],
        ("cross".to_string(), "#1b7837".to_string())
    );
    for dir in [&base, &other] {
        let svg = std::fs::read_to_string(dir.join("recommendations.svg")).unwrap();
        assert!(
            svg.to_ascii_uppercase().contains("#7B3294"),
            "library colour in the SVG map"
        );
        assert!(
            svg.to_ascii_uppercase().contains("#1B7837"),
            "GP colour in the SVG map"
        );
    }
}
