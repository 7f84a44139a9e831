//! The folder `wick run` writes — `config.toml` (the settings as resolved: file, defaults and
//! overrides), `summary.json` (statistics, warnings, settings), `trades.csv`, `events.csv`,
//! `equity.csv` — and the summary table it prints.
//!
//! Times are RFC 3339 UTC; money is written with the decimals it was booked with; the equity curve
//! has one row per bar of the range (marked at the mark close, f64; its last row is the booked final
//! equity) with the drawdown from the running peak.

use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::json;
use thiserror::Error;

use crate::config::RunSettings;
use crate::domain::{Price, TimestampMs};
use crate::results::{EventKind, FillAction, Rejection, RunResult, Stats};

mod table;

pub use table::{summary_table, thousands};

#[derive(Debug, Error)]
pub enum RunFilesError {
    #[error("cannot write {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write {path}: {error}")]
    Csv { path: PathBuf, error: csv::Error },
    #[error("cannot serialise the resolved settings: {0}")]
    Toml(#[from] toml::ser::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RunFilesError + '_ {
    move |error| RunFilesError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Write the run folder `out` (created if needed); returns the files written.
pub fn write_run(
    out: &Path,
    settings: &RunSettings,
    run: &RunResult,
    stats: &Stats,
) -> Result<Vec<PathBuf>, RunFilesError> {
    fs::create_dir_all(out).map_err(io(out))?;
    let mut written = Vec::new();

    let config = out.join("config.toml");
    let header = format!(
        "# The settings of this run as resolved from {} (defaults filled in, command-line overrides applied).\n\n",
        settings.source.display()
    );
    fs::write(&config, header + &toml::to_string(settings)?).map_err(io(&config))?;
    written.push(config);

    let summary = out.join("summary.json");
    let doc = json!({ "name": settings.name, "stats": stats, "warnings": run.warnings, "settings": settings });
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    fs::write(&summary, text + "\n").map_err(io(&summary))?;
    written.push(summary);

    written.push(write_csv(out, "trades.csv", trades_rows(run))?);
    written.push(write_csv(out, "events.csv", event_rows(run))?);
    written.push(write_csv(out, "equity.csv", equity_rows(run))?);
    Ok(written)
}

type Rows = Vec<Vec<String>>;

fn write_csv(out: &Path, name: &str, rows: Rows) -> Result<PathBuf, RunFilesError> {
    let path = out.join(name);
    let csv_err = |error| RunFilesError::Csv {
        path: path.clone(),
        error,
    };
    let file = fs::File::create(&path).map_err(io(&path))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    for row in rows {
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush().map_err(io(&path))?;
    Ok(path)
}

fn time(t: TimestampMs) -> String {
    t.to_rfc3339()
}

/// Booked amounts carry at most 8 decimals; computed prices (liquidation) are cut to 8 as well.
fn dec(d: Decimal) -> String {
    d.round_dp(8).normalize().to_string()
}

fn price(p: Option<Price>) -> String {
    p.map_or(String::new(), |p| dec(p.get()))
}

fn trades_rows(run: &RunResult) -> Rows {
    let header = "entry_time,exit_time,side,qty,entry_price,exit_price,leverage,margin,liquidation_price_at_entry,exit_reason,pnl,fees,funding,net";
    let mut rows = vec![header.split(',').map(String::from).collect()];
    for t in &run.trades {
        rows.push(vec![
            time(t.entry_time),
            time(t.exit_time),
            t.side.to_string(),
            dec(t.qty.get()),
            dec(t.entry_price.get()),
            dec(t.exit_price.get()),
            dec(t.leverage.get()),
            dec(t.margin.get()),
            price(t.liquidation_price_at_entry),
            t.exit_reason.as_str().to_string(),
            dec(t.pnl.get()),
            dec(t.fees.get()),
            dec(t.funding.get()),
            dec(t.net().get()),
        ]);
    }
    rows
}

/// `time,type,side,qty,price,amount,detail`: `amount` is the money the event booked (fee of a fill,
/// funding to the account, liquidation loss, insurance draw, equity at ruin).
fn event_rows(run: &RunResult) -> Rows {
    let mut rows = vec![
        "time,type,side,qty,price,amount,detail"
            .split(',')
            .map(String::from)
            .collect(),
    ];
    for e in &run.events {
        let (side, qty, px, amount, detail) = match &e.kind {
            EventKind::Fill {
                side,
                action,
                qty,
                price,
                fee,
                pnl,
            } => {
                let what = match action {
                    FillAction::Open => "open".to_string(),
                    FillAction::Close(r) => {
                        format!("close ({}), pnl {}", r.as_str(), dec(pnl.get()))
                    }
                };
                (
                    side.to_string(),
                    dec(qty.get()),
                    dec(price.get()),
                    dec(fee.get()),
                    what,
                )
            }
            EventKind::Funding {
                side,
                qty,
                mark,
                rate,
                amount,
            } => (
                side.to_string(),
                dec(qty.get()),
                dec(mark.get()),
                dec(amount.get()),
                format!("rate {}", dec(rate.get())),
            ),
            EventKind::Liquidation {
                side,
                qty,
                price,
                liquidation_price,
                gap,
                loss,
            } => {
                let what = format!(
                    "liquidation price {}{}",
                    dec(liquidation_price.get()),
                    if *gap { ", gap at the mark open" } else { "" }
                );
                (
                    side.to_string(),
                    dec(qty.get()),
                    dec(price.get()),
                    dec(loss.get()),
                    what,
                )
            }
            EventKind::InsuranceDraw { amount } => (
                String::new(),
                String::new(),
                String::new(),
                dec(amount.get()),
                String::new(),
            ),
            EventKind::Rejection { reason } => {
                let what = match reason {
                    Rejection::BelowMinNotional {
                        notional,
                        min_notional,
                    } => {
                        format!(
                            "notional {} below the minimum order {}",
                            dec(notional.get()),
                            dec(min_notional.get())
                        )
                    }
                    Rejection::LeverageRefused { reason, .. } => reason.clone(),
                };
                (
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    what,
                )
            }
            EventKind::BracketTableChange {
                table,
                liquidation_price_before,
                liquidation_price_after,
            } => {
                let what = format!(
                    "table of {table}: liquidation price {} → {}",
                    price(*liquidation_price_before),
                    price(*liquidation_price_after)
                );
                (
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    what,
                )
            }
            EventKind::Warning { .. } | EventKind::StopBeyondLiquidation { .. } => (
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                e.kind.warning_text().unwrap_or_default(),
            ),
            EventKind::Ruin { equity, reason } => (
                String::new(),
                String::new(),
                String::new(),
                dec(equity.get()),
                reason.clone(),
            ),
        };
        rows.push(vec![
            time(e.time),
            e.kind.name().to_string(),
            side,
            qty,
            px,
            amount,
            detail,
        ]);
    }
    rows
}

fn equity_rows(run: &RunResult) -> Rows {
    let mut rows: Rows = Vec::with_capacity(run.equity.len() + 1);
    rows.push(vec!["time".into(), "equity".into(), "drawdown".into()]);
    for ((t, e), dd) in run.equity.points().zip(run.equity.drawdowns()) {
        rows.push(vec![
            time(TimestampMs(t)),
            format!("{e:.2}"),
            format!("{dd:.6}"),
        ]);
    }
    rows
}
