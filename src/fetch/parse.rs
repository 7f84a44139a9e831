//! Unpacking an archive zip and normalising its CSV to wick's rows.
//!
//! Kline files (last-price and mark-price alike) have twelve columns, `open_time,open,high,low,close,
//! volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore`; funding files have
//! `calc_time,funding_interval_hours,last_funding_rate`. Older files have no header row and newer ones
//! do, so the first line is read as a header exactly when its first field is not a number; a header's
//! columns are then found by name, a headerless file's by position.

use std::io::{Cursor, Read};

use zip::ZipArchive;

/// One normalised candle: bar open time (UTC ms) and OHLCV as the archive states them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CandleRow {
    pub time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

/// One funding settlement: its time (UTC ms, floored to the minute) and the rate paid then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundingRow {
    pub time: i64,
    pub rate: f64,
}

/// A decompressed CSV larger than this is refused: a month of 1m klines is about 5 MB, so anything near
/// a gigabyte is a broken or hostile archive, not market data.
const MAX_CSV_BYTES: u64 = 1 << 30;

/// The CSV inside an archive zip (the archive puts exactly one in each). The error is the reason the
/// bytes are not a usable zip; the caller names the file.
pub fn unzip_csv(zip_bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut archive = ZipArchive::new(Cursor::new(zip_bytes)).map_err(|e| e.to_string())?;
    let csv_members: Vec<usize> = (0..archive.len())
        .filter(|&i| {
            archive
                .name_for_index(i)
                .is_some_and(|n| n.to_ascii_lowercase().ends_with(".csv"))
        })
        .collect();
    let index = match csv_members.as_slice() {
        [one] => *one,
        [] => return Err("it holds no .csv file".to_string()),
        many => return Err(format!("it holds {} .csv files, expected one", many.len())),
    };
    let member = archive.by_index(index).map_err(|e| e.to_string())?;
    let mut csv = Vec::new();
    member
        .take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut csv)
        .map_err(|e| e.to_string())?;
    if csv.len() as u64 > MAX_CSV_BYTES {
        return Err(format!(
            "its CSV unpacks to more than {MAX_CSV_BYTES} bytes"
        ));
    }
    Ok(csv)
}

const KLINE_COLUMNS: [&str; 6] = ["open_time", "open", "high", "low", "close", "volume"];
const FUNDING_COLUMNS: [&str; 2] = ["calc_time", "last_funding_rate"];
/// Where the funding columns sit in a headerless file (`funding_interval_hours` is column 1).
const FUNDING_POSITIONS: [usize; 2] = [0, 2];

/// Kline rows of one CSV. Errors name the row as a user counts it (first line = 1), the column and value.
pub fn parse_klines(csv: &[u8]) -> Result<Vec<CandleRow>, String> {
    let table = Table::read(csv, &KLINE_COLUMNS, &[0, 1, 2, 3, 4, 5])?;
    table
        .rows
        .iter()
        .map(|row| {
            let bar = CandleRow {
                time: to_millis(row.int(0)?),
                open: row.num(1)?,
                high: row.num(2)?,
                low: row.num(3)?,
                close: row.num(4)?,
                volume: row.num(5)?,
            };
            check_bar(&bar).map_err(|(column, problem)| {
                format!("row {}, column '{column}': {problem}", row.line)
            })?;
            Ok(bar)
        })
        .collect()
}

/// The bar rules the loader enforces, checked here too so that a broken bar is reported with the archive
/// file and row it came from (and that file is left out) rather than as a row of the merged output.
fn check_bar(b: &CandleRow) -> Result<(), (&'static str, String)> {
    for (column, price) in [
        ("open", b.open),
        ("high", b.high),
        ("low", b.low),
        ("close", b.close),
    ] {
        if price <= 0.0 {
            return Err((column, format!("price {price} is not above zero")));
        }
    }
    if b.high < b.open.max(b.close) {
        return Err((
            "high",
            format!(
                "high {} is below max(open {}, close {})",
                b.high, b.open, b.close
            ),
        ));
    }
    if b.low > b.open.min(b.close) {
        return Err((
            "low",
            format!(
                "low {} is above min(open {}, close {})",
                b.low, b.open, b.close
            ),
        ));
    }
    if b.volume < 0.0 {
        return Err(("volume", format!("volume {} is negative", b.volume)));
    }
    Ok(())
}

