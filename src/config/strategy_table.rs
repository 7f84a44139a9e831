//! The `[strategy]` table: `kind` picks the built-in, the other keys are its parameters.
//!
//! Read in two steps (the kind, then that kind's parameters) rather than as one serde-tagged
//! enum, because a tagged enum buffers the table and its errors would lose the parameter's name;
//! this way a wrong type says `in \`fast\``.

use serde::de::DeserializeOwned;

use super::error::Problem;
use crate::strategy::{StrategySpec, StrategySpec as S};

/// Where a `[strategy]` table went wrong: the key, the value as written, and the problem.
pub(crate) struct TableError {
    pub key: String,
    pub value: String,
    pub problem: Problem,
}

/// The strategy a `[strategy]` table describes; parameters left out take their defaults.
/// Types and names are checked here; whether the values work together is `StrategySpec::validate`.
pub(crate) fn spec_from_table(table: &toml::Table) -> Result<StrategySpec, TableError> {
    let kinds = StrategySpec::KINDS.join(", ");
    let kind = match table.get("kind") {
        Some(toml::Value::String(k)) => k.as_str(),
        Some(other) => {
            let problem = Problem::new(
                "the kind is a name in quotes",
                format!("write one of {kinds}"),
            );
            return Err(TableError {
                key: "[strategy] kind".into(),
                value: other.to_string(),
                problem,
            });
        }
        None => {
            let problem = Problem::new(
                "every strategy file names its strategy",
                format!("write kind = \"sma_crossover\" (or one of {kinds})"),
            );
            return Err(TableError {
                key: "[strategy] kind".into(),
                value: "(missing)".into(),
                problem,
            });
        }
    };
    let Some(default) = StrategySpec::default_for(kind) else {
        let problem = Problem::new("not a built-in strategy", format!("write one of {kinds}"));
        return Err(TableError {
            key: "[strategy] kind".into(),
            value: format!("\"{kind}\""),
            problem,
        });
    };
    let mut params = table.clone();
    params.remove("kind");
    let params = toml::Value::Table(params);
    let parsed = match default {
        S::BuyAndHold(_) => read(params).map(S::BuyAndHold),
        S::SmaCrossover(_) => read(params).map(S::SmaCrossover),
        S::EmaCrossover(_) => read(params).map(S::EmaCrossover),
        S::DonchianBreakout(_) => read(params).map(S::DonchianBreakout),
        S::RsiMeanReversion(_) => read(params).map(S::RsiMeanReversion),
        S::FundingCarry(_) => read(params).map(S::FundingCarry),
    };
    parsed.map_err(|message| {
        let known = parameter_names(&default).join(", ");
        TableError {
            key: "[strategy] kind".into(),
            value: format!("\"{kind}\""),
            problem: Problem::new(message, format!("the parameters of {kind} are: {known}")),
        }
    })
}

/// The parameter keys of a strategy, as written in files.
pub(crate) fn parameter_names(spec: &StrategySpec) -> Vec<String> {
    match toml::Value::try_from(spec) {
        Ok(toml::Value::Table(t)) => t.keys().filter(|k| *k != "kind").cloned().collect(),
        _ => Vec::new(),
    }
}

/// The table of a strategy (with its `kind`), as a file would hold it.
pub(crate) fn table_of(spec: &StrategySpec) -> toml::Table {
    match toml::Value::try_from(spec) {
        Ok(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    }
}

fn read<T: DeserializeOwned>(params: toml::Value) -> Result<T, String> {
    // toml puts "in `key`" on a second line; one line reads better inside our message.
    params.try_into::<T>().map_err(|e| {
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}
