//! The exact engine behind p-median and MCLP: choose exactly `p` sites to minimise
//! `Σ_i min(u_i, min_{j ∈ S} c_ij)`, where `c_ij` is demand `i`'s weighted cost at site `j`
//! (pairs absent from the table are unreachable) and `u_i` a fallback every demand always has:
//! for p-median a prohibitive cost (so using it means "no chosen site reaches this demand"),
//! for MCLP the demand's weight (uncovered) with `c_ij = 0` for every site covering it.
//!
//! - **Incumbent**: greedy addition, then fast interchange (Whitaker 1983; the Teitz-Bart
//!   swap evaluated for every site in O(pairs) per pass with best and second-best assignments).
//! - **Bound**: Lagrangian relaxation of the assignment constraints, `L(λ) = Σ_i λ_i +
//!   Σ_i min(0, u_i − λ_i) + Σ_{p best j} ρ_j`, `ρ_j = Σ_i min(0, c_ij − λ_i)`, maximised by
//!   subgradient steps (Held-Wolfe-Crowder with Polyak's step); every relaxed solution is also
//!   tried as a primal one.
//! - **Proof**: best-first branch-and-bound on `y_j` ([`super::search`]), each node bounded by
//!   its own Lagrangian (warm-started from its parent) and shrunk by Lagrangian reduced-cost
//!   fixing; nodes are pruned when their bound reaches the incumbent (less one when every cost
//!   is a whole number, as for MCLP with integer weights). Nodes are expanded in batches of a
//!   fixed size in parallel: the search is deterministic at any thread count.
//!
//! "Optimal" means the search finished: the gap is then reported as 0 (to within 1e-9 of the
//! objective, floating-point round-off). With a time limit or a gap tolerance the bound
//! reported is the smallest of the open nodes' bounds, the true global bound.

use std::time::Instant;

use rayon::prelude::*;

/// Site index.
type Site = u32;

/// Rounds of iterated local search for the first incumbent.
pub(super) const ILS_ROUNDS: usize = 2000;
/// Rounds of iterated local search without an improvement before it stops.
const ILS_PATIENCE: usize = 300;
/// Seconds of iterated local search at most (a quarter of the time limit if that is less).
pub(super) const ILS_SECONDS: f64 = 2.0;

/// A problem for the engine.
#[derive(Debug, Clone)]
pub struct Core {
    /// Per demand: reachable `(site, weighted cost)`, sorted by cost then site.
    pub rows: Vec<Vec<(Site, f64)>>,
    /// Per demand: the fallback cost.
    pub fallback: Vec<f64>,
    /// Number of sites.
    pub sites: usize,
    /// Sites that must be chosen.
    pub fixed: Vec<bool>,
    /// Sites that may not be chosen.
    pub forbidden: Vec<bool>,
    /// How many sites to choose.
    pub p: usize,
    /// Use the greedy and interchange heuristics (always, but for checking the proof on its
    /// own: without them the search starts from the first allowed sites and only branching
    /// improves it).
    pub heuristics: bool,
}

/// Limits of a search.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Stop after this many seconds (the gap is then reported).
    pub seconds: f64,
    /// Stop when (incumbent − bound) / incumbent is at most this.
    pub gap: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            seconds: 600.0,
            gap: 0.0,
        }
    }
}

/// What the engine found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The chosen sites, ascending.
    pub chosen: Vec<usize>,
    /// Their objective.
    pub objective: f64,
    /// A lower bound on every solution's objective: the smallest of the open nodes' when the
    /// search stopped early.
    pub bound: f64,
    /// The root's bound.
    pub root_bound: f64,
    /// The search finished: the objective is optimal.
    pub optimal: bool,
    /// Branch-and-bound nodes explored.
    pub nodes: usize,
    /// Subgradient iterations in all.
    pub iterations: usize,
}

/// The problem by site.
pub(super) struct Columns {
    /// Per site: `(demand, weighted cost)` in demand order.
    cols: Vec<Vec<(u32, f64)>>,
}

impl Columns {
    /// Per site, `ρ_j = Σ_i min(0, c_ij − λ_i)`.
    pub(super) fn rho(&self, lambda: &[f64], parallel: bool) -> Vec<f64> {
        let one = |col: &Vec<(u32, f64)>| {
            let mut s = 0.0;
            for &(i, c) in col {
                let v = c - lambda[i as usize];
                if v < 0.0 {
                    s += v;
                }
            }
            s
        };
        if parallel {
            self.cols.par_iter().map(one).collect()
        } else {
            self.cols.iter().map(one).collect()
        }
    }
}

