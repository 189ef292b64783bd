//! Branch-and-bound on the exact LP relaxation of a coverage problem (MCLP and the covering
//! questions behind LSCP and p-center), branching on demand points.
//!
//! The LP: minimise `Σ w_i u_i` subject to `Σ_{j ∈ N_i} y_j + u_i ≥ 1` for each demand point,
//! `Σ_j y_j = p`, `0 ≤ y, u ≤ 1` (u_i: point i uncovered). It is solved once by the pure-Rust
//! microlp and each node re-solved from its parent's basis by dual simplex.
//!
//! A node is split on the demand point whose LP coverage is most in doubt (largest
//! `w_i · min(u_i, 1 − u_i)`): either the point is covered (`u_i = 0`, so its sites must
//! supply one between them) or it is not (`u_i = 1` and every site covering it is closed).
//! The two branches partition the solutions, and the second closes a dozen sites at once,
//! which is why this closes gaps that branching on single sites leaves open. Where no point
//! is in doubt but sites are fractional, the most fractional site is split. Nodes are taken
//! best-first in fixed batches, expanded in parallel, so the search is the same at any thread
//! count and the bound reported at a limit is the smallest open node's: the true global bound.

use std::collections::BinaryHeap;
use std::time::Instant;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, Solution, Variable};
use rayon::prelude::*;

use super::best_first::{best_first_order, next_batch};
use super::core::Limits;
use super::presolve::Coverage;
use crate::num::sum;

/// Coverage pairs at most for the LP (beyond, the Lagrangian search is used alone).
pub(crate) const LP_PAIRS: usize = 200_000;
/// Nodes expanded together (fixed, so that the search does not depend on the thread count).
const BATCH: usize = 4;
/// Values closer than this to 0 or 1 count as integral.
const INTEGRAL: f64 = 1e-6;

/// What the LP search found, in the coverage problem's own site indices.
pub(crate) struct LpSearched {
    pub chosen: Vec<usize>,
    /// Uncovered weight of `chosen`.
    pub objective: f64,
    /// The smallest uncovered weight any solution can have (proven).
    pub bound: f64,
    pub root_bound: f64,
    pub finished: bool,
    pub nodes: usize,
}

/// The LP of one coverage problem.
struct Model<'a> {
    c: &'a Coverage,
    y: Vec<Variable>,
    u: Vec<Variable>,
    /// Round-off margin taken off every LP value before it is used as a bound.
    margin: f64,
    /// Whether every weight is a whole number (bounds then round up).
    integral: bool,
}

/// A node: its LP solution, which sites are closed or open, and its bound.
struct Node {
    lp: Solution,
    /// The variables fixed on the way from the root.
    path: Vec<(Variable, f64)>,
    /// Per site: None free, Some(false) closed, Some(true) open.
    site: Vec<Option<bool>>,
    /// Per demand point: whether its row is in the node's LP.
    active: Vec<bool>,
    bound: f64,
    seq: u64,
}

best_first_order!(Node);

/// How a node is split.
enum Split {
    /// Demand point i: covered, or not (its sites closed).
    Point(usize),
    /// Site j: closed, or open.
    Site(usize),
}

/// A child of a node, its LP solved.
struct Child {
    lp: Solution,
    path: Vec<(Variable, f64)>,
    site: Vec<Option<bool>>,
    active: Vec<bool>,
    bound: f64,
}

/// What expanding a node gave: children and solutions found on the way.
struct Expanded {
    children: Vec<Child>,
    found: Option<(Vec<usize>, f64)>,
}

/// Whether the coverage problem is small enough for the LP search.
pub(crate) fn fits(c: &Coverage) -> bool {
    let pairs: usize = c.rows.iter().map(Vec::len).sum();
    pairs <= LP_PAIRS && c.p > 0 && !c.rows.is_empty()
}

