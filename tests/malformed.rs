//! Bad input: each case breaks one thing in the hand-worked study and checks that frontdoor
//! exits non-zero with a message naming the file, the row or feature, the field and what was
//! expected, never panics, and leaves nothing in --out.

use std::path::Path;

use crate::hand::{write_hand_study, DEMAND, SITES, STUDY, ZONES};
use crate::support::*;

/// Runs `frontdoor run` on the folder's study with an existing --out folder holding one file,
/// and checks the failure: exit code 2, no panic, every expected fragment in the message, and
/// the --out folder (and its parent) unchanged.
fn fails(dir: &Path, extra: &[&str], fragments: &[&str]) {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "earlier").unwrap();
    let study = dir.join("study.toml");
    let mut args = vec![
        "run",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = frontdoor(&args, &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {e}");
    assert!(!e.contains("panicked"), "panic: {e}");
    for f in fragments {
        assert!(e.contains(f), "missing {f:?} in: {e}");
    }
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("keep.txt")],
        "--out changed"
    );
    let staging = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".frontdoor-")
        })
        .count();
    assert_eq!(staging, 0, "staging folder left behind");
}

/// The hand study with one file replaced.
fn with(name: &str, file: &str, text: &str) -> std::path::PathBuf {
    let d = write_hand_study(name);
    std::fs::write(d.join(file), text).unwrap();
    d
}

#[test]
fn missing_study_file() {
    let d = temp_dir("bad-nostudy");
    fails(&d, &[], &["study.toml", "cannot read the study file"]);
}

#[test]
fn study_toml_syntax_error() {
    let d = with(
        "bad-toml",
        "study.toml",
        &STUDY.replace("name = \"Hand-worked\"", "name = \"Hand-worked"),
    );
    fails(&d, &[], &["study.toml, line 1", "string"]);
}

#[test]
fn misspelt_study_key() {
    let d = with(
        "bad-key",
        "study.toml",
        &STUDY.replace(
            "profile = [\"old\"]",
            "profile = [\"old\"]\npopluation = \"population\"",
        ),
    );
    fails(
        &d,
        &[],
        &[
            "study.toml, line 7",
            "unknown field `popluation`",
            "expected one of",
        ],
    );
}

#[test]
fn unknown_travel_mode() {
    let d = with(
        "bad-mode",
        "study.toml",
        &STUDY.replace(
            "modes = [\"walk\", \"drive\"]",
            "modes = [\"walk\", \"teleport\"]",
        ),
    );
    fails(
        &d,
        &[],
        &["study.toml, line", "unknown variant `teleport`", "walk"],
    );
}

#[test]
fn bands_not_increasing() {
    let d = with(
        "bad-bands",
        "study.toml",
        &STUDY.replace("bands = [10, 20, 30]", "bands = [20, 10]"),
    );
    fails(
        &d,
        &[],
        &[
            "study.toml, field travel.bands",
            "expected increasing whole minutes",
        ],
    );
}

#[test]
fn working_crs_not_metric() {
    let d = with(
        "bad-workcrs",
        "study.toml",
        &STUDY.replace(
            "name = \"Hand-worked\"",
            "name = \"Hand-worked\"\ncrs = \"EPSG:4326\"",
        ),
    );
    fails(&d, &[], &["study.toml, field crs", "projected in metres"]);
}

#[test]
fn unknown_epsg_code() {
    let d = with(
        "bad-epsg",
        "study.toml",
        &STUDY.replacen("crs = \"EPSG:27700\"", "crs = \"EPSG:99999\"", 1),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, field crs",
            "unknown CRS EPSG:99999",
            "expected an EPSG code",
        ],
    );
}

#[test]
fn missing_zones_file() {
    let d = write_hand_study("bad-nozones");
    std::fs::remove_file(d.join("zones.csv")).unwrap();
    fails(&d, &[], &["zones.csv", "file not found"]);
}

#[test]
fn empty_zones_file() {
    let d = with("bad-empty", "zones.csv", "");
    fails(&d, &[], &["zones.csv", "the file is empty"]);
}

