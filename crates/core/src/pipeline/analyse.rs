//! Figures and the row index: the `Analyser` sink counts every row it is handed (the summary,
//! the first flagged rows, the row index), and `analyse_with` reads a file (or a part of it)
//! into it, showing the state so far now and then. `Fed` (plain JSONL) and `FedParquet` are
//! the same analysis for a reader that cannot block: it hands the bytes in, step by step.

use super::report::{FileReport, FlaggedRow};
use crate::index::RowIndex;
use crate::ingest::jsonl::{plain_lines, LineFeed};
use crate::ingest::parquet::ParquetPart;
use crate::ingest::report::MAX_DIAGNOSTICS;
use crate::ingest::{
    read_part_without, sniff_source, ByteSource, Format, Part, ReadReport, RowRef, Sink,
};
use crate::stats::row::{Inline, RowStats};
use crate::stats::Summary;
use crate::trace::Conversation;

/// What analysing a file (or a part of it) produced: the report and the row index.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub report: FileReport,
    pub index: RowIndex,
}

impl Analysis {
    /// Appends the analysis of the next part of the same file (see `FileReport::absorb`).
    pub fn absorb(&mut self, next: Analysis) {
        let base = self.report.read.lines;
        self.report.absorb(next.report);
        self.index.absorb(next.index, base);
    }
}

/// Counts the rows it is handed: each row's facts are read once (`RowStats`), added to the
/// summary and kept in the row index; the first flagged rows are listed.
#[derive(Default)]
pub struct Analyser {
    pub summary: Summary,
    pub flagged: Vec<FlaggedRow>,
    pub index: RowIndex,
}

impl Analyser {
    /// Counts one row, found at `at`.
    pub fn add(&mut self, conv: &Conversation, at: RowRef) {
        let stats = RowStats::of(conv);
        self.summary.add_row(&stats, &Inline);
        self.index.push(conv, at, &stats);
        if self.flagged.len() < MAX_DIAGNOSTICS {
            let id = conv.id.as_deref();
            self.flagged
                .extend(FlaggedRow::of(at.number(), id, conv.flags()));
        }
    }

    /// The analysis of what was read (`read`: its counts and diagnostics).
    pub fn into_analysis(self, read: ReadReport) -> Analysis {
        Analysis {
            report: FileReport {
                read,
                summary: self.summary,
                flagged: self.flagged,
            },
            index: self.index,
        }
    }
}

impl Sink for Analyser {
    fn row(&mut self, conv: Conversation, at: RowRef) {
        self.add(&conv, at);
    }
}

/// The state of an analysis under way, as `analyse_with` shows it to its progress callback.
pub struct Snapshot<'a> {
    /// Bytes of the file (of this part) done.
    pub bytes_done: u64,
    counts: &'a ReadReport,
    analyser: &'a Analyser,
}

impl Snapshot<'_> {
    pub fn rows_read(&self) -> u64 {
        self.counts.rows_read
    }

    /// The report so far: counts that reconcile, diagnostics and figures (a copy, so call it only
    /// when the figures are to be shown).
    pub fn report(&self) -> FileReport {
        FileReport {
            read: self.counts.clone(),
            summary: self.analyser.summary.clone(),
            flagged: self.analyser.flagged.clone(),
        }
    }

    /// `report` with only the headline figures (`Summary::headline`): what a page shows while
    /// the file is read, at a fraction of the size.
    pub fn headline_report(&self) -> FileReport {
        FileReport {
            read: self.counts.clone(),
            summary: self.analyser.summary.headline(),
            flagged: self.analyser.flagged.clone(),
        }
    }
}

/// An analyser whose state is shown now and then.
struct Watched<'a> {
    analyser: &'a mut Analyser,
    on_progress: &'a mut dyn FnMut(&Snapshot<'_>) -> bool,
}

impl Sink for Watched<'_> {
    fn row(&mut self, conv: Conversation, at: RowRef) {
        self.analyser.add(&conv, at);
    }
    fn progress(&mut self, bytes_done: u64, counts: &ReadReport) -> bool {
        (self.on_progress)(&Snapshot {
            bytes_done,
            counts,
            analyser: self.analyser,
        })
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
    analyse_without(source, name, part, &[], on_progress)
}

/// `analyse_with`, leaving out the Parquet row groups `skip` names (`read_part_without`).
pub fn analyse_without<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    part: Part,
    skip: &[usize],
    on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool,
) -> Analysis {
    let mut analyser = Analyser::default();
    let mut sink = Watched {
        analyser: &mut analyser,
        on_progress,
    };
    let read = read_part_without(source, name, part, skip, &mut sink);
    analyser.into_analysis(read)
}

/// What a fed analysis has counted so far: the part's counts and its analyser.
struct Counting {
    read: ReadReport,
    analyser: Analyser,
}

impl Counting {
    /// Counts for `source` when its format is `format` (`None` for an empty file or another
    /// format: `analyse_without` reads those, and says what is wrong).
    fn of<S: ByteSource>(source: &S, name: &str, format: Format) -> Option<Counting> {
        if source.is_empty() || sniff_source(source, name).ok()? != format {
            return None;
        }
        let mut read = ReadReport::new(name, source.len());
        read.format = format;
        Some(Counting {
            read,
            analyser: Analyser::default(),
        })
    }

    fn show(&self, bytes_done: u64, on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool) -> bool {
        on_progress(&Snapshot {
            bytes_done,
            counts: &self.read,
            analyser: &self.analyser,
        })
    }

