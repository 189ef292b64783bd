//! Best-first branch-and-bound on the knapsack Lagrangian, proving the capacitated p-median
//! (single-source) optimal beyond enumeration, and the capacitated MCLP as a capacitated
//! p-median in which a point may be left unserved at a cost (its weight): that option adds
//! `min(0, u_i − λ_i)` per point to the Lagrangian.
//!
//! A node is the problem with some sites fixed open or closed and some assignments fixed:
//! demand point i served by site j (forced) or not by j (banned). Its bound is the
//! Lagrangian of [`super::knapsack_bound`] restricted to the node: a forced point leaves the
//! relaxation, costs its assignment and takes its weight from the site's capacity; a banned
//! pair leaves that site's knapsack; closed sites have no knapsack and open ones are always
//! taken. The multipliers are improved by subgradient steps from the parent's (Dantzig's
//! knapsack bound at each step, the knapsacks solved exactly at the best multipliers), and
//! every value of the Lagrangian is a valid bound.
//!
//! Each node also:
//! - tries the sites its relaxation takes (and those its multipliers' average takes) as a
//!   solution, assigned within capacities by regret;
//! - fixes sites by their Lagrangian reduced cost: a site left out whose opening (in place of
//!   the weakest site taken) would lift the bound to the incumbent is closed in the subtree,
//!   and a site taken whose closing would is opened;
//! - is solved outright when its relaxation serves every point once (the relaxation is then
//!   a solution and its value the node's optimum).
//!
//! Otherwise it is split on the free site whose opening the subgradient steps left most in
//! doubt (taken in about half of them), else on the heaviest point served twice or not at all
//! by its cheapest site taking it (served by it, or not). Nodes are taken best-first in fixed
//! batches, expanded in parallel, so the search is the same at any thread count and the bound
//! at a limit is the smallest open node's: the true global bound.

use std::collections::BinaryHeap;
use std::time::Instant;

use rayon::prelude::*;

use super::best_first::{best_first_order, next_batch};
use super::core::Limits;
use super::knapsack::{by_ratio, dantzig, exact_taken, Item};
use super::Instance;
use crate::num::sum;

/// Nodes expanded together (fixed, so that the search does not depend on the thread count).
const BATCH: usize = 4;
/// Subgradient steps at the root, and at most at every other node (warm-started).
const ROOT_STEPS: usize = 600;
const NODE_STEPS: usize = 150;
/// Nodes of one exact knapsack search at most (beyond, Dantzig's value stands).
const KNAPSACK_NODES: usize = 20_000;
/// A site taken in more than this share of the steps, and less than one less it, is in doubt.
const DOUBT: f64 = 0.1;

/// A site's state in a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    Free,
    Open,
    Closed,
}

/// A subproblem: its fixings, the multipliers to start from and its parent's bound.
#[derive(Clone)]
struct Node {
    site: Vec<Site>,
    /// Per demand point: the site it must be served by.
    forced: Vec<Option<u32>>,
    /// Pairs (site, demand) that may not be used, sorted.
    banned: Vec<(u32, u32)>,
    lambda: Vec<f64>,
    bound: f64,
    seq: u64,
}

best_first_order!(Node);

/// A solution: its cost, the chosen sites and each demand point's site (None: unserved).
pub(super) type Found = (f64, Vec<usize>, Vec<Option<usize>>);

/// A single-source capacitated problem: exactly p sites (at most p where fewer are allowed),
/// each demand point served whole by one chosen site it may use, no site beyond its capacity,
/// at least cost; optionally a point may be left unserved at a cost.
pub(super) struct Capacitated<'a> {
    pub inst: &'a Instance,
    /// Per demand point: the sites that may serve it, with the cost per unit of weight.
    pub pairs: &'a [Vec<(u32, f64)>],
    /// Per demand point: the (weighted) cost of leaving it unserved; None: it must be served.
    pub unserved: Option<&'a [f64]>,
    pub cap: &'a [f64],
    pub p: usize,
    /// A solution on given sites (open), if one is found: the primal heuristic.
    #[allow(clippy::type_complexity)]
    pub assign: &'a (dyn Fn(&[bool]) -> Option<(f64, Vec<Option<usize>>)> + Sync),
}