#[test]
fn header_only_zones_file() {
    let d = with("bad-header", "zones.csv", "id,name,population,old,x,y\n");
    fails(&d, &[], &["zones.csv", "no zones"]);
}

#[test]
fn unknown_file_format() {
    let d = with(
        "bad-ext",
        "study.toml",
        &STUDY.replace("path = \"sites.csv\"", "path = \"sites.shp\""),
    );
    std::fs::write(d.join("sites.shp"), "x").unwrap();
    fails(
        &d,
        &[],
        &[
            "sites.shp",
            "cannot tell the format",
            ".csv, .parquet, .geojson, .xlsx (or .xls, .ods) or .gpkg",
        ],
    );
    // A file named .xlsx that is not a workbook.
    let d = with(
        "bad-xlsx",
        "study.toml",
        &STUDY.replace("path = \"sites.csv\"", "path = \"sites.xlsx\""),
    );
    std::fs::write(d.join("sites.xlsx"), "x").unwrap();
    fails(
        &d,
        &[],
        &["sites.xlsx: not a readable spreadsheet (.xlsx, .xls or .ods)"],
    );
}

#[test]
fn named_column_missing() {
    let d = with(
        "bad-col",
        "study.toml",
        &STUDY.replace(
            "profile = [\"old\"]",
            "population = \"residents\"\nprofile = [\"old\"]",
        ),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, field population (column \"residents\")",
            "no such column",
            "\"population\"",
        ],
    );
}

#[test]
fn default_column_missing() {
    let d = with(
        "bad-defcol",
        "zones.csv",
        &ZONES.replacen("id,name", "code,name", 1),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, field id",
            "no column \"id\" (the default)",
            "id = \"...\"",
        ],
    );
}

#[test]
fn non_numeric_population() {
    let d = with(
        "bad-pop",
        "zones.csv",
        &ZONES.replace("Z2,Zone two,2000", "Z2,Zone two,lots"),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, row 2, field population",
            "expected a population of zero or more",
            "\"lots\"",
        ],
    );
}

#[test]
fn negative_population() {
    let d = with(
        "bad-negpop",
        "zones.csv",
        &ZONES.replace("Z3,Zone three,500", "Z3,Zone three,-500"),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, row 3, field population",
            "expected a population of zero or more",
            "-500",
        ],
    );
}

#[test]
fn duplicate_zone_ids() {
    let d = with(
        "bad-dupzone",
        "zones.csv",
        &ZONES.replace("Z4,Zone four", "Z1,Zone four"),
    );
    fails(
        &d,
        &[],
        &[
            "zones.csv, row 4, field id",
            "duplicate zone id \"Z1\"",
            "row 1",
        ],
    );
}

#[test]
fn duplicate_site_ids_across_files() {
    let d = write_hand_study("bad-dupsite");
    std::fs::write(
        d.join("more.csv"),
        "id,name,agency,kind,x,y\nB,Another B,Police,police_station,401000,200000\n",
    )
    .unwrap();
    let study = STUDY.replace(
        "[[demand]]",
        "[[sites]]\npath = \"more.csv\"\ncrs = \"EPSG:27700\"\n\n[[demand]]",
    );
    std::fs::write(d.join("study.toml"), study).unwrap();
    fails(
        &d,
        &[],
        &[
            "more.csv, row 1, field id",
            "duplicate site id \"B\"",
            "sites.csv, row 2",
        ],
    );
}

#[test]
fn latitude_out_of_range() {
    let d = write_hand_study("bad-lat");
    std::fs::write(
        d.join("sites.csv"),
        "id,name,agency,kind,lon,lat\nA,Library A,County,library,-1.25,95.2\n",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.csv\"",
        ),
    )
    .unwrap();
    fails(
        &d,
        &[],
        &[
            "sites.csv, row 1, field lat",
            "expected a latitude in degrees (-90 to 90)",
            "95.2",
        ],
    );
}

#[test]
fn longitude_and_latitude_swapped() {
    let d = write_hand_study("bad-swap");
    std::fs::write(
        d.join("sites.csv"),
        "id,name,agency,kind,lon,lat\nA,Library A,County,library,51.75,-121.25\n",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.csv\"",
        ),
    )
    .unwrap();
    fails(&d, &[], &["sites.csv, row 1, field lat", "look swapped"]);
}

