//! Location-allocation against spopt's published San Francisco results
//! (../shared/peers/README.md, cases 1-3 and 6): 205 census tracts, 16 candidate stores,
//! network distances in metres, POP2000 weights.

use std::collections::HashMap;

use frontdoor::optimise::core::Limits;
use frontdoor::optimise::instance::{from_tables, TableColumns};
use frontdoor::optimise::{solve, Instance, Model, Options};

use crate::support::*;

fn sf() -> Option<Instance> {
    let dir = shared()?.join("peers/spopt-san-francisco");
    let cols = TableColumns {
        demand_id: "NAME".into(),
        costs_demand_id: "DestinationName".into(),
        site_id: "name".into(),
        cost: "distance".into(),
        weight: "POP2000".into(),
    };
    Some(
        from_tables(
            &dir.join("SF_network_distance_candidateStore_16_censusTract_205_new.csv"),
            &dir.join("SF_demand_205_centroid_uniform_weight.csv"),
            &cols,
        )
        .expect("the SF tables load"),
    )
}

fn options(p: Option<usize>, standard: Option<f64>) -> Options {
    Options {
        p,
        standard,
        limits: Limits::default(),
    }
}

fn names(inst: &Instance, chosen: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = chosen.iter().map(|&j| inst.site_ids[j].clone()).collect();
    v.sort();
    v
}

#[test]
fn san_francisco_p_median() {
    let Some(inst) = sf() else { return };
    assert_eq!((inst.demand_ids.len(), inst.site_ids.len()), (205, 16));
    let total: f64 = inst.weights.iter().sum();
    assert_eq!(total, 955_113.0);
    let s = solve(&inst, Model::PMedian, &options(Some(4), None)).unwrap();
    assert!(s.optimal, "proven optimal");
    assert_eq!(s.gap, 0.0);
    assert!(
        (s.objective - 2_848_268_129.714_5).abs() < 1e-4,
        "objective {}",
        s.objective
    );
    let mean = s.objective / total;
    assert!(
        ((mean - 2982.1268579890657) / mean).abs() < 1e-12,
        "mean {mean}"
    );
    assert_eq!(
        names(&inst, &s.chosen),
        ["Store_11", "Store_12", "Store_15", "Store_2"]
    );
    // p = 0 and p above the number of sites are infeasible.
    for p in [0, 17] {
        let e = solve(&inst, Model::PMedian, &options(Some(p), None)).unwrap_err();
        assert!(e.to_string().contains("infeasible"), "{e}");
    }
}

#[test]
fn san_francisco_mclp() {
    let Some(inst) = sf() else { return };
    let s = solve(&inst, Model::Mclp, &options(Some(4), Some(5000.0))).unwrap();
    assert!(s.optimal);
    assert_eq!(s.objective, 875_247.0);
    assert_eq!(
        names(&inst, &s.chosen),
        ["Store_11", "Store_12", "Store_15", "Store_2"]
    );
    let fig = |k: &str| s.figures.iter().find(|(n, _)| *n == k).unwrap().1.clone();
    assert_eq!(fig("uncovered_clients"), 21);
    let perc = fig("percent_clients_covered").as_f64().unwrap();
    // 89.75609756097561 in spopt's test: (1 - 21/205) x 100.
    assert!(
        (perc - (1.0 - 21.0 / 205.0) * 100.0).abs() < 1e-12,
        "{perc}"
    );
    let e = solve(&inst, Model::Mclp, &options(Some(1000), Some(5000.0))).unwrap_err();
    assert!(e.to_string().contains("infeasible"), "{e}");
}

