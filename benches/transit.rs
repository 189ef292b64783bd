//! Public-transport benchmarks (numbers for issue notes; nothing here is asserted), on Porto
//! Alegre's two feeds (EPTC buses, Trensurb trains), the 1,227 hexagons and the 117 hexagons
//! with a health facility, departing from 14:00 on Monday 13 May 2019:
//! - feeds read and prepared (service day, interpolation, patterns, stops joined, walks);
//! - one origin's range RAPTOR over a 60-minute window;
//! - the whole study's transit times (1,227 origins x 60 departures, p50) on 1 and 2 threads;
//! - how that grows with the window (15, 30, 60, 120 minutes) on 2 threads.
//!
//! Run: cargo bench --bench transit (needs ../shared beside the project).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::mode::Mode;
use frontdoor::network::transit::raptor::{Raptor, Window, NEVER};
use frontdoor::network::transit::{build_transit, transit_times};
use frontdoor::network::{build_network, walk_kmh};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/porto-alegre")
}

fn study_file(dir: &Path, window: u32) -> PathBuf {
    let poa = shared();
    std::fs::create_dir_all(dir).unwrap();
    let toml = format!(
        "name = \"Porto Alegre transit bench\"\n\
         [zones]\npath = \"{hex}\"\nid = \"id\"\npopulation = \"population\"\n\
         [[sites]]\npath = \"{hex}\"\nfilter = {{ healthcare = [\"1\", \"2\", \"3\", \"4\", \"5\"] }}\n\
         id = \"id\"\nname = \"id\"\nagency = {{ value = \"SUS\" }}\nkind = {{ value = \"health\" }}\n\
         [travel]\nmodes = [\"transit\"]\nbands = [15, 30, 45]\nnetwork = \"{osm}\"\ncache_dir = \"caches\"\n\
         gtfs = [\"{eptc}\", \"{trensurb}\"]\n\
         [travel.transit]\ndeparture = \"2019-05-13T14:00\"\nwindow_minutes = {window}\n",
        hex = poa.join("poa_hexgrid.csv").display(),
        osm = poa.join("poa_osm.pbf").display(),
        eptc = poa.join("poa_eptc.zip").display(),
        trensurb = poa.join("poa_trensurb.zip").display(),
    );
    let p = dir.join(format!("study-{window}.toml"));
    std::fs::write(&p, toml).unwrap();
    p
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
}

fn porto_alegre(c: &mut Criterion) {
    if !shared().join("poa_eptc.zip").exists() {
        eprintln!("../shared not found: skipping the transit benchmarks");
        return;
    }
    let dir = std::env::temp_dir().join("frontdoor-transit-bench");
    let mut g = c.benchmark_group("transit_porto_alegre");
    g.sample_size(10);
    for window in [15u32, 30, 60, 120] {
        let path = study_file(&dir, window);
        let loaded = frontdoor::pipeline::load(&path, &Default::default()).unwrap();
        let s = loaded.study;
        let net = build_network(&s, s.network.as_ref().unwrap(), s.snap_limit_m).unwrap();
        let tn = net.transit.as_ref().unwrap();
        let walk_net = &net.modes[0];
        let params = s.modes[0];
        assert_eq!(params.mode, Mode::Transit);
        let walk = walk_kmh(&s);
        if window == 60 {
            let t = s.transit.clone().unwrap();
            g.bench_function("feeds_read_and_prepared", |b| {
                b.iter(|| build_transit(&s, &t, walk_net, walk).unwrap())
            });
            let z = (0..s.zones.len())
                .max_by_key(|&z| tn.walks.access[z].len())
                .unwrap();
            let tt = &tn.timetables[0];
            let w = Window {
                start: t.departure_s,
                minutes: 60,
                horizon: tn.horizon_s,
                max_rides: t.max_rides,
            };
            let mut raptor = Raptor::new(tn.stops.len(), tt.patterns.len(), t.max_rides);
            let mut out = vec![NEVER; s.sites.len() * 60];
            g.bench_function("one_origin_60_minutes", |b| {
                b.iter(|| raptor.range(tt, &tn.walks, &tn.walks.access[z], &[], w, &mut out, 60, 0))
            });
            for threads in [1, 2] {
                g.bench_function(format!("study_60_minutes/{threads}_threads"), |b| {
                    b.iter(|| {
                        pool(threads)
                            .install(|| transit_times(&s, walk_net, tn, &params, walk, &|_| {}))
                    })
                });
            }
        } else {
            g.bench_function(format!("study_{window}_minutes/2_threads"), |b| {
                b.iter(|| {
                    pool(2).install(|| transit_times(&s, walk_net, tn, &params, walk, &|_| {}))
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, porto_alegre);
criterion_main!(benches);
