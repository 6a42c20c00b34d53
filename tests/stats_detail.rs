//! The dashboard's aggregates (`stats::detail`, `stats::distribution`, `stats::breakdown`) on
//! rows with known answers, in both modes, and `merge` at every split of a generated dataset.

use agent_traces::stats::report::figures;
use agent_traces::stats::Summary;
use agent_traces::trace::parse_row;
use agent_traces_gen::{self as gen, GenOptions};
use serde_json::{json, Value};

const CALL_LS: &str = r#"{"name": "terminal", "arguments": {"command": "ls"}}"#;
const CALL_SEARCH: &str = r#"{"name": "search_files", "arguments": {}}"#;
const CALL_FALSE: &str = r#"{"name": "terminal", "arguments": {"command": "false"}}"#;
const CALL_TRUE: &str = r#"{"name": "terminal", "arguments": {"command": "true"}}"#;

fn call(payload: &str) -> String {
    format!("<tool_call>\n{payload}\n</tool_call>")
}

fn resp(name: &str, content: Value) -> String {
    let body =
        json!({"tool_call_id": format!("functions.{name}:0"), "name": name, "content": content});
    format!("<tool_response>\n{body}\n</tool_response>")
        .replace("\":", "\": ")
        .replace(",\"", ", \"")
}

fn msg(from: &str, value: String) -> Value {
    json!({"from": from, "value": value})
}

/// Row A: two parallel calls, one failing (second block); declares three tools.
/// Row B: a failure then a success (recovered); declares none.
fn rows() -> Vec<String> {
    let tools = json!([
        {"type": "function", "function": {"name": "terminal", "description": "", "parameters": {}}},
        {"type": "function", "function": {"name": "read_file", "description": "", "parameters": {}}},
        {"type": "function", "function": {"name": "write_file", "description": "", "parameters": {}}},
    ]);
    let a = json!({
        "category": "Cat A", "subcategory": "s1", "tools": tools.to_string(),
        "conversations": [
            msg("system", "sys".into()),
            msg("human", "do".into()),
            msg("gpt", format!("<think>\nab cd\n</think>\n{}\n{}", call(CALL_LS), call(CALL_SEARCH))),
            msg("tool", format!("{}\n{}",
                resp("terminal", json!({"output": "a", "exit_code": 0, "error": null})),
                resp("search_files", json!({"success": false, "error": "denied"})))),
            msg("gpt", "<think>\n</think>\nDone.".into()),
        ]
    });
    let b = json!({
        "category": "Cat B", "subcategory": "s2",
        "conversations": [
            msg("human", "x".into()),
            msg("gpt", format!("<think>\nx\n</think>\n{}", call(CALL_FALSE))),
            msg("tool", resp("terminal", json!({"output": "", "exit_code": -1, "status": "error", "traceback": "T"}))),
            msg("gpt", format!("<think>\ny z\n</think>\n{}", call(CALL_TRUE))),
            msg("tool", resp("terminal", json!({"output": "ok", "exit_code": 0}))),
            msg("gpt", "All good.".into()),
        ]
    });
    vec![a.to_string(), b.to_string()]
}

fn summary_of(lines: &[String]) -> Summary {
    let mut s = Summary::default();
    for l in lines {
        if let Ok(c) = parse_row(l) {
            s.add(&c);
        }
    }
    s
}

fn hist(pairs: &[(u32, u64)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect(),
    )
}

