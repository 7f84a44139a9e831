//! How sweep figures are written for people: axis values, statistics, and table lookups shared by
//! the charts, the summary and the terminal tables.

use super::table::{self, ID};
use crate::columnar::Table;
use crate::report::charts::style;

/// The row of configuration `id`, if the table holds it.
pub(super) fn row_of(rows: &Table, id: usize) -> Option<usize> {
    (0..rows.rows()).find(|&r| table::number(rows, ID, r) == Some(id as f64))
}

/// Funding paid minus funding received: positive when the position paid on balance.
pub(super) fn funding_net_paid(rows: &Table, r: usize) -> f64 {
    table::number(rows, "funding_paid", r).unwrap_or(0.0)
        - table::number(rows, "funding_received", r).unwrap_or(0.0)
}

pub(super) fn capitalise(s: &str) -> String {
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

pub(super) fn axis_desc(column: &str) -> String {
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
