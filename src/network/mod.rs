//! Travel on real networks: OpenStreetMap read into a routing graph per mode, points snapped to
//! it, and travel times found by Dijkstra's algorithm from every site in parallel.

pub mod cache;
pub mod graph;
mod joined;
pub mod osm;
pub mod profile;
pub mod route;
pub mod snap;
pub mod times;
pub mod transit;

use joined::speed_kmh;
pub use joined::{walk_kmh, ModeNetwork};

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Result;
use crate::mode::Mode;
use crate::model::{GraphCache, Study};
use crate::network::graph::{build_graph, Graph};
use crate::network::osm::read_osm;
use crate::network::snap::{LinkIndex, Snap};
use crate::text::whole;
use crate::times::ModeTimes;

/// The study's network: one graph per mode, zones and sites joined.
pub struct Network {
    /// One per study mode, in study order.
    pub modes: Vec<ModeNetwork>,
    /// SHA-256 of the OSM file, hex.
    pub sha256: String,
    /// What a user should know about the joins (zones or sites the network does not reach).
    pub warnings: Vec<String>,
    /// Public transport, when the study measures the `transit` mode.
    pub transit: Option<transit::TransitNetwork>,
}

impl Network {
    /// Zones beyond the snap limit, per mode.
    pub fn zones_not_joined(&self) -> Vec<usize> {
        self.modes
            .iter()
            .map(|m| m.zone_snaps.iter().filter(|s| s.is_none()).count())
            .collect()
    }
}

/// Reads the OSM file, builds a graph per study mode and joins zones and sites to each.
pub fn build_network(study: &Study, path: &Path, snap_limit_m: f64) -> Result<Network> {
    let (walk, cycle) = (walk_kmh(study), speed_kmh(study, Mode::Cycle));
    let sha256 = crate::fingerprint::sha256_of_file(path)?;
    let graphs = graphs(study, path, &sha256, walk, cycle)?;
    let modes = study
        .modes
        .iter()
        .zip(graphs)
        .map(|(p, graph)| {
            log::info!(
                "{} network: {} nodes, {} links ({} nodes and {} links outside the largest strongly connected component dropped)",
                p.mode,
                graph.node_count(),
                graph.links.len(),
                graph.dropped_nodes,
                graph.dropped_links
            );
            let index = LinkIndex::new(&graph);
            let snap = |pts: Vec<geo::Coord<f64>>| -> (Vec<Option<Snap>>, Vec<Option<f64>>) {
                pts.par_iter()
                    .map(|p| {
                        let s = index.snap(*p);
                        (s.filter(|s| s.distance_m <= snap_limit_m), s.map(|s| s.distance_m))
                    })
                    .unzip()
            };
            let (zone_snaps, zone_snap_m) = snap(study.zones.iter().map(|z| z.point).collect());
            let (site_snaps, site_snap_m) = snap(study.sites.iter().map(|s| s.point).collect());
            let m = ModeNetwork { graph, zone_snaps, zone_snap_m, site_snaps, site_snap_m };
            let warning = check_coverage(study, path, p.mode, snap_limit_m, &m)?;
            // Public transport walks on the walking network: one warning for both.
            let on_walks = p.mode == Mode::Transit && study.modes.iter().any(|q| q.mode == Mode::Walk);
            let warning = warning.filter(|_| !on_walks);
            Ok((m, warning))
        })
        .collect::<Result<Vec<_>>>()?;
    let (modes, warnings): (Vec<ModeNetwork>, Vec<Option<String>>) = modes.into_iter().unzip();
    let mut warnings: Vec<String> = warnings.into_iter().flatten().collect();
    let transit = match (
        &study.transit,
        study.modes.iter().position(|p| p.mode == Mode::Transit),
    ) {
        (Some(t), Some(i)) => {
            let tn = transit::build_transit(study, t, &modes[i], walk)?;
            log::info!(
                "public transport: {} stops, {} patterns, {} trips in the window's timetable ({} draws), prepared in {:.2} s",
                tn.stops.len(),
                tn.timetables[0].patterns.len(),
                tn.timetables[0].trips(),
                tn.timetables.len(),
                tn.prepared_s
            );
            warnings.extend(tn.warnings.iter().cloned());
            Some(tn)
        }
        _ => None,
    };
    for w in &warnings {
        log::warn!("{w}");
    }
    Ok(Network {
        modes,
        sha256,
        warnings,
        transit,
    })
}

/// Below this share of zones joined, the network is taken not to cover the study.
const MIN_ZONES_JOINED: f64 = 0.05;

/// A warning of zones and sites the network does not join; an error for a network that joins none
/// or almost none of the zones, or none of the sites: it is an extract of somewhere else (or
/// of too small an area), and every travel time would be off-network.
fn check_coverage(
    study: &Study,
    path: &Path,
    mode: Mode,
    limit_m: f64,
    m: &ModeNetwork,
) -> Result<Option<String>> {
    let zones = m.zone_snaps.iter().filter(|s| s.is_some()).count();
    let sites = m.site_snaps.iter().filter(|s| s.is_some()).count();
    let (nz, ns) = (study.zones.len(), study.sites.len());
    let said = format!(
        "{} of {} zones and {} of {} sites are within {} m of the {mode} network of {}",
        whole(zones as f64),
        whole(nz as f64),
        whole(sites as f64),
        whole(ns as f64),
        limit_m,
        path.display()
    );
    if (zones as f64) < MIN_ZONES_JOINED * nz as f64 || (sites == 0 && ns > 0) {
        return Err(crate::error::Error::Network(format!(
            "the network does not cover the study: only {said}; the network spans {}, the \
             study {}: use an OpenStreetMap extract that covers the study area (or raise \
             [travel] snap_limit_m if the zones are far from any road)",
            extent(m.graph.nodes.iter().copied()),
            extent(
                study
                    .zones
                    .iter()
                    .map(|z| z.point)
                    .chain(study.sites.iter().map(|s| s.point))
            ),
        )));
    }
    Ok((zones < nz || sites < ns).then(|| {
        format!(
            "{said}; the others have no {mode} times (counted in run.json; their distance to \
             the network is snap_m_{mode} in zones.csv and sites.csv)"
        )
    }))
}

