//! The formats analysts open: GeoParquet 1.1 and GeoPackage layers read by geopandas, DuckDB,
//! geoparquet-validator and GDAL (tests/formats/check_layers.py), their bytes checked against
//! the specifications by hand, the QGIS styles, and the choice of formats.

use std::path::{Path, PathBuf};

use crate::support::{check_layers, demo_copy, frontdoor, read_csv, stderr, stdout, temp_dir};

/// Every output format, as `--format` arguments.
pub(crate) const ALL: [&str; 8] = [
    "--format",
    "csv",
    "--format",
    "geojson",
    "--format",
    "geoparquet",
    "--format",
    "gpkg",
];

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/study.toml")
}

/// The demo run once in every format, shared by the tests of this file.
fn demo_all_formats() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = temp_dir("formats-all");
        let o = crate::support::run_with(&demo(), &out, &[&["-q"][..], &ALL].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        out
    })
}

#[test]
fn demo_layers_open_in_geopandas_duckdb_the_validator_and_ogrinfo() {
    let out = demo_all_formats();
    let Some(found) = check_layers(out) else {
        return;
    };
    for layer in [
        "sites",
        "zones",
        "catchments",
        "proposals",
        "digital_points",
    ] {
        assert_eq!(found["validator"][layer], "conformant", "{found}");
    }
    assert_eq!(found["layers"]["zones"]["rows"], 129);
    assert_eq!(found["layers"]["sites"]["types"][0], "Point");
    assert_eq!(found["styles"], serde_json::json!(["sites", "zones"]));
}

