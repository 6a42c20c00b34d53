//! The trace parsers' fast paths against the `Value` code they replace, kept as references:
//! payloads walked (`walk`) against payloads built, on generated rows (tricky ones included),
//! the fuzz corpora, hand-made edge cases and random texts. Equal means every field of every
//! segment, with arguments and contents built on demand compared to the ones built while
//! scanning.

use proptest::prelude::*;
use serde_json::Value;

use super::assistant::{scan_assistant, scan_assistant_value};
use super::failure::{classify, classify_value};
use super::model::{Content, Segment};
use super::payloads::{Arg, Call};
use super::schema::{breaks, check_arguments};
use super::tool::{bare_response, bare_response_value, scan_tool, scan_tool_value};
use super::walk::walk_prefix;
use agent_traces_gen::{self as gen, GenOptions};

/// Every field of every segment, arguments and contents resolved against `text`.
fn canon(text: &str, segs: &[Segment]) -> Vec<String> {
    segs.iter()
        .map(|s| match s {
            Segment::ToolCall(c) => format!(
                "call {:?}",
                (
                    c.span,
                    c.payload,
                    &c.name,
                    &c.id,
                    c.flags,
                    &c.error,
                    c.arguments_in(text),
                    c.has_object_arguments(),
                )
            ),
            Segment::ToolResponse(r) => format!(
                "response {:?}",
                (
                    r.span,
                    r.payload,
                    &r.call_id,
                    &r.name,
                    r.flags,
                    r.call,
                    r.failure,
                    r.content_in(text),
                )
            ),
            other => format!("{other:?}"),
        })
        .collect()
}

/// The walked and the built readings of `text` as an assistant and as a tool message agree.
fn same(text: &str) {
    assert_eq!(
        canon(text, &scan_assistant(text)),
        canon(text, &scan_assistant_value(text)),
        "assistant text {text:?}"
    );
    assert_eq!(
        canon(text, &scan_tool(text)),
        canon(text, &scan_tool_value(text)),
        "tool text {text:?}"
    );
    let span = super::model::Span::new(0, text.len());
    assert_eq!(
        canon(text, &[Segment::ToolResponse(bare_response(text, span))]),
        canon(
            text,
            &[Segment::ToolResponse(bare_response_value(text, span))]
        ),
        "bare tool text {text:?}"
    );
    let c = Content::Text(text.to_owned());
    assert_eq!(classify(&c), classify_value(&c), "{text:?}");
}

