//! What kind of file this is, decided by evidence rather than by its first byte: binary
//! containers by their magic, text by how its first lines parse — a JSONL file whose first line
//! is broken (a stray `[`, a number, a cut row) is still JSONL when the lines after it are rows,
//! and a JSON document written over many lines (pretty-printed) is told from JSONL by its
//! commas. Ingest and the re-read of one row both decide through `sniff_source`, so they agree.

use serde::de::IgnoredAny;

use super::report::Format;
use super::session::starts_session_log;
use super::source::ByteSource;

/// The first read; text that this does not settle is read further, up to `MAX_HEAD`.
const FIRST_HEAD: usize = 4096;
/// The most bytes read to decide (rows are ≈ 100 KB, some several MB).
const MAX_HEAD: usize = 8 << 20;
/// Lines after the first looked at for evidence.
const EVIDENCE_LINES: usize = 32;

/// Decides the format of `source`, reading as little of it as settles the question.
pub fn sniff_source<S: ByteSource>(source: &S, name: &str) -> std::io::Result<Format> {
    let mut want = FIRST_HEAD;
    loop {
        let head = source.read_at(0, want)?;
        let whole = head.len() as u64 >= source.len();
        match sniff(&head, whole, name) {
            Verdict::Settled(f) => return Ok(f),
            Verdict::ReadMore(f) if whole || want >= MAX_HEAD => return Ok(f),
            Verdict::ReadMore(_) => want = (want * 16).min(MAX_HEAD),
        }
    }
}

/// A decision, or the best guess so far when more of the file could change it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Settled(Format),
    ReadMore(Format),
}

/// Decides from `head`, the first bytes of the file (`whole`: the whole file).
pub fn sniff(head: &[u8], whole: bool, name: &str) -> Verdict {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"PAR1") {
        return Verdict::Settled(Format::Parquet);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Verdict::Settled(Format::JsonlGzip);
    }
    let Some(first_byte) = text.iter().copied().find(|b| !b.is_ascii_whitespace()) else {
        let guess = if name.ends_with(".parquet") {
            Format::Parquet
        } else {
            Format::Unknown
        };
        return Verdict::ReadMore(guess);
    };
    let lines = complete_lines(text, whole);
    let Some((first, rest)) = lines.split_first() else {
        // The first line does not end in what was read: a long row, or a long array.
        return Verdict::ReadMore(match first_byte {
            b'{' => Format::Jsonl,
            b'[' => Format::JsonArray,
            _ => Format::Unknown,
        });
    };
    if starts_session_log(lines.iter().take(EVIDENCE_LINES).copied()) {
        return Verdict::Settled(Format::Sessions);
    }
    if parses(first) {
        let alone = rest.is_empty() && (whole || lines_end_at_head_end(text));
        return match (first_byte, alone) {
            (b'[', true) if whole => Verdict::Settled(Format::JsonArray),
            (b'[', true) => Verdict::ReadMore(Format::JsonArray),
            _ => Verdict::Settled(Format::Jsonl),
        };
    }
    // The first line is not a value by itself: a broken first row, or the start of a document.
    let rest = &rest[..rest.len().min(EVIDENCE_LINES)];
    let rows = rest
        .iter()
        .filter(|l| l.starts_with(b"{") && parses(l))
        .count();
    let commas = rest.iter().filter(|l| l.ends_with(b",")).count();
    let settled = whole || rest.len() == EVIDENCE_LINES;
    let format = match first_byte {
        _ if rows > commas => Format::Jsonl,
        b'[' if opens_array_of_rows(text) => Format::JsonArray,
        b'{' => Format::Json,
        _ if rows > 0 => Format::Jsonl,
        _ => Format::Unknown,
    };
    // Rows outnumbering the lines that end in a comma settle it as JSONL at once; anything
    // else could still be junk lines ahead of rows, so it waits for all the evidence.
    if settled || rows > commas {
        Verdict::Settled(format)
    } else {
        Verdict::ReadMore(format)
    }
}

/// Whether `text` (starting, after blanks, with `[`) can open an array of rows: its first
/// element is an object, or the array is empty. `[,` or `[x` opens no document a row is read
/// from, so such a first line is a broken line of a JSONL file.
fn opens_array_of_rows(text: &[u8]) -> bool {
    let mut after = text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    after.next() == Some(b'[') && matches!(after.next(), None | Some(b'{' | b']'))
}

