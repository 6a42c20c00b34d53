//! One-pass aggregates over conversations. `Summary::add` takes one conversation, `merge` combines
//! two summaries (per worker, file or shard) so that merging the parts equals summing the whole.
//! Every metric's definition lives here, next to its field.

pub mod breakdown;
pub mod catalog;
pub mod detail;
pub mod display;
pub mod distribution;
pub mod figures;
pub mod pydump;
mod pyscan;
#[cfg(test)]
mod reference;
pub mod report;
pub mod row;
pub mod tables;
pub mod tutorial;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::trace::{Conversation, Flags, Role};
use row::{Names, RowStats};

/// Counts over a set of conversations. Field names are part of the report's stable JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Rows analysed.
    pub rows: u64,
    /// Sum over rows of the number of messages (system included), as `len(conversations)`.
    pub turns: u64,
    /// Tool calls found in assistant (`gpt`) messages only; the system prompt's example call and
    /// anything quoted inside reasoning or argument strings are not calls.
    pub tool_calls: u64,
    /// Tool responses found in tool messages (every block, not only the first).
    pub tool_responses: u64,
    /// Messages by normalised role.
    pub messages_by_role: BTreeMap<String, u64>,
    /// Calls per tool name (malformed calls are counted as `<malformed>`).
    pub tool_counts: BTreeMap<String, u64>,
    /// Assistant messages with at least one call, by number of calls (the parallel width).
    pub parallel_widths: BTreeMap<u32, u64>,
    /// Rows per category (`<none>` when the row has no category).
    pub categories: BTreeMap<String, u64>,
    /// Reasoning blocks in assistant messages (an empty `<think></think>` counts).
    pub think_blocks: u64,
    /// Unicode characters of the stripped reasoning text, summed.
    pub think_chars: u64,
    /// Whitespace-separated words of the reasoning text, summed.
    pub think_words: u64,
    /// Responses that fail under the strict rule.
    pub failed_responses: u64,
    /// Rows with at least one response failing under the strict rule.
    pub rows_with_failure: u64,
    /// Responses with a non-zero exit code.
    pub nonzero_exit_codes: u64,
    /// Rows by detected dialect.
    pub dialects: BTreeMap<String, u64>,
    /// Rows carrying each quality flag (a row counts once per flag).
    pub flagged_rows: BTreeMap<String, u64>,
    /// The same kind of figures under the seed tutorial's exact definitions.
    pub tutorial: TutorialSummary,
    /// Distributions, per-tool, per-category and per-step tables (strict rule).
    #[serde(default)]
    pub detail: detail::Detail,
}

/// Figures as the seed tutorial computes them (its regexes over assistant and tool messages,
/// first response block only, its error rule): see `tutorial`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TutorialSummary {
    pub tool_calls: u64,
    pub tool_counts: BTreeMap<String, u64>,
    pub parallel_widths: BTreeMap<u32, u64>,
    pub think_blocks: u64,
    pub think_chars: u64,
    pub think_words: u64,
    /// Tool messages with a response block.
    pub tool_messages: u64,
    /// Tool messages whose first block matches the error rule.
    pub error_messages: u64,
    /// Rows with at least one such message.
    pub rows_with_error: u64,
    /// Distributions and per-tool tables under the tutorial's definitions.
    #[serde(default)]
    pub detail: detail::ModeDetail,
}

impl TutorialSummary {
    /// A copy with `detail` left out.
    fn clone_headline(&self) -> TutorialSummary {
        TutorialSummary {
            tool_calls: self.tool_calls,
            tool_counts: self.tool_counts.clone(),
            parallel_widths: self.parallel_widths.clone(),
            think_blocks: self.think_blocks,
            think_chars: self.think_chars,
            think_words: self.think_words,
            tool_messages: self.tool_messages,
            error_messages: self.error_messages,
            rows_with_error: self.rows_with_error,
            detail: detail::ModeDetail::default(),
        }
    }

