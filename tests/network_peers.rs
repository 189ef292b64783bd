//! frontdoor's Dijkstra against networkx on the same graphs: for 1,000 random node pairs on each
//! real extract, the shortest times must agree exactly (whole milliseconds). The networkx side
//! is tests/independent/shortest_paths.py, its outputs kept beside it. Also: catchment polygons
//! on Porto Alegre are valid and contain every node reached within their band.

use std::collections::HashMap;
use std::path::Path;

use frontdoor::crs::Crs;
use frontdoor::mode::default_mode_params;
use frontdoor::mode::Mode;
use frontdoor::network::graph::build_graph;
use frontdoor::network::osm::read_osm;
use frontdoor::network::route::{Search, UNREACHED};
use geo::{Intersects, Validation};

use crate::support::*;

fn agree_with_networkx(file: &str, mode: Mode, crs: Crs, name: &str) {
    let Some(shared) = shared() else { return };
    let osm = read_osm(&shared.join("data").join(file)).unwrap();
    let g = build_graph(
        &osm,
        mode,
        default_mode_params(Mode::Walk).speed_kmh,
        default_mode_params(Mode::Cycle).speed_kmh,
        &crs,
    )
    .unwrap();
    let index: HashMap<i64, u32> = g
        .osm_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let expected = read_csv(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/independent/paths_{name}.csv")),
    );
    assert_eq!(expected.len(), 1000);
    let mut search = Search::new(g.node_count());
    let mut reached = 0;
    for row in &expected {
        let s = index[&row["source_osm"].parse::<i64>().unwrap()];
        let t = index[&row["target_osm"].parse::<i64>().unwrap()];
        search.run(&g.forward, &[(s, 0)], u32::MAX - 1);
        let ours = search.dist[t as usize];
        let theirs: i64 = row["ms"].parse().unwrap();
        // Within the largest strongly connected component every pair is connected.
        assert!(theirs >= 0, "{name}: networkx found no path {s}->{t}");
        assert_ne!(ours, UNREACHED, "{name}: no path {s}->{t}");
        assert_eq!(
            ours as i64, theirs,
            "{name}: {} -> {}",
            row["source_osm"], row["target_osm"]
        );
        reached += 1;
    }
    assert_eq!(reached, 1000);
}

#[test]
fn porto_alegre_walk_drive_cycle_agree_with_networkx() {
    agree_with_networkx(
        "porto-alegre/poa_osm.pbf",
        Mode::Walk,
        Crs::from_epsg(32722).unwrap(),
        "porto_alegre_walk",
    );
    agree_with_networkx(
        "porto-alegre/poa_osm.pbf",
        Mode::Drive,
        Crs::from_epsg(32722).unwrap(),
        "porto_alegre_drive",
    );
    agree_with_networkx(
        "porto-alegre/poa_osm.pbf",
        Mode::Cycle,
        Crs::from_epsg(32722).unwrap(),
        "porto_alegre_cycle",
    );
}

#[test]
fn oxford_and_helsinki_agree_with_networkx() {
    agree_with_networkx(
        "oxford-centre-osm/oxford_centre_2015.osm.pbf",
        Mode::Walk,
        Crs::bng(),
        "oxford_walk",
    );
    agree_with_networkx(
        "oxford-centre-osm/oxford_centre_2015.osm.pbf",
        Mode::Drive,
        Crs::bng(),
        "oxford_drive",
    );
    agree_with_networkx(
        "helsinki/Helsinki.osm.pbf",
        Mode::Walk,
        Crs::from_epsg(32635).unwrap(),
        "helsinki_walk",
    );
}

#[test]
fn oxford_pbf_and_xml_give_the_same_graph() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("data/oxford-centre-osm");
    for mode in [Mode::Walk, Mode::Drive] {
        let a = build_graph(
            &read_osm(&dir.join("oxford_centre_2015.osm.pbf")).unwrap(),
            mode,
            4.8,
            16.0,
            &Crs::bng(),
        )
        .unwrap();
        let b = build_graph(
            &read_osm(&dir.join("oxford_centre_2015.osm.gz")).unwrap(),
            mode,
            4.8,
            16.0,
            &Crs::bng(),
        )
        .unwrap();
        assert_eq!(a, b, "{mode}");
    }
}

