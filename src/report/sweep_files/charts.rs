//! The five PNG charts of a sweep, all drawn from the files of a complete sweep folder (so
//! `wick sweep` and `wick merge` draw the same pictures).

use std::path::{Path, PathBuf};

use super::format::{funding_net_paid, row_of};
use super::table;
use super::{
    BY_LEVERAGE, PRICE_CSV, SweepFilesError, SweepManifest, leverage_label, read_series,
    read_trades,
};
use crate::columnar::Table;
use crate::report::charts::drawdown::draw_drawdown;
use crate::report::charts::equity::{TimeLine, draw_equity};
use crate::report::charts::leverage::{LevelBar, draw_leverage};
use crate::report::charts::price::{TradeMarks, draw_price};
use crate::report::charts::style;
use crate::sweep::series::Thinned;

/// What the charts and the ranking show.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Statistic the grid is ranked by (`--sort-by`).
    pub sort_by: String,
    /// Statistic of `heatmap.png` (`--heatmap-metric`).
    pub heatmap_metric: String,
    /// Column of the heatmap's second dimension (`--heatmap-y`); `None` = the first other axis
    /// with several values.
    pub heatmap_y: Option<String>,
    /// Equity on a log axis (`--log-scale`).
    pub log_scale: bool,
    /// Leverage word whose trades `price.png` shows (`--price-leverage`); `None` = the highest
    /// charted leverage up to 10x.
    pub price_leverage: Option<String>,
}

