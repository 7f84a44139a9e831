//! The folder `wick run` writes — `config.toml` (the settings as resolved: file, defaults and
//! overrides), `summary.json` (statistics, warnings, settings), `trades.csv`, `events.csv`,
//! `equity.csv` — and the summary table it prints.
//!
//! Times are RFC 3339 UTC; money is written with the decimals it was booked with; the equity curve
//! has one row per bar of the range (marked at the mark close, f64; its last row is the booked final
//! equity) with the drawdown from the running peak.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::json;
use thiserror::Error;

use crate::config::RunSettings;
use crate::domain::{Price, TimestampMs};
use crate::results::{EventKind, FillAction, Rejection, RunResult, Stats};

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
            EventKind::Warning { message } => (
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                message.clone(),
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
    for ((&t, &e), dd) in run
        .equity
        .time
        .iter()
        .zip(&run.equity.equity)
        .zip(run.equity.drawdowns())
    {
        rows.push(vec![
            time(TimestampMs(t)),
            format!("{e:.2}"),
            format!("{dd:.6}"),
        ]);
    }
    rows
}

/// `1234567.891` → `1,234,567.89`.
pub fn thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn pct(v: f64) -> String {
    format!("{}%", thousands(v * 100.0, 2))
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("—".into(), f)
}

fn day(t: Option<TimestampMs>) -> String {
    t.map_or("—".into(), |t| t.to_human())
}

/// The table `wick run` prints.
pub fn summary_table(settings: &RunSettings, run: &RunResult, s: &Stats) -> String {
    let usd = |d: Decimal| {
        format!(
            "{} USDT",
            thousands(d.to_string().parse().unwrap_or(f64::NAN), 2)
        )
    };
    let a = &settings.account;
    let lines: Vec<(&str, String)> = vec![
        (
            "run",
            format!(
                "{} ({} bars, {}x {} on {})",
                settings.name,
                thousands(s.bars as f64, 0),
                a.leverage,
                format!("{:?}", a.margin_mode).to_lowercase(),
                format!("{:?}", a.venue).to_lowercase()
            ),
        ),
        ("initial equity", usd(s.initial_equity.get())),
        ("final equity", usd(s.final_equity.get())),
        ("total return", pct(s.total_return)),
        ("CAGR", opt(s.cagr, pct)),
        (
            "max drawdown",
            format!(
                "{} ({} → {})",
                pct(s.max_drawdown),
                day(s.max_drawdown_peak),
                day(s.max_drawdown_trough)
            ),
        ),
        (
            "Sharpe / Sortino / Calmar",
            format!(
                "{} / {} / {}",
                opt(s.sharpe, |v| format!("{v:.2}")),
                opt(s.sortino, |v| format!("{v:.2}")),
                opt(s.calmar, |v| format!("{v:.2}"))
            ),
        ),
        (
            "trades",
            format!(
                "{} (win rate {}, profit factor {})",
                s.trades,
                opt(s.win_rate, pct),
                opt(s.profit_factor, |v| format!("{v:.2}"))
            ),
        ),
        ("exposure", pct(s.exposure)),
        ("fees", usd(s.fees.get())),
        (
            "funding paid / received",
            format!(
                "{} / {}",
                usd(s.funding_paid.get()),
                usd(s.funding_received.get())
            ),
        ),
        (
            "liquidations",
            format!(
                "{} (margin lost {}, insurance draw {})",
                s.liquidations,
                usd(s.liquidation_margin_lost.get()),
                usd(s.insurance_fund_draw.get())
            ),
        ),
        (
            "first liquidation",
            match (s.first_liquidation, s.days_to_first_liquidation) {
                (Some(t), Some(d)) => format!("{} (after {} days)", t.to_human(), thousands(d, 1)),
                _ => "—".into(),
            },
        ),
        (
            "closest approach to liquidation",
            opt(s.closest_approach_to_liquidation_pct, |v| {
                format!("{v:.2}%")
            }),
        ),
        (
            "stop-outs / take-profits",
            format!("{} / {}", s.stop_outs, s.take_profits),
        ),
        ("ambiguous bars", s.ambiguous_bars.to_string()),
        ("ruin", day(s.ruined)),
    ];
    let width = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for (k, v) in &lines {
        let _ = writeln!(out, "{k:<width$}  {v}");
    }
    for w in &run.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_commas_and_the_sign_kept() {
        assert_eq!(thousands(1234567.891, 2), "1,234,567.89");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(999.0, 1), "999.0");
        assert_eq!(thousands(-0.001, 2), "0.00");
    }
}