/// Searches a presolved coverage problem (no fixed or forbidden sites) from an incumbent
/// (chosen sites, their uncovered weight); None when the LP cannot be solved.
pub(crate) fn search(
    c: &Coverage,
    incumbent: (Vec<usize>, f64),
    limits: Limits,
    start: Instant,
) -> Option<LpSearched> {
    let model = Model::new(c);
    let (root, active) = model.root()?;
    let (mut best, mut value) = incumbent;
    let sites = vec![None; c.sites];
    let root_bound = model.bound(root.objective());
    let mut out = LpSearched {
        chosen: Vec::new(),
        objective: 0.0,
        bound: root_bound,
        root_bound,
        finished: false,
        nodes: 0,
    };
    let mut heap = BinaryHeap::new();
    let mut seq = 0;
    if let Some(found) = model.integral_solution(&root) {
        if found.1 < value {
            (best, value) = found;
        }
    } else {
        heap.push(Node {
            lp: root,
            path: vec![],
            site: sites,
            active,
            bound: root_bound,
            seq,
        });
    }
    let mut stopped = false;
    loop {
        while heap.peek().is_some_and(|n| model.prunes(n.bound, value)) {
            heap.pop();
        }
        let Some(top) = heap.peek() else { break };
        let out_of_time = start.elapsed().as_secs_f64() > limits.seconds;
        let close = limits.gap > 0.0 && value - top.bound <= limits.gap * value.abs();
        if out_of_time || close {
            stopped = true;
            break;
        }
        let batch = next_batch(&mut heap, BATCH, |n| model.prunes(n.bound, value));
        let results: Vec<Expanded> = batch.par_iter().map(|n| model.expand(n)).collect();
        for (node, e) in batch.iter().zip(results) {
            out.nodes += 1;
            if let Some((b, v)) = e.found {
                if v < value {
                    (best, value) = (b, v);
                }
            }
            for child in e.children {
                seq += 1;
                heap.push(Node {
                    lp: child.lp,
                    path: child.path,
                    site: child.site,
                    active: child.active,
                    bound: child.bound.max(node.bound),
                    seq,
                });
            }
        }
    }
    out.finished = !stopped;
    out.bound = if stopped {
        heap.iter().map(|n| n.bound).fold(value, f64::min)
    } else {
        value
    };
    out.chosen = best;
    out.objective = value;
    Some(out)
}

impl<'a> Model<'a> {
    /// The model of a coverage problem (its variables), nothing solved.
    fn new(c: &'a Coverage) -> Self {
        let total = sum(c.weights.iter().copied());
        let (_, y, u) = problem(c, &[], &vec![false; c.rows.len()]);
        Model {
            c,
            y,
            u,
            margin: 1e-7 * total.max(1.0),
            integral: c.weights.iter().all(|w| w.fract() == 0.0),
        }
    }

    /// The root LP: first with the rows of thinly covered points (fewer than 0.7 m / p
    /// sites), then with every row its solution violates, until none is.
    fn root(&self) -> Option<(Solution, Vec<bool>)> {
        let (m, p) = (self.c.sites as f64, self.c.p as f64);
        let mut active: Vec<bool> = (self.c.rows.iter())
            .map(|row| (row.len() as f64) * p < 0.7 * m)
            .collect();
        loop {
            let lp = self.fresh(&[], &active)?;
            let v = self.violated(&lp, &active);
            if v.is_empty() {
                return Some((lp, active));
            }
            for i in v {
                active[i] = true;
            }
        }
    }

    /// Rows left out of an LP that its solution violates (their point's sites sum below 1).
    fn violated(&self, lp: &Solution, active: &[bool]) -> Vec<usize> {
        let y: Vec<f64> = self.y.iter().map(|&v| lp.var_value(v)).collect();
        (0..self.c.rows.len())
            .filter(|&i| !active[i])
            .filter(|&i| {
                let s: f64 = self.c.rows[i].iter().map(|&j| y[j as usize]).sum();
                s < 1.0 - 1e-9
            })
            .collect()
    }

    /// Adds the rows an LP violates until it violates none: one at a time from the basis
    /// where they are few, else solved afresh with the node's fixings.
    fn separate(
        &self,
        mut lp: Solution,
        active: &mut [bool],
        path: &[(Variable, f64)],
    ) -> Option<Solution> {
        loop {
            let v = self.violated(&lp, active);
            if v.is_empty() {
                return Some(lp);
            }
            for &i in &v {
                active[i] = true;
            }
            lp = if v.len() > 20 {
                self.fresh(path, active)?
            } else {
                let mut warm = Some(lp);
                for &i in &v {
                    warm = warm.and_then(|l| {
                        l.add_constraint(self.row(i), ComparisonOp::Ge, 1.0)
                            .ok()?
                            .into_solution()
                            .ok()
                    });
                }
                match warm {
                    Some(l) => l,
                    None => self.fresh(path, active)?,
                }
            };
        }
    }

