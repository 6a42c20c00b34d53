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
                    r.content_text_in(text) == r.content_in(text).into(),
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

// ---- Rows: read straight from the text (`row_scan`) against read as a `Value` ----

/// A row as `parse_row` reads it and as the `Value` path reads it, written out whole
/// (messages, segments, warnings, metadata in order), or the error.
fn both_readings(line: &str) -> (String, String) {
    let show = |r: Result<super::Conversation, super::RowError>| match r {
        Ok(c) => serde_json::to_string(&c).unwrap(),
        Err(e) => format!("error {e:?}"),
    };
    let by_value = serde_json::from_str::<Value>(line)
        .map_err(|e| super::RowError {
            kind: super::RowErrorKind::InvalidJson,
            message: format!("invalid JSON at column {}: {e}", e.column()),
        })
        .and_then(super::conversation_from_value);
    (show(super::parse_row(line)), show(by_value))
}

fn same_row(line: &str) {
    let (fast, slow) = both_readings(line);
    assert_eq!(fast, slow, "row {line:?}");
}

#[test]
fn rows_read_from_text_equal_rows_read_as_values_on_generated_rows() {
    let (mut rows, mut fast) = (0, 0);
    for (seed, tricky) in [(3, 0.0), (5, 0.5), (8, 1.0)] {
        let opts = GenOptions {
            rows: 120,
            seed,
            tricky_ratio: tricky,
            ..Default::default()
        };
        for r in gen::rows(&opts) {
            let line = r.to_json_line();
            same_row(&line);
            rows += 1;
            fast += usize::from(super::row_scan::scan(&line).is_some());
        }
    }
    // The comparison is worth something only if the fast read is the one taken.
    assert!(
        fast * 10 > rows * 9,
        "{fast} of {rows} rows read from the text"
    );
}

#[test]
fn rows_read_from_text_equal_rows_read_as_values_on_real_rows_and_the_fuzz_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut n = 0;
    for dir in ["fuzz/corpus/parse_row", "fuzz/corpus/ingest_jsonl"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for line in String::from_utf8_lossy(&bytes).lines() {
                same_row(line);
                n += 1;
            }
        }
    }
    for entry in std::fs::read_dir(root.join("../shared/data/real"))
        .into_iter()
        .flatten()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                same_row(line);
                n += 1;
            }
        }
    }
    assert!(n > 100, "{n} rows");
}

const ROW_EDGES: &[&str] = &[
    r#"{"conversations": []}"#,
    r#"{"conversations": [], "id": 5, "category": null, "task": true}"#,
    r#"{"x": 1, "conversations": [{"from": "human", "value": "hi"}], "y": [2], "id": "a", "z": {}}"#,
    r#"{"id": "a", "id": "b", "conversations": [{"from": "human", "value": "hi"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "a"}], "conversations": [{"from": "gpt", "value": "b"}]}"#,
    r#"{"conversations": [{"value": "hi", "from": "human"}, {"from": "gpt", "value": "<think>x</think>ok"}]}"#,
    r#"{"conversations": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}"#,
    r#"{"conversations": [{"role": "user", "content": "hi"}, {"from": "gpt", "value": "ok"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}, {"role": "assistant", "content": "ok"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi", "weight": 1}]}"#,
    r#"{"conversations": [{"from": "human", "from": "gpt", "value": "hi"}]}"#,
    r#"{"conversations": [{"from": "human"}]}"#,
    r#"{"conversations": [{"from": "", "value": "hi"}, {"from": "alien", "value": "x"}]}"#,
    r#"{"conversations": [{"from": null, "value": "hi"}, {"from": 3, "value": 4}]}"#,
    r#"{"conversations": [{"\u0066rom": "human", "val\u0075e": "h\u0069"}]}"#,
    r#"{"conversations": [1, "x", null, {"from": "human", "value": "hi"}]}"#,
    r#"{"conversations": {"from": "human"}}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "timestamp": "2025-01-01", "model": "m"}"#,
    r#"{"completed": true, "conversations": [{"from": "gpt", "value": "<tool_call>{\"name\": \"t\", \"arguments\": {}}</tool_call>"}]}"#,
    r#"{"conversations": [{"from": "system", "value": "<tools>[{\"name\": \"t\", \"parameters\": {}}]</tools>"}], "tools": "[{\"name\": \"u\"}]"}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "tools": [{"name": "u", "description": "d"}]}"#,
    r#"{"messages": [{"role": "user", "content": "hi"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "messages": []}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}]} trailing"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}]"#,
    r#"[{"from": "human", "value": "hi"}]"#,
    r#"{}"#,
    r#"{"conversations": [{"from": "function_call", "value": "{\"name\": \"t\", \"arguments\": {}}"}, {"from": "observation", "value": "out"}]}"#,
    // The text walk is strict JSON: each of these is read by the `Value` path or refused by it.
    " \t\r\n{ \"conversations\" : [ { \"from\" : \"human\" , \"value\" : \"hi\" } ] , \"id\" : 1 } \n",
    r#"{"conversations": [{"from": "human", "value": "hi"},]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi",}]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}],}"#,
    r#"{"conversations": [{"from": "human" "value": "hi"}]}"#,
    r#"{"conversations": [{"from": "human", "value" "hi"}]}"#,
    r#"{"conversations" [{"from": "human", "value": "hi"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}] "id": 1}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id": 1x}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id": 01}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id": -1.5e3, "n": [true, false, null]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id": tru}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id":"a"}"#,
    r#"{"conversations": [{"from": "human", "value": "a\u00e9\ud83d\ude00\n\"q\""}]}"#,
    r#"{"conversations": [{"from": "human", "value": "lone \ud83d"}]}"#,
    r#"{"conversations": [{"from": "human", "value": "bad \x escape"}]}"#,
    "{\"conversations\": [{\"from\": \"human\", \"value\": \"a\ttab\"}]}",
    r#"{"conversations": [{"from": "human", "value": "hi"}]}}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}]]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "id": "unterminated}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "meta": {"a": [1, {"b": "\u0041"}]}, "k": "v"}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}], "": 1}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}]}{}"#,
    r#"{,"conversations": []}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"]]}"#,
    r#"{"conversations": [{"from": "human", "value": "hi"}}}"#,
    r#"{"conversations": [,]}"#,
];

