//! The ingest driver: sniffs a file's format, reads it in chunks, turns rows into conversations
//! and hands each to a visitor, recording every problem in the file's report.

use std::io::Read;

use super::lines::{Line, LineSplitter};
use super::part::Part;
use super::report::{FileReport, Format};
use super::source::{ByteSource, SourceReader};
use crate::trace::{parse_row, Conversation};

/// Bytes read per slice: large slices are what make `Blob` reads fast in browsers.
pub const CHUNK: usize = 8 << 20;

/// Where a row is in its file, so it can be read again on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowRef {
    /// A JSONL line (offsets in the decompressed stream for gzip).
    Line { number: u64, offset: u64, len: u64 },
    /// A Parquet row; `ordinal` is its 1-based number within the part read.
    Parquet {
        row_group: usize,
        row: usize,
        ordinal: u64,
    },
    /// An element of a top-level JSON array.
    Element { index: u64 },
}

impl RowRef {
    /// The 1-based line, row or element number within the part read, as diagnostics name it
    /// (`FileReport::absorb` makes it a number within the file).
    pub fn number(self) -> u64 {
        match self {
            RowRef::Line { number, .. } => number,
            RowRef::Parquet { ordinal, .. } => ordinal,
            RowRef::Element { index } => index + 1,
        }
    }

    /// The same place, numbered as if the part began after `base` lines of the file.
    pub fn renumbered(self, base: u64) -> RowRef {
        match self {
            RowRef::Line {
                number,
                offset,
                len,
            } => RowRef::Line {
                number: number + base,
                offset,
                len,
            },
            RowRef::Parquet {
                row_group,
                row,
                ordinal,
            } => RowRef::Parquet {
                row_group,
                row,
                ordinal: ordinal + base,
            },
            RowRef::Element { index } => RowRef::Element {
                index: index + base,
            },
        }
    }
}

/// Told about progress (bytes of the file done, and the report so far: counts and
/// diagnostics); returns false to stop reading (cancel).
pub trait Progress {
    fn update(&mut self, bytes_done: u64, report: &FileReport) -> bool;
}

impl<F: FnMut(u64, &FileReport) -> bool> Progress for F {
    fn update(&mut self, bytes_done: u64, report: &FileReport) -> bool {
        self(bytes_done, report)
    }
}

/// Sniffs the format from the first bytes (the name is only a tie-breaker).
pub fn sniff(head: &[u8], name: &str) -> Format {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"PAR1") {
        return Format::Parquet;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Format::JsonlGzip;
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Jsonl,
        Some(b'[') => Format::JsonArray,
        _ if name.ends_with(".parquet") => Format::Parquet,
        _ => Format::Unknown,
    }
}

/// Reads every row of `source`, calling `visit` for each conversation. The returned report has
/// the counts and diagnostics but an empty summary (the visitor decides what to aggregate).
pub fn read_rows<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(Conversation, RowRef),
) -> FileReport {
    read_part(source, name, Part::WHOLE, progress, visit)
}

/// `read_rows` for one part of the file: plain JSONL by byte range (a part reads the lines that
/// start in its range), Parquet by row groups; other formats are read whole by part 0 and the
/// other parts return empty reports. Line and row numbers are within the part: merge the parts'
/// reports in order with `FileReport::absorb`.
pub fn read_part<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    part: Part,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(Conversation, RowRef),
) -> FileReport {
    let mut report = FileReport::new(name, source.len());
    if source.is_empty() {
        report.diagnose("empty_file", None, None, "the file is empty");
        return report;
    }
    let Some(head) = read_or_diagnose(source, 4096, &mut report) else {
        return report;
    };
    report.format = sniff(&head, name);
    if part.index > 0 && !matches!(report.format, Format::Jsonl | Format::Parquet) {
        // Only part 0 reads formats that cannot be split; its report carries every diagnostic.
        report.complete = true;
        return report;
    }
    let complete = match report.format {
        Format::Jsonl => {
            let (start, end) = part.byte_range(source.len());
            match line_start_at_or_after(source, start) {
                Ok(begin) => read_jsonl(
                    SourceReader::new(source.clone(), begin, CHUNK),
                    |r| r.position() - begin,
                    begin..end,
                    end.saturating_sub(begin),
                    &mut report,
                    progress,
                    visit,
                ),
                Err(e) => {
                    report.diagnose(
                        "read_error",
                        None,
                        Some(start),
                        format!("could not read the file: {e}"),
                    );
                    false
                }
            }
        }
        Format::JsonlGzip => {
            let decoder =
                flate2::read::MultiGzDecoder::new(SourceReader::new(source.clone(), 0, CHUNK));
            // Progress counts compressed bytes consumed, against the file's size.
            read_jsonl(
                decoder,
                |d| d.get_ref().position(),
                0..u64::MAX,
                source.len(),
                &mut report,
                progress,
                visit,
            )
        }
        Format::JsonArray => read_json_array(source, &mut report, progress, visit),
        Format::Parquet => super::parquet::read_parquet(source, part, &mut report, progress, visit),
        Format::Unknown => {
            let shown: String = String::from_utf8_lossy(&head[..head.len().min(16)])
                .escape_debug()
                .collect();
            report.diagnose(
                "unsupported_format",
                None,
                Some(0),
                format!("not JSONL, JSON, gzip or Parquet (the file starts with \"{shown}\")"),
            );
            false
        }
    };
    report.complete = complete;
    report
}

