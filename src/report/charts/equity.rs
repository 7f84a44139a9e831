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
    /// Legend text: the first line large (e.g. `10x   +45.2%`), further lines (after `\n`) small.
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
    /// Lines of text above the legend entries (what each entry shows, which configurations).
    pub legend_title: Vec<String>,
}

/// Draw `equity.png`. `log_scale` puts equity on a log axis, where equal vertical distances are
/// equal percentage moves — the honest view of compounding over years; values at or below zero
/// (a ruined account) are drawn at 0.1% of the initial capital.
pub fn draw_equity(
    path: &Path,
    title: &str,
    legend_title: &[String],
    lines: &[TimeLine<'_>],
    initial_capital: f64,
    log_scale: bool,
) -> Result<(), ChartError> {
    let axis = ValueAxis {
        desc: if log_scale {
            format!(
                "Equity (USDT, log scale; below {} drawn at it)",
                style::thousands(initial_capital * 1e-3, 0)
            )
        } else {
            "Equity (USDT)".to_string()
        },
        log: log_scale,
        floor: initial_capital * 1e-3,
        format: |v| style::thousands(v, 0),
        reference: Some((
            initial_capital,
            format!("initial capital {}", style::thousands(initial_capital, 0)),
        )),
        legend_title: legend_title.to_vec(),
    };
    draw_time_lines(path, title, lines, &axis, "liquidation")
}

/// Width of the legend panel right of the plot: long labels never cover the curves.
const LEGEND_W: u32 = 400;

/// Draw one line per leverage over time on a value axis, marks as crosses, the legend in a panel
/// on the right.
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
        let pad = ((hi - lo) * 0.03).max(hi.abs() * 1e-3).max(1e-9);
        (lo, hi) = (lo - pad, hi + pad);
    }
    let root = canvas(path, style::SIZE)?;
    let title_px = super::fitting_px(&root, title, style::TITLE_PX);
    let root = root
        .margin(10, 0, 0, 0)
        .titled(title, (FONT, title_px))
        .map_err(|e| draw_error(path, e))?;
    let (plot, legend) = root.split_horizontally(style::SIZE.0 - LEGEND_W);
    draw_legend(path, &legend, lines, axis, mark_name)?;
    let mut builder = ChartBuilder::on(&plot);
    builder
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(110);
    if axis.log {
        let chart = builder
            .build_cartesian_2d(t0..t1, (lo..hi).log_scale())
            .map_err(|e| draw_error(path, e))?;
        fill(path, chart, lines, axis, clamp)?;
    } else {
        let chart = builder
            .build_cartesian_2d(t0..t1, lo..hi)
            .map_err(|e| draw_error(path, e))?;
        fill(path, chart, lines, axis, clamp)?;
    }
    root.present().map_err(|e| draw_error(path, e))
}

/// A polyline as separate segments. plotters joins the segments of a thick polyline with mitres,
/// and the near-vertical zigzag of a min/max-thinned series then throws spikes far outside the
/// plot; separate segments have no joins.
pub(crate) fn segments<X: Clone + 'static>(
    points: impl Iterator<Item = (X, f64)>,
    style: ShapeStyle,
) -> impl Iterator<Item = PathElement<(X, f64)>> {
    let points: Vec<(X, f64)> = points.collect();
    (1..points.len())
        .map(move |i| PathElement::new(vec![points[i - 1].clone(), points[i].clone()], style))
}

/// A date tick that does not claim more than the tick's position: months for spans over ~60
/// days (a tick in mid-June reads `2020-06`, never `2020`), days below that, hours within 2 days.
pub(crate) fn date_tick(t_ms: i64, span_ms: i64) -> String {
    const DAY: i64 = 86_400_000;
    let Some(dt) = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(t_ms) else {
        return t_ms.to_string();
    };
    let fmt = if span_ms > 60 * DAY {
        "%Y-%m"
    } else if span_ms > 2 * DAY {
        "%Y-%m-%d"
    } else {
        "%m-%d %H:%M"
    };
    dt.format(fmt).to_string()
}