    /// Adds one row's tutorial-mode facts.
    pub fn add_row<N: PartialEq>(&mut self, row: &RowStats<N>, names: &impl Names<N>) {
        for (tool, calls) in row::tally(row.tutorial_calls().map(|c| c.name)) {
            bump(&mut self.tool_counts, names.name(tool), calls);
        }
        self.tool_calls += row.tutorial_call_count() as u64;
        for w in row.tutorial_widths() {
            *self.parallel_widths.entry(w).or_default() += 1;
        }
        for r in row.tutorial_reasoning() {
            self.think_blocks += 1;
            self.think_chars += u64::from(r.chars);
            self.think_words += u64::from(r.words);
        }
        self.tool_messages += row.tutorial_results.len() as u64;
        self.error_messages += row.tutorial_results.iter().filter(|r| r.failed).count() as u64;
        self.rows_with_error += u64::from(row.tutorial_error());
        self.detail.add(
            row.tutorial_reasoning(),
            row.tutorial_calls().map(|c| c.chars),
            row.answers.iter().map(|a| a.tutorial),
            &row.tutorial_results,
            names,
        );
    }

    pub fn merge(&mut self, other: &TutorialSummary) {
        self.tool_calls += other.tool_calls;
        self.think_blocks += other.think_blocks;
        self.think_chars += other.think_chars;
        self.think_words += other.think_words;
        self.tool_messages += other.tool_messages;
        self.error_messages += other.error_messages;
        self.rows_with_error += other.rows_with_error;
        merge_map(&mut self.tool_counts, &other.tool_counts);
        merge_map(&mut self.parallel_widths, &other.parallel_widths);
        self.detail.merge(&other.detail);
    }
}

/// The names the figures give what a row leaves unnamed, defined once for every module here:
/// a call whose JSON does not parse (the notebook's name), a row without a category, and a
/// response that neither it nor its call names.
pub const MALFORMED: &str = "<malformed>";
pub const NO_CATEGORY: &str = "<none>";
pub const UNKNOWN_TOOL: &str = "<unknown>";

impl Summary {
    /// The same summary without its distributions and tables (`detail`, in both modes): the
    /// headline counts and the small maps the live dashboard shows while a file is read, at a
    /// tenth of the size for a worker to send and the page to decode.
    pub fn headline(&self) -> Summary {
        Summary {
            tutorial: TutorialSummary {
                detail: detail::ModeDetail::default(),
                ..self.tutorial.clone_headline()
            },
            detail: detail::Detail::default(),
            ..self.clone_headline()
        }
    }

    /// A copy with `detail` left out (the copy of it would be thrown away).
    fn clone_headline(&self) -> Summary {
        Summary {
            rows: self.rows,
            turns: self.turns,
            tool_calls: self.tool_calls,
            tool_responses: self.tool_responses,
            messages_by_role: self.messages_by_role.clone(),
            tool_counts: self.tool_counts.clone(),
            parallel_widths: self.parallel_widths.clone(),
            categories: self.categories.clone(),
            think_blocks: self.think_blocks,
            think_chars: self.think_chars,
            think_words: self.think_words,
            failed_responses: self.failed_responses,
            rows_with_failure: self.rows_with_failure,
            nonzero_exit_codes: self.nonzero_exit_codes,
            dialects: self.dialects.clone(),
            flagged_rows: self.flagged_rows.clone(),
            tutorial: TutorialSummary::default(),
            detail: detail::Detail::default(),
        }
    }

    /// Adds one row.
    pub fn add(&mut self, conv: &Conversation) {
        self.add_row(&RowStats::of(conv), &row::Inline);
    }

