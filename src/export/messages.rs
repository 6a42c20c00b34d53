//! The `messages` SFT shape (OpenAI / TRL / Hugging Face chat templates): roles
//! system/user/assistant/tool; assistant `content`, `reasoning_content` and `tool_calls`
//! (`id`, `type: "function"`, `function: {name, arguments}` with arguments as a JSON object); one
//! `tool` message per response with `tool_call_id`, `name` and the raw result as `content`.

use serde_json::{json, Map, Value};

use super::SkipReason;
use crate::trace::{Content, Conversation, Role, Segment};

/// One exported row, or why the row cannot be exported.
pub fn to_messages(conv: &Conversation) -> Result<Value, SkipReason> {
    let ids = call_ids(conv);
    let mut out = Vec::with_capacity(conv.messages.len());
    for (mi, msg) in conv.messages.iter().enumerate() {
        match msg.role {
            Role::System | Role::User => {
                out.push(json!({"role": msg.role.as_str(), "content": msg.text}))
            }
            Role::Assistant => {
                let mut m = Map::new();
                m.insert("role".into(), "assistant".into());
                let content: Vec<&str> = msg.texts().collect();
                m.insert("content".into(), content.join("\n").into());
                let reasoning: Vec<&str> =
                    msg.reasoning().map(|r| msg.slice(r.inner).trim()).collect();
                if !reasoning.is_empty() {
                    m.insert("reasoning_content".into(), reasoning.join("\n\n").into());
                }
                let mut calls = Vec::new();
                for (ci, call) in msg.calls().enumerate() {
                    let Some(args) = &call.arguments else {
                        return Err(SkipReason::MalformedCall);
                    };
                    calls.push(json!({
                        "id": ids.get(&(mi, ci)).cloned().unwrap_or_default(),
                        "type": "function",
                        "function": {"name": call.name, "arguments": args},
                    }));
                }
                if !calls.is_empty() {
                    m.insert("tool_calls".into(), Value::Array(calls));
                }
                out.push(Value::Object(m));
            }
            Role::Tool => {
                for seg in &msg.segments {
                    let Segment::ToolResponse(r) = seg else {
                        continue;
                    };
                    let id = r
                        .call
                        .and_then(|k| ids.get(&k).cloned())
                        .or_else(|| r.call_id.clone())
                        .unwrap_or_default();
                    let name = r
                        .name
                        .clone()
                        .or_else(|| {
                            r.call
                                .and_then(|(m, c)| conv.messages[m].calls().nth(c))
                                .map(|c| c.name.clone())
                        })
                        .unwrap_or_default();
                    out.push(json!({"role": "tool", "tool_call_id": id, "name": name, "content": content_text(&r.content)}));
                }
            }
        }
    }
    let mut row = Map::new();
    if let Some(id) = &conv.id {
        row.insert("id".into(), id.clone().into());
    }
    row.insert("messages".into(), Value::Array(out));
    if !conv.tools.is_empty() {
        let tools: Vec<Value> = conv
            .tools
            .iter()
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
            .collect();
        row.insert(
            "tools".into(),
            Value::String(Value::Array(tools).to_string()),
        );
    }
    Ok(Value::Object(row))
}

/// The raw result as text: strings as they are, JSON as compact JSON.
pub fn content_text(c: &Content) -> String {
    match c {
        Content::Text(s) | Content::Json(Value::String(s)) => s.clone(),
        Content::Json(v) => v.to_string(),
    }
}

/// A stable id for every call: its own id, else the id of the response paired with it, else
/// `call_K` with K its index in the row.
fn call_ids(conv: &Conversation) -> std::collections::HashMap<(usize, usize), String> {
    let mut ids = std::collections::HashMap::new();
    for msg in conv.messages.iter().filter(|m| m.role == Role::Tool) {
        for r in msg.responses() {
            if let (Some(k), Some(id)) = (r.call, &r.call_id) {
                ids.insert(k, id.clone());
            }
        }
    }
    let mut k = 0;
    for (mi, msg) in conv.messages.iter().enumerate() {
        for (ci, call) in msg.calls().enumerate() {
            if let Some(id) = &call.id {
                ids.insert((mi, ci), id.clone());
            }
            ids.entry((mi, ci)).or_insert_with(|| format!("call_{k}"));
            k += 1;
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_row;

    #[test]
    fn hermes_row_to_messages() {
        let row = r#"{"id": "r1", "tools": "[{\"type\": \"function\", \"function\": {\"name\": \"terminal\", \"description\": \"run\", \"parameters\": {\"type\": \"object\"}}}]", "conversations": [
            {"from": "system", "value": "sys"},
            {"from": "human", "value": "hi"},
            {"from": "gpt", "value": "<think>\nplan\n</think>\nok\n<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"command\": \"ls\"}}\n</tool_call>"},
            {"from": "tool", "value": "<tool_response>\n{\"tool_call_id\": \"functions.terminal:0\", \"name\": \"terminal\", \"content\": {\"output\": \"a\", \"exit_code\": 0, \"error\": null}}\n</tool_response>"},
            {"from": "gpt", "value": "<think>\n</think>\ndone"}]}"#;
        let v = to_messages(&parse_row(row).unwrap()).unwrap();
        let m = v["messages"].as_array().unwrap();
        assert_eq!(m.len(), 5);
        assert_eq!(m[0], json!({"role": "system", "content": "sys"}));
        assert_eq!(m[2]["reasoning_content"], "plan");
        assert_eq!(m[2]["content"], "ok");
        assert_eq!(
            m[2]["tool_calls"][0],
            json!({"id": "functions.terminal:0", "type": "function", "function": {"name": "terminal", "arguments": {"command": "ls"}}})
        );
        assert_eq!(
            m[3],
            json!({"role": "tool", "tool_call_id": "functions.terminal:0", "name": "terminal", "content": "{\"output\":\"a\",\"exit_code\":0,\"error\":null}"})
        );
        assert_eq!(m[4]["content"], "done");
        assert!(m[4].get("tool_calls").is_none());
        assert!(v["tools"].as_str().unwrap().contains("\"terminal\""));
    }
}
