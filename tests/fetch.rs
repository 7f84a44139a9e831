//! `wick data fetch` against an in-process archive on 127.0.0.1 laid out like data.binance.vision:
//! zips with and without header rows, daily files for the running month, a missing month, a wrong
//! checksum, a corrupt zip, and no server at all.

mod common;
mod fetch_server;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use fetch_server::ArchiveServer;
use wick::domain::Interval;
use wick::fetch::checksum::sha256_hex;
use wick::fetch::{FetchReport, FetchRequest, Kind, Silent, fetch};
use wick::market::{LoadOptions, load_candles, load_funding};

const KLINES: &str = "data/futures/um/monthly/klines/BTCUSDT/1h";
const DAILY_KLINES: &str = "data/futures/um/daily/klines/BTCUSDT/1h";
const MARK: &str = "data/futures/um/monthly/markPriceKlines/BTCUSDT/1h";
const DAILY_MARK: &str = "data/futures/um/daily/markPriceKlines/BTCUSDT/1h";
const FUNDING: &str = "data/futures/um/monthly/fundingRate/BTCUSDT";

const KLINE_HEADER: &str = "open_time,open,high,low,close,volume,close_time,quote_volume,count,\
                            taker_buy_volume,taker_buy_quote_volume,ignore\n";
const FUNDING_HEADER: &str = "calc_time,funding_interval_hours,last_funding_rate\n";

/// The archive as the test builds it: path → bytes, every zip with its `.CHECKSUM`.
#[derive(Default)]
struct Archive(HashMap<String, Vec<u8>>);

impl Archive {
    /// A zip holding `csv`, named as the archive names it, plus its correct checksum file.
    fn add(&mut self, dir: &str, name: &str, csv: &str) {
        let zip = zip_of(&name.replace(".zip", ".csv"), csv);
        self.add_raw(dir, name, zip.clone(), &sha256_hex(&zip));
    }

    fn add_raw(&mut self, dir: &str, name: &str, zip: Vec<u8>, hash: &str) {
        self.0.insert(
            format!("{dir}/{name}.CHECKSUM"),
            format!("{hash}  {name}\n").into_bytes(),
        );
        self.0.insert(format!("{dir}/{name}"), zip);
    }

    fn remove(&mut self, dir: &str, name: &str) {
        self.0.remove(&format!("{dir}/{name}"));
        self.0.remove(&format!("{dir}/{name}.CHECKSUM"));
    }
}

