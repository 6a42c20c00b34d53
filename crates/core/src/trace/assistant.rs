//! The assistant-text scanner: one pass over a message, JSON-aware. Reasoning blocks are opaque
//! (tags quoted inside reasoning are reasoning), and a `<tool_call>` ends at the `</tool_call>` that
//! follows a complete JSON value, so tags inside argument strings never cut a call.

use serde_json::{Map, Value};

use super::flags::Flags;
use super::json_prefix::{parse_prefix, python_literal_to_json};
use super::model::{push_text, Args, Message, Reasoning, Segment, Span, ToolCall};
use super::payloads;
use super::tags::{block_end, find, CALL_CLOSE, CALL_OPEN, THINK_CLOSE, THINK_OPEN};
use super::walk::{walk_prefix, WalkError};

/// Splits an assistant message into segments.
pub fn scan_assistant(text: &str) -> Vec<Segment> {
    scan_with(text, scan_call)
}

/// `scan_assistant` reading every payload as a `Value` (the reference the walk is tested against).
#[cfg(test)]
pub(super) fn scan_assistant_value(text: &str) -> Vec<Segment> {
    scan_with(text, scan_call_value)
}

/// A scanner of one `<tool_call>` block at the given offset: pushes its segment, returns where
/// the block ends.
type CallScanner = fn(&mut Vec<Segment>, &str, usize) -> usize;

fn scan_with(text: &str, scan_call: CallScanner) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut pos = 0;

    // `</think>` before any `<think>`: a template put the opening tag in the prompt.
    if let Some(close) = find(text, 0, THINK_CLOSE) {
        if find(&text[..close], 0, THINK_OPEN).is_none()
            && find(&text[..close], 0, CALL_OPEN).is_none()
        {
            out.push(Segment::Reasoning(Reasoning {
                span: Span::new(0, close + THINK_CLOSE.len()),
                inner: Span::new(0, close),
                flags: Flags::ORPHAN_THINK_CLOSE,
            }));
            pos = close + THINK_CLOSE.len();
        }
    }

    while pos < text.len() {
        let Some((tag_at, tag)) = next_tag(text, pos) else {
            push_text(&mut out, text, pos, text.len());
            break;
        };
        push_text(&mut out, text, pos, tag_at);
        pos = match tag {
            Tag::ThinkOpen => scan_think(&mut out, text, tag_at),
            Tag::CallOpen => scan_call(&mut out, text, tag_at),
        };
    }
    out
}

#[derive(Clone, Copy)]
enum Tag {
    ThinkOpen,
    CallOpen,
}

/// The first `<think>` or `<tool_call>` at or after `from`: one forward pass over the `<`s (two
/// separate searches would each rescan the rest of the message for every call in it).
fn next_tag(text: &str, from: usize) -> Option<(usize, Tag)> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', &bytes[from..]).find_map(|i| {
        let rest = &bytes[from + i..];
        if rest.starts_with(THINK_OPEN.as_bytes()) {
            Some((from + i, Tag::ThinkOpen))
        } else if rest.starts_with(CALL_OPEN.as_bytes()) {
            Some((from + i, Tag::CallOpen))
        } else {
            None
        }
    })
}

fn scan_think(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let inner_start = at + THINK_OPEN.len();
    match find(text, inner_start, THINK_CLOSE) {
        Some(inner_end) => {
            let end = inner_end + THINK_CLOSE.len();
            out.push(Segment::Reasoning(Reasoning {
                span: Span::new(at, end),
                inner: Span::new(inner_start, inner_end),
                flags: Flags::empty(),
            }));
            end
        }
        None => {
            out.push(Segment::Reasoning(Reasoning {
                span: Span::new(at, text.len()),
                inner: Span::new(inner_start, text.len()),
                flags: Flags::UNCLOSED_THINK,
            }));
            text.len()
        }
    }
}

