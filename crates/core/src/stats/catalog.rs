//! The headline figures, each defined once: its name (the figures table's row, the figures
//! CSV's `figure` column and the page's `data-metric="tutorial.NAME"`/`"strict.NAME"` hooks),
//! where the report holds it, how it is counted (the note beside it), its unit, and how each
//! mode computes it. The figures table, the CSV, the notes and the sources chart are generated
//! from this list; a test checks that the report holds the same value at `report_key`. Adding a
//! headline figure is one entry here (plus its computation in the summary if it is new).

pub use super::Mode;
use super::{pct, ratio, ModeSummary, Summary};

/// What a figure counts in, for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Rows,
    Messages,
    Calls,
    Percent,
    Characters,
    Words,
    /// A ratio of two counts (calls per row, blocks per turn).
    Ratio,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Rows => "rows",
            Unit::Messages => "messages",
            Unit::Calls => "calls",
            Unit::Percent => "%",
            Unit::Characters => "characters",
            Unit::Words => "words",
            Unit::Ratio => "ratio",
        }
    }
}

/// One headline figure.
pub struct Figure {
    pub name: &'static str,
    /// Where the report (`stats::report`) holds it under each mode's object: a key, or a key and
    /// a field of the distribution it names (`think_chars_dist.mean`).
    pub report_key: &'static str,
    pub unit: Unit,
    /// How it is counted, for the note beside it.
    pub note: &'static str,
    /// Its value from the summary and one mode's counts (the same function for both modes).
    pub of: fn(&Summary, &ModeSummary) -> f64,
}

impl Figure {
    pub fn value(&self, s: &Summary, mode: Mode) -> f64 {
        (self.of)(s, s.mode(mode))
    }
}

/// The headline figures, in the order the page and the CSV list them.
pub static FIGURES: &[Figure] = &[
    Figure {
        name: "rows",
        report_key: "rows",
        unit: Unit::Rows,
        note: "rows analysed (unreadable rows are listed in diagnostics, not counted)",
        of: |s, _| s.rows as f64,
    },
    Figure {
        name: "turns",
        report_key: "turns",
        unit: Unit::Messages,
        note: "messages per row, system included: len(conversations), summed",
        of: |s, _| s.turns as f64,
    },
    Figure {
        name: "turns_mean",
        report_key: "turns_mean",
        unit: Unit::Messages,
        note: TURNS_PER_ROW,
        of: |s, _| s.detail.turns.mean(),
    },
    Figure {
        name: "turns_median",
        report_key: "turns_median",
        unit: Unit::Messages,
        note: TURNS_PER_ROW,
        of: |s, _| s.detail.turns.median(),
    },
    Figure {
        name: "turns_p90",
        report_key: "turns_p90",
        unit: Unit::Messages,
        note: TURNS_PER_ROW,
        of: |s, _| s.detail.turns.p90(),
    },
    Figure {
        name: "tool_calls",
        report_key: "tool_calls",
        unit: Unit::Calls,
        note: "calls in assistant turns only (the system prompt's example call is not one); tutorial: its regex, unparsable JSON named <malformed>; strict: the JSON-aware parser",
        of: |_, m| m.tool_calls as f64,
    },
    Figure {
        name: "calls_per_row",
        report_key: "calls_per_row.mean",
        unit: Unit::Ratio,
        note: "tool calls ÷ rows",
        of: |s, m| ratio(m.tool_calls, s.rows),
    },
    Figure {
        name: "calls_per_assistant_turn",
        report_key: "calls_per_assistant_turn",
        unit: Unit::Ratio,
        note: "tool calls ÷ assistant messages",
        of: |_, m| ratio(m.tool_calls, m.detail.assistant_turns),
    },
    Figure {
        name: "parallel_turn_pct",
        report_key: "parallel_turn_pct",
        unit: Unit::Percent,
        note: "assistant turns with more than one call ÷ turns with at least one call",
        of: |_, m| m.parallel_turn_pct(),
    },
    Figure {
        name: "error_rows_pct",
        report_key: "error_rows_pct",
        unit: Unit::Percent,
        note: "rows with at least one failed tool result; see below for why the two rules differ",
        of: |s, m| pct(m.rows_failed, s.rows),
    },
    Figure {
        name: "recovery_rate_pct",
        report_key: "recovery_rate_pct",
        unit: Unit::Percent,
        note: "rows where a failed result is later followed by a successful one ÷ rows with a failure",
        of: |_, m| pct(m.detail.rows_recovered, m.rows_failed),
    },
    Figure {
        name: "think_blocks_per_assistant_turn",
        report_key: "think_blocks_per_assistant_turn",
        unit: Unit::Ratio,
        note: "reasoning blocks (an empty <think></think> counts) ÷ assistant messages",
        of: |_, m| ratio(m.think_blocks, m.detail.assistant_turns),
    },
    Figure {
        name: "reasoning_turn_pct",
        report_key: "reasoning_turn_pct",
        unit: Unit::Percent,
        note: "assistant messages with non-empty (stripped) reasoning ÷ assistant messages",
        of: |_, m| {
            let d = &m.detail;
            pct(d.reasoning_turns, d.assistant_turns)
        },
    },
    Figure {
        name: "think_chars_mean",
        report_key: "think_chars_dist.mean",
        unit: Unit::Characters,
        note: THINK_CHARS,
        of: |_, m| m.detail.think_chars.mean(),
    },
    Figure {
        name: "think_chars_median",
        report_key: "think_chars_dist.median",
        unit: Unit::Characters,
        note: THINK_CHARS,
        of: |_, m| m.detail.think_chars.median(),
    },
    Figure {
        name: "think_chars_p90",
        report_key: "think_chars_dist.p90",
        unit: Unit::Characters,
        note: THINK_CHARS,
        of: |_, m| m.detail.think_chars.p90(),
    },
    Figure {
        name: "think_words_mean",
        report_key: "think_words_dist.mean",
        unit: Unit::Words,
        note: THINK_WORDS,
        of: |_, m| m.detail.think_words.mean(),
    },
    Figure {
        name: "think_words_median",
        report_key: "think_words_dist.median",
        unit: Unit::Words,
        note: THINK_WORDS,
        of: |_, m| m.detail.think_words.median(),
    },
    Figure {
        name: "think_words_p90",
        report_key: "think_words_dist.p90",
        unit: Unit::Words,
        note: THINK_WORDS,
        of: |_, m| m.detail.think_words.p90(),
    },
    Figure {
        name: "call_chars_median",
        report_key: "call_chars_dist.median",
        unit: Unit::Characters,
        note: "per call: characters of its JSON (tutorial: json.dumps of the parsed call; strict: as written)",
        of: |_, m| m.detail.call_chars.median(),
    },
    Figure {
        name: "answer_chars_median",
        report_key: "answer_chars_dist.median",
        unit: Unit::Characters,
        note: "per assistant message with text outside think/call blocks: its characters, stripped",
        of: |_, m| m.detail.answer_chars.median(),
    },
];

