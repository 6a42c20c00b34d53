//! The `messages` SFT shape (TRL conversational / HF chat templates / axolotl `chat_template`):
//! roles system/user/assistant/tool; assistant `content`, `reasoning_content` and `tool_calls`
//! (`id`, `type: "function"`, `function: {name, arguments}` with arguments as a JSON object); one
//! `tool` message per result with `tool_call_id`, `name` and the raw result as `content` (never
//! wrapped in `<tool_response>`: templates add that); `tools` as a JSON string.

use serde_json::{json, Map, Value};

use super::chat::{AssistantTurn, Chat, ToolResult, Turn};

/// One exported row.
pub fn row(chat: &Chat) -> Value {
    let messages = chat.turns.iter().map(message).collect();
    let mut row = Map::new();
    if let Some(id) = &chat.id {
        row.insert("id".into(), id.clone().into());
    }
    row.insert("messages".into(), Value::Array(messages));
    row.insert("tools".into(), chat.tools_json().into());
    Value::Object(row)
}

/// One turn as a chat-template message.
pub fn message(turn: &Turn) -> Value {
    match turn {
        Turn::System(text) => json!({"role": "system", "content": text}),
        Turn::User(text) => json!({"role": "user", "content": text}),
        Turn::Assistant(a) => assistant(a),
        Turn::Tool(t) => tool(t),
    }
}

fn assistant(a: &AssistantTurn) -> Value {
    let mut m = Map::new();
    m.insert("role".into(), "assistant".into());
    m.insert("content".into(), a.content.clone().into());
    if let Some(r) = &a.reasoning {
        m.insert("reasoning_content".into(), r.clone().into());
    }
    if !a.calls.is_empty() {
        let calls = a
            .calls
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                })
            })
            .collect();
        m.insert("tool_calls".into(), Value::Array(calls));
    }
    Value::Object(m)
}

fn tool(t: &ToolResult) -> Value {
    let mut m =
        json!({"role": "tool", "tool_call_id": t.call_id, "name": t.name, "content": t.content});
    if !t.train {
        m["weight"] = 0.into();
    }
    m
}
