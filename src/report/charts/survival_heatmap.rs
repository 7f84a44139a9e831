//! `survival_heatmap.png`: leverage (rows) × holding time (columns) → probability of liquidation,
//! one panel per side, every cell labelled with its percentage.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error, header};

/// One panel: a grid of shares, `cells[row][column]`, `None` where nothing could be observed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapPanel {
    pub caption: String,
    pub rows: Vec<String>,
    pub cells: Vec<Vec<Option<f64>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub title: String,
    /// One line under the title: data, span, price used.
    pub subtitle: String,
    pub columns: Vec<String>,
    pub x_desc: String,
    pub y_desc: String,
    pub panels: Vec<HeatmapPanel>,
}

/// Draw the heatmap to `path` (PNG). The canvas grows with the number of rows so cells stay legible.
pub fn draw(path: &Path, chart: &Heatmap) -> Result<(), ChartError> {
    let rows = chart.panels.iter().map(|p| p.rows.len()).max().unwrap_or(0);
    if rows == 0 || chart.columns.is_empty() {
        return Err(ChartError::Empty {
            path: path.display().to_string(),
            why: "no leverage or no horizon".into(),
        });
    }
    let height = (260 + 56 * rows as u32).max(600);
    let root = canvas(path, (style::SIZE.0, height))?;
    let e = |err| draw_error(path, err);
    let body = header(&root, &chart.title, &chart.subtitle).map_err(e)?;
    let panels = body.split_evenly((1, chart.panels.len().max(1)));
    for (area, panel) in panels.iter().zip(&chart.panels) {
        draw_panel(area, chart, panel).map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Heatmap,
    panel: &HeatmapPanel,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let cols = chart.columns.len();
    let rows = panel.rows.len();
    // One segment per column and row; tick labels sit at the segment centres.
    let mut c = ChartBuilder::on(area)
        .caption(&panel.caption, (FONT, style::CAPTION_PX))
        .margin(16)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..cols as i32 - 1).into_segmented(),
            (0..rows as i32 - 1).into_segmented(),
        )?;
    // Row 0 at the top: the lowest leverage is read first.
    let y_of = |r: usize| (rows - 1 - r) as i32;
    let name = |names: &[String], k: i32| {
        usize::try_from(k)
            .ok()
            .and_then(|k| names.get(k))
            .cloned()
            .unwrap_or_default()
    };
    let x_fmt = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(k) => name(&chart.columns, *k),
        _ => String::new(),
    };
    let y_fmt = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(k) => name(&panel.rows, rows as i32 - 1 - *k),
        _ => String::new(),
    };
    c.configure_mesh()
        .disable_mesh()
        .x_labels(cols)
        .y_labels(rows)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(&chart.x_desc)
        .y_desc(&chart.y_desc)
        .label_style((FONT, style::AXIS_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .draw()?;
    for (r, cells) in panel.cells.iter().enumerate() {
        for (k, cell) in cells.iter().enumerate() {
            let (x, y) = (k as i32, y_of(r));
            let (fill, text) = match cell {
                Some(share) => (style::share_colour(*share), style::percent(*share)),
                None => (style::GRID, "n/a".to_string()),
            };
            let corners = [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ];
            c.draw_series(std::iter::once(Rectangle::new(
                corners.clone(),
                fill.filled(),
            )))?;
            c.draw_series(std::iter::once(Rectangle::new(
                corners,
                style::WHITE.stroke_width(2),
            )))?;
            let font = (FONT, style::LABEL_PX + 2)
                .into_font()
                .color(&style::text_on(fill))
                .pos(Pos::new(HPos::Center, VPos::Center));
            c.draw_series(std::iter::once(Text::new(
                text,
                (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                font,
            )))?;
        }
    }
    Ok(())
}
