//! Build the [`SurvivalMap`]: one parallel job per (side, leverage), each answering every entry bar
//! with O(log n) first-passage queries on trees built once per side and shared by all leverages.

use std::ops::Range;

use rayon::prelude::*;

use super::SurvivalError;
use super::funding::FundingSums;
use super::levels;
use super::map::{LevelSegment, Outcome, SeriesOutcomes, SurvivalMap};
use super::passage::{FundingDrift, Path, Scanner, first_passage_brute};
use crate::domain::{Leverage, Side, Usd};
use crate::exchange::BracketSchedule;
use crate::market::MarketData;

/// What to compute. Every default lives in [`Settings::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub leverages: Vec<Leverage>,
    pub sides: Vec<Side>,
    /// Position size in quote currency; it picks the maintenance bracket (exchange-rules §1.1).
    pub notional: Usd,
    /// Stop-loss distance from entry as a fraction (0.02 = 2%), on the last price (§3, §5).
    pub stop_loss: Option<f64>,
    /// Book funding against the isolated wallet (needs `MarketData::funding`), which moves the
    /// liquidation price after every settlement (§2.3).
    pub funding: bool,
    /// Bars used, entries and price path alike (`None`: all).
    pub bars: Option<Range<usize>>,
}

impl Default for Settings {
    fn default() -> Self {
        use rust_decimal_macros::dec;
        Settings {
            leverages: [2, 3, 5, 10, 20, 50, 100, 125]
                .into_iter()
                .map(|l| Leverage(l.into()))
                .collect(),
            sides: vec![Side::Long, Side::Short],
            notional: Usd(dec!(10000)),
            stop_loss: None,
            funding: false,
            bars: None,
        }
    }
}

/// How first passages are found: the tree (the product) or the O(n²) scan (the reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Tree,
    BruteForce,
}

/// The liquidation map of `market` under `schedule`, with the fast algorithm.
pub fn liquidation_map(
    market: &MarketData,
    schedule: &BracketSchedule,
    settings: &Settings,
) -> Result<SurvivalMap, SurvivalError> {
    liquidation_map_with(market, schedule, settings, Method::Tree)
}

/// The price arrays one computation reads, cut to the bars used.
struct Inputs<'a> {
    time: &'a [i64],
    open: &'a [f64],
    last_low: &'a [f64],
    last_high: &'a [f64],
    /// Mark extremes with the last price standing in where the mark has no candle.
    mark_low: Vec<f64>,
    mark_high: Vec<f64>,
    mark_open: Vec<f64>,
    bars_without_mark: usize,
}

pub fn liquidation_map_with(
    market: &MarketData,
    schedule: &BracketSchedule,
    settings: &Settings,
    method: Method,
) -> Result<SurvivalMap, SurvivalError> {
    let c = &market.candles;
    let range = settings.bars.clone().unwrap_or(0..c.len());
    if range.is_empty() || range.end > c.len() {
        return Err(SurvivalError::NoBars {
            file: c.source.clone(),
        });
    }
    if settings.leverages.is_empty() || settings.sides.is_empty() {
        return Err(SurvivalError::NothingToCompute);
    }
    if let Some(d) = settings.stop_loss
        && !(d > 0.0 && d < 1.0)
    {
        return Err(SurvivalError::BadStopLoss(d));
    }
    let inputs = inputs(market, range.clone());
    let funding = match (settings.funding, &market.funding) {
        (false, _) => None,
        (true, Some(f)) => Some(FundingSums::new(
            f,
            inputs.time,
            c.interval.ms(),
            &inputs.mark_open,
        )),
        (true, None) => return Err(SurvivalError::FundingWithoutFile),
    };
    let jobs: Vec<(Side, Leverage)> = settings
        .sides
        .iter()
        .flat_map(|&s| settings.leverages.iter().map(move |&l| (s, l)))
        .collect();
    let mut before_first_table = 0;
    let planned: Vec<(Side, Leverage, Vec<LevelSegment>)> = jobs
        .iter()
        .map(|&(side, lev)| {
            let (segs, before) =
                levels::segments(schedule, inputs.time, side, lev, settings.notional);
            before_first_table = before;
            (side, lev, segs)
        })
        .collect();
    let finders = Finders::build(
        &inputs,
        funding.as_ref(),
        &planned,
        settings.stop_loss.is_some(),
        method,
    );
    let series: Vec<SeriesOutcomes> = planned
        .into_par_iter()
        .map(|(side, lev, segs)| {
            let outcomes = outcomes_for(&inputs, &finders, side, &segs, settings.stop_loss);
            SeriesOutcomes::from_outcomes(side, lev, segs, &outcomes)
        })
        .collect();
    Ok(SurvivalMap {
        time: inputs.time.to_vec(),
        entry_price: inputs.open.to_vec(),
        interval_ms: c.interval.ms(),
        end_ms: inputs.time[inputs.time.len() - 1] + c.interval.ms(),
        series,
        bars_without_mark: inputs.bars_without_mark,
        last_price_proxy: market.mark.is_none(),
        bars_before_first_table: before_first_table,
        funding_booked: funding.is_some(),
    })
}

