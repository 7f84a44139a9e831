//! Which level a bar reaches first (issue 4, step 3), as a pure function on f64 prices.
//!
//! Everything here works in the *long view*: a short position's prices are negated, so that for both
//! sides the adverse extreme is the low, the favourable extreme the high, stops and the liquidation
//! price lie below, the take-profit above. The engine converts once per event; the per-bar code never
//! branches on the side.
//!
//! Rules applied (issue 4 step 3; exchange-rules §5):
//! * stops, take-profit and trailing stop trigger on the last price, liquidation on the mark price;
//!   touching a level counts;
//! * of two adverse levels the nearer is reached first: a stop above the liquidation price (long
//!   view) fills at the stop, a stop at or below it can never fill (the mark reaches the liquidation
//!   price first, §5.1);
//! * a favourable and an adverse level inside the same bar make the bar *ambiguous*; the policy
//!   decides (`pessimistic`: adverse first; `optimistic`: favourable first; `ohlc`: walk the path);
//! * a trailing stop trails the best price of *earlier* bars; only `ohlc` (and `detail`, bar by
//!   lower-timeframe bar) lets this bar's extreme move it within the bar.

use crate::config::IntrabarPolicy as Intrabar;

/// A bar in the long view: `l` is the adverse extreme, `h` the favourable one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BarView {
    pub o: f64,
    pub h: f64,
    pub l: f64,
    pub c: f64,
    /// Mark low (adverse mark extreme) in the long view.
    pub mark_l: f64,
}

impl BarView {
    /// `long`: the prices as they are; short: negated, high and low swapped.
    pub fn new(long: bool, o: f64, h: f64, l: f64, c: f64, mark_h: f64, mark_l: f64) -> BarView {
        if long {
            BarView { o, h, l, c, mark_l }
        } else {
            BarView {
                o: -o,
                h: -l,
                l: -h,
                c: -c,
                mark_l: -mark_h,
            }
        }
    }
}

/// The levels of an open position in the long view. Absent levels are ±infinity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Levels {
    pub stop: f64,
    /// Liquidation price (−∞ when the position cannot be liquidated).
    pub liq: f64,
    pub take_profit: f64,
    /// Trailing level = best × `trail_mult` (long view: 1 − callback for longs, 1 + callback for
    /// shorts, whose best is negative); `None` without a trailing stop.
    pub trail_mult: Option<f64>,
    /// Best price reached so far (long view), by earlier bars.
    pub best: f64,
}

impl Levels {
    pub fn trail_level(&self, best: f64) -> f64 {
        self.trail_mult.map_or(f64::NEG_INFINITY, |m| best * m)
    }
}

/// What ends a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    Stop,
    Trail,
    TakeProfit,
    Liquidation,
}

/// Where the position ended, in the long view: `price` is the level (or the open when the open was
/// already beyond it, `at_open`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Exit {
    pub hit: Hit,
    pub at_open: bool,
    /// For `Trail`: the best price the level was computed from (long view).
    pub best: f64,
}

/// The result of one bar's intrabar step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Outcome {
    pub exit: Option<Exit>,
    /// A favourable and an adverse level were both inside the bar.
    pub ambiguous: bool,
    /// Best price after the bar (only meaningful when the position survives).
    pub best: f64,
}

/// The nearer adverse stop level (stop-loss or trailing), if it can fill before liquidation.
fn live_stop(lv: &Levels, best: f64) -> Option<(f64, Hit)> {
    let trail = lv.trail_level(best);
    let (level, hit) = if lv.stop >= trail {
        (lv.stop, Hit::Stop)
    } else {
        (trail, Hit::Trail)
    };
    // A stop at or beyond the liquidation price can never fill (exchange-rules §5.1).
    (level > lv.liq).then_some((level, hit))
}

/// Step 2's stop and take-profit at the open (the gap liquidation is checked before, on the mark).
pub(crate) fn at_open(lv: &Levels, bar: &BarView) -> Option<Exit> {
    if let Some((level, hit)) = live_stop(lv, lv.best)
        && bar.o <= level
    {
        return Some(Exit {
            hit,
            at_open: true,
            best: lv.best,
        });
    }
    (bar.o >= lv.take_profit).then_some(Exit {
        hit: Hit::TakeProfit,
        at_open: true,
        best: lv.best,
    })
}

/// Is this bar ambiguous: does it reach a favourable and an adverse level?
pub(crate) fn is_ambiguous(lv: &Levels, bar: &BarView) -> bool {
    let adverse =
        live_stop(lv, lv.best).is_some_and(|(level, _)| bar.l <= level) || bar.mark_l <= lv.liq;
    adverse && bar.h >= lv.take_profit
}

/// Step 3 for one bar under `pessimistic`, `optimistic` or `ohlc` (`detail` calls this per
/// lower-timeframe bar with `Pessimistic`).
pub(crate) fn resolve(lv: &Levels, bar: &BarView, policy: Intrabar) -> Outcome {
    let ambiguous = is_ambiguous(lv, bar);
    if policy == Intrabar::Ohlc {
        return walk_path(lv, bar, ambiguous);
    }
    let best = lv.best.max(bar.h);
    let adverse = match live_stop(lv, lv.best) {
        Some((level, hit)) if bar.l <= level => Some(Exit {
            hit,
            at_open: false,
            best: lv.best,
        }),
        _ if bar.mark_l <= lv.liq => Some(Exit {
            hit: Hit::Liquidation,
            at_open: false,
            best: lv.best,
        }),
        _ => None,
    };
    let favourable = (bar.h >= lv.take_profit).then_some(Exit {
        hit: Hit::TakeProfit,
        at_open: false,
        best: lv.best,
    });
    let exit = match (adverse, favourable, policy) {
        (Some(_), Some(f), Intrabar::Optimistic) => Some(f),
        (Some(a), _, _) => Some(a),
        (None, f, _) => f,
    };
    Outcome {
        exit,
        ambiguous,
        best,
    }
}

