//! Hand-built hourly markets whose first-passage times are known in advance. Every scenario opens
//! in June 2024 (bracket 1: MMR 0.4%, cum 0), so the isolated liquidation prices are the closed forms
//! of exchange-rules §1.2: long `EP·(1 − 1/L)/(1 − 0.004)`, short `EP·(1 + 1/L)/(1 + 0.004)` —
//! a 20x short from 60,000 at 62,749.00, a 20x long at 57,228.92.

mod survival_support;

use rust_decimal_macros::dec;
use survival_support::*;
use wick::domain::{Leverage, Side, TimestampMs};
use wick::exchange::BracketSchedule;
use wick::survival::stats::{summarise, summarise_by_year};
use wick::survival::{
    Horizon, Method, Outcome, Settings, Share, liquidation_map, liquidation_map_with,
};

fn settings(side: Side, leverage: u32) -> Settings {
    Settings {
        leverages: vec![Leverage(leverage.into())],
        sides: vec![side],
        ..Settings::default()
    }
}

fn outcomes(m: &wick::market::MarketData, s: &Settings) -> Vec<Outcome> {
    let schedule = BracketSchedule::binance_btcusdt();
    let fast = liquidation_map(m, &schedule, s).unwrap();
    let slow = liquidation_map_with(m, &schedule, s, Method::BruteForce).unwrap();
    assert_eq!(fast, slow, "tree and oracle disagree");
    (0..fast.time.len())
        .map(|i| fast.series[0].outcome(i))
        .collect()
}

#[test]
fn short_at_20x_from_60000_is_liquidated_in_the_bar_whose_mark_high_reaches_62749() {
    // Bar 0 opens at 60,000 (the entry). The mark climbs: 61,000, 62,000, then 62,749.5 in bar 2 —
    // just past the liquidation price 62,749.00. Bar 3 falls back.
    let last = [
        (60_000.0, 61_000.0, 59_900.0, 60_900.0),
        (60_900.0, 62_000.0, 60_800.0, 61_900.0),
        (61_900.0, 62_749.5, 61_800.0, 62_500.0),
        (62_500.0, 62_600.0, 61_000.0, 61_000.0),
    ];
    let mark: Vec<_> = last.iter().map(|b| Some(*b)).collect();
    let m = market(june_2024(), &last, Some(&mark));
    let out = outcomes(&m, &settings(Side::Short, 20));
    // Entry at bar 0: liquidated in bar 2, i.e. by 3h after the entry.
    assert_eq!(out[0], Outcome::Liquidated { bar: 2 });
    let map = liquidation_map(
        &m,
        &BracketSchedule::binance_btcusdt(),
        &settings(Side::Short, 20),
    )
    .unwrap();
    assert_eq!(map.time_to_liquidation_ms(&map.series[0], 0), Some(3 * H));
    // Entry at bar 1 (60,900): its liquidation price is 60,900 × 1.05 / 1.004 = 63,690 — never reached.
    assert_eq!(out[1], Outcome::Survived);
    assert_eq!(out[3], Outcome::Survived);
}

#[test]
fn the_entry_bar_itself_counts_from_its_open() {
    // A 100x long from 60,000 is liquidated at 59,638.55 (vector V15); the entry bar's own mark low
    // dips to 59,600.
    let last = [(60_000.0, 60_100.0, 59_600.0, 60_050.0), flat(60_050.0)];
    let mark: Vec<_> = last.iter().map(|b| Some(*b)).collect();
    let out = outcomes(
        &market(june_2024(), &last, Some(&mark)),
        &settings(Side::Long, 100),
    );
    assert_eq!(out[0], Outcome::Liquidated { bar: 0 });
}

#[test]
fn a_last_price_wick_the_mark_ignores_does_not_liquidate() {
    // Bar 1's last price wicks to 56,000, below the 20x long's 57,228.92, but the mark low stays at
    // 58,000 (exchange-rules §1.3: liquidation is on the mark price).
    let last = [
        flat(60_000.0),
        (60_000.0, 60_000.0, 56_000.0, 59_000.0),
        flat(59_000.0),
    ];
    let mark = [
        Some(flat(60_000.0)),
        Some((60_000.0, 60_000.0, 58_000.0, 59_000.0)),
        Some(flat(59_000.0)),
    ];
    let out = outcomes(
        &market(june_2024(), &last, Some(&mark)),
        &settings(Side::Long, 20),
    );
    assert_eq!(out[0], Outcome::Survived);
}

