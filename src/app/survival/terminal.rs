//! The probability table on the terminal: one block per side, one line per leverage.

use std::fmt::Write as _;

use super::RunView;
use crate::report::charts::style::{duration_label, percent, thousands};

/// The table as text (the caller prints it, so a closed pipe is not a panic).
pub(super) fn render(v: &RunView<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Share of positions liquidated within each holding time"
    );
    let _ = writeln!(out, "{}", v.describe);
    for &side in &v.settings.sides {
        out.push('\n');
        let mut header = format!("{:<8}", side.as_str().to_uppercase());
        for h in v.plan_horizons {
            header.push_str(&format!("{:>9}", h.label));
        }
        header.push_str(&format!("{:>9}{:>10}", "ever", "median"));
        if v.settings.stop_loss.is_some() {
            header.push_str(&format!("{:>10}", "stopped"));
        }
        let _ = writeln!(out, "{header}");
        for r in v.rows.iter().filter(|r| r.side == side) {
            let mut line = format!("{:<8}", format!("{}x", r.leverage));
            if r.entries == 0 {
                line.push_str(&format!(
                    "  refused: above the bracket's maximum leverage for all {} entries",
                    thousands(r.not_opened as f64, 0)
                ));
                let _ = writeln!(out, "{line}");
                continue;
            }
            for s in &r.within {
                line.push_str(&format!(
                    "{:>9}",
                    s.fraction().map_or("n/a".to_string(), percent)
                ));
            }
            line.push_str(&format!(
                "{:>9}",
                r.ever.fraction().map_or("n/a".to_string(), percent)
            ));
            line.push_str(&format!(
                "{:>10}",
                r.median_ms.map_or("-".to_string(), duration_label)
            ));
            if let Some(stopped) = r.stopped_first {
                line.push_str(&format!(
                    "{:>10}",
                    percent(stopped as f64 / r.entries as f64)
                ));
            }
            if r.not_opened > 0 {
                line.push_str(&format!(
                    "   ({} entries refused)",
                    thousands(r.not_opened as f64, 0)
                ));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "\"within H\" counts entries followed by at least H of data; \"ever\" = before the data ends;"
    );
    let _ = writeln!(
        out,
        "median = median time to liquidation among liquidated positions."
    );
    if let Some(d) = v.settings.stop_loss {
        let _ = writeln!(
            out,
            "stopped = share whose stop ({}) on the last price filled before any liquidation.",
            percent(d)
        );
    }
    out
}
