//! Reading one row again from where the row index says it is, so the explorer can show a whole
//! trajectory without the page ever holding the dataset's text.

use std::io::Read;

use super::read::{sniff, RowRef, CHUNK};
use super::report::Format;
use super::source::{ByteSource, SourceReader};
use crate::trace::{parse_row, Conversation};

/// One row read again.
#[derive(Clone, Debug)]
pub struct Reread {
    /// The row's text as it is in the file (JSONL line or JSON array element); `None` for
    /// Parquet, whose rows are columns rather than text.
    pub raw: Option<String>,
    pub conversation: Conversation,
}

/// Reads the row at `at` of `source` (the file it was indexed from).
pub fn read_row<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    at: RowRef,
) -> Result<Reread, String> {
    let head = source
        .read_at(0, 4096)
        .map_err(|e| format!("could not read the file: {e}"))?;
    let raw = match (sniff(&head, name), at) {
        (Format::Parquet, RowRef::Parquet { row_group, row, .. }) => {
            let conversation = super::parquet::read_parquet_row(source, name, row_group, row)?;
            return Ok(Reread {
                raw: None,
                conversation,
            });
        }
        (Format::Jsonl, RowRef::Line { offset, len, .. }) => {
            let bytes = source
                .read_at(offset, to_usize(len)?)
                .map_err(|e| format!("could not read the file: {e}"))?;
            into_text(bytes)?
        }
        (Format::JsonlGzip, RowRef::Line { offset, len, .. }) => {
            let mut stream =
                flate2::read::MultiGzDecoder::new(SourceReader::new(source.clone(), 0, CHUNK));
            std::io::copy(&mut (&mut stream).take(offset), &mut std::io::sink())
                .map_err(|e| format!("could not decompress the file: {e}"))?;
            let mut bytes = Vec::with_capacity(to_usize(len)?);
            stream
                .take(len)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("could not decompress the file: {e}"))?;
            into_text(bytes)?
        }
        (Format::JsonArray, RowRef::Element { index }) => {
            let bytes = source
                .read_at(0, to_usize(source.len())?)
                .map_err(|e| format!("could not read the file: {e}"))?;
            let rows: Vec<&serde_json::value::RawValue> = serde_json::from_slice(&bytes)
                .map_err(|e| format!("the JSON array is not valid: {e}"))?;
            rows.get(to_usize(index)?)
                .map(|r| r.get().to_owned())
                .ok_or_else(|| format!("the array has no element {}", index + 1))?
        }
        (format, at) => return Err(format!("a {format:?} file has no row at {at:?}")),
    };
    let text = raw.trim_end_matches(['\r', '\n']);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let conversation = parse_row(text).map_err(|e| e.message)?;
    Ok(Reread {
        raw: Some(text.to_owned()),
        conversation,
    })
}

fn to_usize(n: u64) -> Result<usize, String> {
    usize::try_from(n).map_err(|_| format!("{n} bytes do not fit in memory here"))
}

fn into_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| format!("invalid UTF-8: {e}"))
}
