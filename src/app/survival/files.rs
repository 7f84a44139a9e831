//! The files of a survival run: `survival.csv`, `survival_by_year.csv`, `first_passage.parquet`
//! (through `columnar`, the only polars user) and `survival_run.json`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::RunView;
use crate::columnar::{Column, Table, write_csv, write_parquet};
use crate::market::MarketData;
use crate::survival::{Outcome, SurvivalRow};

const HOUR_MS: f64 = 3_600_000.0;

pub(super) fn write_all(
    dir: &Path,
    v: &RunView<'_>,
    market: &MarketData,
    candles: &Path,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, rows) in [
        ("survival.csv", v.rows),
        ("survival_by_year.csv", v.by_year),
    ] {
        let path = dir.join(name);
        write_csv(&path, &rows_table(v, rows))
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    let path = dir.join("first_passage.parquet");
    write_parquet(&path, &first_passage_table(v))
        .with_context(|| format!("writing {}", path.display()))?;
    written.push(path);
    let path = dir.join("survival_run.json");
    let json = serde_json::to_string_pretty(&run_notes(v, market, candles))?;
    std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
    written.push(path);
    Ok(written)
}

/// One row per (side, leverage[, year]). Shares are fractions; every horizon carries the number of
/// entries it was measured over (entries followed by at least that much data).
fn rows_table(v: &RunView<'_>, rows: &[SurvivalRow]) -> Table {
    let mut t = Table::new();
    if rows.iter().any(|r| r.year.is_some()) {
        t = t.with(
            "year",
            Column::I64(
                rows.iter()
                    .map(|r| i64::from(r.year.unwrap_or_default()))
                    .collect(),
            ),
        );
    }
    t = t
        .with(
            "side",
            Column::Str(rows.iter().map(|r| r.side.to_string()).collect()),
        )
        .with(
            "leverage",
            Column::F64(rows.iter().map(|r| r.leverage.to_f64()).collect()),
        )
        .with(
            "entries",
            Column::I64(rows.iter().map(|r| r.entries as i64).collect()),
        )
        .with(
            "not_opened",
            Column::I64(rows.iter().map(|r| r.not_opened as i64).collect()),
        );
    for (k, h) in v.plan_horizons.iter().enumerate() {
        t = t
            .with(
                format!("p_liq_{}", h.label),
                Column::OptF64(rows.iter().map(|r| r.within[k].fraction()).collect()),
            )
            .with(
                format!("observed_{}", h.label),
                Column::I64(rows.iter().map(|r| r.within[k].observed as i64).collect()),
            );
    }
    t = t
        .with(
            "p_liq_ever",
            Column::OptF64(rows.iter().map(|r| r.ever.fraction()).collect()),
        )
        .with(
            "liquidated_ever",
            Column::I64(rows.iter().map(|r| r.ever.events as i64).collect()),
        );
    let hours = |f: fn(&SurvivalRow) -> Option<i64>| {
        Column::OptF64(
            rows.iter()
                .map(|r| f(r).map(|ms| ms as f64 / HOUR_MS))
                .collect(),
        )
    };
    t = t
        .with("p10_hours_to_liq", hours(|r| r.p10_ms))
        .with("median_hours_to_liq", hours(|r| r.median_ms))
        .with("p90_hours_to_liq", hours(|r| r.p90_ms));
    if v.settings.stop_loss.is_some() {
        let stopped = rows.iter().map(|r| {
            (r.entries > 0).then(|| r.stopped_first.unwrap_or(0) as f64 / r.entries as f64)
        });
        t = t.with("p_stopped_first", Column::OptF64(stopped.collect()));
    }
    t
}

