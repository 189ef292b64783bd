//! Location-allocation on random instances built like the peer timings in
//! ../shared/peers/README.md: demand and sites uniform in a 10 km square (seed 42), Euclidean
//! metres, integer weights 1..99; MCLP radius 1,500 m. Each instance is written to
//! target/bench-optimise/<name>/ (costs.csv, demand.csv) so that
//! `python3 benches/peers/optimise_peers.py` can solve the same instance with spopt and CBC.
//!
//! Instances are named `<model>_<n>x<m>_p<p>_s<seed>`; capacitated p-median ones (`cpmedian_...`) give
//! every site the capacity 1.1 x total weight / p, so capacities bind (sites.csv has them);
//! capacitated MCLP ones (`cmclp_...`, no spopt peer) 7% of the total weight.
//!
//! Run: cargo bench --bench optimise   (FRONTDOOR_BENCH_COUNTY=1 adds 4,000 x 1,000;
//! FRONTDOOR_BENCH_ONCE=1 solves each instance once, for the table, without criterion;
//! FRONTDOOR_BENCH_ONLY=text keeps the instances whose name contains it)

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::optimise::core::Limits;
use frontdoor::optimise::{solve, Instance, Model, Options};
use frontdoor::rng::Rng;

fn instance(name: &str, n: usize, m: usize, seed: u64, write: bool) -> Instance {
    let mut rng = Rng::new(seed);
    let mut pt = || (rng.range(0.0, 10_000.0), rng.range(0.0, 10_000.0));
    let demand: Vec<(f64, f64)> = (0..n).map(|_| pt()).collect();
    let sites: Vec<(f64, f64)> = (0..m).map(|_| pt()).collect();
    let weights: Vec<f64> = (0..n).map(|_| 1.0 + rng.below(99) as f64).collect();
    let p: usize = name
        .split("_p")
        .nth(1)
        .and_then(|t| t.split('_').next())
        .and_then(|t| t.parse().ok())
        .expect("a name with _p<p>");
    // Capacities that bind: for cpmedian 1.1 x total / p; for cmclp 7% of the total, about
    // the weight a site's 1,500 m circle holds in the 10 km square (binding at p = 5 and 10;
    // at p = 20 the MCLP optimum already fits).
    let total = weights.iter().sum::<f64>();
    let capacity = match name.split('_').next() {
        Some("cpmedian") => Some(vec![(1.1 * total / p as f64).round(); m]),
        Some("cmclp") => Some(vec![(0.07 * total).round(); m]),
        _ => None,
    };
    let costs: Vec<Vec<(u32, f64)>> = demand
        .iter()
        .map(|d| {
            sites
                .iter()
                .enumerate()
                .map(|(j, s)| (j as u32, (d.0 - s.0).hypot(d.1 - s.1)))
                .collect()
        })
        .collect();
    if write {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-optimise")
            .join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let mut t = String::from("demand_id,weight,x,y\n");
        for (i, (w, d)) in weights.iter().zip(&demand).enumerate() {
            let _ = writeln!(t, "d{i},{w},{},{}", d.0, d.1);
        }
        std::fs::write(dir.join("demand.csv"), t).unwrap();
        let mut t = String::from("site_id,x,y,capacity\n");
        for (j, s) in sites.iter().enumerate() {
            let c = capacity
                .as_ref()
                .map(|c| c[j].to_string())
                .unwrap_or_default();
            let _ = writeln!(t, "s{j},{},{},{c}", s.0, s.1);
        }
        std::fs::write(dir.join("sites.csv"), t).unwrap();
    }
    let mut inst = Instance {
        demand_ids: (0..n).map(|i| format!("d{i}")).collect(),
        weights,
        site_ids: (0..m).map(|j| format!("s{j}")).collect(),
        costs,
        fixed: vec![false; m],
        forbidden: vec![false; m],
        capacity,
        study_sites: vec![],
        study_zones: vec![],
        left_out: vec![],
    };
    inst.sort();
    inst
}

