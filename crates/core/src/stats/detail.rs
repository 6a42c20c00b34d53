//! The dashboard's detailed figures, filled in the same pass as `Summary` and mergeable:
//! distributions (turns, calls per row, reasoning/call/answer lengths), reasoning coverage,
//! recovery, per-tool failures, declared-but-unused and undeclared tools, per-category and
//! per-subcategory tables, and figures by step (the assistant turn's index in its row).
//! `ModeDetail` holds what both modes count, each its own way (it is each `ModeSummary`'s
//! `detail`); `Detail` adds what only the
//! strict reading (JSON-aware parser, strict failure rule) has.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::breakdown::{entry, merge_keyed, Group, ToolRow};
use super::distribution::Hist;
use super::row::{tally, Names, Outcome, Reasoning, RowStats};
use super::{Mode, NO_CATEGORY};

/// Steps at or beyond this index are counted together in the last step.
pub const MAX_STEP: u32 = 30;

/// Figures of the assistant turns at one step (1 = the first assistant turn of a row).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub turns: u64,
    /// Turns with non-empty reasoning.
    pub reasoning_turns: u64,
    pub calls: u64,
    /// Characters of reasoning, call payloads and answer text, summed over the step's turns.
    pub think_chars: u64,
    pub call_chars: u64,
    pub answer_chars: u64,
}

impl Step {
    fn merge(&mut self, o: &Step) {
        self.turns += o.turns;
        self.reasoning_turns += o.reasoning_turns;
        self.calls += o.calls;
        self.think_chars += o.think_chars;
        self.call_chars += o.call_chars;
        self.answer_chars += o.answer_chars;
    }
}

/// The figures both modes count, each from its own reading of the row: per assistant turn,
/// per call, per reasoning block and per result. Strict mode reads with the JSON-aware parser
/// and the strict failure rule; tutorial mode with the notebook's regexes, its error rule over
/// the FIRST response block of each tool message, and `json.dumps` lengths of calls that parse.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModeDetail {
    /// Calls per row.
    pub calls_per_row: Hist,
    /// Per reasoning block: characters and words of the stripped text.
    pub think_chars: Hist,
    pub think_words: Hist,
    /// Per call with a length: characters of its payload.
    pub call_chars: Hist,
    /// Per assistant turn with answer text: characters of the stripped text outside blocks.
    pub answer_chars: Hist,
    /// Assistant messages, and those with non-empty reasoning.
    pub assistant_turns: u64,
    pub reasoning_turns: u64,
    /// Rows where a failed result is later followed by a successful one.
    pub rows_recovered: u64,
    /// Results per tool.
    pub tools: BTreeMap<String, ToolRow>,
}

impl ModeDetail {
    /// Adds one row as one mode reads it: its reasoning blocks, its calls' lengths (`None` when
    /// the mode gives the call none), each assistant turn's answer length, and its results.
    pub fn add<N>(
        &mut self,
        reasoning: &[Reasoning],
        call_chars: impl Iterator<Item = Option<u32>>,
        answer_chars: impl Iterator<Item = u32>,
        results: &[Outcome<N>],
        names: &impl Names<N>,
    ) {
        for r in reasoning {
            self.think_chars.add(r.chars);
            self.think_words.add(r.words);
        }
        self.reasoning_turns += reasoning_steps(reasoning);
        let mut calls = 0;
        for len in call_chars {
            calls += 1;
            if let Some(len) = len {
                self.call_chars.add(len);
            }
        }
        self.calls_per_row.add_usize(calls);
        for len in answer_chars {
            self.assistant_turns += 1;
            if len > 0 {
                self.answer_chars.add(len);
            }
        }
        for r in results {
            let t = entry(&mut self.tools, names.name(&r.name));
            t.responses += 1;
            t.failed += u64::from(r.failed);
            t.nonzero_exit += u64::from(r.nonzero_exit);
        }
        self.rows_recovered += u64::from(RowStats::recovered(results));
    }

    pub fn merge(&mut self, o: &ModeDetail) {
        self.calls_per_row.merge(&o.calls_per_row);
        self.think_chars.merge(&o.think_chars);
        self.think_words.merge(&o.think_words);
        self.call_chars.merge(&o.call_chars);
        self.answer_chars.merge(&o.answer_chars);
        self.assistant_turns += o.assistant_turns;
        self.reasoning_turns += o.reasoning_turns;
        self.rows_recovered += o.rows_recovered;
        merge_keyed(&mut self.tools, &o.tools, ToolRow::merge);
    }
}

