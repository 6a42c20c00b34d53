//! The page's model: files dropped, where each one is, and what came back. Plain data with
//! methods; components only read it and call these methods.

use agent_traces::explore::{select, summarise, Filter, SortKey};
use agent_traces::export::{ExportOptions, Manifest};
use agent_traces::index::RowIndex;
use agent_traces::ingest::Part;
use agent_traces::pipeline::{Analysis, FileReport, FlaggedRow, Totals};
use agent_traces::stats::Summary;
use std::sync::{Arc, LazyLock};

/// Where ingest is, as exposed by `[data-testid="ingest-status"][data-state]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Running,
    Done,
    Error,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running => "running",
            Phase::Done => "done",
            Phase::Error => "error",
        }
    }
}

/// One part of a file being read by one worker.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartState {
    pub bytes_done: u64,
    pub rows_read: u64,
    /// The report so far, while the part is being read.
    pub partial: Option<FileReport>,
    pub done: Option<Analysis>,
    /// Parquet row groups this part is read without (the decoder stopped a worker on each).
    pub skipped: Vec<usize>,
    /// A remote part's network cost so far.
    pub network: Option<crate::worker::Network>,
}

impl PartState {
    /// The part's report: final, else so far.
    fn report(&self) -> Option<&FileReport> {
        self.done
            .as_ref()
            .map(|a| &a.report)
            .or(self.partial.as_ref())
    }
}

/// One file's progress and result.
#[derive(Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub name: String,
    /// The source (dataset) this file belongs to; guessed from the name, editable.
    pub label: String,
    pub size: u64,
    /// The parts workers read at once (one for small files).
    pub parts: Vec<PartState>,
    /// The parts' reports merged in order, once every part is done (or, when cancelled, what
    /// was read so far, marked incomplete).
    pub report: Option<FileReport>,
    /// The parts' row indexes merged in order, once every part is done.
    pub index: RowIndex,
    /// Lines (rows) each part read, once every part is done: where each part begins in the file.
    pub part_lines: Vec<u64>,
    pub error: Option<String>,
    pub cancelled: bool,
}

impl FileEntry {
    pub fn new(name: String, size: u64, parts: usize) -> Self {
        FileEntry {
            label: agent_traces::ingest::source_label(&name),
            name,
            size,
            parts: vec![PartState::default(); parts.max(1)],
            report: None,
            index: RowIndex::default(),
            part_lines: Vec::new(),
            error: None,
            cancelled: false,
        }
    }

    pub fn finished(&self) -> bool {
        self.report.is_some() || self.error.is_some() || self.cancelled
    }

    /// The figures: the merged report's, else every part's so far.
    pub fn summary(&self) -> Summary {
        merged(self.summaries())
    }

    /// The figures read so far, by reference: the file's, or each part's while it is read.
    pub fn summaries(&self) -> Vec<&Summary> {
        match &self.report {
            Some(r) => vec![&r.summary],
            None => self
                .parts
                .iter()
                .filter_map(PartState::report)
                .map(|r| &r.summary)
                .collect(),
        }
    }

    pub fn bytes_done(&self) -> u64 {
        if self.report.is_some() && !self.cancelled {
            self.size
        } else {
            self.parts.iter().map(|p| p.bytes_done).sum()
        }
    }

    /// Records a part's analysis; once every part has one, merges them in order.
    pub fn part_done(&mut self, part: usize, analysis: Analysis) {
        if let Some(p) = self.parts.get_mut(part) {
            p.rows_read = analysis.report.rows_read;
            p.partial = None;
            p.done = Some(analysis);
        }
        if self.parts.iter().all(|p| p.done.is_some()) {
            self.part_lines = self
                .parts
                .iter()
                .filter_map(|p| p.done.as_ref().map(|a| a.report.lines))
                .collect();
            let mut parts = self.parts.iter_mut().filter_map(|p| p.done.take());
            if let Some(mut merged) = parts.next() {
                for a in parts {
                    merged.absorb(a);
                }
                merged.report.bytes = self.size;
                // A harness's session files (named by session id) group by harness, unless
                // the user named their source.
                if self.label == agent_traces::ingest::source_label(&self.name) {
                    if let Some(h) =
                        agent_traces::ingest::harness_label(&merged.report.summary.dialects)
                    {
                        self.label = h.to_owned();
                    }
                }
                self.report = Some(merged.report);
                self.index = merged.index;
            }
        }
    }