/// The non-blank lines of `text` that end within it (all of them when it is the whole file),
/// trimmed of surrounding whitespace.
fn complete_lines(text: &[u8], whole: bool) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    if !whole {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether everything after the first line of `text` is blank (so far).
fn lines_end_at_head_end(text: &[u8]) -> bool {
    let after_first = text
        .iter()
        .position(|b| *b == b'\n')
        .map_or(&[][..], |i| &text[i + 1..]);
    after_first.iter().all(u8::is_ascii_whitespace)
}

fn parses(line: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(text: &str) -> Format {
        sniff_source(&text.as_bytes().to_vec(), "data.jsonl").unwrap()
    }

    const ROW: &str = r#"{"conversations": [{"from": "human", "value": "hi"}]}"#;

    #[test]
    fn binary_containers_by_their_magic() {
        assert_eq!(format_of("PAR1...."), Format::Parquet);
        assert_eq!(
            sniff(&[0x1f, 0x8b, 8, 0], false, "x"),
            Verdict::Settled(Format::JsonlGzip)
        );
    }

    #[test]
    fn jsonl_whatever_its_first_line() {
        assert_eq!(format_of(&format!("{ROW}\n{ROW}\n")), Format::Jsonl);
        assert_eq!(format_of(ROW), Format::Jsonl);
        for first in [
            "42",
            "[1, 2]",
            "[",
            "\"a string\"",
            "not json at all",
            "{\"cut\": ",
            "[,",
            "[x",
        ] {
            let text = format!("{first}\n{ROW}\n{ROW}\n");
            assert_eq!(format_of(&text), Format::Jsonl, "first line {first:?}");
            let crlf = format!("\u{feff}{first}\r\n{ROW}\r\n");
            assert_eq!(
                format_of(&crlf),
                Format::Jsonl,
                "CRLF, BOM, first line {first:?}"
            );
        }
    }

    #[test]
    fn json_documents_by_their_shape() {
        let one_line = format!("[{ROW}, {ROW}]\n");
        assert_eq!(format_of(&one_line), Format::JsonArray);
        assert_eq!(
            format_of(&format!("\u{feff}  {one_line}")),
            Format::JsonArray
        );
        let per_line = format!("[\n{ROW},\n{ROW},\n{ROW}\n]\n");
        assert_eq!(format_of(&per_line), Format::JsonArray);
        let two = format!("[\n{ROW},\n{ROW}\n]");
        assert_eq!(format_of(&two), Format::JsonArray);
        let pretty = "{\n  \"id\": \"a\",\n  \"conversations\": [\n    {\n      \"from\": \"human\",\n      \"value\": \"hi\"\n    }\n  ]\n}\n";
        assert_eq!(format_of(pretty), Format::Json);
        let pretty_array = format!("[\n  {}\n]", pretty.replace('\n', "\n  "));
        assert_eq!(format_of(&pretty_array), Format::JsonArray);
        assert_eq!(format_of("   \n\t"), Format::Unknown);
        assert_eq!(format_of("hello, this is not JSON\n"), Format::Unknown);
    }

    #[test]
    fn a_first_row_longer_than_the_first_read_is_read_further() {
        let long = format!(
            r#"{{"conversations": [{{"from": "human", "value": "{}"}}]}}"#,
            "x".repeat(FIRST_HEAD * 3)
        );
        assert_eq!(format_of(&format!("[\n{long}\n{long}\n")), Format::Jsonl);
        assert_eq!(format_of(&format!("{long}\n{long}\n")), Format::Jsonl);
        assert_eq!(format_of(&format!("[{long}, {long}]")), Format::JsonArray);
    }

    #[test]
    fn junk_lines_ending_in_commas_ahead_of_long_rows_are_jsonl() {
        // Found by the bad-input property: four `[,` lines and rows longer than the first
        // read once settled the file as a JSON array, and every row was lost.
        let long = format!(
            r#"{{"conversations": [{{"from": "human", "value": "{}"}}]}}"#,
            "x".repeat(FIRST_HEAD / 3)
        );
        let rows = vec![long; 6].join("\n");
        assert_eq!(
            format_of(&format!("[,\n[,\n[,\n[,\n{rows}\n")),
            Format::Jsonl
        );
        let more_junk_than_rows = format!("{}{ROW}\n{ROW}\n", "[,\n".repeat(5));
        assert_eq!(format_of(&more_junk_than_rows), Format::Jsonl);
    }
}
