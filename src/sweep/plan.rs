//! From a strategy file and command-line lists to a grid whose every configuration is a valid
//! [`RunSettings`].
//!
//! * The file's `[sweep]` table gives axes; a command-line list for the same axis replaces it
//!   (the command line wins, as for every other setting).
//! * Every account axis the sweep does not vary still gets one value — the run's own — so each
//!   row of `sweep.csv` names every setting it was run with.
//! * Account values go through [`RunSettings::apply_overrides`], so a sweep accepts exactly what
//!   `wick run --leverage …` accepts and refuses it with the same message.
//! * A combination of strategy parameters that cannot work together (`fast = 50, slow = 20`) is
//!   skipped with its reason, never dropped silently: [`SweepPlan::skipped`].

use super::SweepError;
use super::grid::{Axis, AxisKey, Grid, Point};
use super::words::{base_word, file_axes, normalise, param_word, set_override, toml_value};
use crate::config::{Overrides, RunSettings, SweepSpec};
use crate::strategy::StrategySpec;

/// A validated sweep: the base settings, the grid, and the strategy of each parameter group.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    base: RunSettings,
    grid: Grid,
    /// One entry per signal group (parameter combination): its strategy, or why it is skipped.
    groups: Vec<Result<StrategySpec, String>>,
    /// Per axis, the index of the value the per-leverage charts show: the strategy file's own
    /// value when the axis holds it, else the first listed; `--chart-at` picks another.
    focus: Vec<usize>,
}

impl SweepPlan {
    /// Merge the file's `[sweep]` table with the command-line axes (which win) and check every
    /// value.
    pub fn new(base: RunSettings, command_line: Vec<Axis>) -> Result<SweepPlan, SweepError> {
        let mut axes = file_axes(&base);
        for axis in command_line {
            axes.retain(|a| a.key != axis.key);
            axes.push(axis);
        }
        for key in AxisKey::ACCOUNT {
            if !axes.iter().any(|a| a.key == key) {
                axes.push(Axis {
                    values: vec![base_word(&base, &key)],
                    key,
                });
            }
        }
        for axis in &mut axes {
            for v in &mut axis.values {
                *v = normalise(&base, &axis.key, v);
            }
        }
        let grid = Grid::new(axes)?;
        for axis in grid.axes().iter().filter(|a| !a.key.is_param()) {
            for value in &axis.values {
                let mut o = Overrides::default();
                set_override(&mut o, &axis.key, value);
                base.clone().apply_overrides(&o)?;
            }
        }
        let groups = (0..grid.len() / grid.group_len())
            .map(|g| group_strategy(&base, &grid, g))
            .collect::<Result<_, _>>()?;
        // Charts show the strategy file's own values where the grid holds them.
        let focus = grid
            .axes()
            .iter()
            .map(|a| {
                let own = match &a.key {
                    AxisKey::Param(name) => param_word(&base.strategy, name),
                    key => Some(base_word(&base, key)),
                };
                own.and_then(|w| {
                    a.values
                        .iter()
                        .position(|v| *v == normalise(&base, &a.key, &w))
                })
                .unwrap_or(0)
            })
            .collect();
        Ok(SweepPlan {
            base,
            grid,
            groups,
            focus,
        })
    }

    /// Chart the leverage levels at `value` of axis `key` instead of its first value
    /// (`--chart-at stop_loss=0.02`).
    pub fn focus_on(&mut self, key: &AxisKey, value: &str) -> Result<(), SweepError> {
        let value = normalise(&self.base, key, value);
        let a = self
            .grid
            .axes()
            .iter()
            .position(|a| &a.key == key)
            .ok_or_else(|| {
                SweepError::Grid(format!(
                    "--chart-at names {key}, which the grid does not have"
                ))
            })?;
        let axis = &self.grid.axes()[a];
        let i = axis
            .values
            .iter()
            .position(|v| *v == value)
            .ok_or_else(|| {
                SweepError::Grid(format!(
                    "--chart-at {key} = {value}: not a swept value; choose one of {}",
                    axis.values.join(", ")
                ))
            })?;
        self.focus[a] = i;
        Ok(())
    }

    /// True for the configurations the per-leverage charts and summary show: one per leverage
    /// level, every other axis at its focus value.
    pub fn is_charted(&self, point: &Point) -> bool {
        self.grid
            .axes()
            .iter()
            .enumerate()
            .all(|(a, axis)| axis.key == AxisKey::Leverage || point.choice[a] == self.focus[a])
    }

    /// The charted configurations' ids, in leverage order.
    pub fn charted_ids(&self) -> Vec<usize> {
        (0..self.grid.len())
            .filter(|&id| self.is_charted(&self.grid.point(id)))
            .collect()
    }

