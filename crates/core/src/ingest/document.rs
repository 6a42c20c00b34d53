//! JSON documents: a top-level array of rows, or one or more top-level objects (a conversation
//! saved pretty-printed, or `jq` output). Read element by element, so a syntax error keeps every
//! row before it and names where the document breaks; the rest cannot be counted.

use std::fmt;
use std::ops::ControlFlow;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::report::{Format, ReadReport, Unread};
use super::rows::{row_parsed, RowRef, Sink};
use super::source::ByteSource;
use crate::trace::parse_row;

/// Documents larger than this are not read (they are held whole; convert them to JSONL).
const MAX_BYTES: u64 = 1 << 30;

/// Where and why a document stops being readable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// Elements read before it.
    pub elements: u64,
    /// Byte offset in the text given (BOM included), 1-based line and column.
    pub offset: u64,
    pub line: u64,
    pub column: u64,
    pub message: String,
    /// The document was whole; what follows it is not JSON.
    pub trailing: bool,
}

/// Calls `f` with each element's index, text and byte offset, in order, until it breaks.
/// Returns how many elements there were, or where the document broke.
pub fn for_each_element(
    text: &str,
    format: Format,
    f: &mut dyn FnMut(u64, &str, u64) -> ControlFlow<()>,
) -> Result<u64, Break> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let base = body.as_ptr() as usize;
    let mut count = 0u64;
    let mut visit = |raw: &RawValue| {
        let offset = (raw.get().as_ptr() as usize - base + bom) as u64;
        let flow = f(count, raw.get(), offset);
        count += 1;
        flow
    };
    let broke = |count: u64, e: serde_json::Error, trailing: bool| Break {
        elements: count,
        offset: bom as u64 + offset_of(body, e.line(), e.column()),
        line: e.line() as u64,
        column: e.column() as u64,
        message: e.to_string(),
        trailing,
    };
    match format {
        Format::JsonArray => {
            let mut de = serde_json::Deserializer::from_str(body);
            let seed = Elements { visit: &mut visit };
            if let Err(e) = seed.deserialize(&mut de) {
                return Err(broke(count, e, false));
            }
            match de.end() {
                Ok(()) => Ok(count),
                Err(e) => Err(broke(count, e, true)),
            }
        }
        _ => {
            let stream = serde_json::Deserializer::from_str(body).into_iter::<&RawValue>();
            for value in stream {
                match value {
                    Ok(raw) => {
                        if visit(raw).is_break() {
                            break;
                        }
                    }
                    Err(e) => return Err(broke(count, e, false)),
                }
            }
            Ok(count)
        }
    }
}

/// Visits the elements of a top-level array one at a time, as they are parsed.
struct Elements<'a> {
    visit: &'a mut dyn FnMut(&RawValue) -> ControlFlow<()>,
}

impl<'de> DeserializeSeed<'de> for Elements<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if (self.visit)(raw).is_break() {
                // Stopped on purpose: the rest is not wanted.
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                break;
            }
        }
        Ok(())
    }
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> u64 {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(line - 2)
            .map_or(text.len(), |i| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len()) as u64
}

