//! `heatmap.png`: one metric over two grid dimensions (e.g. leverage × stop-loss → total return),
//! each cell coloured on a colour-blind-safe sequential scale and labelled with its value, so the
//! numbers can be read without decoding the colours.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error};

/// The data of a heatmap: `value[row][column]`, `None` for a cell the grid does not hold.
#[derive(Debug, Clone)]
pub struct Heatmap<'a> {
    pub title: &'a str,
    /// Axis descriptions, e.g. `Leverage` and `Stop-loss (% of entry)`.
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub x_labels: &'a [String],
    pub y_labels: &'a [String],
    pub value: &'a [Vec<Option<f64>>],
    /// The metric's name for the colour note, e.g. `total return`.
    pub metric: &'a str,
    /// How a cell's value is written, e.g. `+45.2%` or `1,204`.
    pub format: fn(f64) -> String,
}

/// Draw `heatmap.png`.
pub fn draw_heatmap(path: &Path, map: &Heatmap<'_>) -> Result<(), ChartError> {
    let (nx, ny) = (map.x_labels.len(), map.y_labels.len());
    let cells = map
        .value
        .iter()
        .flatten()
        .flatten()
        .filter(|v| v.is_finite());
    let (lo, hi) = cells.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    if nx == 0 || ny == 0 || !lo.is_finite() {
        return Err(ChartError::Empty {
            path: path.display().to_string(),
            why: "no cell has a value".into(),
        });
    }
    let root = canvas(path, style::SIZE)?;
    let err = |e| draw_error(path, e);
    let title_px = super::fitting_px(&root, map.title, style::TITLE_PX);
    let mut chart = ChartBuilder::on(&root)
        .caption(map.title, (FONT, title_px))
        .margin(24)
        .x_label_area_size(90)
        .y_label_area_size(150)
        // A segmented `0..k` range holds k + 1 slots (its ends are included): `0..k - 1` gives k.
        .build_cartesian_2d(
            (0..nx as i32 - 1).into_segmented(),
            (0..ny as i32 - 1).into_segmented(),
        )
        .map_err(err)?;
    let x_fmt = |v: &SegmentValue<i32>| segment_label(map.x_labels, v);
    let y_fmt = |v: &SegmentValue<i32>| segment_label(map.y_labels, v);
    let note = format!(
        "{}   —   colour: {} from {} (palest) to {} (darkest)",
        map.x_desc,
        map.metric,
        (map.format)(lo),
        (map.format)(hi)
    );
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(nx)
        .y_labels(ny)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(note)
        .y_desc(map.y_desc)
        .label_style((FONT, style::AXIS_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .draw()
        .map_err(err)?;
    let share = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    let mut rects = Vec::new();
    let mut texts = Vec::new();
    let font = (FONT, style::AXIS_PX).into_font();
    for (row, values) in map.value.iter().enumerate().take(ny) {
        for (col, cell) in values.iter().enumerate().take(nx) {
            let (x, y) = (col as i32, row as i32);
            let corners = [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ];
            let (fill, text, ink) = match cell {
                Some(v) if v.is_finite() => {
                    let bg = style::share_colour(share(*v));
                    // `&'static` inks: a text style borrows its colour for the lifetime of the chart.
                    let ink: &'static RGBColor = if style::text_on(bg) == style::BLACK {
                        &style::BLACK
                    } else {
                        &style::WHITE
                    };
                    (bg, (map.format)(*v), ink)
                }
                _ => (style::GRID, "n/a".to_string(), &style::MUTED),
            };
            let mut rect = Rectangle::new(corners, fill.filled());
            rect.set_margin(2, 2, 2, 2);
            rects.push(rect);
            let centre = (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y));
            let anchor = Pos::new(HPos::Center, VPos::Center);
            texts.push(Text::new(
                text,
                centre,
                TextStyle::from(font.clone()).color(ink).pos(anchor),
            ));
        }
    }
    chart.draw_series(rects).map_err(err)?;
    chart.draw_series(texts).map_err(err)?;
    root.present().map_err(err)
}

/// The label of a category axis at a segment's centre; nothing at its edges.
fn segment_label(labels: &[String], v: &SegmentValue<i32>) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}
