//! Bytes → rows: format sniffing, chunked JSONL (plain or gzip), JSON arrays and Parquet, over a
//! random-access `ByteSource`; every problem becomes a diagnostic naming file, line and offset.

pub mod label;
pub mod lines;
pub mod parquet;
pub mod part;
pub mod read;
pub mod report;
pub mod source;

pub use label::source_label;
pub use part::Part;
pub use read::{read_part, read_rows, sniff, Progress, RowRef};
pub use report::{Diagnostic, FileReport, FlaggedRow, Format, Totals};
pub use source::ByteSource;

use std::cell::RefCell;

use crate::stats::Summary;

/// Reads a file and aggregates every conversation into its report (summary and flagged rows).
pub fn analyse<S: ByteSource + Clone + 'static>(source: &S, name: &str) -> FileReport {
    analyse_with(source, name, Part::WHOLE, &mut |_, _, _| true)
}

/// `analyse` of one part of the file, telling `on_progress` the bytes done, rows read and
/// figures so far; it returns false to stop (cancel).
pub fn analyse_with<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    part: Part,
    on_progress: &mut dyn FnMut(u64, u64, &Summary) -> bool,
) -> FileReport {
    let acc = RefCell::new((Summary::default(), Vec::<FlaggedRow>::new()));
    let mut progress = |bytes: u64, rows: u64| on_progress(bytes, rows, &acc.borrow().0);
    let mut report = read_part(source, name, part, &mut progress, &mut |conv, at| {
        let (summary, flagged) = &mut *acc.borrow_mut();
        summary.add(&conv);
        let flags = conv.flags();
        if !flags.is_empty() && flagged.len() < report::MAX_DIAGNOSTICS {
            flagged.push(FlaggedRow {
                row: at.number(),
                id: conv.id.clone(),
                flags: flags.names().map(str::to_owned).collect(),
            });
        }
    });
    let (summary, flagged) = acc.into_inner();
    report.summary = summary;
    report.flagged = flagged;
    report
}
