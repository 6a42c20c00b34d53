//! The seed notebook's shape, for chat templates without a tool role: `messages` with roles
//! system/user/assistant, assistant turns as Hermes text (tags inline), and each tool message
//! turned into a user turn prefixed `[TOOL OUTPUT]\n`.

use serde_json::{json, Map, Value};

use super::chat::{Block, Chat};
use super::hermes::{assistant_text, tool_text};

pub const TOOL_PREFIX: &str = "[TOOL OUTPUT]\n";

/// One exported row.
pub fn row(chat: &Chat) -> Value {
    let messages: Vec<Value> = chat
        .blocks()
        .into_iter()
        .map(|b| match b {
            Block::System(s) => json!({"role": "system", "content": s}),
            Block::User(s) => json!({"role": "user", "content": s}),
            Block::Assistant(a) => json!({"role": "assistant", "content": assistant_text(a)}),
            Block::Tools(rs) => {
                let mut m =
                    json!({"role": "user", "content": format!("{TOOL_PREFIX}{}", tool_text(&rs))});
                if rs.iter().any(|r| !r.train) {
                    m["weight"] = 0.into();
                }
                m
            }
        })
        .collect();
    let mut row = Map::new();
    if let Some(id) = &chat.id {
        row.insert("id".into(), id.clone().into());
    }
    row.insert("messages".into(), Value::Array(messages));
    Value::Object(row)
}