    /// Adds one row's facts (`RowStats::of`, or an entry of the row index).
    pub fn add_row<N: PartialEq>(&mut self, row: &RowStats<N>, names: &impl Names<N>) {
        self.rows += 1;
        self.turns += u64::from(row.turns);
        let category = row.category.as_ref().map_or(NO_CATEGORY, |c| names.name(c));
        bump(&mut self.categories, category, 1);
        if let Some(d) = &row.dialect {
            bump(&mut self.dialects, names.name(d), 1);
        }
        for (role, n) in Role::ALL.iter().zip(row.roles) {
            if n > 0 {
                bump(&mut self.messages_by_role, role.as_str(), u64::from(n));
            }
        }
        for (tool, calls) in row::tally(row.calls.iter().map(|c| &c.name)) {
            bump(&mut self.tool_counts, names.name(tool), calls);
        }
        self.tool_calls += row.calls.len() as u64;
        for w in row.widths() {
            *self.parallel_widths.entry(w).or_default() += 1;
        }
        for r in &row.reasoning {
            self.think_blocks += 1;
            self.think_chars += u64::from(r.chars);
            self.think_words += u64::from(r.words);
        }
        let failed = u64::from(row.failed_responses());
        self.tool_responses += row.results.len() as u64;
        self.failed_responses += failed;
        self.rows_with_failure += u64::from(failed > 0);
        self.nonzero_exit_codes += u64::from(row.nonzero_exit_codes());
        for name in Flags::from_bits(row.flags).names() {
            bump(&mut self.flagged_rows, name, 1);
        }
        self.tutorial.add_row(row, names);
        self.detail.add_row(row, names);
    }

    pub fn merge(&mut self, other: &Summary) {
        self.rows += other.rows;
        self.turns += other.turns;
        self.tool_calls += other.tool_calls;
        self.tool_responses += other.tool_responses;
        self.think_blocks += other.think_blocks;
        self.think_chars += other.think_chars;
        self.think_words += other.think_words;
        self.failed_responses += other.failed_responses;
        self.rows_with_failure += other.rows_with_failure;
        self.nonzero_exit_codes += other.nonzero_exit_codes;
        merge_map(&mut self.messages_by_role, &other.messages_by_role);
        merge_map(&mut self.tool_counts, &other.tool_counts);
        merge_map(&mut self.parallel_widths, &other.parallel_widths);
        merge_map(&mut self.categories, &other.categories);
        merge_map(&mut self.dialects, &other.dialects);
        merge_map(&mut self.flagged_rows, &other.flagged_rows);
        self.tutorial.merge(&other.tutorial);
        self.detail.merge(&other.detail);
    }

    /// Mean messages per row (0 when there are no rows).
    pub fn avg_turns(&self) -> f64 {
        ratio(self.turns, self.rows)
    }

    /// Mean tool calls per row (0 when there are no rows).
    pub fn avg_tool_calls(&self) -> f64 {
        ratio(self.tool_calls, self.rows)
    }

    /// Assistant messages with more than one call ÷ assistant messages with at least one, in %.
    pub fn parallel_turn_pct(&self) -> f64 {
        parallel_pct(&self.parallel_widths)
    }

    /// Rows with at least one strict failure, in % of rows.
    pub fn failure_rows_pct(&self) -> f64 {
        pct(self.rows_with_failure, self.rows)
    }

    /// Tools by call count, most called first (ties by name), at most `n`.
    pub fn top_tools(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self
            .tool_counts
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }
}

/// Turns with more than one call ÷ turns with at least one, in %, from a width distribution.
pub(crate) fn parallel_pct(widths: &BTreeMap<u32, u64>) -> f64 {
    let with_calls: u64 = widths.values().sum();
    let parallel: u64 = widths.iter().filter(|(w, _)| **w > 1).map(|(_, n)| n).sum();
    pct(parallel, with_calls)
}

/// `part` as a percentage of `whole` (0 when `whole` is 0).
pub fn pct(part: u64, whole: u64) -> f64 {
    100.0 * ratio(part, whole)
}

/// `a` ÷ `b` (0 when `b` is 0).
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_owned(), n);
        }
    }
}

