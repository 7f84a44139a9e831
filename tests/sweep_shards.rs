//! `--shard I/N` + `wick merge` give exactly the folder an unsharded `wick sweep` writes, and
//! merge refuses shard sets that are not one whole sweep.

mod sweep_common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;

const GRID: [&str; 6] = [
    "--leverage",
    "1,3,10,50",
    "--stop-loss",
    "none,0.01,0.05",
    "--param",
    "fast=10,20",
];

fn sweep(strategy: &Path, out: &Path, shard: Option<&str>) {
    let mut cmd = Command::cargo_bin("wick").unwrap();
    cmd.arg("sweep")
        .arg(strategy)
        .args(GRID)
        .arg("--quiet")
        .arg("--out")
        .arg(out);
    if let Some(s) = shard {
        cmd.args(["--shard", s]);
    }
    cmd.assert().success();
}

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn three_shards_merged_are_byte_identical_to_the_unsharded_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 3_000, "");
    let whole = dir.path().join("whole");
    sweep(&strategy, &whole, None);
    let shards: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("shard-{i}")))
        .collect();
    // Run out of order: the merge must not depend on it.
    for i in [2, 0, 1] {
        sweep(&strategy, &shards[i], Some(&format!("{i}/3")));
    }
    let merged = dir.path().join("merged");
    Command::cargo_bin("wick")
        .unwrap()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success()
        .stdout(contains("Configurations ranked by calmar"));

    let expected = files(&whole);
    assert!(
        expected.iter().any(|p| p.ends_with("equity.png")),
        "{expected:?}"
    );
    assert_eq!(files(&merged), expected);
    for f in &expected {
        let (a, b) = (
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
        );
        assert!(
            a == b,
            "{} differs between the unsharded and the merged sweep",
            f.display()
        );
    }
    // Each shard wrote only its own rows: 24 configurations split 8 / 8 / 8.
    for s in &shards {
        let rows = std::fs::read_to_string(s.join("sweep.csv"))
            .unwrap()
            .lines()
            .count()
            - 1;
        assert_eq!(rows, 8, "{}", s.display());
    }
}

#[test]
fn merge_names_the_missing_shard_and_refuses_a_shard_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 1_500, "");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    sweep(&strategy, &a, Some("0/3"));
    sweep(&strategy, &b, Some("2/3"));
    let out = dir.path().join("merged");
    Command::cargo_bin("wick")
        .unwrap()
        .arg("merge")
        .args([&a, &b])
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(contains("shard 1/3 is missing"));
    Command::cargo_bin("wick")
        .unwrap()
        .arg("merge")
        .args([&a, &a, &b])
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(contains("shard 0/3 is given twice"));
}

#[test]
fn a_shard_index_out_of_range_is_refused_with_the_valid_range() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 500, "");
    Command::cargo_bin("wick")
        .unwrap()
        .arg("sweep")
        .arg(&strategy)
        .args(["--shard", "3/3", "--quiet"])
        .assert()
        .failure()
        .stderr(contains("0-based and must be below 3 (0 to 2)"));
}
