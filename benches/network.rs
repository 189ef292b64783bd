//! Network benchmarks (numbers for issue notes; nothing here is asserted):
//! - graph build from the Porto Alegre pbf (read + build, per mode);
//! - full (unbounded) walk and drive matrices for Porto Alegre: 1,227 hexagons x the 117
//!   hexagons with a health facility, and x all 1,227, on 1 and 2 threads;
//! - nodes settled per second on one core;
//! - a county-sized synthetic network (a 710 x 710 street grid, 504,100 nodes) with 4,000 zones
//!   and 5,000 sites, driving, bounded at 30 minutes, on 2 threads.
//!
//! Run: cargo bench --bench network (needs ../shared beside the project for Porto Alegre).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::crs::Crs;
use frontdoor::mode::Mode;
use frontdoor::mode::{default_mode_params, ModeParams};
use frontdoor::model::{Demand, LoadReport, Site, Study, Zone};
use frontdoor::network::graph::{build_graph, Graph, Link, NodeId};
use frontdoor::network::osm::read_osm;
use frontdoor::network::route::Search;
use frontdoor::network::snap::LinkIndex;
use frontdoor::network::times::network_times;
use frontdoor::network::ModeNetwork;
use frontdoor::rng::Rng;
use frontdoor::{measure, Measured, RunOptions, Timings};
use geo::Coord;

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

/// A street grid of `side` x `side` junctions 100 m apart (jittered), every street two-way,
/// at 20-60 km/h.
fn grid(side: usize, rng: &mut Rng) -> Graph {
    let mut nodes = Vec::with_capacity(side * side);
    for y in 0..side {
        for x in 0..side {
            nodes.push(Coord {
                x: x as f64 * 100.0 + rng.range(-20.0, 20.0),
                y: y as f64 * 100.0 + rng.range(-20.0, 20.0),
            });
        }
    }
    let mut links = Vec::new();
    let mut link = |a: usize, b: usize, rng: &mut Rng| {
        let (p, q) = (nodes[a], nodes[b]);
        let len = (q.x - p.x).hypot(q.y - p.y);
        let kmh = [20.0, 30.0, 30.0, 40.0, 60.0][rng.below(5)];
        let ms = frontdoor::network::graph::millis(len, kmh);
        links.push(Link {
            a: NodeId(a as u32),
            b: NodeId(b as u32),
            length_m: len,
            ms_ab: Some(ms),
            ms_ba: Some(ms),
            way: links.len() as i64,
            geometry: vec![p, q],
        });
    };
    for y in 0..side {
        for x in 0..side {
            let i = y * side + x;
            if x + 1 < side {
                link(i, i + 1, rng);
            }
            if y + 1 < side {
                link(i, i + side, rng);
            }
        }
    }
    let ids = (0..nodes.len() as i64).collect();
    Graph::from_parts(Mode::Drive, nodes, ids, links, 0, 0)
}

fn county(c: &mut Criterion) {
    let mut rng = Rng::new(11);
    let side = 710;
    let graph = grid(side, &mut rng);
    let extent = side as f64 * 100.0;
    let mut point = || Coord {
        x: rng.range(0.0, extent),
        y: rng.range(0.0, extent),
    };
    let zones: Vec<Zone> = (0..4000)
        .map(|i| Zone {
            id: format!("z{i}"),
            name: None,
            population: 1500.0,
            profile: vec![],
            point: point(),
            polygon: None,
        })
        .collect();
    let sites: Vec<Site> = (0..5000)
        .map(|i| Site {
            id: format!("s{i}"),
            name: String::new(),
            agency: String::new(),
            kind: if i % 5 == 0 {
                "library".into()
            } else {
                "bus_stop".into()
            },
            services: vec![],
            annual_cost: None,
            capacity: None,
            floor_area_m2: None,
            opening_hours: None,
            tenure: None,
            lease_end: None,
            condition: None,
            fixed: false,
            candidate: false,
            context: None,
            point: point(),
        })
        .collect();
    let index = LinkIndex::new(&graph);
    let zone_snaps: Vec<_> = zones.iter().map(|z| index.snap(z.point)).collect();
    let site_snaps: Vec<_> = sites.iter().map(|s| index.snap(s.point)).collect();
    let params = ModeParams {
        mode: Mode::Drive,
        ..default_mode_params(Mode::Drive)
    };
    let study = Study {
        name: "county".into(),
        path: PathBuf::new(),
        sha256: String::new(),
        crs: Crs::bng(),
        attribution: vec![],
        demand: Demand {
            by_site: vec![Default::default(); sites.len()],
            by_zone: vec![Default::default(); zones.len()],
            ..Default::default()
        },
        zones,
        profile: vec![],
        vulnerable: vec![],
        sites,
        kinds: vec!["bus_stop".into(), "library".into()],
        demand_years: 1.0,
        modes: vec![params],
        bands: frontdoor::ids::Bands::new(vec![10, 20, 30]).unwrap(),
        per_kind: false,
        network: None,
        snap_limit_m: 1000.0,
        travel_matrix: None,
        graph_cache: frontdoor::model::GraphCache::Off,
        transit: None,
        currency: None,
        assignment: Default::default(),
        suppress_below: 0,
        map_mode: None,
        map_kind: None,
        inputs: vec![],
        report: LoadReport::default(),
    };
    let net = ModeNetwork {
        zone_snap_m: zone_snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
        site_snap_m: site_snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
        zone_snaps,
        site_snaps,
        graph,
    };
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
            b.iter(|| tp.install(|| network_times(&study, &net, &params, 4.8, &|_| {})))
        });
    }
    g.finish();
}

criterion_group!(benches, porto_alegre, county);
criterion_main!(benches);