/// Messages of generated rows (every kind of tricky row).
fn generated_texts(rows: usize, tricky: f64, seed: u64) -> Vec<String> {
    let opts = GenOptions {
        rows,
        seed,
        tricky_ratio: tricky,
        ..Default::default()
    };
    gen::rows(&opts)
        .flat_map(|r| {
            let v: Value = serde_json::from_str(&r.to_json_line()).unwrap();
            v["conversations"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|m| m["value"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn walked_payloads_equal_built_ones_on_generated_rows() {
    for text in generated_texts(300, 0.5, 11) {
        same(&text);
    }
}

#[test]
fn walked_payloads_equal_built_ones_on_the_fuzz_corpus() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/scan_assistant");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        same(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n > 100, "{n} inputs");
}

const EDGES: &[&str] = &[
    "<tool_call>\n{\"name\": \"t\", \"arguments\": {\"x\": 1e400}}\n</tool_call>",
    "<tool_call>\n{\"name\": \"t\", \"arguments\": {\"x\": \"\\ud800\"}}\n</tool_call>",
    "<tool_call>{\"$serde_json::private::RawValue\": \"{\\\"name\\\": \\\"t\\\", \\\"arguments\\\": {}}\"}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": {\"$serde_json::private::RawValue\": \"{}\"}}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": {\"$serde_json::private::RawValue\": 5}}</tool_call>",
    "<tool_response>{\"$serde_json::private::RawValue\": \"{\\\"name\\\": \\\"t\\\", \\\"content\\\": {}}\"}</tool_response>",
    "<tool_response>{\"name\": \"t\", \"content\": {\"$serde_json::private::RawValue\": \"{\\\"error\\\": 1}\"}}</tool_response>",
    "{\"$serde_json::private::RawValue\": \"[1]\"}",
    "{\"error\": \"{\\\"$serde_json::private::RawValue\\\": 1}\"}",
    "\"{\\\"$serde_json::private::RawValue\\\": \\\"{}\\\"}\"",
    "<tool_call>{\"name\": \"a\", \"name\": 5, \"arguments\": {\"k\": 1, \"k\": \"s\"}}</tool_call>",
    "<tool_call>{\"function\": {\"name\": \"f\", \"parameters\": {\"q\": 1}}, \"id\": \"i\", \"id\": 3}</tool_call>",
    "<tool_call>{\"function\": {\"name\": \"f\"}, \"function\": 1, \"name\": \"o\", \"arguments\": null}</tool_call>",
    "<tool_call>{\"id\": \"x\", \"function\": {\"name\": 1, \"arguments\": {\"a\": 1}}}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": \"{\\\"a\\\": 1}\"}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": \"[1]\"}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": \"not json\"}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"parameters\": [1]}</tool_call>",
    "<tool_call>{\"name\": \"t\"}</tool_call>",
    "<tool_call>[1, 2]</tool_call>",
    "<tool_call>12</tool_call>",
    "<tool_call>12x</tool_call>",
    "<tool_call>\"s\"</tool_call><tool_call>null</tool_call>",
    "<tool_call>{'name': 'terminal', 'arguments': {'command': 'ls'}}</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": {}} trailing</tool_call>",
    "<tool_call>{\"name\": \"t\", \"arguments\": {}}",
    "<tool_call>{\"name\": \"t\", \"arguments\": {",
    "<tool_response>{\"name\": \"a\", \"content\": {\"error\": \"x\", \"error\": null, \"exit_code\": 1, \"exit_code\": 2.0}}</tool_response>",
    "<tool_response>{\"tool_call_id\": 7, \"content\": \"{\\\"success\\\": false}\"}</tool_response>",
    "<tool_response>{\"name\": [1], \"content\": null, \"content\": \"  \"}</tool_response>",
    "<tool_response>{\"content\": {\"error\": \"only content\"}}</tool_response>",
    "<tool_response>{\"exit_code\": -1}</tool_response>",
    "<tool_response>{\"exit_code\": 18446744073709551615, \"status\": \"error\"}</tool_response>",
    "<tool_response>{}</tool_response><tool_response>[]</tool_response><tool_response>null</tool_response>",
    "<tool_response>\"Error: x\"</tool_response><tool_response>\"  tool 'x' does not exist\"</tool_response>",
    "<tool_response>{\"name\": \"t\", \"content\": \"ERROR\\u0000\"}</tool_response>",
    "<tool_response>{\"name\": \"t\", \"content\": {\"a\": 1}} junk</tool_response>",
    "<tool_response>{\"name\": \"t\", \"content\": {\"a\": 1}}",
    "<tool_response>{\"name\": \"t\", \"content\": {\"a\": 1e400}}</tool_response>",
    "<tool_response>{\"name\": \"t\", \"content\": \"\\udc00\"}</tool_response>",
    "  [1, {\"error\": 1}]  ",
    "\u{a0}{\"error\": \"x\"}\u{2028}",
    "{\"success\": false}",
    "Tool 'x' does not exist",
    "ERROR: İstanbul",
    "",
];

#[test]
fn walked_payloads_equal_built_ones_on_edge_cases() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let mut texts: Vec<String> = EDGES.iter().map(|s| s.to_string()).collect();
    for n in [126, 127, 128, 129, 200] {
        texts.push(format!("<tool_call>{}</tool_call>", deep(n)));
        texts.push(format!("<tool_response>{}</tool_response>", deep(n)));
        texts.push(format!(
            "<tool_call>{{\"name\": \"t\", \"arguments\": {{\"a\": {}}}}}</tool_call>",
            deep(n)
        ));
        texts.push(format!(
            "<tool_response>{{\"name\": \"t\", \"content\": {{\"error\": {}}}}}</tool_response>",
            deep(n)
        ));
        texts.push(deep(n));
    }
    for t in &texts {
        same(t);
    }
}

/// Pieces of tool JSON and tags, put together at random.
fn tool_text() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "<tool_call>",
        "</tool_call>",
        "<tool_response>",
        "</tool_response>",
        "<think>",
        "</think>",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\n",
        "\"",
        "\\",
        "\\\"",
        "\\u00e9",
        "\\ud800",
        "é",
        "\"name\"",
        "\"arguments\"",
        "\"parameters\"",
        "\"function\"",
        "\"id\"",
        "\"content\"",
        "\"tool_call_id\"",
        "\"error\"",
        "\"exit_code\"",
        "\"success\"",
        "\"status\"",
        "\"traceback\"",
        "\"$serde_json::private::RawValue\"",
        "\"x\"",
        "\"Error\"",
        "\"error\"",
        "null",
        "true",
        "false",
        "0",
        "1",
        "-1",
        "2.0",
        "1e400",
        "'",
        "'name'",
        "True",
        "{\"name\": \"t\", \"arguments\": {\"a\": 1}}",
        "{\"name\": \"t\", \"content\": ",
        "{\"exit_code\": 1, \"error\": null}",
        "\"{\\\"success\\\": false}\"",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn walked_payloads_equal_built_ones_on_random_texts(text in tool_text()) {
        same(&text);
    }
}

/// The schema check on the keys a walk keeps equals `check_arguments` on the built arguments.
#[test]
fn schema_check_on_kept_keys_equals_the_value_check() {
    let schemas: Vec<Value> = vec![
        serde_json::json!({"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}}, "required": ["command"]}),
        serde_json::json!({"properties": {"a": {"type": ["integer", "null"]}, "b": {"type": []}, "c": {"type": "number"}, "d": {"type": 5}, "e": {}}}),
        serde_json::json!({"required": ["a", 5, "b"]}),
        serde_json::json!({"properties": {"a": {"type": "boolean"}, "b": {"type": "array"}, "c": {"type": "object"}, "d": {"type": "null"}, "e": {"type": "other"}}}),
        serde_json::json!(null),
        serde_json::json!({}),
    ];
    let args = [
        r#"{}"#,
        r#"{"command": "ls"}"#,
        r#"{"command": "ls", "timeout": 5}"#,
        r#"{"command": "ls", "timeout": 5.0}"#,
        r#"{"command": "ls", "timeout": 5.5}"#,
        r#"{"command": 1}"#,
        r#"{"a": 1, "a": null, "b": 2}"#,
        r#"{"a": 1.5}"#,
        r#"{"a": -3, "c": 1e300, "d": true, "e": [1]}"#,
        r#"{"a": true, "b": [], "c": {}, "d": null, "e": "x"}"#,
        r#"{"a": "x", "b": {}, "c": [], "d": 0}"#,
        r#"{"b": 18446744073709551615}"#,
    ];
    for a in args {
        let payload = format!(r#"{{"name": "t", "arguments": {a}}}"#);
        let (Call::Object { own, .. }, _) = walk_prefix::<Call>(&payload).unwrap() else {
            panic!()
        };
        let Some(Arg::Object(keys)) = own.arguments else {
            panic!()
        };
        let v: Value = serde_json::from_str(a).unwrap();
        for s in &schemas {
            assert_eq!(
                breaks(s, &keys),
                check_arguments(s, &v).is_some(),
                "{a} against {s}"
            );
        }
    }
}
