//! Outputs: tables (CSV), GeoJSON, the map and run.json, written into a staging folder that
//! replaces the output folder as a whole only once every file is complete ([`OutputDir`]).

pub mod decide;
mod finite;
pub mod geojson;
pub mod map;
pub mod matrix;
pub mod optimise;
mod output_dir;
pub mod report;
pub mod run_json;
pub mod scenario;
pub mod symbols;
pub mod tables;
pub mod write;

pub use output_dir::OutputDir;
