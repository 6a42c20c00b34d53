//! Hermes tagged text, shared by the ShareGPT and tutorial writers: an assistant turn as
//! `<think>…</think>`, answer and `<tool_call>` blocks; tool results as `<tool_response>` blocks
//! of `{"tool_call_id", "name", "content"}`. A tag inside that JSON (arguments or an output that
//! quote the format) is escaped (`\u003c`), so templates and regexes find only the real tags.

use serde_json::json;
use std::borrow::Cow;

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
            let block = escape_tags_in_json(response_block(r), &[]);
            format!("<tool_response>\n{block}\n</tool_response>")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `{"tool_call_id", "name", "content"}` as compact JSON, the content embedded as JSON when it
/// is JSON (written from its compact text: no `Value` for a whole output).
fn response_block(r: &ToolResult) -> String {
    // Printing a string cannot fail.
    let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let content: Cow<str> = if r.json {
        Cow::Borrowed(&r.content)
    } else {
        Cow::Owned(text(&r.content))
    };
    format!(
        "{{\"tool_call_id\":{},\"name\":{},\"content\":{content}}}",
        text(&r.call_id),
        text(&r.name)
    )
}
