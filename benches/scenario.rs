//! Accessibility measures and scenario evaluation.
//!
//! 1. 2SFCA and E2SFCA on 10,000 zones x 1,000 sites built like the peer timings in
//!    ../shared/peers/README.md: uniform points in a 10 km square (seed 42), Euclidean metres,
//!    integer demand 1..99, supply 1; 2SFCA within 1,500 m, E2SFCA with three steps out to
//!    4,500 m ({1500: 1, 3000: 0.68, 4500: 0.22}). The sparse matrix holds every pair within
//!    4,500 m, as frontdoor keeps times up to its largest band. The instance and frontdoor's
//!    scores are written to target/bench-access/ so that `python3 benches/peers/access_peers.py`
//!    can time PySAL access on the same instance and compare the values.
//! 2. 100 single-site closure scenarios on the Oxfordshire study (skipped without ../shared).
//! 3. The decision layer (scorecards, closures, share proposals each run through the scenario
//!    engine, digital points, hot spots, MCLP for new sites, the whole plan as a scenario) on
//!    Oxfordshire and on synthetic studies of 1, 10 and 40 district tiles (`frontdoor synth`).
//!
//! Run: cargo bench --bench scenario

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::access::{two_stage, Costs, Weight};
use frontdoor::index::PointIndex;
use frontdoor::rng::Rng;
use frontdoor::scenario::{evaluate, BaselineCache, Changes, Scenario};
use frontdoor::{measure, RunOptions, Timings};
use geo::Coord;

const ZONES: usize = 10_000;
const SITES: usize = 1_000;

struct Instance {
    by_site: Vec<Vec<(u32, f64)>>,
    demand: Vec<f64>,
    supply: Vec<Option<f64>>,
}

fn instance(dir: &Path) -> Instance {
    let mut rng = Rng::new(42);
    let mut point = || Coord {
        x: rng.range(0.0, 10_000.0),
        y: rng.range(0.0, 10_000.0),
    };
    let zones: Vec<Coord<f64>> = (0..ZONES).map(|_| point()).collect();
    let sites: Vec<Coord<f64>> = (0..SITES).map(|_| point()).collect();
    let demand: Vec<f64> = (0..ZONES).map(|_| 1.0 + rng.below(99) as f64).collect();
    let index = PointIndex::new(zones.iter().copied());
    let by_site: Vec<Vec<(u32, f64)>> = sites
        .iter()
        .map(|s| {
            let mut near = Vec::new();
            index.for_each_within(*s, 4_500.0, |z, d| near.push((z as u32, d)));
            near.sort_unstable_by_key(|&(z, _)| z);
            near
        })
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    let mut text = String::from("id,x,y,demand\n");
    for (i, (z, d)) in zones.iter().zip(&demand).enumerate() {
        let _ = writeln!(text, "{i},{},{},{d}", z.x, z.y);
    }
    std::fs::write(dir.join("demand.csv"), text).unwrap();
    let mut text = String::from("id,x,y,supply\n");
    for (j, s) in sites.iter().enumerate() {
        let _ = writeln!(text, "{j},{},{},1", s.x, s.y);
    }
    std::fs::write(dir.join("supply.csv"), text).unwrap();
    Instance {
        by_site,
        demand,
        supply: vec![Some(1.0); SITES],
    }
}

fn e2sfca_steps() -> Weight {
    Weight::Step(vec![(1_500.0, 1.0), (3_000.0, 0.68), (4_500.0, 0.22)])
}

fn write_scores(path: &Path, scores: &[f64]) {
    let mut text = String::from("id,score\n");
    for (i, v) in scores.iter().enumerate() {
        let _ = writeln!(text, "{i},{v:e}");
    }
    std::fs::write(path, text).unwrap();
}

