//! Prompt/completion rows (TRL conversational prompt-completion): one row per assistant turn,
//! `prompt` all messages before it and `completion` that assistant message, in the `messages`
//! shape, plus `tools`. The last row's prompt and completion put together give the conversation
//! up to its last assistant turn.

use serde::Serialize;
use std::rc::Rc;

use super::chat::{Chat, Turn};
use super::messages::{message, Message};

/// One exported row (its fields serialise in this order).
#[derive(Clone, Debug, Serialize)]
pub struct Row<'a> {
    prompt: Vec<Message<'a>>,
    completion: [Message<'a>; 1],
    tools: Rc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
}

/// The rows of one conversation, one per assistant turn.
pub fn rows(chat: &Chat) -> Vec<Row<'_>> {
    let messages: Vec<Message> = chat.turns.iter().map(message).collect();
    let tools = chat.tools_json();
    chat.turns
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Turn::Assistant(a) if a.train))
        .map(|(i, _)| Row {
            prompt: messages[..i].to_vec(),
            completion: [messages[i].clone()],
            tools: tools.clone(),
            id: chat.id.as_deref(),
        })
        .collect()
}
