//! Every file of the real-data folder loads, with the rows, spans and gaps PROVENANCE.md lists;
//! the mark and funding files line up with the perp candles; converting to Parquet and back keeps
//! every value bit for bit; and 1m perp bars resample to Binance's own 1h bars exactly.

mod common;

use std::path::Path;

use assert_cmd::Command;
use wick::columnar::{self, Column};
use wick::domain::{Interval, TimestampMs};
use wick::market::{self, LoadOptions};

fn ms(s: &str) -> i64 {
    TimestampMs::parse_user(s).unwrap().0
}

/// (file, interval, rows, first bar open, last bar open, gap events, missing bars) as in PROVENANCE.md.
const CANDLE_FILES: [(&str, &str, usize, &str, &str, usize, i64); 10] = [
    (
        "btcusdt-perp-1h.csv",
        "1h",
        58_623,
        "2019-09-08 17:00",
        "2026-05-17 07:00",
        0,
        0,
    ),
    (
        "btcusdt-perp-mark-1h.csv",
        "1h",
        56_084,
        "2019-12-23 11:00",
        "2026-05-17 06:00",
        0,
        0,
    ),
    (
        "btcusdt-perp-15m.csv",
        "15m",
        86_148,
        "2023-12-02 00:00",
        "2026-05-17 08:45",
        0,
        0,
    ),
    (
        "btcusdt-perp-5m-2023-01-01_2024-05-14.csv",
        "5m",
        143_900,
        "2023-01-01 00:00",
        "2024-05-14 15:35",
        0,
        0,
    ),
    (
        "btcusdt-perp-5m-2025-09-25_2025-10-25.csv",
        "5m",
        8_688,
        "2025-09-25 00:00",
        "2025-10-25 03:55",
        0,
        0,
    ),
    (
        "btcusdt-perp-1m-2025-05-05_2025-06-02.csv",
        "1m",
        41_760,
        "2025-05-05 00:00",
        "2025-06-02 23:59",
        0,
        0,
    ),
    (
        "btcusdt-spot-1m-2021-05-18_2021-05-19.csv",
        "1m",
        2_880,
        "2021-05-18 00:00",
        "2021-05-19 23:59",
        0,
        0,
    ),
    (
        "btcusdt-spot-1m-2024-08-04_2024-08-05.csv",
        "1m",
        2_880,
        "2024-08-04 00:00",
        "2024-08-05 23:59",
        0,
        0,
    ),
    (
        "btcusdt-spot-1h.csv",
        "1h",
        73_264,
        "2018-01-01 00:00",
        "2026-05-16 17:00",
        27,
        122,
    ),
    (
        "btcusd-spot-1d.csv",
        "1d",
        4_017,
        "2014-11-28 00:00",
        "2025-11-26 00:00",
        0,
        0,
    ),
];

#[test]
fn every_candle_file_loads_with_the_rows_span_and_gaps_of_its_provenance() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    for (name, interval, rows, first, last, gap_events, missing) in CANDLE_FILES {
        let loaded = market::load_candles(&dir.join(name), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = &loaded.candles;
        assert_eq!(c.len(), rows, "{name} rows");
        assert_eq!(
            c.interval,
            interval.parse::<Interval>().unwrap(),
            "{name} interval"
        );
        assert_eq!(
            (c.time[0], c.time[rows - 1]),
            (ms(first), ms(last)),
            "{name} span"
        );
        assert_eq!(c.gaps.len(), gap_events, "{name} gap events");
        assert_eq!(
            c.gaps.iter().map(|g| g.missing).sum::<i64>(),
            missing,
            "{name} missing bars"
        );
        assert!(!c.synthetic, "{name} is real data");
    }
}

#[test]
fn the_largest_spot_gap_is_33_hours_after_2018_02_08() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let c = market::load_candles(&dir.join("btcusdt-spot-1h.csv"), &LoadOptions::default())
        .unwrap()
        .candles;
    let largest = c.gaps.iter().max_by_key(|g| g.missing).unwrap();
    assert_eq!(
        (largest.after.0, largest.missing),
        (ms("2018-02-08 00:00"), 33)
    );
}

#[test]
fn the_funding_file_loads_with_an_empty_mark_price_for_its_first_313_settlements() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let f = market::load_funding(
        &dir.join("btcusdt-perp-funding-8h.csv"),
        &LoadOptions::default(),
    )
    .unwrap()
    .funding;
    assert_eq!(f.len(), 7_323);
    assert_eq!(
        (f.time[0], f.time[7_322]),
        (ms("2019-09-10 08:00"), ms("2026-05-17 00:00"))
    );
    assert!(f.mark[..313].iter().all(|m| m.is_nan()));
    assert!(f.mark[313..].iter().all(|m| *m > 0.0));
    assert!(f.time.windows(2).all(|w| w[1] - w[0] == 8 * 3_600_000));
    let (min, max) = f
        .rate
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    assert_eq!((min, max), (-0.003, 0.003));
}

