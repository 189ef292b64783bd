//! Location-allocation: which sites to keep or open, with spopt's model names and semantics,
//! exact where the search finishes and with a bound and gap where it does not.
//!
//! An [`Instance`] is demand points with weights, candidate sites, and a sparse cost table
//! (pairs absent are unreachable); sites may be fixed (must be chosen) or forbidden. It comes
//! from a study's travel times or from a user's cost table.
//!
//! | model | spopt | objective |
//! |---|---|---|
//! | `pmedian` | `PMedian` | min Σ_i a_i d_i(S), exactly p sites; every demand must reach a chosen site |
//! | `mclp` | `MCLP` | max Σ_i a_i [d_i(S) ≤ standard], exactly p sites |
//! | `lscp` | `LSCP` | min \|S\| such that every demand has a chosen site within the standard |
//! | `lscpb` | `LSCPB` | with p* = the LSCP optimum, max the demands with two chosen sites within the standard, every demand covered once |
//! | `pcenter` | `PCenter` | min max_i d_i(S), exactly p sites (unweighted, as spopt) |
//! | `cpmedian` | capacitated `PMedian` | p-median with Σ_i a_i x_ij ≤ C_j, each demand served whole by one site |
//! | `cmclp` | (none: pysal/spopt#415) | MCLP with Σ_i a_i x_ij ≤ C_j, each demand served whole by one site within the standard, or not served |
//!
//! p-median and MCLP run on one exact engine ([`core`]): Lagrangian bound, greedy and fast
//! interchange, branch-and-bound. MCLP up to 200,000 coverage pairs is proven instead by
//! branch-and-bound on its exact LP, split on demand points (`cover_lp`). p-center and LSCP
//! are sequences of MCLP feasibility questions (can p sites cover everyone within r?). The
//! capacitated p-median enumerates where that is small enough and is otherwise proven by
//! branch-and-bound on its knapsack Lagrangian (`knapsack_search`). LSCP-B and the
//! capacitated MCLP enumerate every set of sites where that is small enough, otherwise give a
//! local optimum with a bound (its gap said in the result).

mod assignment;
mod best_first;
mod capacitated;
mod cmclp;
mod combinations;
pub mod core;
mod cover_lp;
pub mod instance;
mod knapsack;
mod knapsack_search;
mod lscp;
mod mclp;
mod pcenter;
mod pmedian;
mod presolve;
mod search;
mod solution;
mod solve;

pub use core::Limits;
pub use instance::Instance;
pub use solution::{Model, Options, Solution};
pub use solve::solve;