fn zip_of(member: &str, csv: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(member, options).unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

/// A kline row in the archive's 12 columns (the last six are not read by wick).
fn kline(open_time: i64, ohlcv: &str) -> String {
    format!("{open_time},{ohlcv},{},0,0,0,0,0\n", open_time + 3_599_999)
}

// Bar-open times used below (UTC).
const FEB_01_00H: i64 = 1_580_515_200_000;
const MAR_01_00H: i64 = 1_583_020_800_000;
const APR_01_00H: i64 = 1_585_699_200_000;
const APR_02_00H: i64 = 1_585_785_600_000;
const HOUR: i64 = 3_600_000;

/// February and March 2020 as monthly files, 1 and 2 April as daily files (today is 3 April): the
/// February and 1 April files have no header row, the others have one, as in the real archive.
fn full_archive() -> Archive {
    let mut a = Archive::default();
    let candles = [
        (
            KLINES,
            "BTCUSDT-1h-2020-02.zip",
            FEB_01_00H,
            false,
            [
                "9350.5,9400,9300.25,9380,1200.5",
                "9380,9395.75,9360,9370.1,800.25",
            ],
        ),
        (
            KLINES,
            "BTCUSDT-1h-2020-03.zip",
            MAR_01_00H,
            true,
            [
                "8530,8600,8500,8550.5,1500",
                "8550.5,8560,8520,8525,700.125",
            ],
        ),
        (
            DAILY_KLINES,
            "BTCUSDT-1h-2020-04-01.zip",
            APR_01_00H,
            false,
            ["6410,6450,6400,6420.5,2000", "6420.5,6430,6380,6390,1000"],
        ),
        (
            DAILY_KLINES,
            "BTCUSDT-1h-2020-04-02.zip",
            APR_02_00H,
            true,
            ["6640,6700,6600,6680,3000", "6680,6690,6650,6660,900"],
        ),
        (
            MARK,
            "BTCUSDT-1h-2020-02.zip",
            FEB_01_00H,
            false,
            ["9351.5,9399,9301,9379,0", "9379,9394,9361,9369,0"],
        ),
        (
            MARK,
            "BTCUSDT-1h-2020-03.zip",
            MAR_01_00H,
            true,
            ["8531,8599,8501,8549,0", "8549,8559,8521,8526,0"],
        ),
        (
            DAILY_MARK,
            "BTCUSDT-1h-2020-04-01.zip",
            APR_01_00H,
            true,
            ["6411,6449,6401,6420,0", "6420,6429,6381,6391,0"],
        ),
        (
            DAILY_MARK,
            "BTCUSDT-1h-2020-04-02.zip",
            APR_02_00H,
            false,
            ["6641,6699,6601,6679,0", "6679,6689,6651,6661,0"],
        ),
    ];
    for (dir, name, start, header, rows) in candles {
        let mut csv = if header {
            KLINE_HEADER.to_string()
        } else {
            String::new()
        };
        csv += &kline(start, rows[0]);
        csv += &kline(start + HOUR, rows[1]);
        a.add(dir, name, &csv);
    }
    // Funding times carry Binance's millisecond offsets; wick floors them to the minute.
    a.add(
        FUNDING,
        "BTCUSDT-fundingRate-2020-02.zip",
        "1580515200001,8,0.00010000\n1580544000001,8,-0.00025000\n",
    );
    let march = format!("{FUNDING_HEADER}1583020800002,8,0.00030000\n1583049600000,8,0.00010000\n");
    a.add(FUNDING, "BTCUSDT-fundingRate-2020-03.zip", &march);
    a
}

type Bar = (i64, f64, f64, f64, f64, f64);

const EXPECTED_CANDLES: [Bar; 8] = [
    (FEB_01_00H, 9350.5, 9400.0, 9300.25, 9380.0, 1200.5),
    (FEB_01_00H + HOUR, 9380.0, 9395.75, 9360.0, 9370.1, 800.25),
    (MAR_01_00H, 8530.0, 8600.0, 8500.0, 8550.5, 1500.0),
    (MAR_01_00H + HOUR, 8550.5, 8560.0, 8520.0, 8525.0, 700.125),
    (APR_01_00H, 6410.0, 6450.0, 6400.0, 6420.5, 2000.0),
    (APR_01_00H + HOUR, 6420.5, 6430.0, 6380.0, 6390.0, 1000.0),
    (APR_02_00H, 6640.0, 6700.0, 6600.0, 6680.0, 3000.0),
    (APR_02_00H + HOUR, 6680.0, 6690.0, 6650.0, 6660.0, 900.0),
];

const EXPECTED_MARK: [Bar; 8] = [
    (FEB_01_00H, 9351.5, 9399.0, 9301.0, 9379.0, 0.0),
    (FEB_01_00H + HOUR, 9379.0, 9394.0, 9361.0, 9369.0, 0.0),
    (MAR_01_00H, 8531.0, 8599.0, 8501.0, 8549.0, 0.0),
    (MAR_01_00H + HOUR, 8549.0, 8559.0, 8521.0, 8526.0, 0.0),
    (APR_01_00H, 6411.0, 6449.0, 6401.0, 6420.0, 0.0),
    (APR_01_00H + HOUR, 6420.0, 6429.0, 6381.0, 6391.0, 0.0),
    (APR_02_00H, 6641.0, 6699.0, 6601.0, 6679.0, 0.0),
    (APR_02_00H + HOUR, 6679.0, 6689.0, 6651.0, 6661.0, 0.0),
];

/// Times floored to the minute; mark price = the open of the mark candle starting at the settlement
/// (none starts at 08:00 here).
const EXPECTED_FUNDING: [(i64, f64, Option<f64>); 4] = [
    (FEB_01_00H, 0.0001, Some(9351.5)),
    (FEB_01_00H + 8 * HOUR, -0.00025, None),
    (MAR_01_00H, 0.0003, Some(8531.0)),
    (MAR_01_00H + 8 * HOUR, 0.0001, None),
];

/// The candles of an output file, read back through wick's own loader (so every loader check applies).
fn candles_in(out: &Path, name: &str) -> Vec<Bar> {
    let opts = LoadOptions {
        interval: Some(Interval::HOUR),
        ..LoadOptions::default()
    };
    let c = load_candles(&out.join(name), &opts)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .candles;
    (0..c.len())
        .map(|i| {
            (
                c.time[i],
                c.open[i],
                c.high[i],
                c.low[i],
                c.close[i],
                c.volume[i],
            )
        })
        .collect()
}

fn funding_in(out: &Path, name: &str) -> Vec<(i64, f64, Option<f64>)> {
    let f = load_funding(&out.join(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .funding;
    (0..f.len())
        .map(|i| {
            (
                f.time[i],
                f.rate[i],
                (!f.mark[i].is_nan()).then_some(f.mark[i]),
            )
        })
        .collect()
}

fn times(bars: &[Bar]) -> Vec<i64> {
    bars.iter().map(|b| b.0).collect()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 3).unwrap()
}

fn request(server: &ArchiveServer, out: &Path) -> FetchRequest {
    let mut req = FetchRequest::new(
        "BTCUSDT",
        Interval::HOUR,
        "2020-02".parse().unwrap(),
        today(),
    );
    req.out_dir = out.to_path_buf();
    req.base_url = server.base_url();
    req
}

/// Files in `out` (not the cache) whose names mark an unfinished write.
fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".partial-"))
        .collect()
}

