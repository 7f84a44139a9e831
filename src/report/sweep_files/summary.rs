//! The complete `summary.json` of a sweep: the manifest, the per-leverage figures and the best
//! configurations, each row as a JSON object.

use serde_json::{Map, Value, json};

use super::format::{funding_net_paid, row_of};
use super::table::{self, ID};
use super::{SweepReport, leverage_label};
use crate::columnar::{Column, Table};

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
                "id": table::number(rows, ID, r).map(|v| v as i64),
                "total_return": table::number(rows, "total_return", r),
                "max_drawdown": table::number(rows, "max_drawdown", r),
                "liquidations": table::number(rows, "liquidations", r).map(|v| v as i64),
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