/// Funding rows of one CSV, with times floored to the minute: Binance stamps settlements a few
/// milliseconds late (`…08:00:00.001`, see shared/data PROVENANCE.md), while the engine settles at the
/// scheduled instant 00:00/08:00/16:00 UTC (exchange-rules §2.1).
pub fn parse_funding(csv: &[u8]) -> Result<Vec<FundingRow>, String> {
    let table = Table::read(csv, &FUNDING_COLUMNS, &FUNDING_POSITIONS)?;
    table
        .rows
        .iter()
        .map(|row| {
            let time = to_millis(row.int(0)?);
            Ok(FundingRow {
                time: time - time.rem_euclid(60_000),
                rate: row.num(1)?,
            })
        })
        .collect()
}

/// Binance's spot archive switched to microsecond timestamps in 2025; futures files are in milliseconds.
/// A microsecond value (≥ 10^15, i.e. after year 33658 if read as ms) is converted rather than misread.
fn to_millis(t: i64) -> i64 {
    if t >= 1_000_000_000_000_000 {
        t / 1_000
    } else {
        t
    }
}

/// Whether the first record is a header row: a data row starts with a timestamp.
pub fn is_header(first_record: &csv::StringRecord) -> bool {
    first_record
        .get(0)
        .is_none_or(|f| f.trim().parse::<i64>().is_err())
}

/// The wanted columns of every data row, with the line each came from.
struct Table {
    rows: Vec<Row>,
}

struct Row {
    line: u64,
    names: &'static [&'static str],
    values: Vec<String>,
}

impl Table {
    fn read(
        csv: &[u8],
        names: &'static [&'static str],
        positions: &[usize],
    ) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv);
        let mut columns = positions.to_vec();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
            let line = record.position().map_or(i as u64 + 1, |p| p.line());
            if i == 0 && is_header(&record) {
                columns = header_columns(&record, names)?;
                continue;
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let values = columns
                .iter()
                .zip(names)
                .map(|(&c, name)| {
                    record.get(c).map(|v| v.trim().to_string()).ok_or_else(|| {
                        format!(
                            "row {line} has {} columns, so it has no column '{name}'",
                            record.len()
                        )
                    })
                })
                .collect::<Result<_, String>>()?;
            rows.push(Row {
                line,
                names,
                values,
            });
        }
        Ok(Table { rows })
    }
}

fn header_columns(header: &csv::StringRecord, names: &[&str]) -> Result<Vec<usize>, String> {
    names
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    let found: Vec<&str> = header.iter().collect();
                    format!(
                        "row 1 is a header without a '{name}' column (found: {})",
                        found.join(",")
                    )
                })
        })
        .collect()
}

impl Row {
    fn int(&self, i: usize) -> Result<i64, String> {
        self.values[i]
            .parse()
            .map_err(|_| self.bad(i, "is not a whole number of milliseconds"))
    }

