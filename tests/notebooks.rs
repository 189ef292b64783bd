//! The notebooks an analyst runs (notebooks/*.ipynb), executed headless with nbclient
//! (tests/notebooks/execute.py) on this build's binary: every code cell runs without an
//! error, each shows its maps, and the sentences its cells print carry the numbers of the
//! outputs they read. Skipped with a notice where Jupyter's packages are missing (never under
//! CI, which installs them), and the Oxfordshire notebook where ../shared is.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{read_csv, shared, temp_dir, tool_missing};

fn execute(notebooks: &[&str]) -> Option<(Value, std::path::PathBuf)> {
    let ok = Command::new("python3")
        .args([
            "-c",
            "import nbclient, nbformat, ipykernel, geopandas, matplotlib",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        tool_missing(
            "nbclient, ipykernel, geopandas, matplotlib",
            "pip install nbclient nbformat ipykernel geopandas matplotlib",
            "the execution of the notebooks",
        );
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = temp_dir("notebooks");
    let o = Command::new("python3")
        .arg(root.join("tests/notebooks/execute.py"))
        .arg(out.join("executed"))
        .args(notebooks.iter().map(|n| root.join("notebooks").join(n)))
        .env("FRONTDOOR_BIN", env!("CARGO_BIN_EXE_frontdoor"))
        .env("FRONTDOOR_NOTEBOOK_OUT", out.join("results"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some((
        serde_json::from_str(text.lines().last().unwrap()).unwrap(),
        out,
    ))
}

fn assert_ran(found: &Value, name: &str, images: u64) {
    let n = &found[name];
    assert!(n["error"].is_null(), "{name}: {}", n["error"]);
    assert_eq!(n["executed"], n["code_cells"], "{name}: not every cell ran");
    assert!(
        n["images"].as_u64().unwrap() >= images,
        "{name}: {} images",
        n["images"]
    );
}

#[test]
fn the_demo_notebook_runs_and_shows_its_maps() {
    let Some((found, out)) = execute(&["demo.ipynb"]) else {
        return;
    };
    assert_ran(&found, "demo.ipynb", 5);
    // The sentence it prints is the zones table's own count.
    let zones = read_csv(&out.join("results/demo/zones.csv"));
    let pop: f64 = zones
        .iter()
        .map(|z| z["population"].parse::<f64>().unwrap())
        .sum();
    let within: f64 = zones
        .iter()
        .filter(|z| z["minutes_walk"].parse::<f64>().is_ok_and(|m| m <= 20.0))
        .map(|z| z["population"].parse::<f64>().unwrap())
        .sum();
    let text = found["demo.ipynb"]["text"].as_str().unwrap();
    let said = format!("{} of {} people", thousands(within), thousands(pop));
    assert!(text.contains(&said), "wanted {said:?} in {text}");
}

#[test]
fn the_oxfordshire_notebook_runs_and_shows_its_maps() {
    if shared().is_none() {
        return;
    }
    let Some((found, _)) = execute(&["oxfordshire.ipynb"]) else {
        return;
    };
    assert_ran(&found, "oxfordshire.ipynb", 4);
    let text = found["oxfordshire.ipynb"]["text"].as_str().unwrap();
    assert!(text.contains("407 zones, 696,880 people"), "{text}");
}

/// A whole number with thousands separators, as the notebooks print them.
fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
