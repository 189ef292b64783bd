#![no_main]
//! The graph cache: any bytes give a graph or "stale"/"damaged", never a panic or a huge
//! allocation. The key is the one the seed corpus was written with.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = frontdoor::network::cache::decode(data, "fuzz", frontdoor::Mode::Walk) {
        let _ = g.node_count();
    }
});
