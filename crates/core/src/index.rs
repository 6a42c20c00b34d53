//! The row index: one compact entry per analysed row — where the row is in its file, plus the
//! figures filters and sorts need — instead of the rows themselves. The explorer filters and
//! sorts it without holding any trajectory text, and re-reads one row from the file on demand
//! (`ingest::read_row`). Strings that repeat (categories, tool names) are interned.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::ingest::RowRef;
use crate::stats::row::{tally, Names, RowStats};
use crate::trace::{Conversation, Flags};
use std::borrow::Cow;

/// Characters of the task kept per row (enough for a list; the trace view re-reads the row).
pub const TASK_CHARS: usize = 160;

/// One analysed row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    /// Where to re-read the row; `at.number()` is its 1-based line (JSONL), row (Parquet) or
    /// element (JSON array) number in the file.
    pub at: RowRef,
    pub id: Option<String>,
    /// The task, cut to `TASK_CHARS` characters.
    pub task: String,
    /// Everything the figures count about the row, names interned (`RowIndex::name`).
    pub stats: RowStats<u32>,
}

impl IndexRow {
    pub fn flags(&self) -> Flags {
        Flags::from_bits(self.stats.flags)
    }

    pub fn category(&self) -> Option<u32> {
        self.stats.category
    }

    pub fn subcategory(&self) -> Option<u32> {
        self.stats.subcategory
    }

    /// (interned tool name, calls), in order of first call.
    pub fn tools(&self) -> Vec<(u32, u64)> {
        tally(self.stats.calls.iter().map(|c| &c.name))
            .into_iter()
            .map(|(n, k)| (*n, k))
            .collect()
    }

    pub fn calls_tool(&self, tool: u32) -> bool {
        self.stats.calls.iter().any(|c| c.name == tool)
    }
}

/// The entries of one file (or one part of it), in file order.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RowIndex {
    /// Interned strings; entries refer to them by position.
    pub names: Vec<String>,
    pub rows: Vec<IndexRow>,
    #[serde(skip)]
    lookup: HashMap<String, u32>,
}

impl PartialEq for RowIndex {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && self.rows == other.rows
    }
}

impl RowIndex {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The interned string `id`.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    fn intern(&mut self, s: &str) -> u32 {
        if self.lookup.len() != self.names.len() {
            // Deserialised: rebuild the lookup once.
            self.lookup = (0u32..)
                .zip(&self.names)
                .map(|(i, n)| (n.clone(), i))
                .collect();
        }
        if let Some(&id) = self.lookup.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(s.to_owned());
        self.lookup.insert(s.to_owned(), id);
        id
    }

    /// Adds the row `conv`, read at `at`, whose facts are `stats`.
    pub fn push(&mut self, conv: &Conversation, at: RowRef, stats: &RowStats<Cow<'_, str>>) {
        let stats = stats.map_names(|n| self.intern(n));
        self.rows.push(IndexRow {
            at,
            id: conv.id.clone(),
            task: conv
                .task
                .as_deref()
                .map(|t| t.chars().take(TASK_CHARS).collect())
                .unwrap_or_default(),
            stats,
        });
    }

    /// The interned id of `name`, if any row uses it.
    pub fn id_of(&self, name: &str) -> Option<u32> {
        self.names.iter().position(|n| n == name).map(|i| i as u32)
    }

    /// Appends the index of the next part of the same file, whose row numbers start after
    /// `base` lines (see `FileReport::absorb`).
    pub fn absorb(&mut self, next: RowIndex, base: u64) {
        let map: Vec<u32> = next.names.iter().map(|n| self.intern(n)).collect();
        let remap = |id: u32| map.get(id as usize).copied().unwrap_or(id);
        self.rows.extend(next.rows.into_iter().map(|mut r| {
            r.at = r.at.renumbered(base);
            r.stats = r.stats.map_names(|id| remap(*id));
            r
        }));
    }

    /// The tool names a row called, in order of first call.
    pub fn tool_names<'a>(&'a self, row: &'a IndexRow) -> impl Iterator<Item = &'a str> + 'a {
        row.tools().into_iter().map(|(id, _)| self.name(id))
    }
}

impl Names<u32> for RowIndex {
    fn name<'a>(&'a self, id: &'a u32) -> &'a str {
        RowIndex::name(self, *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_row;

    fn row(id: &str, category: &str, tools: &[&str]) -> Conversation {
        let calls: String = tools
            .iter()
            .map(|t| format!("<tool_call>{{\"name\": \"{t}\", \"arguments\": {{}}}}</tool_call>"))
            .collect();
        let line = serde_json::json!({
            "id": id,
            "category": category,
            "task": "x".repeat(500),
            "conversations": [
                {"from": "human", "value": "do it"},
                {"from": "gpt", "value": format!("<think>one two</think>{calls}")},
            ]
        });
        parse_row(&line.to_string()).expect("valid row")
    }

    fn index_of(convs: &[Conversation], first_line: u64) -> RowIndex {
        let mut index = RowIndex::default();
        for (i, c) in convs.iter().enumerate() {
            let at = RowRef::Line {
                number: first_line + i as u64,
                offset: 10 * i as u64,
                len: 5,
            };
            index.push(c, at, &RowStats::of(c));
        }
        index
    }

    #[test]
    fn entries_hold_the_rows_figures() {
        let idx = index_of(&[row("a", "coding", &["terminal", "read", "terminal"])], 1);
        let r = &idx.rows[0];
        assert_eq!(r.id.as_deref(), Some("a"));
        assert_eq!(idx.name(r.category().unwrap()), "coding");
        assert_eq!(r.task.chars().count(), TASK_CHARS);
        let s = &r.stats;
        assert_eq!((s.turns, s.tool_calls(), s.max_width()), (2, 3, 3));
        assert_eq!((s.think_blocks(), s.think_words()), (1, 2));
        let tools: Vec<(&str, u64)> = r.tools().iter().map(|(t, n)| (idx.name(*t), *n)).collect();
        assert_eq!(tools, vec![("terminal", 2), ("read", 1)]);
        assert!(r.flags().contains(Flags::UNMATCHED_CALL));
    }

    #[test]
    fn absorbing_a_part_renumbers_rows_and_remaps_names() {
        let a = [row("a", "coding", &["terminal"])];
        let b = [
            row("b", "search", &["web"]),
            row("c", "coding", &["terminal"]),
        ];
        let mut whole = index_of(&[a[0].clone(), b[0].clone(), b[1].clone()], 1);
        let mut first = index_of(&a, 1);
        first.absorb(index_of(&b, 1), 1);
        assert_eq!(first.len(), 3);
        let numbers: Vec<u64> = first.rows.iter().map(|r| r.at.number()).collect();
        assert_eq!(numbers, vec![1, 2, 3]);
        let names = |idx: &RowIndex| -> Vec<(String, Vec<String>)> {
            idx.rows
                .iter()
                .map(|r| {
                    (
                        idx.name(r.category().unwrap()).to_owned(),
                        idx.tool_names(r).map(str::to_owned).collect(),
                    )
                })
                .collect()
        };
        assert_eq!(names(&first), names(&whole));
        // A deserialised index interns like a fresh one.
        let json = serde_json::to_string(&first).unwrap();
        let mut back: RowIndex = serde_json::from_str(&json).unwrap();
        assert_eq!(back, first);
        assert_eq!(back.intern("coding"), whole.intern("coding"));
    }
}
