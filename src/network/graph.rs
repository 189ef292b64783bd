//! The routing graph of one mode: OSM ways split where they share nodes, kept as links with
//! their geometry, reduced to the largest strongly connected component, and laid out as
//! compressed sparse rows (CSR) in both directions. Travel times are whole milliseconds.

use std::collections::HashMap;

use geo::Coord;

use crate::crs::{Crs, Transformer};
use crate::error::{Error, Result};
use crate::mode::Mode;
use crate::network::osm::OsmData;
use crate::network::profile::traversal;

/// A graph node (a junction or way end), index into [`Graph::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// A link (an undirected piece of way between two nodes), index into [`Graph::links`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkId(pub u32);

/// A piece of way between two graph nodes, travelable in one or both directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// First node (the way's order).
    pub a: NodeId,
    /// Last node.
    pub b: NodeId,
    /// Length along the geometry, metres (working CRS).
    pub length_m: f64,
    /// Milliseconds from a to b, if allowed.
    pub ms_ab: Option<u32>,
    /// Milliseconds from b to a, if allowed.
    pub ms_ba: Option<u32>,
    /// The OSM way it comes from.
    pub way: i64,
    /// Its geometry, from a to b (working CRS).
    pub geometry: Vec<Coord<f64>>,
}

/// Directed adjacency in CSR form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    /// `offsets[n]..offsets[n + 1]` index the arcs of node n.
    pub offsets: Vec<u32>,
    /// The node at the other end of each arc.
    pub heads: Vec<u32>,
    /// Milliseconds along each arc.
    pub ms: Vec<u32>,
}

impl Csr {
    fn build(n: usize, arcs: &mut [(u32, u32, u32)]) -> Csr {
        arcs.sort_unstable();
        let mut offsets = vec![0u32; n + 1];
        for &(from, _, _) in arcs.iter() {
            offsets[from as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            heads: arcs.iter().map(|a| a.1).collect(),
            ms: arcs.iter().map(|a| a.2).collect(),
        }
    }

    /// The arcs of a node: (head, milliseconds).
    pub fn arcs(&self, n: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (s, e) = (
            self.offsets[n as usize] as usize,
            self.offsets[n as usize + 1] as usize,
        );
        self.heads[s..e]
            .iter()
            .copied()
            .zip(self.ms[s..e].iter().copied())
    }
}

/// The routing graph of one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// The mode.
    pub mode: Mode,
    /// Node positions (working CRS).
    pub nodes: Vec<Coord<f64>>,
    /// OSM node id of each node.
    pub osm_ids: Vec<i64>,
    /// Links.
    pub links: Vec<Link>,
    /// Arcs leaving each node.
    pub forward: Csr,
    /// Arcs entering each node (heads are the arcs' tails).
    pub reverse: Csr,
    /// Nodes dropped outside the largest strongly connected component.
    pub dropped_nodes: usize,
    /// Links dropped with them.
    pub dropped_links: usize,
}