#[test]
fn san_francisco_p_center_lscp_and_lscpb() {
    let Some(inst) = sf() else { return };
    let s = solve(&inst, Model::PCenter, &options(Some(4), None)).unwrap();
    assert!(s.optimal);
    assert!(
        (s.objective - 7_403.063810849859).abs() < 1e-9,
        "{}",
        s.objective
    );
    assert_eq!(
        names(&inst, &s.chosen),
        ["Store_11", "Store_13", "Store_15", "Store_7"]
    );
    let s = solve(&inst, Model::Lscp, &options(None, Some(5000.0))).unwrap();
    assert!(s.optimal);
    assert_eq!(s.objective, 8.0);
    assert_eq!(s.chosen.len(), 8);
    let s = solve(&inst, Model::LscpB, &options(None, Some(5000.0))).unwrap();
    assert!(s.optimal);
    let fig = |k: &str| s.figures.iter().find(|(n, _)| *n == k).unwrap().1.clone();
    // spopt's semantics (167) and the strict count of clients covered twice (145).
    assert_eq!(s.objective, 167.0);
    assert_eq!(fig("backup_clients_spopt"), 167);
    assert_eq!(fig("backup_clients_strict"), 145);
    assert_eq!(fig("clients_with_fewer_than_two_candidates"), 22);
    let perc = fig("backup_percent_spopt").as_f64().unwrap();
    // 81.46341463414633 in spopt's test: 167/205 x 100.
    assert!((perc - 167.0 / 205.0 * 100.0).abs() < 1e-12, "{perc}");
}

#[test]
fn capacitated_k_nearest_toy() {
    // spopt test_knearest_p_median::test_solve: two clients, three sites of capacity 1, p = 2.
    let d = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1);
    let clients = [(0.5, 1.0), (1.5, 1.0)];
    let sites = [(1.0, 1.0), (0.0, 2.0), (2.0, 0.0)];
    let mut inst = Instance {
        demand_ids: vec!["0".into(), "1".into()],
        weights: vec![1.0, 1.0],
        site_ids: vec!["0".into(), "1".into(), "2".into()],
        costs: clients
            .iter()
            .map(|&c| {
                sites
                    .iter()
                    .enumerate()
                    .map(|(j, &s)| (j as u32, d(c, s)))
                    .collect()
            })
            .collect(),
        fixed: vec![false; 3],
        forbidden: vec![false; 3],
        capacity: Some(vec![1.0; 3]),
        study_sites: vec![],
        study_zones: vec![],
        left_out: vec![],
    };
    inst.sort();
    let s = solve(&inst, Model::CapacitatedPMedian, &options(Some(2), None)).unwrap();
    assert_eq!(s.assignment, vec![Some(1), Some(0)]);
    let mean = s.objective / 2.0;
    assert!((mean - 0.8090169943749475).abs() < 1e-15, "{mean}");
    assert_eq!(s.loads, vec![1.0, 1.0, 0.0]);
}

#[test]
fn san_francisco_capacitated_p_median_equals_spopt_and_cbc() {
    // spopt + CBC's optima (tests/independent/sf_capacitated.py) with every store given the
    // same binding capacity: beyond enumeration (205 tracts), so the knapsack branch-and-bound
    // must find and prove them.
    let Some(mut inst) = sf() else { return };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/independent/sf_capacitated_expected.json");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let total: f64 = inst.weights.iter().sum();
    assert_eq!(total, expected["total_weight"].as_f64().unwrap());
    // p = 6 (about 1,500 nodes, 4 s in a release build) is left to release runs: the
    // unoptimised test build would take minutes.
    let cases = expected["cases"].as_array().unwrap();
    for case in cases.iter().filter(|c| c["p"].as_u64() <= Some(5)) {
        let p = case["p"].as_u64().unwrap() as usize;
        let capacity = case["capacity"].as_f64().unwrap();
        inst.capacity = Some(vec![capacity; inst.site_ids.len()]);
        let s = solve(&inst, Model::CapacitatedPMedian, &options(Some(p), None)).unwrap();
        let cbc = case["objective"].as_f64().unwrap();
        assert!(s.optimal, "p = {p}: proven optimal ({})", s.method);
        assert!(
            ((s.objective - cbc) / cbc).abs() < 1e-9,
            "p = {p}: {} against CBC's {cbc}",
            s.objective
        );
        let want: Vec<String> = (case["chosen"].as_array().unwrap().iter())
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let mut want = want;
        want.sort();
        assert_eq!(names(&inst, &s.chosen), want, "p = {p}");
        for (j, load) in s.loads.iter().enumerate() {
            assert!(
                *load <= capacity * (1.0 + 1e-12),
                "store {j}: {load} > {capacity}"
            );
        }
        assert!(s.assignment.iter().all(Option::is_some));
    }
}

