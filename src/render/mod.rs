//! Outputs: tables (CSV), spatial layers (GeoJSON, GeoParquet, GeoPackage, with QGIS styles),
//! the map and run.json, written into a staging folder that replaces the output folder as a
//! whole only once every file is complete ([`OutputDir`]).

pub mod decide;
pub mod feature;
mod finite;
pub mod formats;
pub mod geojson;
pub mod geoparquet;
pub mod gpkg;
pub mod map;
pub mod map_index;
pub mod matrix;
pub mod optimise;
mod output_dir;
mod outputs;
mod parquet;
pub mod qml;
pub mod report;
pub mod run_json;
pub mod scenario;
pub mod symbols;
pub mod tables;
pub mod write;

pub use formats::Formats;
pub use output_dir::OutputDir;
pub use outputs::Outputs;
