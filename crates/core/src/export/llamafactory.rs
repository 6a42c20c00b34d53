//! LLaMA-Factory's ShareGPT variant: `conversations` in strict alternation — human or observation
//! at even positions, gpt or function_call at odd ones, ending with the model — with `system` and
//! `tools` columns. Rows that cannot alternate are dropped.
//!
//! Written the way LLaMA-Factory 0.9.5 reads it (its ShareGPT converter, its template's
//! `FunctionFormatter`, its supervised processor), for the chosen template family (`LfTemplate`):
//! - reasoning, in `gpt` and `function_call` turns alike, is wrapped in exactly the family's
//!   `thought_words` (`<think>\n` … `\n</think>\n\n` for `qwen3`), where its reasoning
//!   templates find it (and add an empty block only to turns that have none);
//! - a `function_call` value is the reasoning, the text the assistant wrote beside its calls, then
//!   the calls in one block of the family's `tool_call_words`: `<tool_call>{json}</tool_call>`,
//!   the JSON an object for one call and a list for parallel calls. LLaMA-Factory parses the
//!   JSON inside the block and keeps everything around it as written, so the text beside calls is
//!   trained on. A `<` inside the JSON is escaped (`\u003c`) when the JSON holds a tag or the
//!   family's call words, so a call about this very format cannot close the block early;
//! - a turn whose reasoning or text holds the opening call word cannot be read back (LLaMA-Factory
//!   would take the call from there): the row is dropped as `call_tag_in_text`;
//! - the results of parallel calls are one `observation`, joined as LLaMA-Factory's own converter
//!   joins a run of tool messages (`\n</tool_response>\n<tool_response>\n`), so a Qwen-style
//!   template shows one `<tool_response>` block per result.

use serde_json::{json, Map, Value};

use super::chat::{AssistantTurn, Block, Chat};
use super::options::LfTemplate;
use super::tokens::escape_tags_in_json;
use super::SkipReason;

/// How LLaMA-Factory's OpenAI converter joins consecutive tool messages into one observation.
pub const OBSERVATION_JOIN: &str = "\n</tool_response>\n<tool_response>\n";

/// One exported row, or why the row cannot be written.
pub fn row(chat: &Chat, template: LfTemplate) -> Result<Value, SkipReason> {
    let mut system = Vec::new();
    let mut turns: Vec<Value> = Vec::new();
    for b in chat.blocks() {
        let (from, value) = match b {
            Block::System(s) => {
                system.push(s);
                continue;
            }
            Block::User(s) => ("human", s.to_owned()),
            Block::Assistant(a) if a.calls.is_empty() => ("gpt", with_thought(a, template)),
            Block::Assistant(a) => ("function_call", call_value(a, template)?),
            Block::Tools(rs) => {
                let contents: Vec<&str> = rs.iter().map(|r| r.content.as_str()).collect();
                ("observation", contents.join(OBSERVATION_JOIN))
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
    row.insert("tools".into(), chat.tools_json().as_ref().into());
    Ok(Value::Object(row))
}

/// The reasoning in the family's thought words (when kept), then the answer.
fn with_thought(a: &AssistantTurn, template: LfTemplate) -> String {
    let (open, close) = template.thought_words();
    match &a.thought {
        Some(t) => format!("{open}{t}{close}{}", a.answer),
        None => a.answer.clone(),
    }
}

/// A calling turn: reasoning, text, then `<tool_call>` + the call (or the list) + `</tool_call>`.
fn call_value(a: &AssistantTurn, template: LfTemplate) -> Result<String, SkipReason> {
    let (open, close) = template.tool_call_words();
    let before = with_thought(a, template);
    if before.contains(open) {
        return Err(SkipReason::CallTagInText);
    }
    let calls: Vec<Value> = a
        .calls
        .iter()
        .map(|c| json!({"name": c.name, "arguments": c.arguments}))
        .collect();
    let calls = match calls.as_slice() {
        [one] => one.to_string(),
        _ => Value::Array(calls).to_string(),
    };
    let calls = escape_tags_in_json(calls, &[open, close]);
    let sep = if a.answer.is_empty() { "" } else { "\n" };
    Ok(format!("{before}{sep}{open}{calls}{close}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::chat::Call;

    fn turn(thought: Option<&str>, answer: &str, calls: &[(&str, Value)]) -> AssistantTurn {
        AssistantTurn {
            reasoning: None,
            content: String::new(),
            thought: thought.map(str::to_owned),
            answer: answer.to_owned(),
            calls: calls
                .iter()
                .enumerate()
                .map(|(i, (name, args))| Call {
                    id: format!("c{i}"),
                    name: (*name).to_owned(),
                    arguments: args.clone(),
                })
                .collect(),
            train: true,
        }
    }

    #[test]
    fn reasoning_in_the_template_s_thought_words() {
        let a = turn(
            Some("plan"),
            "Let me look.",
            &[("ls", json!({"path": "."}))],
        );
        assert_eq!(
            call_value(&a, LfTemplate::Qwen3).unwrap(),
            "<think>\nplan\n</think>\n\nLet me look.\n<tool_call>{\"name\":\"ls\",\"arguments\":{\"path\":\".\"}}</tool_call>"
        );
        assert_eq!(
            call_value(&a, LfTemplate::Glm4_7).unwrap(),
            "<think>plan</think>Let me look.\n<tool_call>{\"name\":\"ls\",\"arguments\":{\"path\":\".\"}}</tool_call>"
        );
        assert!(call_value(&a, LfTemplate::Lfm2).unwrap().ends_with(
            "<|tool_call_start|>{\"name\":\"ls\",\"arguments\":{\"path\":\".\"}}<|tool_call_end|>"
        ));
        let gpt = turn(Some(""), "done", &[]);
        // An empty block is exactly the one LLaMA-Factory adds to turns without reasoning.
        assert_eq!(
            with_thought(&gpt, LfTemplate::Qwen3),
            "<think>\n\n</think>\n\ndone"
        );
        assert_eq!(
            with_thought(&turn(None, "done", &[]), LfTemplate::Qwen3),
            "done"
        );
    }

    #[test]
    fn parallel_calls_are_one_list_and_the_closing_word_is_escaped() {
        let a = turn(
            None,
            "",
            &[
                ("write_file", json!({"content": "</tool_call> <b>"})),
                ("ls", json!({})),
            ],
        );
        let v = call_value(&a, LfTemplate::Qwen3).unwrap();
        assert!(v.starts_with("<tool_call>["), "{v}");
        assert!(v.ends_with("]</tool_call>"), "{v}");
        assert_eq!(v.matches("</tool_call>").count(), 1, "{v}");
        let inner = &v["<tool_call>".len()..v.len() - "</tool_call>".len()];
        let calls: Value = serde_json::from_str(inner).unwrap();
        assert_eq!(calls[0]["arguments"]["content"], "</tool_call> <b>");
        assert_eq!(calls[1]["name"], "ls");
    }

    #[test]
    fn a_call_tag_in_the_text_cannot_be_read_back() {
        let a = turn(
            Some("I will emit <tool_call> now"),
            "",
            &[("ls", json!({}))],
        );
        assert_eq!(
            call_value(&a, LfTemplate::Qwen3),
            Err(SkipReason::CallTagInText)
        );
        // Another family's call words are plain text there.
        assert!(call_value(&a, LfTemplate::Lfm2).is_ok());
    }
}
