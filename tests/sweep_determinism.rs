//! A sweep's results do not depend on the number of worker threads: every configuration is a pure
//! function of its settings and the shared, read-only market data and signals.

mod sweep_common;

use wick::config;
use wick::exchange::BracketSchedule;
use wick::market::{self, LoadOptions};
use wick::sweep::parallel::in_pool;
use wick::sweep::{Axis, AxisKey, Outcome, SweepInput, SweepPlan, run_plan};

fn axis(key: AxisKey, values: &[&str]) -> Axis {
    Axis {
        key,
        values: values.iter().map(|s| s.to_string()).collect(),
    }
}

fn sweep_on(threads: usize, plan: &SweepPlan, input: SweepInput<'_>) -> Vec<Outcome> {
    in_pool(Some(threads), || {
        run_plan(plan, 0..plan.grid().len(), input, &|| {})
    })
    .unwrap()
    .unwrap()
}

#[test]
fn a_sweep_on_one_thread_and_on_four_gives_bit_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 4_000, "");
    let settings = config::load(&strategy).unwrap();
    let axes = vec![
        axis(AxisKey::Leverage, &["1", "5", "20", "100"]),
        axis(AxisKey::StopLoss, &["none", "0.02"]),
        axis(AxisKey::Param("fast".into()), &["10", "20"]),
    ];
    let plan = SweepPlan::new(settings, axes).unwrap();
    let d = &plan.base().data;
    let loaded = market::load_market(
        &d.candles,
        d.mark.as_deref(),
        d.funding.as_deref(),
        &LoadOptions::default(),
    )
    .unwrap();
    let schedule = BracketSchedule::binance_btcusdt();
    let input = SweepInput {
        market: &loaded.data,
        schedule: &schedule,
        detail: None,
    };

    let one = sweep_on(1, &plan, input);
    let four = sweep_on(4, &plan, input);

    assert_eq!(one.len(), 16);
    // The grid is not trivial: some configurations are liquidated and some are not.
    assert!(one.iter().any(|o| o.stats.liquidations > 0));
    assert!(one.iter().any(|o| o.stats.liquidations == 0));
    for (a, b) in one.iter().zip(&four) {
        assert_eq!(a.id, b.id);
        for (x, y) in [
            (a.stats.total_return, b.stats.total_return),
            (a.stats.max_drawdown, b.stats.max_drawdown),
            (a.stats.exposure, b.stats.exposure),
            (
                a.stats.sharpe.unwrap_or(f64::NAN),
                b.stats.sharpe.unwrap_or(f64::NAN),
            ),
        ] {
            assert_eq!(x.to_bits(), y.to_bits(), "configuration {}", a.id);
        }
        assert_eq!(
            a.stats.final_equity, b.stats.final_equity,
            "configuration {}",
            a.id
        );
        assert_eq!(
            a.chart.as_ref().map(|c| &c.trades),
            b.chart.as_ref().map(|c| &c.trades)
        );
    }
    // Debug prints every f64 in its shortest round-trip form: equal text means equal bits.
    assert_eq!(format!("{one:?}"), format!("{four:?}"));
}