/// Reads a JSON document file whole: every element that is a row is analysed.
pub fn read_document<S: ByteSource>(
    source: &S,
    format: Format,
    report: &mut ReadReport,
    sink: &mut dyn Sink,
) -> bool {
    if source.len() > MAX_BYTES {
        report.diagnose(
            "too_large",
            None,
            None,
            "a JSON document over 1 GiB cannot be read; convert it to JSONL",
        );
        report.unread.push(Unread::after("too_large", 0));
        return false;
    }
    let bytes = match source.read_at(0, source.len() as usize) {
        Ok(b) => b,
        Err(e) => {
            report.diagnose(
                "read_error",
                None,
                Some(0),
                format!("could not read the file: {e}"),
            );
            report.unread.push(Unread::after("read_error", 0));
            return false;
        }
    };
    // A document is read up to its first invalid UTF-8 byte, if it has one.
    let (text, bad_utf8) = match std::str::from_utf8(&bytes) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.valid_up_to();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            (valid, Some(at as u64))
        }
    };
    let mut cancelled = false;
    let result = for_each_element(text, format, &mut |i, raw, offset| {
        let number = i + 1;
        report.lines = number;
        let at = RowRef::Element { index: i };
        row_parsed(parse_row(raw), number, Some(offset), at, report, sink);
        if number % 256 == 0 && !sink.progress(offset, report) {
            cancelled = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    if cancelled {
        return false;
    }
    let complete = match (result, bad_utf8) {
        (Ok(0), None) => {
            let message = match format {
                Format::JsonArray => "the JSON array is empty",
                _ => "the file holds no JSON value",
            };
            report.diagnose("no_rows", None, None, message);
            true
        }
        (Ok(_), None) => true,
        (Err(b), Some(at)) if b.offset >= at => {
            report.diagnose(
                "invalid_utf8",
                None,
                Some(at),
                format!(
                    "invalid UTF-8 at byte {at}, after {} element{}: the rest of the file was not read and its rows cannot be counted",
                    b.elements,
                    plural(b.elements)
                ),
            );
            report.unread.push(Unread::after("invalid_utf8", at));
            false
        }
        (Err(b), _) => {
            describe_break(&b, format, bytes.len() as u64, report);
            false
        }
        (Ok(_), Some(at)) => {
            report.diagnose(
                "invalid_utf8",
                None,
                Some(at),
                format!("invalid UTF-8 at byte {at}: the rest of the file was not read"),
            );
            report.unread.push(Unread::after("invalid_utf8", at));
            false
        }
    };
    sink.progress(source.len(), report);
    complete
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One clear sentence for where a document stops being readable, and what is lost.
fn describe_break(b: &Break, format: Format, len: u64, report: &mut ReadReport) {
    let what = match format {
        Format::JsonArray => "the JSON array",
        _ if b.elements == 0 => "the JSON document",
        _ => "the JSON values",
    };
    let place = format!("line {}, column {}", b.line, b.column);
    let (kind, message) = if b.trailing {
        (
            "trailing_data",
            format!(
                "{what} ends before byte {}, but the file goes on ({} more bytes, not read): {}",
                b.offset,
                len.saturating_sub(b.offset),
                b.message
            ),
        )
    } else if b.elements == 0 && format == Format::Json {
        (
            "invalid_json",
            format!(
                "the file is one JSON value over several lines (pretty-printed), and it is not valid JSON at {place}: {}",
                b.message
            ),
        )
    } else {
        (
            "corrupt_json",
            format!(
                "{what} breaks at {place}, after {} element{}: {}; the rest of the file was not read and its rows cannot be counted",
                b.elements,
                plural(b.elements),
                b.message
            ),
        )
    };
    report.diagnose(kind, None, Some(b.offset), message);
    report.unread.push(Unread::after(kind, b.offset));
}

/// The text of element `index` of a document (the explorer's re-read of one row).
pub fn element_text(text: &str, format: Format, index: u64) -> Result<&str, String> {
    let mut found = None;
    let result = for_each_element(text, format, &mut |i, raw, _| {
        if i == index {
            found = Some((raw.as_ptr() as usize - text.as_ptr() as usize, raw.len()));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    match (found, result) {
        (Some((start, len)), _) => Ok(&text[start..start + len]),
        (None, Err(b)) if b.elements <= index => Err(format!(
            "the document breaks at line {}, column {} before element {}: {}",
            b.line,
            b.column,
            index + 1,
            b.message
        )),
        _ => Err(format!("the document has no element {}", index + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each element: its index, text and offset.
    type Element = (u64, String, u64);

    fn elements(text: &str, format: Format) -> (Vec<Element>, Result<u64, Break>) {
        let mut out = Vec::new();
        let r = for_each_element(text, format, &mut |i, raw, at| {
            out.push((i, raw.to_owned(), at));
            ControlFlow::Continue(())
        });
        (out, r)
    }

    #[test]
    fn array_elements_with_offsets_and_a_bom() {
        let text = "\u{feff}[{\"a\": 1},\n {\"b\": 2}]\n";
        let (els, r) = elements(text, Format::JsonArray);
        assert_eq!(r, Ok(2));
        assert_eq!(els[0], (0, "{\"a\": 1}".into(), 4));
        assert_eq!(els[1], (1, "{\"b\": 2}".into(), 15));
        assert_eq!(&text[15..23], "{\"b\": 2}");
        assert_eq!(element_text(text, Format::JsonArray, 1), Ok("{\"b\": 2}"));
        assert!(element_text(text, Format::JsonArray, 2).is_err());
    }

    #[test]
    fn a_cut_array_keeps_the_elements_before_the_cut() {
        let text = "[{\"a\": 1},\n{\"b\": 2},\n{\"c\": ";
        let (els, r) = elements(text, Format::JsonArray);
        assert_eq!(els.len(), 2);
        let b = r.unwrap_err();
        assert_eq!((b.elements, b.line, b.trailing), (2, 3, false));
        assert!(
            b.offset as usize > text.rfind('\n').unwrap(),
            "on the cut line"
        );
    }

    #[test]
    fn trailing_bytes_after_a_whole_array_are_placed() {
        let text = "[{\"a\": 1}] <garbage>";
        let (els, r) = elements(text, Format::JsonArray);
        assert_eq!(els.len(), 1);
        let b = r.unwrap_err();
        assert!(b.trailing);
        assert_eq!(&text[b.offset as usize..], "<garbage>");
    }

    #[test]
    fn objects_one_after_another_pretty_printed() {
        let text = "{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}\n";
        let (els, r) = elements(text, Format::Json);
        assert_eq!(r, Ok(2));
        assert_eq!(els[1].2, 13);
        assert_eq!(element_text(text, Format::Json, 1), Ok("{\n  \"b\": 2\n}"));
        let (_, r) = elements("{\n  \"a\": [1,\n}", Format::Json);
        let b = r.unwrap_err();
        assert_eq!((b.elements, b.line), (0, 3));
    }
}
