//! Loading a study: the study file, then zones, sites and demand, all checked and brought into one
//! metric working CRS.

mod area;
mod check;
mod column;
pub mod demand;
pub mod fields;
mod matrix;
mod open;
pub mod points;
pub mod settings;
mod sites;
mod study;
pub mod table;
mod thrift;
mod zones;

pub use column::zone_column;
pub use study::{load_study, load_study_with_settings};

/// Options for loading.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Refuse demand rows that cannot be placed instead of skipping and counting them.
    pub strict: bool,
    /// Read no demand: its files are only fingerprinted (for `frontdoor partition`, which
    /// needs zones and sites alone).
    pub skip_demand: bool,
}
