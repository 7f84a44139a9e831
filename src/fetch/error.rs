//! What can go wrong in a fetch. [`FetchError`] stops the whole fetch; a [`FileProblem`] is about one
//! archive file, is reported by name, and the rest of the fetch carries on.

use std::path::PathBuf;

use thiserror::Error;

use crate::domain::Interval;

use super::month::YearMonth;

/// A reason to stop before (or instead of) writing anything.
#[derive(Debug, Error)]
pub enum FetchError {
    #[error(
        "'{0}' is not a Binance symbol; write it as Binance does, letters and digits only, e.g. BTCUSDT"
    )]
    BadSymbol(String),
    #[error(
        "Binance's archive has no {0} klines; use one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w"
    )]
    UnsupportedInterval(Interval),
    #[error("--from {from} is after --to {to}; swap them")]
    RangeReversed { from: YearMonth, to: YearMonth },
    #[error(
        "{flag} {month} is after the current month {current}; the archive cannot hold it yet (use {current} or earlier)"
    )]
    RangeInFuture {
        flag: &'static str,
        month: YearMonth,
        current: YearMonth,
    },
    #[error("nothing to fetch: --kinds is empty; choose from candles, mark, funding")]
    NoKinds,
    #[error(
        "'{0}' is not a usable base URL; write it with its scheme, e.g. https://data.binance.vision"
    )]
    BadBaseUrl(String),
    /// Deliberately one line with no source chain: with no network, one sentence is all the user needs.
    #[error(
        "cannot reach {base_url} ({reason}); check the internet connection or --base-url{resume}"
    )]
    Unreachable {
        base_url: String,
        reason: String,
        /// Empty, or how many verified files are cached and that a re-run resumes from them.
        resume: String,
    },
    /// The loader refused a written file. `fetch` reports this as [`FileProblem::NotWritten`] and carries
    /// on with the other kinds, so its callers do not see this variant.
    #[error("{path} was not written: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("cannot write {path}; check that the folder is writable and the disk has room")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A problem with one archive file. Every message starts with the file's name.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FileProblem {
    #[error(
        "{file}: checksum mismatch after one retry: its .CHECKSUM says sha256 {expected}, the download hashes to \
         {actual}; the file was not used"
    )]
    ChecksumMismatch {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("{file}: not a readable zip archive after one retry ({reason}); the file was not used")]
    CorruptZip { file: String, reason: String },
    #[error(
        "{file}: the archive publishes no {file}.CHECKSUM, so the file cannot be verified and was not used"
    )]
    NoChecksum { file: String },
    #[error("{file}.CHECKSUM: {reason}; the file was not used")]
    BadChecksumFile { file: String, reason: String },
    #[error("{file}: the server answered HTTP {status} after one retry; the file was not used")]
    HttpStatus { file: String, status: u16 },
    #[error("{file}: {message}; the file was not used")]
    Content { file: String, message: String },
    #[error("{file}: not written, because the merged data does not load: {reason}")]
    NotWritten { file: String, reason: String },
    #[error(
        "{file}: the bar at {time} differs from the one in {other}; kept the one from {other} \
         (delete both from the cache folder to download them again)"
    )]
    Conflict {
        file: String,
        other: String,
        time: String,
    },
}

impl FileProblem {
    /// The archive file (or checksum file) the problem is about.
    pub fn file(&self) -> &str {
        match self {
            FileProblem::ChecksumMismatch { file, .. }
            | FileProblem::CorruptZip { file, .. }
            | FileProblem::NoChecksum { file }
            | FileProblem::BadChecksumFile { file, .. }
            | FileProblem::HttpStatus { file, .. }
            | FileProblem::Content { file, .. }
            | FileProblem::NotWritten { file, .. }
            | FileProblem::Conflict { file, .. } => file,
        }
    }
}
