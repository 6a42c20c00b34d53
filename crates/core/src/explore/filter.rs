//! Which rows of the row index the explorer shows, and in which order: filters on the index's
//! own fields (no re-reading), and sorting by any column.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::index::{IndexRow, RowIndex};
use crate::stats::Mode;
use crate::trace::Flags;

/// The failure rule a "has failure" filter uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A response failed under the strict rule.
    Strict,
    /// The tutorial's regex rule fired on a tool message.
    Tutorial,
}

/// What rows must match; `None`/empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub source: Option<String>,
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub tool: Option<String>,
    pub failure: Option<Rule>,
    /// A quality flag's stable name.
    pub flag: Option<String>,
    /// Case-insensitive text the id or the task must contain.
    pub text: String,
    pub min_turns: Option<u32>,
    pub max_turns: Option<u32>,
    pub min_calls: Option<u32>,
    pub max_calls: Option<u32>,
    /// Reasoning words in the row.
    pub min_words: Option<u32>,
    pub max_words: Option<u32>,
    /// Rows with an assistant message making exactly this many calls (a parallel width).
    pub width: Option<u32>,
    /// Only the first this-many rows of each source, in reading order (the notebook looks at
    /// its dataset's first 3,000 rows: `NOTEBOOK_ROWS`).
    pub first: Option<u64>,
}

/// How many rows the seed notebook analyses.
pub const NOTEBOOK_ROWS: u64 = 3000;

/// `lo <= n <= hi`, each bound optional.
fn within(n: u32, lo: Option<u32>, hi: Option<u32>) -> bool {
    lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi)
}

impl Filter {
    /// Whether a row of `index` (a file labelled `source`) passes: names are looked up once
    /// per file here, not once per row.
    pub fn matcher<'a>(
        &'a self,
        source: &str,
        index: &'a RowIndex,
    ) -> impl Fn(&IndexRow) -> bool + 'a {
        // `<none>` (how the figures name a missing category) selects rows without one.
        let named = move |want: &Option<String>, id: Option<u32>| match (want, id) {
            (None, _) => true,
            (Some(w), Some(id)) => index.name(id) == w,
            (Some(w), None) => w == crate::stats::NO_CATEGORY,
        };
        let source_ok = self.source.as_ref().is_none_or(|s| s == source);
        // None: any tool; Some(None): a tool this file never calls.
        let tool = self.tool.as_ref().map(|t| index.id_of(t));
        let flag = self.flag.as_ref().map(|f| {
            Flags::ALL
                .iter()
                .find(|(_, name, _)| name == f)
                .map(|(flag, _, _)| *flag)
        });
        let needle = self.text.to_lowercase();
        move |row| {
            source_ok
                && named(&self.category, row.category())
                && named(&self.subcategory, row.subcategory())
                && tool.is_none_or(|id| id.is_some_and(|id| row.calls_tool(id)))
                && match self.failure {
                    None => true,
                    Some(Rule::Strict) => row.stats.results.iter().any(|r| r.failed),
                    Some(Rule::Tutorial) => row.stats.failed_in(Mode::Tutorial),
                }
                && flag.is_none_or(|f| f.is_some_and(|f| row.flags().contains(f)))
                && self
                    .width
                    .is_none_or(|w| row.stats.widths_in(Mode::Strict).any(|n| n == w))
                && within(row.stats.turns, self.min_turns, self.max_turns)
                && within(row.stats.tool_calls(), self.min_calls, self.max_calls)
                && within(row.stats.think_words(), self.min_words, self.max_words)
                && (needle.is_empty() || contains_ci(row, &needle))
        }
    }
}

/// Whether the row's task or id contains `needle` (lower-cased), ignoring case.
fn contains_ci(row: &IndexRow, needle: &str) -> bool {
    row.task.to_lowercase().contains(needle)
        || row
            .id
            .as_deref()
            .is_some_and(|id| id.to_lowercase().contains(needle))
}

/// A column the list can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// File order.
    #[default]
    Position,
    Id,
    Source,
    Category,
    Subcategory,
    Turns,
    ToolCalls,
    Failures,
    ThinkWords,
    Flags,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::Position,
        SortKey::Id,
        SortKey::Source,
        SortKey::Category,
        SortKey::Subcategory,
        SortKey::Turns,
        SortKey::ToolCalls,
        SortKey::Failures,
        SortKey::ThinkWords,
        SortKey::Flags,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Position => "position",
            SortKey::Id => "id",
            SortKey::Source => "source",
            SortKey::Category => "category",
            SortKey::Subcategory => "subcategory",
            SortKey::Turns => "turns",
            SortKey::ToolCalls => "tool_calls",
            SortKey::Failures => "failures",
            SortKey::ThinkWords => "think_words",
            SortKey::Flags => "flags",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One row of the list: which file (position in the page's file list) and which entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub file: usize,
    pub row: usize,
}

