//! The report's detailed figures (added to each mode's `M` beside the headline keys): turn and
//! length distributions with mean/median/p90 and exact histograms, reasoning coverage, recovery,
//! failure by tool and by category, per-category and per-subcategory tables; strict mode adds
//! declared-but-unused and undeclared tools, figures by step and tool × step counts.
//! Key names are stable once published.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use super::breakdown::{Group, ToolRow};
use super::detail::Detail;
use super::distribution::Hist;
use super::{pct, ratio, Mode, ModeSummary, Summary};

fn hist(h: &Hist) -> Value {
    Value::Object(h.iter().map(|(k, v)| (k.to_string(), json!(v))).collect())
}

/// `{name}` (count, sum, mean, median, p90, min, max) and `{name}_hist` (value → count).
fn dist(out: &mut Map<String, Value>, name: &str, h: &Hist) {
    out.insert(name.to_owned(), h.describe());
    out.insert(format!("{name}_hist"), hist(h));
}

fn tools(t: &BTreeMap<String, ToolRow>) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, r)| {
                (
                    k.clone(),
                    json!({
                        "responses": r.responses,
                        "failed": r.failed,
                        "nonzero_exit": r.nonzero_exit,
                        "failure_rate_pct": r.failure_rate_pct(),
                    }),
                )
            })
            .collect(),
    )
}

fn groups(g: &BTreeMap<String, Group>, mode: Mode) -> Value {
    Value::Object(
        g.iter()
            .map(|(k, g)| {
                let v = if mode == Mode::Tutorial {
                    json!({
                        "rows": g.rows,
                        "turns": g.turns,
                        "tool_calls": g.tutorial_tool_calls,
                        "error_rows": g.tutorial_rows_with_error,
                        "error_rows_pct": pct(g.tutorial_rows_with_error, g.rows),
                    })
                } else {
                    let mut v = json!({
                        "rows": g.rows,
                        "turns": g.turns,
                        "tool_calls": g.tool_calls,
                        "error_rows": g.rows_with_failure,
                        "error_rows_pct": pct(g.rows_with_failure, g.rows),
                        "responses": g.responses,
                        "failed_responses": g.failed_responses,
                        "failure_rate_pct": g.failure_rate_pct(),
                    });
                    if !g.think_chars.is_empty() {
                        if let Value::Object(m) = &mut v {
                            m.insert("think_chars".into(), g.think_chars.describe());
                            m.insert("think_chars_q1".into(), json!(g.think_chars.quantile(0.25)));
                            m.insert("think_chars_q3".into(), json!(g.think_chars.quantile(0.75)));
                        }
                    }
                    v
                };
                (k.clone(), v)
            })
            .collect(),
    )
}

/// Figures shared by both modes (turns are counted the same way in both).
fn common(s: &Summary, out: &mut Map<String, Value>) {
    let d = &s.detail;
    out.insert("turns_mean".into(), json!(d.turns.mean()));
    out.insert("turns_median".into(), json!(d.turns.median()));
    out.insert("turns_p90".into(), json!(d.turns.p90()));
    out.insert("turns_hist".into(), hist(&d.turns));
}

/// The figures both modes compute the same way from their own counts (same keys, same order).
fn turn_figures(out: &mut Map<String, Value>, m: &ModeSummary) {
    let d = &m.detail;
    out.insert("assistant_turns".into(), json!(d.assistant_turns));
    dist(out, "calls_per_row", &d.calls_per_row);
    out.insert(
        "calls_per_assistant_turn".into(),
        json!(ratio(m.tool_calls, d.assistant_turns)),
    );
    out.insert(
        "think_blocks_per_assistant_turn".into(),
        json!(ratio(m.think_blocks, d.assistant_turns)),
    );
    out.insert(
        "reasoning_turn_pct".into(),
        json!(pct(d.reasoning_turns, d.assistant_turns)),
    );
    dist(out, "think_chars_dist", &d.think_chars);
    dist(out, "think_words_dist", &d.think_words);
    dist(out, "call_chars_dist", &d.call_chars);
    dist(out, "answer_chars_dist", &d.answer_chars);
    out.insert("error_rows".into(), json!(m.rows_failed));
    out.insert("recovered_rows".into(), json!(d.rows_recovered));
    out.insert(
        "recovery_rate_pct".into(),
        json!(pct(d.rows_recovered, m.rows_failed)),
    );
    out.insert("failure_by_tool".into(), tools(&d.tools));
}

/// One mode's detailed figures (the tutorial's each checked against `tests/oracle/tutorial.py`);
/// strict mode adds the tables only it has.
pub fn of_mode(s: &Summary, mode: Mode) -> Map<String, Value> {
    let d = &s.detail;
    let strict = mode == Mode::Strict;
    let mut out = Map::new();
    common(s, &mut out);
    if strict {
        out.insert("messages_by_role".into(), json!(s.messages_by_role));
    }
    turn_figures(&mut out, s.mode(mode));
    out.insert("by_category".into(), groups(&d.by_category, mode));
    out.insert("by_subcategory".into(), groups(&d.by_subcategory, mode));
    if strict {
        strict_tables(d, &mut out);
    }
    out
}

/// The tables only the strict reading has.
fn strict_tables(d: &Detail, out: &mut Map<String, Value>) {
    out.insert("declared_unused".into(), json!(d.declared_unused));
    out.insert("undeclared_calls".into(), json!(d.undeclared_calls));
    out.insert(
        "steps".into(),
        Value::Object(
            d.steps
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect(),
        ),
    );
    out.insert(
        "tool_steps".into(),
        Value::Object(
            d.tool_steps
                .iter()
                .map(|(t, m)| {
                    let m: Map<String, Value> =
                        m.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                    (t.clone(), Value::Object(m))
                })
                .collect(),
        ),
    );
    out.insert("tool_categories".into(), json!(d.tool_categories));
}
