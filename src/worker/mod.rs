//! The worker side of the app: the typed messages the page and the workers exchange (plain serde
//! types, testable natively), and — in wasm only — the worker's entry point, which runs ingest,
//! stats and export over `Blob`s off the main thread.
//!
//! On the wire a message is a JS array `[json, attachment?]`: the JSON is one of the enums below,
//! the attachment a `File` (requests about a local file), a `Remote` as JSON text (requests
//! about a file read over HTTP by byte ranges) or a `Blob` (an export's output).

use serde::{Deserialize, Serialize};

use agent_traces::explore::{Query, TraceView};
use agent_traces::export::{ExportOptions, Manifest};
use agent_traces::index::RowIndex;
use agent_traces::ingest::{Part, RowRef};
use agent_traces::pipeline::FileReport;

#[cfg(target_arch = "wasm32")]
mod http;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
#[cfg(target_arch = "wasm32")]
mod stream;

/// A file on a web server, read by HTTP range requests: a Hub dataset's file (through the
/// signed storage URL its `resolve` link redirected to) or any URL that serves ranges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remote {
    /// Where the bytes are read from.
    pub url: String,
    /// The Hub's `resolve` link, asked again for a fresh `url` when a signed one stops working
    /// mid-read (`None` for a plain URL).
    pub resolve: Option<String>,
    pub size: u64,
    /// The user's access token: sent to `resolve` (the Hub's own origin) only, never to `url`.
    /// Kept in memory for the tab: never written to the URL, storage or a log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// Page → worker. Every request carries the file it is about as the attachment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Panics on purpose, so tests can check a worker crash is shown and the worker replaced
    /// (the page sends it only when opened with `?selftest=worker-panic`).
    SelfTestPanic,
    /// Read one part of the file (`Part::WHOLE` for all of it) and aggregate it.
    Analyse {
        job: u32,
        file: u32,
        name: String,
        #[serde(default)]
        part: Part,
        /// Parquet row groups to leave out: the decoder stopped a worker on each before.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        skip_row_groups: Vec<usize>,
    },
    /// Read one row again (from where the row index says it is) and lay it out for reading.
    ReadRow {
        job: u32,
        file: u32,
        name: String,
        at: RowRef,
    },
    /// Look for `query` in every row of the file.
    Search {
        job: u32,
        file: u32,
        name: String,
        query: Query,
    },
    /// Re-read the file and write it as SFT JSONL. A `preview` stops after the first row written
    /// and sends no output, only the manifest (whose `preview` holds that row).
    Export {
        job: u32,
        file: u32,
        name: String,
        options: ExportOptions,
        #[serde(default)]
        preview: bool,
        /// Only these rows (numbers in the file, as the row index has them); `None` for all.
        #[serde(default)]
        rows: Option<Vec<u64>>,
        /// The part of the file to export (the whole file by default; parts only when
        /// `pipeline::splits` allows), and the lines of the file before it.
        #[serde(default)]
        part: Part,
        #[serde(default)]
        base: u64,
    },
}

/// What reading a remote part has cost on the network so far: requests, bytes received and the
/// time spent waiting for them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub requests: u32,
    pub bytes: u64,
    pub ms: f64,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The worker's wasm is initialised; requests posted earlier would have been lost.
    Ready,
    /// Reading is under way; `partial` holds the report so far (figures, counts that reconcile
    /// and diagnostics), sent now and then.
    Progress {
        job: u32,
        file: u32,
        /// The part's index (0 for exports and whole files).
        #[serde(default)]
        part: u32,
        bytes_done: u64,
        rows_read: u64,
        partial: Option<Box<FileReport>>,
        /// For a remote file: its network cost so far.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        network: Option<Network>,
    },
    Analysed {
        job: u32,
        file: u32,
        #[serde(default)]
        part: u32,
        report: Box<FileReport>,
        /// One entry per analysed row, in file order. It travels as the attachment, in
        /// postcard's compact binary form (`encode_index`): as JSON it would be ~8× larger.
        #[serde(skip)]
        index: Box<RowIndex>,
        /// The worker's wasm memory size after the part: wasm memory never shrinks, so this is
        /// the peak the worker has reached so far.
        #[serde(default)]
        wasm_memory: u64,
        /// For a remote file: what reading the part cost on the network.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        network: Option<Network>,
    },
    /// One row, read again and laid out for reading.
    Row {
        job: u32,
        file: u32,
        view: Box<TraceView>,
    },
    /// The rows of a file that match a search: (row number in the file, first matching message,
    /// 1-based).
    Searched {
        job: u32,
        file: u32,
        rows_read: u64,
        matches: Vec<(u64, u32)>,
    },
    /// The attachment is `[train, validation]`, two `Blob`s (none for a preview).
    Exported {
        job: u32,
        file: u32,
        /// The part's index (0 for a whole file).
        #[serde(default)]
        part: u32,
        manifest: Box<Manifest>,
    },
    /// Something about reading a remote file the user should know, as it happens: a signed link
    /// renewed (`expired`) or a request that failed (`cors`, `rate_limited`, …: a
    /// `hub::Failure` kind). The read itself reports its rows as usual.
    Notice {
        job: u32,
        file: u32,
        kind: String,
        message: String,
    },
    /// Something went wrong: shown to the user as it is. `fatal` when the worker cannot go on
    /// (it panicked) and must be replaced.
    Failed {
        job: Option<u32>,
        file: Option<u32>,
        message: String,
        #[serde(default)]
        fatal: bool,
        /// Where a fatal failure struck, when the worker was reading a part of a file: the part,
        /// and the Parquet row group being decoded (the page reads the part again without it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        during: Option<During>,
    },
}

