//! Hermes-style ShareGPT: `conversations` of `{from, value}` with roles system/human/gpt/tool and
//! the tags inline, re-rendered from the checked chat (so broken rows are already gone), and the
//! `tools` column as a JSON string, as the reference dataset has it.

use serde_json::{json, Map, Value};

use super::chat::{Block, Chat};
use super::hermes::{assistant_text, tool_text};

/// One exported row.
pub fn row(chat: &Chat) -> Value {
    let conversations: Vec<Value> = chat
        .blocks()
        .into_iter()
        .map(|b| match b {
            Block::System(s) => turn("system", s.to_owned(), true),
            Block::User(s) => turn("human", s.to_owned(), true),
            Block::Assistant(a) => turn("gpt", assistant_text(a), true),
            Block::Tools(rs) => turn("tool", tool_text(&rs), rs.iter().all(|r| r.train)),
        })
        .collect();
    let mut row = Map::new();
    if let Some(id) = &chat.id {
        row.insert("id".into(), id.clone().into());
    }
    row.insert("conversations".into(), Value::Array(conversations));
    row.insert("tools".into(), chat.tools_json().as_ref().into());
    Value::Object(row)
}

fn turn(from: &str, value: String, train: bool) -> Value {
    let mut t = json!({"from": from, "value": value});
    if !train {
        t["weight"] = 0.into();
    }
    t
}