/// Reads a `<tool_call>` block at `at`: its payload is walked, not built (`payloads::Call`).
fn scan_call(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let body = at + CALL_OPEN.len();
    // The well-formed case: a JSON value, optional whitespace, then the closing tag.
    let error = match walk_prefix::<payloads::Call>(&text[body..]) {
        Ok((call, len)) => {
            let after = body + len;
            let payload = trimmed_span(text, body, after);
            if let Some((end, flags)) = block_end(text, after, CALL_CLOSE, Flags::UNCLOSED_CALL) {
                out.push(Segment::ToolCall(call_from_walk(
                    call,
                    Span::new(at, end),
                    payload,
                    flags,
                )));
                return end;
            }
            format!("unexpected text after the JSON value, before </tool_call> (byte {after} of the message)")
        }
        Err(WalkError::Invalid(msg, off)) => format!("{msg} (byte {} of the message)", body + off),
        Err(WalkError::Fallback) => return scan_call_value(out, text, at),
    };
    malformed_call(out, text, at, error)
}

/// `scan_call` with the payload read as a `Value` (for payloads a walk hands over, and the
/// reference the walk is tested against).
fn scan_call_value(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let body = at + CALL_OPEN.len();
    // The well-formed case: a JSON value, optional whitespace, then the closing tag.
    let error = match parse_prefix(&text[body..]) {
        Ok((value, len)) => {
            let after = body + len;
            let payload = trimmed_span(text, body, after);
            if let Some((end, flags)) = block_end(text, after, CALL_CLOSE, Flags::UNCLOSED_CALL) {
                out.push(Segment::ToolCall(call_from_value(
                    value,
                    Span::new(at, end),
                    payload,
                    flags,
                )));
                return end;
            }
            format!("unexpected text after the JSON value, before </tool_call> (byte {after} of the message)")
        }
        Err((msg, off)) => format!("{msg} (byte {} of the message)", body + off),
    };
    malformed_call(out, text, at, error)
}

/// A call whose payload is not one JSON value followed by `</tool_call>`: it runs to the first
/// closing tag (or the end of the text), recovered when it is a Python dict.
fn malformed_call(out: &mut Vec<Segment>, text: &str, at: usize, error: String) -> usize {
    let body = at + CALL_OPEN.len();
    let (payload_end, end, mut flags) = match find(text, body, CALL_CLOSE) {
        Some(i) => (i, i + CALL_CLOSE.len(), Flags::empty()),
        None => (text.len(), text.len(), Flags::UNCLOSED_CALL),
    };
    let payload = trimmed_span(text, body, payload_end);
    let raw = &text[payload.start..payload.end];
    if let Some(value) =
        python_literal_to_json(raw).and_then(|j| serde_json::from_str::<Value>(&j).ok())
    {
        flags |= Flags::PYTHON_DICT;
        out.push(Segment::ToolCall(call_from_value(
            value,
            Span::new(at, end),
            payload,
            flags,
        )));
        return end;
    }
    out.push(Segment::ToolCall(ToolCall {
        span: Span::new(at, end),
        payload,
        name: String::new(),
        id: None,
        flags: flags | Flags::MALFORMED_CALL,
        error: Some(error),
        args: Args::Built(None),
    }));
    end
}

fn trimmed_span(text: &str, start: usize, end: usize) -> Span {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let s = start + lead;
    Span::new(s, s + piece.trim().len())
}

/// Builds a call from a parsed payload `{"name": ..., "arguments": ...}` (also accepting
/// `parameters` for `arguments` and OpenAI's `{"function": {...}}` wrapper).
pub fn call_from_value(value: Value, span: Span, payload: Span, mut flags: Flags) -> ToolCall {
    let Value::Object(mut obj) = value else {
        return ToolCall {
            span,
            payload,
            name: String::new(),
            id: None,
            flags: flags | Flags::MALFORMED_CALL,
            error: Some("the tool call is not a JSON object".into()),
            args: Args::Built(None),
        };
    };
    let id = obj.get("id").and_then(Value::as_str).map(str::to_owned);
    if let Some(Value::Object(f)) = obj.remove("function") {
        obj = f;
    }
    let name = match obj.remove("name") {
        Some(Value::String(s)) => s,
        _ => {
            return ToolCall {
                span,
                payload,
                name: String::new(),
                id,
                flags: flags | Flags::MALFORMED_CALL,
                error: Some("the tool call has no \"name\" string".into()),
                args: Args::Built(obj.remove("arguments")),
            }
        }
    };
    let arguments = match obj.remove("arguments").or_else(|| obj.remove("parameters")) {
        Some(Value::String(s)) => {
            flags |= Flags::ARGS_AS_STRING;
            match serde_json::from_str::<Value>(&s) {
                Ok(v) => v,
                Err(_) => Value::String(s),
            }
        }
        Some(v) => v,
        None => Value::Object(Default::default()),
    };
    if !arguments.is_object() {
        flags |= Flags::ARGS_NOT_OBJECT;
    }
    ToolCall {
        span,
        payload,
        name,
        id,
        flags,
        error: None,
        args: Args::Built(Some(arguments)),
    }
}