#[test]
fn optimise_command_runs_on_a_users_cost_table() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("peers/spopt-san-francisco");
    let out = temp_dir("optimise-tables").join("out");
    let args = |model: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "optimise",
            "--costs",
            dir.join("SF_network_distance_candidateStore_16_censusTract_205_new.csv")
                .to_str()
                .unwrap(),
            "--demand",
            dir.join("SF_demand_205_centroid_uniform_weight.csv")
                .to_str()
                .unwrap(),
            "--demand-id",
            "NAME",
            "--costs-demand-id",
            "DestinationName",
            "--site-id",
            "name",
            "--cost-column",
            "distance",
            "--weight-column",
            "POP2000",
            "--model",
            model,
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let a = args("pmedian", &["--p", "4"]);
    let o = frontdoor(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(optimal)"), "{}", stdout(&o));
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("optimise-pmedian.json")).unwrap()).unwrap();
    assert_eq!(j["model"], "pmedian");
    assert_eq!(j["optimal"], true);
    assert_eq!(j["gap"], 0.0);
    assert_eq!(j["bound"], j["objective"]);
    assert_eq!(
        j["sites"],
        serde_json::json!(["Store_11", "Store_12", "Store_15", "Store_2"])
    );
    assert!(j["seconds"].as_f64().unwrap() >= 0.0);
    let rows = read_csv(&out.join("optimise-pmedian.csv"));
    assert_eq!(rows.len(), 16 + 205);
    // The same answer, byte for byte, on one thread and on two (MCLP and p-center too).
    for (model, extra) in [("mclp", ["--standard", "5000"]), ("pcenter", ["--p", "4"])] {
        let mut outputs = Vec::new();
        for threads in ["1", "2"] {
            let d = temp_dir(&format!("optimise-threads-{model}-{threads}")).join("out");
            let mut a = args(model, &extra);
            if model == "mclp" {
                a.extend(["--p".to_string(), "4".to_string()]);
            }
            let k = a.iter().position(|s| s == "--out").unwrap();
            a[k + 1] = d.to_str().unwrap().into();
            let o = frontdoor(
                &a.iter().map(String::as_str).collect::<Vec<_>>(),
                &[("RAYON_NUM_THREADS", threads)],
            );
            assert!(o.status.success(), "{}", stderr(&o));
            let mut j: serde_json::Value = serde_json::from_slice(
                &std::fs::read(d.join(format!("optimise-{model}.json"))).unwrap(),
            )
            .unwrap();
            j.as_object_mut().unwrap().remove("seconds");
            let csv = std::fs::read(d.join(format!("optimise-{model}.csv"))).unwrap();
            outputs.push((j, csv));
        }
        assert_eq!(
            outputs[0], outputs[1],
            "{model} differs between 1 and 2 threads"
        );
    }
    // p = 0 is refused as infeasible, with exit code 2 and nothing written.
    let bad = temp_dir("optimise-tables-bad").join("out");
    let mut a = args("pmedian", &["--p", "0"]);
    let k = a.iter().position(|s| s == "--out").unwrap();
    a[k + 1] = bad.to_str().unwrap().into();
    let o = frontdoor(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("infeasible: p = 0"), "{}", stderr(&o));
    assert!(!bad.exists());
}

