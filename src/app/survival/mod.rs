//! `wick survival`: validate the arguments, load the market, build the liquidation map, then write
//! the tables, the Parquet file, the charts and the run notes, and print the probability table.

mod charts;
mod files;
mod terminal;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;

use crate::cli::survival::SurvivalArgs;
use crate::domain::{Leverage, Side, TimestampMs, Usd};
use crate::exchange::BracketSchedule;
use crate::market::{LoadOptions, MarketData, load_market, span};
use crate::survival::{self, Horizon, Settings, SurvivalMap, SurvivalRow};

/// Everything a run needs, validated.
#[derive(Debug)]
struct Plan {
    candles: PathBuf,
    mark: Option<PathBuf>,
    funding: Option<PathBuf>,
    settings: Settings,
    horizons: Vec<Horizon>,
    from: Option<TimestampMs>,
    to: Option<TimestampMs>,
    out: PathBuf,
    quiet: bool,
}

/// What the output files and charts say about the run.
#[derive(Debug)]
pub(crate) struct RunView<'a> {
    pub plan_horizons: &'a [Horizon],
    pub settings: &'a Settings,
    pub map: &'a SurvivalMap,
    pub rows: &'a [SurvivalRow],
    pub by_year: &'a [SurvivalRow],
    /// One line naming the data, span and price used, for chart subtitles and the terminal.
    pub describe: String,
}

pub fn run(args: SurvivalArgs) -> Result<()> {
    let plan = plan(args)?;
    let loaded = load_market(
        &plan.candles,
        plan.mark.as_deref(),
        plan.funding.as_deref(),
        &LoadOptions::default(),
    )
    .with_context(|| format!("loading {}", plan.candles.display()))?;
    let mut settings = plan.settings.clone();
    settings.bars = Some(bar_range(&loaded.data, plan.from, plan.to)?);
    let schedule = BracketSchedule::binance_btcusdt();
    let map = survival::liquidation_map(&loaded.data, &schedule, &settings)?;
    let with_stop = settings.stop_loss.is_some();
    let rows = survival::stats::summarise(&map, &plan.horizons, with_stop);
    let by_year = survival::stats::summarise_by_year(&map, &plan.horizons, with_stop);
    let describe = describe(&loaded.data, &map, &settings);
    let ctx = RunView {
        plan_horizons: &plan.horizons,
        settings: &settings,
        map: &map,
        rows: &rows,
        by_year: &by_year,
        describe,
    };
    std::fs::create_dir_all(&plan.out)
        .with_context(|| format!("creating the output folder {}", plan.out.display()))?;
    let written = files::write_all(&plan.out, &ctx, &loaded.data, &plan.candles)?;
    let charts = charts::draw_all(&plan.out, &ctx)?;
    if !plan.quiet {
        let mut text = terminal::render(&ctx);
        text.push('\n');
        for f in written.iter().chain(&charts) {
            text.push_str(&format!("wrote {}\n", f.display()));
        }
        print_text(&text)?;
    }
    Ok(())
}

/// Print to stdout; a reader that closed the pipe early (`| head`) is not an error.
fn print_text(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing to the terminal")
        }
        _ => Ok(()),
    }
}

