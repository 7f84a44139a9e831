//! `liquidations_by_year.png`: per calendar year of entry, the share of positions liquidated within
//! one holding time, one line (with markers) per leverage, one panel per side.

use std::path::Path;

use plotters::prelude::*;

use super::style::{self, FONT};
use super::{ChartError, canvas, draw_error, header, legend_strip, series_items};

/// One line: `(year, share in [0, 1])`; years with nothing observed are left out (a gap, not a 0).
#[derive(Debug, Clone, PartialEq)]
pub struct YearLine {
    pub label: String,
    pub points: Vec<(i32, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearPanel {
    pub caption: String,
    pub lines: Vec<YearLine>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ByYear {
    pub title: String,
    pub subtitle: String,
    pub y_desc: String,
    pub legend: String,
    pub panels: Vec<YearPanel>,
}

pub fn draw(path: &Path, chart: &ByYear) -> Result<(), ChartError> {
    let years = chart
        .panels
        .iter()
        .flat_map(|p| &p.lines)
        .flat_map(|l| &l.points)
        .map(|&(y, _)| y);
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if first > last {
        return Err(ChartError::Empty {
            path: path.display().to_string(),
            why: "no year has observed entries".into(),
        });
    }
    let root = canvas(path, style::SIZE)?;
    let e = |err| draw_error(path, err);
    let body = header(&root, &chart.title, &chart.subtitle).map_err(e)?;
    let (plots, legend) = body.split_vertically(body.dim_in_pixel().1 - 56);
    let panels = plots.split_evenly((1, chart.panels.len().max(1)));
    for (area, panel) in panels.iter().zip(&chart.panels) {
        draw_panel(area, chart, panel, (first, last)).map_err(e)?;
    }
    let labels = chart.panels.first().into_iter().flat_map(|p| &p.lines);
    let items = series_items(labels.map(|l| l.label.as_str()));
    legend_strip(&legend, &chart.legend, &items).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &ByYear,
    panel: &YearPanel,
    (first, last): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut c = ChartBuilder::on(area)
        .caption(&panel.caption, (FONT, style::CAPTION_PX))
        .margin(16)
        .x_label_area_size(64)
        .y_label_area_size(84)
        .build_cartesian_2d((first - 1..last + 1).into_segmented(), 0f64..100f64)?;
    // One segment per year, plus an empty one at each end (a single year still gets a real axis);
    // points sit at the segment centres, labelled with the year.
    let x_fmt = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(y) if (first..=last).contains(y) => y.to_string(),
        _ => String::new(),
    };
    let y_fmt = |p: &f64| format!("{p:.0}%");
    c.configure_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels((last - first + 3) as usize)
        .y_labels(6)
        .bold_line_style(style::GRID)
        .light_line_style(style::WHITE)
        .x_desc("calendar year of entry (UTC)")
        .y_desc(&chart.y_desc)
        .label_style((FONT, style::AXIS_PX))
        .axis_desc_style((FONT, style::AXIS_PX))
        .draw()?;
    for (k, line) in panel.lines.iter().enumerate() {
        let colour = style::series_colour(k);
        let pts: Vec<(SegmentValue<i32>, f64)> = line
            .points
            .iter()
            .map(|&(y, s)| (SegmentValue::CenterOf(y), s * 100.0))
            .collect();
        c.draw_series(LineSeries::new(pts.iter().cloned(), colour.stroke_width(3)))?;
        c.draw_series(
            pts.iter()
                .map(|p| Circle::new(p.clone(), 5, colour.filled())),
        )?;
    }
    Ok(())
}
