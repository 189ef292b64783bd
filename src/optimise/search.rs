//! Branch-and-bound on the sites for the exact engine: best-first on the Lagrangian bound, so
//! the bound reported when a limit stops the search is the smallest of the open nodes' (the
//! true global bound), and nodes are expanded in fixed-size batches in parallel, so the search
//! and its answer are the same at any thread count.
//!
//! Each node is bounded by its own Lagrangian (warm-started from its parent's multipliers),
//! shrunk by reduced-cost fixing, and split on the free site the relaxation wants most: its
//! children carry the bounds the parent's multipliers give them, which order the queue.

use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::best_first::{best_first_order, next_batch};
use super::core::{Columns, Core, Limits, Outcome};

/// Nodes expanded together (fixed, so that the search does not depend on the thread count).
const BATCH: usize = 8;
/// Subgradient iterations at the root and at other nodes.
const ROOT_ITERATIONS: usize = 3000;
const NODE_ITERATIONS: usize = 300;

/// A node of the search: which sites are fixed in and out, and what is known of its bound.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub fixed: Vec<bool>,
    pub forbidden: Vec<bool>,
    /// Multipliers to start from (the parent's best).
    pub lambda: Arc<Vec<f64>>,
    /// A lower bound on the node's solutions (its parent's estimate).
    pub bound: f64,
    /// Creation order: of equal bounds the newest first (a dive), and a total order.
    pub seq: u64,
}

best_first_order!(Node);

/// The Lagrangian at one node.
pub(super) struct Relaxed {
    pub bound: f64,
    pub lambda: Vec<f64>,
    /// ρ_j of the best multipliers.
    pub rho: Vec<f64>,
}

/// What expanding a node gave.
struct Expanded {
    /// Children to queue (bound, fixed, forbidden), sharing the node's multipliers.
    children: Vec<(f64, Vec<bool>, Vec<bool>)>,
    lambda: Arc<Vec<f64>>,
    /// A better solution found on the way.
    found: Option<(Vec<bool>, f64)>,
    iterations: usize,
    /// The time ran out during the node: it goes back to the queue with this bound.
    unfinished: Option<f64>,
    /// The node's own bound (infinite where it has no solution).
    bound: f64,
}

/// The search's fixed context.
pub(super) struct Search<'a> {
    pub core: &'a Core,
    pub cols: &'a Columns,
    pub integral: bool,
    pub start: Instant,
    pub limits: Limits,
}

/// What the search found.
pub(super) struct Searched {
    pub best: Vec<bool>,
    pub value: f64,
    pub bound: f64,
    pub finished: bool,
    pub nodes: usize,
    pub iterations: usize,
    pub root_bound: f64,
}

impl<'a> Search<'a> {
    pub fn out_of_time(&self) -> bool {
        self.start.elapsed().as_secs_f64() > self.limits.seconds
    }

    /// Whether a bound proves a node cannot beat the incumbent.
    pub fn prunes(&self, bound: f64, incumbent: f64) -> bool {
        let eps = 1e-9 * incumbent.abs().max(1.0);
        if self.integral {
            (bound - 1e-6).ceil() >= incumbent - 0.5
        } else {
            bound >= incumbent - eps
        }
    }

    fn close_enough(&self, bound: f64, incumbent: f64) -> bool {
        self.limits.gap > 0.0 && incumbent - bound <= self.limits.gap * incumbent.abs()
    }

    /// Runs the search from the root, with an incumbent.
    pub fn run(&self, mut best: Vec<bool>, mut value: f64) -> Searched {
        let core = self.core;
        let lambda = Arc::new(core.assigned_costs(&best));
        let root = Node {
            fixed: core.fixed.clone(),
            forbidden: core.forbidden.clone(),
            lambda,
            bound: f64::NEG_INFINITY,
            seq: 0,
        };
        let mut out = Searched {
            best: Vec::new(),
            value: 0.0,
            bound: f64::NEG_INFINITY,
            finished: false,
            nodes: 1,
            iterations: 0,
            root_bound: f64::NEG_INFINITY,
        };
        let mut e = self.expand(&root, &best, value, true);
        out.iterations += e.iterations;
        if let Some((b, v)) = e.found.take() {
            (best, value) = (b, v);
        }
        let mut heap = BinaryHeap::new();
        let mut seq = 1;
        out.root_bound = e.bound.min(value);
        queue(&mut heap, &mut seq, root, e);
        let mut stopped = false;
        loop {
            // Drop what the incumbent prunes; the smallest bound left is the global bound.
            while heap.peek().is_some_and(|n| self.prunes(n.bound, value)) {
                heap.pop();
            }
            let Some(top) = heap.peek() else { break };
            if self.close_enough(top.bound, value) || self.out_of_time() {
                stopped = true;
                break;
            }
            let batch = next_batch(&mut heap, BATCH, |n| self.prunes(n.bound, value));
            let results: Vec<Expanded> = batch
                .par_iter()
                .map(|n| self.expand(n, &best, value, false))
                .collect();
            for (node, e) in batch.into_iter().zip(results) {
                out.nodes += 1;
                out.iterations += e.iterations;
                if let Some((b, v)) = &e.found {
                    if *v < value {
                        (best, value) = (b.clone(), *v);
                    }
                }
                queue(&mut heap, &mut seq, node, e);
            }
        }
        out.finished = !stopped;
        out.bound = if stopped {
            heap.iter().map(|n| n.bound).fold(value, f64::min)
        } else {
            value
        };
        out.best = best;
        out.value = value;
        out
    }

