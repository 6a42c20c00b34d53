//! Bytes → rows: format sniffing, chunked JSONL (plain or gzip), JSON documents and Parquet, over a
//! random-access `ByteSource`; every problem becomes a diagnostic naming file, line and offset.

pub mod document;
pub mod gzip;
pub mod label;
pub mod lines;
pub mod parquet;
pub mod part;
pub mod read;
pub mod report;
pub mod reread;
pub mod sniff;
pub mod source;

pub use label::{is_data_file, source_label};
pub use part::Part;
pub use read::{read_part, read_rows, Progress, RowRef};
pub use report::{Diagnostic, FileReport, FlaggedRow, Format, Totals, Unread};
pub use reread::{read_row, Reread};
pub use sniff::sniff_source;
pub use source::ByteSource;

use std::cell::RefCell;

use crate::index::RowIndex;
use crate::stats::row::{Inline, RowStats};
use crate::stats::Summary;

/// What analysing a file (or a part of it) produced: the report and the row index.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub report: FileReport,
    pub index: RowIndex,
}

impl Analysis {
    /// Appends the analysis of the next part of the same file (see `FileReport::absorb`).
    pub fn absorb(&mut self, next: Analysis) {
        let base = self.report.lines;
        self.report.absorb(next.report);
        self.index.absorb(next.index, base);
    }
}

/// The state of an analysis under way, as `analyse_with` shows it to its progress callback.
pub struct Snapshot<'a> {
    /// Bytes of the file (of this part) done.
    pub bytes_done: u64,
    counts: &'a FileReport,
    summary: &'a Summary,
    flagged: &'a [FlaggedRow],
}

impl Snapshot<'_> {
    pub fn rows_read(&self) -> u64 {
        self.counts.rows_read
    }

    /// The report so far: counts that reconcile, diagnostics and figures (a copy, so call it only
    /// when the figures are to be shown).
    pub fn report(&self) -> FileReport {
        let mut r = self.counts.clone();
        r.summary = self.summary.clone();
        r.flagged = self.flagged.to_vec();
        r
    }
}

/// Reads a file and aggregates every conversation into its report (summary and flagged rows).
pub fn analyse<S: ByteSource + Clone + 'static>(source: &S, name: &str) -> Analysis {
    analyse_with(source, name, Part::WHOLE, &mut |_| true)
}

/// `analyse` of one part of the file, showing `on_progress` the state so far now and then; it
/// returns false to stop (cancel).
pub fn analyse_with<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    part: Part,
    on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool,
) -> Analysis {
    let acc = RefCell::new((
        Summary::default(),
        Vec::<FlaggedRow>::new(),
        RowIndex::default(),
    ));
    let mut progress = |bytes_done: u64, counts: &FileReport| {
        let acc = acc.borrow();
        on_progress(&Snapshot {
            bytes_done,
            counts,
            summary: &acc.0,
            flagged: &acc.1,
        })
    };
    let mut report = read_part(source, name, part, &mut progress, &mut |conv, at| {
        let (summary, flagged, index) = &mut *acc.borrow_mut();
        let stats = RowStats::of(&conv);
        summary.add_row(&stats, &Inline);
        index.push(&conv, at, &stats);
        if flagged.len() < report::MAX_DIAGNOSTICS {
            flagged.extend(FlaggedRow::of(
                at.number(),
                conv.id.as_deref(),
                conv.flags(),
            ));
        }
    });
    let (summary, flagged, index) = acc.into_inner();
    report.summary = summary;
    report.flagged = flagged;
    Analysis { report, index }
}
