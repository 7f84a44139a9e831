//! The layouts people actually have: other timestamp units and ISO text, other column names,
//! Binance's own export headers, Parquet — all load to the same bars; and the `wick data` commands
//! that write files (synth, convert, resample) produce files that load back.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;
use wick::domain::Interval;
use wick::market::{self, ColumnMap, LoadOptions, TimeUnit};

/// 2024-06-01 00:00, 01:00, 02:00 UTC in the given rendering, as three clean hourly bars.
fn three_bars(dir: &TempDir, name: &str, header: &str, time: [&str; 3]) -> PathBuf {
    let rows: Vec<String> = time
        .iter()
        .map(|t| format!("{t},100.5,102,99.25,101,7.5"))
        .collect();
    let path = dir.path().join(name);
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    path
}

const HOURS_MS: [i64; 3] = [1_717_200_000_000, 1_717_203_600_000, 1_717_207_200_000];

fn load(path: &Path, opts: &LoadOptions) -> market::LoadedCandles {
    market::load_candles(path, opts).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn epoch_seconds_micros_and_nanos_load_as_the_same_milliseconds() {
    let dir = TempDir::new().unwrap();
    let header = "timestamp,open,high,low,close,volume";
    let cases = [
        (
            "s.csv",
            ["1717200000", "1717203600", "1717207200"],
            TimeUnit::Seconds,
        ),
        (
            "us.csv",
            ["1717200000000000", "1717203600000000", "1717207200000000"],
            TimeUnit::Micros,
        ),
        (
            "ns.csv",
            [
                "1717200000000000000",
                "1717203600000000000",
                "1717207200000000000",
            ],
            TimeUnit::Nanos,
        ),
    ];
    for (name, times, unit) in cases {
        let loaded = load(
            &three_bars(&dir, name, header, times),
            &LoadOptions::default(),
        );
        assert_eq!(loaded.candles.time, HOURS_MS, "{name}");
        assert_eq!(loaded.report.time_unit, unit, "{name}");
        assert_eq!(loaded.candles.interval, Interval::HOUR);
    }
}

#[test]
fn iso_8601_text_times_load_with_or_without_an_offset() {
    let dir = TempDir::new().unwrap();
    let header = "datetime,open,high,low,close,volume";
    let z = [
        "2024-06-01T00:00:00Z",
        "2024-06-01T01:00:00Z",
        "2024-06-01T02:00:00Z",
    ];
    let offset = [
        "2024-06-01T02:00:00+02:00",
        "2024-06-01T03:00:00+02:00",
        "2024-06-01T04:00:00+02:00",
    ];
    let naive = [
        "2024-06-01 00:00:00",
        "2024-06-01 01:00:00",
        "2024-06-01 02:00:00",
    ];
    for (name, times) in [("z.csv", z), ("off.csv", offset), ("naive.csv", naive)] {
        let loaded = load(
            &three_bars(&dir, name, header, times),
            &LoadOptions::default(),
        );
        assert_eq!(loaded.candles.time, HOURS_MS, "{name}");
        assert_eq!(loaded.report.time_unit, TimeUnit::Text);
    }
}

#[test]
fn short_and_capitalised_headers_are_recognised() {
    let dir = TempDir::new().unwrap();
    let ms = HOURS_MS.map(|t| t.to_string());
    let path = three_bars(
        &dir,
        "short.csv",
        "Time,O,H,L,C,Vol",
        [&ms[0], &ms[1], &ms[2]],
    );
    let c = load(&path, &LoadOptions::default()).candles;
    assert_eq!(
        (c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]),
        (100.5, 102.0, 99.25, 101.0, 7.5)
    );
}