/// Builds a call from a walked payload: what `call_from_value` gives for the same payload, the
/// arguments left in the message (`Args::Payload`) unless they had to be parsed from a string.
fn call_from_walk(call: payloads::Call, span: Span, payload: Span, mut flags: Flags) -> ToolCall {
    let malformed = |id, error: &str, args| ToolCall {
        span,
        payload,
        name: String::new(),
        id,
        flags: flags | Flags::MALFORMED_CALL,
        error: Some(error.into()),
        args,
    };
    let payloads::Call::Object { id, function, own } = call else {
        return malformed(
            None,
            "the tool call is not a JSON object",
            Args::Built(None),
        );
    };
    let keys = function.unwrap_or(own);
    let Some(Some(name)) = keys.name else {
        return malformed(
            id,
            "the tool call has no \"name\" string",
            Args::Payload(None),
        );
    };
    let args = match keys.arguments.or(keys.parameters) {
        None => Args::Built(Some(Value::Object(Map::new()))),
        Some(payloads::Arg::Object(keys)) => Args::Payload(Some(keys)),
        Some(payloads::Arg::Other) => {
            flags |= Flags::ARGS_NOT_OBJECT;
            Args::Payload(None)
        }
        Some(payloads::Arg::String(s)) => {
            flags |= Flags::ARGS_AS_STRING;
            let v = serde_json::from_str::<Value>(&s).unwrap_or(Value::String(s));
            if !v.is_object() {
                flags |= Flags::ARGS_NOT_OBJECT;
            }
            Args::Built(Some(v))
        }
    };
    ToolCall {
        span,
        payload,
        name,
        id,
        flags,
        error: None,
        args,
    }
}

impl Message {
    /// The arguments of `call`, one of this message's calls (`None` when they could not be
    /// read). Built from the message's text on each call.
    pub fn arguments(&self, call: &ToolCall) -> Option<Value> {
        call.arguments_in(&self.text)
    }
}