    /// The base settings with a `[sweep]` table holding this grid's swept axes: written as the
    /// report's `config.toml`, it is a strategy file that replays the whole sweep.
    pub fn resolved(&self) -> RunSettings {
        let mut spec = SweepSpec::default();
        for axis in self.grid.axes() {
            if let AxisKey::Param(name) = &axis.key {
                spec.params.push((
                    name.clone(),
                    axis.values.iter().map(|w| toml_value(w)).collect(),
                ));
                continue;
            }
            if axis.values == [base_word(&self.base, &axis.key)] {
                continue; // not swept: the base value says it
            }
            // Each value was accepted by `apply_overrides` when the plan was made.
            let each: Vec<RunSettings> = axis
                .values
                .iter()
                .filter_map(|w| {
                    let mut o = Overrides::default();
                    set_override(&mut o, &axis.key, w);
                    self.base.clone().apply_overrides(&o).ok()
                })
                .collect();
            match axis.key {
                AxisKey::Leverage => spec.leverage = pick(&each, |s| s.account.leverage),
                AxisKey::StopLoss => spec.stop_loss = pick(&each, |s| s.risk.stop_loss),
                AxisKey::TakeProfit => spec.take_profit = pick(&each, |s| s.risk.take_profit),
                AxisKey::TrailingStop => spec.trailing_stop = pick(&each, |s| s.risk.trailing_stop),
                AxisKey::MarginMode => spec.margin_mode = pick(&each, |s| s.account.margin_mode),
                AxisKey::Sizing => spec.sizing = pick(&each, |s| s.account.sizing),
                AxisKey::Intrabar => spec.intrabar = pick(&each, |s| s.execution.intrabar),
                AxisKey::Param(_) => {}
            }
        }
        RunSettings {
            sweep: Some(spec),
            ..self.base.clone()
        }
    }

    /// The focus value of every axis but leverage, e.g. `stop_loss none, margin_mode isolated`.
    pub fn focus_text(&self) -> String {
        let words: Vec<String> = self
            .grid
            .axes()
            .iter()
            .zip(&self.focus)
            .filter(|(a, _)| a.key != AxisKey::Leverage && a.values.len() > 1)
            .map(|(a, &i)| format!("{} {}", a.key.column(), a.values[i]))
            .collect();
        words.join(", ")
    }

    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    pub fn base(&self) -> &RunSettings {
        &self.base
    }

    /// The strategy of signal group `g`, or why that parameter combination is skipped.
    pub fn strategy(&self, g: usize) -> Result<&StrategySpec, &str> {
        self.groups[g].as_ref().map_err(String::as_str)
    }

    /// Parameter combinations that cannot run, with their first id and the reason.
    pub fn skipped(&self) -> Vec<(usize, String)> {
        let n = self.grid.group_len();
        self.groups
            .iter()
            .enumerate()
            .filter_map(|(g, r)| r.as_ref().err().map(|why| (g * n, why.clone())))
            .collect()
    }

    /// The settings of one configuration (`None` when its parameter combination is skipped).
    pub fn settings(&self, point: &Point) -> Result<Option<RunSettings>, SweepError> {
        let Ok(strategy) = self.strategy(point.id / self.grid.group_len()) else {
            return Ok(None);
        };
        let mut o = Overrides::default();
        for (a, axis) in self.grid.axes().iter().enumerate() {
            set_override(&mut o, &axis.key, self.grid.value(point, a));
        }
        let mut settings = self.base.clone().apply_overrides(&o)?;
        settings.strategy = strategy.clone();
        Ok(Some(settings))
    }
}

/// One field of each settings, as a `[sweep]` list.
fn pick<T>(each: &[RunSettings], field: fn(&RunSettings) -> T) -> Option<Vec<T>> {
    Some(each.iter().map(field).collect())
}

