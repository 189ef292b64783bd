//! A county-sized synthetic street network for the network benchmarks: a square grid of
//! junctions 100 m apart (jittered), every street two-way at 20-60 km/h driving (or 4.8 km/h
//! walking), with zones and sites at random points, joined to it as a run joins them.

use frontdoor::crs::Crs;
use frontdoor::mode::{default_mode_params, Mode, ModeParams};
use frontdoor::model::{Site, Study, Zone};
use frontdoor::network::graph::{Graph, Link, NodeId};
use frontdoor::network::snap::LinkIndex;
use frontdoor::network::ModeNetwork;
use frontdoor::rng::Rng;
use geo::Coord;

/// A street grid of `side` x `side` junctions 100 m apart (jittered), every street two-way,
/// at 20-60 km/h driving or `walk_kmh` walking.
pub fn grid(side: usize, mode: Mode, walk_kmh: f64, rng: &mut Rng) -> Graph {
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
        let kmh = if mode == Mode::Walk { walk_kmh } else { kmh };
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
    Graph::from_parts(mode, nodes, ids, links, 0, 0)
}

/// A grid study: `zones` zones and `sites` sites (one in five a library, the rest bus stops)
/// at random points of a `side` x `side` grid, bands 10, 20 and 30 minutes, and the grid of
/// each mode with the points joined to it.
pub fn county(
    side: usize,
    zones: usize,
    sites: usize,
    modes: &[Mode],
) -> (Study, Vec<ModeNetwork>) {
    let mut rng = Rng::new(11);
    let extent = side as f64 * 100.0;
    let mut points: Vec<Coord<f64>> = (0..zones + sites)
        .map(|_| Coord {
            x: rng.range(0.0, extent),
            y: rng.range(0.0, extent),
        })
        .collect();
    let site_points = points.split_off(zones);
    let zones: Vec<Zone> = points
        .into_iter()
        .enumerate()
        .map(|(i, point)| Zone {
            id: format!("z{i}"),
            name: None,
            population: 1500.0,
            profile: vec![],
            point,
            polygon: None,
        })
        .collect();
    let sites: Vec<Site> = site_points
        .into_iter()
        .enumerate()
        .map(|(i, point)| site(i, point))
        .collect();
    let params: Vec<ModeParams> = modes.iter().map(|&m| default_mode_params(m)).collect();
    let networks = modes
        .iter()
        .map(|&m| {
            let graph = grid(side, m, 4.8, &mut Rng::new(7));
            let index = LinkIndex::new(&graph);
            let zone_snaps: Vec<_> = zones.iter().map(|z| index.snap(z.point)).collect();
            let site_snaps: Vec<_> = sites.iter().map(|s| index.snap(s.point)).collect();
            ModeNetwork {
                zone_snap_m: zone_snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
                site_snap_m: site_snaps.iter().map(|s| s.map(|s| s.distance_m)).collect(),
                zone_snaps,
                site_snaps,
                graph,
            }
        })
        .collect();
    (study(zones, sites, params), networks)
}

fn site(i: usize, point: Coord<f64>) -> Site {
    let kind = if i.is_multiple_of(5) {
        "library"
    } else {
        "bus_stop"
    };
    Site::at(format!("s{i}"), kind, point)
}

fn study(zones: Vec<Zone>, sites: Vec<Site>, modes: Vec<ModeParams>) -> Study {
    let bands = frontdoor::ids::Bands::new(vec![10, 20, 30]).unwrap();
    let mut study = Study::in_memory("county", Crs::bng(), zones, sites, modes, bands);
    study.kinds = vec!["bus_stop".into(), "library".into()];
    study
}