/// Reads a little-endian f64 at `at`.
fn f64_at(b: &[u8], at: usize) -> f64 {
    f64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn the_geopackage_follows_the_specification() {
    let out = demo_all_formats();
    let bytes = std::fs::read(out.join("frontdoor.gpkg")).unwrap();
    // SQLite header: "SQLite format 3\0"; application id "GPKG" at 68, user_version at 60.
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(&bytes[68..72], b"GPKG");
    assert_eq!(u32::from_be_bytes(bytes[60..64].try_into().unwrap()), 10300);
    let db = rusqlite::Connection::open(out.join("frontdoor.gpkg")).unwrap();
    let srs: Vec<i64> = db
        .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(srs, vec![-1, 0, 4326]);
    // The extent in gpkg_contents is that of the sites' lon/lat in sites.csv.
    let sites = read_csv(&out.join("sites.csv"));
    let lon: Vec<f64> = sites.iter().map(|r| r["lon"].parse().unwrap()).collect();
    let lat: Vec<f64> = sites.iter().map(|r| r["lat"].parse().unwrap()).collect();
    let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (x0, y0, x1, y1, srs_id): (f64, f64, f64, f64, i64) = db
        .query_row(
            "SELECT min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = 'sites'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (x0, y0, x1, y1, srs_id),
        (min(&lon), min(&lat), max(&lon), max(&lat), 4326)
    );
    let geom: (String, String, i64) = db
        .query_row(
            "SELECT geometry_type_name, column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'zones'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(geom, ("MULTIPOLYGON".into(), "geom".into(), 4326));
    // The first site's blob: "GP", version 0, flags 1 (little-endian, no envelope), SRS 4326,
    // then WKB point 01 01000000 x y, at the lon/lat of sites.csv.
    let (blob, id): (Vec<u8>, String) = db
        .query_row("SELECT geom, id FROM sites ORDER BY fid LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(id, sites[0]["id"]);
    assert_eq!(&blob[..8], &[b'G', b'P', 0, 1, 0xE6, 0x10, 0, 0]);
    assert_eq!(&blob[8..13], &[1, 1, 0, 0, 0]);
    assert_eq!((f64_at(&blob, 13), f64_at(&blob, 21)), (lon[0], lat[0]));
    // A zone's blob carries its envelope (flags 3), minx maxx miny maxy, around its WKB.
    let zblob: Vec<u8> = db
        .query_row("SELECT geom FROM zones ORDER BY fid LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(zblob[3], 3);
    let (ex0, ex1, ey0, ey1) = (
        f64_at(&zblob, 8),
        f64_at(&zblob, 16),
        f64_at(&zblob, 24),
        f64_at(&zblob, 32),
    );
    assert!(ex0 < ex1 && ey0 < ey1);
    assert_eq!(&zblob[40..45], &[1, 6, 0, 0, 0], "a WKB multipolygon");
    // Numbers are REAL, flags BOOLEAN and names TEXT, as a GIS expects.
    let types: Vec<(String, String)> = db
        .prepare("SELECT name, type FROM pragma_table_info('sites')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ty = |c: &str| types.iter().find(|(n, _)| n == c).unwrap().1.clone();
    assert_eq!(
        (
            ty("fid"),
            ty("geom"),
            ty("name"),
            ty("annual_cost"),
            ty("fixed")
        ),
        (
            "INTEGER".into(),
            "POINT".into(),
            "TEXT".into(),
            "REAL".into(),
            "BOOLEAN".into()
        )
    );
    let default_styles: i64 = db
        .query_row(
            "SELECT count(*) FROM layer_styles WHERE useAsDefault = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(default_styles, 2);
}

#[test]
fn the_qgis_styles_are_well_formed_and_cover_what_the_layers_hold() {
    let out = demo_all_formats();
    let sites_qml = std::fs::read_to_string(out.join("sites.qml")).unwrap();
    let zones_qml = std::fs::read_to_string(out.join("zones.qml")).unwrap();
    for q in [&sites_qml, &zones_qml] {
        // Well-formed XML: every element closed, read to the end without an error.
        let mut r = quick_xml::Reader::from_str(q);
        let mut depth = 0i32;
        loop {
            match r.read_event().unwrap() {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert!(q.contains("<qgis version="), "a QGIS style document");
    }
    // Every recommendation in sites.csv has a category.
    for r in read_csv(&out.join("sites.csv")) {
        let rec = &r["recommendation"];
        assert!(
            sites_qml.contains(&format!("category value=\"{rec}\"")),
            "no category for {rec}"
        );
    }
    // The minutes classes are the map's: half the first band, then the bands (10, 20, 30).
    assert!(zones_qml.contains("attr=\"coalesce(&quot;minutes_walk&quot;"));
    for (lo, hi) in [("0", "5"), ("5", "10"), ("10", "20"), ("20", "30")] {
        assert!(
            zones_qml.contains(&format!("lower=\"{lo}\" upper=\"{hi}\"")),
            "{lo}-{hi}"
        );
    }
}

#[test]
fn formats_keep_only_what_is_chosen_and_the_report_is_still_built() {
    let out = temp_dir("formats-gpkg-only");
    let o = frontdoor(
        &[
            "run",
            demo().to_str().unwrap(),
            "-q",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "gpkg",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".csv") && !n.ends_with(".geojson")),
        "{names:?}"
    );
    assert!(names.contains(&"frontdoor.gpkg".to_string()));
    // The report is built from the tables held in memory: the same as with every format.
    assert_eq!(
        std::fs::read(out.join("report.html")).unwrap(),
        std::fs::read(demo_all_formats().join("report.html")).unwrap(),
        "report.html depends on the formats kept"
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["formats"], serde_json::json!(["gpkg"]));
    let listed: Vec<&str> = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["file"].as_str().unwrap())
        .collect();
    assert!(
        listed.iter().all(|f| names.iter().any(|n| n == f)),
        "run.json lists a file not written"
    );
    // `frontdoor report` cannot rebuild it, and says how to run so that it can.
    let o = frontdoor(&["report", out.to_str().unwrap()], &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("without csv and geojson files")
            && e.contains("--format csv --format geojson --format gpkg"),
        "{e}"
    );
}

#[test]
fn the_study_file_chooses_formats_and_an_unknown_one_is_refused() {
    let study = demo_copy("formats-study");
    let toml = study.join("study.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[output]\nformats = [\"csv\", \"geoparquet\"]\n"),
    )
    .unwrap();
    let out = temp_dir("formats-study-out");
    let o = frontdoor(
        &[
            "reach",
            toml.to_str().unwrap(),
            "-q",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("catchments.parquet").is_file());
    assert!(!out.join("catchments.geojson").exists());
    std::fs::write(
        &toml,
        format!("{text}\n[output]\nformats = [\"csv\", \"shp\"]\n"),
    )
    .unwrap();
    let o = frontdoor(
        &[
            "run",
            toml.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("study.toml")
            && e.contains("output.formats")
            && e.contains("unknown format \"shp\""),
        "{e}"
    );
    let o = frontdoor(
        &[
            "run",
            demo().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "kml",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--format: unknown format \"kml\""),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn geopackage_and_geoparquet_bytes_are_the_same_run_after_run() {
    let first = demo_all_formats();
    let again = temp_dir("formats-again");
    let study = demo();
    let mut args = vec!["run", study.to_str().unwrap(), "-q", "--out"];
    args.push(again.to_str().unwrap());
    args.extend(ALL);
    let o = frontdoor(&args, &[("RAYON_NUM_THREADS", "1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "frontdoor.gpkg",
        "zones.parquet",
        "sites.parquet",
        "catchments.parquet",
        "matrix.parquet",
        "zones.qml",
    ] {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

/// The demo's inputs rewritten by geopandas, GDAL and pandas (tests/formats/make_inputs.py)
/// as a GeoPackage, GeoParquet (British National Grid points, CRS in the metadata) and Excel
/// workbooks; None (with a notice, or a failure under CI) where those tools are missing.
fn analyst_inputs() -> Option<PathBuf> {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import geopandas, pyogrio, openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        crate::support::tool_missing(
            "geopandas, openpyxl",
            "pip install geopandas pyogrio openpyxl",
            "the GeoPackage, GeoParquet and Excel inputs",
        );
        return None;
    }
    let dir = temp_dir("formats-inputs");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/make_inputs.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .arg(demo().parent().unwrap())
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(dir)
}

#[test]
fn geopackage_geoparquet_and_excel_inputs_give_the_same_outputs_as_csv_and_geojson() {
    let Some(dir) = analyst_inputs() else {
        return;
    };
    let base = demo_all_formats();
    for study in ["gpkg.toml", "xlsx.toml"] {
        let out = dir.join(format!("out-{study}"));
        let o = frontdoor(
            &[
                "run",
                dir.join(study).to_str().unwrap(),
                "-q",
                "--out",
                out.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{study}: {}", stderr(&o));
        for f in [
            "zones.csv",
            "sites.csv",
            "decide.json",
            "scenarios.csv",
            "proposals.csv",
        ] {
            assert!(
                std::fs::read(base.join(f)).unwrap() == std::fs::read(out.join(f)).unwrap(),
                "{study}: {f} differs from the run on the CSV and GeoJSON inputs"
            );
        }
    }
    // Mistakes in a sheet are named by the spreadsheet's own row numbers and the column.
    let o = frontdoor(&["check", dir.join("xlsx-bad.toml").to_str().unwrap()], &[]);
    let e = crate::support::said(&o);
    assert!(!o.status.success());
    assert!(e.contains("estate-bad.xlsx, row 4, field annual_cost: expected an annual cost of zero or more, found \"lots\""), "{e}");
    assert!(
        e.contains("estate-bad.xlsx, row 6, field id: expected a site id, found an empty cell"),
        "{e}"
    );
    // A sheet or a layer that is not there is named, with those that are.
    let text = std::fs::read_to_string(dir.join("xlsx.toml")).unwrap();
    std::fs::write(
        dir.join("bad-sheet.toml"),
        text.replace("layer = \"Sites\"", "layer = \"Buildings\""),
    )
    .unwrap();
    let o = frontdoor(
        &["check", dir.join("bad-sheet.toml").to_str().unwrap()],
        &[],
    );
    let e = crate::support::said(&o);
    assert!(!o.status.success());
    assert!(
        e.contains("estate.xlsx")
            && e.contains("no sheet \"Buildings\"")
            && e.contains("\"Notes\", \"Sites\""),
        "{e}"
    );
    let text = std::fs::read_to_string(dir.join("gpkg.toml")).unwrap();
    std::fs::write(
        dir.join("bad-layer.toml"),
        text.replace("layer = \"small_areas\"", "layer = \"lsoa\""),
    )
    .unwrap();
    let o = frontdoor(
        &["check", dir.join("bad-layer.toml").to_str().unwrap()],
        &[],
    );
    let e = crate::support::said(&o);
    assert!(
        e.contains("zones.gpkg")
            && e.contains("no feature layer \"lsoa\"")
            && e.contains("\"small_areas\""),
        "{e}"
    );
}