    /// Demand point i's row: `Σ_{j ∈ N_i} y_j + u_i` (at least 1).
    fn row(&self, i: usize) -> LinearExpr {
        row(&self.c.rows[i], &self.y, self.u[i])
    }

    fn y(&self, j: usize) -> Variable {
        self.y[j]
    }

    fn u(&self, i: usize) -> Variable {
        self.u[i]
    }

    /// A bound from an LP value: less the round-off margin, and rounded up for whole weights.
    fn bound(&self, lp: f64) -> f64 {
        let b = (lp - self.margin).max(0.0);
        if self.integral {
            (b - 1e-6).ceil().max(0.0)
        } else {
            b
        }
    }

    /// Whether a bound proves a node cannot beat the incumbent.
    fn prunes(&self, bound: f64, incumbent: f64) -> bool {
        if self.integral {
            bound >= incumbent - 0.5
        } else {
            bound >= incumbent - 1e-9 * incumbent.abs().max(1.0)
        }
    }

    /// The exact uncovered weight of a choice of sites.
    fn uncovered(&self, open: &[bool]) -> f64 {
        sum(self
            .c
            .rows
            .iter()
            .zip(&self.c.weights)
            .filter(|(row, _)| !row.iter().any(|&j| open[j as usize]))
            .map(|(_, &w)| w))
    }

    /// The solution of an LP whose sites are all 0 or 1.
    fn integral_solution(&self, lp: &Solution) -> Option<(Vec<usize>, f64)> {
        let open: Vec<bool> = (0..self.c.sites)
            .map(|j| lp.var_value(self.y(j)))
            .map(|v| {
                (v > 1.0 - INTEGRAL)
                    .then_some(true)
                    .or((v < INTEGRAL).then_some(false))
            })
            .collect::<Option<_>>()?;
        let chosen: Vec<usize> = (0..self.c.sites).filter(|&j| open[j]).collect();
        (chosen.len() == self.c.p).then(|| (chosen, self.uncovered(&open)))
    }

    /// The p sites the LP wants most (ties to the lower index), and their uncovered weight.
    fn rounded(&self, lp: &Solution) -> (Vec<usize>, f64) {
        let mut order: Vec<usize> = (0..self.c.sites).collect();
        let v: Vec<f64> = order.iter().map(|&j| lp.var_value(self.y(j))).collect();
        order.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
        let mut open = vec![false; self.c.sites];
        for &j in &order[..self.c.p] {
            open[j] = true;
        }
        let mut chosen = order[..self.c.p].to_vec();
        chosen.sort_unstable();
        (chosen, self.uncovered(&open))
    }

