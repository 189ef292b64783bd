//! Network travel times of one mode, as the same [`ModeTimes`] the straight-line estimate gives:
//! bounded Dijkstra from every site in parallel (on the reversed graph, so times run from the
//! zones to the site), or from every zone forwards where the zones are fewer (the same times),
//! and multi-source Dijkstra for each zone's nearest site overall and of each kind.
//!
//! A zone's time to a site is its walk to the network, along its link to a node, the network
//! time from that node, and along the site's link and walk from the network to the site; or,
//! where both are on the same link, directly along it.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::mode::ModeParams;
use crate::model::Study;
use crate::network::graph::millis;
use crate::network::joined::ModeNetwork;
use crate::network::route::{nearest_source, Search, UNREACHED};
use crate::network::snap::{along_same_link, exits, Snap};
use crate::times::{ModeTimes, TimeBasis};

/// Milliseconds in a minute.
const MINUTE_MS: f64 = 60_000.0;

/// A point joined to the network: its snap and its walk to the network in milliseconds.
#[derive(Clone, Copy)]
struct Joined {
    snap: Snap,
    leg: u32,
}

fn joined(snaps: &[Option<Snap>], walk_kmh: f64) -> Vec<Option<Joined>> {
    snaps
        .iter()
        .map(|s| {
            s.map(|snap| Joined {
                snap,
                leg: millis(snap.distance_m, walk_kmh),
            })
        })
        .collect()
}

/// Sources of a search towards sites: (node, milliseconds from the node to the site, site).
fn site_sources(
    net: &ModeNetwork,
    walk_kmh: f64,
    keep: impl Fn(usize) -> bool,
) -> Vec<(u32, u32, u32)> {
    (0..net.site_snaps.len())
        .filter(|&s| keep(s))
        .flat_map(|s| {
            net.site_entries(s, walk_kmh)
                .into_iter()
                .map(move |(n, t)| (n, t, s as u32))
        })
        .collect()
}