/// The rows of `files` (each `(source label, index)`) that pass `filter`, sorted by `key`
/// (ties and `Position` in file order; `descending` reverses).
pub fn select(
    files: &[(&str, &RowIndex)],
    filter: &Filter,
    key: SortKey,
    descending: bool,
) -> Vec<Hit> {
    // Rows of each source before each file, for `first`.
    let mut before: HashMap<&str, u64> = HashMap::new();
    let mut hits: Vec<Hit> = Vec::new();
    for (file, (source, index)) in files.iter().enumerate() {
        let seen = before.entry(source).or_default();
        let rows = match filter.first {
            Some(n) => usize::try_from(n.saturating_sub(*seen)).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        *seen += index.rows.len() as u64;
        let matches = filter.matcher(source, index);
        hits.extend(
            index
                .rows
                .iter()
                .take(rows)
                .enumerate()
                .filter(|(_, r)| matches(r))
                .map(|(row, _)| Hit { file, row }),
        );
    }
    let entry = |h: &Hit| (files[h.file].1, &files[h.file].1.rows[h.row]);
    let name = |i: &RowIndex, id: Option<u32>| id.map(|c| i.name(c).to_owned());
    let cmp = |a: &Hit, b: &Hit| {
        let ((ia, ra), (ib, rb)) = (entry(a), entry(b));
        match key {
            SortKey::Position => std::cmp::Ordering::Equal,
            SortKey::Id => ra.id.cmp(&rb.id),
            SortKey::Source => files[a.file].0.cmp(files[b.file].0),
            SortKey::Category => name(ia, ra.category()).cmp(&name(ib, rb.category())),
            SortKey::Subcategory => name(ia, ra.subcategory()).cmp(&name(ib, rb.subcategory())),
            SortKey::Turns => ra.stats.turns.cmp(&rb.stats.turns),
            SortKey::ToolCalls => ra.stats.tool_calls().cmp(&rb.stats.tool_calls()),
            SortKey::Failures => ra
                .stats
                .failed_responses()
                .cmp(&rb.stats.failed_responses()),
            SortKey::ThinkWords => ra.stats.think_words().cmp(&rb.stats.think_words()),
            SortKey::Flags => ra
                .stats
                .flags
                .count_ones()
                .cmp(&rb.stats.flags.count_ones()),
        }
    };
    // Stable: equal keys stay in file order.
    hits.sort_by(|a, b| {
        let o = cmp(a, b);
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyse;

    fn indexed(rows: &[serde_json::Value]) -> RowIndex {
        let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
        analyse(&text.into_bytes(), "t.jsonl").index
    }

    fn row(
        id: &str,
        category: &str,
        tool: &str,
        result: &str,
        turns_extra: usize,
    ) -> serde_json::Value {
        let mut conv = vec![
            serde_json::json!({"from": "human", "value": format!("task {id}")}),
            serde_json::json!({"from": "gpt", "value": format!("<tool_call>{{\"name\": \"{tool}\", \"arguments\": {{}}}}</tool_call>")}),
            serde_json::json!({"from": "tool", "value": format!("<tool_response>{result}</tool_response>")}),
        ];
        for _ in 0..turns_extra {
            conv.push(serde_json::json!({"from": "gpt", "value": "ok"}));
        }
        serde_json::json!({"id": id, "category": category, "task": format!("Task {id}"), "conversations": conv})
    }

    #[test]
    fn filters_and_sorts_on_index_fields() {
        let a = indexed(&[
            row(
                "a1",
                "coding",
                "terminal",
                r#"{"exit_code": 1, "error": "boom"}"#,
                0,
            ),
            row("a2", "search", "web", r#"{"ok": true, "error": null}"#, 3),
        ]);
        let b = indexed(&[row("b1", "coding", "web", r#"{"ok": true}"#, 1)]);
        let files = [("kimi", &a), ("glm", &b)];
        let ids = |f: &Filter, key, desc| -> Vec<String> {
            select(&files, f, key, desc)
                .iter()
                .map(|h| files[h.file].1.rows[h.row].id.clone().unwrap())
                .collect()
        };
        assert_eq!(
            ids(&Filter::default(), SortKey::Position, false),
            ["a1", "a2", "b1"]
        );
        let coding = Filter {
            category: Some("coding".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&coding, SortKey::Position, false), ["a1", "b1"]);
        let web_in_glm = Filter {
            tool: Some("web".into()),
            source: Some("glm".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&web_in_glm, SortKey::Position, false), ["b1"]);
        let strict = Filter {
            failure: Some(Rule::Strict),
            ..Filter::default()
        };
        assert_eq!(ids(&strict, SortKey::Position, false), ["a1"]);
        // The tutorial's rule also fires on `"error": null`.
        let tutorial = Filter {
            failure: Some(Rule::Tutorial),
            ..Filter::default()
        };
        assert_eq!(ids(&tutorial, SortKey::Position, false), ["a1", "a2"]);
        let text = Filter {
            text: "TASK B".into(),
            ..Filter::default()
        };
        assert_eq!(ids(&text, SortKey::Position, false), ["b1"]);
        let long = Filter {
            min_turns: Some(4),
            ..Filter::default()
        };
        assert_eq!(ids(&long, SortKey::Turns, true), ["a2", "b1"]);
        let short = Filter {
            max_turns: Some(4),
            min_calls: Some(1),
            max_words: Some(0),
            ..Filter::default()
        };
        assert_eq!(ids(&short, SortKey::Position, false), ["a1", "b1"]);
        assert_eq!(
            ids(&Filter::default(), SortKey::Turns, true),
            ["a2", "b1", "a1"]
        );
        let flagged = Filter {
            flag: Some("unmatched_call".into()),
            ..Filter::default()
        };
        assert!(ids(&flagged, SortKey::Position, false).is_empty());
        for k in SortKey::ALL {
            assert_eq!(SortKey::parse(k.as_str()), Some(k));
        }
    }
}