    /// How to split a node, None when its LP is integral.
    fn split(&self, lp: &Solution) -> Option<Split> {
        let point = (0..self.c.rows.len())
            .map(|i| {
                let u = lp.var_value(self.u(i));
                (self.c.weights[i] * u.min(1.0 - u), i)
            })
            .filter(|&(score, _)| score > INTEGRAL)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, i)) = point {
            return Some(Split::Point(i));
        }
        (0..self.c.sites)
            .map(|j| {
                let y = lp.var_value(self.y(j));
                (y.min(1.0 - y), j)
            })
            .filter(|&(f, _)| f > INTEGRAL)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, j)| Split::Site(j))
    }

    /// Splits a node into its children, solving each child's LP from the node's basis.
    fn expand(&self, node: &Node) -> Expanded {
        let mut e = Expanded {
            children: Vec::new(),
            found: Some(self.rounded(&node.lp)),
        };
        let Some(split) = self.split(&node.lp) else {
            e.found = self.integral_solution(&node.lp).or(e.found);
            return e;
        };
        let branches: Vec<Vec<(usize, bool)>> = match split {
            Split::Point(i) => vec![
                vec![],
                self.c.rows[i]
                    .iter()
                    .map(|&j| (j as usize, false))
                    .collect(),
            ],
            Split::Site(j) => vec![vec![(j, false)], vec![(j, true)]],
        };
        for (k, sites) in branches.into_iter().enumerate() {
            let mut fixes: Vec<(Variable, f64)> = Vec::new();
            if let Split::Point(i) = split {
                fixes.push((self.u(i), if k == 0 { 0.0 } else { 1.0 }));
            }
            let mut state = node.site.clone();
            let mut feasible = true;
            for (j, open) in sites {
                match state[j] {
                    Some(s) if s != open => feasible = false,
                    Some(_) => {}
                    None => {
                        state[j] = Some(open);
                        fixes.push((self.y(j), if open { 1.0 } else { 0.0 }));
                    }
                }
            }
            if !feasible || !self.can_choose(&state) {
                continue;
            }
            let mut path = node.path.clone();
            path.extend(&fixes);
            // Closing several sites is one row (their sum at most 0), one re-solve.
            let close: Vec<Variable> = match split {
                Split::Point(_) if k == 1 && fixes.len() > 2 => {
                    fixes.iter().skip(1).map(|&(v, _)| v).collect()
                }
                _ => Vec::new(),
            };
            let warm = if close.is_empty() {
                fix(node.lp.clone(), &fixes)
            } else {
                close_all(node.lp.clone(), &close)
            };
            let mut active = node.active.clone();
            let r = warm
                .or_else(|| self.fresh(&path, &active))
                .and_then(|lp| self.separate(lp, &mut active, &path));
            let Some(lp) = r else {
                continue;
            };
            let bound = self.bound(lp.objective());
            match self.integral_solution(&lp) {
                Some(found) => {
                    if e.found.as_ref().is_none_or(|f| found.1 < f.1) {
                        e.found = Some(found);
                    }
                }
                None => e.children.push(Child {
                    lp,
                    path,
                    site: state,
                    active,
                    bound,
                }),
            }
        }
        e
    }

    /// The LP with a node's fixings solved from scratch: where a warm start reports the node
    /// infeasible. (microlp 0.6's `fix_var` can report a degenerate basic variable already at
    /// the value asked for as infeasible; a fresh solve settles it.)
    fn fresh(&self, path: &[(Variable, f64)], active: &[bool]) -> Option<Solution> {
        let fixed: Vec<(usize, f64)> = path.iter().map(|&(v, x)| (v.idx(), x)).collect();
        let (lp, _, _) = problem(self.c, &fixed, active);
        lp.solve().ok()?.into_solution().ok()
    }

    /// Whether exactly p sites can still be chosen: no more than p open, p or more not closed.
    fn can_choose(&self, state: &[Option<bool>]) -> bool {
        let open = state.iter().filter(|s| **s == Some(true)).count();
        let closed = state.iter().filter(|s| **s == Some(false)).count();
        open <= self.c.p && self.c.sites - closed >= self.c.p
    }
}

/// The LP with some variables fixed (by creation index: y_j is j, u_i is sites + i) and the
/// rows of the active demand points; its y and u variables.
fn problem(
    c: &Coverage,
    fixed: &[(usize, f64)],
    active: &[bool],
) -> (Problem, Vec<Variable>, Vec<Variable>) {
    let mut range = vec![(0.0, 1.0); c.sites + c.rows.len()];
    for &(k, v) in fixed {
        range[k] = (v, v);
    }
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let y: Vec<Variable> = (0..c.sites).map(|j| lp.add_var(0.0, range[j])).collect();
    let u: Vec<Variable> = (c.weights.iter().enumerate())
        .map(|(i, &w)| lp.add_var(w, range[c.sites + i]))
        .collect();
    for (i, sites) in c.rows.iter().enumerate() {
        if active[i] {
            lp.add_constraint(row(sites, &y, u[i]), ComparisonOp::Ge, 1.0);
        }
    }
    let mut all = LinearExpr::empty();
    for &yj in &y {
        all.add(yj, 1.0);
    }
    lp.add_constraint(all, ComparisonOp::Eq, c.p as f64);
    (lp, y, u)
}

/// A demand point's row: its sites' y and its u.
fn row(sites: &[u32], y: &[Variable], u: Variable) -> LinearExpr {
    let mut e = LinearExpr::empty();
    for &j in sites {
        e.add(y[j as usize], 1.0);
    }
    e.add(u, 1.0);
    e
}

/// Closes sites by one added row, `Σ y_j ≤ 0`; None when infeasible.
fn close_all(lp: Solution, sites: &[Variable]) -> Option<Solution> {
    let mut e = LinearExpr::empty();
    for &v in sites {
        e.add(v, 1.0);
    }
    lp.add_constraint(e, ComparisonOp::Le, 0.0)
        .ok()?
        .into_solution()
        .ok()
}