/// The Porto Alegre study (1,227 hexagons, 117 health facilities, walk and drive) measured.
fn porto_alegre() -> frontdoor::Measured {
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/studies/porto-alegre.toml");
    let (m, _) = frontdoor::measure(
        &study,
        &frontdoor::RunOptions::default(),
        &mut frontdoor::Timings::default(),
    )
    .unwrap();
    m
}

#[test]
fn porto_alegre_catchments_are_valid_and_hold_every_node_reached() {
    let Some(_) = shared() else { return };
    let m = porto_alegre();
    let net = m.network.as_ref().unwrap();
    let catchments = frontdoor::catchment::catchments(&m.study, &m.reach, Some(net));
    // 117 sites x 3 bands x 2 modes, less the one site beyond the snap limit, plus coverage.
    let per_site = catchments.iter().filter(|c| c.site.is_some()).count();
    assert_eq!(per_site, 116 * 3 * 2);
    let walk = frontdoor::network::walk_kmh(&m.study);
    for (mi, mode) in m.reach.modes.iter().enumerate() {
        let g = &net.modes[mi].graph;
        let mut search = Search::new(g.node_count());
        for c in catchments.iter().filter(|c| c.mode == mode.params.mode) {
            assert!(
                c.polygon.is_valid(),
                "invalid catchment {:?} {} {}",
                c.site,
                c.mode,
                c.band
            );
            let Some(s) = c.site else { continue };
            // Every 7th site, every node reached within the band must be inside.
            if s % 7 != 0 {
                continue;
            }
            let snap = net.modes[mi].site_snaps[s].unwrap();
            let leg = frontdoor::network::graph::millis(snap.distance_m, walk);
            let sources: Vec<(u32, u32)> = frontdoor::network::snap::entries(g, &snap)
                .into_iter()
                .map(|e| (e.node.0, e.ms + leg))
                .collect();
            search.run(&g.reverse, &sources, c.band * 60_000);
            for &n in &search.touched {
                if search.dist[n as usize] <= c.band * 60_000 {
                    assert!(
                        c.polygon.intersects(&geo::Point(g.nodes[n as usize])),
                        "node {n} outside site {s} {} {} min",
                        c.mode,
                        c.band
                    );
                }
            }
        }
    }
}

/// Times found by searching from the zones (forwards) equal those found by searching from the
/// sites (on the reversed graph) exactly, pair by pair, on Porto Alegre's 1,227 hexagons and
/// 117 health facilities, walking and driving, within 30 minutes and unbounded: the run takes
/// whichever side is smaller, and the answer must not depend on it.
#[test]
fn porto_alegre_times_are_the_same_searched_from_zones_or_from_sites() {
    use frontdoor::network::times::{times_to_sites_from, SearchFrom};
    let Some(_) = shared() else { return };
    let m = porto_alegre();
    let net = m.network.as_ref().unwrap();
    let walk = frontdoor::network::walk_kmh(&m.study);
    let all: Vec<usize> = (0..m.study.sites.len()).collect();
    for (mi, mode) in net.modes.iter().enumerate() {
        for bound in [30 * 60_000, u32::MAX - 1] {
            let by = |from| times_to_sites_from(&m.study, mode, walk, &all, bound, from, &|_| {});
            let (sites, zones) = (by(SearchFrom::Sites), by(SearchFrom::Zones));
            let pairs: usize = sites.iter().map(Vec::len).sum();
            assert!(
                pairs > 1_000,
                "{}: only {pairs} pairs",
                m.study.modes[mi].mode
            );
            assert_eq!(sites, zones, "{} within {bound} ms", m.study.modes[mi].mode);
        }
    }
}