#[test]
fn the_mark_file_starts_later_than_the_candles_and_its_bars_are_counted_as_uncovered() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let loaded = market::load_market(
        &dir.join("btcusdt-perp-1h.csv"),
        Some(&dir.join("btcusdt-perp-mark-1h.csv")),
        Some(&dir.join("btcusdt-perp-funding-8h.csv")),
        &LoadOptions::default(),
    )
    .unwrap();
    let mark = loaded.data.mark.as_ref().unwrap();
    // Candles run 2019-09-08 17:00 → 2026-05-17 07:00; mark 2019-12-23 11:00 → 06:00 the same day.
    assert_eq!(mark.uncovered, 58_623 - 56_084);
    let c = &loaded.data.candles;
    let first_mark = c.index_at_or_after(TimestampMs(ms("2019-12-23 11:00")));
    assert!(!mark.is_covered(first_mark - 1) && mark.is_covered(first_mark));
    assert!(!mark.is_covered(c.len() - 1));
    // The 2020-03-13 02:00 mark low ignored part of the last-price wick (PROVENANCE.md).
    let i = c.index_at_or_after(TimestampMs(ms("2020-03-13 02:00")));
    assert_eq!((c.low[i], mark.low[i]), (3_621.81, 3_801.830_579_75));
    assert_eq!(loaded.reports.len(), 3);
}

fn float_bits(c: &Column) -> Vec<u64> {
    match c {
        Column::F64(v) => v.iter().map(|x| x.to_bits()).collect(),
        Column::OptF64(v) => v.iter().map(|x| x.map_or(u64::MAX, f64::to_bits)).collect(),
        other => panic!("expected floats, got {}", other.type_name()),
    }
}

fn assert_same_values(a: &Path, b: &Path) {
    let (ta, tb) = (
        columnar::read_table(a).unwrap(),
        columnar::read_table(b).unwrap(),
    );
    assert_eq!(ta.columns.len(), tb.columns.len());
    for ((na, ca), (nb, cb)) in ta.columns.iter().zip(&tb.columns) {
        assert_eq!(na, nb);
        match ca {
            Column::I64(_) | Column::OptI64(_) => assert_eq!(ca, cb, "column {na}"),
            _ => assert_eq!(float_bits(ca), float_bits(cb), "column {na}"),
        }
    }
}

#[test]
fn csv_to_parquet_to_csv_keeps_every_value_bit_for_bit() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // The mark file has 8-decimal prices; the funding file has exponents and 313 empty fields.
    for name in [
        "btcusdt-perp-mark-1h.csv",
        "btcusdt-perp-funding-8h.csv",
        "btcusd-spot-1d.csv",
    ] {
        let original = dir.join(name);
        let pq = tmp.path().join("x.parquet");
        let back = tmp.path().join("x.csv");
        for (from, to) in [(&original, &pq), (&pq, &back)] {
            Command::cargo_bin("wick")
                .unwrap()
                .args(["data", "convert"])
                .arg(from)
                .arg(to)
                .assert()
                .success();
        }
        assert_same_values(&original, &pq);
        assert_same_values(&original, &back);
    }
}

#[test]
fn one_minute_perp_bars_resample_to_binances_own_hourly_bars() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let opts = LoadOptions::default();
    let minute = market::load_candles(
        &dir.join("btcusdt-perp-1m-2025-05-05_2025-06-02.csv"),
        &opts,
    )
    .unwrap();
    let hourly = market::load_candles(&dir.join("btcusdt-perp-1h.csv"), &opts)
        .unwrap()
        .candles;
    let r = market::resample(&minute.candles, Interval::HOUR, false).unwrap();
    assert!(r.partial.is_empty(), "the 1m file covers whole days");
    assert_eq!(r.candles.len(), 696);
    let start = hourly.index_at_or_after(TimestampMs(r.candles.time[0]));
    for (k, &t) in r.candles.time.iter().enumerate() {
        let h = start + k;
        assert_eq!(hourly.time[h], t);
        let ours = [
            r.candles.open[k],
            r.candles.high[k],
            r.candles.low[k],
            r.candles.close[k],
        ];
        let binance = [
            hourly.open[h],
            hourly.high[h],
            hourly.low[h],
            hourly.close[h],
        ];
        assert_eq!(
            ours.map(f64::to_bits),
            binance.map(f64::to_bits),
            "hour {}",
            TimestampMs(t)
        );
    }
}
