//! Hermes tagged text, shared by the ShareGPT and tutorial writers: an assistant turn as
//! `<think>…</think>`, answer and `<tool_call>` blocks; tool results as `<tool_response>` blocks
//! of `{"tool_call_id", "name", "content"}`. A tag inside that JSON (arguments or an output that
//! quote the format) is escaped (`\u003c`), so templates and regexes find only the real tags.

use serde_json::{json, Value};

use super::chat::{AssistantTurn, ToolResult};
use super::tokens::escape_tags_in_json;

/// An assistant turn as Hermes text (reasoning is already inline in `content` when kept).
pub fn assistant_text(a: &AssistantTurn) -> String {
    let mut out = a.content.clone();
    for c in &a.calls {
        if !out.is_empty() {
            out.push('\n');
        }
        let call = json!({"name": c.name, "arguments": c.arguments});
        out.push_str("<tool_call>\n");
        out.push_str(&escape_tags_in_json(call.to_string(), &[]));
        out.push_str("\n</tool_call>");
    }
    out
}

/// Consecutive tool results as one Hermes tool message.
pub fn tool_text(results: &[&ToolResult]) -> String {
    results
        .iter()
        .map(|r| {
            let content = r
                .json
                .clone()
                .unwrap_or_else(|| Value::String(r.content.clone()));
            let block = json!({"tool_call_id": r.call_id, "name": r.name, "content": content});
            let block = escape_tags_in_json(block.to_string(), &[]);
            format!("<tool_response>\n{block}\n</tool_response>")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