#[test]
fn projected_coordinates_without_crs() {
    let d = with(
        "bad-nocrs",
        "study.toml",
        &STUDY.replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.csv\"",
        ),
    );
    fails(
        &d,
        &[],
        &["sites.csv, field crs", "x/y coordinates need their CRS"],
    );
}

#[test]
fn empty_site_id() {
    let d = with(
        "bad-siteid",
        "sites.csv",
        &SITES.replace("\nC,Office C", "\n,Office C"),
    );
    fails(
        &d,
        &[],
        &[
            "sites.csv, row 3, field id",
            "expected a site id, found an empty cell",
        ],
    );
}

#[test]
fn bad_boolean() {
    let d = with(
        "bad-bool",
        "sites.csv",
        &SITES.replace("40000,true,false", "40000,maybe,false"),
    );
    fails(
        &d,
        &[],
        &[
            "sites.csv, row 3, field fixed",
            "expected true or false",
            "\"maybe\"",
        ],
    );
}

#[test]
fn filter_on_missing_column() {
    let d = with(
        "bad-filter",
        "study.toml",
        &STUDY.replace(
            "path = \"sites.csv\"",
            "path = \"sites.csv\"\nfilter = { status = \"open\" }",
        ),
    );
    fails(
        &d,
        &[],
        &[
            "sites.csv, field filter (column \"status\")",
            "no such column",
        ],
    );
}

#[test]
fn broken_geojson() {
    let d = write_hand_study("bad-json");
    std::fs::write(
        d.join("zones.geojson"),
        "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"zones.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"zones.geojson\"",
        ),
    )
    .unwrap();
    fails(&d, &[], &["zones.geojson, line 2", "not valid JSON"]);
}

#[test]
fn geojson_that_is_not_a_feature_collection() {
    let d = write_hand_study("bad-json2");
    std::fs::write(
        d.join("zones.geojson"),
        "{\"type\":\"Point\",\"coordinates\":[0,0]}",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"zones.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"zones.geojson\"",
        ),
    )
    .unwrap();
    fails(
        &d,
        &[],
        &["zones.geojson", "expected a GeoJSON FeatureCollection"],
    );
}

fn square(id: &str, x: f64) -> String {
    format!(
        "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\",\"population\":10}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{x},51.7],[{},51.7],[{},51.71],[{x},51.71],[{x},51.7]]]}}}}",
        x + 0.01,
        x + 0.01
    )
}

#[test]
fn geojson_feature_with_wrong_geometry_type() {
    let d = write_hand_study("bad-geom");
    let line = "{\"type\":\"Feature\",\"properties\":{\"id\":\"L\",\"population\":5},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[-2.0,51.7],[-1.9,51.7]]}}";
    std::fs::write(
        d.join("zones.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{},{line}]}}",
            square("Q", -2.0)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"zones.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"zones.geojson\"",
        ),
    )
    .unwrap();
    fails(
        &d,
        &[],
        &[
            "zones.geojson, feature 2, field geometry",
            "expected a Point, Polygon or MultiPolygon, found a LineString",
        ],
    );
}

#[test]
fn geojson_ring_not_closed() {
    let d = write_hand_study("bad-ring");
    let open = "{\"type\":\"Feature\",\"properties\":{\"id\":\"O\",\"population\":5},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-2.0,51.7],[-1.99,51.7],[-1.99,51.71],[-2.0,51.71]]]}}";
    std::fs::write(
        d.join("zones.geojson"),
        format!("{{\"type\":\"FeatureCollection\",\"features\":[{open}]}}"),
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"zones.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"zones.geojson\"",
        ),
    )
    .unwrap();
    fails(
        &d,
        &[],
        &[
            "zones.geojson, feature 1, field geometry",
            "must end where it starts",
        ],
    );
}

#[test]
fn unknown_category() {
    let d = write_hand_study("bad-cat");
    fails(
        &d,
        &["--strict"],
        &[
            "demand.csv, row 6, field category",
            "expected one of simple, registered, information, facilitated, advocacy",
            "\"urgent\"",
        ],
    );
}

