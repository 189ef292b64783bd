#![no_main]
//! The study file: any text gives a study file or a located error, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = frontdoor::load::settings::parse_study_text(std::path::Path::new("study.toml"), text);
    }
});
