//! Huff's choice model for records that do not say where they were served, worked by hand.
//!
//! Walking 100 m a minute in a straight line; bands 10 and 20 min (2 km). On a line: zones Z1
//! at 250 m, Z2 at 500 m and Z3 at 900 m; libraries S1 at 0 (capacity 100) and S2 at 1,000 m
//! (capacity 300), and S3 at 5,000 m, beyond 2 km of every zone. Each zone sends 100
//! zone-coded contacts (no site); S3 records 80 contacts from Z2.
//!
//! Huff, beta = 2, attractiveness the capacity, minutes at least 1:
//! - Z1: 100/2.5² = 16 against 300/7.5² = 5.333: 0.75 to S1, 0.25 to S2;
//! - Z2: 100/25 = 4 against 300/25 = 12: 0.25 and 0.75;
//! - Z3: 100/81 = 1.2346 against 300/1: 1.2346/301.2346 = 0.0040984 and 0.9959016.
//!
//! So S1 takes 75 + 25 + 0.40984 = 100.40984 and S2 199.59016; S3 keeps its 80 (380 in all).
//! Nearest instead: Z1 and Z2 (a tie, the first site) to S1, Z3 to S2: 200 and 100.
//! Closing S3 spreads its 80 from Z2 by Z2's shares: 20 to S1 and 60 to S2.

use crate::support::*;

const ZONES: &str = "id,name,population,x,y
Z1,One,1000,400250,200000
Z2,Two,1000,400500,200000
Z3,Three,1000,400900,200000
";

const SITES: &str = "id,name,agency,kind,services,capacity,x,y
S1,Library One,County,library,books,100,400000,200000
S2,Library Two,County,library,books,300,401000,200000
S3,Library Far,County,library,books,50,405000,200000
";

const DEMAND: &str = "service,category,channel,zone,site,count
books,information,face_to_face,Z1,,100
books,information,face_to_face,Z2,,100
books,information,face_to_face,Z3,,100
books,information,face_to_face,Z2,S3,80
";

fn study(assignment: &str) -> std::path::PathBuf {
    let dir = temp_dir("assignment");
    let toml = format!(
        r#"name = "Huff by hand"
{assignment}
[zones]
path = "zones.csv"
crs = "EPSG:27700"

[[sites]]
path = "sites.csv"
crs = "EPSG:27700"

[[demand]]
path = "demand.csv"

[travel]
modes = ["walk"]
bands = [10, 20]
walk = {{ speed_kmh = 6.0, circuity = 1.0 }}
"#
    );
    write_files(
        &dir,
        &[
            ("zones.csv", ZONES),
            ("sites.csv", SITES),
            ("demand.csv", DEMAND),
            ("study.toml", &toml),
            ("close-s3.toml", "close = [\"S3\"]\n"),
        ],
    );
    dir
}

fn face_to_face(dir: &std::path::Path) -> std::collections::HashMap<String, f64> {
    let out = dir.join("out");
    let o = frontdoor(
        &[
            "scenario",
            dir.join("study.toml").to_str().unwrap(),
            dir.join("close-s3.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sites = by_id(read_csv(&out.join("scenario-close-s3-sites.csv")));
    let mut v = std::collections::HashMap::new();
    for id in ["S1", "S2", "S3"] {
        v.insert(
            format!("{id} before"),
            num(&sites[id], "face_to_face_before"),
        );
        v.insert(format!("{id} after"), num(&sites[id], "face_to_face_after"));
    }
    v
}

/// Face-to-face contacts attributed to each site by the loader, unrounded.
fn attributed(dir: &std::path::Path) -> Vec<f64> {
    let study =
        frontdoor::load_study(&dir.join("study.toml"), &frontdoor::LoadOptions::default()).unwrap();
    let f2f = frontdoor::model::Channel::FaceToFace.index();
    study
        .demand
        .by_site
        .iter()
        .map(|site| site.iter().map(|c| c[f2f]).sum())
        .collect()
}

#[test]
fn huff_spreads_unplaced_demand_by_attractiveness_and_distance() {
    let dir = study("assignment = { model = \"huff\", beta = 2, attractiveness = \"capacity\" }");
    let a = attributed(&dir);
    let p3 = (100.0 / 81.0) / (100.0 / 81.0 + 300.0);
    close(a[0], 75.0 + 25.0 + 100.0 * p3, 1e-6, "S1");
    close(a[1], 25.0 + 75.0 + 100.0 * (1.0 - p3), 1e-6, "S2");
    close(a[2], 80.0, 0.0, "S3 keeps what it recorded");
    // Conservation: every contact is given exactly once.
    close(a.iter().sum::<f64>(), 380.0, 1e-9, "all contacts");
    // Closing S3 re-routes its 80 from Z2 by Z2's shares (outputs to two decimals).
    let f = face_to_face(&dir);
    close(f["S1 before"], 100.41, 0.0, "S1 as published");
    close(f["S1 after"], 120.41, 0.0, "S1 takes 20 of S3's 80");
    close(f["S2 after"], 259.59, 0.0, "S2 takes 60");
    close(f["S1 after"] + f["S2 after"], 380.0, 1e-9, "nothing lost");
}

#[test]
fn nearest_is_the_default() {
    let f = face_to_face(&study(""));
    close(f["S1 before"], 200.0, 0.0, "Z1 and Z2 (a tie) to S1");
    close(f["S2 before"], 100.0, 0.0, "Z3 to S2");
    close(
        f["S1 after"],
        280.0,
        0.0,
        "S3's 80 from Z2 to its nearest, S1",
    );
}

#[test]
fn bad_assignments_are_refused_by_field() {
    for (text, field) in [
        ("assignment = \"gravity\"", "assignment"),
        (
            "assignment = { model = \"huff\", beta = -1 }",
            "assignment.beta",
        ),
        (
            "assignment = { model = \"huff\", attractiveness = \"size\" }",
            "assignment.attractiveness",
        ),
    ] {
        let dir = study(text);
        let o = frontdoor(&["check", dir.join("study.toml").to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(1), "{text}");
        assert!(
            stdout(&o).contains(&format!("field {field}")),
            "{text}: {}",
            stdout(&o)
        );
    }
}
