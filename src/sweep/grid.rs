//! The grid: named axes, each with a list of values, expanded into their cartesian product.
//!
//! A configuration is identified by its position in that product, its *id*. The order is fixed and
//! documented so that the same grid gives the same ids on every machine, which is what makes
//! `--shard I/N` and `wick merge` line up:
//!
//! * strategy parameters come first (by name), then `leverage`, `stop_loss`, `take_profit`,
//!   `trailing_stop`, `margin_mode`, `sizing`, `intrabar` (see [`AxisKey`]'s `Ord`);
//! * within an axis, values keep the order the user listed them in;
//! * the last axis varies fastest (row-major), so configurations that share their strategy
//!   parameters — and therefore their signals — have consecutive ids.
//!
//! The grid holds values as the words the user wrote (`"10"`, `"none"`, `"cross"`); turning them
//! into run settings, and rejecting bad ones, is `settings`' job.

use std::fmt;
use std::ops::Range;

use super::SweepError;

/// Most configurations one sweep may hold: a guard against a typo such as `--param fast=1..1000`
/// pasted into several axes, which would otherwise try to allocate the product.
pub const MAX_CONFIGURATIONS: usize = 1_000_000;

/// What one axis varies. The derived `Ord` is the axis order of every grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AxisKey {
    /// A strategy parameter, by the name it has in the strategy file (`fast`, `slow`, `period`…).
    Param(String),
    Leverage,
    StopLoss,
    TakeProfit,
    TrailingStop,
    MarginMode,
    Sizing,
    Intrabar,
}

impl AxisKey {
    /// The account-setting axes, in grid order. Every sweep row names its value on each of them.
    pub const ACCOUNT: [AxisKey; 7] = [
        AxisKey::Leverage,
        AxisKey::StopLoss,
        AxisKey::TakeProfit,
        AxisKey::TrailingStop,
        AxisKey::MarginMode,
        AxisKey::Sizing,
        AxisKey::Intrabar,
    ];

    /// The column name in `sweep.csv`; parameters get a `param_` prefix so that a parameter can
    /// never shadow a statistic.
    pub fn column(&self) -> String {
        match self {
            AxisKey::Param(name) => format!("param_{name}"),
            other => other.flag().replace('-', "_"),
        }
    }

    /// The command-line flag that sets this axis (without `--`), for messages.
    pub fn flag(&self) -> &str {
        match self {
            AxisKey::Param(_) => "param",
            AxisKey::Leverage => "leverage",
            AxisKey::StopLoss => "stop-loss",
            AxisKey::TakeProfit => "take-profit",
            AxisKey::TrailingStop => "trailing-stop",
            AxisKey::MarginMode => "margin-mode",
            AxisKey::Sizing => "sizing",
            AxisKey::Intrabar => "intrabar",
        }
    }

    /// The axis named by a `sweep.csv` column (the inverse of [`AxisKey::column`]).
    pub fn from_column(column: &str) -> Option<AxisKey> {
        if let Some(name) = column.strip_prefix("param_") {
            return Some(AxisKey::Param(name.to_string()));
        }
        AxisKey::ACCOUNT.into_iter().find(|k| k.column() == column)
    }

    pub fn is_param(&self) -> bool {
        matches!(self, AxisKey::Param(_))
    }
}

impl fmt::Display for AxisKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AxisKey::Param(name) => write!(f, "--param {name}"),
            other => write!(f, "--{}", other.flag()),
        }
    }
}

/// One axis: its key and its values, in the order given, without duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    pub key: AxisKey,
    pub values: Vec<String>,
}

/// A validated grid: axes in [`AxisKey`] order, each with at least one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    axes: Vec<Axis>,
    len: usize,
}

/// One configuration of the grid: its id and the index of its value on each axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub id: usize,
    /// `choice[a]` indexes `grid.axes()[a].values`.
    pub choice: Vec<usize>,
}