#[test]
fn bad_cost_tables_are_refused_with_the_file_row_and_field() {
    let d = temp_dir("optimise-bad-tables");
    std::fs::write(d.join("demand.csv"), "demand_id,weight\nA,10\nB,x\n").unwrap();
    std::fs::write(
        d.join("costs.csv"),
        "demand_id,site_id,cost\nA,s1,5\nC,s1,4\nA,s2,-1\n",
    )
    .unwrap();
    // Runs the optimiser on the two tables with extra options; it must refuse (exit 2).
    let refused = |extra: &[&str]| -> String {
        let (costs, demand, out) = (d.join("costs.csv"), d.join("demand.csv"), d.join("out"));
        let mut args = vec![
            "optimise",
            "--costs",
            costs.to_str().unwrap(),
            "--demand",
            demand.to_str().unwrap(),
            "--model",
            "pmedian",
            "--p",
            "1",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = frontdoor(&args, &[]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{e}");
        e
    };
    let e = refused(&[]);
    for want in [
        "demand.csv, row 2, field weight",
        "expected a weight of zero or more, found \"x\"",
        "costs.csv, row 2, field demand_id",
        "\"C\" is not a demand id",
        "costs.csv, row 3, field cost",
        "expected a cost of zero or more, found \"-1\"",
    ] {
        assert!(e.contains(want), "missing {want:?} in {e}");
    }
    // A missing column names the columns there are and the option to choose another.
    let e = refused(&["--cost-column", "minutes"]);
    assert!(
        e.contains("no column \"minutes\"") && e.contains("--cost-column"),
        "{e}"
    );
    assert!(!d.join("out").exists());
}

#[test]
fn capacitated_mclp_on_the_demo_keeps_capacities_and_the_standard() {
    // Libraries of the demo with a tenth of their capacity, so that capacities bind; the
    // checks come from the files: sites.csv's capacities, the costs and weights written.
    let study = demo_copy("cmclp");
    let sites = study.join("sites.csv");
    let text = std::fs::read_to_string(&sites).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let cap_col = header.split(',').position(|c| c == "capacity").unwrap();
    let mut capacity: HashMap<String, f64> = HashMap::new();
    let mut out_text = format!("{header}\n");
    for line in lines {
        // Services are ';'-separated, so a plain split on ',' keeps the columns.
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        let c: f64 = cells[cap_col].parse().unwrap();
        let reduced = (c / 10.0).round();
        cells[cap_col] = reduced.to_string();
        capacity.insert(cells[0].clone(), reduced);
        out_text.push_str(&cells.join(","));
        out_text.push('\n');
    }
    std::fs::write(&sites, out_text).unwrap();
    let out = temp_dir("cmclp-out");
    let run = |model: &str| {
        let dir = out.join(model);
        let o = frontdoor(
            &[
                "optimise",
                study.join("study.toml").to_str().unwrap(),
                "--model",
                model,
                "--p",
                "3",
                "--standard",
                "20",
                "--kind",
                "library",
                "--weight",
                "face_to_face",
                "--out",
                dir.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("optimise-{model}.json"))).unwrap(),
        )
        .unwrap();
        (read_csv(&dir.join(format!("optimise-{model}.csv"))), json)
    };
    let (rows, json) = run("cmclp");
    let (_, plain) = run("mclp");
    let mut load: HashMap<String, f64> = HashMap::new();
    let mut served = 0.0;
    for r in rows.iter().filter(|r| r["record"] == "zone") {
        if r["assigned_site"].is_empty() {
            continue;
        }
        assert!(
            num(r, "cost") <= 20.0,
            "zone {} served beyond the standard",
            r["id"]
        );
        *load.entry(r["assigned_site"].clone()).or_default() += num(r, "weight");
        served += num(r, "weight");
    }
    let chosen: Vec<&String> = rows
        .iter()
        .filter(|r| r["record"] == "site" && r["chosen"] == "true")
        .map(|r| &r["id"])
        .collect();
    assert_eq!(chosen.len(), 3);
    for (site, l) in &load {
        assert!(chosen.contains(&site), "{site} serves but is not chosen");
        assert!(
            *l <= capacity[site] + 1e-6,
            "{site}: load {l} over {}",
            capacity[site]
        );
    }
    close(
        json["objective"].as_f64().unwrap(),
        served,
        1e-9,
        "covered weight",
    );
    // Capacities can only lose coverage, and here they bind.
    let uncapacitated = plain["objective"].as_f64().unwrap();
    assert!(
        served < uncapacitated,
        "{served} vs the uncapacitated {uncapacitated}"
    );
    assert!(json["bound"].as_f64().unwrap() <= uncapacitated + 1e-6);
}
