//! Shared by the fuzz targets: a per-process scratch file (the loaders read paths).

#![allow(dead_code)]

use std::path::PathBuf;

/// Writes `bytes` to a scratch file of this process with this name and returns its path.
pub fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("frontdoor-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The demo study of the repository, loaded once.
pub fn demo() -> &'static frontdoor::Study {
    static DEMO: std::sync::OnceLock<frontdoor::Study> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/demo/study.toml");
        frontdoor::load_study(&path, &Default::default()).expect("the demo study loads")
    })
}