    /// The parts an export of this file runs in, each with the lines of the file before it: the
    /// parts it was read in when joining their outputs gives the whole file's export
    /// (`pipeline::splits`) and every part was read whole (no row group left out), else the
    /// whole file.
    pub fn export_parts(&self, options: &ExportOptions) -> Vec<(Part, u64)> {
        let count = self.parts.len();
        let clean = count > 1
            && self.part_lines.len() == count
            && self.report.as_ref().is_some_and(|r| r.complete)
            && self.parts.iter().all(|p| p.skipped.is_empty());
        let ids = self.index.rows.iter().map(|r| r.id.as_deref());
        if !clean || !agent_traces::pipeline::splits(options, ids) {
            return vec![(Part::WHOLE, 0)];
        }
        let mut base = 0;
        (0u32..)
            .zip(&self.part_lines)
            .map(|(index, lines)| {
                let part = Part {
                    index,
                    count: count as u32,
                };
                let at = base;
                base += lines;
                (part, at)
            })
            .collect()
    }

    /// Stops the file where it is: the parts' reports so far, merged in order and marked
    /// incomplete, become its report, so the counts still reconcile.
    pub fn cancel(&mut self) {
        if self.finished() {
            return;
        }
        self.cancelled = true;
        let mut merged: Option<FileReport> = None;
        for p in &self.parts {
            let mut r = p
                .report()
                .cloned()
                .unwrap_or_else(|| FileReport::new(&self.name, 0));
            r.complete &= p.done.is_some();
            match &mut merged {
                Some(m) => m.absorb(r),
                None => merged = Some(r),
            }
        }
        if let Some(mut r) = merged {
            r.bytes = self.bytes_done();
            r.complete = false;
            self.report = Some(r);
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ingest {
    /// Increases with every new set of files, so late replies of an old job are ignored.
    pub job: u32,
    pub files: Vec<FileEntry>,
    pub started_ms: f64,
    pub finished_ms: Option<f64>,
    pub fatal: Option<String>,
    /// The largest wasm memory a worker reported (bytes).
    pub peak_wasm_memory: u64,
    /// Files inside dropped or chosen folders that were not read (not data by their names).
    pub ignored: Vec<String>,
}

impl Ingest {
    /// Each file's source label and row index, in file order: what the core's selection,
    /// summaries and comparisons take (`explore::select`, `summarise`, `group_of`).
    pub fn indexes(&self) -> Vec<(&str, &RowIndex)> {
        self.files
            .iter()
            .map(|f| (f.label.as_str(), &f.index))
            .collect()
    }

    pub fn phase(&self) -> Phase {
        if self.fatal.is_some() {
            Phase::Error
        } else if self.files.is_empty() {
            Phase::Idle
        } else if self.files.iter().all(FileEntry::finished) {
            if self.files.iter().any(|f| f.error.is_some()) {
                Phase::Error
            } else {
                Phase::Done
            }
        } else {
            Phase::Running
        }
    }

    /// Totals over finished and cancelled files (reports only, so they reconcile).
    pub fn totals(&self) -> Totals {
        Totals::of(self.files.iter().filter_map(|f| f.report.as_ref()))
    }

    /// Files grouped by source label, in order of first appearance: (label, files, figures).
    pub fn by_source(&self) -> Vec<(String, usize, Summary)> {
        let mut out: Vec<(String, usize, Vec<&Summary>)> = Vec::new();
        for f in &self.files {
            let at = match out.iter().position(|(l, _, _)| *l == f.label) {
                Some(at) => at,
                None => {
                    out.push((f.label.clone(), 0, Vec::new()));
                    out.len() - 1
                }
            };
            out[at].1 += 1;
            out[at].2.extend(f.summaries());
        }
        out.into_iter()
            .map(|(label, files, parts)| (label, files, merged(parts)))
            .collect()
    }

    pub fn bytes_done(&self) -> u64 {
        self.files.iter().map(FileEntry::bytes_done).sum()
    }

    /// The figures to show under `filter`: every row read so far when it selects everything,
    /// else the rows it selects, added up from the row index (files still being read have no
    /// index yet, so they join once read).
    pub fn shown(&self, filter: &Filter) -> Shown {
        if *filter == Filter::default() {
            let flagged = self
                .files
                .iter()
                .filter_map(|f| f.report.as_ref())
                .flat_map(|r| r.flagged.iter().map(|row| (r.name.clone(), row.clone())))
                .take(MAX_FLAGGED)
                .collect();
            let sources: Vec<(String, usize, Shared)> = self
                .by_source()
                .into_iter()
                .map(|(l, n, s)| (l, n, s.into()))
                .collect();
            // Everything read is the sources added up (one source: the same figures, shared).
            let total = match sources.as_slice() {
                [(_, _, only)] => only.clone(),
                _ => merged(sources.iter().map(|(_, _, s)| &**s)).into(),
            };
            return Shown {
                total,
                sources,
                flagged,
                filter: None,
            };
        }
        let files = self.indexes();
        let hits = select(&files, filter, SortKey::Position, false);
        let flagged = hits
            .iter()
            .filter_map(|h| {
                let f = self.files.get(h.file)?;
                let row = f.index.rows.get(h.row)?;
                let flagged = FlaggedRow::of(row.at.number(), row.id.as_deref(), row.flags())?;
                Some((f.name.clone(), flagged))
            })
            .take(MAX_FLAGGED)
            .collect();
        let selection = summarise(&files, &hits);
        let sources = selection
            .sources
            .into_iter()
            .map(|(label, s)| {
                let files = self.files.iter().filter(|f| f.label == label).count();
                (label, files, s.into())
            })
            .collect();
        Shown {
            total: selection.total.into(),
            sources,
            flagged,
            filter: Some(filter.clone()),
        }
    }

    pub fn bytes_total(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// What reading remote files has cost on the network, added up over their parts, and how
    /// many parts that is (`None` when every file is local).
    pub fn network(&self) -> Option<(crate::worker::Network, usize)> {
        use crate::worker::Network;
        let (sum, parts) = self
            .files
            .iter()
            .flat_map(|f| f.parts.iter().filter_map(|p| p.network))
            .fold((Network::default(), 0), |(a, parts), n| {
                let sum = Network {
                    requests: a.requests + n.requests,
                    bytes: a.bytes + n.bytes,
                    ms: a.ms + n.ms,
                };
                (sum, parts + 1)
            });
        (parts > 0).then_some((sum, parts))
    }

    pub fn cancelled(&self) -> bool {
        self.files.iter().any(|f| f.cancelled)
    }
}

/// `parts` merged, starting from a copy of the first (a copy is cheaper than a merge into
/// nothing).
fn merged<'a>(parts: impl IntoIterator<Item = &'a Summary>) -> Summary {
    let mut parts = parts.into_iter();
    let mut out = parts.next().cloned().unwrap_or_default();
    for s in parts {
        out.merge(s);
    }
    out
}

/// How many flagged rows the dashboard lists.
pub const MAX_FLAGGED: usize = 100;

/// A summary shared by the memos that hold it: cloning it is a count. Two are equal when they are
/// the same one, or hold the same figures (compared field by field: figures that differ differ
/// in their first counts, and a recount that changes nothing then redraws nothing).
#[derive(Clone, Debug)]
pub struct Shared(Arc<Summary>);

impl Shared {
    /// No figures (one allocation for the page, so "still nothing" is no change).
    pub fn empty() -> Shared {
        static EMPTY: LazyLock<Arc<Summary>> = LazyLock::new(Default::default);
        Shared(EMPTY.clone())
    }
}

impl Default for Shared {
    fn default() -> Shared {
        Shared::empty()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl std::ops::Deref for Shared {
    type Target = Summary;
    fn deref(&self) -> &Summary {
        &self.0
    }
}

impl From<Summary> for Shared {
    fn from(s: Summary) -> Shared {
        Shared(Arc::new(s))
    }
}

/// What the dashboard shows (`Ingest::shown`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    pub total: Shared,
    /// Per source: (label, files, figures), in order of first appearance.
    pub sources: Vec<(String, usize, Shared)>,
    /// The first flagged rows (file name, row), at most `MAX_FLAGGED`.
    pub flagged: Vec<(String, FlaggedRow)>,
    /// The filter the figures are under, if any.
    pub filter: Option<Filter>,
}

impl Shown {
    /// The selection as the page's URL fragment names it (empty: every row read).
    pub fn selection(&self) -> String {
        self.filter
            .as_ref()
            .map(agent_traces::explore::Filter::fragment)
            .unwrap_or_default()
    }

    /// The report (`stats::report`) of these figures.
    pub fn report(&self) -> serde_json::Value {
        agent_traces::stats::report::report(
            &self.total,
            self.sources.iter().map(|(l, _, s)| (l.as_str(), &**s)),
            &self.selection(),
        )
    }
}

/// The SFT export in progress or done, and the preview of its first row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Export {
    pub job: u32,
    pub running: bool,
    /// The options of the export running or last run.
    pub options: ExportOptions,
    pub manifest: Option<Manifest>,
    pub error: Option<String>,
    /// The export's jobs, in the order their outputs are joined: (file, part of it).
    pub slots: Vec<(u32, u32)>,
    /// Bytes read so far, per slot, and in all.
    pub bytes_done: Vec<u64>,
    pub bytes_total: u64,
    /// The preview request in flight or last answered, and its answer.
    pub preview_job: u32,
    pub preview: Option<String>,
}

impl Export {
    /// The slot of a file's part.
    pub fn slot(&self, file: u32, part: u32) -> Option<usize> {
        self.slots.iter().position(|s| *s == (file, part))
    }

    /// Share of the input read, 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.bytes_total == 0 {
            return 0.0;
        }
        (self.bytes_done.iter().sum::<u64>() as f64 / self.bytes_total as f64).min(1.0)
    }
}
