//! The dashboard's detailed figures, filled in the same pass as `Summary` and mergeable:
//! distributions (turns, calls per row, reasoning/call/answer lengths), reasoning coverage,
//! recovery, per-tool failures, declared-but-unused and undeclared tools, per-category and
//! per-subcategory tables, and figures by step (the assistant turn's index in its row).
//! `Detail` uses the JSON-aware parser and the strict failure rule; `TutorialDetail` the
//! notebook's regexes and error rule (see `tutorial`).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use super::breakdown::{entry, merge_keyed, Group, ToolRow};
use super::distribution::Hist;
use super::pydump::{py_strip, py_word_count};
use super::{tutorial, MALFORMED, NO_CATEGORY};
use crate::trace::{Conversation, Role};

/// Steps at or beyond this index are counted together in the last step.
pub const MAX_STEP: u32 = 30;
/// The name a response gets when neither it nor its call names a tool.
pub const UNKNOWN_TOOL: &str = "<unknown>";

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

/// Strict-mode details (JSON-aware parser, strict failure rule).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// Messages per row.
    pub turns: Hist,
    /// Calls per row.
    pub calls_per_row: Hist,
    /// Per reasoning block: characters and words of the stripped text.
    pub think_chars: Hist,
    pub think_words: Hist,
    /// Per call: characters of the JSON payload as written.
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
    #[serde(default)]
    pub tool_categories: BTreeMap<String, BTreeMap<String, u64>>,
}

/// What `Summary::add` already knows about the row, passed on.
pub struct RowFacts {
    pub tool_calls: u64,
    pub tutorial_tool_calls: u64,
    pub failed_responses: u64,
    pub tutorial_error: bool,
}

fn step_of(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX).min(MAX_STEP)
}

fn chars(s: &str) -> u64 {
    s.chars().count() as u64
}

impl Detail {
    pub fn add(&mut self, conv: &Conversation, facts: &RowFacts) {
        self.turns.add_usize(conv.turns());
        self.calls_per_row
            .add(u32::try_from(facts.tool_calls).unwrap_or(u32::MAX));
        let mut group = Group {
            rows: 1,
            turns: conv.turns() as u64,
            tool_calls: facts.tool_calls,
            tutorial_tool_calls: facts.tutorial_tool_calls,
            rows_with_failure: u64::from(facts.failed_responses > 0),
            tutorial_rows_with_error: u64::from(facts.tutorial_error),
            ..Group::default()
        };
        let category = conv.category.as_deref().unwrap_or(NO_CATEGORY);
        let mut called: BTreeSet<&str> = BTreeSet::new();
        let (mut failed_seen, mut recovered) = (false, false);
        let mut step_index = 0usize;
        for msg in &conv.messages {
            match msg.role {
                Role::Assistant => {
                    let step = step_of(step_index);
                    step_index += 1;
                    let mut s = Step {
                        turns: 1,
                        ..Step::default()
                    };
                    let mut reasoning = false;
                    for r in msg.reasoning() {
                        let text = py_strip(msg.slice(r.inner));
                        let c = chars(text);
                        self.think_chars.add_usize(c as usize);
                        self.think_words.add_usize(py_word_count(text));
                        group.think_chars.add_usize(c as usize);
                        s.think_chars += c;
                        reasoning |= !text.is_empty();
                    }
                    for call in msg.calls() {
                        let name = if call.name.is_empty() {
                            MALFORMED
                        } else {
                            call.name.as_str()
                        };
                        let c = chars(msg.slice(call.payload));
                        self.call_chars.add_usize(c as usize);
                        s.call_chars += c;
                        s.calls += 1;
                        *entry(&mut self.tool_steps, name).entry(step).or_default() += 1;
                        *entry(entry(&mut self.tool_categories, name), category) += 1;
                        called.insert(name);
                        if !conv.tools.is_empty() && !conv.declares(name) {
                            *entry(&mut self.undeclared_calls, name) += 1;
                        }
                    }
                    let answer: String = msg.texts().collect();
                    let answer = py_strip(&answer);
                    if !answer.is_empty() {
                        let c = chars(answer);
                        self.answer_chars.add_usize(c as usize);
                        s.answer_chars += c;
                    }
                    s.reasoning_turns = u64::from(reasoning);
                    self.assistant_turns += 1;
                    self.reasoning_turns += u64::from(reasoning);
                    entry_u32(&mut self.steps, step).merge(&s);
                }
                Role::Tool => {
                    for resp in msg.responses() {
                        let paired = resp.call.and_then(|(mi, ci)| {
                            conv.messages.get(mi).and_then(|m| m.calls().nth(ci))
                        });
                        let name = resp
                            .name
                            .as_deref()
                            .filter(|n| !n.is_empty())
                            .or(paired.map(|c| c.name.as_str()).filter(|n| !n.is_empty()))
                            .unwrap_or(UNKNOWN_TOOL);
                        let row = entry(&mut self.tools, name);
                        row.responses += 1;
                        row.failed += u64::from(resp.failure.strict);
                        row.nonzero_exit += u64::from(resp.failure.exit_code.is_some());
                        group.responses += 1;
                        group.failed_responses += u64::from(resp.failure.strict);
                        if resp.failure.strict {
                            failed_seen = true;
                        } else if failed_seen {
                            recovered = true;
                        }
                    }
                }
                Role::System | Role::User => {}
            }
        }
        self.rows_recovered += u64::from(recovered);
        let mut declared: BTreeSet<&str> = BTreeSet::new();
        for def in &conv.tools {
            if declared.insert(def.name.as_str()) && !called.contains(def.name.as_str()) {
                *entry(&mut self.declared_unused, &def.name) += 1;
            }
        }
        entry(&mut self.by_category, category).merge(&group);
        // Reasoning lengths are kept per category only (the box plot): per subcategory they
        // would double the summary that workers send to the page.
        group.think_chars = Hist::default();
        let sub = conv.subcategory.as_deref().unwrap_or(NO_CATEGORY);
        entry(&mut self.by_subcategory, sub).merge(&group);
    }

