//! From the file as written to validated [`RunSettings`]: defaults filled in from
//! `RunSettings::default()`, paths resolved against the file's folder, every value checked.

use std::path::{Path, PathBuf};

use super::checks::{self, decimal};
use super::error::{ConfigError, Problem};
use super::file::{AccountFile, ExecutionFile, RangeFile, RiskFile, StrategyFile};
use super::strategy_table::spec_from_table;
use super::{
    AccountSettings, DataPaths, ExecutionSettings, IntrabarPolicy, RiskSettings, RunSettings,
    SweepSpec, TimeRange,
};

/// Validate `file`, read from `path`.
pub(crate) fn settings(file: StrategyFile, path: &Path) -> Result<RunSettings, ConfigError> {
    let origin = path.display().to_string();
    let origin = origin.as_str();
    let defaults = RunSettings::default();
    let name = match file.name {
        Some(n) => n,
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(defaults.name),
    };
    check_name(&name).map_err(|p| p.at(origin, "name", format!("\"{name}\"")))?;

    let folder = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: &str| -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            folder.join(p)
        }
    };
    let data = DataPaths {
        candles: resolve(&file.data.candles),
        mark: file.data.mark.as_deref().map(resolve),
        funding: file.data.funding.as_deref().map(resolve),
        detail: file.data.detail.as_deref().map(resolve),
    };

    let strategy =
        spec_from_table(&file.strategy).map_err(|e| e.problem.at(origin, &e.key, e.value))?;
    strategy.validate().map_err(|e| {
        let problem = format!("not a working {} parameter", strategy.kind());
        Problem::new(problem, e.fix).at(origin, &format!("[strategy] {}", e.key), e.value)
    })?;

    let account = account(&file.account, defaults.account, origin)?;
    let risk = risk(&file.risk, origin)?;
    let execution = execution(&file.execution, defaults.execution, origin)?;
    if execution.intrabar == IntrabarPolicy::Detail && data.detail.is_none() {
        return Err(Problem::new(
            "detail replays ambiguous bars on lower-timeframe candles, and [data] has no detail file",
            "add detail = \"path/to/1m.csv\" under [data], or choose pessimistic, optimistic or ohlc",
        )
        .at(origin, "[execution] intrabar", "\"detail\""));
    }
    let range = range(&file.range, origin)?;
    let sweep = match &file.sweep {
        Some(s) => Some(SweepSpec::from_file(s, &strategy, origin)?),
        None => None,
    };
    Ok(RunSettings {
        name,
        source: path.to_path_buf(),
        data,
        strategy,
        account,
        risk,
        execution,
        range,
        sweep,
    })
}

/// The name becomes a folder under `reports/`, so it must be one plain path component.
pub(crate) fn check_name(name: &str) -> Result<(), Problem> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.starts_with('.') || !name.chars().all(plain) {
        return Err(Problem::new(
            "the name becomes the report folder, so it may hold only letters, digits, '-', '_' and '.'",
            "write e.g. name = \"sma-20-100\"",
        ));
    }
    Ok(())
}

/// Check an optional number from the file with `check`, or take the default.
fn num<T>(
    raw: Option<f64>,
    default: T,
    check: impl Fn(rust_decimal::Decimal) -> Result<T, Problem>,
    origin: &str,
    key: &str,
) -> Result<T, ConfigError> {
    match raw {
        None => Ok(default),
        Some(v) => decimal(v).and_then(check).map_err(|p| p.at(origin, key, v)),
    }
}

/// An optional order distance: absent stays absent.
fn opt<T>(
    raw: Option<f64>,
    check: impl Fn(rust_decimal::Decimal) -> Result<T, Problem>,
    origin: &str,
    key: &str,
) -> Result<Option<T>, ConfigError> {
    raw.map(|v| {
        decimal(v)
            .and_then(&check)
            .map_err(|p| p.at(origin, key, v))
    })
    .transpose()
}

fn account(
    a: &AccountFile,
    d: AccountSettings,
    origin: &str,
) -> Result<AccountSettings, ConfigError> {
    let sizing = match a.sizing {
        None => d.sizing,
        Some(s) => checks::sizing(s)
            .map_err(|p| p.at(origin, "[account] sizing", super::show_sizing(s)))?,
    };
    Ok(AccountSettings {
        initial_capital: num(
            a.initial_capital,
            d.initial_capital,
            checks::positive_usd,
            origin,
            "[account] initial_capital",
        )?,
        leverage: num(
            a.leverage,
            d.leverage,
            checks::leverage,
            origin,
            "[account] leverage",
        )?,
        sizing,
        margin_mode: a.margin_mode.unwrap_or(d.margin_mode),
        venue: a.venue.unwrap_or(d.venue),
        min_order_notional: num(
            a.min_order_notional,
            d.min_order_notional,
            checks::non_negative_usd,
            origin,
            "[account] min_order_notional",
        )?,
        negative_balance: a.negative_balance.unwrap_or(d.negative_balance),
        cross_clearance_rate: num(
            a.cross_clearance_rate,
            d.cross_clearance_rate,
            checks::clearance_rate,
            origin,
            "[account] cross_clearance_rate",
        )?,
    })
}

fn risk(r: &RiskFile, origin: &str) -> Result<RiskSettings, ConfigError> {
    Ok(RiskSettings {
        stop_loss: opt(
            r.stop_loss,
            checks::stop_fraction,
            origin,
            "[risk] stop_loss",
        )?,
        take_profit: opt(
            r.take_profit,
            checks::take_profit_fraction,
            origin,
            "[risk] take_profit",
        )?,
        trailing_stop: opt(
            r.trailing_stop,
            checks::stop_fraction,
            origin,
            "[risk] trailing_stop",
        )?,
    })
}

fn execution(
    e: &ExecutionFile,
    d: ExecutionSettings,
    origin: &str,
) -> Result<ExecutionSettings, ConfigError> {
    Ok(ExecutionSettings {
        maker_fee: num(
            e.maker_fee,
            d.maker_fee,
            |v| checks::fee(v, true),
            origin,
            "[execution] maker_fee",
        )?,
        taker_fee: num(
            e.taker_fee,
            d.taker_fee,
            |v| checks::fee(v, false),
            origin,
            "[execution] taker_fee",
        )?,
        slippage: num(
            e.slippage_bps,
            d.slippage,
            checks::slippage_bps,
            origin,
            "[execution] slippage_bps",
        )?,
        intrabar: e.intrabar.unwrap_or(d.intrabar),
    })
}

fn range(r: &RangeFile, origin: &str) -> Result<TimeRange, ConfigError> {
    let parse = |v: &Option<toml::Value>, key: &str| {
        v.as_ref()
            .map(|v| checks::time(v).map_err(|p| p.at(origin, key, checks::show(v))))
            .transpose()
    };
    let range = TimeRange {
        from: parse(&r.from, "[range] from")?,
        to: parse(&r.to, "[range] to")?,
    };
    check_range(range).map_err(|p| {
        p.at(
            origin,
            "[range] to",
            range.to.map(|t| t.to_human()).unwrap_or_default(),
        )
    })?;
    Ok(range)
}

/// `to` is exclusive, so it must come after `from`.
pub(crate) fn check_range(r: TimeRange) -> Result<(), Problem> {
    if let (Some(from), Some(to)) = (r.from, r.to)
        && to <= from
    {
        return Err(Problem::new(
            format!(
                "the range ends before it starts (from = {})",
                from.to_human()
            ),
            "write a `to` later than `from`; `to` is exclusive",
        ));
    }
    Ok(())
}