#[test]
fn an_explicit_mapping_reads_any_header_and_a_file_without_volume_gets_zero_volume() {
    let dir = TempDir::new().unwrap();
    let ms = HOURS_MS.map(|t| t.to_string());
    let path = dir.path().join("odd.csv");
    let rows: Vec<String> = ms
        .iter()
        .map(|t| format!("{t},1,100.5,102,99.25,101"))
        .collect();
    std::fs::write(
        &path,
        format!("ts,flag,first,top,bottom,last\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let columns: ColumnMap = "time=ts,open=first,high=top,low=bottom,close=last"
        .parse()
        .unwrap();
    let c = load(
        &path,
        &LoadOptions {
            columns,
            ..LoadOptions::default()
        },
    )
    .candles;
    assert_eq!(
        (c.open[2], c.high[2], c.low[2], c.close[2]),
        (100.5, 102.0, 99.25, 101.0)
    );
    assert_eq!(c.volume, vec![0.0; 3]);
}

#[test]
fn a_binance_funding_export_with_funding_time_and_mark_price_loads() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("BTCUSDT-fundingRate.csv");
    let text = "symbol,fundingTime,fundingRate,markPrice\n\
                BTCUSDT,1717200000001,0.00010000,67500.10\n\
                BTCUSDT,1717228800000,-0.00002100,\n";
    std::fs::write(&path, text).unwrap();
    let f = market::load_funding(&path, &LoadOptions::default())
        .unwrap()
        .funding;
    assert_eq!(f.time, vec![1_717_200_000_001, 1_717_228_800_000]);
    assert_eq!(f.rate, vec![0.0001, -0.000021]);
    // Bit-exact: the loader must hand over the file's value unchanged.
    assert_eq!(f.mark[0].to_bits(), 67_500.10f64.to_bits());
    assert!(f.mark[1].is_nan());
}

fn wick(args: &[&str]) -> String {
    let out = Command::cargo_bin("wick")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wick {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn synth_writes_three_marked_files_that_inspect_calls_synthetic() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("btc.csv");
    let said = wick(&[
        "data",
        "synth",
        "--bars",
        "3000",
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    for name in [
        "synth-btc.csv",
        "synth-btc-mark.csv",
        "synth-btc-funding.csv",
    ] {
        let path = dir.path().join(name);
        assert!(path.exists() && said.contains(name), "{name}: {said}");
        let shown = wick(&["data", "inspect", path.to_str().unwrap()]);
        assert!(shown.contains("synthetic:   yes"), "{shown}");
    }
    let candles = dir.path().join("synth-btc.csv");
    let shown = wick(&[
        "data",
        "inspect",
        dir.path().join("synth-btc-mark.csv").to_str().unwrap(),
        "--against",
        candles.to_str().unwrap(),
    ]);
    assert!(shown.contains("covers 3000 of 3000 bars"), "{shown}");
}

#[test]
fn converting_a_synthetic_csv_to_parquet_keeps_it_marked_synthetic_in_metadata() {
    let dir = TempDir::new().unwrap();
    wick(&[
        "data",
        "synth",
        "--bars",
        "500",
        "--out",
        dir.path().join("a.csv").to_str().unwrap(),
    ]);
    let pq = dir.path().join("renamed.parquet");
    wick(&[
        "data",
        "convert",
        dir.path().join("synth-a.csv").to_str().unwrap(),
        pq.to_str().unwrap(),
    ]);
    assert!(
        market::load_candles(&pq, &LoadOptions::default())
            .unwrap()
            .candles
            .synthetic
    );
}

#[test]
fn resample_writes_4h_bars_and_lists_the_partial_last_bucket() {
    let dir = TempDir::new().unwrap();
    // 1000 minutes from 00:00: four whole 4h buckets (960 bars) and a partial fifth (40 bars).
    wick(&[
        "data",
        "synth",
        "--bars",
        "1000",
        "--out",
        dir.path().join("m.parquet").to_str().unwrap(),
    ]);
    let input = dir.path().join("synth-m.parquet");
    let output = dir.path().join("h4.csv");
    let said = wick(&[
        "data",
        "resample",
        input.to_str().unwrap(),
        "--to",
        "4h",
        output.to_str().unwrap(),
    ]);
    assert!(
        said.contains("4 bars of 4h") && said.contains("2020-01-01 16:00: 40 of 240 bars"),
        "{said}"
    );
    let c = load(&output, &LoadOptions::default()).candles;
    assert_eq!((c.len(), c.interval), (4, "4h".parse().unwrap()));
    let kept = dir.path().join("h4-kept.csv");
    wick(&[
        "data",
        "resample",
        input.to_str().unwrap(),
        "--to",
        "4h",
        kept.to_str().unwrap(),
        "--keep-partial",
    ]);
    assert_eq!(load(&kept, &LoadOptions::default()).candles.len(), 5);
}

#[test]
fn one_price_column_may_serve_as_open_high_low_and_close() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ticks.csv");
    std::fs::write(&path, "ts,px\n1717200000000,100.5\n1717200060000,101\n").unwrap();
    let columns: ColumnMap = "time=ts,open=px,high=px,low=px,close=px".parse().unwrap();
    let c = load(
        &path,
        &LoadOptions {
            columns,
            ..LoadOptions::default()
        },
    )
    .candles;
    assert_eq!(
        (c.open[1], c.high[1], c.low[1], c.close[1]),
        (101.0, 101.0, 101.0, 101.0)
    );
    assert_eq!(c.interval, Interval::MINUTE);
}

#[test]
fn convert_with_load_options_writes_a_validated_file_in_wicks_layout() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("export.csv");
    let text = "Date,Open,High,Low,Close,Volume BTC\n\
                2024-06-01 02:00,1,2,0.5,1.5,3\n\
                2024-06-01 00:00,1,2,0.5,1.5,3\n\
                2024-06-01 01:00,1,2,0.5,1.5,3\n";
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("clean.parquet");
    let said = wick(&[
        "data",
        "convert",
        input.to_str().unwrap(),
        output.to_str().unwrap(),
        "--columns",
        "volume=Volume BTC",
        "--sort",
    ]);
    assert!(
        said.contains("--sort moved 3 rows") && said.contains("3 validated rows"),
        "{said}"
    );
    let header = wick::columnar::read_header(&output).unwrap();
    assert_eq!(
        header.names,
        ["timestamp", "open", "high", "low", "close", "volume"]
    );
    let c = load(&output, &LoadOptions::default()).candles;
    assert_eq!(c.time, HOURS_MS);
    assert_eq!(c.volume, vec![3.0; 3]);
}

#[test]
fn inspect_lists_every_funding_interval_seen_8h_4h_and_1h() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("funding.csv");
    // Binance moves a symbol to 4h or 1h funding in stressed markets: 8h, 8h, 4h, 4h, 1h.
    let hours = [0, 8, 16, 20, 24, 25];
    let rows: Vec<String> = hours
        .iter()
        .map(|h| format!("{},0.0001,", 1_717_200_000_000i64 + h * 3_600_000))
        .collect();
    std::fs::write(
        &path,
        format!("timestamp,funding_rate,mark_price\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let found = market::inspect::inspect(&path, &LoadOptions::default()).unwrap();
    assert_eq!(found.kind, market::inspect::FileKind::Funding);
    let market::inspect::Summary::Funding(f) = &found.summary else {
        panic!("not funding")
    };
    let h = |n: i64| Interval(n * 3_600_000);
    assert_eq!(f.intervals, vec![(h(4), 2), (h(8), 2), (h(1), 1)]);
    assert_eq!(f.missing_mark, 6);
    let shown = found.to_string();
    assert!(
        shown.contains("intervals:   4h ×2, 8h ×2, 1h ×1"),
        "{shown}"
    );
}
