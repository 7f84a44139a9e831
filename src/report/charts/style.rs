//! The look shared by every wick chart: one embedded font, one colour-blind-safe palette, one way
//! to write numbers, percentages and dates.
//!
//! Text is drawn by plotters' pure-Rust `ab_glyph` backend, which knows no system fonts: the DejaVu
//! Sans faces shipped inside the `dejavu` crate are registered once under the family name
//! [`FONT`], so charts render the same on any machine without fontconfig.

use std::sync::OnceLock;

use plotters::style::{FontStyle, RGBColor, register_font};

use super::ChartError;

/// The family every chart asks for. Registered by [`register_fonts`].
pub const FONT: &str = "sans-serif";

/// Default canvas of a single chart (pixels).
pub const SIZE: (u32, u32) = (1600, 900);
/// Text sizes in pixels: chart title, panel caption, axis labels/descriptions, cell labels.
pub const TITLE_PX: u32 = 34;
pub const CAPTION_PX: u32 = 26;
pub const AXIS_PX: u32 = 20;
pub const LABEL_PX: u32 = 18;

pub const WHITE: RGBColor = RGBColor(255, 255, 255);
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
/// Light grey for grid lines: visible, never competing with the data.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
pub const MUTED: RGBColor = RGBColor(110, 110, 110);

/// Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable under every common
/// colour-vision deficiency. Ordered for lines on white: the strongest contrasts first, yellow last.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(230, 159, 0),   // orange
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// The `k`-th series colour (cycling after eight).
pub fn series_colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// Colour for one side of a position, the same on every chart: longs blue, shorts vermillion.
pub fn side_colour(is_long: bool) -> RGBColor {
    if is_long { PALETTE[0] } else { PALETTE[1] }
}

/// Register the embedded DejaVu Sans faces under [`FONT`]. Idempotent and thread-safe; every chart
/// function calls it before drawing.
pub fn register_fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let faces = [
            (FontStyle::Normal, "regular", dejavu::sans::regular()),
            (FontStyle::Bold, "bold", dejavu::sans::bold()),
            (FontStyle::Italic, "oblique", dejavu::sans::oblique()),
        ];
        for (style, name, bytes) in faces {
            register_font(FONT, style, bytes)
                .map_err(|_| format!("embedded DejaVu Sans {name} face is unreadable"))?;
        }
        Ok(())
    })
    .clone()
    .map_err(ChartError::Font)
}

/// Sequential colour scale for shares in `[0, 1]`: viridis, reversed so that 0 is the palest
/// (yellow) and 1 the darkest (purple). Perceptually uniform and readable with any colour vision.
pub fn share_colour(share: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (253, 231, 37),
        (170, 220, 50),
        (94, 201, 98),
        (33, 165, 133),
        (33, 145, 140),
        (44, 114, 142),
        (59, 82, 139),
        (72, 40, 120),
        (68, 1, 84),
    ];
    let x = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    } * (STOPS.len() - 1) as f64;
    let k = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - k as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `bg` (relative luminance, WCAG weights).
pub fn text_on(bg: RGBColor) -> RGBColor {
    let lum = 0.2126 * f64::from(bg.0) + 0.7152 * f64::from(bg.1) + 0.0722 * f64::from(bg.2);
    if lum > 140.0 { BLACK } else { WHITE }
}

/// `1234567.891` with `decimals` = 2 → `1,234,567.89`.
pub fn thousands(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 + decimals + 2);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A share as a percentage with precision where it matters: `0.1234` → `12.3%`, `0.0004` →
/// `0.04%`, exactly 0 → `0%`, above 0 but below 0.005% → `<0.01%`, anything that rounds to 100 but
/// is below 1 → `>99.9%`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p == 0.0 {
        "0%".to_string()
    } else if p < 0.005 {
        "<0.01%".to_string()
    } else if p < 0.1 {
        format!("{p:.2}%")
    } else if !(99.95..100.0).contains(&p) {
        format!("{p:.1}%")
    } else {
        ">99.9%".to_string()
    }
}

/// A date-axis label for UTC milliseconds, coarse enough for the span shown: years for spans
/// over ~3 years, `2024-06` months for spans over ~60 days, days otherwise.
pub fn date_label(t_ms: i64, span_ms: i64) -> String {
    const DAY: i64 = 86_400_000;
    let Some(dt) = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(t_ms) else {
        return t_ms.to_string();
    };
    let fmt = if span_ms > 3 * 365 * DAY {
        "%Y"
    } else if span_ms > 60 * DAY {
        "%Y-%m"
    } else {
        "%Y-%m-%d"
    };
    dt.format(fmt).to_string()
}

/// A duration in the largest unit that keeps it short: `90d`, `7d`, `4h`, `30m`.
pub fn duration_label(ms: i64) -> String {
    const UNITS: [(i64, &str); 5] = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "min"),
        (1_000, "s"),
        (1, "ms"),
    ];
    for (size, unit) in UNITS {
        if ms.abs() >= size {
            let v = ms as f64 / size as f64;
            return if (v - v.round()).abs() < 0.05 {
                format!("{}{unit}", v.round())
            } else {
                format!("{v:.1}{unit}")
            };
        }
    }
    "0".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas_and_signs_survive() {
        assert_eq!(thousands(62749.0, 2), "62,749.00");
        assert_eq!(thousands(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-3030.0, 0), "-3,030");
        assert_eq!(thousands(-0.001, 2), "0.00");
    }

    #[test]
    fn percentages_keep_small_and_near_certain_shares_distinct() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.0004), "0.04%");
        assert_eq!(percent(0.00002), "<0.01%");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(percent(0.99996), ">99.9%");
        assert_eq!(percent(1.0), "100.0%");
    }

    #[test]
    fn date_labels_coarsen_with_the_span() {
        let t = 1_636_502_400_000; // 2021-11-10
        assert_eq!(date_label(t, 5 * 365 * 86_400_000), "2021");
        assert_eq!(date_label(t, 100 * 86_400_000), "2021-11");
        assert_eq!(date_label(t, 86_400_000), "2021-11-10");
    }

    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(duration_label(3_600_000), "1h");
        assert_eq!(duration_label(7 * 86_400_000), "7d");
        assert_eq!(duration_label(90 * 60_000), "1.5h");
    }

    #[test]
    fn the_share_scale_runs_from_pale_to_dark_and_text_stays_readable() {
        assert_eq!(text_on(share_colour(0.0)), BLACK);
        assert_eq!(text_on(share_colour(1.0)), WHITE);
        assert!(register_fonts().is_ok());
        assert!(register_fonts().is_ok(), "registering twice is harmless");
    }
}