fn plan(a: SurvivalArgs) -> Result<Plan> {
    let mut leverages = Vec::new();
    for raw in &a.leverage {
        let d: Decimal = raw.trim().parse().map_err(|_| {
            anyhow::anyhow!("--leverage: '{raw}' is not a number; write e.g. 2,5,10,20")
        })?;
        let l = Leverage::new_checked(d).map_err(|e| anyhow::anyhow!("--leverage: {e}"))?;
        if !leverages.contains(&l) {
            leverages.push(l);
        }
    }
    leverages.sort();
    let mut sides = Vec::new();
    for raw in &a.side {
        let s: Side = raw.parse().map_err(|e| anyhow::anyhow!("--side: {e}"))?;
        if !sides.contains(&s) {
            sides.push(s);
        }
    }
    let notional: Decimal = a.notional.trim().replace('_', "").parse().map_err(|_| {
        anyhow::anyhow!(
            "--notional: '{}' is not a number of USDT; write e.g. 10000",
            a.notional
        )
    })?;
    if notional <= Decimal::ZERO {
        bail!("--notional must be greater than zero, got {notional}");
    }
    let mut horizons: Vec<Horizon> = Vec::new();
    for raw in &a.horizons {
        horizons.push(
            raw.parse()
                .map_err(|e| anyhow::anyhow!("--horizons: {e}"))?,
        );
    }
    let time = |flag: &str, v: &Option<String>| -> Result<Option<TimestampMs>> {
        v.as_deref()
            .map(|s| TimestampMs::parse_user(s).map_err(|e| anyhow::anyhow!("{flag}: {e}")))
            .transpose()
    };
    let stop_loss = a.stop_loss.as_deref().map(parse_distance).transpose()?;
    let out = a.out.clone().unwrap_or_else(|| default_out(&a.candles));
    Ok(Plan {
        candles: a.candles,
        mark: a.mark,
        funding: a.funding.clone(),
        settings: Settings {
            leverages,
            sides,
            notional: Usd(notional),
            stop_loss,
            funding: a.funding.is_some(),
            bars: None,
        },
        horizons,
        from: time("--from", &a.from)?,
        to: time("--to", &a.to)?,
        out,
        quiet: a.quiet,
    })
}

/// `2%` or `0.02` → 0.02. A bare number of 1 or more is refused: it is ambiguous (percent or fraction).
fn parse_distance(raw: &str) -> Result<f64> {
    let t = raw.trim();
    let (num, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 0.01),
        None => (t, 1.0),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| anyhow::anyhow!("--stop-loss: '{raw}' is not a distance; write 2% or 0.02"))?;
    let d = v * scale;
    // A bare `2` would be 200%: refused here too, with the two spellings that work.
    if !(d > 0.0 && d < 1.0) {
        bail!(
            "--stop-loss: '{raw}' must lie between 0 and 100% of the entry price; write 2% or 0.02"
        );
    }
    Ok(d)
}

fn default_out(candles: &Path) -> PathBuf {
    let stem = candles
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("data");
    PathBuf::from("reports").join(format!("survival-{stem}"))
}

fn bar_range(
    m: &MarketData,
    from: Option<TimestampMs>,
    to: Option<TimestampMs>,
) -> Result<std::ops::Range<usize>> {
    let c = &m.candles;
    let a = from.map_or(0, |t| c.index_at_or_after(t));
    let b = to.map_or(c.len(), |t| c.index_at_or_after(t));
    if a >= b {
        bail!(
            "{}: no bars between --from and --to (the file spans {}); widen the span",
            c.source,
            span(&c.time)
        );
    }
    Ok(a..b)
}

fn describe(m: &MarketData, map: &SurvivalMap, s: &Settings) -> String {
    let c = &m.candles;
    let price = if map.last_price_proxy {
        "LAST price (no mark file: over-liquidates on wicks)".to_string()
    } else if map.bars_without_mark > 0 {
        let n = map.bars_without_mark;
        let count = crate::report::charts::style::thousands(n as f64, 0);
        format!(
            "mark price (last price for {count} bar{} without mark)",
            if n == 1 { "" } else { "s" }
        )
    } else {
        "mark price".to_string()
    };
    let name = Path::new(&c.source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(&c.source)
        .to_string();
    format!(
        "{name} {}, {}, {} entries, isolated {} USDT, {price}{}",
        c.interval,
        span(&map.time),
        crate::report::charts::style::thousands(map.time.len() as f64, 0),
        crate::report::charts::style::thousands(s.notional.to_f64(), 0),
        if map.funding_booked {
            ", funding booked"
        } else {
            ""
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_distances_are_read_as_percent_or_fraction_and_ambiguous_ones_are_refused() {
        assert!((parse_distance("2%").unwrap() - 0.02).abs() < 1e-15);
        assert!((parse_distance("0.02").unwrap() - 0.02).abs() < 1e-15);
        assert!(
            parse_distance("2")
                .unwrap_err()
                .to_string()
                .contains("2% or 0.02")
        );
        assert!(parse_distance("-1%").is_err());
        assert!(parse_distance("two").is_err());
    }
}