#[test]
fn unknown_channel() {
    let d = with(
        "bad-chan",
        "demand.csv",
        &DEMAND.replace("council tax,simple,phone", "council tax,simple,pigeon"),
    );
    fails(
        &d,
        &["--strict"],
        &[
            "demand.csv, row 3, field channel",
            "expected one of face_to_face, phone, digital, post, email",
            "\"pigeon\"",
        ],
    );
}

#[test]
fn negative_count() {
    let d = with(
        "bad-negcount",
        "demand.csv",
        &DEMAND.replace("Z2,,4,,", "Z2,,-4,,"),
    );
    fails(
        &d,
        &["--strict"],
        &[
            "demand.csv, row 2, field count",
            "expected a count of zero or more",
            "-4",
        ],
    );
}

#[test]
fn non_numeric_count() {
    let d = with(
        "bad-count",
        "demand.csv",
        &DEMAND.replace("Z2,,4,,", "Z2,,four,,"),
    );
    fails(
        &d,
        &["--strict"],
        &[
            "demand.csv, row 2, field count",
            "expected a count of zero or more",
            "\"four\"",
        ],
    );
}

#[test]
fn unknown_zone_in_demand() {
    let d = write_hand_study("bad-demzone");
    fails(
        &d,
        &["--strict"],
        &["demand.csv, row 7, field zone", "no zone has the id \"Z9\""],
    );
}

#[test]
fn unknown_site_in_demand() {
    let d = with(
        "bad-demsite",
        "demand.csv",
        &DEMAND.replace("Z1,B,10", "Z1,Q,10"),
    );
    fails(
        &d,
        &["--strict"],
        &["demand.csv, row 1, field site", "no site has the id \"Q\""],
    );
}

#[test]
fn bad_date() {
    let d = with(
        "bad-date",
        "demand.csv",
        &DEMAND
            .replace(
                "service,category,channel,zone,site,count,x,y\n",
                "service,category,channel,zone,site,count,x,y,date\n",
            )
            .replace("Z2,,4,,\n", "Z2,,4,,,31/02/2024\n"),
    );
    fails(
        &d,
        &["--strict"],
        &[
            "demand.csv, row 2, field date",
            "expected a date such as 2024-03-31",
            "31/02/2024",
        ],
    );
}

#[test]
fn demand_without_location() {
    let d = with(
        "bad-noloc",
        "demand.csv",
        "service,category,channel,count\nlibrary services,information,digital,3\n",
    );
    fails(&d, &[], &["demand.csv, field location", "need a location"]);
}

#[test]
fn every_demand_row_bad_is_an_error_even_without_strict() {
    let d = with("bad-alldemand", "demand.csv", "service,category,channel,zone,count\nlibrary services,urgent,digital,Z1,3\nlibrary services,urgent,digital,Z2,3\n");
    fails(
        &d,
        &[],
        &[
            "demand.csv",
            "none of the 2 demand rows could be placed",
            "row 1 and 1 more row, field category",
        ],
    );
}

#[test]
fn missing_network_file() {
    let d = with(
        "bad-network",
        "study.toml",
        &STUDY.replace(
            "bands = [10, 20, 30]",
            "bands = [10, 20, 30]\nnetwork = \"area.osm.pbf\"",
        ),
    );
    fails(
        &d,
        &[],
        &[
            "study.toml, field travel.network",
            "area.osm.pbf: file not found",
        ],
    );
}

