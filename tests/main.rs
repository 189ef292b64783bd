//! frontdoor's tests, in one binary (polars is linked once).

mod support;

/// The benchmarks' synthetic street grid, for the tests of the searches on it.
#[path = "../benches/common/grid.rs"]
mod grid;

mod access_peers;
mod assignment;
mod crs;
mod decide_evidence;
mod decide_hand;
mod demo;
mod formats;
mod fuzz_cases;
mod hand;
mod malformed;
mod network;
mod network_peers;
mod notebooks;
mod optimise_peers;
mod outputs_whole;
mod oxfordshire;
mod partition;
mod properties;
mod report;
mod robust_inputs;
mod scenario_hand;
mod structure;
mod transit;
mod travel_matrix;
