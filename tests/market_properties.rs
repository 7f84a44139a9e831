//! Invariants of the data pipeline, over generated inputs: files keep any finite float bit for
//! bit; resampling keeps every bar's extremes, conserves volume and never invents a bar; the
//! repairs leave strictly increasing times and account for every row.

use proptest::prelude::*;
use wick::columnar::{self, Column, Table};
use wick::domain::Interval;
use wick::market::synth::{SynthParams, generate};
use wick::market::{self, Dedupe, LoadOptions};

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn any_finite_float_survives_csv_and_parquet_bit_for_bit(
        values in prop::collection::vec(any::<f64>().prop_filter("finite", |x| x.is_finite()), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let table = Table::new()
            .with("i", Column::I64((0..values.len() as i64).collect()))
            .with("x", Column::F64(values.clone()));
        for name in ["p.csv", "p.parquet"] {
            let path = dir.path().join(name);
            columnar::write_table(&path, &table).unwrap();
            let back = columnar::read_table(&path).unwrap();
            let Some(Column::F64(read)) = back.column("x") else { panic!("{name}: x is not floats") };
            prop_assert_eq!(read.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                            values.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "{}", name);
        }
    }

    #[test]
    fn resampled_bars_keep_their_extremes_and_the_total_volume(
        seed in 0u64..1_000, bars in 1usize..3_000, factor in prop::sample::select(vec![2i64, 5, 15, 60, 240]),
        keep_partial: bool,
    ) {
        let c = generate(&SynthParams { bars, seed, ..SynthParams::default() }).candles;
        let to = Interval(c.interval.ms() * factor);
        let r = market::resample(&c, to, keep_partial).unwrap();
        let out = &r.candles;
        for k in 0..out.len() {
            prop_assert!(out.high[k] >= out.open[k].max(out.close[k]));
            prop_assert!(out.low[k] <= out.open[k].min(out.close[k]));
            prop_assert_eq!(out.time[k] % to.ms(), 0, "buckets are aligned to UTC multiples");
        }
        prop_assert!(out.time.windows(2).all(|w| w[0] < w[1]));
        let whole: f64 = c.volume.iter().sum();
        let kept: f64 = out.volume.iter().sum();
        if keep_partial {
            prop_assert!((whole - kept).abs() <= 1e-9 * whole.max(1.0), "volume {} vs {}", whole, kept);
            prop_assert_eq!(out.high.iter().cloned().fold(f64::MIN, f64::max).to_bits(),
                            c.high.iter().cloned().fold(f64::MIN, f64::max).to_bits());
        } else {
            prop_assert!(kept <= whole * (1.0 + 1e-12));
        }
        // Every input bar lands in exactly one bucket: full buckets + partial ones account for all.
        let full = out.len() - if keep_partial { r.partial.len() } else { 0 };
        let in_partial: usize = r.partial.iter().map(|p| p.bars).sum();
        prop_assert_eq!(full * factor as usize + in_partial, c.len());
    }
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn sort_and_dedupe_leave_increasing_times_and_account_for_every_row(
        minutes in prop::collection::vec(0i64..30, 2..60),
        keep_last: bool,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        let mut text = String::from("timestamp,open,high,low,close,volume\n");
        for m in &minutes {
            text.push_str(&format!("{},100,101,99,100.5,{m}\n", 1_717_200_000_000 + m * 60_000));
        }
        std::fs::write(&path, text).unwrap();
        let dedupe = Some(if keep_last { Dedupe::KeepLast } else { Dedupe::KeepFirst });
        let opts = LoadOptions { sort: true, dedupe, interval: Some(Interval::MINUTE), ..LoadOptions::default() };
        let loaded = market::load_candles(&path, &opts).unwrap();
        let c = &loaded.candles;
        prop_assert!(c.time.windows(2).all(|w| w[0] < w[1]));
        prop_assert_eq!(c.len() + loaded.report.repairs.duplicates_removed, minutes.len());
        let mut distinct = minutes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert_eq!(c.len(), distinct.len());
        // The volume column carries the minute, so every kept row is the row of its own time.
        for (t, v) in c.time.iter().zip(&c.volume) {
            prop_assert_eq!((t - 1_717_200_000_000) / 60_000, *v as i64);
        }
    }
}
