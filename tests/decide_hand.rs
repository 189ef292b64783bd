//! The decision layer on a study worked by hand: every recommendation, reason, proposal, digital
//! point, hot spot and new site below was derived on paper from the coordinates before the code
//! ran. Walking is 100 m a minute in a straight line, so 10/20/30 minutes are 1/2/3 km; the
//! catchment band is 10 minutes (`[decide] minutes = 10`), every other rule is its default
//! (overlap 90%, at most 500 losing, right first time at most 50%, digital at most 1,000
//! contacts, shares within 10 min walk, at most 3 guests, far beyond 10 min, hot spots at 1.5x).
//!
//! On a line (metres east of 400000, 200000): zones Z1 at 0 (1,000 people, 100 old), Z2 at 500
//! (1,000/100), Z3 at 5,000 (400/200), Z4 at 10,000 (600/60). Sites: libraries L1 at 0 (County,
//! £50,000, capacity 20,000, condition A) and L2 at 400 (County, £30,000, C); council office C1
//! at 300 (District, £40,000, capacity 5,000, B); police counter PF at 600 (Police, £25,000);
//! GP surgery G1 at 6,200 (NHS); candidate library K1 at 4,900; bus stop B1 at 10,100.
//!
//! Face-to-face contacts a year: L1 5,000 and L2 1,500 (information), C1 2,000 + 50 (simple),
//! PF 200 (simple), G1 3,000 (facilitated); plus 100 digital council-tax contacts from Z3.
//!
//! Worked:
//! - Within 1 km: Z1 and Z2 reach L1, L2, C1 and PF; Z3 only K1 (a candidate); Z4 only B1.
//!   G1 reaches Z3 within 2 and 3 km. Catchments (10 min): L1, L2, C1, PF 2,000 people, G1 none.
//! - Closing alone: L1 or L2 leaves nobody without a library (each covers for the other);
//!   C1 and PF leave all 2,000 (200 old) without council tax / the counter; G1 leaves 0 at 10 min
//!   and Z3's 400 (200 old) at 20 and 30 min.
//! - PF: 200 contacts ≤ 1,000, all once and done: closed to digital. L1 and L2 qualify by
//!   overlap; L2 goes first (£30,000 / 1,500 = £20 a contact against L1's £10), after which L1
//!   is the only library for 2,000 people, so it stays. C1 (2,000 losing) and G1 (100% right
//!   first time) stay.
//! - Shares among L1, C1, G1 (a GP surgery may host, never move). Hosts in order L1 (condition
//!   A), G1 (B, capacity 10,000), C1 (B, 5,000). L1 takes C1, of another agency 300 m = 3 min
//!   away (5,000 + 2,050 = 7,050 ≤ 20,000): proposal P1. G1 has nobody within 1 km. Council tax at L1 is 0 and 5 min from Z1 and Z2 (3 and 2
//!   before): nobody loses it within 10 min, so P1 is recommended; it saves C1's £40,000.
//! - Far zones (no front door within 10 min): Z3 (nearest front door PF at 4.4 km) and Z4.
//!   Study demand 11,850 contacts / 3,000 people = 3.95 a head; Z3 3,100 / 400 = 7.75 ≥ 1.5 x
//!   3.95, and 50% old ≥ 1.5 x 460/3,000: a hot spot. Z4: 50/600 a head and 10% old: not.
//! - Digital points: Z4's 50 once-and-done face-to-face contacts go to B1 (100 m): D1 for 1
//!   zone, 600 people. Z3's need is facilitated, not once and done: none.
//! - New sites: only K1 is within 10 min of Z3 (G1 is 1.2 km away): new site 1 for 400 people.
//! - The whole plan (close L2 and PF, C1 into L1, open K1): £30,000 + £25,000 + £40,000 −
//!   £20,000 = £75,000 a year; Z1 and Z2 (2,000) lose the police counter within 10 min; Z3 (400)
//!   gains a library; L2's 1,500 contacts go to L1 and C1's 2,050 to its host (3,550 re-routed),
//!   PF's 200 have nowhere to go.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::support::*;

