use super::*;

fn awkward_floats() -> Vec<f64> {
    // Shortest-repr edge cases: tiny, huge, many digits, negative zero, integers.
    vec![
        4.037e-05,
        0.1 + 0.2,
        1e300,
        -0.0,
        10000.0,
        7559.44418192,
        f64::MIN_POSITIVE,
    ]
}

fn sample() -> Table {
    let n = awkward_floats().len();
    Table::new()
        .with(
            "timestamp",
            Column::I64(
                (0..n as i64)
                    .map(|i| 1_567_962_000_000 + i * 3_600_000)
                    .collect(),
            ),
        )
        .with("price", Column::F64(awkward_floats()))
        .with(
            "mark",
            Column::OptF64(
                (0..n)
                    .map(|i| (i % 2 == 0).then_some(i as f64 + 0.5))
                    .collect(),
            ),
        )
        .with(
            "note",
            Column::Str((0..n).map(|i| format!("n{i}")).collect()),
        )
}

fn bits(c: &Column) -> Vec<u64> {
    match c {
        Column::F64(v) => v.iter().map(|x| x.to_bits()).collect(),
        Column::OptF64(v) => v.iter().map(|x| x.map_or(u64::MAX, f64::to_bits)).collect(),
        other => panic!("not floats: {other:?}"),
    }
}

#[test]
fn csv_and_parquet_keep_every_value_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["t.csv", "t.parquet"] {
        let path = dir.path().join(name);
        write_table(&path, &sample()).unwrap();
        let back = read_table(&path).unwrap();
        let names: Vec<&str> = back.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["timestamp", "price", "mark", "note"], "{name}");
        assert_eq!(
            back.column("timestamp"),
            sample().column("timestamp"),
            "{name}"
        );
        assert_eq!(
            bits(back.column("price").unwrap()),
            bits(sample().column("price").unwrap()),
            "{name}"
        );
        assert_eq!(
            bits(back.column("mark").unwrap()),
            bits(sample().column("mark").unwrap()),
            "{name}"
        );
        assert_eq!(back.column("note"), sample().column("note"), "{name}");
    }
}

#[test]
fn parquet_carries_key_value_metadata_and_csv_has_no_place_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let table = sample().with_metadata("wick.synthetic", "true");
    let pq = dir.path().join("m.parquet");
    write_table(&pq, &table).unwrap();
    assert_eq!(
        read_header(&pq).unwrap().metadata_value("wick.synthetic"),
        Some("true")
    );
    let csv = dir.path().join("m.csv");
    write_table(&csv, &table).unwrap();
    assert!(read_header(&csv).unwrap().metadata.is_empty());
}

impl FileHeader {
    fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[test]
fn columns_come_back_in_the_order_asked_and_typed_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.csv");
    std::fs::write(&path, "a,b,c\n1,2,x\n3,4,y\n").unwrap();
    let wanted = [("c".to_string(), Want::Auto), ("a".to_string(), Want::F64)];
    let out = read_columns(&path, &wanted).unwrap();
    assert!(!out.fell_back_to_text);
    assert_eq!(
        out.table.columns[0],
        ("c".to_string(), Column::Str(vec!["x".into(), "y".into()]))
    );
    assert_eq!(
        out.table.columns[1],
        ("a".to_string(), Column::F64(vec![1.0, 3.0]))
    );
}

#[test]
fn a_value_that_does_not_parse_falls_back_to_text_so_the_row_can_be_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    let mut text = String::from("t,p\n");
    for i in 0..500 {
        text.push_str(&format!(
            "{i},{}\n",
            if i == 400 {
                "12,5".replace(',', ";")
            } else {
                "1.5".into()
            }
        ));
    }
    std::fs::write(&path, text).unwrap();
    let out = read_columns(&path, &[("t".into(), Want::Auto), ("p".into(), Want::F64)]).unwrap();
    assert!(out.fell_back_to_text);
    match &out.table.columns[1].1 {
        Column::Str(v) => assert_eq!(v[400], "12;5"),
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn a_missing_column_and_an_empty_file_are_errors_that_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let err = read_columns(&path, &[("z".into(), Want::F64)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("'z'") && err.contains("a, b"), "{err}");
    std::fs::write(&path, "").unwrap();
    assert!(matches!(
        read_header(&path),
        Err(ColumnarError::Empty { .. })
    ));
    let unknown = dir.path().join("x.xlsx");
    assert!(matches!(
        read_header(&unknown),
        Err(ColumnarError::UnknownFormat { .. })
    ));
}

#[test]
fn rows_are_labelled_as_a_user_counts_them() {
    assert_eq!(FileFormat::Csv.row_label(0), "row 2");
    assert_eq!(FileFormat::Parquet.row_label(0), "record 1");
}
