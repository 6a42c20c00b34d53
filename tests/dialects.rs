//! One hand-written case for every dialect and per-call check the parser promises (issue: trace
//! model and parsers).

use agent_traces::trace::{parse_row, Content, Dialect, Flags, Role, RowErrorKind};
use serde_json::json;

#[test]
fn openai_messages_with_structured_calls_and_reasoning() {
    let row = json!({"messages": [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": [{"type": "text", "text": "list"}]},
        {"role": "assistant", "content": "Looking.", "reasoning_content": "I should run ls.",
         "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "terminal", "arguments": "{\"command\": \"ls\"}"}},
            {"id": "call_2", "type": "function", "function": {"name": "read_file", "arguments": {"path": "a"}}}]},
        {"role": "tool", "tool_call_id": "call_2", "name": "read_file", "content": "{\"content\": \"x\"}"},
        {"role": "tool", "tool_call_id": "call_1", "name": "terminal", "content": "a.txt"},
        {"role": "assistant", "reasoning": "done", "content": "Two files."}
    ], "tools": [{"type": "function", "function": {"name": "terminal", "parameters": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}}},
                 {"name": "read_file", "description": "bare style", "parameters": {"type": "object"}}]});
    let conv = parse_row(&row.to_string()).unwrap();
    assert_eq!(conv.dialect, Some(Dialect::OpenAiMessages));
    assert_eq!(conv.tools.len(), 2, "OpenAI-style and bare definitions");
    assert_eq!(conv.messages[1].text, "list", "content parts are joined");
    let a = &conv.messages[2];
    assert_eq!(
        a.reasoning().map(|r| a.slice(r.inner)).collect::<Vec<_>>(),
        ["I should run ls."]
    );
    assert_eq!(a.texts().collect::<Vec<_>>(), ["Looking."]);
    let calls: Vec<_> = a.calls().collect();
    assert_eq!(a.arguments(calls[0]), Some(json!({"command": "ls"})));
    assert!(calls[0].flags.contains(Flags::ARGS_AS_STRING));
    assert_eq!(a.arguments(calls[1]), Some(json!({"path": "a"})));
    assert_eq!(
        a.slice(calls[1].payload),
        r#"{"id":"call_2","type":"function","function":{"name":"read_file","arguments":{"path":"a"}}}"#
    );
    // Responses pair by id, not by order.
    assert_eq!(
        conv.messages[3].responses().next().unwrap().call,
        Some((2, 1))
    );
    assert_eq!(
        conv.messages[4].responses().next().unwrap().call,
        Some((2, 0))
    );
    assert_eq!(
        conv.messages[4].content(conv.messages[4].responses().next().unwrap()),
        Content::Text("a.txt".into())
    );
    assert_eq!(
        conv.messages[5].reasoning().count(),
        1,
        "`reasoning` is read too"
    );
    assert!(
        conv.flags().is_empty() || conv.flags() == Flags::ARGS_AS_STRING,
        "{:?}",
        conv.flags().names().collect::<Vec<_>>()
    );
}

#[test]
fn conversations_with_role_content_keys() {
    let row = json!({"conversations": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "<think>x</think>hello"}]});
    let conv = parse_row(&row.to_string()).unwrap();
    assert_eq!(conv.dialect, Some(Dialect::ShareGptRoleContent));
    assert_eq!(conv.messages[1].reasoning().count(), 1);
}

