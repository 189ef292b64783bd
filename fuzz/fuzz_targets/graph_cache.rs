#![no_main]
//! The graph cache: any bytes give a graph, "stale" or "damaged", never a panic or a huge
//! allocation. Each input is tried twice: as a cache file (its key read from it, so that the
//! checksum is what stops a mutation), and as a body sealed with a matching checksum (so that
//! the fuzzer reaches the count and index checks behind it).
use libfuzzer_sys::fuzz_target;

use frontdoor::network::cache::{decode, seal};
use frontdoor::Mode;

fn key_of(body: &[u8]) -> String {
    let Some(len) = body.get(..4) else {
        return String::new();
    };
    let n = u32::from_le_bytes(len.try_into().unwrap()) as usize;
    body.get(4..4 + n.min(body.len()))
        .map(|k| String::from_utf8_lossy(k).to_string())
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    if let Some(body) = data.get(48..) {
        let _ = decode(data, &key_of(body), Mode::Walk);
    }
    if let Ok(g) = decode(&seal(data), &key_of(data), Mode::Drive) {
        let _ = g.node_count();
    }
});