    pub fn merge(&mut self, o: &Detail) {
        self.turns.merge(&o.turns);
        self.calls_per_row.merge(&o.calls_per_row);
        self.think_chars.merge(&o.think_chars);
        self.think_words.merge(&o.think_words);
        self.call_chars.merge(&o.call_chars);
        self.answer_chars.merge(&o.answer_chars);
        self.assistant_turns += o.assistant_turns;
        self.reasoning_turns += o.reasoning_turns;
        self.rows_recovered += o.rows_recovered;
        merge_keyed(&mut self.tools, &o.tools, ToolRow::merge);
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

/// Tutorial-mode details: the notebook's regexes over assistant messages, its error rule over
/// the FIRST response block of each tool message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TutorialDetail {
    pub calls_per_row: Hist,
    /// Per think match: characters and words of the stripped group.
    pub think_chars: Hist,
    pub think_words: Hist,
    /// Per call whose JSON parses: characters of `json.dumps` of it.
    pub call_chars: Hist,
    /// Per assistant message with a non-empty answer: its characters.
    pub answer_chars: Hist,
    /// gpt messages, and those with a think match whose stripped text is non-empty.
    pub assistant_turns: u64,
    pub reasoning_turns: u64,
    /// Rows where an error tool message is later followed by a non-error one.
    pub rows_recovered: u64,
    /// Tool messages and error messages per tool (the `name` of the first response block).
    pub tools: BTreeMap<String, ToolRow>,
}

impl TutorialDetail {
    /// Adds one row (only the parts `TutorialSummary` does not count).
    pub fn add(&mut self, conv: &Conversation) -> u64 {
        let mut row_calls = 0u64;
        let (mut err_seen, mut recovered) = (false, false);
        for msg in &conv.messages {
            match msg.role {
                Role::Assistant => {
                    self.assistant_turns += 1;
                    let mut reasoning = false;
                    for m in tutorial::think_matches(&msg.text) {
                        let text = py_strip(&msg.text[m.group.0..m.group.1]);
                        self.think_chars.add_usize(text.chars().count());
                        self.think_words.add_usize(py_word_count(text));
                        reasoning |= !text.is_empty();
                    }
                    self.reasoning_turns += u64::from(reasoning);
                    for m in tutorial::call_matches(&msg.text) {
                        row_calls += 1;
                        if let (_, Some(len)) = tutorial::read_call(&msg.text[m.group.0..m.group.1])
                        {
                            self.call_chars.add_usize(len);
                        }
                    }
                    let answer = tutorial::answer_text(&msg.text);
                    if !answer.is_empty() {
                        self.answer_chars.add_usize(answer.chars().count());
                    }
                }
                Role::Tool => {
                    if let Some((name, err)) = tutorial::first_response_name_error(&msg.text) {
                        let row = entry(&mut self.tools, &name);
                        row.responses += 1;
                        row.failed += u64::from(err);
                        if err {
                            err_seen = true;
                        } else if err_seen {
                            recovered = true;
                        }
                    }
                }
                Role::System | Role::User => {}
            }
        }
        self.calls_per_row
            .add(u32::try_from(row_calls).unwrap_or(u32::MAX));
        self.rows_recovered += u64::from(recovered);
        row_calls
    }

    pub fn merge(&mut self, o: &TutorialDetail) {
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
