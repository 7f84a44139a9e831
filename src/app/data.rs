//! `wick data …`: inspect, convert, resample and synth (fetch lives in `fetch.rs`).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::data::{ConvertArgs, DataCommand, InspectArgs, LoadArgs, ResampleArgs, SynthArgs};
use crate::columnar;
use crate::market::inspect::FileKind;
use crate::market::{self, Candles, LoadOptions, LoadReport, MarketError, SYNTHETIC_KEY};

pub fn run(cmd: DataCommand) -> Result<()> {
    match cmd {
        DataCommand::Inspect(args) => inspect(args),
        DataCommand::Convert(args) => convert(args),
        DataCommand::Resample(args) => resample(args),
        DataCommand::Synth(args) => synth(args),
        DataCommand::Fetch(args) => super::fetch::run(args),
    }
}

fn load_options(args: &LoadArgs) -> LoadOptions {
    LoadOptions {
        columns: args.columns.clone().unwrap_or_default(),
        sort: args.sort,
        dedupe: args.dedupe,
        interval: args.interval,
    }
}

/// The repairs a load made, said out loud (nothing is reordered or dropped silently).
fn print_repairs(report: &LoadReport) {
    if report.repairs.rows_moved > 0 {
        println!(
            "{}: --sort moved {} rows",
            report.file, report.repairs.rows_moved
        );
    }
    if report.repairs.duplicates_removed > 0 {
        println!(
            "{}: --dedupe removed {} rows",
            report.file, report.repairs.duplicates_removed
        );
    }
}

fn inspect(args: InspectArgs) -> Result<()> {
    let opts = load_options(&args.load);
    let candles = match &args.against {
        Some(path) => Some(market::load_candles(path, &opts)?.candles),
        None => None,
    };
    let mut failed = 0;
    for (k, file) in args.files.iter().enumerate() {
        if k > 0 {
            println!();
        }
        let result = market::inspect::inspect(file, &opts).and_then(|found| {
            print!("{found}");
            match (&candles, found.kind) {
                (Some(c), FileKind::MarkCandles) => print_alignment(file, c, &opts),
                _ => Ok(()),
            }
        });
        if let Err(err) = result {
            eprintln!("error: {err}");
            failed += 1;
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} files could not be read (see above)",
            args.files.len()
        );
    }
    Ok(())
}

/// How a mark-price file lies on the candles given with `--against`.
fn print_alignment(file: &Path, candles: &Candles, opts: &LoadOptions) -> Result<(), MarketError> {
    let m = market::load_mark(file, candles, opts)?;
    println!(
        "  on candles:  {} covers {} of {} bars ({} without a mark bar); {} mark rows outside them",
        candles.source,
        candles.len() - m.mark.uncovered,
        candles.len(),
        m.mark.uncovered,
        m.unused_rows
    );
    Ok(())
}

/// A CSV file's only synthetic marker is its name (Parquet also keeps it in metadata).
fn warn_if_unmarked(synthetic: bool, output: &Path) {
    let named = output
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("synth-"));
    let csv = matches!(
        columnar::FileFormat::from_path(output),
        Ok(columnar::FileFormat::Csv)
    );
    if synthetic && csv && !named {
        eprintln!(
            "warning: the input is synthetic, but {} does not start with 'synth-'; \
             as CSV it will read as real data — name it synth-…",
            output.display()
        );
    }
}