#[test]
fn llama_factory_function_call_and_observation() {
    let row = json!({"conversations": [
        {"from": "human", "value": "go"},
        {"from": "function_call", "value": "[{\"name\": \"a\", \"arguments\": {\"x\": 1}}, {\"name\": \"b\", \"arguments\": {}}]"},
        {"from": "observation", "value": "[\"r1\", \"r2\"]"},
        {"from": "gpt", "value": "ok"}], "tools": "[{\"name\": \"a\", \"parameters\": {}}, {\"name\": \"b\", \"parameters\": {}}]"});
    let conv = parse_row(&row.to_string()).unwrap();
    assert_eq!(conv.messages[1].role, Role::Assistant);
    assert_eq!(
        conv.messages[1]
            .calls()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(conv.messages[2].role, Role::Tool);
    assert_eq!(conv.messages[2].responses().count(), 1);
}

#[test]
fn hermes_log_line_is_its_own_dialect() {
    let row = json!({"conversations": [{"from": "human", "value": "x"}], "timestamp": "2025-01-01", "model": "m", "completed": true});
    let conv = parse_row(&row.to_string()).unwrap();
    assert_eq!(conv.dialect, Some(Dialect::HermesLog));
    assert_eq!(
        conv.metadata.get("model"),
        Some(&json!("m")),
        "other columns are kept as metadata"
    );
}

#[test]
fn unknown_shape_names_its_keys() {
    let err = parse_row(r#"{"prompt": "a", "response": "b"}"#).unwrap_err();
    assert_eq!(err.kind, RowErrorKind::NoConversation);
    assert!(err.message.contains("prompt, response"), "{}", err.message);
    assert_eq!(
        parse_row("[1]").unwrap_err().kind,
        RowErrorKind::NotAnObject
    );
    assert_eq!(
        parse_row("{\"a\": ").unwrap_err().kind,
        RowErrorKind::InvalidJson
    );
}

#[test]
fn per_call_quality_flags() {
    let tools = r#"[{"type": "function", "function": {"name": "terminal", "parameters": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}}}]"#;
    let row = json!({"tools": tools, "conversations": [
        {"from": "human", "value": "x"},
        {"from": "gpt", "value": "<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"cmd\": \"ls\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"browser\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"command\": 5}}\n</tool_call>"},
        {"from": "tool", "value": "<tool_response>\n{\"name\": \"terminal\", \"content\": \"a\"}\n</tool_response>\n<tool_response>\n{\"name\": \"browser\", \"content\": \"b\"}\n</tool_response>"},
        {"from": "tool", "value": "<tool_response>\n{\"name\": \"x\", \"content\": \"stray\"}\n</tool_response>"}
    ]});
    let conv = parse_row(&row.to_string()).unwrap();
    let calls: Vec<_> = conv.calls().collect();
    assert!(
        calls[0].flags.contains(Flags::SCHEMA_INVALID),
        "required property missing"
    );
    assert!(calls[1].flags.contains(Flags::UNDECLARED_TOOL));
    assert!(
        calls[2].flags.contains(Flags::SCHEMA_INVALID),
        "wrong primitive type"
    );
    assert!(!calls[0].flags.contains(Flags::UNMATCHED_CALL));
    // Three calls, two responses in the first tool message: the third call is answered by the
    // next tool message (OpenAI writes one tool message per response).
    assert!(conv.messages[2].responses().all(|r| r.call.is_some()));
    let late = conv.messages[3].responses().next().unwrap();
    assert_eq!(late.call, Some((1, 2)));
    assert!(!calls[2].flags.contains(Flags::UNMATCHED_CALL));
}

#[test]
fn consecutive_assistant_turns_leave_earlier_calls_unmatched() {
    let row = json!({"conversations": [
        {"from": "gpt", "value": "<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>"},
        {"from": "gpt", "value": "<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>"},
        {"from": "tool", "value": "<tool_response>\n{\"name\": \"b\", \"content\": \"ok\"}\n</tool_response>"}]});
    let conv = parse_row(&row.to_string()).unwrap();
    let calls: Vec<_> = conv.calls().collect();
    assert!(calls[0].flags.contains(Flags::UNMATCHED_CALL));
    assert!(!calls[1].flags.contains(Flags::UNMATCHED_CALL));
}

#[test]
fn unknown_roles_are_reported_not_fatal() {
    let row = json!({"conversations": [{"from": "narrator", "value": "x"}, {"from": "human", "value": "y"}]});
    let conv = parse_row(&row.to_string()).unwrap();
    assert_eq!(conv.messages.len(), 1);
    assert_eq!(
        conv.turns(),
        2,
        "it still counts as a turn, as len(conversations) does"
    );
    assert!(conv.warnings[0].contains("unknown role \"narrator\""));
}