/// The legend panel: one entry per line (its label may hold several lines of text), then the
/// reference line and the marks.
fn draw_legend(
    path: &Path,
    area: &DrawingArea<BitMapBackend<'_>, Shift>,
    lines: &[TimeLine<'_>],
    axis: &ValueAxis,
    mark_name: &str,
) -> Result<(), ChartError> {
    let err = |e| draw_error(path, e);
    let first = TextStyle::from((FONT, style::LABEL_PX + 2).into_font()).color(&style::BLACK);
    let rest = TextStyle::from((FONT, style::LABEL_PX - 2).into_font()).color(&style::MUTED);
    let mut y = 16;
    for (i, text) in axis.legend_title.iter().enumerate() {
        let font = if i == 0 { &first } else { &rest };
        area.draw(&Text::new(text.clone(), (8, y), font.clone()))
            .map_err(err)?;
        y += if i == 0 { 28 } else { 20 };
    }
    y += 12;
    for (k, line) in lines.iter().enumerate() {
        let colour = style::series_colour(k);
        area.draw(&PathElement::new(
            [(8, y + 10), (40, y + 10)],
            colour.stroke_width(5),
        ))
        .map_err(err)?;
        for (i, text) in line.label.lines().enumerate() {
            let font = if i == 0 { &first } else { &rest };
            area.draw(&Text::new(text.to_string(), (50, y), font.clone()))
                .map_err(err)?;
            y += if i == 0 { 24 } else { 20 };
        }
        y += 10;
    }
    if let Some((_, text)) = &axis.reference {
        area.draw(&PathElement::new(
            [(8, y + 10), (40, y + 10)],
            style::MUTED.stroke_width(2),
        ))
        .map_err(err)?;
        area.draw(&Text::new(format!("dashed: {text}"), (50, y), rest.clone()))
            .map_err(err)?;
        y += 30;
    }
    if lines.iter().any(|l| !l.marks.is_empty()) {
        area.draw(&Cross::new((24, y + 10), 8, style::BLACK.stroke_width(3)))
            .map_err(err)?;
        area.draw(&Text::new(
            format!("{mark_name}, in its curve's colour"),
            (50, y),
            rest.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

fn fill<'a, Y>(
    path: &Path,
    mut chart: ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordi64, Y>>,
    lines: &[TimeLine<'_>],
    axis: &ValueAxis,
    clamp: impl Fn(f64) -> f64,
) -> Result<(), ChartError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let err = |e| draw_error(path, e);
    let span = chart.x_range().end - chart.x_range().start;
    let x_fmt = |t: &i64| date_tick(*t, span);
    let y_fmt = |v: &f64| (axis.format)(*v);
    chart
        .configure_mesh()
        .x_labels(8)
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
    if let Some((level, _)) = &axis.reference {
        let (x0, x1) = (chart.x_range().start, chart.x_range().end);
        let dash = DashedLineSeries::new(
            [(x0, clamp(*level)), (x1, clamp(*level))],
            10,
            6,
            style::MUTED.stroke_width(2),
        );
        chart.draw_series(dash).map_err(err)?;
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
            .draw_series(segments(points, colour.stroke_width(2)))
            .map_err(err)?;
    }
    // Marks last, so that no later curve hides them; white under the cross keeps it visible on
    // a curve of the same colour.
    for (k, line) in lines.iter().enumerate() {
        let colour = style::series_colour(k);
        let halo = line
            .marks
            .iter()
            .map(|&(t, v)| Cross::new((t, clamp(v)), 10, style::WHITE.stroke_width(6)));
        chart.draw_series(halo).map_err(err)?;
        let marks = line
            .marks
            .iter()
            .map(|&(t, v)| Cross::new((t, clamp(v)), 9, colour.stroke_width(3)));
        chart.draw_series(marks).map_err(err)?;
    }
    Ok(())
}
