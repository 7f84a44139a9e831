//! `leverage.png`: four small multiples, one bar per leverage level — total return, maximum
//! drawdown, liquidations, funding paid — so that "what does more leverage buy, and what does it
//! cost" is answered in one look. Bars have the colour of the same leverage in `equity.png`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error};

/// The figures of one leverage level.
#[derive(Debug, Clone, Copy)]
pub struct LevelBar<'a> {
    /// Axis label, e.g. `10x`.
    pub label: &'a str,
    /// Fraction: 0.45 = +45%.
    pub total_return: f64,
    /// Positive fraction of the running peak.
    pub max_drawdown: f64,
    pub liquidations: u64,
    /// Net funding paid, USDT (negative when the position received more than it paid).
    pub funding_paid: f64,
}

/// One panel: its caption, one value per leverage level, and how its axis writes a value.
type PanelSpec<'a> = (&'a str, Vec<f64>, fn(f64) -> String);

/// Draw `leverage.png`.
pub fn draw_leverage(path: &Path, title: &str, bars: &[LevelBar<'_>]) -> Result<(), ChartError> {
    if bars.is_empty() {
        return Err(ChartError::Empty {
            path: path.display().to_string(),
            why: "no leverage level".into(),
        });
    }
    let root = canvas(path, style::SIZE)?;
    let err = |e| draw_error(path, e);
    let title_px = super::fitting_px(&root, title, style::TITLE_PX);
    let root = root
        .margin(8, 8, 8, 8)
        .titled(title, (FONT, title_px))
        .map_err(err)?;
    let panels = root.split_evenly((2, 2));
    let labels: Vec<&str> = bars.iter().map(|b| b.label).collect();
    let pct = |v: f64| format!("{:+.1}%", v * 100.0);
    let panel_specs: [PanelSpec<'_>; 4] = [
        (
            "Total return (%)",
            bars.iter().map(|b| b.total_return * 100.0).collect(),
            |v| format!("{v:+.0}%"),
        ),
        (
            "Maximum drawdown (%)",
            bars.iter().map(|b| b.max_drawdown * 100.0).collect(),
            |v| format!("{v:.0}%"),
        ),
        (
            "Liquidations (count)",
            bars.iter().map(|b| b.liquidations as f64).collect(),
            |v| style::thousands(v, 0),
        ),
        (
            "Funding paid (USDT)",
            bars.iter().map(|b| b.funding_paid).collect(),
            |v| style::thousands(v, 0),
        ),
    ];
    let value_labels: [Vec<String>; 4] = [
        bars.iter().map(|b| pct(b.total_return)).collect(),
        bars.iter()
            .map(|b| format!("{:.1}%", b.max_drawdown * 100.0))
            .collect(),
        bars.iter()
            .map(|b| style::thousands(b.liquidations as f64, 0))
            .collect(),
        bars.iter()
            .map(|b| style::thousands(b.funding_paid, 0))
            .collect(),
    ];
    for ((area, (caption, values, fmt)), texts) in panels.iter().zip(panel_specs).zip(value_labels)
    {
        panel(path, area, caption, &labels, &values, fmt, &texts)?;
    }
    root.present().map_err(err)
}

fn panel(
    path: &Path,
    area: &DrawingArea<BitMapBackend<'_>, Shift>,
    caption: &str,
    labels: &[&str],
    values: &[f64],
    fmt: fn(f64) -> String,
    texts: &[String],
) -> Result<(), ChartError> {
    let err = |e| draw_error(path, e);
    let finite = values.iter().filter(|v| v.is_finite());
    let lo = finite.clone().fold(0.0f64, |a, &b| a.min(b));
    let hi = finite.fold(0.0f64, |a, &b| a.max(b));
    // Room above (and below) the bars for their value labels; a flat zero panel still gets an axis.
    let pad = ((hi - lo) * 0.15).max(1.0);
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    // A segmented `0..k` range holds k + 1 slots (its ends are included): `0..n - 1` gives n.
    let n = labels.len() as i32;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, style::CAPTION_PX))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(90)
        .build_cartesian_2d((0..n - 1).into_segmented(), lo..hi)
        .map_err(err)?;
    let x_fmt = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => labels
            .get(*i as usize)
            .map_or(String::new(), |s| s.to_string()),
        _ => String::new(),
    };
    let y_fmt = |v: &f64| fmt(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(6)
        .x_desc("Leverage")
        .label_style((FONT, style::LABEL_PX))
        .axis_desc_style((FONT, style::LABEL_PX))
        .light_line_style(style::GRID.mix(0.6))
        .bold_line_style(style::GRID)
        .draw()
        .map_err(err)?;
    let bars = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| {
            let i = i as i32;
            let colour = style::series_colour(i as usize);
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), v),
                ],
                colour.filled(),
            );
            bar.set_margin(0, 0, 8, 8);
            bar
        });
    chart.draw_series(bars).map_err(err)?;
    let label_style = TextStyle::from((FONT, style::LABEL_PX).into_font());
    let notes = values
        .iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (v, _))| v.is_finite())
        .map(|(i, (&v, text))| {
            let anchor = if v >= 0.0 {
                Pos::new(HPos::Center, VPos::Bottom)
            } else {
                Pos::new(HPos::Center, VPos::Top)
            };
            Text::new(
                text.clone(),
                (SegmentValue::CenterOf(i as i32), v),
                label_style.pos(anchor),
            )
        });
    chart.draw_series(notes).map_err(err)?;
    Ok(())
}
