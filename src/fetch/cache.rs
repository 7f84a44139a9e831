//! The download cache under `<out>/.cache/`, mirroring the archive's paths. A zip is stored only after it
//! matched its published SHA-256, together with that checksum; a later fetch re-hashes the cached zip and
//! uses it without asking the network when the two still agree. That is what makes a fetch resumable.
//! Deleting the folder forces fresh downloads (the archive occasionally republishes corrected files).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::archive::ArchiveFile;
use super::checksum::{checksum_line, parse_checksum, sha256_hex};

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn new(out_dir: &Path) -> Self {
        Cache {
            root: out_dir.join(".cache"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn zip_path(&self, file: &ArchiveFile) -> PathBuf {
        self.root.join(&file.path)
    }

    fn checksum_path(&self, file: &ArchiveFile) -> PathBuf {
        self.root.join(file.checksum_path())
    }

    /// The cached zip, if it is there and still hashes to the checksum stored beside it.
    pub fn verified(&self, file: &ArchiveFile) -> Option<Vec<u8>> {
        let stored = fs::read_to_string(self.checksum_path(file)).ok()?;
        let expected = parse_checksum(&stored, file.name()).ok()?;
        let zip = fs::read(self.zip_path(file)).ok()?;
        (sha256_hex(&zip) == expected).then_some(zip)
    }

    /// Keep a verified zip. The checksum is written last, so a zip without one is never trusted.
    pub fn store(&self, file: &ArchiveFile, zip: &[u8], hash: &str) -> io::Result<()> {
        write_atomic(&self.zip_path(file), zip)?;
        write_atomic(
            &self.checksum_path(file),
            checksum_line(hash, file.name()).as_bytes(),
        )
    }
}

/// A temporary name beside `path` that keeps its extension (readers choose the format by it) and cannot
/// be mistaken for a finished file.
pub fn temp_path_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".partial-{}-{name}", std::process::id()))
}

/// Write `bytes` to `path` all or nothing: into a temporary file beside it, then rename over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let temp = temp_path_beside(path);
    let written = fs::write(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::archive::{Kind, plan};

    fn a_file() -> ArchiveFile {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let month = "2020-01".parse().unwrap();
        plan("BTCUSDT", "1h", month, month, &[Kind::Candles], today)
            .unwrap()
            .remove(0)
    }

    #[test]
    fn a_stored_zip_is_found_again_only_while_it_matches_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let file = a_file();
        assert_eq!(cache.verified(&file), None);
        cache
            .store(&file, b"zip bytes", &sha256_hex(b"zip bytes"))
            .unwrap();
        assert_eq!(cache.verified(&file).as_deref(), Some(&b"zip bytes"[..]));
        let on_disk = dir
            .path()
            .join(".cache/data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip");
        fs::write(&on_disk, b"tampered").unwrap();
        assert_eq!(cache.verified(&file), None);
    }

    #[test]
    fn atomic_writes_leave_no_temporary_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.csv");
        write_atomic(&path, b"a,b\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a,b\n");
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.csv"]);
        assert!(temp_path_beside(&path).to_string_lossy().ends_with(".csv"));
    }
}
