//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The folder of real market data (`WICK_SHARED_DATA`, default `../shared/data`), or `None` with a
/// visible message when it is absent, so that a test can skip instead of failing.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("WICK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"));
    if dir.is_dir() {
        // Absolute, so that a path written into a strategy file in a temporary folder (which
        // resolves its paths against its own folder) still points here.
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        eprintln!(
            "SKIPPED: real-data folder {} not found (set WICK_SHARED_DATA to run this test)",
            dir.display()
        );
        None
    }
}

/// A file of the real-data folder, or `None` (with a message) when the folder is absent.
pub fn shared_file(name: &str) -> Option<PathBuf> {
    shared_data().map(|d| d.join(name))
}
