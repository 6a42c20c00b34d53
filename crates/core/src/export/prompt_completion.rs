//! Prompt/completion rows (TRL conversational prompt-completion): one row per assistant turn,
//! `prompt` all messages before it and `completion` that assistant message, in the `messages`
//! shape, plus `tools`. The last row's prompt and completion put together give the conversation
//! up to its last assistant turn.

use serde_json::{json, Value};

use super::chat::{Chat, Turn};
use super::messages::message;

/// The rows of one conversation, one per assistant turn.
pub fn rows(chat: &Chat) -> Vec<Value> {
    let messages: Vec<Value> = chat.turns.iter().map(message).collect();
    let tools = chat.tools_json();
    chat.turns
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Turn::Assistant(a) if a.train))
        .map(|(i, _)| {
            let mut row = json!({
                "prompt": messages[..i],
                "completion": [messages[i].clone()],
                "tools": tools,
            });
            if let Some(id) = &chat.id {
                row["id"] = id.clone().into();
            }
            row
        })
        .collect()
}
