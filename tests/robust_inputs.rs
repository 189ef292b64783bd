//! Caches that cannot hurt a run, numbers that stay finite, and honest warnings and errors for
//! the inputs a council actually has (a blank last line, a repeated header, a network of
//! somewhere else, a mistyped key).

use frontdoor::network::cache::{decode, seal, Unusable};
use frontdoor::Mode;

use crate::network::{at, write_study};
use crate::support::{demo_copy, frontdoor, run_with as run, said, stderr, temp_dir, write_files};

#[test]
fn a_damaged_cache_is_rebuilt_with_a_warning_and_changes_nothing() {
    let dir = temp_dir("cache-flipped");
    let study = write_study(&dir);
    let o = run(&study, &dir.join("first"), &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let walk = dir.join("net.osm.walk.fdgraph");
    let drive = dir.join("net.osm.drive.fdgraph");
    // One flipped bit among the travel times (the last links' seconds).
    let mut bytes = std::fs::read(&walk).unwrap();
    let i = bytes.len() - 40;
    bytes[i] ^= 0x10;
    std::fs::write(&walk, &bytes).unwrap();
    // A count field far beyond the file (once 137 GB were asked for): the node count, right
    // after magic, length, checksum and key.
    let mut bytes = std::fs::read(&drive).unwrap();
    let key_len = u32::from_le_bytes(bytes[48..52].try_into().unwrap()) as usize;
    let at_count = 52 + key_len;
    bytes[at_count..at_count + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    std::fs::write(&drive, &bytes).unwrap();
    let o = run(&study, &dir.join("second"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("net.osm.walk.fdgraph is damaged (its checksum does not match); rebuilding it"),
        "{e}"
    );
    assert!(e.contains("net.osm.drive.fdgraph is damaged"), "{e}");
    for f in ["zones.csv", "sites.csv", "matrix.parquet", "decide.json"] {
        assert_eq!(
            std::fs::read(dir.join("first").join(f)).unwrap(),
            std::fs::read(dir.join("second").join(f)).unwrap(),
            "{f} changed with a damaged cache"
        );
    }
    // Rebuilt: the third run reads both without a word.
    let o = run(&study, &dir.join("third"), &[]);
    assert!(!stderr(&o).contains("damaged"), "{}", stderr(&o));
}

#[test]
fn cache_counts_are_checked_before_anything_is_allocated() {
    // Well-sealed bodies (the checksum matches) whose counts lie: each is refused as damaged.
    let key = "k";
    let body = |n: u64, links: Option<u64>| {
        let mut b = Vec::new();
        b.extend_from_slice(&(key.len() as u32).to_le_bytes());
        b.extend_from_slice(key.as_bytes());
        b.extend_from_slice(&n.to_le_bytes());
        if let Some(m) = links {
            b.extend_from_slice(&m.to_le_bytes());
        }
        b
    };
    for b in [
        body(u64::MAX, None),
        body(1 << 40, None),
        body(0, Some(u64::MAX)),
        body(0, Some(3)),
    ] {
        assert_eq!(
            decode(&seal(&b), key, Mode::Walk).unwrap_err(),
            Unusable::Damaged("its contents are inconsistent")
        );
    }
    // An empty graph is whole; another key is stale, not damaged; cut short is damaged.
    let mut empty = body(0, Some(0));
    empty.extend_from_slice(&[0; 16]);
    assert!(decode(&seal(&empty), key, Mode::Walk).is_ok());
    assert_eq!(
        decode(&seal(&empty), "other", Mode::Walk).unwrap_err(),
        Unusable::Stale
    );
    let sealed = seal(&empty);
    assert!(matches!(
        decode(&sealed[..sealed.len() - 1], key, Mode::Walk),
        Err(Unusable::Damaged(_))
    ));
    assert_eq!(
        decode(b"FDGRAPH1 an older format", key, Mode::Walk).unwrap_err(),
        Unusable::Stale
    );
}

#[test]
fn caches_respect_read_only_folders_no_cache_and_cache_dir() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("cache-readonly");
    let study = write_study(&dir);
    let out = temp_dir("cache-readonly-out");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = run(&study, &out.join("a"), &["-q"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !dir.join("net.osm.walk.fdgraph").exists(),
        "a cache was written into a read-only folder (the tests run as root in CI)"
    );
    let o = run(&study, &out.join("b"), &["-q", "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !dir.join("net.osm.walk.fdgraph").exists(),
        "--no-cache wrote a cache"
    );
    let toml = std::fs::read_to_string(&study).unwrap();
    std::fs::write(&study, format!("{toml}cache_dir = \"graphs\"\n")).unwrap();
    let o = run(&study, &out.join("c"), &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("graphs/net.osm.walk.fdgraph").is_file());
    assert!(!dir.join("net.osm.walk.fdgraph").exists());
}

#[test]
fn a_network_of_somewhere_else_is_an_error_and_a_partial_one_a_warning() {
    let dir = temp_dir("network-cover");
    let study = write_study(&dir);
    // One zone 50 km away: warned, counted, the run goes on.
    let zones = std::fs::read_to_string(dir.join("zones.csv")).unwrap();
    let far = format!("Z4,50,{}\n", at(50_000.0, 0.0));
    std::fs::write(dir.join("zones.csv"), format!("{zones}{far}")).unwrap();
    let o = run(&study, &dir.join("out"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("2 of 4 zones and 4 of 4 sites are within 1000 m of the walk network"),
        "{e}"
    );
    let run_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/run.json")).unwrap()).unwrap();
    // Z3 lies by a piece of road cut off from the rest (dropped), Z4 50 km away.
    assert_eq!(
        run_json["parameters"]["network"]["modes"][0]["zones_not_joined"],
        2
    );
    let warnings = run_json["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("2 of 4 zones")),
        "{warnings:?}"
    );
    // Every zone and site 50 km away: the network does not cover the study.
    let shift = |file: &str| {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
            if i > 0 {
                let n = cells.len();
                let x: f64 = cells[n - 2].parse().unwrap();
                cells[n - 2] = (x + 50_000.0).to_string();
            }
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        std::fs::write(dir.join(file), out).unwrap();
    };
    shift("zones.csv");
    shift("sites.csv");
    let o = run(&study, &dir.join("out2"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("the network does not cover the study: only 0 of 4 zones"),
        "{e}"
    );
    assert!(
        e.contains("use an OpenStreetMap extract that covers the study area"),
        "{e}"
    );
    assert!(!dir.join("out2").exists());
}

#[test]
fn absurd_numbers_are_refused_with_their_row_and_field() {
    let d = demo_copy("absurd");
    let zones = std::fs::read_to_string(d.join("zones.geojson")).unwrap();
    let first_pop = zones.find("\"population\":").unwrap() + "\"population\":".len();
    let end = first_pop + zones[first_pop..].find([',', '}']).unwrap();
    let mut bad = zones.clone();
    bad.replace_range(first_pop..end, "1e308");
    std::fs::write(d.join("zones.geojson"), &bad).unwrap();
    let o = run(&d.join("study.toml"), &d.join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "zones.geojson, feature 1, field population: expected a population of zero or more, \
             at most 100,000,000; found 1e+308"
        ),
        "{}",
        stderr(&o)
    );
    std::fs::write(d.join("zones.geojson"), &zones).unwrap();
    // Two counts of 5e12: skipped and counted (refused with --strict), never a wrapped total.
    let demand = std::fs::read_to_string(d.join("demand.csv")).unwrap();
    let mut lines: Vec<String> = demand.lines().map(str::to_string).collect();
    let count_col = lines[0].split(',').position(|c| c == "count").unwrap();
    let original_total: f64 = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(count_col).unwrap().parse::<f64>().unwrap())
        .sum();
    let dropped: f64 = lines[1..3]
        .iter()
        .map(|l| l.split(',').nth(count_col).unwrap().parse::<f64>().unwrap())
        .sum();
    for l in lines.iter_mut().skip(1).take(2) {
        let mut c: Vec<&str> = l.split(',').collect();
        c[count_col] = "5e12";
        *l = c.join(",");
    }
    std::fs::write(d.join("demand.csv"), lines.join("\n") + "\n").unwrap();
    let o = run(&d.join("study.toml"), &d.join("out"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let decide: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/run.json")).unwrap()).unwrap();
    let total = decide["counts"]["demand_contacts"].as_f64().unwrap();
    assert_eq!(total, original_total - dropped, "{decide:#}");
    let o = run(&d.join("study.toml"), &d.join("out-strict"), &["--strict"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("row 1 and 1 more row, field count: expected a count of zero or more, at most 1,000,000,000; found 5e12"), "{}", stderr(&o));
    // Counts each within bounds whose sum exceeds what can be added exactly.
    let mut many = String::from("zone,service,category,channel,count\n");
    for _ in 0..9300 {
        many.push_str("E01,council tax,simple transaction,phone,1000000000\n");
    }
    write_files(
        &d,
        &[
            ("many.csv", &many),
            ("zones.csv", "id,population,lon,lat\nE01,100,-1.25,51.75\n"),
            ("sites.csv", "id,name,agency,kind,lon,lat\nS1,Hall,Council,office,-1.25,51.76\n"),
            (
                "many.toml",
                "name = \"Many\"\n[zones]\npath = \"zones.csv\"\n[[sites]]\npath = \"sites.csv\"\n[[demand]]\npath = \"many.csv\"\n",
            ),
        ],
    );
    let o = frontdoor(&["check", d.join("many.toml").to_str().unwrap()], &[]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        said(&o).contains("the demand counts add up to 9,300,000,000,000 contacts, more than"),
        "{}",
        said(&o)
    );
}

#[test]
fn a_blank_last_line_is_accepted_and_a_repeated_header_refused() {
    let d = demo_copy("csv-shapes");
    let sites = std::fs::read_to_string(d.join("sites.csv")).unwrap();
    std::fs::write(d.join("sites.csv"), format!("{sites}\n\r\n  \n")).unwrap();
    let o = frontdoor(&["check", d.join("study.toml").to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut lines: Vec<String> = sites.lines().map(str::to_string).collect();
    lines[0] = lines[0].replacen(",agency,", ",name,", 1);
    std::fs::write(d.join("sites.csv"), lines.join("\n")).unwrap();
    let o = frontdoor(&["check", d.join("study.toml").to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", said(&o));
    assert!(
        said(&o)
            .contains("sites.csv: the header names the column \"name\" twice (columns 2 and 3)"),
        "{}",
        said(&o)
    );
}

#[test]
fn toml_type_errors_name_the_key() {
    let d = demo_copy("toml-key");
    let toml = std::fs::read_to_string(d.join("study.toml")).unwrap();
    for (from, to, expected) in [
        (
            "bands = [10, 20, 30]",
            "bands = [10, \"20\", 30]",
            "key travel.bands[1]: invalid type: string \"20\", expected a whole number, 0 or more",
        ),
        (
            "suppress_below = 5",
            "suppress_below = \"five\"",
            "key privacy.suppress_below: invalid type: string \"five\"",
        ),
        (
            "max_minutes = 20",
            "max_minutes = true",
            "key access[0].max_minutes",
        ),
    ] {
        assert!(toml.contains(from), "{from}");
        std::fs::write(d.join("study.toml"), toml.replace(from, to)).unwrap();
        let o = frontdoor(&["check", d.join("study.toml").to_str().unwrap()], &[]);
        assert_ne!(o.status.code(), Some(0));
        let e = said(&o);
        assert!(e.contains("study.toml, line "), "{e}");
        assert!(e.contains(expected), "{expected}: {e}");
    }
}

#[test]
fn osm_files_with_bad_values_or_no_highways_are_named() {
    let dir = temp_dir("osm-bad");
    let study = write_study(&dir);
    let osm = std::fs::read_to_string(dir.join("net.osm")).unwrap();
    let start = osm.find("lat=\"").unwrap() + 5;
    let end = start + osm[start..].find('"').unwrap();
    let mut bad = osm.clone();
    bad.replace_range(start..end, "fifty-one");
    std::fs::write(dir.join("net.osm"), &bad).unwrap();
    let o = run(&study, &dir.join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("net.osm: not valid OSM XML near byte"), "{e}");
    assert!(
        e.contains("node 1: lat=\"fifty-one\" is not a number in degrees"),
        "{e}"
    );
    for (text, said) in [
        ("", "net.osm: no highways in the file"),
        (
            "<?xml version='1.0'?><osm version=\"0.6\"><node id=\"1\" lat=\"51\" lon=\"0\"/></osm>",
            "net.osm: no highways in the file",
        ),
    ] {
        std::fs::write(dir.join("net.osm"), text).unwrap();
        let o = run(&study, &dir.join("out"), &[]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(said), "{}", stderr(&o));
    }
    assert!(!dir.join("out").exists());
}
