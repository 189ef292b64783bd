#![no_main]
//! The parquet loader: any bytes give a table or a problem naming the file, never a panic.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("input.parquet", data);
    if let Ok(t) = frontdoor::load::table::read_table(&path, None, None, &Default::default()) {
        for c in t.columns.clone() {
            let _ = t.strings(&c);
        }
    }
});
