//! Per-group tables: figures per category and subcategory (`Group`), and per tool (`ToolRow`).
//! Each is one pass and mergeable, like `Summary`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::distribution::Hist;

/// Figures of the rows of one category (or subcategory), under both rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub rows: u64,
    pub turns: u64,
    /// Calls found by the JSON-aware parser.
    pub tool_calls: u64,
    /// Calls found by the tutorial's regex.
    pub tutorial_tool_calls: u64,
    /// Tool results (every block) and those failing under the strict rule.
    pub responses: u64,
    pub failed_responses: u64,
    /// Rows with at least one strict failure.
    pub rows_with_failure: u64,
    /// Rows with at least one tool message that is an error under the tutorial's rule.
    pub tutorial_rows_with_error: u64,
    /// Characters of each stripped reasoning block (strict parser), for box plots; kept per
    /// category only (empty per subcategory).
    #[serde(default, skip_serializing_if = "Hist::is_empty")]
    pub think_chars: Hist,
}

impl Group {
    pub fn merge(&mut self, o: &Group) {
        self.rows += o.rows;
        self.turns += o.turns;
        self.tool_calls += o.tool_calls;
        self.tutorial_tool_calls += o.tutorial_tool_calls;
        self.responses += o.responses;
        self.failed_responses += o.failed_responses;
        self.rows_with_failure += o.rows_with_failure;
        self.tutorial_rows_with_error += o.tutorial_rows_with_error;
        self.think_chars.merge(&o.think_chars);
    }

    /// Failed responses ÷ responses, in % (strict rule).
    pub fn failure_rate_pct(&self) -> f64 {
        super::pct(self.failed_responses, self.responses)
    }
}

/// Results of one tool: how many, how many failed, how many had a non-zero exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolRow {
    pub responses: u64,
    pub failed: u64,
    pub nonzero_exit: u64,
}

impl ToolRow {
    pub fn merge(&mut self, o: &ToolRow) {
        self.responses += o.responses;
        self.failed += o.failed;
        self.nonzero_exit += o.nonzero_exit;
    }

    pub fn failure_rate_pct(&self) -> f64 {
        super::pct(self.failed, self.responses)
    }
}

/// Merges keyed tables whose values merge.
pub fn merge_keyed<V: Default>(
    into: &mut BTreeMap<String, V>,
    from: &BTreeMap<String, V>,
    merge: impl Fn(&mut V, &V),
) {
    for (k, v) in from {
        match into.get_mut(k) {
            Some(mine) => merge(mine, v),
            None => {
                let mut fresh = V::default();
                merge(&mut fresh, v);
                into.insert(k.clone(), fresh);
            }
        }
    }
}

/// The entry for `key`, inserted empty if missing.
pub fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    // Look up by `&str` first: `map.entry(key.to_owned())` would allocate on every call, and
    // this runs for every call of every row the dashboard re-counts.
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("the key was inserted above")
}