fn run(server: &ArchiveServer, out: &Path) -> FetchReport {
    fetch(&request(server, out), &mut Silent).unwrap()
}

#[test]
fn months_and_days_with_and_without_header_rows_merge_into_exactly_the_expected_rows() {
    let server = ArchiveServer::start(full_archive().0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        EXPECTED_CANDLES
    );
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-mark-1h.parquet"),
        EXPECTED_MARK
    );
    assert_eq!(
        funding_in(out.path(), "binance-btcusdt-funding.parquet"),
        EXPECTED_FUNDING
    );
    assert_eq!(report.downloaded, 10);
    assert!(
        report.failed.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );
    let kinds: Vec<Kind> = report.written.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [Kind::Candles, Kind::Mark, Kind::Funding]);
    assert_eq!(report.written[0].rows, 8);
    // April's funding is not published until April ends; the report says so.
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("funding for 2020-04 is not in the archive yet")),
        "{report:?}"
    );
    assert!(leftovers(out.path()).is_empty());
}

#[test]
fn a_second_run_takes_every_verified_file_from_the_cache_and_requests_nothing() {
    let server = ArchiveServer::start(full_archive().0);
    let out = tempfile::tempdir().unwrap();
    run(&server, out.path());
    // Each zip and each checksum was requested exactly once.
    let first = server.requests();
    assert_eq!(first.len(), 20);
    assert!(first.iter().all(|p| server.hits(p) == 1), "{first:?}");

    server.clear_requests();
    let again = run(&server, out.path());
    assert_eq!(server.requests(), Vec::<String>::new());
    assert_eq!((again.cached, again.downloaded, again.bytes), (10, 0, 0));
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        EXPECTED_CANDLES
    );
}

#[test]
fn an_interrupted_fetch_resumes_by_downloading_only_the_file_that_failed() {
    let mut archive = full_archive();
    let good = archive.0[&format!("{KLINES}/BTCUSDT-1h-2020-03.zip")].clone();
    archive.add_raw(
        KLINES,
        "BTCUSDT-1h-2020-03.zip",
        good.clone(),
        &sha256_hex(b"something else"),
    );
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let first = run(&server, out.path());
    assert_eq!(first.failed.len(), 1);

    // The archive republishes a correct checksum; the re-run fetches that one file and nothing else.
    let path = format!("{KLINES}/BTCUSDT-1h-2020-03.zip");
    server.put(
        &format!("{path}.CHECKSUM"),
        format!("{}  BTCUSDT-1h-2020-03.zip\n", sha256_hex(&good)).into_bytes(),
    );
    server.clear_requests();
    let second = run(&server, out.path());
    assert_eq!(
        server.requests(),
        [path.clone(), format!("{path}.CHECKSUM")]
    );
    assert_eq!((second.downloaded, second.cached), (1, 9));
    assert!(second.failed.is_empty());
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        EXPECTED_CANDLES
    );
}

