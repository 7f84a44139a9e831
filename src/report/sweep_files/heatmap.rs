//! `heatmap.png` from the sweep table: one statistic over leverage × one other axis.

use std::path::{Path, PathBuf};

use super::format::{axis_desc, axis_word, capitalise, metric_format};
use super::table;
use super::{ChartOptions, SweepFilesError, SweepManifest, leverage_label};
use crate::columnar::Table;
use crate::report::charts::heatmap::{Heatmap, draw_heatmap};
use crate::sweep::AxisKey;

/// `heatmap.png`: the metric over leverage × another axis, the remaining axes at the charted
/// configurations' values. `None` (and no file) when the grid has no leverage column.
pub(super) fn draw(
    dir: &Path,
    m: &SweepManifest,
    rows: &Table,
    anchor: Option<usize>,
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
                return Err(SweepFilesError::Option(format!(
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
    // The other axes stay at the charted configurations' values.
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
