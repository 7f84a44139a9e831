//! The five PNG charts of a sweep and its `summary.json`, all drawn from the files of a complete
//! sweep folder (so `wick sweep` and `wick merge` draw the same pictures).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::table::{self, ID};
use super::{
    BY_LEVERAGE, PRICE_CSV, SweepFilesError, SweepManifest, SweepReport, leverage_label,
    read_series, read_trades,
};
use crate::columnar::{Column, Table};
use crate::report::charts::drawdown::draw_drawdown;
use crate::report::charts::equity::{TimeLine, draw_equity};
use crate::report::charts::heatmap::{Heatmap, draw_heatmap};
use crate::report::charts::leverage::{LevelBar, draw_leverage};
use crate::report::charts::price::{TradeMarks, draw_price};
use crate::report::charts::style;
use crate::sweep::AxisKey;
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
    if let Some(path) = heatmap(dir, m, rows, &levels, o)? {
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

pub(super) fn row_of(rows: &Table, id: usize) -> Option<usize> {
    (0..rows.rows()).find(|&r| table::number(rows, ID, r) == Some(id as f64))
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

/// Funding paid minus funding received: positive when the position paid on balance.
pub(super) fn funding_net_paid(rows: &Table, r: usize) -> f64 {
    table::number(rows, "funding_paid", r).unwrap_or(0.0)
        - table::number(rows, "funding_received", r).unwrap_or(0.0)
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
            SweepFilesError::Merge(format!(
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

/// `heatmap.png`: the metric over leverage × another axis, the remaining axes at the charted
/// configurations' values. `None` (and no file) when the grid has no leverage column.
fn heatmap(
    dir: &Path,
    m: &SweepManifest,
    rows: &Table,
    levels: &[Level],
    o: &ChartOptions,
) -> Result<Option<PathBuf>, SweepFilesError> {
    let lev = AxisKey::Leverage.column();
    let Some((_, x_values)) = m.axes.iter().find(|(c, _)| *c == lev) else {
        return Ok(None);
    };
    let y_col = match &o.heatmap_y {
        Some(y) => {
            let y = y.replace('-', "_");
            if !m.axes.iter().any(|(c, _)| *c == y) || y == lev {
                let names: Vec<&str> = m
                    .axes
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .filter(|c| *c != lev)
                    .collect();
                return Err(SweepFilesError::Merge(format!(
                    "--heatmap-y {y}: not an axis of this grid; choose one of {}",
                    names.join(", ")
                )));
            }
            y
        }
        None => m
            .axes
            .iter()
            // Account axes first (stop-loss is the usual question), then strategy parameters.
            .find(|(c, v)| *c != lev && v.len() > 1 && !c.starts_with("param_"))
            .or_else(|| m.axes.iter().find(|(c, v)| *c != lev && v.len() > 1))
            .or_else(|| {
                m.axes
                    .iter()
                    .find(|(c, _)| *c == AxisKey::StopLoss.column())
            })
            .map(|(c, _)| c.clone())
            .unwrap_or_default(),
    };
    let Some((_, y_values)) = m.axes.iter().find(|(c, _)| *c == y_col) else {
        return Ok(None);
    };
    if !table::numeric_columns(rows).contains(&o.heatmap_metric.as_str()) {
        let names = table::numeric_columns(rows).join(", ");
        return Err(SweepFilesError::Merge(format!(
            "--heatmap-metric {}: no such statistic; choose one of {names}",
            o.heatmap_metric
        )));
    }
    // The other axes stay at the charted configurations' values.
    let anchor = levels.first().map(|l| l.row);
    let fixed: Vec<(&str, &str)> = m
        .axes
        .iter()
        .filter(|(c, _)| *c != lev && *c != y_col)
        .filter_map(|(c, _)| Some((c.as_str(), table::text(rows, c, anchor?)?)))
        .collect();
    let mut value = vec![vec![None; x_values.len()]; y_values.len()];
    for r in 0..rows.rows() {
        if !fixed
            .iter()
            .all(|(c, v)| table::text(rows, c, r) == Some(v))
        {
            continue;
        }
        let xi = x_values
            .iter()
            .position(|v| Some(v.as_str()) == table::text(rows, &lev, r));
        let yi = y_values
            .iter()
            .position(|v| Some(v.as_str()) == table::text(rows, &y_col, r));
        if let (Some(xi), Some(yi)) = (xi, yi) {
            value[yi][xi] = table::number(rows, &o.heatmap_metric, r);
        }
    }
    let x_labels: Vec<String> = x_values.iter().map(|v| leverage_label(v)).collect();
    let y_labels: Vec<String> = y_values.iter().map(|v| axis_word(&y_col, v)).collect();
    let metric = o.heatmap_metric.replace('_', " ");
    let y_desc = axis_desc(&y_col);
    let y_name = y_desc.split(" (").next().unwrap_or(&y_desc).to_lowercase();
    let title = format!(
        "{} by leverage and {y_name} — {}",
        capitalise(&metric),
        m.strategy
    );
    let path = dir.join("heatmap.png");
    let map = Heatmap {
        title: &title,
        x_desc: "Leverage",
        y_desc: &axis_desc(&y_col),
        x_labels: &x_labels,
        y_labels: &y_labels,
        value: &value,
        metric: &metric,
        format: metric_format(&o.heatmap_metric),
    };
    draw_heatmap(&path, &map)?;
    Ok(Some(path))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// An axis value as a person reads it: stop distances as percentages.
pub(super) fn axis_word(column: &str, word: &str) -> String {
    let fraction = ["stop_loss", "take_profit", "trailing_stop"].contains(&column);
    match word.parse::<f64>() {
        Ok(f) if fraction => format!(
            "{}%",
            style::thousands(f * 100.0, if (f * 100.0).fract() == 0.0 { 0 } else { 1 })
        ),
        _ => word.to_string(),
    }
}

fn axis_desc(column: &str) -> String {
    match column {
        "stop_loss" => "Stop-loss (% from entry)".into(),
        "take_profit" => "Take-profit (% from entry)".into(),
        "trailing_stop" => "Trailing stop (% from best price)".into(),
        "margin_mode" => "Margin mode".into(),
        "sizing" => "Sizing (kind:fraction of equity)".into(),
        "intrabar" => "Intrabar policy".into(),
        other => format!("Strategy parameter {}", other.trim_start_matches("param_")),
    }
}

/// How a statistic is written in charts and tables.
pub(super) fn metric_format(metric: &str) -> fn(f64) -> String {
    match metric {
        "total_return" | "cagr" => |v| format!("{:+.1}%", v * 100.0),
        "max_drawdown" | "win_rate" | "exposure" => |v| format!("{:.1}%", v * 100.0),
        "trades" | "bars" | "liquidations" | "stop_outs" | "take_profits" | "ambiguous_bars" => {
            |v| style::thousands(v, 0)
        }
        "initial_equity"
        | "final_equity"
        | "fees"
        | "funding_paid"
        | "funding_received"
        | "liquidation_margin_lost"
        | "insurance_fund_draw" => |v| style::thousands(v, 0),
        "days_to_first_liquidation" => |v| format!("{v:.1} d"),
        "closest_approach_to_liquidation_pct" => |v| format!("{v:.2}%"),
        _ => |v| format!("{v:.2}"),
    }
}

/// One row as a JSON object (column → number, text or null).
fn row_json(rows: &Table, r: usize) -> Value {
    let mut obj = Map::new();
    for (name, column) in &rows.columns {
        let v = match column {
            Column::OptI64(v) => v[r].map_or(Value::Null, Value::from),
            Column::OptF64(v) => v[r].map_or(Value::Null, Value::from),
            Column::OptStr(v) => v[r].clone().map_or(Value::Null, Value::from),
            _ => Value::Null,
        };
        obj.insert(name.clone(), v);
    }
    Value::Object(obj)
}

/// The complete `summary.json` of a sweep.
pub(super) fn summary_json(report: &SweepReport) -> Value {
    let rows = &report.rows;
    let per_leverage: Vec<Value> = report
        .manifest
        .charted
        .iter()
        .filter_map(|(id, word)| row_of(rows, *id).map(|r| (word, r)))
        .map(|(word, r)| {
            json!({
                "leverage": leverage_label(word),
                "id": table::number(rows, ID, r),
                "total_return": table::number(rows, "total_return", r),
                "max_drawdown": table::number(rows, "max_drawdown", r),
                "liquidations": table::number(rows, "liquidations", r),
                "liquidation_margin_lost": table::number(rows, "liquidation_margin_lost", r),
                "funding_net_paid": funding_net_paid(rows, r),
                "days_to_first_liquidation": table::number(rows, "days_to_first_liquidation", r),
                "ruined": table::text(rows, "ruined", r),
            })
        })
        .collect();
    let top: Vec<Value> = report
        .ranking
        .iter()
        .take(20)
        .map(|&r| row_json(rows, r))
        .collect();
    let charts: Vec<String> = report
        .charts
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    json!({
        "sweep": report.manifest,
        "configurations_run": rows.rows(),
        "sorted_by": report.sort_by,
        "per_leverage": per_leverage,
        "per_leverage_focus": report.manifest.chart_focus,
        "top": top,
        "charts": charts,
    })
}
