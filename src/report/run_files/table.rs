//! The summary table `wick run` prints: amounts with thousands separators, fractions as %.

use std::io::Write;

use rust_decimal::Decimal;

use crate::config::RunSettings;
use crate::domain::TimestampMs;
use crate::results::{RunResult, Stats};

/// `1234567.891` → `1,234,567.89`.
pub fn thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn pct(v: f64) -> String {
    format!("{}%", thousands(v * 100.0, 2))
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("—".into(), f)
}

fn day(t: Option<TimestampMs>) -> String {
    t.map_or("—".into(), |t| t.to_human())
}

/// The table `wick run` prints.
pub fn summary_table(settings: &RunSettings, run: &RunResult, s: &Stats) -> String {
    let usd = |d: Decimal| {
        format!(
            "{} USDT",
            thousands(d.to_string().parse().unwrap_or(f64::NAN), 2)
        )
    };
    let a = &settings.account;
    let lines: Vec<(&str, String)> = vec![
        (
            "run",
            format!(
                "{} ({} bars, {}x {} on {})",
                settings.name,
                thousands(s.bars as f64, 0),
                a.leverage,
                format!("{:?}", a.margin_mode).to_lowercase(),
                format!("{:?}", a.venue).to_lowercase()
            ),
        ),
        ("initial equity", usd(s.initial_equity.get())),
        ("final equity", usd(s.final_equity.get())),
        ("total return", pct(s.total_return)),
        ("CAGR", opt(s.cagr, pct)),
        (
            "max drawdown",
            format!(
                "{} ({} → {})",
                pct(s.max_drawdown),
                day(s.max_drawdown_peak),
                day(s.max_drawdown_trough)
            ),
        ),
        (
            "Sharpe / Sortino / Calmar",
            format!(
                "{} / {} / {}",
                opt(s.sharpe, |v| format!("{v:.2}")),
                opt(s.sortino, |v| format!("{v:.2}")),
                opt(s.calmar, |v| format!("{v:.2}"))
            ),
        ),
        (
            "trades",
            format!(
                "{} (win rate {}, profit factor {})",
                s.trades,
                opt(s.win_rate, pct),
                opt(s.profit_factor, |v| format!("{v:.2}"))
            ),
        ),
        ("exposure", pct(s.exposure)),
        ("fees", usd(s.fees.get())),
        (
            "funding paid / received",
            format!(
                "{} / {}",
                usd(s.funding_paid.get()),
                usd(s.funding_received.get())
            ),
        ),
        (
            "liquidations",
            format!(
                "{} (margin lost {}, insurance draw {})",
                s.liquidations,
                usd(s.liquidation_margin_lost.get()),
                usd(s.insurance_fund_draw.get())
            ),
        ),
        (
            "first liquidation",
            match (s.first_liquidation, s.days_to_first_liquidation) {
                (Some(t), Some(d)) => format!("{} (after {} days)", t.to_human(), thousands(d, 1)),
                _ => "—".into(),
            },
        ),
        (
            "closest approach to liquidation",
            opt(s.closest_approach_to_liquidation_pct, |v| {
                format!("{v:.2}%")
            }),
        ),
        (
            "stop-outs / take-profits",
            format!("{} / {}", s.stop_outs, s.take_profits),
        ),
        ("ambiguous bars", s.ambiguous_bars.to_string()),
        ("ruin", day(s.ruined)),
    ];
    let width = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for (k, v) in &lines {
        let _ = writeln!(out, "{k:<width$}  {v}");
    }
    for w in &run.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_commas_and_the_sign_kept() {
        assert_eq!(thousands(1234567.891, 2), "1,234,567.89");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(999.0, 1), "999.0");
        assert_eq!(thousands(-0.001, 2), "0.00");
    }
}
