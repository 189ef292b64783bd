//! frontdoor: tells a public body which of its buildings and points of presence to keep, share
//! or close, from where people live, where the front doors are and what residents come for.
//!
//! Data flows one way, and the modules follow it; no module imports from a later one:
//!
//! - the ground floor: [`error`], `num` (compensated sums), `text` (numbers in words),
//!   `fingerprint` (SHA-256), [`rng`], `timing`, [`progress`], [`mode`], [`ids`], [`crs`]
//!   and [`index`] (R-trees);
//! - [`model`]: the study as frontdoor works on it; [`load`] reads it (with the study file's
//!   [`load::settings`]);
//! - `times`: the travel-time matrix every later stage reads; [`network`] builds it from
//!   OpenStreetMap; [`reach`] measures reach from it (straight-line times without a network);
//!   [`catchment`] draws catchments;
//! - [`access`]: the 2SFCA family; `measured`: what the later stages take;
//! - [`scenario`] (what-if), [`optimise`] (location-allocation), [`decide`] (keep, share,
//!   close, open);
//! - `render`: tables, GeoJSON, maps, run.json and report.html;
//! - [`partition`]: a study split into parts measured anywhere (on Ray, say), and their
//!   travel times joined again (it writes parts with render's GeoParquet);
//! - [`pipeline`]: the stages in order, once, and the commands composed of them;
//!   [`terminal`]: what the commands print;
//! - [`synth`]: the synthetic demo study and benchmarks' studies.

#![deny(missing_docs)]

pub mod access;
pub mod catchment;
pub(crate) mod contain;
pub mod crs;
pub mod decide;
pub mod error;
pub(crate) mod fingerprint;
pub mod ids;
pub mod index;
pub mod interrupt;
pub mod load;
pub(crate) mod measured;
pub mod mode;
pub mod model;
pub mod network;
pub(crate) mod num;
pub mod optimise;
pub mod partition;
pub mod pipeline;
pub mod progress;
pub mod reach;
pub(crate) mod render;
pub mod rng;
pub mod scenario;
pub mod synth;
pub mod terminal;
pub(crate) mod text;
pub(crate) mod times;
pub(crate) mod timing;

pub use error::{Error, Problem, Result};
pub use load::{load_study, LoadOptions};
pub use measured::Measured;
pub use mode::Mode;
pub use model::Study;
pub use pipeline::{
    measure, run, run_optimise, run_optimise_tables, run_reach, run_scenarios, OptimiseOutcome,
    OptimiseRequest, RunOptions, RunOutcome, ScenarioOutcome,
};
pub use reach::{ModeTimes, Reach, TimeBasis};
pub use render::Formats;
pub use timing::Timings;