    fn finish(mut self, complete: bool) -> Analysis {
        self.read.complete = complete;
        self.analyser.into_analysis(self.read)
    }
}

/// `analyse_with` of a part of plain JSONL whose bytes are handed in rather than read: for a
/// reader that cannot block (a browser worker reads its part asynchronously, the next bytes
/// coming in while these are counted). The same analysis, row for row and diagnostic for
/// diagnostic, as `analyse_with` on the same part.
pub struct Fed {
    counting: Counting,
    lines: LineFeed,
    /// Bytes of the part's range: progress is out of these.
    total: u64,
}

/// What a `Fed` (or `FedParquet`) analysis does after a step: wants the next bytes, or is done.
// Both variants are large (the state, or its result), and a step moves one once.
#[allow(clippy::large_enum_variant)]
pub enum Step<T = Fed> {
    More(T),
    Done(Analysis),
}

impl Fed {
    /// The analysis of `part`, when the file is plain JSONL (decided, and the part's first line
    /// found, with small reads of `source`); `None` for any other file, or a read that fails:
    /// `analyse_with` reads those, and says what is wrong.
    pub fn start<S: ByteSource>(source: &S, name: &str, part: Part) -> Option<Fed> {
        let counting = Counting::of(source, name, Format::Jsonl)?;
        let lines = plain_lines(source, part).ok()?;
        Some(Fed {
            counting,
            total: lines.end.saturating_sub(lines.start),
            lines: LineFeed::new(lines),
        })
    }

    /// Where in the file the next bytes to hand in start.
    pub fn position(&self) -> u64 {
        self.lines.position()
    }

    /// Counts the rows of the next `bytes` of the file, showing `on_progress` the state so far;
    /// it returns false to stop (cancel).
    pub fn feed(
        mut self,
        bytes: &[u8],
        on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool,
    ) -> Step {
        let c = &mut self.counting;
        if !self.lines.feed(bytes, &mut c.read, &mut c.analyser) {
            // The part's lines are all read; as `read_jsonl`, the last progress may still cancel.
            let complete = c.show(self.total, on_progress);
            return Step::Done(self.counting.finish(complete));
        }
        if c.show(self.lines.fed().min(self.total), on_progress) {
            Step::More(self)
        } else {
            Step::Done(self.counting.finish(false))
        }
    }

    /// The file ended: its last line (it may lack a newline) is counted.
    pub fn end(mut self, on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool) -> Analysis {
        let c = &mut self.counting;
        self.lines.finish(&mut c.read, &mut c.analyser);
        c.show(self.total, on_progress);
        self.counting.finish(true)
    }

    /// Reading stopped on `error` after the bytes handed in: every whole line before is counted,
    /// the rest of the file is reported unread.
    pub fn failed(
        mut self,
        error: &str,
        on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool,
    ) -> Analysis {
        let at = self.position();
        let message = format!("reading stopped at byte {at}: {error}");
        self.lines
            .fail("read_error", message, at, &mut self.counting.read);
        self.counting.show(self.total, on_progress);
        self.counting.finish(false)
    }
}

/// `analyse_without` of a part of a Parquet file, one share of a row group per step, so a
/// reader that cannot block reads the next share's bytes (`next_bytes`, `prefill`) while this
/// one is decoded. The same analysis as `analyse_without` on the same part.
pub struct FedParquet<S: ByteSource> {
    counting: Counting,
    /// `None` when the file's rows cannot be read at all (diagnosed in `counting`).
    reading: Option<ParquetPart<S>>,
    skip: Vec<usize>,
}

impl<S: ByteSource + Clone + 'static> FedParquet<S> {
    /// The analysis of `part` when the file is Parquet (`None` for any other file, or one that
    /// cannot be read: `analyse_without` reads those); `skip` as `analyse_without`'s.
    pub fn start(source: &S, name: &str, part: Part, skip: &[usize]) -> Option<Self> {
        let mut counting = Counting::of(source, name, Format::Parquet)?;
        let reading = ParquetPart::open(source, part, &mut counting.read);
        Some(FedParquet {
            counting,
            reading,
            skip: skip.to_vec(),
        })
    }

    /// The bytes of the file the step `ahead` after the next reads (0: the next step's), to be
    /// read ahead and handed in (`prefill`) before that step.
    pub fn next_bytes(&self, ahead: usize) -> Option<std::ops::Range<u64>> {
        self.reading.as_ref()?.next_bytes(ahead)
    }

    /// Bytes of the file from `at`, read ahead for the next step.
    pub fn prefill(&self, at: u64, bytes: Vec<u8>) {
        if let Some(r) = &self.reading {
            r.prefill(at, bytes);
        }
    }

    /// Reads the next share, showing `on_progress` the state so far; it returns false to stop.
    pub fn step(mut self, on_progress: &mut dyn FnMut(&Snapshot<'_>) -> bool) -> Step<Self> {
        let Some(mut reading) = self.reading.take() else {
            return Step::Done(self.counting.finish(false));
        };
        let c = &mut self.counting;
        let mut sink = Watched {
            analyser: &mut c.analyser,
            on_progress,
        };
        let next = reading.read_next(&self.skip, &mut c.read, &mut sink);
        if next.is_none() {
            // As `read_parquet`: the last progress cannot cancel a read that has ended.
            sink.progress(reading.total(), &c.read);
        }
        match next {
            Some(true) => {
                self.reading = Some(reading);
                Step::More(self)
            }
            Some(false) => Step::Done(self.counting.finish(false)),
            None => Step::Done(self.counting.finish(true)),
        }
    }
}