#[test]
fn rows_read_from_text_equal_rows_read_as_values_on_edge_cases() {
    for line in ROW_EDGES {
        same_row(line);
    }
    // serde_json's nesting limit counts the row's own object.
    for depth in [126, 127, 128, 129] {
        let line = format!(
            r#"{{"conversations": [{{"from": "human", "value": "hi"}}], "deep": {}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        same_row(&line);
    }
}

/// Rows made of the pieces the fast read must tell apart: keys in any order, repeated or
/// extra keys, the two key pairs mixed, values of every JSON kind.
fn row_text() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("null".to_owned()),
        Just("3".to_owned()),
        Just("\"s\"".to_owned()),
        Just("[1]".to_owned()),
        Just("{\"k\": \"v\"}".to_owned()),
        Just("\"<think>a</think><tool_call>{\\\"name\\\": \\\"t\\\", \\\"arguments\\\": {}}</tool_call>\"".to_owned()),
        Just("\"<tool_response>{\\\"name\\\": \\\"t\\\", \\\"content\\\": {\\\"error\\\": null}}</tool_response>\"".to_owned()),
    ];
    let role = prop_oneof![
        Just("\"human\""),
        Just("\"gpt\""),
        Just("\"tool\""),
        Just("\"system\""),
        Just("\"user\""),
        Just("\"\""),
        Just("7")
    ];
    let key = prop_oneof![
        Just("from"),
        Just("value"),
        Just("role"),
        Just("content"),
        Just("weight")
    ];
    let message = prop::collection::vec(
        (
            key,
            prop_oneof![role.prop_map(str::to_owned), scalar.clone()],
        ),
        0..4,
    )
    .prop_map(|kv| {
        let body: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", body.join(", "))
    });
    let messages = prop::collection::vec(message, 0..5).prop_map(|m| format!("[{}]", m.join(", ")));
    let top_key = prop_oneof![
        Just("id"),
        Just("category"),
        Just("task"),
        Just("tools"),
        Just("timestamp"),
        Just("extra"),
        Just("conversations")
    ];
    (
        messages,
        prop::collection::vec((top_key, scalar), 0..4),
        0..4usize,
    )
        .prop_map(|(messages, others, at)| {
            let mut fields: Vec<String> = others
                .iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            fields.insert(
                at.min(fields.len()),
                format!("\"conversations\": {messages}"),
            );
            format!("{{{}}}", fields.join(", "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]
    #[test]
    fn rows_read_from_text_equal_rows_read_as_values_on_random_rows(line in row_text()) {
        same_row(&line);
    }

    /// One character of a good row deleted, or replaced by one of JSON's structural bytes, or
    /// one put in: the text walk must refuse exactly what serde_json refuses, and read the rest
    /// the same.
    #[test]
    fn rows_read_from_text_equal_rows_read_as_values_on_damaged_rows(
        line in row_text(),
        at in any::<prop::sample::Index>(),
        how in 0..3u8,
        put in prop::sample::select(vec![",", ":", "]", "}", "[", "{", "\"", "\\", " ", "1", "\u{1}"]),
    ) {
        let mut at = at.index(line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        let end = line[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let damaged = match how {
            0 => format!("{}{}", &line[..at], &line[end..]),
            1 => format!("{}{put}{}", &line[..at], &line[end..]),
            _ => format!("{}{put}{}", &line[..at], &line[at..]),
        };
        same_row(&damaged);
    }
}
