#![no_main]
//! OpenStreetMap PBF: any bytes give highways and nodes or an error naming the file.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("area.osm.pbf", data);
    if let Ok(osm) = frontdoor::network::osm::read_osm(&path) {
        let crs = frontdoor::crs::Crs::bng();
        let _ = frontdoor::network::graph::build_graph(&osm, frontdoor::Mode::Walk, 4.8, 15.0, &crs);
    }
});