/// Per zone, the nearest site among those kept and the network minutes to it (multi-source
/// Dijkstra from the kept sites on the reversed graph, plus sites on the zone's own link).
pub fn network_nearest(
    net: &ModeNetwork,
    walk_kmh: f64,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<(usize, f64)>> {
    let g = &net.graph;
    let zones = joined(&net.zone_snaps, walk_kmh);
    let sites = joined(&net.site_snaps, walk_kmh);
    let sources = site_sources(net, walk_kmh, keep);
    let best = nearest_source(&g.reverse, g.node_count(), &sources);
    let mut on_link_sites: HashMap<u32, Vec<usize>> = HashMap::new();
    for (s, j) in sites.iter().enumerate() {
        if let Some(j) = j.filter(|_| keep(s)) {
            on_link_sites.entry(j.snap.link.0).or_default().push(s);
        }
    }
    zones
        .par_iter()
        .map(|zj| {
            let zj = (*zj)?;
            let mut cand: (u32, u32) = (UNREACHED, UNREACHED);
            for e in exits(g, &zj.snap) {
                let (t, label) = best[e.node.0 as usize];
                if t != UNREACHED {
                    cand = cand.min((t.saturating_add(e.ms).saturating_add(zj.leg), label));
                }
            }
            for &s in on_link_sites.get(&zj.snap.link.0).into_iter().flatten() {
                let sj = sites[s].expect("joined");
                if let Some(ms) = along_same_link(g, &zj.snap, &sj.snap) {
                    cand = cand.min((ms.saturating_add(zj.leg).saturating_add(sj.leg), s as u32));
                }
            }
            (cand.0 != UNREACHED).then(|| (cand.1 as usize, cand.0 as f64 / MINUTE_MS))
        })
        .collect()
}

/// Points joined to the network, grouped by node: (node, point, milliseconds between the
/// node and the point), for looking up the points at each node a search reaches.
struct ByNode {
    items: Vec<(u32, u32, u32)>,
    offsets: Vec<usize>,
}

impl ByNode {
    fn new(n: usize, mut items: Vec<(u32, u32, u32)>) -> ByNode {
        items.sort_unstable();
        let mut offsets = vec![0usize; n + 1];
        for &(node, _, _) in &items {
            offsets[node as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        ByNode { items, offsets }
    }

    fn at(&self, node: u32) -> &[(u32, u32, u32)] {
        &self.items[self.offsets[node as usize]..self.offsets[node as usize + 1]]
    }
}

/// The least milliseconds one search finds to each of a set of points, and which it found.
struct Best {
    ms: Vec<u32>,
    found: Vec<u32>,
}

impl Best {
    fn new(points: usize) -> Best {
        Best {
            ms: vec![UNREACHED; points],
            found: Vec::new(),
        }
    }

    #[inline]
    fn offer(&mut self, point: u32, t: u32, bound: u32) {
        let b = &mut self.ms[point as usize];
        if t <= bound && t < *b {
            if *b == UNREACHED {
                self.found.push(point);
            }
            *b = t;
        }
    }

    /// Every node the search reached offers the points at it, at its time plus theirs.
    fn offer_reached(&mut self, search: &Search, by_node: &ByNode, bound: u32) {
        for &node in &search.touched {
            let d = search.dist[node as usize];
            for &(_, point, ms) in by_node.at(node) {
                self.offer(point, d.saturating_add(ms), bound);
            }
        }
    }

    /// The points found, in point order, with their milliseconds; ready for the next search.
    fn take(&mut self) -> Vec<(u32, u32)> {
        self.found.sort_unstable();
        let out = self
            .found
            .iter()
            .map(|&p| (p, self.ms[p as usize]))
            .collect();
        for &p in &self.found {
            self.ms[p as usize] = UNREACHED;
        }
        self.found.clear();
        out
    }
}

/// Which end the searches of [`times_to_sites_from`] start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchFrom {
    /// One search per listed site, on the reversed graph.
    Sites,
    /// One search per zone joined to the network, forwards (fewer searches where the zones
    /// are fewer than the sites listed).
    Zones,
}

/// Per listed site (in the order given), the zones whose network time to it is at most
/// `bound` milliseconds (`u32::MAX - 1` for no bound), in zone order, with minutes. The
/// searches start from whichever of the listed sites and the zones are fewer: the same times
/// either way, as both are the least over the same paths.
pub fn times_to_sites(
    study: &Study,
    net: &ModeNetwork,
    walk_kmh: f64,
    list: &[usize],
    bound: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<(u32, f64)>> {
    let zones = net.zone_snaps.iter().flatten().count();
    let from = if zones < list.len() {
        SearchFrom::Zones
    } else {
        SearchFrom::Sites
    };
    times_to_sites_from(study, net, walk_kmh, list, bound, from, progress)
}

/// [`times_to_sites`] with the searches' start chosen.
pub fn times_to_sites_from(
    study: &Study,
    net: &ModeNetwork,
    walk_kmh: f64,
    list: &[usize],
    bound: u32,
    from: SearchFrom,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<(u32, f64)>> {
    if from == SearchFrom::Zones {
        let out = times_from_zones(net, walk_kmh, list, bound);
        progress(list.len() as u64);
        return out;
    }
    let g = &net.graph;
    let n = g.node_count();
    let zones = joined(&net.zone_snaps, walk_kmh);
    let sites = joined(&net.site_snaps, walk_kmh);
    // Zones by the nodes they leave by, and by the link they are on.
    let mut at_node: Vec<(u32, u32, u32)> = Vec::new(); // (node, zone, ms from zone to node)
    let mut on_link: HashMap<u32, Vec<u32>> = HashMap::new();
    for (z, j) in zones.iter().enumerate() {
        if let Some(j) = j {
            for e in exits(g, &j.snap) {
                at_node.push((e.node.0, z as u32, e.ms.saturating_add(j.leg)));
            }
            on_link.entry(j.snap.link.0).or_default().push(z as u32);
        }
    }
    let at_node = ByNode::new(n, at_node);
    list.par_iter()
        .map_init(
            || (Search::new(n), Best::new(study.zones.len())),
            |(search, best), &s| {
                progress(1);
                let Some(site) = sites[s] else {
                    return Vec::new();
                };
                search.run(&g.reverse, &net.site_entries(s, walk_kmh), bound);
                best.offer_reached(search, &at_node, bound);
                for &z in on_link.get(&site.snap.link.0).into_iter().flatten() {
                    let zj = zones[z as usize].expect("zones on a link are joined");
                    if let Some(ms) = along_same_link(g, &zj.snap, &site.snap) {
                        let t = ms.saturating_add(zj.leg).saturating_add(site.leg);
                        best.offer(z, t, bound);
                    }
                }
                best.take()
                    .into_iter()
                    .map(|(z, ms)| (z, ms as f64 / MINUTE_MS))
                    .collect()
            },
        )
        .collect()
}

/// [`times_to_sites`] by one forward search per zone: each node a zone's search reaches
/// offers the zone to the listed sites entered from that node; sites on the zone's own link
/// are reached directly along it. Results are gathered per site in zone order.
fn times_from_zones(
    net: &ModeNetwork,
    walk_kmh: f64,
    list: &[usize],
    bound: u32,
) -> Vec<Vec<(u32, f64)>> {
    let g = &net.graph;
    let n = g.node_count();
    let zones = joined(&net.zone_snaps, walk_kmh);
    let sites = joined(&net.site_snaps, walk_kmh);
    // The listed sites (by their place in the list) by the nodes they are entered from, and
    // by the link they are on.
    let mut at_node: Vec<(u32, u32, u32)> = Vec::new(); // (node, place, ms from node to site)
    let mut on_link: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &s) in list.iter().enumerate() {
        if let Some(j) = sites[s] {
            for (node, ms) in net.site_entries(s, walk_kmh) {
                at_node.push((node, i as u32, ms));
            }
            on_link.entry(j.snap.link.0).or_default().push(i as u32);
        }
    }
    let at_node = ByNode::new(n, at_node);
    // Per zone, the listed sites within the bound: (place in the list, ms).
    let per_zone: Vec<Vec<(u32, u32)>> = zones
        .par_iter()
        .map_init(
            || (Search::new(n), Best::new(list.len())),
            |(search, best), zj| {
                let Some(zj) = zj else {
                    return Vec::new();
                };
                let sources: Vec<(u32, u32)> = exits(g, &zj.snap)
                    .into_iter()
                    .map(|e| (e.node.0, e.ms.saturating_add(zj.leg)))
                    .collect();
                search.run(&g.forward, &sources, bound);
                best.offer_reached(search, &at_node, bound);
                for &i in on_link.get(&zj.snap.link.0).into_iter().flatten() {
                    let sj = sites[list[i as usize]].expect("sites on a link are joined");
                    if let Some(ms) = along_same_link(g, &zj.snap, &sj.snap) {
                        best.offer(i, ms.saturating_add(zj.leg).saturating_add(sj.leg), bound);
                    }
                }
                best.take()
            },
        )
        .collect();
    let mut by_site: Vec<Vec<(u32, f64)>> = vec![Vec::new(); list.len()];
    for (z, found) in per_zone.iter().enumerate() {
        for &(i, ms) in found {
            by_site[i as usize].push((z as u32, ms as f64 / MINUTE_MS));
        }
    }
    by_site
}

/// The sites that may reach a zone joined to the network within `bound` ms: those within the
/// straight line a traveller covers in that time at the graph's fastest speed (or walking's,
/// if faster), every link's length over its time, with a margin for the milliseconds' rounding.
/// A site further from every zone has no zone within the bound, so its search is not run:
/// with it, a part of a partitioned study searches only from the sites near its own zones.
fn sites_near_zones(study: &Study, net: &ModeNetwork, walk_kmh: f64, bound: u32) -> Vec<usize> {
    let metres_per_ms = net
        .graph
        .links
        .iter()
        .flat_map(|l| [l.ms_ab, l.ms_ba].map(|ms| (l.length_m, ms)))
        .filter_map(|(len, ms)| ms.filter(|&ms| ms > 0).map(|ms| len / ms as f64))
        .fold(walk_kmh / 3600.0, f64::max);
    let radius = bound as f64 * metres_per_ms * 1.05 + 500.0;
    let zones = crate::index::PointIndex::with_indices(
        study
            .zones
            .iter()
            .enumerate()
            .filter(|(z, _)| net.zone_snaps[*z].is_some())
            .map(|(z, zone)| (z, zone.point)),
    );
    (0..study.sites.len())
        .filter(|&s| {
            zones
                .nearest(study.sites[s].point)
                .is_some_and(|(_, d)| d <= radius)
        })
        .collect()
}

/// Network travel times of one mode for the study's zones and sites.
pub fn network_times(
    study: &Study,
    net: &ModeNetwork,
    params: &ModeParams,
    walk_kmh: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> ModeTimes {
    let max_band = study.bands.largest();
    let bound = (max_band as f64 * MINUTE_MS) as u32;
    let listed = sites_near_zones(study, net, walk_kmh, bound);
    progress((study.sites.len() - listed.len()) as u64);
    let mut by_site = vec![Vec::new(); study.sites.len()];
    let times = times_to_sites(study, net, walk_kmh, &listed, bound, progress);
    for (&s, t) in listed.iter().zip(times) {
        by_site[s] = t;
    }

    let (nearest, kind_nearest) = crate::times::nearest_overall_and_by_kind(study, &|keep| {
        network_nearest(net, walk_kmh, keep)
    });
    ModeTimes {
        params: *params,
        basis: TimeBasis::Network,
        by_site,
        nearest,
        kind_nearest,
        transit: None,
    }
}