#[test]
fn demand_point_outside_every_zone_polygon_is_skipped_and_counted() {
    let d = write_hand_study("demand-outside");
    std::fs::write(
        d.join("zones.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{},{}]}}",
            square("P1", -2.0),
            square("P2", -1.99)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("sites.csv"),
        "id,name,agency,kind,services,lon,lat\nL,Library,County,library,books,-1.995,51.705\n",
    )
    .unwrap();
    std::fs::write(d.join("demand.csv"), "service,category,channel,count,lon,lat\nbooks,information,face_to_face,3,-1.985,51.705\nbooks,information,face_to_face,2,-1.5,51.9\n").unwrap();
    let study = "name = \"Polygons\"\n[zones]\npath = \"zones.geojson\"\n[[sites]]\npath = \"sites.csv\"\n[[demand]]\npath = \"demand.csv\"\n";
    std::fs::write(d.join("study.toml"), study).unwrap();
    let out = d.join("lenient");
    let o = frontdoor(
        &[
            "run",
            d.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("skipped, outside every zone: 1"),
        "{}",
        stdout(&o)
    );
    let z = by_id(read_csv(&out.join("zones.csv")));
    // The first point (-1.985, 51.705) lies in P2 (-1.99 to -1.98).
    assert_eq!(num(&z["P2"], "demand_total"), 3.0);
    assert_eq!(num(&z["P1"], "demand_total"), 0.0);
    fails(
        &d,
        &["--strict"],
        &["demand.csv, row 2, field location", "outside every zone"],
    );
}

#[test]
fn rows_are_numbered_as_in_the_file_after_a_filter() {
    let d = write_hand_study("bad-filtered-row");
    std::fs::write(
        d.join("sites.csv"),
        "id,name,agency,kind,status,lon,lat\nA,Library A,County,library,open,-1.25,51.75\nB,Library B,County,library,closed,-1.25,51.75\nC,Library C,County,library,open,-1.25,151.75\n",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.csv\"\nfilter = { status = \"open\" }",
        ),
    )
    .unwrap();
    // C is the file's third data row, the second row kept by the filter.
    fails(&d, &[], &["sites.csv, row 3, field lat", "151.75"]);
}

/// The hand study with its `[[access]]` measure replaced by `measure`.
fn with_access(name: &str, measure: &str) -> std::path::PathBuf {
    let study = STUDY.replace(
        "[[access]]\nmethod = \"2sfca\"\nmode = \"walk\"\nservice = \"library services\"\nmax_minutes = 20\n",
        measure,
    );
    assert_ne!(study, STUDY, "the hand study's measure was found");
    with(name, "study.toml", &study)
}

#[test]
fn access_measures_with_bad_settings_are_refused() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "[[access]]\nmethod = \"4sfca\"\n",
            &["access[0].method", "2sfca, e2sfca, 3sfca", "\"4sfca\""],
        ),
        (
            "[[access]]\nmethod = \"2sfca\"\nmax_minutes = 45\n",
            &[
                "access[0].max_minutes",
                "at most the largest travel band (30)",
            ],
        ),
        (
            "[[access]]\nmethod = \"2sfca\"\nsupply = \"capacity\"\n",
            &["access[0].supply", "site \"A\" has no capacity"],
        ),
        (
            "[[access]]\nmethod = \"2sfca\"\ndemand = \"young\"\n",
            &["access[0].demand", "profile column (old)", "\"young\""],
        ),
        (
            "[[access]]\nmethod = \"2sfca\"\nservice = \"swimming\"\n",
            &["access[0].service", "no site offers \"swimming\""],
        ),
        (
            "[[access]]\nmethod = \"gravity\"\ndecay = \"gravity\"\nalpha = -2\nmin_minutes = 0\n",
            &["access[0].min_minutes", "infinitely"],
        ),
        (
            "[[access]]\nmethod = \"e2sfca\"\ndecay = \"step\"\nsteps = [[20, 1.0], [10, 0.5]]\n",
            &["access[0].steps", "ascending minutes"],
        ),
    ];
    for (n, (measure, fragments)) in cases.iter().enumerate() {
        let d = with_access(&format!("bad-access-{n}"), measure);
        let mut all = vec!["study.toml"];
        all.extend_from_slice(fragments);
        fails(&d, &[], &all);
    }
    // Two measures with one name.
    let d = with_access(
        "bad-access-twice",
        "[[access]]\nmethod = \"2sfca\"\n[[access]]\nmethod = \"2sfca\"\n",
    );
    fails(&d, &[], &["two measures are named \"2sfca_walk\""]);
}