#[test]
fn a_wrong_checksum_is_retried_once_then_reported_by_file_name_and_the_rest_is_written() {
    let mut archive = full_archive();
    let zip = zip_of("BTCUSDT-1h-2020-02.csv", &kline(FEB_01_00H, "1,1,1,1,1"));
    archive.add_raw(KLINES, "BTCUSDT-1h-2020-02.zip", zip, &"ab".repeat(32));
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    assert_eq!(server.hits(&format!("{KLINES}/BTCUSDT-1h-2020-02.zip")), 2);
    assert_eq!(report.failed.len(), 1);
    let message = report.failed[0].to_string();
    assert!(
        message.starts_with("monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-02.zip: checksum mismatch"),
        "{message}"
    );
    assert!(message.contains(&"ab".repeat(32)), "{message}");
    // February's candles are absent; everything else is there, and nothing half-written is left.
    let candles = times(&candles_in(out.path(), "binance-btcusdt-1h.parquet"));
    assert_eq!(candles, times(&EXPECTED_CANDLES[2..]));
    assert_eq!(
        funding_in(out.path(), "binance-btcusdt-funding.parquet"),
        EXPECTED_FUNDING
    );
    assert!(leftovers(out.path()).is_empty());
    // The bad zip was not cached: a re-run asks for it again.
    server.clear_requests();
    run(&server, out.path());
    assert_eq!(server.hits(&format!("{KLINES}/BTCUSDT-1h-2020-02.zip")), 2);
}

#[test]
fn a_corrupt_zip_is_retried_once_then_reported_by_file_name() {
    let mut archive = full_archive();
    // Published broken: its checksum matches, but it is not a zip.
    let broken = b"PK\x03\x04 this is not really a zip".to_vec();
    let hash = sha256_hex(&broken);
    archive.add_raw(MARK, "BTCUSDT-1h-2020-03.zip", broken, &hash);
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    assert_eq!(server.hits(&format!("{MARK}/BTCUSDT-1h-2020-03.zip")), 2);
    assert_eq!(report.failed.len(), 1);
    let message = report.failed[0].to_string();
    assert!(
        message.starts_with(
            "monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-03.zip: not a readable zip"
        ),
        "{message}"
    );
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        EXPECTED_CANDLES
    );
    assert!(
        !times(&candles_in(out.path(), "binance-btcusdt-mark-1h.parquet")).contains(&MAR_01_00H)
    );
}

#[test]
fn a_missing_month_is_reported_by_name_and_left_as_a_gap() {
    let mut archive = full_archive();
    archive.remove(KLINES, "BTCUSDT-1h-2020-02.zip");
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    let missing: Vec<&str> = report.missing.iter().map(|f| f.name()).collect();
    assert_eq!(missing, ["BTCUSDT-1h-2020-02.zip"]);
    assert!(report.failed.is_empty());
    // February is a gap in the series; `wick data inspect` reports it from the written file.
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        EXPECTED_CANDLES[2..]
    );
    // A 404 is an answer, not a failure: it is not retried.
    assert_eq!(server.hits(&format!("{KLINES}/BTCUSDT-1h-2020-02.zip")), 1);
}

#[test]
fn a_zip_without_a_published_checksum_is_not_used_and_is_reported_by_name() {
    let mut archive = full_archive();
    archive.0.remove(&format!(
        "{FUNDING}/BTCUSDT-fundingRate-2020-03.zip.CHECKSUM"
    ));
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());
    assert_eq!(report.failed.len(), 1);
    assert!(report.failed[0].to_string().starts_with(
        "monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-03.zip: the archive publishes no"
    ));
    assert!(
        !funding_in(out.path(), "binance-btcusdt-funding.parquet")
            .iter()
            .any(|f| f.0 == MAR_01_00H)
    );
}

