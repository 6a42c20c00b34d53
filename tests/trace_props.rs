//! Property tests: conversations with arbitrary text (tags, quotes, backslashes, non-ASCII),
//! serialised the hermes-agent way, parse back to the same reasoning, text, calls, arguments and
//! responses — and no input makes the parser panic.

use agent_traces::trace::{parse_row, Content, Role};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Text drawn from an alphabet rich in what breaks naive parsers.
fn tricky_text() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "a",
        "Z",
        "0",
        " ",
        "\n",
        "\t",
        "\"",
        "'",
        "\\",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "é",
        "中",
        "😀",
        "<think>",
        "</think>",
        "<tool_call>",
        "</tool_call>",
        "<tool_response>",
        "</tool_response>",
        "\\n",
        "\\\"",
    ]);
    prop::collection::vec(atoms, 0..30).prop_map(|v| v.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        tricky_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
struct Step {
    reasoning: String,
    text: String,
    calls: Vec<(String, Value)>,
    results: Vec<Value>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        tricky_text().prop_filter("reasoning cannot hold its own closing tag", |r| {
            !r.contains("</think>")
        }),
        tricky_text().prop_filter("free text cannot hold tags", |t| {
            !t.contains("<think>") && !t.contains("</think>") && !t.contains("<tool_call>")
        }),
        prop::collection::vec(
            (
                "[a-z_]{1,12}",
                prop::collection::btree_map("[a-z]{1,6}", json_value(), 0..3),
            ),
            0..4,
        ),
        prop::collection::vec(json_value(), 0..4),
    )
        .prop_map(|(reasoning, text, calls, results)| {
            let calls: Vec<(String, Value)> = calls
                .into_iter()
                .map(|(n, a)| (n, Value::Object(a.into_iter().collect())))
                .collect();
            let mut results = results;
            results.resize(calls.len(), Value::String("ok".into()));
            Step {
                reasoning,
                text,
                calls,
                results,
            }
        })
}

fn serialise(steps: &[Step]) -> String {
    let mut conv = vec![
        json!({"from": "system", "value": "You are a function calling AI model."}),
        json!({"from": "human", "value": "do it"}),
    ];
    for (si, s) in steps.iter().enumerate() {
        let mut v = format!("<think>\n{}\n</think>\n", s.reasoning);
        if !s.text.trim().is_empty() {
            v.push_str(&s.text);
            v.push('\n');
        }
        for (name, args) in &s.calls {
            v.push_str(&format!(
                "<tool_call>\n{}\n</tool_call>\n",
                json!({"name": name, "arguments": args})
            ));
        }
        conv.push(json!({"from": "gpt", "value": v.trim_end()}));
        if !s.calls.is_empty() {
            let blocks: Vec<String> = s
                .calls
                .iter()
                .zip(&s.results)
                .enumerate()
                .map(|(k, ((name, _), content))| {
                    let id = format!("functions.{name}:{si}{k}");
                    format!(
                        "<tool_response>\n{}\n</tool_response>",
                        json!({"tool_call_id": id, "name": name, "content": content})
                    )
                })
                .collect();
            conv.push(json!({"from": "tool", "value": blocks.join("\n")}));
        }
    }
    json!({"id": "p", "conversations": conv}).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn hermes_serialisation_round_trips(steps in prop::collection::vec(step(), 1..5)) {
        let conv = parse_row(&serialise(&steps)).unwrap();
        let assistants: Vec<_> = conv.messages.iter().filter(|m| m.role == Role::Assistant).collect();
        prop_assert_eq!(assistants.len(), steps.len());
        for (msg, s) in assistants.iter().zip(&steps) {
            let reasoning: Vec<&str> = msg.reasoning().map(|r| msg.slice(r.inner)).collect();
            let expected_reasoning = format!("\n{}\n", s.reasoning);
            prop_assert_eq!(reasoning, vec![expected_reasoning.as_str()]);
            let text: Vec<&str> = msg.texts().collect();
            let want_text: Vec<&str> = if s.text.trim().is_empty() { vec![] } else { vec![s.text.trim()] };
            prop_assert_eq!(text, want_text);
            let calls: Vec<(String, Value)> = msg.calls().map(|c| (c.name.clone(), msg.arguments(c).unwrap_or(Value::Null))).collect();
            prop_assert_eq!(&calls, &s.calls);
            prop_assert!(msg.calls().all(|c| c.flags.is_empty()), "{:?}", msg.calls().map(|c| c.flags.names().collect::<Vec<_>>()).collect::<Vec<_>>());
        }
        let responses: Vec<Value> = conv.messages.iter().filter(|m| m.role == Role::Tool)
            .flat_map(|m| m.responses().map(|r| match &m.content(r) { Content::Json(v) => v.clone(), Content::Text(t) => Value::String(t.clone()) }).collect::<Vec<_>>())
            .collect();
        let want: Vec<Value> = steps.iter().flat_map(|s| s.results.clone()).collect();
        prop_assert_eq!(responses, want);
        prop_assert!(conv.messages.iter().flat_map(|m| m.responses()).all(|r| r.call.is_some()), "every response is paired");
    }

    #[test]
    fn no_input_panics(value in tricky_text(), role in prop::sample::select(vec!["gpt", "tool", "human", "system", "function_call", "observation"])) {
        let row = json!({"conversations": [{"from": role, "value": value}]}).to_string();
        let _ = parse_row(&row);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = parse_row(s);
        }
    }
}