fn inputs(market: &MarketData, r: Range<usize>) -> Inputs<'_> {
    let c = &market.candles;
    let mut out = Inputs {
        time: &c.time[r.clone()],
        open: &c.open[r.clone()],
        last_low: &c.low[r.clone()],
        last_high: &c.high[r.clone()],
        mark_low: c.low[r.clone()].to_vec(),
        mark_high: c.high[r.clone()].to_vec(),
        mark_open: c.open[r.clone()].to_vec(),
        bars_without_mark: r.len(),
    };
    if let Some(m) = &market.mark {
        out.bars_without_mark = 0;
        for (k, i) in r.enumerate() {
            // Liquidation is triggered by the mark price (exchange-rules §1.3); where the mark file has
            // no candle, the last price stands in and the bar is counted (the output says how many).
            if m.is_covered(i) {
                out.mark_low[k] = m.low[i];
                out.mark_high[k] = m.high[i];
                out.mark_open[k] = m.open[i];
            } else {
                out.bars_without_mark += 1;
            }
        }
    }
    out
}

/// A first-passage finder over one path: the tree or the oracle.
enum Finder<'a> {
    Tree(Scanner<'a>),
    Brute(Path<'a>),
}

impl Finder<'_> {
    fn path(&self) -> &Path<'_> {
        match self {
            Finder::Tree(s) => s.path(),
            Finder::Brute(p) => p,
        }
    }

    fn first(&self, i: usize, level: f64) -> Option<usize> {
        match self {
            Finder::Tree(s) => s.first_passage(i, level),
            Finder::Brute(p) => first_passage_brute(p, i, level),
        }
    }
}