impl Graph {
    /// A graph from its nodes and links (already one strongly connected component), with its
    /// CSR arrays built.
    pub fn from_parts(
        mode: Mode,
        nodes: Vec<Coord<f64>>,
        osm_ids: Vec<i64>,
        links: Vec<Link>,
        dropped_nodes: usize,
        dropped_links: usize,
    ) -> Graph {
        let m = nodes.len();
        let mut arcs = arcs_of(&links);
        let forward = Csr::build(m, &mut arcs);
        let mut rev: Vec<(u32, u32, u32)> = arcs.iter().map(|&(a, b, ms)| (b, a, ms)).collect();
        let reverse = Csr::build(m, &mut rev);
        Graph {
            mode,
            nodes,
            osm_ids,
            links,
            forward,
            reverse,
            dropped_nodes,
            dropped_links,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

/// Milliseconds to travel `metres` at `kmh`.
pub fn millis(metres: f64, kmh: f64) -> u32 {
    (metres / (kmh / 3.6) * 1000.0).round() as u32
}

/// Builds the graph of one mode from OSM data, in the working CRS.
pub fn build_graph(
    osm: &OsmData,
    mode: Mode,
    walk_kmh: f64,
    cycle_kmh: f64,
    crs: &Crs,
) -> Result<Graph> {
    let to = Transformer::new(&Crs::wgs84(), crs);
    // Ways this mode may use, with how.
    let usable: Vec<_> = osm
        .ways
        .iter()
        .filter_map(|w| traversal(mode, w, walk_kmh, cycle_kmh).map(|t| (w, t)))
        .collect();
    // A node splits ways where two usable ways (or one, twice) meet, and at way ends.
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for (w, _) in &usable {
        for n in &w.nodes {
            *uses.entry(*n).or_default() += 1;
        }
    }
    let mut index: HashMap<i64, u32> = HashMap::new();
    let mut nodes: Vec<Coord<f64>> = Vec::new();
    let mut osm_ids: Vec<i64> = Vec::new();
    let mut projected: HashMap<i64, Coord<f64>> = HashMap::new();
    let mut project = |id: i64| -> Option<Coord<f64>> {
        if let Some(c) = projected.get(&id) {
            return Some(*c);
        }
        let (lon, lat) = *osm.nodes.get(&id)?;
        let (x, y) = to.apply(lon, lat).ok()?;
        let c = Coord { x, y };
        projected.insert(id, c);
        Some(c)
    };
    let mut links: Vec<Link> = Vec::new();
    for (w, t) in &usable {
        // Split the way into runs of nodes that have coordinates (a clipped extract cuts ways).
        let mut run: Vec<(i64, Coord<f64>)> = Vec::new();
        let flush = |run: &mut Vec<(i64, Coord<f64>)>,
                     links: &mut Vec<Link>,
                     nodes: &mut Vec<Coord<f64>>,
                     osm_ids: &mut Vec<i64>,
                     index: &mut HashMap<i64, u32>| {
            if run.len() >= 2 {
                let mut start = 0;
                for k in 1..run.len() {
                    let end_here =
                        k == run.len() - 1 || uses.get(&run[k].0).copied().unwrap_or(0) >= 2;
                    if !end_here {
                        continue;
                    }
                    let geometry: Vec<Coord<f64>> = run[start..=k].iter().map(|p| p.1).collect();
                    let length_m: f64 = geometry
                        .windows(2)
                        .map(|s| (s[1].x - s[0].x).hypot(s[1].y - s[0].y))
                        .sum();
                    let mut node = |id: i64, c: Coord<f64>| -> NodeId {
                        NodeId(*index.entry(id).or_insert_with(|| {
                            nodes.push(c);
                            osm_ids.push(id);
                            (nodes.len() - 1) as u32
                        }))
                    };
                    let a = node(run[start].0, run[start].1);
                    let b = node(run[k].0, run[k].1);
                    if a != b || length_m > 0.0 {
                        let ms = millis(length_m, t.speed_kmh);
                        links.push(Link {
                            a,
                            b,
                            length_m,
                            ms_ab: t.forward.then_some(ms),
                            ms_ba: t.backward.then_some(ms),
                            way: w.id,
                            geometry,
                        });
                    }
                    start = k;
                }
            }
            run.clear();
        };
        for id in &w.nodes {
            match project(*id) {
                Some(c) => run.push((*id, c)),
                None => flush(&mut run, &mut links, &mut nodes, &mut osm_ids, &mut index),
            }
        }
        flush(&mut run, &mut links, &mut nodes, &mut osm_ids, &mut index);
    }
    if links.is_empty() {
        return Err(Error::Network(format!(
            "the network has no ways that can be travelled by {mode}"
        )));
    }
    Ok(largest_component(mode, nodes, osm_ids, links))
}

fn arcs_of(links: &[Link]) -> Vec<(u32, u32, u32)> {
    let mut arcs = Vec::with_capacity(links.len() * 2);
    for l in links {
        if let Some(ms) = l.ms_ab {
            arcs.push((l.a.0, l.b.0, ms));
        }
        if let Some(ms) = l.ms_ba {
            arcs.push((l.b.0, l.a.0, ms));
        }
    }
    arcs
}

/// Strongly connected components (iterative Tarjan); returns each node's component and the
/// component count.
fn components(n: usize, csr: &Csr) -> Vec<u32> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut next_index = 0u32;
    let mut next_comp = 0u32;
    let mut call: Vec<(u32, u32)> = Vec::new(); // (node, next arc position)
    for root in 0..n as u32 {
        if index[root as usize] != UNSEEN {
            continue;
        }
        call.push((root, csr.offsets[root as usize]));
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let end = csr.offsets[v as usize + 1];
            if *pos < end {
                let w = csr.heads[*pos as usize];
                *pos += 1;
                if index[w as usize] == UNSEEN {
                    index[w as usize] = next_index;
                    low[w as usize] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    call.push((w, csr.offsets[w as usize]));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent as usize] = low[parent as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    loop {
                        let w = stack.pop().expect("tarjan stack");
                        on_stack[w as usize] = false;
                        comp[w as usize] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

fn largest_component(
    mode: Mode,
    nodes: Vec<Coord<f64>>,
    osm_ids: Vec<i64>,
    links: Vec<Link>,
) -> Graph {
    let n = nodes.len();
    let csr = Csr::build(n, &mut arcs_of(&links));
    let comp = components(n, &csr);
    let mut sizes: HashMap<u32, (usize, u32)> = HashMap::new();
    for (i, c) in comp.iter().enumerate() {
        let e = sizes.entry(*c).or_insert((0, i as u32));
        e.0 += 1;
    }
    // Largest; on a tie, the one holding the lowest node.
    let keep = sizes
        .iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(c, _)| *c)
        .expect("a graph with links has nodes");
    let mut renumber = vec![u32::MAX; n];
    let mut kept_nodes = Vec::new();
    let mut kept_ids = Vec::new();
    for i in 0..n {
        if comp[i] == keep {
            renumber[i] = kept_nodes.len() as u32;
            kept_nodes.push(nodes[i]);
            kept_ids.push(osm_ids[i]);
        }
    }
    let total_links = links.len();
    let mut kept_links: Vec<Link> = Vec::new();
    for mut l in links {
        let (a, b) = (renumber[l.a.0 as usize], renumber[l.b.0 as usize]);
        if a == u32::MAX || b == u32::MAX {
            continue;
        }
        l.a = NodeId(a);
        l.b = NodeId(b);
        kept_links.push(l);
    }
    let (dropped_nodes, dropped_links) = (n - kept_nodes.len(), total_links - kept_links.len());
    Graph::from_parts(
        mode,
        kept_nodes,
        kept_ids,
        kept_links,
        dropped_nodes,
        dropped_links,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Component labels as sets of nodes, for comparison whatever the labels are.
    fn groups(comp: &[u32]) -> Vec<Vec<usize>> {
        let mut by: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, c) in comp.iter().enumerate() {
            by.entry(*c).or_default().push(i);
        }
        let mut g: Vec<Vec<usize>> = by.into_values().collect();
        g.sort();
        g
    }

    #[test]
    fn tarjan_finds_strongly_connected_components() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 2 -> 3 -> 4 -> 3 another; 5 alone, reached from 4.
        let mut arcs = vec![
            (0, 1, 1),
            (1, 2, 1),
            (2, 0, 1),
            (2, 3, 1),
            (3, 4, 1),
            (4, 3, 1),
            (4, 5, 1),
        ];
        let csr = Csr::build(6, &mut arcs);
        let comp = components(6, &csr);
        assert_eq!(groups(&comp), vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
    }

    #[test]
    fn tarjan_on_a_long_path_does_not_overflow_the_stack() {
        // A one-way chain of 200,000 nodes closed into a ring: one component, found iteratively.
        let n = 200_000u32;
        let mut arcs: Vec<(u32, u32, u32)> = (0..n).map(|i| (i, (i + 1) % n, 1)).collect();
        let csr = Csr::build(n as usize, &mut arcs);
        let comp = components(n as usize, &csr);
        assert!(comp.iter().all(|&c| c == comp[0]));
    }
}
