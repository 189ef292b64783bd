#![no_main]
//! OpenStreetMap XML: any bytes give highways and nodes or an error naming the element.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("area.osm");
    if let Ok(osm) = frontdoor::network::osm::parse_xml(path, data) {
        let crs = frontdoor::crs::Crs::bng();
        for mode in [frontdoor::Mode::Walk, frontdoor::Mode::Drive] {
            let _ = frontdoor::network::graph::build_graph(&osm, mode, 4.8, 15.0, &crs);
        }
    }
});
