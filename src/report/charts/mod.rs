//! PNG charts (plotters, pure-Rust text via an embedded DejaVu font: no fontconfig).
//!
//! `style` is the look every chart shares (font, Okabe–Ito palette, number and date formats); each
//! other file draws one chart from plain data and writes one PNG.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor;

pub mod drawdown;
pub mod equity;
pub mod heatmap;
pub mod leverage;
pub mod liquidations_by_year;
pub mod price;
pub mod style;
pub mod survival_curves;
pub mod survival_heatmap;

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("chart font: {0}")]
    Font(String),
    #[error("cannot draw {path}: {message}")]
    Draw { path: String, message: String },
    #[error("nothing to draw in {path}: {why}")]
    Empty { path: String, why: String },
}

/// The PNG canvas every chart draws on, cleared to white, with the fonts registered.
pub(crate) fn canvas(
    path: &Path,
    size: (u32, u32),
) -> Result<DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>, ChartError> {
    style::register_fonts()?;
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&style::WHITE).map_err(|e| draw_error(path, e))?;
    Ok(root)
}

/// Turn any plotters error into a [`ChartError`] that names the file.
pub(crate) fn draw_error(path: &Path, e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Legend items for series drawn in palette order: the k-th label gets `series_colour(k)`, the colour
/// its line was drawn in.
pub(crate) fn series_items<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<(String, RGBColor)> {
    labels
        .enumerate()
        .map(|(k, label)| (label.to_string(), style::series_colour(k)))
        .collect()
}

/// A one-line legend, centred in `area`: a short thick line in each series colour and its name.
/// Drawn outside the plots so it can never hide data; shared by side-by-side panels.
pub(crate) fn legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    heading: &str,
    items: &[(String, RGBColor)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font: TextStyle = (style::FONT, style::AXIS_PX).into_font().into();
    let swatch = 34;
    let gap = 28;
    let width_of = |s: &str| area.estimate_text_size(s, &font).map(|(w, _)| w as i32);
    let mut total = width_of(heading)? + gap;
    for (name, _) in items {
        total += swatch + 8 + width_of(name)? + gap;
    }
    let (w, h) = area.dim_in_pixel();
    let mut x = ((w as i32 - total) / 2).max(10);
    let y = h as i32 / 2;
    area.draw_text(
        heading,
        &font.clone().pos(text_anchor::Pos::new(
            text_anchor::HPos::Left,
            text_anchor::VPos::Center,
        )),
        (x, y),
    )?;
    x += width_of(heading)? + gap;
    for (name, colour) in items {
        area.draw(&PathElement::new(
            vec![(x, y), (x + swatch, y)],
            colour.stroke_width(5),
        ))?;
        x += swatch + 8;
        let anchored = font.clone().pos(text_anchor::Pos::new(
            text_anchor::HPos::Left,
            text_anchor::VPos::Center,
        ));
        area.draw_text(name, &anchored, (x, y))?;
        x += width_of(name)? + gap;
    }
    Ok(())
}

/// Title (bold) and a one-line muted subtitle above a chart; returns the area left for the chart.
/// The subtitle is centred and shrunk until it fits the width, so long file names never run off
/// the image.
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, plotters::coord::Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    // The top margin keeps the title's ascenders inside the image.
    let body = root.margin(14, 0, 0, 0).titled(
        title,
        (style::FONT, style::TITLE_PX)
            .into_font()
            .style(FontStyle::Bold),
    )?;
    let (line, body) = body.split_vertically(36);
    let (width, _) = line.dim_in_pixel();
    let mut px = style::AXIS_PX;
    let fits = |px: u32| -> Result<bool, DrawingAreaErrorKind<DB::ErrorType>> {
        let font: TextStyle = (style::FONT, px).into_font().into();
        Ok(line.estimate_text_size(subtitle, &font)?.0 + 40 <= width)
    };
    while px > 12 && !fits(px)? {
        px -= 1;
    }
    let font = (style::FONT, px)
        .into_font()
        .color(&style::MUTED)
        .pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Top,
        ));
    line.draw_text(subtitle, &font, (width as i32 / 2, 4))?;
    Ok(body)
}