/// The strategy of parameter group `g`: the base strategy with this group's parameter values.
fn group_strategy(
    base: &RunSettings,
    grid: &Grid,
    g: usize,
) -> Result<Result<StrategySpec, String>, SweepError> {
    let point = grid.point(g * grid.group_len());
    let mut params = Vec::new();
    for (a, axis) in grid.axes().iter().enumerate() {
        if let AxisKey::Param(name) = &axis.key {
            params.push((name.clone(), vec![toml_value(grid.value(&point, a))]));
        }
    }
    if params.is_empty() {
        return Ok(Ok(base.strategy.clone()));
    }
    let one = SweepSpec {
        params: params.clone(),
        ..SweepSpec::default()
    };
    let combos = one.param_grid(&base.strategy);
    if let Some(spec) = combos.specs.into_iter().next() {
        return Ok(Ok(spec));
    }
    if let Some((_, why)) = combos.skipped.into_iter().next() {
        return Ok(Err(why.to_string()));
    }
    // Neither valid nor invalid as a combination: one value does not fit its parameter at all.
    let shown: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", v[0]))
        .collect();
    Err(SweepError::Param(format!(
        "{} for {}: a value does not fit its parameter; give numbers for periods and levels, \
         and only parameters that strategy has",
        shown.join(" "),
        base.strategy.kind()
    )))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Sizing;
    use crate::domain::Leverage;

    /// A strategy file's settings: SMA 20/100, 5x, half the equity as margin, a 3% stop, and the
    /// `[sweep]` table given.
    fn base(sweep: &str) -> RunSettings {
        let text = format!(
            "[data]\ncandles = \"btc.csv\"\n[strategy]\nkind = \"sma_crossover\"\nfast = 20\nslow = 100\n\
             [account]\nleverage = 5\nsizing = {{ margin_fraction = 0.5 }}\n[risk]\nstop_loss = 0.03\n{sweep}"
        );
        crate::config::parse(&text, Path::new("sma.toml")).unwrap()
    }

    fn axis(key: AxisKey, values: &[&str]) -> Axis {
        Axis {
            key,
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn values<'p>(plan: &'p SweepPlan, key: &AxisKey) -> &'p [String] {
        &plan.grid().axis(key).unwrap().values
    }

    #[test]
    fn a_command_line_list_replaces_the_files_list_of_the_same_axis_only() {
        let file = "[sweep]\nleverage = [1, 2]\nstop_loss = [\"none\", 0.02]\n";
        let plan =
            SweepPlan::new(base(file), vec![axis(AxisKey::Leverage, &["5", "10x"])]).unwrap();
        assert_eq!(values(&plan, &AxisKey::Leverage), ["5", "10"]);
        assert_eq!(values(&plan, &AxisKey::StopLoss), ["none", "0.02"]);
        assert_eq!(plan.grid().len(), 4);
    }

    #[test]
    fn axes_not_swept_keep_the_runs_own_value_so_every_row_names_it() {
        let plan = SweepPlan::new(base(""), vec![axis(AxisKey::Leverage, &["1", "3"])]).unwrap();
        assert_eq!(values(&plan, &AxisKey::StopLoss), ["0.03"]);
        assert_eq!(values(&plan, &AxisKey::MarginMode), ["isolated"]);
        assert_eq!(values(&plan, &AxisKey::Sizing), ["margin:0.5"]);
        assert_eq!(values(&plan, &AxisKey::Intrabar), ["pessimistic"]);
    }

    #[test]
    fn ten_x_ten_and_ten_point_zero_are_one_leverage_listed_three_times() {
        let err = SweepPlan::new(
            base(""),
            vec![axis(AxisKey::Leverage, &["10x", "10", "10.0"])],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "sweep grid: --leverage lists 10 twice; list each value once"
        );
    }

    #[test]
    fn a_value_wick_run_refuses_is_refused_with_its_flag() {
        let err = SweepPlan::new(
            base(""),
            vec![axis(AxisKey::MarginMode, &["isolated", "portfolio"])],
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("--margin-mode") && text.contains("portfolio"),
            "{text}"
        );
    }

    #[test]
    fn a_configurations_settings_carry_its_values_and_its_strategy_parameters() {
        let axes = vec![
            axis(AxisKey::Leverage, &["2", "20"]),
            axis(AxisKey::StopLoss, &["none", "0.01"]),
            axis(AxisKey::Sizing, &["notional"]),
            axis(AxisKey::Param("fast".into()), &["10", "50"]),
        ];
        let plan = SweepPlan::new(base(""), axes).unwrap();
        // Row-major, parameters first: id 7 = fast 50, leverage 20, stop 0.01.
        let s = plan.settings(&plan.grid().point(7)).unwrap().unwrap();
        assert_eq!(
            s.account.leverage,
            Leverage(rust_decimal::Decimal::from(20))
        );
        assert_eq!(
            s.risk.stop_loss.map(|r| r.get().to_string()),
            Some("0.01".to_string())
        );
        assert_eq!(
            s.account.sizing,
            Sizing::NotionalFraction(rust_decimal::Decimal::new(5, 1))
        );
        assert_eq!(
            s.strategy.to_string(),
            "SMA 50/100 crossover (long and short)"
        );
    }

    #[test]
    fn a_parameter_combination_that_cannot_work_is_skipped_with_its_reason() {
        let axes = vec![
            axis(AxisKey::Param("fast".into()), &["20", "200"]),
            axis(AxisKey::Leverage, &["1", "2"]),
        ];
        let plan = SweepPlan::new(base(""), axes).unwrap();
        let skipped = plan.skipped();
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, 2);
        assert!(skipped[0].1.contains("fast"), "{}", skipped[0].1);
        assert_eq!(plan.settings(&plan.grid().point(3)).unwrap(), None);
    }

    #[test]
    fn charts_show_the_strategy_files_own_values_unless_chart_at_picks_others() {
        let axes = vec![
            axis(AxisKey::Leverage, &["1", "5"]),
            axis(AxisKey::StopLoss, &["none", "0.03"]),
            axis(AxisKey::Param("fast".into()), &["10", "20"]),
        ];
        let mut plan = SweepPlan::new(base(""), axes).unwrap();
        // The file says fast = 20 and stop_loss = 0.03: ids (fast 20) × (1x, 5x) × (stop 0.03).
        assert_eq!(plan.charted_ids(), [5, 7]);
        plan.focus_on(&AxisKey::StopLoss, "none").unwrap();
        assert_eq!(plan.charted_ids(), [4, 6]);
        assert!(plan.focus_on(&AxisKey::StopLoss, "0.5").is_err());
    }
}