#[test]
fn a_bad_row_is_reported_with_the_file_row_column_and_value() {
    let mut archive = full_archive();
    let csv = format!("{FUNDING_HEADER}1583020800002,8,0.0003\n1583049600000,8,n/a\n");
    archive.add(FUNDING, "BTCUSDT-fundingRate-2020-03.zip", &csv);
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());
    assert_eq!(report.failed.len(), 1);
    assert_eq!(
        report.failed[0].to_string(),
        "monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-03.zip: row 3, column 'last_funding_rate': 'n/a' is not a finite number; \
         the file was not used"
    );
}

fn wick(server_url: &str, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("wick").unwrap();
    cmd.args([
        "data",
        "fetch",
        "--symbol",
        "BTCUSDT",
        "--interval",
        "1h",
        "--from",
        "2020-02",
        "--to",
        "2020-04",
    ])
    .args([
        "--today",
        "2020-04-03",
        "--format",
        "csv",
        "--quiet",
        "--base-url",
        server_url,
    ])
    .arg("--out")
    .arg(out);
    cmd
}

#[test]
fn the_command_writes_all_three_files_and_exits_0() {
    let server = ArchiveServer::start(full_archive().0);
    let out = tempfile::tempdir().unwrap();
    let assert = wick(&server.base_url(), out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("binance-btcusdt-1h.csv: 8 candles, 2020-02-01 00:00 → 2020-04-02 01:00"),
        "{stdout}"
    );
    assert!(stdout.contains("10 downloaded and verified"), "{stdout}");
    // The command writes CSV here (--format csv): the same rows as the Parquet the library tests read.
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.csv"),
        EXPECTED_CANDLES
    );
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-mark-1h.csv"),
        EXPECTED_MARK
    );
    assert_eq!(
        funding_in(out.path(), "binance-btcusdt-funding.csv"),
        EXPECTED_FUNDING
    );
}

#[test]
fn the_command_names_a_failed_file_and_exits_1_after_writing_the_rest() {
    let mut archive = full_archive();
    archive.add_raw(
        DAILY_KLINES,
        "BTCUSDT-1h-2020-04-02.zip",
        b"garbage".to_vec(),
        &"00".repeat(32),
    );
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let assert = wick(&server.base_url(), out.path()).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(
            "failed: daily/klines/BTCUSDT/1h/BTCUSDT-1h-2020-04-02.zip: checksum mismatch"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.csv"),
        EXPECTED_CANDLES[..6]
    );
}

#[test]
fn the_command_lists_a_missing_month_but_exits_0_unless_strict() {
    let mut archive = full_archive();
    archive.remove(MARK, "BTCUSDT-1h-2020-02.zip");
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let assert = wick(&server.base_url(), out.path()).assert().success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("not in the archive (HTTP 404)")
            && stderr.contains("monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-02.zip"),
        "{stderr}"
    );
    wick(&server.base_url(), out.path())
        .arg("--strict")
        .assert()
        .code(1);
}

#[test]
fn without_a_reachable_archive_the_command_prints_one_line_and_exits_1() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tempfile::tempdir().unwrap();
    let assert = wick(&format!("http://127.0.0.1:{port}"), out.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot reach http://127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(leftovers(out.path()).is_empty());
}

#[test]
fn a_month_that_just_ended_and_is_not_yet_published_is_fetched_day_by_day() {
    // Today is 2 March 2020: February's monthly file is not out yet, but its 29 daily files are.
    let mut archive = Archive::default();
    let day = 24 * HOUR;
    for d in 0..30 {
        let date = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap() + chrono::Days::new(d as u64);
        let name = format!("BTCUSDT-1h-{}.zip", date.format("%Y-%m-%d"));
        archive.add(
            DAILY_KLINES,
            &name,
            &kline(FEB_01_00H + d * day, "100,110,90,105,1"),
        );
    }
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let mut req = request(&server, out.path());
    req.today = NaiveDate::from_ymd_opt(2020, 3, 2).unwrap();
    req.to = "2020-03".parse().unwrap();
    req.kinds = vec![Kind::Candles];
    let report = fetch(&req, &mut Silent).unwrap();

    assert!(
        report.missing.is_empty() && report.failed.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.downloaded, 30);
    assert!(report.notes.iter().any(|n| {
        n.starts_with("monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-02.zip is not published yet")
    }));
    let candles = times(&candles_in(out.path(), "binance-btcusdt-1h.parquet"));
    let expected: Vec<i64> = (0..30).map(|d| FEB_01_00H + d * day).collect();
    assert_eq!(candles, expected);
}

