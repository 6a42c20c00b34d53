//! JSONL, plain (by byte range, so several workers can share a file) or gzip-compressed (one
//! stream): lines are split across chunks, each line is a row, and a stream that fails keeps
//! every whole line before the failure and reports the rest unread.

use std::io::Read;

use super::gzip::{Members, Trailing};
use super::lines::{Line, LineSplitter};
use super::part::Part;
use super::report::{ReadReport, Unread};
use super::rows::{row_parsed, RowRef, Sink};
use super::source::{ByteSource, SourceReader, CHUNK};
use crate::trace::parse_row;

/// Reads the lines of plain JSONL that start in `part`'s byte range.
pub fn read_plain<S: ByteSource + Clone>(
    source: &S,
    part: Part,
    report: &mut ReadReport,
    sink: &mut dyn Sink,
) -> bool {
    match plain_lines(source, part) {
        Ok(std::ops::Range { start: begin, end }) => read_jsonl(
            Plain(SourceReader::new(source.clone(), begin, CHUNK)),
            begin..end,
            end.saturating_sub(begin),
            report,
            sink,
        ),
        Err(e) => {
            let start = part.byte_range(source.len()).0;
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

/// The lines of plain JSONL that `part` reads: from the first line that starts in its byte
/// range (found with a small read) to the end of its range (its last line may run past it).
pub fn plain_lines<S: ByteSource>(source: &S, part: Part) -> std::io::Result<std::ops::Range<u64>> {
    let (start, end) = part.byte_range(source.len());
    Ok(line_start_at_or_after(source, start)?..end)
}

/// Reads every line of gzip-compressed JSONL (every member, in order).
pub fn read_gzip<S: ByteSource + Clone>(
    source: &S,
    report: &mut ReadReport,
    sink: &mut dyn Sink,
) -> bool {
    read_jsonl(
        Gzip(Members::new(SourceReader::new(source.clone(), 0, CHUNK))),
        0..u64::MAX,
        source.len(),
        report,
        sink,
    )
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
    report: &mut ReadReport,
    sink: &mut dyn Sink,
) -> bool {
    let start_position = input.file_position();
    let mut feed = LineFeed::new(lines);
    let mut buf = vec![0u8; CHUNK];
    let mut want = super::source::FIRST_READ.min(buf.len());
    loop {
        let (n, error) = read_full(&mut input, &mut buf[..want]);
        want = (want * 2).min(buf.len());
        if !feed.feed(&buf[..n], report, sink) {
            return sink.progress(total, report);
        }
        if let Some(e) = error {
            let (kind, message, unread_at) = input.failure(&e, feed.position());
            feed.fail(kind, message, unread_at, report);
            sink.progress(total, report);
            return false;
        }
        if n == 0 {
            break;
        }
        let position = input.file_position() - start_position;
        if !sink.progress(position.min(total), report) {
            return false;
        }
    }
    feed.finish(report, sink);
    sink.progress(total, report);
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

/// The lines of a part as its bytes are handed in, in order from its first line: each line
/// that starts before the part's end becomes a row. `read_jsonl` feeds it from a stream; a
/// reader that cannot block (a browser worker reading its part asynchronously) feeds it itself.
pub struct LineFeed {
    splitter: LineSplitter,
    begin: u64,
    end: u64,
    fed: u64,
    past_end: bool,
}

impl LineFeed {
    /// Lines from `lines.start` (where the first byte fed is) that start before `lines.end`.
    pub fn new(lines: std::ops::Range<u64>) -> Self {
        LineFeed {
            splitter: LineSplitter::starting_at(lines.start),
            begin: lines.start,
            end: lines.end,
            fed: 0,
            past_end: false,
        }
    }

    /// Hands on the rows of the lines that `bytes` completes; false once a line that starts at
    /// or after the part's end is seen (the part's lines are all read).
    pub fn feed(&mut self, bytes: &[u8], report: &mut ReadReport, sink: &mut dyn Sink) -> bool {
        self.fed += bytes.len() as u64;
        let (end, past_end) = (self.end, &mut self.past_end);
        self.splitter.feed(bytes, &mut |l| {
            if !part_line(l, end, report, sink) {
                *past_end = true;
            }
        });
        !self.past_end
    }

    /// Bytes fed so far.
    pub fn fed(&self) -> u64 {
        self.fed
    }

    /// Where the next byte fed is, in the stream's text.
    pub fn position(&self) -> u64 {
        self.begin + self.fed
    }

    /// The stream ended: its last line may lack a newline.
    pub fn finish(&mut self, report: &mut ReadReport, sink: &mut dyn Sink) {
        let end = self.end;
        self.splitter.finish(&mut |l| {
            part_line(l, end, report, sink);
        });
    }

    /// The stream failed after the bytes fed: says so (`kind`, `message`), with the line it cut,
    /// and reports the rest of the file, from `unread_at`, unread.
    pub fn fail(&self, kind: &str, mut message: String, unread_at: u64, report: &mut ReadReport) {
        if let Some((number, offset)) = self.splitter.pending() {
            message.push_str(&format!(
                "; line {number} (from byte {offset}) is cut there and not counted"
            ));
        }
        message.push_str("; every whole line before was read, the rest cannot be counted");
        report.diagnose(
            kind,
            self.splitter.pending().map(|p| p.0),
            Some(self.position()),
            message,
        );
        report.unread.push(Unread::after(kind, unread_at));
    }
}

/// A line of the stream: a row of the part when it starts before the part's `end` (false, and
/// nothing done, for a line of the next part).
fn part_line(line: Line<'_>, end: u64, report: &mut ReadReport, sink: &mut dyn Sink) -> bool {
    if line.offset >= end {
        return false;
    }
    report.lines = line.number;
    jsonl_line(line, report, sink);
    true
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

fn jsonl_line(line: Line<'_>, report: &mut ReadReport, sink: &mut dyn Sink) {
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
        sink,
    );
}