impl ToolCall {
    /// The arguments, for a call of a message whose text is `text`: `Message::arguments`.
    pub(crate) fn arguments_in(&self, text: &str) -> Option<Value> {
        match &self.args {
            Args::Built(v) => v.clone(),
            Args::Payload(_) => {
                let payload = text.get(self.payload.start..self.payload.end)?;
                let v = serde_json::from_str::<Value>(payload).ok()?;
                call_from_value(v, self.span, self.payload, Flags::empty())
                    .args
                    .into_value()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(t: &str, c: &ToolCall) -> Option<Value> {
        c.arguments_in(t)
    }

    fn calls(segs: &[Segment]) -> Vec<&ToolCall> {
        segs.iter()
            .filter_map(|s| match s {
                Segment::ToolCall(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    fn reasoning<'a>(text: &'a str, segs: &[Segment]) -> Vec<&'a str> {
        segs.iter()
            .filter_map(|s| match s {
                Segment::Reasoning(r) => Some(&text[r.inner.start..r.inner.end]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn hermes_turn_with_parallel_calls() {
        let t = "<think>\nLet me look.\n</think>\nChecking both.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.py\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"command\": \"ls\"}}\n</tool_call>";
        let segs = scan_assistant(t);
        assert_eq!(reasoning(t, &segs), ["\nLet me look.\n"]);
        let c = calls(&segs);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "read_file");
        assert_eq!(args(t, c[0]), Some(json!({"path": "a.py"})));
        assert_eq!(c[1].name, "terminal");
        assert!(c.iter().all(|c| c.flags.is_empty()));
        assert!(matches!(segs[1], Segment::Text(s) if &t[s.start..s.end] == "Checking both."));
        assert_eq!(
            &t[c[1].span.end - CALL_CLOSE.len()..c[1].span.end],
            CALL_CLOSE
        );
    }

    #[test]
    fn closing_tag_inside_arguments_does_not_cut_the_call() {
        let t = "<think>\nw\n</think>\n<tool_call>\n{\"name\": \"write_file\", \"arguments\": {\"path\": \"x.md\", \"content\": \"a </tool_call> b <think> c\"}}\n</tool_call>";
        let segs = scan_assistant(t);
        let c = calls(&segs);
        assert_eq!(c.len(), 1);
        assert_eq!(
            args(t, c[0]).unwrap()["content"],
            "a </tool_call> b <think> c"
        );
        assert_eq!(c[0].span.end, t.len());
    }

    #[test]
    fn tags_quoted_in_reasoning_are_reasoning() {
        let t = "<think>\nI could emit <tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call> here.\n</think>\nDone.";
        let segs = scan_assistant(t);
        assert!(calls(&segs).is_empty());
        assert_eq!(reasoning(t, &segs).len(), 1);
    }

    #[test]
    fn empty_and_several_think_blocks() {
        let t = "<think>\n</think>\nA\n<think>second</think>";
        let segs = scan_assistant(t);
        assert_eq!(reasoning(t, &segs), ["\n", "second"]);
    }

    #[test]
    fn unclosed_think_takes_the_rest() {
        let t = "<think>\nstill thinking <tool_call>{\"name\":\"x\",\"arguments\":{}}</tool_call>";
        let segs = scan_assistant(t);
        assert_eq!(segs.len(), 1);
        assert!(segs[0].flags().contains(Flags::UNCLOSED_THINK));
        assert!(calls(&segs).is_empty());
    }

    #[test]
    fn orphan_close_makes_reasoning() {
        let t = "reasoning first\n</think>\nanswer";
        let segs = scan_assistant(t);
        assert_eq!(reasoning(t, &segs), ["reasoning first\n"]);
        assert!(segs[0].flags().contains(Flags::ORPHAN_THINK_CLOSE));
        assert!(matches!(segs[1], Segment::Text(s) if &t[s.start..s.end] == "answer"));
    }

    #[test]
    fn malformed_call_is_kept_raw_with_position() {
        let t = "<tool_call>\n{\"name\": \"terminal\", \"arguments\": {\"command\": \"ls\",}}\n</tool_call>\nafter";
        let segs = scan_assistant(t);
        let c = calls(&segs);
        assert_eq!(c.len(), 1);
        assert!(c[0].flags.contains(Flags::MALFORMED_CALL));
        assert!(
            c[0].error.as_deref().unwrap().contains("byte"),
            "{:?}",
            c[0].error
        );
        assert_eq!(
            &t[c[0].payload.start..c[0].payload.end],
            "{\"name\": \"terminal\", \"arguments\": {\"command\": \"ls\",}}"
        );
        assert!(matches!(segs.last(), Some(Segment::Text(s)) if &t[s.start..s.end] == "after"));
    }

    #[test]
    fn python_dict_is_recovered_and_flagged() {
        let t =
            "<tool_call>\n{'name': 'terminal', 'arguments': {'command': 'ls -la'}}\n</tool_call>";
        let c = scan_assistant(t);
        let c = calls(&c);
        assert_eq!(c[0].name, "terminal");
        assert!(c[0].flags.contains(Flags::PYTHON_DICT));
        assert!(!c[0].flags.contains(Flags::MALFORMED_CALL));
    }

    #[test]
    fn arguments_as_string_are_parsed() {
        let t = "<tool_call>\n{\"name\": \"terminal\", \"arguments\": \"{\\\"command\\\": \\\"ls\\\"}\"}\n</tool_call>";
        let segs = scan_assistant(t);
        let c = calls(&segs);
        assert_eq!(args(t, c[0]), Some(json!({"command": "ls"})));
        assert!(c[0].flags.contains(Flags::ARGS_AS_STRING));
    }

    #[test]
    fn unclosed_call_with_complete_json() {
        let t = "<tool_call>\n{\"name\": \"terminal\", \"arguments\": {}}";
        let segs = scan_assistant(t);
        let c = calls(&segs);
        assert_eq!(c[0].name, "terminal");
        assert!(c[0].flags.contains(Flags::UNCLOSED_CALL));
    }

    #[test]
    fn truncated_call_never_panics() {
        for t in [
            "<tool_call>",
            "<tool_call>\n{\"na",
            "<think>",
            "</think>",
            "<tool_call>{}</tool_call>",
            "é<think>ü</think>ö<tool_call>ß",
        ] {
            let _ = scan_assistant(t);
        }
    }
}