/// Per entry bar × leverage × side: the liquidation price and the time to liquidation (null if the
/// position was never liquidated), plus how much data followed the entry, so that a reader can apply
/// their own censoring.
fn first_passage_table(v: &RunView<'_>) -> Table {
    let map = v.map;
    let n = map.time.len();
    let rows = n * map.series.len();
    let mut entry_time = Vec::with_capacity(rows);
    let mut side = Vec::with_capacity(rows);
    let mut leverage = Vec::with_capacity(rows);
    let mut entry_price = Vec::with_capacity(rows);
    let mut liq_price = Vec::with_capacity(rows);
    let mut ms_to_liq = Vec::with_capacity(rows);
    let mut outcome = Vec::with_capacity(rows);
    let mut followed = Vec::with_capacity(rows);
    for s in &map.series {
        for i in 0..n {
            let seg = s.segment(i);
            entry_time.push(map.time[i]);
            side.push(s.side.to_string());
            leverage.push(s.leverage.to_f64());
            entry_price.push(map.entry_price[i]);
            liq_price.push(
                seg.ratio
                    .filter(|_| seg.allowed)
                    .map(|r| map.entry_price[i] * r),
            );
            ms_to_liq.push(map.time_to_liquidation_ms(s, i));
            outcome.push(
                match s.outcome(i) {
                    Outcome::NotOpened => "not_opened",
                    Outcome::Liquidated { .. } => "liquidated",
                    Outcome::Stopped { .. } => "stopped",
                    Outcome::Survived => "survived",
                }
                .to_string(),
            );
            followed.push(map.observable_ms(i));
        }
    }
    Table::new()
        .with("entry_time", Column::I64(entry_time))
        .with("side", Column::Str(side))
        .with("leverage", Column::F64(leverage))
        .with("entry_price", Column::F64(entry_price))
        .with("liq_price", Column::OptF64(liq_price))
        .with("time_to_liq_ms", Column::OptI64(ms_to_liq))
        .with("outcome", Column::Str(outcome))
        .with("data_after_entry_ms", Column::I64(followed))
        .with_metadata("wick.survival", v.describe.clone())
}

#[derive(Debug, serde::Serialize)]
struct RunNotes {
    candles: String,
    mark: Option<String>,
    funding: Option<String>,
    interval: String,
    span: String,
    entries: usize,
    notional_usdt: f64,
    leverages: Vec<f64>,
    sides: Vec<String>,
    horizons: Vec<String>,
    stop_loss: Option<f64>,
    funding_booked: bool,
    liquidation_price_source: String,
    bars_without_mark: usize,
    entries_before_first_bracket_table: usize,
    caveats: Vec<String>,
}

fn run_notes(v: &RunView<'_>, market: &MarketData, candles: &Path) -> RunNotes {
    let map = v.map;
    let mut caveats = vec![
        "P(liquidated within H) counts only entries followed by at least H of data (numerator and denominator alike)".into(),
        "p_liq_ever: liquidated at any time before the data ends, over all entries; late entries had less time, so it is a lower bound".into(),
        "a liquidation is dated at the close of the bar in which the mark price reached the liquidation price".into(),
        "percentile times are over the liquidated positions only".into(),
        "the bracket table is the one in force at the entry date, for the life of the position".into(),
    ];
    if map.bars_before_first_table > 0 {
        caveats.push(format!(
            "{} entry bars predate the first known bracket table (2022-02-12) and use it anyway",
            map.bars_before_first_table
        ));
    }
    if map.last_price_proxy {
        caveats.push(
            "no mark file: liquidation tested on the last price, which over-liquidates on wicks"
                .into(),
        );
    } else if map.bars_without_mark > 0 {
        caveats.push(format!(
            "{} of the bars have no mark candle; the last price stands in for them",
            map.bars_without_mark
        ));
    }
    RunNotes {
        candles: candles.display().to_string(),
        mark: market.mark.as_ref().map(|m| m.source.clone()),
        funding: market
            .funding
            .as_ref()
            .filter(|_| map.funding_booked)
            .map(|f| f.source.clone()),
        interval: market.candles.interval.to_string(),
        span: crate::market::span(&map.time),
        entries: map.time.len(),
        notional_usdt: v.settings.notional.to_f64(),
        leverages: v.settings.leverages.iter().map(|l| l.to_f64()).collect(),
        sides: v.settings.sides.iter().map(|s| s.to_string()).collect(),
        horizons: v.plan_horizons.iter().map(|h| h.label.clone()).collect(),
        stop_loss: v.settings.stop_loss,
        funding_booked: map.funding_booked,
        liquidation_price_source: if map.last_price_proxy {
            "last".into()
        } else {
            "mark".into()
        },
        bars_without_mark: map.bars_without_mark,
        entries_before_first_bracket_table: map.bars_before_first_table,
        caveats,
    }
}
