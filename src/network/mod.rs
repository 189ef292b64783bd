//! Travel on real networks: OpenStreetMap read into a routing graph per mode, points snapped to
//! it, and travel times found by Dijkstra's algorithm from every site in parallel.

pub mod graph;
pub mod osm;
pub mod profile;
pub mod route;
pub mod snap;
