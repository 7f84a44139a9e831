//! `drawdown.png`: how far each leverage level's equity stood below its running peak, over time.
//! Drawn downwards from 0% so that the deepest hole is the lowest point, as a trader reads it.

use std::path::Path;

use super::ChartError;
use super::equity::{TimeLine, ValueAxis, draw_time_lines};

/// Draw `drawdown.png`. Each line's `value` holds drawdowns as positive fractions of the running
/// peak (0.25 = 25% below the peak), as `results` computes them; they are drawn as −25%.
/// `marks` (liquidations) are drawn at their drawdown on the same curve.
pub fn draw_drawdown(
    path: &Path,
    title: &str,
    legend_title: &[String],
    lines: &[TimeLine<'_>],
) -> Result<(), ChartError> {
    let values: Vec<Vec<f64>> = lines
        .iter()
        .map(|l| l.value.iter().map(|d| -d).collect())
        .collect();
    let marks: Vec<Vec<(i64, f64)>> = lines
        .iter()
        .map(|l| l.marks.iter().map(|&(t, d)| (t, -d)).collect())
        .collect();
    let flipped: Vec<TimeLine<'_>> = lines
        .iter()
        .zip(values.iter().zip(&marks))
        .map(|(l, (value, marks))| TimeLine {
            label: l.label,
            time: l.time,
            value,
            marks,
        })
        .collect();
    let axis = ValueAxis {
        desc: "Drawdown from running peak (%)".into(),
        log: false,
        floor: 0.0,
        // Rounded first, so that the top tick reads 0%, not -0%.
        format: |v| format!("{:.0}%", (v * 100.0).round() + 0.0),
        reference: None,
        legend_title: legend_title.to_vec(),
    };
    draw_time_lines(path, title, &flipped, &axis, "liquidation")
}
