//! Damaged files: no good row is ever lost to a bad neighbour. One test per kind of damage —
//! a JSONL whose first line is not a row, a gzip cut off or followed by garbage, a corrupt
//! Parquet row group, a BOM before a JSON array, a cut JSON array, a pretty-printed object,
//! malformed message fields in JSON and in Parquet — each checks that every good row is
//! analysed, that one clear message names the place, and that the counts reconcile.

use std::io::Write;
use std::sync::Arc;

use agent_traces::ingest::{read_row, Format};
use agent_traces::pipeline::{analyse, Analysis, FileReport};
use agent_traces_gen::{self as gen, GenOptions};
use parquet::basic::Compression;

fn opts(rows: usize) -> GenOptions {
    GenOptions {
        seed: 7,
        rows,
        tricky_ratio: 0.0,
        ..GenOptions::default()
    }
}

/// The generator's rows as JSONL lines (no line ending).
fn lines(rows: usize) -> Vec<String> {
    let mut out = Vec::new();
    gen::write_jsonl(&opts(rows), &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn analysis(bytes: Vec<u8>, name: &str) -> Analysis {
    let a = analyse(&Arc::new(bytes), name);
    assert_reconciles(&a.report);
    a
}

fn read(bytes: Vec<u8>, name: &str) -> FileReport {
    analysis(bytes, name).report
}

fn assert_reconciles(r: &FileReport) {
    assert_eq!(
        r.rows_read,
        r.rows_analysed + r.rows_skipped_total(),
        "{}: {:?}",
        r.name,
        r.rows_skipped
    );
    assert_eq!(r.summary.rows, r.rows_analysed, "{}", r.name);
}

fn diagnostic<'a>(r: &'a FileReport, kind: &str) -> &'a agent_traces::ingest::Diagnostic {
    r.diagnostics
        .iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} diagnostic in {:#?}", r.diagnostics))
}

/// The ids of the rows analysed, in order.
fn ids(a: &Analysis) -> Vec<String> {
    a.index.rows.iter().filter_map(|r| r.id.clone()).collect()
}

/// A path for a temporary file of this test run.
fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("agent-traces-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn gzip(text: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

#[test]
fn a_jsonl_whose_first_line_is_not_a_row_keeps_every_row_after_it() {
    let rows = lines(20);
    for (first, kind) in [
        ("42", "not_an_object"),
        ("[1, 2, 3]", "not_an_object"),
        ("[", "invalid_json"),
        ("{\"conversations\": [{\"from\": \"human\"", "invalid_json"),
        ("garbage here", "invalid_json"),
    ] {
        let text = format!("{first}\n{}\n", rows.join("\n"));
        let r = read(text.into_bytes(), "first.jsonl");
        assert_eq!(r.format, Format::Jsonl, "first line {first:?}");
        assert_eq!(
            r.rows_analysed, 20,
            "first line {first:?}: {:?}",
            r.diagnostics
        );
        assert_eq!(r.rows_skipped.get(kind), Some(&1), "first line {first:?}");
        let d = diagnostic(&r, kind);
        assert_eq!((d.line, d.offset), (Some(1), Some(0)));
        assert!(r.complete && r.unread.is_empty());
    }
}

#[test]
fn a_gzip_cut_off_keeps_every_whole_row_before_the_cut_and_says_where() {
    let rows = lines(60);
    let text = format!("{}\n", rows.join("\n"));
    let gz = gzip(text.as_bytes());
    let cut = gz.len() * 2 / 3;
    let a = analysis(gz[..cut].to_vec(), "cut.jsonl.gz");
    let r = &a.report;
    assert_eq!(r.format, Format::JsonlGzip);
    assert!(!r.complete);
    let kept = ids(&a);
    assert!(kept.len() > 20, "only {} rows kept", kept.len());
    assert!(kept.len() < 60);
    let expected: Vec<String> = rows
        .iter()
        .take(kept.len())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kept, expected, "the rows before the cut, in order");
    assert_eq!(r.rows_skipped_total(), 0, "{:?}", r.diagnostics);
    let d = diagnostic(r, "truncated_gzip");
    assert!(
        d.message.contains(&format!("byte {cut} of the file")),
        "{}",
        d.message
    );
    let decoded: usize = rows.iter().take(kept.len()).map(|l| l.len() + 1).sum();
    assert!(
        d.offset.unwrap() >= decoded as u64,
        "decompressed offset {:?} before the rows kept end ({decoded})",
        d.offset
    );
    assert_eq!(d.line, Some(kept.len() as u64 + 1), "the line cut");
    assert!(d.message.contains("cannot be counted"), "{}", d.message);
    assert_eq!(r.unread.len(), 1);
    assert_eq!(
        (r.unread[0].offset, r.unread[0].rows),
        (Some(cut as u64), None)
    );
    assert!(
        r.reconciliation().contains("not read: the file from byte"),
        "{}",
        r.reconciliation()
    );
    // Rows before the cut read again for the explorer.
    let source = Arc::new(gz[..cut].to_vec());
    let again = read_row(&source, "cut.jsonl.gz", a.index.rows[3].at).unwrap();
    assert_eq!(again.conversation.id.as_deref(), Some(expected[3].as_str()));
}