impl ChartOptions {
    /// Refuse a statistic the sweep table does not hold, before anything runs.
    pub fn check(&self) -> Result<(), SweepFilesError> {
        let known = table::numeric_statistics();
        for (flag, stat) in [
            ("--sort-by", &self.sort_by),
            ("--heatmap-metric", &self.heatmap_metric),
        ] {
            if !known.contains(stat) {
                return Err(SweepFilesError::Option(format!(
                    "{flag} {stat}: no such statistic; choose one of {}",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            sort_by: "calmar".into(),
            heatmap_metric: "total_return".into(),
            heatmap_y: None,
            log_scale: false,
            price_leverage: None,
        }
    }
}

/// One charted leverage level, read back from `by_leverage/<L>x/`.
struct Level {
    word: String,
    label: String,
    row: usize,
    equity: Thinned,
    drawdown: Thinned,
    trades: Vec<super::ChartTrade>,
}

pub(super) fn draw_all(
    dir: &Path,
    m: &SweepManifest,
    rows: &Table,
    o: &ChartOptions,
) -> Result<Vec<PathBuf>, SweepFilesError> {
    let levels = read_levels(dir, m, rows)?;
    let mut written = Vec::new();
    let data = if m.synthetic { " [synthetic data]" } else { "" };
    // Dates only: the hours of the first and last bar add nothing to a multi-year title.
    let period = m
        .period
        .split(" → ")
        .map(|t| t.get(..10).unwrap_or(t))
        .collect::<Vec<_>>()
        .join(" to ");
    let subject = format!("{}, {period}{data}", m.strategy);
    if !levels.is_empty() {
        let labels: Vec<String> = levels.iter().map(|l| legend_label(l, rows)).collect();
        let marks: Vec<Vec<(i64, f64)>> = levels
            .iter()
            .map(|l| liquidation_marks(&l.trades, |t| t.exit_equity))
            .collect();
        let lines: Vec<TimeLine<'_>> = levels
            .iter()
            .zip(&labels)
            .zip(&marks)
            .map(|((l, label), marks)| TimeLine {
                label,
                time: &l.equity.time,
                value: &l.equity.value,
                marks,
            })
            .collect();
        let path = dir.join("equity.png");
        let legend = legend_title(m);
        draw_equity(
            &path,
            &format!("Equity by leverage — {subject}"),
            &legend,
            &lines,
            m.initial_capital,
            o.log_scale,
        )?;
        written.push(path);

        let dd_marks: Vec<Vec<(i64, f64)>> = levels
            .iter()
            .map(|l| liquidation_marks(&l.trades, |t| t.exit_drawdown))
            .collect();
        let lines: Vec<TimeLine<'_>> = levels
            .iter()
            .zip(&labels)
            .zip(&dd_marks)
            .map(|((l, label), marks)| TimeLine {
                label,
                time: &l.drawdown.time,
                value: &l.drawdown.value,
                marks,
            })
            .collect();
        let path = dir.join("drawdown.png");
        draw_drawdown(
            &path,
            &format!("Drawdown by leverage — {subject}"),
            &legend,
            &lines,
        )?;
        written.push(path);

        let bars: Vec<LevelBar<'_>> = levels
            .iter()
            .map(|l| LevelBar {
                label: &l.label,
                total_return: table::number(rows, "total_return", l.row).unwrap_or(f64::NAN),
                max_drawdown: table::number(rows, "max_drawdown", l.row).unwrap_or(f64::NAN),
                liquidations: table::number(rows, "liquidations", l.row).unwrap_or(0.0) as u64,
                funding_paid: funding_net_paid(rows, l.row),
            })
            .collect();
        let path = dir.join("leverage.png");
        draw_leverage(
            &path,
            &format!("What leverage buys and costs — {}", m.strategy),
            &bars,
        )?;
        written.push(path);

        let pick = price_level(&levels, o.price_leverage.as_deref())?;
        let price = read_series(&dir.join(PRICE_CSV), "close")?;
        let marks: Vec<TradeMarks<'_>> = pick
            .trades
            .iter()
            .map(|t| TradeMarks {
                long: t.long,
                entry_time: t.entry_time,
                entry_price: t.entry_price,
                exit_time: t.exit_time,
                exit_price: t.exit_price,
                exit_reason: &t.exit_reason,
            })
            .collect();
        let (lo, hi) = price
            .value
            .iter()
            .filter(|p| p.is_finite() && **p > 0.0)
            .fold((f64::MAX, 0.0f64), |(a, b), &p| (a.min(p), b.max(p)));
        let path = dir.join("price.png");
        let title = format!(
            "BTC price and the trades at {} — {}{data}",
            pick.label, m.strategy
        );
        draw_price(
            &path,
            &title,
            &price.time,
            &price.value,
            &marks,
            hi > 4.0 * lo,
        )?;
        written.push(path);
    }
    let anchor = levels.first().map(|l| l.row);
    if let Some(path) = super::heatmap::draw(dir, m, rows, anchor, o)? {
        written.push(path);
    }
    Ok(written)
}

fn read_levels(dir: &Path, m: &SweepManifest, rows: &Table) -> Result<Vec<Level>, SweepFilesError> {
    let mut out = Vec::new();
    for (id, word) in &m.charted {
        // A charted configuration whose parameter combination was skipped has no row and no files.
        let Some(row) = row_of(rows, *id) else {
            continue;
        };
        let label = leverage_label(word);
        let folder = dir.join(BY_LEVERAGE).join(&label);
        out.push(Level {
            word: word.clone(),
            row,
            equity: read_series(&folder.join("equity.csv"), "equity")?,
            drawdown: read_series(&folder.join("drawdown.csv"), "drawdown")?,
            trades: read_trades(&folder.join("trades.csv"))?,
            label,
        });
    }
    Ok(out)
}

/// What each legend entry is: the leverage, total return, and which configurations are drawn.
fn legend_title(m: &SweepManifest) -> Vec<String> {
    let mut lines = vec!["Leverage   total return".to_string()];
    if !m.chart_focus.is_empty() {
        lines.push("each curve with the other settings at:".to_string());
        lines.extend(
            m.chart_focus
                .split(", ")
                .map(|f| format!("    {}", f.replace('_', " "))),
        );
    }
    lines
}

/// Each liquidation's exit time with the value `at` gives (equity or drawdown at that bar).
fn liquidation_marks(
    trades: &[super::ChartTrade],
    at: fn(&super::ChartTrade) -> f64,
) -> Vec<(i64, f64)> {
    trades
        .iter()
        .filter(|t| t.exit_reason == "liquidation")
        .map(|t| (t.exit_time, at(t)))
        .filter(|m| m.1.is_finite())
        .collect()
}

fn legend_label(l: &Level, rows: &Table) -> String {
    let ret = table::number(rows, "total_return", l.row)
        .map_or("n/a".into(), |v| format!("{:+.1}%", v * 100.0));
    let dd = table::number(rows, "max_drawdown", l.row)
        .map_or("n/a".into(), |v| format!("{:.0}%", v * 100.0));
    let n = table::number(rows, "liquidations", l.row).unwrap_or(0.0);
    let liq = if n as u64 == 1 {
        "1 liquidation".to_string()
    } else {
        format!("{} liquidations", style::thousands(n, 0))
    };
    let trades = table::number(rows, "trades", l.row).unwrap_or(0.0);
    let refused = table::number(rows, "orders_rejected", l.row).unwrap_or(0.0);
    if trades == 0.0 && refused > 0.0 {
        // A flat line at the initial capital is not safety: the exchange refused every order.
        return format!(
            "{}   no trade\nall {} orders refused by the exchange",
            l.label,
            style::thousands(refused, 0)
        );
    }
    format!("{}   {ret}\nmax drawdown {dd}, {liq}", l.label)
}

fn price_level<'l>(
    levels: &'l [Level],
    wanted: Option<&str>,
) -> Result<&'l Level, SweepFilesError> {
    if let Some(w) = wanted {
        let w = w.trim().trim_end_matches(['x', 'X']);
        return levels.iter().find(|l| l.word == w).ok_or_else(|| {
            let have: Vec<&str> = levels.iter().map(|l| l.word.as_str()).collect();
            SweepFilesError::Option(format!(
                "--price-leverage {w}: not a charted leverage; choose one of {}",
                have.join(", ")
            ))
        });
    }
    let value = |l: &Level| l.word.parse::<f64>().unwrap_or(f64::MAX);
    Ok(levels
        .iter()
        .filter(|l| value(l) <= 10.0)
        .max_by(|a, b| value(a).total_cmp(&value(b)))
        .unwrap_or(&levels[0]))
}
