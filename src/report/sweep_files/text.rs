//! The terminal view of a sweep: the grid ranked by a statistic, and the per-leverage summary.

use super::format::{axis_word, funding_net_paid, metric_format, row_of};
use super::table::{self, ID};
use super::{SweepReport, leverage_label};
use crate::report::charts::style;

/// Statistics every ranked row shows (the sort metric is added when it is not among them).
const SHOWN: [&str; 6] = [
    "total_return",
    "max_drawdown",
    "calmar",
    "sharpe",
    "liquidations",
    "final_equity",
];

impl SweepReport {
    /// The best `top` configurations by the sort metric, as an aligned text table.
    pub fn grid_table(&self, top: usize) -> String {
        let rows = &self.rows;
        let axes: Vec<&str> = self
            .manifest
            .axes
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(c, _)| c.as_str())
            .collect();
        let mut stats: Vec<&str> = SHOWN.to_vec();
        if !stats.contains(&self.sort_by.as_str()) {
            stats.insert(0, &self.sort_by);
        }
        let mut header: Vec<String> = vec!["rank".into(), ID.into()];
        header.extend(axes.iter().map(|a| a.to_string()));
        header.extend(stats.iter().map(|s| s.to_string()));
        let mut lines = vec![header];
        for (rank, &r) in self.ranking.iter().take(top).enumerate() {
            let mut cells = vec![
                (rank + 1).to_string(),
                cell(table::number(rows, ID, r), |v| format!("{v:.0}")),
            ];
            cells.extend(
                axes.iter()
                    .map(|a| table::text(rows, a, r).map_or("".into(), |w| axis_word(a, w))),
            );
            cells.extend(
                stats
                    .iter()
                    .map(|s| cell(table::number(rows, s, r), metric_format(s))),
            );
            lines.push(cells);
        }
        let more = self.ranking.len().saturating_sub(top);
        let mut out = format!("Configurations ranked by {} (best first):\n", self.sort_by);
        out += &align(&lines);
        if more > 0 {
            out += &format!(
                "… and {} more in sweep.csv\n",
                style::thousands(more as f64, 0)
            );
        }
        out
    }

    /// One line per charted leverage level: trades, return, max drawdown, liquidations, margin
    /// lost, funding, time to first liquidation, ruin, and orders the exchange refused (a level
    /// with no trade and refused orders was never in the market, which is not safety).
    pub fn leverage_table(&self) -> String {
        let rows = &self.rows;
        let header = [
            "leverage",
            "trades",
            "return",
            "max DD",
            "liquidations",
            "margin lost",
            "funding paid",
            "1st liquidation",
            "ruin",
            "orders refused",
        ];
        let mut lines = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        for (id, word) in &self.manifest.charted {
            let Some(r) = row_of(rows, *id) else { continue };
            let days = table::number(rows, "days_to_first_liquidation", r);
            lines.push(vec![
                leverage_label(word),
                cell(table::number(rows, "trades", r), metric_format("trades")),
                cell(
                    table::number(rows, "total_return", r),
                    metric_format("total_return"),
                ),
                cell(
                    table::number(rows, "max_drawdown", r),
                    metric_format("max_drawdown"),
                ),
                cell(
                    table::number(rows, "liquidations", r),
                    metric_format("liquidations"),
                ),
                cell(table::number(rows, "liquidation_margin_lost", r), |v| {
                    style::thousands(v, 2)
                }),
                style::thousands(funding_net_paid(rows, r), 2),
                days.map_or("never".into(), |d| format!("after {d:.1} days")),
                table::text(rows, "ruined", r)
                    .map_or("no".into(), |t| t.get(..10).unwrap_or(t).to_string()),
                cell(
                    table::number(rows, "orders_rejected", r),
                    metric_format("trades"),
                ),
            ]);
        }
        let focus = &self.manifest.chart_focus;
        let title = if focus.is_empty() {
            "Per leverage:".to_string()
        } else {
            format!("Per leverage ({focus}):")
        };
        format!("{title}\n{}", align(&lines))
    }
}

fn cell(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map_or_else(|| "n/a".to_string(), f)
}

/// Columns padded to their widest cell: the first column left-aligned, the others right-aligned.
fn align(lines: &[Vec<String>]) -> String {
    let cols = lines.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            lines
                .iter()
                .filter_map(|l| l.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for l in lines {
        let cells: Vec<String> = l
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if c == 0 {
                    format!("{s:<w$}", w = width[c])
                } else {
                    format!("{s:>w$}", w = width[c])
                }
            })
            .collect();
        out += cells.join("  ").trim_end();
        out.push('\n');
    }
    out
}
