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

/// The largest font size up to `px` at which `text` fits `area`'s width with a margin: a long title
/// (strategy, date range, "[synthetic data]") shrinks instead of running off both edges of the image.
pub(crate) fn fitting_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    px: u32,
) -> u32 {
    shrunk_to_fit(area, text, px, 14)
}

/// [`fitting_px`], down to `min_px` at most.
fn shrunk_to_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    px: u32,
    min_px: u32,
) -> u32 {
    let (width, _) = area.dim_in_pixel();
    let mut px = px;
    while px > min_px {
        let font: TextStyle = (style::FONT, px).into_font().into();
        match area.estimate_text_size(text, &font) {
            Ok((w, _)) if w + 40 > width => px -= 1,
            _ => break,
        }
    }
    px
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
    let title_px = fitting_px(root, title, style::TITLE_PX);
    let body = root.margin(14, 0, 0, 0).titled(
        title,
        (style::FONT, title_px).into_font().style(FontStyle::Bold),
    )?;
    let (line, body) = body.split_vertically(36);
    let (width, _) = line.dim_in_pixel();
    let px = shrunk_to_fit(&line, subtitle, style::AXIS_PX, 12);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_too_wide_for_the_image_shrinks_and_a_short_one_keeps_its_size() {
        style::register_fonts().unwrap();
        let mut pixels = vec![0u8; 1600 * 900 * 3];
        let root = BitMapBackend::with_buffer(&mut pixels, (1600, 900)).into_drawing_area();
        assert_eq!(
            fitting_px(&root, "Equity by leverage", style::TITLE_PX),
            style::TITLE_PX
        );
        // A strategy file's name can be as long as its author likes.
        let long = "Drawdown by leverage — funding-aware carry on BTCUSDT perpetual (short when funding runs hot), \
                    2019-09-08 to 2026-11-01";
        let px = fitting_px(&root, long, style::TITLE_PX);
        assert!(px < style::TITLE_PX, "{px}");
        let font: TextStyle = (style::FONT, px).into_font().into();
        let (w, _) = root.estimate_text_size(long, &font).unwrap();
        assert!(w + 40 <= 1600, "{w} px wide at {px} px");
    }
}
