//! The `messages` SFT shape (TRL conversational / HF chat templates / axolotl `chat_template`):
//! roles system/user/assistant/tool; assistant `content`, `reasoning_content` and `tool_calls`
//! (`id`, `type: "function"`, `function: {name, arguments}` with arguments as a JSON object); one
//! `tool` message per result with `tool_call_id`, `name` and the raw result as `content` (never
//! wrapped in `<tool_response>`: templates add that); `tools` as a JSON string.
//!
//! Rows are written straight from the chat they borrow (no `Value` tree per row: the export's
//! default format is its hot path); the fields serialise in the order declared.

use serde::Serialize;
use serde_json::Value;
use std::rc::Rc;

use super::chat::{AssistantTurn, Call, Chat, ToolResult, Turn};

/// One exported row.
#[derive(Clone, Debug, Serialize)]
pub struct Row<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    messages: Vec<Message<'a>>,
    tools: Rc<str>,
}

/// One turn as a chat-template message.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Message<'a> {
    System {
        content: &'a str,
    },
    User {
        content: &'a str,
    },
    Assistant {
        content: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reasoning_content: Option<&'a str>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        tool_calls: Vec<ToolCall<'a>>,
    },
    Tool {
        tool_call_id: &'a str,
        name: &'a str,
        content: &'a str,
        /// 0 when tool outputs are trained off; absent otherwise.
        #[serde(skip_serializing_if = "Option::is_none")]
        weight: Option<u8>,
    },
}

/// A call as chat templates read it.
#[derive(Clone, Debug, Serialize)]
pub struct ToolCall<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    function: Function<'a>,
}

#[derive(Clone, Debug, Serialize)]
struct Function<'a> {
    name: &'a str,
    arguments: &'a Value,
}

/// One exported row.
pub fn row(chat: &Chat) -> Row<'_> {
    Row {
        id: chat.id.as_deref(),
        messages: chat.turns.iter().map(message).collect(),
        tools: chat.tools_json(),
    }
}

/// One turn as a chat-template message.
pub fn message(turn: &Turn) -> Message<'_> {
    match turn {
        Turn::System(text) => Message::System { content: text },
        Turn::User(text) => Message::User { content: text },
        Turn::Assistant(a) => assistant(a),
        Turn::Tool(t) => tool(t),
    }
}

fn assistant(a: &AssistantTurn) -> Message<'_> {
    Message::Assistant {
        content: &a.content,
        reasoning_content: a.reasoning.as_deref(),
        tool_calls: a.calls.iter().map(call).collect(),
    }
}

fn call(c: &Call) -> ToolCall<'_> {
    ToolCall {
        id: &c.id,
        kind: "function",
        function: Function {
            name: &c.name,
            arguments: &c.arguments,
        },
    }
}

fn tool(t: &ToolResult) -> Message<'_> {
    Message::Tool {
        tool_call_id: &t.call_id,
        name: &t.name,
        content: &t.content,
        weight: (!t.train).then_some(0),
    }
}