/// The rows of a real-data file whose time falls in `[from, to)`, as archive CSV lines.
fn archive_lines(file: &Path, from: i64, to: i64, line: impl Fn(i64, &str) -> String) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let (t, rest) = l.split_once(',')?;
            let t: i64 = t.parse().ok()?;
            (from..to).contains(&t).then(|| line(t, rest))
        })
        .collect()
}

/// Real-data cross-check: January–March 2024 of `../shared/data` rebuilt as archive zips (January
/// without header rows, as in older files), fetched, and read back: the rows must be exactly those of
/// the shared files. The shared funding file's `mark_price` was derived the same way wick derives it
/// (the mark open at the settlement), so it must match as well.
#[test]
fn fetching_an_archive_rebuilt_from_the_real_data_gives_back_exactly_its_rows() {
    let Some(data) = common::shared_data() else {
        return;
    };
    const MONTHS: [(&str, i64, i64); 3] = [
        ("2024-01", 1_704_067_200_000, 1_706_745_600_000),
        ("2024-02", 1_706_745_600_000, 1_709_251_200_000),
        ("2024-03", 1_709_251_200_000, 1_711_929_600_000),
    ];
    let (from, to) = (MONTHS[0].1, MONTHS[2].2);
    let mut archive = Archive::default();
    for (month, start, end) in MONTHS {
        let header = month != "2024-01";
        let kline = |t: i64, ohlcv: &str| format!("{t},{ohlcv},{},0,0,0,0,0\n", t + HOUR - 1);
        for (dir, file) in [
            (KLINES, "btcusdt-perp-1h.csv"),
            (MARK, "btcusdt-perp-mark-1h.csv"),
        ] {
            let rows = archive_lines(&data.join(file), start, end, kline);
            let csv = if header {
                format!("{KLINE_HEADER}{rows}")
            } else {
                rows
            };
            archive.add(dir, &format!("BTCUSDT-1h-{month}.zip"), &csv);
        }
        // The archive stamps settlements a millisecond late and has no mark price column.
        let settlement =
            |t: i64, rest: &str| format!("{},8,{}\n", t + 1, rest.split(',').next().unwrap());
        let rows = archive_lines(
            &data.join("btcusdt-perp-funding-8h.csv"),
            start,
            end,
            settlement,
        );
        let csv = if header {
            format!("{FUNDING_HEADER}{rows}")
        } else {
            rows
        };
        archive.add(FUNDING, &format!("BTCUSDT-fundingRate-{month}.zip"), &csv);
    }
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let mut req = request(&server, out.path());
    req.from = "2024-01".parse().unwrap();
    req.to = "2024-03".parse().unwrap();
    req.today = NaiveDate::from_ymd_opt(2024, 5, 17).unwrap();
    let report = fetch(&req, &mut Silent).unwrap();
    assert!(
        report.failed.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );

    let in_span = |bars: Vec<Bar>| {
        bars.into_iter()
            .filter(|b| (from..to).contains(&b.0))
            .collect::<Vec<_>>()
    };
    let candles = in_span(candles_in(&data, "btcusdt-perp-1h.csv"));
    assert_eq!(candles.len(), 91 * 24);
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        candles
    );
    let mark = in_span(candles_in(&data, "btcusdt-perp-mark-1h.csv"));
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-mark-1h.parquet"),
        mark
    );
    let funding: Vec<_> = funding_in(&data, "btcusdt-perp-funding-8h.csv")
        .into_iter()
        .filter(|f| (from..to).contains(&f.0))
        .collect();
    assert_eq!(funding.len(), 91 * 3);
    assert_eq!(
        funding_in(out.path(), "binance-btcusdt-funding.parquet"),
        funding
    );
}

