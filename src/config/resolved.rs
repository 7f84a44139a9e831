//! Settings back to a strategy file: every key written out, so that the `config.toml` a run
//! writes into its report folder is itself a strategy file that replays the same run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Serialize, Serializer};

use super::file::{
    AccountFile, DataFile, ExecutionFile, OptionalFraction, RangeFile, RiskFile, SizingFile,
    StrategyFile, SweepFile,
};
use super::strategy_table::table_of;
use super::{RunSettings, Sizing, SweepSpec};
use crate::domain::{Rate, TimestampMs};

impl RunSettings {
    /// These settings as a strategy file. Data paths are made absolute (against the current
    /// folder), because the file may be read from another folder (a report folder).
    pub fn to_file(&self) -> StrategyFile {
        let (a, r, e) = (&self.account, &self.risk, &self.execution);
        StrategyFile {
            name: Some(self.name.clone()),
            data: DataFile {
                candles: absolute(&self.data.candles),
                mark: self.data.mark.as_deref().map(absolute),
                funding: self.data.funding.as_deref().map(absolute),
                detail: self.data.detail.as_deref().map(absolute),
            },
            strategy: table_of(&self.strategy),
            account: AccountFile {
                initial_capital: Some(float(a.initial_capital.get())),
                leverage: Some(float(a.leverage.get())),
                sizing: Some(sizing(a.sizing)),
                margin_mode: Some(a.margin_mode),
                venue: Some(a.venue),
                min_order_notional: Some(float(a.min_order_notional.get())),
                negative_balance: Some(a.negative_balance),
                cross_clearance_rate: Some(float(a.cross_clearance_rate.get())),
            },
            risk: RiskFile {
                stop_loss: r.stop_loss.map(rate),
                take_profit: r.take_profit.map(rate),
                trailing_stop: r.trailing_stop.map(rate),
            },
            execution: ExecutionFile {
                maker_fee: Some(rate(e.maker_fee)),
                taker_fee: Some(rate(e.taker_fee)),
                slippage_bps: Some(float(e.slippage.get() * Decimal::from(10_000))),
                intrabar: Some(e.intrabar),
            },
            range: RangeFile {
                from: self.range.from.map(time),
                to: self.range.to.map(time),
            },
            sweep: self.sweep.as_ref().map(sweep),
        }
    }

    /// [`RunSettings::to_file`] as TOML text.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(&self.to_file())
    }
}

/// Settings serialise as the strategy file they amount to (TOML for `config.toml`, the same
/// shape in JSON summaries).
impl Serialize for RunSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_file().serialize(serializer)
    }
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| PathBuf::from(p))
        .display()
        .to_string()
}

/// A decimal as the float that prints as the same digits (files hold plain TOML numbers).
fn float(d: Decimal) -> f64 {
    d.normalize()
        .to_string()
        .parse()
        .unwrap_or_else(|_| d.to_f64().unwrap_or(f64::NAN))
}

fn rate(r: Rate) -> f64 {
    float(r.get())
}

fn time(t: TimestampMs) -> toml::Value {
    toml::Value::String(t.to_human())
}

fn sizing(s: Sizing) -> SizingFile {
    match s {
        Sizing::MarginFraction(f) => SizingFile::MarginFraction(float(f)),
        Sizing::NotionalFraction(f) => SizingFile::NotionalFraction(float(f)),
    }
}

fn sweep(s: &SweepSpec) -> SweepFile {
    let stops = |v: &Option<Vec<Option<Rate>>>| {
        v.as_ref().map(|list| {
            let word = || OptionalFraction::Word("none".to_string());
            list.iter()
                .map(|r| r.map_or_else(word, |r| OptionalFraction::Fraction(rate(r))))
                .collect()
        })
    };
    SweepFile {
        leverage: s
            .leverage
            .as_ref()
            .map(|l| l.iter().map(|x| float(x.get())).collect()),
        stop_loss: stops(&s.stop_loss),
        take_profit: stops(&s.take_profit),
        trailing_stop: stops(&s.trailing_stop),
        margin_mode: s.margin_mode.clone(),
        sizing: s
            .sizing
            .as_ref()
            .map(|l| l.iter().map(|&x| sizing(x)).collect()),
        intrabar: s.intrabar.clone(),
        params: (!s.params.is_empty())
            .then(|| s.params.iter().cloned().collect::<BTreeMap<_, _>>()),
    }
}