/// The first `len` bytes, or a `read_error` diagnostic.
fn read_or_diagnose<S: ByteSource>(
    source: &S,
    len: usize,
    report: &mut FileReport,
) -> Option<Vec<u8>> {
    match source.read_at(0, len) {
        Ok(b) => Some(b),
        Err(e) => {
            report.diagnose(
                "read_error",
                None,
                Some(0),
                format!("could not read the file: {e}"),
            );
            None
        }
    }
}

/// The offset of the first line that starts at or after `at` (a line starts after a newline).
fn line_start_at_or_after<S: ByteSource>(source: &S, at: u64) -> std::io::Result<u64> {
    if at == 0 {
        return Ok(0);
    }
    let mut pos = at - 1;
    loop {
        let chunk = source.read_at(pos, 1 << 16)?;
        if chunk.is_empty() {
            return Ok(source.len());
        }
        if let Some(i) = memchr::memchr(b'\n', &chunk) {
            return Ok(pos + i as u64 + 1);
        }
        pos += chunk.len() as u64;
    }
}

/// Reads JSONL from any `Read` (plain or decompressing) whose first byte is `lines.start` of the
/// stream, taking the lines that start before `lines.end`. Progress is `consumed(&input)` (bytes
/// of the file read so far by this part) out of `total`.
fn read_jsonl<R: Read>(
    mut input: R,
    consumed: impl Fn(&R) -> u64,
    lines: std::ops::Range<u64>,
    total: u64,
    report: &mut FileReport,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(Conversation, RowRef),
) -> bool {
    let (begin, end) = (lines.start, lines.end);
    let mut splitter = LineSplitter::starting_at(begin);
    let mut buf = vec![0u8; CHUNK];
    let mut done = 0u64;
    let past_end = std::cell::Cell::new(false);
    let mut on_line = |l: Line<'_>, report: &mut FileReport| {
        if l.offset >= end {
            past_end.set(true);
            return;
        }
        report.lines = l.number;
        jsonl_line(l, report, visit);
    };
    let mut want = super::source::FIRST_READ.min(buf.len());
    loop {
        let n = match read_full(&mut input, &mut buf[..want]) {
            Ok(n) => n,
            Err(e) => {
                let at = begin + done;
                report.diagnose(
                    "read_error",
                    None,
                    Some(at),
                    format!("reading stopped at byte {at}: {e}"),
                );
                splitter.finish(&mut |l| on_line(l, report));
                return false;
            }
        };
        if n == 0 {
            break;
        }
        want = (want * 2).min(buf.len());
        done += n as u64;
        splitter.feed(&buf[..n], &mut |l| on_line(l, report));
        if past_end.get() {
            return progress.update(total, report);
        }
        if !progress.update(consumed(&input).min(total), report) {
            return false;
        }
    }
    splitter.finish(&mut |l| on_line(l, report));
    progress.update(total, report);
    true
}

fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn jsonl_line(
    line: Line<'_>,
    report: &mut FileReport,
    visit: &mut dyn FnMut(Conversation, RowRef),
) {
    if line.bytes.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let text = match std::str::from_utf8(line.bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = line.offset + e.valid_up_to() as u64;
            report.skip_row(
                "invalid_utf8",
                line.number,
                Some(at),
                format!("invalid UTF-8 at byte {at}"),
            );
            return;
        }
    };
    match parse_row(text) {
        Ok(conv) => {
            report.rows_read += 1;
            report.rows_analysed += 1;
            let len = line.bytes.len() as u64;
            for w in &conv.warnings {
                report.diagnose(
                    "row_warning",
                    Some(line.number),
                    Some(line.offset),
                    w.clone(),
                );
            }
            visit(
                conv,
                RowRef::Line {
                    number: line.number,
                    offset: line.offset,
                    len,
                },
            );
        }
        Err(e) => report.skip_row(e.kind.as_str(), line.number, Some(line.offset), e.message),
    }
}

/// A file holding one top-level JSON array of rows (read whole: such files are small in practice).
fn read_json_array<S: ByteSource>(
    source: &S,
    report: &mut FileReport,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(Conversation, RowRef),
) -> bool {
    const MAX: u64 = 1 << 30;
    if source.len() > MAX {
        report.diagnose(
            "too_large",
            None,
            None,
            "a JSON array file over 1 GiB cannot be read; convert it to JSONL",
        );
        return false;
    }
    let Some(bytes) = read_or_diagnose(source, source.len() as usize, report) else {
        return false;
    };
    let rows: Vec<&serde_json::value::RawValue> = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            report.diagnose(
                "invalid_json",
                Some(e.line() as u64),
                None,
                format!("the JSON array is not valid: {e}"),
            );
            return false;
        }
    };
    for (i, raw) in rows.into_iter().enumerate() {
        report.lines = i as u64 + 1;
        match parse_row(raw.get()) {
            Ok(conv) => {
                report.rows_read += 1;
                report.rows_analysed += 1;
                visit(conv, RowRef::Element { index: i as u64 });
            }
            Err(e) => report.skip_row(
                e.kind.as_str(),
                i as u64 + 1,
                None,
                format!("array element {}: {}", i + 1, e.message),
            ),
        }
    }
    progress.update(source.len(), report)
}
