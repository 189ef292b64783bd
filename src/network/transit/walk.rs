//! The walks of a public-transport journey, on the study's walking network: from each zone to
//! the stops within the access limit, from the stops to each site within the same limit, and
//! between stops within the transfer distance. Stops join the network as zones and sites do
//! (nearest point of the nearest link, the off-network leg walked). Times are whole seconds,
//! rounded up from the network's milliseconds.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::network::graph::{millis, Csr, Graph};
use crate::network::joined::ModeNetwork;
use crate::network::route::{Search, UNREACHED};
use crate::network::snap::{along_same_link, entries, exits, LinkIndex, Snap};

/// A walk's length in whole seconds, from milliseconds.
pub fn seconds(ms: u32) -> u32 {
    ms.div_ceil(1000)
}

/// Walks between the study's points and its stops.
#[derive(Debug, Clone)]
pub struct Walks {
    /// Each stop's join to the walking network (None beyond the snap limit).
    pub stop_snaps: Vec<Option<Snap>>,
    /// Per stop: stops within the transfer distance, (stop, seconds), by stop.
    pub transfers: Vec<Vec<(u32, u32)>>,
    /// Per zone: stops within the access limit, (stop, seconds), by stop.
    pub access: Vec<Vec<(u32, u32)>>,
    /// Per site: stops from which it is within the access limit, (stop, seconds), by stop.
    pub egress: Vec<Vec<(u32, u32)>>,
}

/// Stops as search targets: per node, the stops reached from it (or that reach it) with the
/// milliseconds between, and the stops on each link.
struct Targets {
    offsets: Vec<u32>,
    list: Vec<(u32, u32)>,
    on_link: HashMap<u32, Vec<u32>>,
}

impl Targets {
    /// `arriving`: targets reached from nodes (entries); else targets that reach nodes (exits).
    fn new(g: &Graph, snaps: &[Option<Snap>], walk_kmh: f64, arriving: bool) -> Targets {
        let mut pairs: Vec<(u32, u32, u32)> = Vec::new();
        let mut on_link: HashMap<u32, Vec<u32>> = HashMap::new();
        for (s, snap) in snaps.iter().enumerate() {
            let Some(snap) = snap else { continue };
            let leg = millis(snap.distance_m, walk_kmh);
            let ways = if arriving {
                entries(g, snap)
            } else {
                exits(g, snap)
            };
            for a in ways {
                pairs.push((a.node.0, s as u32, a.ms.saturating_add(leg)));
            }
            on_link.entry(snap.link.0).or_default().push(s as u32);
        }
        pairs.sort_unstable();
        let n = g.node_count();
        let mut offsets = vec![0u32; n + 1];
        for &(node, _, _) in &pairs {
            offsets[node as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Targets {
            offsets,
            list: pairs.into_iter().map(|(_, s, ms)| (s, ms)).collect(),
            on_link,
        }
    }

    fn at(&self, node: u32) -> &[(u32, u32)] {
        &self.list[self.offsets[node as usize] as usize..self.offsets[node as usize + 1] as usize]
    }
}

/// The targets within `bound` ms of the sources on `csr`, with seconds, by target; `direct`
/// gives the time along a shared link to a target on the link `link`.
#[allow(clippy::too_many_arguments)]
fn walk_to_targets(
    csr: &Csr,
    search: &mut Search,
    sources: &[(u32, u32)],
    bound: u32,
    targets: &Targets,
    link: Option<u32>,
    direct: &dyn Fn(u32) -> Option<u32>,
) -> Vec<(u32, u32)> {
    search.run(csr, sources, bound);
    let mut best: HashMap<u32, u32> = HashMap::new();
    let mut offer = |t: u32, ms: u32| {
        if ms <= bound {
            let e = best.entry(t).or_insert(UNREACHED);
            *e = (*e).min(ms);
        }
    };
    for &node in &search.touched {
        let d = search.dist[node as usize];
        for &(t, ms) in targets.at(node) {
            offer(t, d.saturating_add(ms));
        }
    }
    for &t in link
        .and_then(|l| targets.on_link.get(&l))
        .into_iter()
        .flatten()
    {
        if let Some(ms) = direct(t) {
            offer(t, ms);
        }
    }
    let mut out: Vec<(u32, u32)> = best.into_iter().map(|(t, ms)| (t, seconds(ms))).collect();
    out.sort_unstable();
    out
}

/// Joins stops (in the working CRS) to the walking network and finds every walk a journey
/// makes.
pub fn walks(
    net: &ModeNetwork,
    stop_points: &[geo::Coord<f64>],
    snap_limit_m: f64,
    walk_kmh: f64,
    access_minutes: f64,
    transfer_m: f64,
) -> Walks {
    let g = &net.graph;
    let index = LinkIndex::new(g);
    let stop_snaps: Vec<Option<Snap>> = stop_points
        .par_iter()
        .map(|p| index.snap(*p).filter(|s| s.distance_m <= snap_limit_m))
        .collect();
    let leg = |s: &Snap| millis(s.distance_m, walk_kmh);
    let arriving = Targets::new(g, &stop_snaps, walk_kmh, true);
    let leaving = Targets::new(g, &stop_snaps, walk_kmh, false);
    let access_ms = (access_minutes * 60_000.0).round() as u32;
    let transfer_ms = millis(transfer_m, walk_kmh);
    let n = g.node_count();

    // From a snapped point forwards to the stops it reaches.
    let forward = |search: &mut Search, from: &Option<Snap>, bound: u32| match from {
        Some(z) => {
            let sources: Vec<(u32, u32)> = exits(g, z)
                .into_iter()
                .map(|e| (e.node.0, e.ms.saturating_add(leg(z))))
                .collect();
            let direct = |t: u32| {
                let st = stop_snaps[t as usize].expect("targets are joined");
                along_same_link(g, z, &st).map(|ms| ms.saturating_add(leg(z) + leg(&st)))
            };
            walk_to_targets(
                &g.forward,
                search,
                &sources,
                bound,
                &arriving,
                Some(z.link.0),
                &direct,
            )
        }
        None => Vec::new(),
    };
    let transfers: Vec<Vec<(u32, u32)>> = stop_snaps
        .par_iter()
        .enumerate()
        .map_init(
            || Search::new(n),
            |search, (s, snap)| {
                let mut v = forward(search, snap, transfer_ms);
                v.retain(|&(t, _)| t != s as u32);
                v
            },
        )
        .collect();
    let access: Vec<Vec<(u32, u32)>> = net
        .zone_snaps
        .par_iter()
        .map_init(
            || Search::new(n),
            |search, snap| forward(search, snap, access_ms),
        )
        .collect();
    let egress: Vec<Vec<(u32, u32)>> = (0..net.site_snaps.len())
        .into_par_iter()
        .map_init(
            || Search::new(n),
            |search, s| {
                let Some(site) = net.site_snaps[s] else {
                    return Vec::new();
                };
                let sources = net.site_entries(s, walk_kmh);
                let direct = |t: u32| {
                    let st = stop_snaps[t as usize].expect("targets are joined");
                    along_same_link(g, &st, &site)
                        .map(|ms| ms.saturating_add(leg(&site) + leg(&st)))
                };
                walk_to_targets(
                    &g.reverse,
                    search,
                    &sources,
                    access_ms,
                    &leaving,
                    Some(site.link.0),
                    &direct,
                )
            },
        )
        .collect();
    Walks {
        stop_snaps,
        transfers,
        access,
        egress,
    }
}