#[test]
fn a_bar_breaking_the_ohlc_rules_is_reported_with_its_archive_file_and_row_and_that_file_left_out()
{
    let mut archive = full_archive();
    // March 1st 01:00: a high below the open, which no real bar has.
    let csv = format!(
        "{KLINE_HEADER}{}{}",
        kline(MAR_01_00H, "8530,8600,8500,8550.5,1500"),
        kline(MAR_01_00H + HOUR, "8550.5,8540,8520,8525,700.125")
    );
    archive.add(KLINES, "BTCUSDT-1h-2020-03.zip", &csv);
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(
        report.failed[0].to_string(),
        "monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-03.zip: row 3, column 'high': high 8540 is below max(open 8550.5, close 8525); \
         the file was not used"
    );
    let without_march = [&EXPECTED_CANDLES[..2], &EXPECTED_CANDLES[4..]].concat();
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-1h.parquet"),
        without_march
    );
}

#[test]
fn merged_candles_the_loader_refuses_are_not_written_and_the_failure_names_the_output_file() {
    let mut archive = full_archive();
    // A bar at 00:30 is off the 1h grid: every bar of the file parses, but the merged series mixes
    // intervals, and the loader refuses it.
    let csv = format!(
        "{KLINE_HEADER}{}{}",
        kline(MAR_01_00H, "8530,8600,8500,8550.5,1500"),
        kline(MAR_01_00H + HOUR / 2, "8550.5,8560,8520,8525,700.125")
    );
    archive.add(KLINES, "BTCUSDT-1h-2020-03.zip", &csv);
    let server = ArchiveServer::start(archive.0);
    let out = tempfile::tempdir().unwrap();
    let report = run(&server, out.path());

    assert_eq!(report.failed.len(), 1, "{report:?}");
    let message = report.failed[0].to_string();
    let output = out.path().join("binance-btcusdt-1h.parquet");
    assert!(
        message.starts_with(&format!("{}: not written", output.display())),
        "{message}"
    );
    assert!(message.contains("2020-03-01 00:30"), "{message}");
    assert!(!message.contains(".partial-"), "{message}");
    assert!(!output.exists());
    assert!(leftovers(out.path()).is_empty());
    // The other kinds do not depend on it and are written.
    assert_eq!(
        candles_in(out.path(), "binance-btcusdt-mark-1h.parquet"),
        EXPECTED_MARK
    );
    assert_eq!(
        funding_in(out.path(), "binance-btcusdt-funding.parquet"),
        EXPECTED_FUNDING
    );
}

#[test]
fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
    let server = ArchiveServer::start(full_archive().0);
    let out = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("wick").unwrap();
    cmd.args([
        "data",
        "fetch",
        "--interval",
        "1h",
        "--from",
        "2020-02",
        "--today",
        "2020-04-03",
    ])
    .args(["--base-url", &server.base_url()])
    .arg("--out")
    .arg(out.path());
    let assert = cmd.assert().success();
    // Captured stderr is a pipe: only the one note about April's funding, no bar frames.
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "note: funding for 2020-04 is not in the archive yet: Binance publishes funding history once a \
         month ends\n"
    );
}

#[test]
fn when_the_archive_holds_nothing_for_the_range_the_command_says_so_and_exits_1() {
    let server = ArchiveServer::start(HashMap::new());
    let out = tempfile::tempdir().unwrap();
    let assert = wick(&server.base_url(), out.path()).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(
            "error: nothing was written for BTCUSDT 2020-02 to 2020-04: 0 archive file(s) failed"
        ),
        "{stderr}"
    );
    // The missing files are listed as runs, one per kind.
    // Missing files are listed as runs; March, the month just ended, was also tried day by day.
    for run in [
        "monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-02.zip … BTCUSDT-fundingRate-2020-03.zip (2 files)",
        "daily/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-03-01.zip … BTCUSDT-1h-2020-03-31.zip (31 files)",
    ] {
        assert!(stderr.contains(run), "{run}: {stderr}");
    }
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no output and no cache files"
    );
}