    /// Bounds a node, fixes what the bound allows and splits it.
    fn expand(&self, node: &Node, best: &[bool], value: f64, root: bool) -> Expanded {
        let core = self.core;
        let mut e = Expanded {
            children: Vec::new(),
            lambda: node.lambda.clone(),
            found: None,
            iterations: 0,
            unfinished: None,
            bound: f64::INFINITY,
        };
        let (mut fixed, mut forbidden) = (node.fixed.clone(), node.forbidden.clone());
        let n_fixed = fixed.iter().filter(|&&f| f).count();
        let free = (0..core.sites)
            .filter(|&j| !fixed[j] && !forbidden[j])
            .count();
        if n_fixed > core.p || n_fixed + free < core.p {
            return e; // no solution here
        }
        if n_fixed == core.p || n_fixed + free == core.p {
            let open: Vec<bool> = (0..core.sites)
                .map(|j| fixed[j] || (n_fixed + free == core.p && !forbidden[j]))
                .collect();
            let v = core.evaluate(&open);
            if v < value {
                e.found = Some((open, v));
            }
            return e;
        }
        let mut incumbent = (best.to_vec(), value);
        let iterations = if root {
            ROOT_ITERATIONS
        } else {
            NODE_ITERATIONS
        };
        let r = self.relax(
            &fixed,
            &forbidden,
            node.lambda.to_vec(),
            iterations,
            root,
            &mut incumbent,
            &mut e.iterations,
        );
        let r_bound = r.bound.max(node.bound);
        e.bound = r_bound;
        if root && core.heuristics && !self.prunes(r_bound, incumbent.1) {
            // The root bound did not settle it: search harder for a better incumbent.
            let deadline = self.start
                + std::time::Duration::from_secs_f64(
                    (self.limits.seconds / 4.0).min(super::core::ILS_SECONDS),
                );
            incumbent = core.iterated(self.cols, incumbent, super::core::ILS_ROUNDS, deadline);
        }
        if incumbent.1 < value {
            e.found = Some(incumbent.clone());
        }
        e.lambda = Arc::new(r.lambda.clone());
        if self.prunes(r_bound, incumbent.1) {
            return e;
        }
        if self.out_of_time() {
            e.unfinished = Some(r_bound);
            return e;
        }
        // Reduced-cost fixing with the node's best multipliers.
        let need = core.p - n_fixed;
        let mut free_rho: Vec<(f64, usize)> = (0..core.sites)
            .filter(|&j| !fixed[j] && !forbidden[j])
            .map(|j| (r.rho[j], j))
            .collect();
        free_rho.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let last_in = free_rho[need - 1].0;
        let first_out = free_rho.get(need).map(|x| x.0);
        for (pos, &(rho, j)) in free_rho.iter().enumerate() {
            if pos < need {
                if let Some(out) = first_out {
                    if self.prunes(r_bound + (out - rho), incumbent.1) {
                        fixed[j] = true;
                    }
                }
            } else if self.prunes(r_bound + (rho - last_in), incumbent.1) {
                forbidden[j] = true;
            }
        }
        // Split on the free site the relaxation wants most (the smallest ρ): in, it keeps the
        // node's bound; out, the next site takes its place.
        let pick = free_rho
            .iter()
            .find(|&&(_, j)| !fixed[j] && !forbidden[j])
            .copied();
        let Some((rho, j)) = pick else {
            // Fixing settled every site.
            e.children.push((r_bound, fixed, forbidden));
            return e;
        };
        let out_bound = match first_out {
            Some(out) => r_bound + (out - rho).max(0.0),
            None => r_bound,
        };
        let mut with = fixed.clone();
        with[j] = true;
        let mut without = forbidden.clone();
        without[j] = true;
        e.children.push((out_bound, fixed, without));
        e.children.push((r_bound, with, forbidden));
        e
    }