#[test]
fn known_answers_in_both_modes() {
    let f = figures(&summary_of(&rows()));
    let (s, t) = (&f["strict"], &f["tutorial"]);
    for m in [s, t] {
        assert_eq!(m["turns_hist"], hist(&[(5, 1), (6, 1)]));
        assert_eq!(m["turns_median"], 5.5);
        assert_eq!(m["turns_p90"], 5.9);
        assert_eq!(m["turns_mean"], 5.5);
        assert_eq!(m["assistant_turns"], 5);
        assert_eq!(m["calls_per_row_hist"], hist(&[(2, 2)]));
        assert_eq!(m["calls_per_row"]["median"], 2.0);
        assert_eq!(m["calls_per_assistant_turn"], 0.8);
        assert_eq!(m["think_blocks_per_assistant_turn"], 0.8);
        assert_eq!(m["reasoning_turn_pct"], 60.0);
        assert_eq!(
            m["think_chars_dist_hist"],
            hist(&[(0, 1), (1, 1), (3, 1), (5, 1)])
        );
        assert_eq!(m["think_chars_dist"]["median"], 2.0);
        assert_eq!(m["think_words_dist_hist"], hist(&[(0, 1), (1, 1), (2, 2)]));
        let mut calls: Vec<(u32, u64)> = Vec::new();
        for c in [CALL_LS, CALL_SEARCH, CALL_FALSE, CALL_TRUE] {
            let n = c.chars().count() as u32;
            match calls.iter_mut().find(|(k, _)| *k == n) {
                Some((_, v)) => *v += 1,
                None => calls.push((n, 1)),
            }
        }
        calls.sort();
        assert_eq!(m["call_chars_dist_hist"], hist(&calls));
        assert_eq!(m["answer_chars_dist_hist"], hist(&[(5, 1), (9, 1)]));
        assert_eq!(m["recovered_rows"], 1, "row B fails then succeeds");
        assert_eq!(m["by_category"]["Cat A"]["rows"], 1);
        assert_eq!(m["by_category"]["Cat B"]["turns"], 6);
        assert_eq!(m["by_category"]["Cat B"]["tool_calls"], 2);
        assert_eq!(m["by_subcategory"]["s1"]["tool_calls"], 2);
        assert_eq!(m["by_category"]["Cat B"]["error_rows_pct"], 100.0);
    }
    // Strict: row A's failure is its second block; both rows fail, one recovers.
    assert_eq!(s["error_rows"], 2);
    assert_eq!(s["recovery_rate_pct"], 50.0);
    assert_eq!(s["failure_by_tool"]["terminal"]["responses"], 3);
    assert_eq!(s["failure_by_tool"]["terminal"]["failed"], 1);
    assert_eq!(s["failure_by_tool"]["terminal"]["nonzero_exit"], 1);
    assert_eq!(
        s["failure_by_tool"]["search_files"]["failure_rate_pct"],
        100.0
    );
    assert_eq!(s["by_category"]["Cat A"]["failure_rate_pct"], 50.0);
    assert_eq!(s["by_category"]["Cat A"]["think_chars"]["max"], 5);
    assert_eq!(
        s["declared_unused"],
        json!({"read_file": 1, "write_file": 1})
    );
    assert_eq!(
        s["undeclared_calls"],
        json!({"search_files": 1}),
        "row B declares no tool: not counted"
    );
    assert_eq!(s["steps"]["1"]["turns"], 2);
    assert_eq!(s["steps"]["1"]["calls"], 3);
    assert_eq!(s["steps"]["1"]["reasoning_turns"], 2);
    assert_eq!(s["steps"]["2"]["calls"], 1);
    assert_eq!(s["steps"]["3"]["turns"], 1);
    assert_eq!(s["steps"]["3"]["answer_chars"], 9);
    assert_eq!(
        s["tool_steps"],
        json!({"search_files": {"1": 1}, "terminal": {"1": 2, "2": 1}})
    );
    assert_eq!(
        s["tool_categories"],
        json!({"search_files": {"Cat A": 1}, "terminal": {"Cat A": 1, "Cat B": 2}})
    );
    // Tutorial: only first blocks; row A's terminal result carries "error": null.
    assert_eq!(t["error_rows"], 2);
    assert_eq!(t["recovery_rate_pct"], 50.0);
    assert_eq!(t["failure_by_tool"]["terminal"]["responses"], 3);
    assert_eq!(t["failure_by_tool"]["terminal"]["failed"], 2);
    assert!(t["failure_by_tool"].get("search_files").is_none());
}

#[test]
fn merge_at_every_split_equals_the_whole() {
    let opts = GenOptions {
        seed: 11,
        rows: 40,
        tricky_ratio: 0.3,
        ..GenOptions::default()
    };
    let mut lines: Vec<String> = gen::rows(&opts).map(|r| r.to_json_line()).collect();
    lines.extend(rows());
    let whole = summary_of(&lines);
    let whole_figures = figures(&whole);
    for cut in 0..=lines.len() {
        let mut a = summary_of(&lines[..cut]);
        a.merge(&summary_of(&lines[cut..]));
        assert_eq!(a, whole, "split at {cut}");
        assert_eq!(figures(&a), whole_figures, "split at {cut}");
    }
    // Merging is also order-free for the figures.
    let mut b = summary_of(&lines[20..]);
    b.merge(&summary_of(&lines[..20]));
    assert_eq!(
        figures(&b)["strict"]["turns_p90"],
        whole_figures["strict"]["turns_p90"]
    );
}

#[test]
fn summary_round_trips_through_json() {
    // Summaries travel from workers to the page as JSON.
    let s = summary_of(&rows());
    let back: Summary = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}
