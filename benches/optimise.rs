//! Location-allocation on random instances built like the peer timings in
//! ../shared/peers/README.md: demand and sites uniform in a 10 km square (seed 42), Euclidean
//! metres, integer weights 1..99; MCLP radius 1,500 m. Each instance is written to
//! target/bench-optimise/<name>/ (costs.csv, demand.csv) so that
//! `python3 benches/peers/optimise_peers.py` can solve the same instance with spopt and CBC.
//!
//! Run: cargo bench --bench optimise   (FRONTDOOR_BENCH_COUNTY=1 adds 4,000 x 1,000)

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::optimise::core::Limits;
use frontdoor::optimise::{solve, Instance, Model, Options};
use frontdoor::rng::Rng;

fn instance(name: &str, n: usize, m: usize, write: bool) -> Instance {
    let mut rng = Rng::new(42);
    let mut pt = || (rng.range(0.0, 10_000.0), rng.range(0.0, 10_000.0));
    let demand: Vec<(f64, f64)> = (0..n).map(|_| pt()).collect();
    let sites: Vec<(f64, f64)> = (0..m).map(|_| pt()).collect();
    let weights: Vec<f64> = (0..n).map(|_| 1.0 + rng.below(99) as f64).collect();
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
        let mut t = String::from("site_id,x,y\n");
        for (j, s) in sites.iter().enumerate() {
            let _ = writeln!(t, "s{j},{},{}", s.0, s.1);
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
        capacity: None,
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

fn bench(c: &mut Criterion) {
    // MCLP runs with a 3-second limit: its Lagrangian bound is the LP's, too weak to prove
    // optimality quickly, so the answer comes with its gap.
    let cases = [
        (
            "pmedian_1000x100_p10",
            1000,
            100,
            Model::PMedian,
            10,
            None,
            300.0,
        ),
        (
            "pmedian_2000x200_p20",
            2000,
            200,
            Model::PMedian,
            20,
            None,
            300.0,
        ),
        (
            "mclp_2000x200_p20",
            2000,
            200,
            Model::Mclp,
            20,
            Some(1_500.0),
            3.0,
        ),
    ];
    let only = std::env::var("FRONTDOOR_BENCH_ONLY").unwrap_or_default();
    let mut group = c.benchmark_group("optimise");
    group.sample_size(10);
    for (name, n, m, model, p, standard, seconds) in cases {
        if !name.contains(&only) {
            continue;
        }
        let inst = instance(name, n, m, true);
        let o = options(p, standard, seconds);
        once(name, &inst, model, &o);
        group.bench_function(name, |b| {
            b.iter(|| solve(&inst, model, &o).unwrap().objective)
        });
    }
    group.finish();
    if std::env::var_os("FRONTDOOR_BENCH_COUNTY").is_some() {
        let inst = instance("county_4000x1000", 4000, 1000, false);
        once(
            "pmedian_4000x1000_p40",
            &inst,
            Model::PMedian,
            &options(40, None, 60.0),
        );
        once(
            "mclp_4000x1000_p40",
            &inst,
            Model::Mclp,
            &options(40, Some(1_500.0), 60.0),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
