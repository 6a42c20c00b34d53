//! Golden tests on the real samples in tests/data/real (MIT, copied from the shared workspace with
//! their licences and SOURCE.md, so a clone anywhere has them): the parser reads them as the
//! hermes-agent format describes, with no flags raised where the data is clean.

use agent_traces::trace::{conversation_from_value, parse_row, Content, Dialect, Flags, Role};
use serde_json::{json, Value};

fn real(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real");
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn docs_example_round_trip() {
    let conv = parse_row(real("hermes_agent_docs_example_trajectory.jsonl").trim()).unwrap();
    assert_eq!(conv.dialect, Some(Dialect::HermesLog));
    assert_eq!(conv.messages.len(), 5);
    assert_eq!(
        conv.tools.len(),
        1,
        "tools come from the system prompt's <tools> block"
    );
    assert_eq!(conv.tools[0].name, "terminal");
    let calls: Vec<_> = conv.calls().collect();
    assert_eq!(
        calls.len(),
        1,
        "the system prompt's example call is not a call"
    );
    assert_eq!(calls[0].name, "terminal");
    let tool = &conv.messages[3];
    assert_eq!(tool.role, Role::Tool);
    let resp: Vec<_> = tool.responses().collect();
    assert_eq!(resp.len(), 1);
    assert_eq!(
        resp[0].call,
        Some((2, 0)),
        "paired with the call of message 2"
    );
    assert!(!resp[0].failure.strict);
    assert!(
        conv.flags().is_empty(),
        "{:?}",
        conv.flags().names().collect::<Vec<_>>()
    );
}

#[test]
fn lucifexia_sample_declares_32_tools_and_reasons() {
    let conv = parse_row(real("hermes_agent_trajectory_sample_lucifexia.jsonl").trim()).unwrap();
    assert_eq!(conv.tools.len(), 32);
    assert_eq!(conv.messages.len(), 3);
    let gpt = &conv.messages[2];
    assert_eq!(gpt.reasoning().count(), 1);
    assert_eq!(gpt.calls().count(), 0);
    assert!(
        gpt.texts().next().is_some(),
        "an answer follows the reasoning"
    );
    assert!(conv.flags().is_empty());
}

#[test]
fn kimi_row_preview() {
    let v: Value =
        serde_json::from_str(&real("lambda_kimi_row_preview_gemma_trajad.json")).unwrap();
    let row = json!({
        "id": v["id"], "category": v["category"], "subcategory": v["subcategory"], "task": v["task"],
        "conversations": v["conversations_preview"],
    });
    let conv = conversation_from_value(row).unwrap();
    assert_eq!(conv.category.as_deref(), Some("Agent Tools"));
    assert_eq!(conv.messages.len(), 4);
    // No tools column here: the system prompt's <tools> block (OpenAI style) declares them.
    assert!(conv.declares("session_search"));
    let call = conv.calls().next().unwrap();
    assert_eq!(call.name, "session_search");
    let gpt = conv
        .messages
        .iter()
        .find(|m| m.calls().next().is_some())
        .unwrap();
    assert_eq!(
        gpt.arguments(call),
        Some(json!({"query": "staging deployment config"}))
    );
    let resp = conv.messages[3].responses().next().unwrap();
    assert_eq!(resp.call_id.as_deref(), Some("functions.session_search:0"));
    assert_eq!(
        conv.messages[3].content(resp),
        Content::Json(json!({"success": false, "error": "Session database not available."}))
    );
    assert!(resp.failure.strict);
    let think = conv.messages[2].reasoning().next().unwrap();
    assert!(
        conv.messages[2]
            .slice(think.inner)
            .starts_with("\n The user"),
        "Kimi reasoning starts with a space"
    );
    assert!(!conv.flags().contains(Flags::UNDECLARED_TOOL));
}
