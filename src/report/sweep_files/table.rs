//! The sweep table: one row per configuration — its id, its value on every grid axis, and every
//! statistic of `wick run` — as a [`Table`] of nullable columns, the one shape that is written to
//! `sweep.csv` / `sweep.parquet`, read back by `wick merge`, sorted and charted.
//!
//! Columns are always the nullable variants (`OptF64`, `OptI64`, `OptStr`), whether or not a value
//! is missing, so that a table read back from Parquet is equal to the one written and shards
//! concatenate column by column.

use crate::columnar::{Column, Table};
use crate::domain::{TimestampMs, Usd};
use crate::results::{EquityCurve, RunResult, Stats};
use crate::sweep::{Grid, Outcome};

/// Columns: `id`, one per grid axis, every statistic of `wick run` ([`Stats`]), then
/// `orders_rejected` (from the run's event log).
///
/// The id column: a configuration's position in the grid (see `sweep::grid`).
pub const ID: &str = "id";

/// Statistics where a lower value is better; `--sort-by` ranks them ascending, all others
/// descending.
pub const LOWER_IS_BETTER: [&str; 8] = [
    "max_drawdown",
    "liquidations",
    "liquidation_margin_lost",
    "insurance_fund_draw",
    "fees",
    "funding_paid",
    "stop_outs",
    "ambiguous_bars",
];

/// Joins a run's warnings in the `warnings` column (a warning itself may contain `;`).
pub const WARNING_SEPARATOR: &str = " | ";

/// Build the table of `outcomes` (in id order) of `grid`.
pub fn sweep_table(grid: &Grid, outcomes: &[Outcome]) -> Table {
    let mut table = Table::new().with(
        ID,
        Column::OptI64(outcomes.iter().map(|o| Some(o.id as i64)).collect()),
    );
    for (a, axis) in grid.axes().iter().enumerate() {
        let words = outcomes
            .iter()
            .map(|o| Some(grid.value(&grid.point(o.id), a).to_string()))
            .collect();
        table
            .columns
            .push((axis.key.column(), Column::OptStr(words)));
    }
    let mut stats = StatColumns::default();
    for o in outcomes {
        stats.push(&o.stats);
    }
    table.columns.extend(stats.columns);
    let rejected = outcomes
        .iter()
        .map(|o| Some(o.orders_rejected as i64))
        .collect();
    table
        .columns
        .push(("orders_rejected".into(), Column::OptI64(rejected)));
    table
}

/// The numeric columns of every sweep table — what `--sort-by` and `--heatmap-metric` accept —
/// known before anything runs: the columns of the statistics of an empty run.
pub fn numeric_statistics() -> Vec<String> {
    let nothing = RunResult {
        initial_equity: Usd::ZERO,
        final_equity: Usd::ZERO,
        trades: Vec::new(),
        events: Vec::new(),
        equity: EquityCurve::default(),
        interval_ms: 0,
        bars: 0,
        bars_in_position: 0,
        ambiguous_bars: 0,
        closest_approach_pct: None,
        ruined: None,
        warnings: Vec::new(),
    };
    let mut stats = StatColumns::default();
    stats.push(&nothing.stats());
    let numeric = stats
        .columns
        .iter()
        .filter(|(_, c)| !matches!(c, Column::OptStr(_)));
    numeric
        .map(|(n, _)| n.clone())
        .chain(["orders_rejected".to_string()])
        .collect()
}

/// Statistics as columns, appended one run at a time.
#[derive(Default)]
struct StatColumns {
    columns: Vec<(String, Column)>,
    at: usize,
}

impl StatColumns {
    fn push(&mut self, s: &Stats) {
        // Destructured without `..`: a statistic added to `Stats` fails to compile here until it
        // has its column, so `sweep.csv` always holds every statistic of `wick run`.
        let Stats {
            initial_equity,
            final_equity,
            total_return,
            cagr,
            max_drawdown,
            max_drawdown_peak,
            max_drawdown_trough,
            sharpe,
            sortino,
            calmar,
            trades,
            win_rate,
            profit_factor,
            exposure,
            bars,
            fees,
            funding_paid,
            funding_received,
            liquidations,
            liquidation_margin_lost,
            insurance_fund_draw,
            stop_outs,
            take_profits,
            first_liquidation,
            days_to_first_liquidation,
            closest_approach_to_liquidation_pct,
            ambiguous_bars,
            ruined,
            warnings,
        } = s;
        self.at = 0;
        self.money("initial_equity", *initial_equity);
        self.money("final_equity", *final_equity);
        self.float("total_return", Some(*total_return));
        self.float("cagr", *cagr);
        self.float("max_drawdown", Some(*max_drawdown));
        self.time("max_drawdown_peak", *max_drawdown_peak);
        self.time("max_drawdown_trough", *max_drawdown_trough);
        self.float("sharpe", *sharpe);
        self.float("sortino", *sortino);
        self.float("calmar", *calmar);
        self.int("trades", Some(*trades as i64));
        self.float("win_rate", *win_rate);
        self.float("profit_factor", *profit_factor);
        self.float("exposure", Some(*exposure));
        self.int("bars", Some(*bars as i64));
        self.money("fees", *fees);
        self.money("funding_paid", *funding_paid);
        self.money("funding_received", *funding_received);
        self.int("liquidations", Some(*liquidations as i64));
        self.money("liquidation_margin_lost", *liquidation_margin_lost);
        self.money("insurance_fund_draw", *insurance_fund_draw);
        self.int("stop_outs", Some(*stop_outs as i64));
        self.int("take_profits", Some(*take_profits as i64));
        self.time("first_liquidation", *first_liquidation);
        self.float("days_to_first_liquidation", *days_to_first_liquidation);
        self.float(
            "closest_approach_to_liquidation_pct",
            *closest_approach_to_liquidation_pct,
        );
        self.int("ambiguous_bars", Some(*ambiguous_bars as i64));
        self.time("ruined", *ruined);
        self.text(
            "warnings",
            (!warnings.is_empty()).then(|| warnings.join(WARNING_SEPARATOR)),
        );
    }