const ZONES: &str = "id,name,population,old,x,y
Z1,Zone one,1000,100,400000,200000
Z2,Zone two,1000,100,400500,200000
Z3,Zone three,400,200,405000,200000
Z4,Zone four,600,60,410000,200000
";

const SITES: &str = "id,name,agency,kind,services,annual_cost,capacity,condition,candidate,x,y
L1,Library One,County,library,library services,50000,20000,A,false,400000,200000
L2,Library Two,County,library,library services,30000,10000,C,false,400400,200000
C1,Council Office,District,council_office,council tax,40000,5000,B,false,400300,200000
PF,Police Counter,Police,police_station,police front counter,25000,3000,C,false,400600,200000
G1,Village Surgery,NHS,gp_practice,gp appointments,100000,10000,B,false,406200,200000
K1,Library Link,County,library,library services,20000,5000,,true,404900,200000
B1,Far Stop,Highways,bus_stop,,,,,false,410100,200000
";

const DEMAND: &str = "service,category,channel,zone,site,count
library services,information,face_to_face,Z1,L1,5000
library services,information,face_to_face,Z2,L2,1500
council tax,simple,face_to_face,Z2,C1,2000
council tax,simple,face_to_face,Z4,C1,50
council tax,simple,digital,Z3,,100
police front counter,simple,face_to_face,Z1,PF,200
gp appointments,facilitated,face_to_face,Z3,G1,3000
";

const STUDY: &str = r#"name = "Decisions by hand"

[zones]
path = "zones.csv"
crs = "EPSG:27700"
profile = ["old"]
vulnerable = ["old"]

[[sites]]
path = "sites.csv"
crs = "EPSG:27700"

[[demand]]
path = "demand.csv"

[travel]
modes = ["walk"]
bands = [10, 20, 30]
walk = { speed_kmh = 6.0, circuity = 1.0 }

[decide]
minutes = 10
"#;

fn study(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    write_files(
        &dir,
        &[
            ("zones.csv", ZONES),
            ("sites.csv", SITES),
            ("demand.csv", DEMAND),
            ("study.toml", STUDY),
        ],
    );
    dir
}

fn run(dir: &Path, extra: &[&str]) -> (PathBuf, std::process::Output) {
    let out = dir.join("out");
    let study = dir.join("study.toml").display().to_string();
    let out_s = out.display().to_string();
    let mut args = vec!["run", study.as_str(), "--out", out_s.as_str()];
    args.extend(extra);
    let o = frontdoor(&args, &[]);
    (out, o)
}

fn reasons(row: &HashMap<String, String>) -> Vec<String> {
    row["reasons"].split("; ").map(str::to_string).collect()
}