impl Core {
    pub(super) fn columns(&self) -> Columns {
        let mut cols = vec![Vec::new(); self.sites];
        for (i, row) in self.rows.iter().enumerate() {
            for &(j, c) in row {
                cols[j as usize].push((i as u32, c));
            }
        }
        Columns { cols }
    }

    /// The objective of a set of open sites.
    pub fn evaluate(&self, open: &[bool]) -> f64 {
        self.assigned_costs(open).iter().sum()
    }

    /// Whether every cost and fallback is a whole number (so objectives are too).
    pub(super) fn integral(&self) -> bool {
        self.fallback.iter().all(|v| v.fract() == 0.0)
            && self.rows.iter().flatten().all(|(_, c)| c.fract() == 0.0)
    }

    /// The subgradient of the relaxed assignment constraints at `lambda` for the relaxed
    /// choice `chosen`: per demand, one less the sites and fallback that would take it.
    pub(super) fn subgradient(&self, lambda: &[f64], chosen: &[bool], parallel: bool) -> Vec<f64> {
        let one = |i: usize| {
            let mut g = 1.0;
            if self.fallback[i] < lambda[i] {
                g -= 1.0;
            }
            for &(j, c) in &self.rows[i] {
                if c >= lambda[i] {
                    break;
                }
                if chosen[j as usize] {
                    g -= 1.0;
                }
            }
            g
        };
        let n = self.rows.len();
        if parallel {
            (0..n).into_par_iter().map(one).collect()
        } else {
            (0..n).map(one).collect()
        }
    }