#[test]
fn where_the_mark_has_no_candle_the_last_price_stands_in_and_is_counted() {
    // The mark file has no candle for bar 1; the last price's low of 57,000 is used there.
    let last = [
        flat(60_000.0),
        (60_000.0, 60_000.0, 57_000.0, 59_000.0),
        flat(59_000.0),
    ];
    let mark = [Some(flat(60_000.0)), None, Some(flat(59_000.0))];
    let m = market(june_2024(), &last, Some(&mark));
    let out = outcomes(&m, &settings(Side::Long, 20));
    assert_eq!(out[0], Outcome::Liquidated { bar: 1 });
    let map = liquidation_map(
        &m,
        &BracketSchedule::binance_btcusdt(),
        &settings(Side::Long, 20),
    )
    .unwrap();
    assert_eq!(map.bars_without_mark, 1);
    assert!(!map.last_price_proxy);
}

#[test]
fn leverage_above_the_bracket_maximum_is_never_opened() {
    // 150x exists only from the 2025-08-21 table on; in June 2024 bracket 1 allows 125x.
    let last = [flat(60_000.0), flat(60_000.0)];
    let out = outcomes(
        &market(june_2024(), &last, None),
        &settings(Side::Long, 150),
    );
    assert_eq!(out, vec![Outcome::NotOpened, Outcome::NotOpened]);
    let late = TimestampMs::parse_user("2025-09-01").unwrap().get();
    let out = outcomes(&market(late, &last, None), &settings(Side::Long, 150));
    assert_eq!(out, vec![Outcome::Survived, Outcome::Survived]);
}

#[test]
fn a_stop_between_entry_and_liquidation_fills_first_on_the_last_price() {
    // 20x long from 60,000 with a 2% stop at 58,800. Bar 1's last low 58,700 takes the stop; the mark
    // reaches the liquidation price (57,228.92) only in bar 3.
    let last = [
        flat(60_000.0),
        (60_000.0, 60_000.0, 58_700.0, 59_000.0),
        flat(59_000.0),
        (59_000.0, 59_000.0, 57_000.0, 57_500.0),
    ];
    let mark: Vec<_> = last.iter().map(|b| Some(*b)).collect();
    let s = Settings {
        stop_loss: Some(0.02),
        ..settings(Side::Long, 20)
    };
    let out = outcomes(&market(june_2024(), &last, Some(&mark)), &s);
    assert_eq!(out[0], Outcome::Stopped { bar: 1 });
    // The entry at bar 3 opens at 59,000: its stop 57,820 is taken by the bar's own last low of 57,000,
    // while its liquidation price (56,275.10) is never reached.
    assert_eq!(out[3], Outcome::Stopped { bar: 3 });
}

#[test]
fn in_one_bar_the_stop_fills_first_unless_the_mark_opens_beyond_the_liquidation_price() {
    // Both the stop (58,800) and the liquidation price (57,228.92) are crossed inside bar 1.
    // Opening at 59,500 the bar passes the stop on the way down: stopped (exchange-rules §5 rule 4).
    let crash = (59_500.0, 59_500.0, 56_000.0, 56_500.0);
    let last = [flat(60_000.0), crash];
    let mark = [Some(flat(60_000.0)), Some(crash)];
    let s = Settings {
        stop_loss: Some(0.02),
        ..settings(Side::Long, 20)
    };
    assert_eq!(
        outcomes(&market(june_2024(), &last, Some(&mark)), &s)[0],
        Outcome::Stopped { bar: 1 }
    );
    // Gapping open at 57,000, already beyond the liquidation price: liquidated (§5.1 step 2).
    let gap = (57_000.0, 57_000.0, 56_000.0, 56_500.0);
    let mark = [Some(flat(60_000.0)), Some(gap)];
    let last = [flat(60_000.0), gap];
    assert_eq!(
        outcomes(&market(june_2024(), &last, Some(&mark)), &s)[0],
        Outcome::Liquidated { bar: 1 }
    );
}

#[test]
fn a_stop_beyond_the_liquidation_price_never_fills() {
    // A 10% stop (54,000) on a 20x long lies beyond its 57,228.92 liquidation price (§5 rule 1).
    let last = [flat(60_000.0), (60_000.0, 60_000.0, 53_000.0, 53_500.0)];
    let s = Settings {
        stop_loss: Some(0.10),
        ..settings(Side::Long, 20)
    };
    assert_eq!(
        outcomes(&market(june_2024(), &last, None), &s)[0],
        Outcome::Liquidated { bar: 1 }
    );
}