    fn num(&self, i: usize) -> Result<f64, String> {
        match self.values[i].parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(self.bad(i, "is not a finite number")),
        }
    }

    fn bad(&self, i: usize, what: &str) -> String {
        format!(
            "row {}, column '{}': '{}' {what}",
            self.line, self.names[i], self.values[i]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,\
                          taker_buy_quote_volume,ignore\n";
    const ROW_1: &str =
        "1577836800000,7189.43,7190.52,7170.15,7171.55,2449.049,1577840399999,17576954.3,3,1,1,0\n";
    const ROW_2: &str =
        "1577840400000,7171.43,7225,7171.1,7210.24,3865.038,1577843999999,27838047.7,4,1,1,0\n";

    fn expected() -> Vec<CandleRow> {
        vec![
            CandleRow {
                time: 1_577_836_800_000,
                open: 7189.43,
                high: 7190.52,
                low: 7170.15,
                close: 7171.55,
                volume: 2449.049,
            },
            CandleRow {
                time: 1_577_840_400_000,
                open: 7171.43,
                high: 7225.0,
                low: 7171.1,
                close: 7210.24,
                volume: 3865.038,
            },
        ]
    }

    #[test]
    fn kline_files_read_the_same_with_and_without_a_header_row() {
        let bare = format!("{ROW_1}{ROW_2}");
        let headed = format!("{HEADER}{ROW_1}{ROW_2}");
        assert_eq!(parse_klines(bare.as_bytes()).unwrap(), expected());
        assert_eq!(parse_klines(headed.as_bytes()).unwrap(), expected());
    }

    #[test]
    fn a_header_is_recognised_by_a_first_field_that_is_not_a_timestamp() {
        let record = |s: &str| csv::StringRecord::from(s.split(',').collect::<Vec<_>>());
        assert!(is_header(&record("open_time,open")));
        assert!(is_header(&record(
            "calc_time,funding_interval_hours,last_funding_rate"
        )));
        assert!(!is_header(&record("1577836800000,7189.43")));
    }

    #[test]
    fn a_header_locates_columns_by_name_even_when_reordered() {
        let csv =
            "funding_interval_hours,last_funding_rate,calc_time\n8,-0.00052458,1570032000003\n";
        let rows = parse_funding(csv.as_bytes()).unwrap();
        assert_eq!(
            rows,
            [FundingRow {
                time: 1_570_032_000_000,
                rate: -0.00052458
            }]
        );
    }

    #[test]
    fn funding_times_are_floored_to_the_minute() {
        // 2020-01-01 08:00:00.001 and 16:00:00.017 UTC, headerless as in older files.
        let csv = "1577865600001,8,0.00010000\n1577894400017,8,-0.00003000\n";
        let rows = parse_funding(csv.as_bytes()).unwrap();
        assert_eq!(
            rows[0],
            FundingRow {
                time: 1_577_865_600_000,
                rate: 0.0001
            }
        );
        assert_eq!(
            rows[1],
            FundingRow {
                time: 1_577_894_400_000,
                rate: -0.00003
            }
        );
    }

    #[test]
    fn a_bad_value_is_reported_with_its_row_column_and_value() {
        let csv = format!(
            "{HEADER}{ROW_1}1577840400000,7171.43,abc,7171.1,7210.24,3865.038,0,0,0,0,0,0\n"
        );
        let err = parse_klines(csv.as_bytes()).unwrap_err();
        assert_eq!(err, "row 3, column 'high': 'abc' is not a finite number");
        let short = parse_klines(b"1577836800000,1,2,3\n").unwrap_err();
        assert_eq!(short, "row 1 has 4 columns, so it has no column 'close'");
        let headerless_funding = parse_funding(b"calc_time,rate\n").unwrap_err();
        assert!(
            headerless_funding
                .starts_with("row 1 is a header without a 'last_funding_rate' column")
        );
    }

    #[test]
    fn a_bar_that_breaks_the_ohlc_rules_is_reported_with_its_row_and_column() {
        let high_too_low =
            format!("{HEADER}{ROW_1}1577840400000,7171.43,7200,7171.1,7210.24,1,0,0,0,0,0,0\n");
        assert_eq!(
            parse_klines(high_too_low.as_bytes()).unwrap_err(),
            "row 3, column 'high': high 7200 is below max(open 7171.43, close 7210.24)"
        );
        let low_too_high = "1577840400000,7171.43,7225,7180,7210.24,1,0,0,0,0,0,0\n";
        assert!(
            parse_klines(low_too_high.as_bytes())
                .unwrap_err()
                .starts_with("row 1, column 'low': low 7180")
        );
        let zero = "1577840400000,0,7225,7171.1,7210.24,1,0,0,0,0,0,0\n";
        assert!(
            parse_klines(zero.as_bytes())
                .unwrap_err()
                .contains("column 'open': price 0 is not above zero")
        );
        let negative = "1577840400000,7171.43,7225,7171.1,7210.24,-1,0,0,0,0,0,0\n";
        assert!(
            parse_klines(negative.as_bytes())
                .unwrap_err()
                .contains("volume -1 is negative")
        );
    }

    #[test]
    fn microsecond_timestamps_are_converted_to_milliseconds() {
        let csv = "1577836800000000,1,1,1,1,0,0,0,0,0,0,0\n";
        assert_eq!(
            parse_klines(csv.as_bytes()).unwrap()[0].time,
            1_577_836_800_000
        );
    }

    #[test]
    fn a_zip_must_hold_exactly_one_csv() {
        assert!(unzip_csv(b"not a zip at all").is_err());
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file(
            "BTCUSDT-1h-2020-01.csv",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, ROW_1.as_bytes()).unwrap();
        zip.finish().unwrap();
        assert_eq!(unzip_csv(buf.get_ref()).unwrap(), ROW_1.as_bytes());
    }
}