    /// Per demand, its cost in a solution (for warm-starting multipliers).
    pub(super) fn assigned_costs(&self, open: &[bool]) -> Vec<f64> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                row.iter()
                    .find(|(j, _)| open[*j as usize])
                    .map(|&(_, c)| c)
                    .unwrap_or(f64::INFINITY)
                    .min(self.fallback[i])
            })
            .collect()
    }

    /// The heuristics' answer alone (greedy addition, interchange, local search): the sites
    /// and their objective.
    pub(super) fn incumbent(&self) -> (Vec<usize>, f64) {
        let cols = self.columns();
        let (open, v) = self.heuristic(&cols, &self.fixed, &self.forbidden, None);
        ((0..self.sites).filter(|&j| open[j]).collect(), v)
    }

    /// Greedy addition from the fixed sites (or from `start`), then fast interchange.
    pub(super) fn heuristic(
        &self,
        cols: &Columns,
        fixed: &[bool],
        forbidden: &[bool],
        start: Option<&[bool]>,
    ) -> (Vec<bool>, f64) {
        let mut open: Vec<bool> = match start {
            Some(s) => s.to_vec(),
            None => fixed.to_vec(),
        };
        if !self.heuristics {
            let mut count = open.iter().filter(|&&o| o).count();
            for j in 0..self.sites {
                if count < self.p && !open[j] && !forbidden[j] {
                    open[j] = true;
                    count += 1;
                }
            }
            let v = self.evaluate(&open);
            return (open, v);
        }
        let count = open.iter().filter(|&&o| o).count();
        if count < self.p {
            let mut cur: Vec<f64> = self.assigned_costs(&open);
            for _ in count..self.p {
                // The site with the largest saving, lowest index on ties.
                let pick = (0..self.sites)
                    .into_par_iter()
                    .filter(|&j| !open[j] && !forbidden[j])
                    .map(|j| {
                        let gain: f64 = cols.cols[j]
                            .iter()
                            .map(|&(i, c)| (cur[i as usize] - c).max(0.0))
                            .sum();
                        (gain, j)
                    })
                    .reduce_with(|a, b| {
                        if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
                            b
                        } else {
                            a
                        }
                    });
                let Some((_, j)) = pick else { break };
                open[j] = true;
                for &(i, c) in &cols.cols[j] {
                    let v = &mut cur[i as usize];
                    if c < *v {
                        *v = c;
                    }
                }
            }
        }
        self.interchange(cols, &mut open, fixed, forbidden);
        let v = self.evaluate(&open);
        (open, v)
    }

    /// Iterated local search from a local optimum (ruin and recreate): each round closes one
    /// to four chosen sites at random (a fixed seed: deterministic), refills greedily without
    /// them, runs the interchange, and keeps the result if it is no worse. Stops after
    /// `rounds`, after `ILS_PATIENCE` rounds without improvement, at zero, or at `deadline`.
    pub(super) fn iterated(
        &self,
        cols: &Columns,
        start: (Vec<bool>, f64),
        rounds: usize,
        deadline: Instant,
    ) -> (Vec<bool>, f64) {
        let (mut best, mut best_value) = start;
        let movable: Vec<usize> = (0..self.sites).filter(|&j| !self.fixed[j]).collect();
        let allowed: Vec<usize> = (0..self.sites).filter(|&j| !self.forbidden[j]).collect();
        if movable.is_empty() || allowed.len() <= self.p {
            return (best, best_value);
        }
        let mut rng =
            crate::rng::Rng::new(0x5EED ^ (self.rows.len() as u64) << 20 ^ self.sites as u64);
        let mut stale = 0;
        for round in 0..rounds {
            if Instant::now() > deadline || stale >= ILS_PATIENCE || best_value <= 0.0 {
                break;
            }
            stale += 1;
            // Ruin: close one to four chosen sites at random, and forbid them this round.
            let mut open = best.clone();
            let mut barred = self.forbidden.clone();
            for _ in 0..1 + round % 4 {
                let ins: Vec<usize> = movable.iter().copied().filter(|&j| open[j]).collect();
                if ins.is_empty() {
                    break;
                }
                let k = ins[rng.below(ins.len())];
                open[k] = false;
                barred[k] = true;
            }
            // Recreate: greedy additions and interchange without them, then with them again.
            let (mut open, _) = self.heuristic(cols, &self.fixed, &barred, Some(&open));
            self.interchange(cols, &mut open, &self.fixed, &self.forbidden);
            let v = self.evaluate(&open);
            // Equal solutions are accepted too: the search walks along plateaus.
            if v <= best_value + 1e-12 * best_value.abs().max(1.0) {
                if v < best_value - 1e-12 * best_value.abs().max(1.0) {
                    stale = 0;
                }
                best = open;
                best_value = v;
            }
        }
        (best, best_value)
    }

    /// Best-improvement swaps until none improves (Whitaker's fast interchange).
    fn interchange(&self, cols: &Columns, open: &mut [bool], fixed: &[bool], forbidden: &[bool]) {
        const NONE: u32 = u32::MAX;
        loop {
            // Best and second-best per demand; the fallback is always available.
            let mut d1 = vec![0.0; self.rows.len()];
            let mut d2 = vec![0.0; self.rows.len()];
            let mut c1 = vec![NONE; self.rows.len()];
            for (i, row) in self.rows.iter().enumerate() {
                let mut it = row.iter().filter(|(j, _)| open[*j as usize]);
                let u = self.fallback[i];
                match it.next() {
                    Some(&(j, c)) if c < u => {
                        d1[i] = c;
                        c1[i] = j;
                        d2[i] = it.next().map(|&(_, c)| c).unwrap_or(u).min(u);
                    }
                    _ => {
                        d1[i] = u;
                        d2[i] = u;
                    }
                }
            }
            let mut base_loss = vec![0.0; self.sites];
            for i in 0..self.rows.len() {
                if c1[i] != NONE {
                    base_loss[c1[i] as usize] += d2[i] - d1[i];
                }
            }
            let removable: Vec<usize> = (0..self.sites).filter(|&k| open[k] && !fixed[k]).collect();
            if removable.is_empty() {
                return;
            }
            let best = (0..self.sites)
                .into_par_iter()
                .filter(|&j| !open[j] && !forbidden[j])
                .map_init(
                    || vec![0.0f64; self.sites],
                    |adjust, j| {
                        let mut gain = 0.0;
                        let mut touched: Vec<u32> = Vec::new();
                        for &(i, c) in &cols.cols[j] {
                            let i = i as usize;
                            if c < d1[i] {
                                gain += d1[i] - c;
                            }
                            if c1[i] != NONE {
                                let k = c1[i];
                                let delta = (d2[i].min(c) - d1[i].min(c)) - (d2[i] - d1[i]);
                                if delta != 0.0 {
                                    if adjust[k as usize] == 0.0 {
                                        touched.push(k);
                                    }
                                    adjust[k as usize] += delta;
                                }
                            }
                        }
                        let mut best: (f64, usize, usize) = (f64::INFINITY, j, usize::MAX);
                        for &k in &removable {
                            let d = -gain + base_loss[k] + adjust[k];
                            if d < best.0 {
                                best = (d, j, k);
                            }
                        }
                        for k in touched {
                            adjust[k as usize] = 0.0;
                        }
                        best
                    },
                )
                .reduce_with(|a, b| {
                    if b.0 < a.0 || (b.0 == a.0 && (b.1, b.2) < (a.1, a.2)) {
                        b
                    } else {
                        a
                    }
                });
            let Some((delta, j, k)) = best else { return };
            let total: f64 = d1.iter().sum();
            if delta < -1e-12 * total.abs().max(1.0) {
                open[j] = true;
                open[k] = false;
            } else {
                return;
            }
        }
    }
}
