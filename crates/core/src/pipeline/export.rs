//! SFT export of a file: the `Exporting` sink pushes each row into an `Exporter` (optionally
//! only the rows a filter listed), hands the output on in parts as it grows, and counts the rows
//! the reader skipped as unreadable — the one export loop of the page's workers and of the
//! `export` tool.

use std::collections::HashSet;

use crate::export::{Exporter, Output};
use crate::ingest::{read_rows, ByteSource, ReadReport, RowRef, Sink};
use crate::trace::Conversation;

/// How the split and dedupe name a row that has no id: its file and row number.
pub fn row_key(file: &str, at: RowRef) -> String {
    format!("{file}#{}", at.number())
}

/// Exports the rows of one file into a shared `Exporter`.
pub struct Exporting<'a> {
    pub exporter: &'a mut Exporter,
    pub name: &'a str,
    /// Only these row numbers (the explorer's list), if given; the others count as filtered out.
    pub only: Option<&'a HashSet<u64>>,
    /// Output is handed on once this many bytes are ready.
    pub part_bytes: usize,
    /// Receives the output, part by part, in order.
    pub output: &'a mut dyn FnMut(Vec<Output>),
    /// Told bytes done and counts now and then; returns false to stop (cancel).
    pub on_progress: &'a mut dyn FnMut(u64, &ReadReport) -> bool,
}

impl Sink for Exporting<'_> {
    fn row(&mut self, conv: Conversation, at: RowRef) {
        if self.only.is_some_and(|o| !o.contains(&at.number())) {
            self.exporter.filtered_out();
            return;
        }
        self.exporter.push(&conv, &row_key(self.name, at));
        (self.output)(self.exporter.drain(self.part_bytes));
    }
    fn progress(&mut self, bytes_done: u64, report: &ReadReport) -> bool {
        (self.on_progress)(bytes_done, report) && !self.exporter.full()
    }
    fn finish(&mut self, report: &ReadReport) {
        for (kind, n) in &report.rows_skipped {
            self.exporter.unreadable(kind, *n);
        }
    }
}

/// Reads every row of `source` into `sink`'s exporter; returns the file's counts.
pub fn export_file<S: ByteSource + Clone + 'static>(
    source: &S,
    sink: &mut Exporting<'_>,
) -> ReadReport {
    let name = sink.name;
    read_rows(source, name, sink)
}