    /// The next column, created on the first run.
    fn slot(&mut self, name: &str, empty: Column) -> &mut Column {
        if self.at == self.columns.len() {
            self.columns.push((name.to_string(), empty));
        }
        self.at += 1;
        &mut self.columns[self.at - 1].1
    }

    fn float(&mut self, name: &str, v: Option<f64>) {
        if let Column::OptF64(c) = self.slot(name, Column::OptF64(Vec::new())) {
            // NaN (e.g. a ratio of a flat curve) is written as a missing value, not as "NaN".
            c.push(v.filter(|x| x.is_finite()));
        }
    }

    /// Booked amounts are `Decimal`; the table holds them as f64 for analysis (exact to the cent
    /// far beyond any account size), while `wick run`'s `summary.json` keeps the exact decimals.
    fn money(&mut self, name: &str, v: Usd) {
        self.float(name, Some(v.to_f64()));
    }

    fn int(&mut self, name: &str, v: Option<i64>) {
        if let Column::OptI64(c) = self.slot(name, Column::OptI64(Vec::new())) {
            c.push(v);
        }
    }

    fn time(&mut self, name: &str, v: Option<TimestampMs>) {
        self.text(name, v.map(TimestampMs::to_rfc3339));
    }

    fn text(&mut self, name: &str, v: Option<String>) {
        if let Column::OptStr(c) = self.slot(name, Column::OptStr(Vec::new())) {
            c.push(v);
        }
    }
}

/// The same column in its nullable form (a reader returns `F64` when nothing is missing).
pub fn nullable(c: Column) -> Column {
    match c {
        Column::I64(v) => Column::OptI64(v.into_iter().map(Some).collect()),
        Column::F64(v) => Column::OptF64(v.into_iter().map(Some).collect()),
        Column::Str(v) => Column::OptStr(v.into_iter().map(Some).collect()),
        other => other,
    }
}

/// A numeric cell as f64 (`None` when missing, text, or out of range).
pub fn number(table: &Table, column: &str, row: usize) -> Option<f64> {
    match table.column(column)? {
        Column::OptF64(v) => v.get(row).copied().flatten(),
        Column::OptI64(v) => v.get(row).copied().flatten().map(|x| x as f64),
        Column::F64(v) => v.get(row).copied(),
        Column::I64(v) => v.get(row).map(|&x| x as f64),
        _ => None,
    }
}

/// A text cell (`None` when missing or not text).
pub fn text<'t>(table: &'t Table, column: &str, row: usize) -> Option<&'t str> {
    match table.column(column)? {
        Column::OptStr(v) => v.get(row).and_then(|s| s.as_deref()),
        Column::Str(v) => v.get(row).map(String::as_str),
        _ => None,
    }
}

