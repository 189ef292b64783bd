//! A deterministic synthetic district for the demo and the benchmarks: towns and villages with a
//! realistic spread of people (small areas split until each holds about 1,500), several
//! agencies' buildings, bus stops along the roads between settlements, and demand records by
//! service, category and channel.
//!
//! Larger studies are made of tiles, each its own district of 40 × 30 km, laid out over the
//! British National Grid. The same seed and tile count always give the same bytes.

mod buildings;
mod catalogue;
mod coords;
mod demand;
mod demo;
mod district;
mod scenarios;
mod tile;
mod write;

pub use demo::{demo_scenarios, embedded_demo, TempStudy};
pub use write::write_study;

/// Options of a synthetic study.
#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    /// Seed of the random generator.
    pub seed: u64,
    /// Number of 40 × 30 km district tiles (1 for the demo).
    pub tiles: usize,
    /// Demand records per quarter (true) or per year (false, smaller files).
    pub quarterly: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            seed: 2024,
            tiles: 1,
            quarterly: true,
        }
    }
}