fn access(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-access");
    let inst = instance(&dir);
    let pairs: usize = inst.by_site.iter().map(Vec::len).sum();
    let within_1500: usize = inst
        .by_site
        .iter()
        .flatten()
        .filter(|(_, d)| *d <= 1_500.0)
        .count();
    eprintln!("{ZONES} x {SITES}: {pairs} pairs within 4,500 m, {within_1500} within 1,500 m");
    let costs = Costs {
        by_site: &inst.by_site,
        zones: ZONES,
    };
    write_scores(
        &dir.join("frontdoor_2sfca.csv"),
        &two_stage(costs, &inst.demand, &inst.supply, 1_500.0, &Weight::Flat).zones,
    );
    write_scores(
        &dir.join("frontdoor_e2sfca.csv"),
        &two_stage(costs, &inst.demand, &inst.supply, 4_500.0, &e2sfca_steps()).zones,
    );
    let mut group = c.benchmark_group("access_10000x1000");
    group.sample_size(20);
    group.bench_function("2sfca", |b| {
        b.iter(|| two_stage(costs, &inst.demand, &inst.supply, 1_500.0, &Weight::Flat))
    });
    group.bench_function("e2sfca", |b| {
        b.iter(|| two_stage(costs, &inst.demand, &inst.supply, 4_500.0, &e2sfca_steps()))
    });
    group.finish();
}

fn scenarios(c: &mut Criterion) {
    let study = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/studies/oxfordshire.toml");
    if !study
        .parent()
        .unwrap()
        .join("../../../shared/data")
        .is_dir()
    {
        eprintln!("notice: ../shared not found; skipping the Oxfordshire scenarios");
        return;
    }
    let (m, _) = measure(&study, &RunOptions::default(), &mut Timings::default()).expect("loads");
    // The first 100 sites that are not bus stops (libraries, GP practices, council offices).
    let targets: Vec<usize> = (0..m.study.sites.len())
        .filter(|&j| m.study.sites[j].kind != "bus_stop")
        .take(100)
        .collect();
    eprintln!(
        "{} single-site closures on Oxfordshire ({} zones, {} sites)",
        targets.len(),
        m.study.zones.len(),
        m.study.sites.len()
    );
    let scenarios: Vec<Scenario> = targets
        .iter()
        .map(|&j| {
            let close = Changes {
                close: vec![j],
                ..Changes::default()
            };
            Scenario::new(
                &m.study,
                &format!("close-{j}"),
                frontdoor::ids::ModeIx(0),
                close,
            )
            .expect("an open site")
        })
        .collect();
    let mut group = c.benchmark_group("oxfordshire_scenarios");
    group.sample_size(10);
    group.bench_function("100_single_closures", |b| {
        b.iter(|| {
            // The baseline's searches are shared across the scenarios of a run, as in
            // `frontdoor scenario`.
            let cache = BaselineCache::default();
            scenarios
                .iter()
                .map(|s| evaluate(&m, &cache, s).summary.population_losing[0][0])
                .sum::<f64>()
        })
    });
    group.finish();
}

fn decide(c: &mut Criterion) {
    let mut studies: Vec<(String, PathBuf)> = Vec::new();
    let oxfordshire =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/studies/oxfordshire.toml");
    if oxfordshire
        .parent()
        .unwrap()
        .join("../../../shared/data")
        .is_dir()
    {
        studies.push(("oxfordshire".into(), oxfordshire));
    }
    for tiles in [1, 10, 40] {
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-decide/{tiles}"));
        frontdoor::synth::write_study(
            &dir,
            &frontdoor::synth::SynthOptions {
                tiles,
                quarterly: false,
                ..Default::default()
            },
        )
        .expect("synthetic study written");
        studies.push((format!("synthetic_{tiles}_tiles"), dir.join("study.toml")));
    }
    let mut group = c.benchmark_group("decide");
    group.sample_size(10);
    for (name, path) in &studies {
        let (m, rules) =
            measure(path, &RunOptions::default(), &mut Timings::default()).expect("loads");
        eprintln!(
            "{name}: {} zones, {} sites, {} bands x {} modes",
            m.study.zones.len(),
            m.study.sites.len(),
            m.study.bands.len(),
            m.study.modes.len()
        );
        group.bench_function(name.as_str(), |b| {
            b.iter(|| {
                frontdoor::decide::decide(&m, &rules.rules)
                    .expect("decides")
                    .proposals
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, access, scenarios, decide);
criterion_main!(benches);