/// The part, and the Parquet row group in it, a worker was reading when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct During {
    pub part: u32,
    pub row_group: usize,
}

impl Reply {
    /// A non-fatal failure.
    pub fn failed(job: Option<u32>, file: Option<u32>, message: impl Into<String>) -> Reply {
        Reply::Failed {
            job,
            file,
            message: message.into(),
            fatal: false,
            during: None,
        }
    }
}

/// The row index as bytes, for `Reply::Analysed`'s attachment.
pub fn encode_index(index: &RowIndex) -> Vec<u8> {
    postcard::to_allocvec(index).unwrap_or_default()
}

/// The row index an `Analysed` reply's attachment holds.
pub fn decode_index(bytes: &[u8]) -> Result<RowIndex, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable row index from a worker: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_index_round_trips_as_bytes() {
        let opts = agent_traces_gen::GenOptions {
            rows: 40,
            tricky_ratio: 0.3,
            ..Default::default()
        };
        let mut text = Vec::new();
        agent_traces_gen::write_jsonl(&opts, &mut text).expect("in memory");
        let index = agent_traces::pipeline::analyse(&text, "a.jsonl").index;
        assert_eq!(index.len(), 40);
        let bytes = encode_index(&index);
        assert_eq!(decode_index(&bytes), Ok(index));
        assert!(decode_index(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn a_remote_file_and_a_notice_round_trip_as_json() {
        let remote = Remote {
            url: "https://cas-bridge.xethub.hf.co/x?sig=1".into(),
            resolve: Some("https://huggingface.co/datasets/o/n/resolve/main/a.parquet".into()),
            size: 508_000_000,
            token: None,
        };
        let text = serde_json::to_string(&remote).unwrap();
        assert!(!text.contains("token"), "{text}");
        assert_eq!(serde_json::from_str::<Remote>(&text).unwrap(), remote);
        let notice = Reply::Notice {
            job: 2,
            file: 1,
            kind: "expired".into(),
            message: "renewed".into(),
        };
        let text = serde_json::to_string(&notice).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), notice);
    }

    #[test]
    fn messages_round_trip_as_json() {
        let r = Request::Export {
            job: 3,
            file: 1,
            name: "a.jsonl".into(),
            options: agent_traces::export::ExportOptions {
                format: agent_traces::export::Format::Llamafactory,
                limit: Some(3),
                ..Default::default()
            },
            preview: false,
            rows: Some(vec![2, 7]),
            part: Part { index: 1, count: 2 },
            base: 120,
        };
        let s = serde_json::to_string(&r).unwrap();
        assert!(s.starts_with("{\"export\":"), "{s}");
        assert_eq!(serde_json::from_str::<Request>(&s).unwrap(), r);
        // Map keys that are numbers (parallel widths) survive the trip.
        let mut partial = FileReport::new("a.jsonl", 10);
        partial.summary.strict.parallel_widths.insert(2, 5);
        let p = Reply::Progress {
            job: 1,
            file: 0,
            part: 1,
            bytes_done: 10,
            rows_read: 2,
            partial: Some(Box::new(partial)),
            network: Some(Network {
                requests: 3,
                bytes: 9,
                ms: 1.5,
            }),
        };
        assert_eq!(
            serde_json::from_str::<Reply>(&serde_json::to_string(&p).unwrap()).unwrap(),
            p
        );
    }
}