/// Fixes variables one after another, re-solving from the basis; None when infeasible.
fn fix(mut lp: Solution, fixes: &[(Variable, f64)]) -> Option<Solution> {
    for &(var, val) in fixes {
        lp = lp.fix_var(var, val).ok()?.into_solution().ok()?;
    }
    Some(lp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::combinations::next_combination;
    use crate::rng::Rng;

    /// A random coverage problem: points and sites in a square, covering within a radius.
    fn random(seed: u64, n: usize, m: usize, p: usize, whole: bool) -> Coverage {
        let mut rng = Rng::new(seed);
        let pts: Vec<(f64, f64)> = (0..n + m).map(|_| (rng.uniform(), rng.uniform())).collect();
        // Half the instances geometric, half each point on two or three random sites (whose
        // LPs are fractional more often).
        let r = 0.25 + 0.2 * rng.uniform();
        let geometric = seed % 4 < 2;
        let rows = pts[..n]
            .iter()
            .map(|a| {
                let mut row: Vec<u32> = if geometric {
                    (0..m as u32)
                        .filter(|&j| {
                            let b = pts[n + j as usize];
                            (a.0 - b.0).hypot(a.1 - b.1) <= r
                        })
                        .collect()
                } else {
                    (0..2 + rng.below(2)).map(|_| rng.below(m) as u32).collect()
                };
                row.sort_unstable();
                row.dedup();
                row
            })
            .collect();
        let weights = (0..n)
            .map(|_| {
                let w = 1.0 + 9.0 * rng.uniform();
                if whole {
                    w.floor()
                } else {
                    w
                }
            })
            .collect();
        Coverage {
            rows,
            weights,
            sites: m,
            fixed: vec![false; m],
            forbidden: vec![false; m],
            p,
        }
    }

    fn uncovered(c: &Coverage, chosen: &[usize]) -> f64 {
        sum(c
            .rows
            .iter()
            .zip(&c.weights)
            .filter(|(row, _)| !row.iter().any(|j| chosen.contains(&(*j as usize))))
            .map(|(_, &w)| w))
    }

    fn brute_force(c: &Coverage) -> f64 {
        let mut s: Vec<usize> = (0..c.p).collect();
        let mut best = uncovered(c, &s);
        while next_combination(&mut s, c.sites) {
            best = best.min(uncovered(c, &s));
        }
        best
    }

    fn limits(seconds: f64) -> Limits {
        Limits { seconds, gap: 0.0 }
    }

    #[test]
    fn equals_brute_force_from_a_poor_start() {
        let mut searched = 0;
        for seed in 0..120 {
            let (n, m, p) = (
                20 + seed as usize % 21,
                8 + seed as usize % 7,
                2 + seed as usize % 4,
            );
            let c = random(seed, n, m, p.min(m), seed % 2 == 0);
            if !fits(&c) {
                continue;
            }
            let start: Vec<usize> = (0..c.p).collect();
            let v = uncovered(&c, &start);
            let s = search(&c, (start, v), limits(60.0), Instant::now()).expect("solves");
            let best = brute_force(&c);
            assert!(s.finished, "seed {seed}");
            assert!(
                (s.objective - best).abs() < 1e-9,
                "seed {seed}: {} vs {best}",
                s.objective
            );
            assert!(
                (uncovered(&c, &s.chosen) - s.objective).abs() < 1e-9,
                "seed {seed}"
            );
            assert_eq!(s.chosen.len(), c.p, "seed {seed}");
            assert!(s.root_bound <= best + 1e-9, "seed {seed}");
            searched += s.nodes;
        }
        // The instances must make the search branch, or the test shows nothing of it.
        assert!(searched > 50, "{searched} nodes in all");
    }

    #[test]
    fn a_stopped_search_bounds_the_optimum() {
        for seed in 200..240 {
            let c = random(seed, 20, 10, 3, seed % 2 == 1);
            let start: Vec<usize> = (0..c.p).collect();
            let v = uncovered(&c, &start);
            let s = search(&c, (start, v), limits(0.0), Instant::now()).expect("solves");
            let best = brute_force(&c);
            assert!(
                s.bound <= best + 1e-9,
                "seed {seed}: {} above {best}",
                s.bound
            );
            assert!(s.objective >= best - 1e-9, "seed {seed}");
        }
    }
}
