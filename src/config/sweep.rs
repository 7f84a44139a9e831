//! The `[sweep]` table, validated: lists of account settings and strategy parameters to try.
//! The sweep builds the grid; this module only guarantees that every listed value is usable.

use serde::{Deserialize, Serialize};

use super::checks::{self, decimal};
use super::error::{ConfigError, Problem};
use super::file::{OptionalFraction, SweepFile};
use super::strategy_table::{parameter_names, spec_from_table, table_of};
use super::{IntrabarPolicy, MarginMode, Sizing};
use crate::domain::{Leverage, Rate};
use crate::strategy::{StrategyError, StrategySpec};

/// Values to sweep. `None` = not swept: every configuration uses the run's own value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub leverage: Option<Vec<Leverage>>,
    /// `None` inside the list = no stop-loss in that configuration.
    pub stop_loss: Option<Vec<Option<Rate>>>,
    pub take_profit: Option<Vec<Option<Rate>>>,
    pub trailing_stop: Option<Vec<Option<Rate>>>,
    pub margin_mode: Option<Vec<MarginMode>>,
    pub sizing: Option<Vec<Sizing>>,
    pub intrabar: Option<Vec<IntrabarPolicy>>,
    /// Strategy parameter → values to try, in key order. Each value alone fits the strategy's
    /// parameter type; whether a combination works is checked by [`SweepSpec::param_grid`].
    pub params: Vec<(String, Vec<toml::Value>)>,
}

/// Every combination of the swept strategy parameters that works, and those that do not
/// (e.g. `fast = 50` with `slow = 20`), each with the reason, so that nothing is dropped silently.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamGrid {
    pub specs: Vec<StrategySpec>,
    pub skipped: Vec<(StrategySpec, StrategyError)>,
}

impl SweepSpec {
    pub(crate) fn from_file(
        s: &SweepFile,
        base: &StrategySpec,
        origin: &str,
    ) -> Result<SweepSpec, ConfigError> {
        let leverage = list(&s.leverage, "[sweep] leverage", origin, |&v| {
            decimal(v)
                .and_then(checks::leverage)
                .map_err(|p| p.at(origin, "[sweep] leverage", v))
        })?;
        let stops = |raw: &Option<Vec<OptionalFraction>>, key: &str, check: fn(_) -> _| {
            list(raw, key, origin, |v| {
                optional_fraction(v, check).map_err(|p| p.at(origin, key, show(v)))
            })
        };
        let stop_loss = stops(&s.stop_loss, "[sweep] stop_loss", checks::stop_fraction)?;
        let take_profit = stops(
            &s.take_profit,
            "[sweep] take_profit",
            checks::take_profit_fraction,
        )?;
        let trailing_stop = stops(
            &s.trailing_stop,
            "[sweep] trailing_stop",
            checks::stop_fraction,
        )?;
        let sizing = list(&s.sizing, "[sweep] sizing", origin, |&v| {
            checks::sizing(v).map_err(|p| p.at(origin, "[sweep] sizing", super::show_sizing(v)))
        })?;
        let margin_mode = list(&s.margin_mode, "[sweep] margin_mode", origin, |&m| Ok(m))?;
        let intrabar = list(&s.intrabar, "[sweep] intrabar", origin, |&m| Ok(m))?;
        let mut params = Vec::new();
        for (key, values) in s.params.iter().flatten() {
            let at = format!("[sweep.params] {key}");
            if values.is_empty() {
                return Err(empty().at(origin, &at, "[]"));
            }
            for v in values {
                with_param(base, key, v).map_err(|p| p.at(origin, &at, checks::show(v)))?;
            }
            params.push((key.clone(), values.clone()));
        }
        Ok(SweepSpec {
            leverage,
            stop_loss,
            take_profit,
            trailing_stop,
            margin_mode,
            sizing,
            intrabar,
            params,
        })
    }

    /// The strategies of every combination of `params`, starting from `base` (just `base` when no
    /// parameter is swept).
    pub fn param_grid(&self, base: &StrategySpec) -> ParamGrid {
        let mut combos = vec![base.clone()];
        for (key, values) in &self.params {
            let mut next = Vec::with_capacity(combos.len() * values.len());
            for spec in &combos {
                // Every value was checked against this strategy's parameter types at load.
                next.extend(values.iter().filter_map(|v| with_param(spec, key, v).ok()));
            }
            combos = next;
        }
        let mut grid = ParamGrid {
            specs: Vec::new(),
            skipped: Vec::new(),
        };
        for spec in combos {
            match spec.validate() {
                Ok(()) => grid.specs.push(spec),
                Err(e) => grid.skipped.push((spec, e)),
            }
        }
        grid
    }
}

/// `spec` with one parameter replaced by `value` (types checked, combination not validated).
pub(crate) fn with_param(
    spec: &StrategySpec,
    key: &str,
    value: &toml::Value,
) -> Result<StrategySpec, Problem> {
    let known = parameter_names(spec);
    if !known.iter().any(|k| k == key) {
        return Err(Problem::new(
            format!("{} has no parameter `{key}`", spec.kind()),
            format!("sweep one of: {}", known.join(", ")),
        ));
    }
    let mut table = table_of(spec);
    table.insert(key.to_string(), value.clone());
    spec_from_table(&table).map_err(|e| {
        Problem::new(
            e.problem.problem,
            format!("give values of the same type as `{key}` in [strategy]"),
        )
    })
}

fn list<R, T>(
    raw: &Option<Vec<R>>,
    key: &str,
    origin: &str,
    each: impl Fn(&R) -> Result<T, ConfigError>,
) -> Result<Option<Vec<T>>, ConfigError> {
    let Some(values) = raw else { return Ok(None) };
    if values.is_empty() {
        return Err(empty().at(origin, key, "[]"));
    }
    values
        .iter()
        .map(each)
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

fn empty() -> Problem {
    Problem::new(
        "an empty list sweeps nothing",
        "give at least one value, or remove the key",
    )
}

fn optional_fraction(
    v: &OptionalFraction,
    check: fn(rust_decimal::Decimal) -> Result<Rate, Problem>,
) -> Result<Option<Rate>, Problem> {
    match v {
        OptionalFraction::Fraction(f) => decimal(*f).and_then(check).map(Some),
        OptionalFraction::Word(w) if w.eq_ignore_ascii_case("none") => Ok(None),
        OptionalFraction::Word(_) => Err(Problem::new(
            "not a fraction of the price",
            "write a fraction such as 0.02, or \"none\" for no order",
        )),
    }
}

fn show(v: &OptionalFraction) -> String {
    match v {
        OptionalFraction::Fraction(f) => f.to_string(),
        OptionalFraction::Word(w) => format!("\"{w}\""),
    }
}