/// The tables only the strict reading has, and the turn distribution both modes share (each
/// mode's own distributions are its `ModeSummary::detail`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    /// Messages per row (counted the same way in both modes).
    pub turns: Hist,
    /// Rows that declare a tool and never call it, per tool.
    pub declared_unused: BTreeMap<String, u64>,
    /// Calls to a tool the row does not declare (rows that declare no tool are not counted).
    pub undeclared_calls: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, Group>,
    pub by_subcategory: BTreeMap<String, Group>,
    pub steps: BTreeMap<u32, Step>,
    /// Calls per tool per step.
    pub tool_steps: BTreeMap<String, BTreeMap<u32, u64>>,
    /// Calls per tool per category (the row's).
    pub tool_categories: BTreeMap<String, BTreeMap<String, u64>>,
}

fn step_of(i: u32) -> u32 {
    i.saturating_add(1).min(MAX_STEP)
}

/// Assistant messages with at least one reasoning block that has text (blocks in step order).
fn reasoning_steps(blocks: &[Reasoning]) -> u64 {
    let mut last = None;
    let mut n = 0;
    for b in blocks.iter().filter(|b| b.chars > 0) {
        if last != Some(b.step) {
            n += 1;
            last = Some(b.step);
        }
    }
    n
}

impl Detail {
    pub fn add_row<N: PartialEq>(&mut self, row: &RowStats<N>, names: &impl Names<N>) {
        self.turns.add(row.turns);
        let failed = row.failed_responses();
        let mut group = Group {
            rows: 1,
            turns: u64::from(row.turns),
            tool_calls: row.calls.len() as u64,
            tutorial_tool_calls: row.calls_in(Mode::Tutorial).count() as u64,
            rows_with_failure: u64::from(failed > 0),
            tutorial_rows_with_error: u64::from(row.failed_in(Mode::Tutorial)),
            responses: row.results.len() as u64,
            failed_responses: u64::from(failed),
            ..Group::default()
        };
        let category = row.category.as_ref().map_or(NO_CATEGORY, |c| names.name(c));
        let mut steps: Vec<Step> = row
            .answers
            .iter()
            .map(|a| Step {
                turns: 1,
                answer_chars: u64::from(a.strict),
                ..Step::default()
            })
            .collect();
        for r in &row.reasoning {
            group.think_chars.add(r.chars);
            if let Some(s) = steps.get_mut(r.step as usize) {
                s.think_chars += u64::from(r.chars);
                s.reasoning_turns |= u64::from(r.chars > 0);
            }
        }
        for c in &row.calls {
            if let Some(s) = steps.get_mut(c.step as usize) {
                s.calls += 1;
                s.call_chars += u64::from(c.chars);
            }
        }
        // One name lookup per tool the row calls, not per call. Names compare as `N`
        // (interned ids in the index): equal names are equal `N`s.
        for (tool, calls) in tally(row.calls.iter().map(|c| &c.name)) {
            let name = names.name(tool);
            let by_step = entry(&mut self.tool_steps, name);
            for c in row.calls.iter().filter(|c| c.name == *tool) {
                *by_step.entry(step_of(c.step)).or_default() += 1;
            }
            *entry(entry(&mut self.tool_categories, name), category) += calls;
            if !row.declared.is_empty() && !row.declared.contains(tool) {
                *entry(&mut self.undeclared_calls, name) += calls;
            }
        }
        for (i, s) in (0u32..).zip(&steps) {
            entry_u32(&mut self.steps, step_of(i)).merge(s);
        }
        for d in &row.declared {
            if !row.calls.iter().any(|c| c.name == *d) {
                *entry(&mut self.declared_unused, names.name(d)) += 1;
            }
        }
        entry(&mut self.by_category, category).merge(&group);
        // Reasoning lengths are kept per category only (the box plot): per subcategory they
        // would double the summary that workers send to the page.
        group.think_chars = Hist::default();
        let sub = row
            .subcategory
            .as_ref()
            .map_or(NO_CATEGORY, |c| names.name(c));
        entry(&mut self.by_subcategory, sub).merge(&group);
    }

    pub fn merge(&mut self, o: &Detail) {
        self.turns.merge(&o.turns);
        merge_keyed(&mut self.declared_unused, &o.declared_unused, |a, b| {
            *a += b
        });
        merge_keyed(&mut self.undeclared_calls, &o.undeclared_calls, |a, b| {
            *a += b
        });
        merge_keyed(&mut self.by_category, &o.by_category, Group::merge);
        merge_keyed(&mut self.by_subcategory, &o.by_subcategory, Group::merge);
        for (k, v) in &o.steps {
            entry_u32(&mut self.steps, *k).merge(v);
        }
        merge_keyed(&mut self.tool_steps, &o.tool_steps, |a, b| {
            for (k, v) in b {
                *a.entry(*k).or_default() += v;
            }
        });
        merge_keyed(&mut self.tool_categories, &o.tool_categories, |a, b| {
            merge_keyed(a, b, |x, y| *x += y)
        });
    }
}

fn entry_u32<V: Default>(map: &mut BTreeMap<u32, V>, key: u32) -> &mut V {
    map.entry(key).or_default()
}