fn convert(args: ConvertArgs) -> Result<()> {
    let opts = load_options(&args.load);
    if opts != LoadOptions::default() {
        return normalise(&args, &opts);
    }
    let mut table = columnar::read_table(&args.input)?;
    let synthetic_name = args
        .input
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("synth-"));
    // A synthetic CSV's only marker is its name; carry it into Parquet metadata too.
    if synthetic_name && table.metadata.iter().all(|(k, _)| k != SYNTHETIC_KEY) {
        table
            .metadata
            .push((SYNTHETIC_KEY.to_string(), "true".to_string()));
    }
    let synthetic = synthetic_name
        || table
            .metadata
            .iter()
            .any(|(k, v)| k == SYNTHETIC_KEY && v == "true");
    warn_if_unmarked(synthetic, &args.output);
    columnar::write_table(&args.output, &table)?;
    println!(
        "wrote {}: {} rows, {} columns ({})",
        args.output.display(),
        table.rows(),
        table.columns.len(),
        table
            .columns
            .iter()
            .map(|(n, c)| format!("{n}: {}", c.type_name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// `convert` with load options: validate as market data and write wick's own layout.
fn normalise(args: &ConvertArgs, opts: &LoadOptions) -> Result<()> {
    let (rows, report) = if market::inspect::detect_kind(&args.input, opts)? == FileKind::Funding {
        let loaded = market::load_funding(&args.input, opts)?;
        let table = market::funding_table(&loaded.funding, loaded.report.synthetic);
        warn_if_unmarked(loaded.report.synthetic, &args.output);
        columnar::write_table_owned(&args.output, table)?;
        (loaded.funding.len(), loaded.report)
    } else {
        let loaded = market::load_candles(&args.input, opts)?;
        warn_if_unmarked(loaded.report.synthetic, &args.output);
        market::write_candles(&args.output, &loaded.candles)?;
        (loaded.candles.len(), loaded.report)
    };
    print_repairs(&report);
    let cols: Vec<String> = report
        .columns
        .iter()
        .map(|(r, n)| format!("{}={n}", r.name()))
        .collect();
    println!(
        "wrote {}: {rows} validated rows in wick's layout (read {}; times in {})",
        args.output.display(),
        cols.join(", "),
        report.time_unit
    );
    Ok(())
}

fn resample(args: ResampleArgs) -> Result<()> {
    let loaded = market::load_candles(&args.input, &load_options(&args.load))?;
    print_repairs(&loaded.report);
    let out = market::resample(&loaded.candles, args.to, args.keep_partial)?;
    warn_if_unmarked(out.candles.synthetic, &args.output);
    market::write_candles(&args.output, &out.candles)?;
    println!(
        "wrote {}: {} bars of {} from {} bars of {} ({})",
        args.output.display(),
        out.candles.len(),
        args.to,
        loaded.candles.len(),
        loaded.candles.interval,
        market::span(&out.candles.time)
    );
    if !out.partial.is_empty() {
        let verb = if out.kept_partial {
            "kept (--keep-partial)"
        } else {
            "left out (use --keep-partial to keep them)"
        };
        println!("{} buckets lack bars and were {verb}:", out.partial.len());
        for p in out.partial.iter().take(10) {
            println!("  {}: {} of {} bars", p.start, p.bars, p.expected);
        }
        if out.partial.len() > 10 {
            println!("  … and {} more", out.partial.len() - 10);
        }
    }
    if !out.candles.gaps.is_empty() {
        println!(
            "the result has {} gaps (buckets with no bars at all, or left out)",
            out.candles.gaps.len()
        );
    }
    Ok(())
}

fn synth(args: SynthArgs) -> Result<()> {
    if args.bars == 0 {
        bail!("--bars must be at least 1");
    }
    if !(args.price.is_finite() && args.price > 0.0) {
        bail!(
            "--price must be a positive number of USDT, got {}",
            args.price
        );
    }
    if !(args.vol > 0.0 && args.vol <= 5.0) {
        bail!(
            "--vol is an annualised volatility between 0 and 5 (BTC: 0.6–0.8), got {}",
            args.vol
        );
    }
    let params = market::synth::SynthParams {
        bars: args.bars,
        interval: args.interval,
        seed: args.seed,
        start: args.start,
        start_price: args.price,
        annual_vol: args.vol,
    };
    let paths = market::synth::paths_for(&args.out, &params);
    if let Some(dir) = paths.candles.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    let s = market::synth::generate(&params);
    let (bars, interval, span) = (
        s.candles.len(),
        s.candles.interval,
        market::span(&s.candles.time),
    );
    let settlements = s.funding.len();
    market::synth::write_owned(s, &paths)?;
    println!(
        "synthetic market, seed {} ({bars} bars of {interval}, {span})",
        args.seed
    );
    println!("  candles: {}", paths.candles.display());
    println!("  mark:    {}", paths.mark.display());
    println!(
        "  funding: {} ({settlements} settlements)",
        paths.funding.display()
    );
    Ok(())
}
