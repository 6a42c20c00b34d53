//! SFT writers: pure functions from a conversation (and options) to an output row, plus the
//! bookkeeping that makes an export reconcile (rows read = written + dropped, by reason).

pub mod messages;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::trace::Conversation;

/// Why a row was not written. Stable names (used in the manifest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A tool call whose JSON could not be read: the row cannot be written as structured calls.
    MalformedCall,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::MalformedCall => "malformed_call",
        }
    }
}

/// Counts that make an export reconcile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub rows_read: u64,
    pub rows_written: u64,
    pub rows_dropped: BTreeMap<String, u64>,
    pub bytes_written: u64,
}

impl Manifest {
    pub fn new(format: &str) -> Self {
        Manifest {
            format: format.to_owned(),
            ..Default::default()
        }
    }
    pub fn merge(&mut self, other: &Manifest) {
        self.rows_read += other.rows_read;
        self.rows_written += other.rows_written;
        self.bytes_written += other.bytes_written;
        for (k, v) in &other.rows_dropped {
            *self.rows_dropped.entry(k.clone()).or_default() += v;
        }
    }
}

/// Appends one conversation to `out` as a JSONL line in the `messages` shape.
pub fn write_messages_line(conv: &Conversation, out: &mut Vec<u8>, manifest: &mut Manifest) {
    manifest.rows_read += 1;
    match messages::to_messages(conv) {
        Ok(v) => {
            let before = out.len();
            // Writing a Value into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &v);
            out.push(b'\n');
            manifest.rows_written += 1;
            manifest.bytes_written += (out.len() - before) as u64;
        }
        Err(reason) => {
            *manifest
                .rows_dropped
                .entry(reason.as_str().to_owned())
                .or_default() += 1
        }
    }
}
