//! Getting one archive file's CSV: from the cache when it is there and verified, else downloaded,
//! checked against its `.CHECKSUM`, unpacked, and cached. A checksum mismatch, an unreadable zip, a
//! server error or a dropped connection is retried once; a file that is simply not in the archive (404)
//! is not.

use std::path::PathBuf;

use super::archive::ArchiveFile;
use super::cache::Cache;
use super::checksum::{parse_checksum, sha256_hex};
use super::error::FileProblem;
use super::http::{Http, Response, Unreachable};
use super::parse::unzip_csv;

/// What became of one file.
#[derive(Debug)]
pub enum Got {
    /// The unpacked CSV; `cached` when no request was made.
    Csv {
        csv: Vec<u8>,
        cached: bool,
    },
    /// The archive does not hold the file (HTTP 404).
    Missing,
    Failed(FileProblem),
}

/// A reason to stop the whole fetch.
#[derive(Debug)]
pub enum Stop {
    Unreachable(Unreachable),
    Disk {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why one attempt did not produce the CSV.
enum Miss {
    Retry(FileProblem),
    Final(FileProblem),
    Stop(Stop),
    Unreachable(Unreachable),
}

#[derive(Debug)]
pub struct Downloader<'a> {
    pub http: &'a Http,
    pub cache: &'a Cache,
}

impl Downloader<'_> {
    pub fn obtain(&self, file: &ArchiveFile, on_bytes: &mut dyn FnMut(u64)) -> Result<Got, Stop> {
        if let Some(zip) = self.cache.verified(file)
            && let Ok(csv) = unzip_csv(&zip)
        {
            return Ok(Got::Csv { csv, cached: true });
        }
        match self.attempt(file, on_bytes) {
            Ok(got) => return Ok(got),
            Err(Miss::Final(problem)) => return Ok(Got::Failed(problem)),
            Err(Miss::Stop(stop)) => return Err(stop),
            Err(Miss::Retry(_) | Miss::Unreachable(_)) => {}
        }
        match self.attempt(file, on_bytes) {
            Ok(got) => Ok(got),
            Err(Miss::Final(problem) | Miss::Retry(problem)) => Ok(Got::Failed(problem)),
            Err(Miss::Stop(stop)) => Err(stop),
            Err(Miss::Unreachable(u)) => Err(Stop::Unreachable(u)),
        }
    }

    fn attempt(&self, file: &ArchiveFile, on_bytes: &mut dyn FnMut(u64)) -> Result<Got, Miss> {
        let name = file.label().to_string();
        let zip = match self
            .http
            .get(&file.path, on_bytes)
            .map_err(Miss::Unreachable)?
        {
            Response::Body(bytes) => bytes,
            Response::NotFound => return Ok(Got::Missing),
            Response::Status(status) => {
                return Err(Miss::Retry(FileProblem::HttpStatus { file: name, status }));
            }
        };
        let checksum = match self
            .http
            .get(&file.checksum_path(), on_bytes)
            .map_err(Miss::Unreachable)?
        {
            Response::Body(bytes) => bytes,
            Response::NotFound => return Err(Miss::Final(FileProblem::NoChecksum { file: name })),
            Response::Status(status) => {
                let file = format!("{name}.CHECKSUM");
                return Err(Miss::Retry(FileProblem::HttpStatus { file, status }));
            }
        };
        let expected =
            parse_checksum(&String::from_utf8_lossy(&checksum), file.name()).map_err(|reason| {
                Miss::Retry(FileProblem::BadChecksumFile {
                    file: name.clone(),
                    reason,
                })
            })?;
        let actual = sha256_hex(&zip);
        if actual != expected {
            return Err(Miss::Retry(FileProblem::ChecksumMismatch {
                file: name,
                expected,
                actual,
            }));
        }
        // A zip can match its checksum and still be unreadable (published broken, or the checksum was
        // computed from the broken file); it is retried like a mismatch and never cached.
        let csv = unzip_csv(&zip)
            .map_err(|reason| Miss::Retry(FileProblem::CorruptZip { file: name, reason }))?;
        self.cache.store(file, &zip, &actual).map_err(|source| {
            Miss::Stop(Stop::Disk {
                path: self.cache.root().to_path_buf(),
                source,
            })
        })?;
        Ok(Got::Csv { csv, cached: false })
    }
}