const TURNS_PER_ROW: &str =
    "messages per row; median and p90 are exact (linear between order statistics, as numpy.percentile)";
const THINK_CHARS: &str =
    "per reasoning block: Unicode characters of the stripped text (Python len)";
const THINK_WORDS: &str = "per reasoning block: words as Python's str.split() counts them";

/// The figure named `name`.
pub fn figure(name: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.name == name)
}

/// What the "sources side by side" chart compares sources on: a figure, the mode it is read in,
/// and the chart's label for it.
pub static SOURCES_CHART: &[(&str, Mode, &str)] = &[
    ("turns_mean", Mode::Strict, "turns / row"),
    ("calls_per_row", Mode::Strict, "calls / row"),
    (
        "calls_per_assistant_turn",
        Mode::Strict,
        "calls / assistant turn",
    ),
    ("parallel_turn_pct", Mode::Strict, "% parallel turns"),
    (
        "error_rows_pct",
        Mode::Tutorial,
        "% rows ≥1 error (tutorial)",
    ),
    ("error_rows_pct", Mode::Strict, "% rows ≥1 failure (strict)"),
    ("recovery_rate_pct", Mode::Strict, "% recovered"),
    ("reasoning_turn_pct", Mode::Strict, "% turns with reasoning"),
    ("think_words_mean", Mode::Strict, "think words / block"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        use agent_traces_gen::{write_jsonl, GenOptions};
        let mut text = Vec::new();
        let opts = GenOptions {
            rows: 60,
            tricky_ratio: 0.2,
            ..Default::default()
        };
        write_jsonl(&opts, &mut text).unwrap();
        crate::pipeline::analyse(&text, "a.jsonl").report.summary
    }

    #[test]
    fn the_report_holds_every_figure_at_its_key() {
        let s = summary();
        let report = super::super::report::figures(&s);
        for f in FIGURES {
            for mode in [Mode::Tutorial, Mode::Strict] {
                let mut v = &report[mode.as_str()];
                for key in f.report_key.split('.') {
                    v = &v[key];
                }
                let held = v.as_f64().unwrap_or_else(|| {
                    panic!("{}.{} is not a number: {v}", mode.as_str(), f.report_key)
                });
                assert_eq!(held, f.value(&s, mode), "{} ({})", f.name, mode.as_str());
            }
        }
    }

    #[test]
    fn names_are_unique_and_every_chart_entry_names_a_figure() {
        for (i, f) in FIGURES.iter().enumerate() {
            assert!(FIGURES[..i].iter().all(|g| g.name != f.name), "{}", f.name);
            assert!(!f.note.is_empty(), "{} has no note", f.name);
        }
        for (name, _, _) in SOURCES_CHART {
            assert!(figure(name).is_some(), "{name}");
        }
    }
}