#[test]
fn every_recommendation_and_reason_by_hand() {
    let dir = study("decide-hand");
    let (out, o) = run(&dir, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = by_id(read_csv(&out.join("sites.csv")));
    for (id, rec, role) in [
        ("L1", "share", "host"),
        ("L2", "close", ""),
        ("C1", "share", "guest"),
        ("PF", "close", ""),
        ("G1", "keep", ""),
        ("K1", "open", ""),
        ("B1", "not_assessed", ""),
    ] {
        assert_eq!(s[id]["recommendation"], rec, "{id}: {}", s[id]["reasons"]);
        assert_eq!(s[id]["role"], role, "{id}");
    }
    // Evidence: every building has contacts and a cost; the candidate and the stop have none.
    for (id, evidence) in [
        ("L1", "demand_and_cost"),
        ("L2", "demand_and_cost"),
        ("C1", "demand_and_cost"),
        ("PF", "demand_and_cost"),
        ("G1", "demand_and_cost"),
        ("K1", "reach_only"),
        ("B1", "reach_only"),
    ] {
        assert_eq!(s[id]["evidence"], evidence, "{id}");
    }
    // Scorecards.
    for (id, catchment, losing10, losing20) in [
        ("L1", 2000.0, 0.0, 0.0),
        ("L2", 2000.0, 0.0, 0.0),
        ("C1", 2000.0, 2000.0, 2000.0),
        ("PF", 2000.0, 2000.0, 2000.0),
        ("G1", 0.0, 0.0, 400.0),
    ] {
        close(num(&s[id], "catchment_population"), catchment, 0.0, id);
        close(
            num(&s[id], "close_alone_losing_10min_walk"),
            losing10,
            0.0,
            id,
        );
        close(
            num(&s[id], "close_alone_losing_20min_walk"),
            losing20,
            0.0,
            id,
        );
    }
    close(
        num(&s["G1"], "close_alone_old_losing_30min_walk"),
        200.0,
        0.0,
        "G1 old",
    );
    close(num(&s["L2"], "overlap_percent"), 100.0, 0.0, "L2 overlap");
    assert_eq!(s["L2"]["main_overlap_site"], "L1");
    close(num(&s["C1"], "overlap_percent"), 0.0, 0.0, "C1 overlap");
    assert_eq!(s["C1"]["main_overlap_site"], "");
    assert_eq!(s["G1"]["overlap_percent"], "");
    close(
        num(&s["L1"], "losing_with_closures"),
        2000.0,
        0.0,
        "L1 after L2",
    );
    close(
        num(&s["C1"], "cost_per_face_to_face"),
        19.51,
        0.0,
        "40000 / 2050",
    );
    close(num(&s["G1"], "right_first_time_percent"), 100.0, 0.0, "G1");

    assert_eq!(
        reasons(&s["L2"]),
        [
            "100% of the 2,000 people within 10 min walk have all its services at another open site as near, and 100% of them live as near Library One (L1), which offers one of its services",
            "0% of its 1,500 face-to-face contacts a year are facilitated or advocacy (right first time), and 100% are once and done and could move to digital or phone",
            "closing it alone leaves 0 people (0 old) without one of its services within 10 min walk",
            "saves £30,000 a year (£20 per face-to-face contact)",
            "evidence: demand_and_cost (contacts recorded at it, and its running cost)",
        ]
    );
    assert_eq!(
        reasons(&s["PF"]),
        [
            "its 200 face-to-face contacts a year are few (the rule closes at most 1,000) and 100% once and done: they can move to digital or phone",
            "closing it alone leaves 2,000 people (200 old) without one of its services within 10 min walk",
            "saves £25,000 a year (£125 per face-to-face contact)",
            "evidence: demand_and_cost (contacts recorded at it, and its running cost)",
        ]
    );
    assert_eq!(
        reasons(&s["L1"])[..5],
        [
            "host of share proposal P1: take in Council Office (C1, council office of District, 3 min walk)",
            "its capacity of 20,000 visits a year takes the 7,050 face-to-face contacts a year of the partners together",
            "condition A",
            "the move leaves 0 people (0 old) without one of the partners' services within 10 min walk (the rule allows 500)",
            "the partners save £40,000 a year in running costs of the buildings vacated",
        ]
    );
    assert!(reasons(&s["L1"]).contains(
        &"the hosts table (decide.hosts) lets a library host a council office".to_string()
    ));
    assert!(reasons(&s["C1"])[0]
        .starts_with("guest in share proposal P1: move into Library One (L1, library of County), 3 min walk away"));
    assert_eq!(
        reasons(&s["G1"]),
        [
            "a gp practice is never closed by the study's rules (never_close)",
            "100% of its 3,000 face-to-face contacts a year are facilitated or advocacy (right first time), and 0% are once and done and could move to digital or phone",
            "closing it alone leaves 0 people (0 old) without one of its services within 10 min walk",
            "nobody lives within 10 min walk, so its overlap with other sites cannot be judged at this band",
            "evidence: demand_and_cost (contacts recorded at it, and its running cost)",
        ]
    );
    assert_eq!(
        reasons(&s["K1"]),
        ["gap analysis proposal 1, new site: it would bring 400 people in 1 hot-spot zone within 10 min walk of a front door"]
    );
    assert_eq!(
        reasons(&s["B1"]),
        [
            "street furniture: not assessed for keep, share or close (it may host a digital point)",
            "could host digital point D1 for 1 zone, 600 people more than 10 min walk from any front door",
        ]
    );

    // The share proposal.
    let p = read_csv(&out.join("proposals.csv"));
    assert_eq!(p.len(), 1);
    let p = &p[0];
    assert_eq!(
        (
            p["proposal"].as_str(),
            p["host"].as_str(),
            p["guests"].as_str()
        ),
        ("P1", "L1", "C1")
    );
    assert_eq!(p["recommended"], "true");
    assert_eq!(p["agencies"], "County;District");
    assert_eq!(p["fit"], "fits");
    for (col, v) in [
        ("guest_walk_minutes", 3.0),
        ("face_to_face_after", 7050.0),
        ("catchment_before", 2000.0),
        ("catchment_after", 2000.0),
        ("losing", 0.0),
        ("annual_cost_saved", 40000.0),
    ] {
        close(num(p, col), v, 0.0, col);
    }
    assert_opens_in_ogrinfo(&out.join("proposals.geojson"));
    assert_opens_in_ogrinfo(&out.join("digital_points.geojson"));
    // Digital points, hot spots, new sites.
    let d = read_csv(&out.join("digital_points.csv"));
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0]["host"].as_str(), d[0]["zone_ids"].as_str()),
        ("B1", "Z4")
    );
    close(num(&d[0], "need"), 50.0, 0.0, "need");
    close(num(&d[0], "population"), 600.0, 0.0, "population");
    assert_eq!(d[0]["need_basis"], "once_and_done_face_to_face_a_year");
    let h = read_csv(&out.join("hot_spots.csv"));
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["zone"], "Z3");
    close(
        num(&h[0], "demand_per_head"),
        7.75,
        0.0,
        "Z3 demand per head",
    );
    assert_eq!(h[0]["reason"], "high demand per head; high share of old");
    assert_eq!(h[0]["covered_by_new_site"], "K1");
    let n = read_csv(&out.join("new_sites.csv"));
    assert_eq!(n.len(), 1);
    assert_eq!((n[0]["rank"].as_str(), n[0]["site"].as_str()), ("1", "K1"));
    assert_eq!(n[0]["proposal_type"], "open_candidate");
    close(num(&n[0], "population_covered"), 400.0, 0.0, "K1 covers");
    let z = by_id(read_csv(&out.join("zones.csv")));
    for (id, far, hot) in [
        ("Z1", "false", "false"),
        ("Z2", "false", "false"),
        ("Z3", "true", "true"),
        ("Z4", "true", "false"),
    ] {
        assert_eq!(z[id]["far_from_front_door"], far, "{id}");
        assert_eq!(z[id]["hot_spot"], hot, "{id}");
    }
    close(
        num(&z["Z2"], "front_door_minutes_walk"),
        1.0,
        1e-9,
        "Z2 to L2/PF",
    );
    assert_eq!(z["Z4"]["digital_point"], "D1");

    // The whole plan, by the scenario engine.
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("decide.json")).unwrap()).unwrap();
    let plan = &j["plan"];
    assert_eq!(plan["annual_cost_saved"], 75000.0);
    assert_eq!(plan["population_losing"], 2000.0);
    assert_eq!(plan["population_gaining"], 400.0);
    assert_eq!(plan["face_to_face_rerouted"], 3550.0);
    assert_eq!(plan["face_to_face_unplaced"], 200.0);
    assert_eq!(j["recommendations"]["close"], 2);
    assert_eq!(j["recommendations"]["not_assessed"], 1, "B1, the bus stop");
    assert_eq!(j["new_sites_solution"]["optimal"], true);
    let sc = read_csv(&out.join("scenarios.csv"));
    assert!(sc.iter().any(|r| r["scenario"] == "recommended"));

    // The report: written by run, rebuilt identically from the folder.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for needle in [
        "Decisions by hand",
        "P1: Library One hosting Council Office",
        "Library Link",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    std::fs::remove_file(out.join("report.html")).unwrap();
    let o = frontdoor(&["report", &out.display().to_string()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        html
    );
    // A folder that is not a run's is refused, naming what is missing, and gets no report.
    let o = frontdoor(&["report", &dir.display().to_string()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("run.json is missing"), "{}", stderr(&o));
    assert!(!dir.join("report.html").exists());
}

#[test]
fn explain_prints_the_full_reasoning_with_the_scenario_engine() {
    let dir = study("decide-explain");
    let (_, o) = run(&dir, &["--explain", "L2", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in [
        "Library Two (L2): library of County",
        "recommendation: close",
        "  - saves £30,000 a year (£20 per face-to-face contact)",
        "catchment: 2,000 people, 200 old",
        "most overlap with: Library One (L1), 100% of the catchment",
        "people losing a service if it closed alone (walk): 0 within 10 min, 0 within 20 min, 0 within 30 min",
        // The scenario engine: Z2's nearest library moves from L2 (1 min) to L1 (5 min); Z1
        // keeps L1 (0 min); Z3 and Z4 are nearer L2 by 4 min (46 → 50, 96 → 100). Mean over
        // 3,000 people: (1000·0 + 1000·1 + 400·46 + 600·96) / 3000 = 25.667 before,
        // (1000·0 + 1000·5 + 400·50 + 600·100) / 3000 = 28.333 after.
        "walk: people losing a service: 0 within 10 min, 0 within 20 min, 0 within 30 min; mean minutes to its services 25.7 → 28.3, largest rise 4.0",
        "face-to-face contacts a year re-routed to the next nearest site: 1,500; with nowhere to go: 0",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // An unknown site is refused before anything is written.
    let (out, o) = run(&dir, &["--explain", "l9"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--explain") && stderr(&o).contains("no site has the id \"l9\""));
    let _ = out;
    let (_, o) = run(&dir, &["--explain", "l2", "-q"]);
    assert!(
        stderr(&o).contains("did you mean \"L2\"?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_decide_rules_are_refused_by_field() {
    for (rules, field, expected) in [
        (
            "minutes = 15",
            "decide.minutes",
            "one of the study's bands (10, 20, 30), found 15",
        ),
        (
            "close_min_overlap = 1.5",
            "decide.close_min_overlap",
            "a share from 0 to 1",
        ),
        (
            "far_minutes = 45",
            "decide.far_minutes",
            "at most the largest band",
        ),
        (
            "mode = \"drive\"",
            "decide.mode",
            "not one of the study's travel modes",
        ),
        ("share_minutes = -1", "decide.share_minutes", "at least 0"),
        ("colour = \"red\"", "colour", "unknown field"),
    ] {
        let dir = study("decide-bad");
        let text = STUDY.replace("minutes = 10\n", &format!("{rules}\n"));
        std::fs::write(dir.join("study.toml"), text).unwrap();
        let (out, o) = run(&dir, &[]);
        assert_eq!(o.status.code(), Some(2), "{rules}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(field) && e.contains(expected), "{rules}: {e}");
        assert!(!out.exists(), "{rules}: output written");
    }
}

/// For every building assessed, the people the scorecard says would lose a service if it
/// closed alone (counted from provider counts) equal the scenario engine's count for a scenario
/// closing it, in every band, with each vulnerable group; likewise each share proposal's people
/// losing and saving: on the demo and, where ../shared is beside the project, on Oxfordshire.
#[test]
fn closing_alone_equals_the_scenario_engine() {
    use frontdoor::scenario::{evaluate, BaselineCache, Changes, Scenario};
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/study.toml");
    let mut studies = vec![demo];
    if shared().is_some() {
        studies.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/studies/oxfordshire.toml"));
    }
    for path in studies {
        let mut timings = frontdoor::Timings::default();
        let (m, rules) =
            frontdoor::measure(&path, &frontdoor::RunOptions::default(), &mut timings).unwrap();
        let d = frontdoor::decide::decide(&m, &rules.rules).unwrap();
        let cache = BaselineCache::default();
        let mut checked = 0;
        for (j, card) in d.cards.iter().enumerate() {
            if !card.assessed {
                continue;
            }
            let alone = Changes {
                close: vec![j],
                ..Changes::default()
            };
            let sc = Scenario::new(&m.study, "alone", d.rules.mode, alone).unwrap();
            let s = evaluate(&m, &cache, &sc).summary;
            for b in 0..m.study.bands.len() {
                assert_eq!(
                    card.losing_alone[b],
                    s.population_losing[d.rules.mode][b],
                    "{}: site {} band {b}",
                    path.display(),
                    m.study.sites[j].id
                );
                assert_eq!(
                    card.losing_alone_vulnerable[b],
                    s.vulnerable_losing[d.rules.mode][b]
                );
            }
            checked += 1;
        }
        assert!(checked >= 40, "{checked} sites checked");
        // Each share proposal, counted on provider counts, against the scenario engine.
        assert!(!d.proposals.is_empty());
        for p in &d.proposals {
            let share = Changes {
                shares: vec![(p.host, p.guests.clone())],
                ..Changes::default()
            };
            let sc = Scenario::new(&m.study, "share", d.rules.mode, share).unwrap();
            let s = evaluate(&m, &cache, &sc).summary;
            assert_eq!(
                p.losing, s.population_losing[d.rules.mode][d.rules.band],
                "{}",
                p.id
            );
            assert_eq!(
                p.losing_vulnerable,
                s.vulnerable_losing[d.rules.mode][d.rules.band]
            );
            assert_eq!(p.saving, s.annual_cost_saved, "{}", p.id);
        }
    }
}

/// report.html is self-contained: nothing in it can fetch anything (no src, external href,
/// url(), import or link; a Content-Security-Policy of default-src 'none'), and where Debian's
/// chromium is installed it opens headless with no console message but the probe's, its table
/// sorting by a column (the hand-worked face-to-face contacts: K1 0, PF 200, L2 1,500, C1 2,050,
/// G1 3,000, L1 5,000).
#[test]
fn report_is_self_contained_and_opens_in_headless_chromium() {
    let dir = study("decide-report");
    let (out, o) = run(&dir, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for bad in [
        " src=", "url(", "@import", "<link", "<iframe", "<img", "<object",
    ] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_ns.contains("http://") && !without_ns.contains("https://"),
        "report.html names a URL"
    );
    assert!(html.contains("default-src 'none'"));
    let probe = r#"<script>
var orders = [].slice.call(document.querySelectorAll('table.scorecard')).map(function (t) {
  var th = [].slice.call(t.querySelectorAll('th')).filter(function (h) { return h.textContent === 'face-to-face a year'; })[0];
  var ids = function () { return [].slice.call(t.tBodies[0].rows).map(function (r) { return r.querySelector('.id').textContent; }).join(' '); };
  th.click();
  var up = ids();
  th.click();
  return up + ' / ' + ids();
});
document.body.setAttribute('data-order', orders.join(' | '));
console.log('probe ran');
</script></body>"#;
    let page = dir.join("probe.html");
    std::fs::write(&page, html.replace("</body>", probe)).unwrap();
    let run = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output();
    let Ok(o) = run else {
        tool_missing("chromium", "chromium", "opening report.html");
        return;
    };
    let dom = String::from_utf8_lossy(&o.stdout);
    let order = dom
        .split("data-order=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("the probe wrote the order");
    // Each group of the scorecard sorted by the hand-worked face-to-face contacts: K1 0, PF 200,
    // L2 1,500, C1 2,050, G1 3,000, L1 5,000.
    let contacts = |id: &str| {
        ["K1", "PF", "L2", "C1", "G1", "L1"]
            .iter()
            .position(|k| *k == id)
    };
    let mut listed = 0;
    for group in order.split(" | ") {
        // Clicked once: ascending; twice: descending.
        let (up, down) = group.split_once(" / ").expect("both orders");
        let ids: Vec<&str> = up.split(' ').filter(|x| !x.is_empty()).collect();
        let mut sorted = ids.clone();
        sorted.sort_by_key(|id| contacts(id));
        assert_eq!(ids, sorted, "a group not sorted by contacts: {order}");
        sorted.reverse();
        let back: Vec<&str> = down.split(' ').filter(|x| !x.is_empty()).collect();
        assert_eq!(back, sorted, "a group not sorted back: {order}");
        listed += ids.iter().filter(|id| contacts(id).is_some()).count();
    }
    assert_eq!(
        listed, 6,
        "every hand-worked site is in the scorecard: {order}"
    );
    let log = String::from_utf8_lossy(&o.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert_eq!(console.len(), 1, "console: {console:?}");
    assert!(console[0].contains("probe ran"));
    assert!(
        !log.contains("Uncaught") && !log.contains("Refused"),
        "{log}"
    );
}
