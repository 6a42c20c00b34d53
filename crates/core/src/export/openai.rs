//! The OpenAI fine-tuning chat format: `messages` with `arguments` as a JSON string, tool messages
//! with `tool_call_id` and string `content`, `weight` 0/1 on assistant messages, `tools` as a list
//! and `parallel_tool_calls: true`. OpenAI has no reasoning field and allows `weight` only on
//! assistant messages, so trained-off tool outputs change nothing here (tool messages are never
//! trained on).

use serde_json::{json, Map, Value};

use super::chat::{AssistantTurn, Chat, Turn};

/// One exported row.
pub fn row(chat: &Chat) -> Value {
    let messages: Vec<Value> = chat.turns.iter().map(message).collect();
    let mut row = Map::new();
    row.insert("messages".into(), Value::Array(messages));
    if !chat.tools.is_empty() {
        row.insert("tools".into(), Value::Array(chat.tool_definitions()));
        row.insert("parallel_tool_calls".into(), true.into());
    }
    Value::Object(row)
}

fn message(turn: &Turn) -> Value {
    match turn {
        Turn::System(text) => json!({"role": "system", "content": text}),
        Turn::User(text) => json!({"role": "user", "content": text}),
        Turn::Assistant(a) => assistant(a),
        Turn::Tool(t) => json!({"role": "tool", "tool_call_id": t.call_id, "content": t.content}),
    }
}

fn assistant(a: &AssistantTurn) -> Value {
    let mut m = Map::new();
    m.insert("role".into(), "assistant".into());
    if a.content.is_empty() && !a.calls.is_empty() {
        m.insert("content".into(), Value::Null);
    } else {
        m.insert("content".into(), a.content.clone().into());
    }
    if !a.calls.is_empty() {
        let calls = a
            .calls
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments.to_string()},
                })
            })
            .collect();
        m.insert("tool_calls".into(), Value::Array(calls));
    }
    m.insert("weight".into(), u8::from(a.train).into());
    Value::Object(m)
}
