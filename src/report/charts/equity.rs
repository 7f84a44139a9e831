//! `equity.png`: the equity curve of each leverage level, overlaid on one time axis, with every
//! liquidation marked on the curve it hit. Also the shared drawing of "one line per leverage over
//! time" that `drawdown.png` uses.

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordi64;
use plotters::prelude::*;

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error};

/// One curve: a label for the legend, its (already thinned) points, and points to mark on it.
#[derive(Debug, Clone, Copy)]
pub struct TimeLine<'a> {
    /// Legend text, e.g. `10x  +45.2%  2 liquidations`.
    pub label: &'a str,
    /// UTC ms, increasing.
    pub time: &'a [i64],
    pub value: &'a [f64],
    /// Points marked with a cross in the curve's colour (liquidations), as (UTC ms, value).
    pub marks: &'a [(i64, f64)],
}

/// How the value axis looks.
#[derive(Debug, Clone)]
pub(crate) struct ValueAxis {
    pub desc: String,
    pub log: bool,
    /// Smallest value drawn on a log axis: anything lower (a ruined account) is drawn there.
    pub floor: f64,
    pub format: fn(f64) -> String,
    /// A horizontal reference line and its legend text (the initial capital).
    pub reference: Option<(f64, String)>,
    /// Where the legend goes: the empty corner differs between equity and drawdown.
    pub legend_at: SeriesLabelPosition,
}

/// Draw `equity.png`. `log_scale` puts equity on a log axis, where equal vertical distances are
/// equal percentage moves — the honest view of compounding over years; values at or below zero
/// (a ruined account) are drawn at 0.1% of the initial capital.
pub fn draw_equity(
    path: &Path,
    title: &str,
    lines: &[TimeLine<'_>],
    initial_capital: f64,
    log_scale: bool,
) -> Result<(), ChartError> {
    let axis = ValueAxis {
        desc: if log_scale {
            "Equity (USDT, log scale)".into()
        } else {
            "Equity (USDT)".into()
        },
        log: log_scale,
        floor: initial_capital * 1e-3,
        format: |v| style::thousands(v, 0),
        reference: Some((
            initial_capital,
            format!("initial capital {}", style::thousands(initial_capital, 0)),
        )),
        legend_at: SeriesLabelPosition::UpperLeft,
    };
    draw_time_lines(path, title, lines, &axis, "liquidation")
}

/// Draw one line per leverage over time on a value axis, marks as crosses.
pub(crate) fn draw_time_lines(
    path: &Path,
    title: &str,
    lines: &[TimeLine<'_>],
    axis: &ValueAxis,
    mark_name: &str,
) -> Result<(), ChartError> {
    let empty = |why: &str| ChartError::Empty {
        path: path.display().to_string(),
        why: why.to_string(),
    };
    let t0 = lines
        .iter()
        .filter_map(|l| l.time.first())
        .min()
        .copied()
        .ok_or_else(|| empty("no curve has points"))?;
    let t1 = lines
        .iter()
        .filter_map(|l| l.time.last())
        .max()
        .copied()
        .unwrap_or(t0)
        .max(t0 + 1);
    let clamp = |v: f64| if axis.log { v.max(axis.floor) } else { v };
    let values = lines
        .iter()
        .flat_map(|l| l.value.iter())
        .chain(axis.reference.iter().map(|r| &r.0));
    let (mut lo, mut hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(clamp(v)), hi.max(clamp(v)))
        });
    if !lo.is_finite() {
        return Err(empty("every value is NaN"));
    }
    if axis.log {
        (lo, hi) = (lo / 1.3, hi * 1.3);
    } else {
        let pad = ((hi - lo) * 0.05).max(hi.abs() * 1e-3).max(1e-9);
        (lo, hi) = (lo - pad, hi + pad);
    }
    let root = canvas(path, style::SIZE)?;
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(title, (FONT, style::TITLE_PX))
        .margin(24)
        .x_label_area_size(56)
        .y_label_area_size(120);
    if axis.log {
        let chart = builder
            .build_cartesian_2d(t0..t1, (lo..hi).log_scale())
            .map_err(|e| draw_error(path, e))?;
        fill(path, &root, chart, lines, axis, mark_name, clamp)
    } else {
        let chart = builder
            .build_cartesian_2d(t0..t1, lo..hi)
            .map_err(|e| draw_error(path, e))?;
        fill(path, &root, chart, lines, axis, mark_name, clamp)
    }
}

fn fill<'a, Y>(
    path: &Path,
    root: &DrawingArea<BitMapBackend<'a>, Shift>,
    mut chart: ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordi64, Y>>,
    lines: &[TimeLine<'_>],
    axis: &ValueAxis,
    mark_name: &str,
    clamp: impl Fn(f64) -> f64,
) -> Result<(), ChartError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let err = |e| draw_error(path, e);
    let span = chart.x_range().end - chart.x_range().start;
    let x_fmt = |t: &i64| style::date_label(*t, span);
    let y_fmt = |v: &f64| (axis.format)(*v);
    chart
        .configure_mesh()
        .x_labels(10)
        .y_labels(10)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("Date (UTC)")
        .y_desc(axis.desc.as_str())
        .label_style((FONT, style::LABEL_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .light_line_style(style::GRID.mix(0.6))
        .bold_line_style(style::GRID)
        .draw()
        .map_err(err)?;
    if let Some((level, text)) = &axis.reference {
        let (x0, x1) = (chart.x_range().start, chart.x_range().end);
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, clamp(*level)), (x1, clamp(*level))],
                10,
                6,
                style::MUTED.stroke_width(2),
            ))
            .map_err(err)?
            .label(text.as_str())
            .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], style::MUTED.stroke_width(2)));
    }
    for (k, line) in lines.iter().enumerate() {
        let colour = style::series_colour(k);
        let points = line
            .time
            .iter()
            .zip(line.value)
            .filter(|(_, v)| v.is_finite())
            .map(|(&t, &v)| (t, clamp(v)));
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(3)))
            .map_err(err)?
            .label(line.label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(4)));
        let marks = line
            .marks
            .iter()
            .map(|&(t, v)| Cross::new((t, clamp(v)), 9, colour.stroke_width(3)));
        chart.draw_series(marks).map_err(err)?;
    }
    if lines.iter().any(|l| !l.marks.is_empty()) {
        // One legend entry explains the crosses; each cross has the colour of its curve.
        chart
            .draw_series(std::iter::empty::<Cross<(i64, f64), i32>>())
            .map_err(err)?
            .label(format!("× {mark_name} (colour of its curve)"))
            .legend(|(x, y)| Cross::new((x + 12, y), 8, style::BLACK.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .position(axis.legend_at.clone())
        .label_font((FONT, style::LABEL_PX))
        .background_style(style::WHITE.mix(0.85))
        .border_style(style::MUTED)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}