/// `ohlc`: open → nearer extreme → farther extreme → close (a tie goes adverse first). The mark is
/// taken to reach its low on the leg that takes the last price to its low.
fn walk_path(lv: &Levels, bar: &BarView, ambiguous: bool) -> Outcome {
    let high_first = bar.h - bar.o < bar.o - bar.l;
    let path = if high_first {
        [bar.o, bar.h, bar.l, bar.c]
    } else {
        [bar.o, bar.l, bar.h, bar.c]
    };
    let mut best = lv.best;
    let mut reached_low = false;
    for leg in path.windows(2) {
        let (from, to) = (leg[0], leg[1]);
        if to < from {
            if let Some((level, hit)) = live_stop(lv, best)
                && to <= level
            {
                return Outcome {
                    exit: Some(Exit {
                        hit,
                        at_open: false,
                        best,
                    }),
                    ambiguous,
                    best,
                };
            }
            if !reached_low && to <= bar.l {
                reached_low = true;
                if bar.mark_l <= lv.liq {
                    let exit = Exit {
                        hit: Hit::Liquidation,
                        at_open: false,
                        best,
                    };
                    return Outcome {
                        exit: Some(exit),
                        ambiguous,
                        best,
                    };
                }
            }
        } else if to > from {
            if to >= lv.take_profit {
                let exit = Exit {
                    hit: Hit::TakeProfit,
                    at_open: false,
                    best,
                };
                return Outcome {
                    exit: Some(exit),
                    ambiguous,
                    best,
                };
            }
            best = best.max(to);
        }
    }
    Outcome {
        exit: None,
        ambiguous,
        best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(stop: f64, liq: f64, tp: f64) -> Levels {
        Levels {
            stop,
            liq,
            take_profit: tp,
            trail_mult: None,
            best: 100.0,
        }
    }

    fn bar(o: f64, h: f64, l: f64, c: f64) -> BarView {
        BarView::new(true, o, h, l, c, h, l)
    }

    #[test]
    fn a_stop_above_the_liquidation_price_is_reached_first() {
        let out = resolve(
            &levels(98.0, 95.0, f64::INFINITY),
            &bar(100.0, 101.0, 90.0, 92.0),
            Intrabar::Pessimistic,
        );
        assert_eq!(out.exit.unwrap().hit, Hit::Stop);
    }

    #[test]
    fn a_stop_below_the_liquidation_price_never_fills() {
        let out = resolve(
            &levels(94.0, 95.0, f64::INFINITY),
            &bar(100.0, 101.0, 90.0, 92.0),
            Intrabar::Pessimistic,
        );
        assert_eq!(out.exit.unwrap().hit, Hit::Liquidation);
    }

    #[test]
    fn pessimistic_and_optimistic_disagree_on_an_ambiguous_bar() {
        let lv = levels(98.0, 90.0, 103.0);
        let b = bar(100.0, 104.0, 97.0, 100.0);
        let p = resolve(&lv, &b, Intrabar::Pessimistic);
        let o = resolve(&lv, &b, Intrabar::Optimistic);
        assert!(p.ambiguous && o.ambiguous);
        assert_eq!(p.exit.unwrap().hit, Hit::Stop);
        assert_eq!(o.exit.unwrap().hit, Hit::TakeProfit);
    }

    #[test]
    fn ohlc_goes_to_the_nearer_extreme_first() {
        let lv = levels(98.0, 90.0, 103.0);
        // Open 100: the high 104 is 4 away, the low 97 only 3 → low first, the stop at 98 fills.
        assert_eq!(
            resolve(&lv, &bar(100.0, 104.0, 97.0, 100.0), Intrabar::Ohlc)
                .exit
                .unwrap()
                .hit,
            Hit::Stop
        );
        // The high 103.5 is 3.5 away, the low 96 is 4 away → high first, the take-profit at 103 fills.
        assert_eq!(
            resolve(&lv, &bar(100.0, 103.5, 96.0, 100.0), Intrabar::Ohlc)
                .exit
                .unwrap()
                .hit,
            Hit::TakeProfit
        );
    }

    #[test]
    fn a_trailing_stop_moves_with_earlier_bars_only_unless_the_path_is_walked() {
        let lv = Levels {
            stop: f64::NEG_INFINITY,
            liq: f64::NEG_INFINITY,
            take_profit: f64::INFINITY,
            trail_mult: Some(0.9),
            best: 100.0,
        };
        // The bar rises to 120 then closes at 105: trail from earlier bars is 90, not reached.
        let b = bar(100.0, 120.0, 99.0, 105.0);
        let p = resolve(&lv, &b, Intrabar::Pessimistic);
        assert_eq!(p.exit, None);
        assert_eq!(p.best.to_bits(), 120f64.to_bits());
        // Walking the path (open → low 99 → high 120 → close 105), the trail rises to 108 and the
        // fall to the close crosses it.
        let o = resolve(&lv, &b, Intrabar::Ohlc);
        assert_eq!(o.exit.unwrap().hit, Hit::Trail);
        assert_eq!(o.exit.unwrap().best.to_bits(), 120f64.to_bits());
    }

    #[test]
    fn a_short_is_seen_with_negated_prices() {
        let b = BarView::new(false, 100.0, 110.0, 95.0, 105.0, 111.0, 94.0);
        assert_eq!(
            (b.o, b.h, b.l, b.c, b.mark_l),
            (-100.0, -95.0, -110.0, -105.0, -111.0)
        );
    }
}
