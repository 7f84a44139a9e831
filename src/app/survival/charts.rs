//! The three survival charts, assembled from the map and its summaries.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::RunView;
use crate::domain::Side;
use crate::report::charts::liquidations_by_year::{ByYear, YearLine, YearPanel};
use crate::report::charts::survival_curves::{CurvePanel, Curves, Line};
use crate::report::charts::survival_heatmap::{Heatmap, HeatmapPanel};
use crate::survival::stats::alive_curve;

const HOUR_MS: i64 = 3_600_000;
/// Points per survival curve, spaced evenly on the log time axis.
const CURVE_POINTS: usize = 80;

pub(super) fn draw_all(dir: &Path, v: &RunView<'_>) -> Result<Vec<PathBuf>> {
    let heatmap = dir.join("survival_heatmap.png");
    crate::report::charts::survival_heatmap::draw(&heatmap, &heatmap_of(v))
        .context("drawing the survival heatmap")?;
    let curves = dir.join("survival_curves.png");
    crate::report::charts::survival_curves::draw(&curves, &curves_of(v))
        .context("drawing the survival curves")?;
    let years = dir.join("liquidations_by_year.png");
    crate::report::charts::liquidations_by_year::draw(&years, &by_year_of(v))
        .context("drawing liquidations by year")?;
    Ok(vec![heatmap, curves, years])
}

/// Panel caption: the side and the price its liquidation is tested on.
fn caption(v: &RunView<'_>, side: Side) -> String {
    let price = if v.map.last_price_proxy {
        "last-price"
    } else {
        "mark"
    };
    match side {
        Side::Long => format!("Longs (liquidated when the {price} low reaches the price)"),
        Side::Short => format!("Shorts (liquidated when the {price} high reaches the price)"),
    }
}

fn heatmap_of(v: &RunView<'_>) -> Heatmap {
    let panels = v
        .settings
        .sides
        .iter()
        .map(|&side| {
            let rows: Vec<_> = v.rows.iter().filter(|r| r.side == side).collect();
            HeatmapPanel {
                caption: caption(v, side),
                rows: rows.iter().map(|r| format!("{}x", r.leverage)).collect(),
                cells: rows
                    .iter()
                    .map(|r| r.within.iter().map(|s| s.fraction()).collect())
                    .collect(),
            }
        })
        .collect();
    Heatmap {
        title: "How often was an isolated position liquidated within each holding time?".into(),
        subtitle: v.describe.clone(),
        columns: v.plan_horizons.iter().map(|h| h.label.clone()).collect(),
        x_desc: "holding time (only entries followed by at least this much data)".into(),
        y_desc: "leverage".into(),
        panels,
    }
}

fn curves_of(v: &RunView<'_>) -> Curves {
    let map = v.map;
    // Holding times longer than the data's first three quarters rest on ever fewer (and ever earlier)
    // entries, so the curve stops where three quarters of the entries can still be followed.
    let quarter = map.time.len() / 4;
    let longest = (map.end_ms - map.time[map.time.len() - 1 - quarter]).max(map.interval_ms * 2);
    let (lo, hi) = (map.interval_ms as f64, longest as f64);
    let times: Vec<i64> = (0..CURVE_POINTS)
        .map(|k| (lo * (hi / lo).powf(k as f64 / (CURVE_POINTS - 1) as f64)).round() as i64)
        .collect();
    let panels = v
        .settings
        .sides
        .iter()
        .map(|&side| CurvePanel {
            caption: caption(v, side),
            lines: map
                .series
                .iter()
                .filter(|s| s.side == side)
                .map(|s| Line {
                    label: format!("{}x", s.leverage),
                    points: times
                        .iter()
                        .zip(alive_curve(map, s, &times))
                        .filter_map(|(&t, alive)| alive.map(|a| (t as f64 / HOUR_MS as f64, a)))
                        .collect(),
                })
                // A leverage the exchange refused throughout has no line (and no legend entry).
                .filter(|l| !l.points.is_empty())
                .collect(),
        })
        .collect();
    let ticks_ms = [
        60_000,
        900_000,
        HOUR_MS,
        4 * HOUR_MS,
        24 * HOUR_MS,
        168 * HOUR_MS,
        720 * HOUR_MS,
        2160 * HOUR_MS,
        8760 * HOUR_MS,
    ];
    Curves {
        title: "Share of positions still open (not liquidated) after each holding time".into(),
        subtitle: v.describe.clone(),
        ticks_h: ticks_ms
            .iter()
            .map(|&t| t as f64 / HOUR_MS as f64)
            .collect(),
        x_desc: "holding time (log scale)".into(),
        y_desc: "positions not liquidated".into(),
        legend: "leverage:".into(),
        panels,
    }
}

/// The horizon the by-year chart shows: 7d when asked for, else the longest one up to 30 days.
fn year_horizon(v: &RunView<'_>) -> usize {
    let h = v.plan_horizons;
    h.iter()
        .position(|h| h.ms == 168 * HOUR_MS)
        .or_else(|| {
            (0..h.len())
                .filter(|&k| h[k].ms <= 720 * HOUR_MS)
                .max_by_key(|&k| h[k].ms)
        })
        .unwrap_or(0)
}

fn by_year_of(v: &RunView<'_>) -> ByYear {
    let k = year_horizon(v);
    let label = v
        .plan_horizons
        .get(k)
        .map_or_else(String::new, |h| h.label.clone());
    let panels = v
        .settings
        .sides
        .iter()
        .map(|&side| YearPanel {
            caption: caption(v, side),
            lines: v
                .settings
                .leverages
                .iter()
                .map(|&lev| YearLine {
                    label: format!("{lev}x"),
                    points: v
                        .by_year
                        .iter()
                        .filter(|r| r.side == side && r.leverage == lev)
                        .filter_map(|r| Some((r.year?, r.within.get(k)?.fraction()?)))
                        .collect(),
                })
                .filter(|l| !l.points.is_empty())
                .collect(),
        })
        .collect();
    ByYear {
        title: format!("Share of positions liquidated within {label}, by year of entry"),
        subtitle: v.describe.clone(),
        y_desc: format!("liquidated within {label}"),
        legend: "leverage:".into(),
        panels,
    }
}