/// What the search found.
pub(super) struct Searched {
    /// Chosen sites and each demand point's site.
    pub best: Option<(Vec<usize>, Vec<Option<usize>>)>,
    pub value: f64,
    /// The smallest cost any solution can have (proven).
    pub bound: f64,
    /// The root's bound.
    pub root_bound: f64,
    pub finished: bool,
    pub nodes: usize,
}

/// The problem searched.
struct Problem<'a> {
    c: &'a Capacitated<'a>,
    /// Per site: `(demand, cost)` by ascending cost.
    cols: Vec<Vec<(u32, f64)>>,
    /// Relative round-off allowed when comparing a bound with the incumbent.
    tolerance: f64,
}

/// A node's fixings digested: each site's capacity left, the forced points' cost and the
/// number of sites open.
struct Fixed {
    left: Vec<f64>,
    forced_cost: f64,
    open: usize,
}

/// The relaxation at one set of multipliers.
struct Relaxed {
    value: f64,
    /// Each site's most knapsack profit.
    most: Vec<f64>,
    chosen: Vec<bool>,
    /// Per site taken: the points its knapsack takes (with the fraction, for Dantzig's).
    taken: Vec<Vec<(u32, f64)>>,
}

/// What one node's expansion gives.
struct Expanded {
    found: Option<Found>,
    /// The node's bound (infinite when it holds no solution).
    bound: f64,
    children: Vec<Node>,
}

/// Searches from an incumbent (its cost, chosen sites and assignment) and multipliers
/// `lambda` (e.g. each point's weighted cost in it), until finished or `limits`.
pub(super) fn search(
    c: &Capacitated,
    incumbent: Option<Found>,
    lambda: Vec<f64>,
    limits: Limits,
    start: Instant,
) -> Searched {
    let pr = Problem::new(c);
    let inst = c.inst;
    let m = inst.site_ids.len();
    let root = Node {
        site: (0..m)
            .map(|j| match (inst.fixed[j], inst.forbidden[j]) {
                (true, _) => Site::Open,
                (_, true) => Site::Closed,
                _ => Site::Free,
            })
            .collect(),
        forced: vec![None; inst.demand_ids.len()],
        banned: Vec::new(),
        lambda,
        bound: f64::NEG_INFINITY,
        seq: 0,
    };
    let (mut value, mut best) = match incumbent {
        Some((v, chosen, to)) => (v, Some((chosen, to))),
        None => (f64::INFINITY, None),
    };
    let mut heap = BinaryHeap::from([root]);
    let mut seq = 0;
    let mut nodes = 0;
    let mut root_bound = f64::NEG_INFINITY;
    let mut stopped = false;
    loop {
        let prunes = |n: &Node| pr.prunes(n.bound, value);
        while heap.peek().is_some_and(prunes) {
            heap.pop();
        }
        let Some(top) = heap.peek() else { break };
        let close = limits.gap > 0.0 && value - top.bound <= limits.gap * value.abs();
        if close || start.elapsed().as_secs_f64() > limits.seconds {
            stopped = true;
            break;
        }
        let batch = next_batch(&mut heap, BATCH, prunes);
        let first = nodes == 0;
        let results: Vec<Expanded> = batch
            .par_iter()
            .map(|n| pr.expand(n, value, first))
            .collect();
        for e in results {
            if nodes == 0 {
                root_bound = e.bound;
            }
            nodes += 1;
            if let Some((v, chosen, to)) = e.found {
                if v < value {
                    (value, best) = (v, Some((chosen, to)));
                }
            }
            for mut child in e.children {
                seq += 1;
                child.seq = seq;
                heap.push(child);
            }
        }
    }
    let bound = if stopped {
        heap.iter().map(|n| n.bound).fold(value, f64::min)
    } else {
        value
    };
    Searched {
        best,
        value,
        bound,
        root_bound: root_bound.min(value),
        finished: !stopped,
        nodes,
    }
}