/// Every finder the jobs need: liquidation per (side, funding slope), stop per side.
struct Finders<'a> {
    liq: Vec<(Side, u64, Finder<'a>)>,
    stop: Vec<(Side, Finder<'a>)>,
}

impl<'a> Finders<'a> {
    fn build(
        inp: &'a Inputs<'a>,
        funding: Option<&'a FundingSums>,
        planned: &[(Side, Leverage, Vec<LevelSegment>)],
        with_stop: bool,
        method: Method,
    ) -> Finders<'a> {
        let make = |path: Path<'a>| match method {
            Method::Tree => Finder::Tree(Scanner::new(path)),
            Method::BruteForce => Finder::Brute(path),
        };
        let mut keys: Vec<(Side, u64)> = Vec::new();
        for (side, _, segs) in planned {
            for seg in segs {
                let key = (*side, slope(*side, seg, funding.is_some()).to_bits());
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let liq_paths: Vec<(Side, u64, Path<'a>)> = keys
            .into_iter()
            .map(|(side, bits)| {
                let price = match side {
                    Side::Long => &inp.mark_low[..],
                    Side::Short => &inp.mark_high[..],
                };
                let drift = funding.map(|f| FundingDrift {
                    slope: f64::from_bits(bits),
                    through: &f.through,
                    before: &f.before,
                });
                (
                    side,
                    bits,
                    Path {
                        sign: side.sign_f64(),
                        price,
                        drift,
                    },
                )
            })
            .collect();
        let mut sides: Vec<Side> = planned.iter().map(|p| p.0).collect();
        sides.dedup();
        let stop_paths: Vec<(Side, Path<'a>)> = if with_stop {
            sides
                .iter()
                .map(|&side| {
                    let price = if side == Side::Long {
                        inp.last_low
                    } else {
                        inp.last_high
                    };
                    (
                        side,
                        Path {
                            sign: side.sign_f64(),
                            price,
                            drift: None,
                        },
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        // Trees are independent: build them in parallel (they dominate the set-up time).
        let liq = liq_paths
            .into_par_iter()
            .map(|(s, b, p)| (s, b, make(p)))
            .collect();
        let stop = stop_paths
            .into_par_iter()
            .map(|(s, p)| (s, make(p)))
            .collect();
        Finders { liq, stop }
    }

    fn liquidation(&self, side: Side, slope_bits: u64) -> &Finder<'a> {
        let hit = self
            .liq
            .iter()
            .find(|(s, b, _)| *s == side && *b == slope_bits);
        // Every (side, slope) of every segment was registered in `build`.
        &hit.expect("a finder exists for every planned side and slope")
            .2
    }

    fn stop(&self, side: Side) -> Option<&Finder<'a>> {
        self.stop.iter().find(|(s, _)| *s == side).map(|(_, f)| f)
    }
}

/// How far the liquidation price moves per unit of funding sum `S` (see `survival::funding`); zero
/// when funding is not booked.
fn slope(side: Side, seg: &LevelSegment, funding: bool) -> f64 {
    if !funding {
        return 0.0;
    }
    let s = side.sign_f64();
    -s / (seg.mmr - s)
}

fn outcomes_for(
    inp: &Inputs<'_>,
    finders: &Finders<'_>,
    side: Side,
    segs: &[LevelSegment],
    stop: Option<f64>,
) -> Vec<Outcome> {
    let n = inp.time.len();
    let mut out = vec![Outcome::Survived; n];
    let funding_on = finders.liq.iter().any(|(_, _, f)| f.path().drift.is_some());
    let sign = side.sign_f64();
    for (k, seg) in segs.iter().enumerate() {
        let end = segs.get(k + 1).map_or(n, |s| s.from_bar);
        let liq = finders.liquidation(side, slope(side, seg, funding_on).to_bits());
        let stopper = finders.stop(side);
        out[seg.from_bar..end]
            .par_chunks_mut(4096)
            .enumerate()
            .for_each(|(chunk, slots)| {
                let first = seg.from_bar + chunk * 4096;
                for (off, slot) in slots.iter_mut().enumerate() {
                    let i = first + off;
                    if !seg.allowed {
                        *slot = Outcome::NotOpened;
                        continue;
                    }
                    // A NaN level is never reached (passage::Path::hits).
                    let level = seg.ratio.map_or(f64::NAN, |r| inp.open[i] * r);
                    let liq_bar = liq.first(i, level);
                    let stop_bar = match (stop, stopper) {
                        (Some(d), Some(f)) => {
                            let stop_level = inp.open[i] * (1.0 - sign * d);
                            // A stop at or beyond the liquidation price can never fill (exchange-rules §5.1).
                            let dead = sign * stop_level <= sign * level;
                            if dead { None } else { f.first(i, stop_level) }
                        }
                        _ => None,
                    };
                    *slot = resolve(liq.path(), inp, i, level, liq_bar, stop_bar);
                }
            });
    }
    out
}

/// Which came first. In one bar: a mark open already beyond the liquidation price liquidates before
/// anything else (§5.1 step 2); otherwise the stop, nearer to entry, fills first (§5 rule 4).
fn resolve(
    path: &Path<'_>,
    inp: &Inputs<'_>,
    i: usize,
    level: f64,
    liq: Option<usize>,
    stop: Option<usize>,
) -> Outcome {
    match (liq, stop) {
        (None, None) => Outcome::Survived,
        (Some(l), None) => Outcome::Liquidated { bar: l },
        (None, Some(s)) => Outcome::Stopped { bar: s },
        (Some(l), Some(s)) if s < l => Outcome::Stopped { bar: s },
        (Some(l), Some(s)) if s > l => Outcome::Liquidated { bar: l },
        (Some(l), Some(_)) => {
            let gap = path.sign * inp.mark_open[l] <= path.sign * path.level_at(i, level, l);
            if gap {
                Outcome::Liquidated { bar: l }
            } else {
                Outcome::Stopped { bar: l }
            }
        }
    }
}