#[test]
fn funding_paid_lifts_a_long_liquidation_price_into_a_mark_low_it_would_otherwise_survive() {
    // 20x long from 60,000: liquidation price 57,228.92. The mark low sits at 57,300 in every bar.
    // Each settlement at 0.1% on a 60,000 mark costs 60 per BTC and lifts the price by 60/0.996 = 60.24:
    // after the first (bar 1) 57,289.16, after the second (bar 2) 57,349.40 — above 57,300.
    let bar = (60_000.0, 60_000.0, 57_300.0, 60_000.0);
    let last = [(60_000.0, 60_000.0, 59_000.0, 60_000.0), bar, bar, bar];
    let mark = [Some(last[0]), Some(bar), Some(bar), Some(bar)];
    let mut m = market(june_2024(), &last, Some(&mark));
    assert_eq!(
        outcomes(&m, &settings(Side::Long, 20))[0],
        Outcome::Survived
    );
    m.funding = Some(funding(june_2024(), &[1, 2, 3], 0.001, 60_000.0));
    let s = Settings {
        funding: true,
        ..settings(Side::Long, 20)
    };
    let out = outcomes(&m, &s);
    assert_eq!(out[0], Outcome::Liquidated { bar: 2 });
    // The same funding is received by a short, whose liquidation price moves away: it survives.
    let s = Settings {
        funding: true,
        ..settings(Side::Short, 20)
    };
    assert_eq!(outcomes(&m, &s)[0], Outcome::Survived);
}

#[test]
fn probabilities_only_count_entries_whose_horizon_lies_inside_the_data() {
    // 48 hourly bars. A 100x short is liquidated whenever the mark high rises 0.4%: every 12th bar
    // spikes 1%. Entries within 4h of a spike are liquidated within 4h.
    let last: Vec<Bar> = (0..48)
        .map(|k| {
            if k % 12 == 11 {
                (100.0, 101.0, 100.0, 100.0)
            } else {
                flat(100.0)
            }
        })
        .collect();
    let m = market(june_2024(), &last, None);
    let s = settings(Side::Short, 100);
    let map = liquidation_map(&m, &BracketSchedule::binance_btcusdt(), &s).unwrap();
    let horizons: Vec<Horizon> = ["4h", "1d", "3d"]
        .iter()
        .map(|h| h.parse().unwrap())
        .collect();
    let row = &summarise(&map, &horizons, false)[0];
    // 4h: entries 0..=44 are followed by ≥ 4h of data (the data ends 48h after bar 0). Liquidated
    // within 4h: the spike bar and the 3 before it, for each of the 4 spikes (bars 8–11, …, 44–47),
    // minus bars 45–47, which are not observed for 4h → 3 × 4 + 1 = 13 of 45.
    assert_eq!(
        row.within[0],
        Share {
            observed: 45,
            events: 13
        }
    );
    // 1d: entries 0..=24 observed; each lies at most 12h before a spike → all 25 liquidated.
    assert_eq!(
        row.within[1],
        Share {
            observed: 25,
            events: 25
        }
    );
    // 3d: longer than the data: nothing can be said, and the share is None rather than 0.
    assert_eq!(
        row.within[2],
        Share {
            observed: 0,
            events: 0
        }
    );
    assert_eq!(row.within[2].fraction(), None);
    // "Ever" covers all 48 entries, and all were liquidated before the data ended.
    assert_eq!(
        row.ever,
        Share {
            observed: 48,
            events: 48
        }
    );
    assert_eq!(row.median_ms, Some(6 * H));
}

#[test]
fn the_yearly_split_sums_to_the_whole() {
    // 72 hourly bars across new year 2024/2025; a 50x long liquidated on every 5th bar's dip.
    let start = TimestampMs::parse_user("2024-12-31T00:00").unwrap().get();
    let last: Vec<Bar> = (0..72)
        .map(|k| {
            if k % 5 == 4 {
                (100.0, 100.0, 97.0, 100.0)
            } else {
                flat(100.0)
            }
        })
        .collect();
    let m = market(start, &last, None);
    let s = settings(Side::Long, 50);
    let map = liquidation_map(&m, &BracketSchedule::binance_btcusdt(), &s).unwrap();
    let years = summarise_by_year(&map, &["1h".parse().unwrap()], false);
    assert_eq!(
        years.iter().map(|r| r.year.unwrap()).collect::<Vec<_>>(),
        vec![2024, 2025]
    );
    assert_eq!(years[0].entries + years[1].entries, 72);
    let all = &summarise(&map, &["1h".parse().unwrap()], false)[0];
    assert_eq!(
        years[0].within[0].events + years[1].within[0].events,
        all.within[0].events
    );
    assert_eq!(years[0].leverage, Leverage(dec!(50)));
}