impl<'a> Problem<'a> {
    fn new(c: &'a Capacitated<'a>) -> Self {
        let mut cols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); c.inst.site_ids.len()];
        for (i, row) in c.pairs.iter().enumerate() {
            for &(j, c) in row {
                cols[j as usize].push((i as u32, c));
            }
        }
        for col in &mut cols {
            col.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        }
        Problem {
            c,
            cols,
            tolerance: 1e-9,
        }
    }

    /// The cost of leaving point i unserved, if it may be.
    fn unserved(&self, i: usize) -> Option<f64> {
        self.c.unserved.map(|u| u[i])
    }

    /// Whether the relaxation at `lambda` leaves point i unserved (its multiplier is above
    /// the cost of that).
    fn left_unserved(&self, i: usize, lambda: &[f64]) -> bool {
        self.unserved(i).is_some_and(|u| lambda[i] > u)
    }

    /// Whether a node of this bound can hold nothing better than `value`.
    fn prunes(&self, bound: f64, value: f64) -> bool {
        bound >= value - self.tolerance * value.abs().max(1.0)
    }

    /// The node's fixings digested; None when they leave no solution.
    fn fixed(&self, n: &Node) -> Option<Fixed> {
        let inst = self.c.inst;
        let mut left = self.c.cap.to_vec();
        let mut cost = Vec::new();
        for (i, f) in n.forced.iter().enumerate() {
            if let Some(j) = *f {
                let c = self.c.pairs[i].iter().find(|x| x.0 == j)?.1;
                left[j as usize] -= inst.weights[i];
                cost.push(inst.weights[i] * c);
            }
        }
        let open = n.site.iter().filter(|&&s| s == Site::Open).count();
        let room = left.iter().all(|&l| l >= -1e-9);
        let served = (0..inst.demand_ids.len()).all(|i| {
            n.forced[i].is_some()
                || self.c.unserved.is_some()
                || self.c.pairs[i]
                    .iter()
                    .any(|&(j, _)| self.allowed(n, i as u32, j))
        });
        (open <= self.c.p && room && served).then(|| Fixed {
            left,
            forced_cost: sum(cost),
            open,
        })
    }

    /// Whether demand `i` may be served by site `j` in node `n` (it is not forced elsewhere).
    fn allowed(&self, n: &Node, i: u32, j: u32) -> bool {
        n.site[j as usize] != Site::Closed && n.banned.binary_search(&(j, i)).is_err()
    }

    /// Site `j`'s knapsack items at `lambda`: the free points it may serve at a profit.
    fn items(&self, n: &Node, lambda: &[f64], j: usize, most_ratio: f64) -> Vec<Item> {
        let mut it = Vec::new();
        for &(i, c) in &self.cols[j] {
            if c >= most_ratio {
                break;
            }
            let a = self.c.inst.weights[i as usize];
            let profit = lambda[i as usize] - a * c;
            if profit > 0.0 && n.forced[i as usize].is_none() && self.allowed(n, i, j as u32) {
                it.push(Item {
                    profit,
                    weight: a,
                    index: i,
                });
            }
        }
        by_ratio(&mut it);
        it
    }

    /// The relaxation at `lambda`: Dantzig's knapsacks, or exact ones.
    fn relax(&self, n: &Node, f: &Fixed, lambda: &[f64], exact: bool) -> Relaxed {
        let inst = self.c.inst;
        let m = inst.site_ids.len();
        // No point is worth more than λ_i / a_i per unit of weight: costs beyond it do not pay.
        let most_ratio = (0..lambda.len())
            .filter(|&i| n.forced[i].is_none())
            .map(|i| lambda[i] / inst.weights[i].max(f64::MIN_POSITIVE))
            .fold(0.0, f64::max);
        let solved: Vec<(f64, Vec<(u32, f64)>)> = (0..m)
            .into_par_iter()
            .map(|j| {
                if n.site[j] == Site::Closed {
                    return (0.0, Vec::new());
                }
                let it = self.items(n, lambda, j, most_ratio);
                let room = f.left[j].max(0.0);
                let exactly = exact
                    .then(|| exact_taken(&it, room, KNAPSACK_NODES))
                    .flatten();
                match exactly {
                    Some((v, t)) => (v, t.into_iter().map(|i| (i, 1.0)).collect()),
                    None => dantzig(&it, room),
                }
            })
            .collect();
        let most: Vec<f64> = solved.iter().map(|s| s.0).collect();
        let mut chosen: Vec<bool> = n.site.iter().map(|&s| s == Site::Open).collect();
        let mut free: Vec<usize> = (0..m).filter(|&j| n.site[j] == Site::Free).collect();
        free.sort_by(|&a, &b| most[b].total_cmp(&most[a]).then(a.cmp(&b)));
        for &j in free.iter().take(self.c.p - f.open) {
            chosen[j] = true;
        }
        let lambdas = (0..lambda.len())
            .filter(|&i| n.forced[i].is_none())
            .map(|i| lambda[i]);
        let sites = (0..m).filter(|&j| chosen[j]).map(|j| -most[j]);
        // Leaving point i unserved: min(0, u_i − λ_i) in the relaxation.
        let unserved = (0..lambda.len())
            .filter(|&i| n.forced[i].is_none())
            .map(|i| self.unserved(i).map_or(0.0, |u| (u - lambda[i]).min(0.0)));
        let value = sum(lambdas.chain(sites).chain(unserved).chain([f.forced_cost]));
        let taken = solved
            .into_iter()
            .enumerate()
            .map(|(j, s)| if chosen[j] { s.1 } else { Vec::new() })
            .collect();
        Relaxed {
            value,
            most,
            chosen,
            taken,
        }
    }

    /// Expands a node against the incumbent `value`: bound, solutions tried, fixings, split.
    fn expand(&self, n: &Node, value: f64, root: bool) -> Expanded {
        let none = Expanded {
            found: None,
            bound: f64::INFINITY,
            children: Vec::new(),
        };
        let Some(f) = self.fixed(n) else { return none };
        let steps = if root { ROOT_STEPS } else { NODE_STEPS };
        let (lambda, mut bound, share) = self.subgradient(n, &f, value, steps, root);
        let r = self.relax(n, &f, &lambda, true);
        bound = bound.max(r.value).max(n.bound);
        let mut found = self.try_sites(&r.chosen, value);
        let by_share = self.top_sites(n, &f, &share);
        if by_share != r.chosen {
            found = better(found, self.try_sites(&by_share, value));
        }
        let incumbent = found.as_ref().map_or(value, |x| x.0.min(value));
        if let Some((cost, to)) = self.solved_outright(n, &r) {
            let chosen: Vec<usize> = (0..r.chosen.len()).filter(|&j| r.chosen[j]).collect();
            found = better(found, Some((cost, chosen, to)));
            return Expanded {
                found,
                bound: cost,
                children: Vec::new(),
            };
        }
        if self.prunes(bound, incumbent) {
            return Expanded {
                found,
                bound,
                children: Vec::new(),
            };
        }
        let mut node = Node {
            lambda,
            bound,
            ..n.clone()
        };
        self.fix_by_reduced_cost(&mut node, &r, incumbent);
        let children = self.split(&node, &r, &share);
        Expanded {
            found,
            bound,
            children,
        }
    }

    /// Subgradient steps from the node's multipliers aiming at `target`: the best
    /// multipliers, their bound and the share of steps each site was taken in.
    fn subgradient(
        &self,
        n: &Node,
        f: &Fixed,
        target: f64,
        steps: usize,
        root: bool,
    ) -> (Vec<f64>, f64, Vec<f64>) {
        let nd = self.c.inst.demand_ids.len();
        let m = self.c.inst.site_ids.len();
        let mut lambda = n.lambda.clone();
        let mut best = (f64::NEG_INFINITY, lambda.clone());
        let mut share = vec![0.0; m];
        let mut theta = if root { 2.0 } else { 0.5 };
        let mut stall = 0;
        let mut done = 0;
        for _ in 0..steps {
            let r = self.relax(n, f, &lambda, false);
            done += 1;
            for (s, &c) in share.iter_mut().zip(&r.chosen) {
                *s += f64::from(u8::from(c));
            }
            if r.value > best.0 {
                best = (r.value, lambda.clone());
                stall = 0;
            } else {
                stall += 1;
                if stall >= 10 {
                    theta /= 2.0;
                    stall = 0;
                }
            }
            if theta < 1e-4 || (target.is_finite() && self.prunes(best.0, target)) {
                break;
            }
            // The derivative in λ_i: 1 less the sites taken serving i.
            let mut g: Vec<f64> = (0..nd)
                .map(|i| {
                    let free = n.forced[i].is_none() && !self.left_unserved(i, &lambda);
                    f64::from(u8::from(free))
                })
                .collect();
            for t in &r.taken {
                for &(i, x) in t {
                    g[i as usize] -= x;
                }
            }
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm < 1e-18 {
                break;
            }
            let aim = if target.is_finite() {
                target
            } else {
                2.0 * r.value.abs() + 1.0
            };
            let step = theta * (aim - r.value).abs().max(1e-9 * aim.abs().max(1.0)) / norm;
            for (l, g) in lambda.iter_mut().zip(&g) {
                *l += step * g;
            }
        }
        for s in &mut share {
            *s /= f64::from(done.max(1) as u32);
        }
        (best.1, best.0, share)
    }

    /// The p sites a node takes by the share of steps each was taken in (open ones first).
    fn top_sites(&self, n: &Node, f: &Fixed, share: &[f64]) -> Vec<bool> {
        let mut chosen: Vec<bool> = n.site.iter().map(|&s| s == Site::Open).collect();
        let mut free: Vec<usize> = (0..n.site.len())
            .filter(|&j| n.site[j] == Site::Free)
            .collect();
        free.sort_by(|&a, &b| share[b].total_cmp(&share[a]).then(a.cmp(&b)));
        for &j in free.iter().take(self.c.p - f.open) {
            chosen[j] = true;
        }
        chosen
    }

    /// A solution on these sites, by the problem's heuristic, if it beats `value`.
    fn try_sites(&self, open: &[bool], value: f64) -> Option<Found> {
        let (cost, to) = (self.c.assign)(open)?;
        let chosen = (0..open.len()).filter(|&j| open[j]).collect();
        (cost < value).then_some((cost, chosen, to))
    }

    /// The relaxation as a solution, when it is one (every point served at most once, wholly,
    /// and only those that may be left unserved left) whose cost meets its bound: then it is
    /// the node's optimum.
    fn solved_outright(&self, n: &Node, r: &Relaxed) -> Option<(f64, Vec<Option<usize>>)> {
        let mut to: Vec<Option<usize>> = n.forced.iter().map(|f| f.map(|j| j as usize)).collect();
        for (j, t) in r.taken.iter().enumerate() {
            for &(i, x) in t {
                if x < 1.0 || to[i as usize].is_some() {
                    return None;
                }
                to[i as usize] = Some(j);
            }
        }
        let costs: Option<Vec<f64>> = (0..to.len())
            .map(|i| match to[i] {
                Some(j) => (self.c.pairs[i].iter())
                    .find(|x| x.0 as usize == j)
                    .map(|x| self.c.inst.weights[i] * x.1),
                None => self.unserved(i),
            })
            .collect();
        let cost = sum(costs?);
        (cost <= r.value + self.tolerance * cost.abs().max(1.0)).then_some((cost, to))
    }

    /// Lagrangian reduced-cost fixing: a free site left out whose opening (dropping the
    /// weakest free site taken) lifts the bound to the incumbent is closed; a free site taken
    /// whose closing (taking the strongest left out) does is opened.
    fn fix_by_reduced_cost(&self, node: &mut Node, r: &Relaxed, incumbent: f64) {
        let free = |j: usize| node.site[j] == Site::Free;
        let m = node.site.len();
        let weakest_in = (0..m)
            .filter(|&j| free(j) && r.chosen[j])
            .map(|j| r.most[j])
            .fold(f64::INFINITY, f64::min);
        // With fewer free sites than places, closing one leaves its place empty (profit 0).
        let strongest_out = (0..m)
            .filter(|&j| free(j) && !r.chosen[j])
            .map(|j| r.most[j])
            .fold(0.0, f64::max);
        let changes: Vec<(usize, Site)> = (0..m)
            .filter(|&j| free(j))
            .filter_map(|j| {
                if r.chosen[j] {
                    let lifted = r.value + r.most[j] - strongest_out;
                    self.prunes(lifted, incumbent).then_some((j, Site::Open))
                } else {
                    let lifted = r.value + weakest_in - r.most[j];
                    self.prunes(lifted, incumbent).then_some((j, Site::Closed))
                }
            })
            .collect();
        for (j, s) in changes {
            node.site[j] = s;
        }
    }

    /// The two children of a node: on the free site most in doubt, else on an assignment.
    fn split(&self, node: &Node, r: &Relaxed, share: &[f64]) -> Vec<Node> {
        let doubt = |j: usize| share[j].min(1.0 - share[j]);
        let site = (0..node.site.len())
            .filter(|&j| node.site[j] == Site::Free && doubt(j) > DOUBT)
            .max_by(|&a, &b| doubt(a).total_cmp(&doubt(b)).then(b.cmp(&a)));
        if let Some(j) = site {
            return [Site::Open, Site::Closed]
                .into_iter()
                .map(|s| {
                    let mut c = node.clone();
                    c.site[j] = s;
                    c
                })
                .collect();
        }
        if let Some((i, j)) = self.pair_in_doubt(node, r) {
            let mut served = node.clone();
            served.forced[i as usize] = Some(j);
            served.site[j as usize] = Site::Open;
            let mut not = node.clone();
            let at = not.banned.binary_search(&(j, i)).unwrap_err();
            not.banned.insert(at, (j, i));
            return vec![served, not];
        }
        // Every site decided by the steps and no pair in doubt: split the first free site.
        match (0..node.site.len()).find(|&j| node.site[j] == Site::Free) {
            Some(j) => [Site::Open, Site::Closed]
                .into_iter()
                .map(|s| {
                    let mut c = node.clone();
                    c.site[j] = s;
                    c
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// The heaviest free point the relaxation serves other than once (counting "left
    /// unserved" as a service), with its cheapest site taking it, or else its cheapest allowed
    /// site taken; failing that, a free point with a choice left.
    fn pair_in_doubt(&self, node: &Node, r: &Relaxed) -> Option<(u32, u32)> {
        let nd = self.c.inst.demand_ids.len();
        let mut by: Vec<Vec<u32>> = vec![Vec::new(); nd];
        for (j, t) in r.taken.iter().enumerate() {
            for &(i, _) in t {
                by[i as usize].push(j as u32);
            }
        }
        let cheapest = |i: usize, keep: &dyn Fn(u32) -> bool| {
            self.c.pairs[i]
                .iter()
                .filter(|&&(j, _)| self.allowed(node, i as u32, j) && keep(j))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                .map(|x| x.0)
        };
        let pair = |i: usize| {
            let j = if by[i].is_empty() {
                cheapest(i, &|j| r.chosen[j as usize]).or_else(|| cheapest(i, &|_| true))
            } else {
                cheapest(i, &|j| by[i].contains(&j))
            };
            j.map(|j| (i as u32, j))
        };
        let served = |i: usize| by[i].len() + usize::from(self.left_unserved(i, &node.lambda));
        let doubtful = (0..nd)
            .filter(|&i| node.forced[i].is_none() && served(i) != 1)
            .filter_map(|i| pair(i).map(|x| (i, x)))
            .max_by(|a, b| {
                let w = |i: usize| self.c.inst.weights[i];
                w(a.0).total_cmp(&w(b.0)).then(b.0.cmp(&a.0))
            });
        if let Some((_, x)) = doubtful {
            return Some(x);
        }
        let choices = |i: usize| {
            let sites = self.c.pairs[i].iter();
            sites.filter(|x| self.allowed(node, i as u32, x.0)).count()
                + usize::from(self.c.unserved.is_some())
        };
        (0..nd)
            .filter(|&i| node.forced[i].is_none())
            .find(|&i| choices(i) > 1)
            .and_then(pair)
    }
}

/// The cheaper of two candidate solutions.
fn better(a: Option<Found>, b: Option<Found>) -> Option<Found> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
