//! The LP relaxation of a coverage problem, solved exactly (good_lp with the pure-Rust
//! microlp): `max Σ w_i z_i` with `z_i ≤ Σ_{j ∈ N_i} y_j`, `Σ_j y_j = p`, `0 ≤ y, z ≤ 1`.
//! Its value bounds the coverage of every choice of p sites; on MCLP instances where p sites
//! nearly cover everything it is tighter than the subgradient's Lagrangian (which converges
//! to it only slowly), so it tightens the bound a stopped search reports.

use good_lp::{constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel};

use super::presolve::Coverage;

/// Coverage pairs at most for the LP (beyond, it is not tried: its cost grows faster).
pub(crate) const LP_PAIRS: usize = 200_000;

/// The least uncovered weight of the LP relaxation, less a margin for its round-off; None when
/// the problem is too large or the solver fails.
pub(crate) fn uncovered_lower_bound(c: &Coverage) -> Option<f64> {
    let pairs: usize = c.rows.iter().map(Vec::len).sum();
    if pairs > LP_PAIRS || c.p == 0 || c.rows.is_empty() {
        return None;
    }
    let mut vars = ProblemVariables::new();
    let y: Vec<_> = (0..c.sites)
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let z: Vec<_> = c
        .rows
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let covered: Expression = c.weights.iter().zip(&z).map(|(w, &zi)| *w * zi).sum();
    let mut model = vars.maximise(covered.clone()).using(microlp);
    for (row, &zi) in c.rows.iter().zip(&z) {
        let by: Expression = row.iter().map(|&j| y[j as usize]).sum();
        model = model.with(constraint!(zi <= by));
    }
    let all: Expression = y.iter().copied().sum();
    model = model.with(constraint!(all == c.p as f64));
    let solved = model.solve().ok()?;
    let total = crate::num::sum(c.weights.iter().copied());
    let lp = solved.eval(&covered);
    // The solver works to about 1e-9 relative; a margin well above that keeps the bound valid.
    let bound = total - lp - 1e-7 * total.max(1.0);
    bound.is_finite().then_some(bound.max(0.0))
}