#[test]
fn semicolon_and_tab_separated_files_are_read_as_their_comma_twins() {
    // Spreadsheets in much of Europe save "CSV" with semicolons; some tools write tabs. The
    // same rows so separated give the same outputs as the comma files.
    let comma = write_hand_study("separators-comma");
    let other = with("separators-other", "zones.csv", &ZONES.replace(',', ";"));
    std::fs::write(other.join("sites.csv"), SITES.replace(',', "\t")).unwrap();
    let mut outs = Vec::new();
    for d in [&comma, &other] {
        let out = d.join("out");
        run_study(&d.join("study.toml"), &out);
        outs.push(out);
    }
    for f in ["zones.csv", "sites.csv"] {
        assert_eq!(
            std::fs::read(outs[0].join(f)).unwrap(),
            std::fs::read(outs[1].join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn eastings_given_as_lon_lat_get_the_grid_hint_once_for_many_rows() {
    // 300 sites whose lon/lat columns hold British National Grid eastings and northings (the
    // study names them lon and lat): one line names the first row, counts the other 299 and
    // says what to set.
    let d = write_hand_study("grid-as-lonlat");
    let mut sites = String::from("id,name,agency,kind,services,lon,lat\n");
    for i in 0..300 {
        sites.push_str(&format!(
            "S{i},Library {i},County,library,library services,{},{}\n",
            451_000 + i,
            206_000 + i
        ));
    }
    std::fs::write(d.join("sites.csv"), sites).unwrap();
    let study = STUDY.replacen(
        "[[sites]]\npath = \"sites.csv\"\ncrs = \"EPSG:27700\"",
        "[[sites]]\npath = \"sites.csv\"",
        1,
    );
    assert_ne!(study, STUDY, "the sites' CRS line was replaced");
    std::fs::write(d.join("study.toml"), study).unwrap();
    fails(
        &d,
        &[],
        &[
            "sites.csv, row 1 and 299 more rows, field lat",
            "found 206000",
            "British National Grid",
            "crs = \"EPSG:27700\"",
            "300 problems found",
        ],
    );
    let o = frontdoor(&["check", d.join("study.toml").to_str().unwrap()], &[]);
    let printed = stdout(&o) + &stderr(&o);
    let lines = printed.lines().filter(|l| l.contains("sites.csv")).count();
    assert_eq!(lines, 1, "{printed}");
}

#[test]
fn longitude_and_latitude_swapped_where_both_are_plausible() {
    // The hand study is near 2.0 W, 51.7 N (BNG 400000, 200000): a site at 51.695, -1.995 is
    // in range both ways, but as given lies off West Africa, where British National Grid
    // cannot place it; swapped, it can.
    let d = write_hand_study("bad-swap-plausible");
    std::fs::write(
        d.join("sites.csv"),
        "id,name,agency,kind,lon,lat\nA,Library A,County,library,-1.995,51.695\nB,Library B,County,library,51.695,-1.995\n",
    )
    .unwrap();
    std::fs::write(
        d.join("study.toml"),
        STUDY.replace(
            "path = \"sites.csv\"\ncrs = \"EPSG:27700\"",
            "path = \"sites.csv\"",
        ),
    )
    .unwrap();
    fails(
        &d,
        &[],
        &[
            "sites.csv, row 2, field lon: the point cannot be placed",
            "the longitude and latitude look swapped: swapped, the point can be placed",
        ],
    );
    // Worked in a UTM zone, which places any point: the study's area says it. A bus stop of
    // the demo swapped is 6,000 km from the zones; swapped back it lies among them.
    let study = crate::support::demo_copy("bad-swap-utm");
    let toml = study.join("study.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace(
            "demand_years = 1\n",
            "demand_years = 1\ncrs = \"EPSG:32630\"\n",
        ),
    )
    .unwrap();
    let stops = std::fs::read_to_string(study.join("bus_stops.csv")).unwrap();
    let stops = stops.replacen("-1.9940653,51.6837845", "51.6837845,-1.9940653", 1);
    std::fs::write(study.join("bus_stops.csv"), stops).unwrap();
    let o = frontdoor(&["check", toml.to_str().unwrap()], &[]);
    let said = crate::support::said(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("bus_stops.csv, row 1, field lon/lat: the longitude and latitude look swapped: as given (longitude 51.68378, latitude -1.99407)")
            && said.contains("swapped, it lies among them"),
        "{said}"
    );
}
