//! Bytes → rows: format sniffing, chunked JSONL (plain or gzip), JSON arrays and Parquet, over a
//! random-access `ByteSource`; every problem becomes a diagnostic naming file, line and offset.

pub mod lines;
pub mod parquet;
pub mod read;
pub mod report;
pub mod source;

pub use read::{read_rows, sniff, Progress, RowRef};
pub use report::{Diagnostic, FileReport, Format, Totals};
pub use source::ByteSource;

/// Reads a file and aggregates every conversation into its report's summary.
pub fn analyse<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    progress: &mut dyn Progress,
) -> FileReport {
    let mut summary = crate::stats::Summary::default();
    let mut report = read_rows(source, name, progress, &mut |conv, _| summary.add(&conv));
    report.summary = summary;
    report
}
