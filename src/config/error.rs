//! What can be wrong with a strategy file or an override, said so that the user can fix it.

use std::path::PathBuf;

use thiserror::Error;

/// A strategy file that cannot be read, parsed or accepted. Every message names the file (or the
/// command line), the key, the value and the fix.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read strategy file {}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// TOML syntax, a wrong type or an unknown key: toml's message names the key and its line.
    #[error("{}: {error}", path.display())]
    Parse {
        path: PathBuf,
        error: toml::de::Error,
    },
    #[error("{origin}: {key} = {value}: {problem}; {fix}")]
    Invalid {
        origin: String,
        key: String,
        value: String,
        problem: String,
        fix: String,
    },
}

/// A value that cannot work, before it is tied to a file and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub problem: String,
    pub fix: String,
}

impl Problem {
    pub(crate) fn new(problem: impl Into<String>, fix: impl Into<String>) -> Problem {
        Problem {
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// Tie the problem to where it was written.
    pub(crate) fn at(self, origin: &str, key: &str, value: impl ToString) -> ConfigError {
        ConfigError::Invalid {
            origin: origin.to_string(),
            key: key.to_string(),
            value: value.to_string(),
            problem: self.problem,
            fix: self.fix,
        }
    }
}