fn merge_map<K: Ord + Clone>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_row;

    const ROW: &str = r#"{"id": "a", "category": "Terminal & Coding", "conversations": [
        {"from": "system", "value": "Example:\n<tool_call>\n{'name': <function-name>,'arguments': <args-dict>}\n</tool_call>"},
        {"from": "human", "value": "list files"},
        {"from": "gpt", "value": "<think>\nI will list them both ways.\n</think>\n<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"command\": \"ls\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"search_files\", \"arguments\": {\"pattern\": \"*\"}}\n</tool_call>"},
        {"from": "tool", "value": "<tool_response>\n{\"tool_call_id\": \"functions.terminal:0\", \"name\": \"terminal\", \"content\": {\"output\": \"a\", \"exit_code\": 0, \"error\": null}}\n</tool_response>\n<tool_response>\n{\"tool_call_id\": \"functions.search_files:1\", \"name\": \"search_files\", \"content\": {\"success\": false, \"error\": \"denied\"}}\n</tool_response>"},
        {"from": "gpt", "value": "<think>\n</think>\nThere is one file: a."}
    ]}"#;

    #[test]
    fn counts_one_row() {
        let mut s = Summary::default();
        s.add(&parse_row(ROW).unwrap());
        assert_eq!(s.rows, 1);
        assert_eq!(s.turns, 5);
        assert_eq!(s.tool_calls, 2, "the system prompt's example is not a call");
        assert_eq!(s.tool_responses, 2);
        assert_eq!(s.parallel_widths, BTreeMap::from([(2, 1)]));
        assert_eq!(s.think_blocks, 2, "the empty block counts");
        assert_eq!(s.think_words, 6);
        assert_eq!(s.think_chars, "I will list them both ways.".len() as u64);
        assert_eq!(s.failed_responses, 1);
        assert_eq!(s.rows_with_failure, 1);
        assert_eq!(s.tool_counts["terminal"], 1);
        assert_eq!(s.categories["Terminal & Coding"], 1);
        assert_eq!(s.avg_turns(), 5.0);
        assert_eq!(s.parallel_turn_pct(), 100.0);
        // The tutorial's rule flags the first block for its `"error": null`.
        assert_eq!(s.tutorial.tool_calls, 2);
        assert_eq!(s.tutorial.tool_messages, 1);
        assert_eq!(s.tutorial.error_messages, 1);
        assert_eq!(s.tutorial.rows_with_error, 1);
        assert_eq!(s.tutorial.think_blocks, 2);
    }

    #[test]
    fn headline_keeps_every_count_and_drops_only_the_detail() {
        let mut s = Summary::default();
        s.add(&parse_row(ROW).unwrap());
        let h = s.headline();
        let full = Summary {
            detail: detail::Detail::default(),
            tutorial: TutorialSummary {
                detail: detail::ModeDetail::default(),
                ..s.tutorial.clone()
            },
            ..s.clone()
        };
        assert_eq!(h, full);
        assert_ne!(
            s.detail,
            detail::Detail::default(),
            "the row has detail to drop"
        );
        // On realistic rows the headline is a small part of the whole.
        let mut text = Vec::new();
        let opts = agent_traces_gen::GenOptions {
            rows: 100,
            ..Default::default()
        };
        agent_traces_gen::write_jsonl(&opts, &mut text).unwrap();
        let s = crate::pipeline::analyse(&text, "a.jsonl").report.summary;
        let (a, b) = (
            serde_json::to_string(&s).unwrap(),
            serde_json::to_string(&s.headline()).unwrap(),
        );
        assert!(b.len() * 4 < a.len(), "{} vs {}", b.len(), a.len());
    }

    #[test]
    fn merge_equals_whole() {
        let conv = parse_row(ROW).unwrap();
        let mut whole = Summary::default();
        let (mut a, mut b) = (Summary::default(), Summary::default());
        for i in 0..5 {
            whole.add(&conv);
            let part = if i < 2 { &mut a } else { &mut b };
            part.add(&conv);
        }
        a.merge(&b);
        assert_eq!(a, whole);
    }
}
