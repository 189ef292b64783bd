//! Load + index + reach on synthetic studies the size of Oxfordshire (407 zones) and 10x and
//! 100x that, to see how the cost grows. Each size is generated once (outside the timing) with
//! `frontdoor synth`'s generator: 40 x 30 km district tiles of about 130 small areas each.
//!
//! Run: cargo bench --bench spine

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use frontdoor::synth::{write_study, SynthOptions};
use frontdoor::{load_study, reach, LoadOptions};

/// Tiles for about 1x, 10x and 100x Oxfordshire's 407 small areas.
const SIZES: [(&str, usize); 3] = [("1x", 3), ("10x", 32), ("100x", 316)];

fn study_dir(tiles: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-spine-{tiles}"));
    if !dir.join("study.toml").exists() {
        write_study(
            &dir,
            &SynthOptions {
                seed: 7,
                tiles,
                quarterly: false,
            },
        )
        .expect("synthetic study");
    }
    dir
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_index_reach");
    group.sample_size(10);
    for (label, tiles) in SIZES {
        let path = study_dir(tiles).join("study.toml");
        let study = load_study(&path, &LoadOptions::default()).expect("loads");
        eprintln!(
            "{label}: {} zones, {} sites, {} demand rows, population {:.0}",
            study.zones.len(),
            study.sites.len(),
            study.report.demand_rows,
            study.population()
        );
        group.bench_function(format!("load/{label}"), |b| {
            b.iter(|| load_study(&path, &LoadOptions::default()).expect("loads"))
        });
        group.bench_function(format!("reach/{label}"), |b| {
            b.iter(|| reach::compute(&study, &|_| {}))
        });
        group.bench_function(format!("load_index_reach/{label}"), |b| {
            b.iter(|| {
                let s = load_study(&path, &LoadOptions::default()).expect("loads");
                reach::compute(&s, &|_| {})
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
