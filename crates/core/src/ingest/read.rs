//! The ingest driver: sniffs a file's format, reads it in chunks, turns rows into conversations
//! and hands each to a visitor, recording every problem in the file's report.

use std::io::Read;

use super::document::read_document;
use super::gzip::{Members, Trailing};
use super::lines::{Line, LineSplitter};
use super::part::Part;
use super::report::{FileReport, Format, Unread};
use super::sniff::sniff_source;
use super::source::{ByteSource, SourceReader};
use crate::trace::{parse_row, Conversation, RowError};

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
    report.format = match sniff_source(source, name) {
        Ok(f) => f,
        Err(e) => {
            report.diagnose(
                "read_error",
                None,
                Some(0),
                format!("could not read the file: {e}"),
            );
            report.unread.push(Unread::after("read_error", 0));
            return report;
        }
    };
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
                    Plain(SourceReader::new(source.clone(), begin, CHUNK)),
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
                    report.unread.push(Unread::after("read_error", start));
                    false
                }
            }
        }
        Format::JsonlGzip => read_jsonl(
            Gzip(Members::new(SourceReader::new(source.clone(), 0, CHUNK))),
            0..u64::MAX,
            source.len(),
            &mut report,
            progress,
            visit,
        ),
        Format::JsonArray | Format::Json => {
            read_document(source, report.format, &mut report, progress, visit)
        }
        Format::Parquet => super::parquet::read_parquet(source, part, &mut report, progress, visit),
        Format::Unknown => {
            let head = source.read_at(0, 16).unwrap_or_default();
            let message = if head.iter().all(u8::is_ascii_whitespace) && source.len() <= 16 {
                "the file holds only blank space".to_owned()
            } else {
                let shown: String = String::from_utf8_lossy(&head).escape_debug().collect();
                format!("not JSONL, JSON, gzip or Parquet (the file starts with \"{shown}\")")
            };
            report.diagnose("unsupported_format", None, Some(0), message);
            report.unread.push(Unread::after("unsupported_format", 0));
            false
        }
    };
    report.complete = complete;
    report
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

/// A stream of JSONL text: the file itself, or its gzip members decompressed.
trait LineStream: Read {
    /// Bytes of the file consumed so far.
    fn file_position(&self) -> u64;
    /// Names an error that stopped the stream after `text_at` bytes of text: the diagnostic's
    /// kind and message, and where in the file the unread part starts.
    fn failure(&self, e: &std::io::Error, text_at: u64) -> (&'static str, String, u64);
    /// After a clean end, bytes that follow the data but are not part of it.
    fn trailing(&self) -> Option<Trailing> {
        None
    }
}

struct Plain<S: ByteSource>(SourceReader<S>);
struct Gzip<S: ByteSource>(Members<S>);

impl<S: ByteSource> Read for Plain<S> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(out)
    }
}

impl<S: ByteSource> LineStream for Plain<S> {
    fn file_position(&self) -> u64 {
        self.0.position()
    }
    fn failure(&self, e: &std::io::Error, text_at: u64) -> (&'static str, String, u64) {
        let message = format!("reading stopped at byte {text_at}: {e}");
        ("read_error", message, text_at)
    }
}

impl<S: ByteSource> Read for Gzip<S> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(out)
    }
}

impl<S: ByteSource> LineStream for Gzip<S> {
    fn file_position(&self) -> u64 {
        self.0.position()
    }
    fn failure(&self, e: &std::io::Error, text_at: u64) -> (&'static str, String, u64) {
        let at = self.0.position();
        let (kind, what) = match e.kind() {
            std::io::ErrorKind::UnexpectedEof => (
                "truncated_gzip",
                "the file ends inside the gzip data (cut off: a partial download?)".to_owned(),
            ),
            _ => ("corrupt_gzip", format!("the gzip data is damaged ({e})")),
        };
        let message = format!(
            "{what}: decoding stopped at byte {at} of the file, byte {text_at} of the decompressed text"
        );
        (kind, message, at)
    }
    fn trailing(&self) -> Option<Trailing> {
        self.0.trailing()
    }
}

/// Reads JSONL from a stream whose first byte is `lines.start` of the text, taking the lines
/// that start before `lines.end`. Progress is bytes of the file read by this part, out of
/// `total`. A stream that fails keeps every whole line before the failure; the line it cuts and
/// what follows are reported unread.
fn read_jsonl<R: LineStream>(
    mut input: R,
    lines: std::ops::Range<u64>,
    total: u64,
    report: &mut FileReport,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(Conversation, RowRef),
) -> bool {
    let (begin, end) = (lines.start, lines.end);
    let start_position = input.file_position();
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
        let (n, error) = read_full(&mut input, &mut buf[..want]);
        want = (want * 2).min(buf.len());
        splitter.feed(&buf[..n], &mut |l| on_line(l, report));
        done += n as u64;
        if past_end.get() {
            return progress.update(total, report);
        }
        if let Some(e) = error {
            let (kind, mut message, unread_at) = input.failure(&e, begin + done);
            if let Some((number, offset)) = splitter.pending() {
                message.push_str(&format!(
                    "; line {number} (from byte {offset}) is cut there and not counted"
                ));
            }
            message.push_str("; every whole line before was read, the rest cannot be counted");
            report.diagnose(
                kind,
                splitter.pending().map(|p| p.0),
                Some(begin + done),
                message,
            );
            report.unread.push(Unread::after(kind, unread_at));
            progress.update(total, report);
            return false;
        }
        if n == 0 {
            break;
        }
        let position = input.file_position() - start_position;
        if !progress.update(position.min(total), report) {
            return false;
        }
    }
    splitter.finish(&mut |l| on_line(l, report));
    progress.update(total, report);
    match input.trailing() {
        Some(t) => {
            report.diagnose(
                "trailing_data",
                None,
                Some(t.offset),
                format!(
                    "the gzip data ends at byte {}, and the {} bytes after it are not gzip: they were not read",
                    t.offset, t.bytes
                ),
            );
            report.unread.push(Unread::after("trailing_data", t.offset));
            false
        }
        None => true,
    }
}

/// Fills `buf` as far as the stream goes: the bytes read, and the error that stopped it early.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> (usize, Option<std::io::Error>) {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (filled, Some(e)),
        }
    }
    (filled, None)
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
    let at = RowRef::Line {
        number: line.number,
        offset: line.offset,
        len: line.bytes.len() as u64,
    };
    row_parsed(
        parse_row(text),
        line.number,
        Some(line.offset),
        at,
        report,
        visit,
    );
}

/// A row's text, parsed: counted and visited, or skipped with its reason.
pub(super) fn row_parsed(
    parsed: Result<Conversation, RowError>,
    number: u64,
    offset: Option<u64>,
    at: RowRef,
    report: &mut FileReport,
    visit: &mut dyn FnMut(Conversation, RowRef),
) {
    match parsed {
        Ok(conv) => {
            report.analysed(number, offset, &conv);
            visit(conv, at);
        }
        Err(e) => report.skip_row(e.kind.as_str(), number, offset, e.message),
    }
}
