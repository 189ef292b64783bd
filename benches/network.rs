//! Network benchmarks (numbers for issue notes; nothing here is asserted):
//! - graph build from the Porto Alegre pbf (read + build, per mode);
//! - full (unbounded) walk and drive matrices for Porto Alegre: 1,227 hexagons x the 117
//!   hexagons with a health facility, and x all 1,227, on 1 and 2 threads;
//! - nodes settled per second on one core;
//! - a county-sized synthetic network (a 710 x 710 street grid, 504,100 nodes) with 4,000 zones
//!   and 5,000 sites, driving, bounded at 30 minutes, on 2 threads.
//!
//! Run: cargo bench --bench network (needs ../shared beside the project for Porto Alegre).

#[path = "common/grid.rs"]
mod grid;

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::crs::Crs;
use frontdoor::mode::Mode;
use frontdoor::network::graph::build_graph;
use frontdoor::network::osm::read_osm;
use frontdoor::network::route::Search;
use frontdoor::network::times::network_times;
use frontdoor::{measure, Measured, RunOptions, Timings};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("pool")
}

/// A measured study with one huge band, so that the matrix is complete.
fn unbounded(path: &Path) -> Measured {
    let (mut m, _) = measure(path, &RunOptions::default(), &mut Timings::default()).expect("study");
    m.study.bands = frontdoor::ids::Bands::new(vec![100_000]).expect("one band");
    m
}

fn porto_alegre(c: &mut Criterion) {
    let pbf = root().join("../shared/data/porto-alegre/poa_osm.pbf");
    if !pbf.exists() {
        eprintln!("../shared not found: skipping the Porto Alegre benchmarks");
        return;
    }
    let crs = Crs::from_epsg(32722).unwrap();
    let mut g = c.benchmark_group("porto_alegre");
    g.sample_size(10);
    g.bench_function("read_pbf", |b| b.iter(|| read_osm(&pbf).unwrap()));
    let osm = read_osm(&pbf).unwrap();
    for mode in [Mode::Walk, Mode::Drive] {
        g.bench_function(format!("build_graph/{mode}"), |b| {
            b.iter(|| build_graph(&osm, mode, 4.8, 16.0, &crs).unwrap())
        });
    }
    let health = unbounded(&root().join("tests/studies/porto-alegre.toml"));
    let all = unbounded(&root().join("tests/studies/porto-alegre-all-hexagons.toml"));
    for (label, m) in [("1227x117", &health), ("1227x1227", &all)] {
        let net = m.network.as_ref().unwrap();
        for (mi, p) in m.study.modes.iter().enumerate() {
            for threads in [1, 2] {
                let tp = pool(threads);
                g.bench_function(format!("matrix/{label}/{}/{threads}threads", p.mode), |b| {
                    b.iter(|| {
                        tp.install(|| network_times(&m.study, &net.modes[mi], p, 4.8, &|_| {}))
                    })
                });
            }
        }
    }
    g.finish();
    // Nodes settled per second on one core: every site's full search, walking and driving.
    let net = all.network.as_ref().unwrap();
    for mode in &net.modes {
        let graph = &mode.graph;
        let mut search = Search::new(graph.node_count());
        let t = std::time::Instant::now();
        let mut settled = 0usize;
        for snap in mode.site_snaps.iter().flatten() {
            let l = &graph.links[snap.link.0 as usize];
            search.run(&graph.reverse, &[(l.a.0, 0), (l.b.0, 0)], u32::MAX - 1);
            settled += search.settled;
        }
        let s = t.elapsed().as_secs_f64();
        eprintln!(
            "{}: {settled} nodes settled in {s:.3} s on one core: {:.1} million per second ({} nodes, {} searches)",
            graph.mode,
            settled as f64 / s / 1e6,
            graph.node_count(),
            mode.site_snaps.iter().flatten().count()
        );
    }
}

fn county(c: &mut Criterion) {
    let (study, nets) = grid::county(710, 4000, 5000, &[Mode::Drive]);
    let (net, params) = (&nets[0], study.modes[0]);
    eprintln!(
        "county: {} nodes, {} links, 4,000 zones, 5,000 sites",
        net.graph.node_count(),
        net.graph.links.len()
    );
    let mut g = c.benchmark_group("county");
    g.sample_size(10);
    for threads in [1, 2] {
        let tp = pool(threads);
        g.bench_function(format!("drive_30min/{threads}threads"), |b| {
            b.iter(|| tp.install(|| network_times(&study, net, &params, 4.8, &|_| {})))
        });
    }
    g.finish();
}

criterion_group!(benches, porto_alegre, county);
criterion_main!(benches);
