//! A file's report: what reading it produced (`ingest::ReadReport`: counts that reconcile,
//! diagnostics, what could not be read) and the figures counted from its rows (the summary and
//! the first flagged rows), merged part by part and over files (`Totals`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::ingest::report::MAX_DIAGNOSTICS;
use crate::ingest::ReadReport;
use crate::stats::Summary;

/// One file's report: read counts and diagnostics (flattened into one JSON object) and the
/// figures of its rows. Written with the keys in their published order (`Serialize` below).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FileReport {
    #[serde(flatten)]
    pub read: ReadReport,
    pub summary: Summary,
    /// The first `MAX_DIAGNOSTICS` rows that carry quality flags.
    pub flagged: Vec<FlaggedRow>,
}

/// The keys in the order `analyse` has always written them (the summary after the counts, the
/// flagged rows after `complete`), so its output stays byte for byte what users' scripts and
/// diffs know; a test checks that every key of `ReadReport` is here.
impl Serialize for FileReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = &self.read;
        let mut m = s.serialize_struct("FileReport", 13)?;
        m.serialize_field("name", &r.name)?;
        m.serialize_field("bytes", &r.bytes)?;
        m.serialize_field("format", &r.format)?;
        m.serialize_field("rows_read", &r.rows_read)?;
        m.serialize_field("rows_analysed", &r.rows_analysed)?;
        m.serialize_field("rows_skipped", &r.rows_skipped)?;
        m.serialize_field("summary", &self.summary)?;
        m.serialize_field("diagnostics", &r.diagnostics)?;
        m.serialize_field("diagnostic_counts", &r.diagnostic_counts)?;
        m.serialize_field("complete", &r.complete)?;
        m.serialize_field("flagged", &self.flagged)?;
        m.serialize_field("lines", &r.lines)?;
        if r.unread.is_empty() {
            m.skip_field("unread")?;
        } else {
            m.serialize_field("unread", &r.unread)?;
        }
        m.end()
    }
}

/// A file's report is its read report with figures beside it: the counts and diagnostics read
/// through it (`report.rows_read`, `report.diagnostics`) as through the `ReadReport`.
impl std::ops::Deref for FileReport {
    type Target = ReadReport;
    fn deref(&self) -> &ReadReport {
        &self.read
    }
}

impl std::ops::DerefMut for FileReport {
    fn deref_mut(&mut self) -> &mut ReadReport {
        &mut self.read
    }
}

impl FileReport {
    /// A report of no rows yet.
    pub fn new(name: &str, bytes: u64) -> Self {
        FileReport::of(ReadReport::new(name, bytes))
    }

    /// The report of a file read with no figures counted (yet).
    pub fn of(read: ReadReport) -> Self {
        FileReport {
            read,
            summary: Summary::default(),
            flagged: Vec::new(),
        }
    }

    /// Appends the report of the next part of the same file (`ReadReport::absorb`): figures
    /// merge; flagged rows are renumbered past this part's, or left out of the sample when the
    /// numbers cannot be known (they are still counted in the summary).
    pub fn absorb(&mut self, next: FileReport) {
        let base = self.read.absorb(next.read);
        self.summary.merge(&next.summary);
        if let Some(base) = base {
            let room = MAX_DIAGNOSTICS.saturating_sub(self.flagged.len());
            self.flagged
                .extend(next.flagged.into_iter().take(room).map(|mut f| {
                    f.row += base;
                    f
                }));
        }
    }
}

/// A row the parser flagged (see `trace::Flags` for the names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedRow {
    /// 1-based line (JSONL), row (Parquet) or element (JSON array) number.
    pub row: u64,
    pub id: Option<String>,
    pub flags: Vec<String>,
}

impl FlaggedRow {
    /// The row numbered `row` with these quality flags; `None` when it carries none.
    /// (The id is copied only for a flagged row: ingest asks this of every row.)
    pub fn of(row: u64, id: Option<&str>, flags: crate::trace::Flags) -> Option<Self> {
        (!flags.is_empty()).then(|| FlaggedRow {
            row,
            id: id.map(str::to_owned),
            flags: flags.names().map(str::to_owned).collect(),
        })
    }
}

/// Totals over several files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub files: u64,
    pub bytes: u64,
    pub rows_read: u64,
    pub rows_analysed: u64,
    pub rows_skipped: BTreeMap<String, u64>,
    pub summary: Summary,
}

impl Totals {
    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        self.bytes += r.bytes;
        self.rows_read += r.rows_read;
        self.rows_analysed += r.rows_analysed;
        for (k, v) in &r.rows_skipped {
            *self.rows_skipped.entry(k.clone()).or_default() += v;
        }
        self.summary.merge(&r.summary);
    }

    pub fn of<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> Totals {
        let mut t = Totals::default();
        for r in reports {
            t.add(r);
        }
        t
    }

    pub fn rows_skipped_total(&self) -> u64 {
        self.rows_skipped.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Unread;

    #[test]
    fn every_read_key_is_written_and_the_report_reads_back() {
        let mut r = FileReport::new("a.jsonl", 10);
        r.read.unread.push(Unread::after("truncated_gzip", 5));
        r.summary.strict.parallel_widths.insert(2, 1);
        let json = serde_json::to_value(&r).unwrap();
        let read = serde_json::to_value(&r.read).unwrap();
        for key in read.as_object().unwrap().keys() {
            assert!(json.get(key).is_some(), "{key} is not written");
        }
        assert_eq!(
            json.as_object().unwrap().len(),
            read.as_object().unwrap().len() + 2
        );
        assert_eq!(serde_json::from_value::<FileReport>(json).unwrap(), r);
        let clean = serde_json::to_string(&FileReport::new("a.jsonl", 10)).unwrap();
        assert!(!clean.contains("unread"), "{clean}");
        assert!(clean.find("\"summary\"") < clean.find("\"diagnostics\""));
    }
}