#[test]
fn garbage_after_the_gzip_data_loses_no_row() {
    let rows = lines(30);
    let text = format!("{}\n", rows.join("\n"));
    let mut gz = gzip(text.as_bytes());
    let end = gz.len();
    gz.extend_from_slice(b"<html><body>502 Bad Gateway</body></html>\n");
    let r = read(gz, "tail.jsonl.gz");
    assert_eq!(r.rows_analysed, 30, "{:?}", r.diagnostics);
    let d = diagnostic(&r, "trailing_data");
    assert_eq!(d.offset, Some(end as u64));
    assert!(
        d.message.contains(&format!(
            "ends at byte {end}, and the 42 bytes after it are not gzip"
        )),
        "{}",
        d.message
    );
    // A second member after the first is data, not garbage.
    let mut two = gzip(format!("{}\n", rows[..10].join("\n")).as_bytes());
    two.extend(gzip(format!("{}\n", rows[10..].join("\n")).as_bytes()));
    let r = read(two, "members.jsonl.gz");
    assert_eq!(r.rows_analysed, 30);
    assert!(
        r.complete && r.diagnostics.is_empty(),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn a_damaged_gzip_member_keeps_the_rows_decoded_before_it() {
    let rows = lines(60);
    let text = format!("{}\n", rows.join("\n"));
    let mut gz = gzip(text.as_bytes());
    let at = gz.len() * 3 / 4;
    for b in &mut gz[at..at + 64] {
        *b ^= 0x5a;
    }
    let r = read(gz, "damaged.jsonl.gz");
    assert!(r.rows_analysed > 20, "{} rows kept", r.rows_analysed);
    assert!(!r.complete);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.kind == "corrupt_gzip" || d.kind == "truncated_gzip")
        .unwrap_or_else(|| panic!("{:#?}", r.diagnostics));
    assert!(
        d.message.contains("of the decompressed text"),
        "{}",
        d.message
    );
    assert_eq!(r.unread.len(), 1);
}

#[test]
fn one_corrupt_parquet_row_group_is_skipped_and_counted_the_others_are_read() {
    let path = temp("groups.parquet");
    gen::write_parquet(&opts(120), &path, Compression::SNAPPY, 40).unwrap();
    let clean = read(std::fs::read(&path).unwrap(), "groups.parquet");
    assert_eq!(clean.rows_analysed, 120);

    // Damage the middle of the conversations column of row group 1 (rows 41-80).
    gen::damage_row_group(&path, 1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let a = analysis(bytes, "groups.parquet");
    let r = &a.report;
    assert_eq!(r.rows_read, 120, "every row is counted");
    let skipped = r.rows_skipped["corrupt_row_group"];
    assert!((1..=40).contains(&skipped), "{skipped} rows skipped");
    assert_eq!(r.rows_analysed, 120 - skipped);
    assert!(r.complete, "the other row groups are read to the end");
    let d = diagnostic(r, "corrupt_row_group");
    assert!(
        d.message
            .starts_with("row group 1 (rows 41–80 of the file) cannot be decoded"),
        "{}",
        d.message
    );
    assert_eq!(d.line, Some(41 + 40 - skipped), "the first row skipped");
    // Rows 81-120 (row group 2) are all there, and numbered as in the file.
    let last = a.index.rows.last().unwrap();
    assert_eq!(last.at.number(), 120);
    let ordinals: Vec<u64> = a.index.rows.iter().map(|r| r.at.number()).collect();
    assert!(ordinals.contains(&81) && ordinals.contains(&40));
}

#[test]
fn a_bom_before_a_json_array_is_read_like_a_bom_before_jsonl() {
    let rows = lines(5);
    let array = format!("\u{feff}[\r\n{}\r\n]\r\n", rows.join(",\r\n"));
    let a = analysis(array.into_bytes(), "rows.json");
    assert_eq!(a.report.format, Format::JsonArray);
    assert_eq!(a.report.rows_analysed, 5, "{:?}", a.report.diagnostics);
    assert!(a.report.complete && a.report.diagnostics.is_empty());
    let jsonl = format!("\u{feff}{}\r\n", rows.join("\r\n"));
    let b = analysis(jsonl.into_bytes(), "rows.jsonl");
    assert_eq!(a.report.summary, b.report.summary);
}

#[test]
fn a_json_array_cut_off_keeps_its_whole_elements() {
    let rows = lines(10);
    let array = format!("[\n{}\n]\n", rows.join(",\n"));
    let cut = array.len() * 3 / 5;
    let a = analysis(array.as_bytes()[..cut].to_vec(), "cut.json");
    let r = &a.report;
    assert_eq!(r.format, Format::JsonArray);
    let whole = array[..cut].matches("},\n").count() as u64;
    assert_eq!(r.rows_analysed, whole, "{:?}", r.diagnostics);
    let d = diagnostic(r, "corrupt_json");
    assert!(
        d.message
            .starts_with(&format!("the JSON array breaks at line {}", whole + 2)),
        "{}",
        d.message
    );
    assert!(d.message.contains(&format!("after {whole} elements")));
    assert_eq!(r.unread[0].rows, None);
    let source = Arc::new(array.as_bytes()[..cut].to_vec());
    let again = read_row(&source, "cut.json", a.index.rows[1].at).unwrap();
    assert_eq!(again.raw.as_deref(), Some(rows[1].as_str()));
}

#[test]
fn a_pretty_printed_conversation_is_one_row() {
    let row: serde_json::Value = serde_json::from_str(&lines(1)[0]).unwrap();
    let pretty = serde_json::to_string_pretty(&row).unwrap();
    let a = analysis(pretty.clone().into_bytes(), "one.json");
    let r = &a.report;
    assert_eq!(r.format, Format::Json);
    assert_eq!(
        (r.rows_read, r.rows_analysed),
        (1, 1),
        "{:?}",
        r.diagnostics
    );
    assert!(r.diagnostics.is_empty() && r.complete);
    let line = analysis(format!("{row}\n").into_bytes(), "one.jsonl");
    assert_eq!(r.summary, line.report.summary);
    let again = read_row(
        &Arc::new(pretty.clone().into_bytes()),
        "one.json",
        a.index.rows[0].at,
    )
    .unwrap();
    assert_eq!(again.conversation.id, line.index.rows[0].id);

    // Two of them one after the other (jq's output) are two rows.
    let two = format!("{pretty}\n{pretty}\n");
    assert_eq!(read(two.into_bytes(), "two.json").rows_analysed, 2);

    // A broken one gets one sentence, not a message per line.
    let broken = pretty.replacen("\"conversations\": [", "\"conversations\": [,", 1);
    let r = read(broken.into_bytes(), "broken.json");
    assert_eq!(r.diagnostics.len(), 1, "{:#?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.kind, "invalid_json");
    assert!(
        d.message.starts_with("the file is one JSON value over several lines (pretty-printed), and it is not valid JSON at line"),
        "{}",
        d.message
    );
    assert_eq!(r.unread.len(), 1);
}

#[test]
fn malformed_message_fields_are_named_per_row_and_message() {
    let good = r#"{"from": "human", "value": "hi"}"#;
    let cases = [
        (
            r#"{"from": "gpt", "value": null}"#,
            r#"message 1: "value" is null"#,
        ),
        (
            r#"{"from": "gpt", "value": 42}"#,
            r#"message 1: "value" is a number, expected a string"#,
        ),
        (
            r#"{"from": "gpt", "value": {"a": 1}}"#,
            r#"message 1: "value" is an object, expected a string"#,
        ),
        (r#"{"from": "gpt"}"#, r#"message 1: no "value" field"#),
        (
            r#"{"from": null, "value": "x"}"#,
            r#"message 1: "from" is null"#,
        ),
        (
            r#"{"from": "", "value": "x"}"#,
            r#"message 1: "from" is empty"#,
        ),
    ];
    for (bad, warning) in cases {
        let row = format!(r#"{{"conversations": [{good}, {bad}]}}"#);
        let r = read(format!("{row}\n").into_bytes(), "fields.jsonl");
        assert_eq!(r.rows_analysed, 1, "{bad}");
        let d = diagnostic(&r, "row_warning");
        assert_eq!(d.message, warning, "{bad}");
        assert_eq!(d.line, Some(1));
    }
    let openai = [
        (
            r#"{"role": "user", "content": null}"#,
            Some(r#"message 1: "content" is null"#),
        ),
        (
            r#"{"role": "user"}"#,
            Some(r#"message 1: no "content" field"#),
        ),
        (
            r#"{"role": "assistant", "content": null, "tool_calls": []}"#,
            None,
        ),
        (
            r#"{"role": "user", "content": [{"type": "text", "text": "a"}]}"#,
            None,
        ),
        (
            r#"{"role": "user", "content": [{"type": "image_url"}]}"#,
            Some(r#"message 1: "content" is a list with parts that are not text"#),
        ),
    ];
    for (bad, warning) in openai {
        let row = format!(r#"{{"messages": [{{"role": "system", "content": "s"}}, {bad}]}}"#);
        let r = read(format!("{row}\n").into_bytes(), "messages.jsonl");
        assert_eq!(r.rows_analysed, 1, "{bad}");
        let found: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(found, warning.into_iter().collect::<Vec<_>>(), "{bad}");
    }
}

#[test]
fn malformed_message_fields_in_parquet_are_named_too() {
    use arrow_array::{ArrayRef, ListArray, RecordBatch, StringArray, StructArray};
    use arrow_schema::{DataType, Field, Fields};
    let fields = Fields::from(vec![
        Field::new("from", DataType::Utf8, true),
        Field::new("value", DataType::Utf8, true),
    ]);
    let structs = StructArray::new(
        fields.clone(),
        vec![
            Arc::new(StringArray::from(vec![
                Some("human"),
                Some("gpt"),
                None,
                Some(""),
            ])) as ArrayRef,
            Arc::new(StringArray::from(vec![
                Some("hi"),
                None,
                Some("x"),
                Some("y"),
            ])) as ArrayRef,
        ],
        None,
    );
    let item = Arc::new(Field::new("item", DataType::Struct(fields), true));
    let conversations = ListArray::new(
        item,
        arrow_buffer::OffsetBuffer::new(vec![0, 4].into()),
        Arc::new(structs),
        None,
    );
    let batch =
        RecordBatch::try_from_iter([("conversations", Arc::new(conversations) as ArrayRef)])
            .unwrap();
    let mut bytes = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let r = read(bytes, "nulls.parquet");
    assert_eq!(r.rows_analysed, 1);
    let found: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.kind == "row_warning")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        found,
        [
            r#"message 1: "value" is null"#,
            r#"message 2: "from" is null"#,
            r#"message 3: "from" is empty"#,
        ]
    );
    assert_eq!(
        r.summary.turns, 4,
        "unreadable messages still count as turns"
    );
}

/// Property tests per container: random damage never costs a good row that the damage did not
/// touch, and the counts always reconcile.
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Ten small rows and their ids.
    fn rows() -> (Vec<String>, Vec<String>) {
        let lines = lines(10);
        let ids = lines
            .iter()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        (lines, ids)
    }

    fn junk() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "[", "]", "{", "}", "\"", ",", ":", "1", "x", " ", "\\", "é",
            ]),
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn jsonl_lines_replaced_by_junk_cost_only_themselves(
            bad in prop::collection::btree_set(0usize..10, 0..5),
            junk in junk(),
            crlf in any::<bool>(),
            bom in any::<bool>(),
        ) {
            let (lines, all) = rows();
            let text: Vec<&str> = (0..10)
                .map(|i| if bad.contains(&i) { junk.as_str() } else { lines[i].as_str() })
                .collect();
            let eol = if crlf { "\r\n" } else { "\n" };
            let text = format!("{}{}{eol}", if bom { "\u{feff}" } else { "" }, text.join(eol));
            let a = analysis(text.into_bytes(), "junk.jsonl");
            let kept = ids(&a);
            for (i, id) in all.iter().enumerate() {
                if !bad.contains(&i) {
                    prop_assert!(kept.contains(id), "row {i} lost: {:?}", a.report.diagnostics);
                }
            }
        }

        #[test]
        fn a_gzip_cut_anywhere_keeps_a_prefix_of_the_rows(cut in 0.0f64..1.0, garbage in junk()) {
            let (lines, all) = rows();
            let gz = gzip(format!("{}\n", lines.join("\n")).as_bytes());
            let at = ((gz.len() as f64 * cut) as usize).max(1);
            let mut bytes = gz[..at].to_vec();
            bytes.extend_from_slice(garbage.as_bytes());
            let a = analysis(bytes, "cut.jsonl.gz");
            let kept = ids(&a);
            prop_assert_eq!(&kept[..], &all[..kept.len()]);
            if at < gz.len() || !garbage.is_empty() {
                prop_assert!(!a.report.unread.is_empty(), "a loss is reported");
            }
        }

        #[test]
        fn a_json_array_cut_anywhere_keeps_its_whole_elements(cut in 0.0f64..1.0) {
            let (lines, all) = rows();
            let array = format!("[\n{}\n]\n", lines.join(",\n"));
            let at = ((array.len() as f64 * cut) as usize).max(1);
            let a = analysis(array.as_bytes()[..at].to_vec(), "cut.json");
            let mut end = 2;
            let whole = lines
                .iter()
                .take_while(|l| {
                    end += l.len();
                    let fits = end <= at;
                    end += 2;
                    fits
                })
                .count();
            let kept = ids(&a);
            prop_assert_eq!(&kept[..], &all[..whole], "{:?}", a.report.diagnostics);
        }

        #[test]
        fn damage_inside_one_parquet_row_group_spares_the_others(
            group in 0usize..3,
            at in 0.0f64..1.0,
            len in 1usize..64,
            byte in any::<u8>(),
        ) {
            let (bytes, groups) = parquet_fixture();
            let (start, size) = groups[group];
            let from = start + ((size as f64 * at) as usize).min(size - 1);
            let mut bytes = bytes.clone();
            for b in &mut bytes[from..(from + len).min(start + size)] {
                *b = byte;
            }
            let a = analysis(bytes, "damaged.parquet");
            prop_assert_eq!(a.report.rows_read, 30, "{:?}", a.report.diagnostics);
            let kept = ids(&a);
            let all = parquet_ids();
            for (i, id) in all.iter().enumerate() {
                if i / 10 != group {
                    prop_assert!(kept.contains(id), "row {i} of another group lost");
                }
            }
        }
    }

    /// A Parquet file and the byte range (start, length) of each of its row groups.
    type Fixture = (Vec<u8>, Vec<(usize, usize)>);

    /// 30 rows in three row groups of 10, and each group's byte range.
    fn parquet_fixture() -> &'static Fixture {
        static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
        FIXTURE.get_or_init(|| {
            use parquet::file::reader::FileReader;
            let path = temp("props.parquet");
            gen::write_parquet(&opts(30), &path, Compression::SNAPPY, 10).unwrap();
            let bytes = std::fs::read(&path).unwrap();
            let reader = parquet::file::serialized_reader::SerializedFileReader::new(
                bytes::Bytes::from(bytes.clone()),
            )
            .unwrap();
            let groups = reader
                .metadata()
                .row_groups()
                .iter()
                .map(|g| {
                    let ranges: Vec<(u64, u64)> =
                        g.columns().iter().map(|c| c.byte_range()).collect();
                    let start = ranges.iter().map(|r| r.0).min().unwrap();
                    let end = ranges.iter().map(|r| r.0 + r.1).max().unwrap();
                    (start as usize, (end - start) as usize)
                })
                .collect();
            (bytes, groups)
        })
    }

    fn parquet_ids() -> Vec<String> {
        let mut out = Vec::new();
        gen::write_jsonl(&opts(30), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
}

#[test]
fn a_parquet_row_group_left_out_is_counted_as_corrupt() {
    // What the page asks after the decoder stopped a browser worker on a row group.
    let path = temp("skip.parquet");
    gen::write_parquet(&opts(90), &path, Compression::SNAPPY, 30).unwrap();
    let source = Arc::new(std::fs::read(&path).unwrap());
    let a = agent_traces::pipeline::analyse_without(
        &source,
        "skip.parquet",
        agent_traces::ingest::Part::WHOLE,
        &[1],
        &mut |_| true,
    );
    let r = &a.report;
    assert_reconciles(r);
    assert_eq!((r.rows_read, r.rows_analysed), (90, 60));
    assert_eq!(r.rows_skipped["corrupt_row_group"], 30);
    let d = diagnostic(r, "corrupt_row_group");
    assert!(
        d.message
            .starts_with("row group 1 (rows 31–60 of the file) cannot be decoded: Parquet error: the Parquet decoder stopped the worker on it"),
        "{}",
        d.message
    );
    assert!(a
        .index
        .rows
        .iter()
        .all(|row| !(31..=60).contains(&row.at.number())));
}
