//! `price.png`: the BTC price of the period with one configuration's trades on it — entries as
//! triangles (▲ long, ▼ short), exits as dots, liquidations as crosses — every marker coloured by
//! how its trade ended, so that clusters of stop-outs or liquidations stand out where they happened.

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordi64;
use plotters::prelude::*;

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error};

/// One round trip, as the chart needs it.
#[derive(Debug, Clone, Copy)]
pub struct TradeMarks<'a> {
    pub long: bool,
    pub entry_time: i64,
    pub entry_price: f64,
    pub exit_time: i64,
    pub exit_price: f64,
    /// As written in `trades.csv`: `signal`, `stop_loss`, `take_profit`, `trailing_stop`,
    /// `liquidation` or `end`.
    pub exit_reason: &'a str,
}

/// Above this many trades the entries are left out (the exits still show where each trade ended),
/// or the markers would hide the price.
pub const MAX_TRADES_WITH_ENTRIES: usize = 150;

/// Exit reasons in legend order, each with its colour (Okabe–Ito, as every wick chart).
const REASONS: [(&str, &str, usize); 6] = [
    ("signal", "signal exit", 2),
    ("stop_loss", "stop-loss", 3),
    ("take_profit", "take-profit", 5),
    ("trailing_stop", "trailing stop", 4),
    ("liquidation", "liquidation", 1),
    ("end", "closed at end of data", 6),
];

fn reason_colour(reason: &str) -> RGBColor {
    REASONS
        .iter()
        .find(|r| r.0 == reason)
        .map_or(style::MUTED, |r| style::series_colour(r.2))
}

/// Draw `price.png` from the (thinned) closing prices and the trades. `log_scale` suits a period
/// where the price moved several-fold.
pub fn draw_price(
    path: &Path,
    title: &str,
    time: &[i64],
    close: &[f64],
    trades: &[TradeMarks<'_>],
    log_scale: bool,
) -> Result<(), ChartError> {
    let empty = |why: &str| ChartError::Empty {
        path: path.display().to_string(),
        why: why.to_string(),
    };
    let (t0, t1) = match (time.first(), time.last()) {
        (Some(&a), Some(&b)) => (a, b.max(a + 1)),
        _ => return Err(empty("no price")),
    };
    let prices = close
        .iter()
        .chain(trades.iter().flat_map(|t| [&t.entry_price, &t.exit_price]));
    let (lo, hi) = prices
        .filter(|p| p.is_finite() && **p > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &p| {
            (lo.min(p), hi.max(p))
        });
    if !lo.is_finite() {
        return Err(empty("every price is missing"));
    }
    let root = canvas(path, style::SIZE)?;
    let title_px = super::fitting_px(&root, title, style::TITLE_PX);
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(title, (FONT, title_px))
        .margin(24)
        .x_label_area_size(56)
        .y_label_area_size(120);
    let err = |e| draw_error(path, e);
    if log_scale {
        let chart = builder
            .build_cartesian_2d(t0..t1, (lo / 1.1..hi * 1.1).log_scale())
            .map_err(err)?;
        fill(
            path,
            &root,
            chart,
            time,
            close,
            trades,
            "BTC price (USDT, log scale)",
        )
    } else {
        let pad = (hi - lo) * 0.05;
        let chart = builder
            .build_cartesian_2d(t0..t1, (lo - pad).max(0.0)..hi + pad)
            .map_err(err)?;
        fill(path, &root, chart, time, close, trades, "BTC price (USDT)")
    }
}

fn fill<'a, Y>(
    path: &Path,
    root: &DrawingArea<BitMapBackend<'a>, Shift>,
    mut chart: ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordi64, Y>>,
    time: &[i64],
    close: &[f64],
    trades: &[TradeMarks<'_>],
    y_desc: &str,
) -> Result<(), ChartError>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let err = |e| draw_error(path, e);
    let span = chart.x_range().end - chart.x_range().start;
    let x_fmt = |t: &i64| super::equity::date_tick(*t, span);
    let y_fmt = |v: &f64| style::thousands(*v, 0);
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(10)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("Date (UTC)")
        .y_desc(y_desc)
        .label_style((FONT, style::LABEL_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .light_line_style(style::GRID.mix(0.6))
        .bold_line_style(style::GRID)
        .draw()
        .map_err(err)?;
    let line = time
        .iter()
        .zip(close)
        .filter(|(_, p)| p.is_finite())
        .map(|(&t, &p)| (t, p));
    chart
        .draw_series(super::equity::segments(line, style::MUTED.stroke_width(2)))
        .map_err(err)?
        .label("close price")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], style::MUTED.stroke_width(3)));

    let with_entries = trades.len() <= MAX_TRADES_WITH_ENTRIES;
    if with_entries {
        let entries = trades.iter().map(|t| {
            EmptyElement::at((t.entry_time, t.entry_price))
                + Polygon::new(
                    triangle_points(t.long),
                    reason_colour(t.exit_reason).filled(),
                )
        });
        chart.draw_series(entries).map_err(err)?;
        chart
            .draw_series(std::iter::empty::<Circle<(i64, f64), i32>>())
            .map_err(err)?
            .label("▲ long / ▼ short entry (colour: how it ended)")
            .legend(|(x, y)| {
                EmptyElement::at((x + 12, y))
                    + Polygon::new(triangle_points(true), style::MUTED.filled())
            });
    }
    let exits = trades.iter().filter(|t| t.exit_reason != "liquidation");
    let dot = if with_entries { 5 } else { 3 };
    chart
        .draw_series(exits.map(|t| {
            Circle::new(
                (t.exit_time, t.exit_price),
                dot,
                reason_colour(t.exit_reason).filled(),
            )
        }))
        .map_err(err)?;
    let liquidations = trades.iter().filter(|t| t.exit_reason == "liquidation");
    chart
        .draw_series(liquidations.map(|t| {
            Cross::new(
                (t.exit_time, t.exit_price),
                10,
                reason_colour("liquidation").stroke_width(4),
            )
        }))
        .map_err(err)?;
    for (reason, text, _) in REASONS {
        let n = trades.iter().filter(|t| t.exit_reason == reason).count();
        if n == 0 {
            continue;
        }
        let colour = reason_colour(reason);
        let label = format!("{text} ({})", style::thousands(n as f64, 0));
        let series = chart
            .draw_series(std::iter::empty::<Circle<(i64, f64), i32>>())
            .map_err(err)?
            .label(label);
        if reason == "liquidation" {
            series.legend(move |(x, y)| Cross::new((x + 12, y), 8, colour.stroke_width(4)));
        } else {
            series.legend(move |(x, y)| Circle::new((x + 12, y), 6, colour.filled()));
        }
    }
    if !with_entries {
        chart
            .draw_series(std::iter::empty::<Circle<(i64, f64), i32>>())
            .map_err(err)?
            .label(format!(
                "entries not drawn: {} trades",
                style::thousands(trades.len() as f64, 0)
            ))
            .legend(|(x, y)| EmptyElement::at((x, y)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, style::LABEL_PX))
        .background_style(style::WHITE.mix(0.85))
        .border_style(style::MUTED)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

/// A triangle pointing up (long) or down (short), in pixels around its data point.
fn triangle_points(long: bool) -> Vec<(i32, i32)> {
    if long {
        vec![(-7, 6), (7, 6), (0, -7)]
    } else {
        vec![(-7, -6), (7, -6), (0, 7)]
    }
}
