//! `survival_curves.png`: the share of positions still open (not liquidated) against holding time
//! on a log axis, one line per leverage, one panel per side.

use std::path::Path;

use plotters::prelude::*;

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error, header, legend_strip, series_items};

/// One line: `(holding time in hours, share alive in [0, 1])`, colour from the shared palette.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CurvePanel {
    pub caption: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    pub title: String,
    pub subtitle: String,
    /// Tick marks of the log time axis, in hours (labelled `1h`, `1d`, `30d`, …).
    pub ticks_h: Vec<f64>,
    pub x_desc: String,
    pub y_desc: String,
    /// Heading of the legend strip under the panels (e.g. `leverage`).
    pub legend: String,
    pub panels: Vec<CurvePanel>,
}

pub fn draw(path: &Path, chart: &Curves) -> Result<(), ChartError> {
    let points = chart
        .panels
        .iter()
        .flat_map(|p| &p.lines)
        .flat_map(|l| &l.points);
    let (lo, hi) = points.fold((f64::INFINITY, 0.0_f64), |(lo, hi), &(x, _)| {
        (lo.min(x), hi.max(x))
    });
    if !(lo.is_finite() && hi > lo && lo > 0.0) {
        return Err(ChartError::Empty {
            path: path.display().to_string(),
            why: "no holding times to plot".into(),
        });
    }
    let root = canvas(path, style::SIZE)?;
    let e = |err| draw_error(path, err);
    let body = header(&root, &chart.title, &chart.subtitle).map_err(e)?;
    let (plots, legend) = body.split_vertically(body.dim_in_pixel().1 - 56);
    let panels = plots.split_evenly((1, chart.panels.len().max(1)));
    let ticks: Vec<f64> = chart
        .ticks_h
        .iter()
        .copied()
        .filter(|t| (lo..=hi).contains(t))
        .collect();
    for (area, panel) in panels.iter().zip(&chart.panels) {
        draw_panel(area, chart, panel, (lo, hi), &ticks).map_err(e)?;
    }
    let labels = chart.panels.first().into_iter().flat_map(|p| &p.lines);
    let items = series_items(labels.map(|l| l.label.as_str()));
    legend_strip(&legend, &chart.legend, &items).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Curves,
    panel: &CurvePanel,
    (lo, hi): (f64, f64),
    ticks: &[f64],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut c = ChartBuilder::on(area)
        .caption(&panel.caption, (FONT, style::CAPTION_PX))
        .margin(16)
        .x_label_area_size(64)
        .y_label_area_size(84)
        .build_cartesian_2d(
            (lo..hi).log_scale().with_key_points(ticks.to_vec()),
            0f64..100f64,
        )?;
    let x_fmt = |h: &f64| style::duration_label((h * 3_600_000.0).round() as i64);
    let y_fmt = |p: &f64| format!("{p:.0}%");
    c.configure_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(6)
        .bold_line_style(style::GRID)
        .light_line_style(style::WHITE)
        .x_desc(&chart.x_desc)
        .y_desc(&chart.y_desc)
        .label_style((FONT, style::AXIS_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .draw()?;
    for (k, line) in panel.lines.iter().enumerate() {
        let colour = style::series_colour(k);
        let pts = line.points.iter().map(|&(x, y)| (x, y * 100.0));
        c.draw_series(LineSeries::new(pts, colour.stroke_width(3)))?;
    }
    Ok(())
}