impl Grid {
    /// Sort the axes into their fixed order and check them: no axis twice, no empty axis, no value
    /// twice within an axis, and at most [`MAX_CONFIGURATIONS`] configurations.
    pub fn new(mut axes: Vec<Axis>) -> Result<Grid, SweepError> {
        axes.sort_by(|a, b| a.key.cmp(&b.key));
        for pair in axes.windows(2) {
            if pair[0].key == pair[1].key {
                return Err(SweepError::Grid(format!(
                    "{} is given twice; list all its values once",
                    pair[0].key
                )));
            }
        }
        let mut len: usize = 1;
        for axis in &axes {
            if axis.values.is_empty() {
                return Err(SweepError::Grid(format!(
                    "{} has no values; give at least one",
                    axis.key
                )));
            }
            for (i, v) in axis.values.iter().enumerate() {
                if v.trim().is_empty() {
                    return Err(SweepError::Grid(format!(
                        "{} has an empty value; remove the stray comma",
                        axis.key
                    )));
                }
                if axis.values[..i].contains(v) {
                    return Err(SweepError::Grid(format!(
                        "{} lists {v} twice; list each value once",
                        axis.key
                    )));
                }
            }
            len = len
                .checked_mul(axis.values.len())
                .filter(|&n| n <= MAX_CONFIGURATIONS)
                .ok_or_else(|| {
                    SweepError::Grid(format!(
                        "the grid holds more than {MAX_CONFIGURATIONS} configurations; \
                         list fewer values or split the sweep by strategy parameter"
                    ))
                })?;
        }
        Ok(Grid { axes, len })
    }

    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// Number of configurations (the product of the axis lengths).
    pub fn len(&self) -> usize {
        self.len
    }

    /// A grid always holds at least one configuration; kept for the `len` convention.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn axis(&self, key: &AxisKey) -> Option<&Axis> {
        self.axes.iter().find(|a| &a.key == key)
    }

    /// The configuration with this id (row-major, last axis fastest). `id < self.len()`.
    pub fn point(&self, id: usize) -> Point {
        let mut choice = vec![0; self.axes.len()];
        let mut rest = id;
        for (a, axis) in self.axes.iter().enumerate().rev() {
            choice[a] = rest % axis.values.len();
            rest /= axis.values.len();
        }
        Point { id, choice }
    }

    /// The value of `point` on axis number `a`.
    pub fn value(&self, point: &Point, a: usize) -> &str {
        &self.axes[a].values[point.choice[a]]
    }

    /// Configurations sharing one signal column: those with the same strategy parameters. Because
    /// parameter axes come first, the group of id `i` is `i / group_len()` and groups are
    /// consecutive id ranges.
    pub fn group_len(&self) -> usize {
        self.axes
            .iter()
            .filter(|a| !a.key.is_param())
            .map(|a| a.values.len())
            .product()
    }

    /// The ids of signal group `g`.
    pub fn group_ids(&self, g: usize) -> Range<usize> {
        let n = self.group_len();
        g * n..(g + 1) * n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(key: AxisKey, values: &[&str]) -> Axis {
        Axis {
            key,
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn grid() -> Grid {
        Grid::new(vec![
            axis(AxisKey::StopLoss, &["none", "0.02"]),
            axis(AxisKey::Leverage, &["1", "10", "100"]),
            axis(AxisKey::Param("fast".into()), &["10", "20"]),
        ])
        .unwrap()
    }

    #[test]
    fn axes_are_ordered_parameters_first_then_account_settings() {
        let keys: Vec<_> = grid().axes().iter().map(|a| a.key.clone()).collect();
        assert_eq!(
            keys,
            vec![
                AxisKey::Param("fast".into()),
                AxisKey::Leverage,
                AxisKey::StopLoss
            ]
        );
    }

    #[test]
    fn ids_run_row_major_with_the_last_axis_fastest() {
        let g = grid();
        assert_eq!(g.len(), 12);
        let words = |id| {
            (0..3)
                .map(|a| g.value(&g.point(id), a).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(words(0), ["10", "1", "none"]);
        assert_eq!(words(1), ["10", "1", "0.02"]);
        assert_eq!(words(2), ["10", "10", "none"]);
        assert_eq!(words(11), ["20", "100", "0.02"]);
    }

    #[test]
    fn configurations_sharing_parameters_form_consecutive_signal_groups() {
        let g = grid();
        assert_eq!(g.group_len(), 6);
        assert_eq!(g.group_ids(1), 6..12);
        for id in g.group_ids(1) {
            assert_eq!(g.value(&g.point(id), 0), "20");
        }
    }

    #[test]
    fn a_value_listed_twice_is_refused_with_the_flag_named() {
        let err = Grid::new(vec![axis(AxisKey::Leverage, &["5", "10", "5"])]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "sweep grid: --leverage lists 5 twice; list each value once"
        );
    }

    #[test]
    fn a_grid_too_large_to_run_is_refused_before_anything_is_allocated() {
        let many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        let axes = ["a", "b"].map(|n| Axis {
            key: AxisKey::Param(n.into()),
            values: many.clone(),
        });
        assert!(Grid::new(axes.to_vec()).is_err());
    }

    #[test]
    fn column_names_round_trip_to_their_axis() {
        for key in [
            AxisKey::Param("fast".into()),
            AxisKey::StopLoss,
            AxisKey::MarginMode,
            AxisKey::Intrabar,
        ] {
            assert_eq!(AxisKey::from_column(&key.column()), Some(key));
        }
        assert_eq!(AxisKey::from_column("calmar"), None);
    }
}
