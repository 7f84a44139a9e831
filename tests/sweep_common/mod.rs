//! Helpers shared by the sweep tests: a synthetic market written to files, and a strategy file
//! that reads it, so that the CLI and the library see exactly the same input.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use wick::domain::Interval;
use wick::market::synth::{self, SynthParams};

/// Write `bars` synthetic hourly bars (seed 42) with mark and funding into `dir`, and a strategy
/// file `dir/sma.toml` for them: SMA 20/100 crossover, long and short, half the equity as margin,
/// 1 bp slippage, `extra` appended (e.g. `[sweep]` tables). Returns the strategy file's path.
pub fn synthetic_strategy(dir: &Path, bars: usize, extra: &str) -> PathBuf {
    let params = SynthParams {
        bars,
        interval: Interval::HOUR,
        ..SynthParams::default()
    };
    let paths = synth::paths_for(&dir.join("synth-btc-1h.parquet"), &params);
    synth::write(&synth::generate(&params), &paths).unwrap();
    strategy_file(
        dir,
        &paths.candles,
        Some(&paths.mark),
        Some(&paths.funding),
        extra,
    )
}

/// A strategy file `dir/sma.toml` over the given data files.
pub fn strategy_file(
    dir: &Path,
    candles: &Path,
    mark: Option<&Path>,
    funding: Option<&Path>,
    extra: &str,
) -> PathBuf {
    let line = |key: &str, p: Option<&Path>| {
        p.map_or(String::new(), |p| {
            format!("{key} = {:?}\n", p.display().to_string())
        })
    };
    let text = format!(
        "name = \"sma\"\n[data]\ncandles = {:?}\n{}{}\
         [strategy]\nkind = \"sma_crossover\"\nfast = 20\nslow = 100\nmode = \"both\"\n\
         [account]\ninitial_capital = 10000\nsizing = {{ margin_fraction = 0.5 }}\n\
         [execution]\nslippage_bps = 1\n{extra}\n",
        candles.display().to_string(),
        line("mark", mark),
        line("funding", funding),
    );
    let path = dir.join("sma.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Width and height from a PNG's IHDR chunk, after checking the signature: a PNG that decoders
/// accept starts with these 8 bytes, then the IHDR chunk (length 13).
pub fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.len() > 33,
        "{} is too short to be a PNG",
        path.display()
    );
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} has no PNG signature",
        path.display()
    );
    assert_eq!(
        &bytes[12..16],
        b"IHDR",
        "{} does not start with IHDR",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}
