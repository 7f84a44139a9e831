//! `wick merge`: join the folders of `wick sweep --shard I/N` runs into one sweep folder that is
//! identical to what the unsharded run writes.
//!
//! The shards must be of one sweep (same manifest apart from the shard, same `config.toml` apart from
//! the data paths, which differ from host to host), all
//! N of them, each once. Rows are joined and put back in id order; each charted configuration's
//! files come from the shard that ran it; then [`super::finish`] draws the charts and writes the
//! summary exactly as `wick sweep` does.

use std::fs;
use std::path::{Path, PathBuf};

use super::table::{self, ID};
use super::{
    BY_LEVERAGE, CONFIG_TOML, ChartOptions, PRICE_CSV, SUMMARY_JSON, SWEEP_CSV, SWEEP_PARQUET,
    SweepFilesError, SweepManifest, SweepReport, finish, io, leverage_label, read_manifest,
    read_rows, write_json,
};
use crate::columnar::{self, Table};
use crate::sweep::Shard;

/// Merge shard folders `dirs` into `out` and finish it (summary and charts).
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    options: &ChartOptions,
) -> Result<SweepReport, SweepFilesError> {
    let fail = |m: String| SweepFilesError::Merge(m);
    if dirs.is_empty() {
        return Err(fail(
            "no shard folders given; pass the --out folders of every `wick sweep --shard I/N` run"
                .into(),
        ));
    }
    if let Some(d) = dirs.iter().find(|d| same_dir(d, out)) {
        return Err(fail(format!(
            "the output folder {} is also a shard folder; choose another --out",
            d.display()
        )));
    }
    let manifests: Vec<SweepManifest> = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<_, _>>()?;
    let first = &manifests[0];
    let config = settings_without_data(&dirs[0].join(CONFIG_TOML))?;
    for (dir, m) in dirs.iter().zip(&manifests).skip(1) {
        if let Some(field) = differing_field(first, m) {
            return Err(fail(format!(
                "{} holds a different sweep than {} ({field} differs); merge only the shards of one `wick sweep` command",
                dir.display(),
                dirs[0].display()
            )));
        }
        let path = dir.join(CONFIG_TOML);
        if settings_without_data(&path)? != config {
            return Err(fail(format!(
                "{}: the resolved settings differ from {}'s; rerun the shards with the same strategy file and flags",
                path.display(),
                dirs[0].display()
            )));
        }
    }
    check_shards(dirs, &manifests)?;

    let mut rows = Table::new();
    for dir in dirs {
        table::append(&mut rows, read_rows(dir)?)
            .map_err(|e| fail(format!("{}: {e}", dir.join(SWEEP_PARQUET).display())))?;
    }
    let mut order: Vec<usize> = (0..rows.rows()).collect();
    order.sort_by_key(|&r| table::number(&rows, ID, r).map_or(i64::MAX, |v| v as i64));
    table::reorder(&mut rows, &order);
    for r in 1..rows.rows() {
        if table::number(&rows, ID, r) == table::number(&rows, ID, r - 1) {
            return Err(fail(format!(
                "configuration {} appears in two shards; give each shard folder once",
                table::number(&rows, ID, r).unwrap_or(-1.0)
            )));
        }
    }

    fs::create_dir_all(out).map_err(io(out))?;
    columnar::write_csv(&out.join(SWEEP_CSV), &rows)?;
    columnar::write_parquet(&out.join(SWEEP_PARQUET), &rows)?;
    copy(&dirs[0].join(CONFIG_TOML), &out.join(CONFIG_TOML))?;
    copy(&dirs[0].join(PRICE_CSV), &out.join(PRICE_CSV))?;
    for (id, word) in &first.charted {
        let label = leverage_label(word);
        // The charted configuration's files are in the shard whose id range holds it.
        let Some(k) = manifests
            .iter()
            .position(|m| m.shard.range(m.configurations).contains(id))
        else {
            continue;
        };
        let from = dirs[k].join(BY_LEVERAGE).join(&label);
        if !from.is_dir() {
            continue; // a skipped parameter combination: no row, no files
        }
        let to = out.join(BY_LEVERAGE).join(&label);
        fs::create_dir_all(&to).map_err(io(&to))?;
        for name in ["equity.csv", "drawdown.csv", "trades.csv"] {
            copy(&from.join(name), &to.join(name))?;
        }
    }
    let whole = SweepManifest {
        shard: Shard::WHOLE,
        ..first.clone()
    };
    write_json(
        &out.join(SUMMARY_JSON),
        &serde_json::json!({ "sweep": whole }),
    )?;
    finish(out, options)
}

/// A shard's resolved settings without its `[data]` table: the same files may sit in different
/// folders on different hosts, every other setting must be the same.
fn settings_without_data(path: &Path) -> Result<toml::Table, SweepFilesError> {
    let text = fs::read_to_string(path).map_err(io(path))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| SweepFilesError::Bad {
        path: path.to_path_buf(),
        message: format!("{e}; is this a folder written by `wick sweep`?"),
    })?;
    table.remove("data");
    Ok(table)
}

fn copy(from: &Path, to: &Path) -> Result<(), SweepFilesError> {
    fs::copy(from, to).map(|_| ()).map_err(io(from))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The first top-level field in which two manifests differ, the shard aside.
fn differing_field(a: &SweepManifest, b: &SweepManifest) -> Option<String> {
    let b = SweepManifest {
        shard: a.shard,
        ..b.clone()
    };
    let (Ok(serde_json::Value::Object(x)), Ok(serde_json::Value::Object(y))) =
        (serde_json::to_value(a), serde_json::to_value(&b))
    else {
        return Some("the manifest".into());
    };
    x.iter()
        .find(|(k, v)| y.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
}

/// All N shards, each once.
fn check_shards(dirs: &[PathBuf], manifests: &[SweepManifest]) -> Result<(), SweepFilesError> {
    let n = manifests[0].shard.count;
    let mut seen: Vec<Option<&PathBuf>> = vec![None; n];
    for (dir, m) in dirs.iter().zip(manifests) {
        if m.shard.count != n {
            return Err(SweepFilesError::Merge(format!(
                "{} is shard {} but {} is shard {}: every shard must come from a run with the same N",
                dir.display(),
                m.shard,
                dirs[0].display(),
                manifests[0].shard
            )));
        }
        if let Some(other) = seen[m.shard.index].replace(dir) {
            return Err(SweepFilesError::Merge(format!(
                "shard {} is given twice ({} and {}); give each shard folder once",
                m.shard,
                other.display(),
                dir.display()
            )));
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_none())
        .map(|(i, _)| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(SweepFilesError::Merge(format!(
            "{} {} missing; run `wick sweep … --shard {}` and pass its folder too",
            if missing.len() > 1 { "shards" } else { "shard" },
            missing.join(", ") + if missing.len() > 1 { " are" } else { " is" },
            missing[0]
        )));
    }
    Ok(())
}
