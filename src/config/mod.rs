//! Strategy files (TOML) as the user writes them, and the validated run settings built from them.
//!
//! Two steps, as in ripgrep's low-level → high-level arguments: [`mod@file`] holds serde structs that
//! mirror the file key for key (unknown keys are errors naming the key and the file), and
//! [`load`] turns them into [`RunSettings`] — typed values (`Leverage`, `Rate`, `Usd`,
//! `TimestampMs`), defaults filled in from the one `impl Default for RunSettings`, data paths
//! resolved against the strategy file's folder, and every value checked with a message that names
//! the file, the key, the value and the fix. Command-line flags then go through
//! [`RunSettings::apply_overrides`], checked by the same rules.

mod checks;
mod error;
pub mod file;
mod overrides;
mod resolved;
mod settings;
mod strategy_table;
mod sweep;
mod validate;

use std::path::Path;

pub use error::ConfigError;
pub use overrides::Overrides;
pub use settings::{
    AccountSettings, DataPaths, ExecutionSettings, IntrabarPolicy, MarginMode, NegativeBalance,
    RiskSettings, RunSettings, Sizing, TimeRange, Venue,
};
pub use sweep::{ParamGrid, SweepSpec};

/// Read, parse and validate the strategy file at `path`.
pub fn load(path: &Path) -> Result<RunSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    parse(&text, path)
}

/// Parse and validate `text` as if read from `path` (relative data paths resolve against
/// `path`'s folder; messages name `path`).
pub fn parse(text: &str, path: &Path) -> Result<RunSettings, ConfigError> {
    let file: file::StrategyFile = toml::from_str(text).map_err(|error| ConfigError::Parse {
        path: path.to_path_buf(),
        error,
    })?;
    validate::settings(file, path)
}

/// How a sizing is written in a file, for messages.
fn show_sizing(s: file::SizingFile) -> String {
    match s {
        file::SizingFile::MarginFraction(v) => format!("{{ margin_fraction = {v} }}"),
        file::SizingFile::NotionalFraction(v) => format!("{{ notional_fraction = {v} }}"),
    }
}