fn options(p: usize, standard: Option<f64>, seconds: f64) -> Options {
    Options {
        p: Some(p),
        standard,
        limits: Limits { seconds, gap: 0.0 },
    }
}

/// One timed solve, reported (the instance, objective, bound, gap, nodes, seconds).
fn once(label: &str, inst: &Instance, model: Model, o: &Options) {
    let t = Instant::now();
    let s = solve(inst, model, o).expect("solves");
    eprintln!(
        "{label}: objective {:.6e} bound {:.6e} gap {:.2e} optimal {} nodes {} in {:.3} s",
        s.objective,
        s.bound,
        s.gap,
        s.optimal,
        s.nodes,
        t.elapsed().as_secs_f64()
    );
}

/// The instances: (name, model, standard, time limit in seconds).
fn cases(county: bool) -> Vec<(String, Model, Option<f64>, f64)> {
    let mut cases = Vec::new();
    let mut add = |model: Model, n: usize, m: usize, p: usize, seed: u64, limit: f64| {
        let (prefix, standard) = match model {
            Model::Mclp => ("mclp", Some(1_500.0)),
            Model::CapacitatedPMedian => ("cpmedian", None),
            Model::CapacitatedMclp => ("cmclp", Some(1_500.0)),
            _ => ("pmedian", None),
        };
        cases.push((
            format!("{prefix}_{n}x{m}_p{p}_s{seed}"),
            model,
            standard,
            limit,
        ));
    };
    for seed in [42, 43, 44] {
        add(Model::Mclp, 1000, 100, 10, seed, 60.0);
        add(Model::Mclp, 2000, 200, 20, seed, 60.0);
    }
    add(Model::PMedian, 1000, 100, 10, 42, 60.0);
    add(Model::PMedian, 2000, 200, 20, 42, 60.0);
    for seed in [42, 43, 44] {
        add(Model::CapacitatedPMedian, 500, 50, 5, seed, 60.0);
    }
    add(Model::CapacitatedPMedian, 1000, 100, 10, 42, 60.0);
    add(Model::CapacitatedPMedian, 2000, 200, 20, 42, 60.0);
    add(Model::CapacitatedMclp, 500, 50, 5, 42, 60.0);
    add(Model::CapacitatedMclp, 1000, 100, 10, 42, 60.0);
    add(Model::CapacitatedMclp, 2000, 200, 20, 42, 60.0);
    if county {
        add(Model::PMedian, 4000, 1000, 40, 42, 60.0);
        add(Model::Mclp, 4000, 1000, 40, 42, 60.0);
    }
    cases
}

/// The n and m of a name `<model>_<n>x<m>_...`.
fn size(name: &str) -> (usize, usize) {
    let t = name.split('_').nth(1).expect("a size");
    let (n, m) = t.split_once('x').expect("n x m");
    (n.parse().unwrap(), m.parse().unwrap())
}

fn bench(c: &mut Criterion) {
    let only = std::env::var("FRONTDOOR_BENCH_ONLY").unwrap_or_default();
    let once_only = std::env::var_os("FRONTDOOR_BENCH_ONCE").is_some();
    let county = std::env::var_os("FRONTDOOR_BENCH_COUNTY").is_some();
    let mut group = c.benchmark_group("optimise");
    group.sample_size(10);
    for (name, model, standard, seconds) in cases(county) {
        if !name.contains(&only) {
            continue;
        }
        let (n, m) = size(&name);
        let seed: u64 = name.rsplit("_s").next().unwrap().parse().unwrap();
        let p: usize = name
            .split("_p")
            .nth(1)
            .unwrap()
            .split('_')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let inst = instance(&name, n, m, seed, true);
        let o = options(p, standard, seconds);
        once(&name, &inst, model, &o);
        // Criterion samples only what finishes well within its limit.
        let long = name.contains("4000x1000") || name.starts_with("cpmedian_2000");
        if !once_only && !long {
            group.bench_function(&name, |b| {
                b.iter(|| solve(&inst, model, &o).unwrap().objective)
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
