//! Dijkstra's algorithm on the CSR graph: bounded one-to-all with reusable buffers (one set per
//! thread), and multi-source for the nearest of many sources. Times are whole milliseconds;
//! ties go to the lower source label, so results never depend on the order of work.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::network::graph::Csr;

/// Unreached.
pub const UNREACHED: u32 = u32::MAX;

/// A heap entry: milliseconds and node in one number that orders as the pair does.
#[inline]
fn key(t: u32, n: u32) -> u64 {
    (t as u64) << 32 | n as u64
}

/// Buffers for repeated searches on graphs of one size: reset costs only what was touched.
pub struct Search {
    /// Best time found per node.
    pub dist: Vec<u32>,
    /// Nodes whose time was set, in the order they were settled or reached.
    pub touched: Vec<u32>,
    /// (milliseconds, node) packed as one number, milliseconds high: ordered as the pair.
    heap: BinaryHeap<Reverse<u64>>,
    /// Nodes settled by the last search (for throughput measurements).
    pub settled: usize,
}

impl Search {
    /// Buffers for a graph of `n` nodes.
    pub fn new(n: usize) -> Self {
        Search {
            dist: vec![UNREACHED; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            settled: 0,
        }
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            self.dist[n as usize] = UNREACHED;
        }
        self.touched.clear();
        self.heap.clear();
        self.settled = 0;
    }

    /// Times from the sources (node, starting milliseconds) over `csr`'s arcs, up to `bound`
    /// milliseconds inclusive. Afterwards `dist` holds the times of `touched` nodes; nodes whose
    /// time exceeds the bound may be touched but are never expanded.
    pub fn run(&mut self, csr: &Csr, sources: &[(u32, u32)], bound: u32) {
        self.reset();
        for &(n, t) in sources {
            if t <= bound && t < self.dist[n as usize] {
                if self.dist[n as usize] == UNREACHED {
                    self.touched.push(n);
                }
                self.dist[n as usize] = t;
                self.heap.push(Reverse(key(t, n)));
            }
        }
        while let Some(Reverse(k)) = self.heap.pop() {
            let (t, n) = ((k >> 32) as u32, k as u32);
            if t > self.dist[n as usize] {
                continue;
            }
            self.settled += 1;
            for (m, w) in csr.arcs(n) {
                let nt = t.saturating_add(w);
                if nt <= bound && nt < self.dist[m as usize] {
                    if self.dist[m as usize] == UNREACHED {
                        self.touched.push(m);
                    }
                    self.dist[m as usize] = nt;
                    self.heap.push(Reverse(key(nt, m)));
                }
            }
        }
    }
}

/// Nearest source to every node: (milliseconds, source label) per node, UNREACHED where none.
/// Sources are (node, starting milliseconds, label); on equal times the lower label wins.
pub fn nearest_source(csr: &Csr, n: usize, sources: &[(u32, u32, u32)]) -> Vec<(u32, u32)> {
    let mut best = vec![(UNREACHED, UNREACHED); n];
    let mut heap: BinaryHeap<Reverse<(u32, u32, u32)>> = BinaryHeap::new();
    for &(node, t, label) in sources {
        if (t, label) < best[node as usize] {
            best[node as usize] = (t, label);
            heap.push(Reverse((t, label, node)));
        }
    }
    while let Some(Reverse((t, label, node))) = heap.pop() {
        if (t, label) > best[node as usize] {
            continue;
        }
        for (m, w) in csr.arcs(node) {
            let cand = (t.saturating_add(w), label);
            if cand < best[m as usize] {
                best[m as usize] = cand;
                heap.push(Reverse((cand.0, cand.1, m)));
            }
        }
    }
    best
}
