#![no_main]
//! Scenario files against the demo study: a scenario or an error naming the key or site.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let study = common::demo();
    let path = common::scratch("scenario.toml", data);
    let _ = frontdoor::scenario::read_scenario(study, &path);
});