    /// Subgradient optimisation of the Lagrangian at a node; relaxed choices are tried as
    /// primal solutions (with interchange) to improve the incumbent.
    #[allow(clippy::too_many_arguments)]
    pub fn relax(
        &self,
        fixed: &[bool],
        forbidden: &[bool],
        mut lambda: Vec<f64>,
        iterations: usize,
        parallel: bool,
        incumbent: &mut (Vec<bool>, f64),
        count: &mut usize,
    ) -> Relaxed {
        let core = self.core;
        let need = core.p - fixed.iter().filter(|&&f| f).count();
        let long = iterations > 1000;
        let mut theta = 2.0;
        let mut stall = 0;
        let mut top = Relaxed {
            bound: f64::NEG_INFINITY,
            lambda: lambda.clone(),
            rho: vec![0.0; core.sites],
        };
        let mut tried: Vec<Vec<bool>> = Vec::new();
        // Relaxed choices tried as solutions: now and then at the root, once at other nodes.
        // (every 10 iterations at the root where a try is cheap, every 100 on large problems)
        let pairs: usize = core.rows.iter().map(Vec::len).sum();
        let primal_every = match (long, pairs < 100_000) {
            (true, true) => 10,
            (true, false) => 100,
            _ => usize::MAX,
        };
        let mut top_chosen: Vec<bool> = Vec::new();
        for it in 0..iterations {
            *count += 1;
            let rho = self.cols.rho(&lambda, parallel);
            let mut free: Vec<(f64, usize)> = (0..core.sites)
                .filter(|&j| !fixed[j] && !forbidden[j])
                .map(|j| (rho[j], j))
                .collect();
            free.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut chosen = fixed.to_vec();
            for &(_, j) in free.iter().take(need) {
                chosen[j] = true;
            }
            let mut bound = 0.0;
            for (l, u) in lambda.iter().zip(&core.fallback) {
                bound += l + (u - l).min(0.0);
            }
            bound += (0..core.sites)
                .filter(|&j| chosen[j])
                .map(|j| rho[j])
                .sum::<f64>();
            if bound > top.bound + 1e-12 * bound.abs().max(1.0) {
                top = Relaxed {
                    bound,
                    lambda: lambda.clone(),
                    rho,
                };
                top_chosen.clone_from(&chosen);
                stall = 0;
            } else {
                stall += 1;
                if stall >= if long { 20 } else { 5 } {
                    theta /= 2.0;
                    stall = 0;
                }
            }
            // The relaxed choice as a primal solution, now and then.
            let every = if long && it < 200 { 10 } else { primal_every };
            if core.heuristics && it % every == 0 && !tried.contains(&chosen) {
                tried.push(chosen.clone());
                let (open, v) = core.heuristic(self.cols, fixed, forbidden, Some(&chosen));
                if v < incumbent.1 {
                    *incumbent = (open, v);
                }
            }
            if self.prunes(top.bound, incumbent.1) || theta < if long { 1e-6 } else { 1e-3 } {
                break;
            }
            if it % 50 == 0 && self.out_of_time() {
                break;
            }
            let g = core.subgradient(&lambda, &chosen, parallel);
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm == 0.0 {
                // The relaxed solution is feasible, so it is optimal at this node.
                break;
            }
            let target = incumbent.1.min(f64::MAX);
            let step = theta * (target - bound).max(1e-9 * target.abs().max(1.0)) / norm;
            for (l, g) in lambda.iter_mut().zip(&g) {
                *l += step * g;
            }
        }
        if core.heuristics
            && !long
            && !top_chosen.is_empty()
            && !self.prunes(top.bound, incumbent.1)
        {
            let (open, v) = core.heuristic(self.cols, fixed, forbidden, Some(&top_chosen));
            if v < incumbent.1 {
                *incumbent = (open, v);
            }
        }
        top
    }
}

impl Core {
    /// Solves the problem to optimality or to the limits.
    pub fn solve(&self, limits: Limits) -> Outcome {
        let start = Instant::now();
        let cols = self.columns();
        let (best, value) = self.heuristic(&cols, &self.fixed, &self.forbidden, None);
        let search = self.search(&cols, start, limits);
        let out = search.run(best, value);
        Outcome {
            chosen: (0..self.sites).filter(|&j| out.best[j]).collect(),
            objective: out.value,
            bound: out.bound,
            root_bound: out.root_bound,
            optimal: out.finished,
            nodes: out.nodes,
            iterations: out.iterations,
        }
    }

    fn search<'a>(&'a self, cols: &'a Columns, start: Instant, limits: Limits) -> Search<'a> {
        Search {
            core: self,
            cols,
            integral: self.integral(),
            start,
            limits,
        }
    }

    /// The Lagrangian lower bound at the root after at most `iterations` subgradient steps,
    /// without branching (for checking the bound on its own).
    pub fn lagrangian_bound(&self, iterations: usize) -> f64 {
        let cols = self.columns();
        let incumbent = self.heuristic(&cols, &self.fixed, &self.forbidden, None);
        let lambda = self.assigned_costs(&incumbent.0);
        let search = self.search(&cols, Instant::now(), Limits::default());
        let mut count = 0;
        search
            .relax(
                &self.fixed,
                &self.forbidden,
                lambda,
                iterations,
                true,
                &mut incumbent.clone(),
                &mut count,
            )
            .bound
    }
}

/// Queues a node's children, or the node again when the time ran out inside it.
fn queue(heap: &mut BinaryHeap<Node>, seq: &mut u64, node: Node, e: Expanded) {
    if let Some(bound) = e.unfinished {
        heap.push(Node {
            bound,
            lambda: e.lambda,
            ..node
        });
        return;
    }
    for (bound, fixed, forbidden) in e.children {
        heap.push(Node {
            fixed,
            forbidden,
            lambda: e.lambda.clone(),
            bound: bound.max(node.bound),
            seq: *seq,
        });
        *seq += 1;
    }
}
