//! What a fetch tells its caller while it runs. The library only reports events; the command line
//! draws them (an indicatif bar on stderr), tests count them, and [`Silent`] ignores them.

use super::archive::ArchiveFile;

/// How one archive file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome {
    /// Downloaded and verified against its checksum.
    Downloaded,
    /// Already in the cache with a verified checksum; nothing was requested.
    Cached,
    /// The archive does not hold it (HTTP 404).
    Missing,
    /// Failed verification or reading; reported in the fetch report.
    Failed,
}

/// Receives progress events; every method does nothing by default.
pub trait Progress {
    /// The number of archive files the fetch will go through.
    fn planned(&mut self, _files: usize) {}
    /// `file` is about to be fetched (or read from the cache).
    fn file_started(&mut self, _file: &ArchiveFile) {}
    /// `bytes` more bytes arrived over the network.
    fn bytes_received(&mut self, _bytes: u64) {}
    fn file_finished(&mut self, _file: &ArchiveFile, _outcome: FileOutcome) {}
    /// All files are through; outputs are being written.
    fn finished(&mut self) {}
}

/// Reports nothing (library callers and `--quiet`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {}
