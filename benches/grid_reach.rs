//! Network reach at county scale and beyond, for the growth table (numbers for issue notes;
//! nothing here is asserted): on square street grids of the sides given (default 250, 500 and
//! 710 junctions: 62,500 to 504,100 nodes) with zones and sites in proportion to the county
//! grid's 4,000 and 5,000 at side 710, every site's walking and driving times to the zones
//! within 30 minutes, on 1 and 2 threads; wall time and sites (one-to-many queries) a second.
//!
//! A size may also name its zones and sites, `SIDE:ZONES:SITES` (the national test:
//! `2236:33000:20000`, a 5-million-node grid with 33,000 zones and 20,000 sites).
//!
//! Run: cargo bench --bench grid_reach [-- SIDE[:ZONES:SITES] ...]

#[path = "common/grid.rs"]
mod grid;

use std::time::Instant;

use frontdoor::mode::Mode;
use frontdoor::network::times::network_times;

fn main() {
    let sizes: Vec<(usize, Option<(usize, usize)>)> = std::env::args()
        .skip(1)
        .filter_map(|a| {
            let v: Vec<usize> = a.split(':').filter_map(|p| p.parse().ok()).collect();
            match v[..] {
                [side] => Some((side, None)),
                [side, zones, sites] => Some((side, Some((zones, sites)))),
                _ => None,
            }
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![(250, None), (500, None), (710, None)]
    } else {
        sizes
    };
    println!("| nodes | zones | sites | mode | threads | reach s | sites/s |");
    println!("|---|---|---|---|---|---|---|");
    for (side, given) in sizes {
        let share = (side * side) as f64 / (710.0 * 710.0);
        let (zones, sites) = given.unwrap_or((
            (4000.0 * share).round() as usize,
            (5000.0 * share).round() as usize,
        ));
        let (study, nets) = grid::county(side, zones, sites, &[Mode::Walk, Mode::Drive]);
        for (net, params) in nets.iter().zip(&study.modes) {
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("pool");
                let t = Instant::now();
                let times = pool.install(|| network_times(&study, net, params, 4.8, &|_| {}));
                let s = t.elapsed().as_secs_f64();
                let pairs: usize = times.by_site.iter().map(Vec::len).sum();
                println!(
                    "| {} | {zones} | {sites} | {} | {threads} | {s:.2} | {:.0} |",
                    net.graph.node_count(),
                    params.mode,
                    sites as f64 / s
                );
                eprintln!("  ({pairs} zone-site pairs within 30 minutes)");
            }
        }
    }
}
