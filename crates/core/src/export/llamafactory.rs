//! LLaMA-Factory's ShareGPT variant: `conversations` in strict alternation — human or observation
//! at even positions, gpt or function_call at odd ones, ending with the model — with `system` and
//! `tools` columns. Parallel calls are one `function_call` holding a JSON list and their results
//! one `observation`. A calling turn keeps its reasoning as a `<think>` block in front of the
//! JSON (LLaMA-Factory's function formatter reads it); its other free text cannot be written and
//! is left out. Rows that cannot alternate are dropped.

use serde_json::{json, Map, Value};

use super::chat::{AssistantTurn, Block, Chat};
use super::SkipReason;

/// One exported row, or why the row cannot alternate.
pub fn row(chat: &Chat) -> Result<Value, SkipReason> {
    let mut system = Vec::new();
    let mut turns: Vec<Value> = Vec::new();
    for b in chat.blocks() {
        let (from, value) = match b {
            Block::System(s) => {
                system.push(s);
                continue;
            }
            Block::User(s) => ("human", s.to_owned()),
            Block::Assistant(a) if a.calls.is_empty() => ("gpt", a.content.clone()),
            Block::Assistant(a) => ("function_call", call_value(a)),
            Block::Tools(rs) => {
                let contents: Vec<&str> = rs.iter().map(|r| r.content.as_str()).collect();
                let value = match contents.as_slice() {
                    [one] => (*one).to_owned(),
                    many => json!(many).to_string(),
                };
                ("observation", value)
            }
        };
        let model_turn = matches!(from, "gpt" | "function_call");
        if model_turn != (turns.len() % 2 == 1) {
            return Err(SkipReason::NotAlternating);
        }
        turns.push(json!({"from": from, "value": value}));
    }
    if turns.len() % 2 == 1 || turns.last().is_some_and(|t| t["from"] != "gpt") {
        return Err(SkipReason::NotAlternating);
    }
    let mut row = Map::new();
    if let Some(id) = &chat.id {
        row.insert("id".into(), id.clone().into());
    }
    row.insert("conversations".into(), Value::Array(turns));
    row.insert("system".into(), system.join("\n\n").into());
    row.insert("tools".into(), chat.tools_json().into());
    Ok(Value::Object(row))
}

/// A calling turn: `<think>` block (if the content starts with one), then the call or the list.
fn call_value(a: &AssistantTurn) -> String {
    let calls: Vec<Value> = a
        .calls
        .iter()
        .map(|c| json!({"name": c.name, "arguments": c.arguments}))
        .collect();
    let calls = match calls.as_slice() {
        [one] => one.to_string(),
        _ => Value::Array(calls).to_string(),
    };
    let think = a
        .content
        .strip_prefix("<think>")
        .and_then(|rest| rest.find("</think>").map(|end| &a.content[..end + 15]));
    match think {
        Some(t) => format!("{t}\n{calls}"),
        None => calls,
    }
}