/// The bounding box of points in the working CRS, for a message.
fn extent(points: impl Iterator<Item = geo::Coord<f64>>) -> String {
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for c in points {
        lo = (lo.0.min(c.x), lo.1.min(c.y));
        hi = (hi.0.max(c.x), hi.1.max(c.y));
    }
    if lo.0 > hi.0 {
        return "nothing".into();
    }
    format!(
        "x {:.0} to {:.0}, y {:.0} to {:.0} (working CRS, metres)",
        lo.0, hi.0, lo.1, hi.1
    )
}

/// The graph of every study mode: from the caches where they match the OSM file, else read
/// from the file (once for all modes) and cached.
fn graphs(study: &Study, path: &Path, sha: &str, walk: f64, cycle: f64) -> Result<Vec<Graph>> {
    let folder = match &study.graph_cache {
        GraphCache::BesideNetwork => Some(None),
        GraphCache::Folder(f) => {
            let _ = std::fs::create_dir_all(f);
            Some(Some(f.as_path()))
        }
        GraphCache::Off => None,
    };
    let caches: Vec<Option<(PathBuf, String)>> = study
        .modes
        .iter()
        .map(|p| {
            folder.map(|f| {
                let mode = p.mode.street_mode();
                let key = cache::cache_key(sha, mode, walk, cycle, &study.crs);
                (cache::cache_path(path, mode, f), key)
            })
        })
        .collect();
    let cached: Vec<Option<Graph>> = study
        .modes
        .iter()
        .zip(&caches)
        .map(|(p, c)| {
            c.as_ref()
                .and_then(|(f, k)| cache::load(f, k, p.mode.street_mode()))
        })
        .collect();
    if cached.iter().all(Option::is_some) {
        log::info!("graphs read from their caches ({})", path.display());
        return Ok(cached.into_iter().flatten().collect());
    }
    let osm = read_osm(path)?;
    // Walk and transit share the walking network: built (and cached) once.
    let mut out: Vec<Graph> = Vec::with_capacity(study.modes.len());
    for (i, ((p, cache), c)) in study.modes.iter().zip(caches).zip(cached).enumerate() {
        let street = p.mode.street_mode();
        let earlier = (0..i).find(|&j| study.modes[j].mode.street_mode() == street);
        let g = match (c, earlier) {
            (Some(g), _) => g,
            (None, Some(j)) => out[j].clone(),
            (None, None) => {
                let g = build_graph(&osm, street, walk, cycle, &study.crs)?;
                if let Some((file, key)) = cache {
                    cache::save(&file, &key, &g);
                }
                g
            }
        };
        out.push(g);
    }
    Ok(out)
}

/// Network travel times of every study mode.
pub fn network_times(
    study: &Study,
    net: &Network,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<ModeTimes> {
    let walk = walk_kmh(study);
    study
        .modes
        .iter()
        .zip(&net.modes)
        .map(|(p, m)| match (p.mode, &net.transit) {
            (Mode::Transit, Some(tn)) => transit::transit_times(study, m, tn, p, walk, progress),
            _ => times::network_times(study, m, p, walk, progress),
        })
        .collect()
}

/// The working CRS for an OSM file alone: BNG in Great Britain, else the local UTM zone.
pub fn working_crs_for(osm: &osm::OsmData) -> Result<crate::crs::Crs> {
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for &(x, y) in osm.nodes.values() {
        lo = (lo.0.min(x), lo.1.min(y));
        hi = (hi.0.max(x), hi.1.max(y));
    }
    if osm.nodes.is_empty() {
        return Err(crate::error::Error::Network(
            "the OSM file has no highway nodes".into(),
        ));
    }
    Ok(if crate::crs::Crs::gb_covers(lo.0, lo.1, hi.0, hi.1) {
        crate::crs::Crs::bng()
    } else {
        crate::crs::Crs::utm_for((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0)
    })
}

/// A graph as two tables, nodes.csv (node, osm_id, x, y) and arcs.csv (from, to, ms), for
/// checking shortest paths with other tools.
pub fn graph_tables(g: &Graph) -> [(&'static str, String); 2] {
    use std::fmt::Write as _;
    let mut nodes = String::from("node,osm_id,x,y\n");
    for (i, c) in g.nodes.iter().enumerate() {
        let _ = writeln!(nodes, "{i},{},{:.3},{:.3}", g.osm_ids[i], c.x, c.y);
    }
    let mut arcs = String::from("from,to,ms\n");
    for n in 0..g.node_count() as u32 {
        for (m, ms) in g.forward.arcs(n) {
            let _ = writeln!(arcs, "{n},{m},{ms}");
        }
    }
    [("nodes.csv", nodes), ("arcs.csv", arcs)]
}