/// Row indices ranked by `metric`: best first (descending, or ascending for
/// [`LOWER_IS_BETTER`]), missing values last, ties by id.
pub fn ranking(table: &Table, metric: &str) -> Vec<usize> {
    let ascending = LOWER_IS_BETTER.contains(&metric);
    let mut rows: Vec<usize> = (0..table.rows()).collect();
    let id = |r: usize| number(table, ID, r).unwrap_or(f64::MAX);
    rows.sort_by(|&a, &b| {
        let (x, y) = (number(table, metric, a), number(table, metric, b));
        let order = match (x, y) {
            (Some(x), Some(y)) if ascending => x.total_cmp(&y),
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        order.then(id(a).total_cmp(&id(b)))
    });
    rows
}

/// Reorder every column by `order` (row indices), e.g. to sort merged shards by id.
pub fn reorder(table: &mut Table, order: &[usize]) {
    fn pick<T: Clone>(v: &[T], order: &[usize]) -> Vec<T> {
        order.iter().map(|&i| v[i].clone()).collect()
    }
    for (_, c) in &mut table.columns {
        *c = match c {
            Column::I64(v) => Column::I64(pick(v, order)),
            Column::F64(v) => Column::F64(pick(v, order)),
            Column::Str(v) => Column::Str(pick(v, order)),
            Column::OptI64(v) => Column::OptI64(pick(v, order)),
            Column::OptF64(v) => Column::OptF64(pick(v, order)),
            Column::OptStr(v) => Column::OptStr(pick(v, order)),
        };
    }
}

/// Append `other`'s rows to `table` (same columns in the same order, as shards of one sweep).
/// Returns the name of the first column that does not line up.
pub fn append(table: &mut Table, other: Table) -> Result<(), String> {
    if table.columns.is_empty() {
        table.columns = other
            .columns
            .into_iter()
            .map(|(n, c)| (n, nullable(c)))
            .collect();
        return Ok(());
    }
    let names = |t: &Table| t.columns.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(table) != names(&other) {
        return Err(format!(
            "columns differ: {} vs {}",
            names(table).join(","),
            names(&other).join(",")
        ));
    }
    for ((name, mine), (_, theirs)) in table.columns.iter_mut().zip(other.columns) {
        match (mine, nullable(theirs)) {
            (Column::OptI64(a), Column::OptI64(b)) => a.extend(b),
            (Column::OptF64(a), Column::OptF64(b)) => a.extend(b),
            (Column::OptStr(a), Column::OptStr(b)) => a.extend(b),
            // A column with every value missing reads back as text; its values are all None.
            (Column::OptF64(a), Column::OptStr(b)) if b.iter().all(Option::is_none) => {
                a.extend(b.iter().map(|_| None))
            }
            (Column::OptI64(a), Column::OptStr(b)) if b.iter().all(Option::is_none) => {
                a.extend(b.iter().map(|_| None))
            }
            _ => return Err(format!("column {name} has a different type")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(ids: &[i64], calmar: &[Option<f64>], dd: &[f64]) -> Table {
        Table::new()
            .with(ID, Column::OptI64(ids.iter().map(|&i| Some(i)).collect()))
            .with("calmar", Column::OptF64(calmar.to_vec()))
            .with(
                "max_drawdown",
                Column::OptF64(dd.iter().map(|&d| Some(d)).collect()),
            )
    }

    #[test]
    fn the_statistics_known_before_a_run_are_the_numeric_columns_of_a_sweep_table() {
        let names = numeric_statistics();
        for stat in [
            "total_return",
            "calmar",
            "max_drawdown",
            "liquidations",
            "funding_paid",
            "orders_rejected",
        ] {
            assert!(
                names.iter().any(|n| n == stat),
                "{stat} missing from {names:?}"
            );
        }
        assert!(
            !names.iter().any(|n| n == "ruined" || n == "warnings"),
            "text columns are not ranked"
        );
    }

    #[test]
    fn ranking_puts_the_best_first_and_missing_values_last() {
        let t = table(
            &[0, 1, 2, 3],
            &[Some(0.5), None, Some(2.0), Some(0.5)],
            &[0.3, 0.1, 0.9, 0.2],
        );
        // Higher calmar is better; the tie between ids 0 and 3 is broken by id.
        assert_eq!(ranking(&t, "calmar"), [2, 0, 3, 1]);
        // Lower drawdown is better.
        assert_eq!(ranking(&t, "max_drawdown"), [1, 3, 0, 2]);
    }

    #[test]
    fn shards_append_and_reorder_back_into_id_order() {
        let mut all = table(&[2, 3], &[Some(1.0), None], &[0.1, 0.2]);
        let first = Table {
            columns: vec![
                (ID.into(), Column::I64(vec![0, 1])),
                ("calmar".into(), Column::F64(vec![3.0, 4.0])),
                ("max_drawdown".into(), Column::F64(vec![0.5, 0.6])),
            ],
            metadata: Vec::new(),
        };
        append(&mut all, first).unwrap();
        let order = ranking(&all, ID).into_iter().rev().collect::<Vec<_>>();
        reorder(&mut all, &order);
        assert_eq!(
            all.column(ID),
            Some(&Column::OptI64(vec![Some(0), Some(1), Some(2), Some(3)]))
        );
        assert_eq!(number(&all, "calmar", 1), Some(4.0));
        assert_eq!(number(&all, "calmar", 3), None);
    }

    #[test]
    fn shards_with_different_columns_do_not_append() {
        let mut a = table(&[0], &[None], &[0.1]);
        let b = Table::new().with(ID, Column::OptI64(vec![Some(1)]));
        assert!(append(&mut a, b).unwrap_err().contains("columns differ"));
    }
}
