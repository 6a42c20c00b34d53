//! Tool messages: every `<tool_response>` block (not just the first), read JSON-aware, with the
//! content kept as JSON or text; and the pairing of responses with the calls they answer.

use serde_json::Value;

use super::compact;
use super::failure::Classified;
use super::failure::{classify, classify_text};
use super::flags::Flags;
use super::json_prefix::parse_prefix;
use super::model::{
    push_text, BlockKeys, Content, ContentAt, ContentText, Message, Role, Segment, Span,
    ToolResponse,
};
use super::payloads;
use super::tags::{block_end, find, RESPONSE_CLOSE, RESPONSE_OPEN};
use super::walk::{walk_prefix, walk_whole, Kind, WalkError};

/// Splits a tool message into response segments. A message without any `<tool_response>` tag is
/// one response whose content is the whole text (JSON when it parses).
pub fn scan_tool(text: &str) -> Vec<Segment> {
    scan_with(text, scan_block, bare_response)
}

/// `scan_tool` reading every payload as a `Value` (the reference the walk is tested against).
#[cfg(test)]
pub(super) fn scan_tool_value(text: &str) -> Vec<Segment> {
    scan_with(text, scan_block_value, bare_response_value)
}

/// `bare_response` reading the message as a `Value` (the reference).
#[cfg(test)]
pub(super) fn bare_response_value(text: &str, span: Span) -> ToolResponse {
    let content = bare_content(text);
    ToolResponse {
        span,
        payload: span,
        call_id: None,
        name: None,
        failure: super::failure::classify_value(&content),
        content: ContentAt::Built(content),
        flags: Flags::empty(),
        call: None,
        block_keys: None,
    }
}

/// A scanner of one `<tool_response>` block at the given offset: pushes its segment, returns
/// where the block ends.
type BlockScanner = fn(&mut Vec<Segment>, &str, usize) -> usize;

fn scan_with(
    text: &str,
    scan_block: BlockScanner,
    bare_response: fn(&str, Span) -> ToolResponse,
) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(at) = find(text, pos, RESPONSE_OPEN) {
        push_text(&mut out, text, pos, at);
        pos = scan_block(&mut out, text, at);
    }
    if out.is_empty() {
        let span = Span::new(0, text.len());
        out.push(Segment::ToolResponse(bare_response(text, span)));
        return out;
    }
    push_text(&mut out, text, pos, text.len());
    out
}

/// Reads a `<tool_response>` block at `at`: its payload is walked, not built (`payloads::Response`).
fn scan_block(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let body = at + RESPONSE_OPEN.len();
    match walk_prefix::<payloads::Response>(&text[body..]) {
        Ok((resp, len)) => {
            let after = body + len;
            if let Some((end, flags)) =
                block_end(text, after, RESPONSE_CLOSE, Flags::UNCLOSED_RESPONSE)
            {
                let payload = trim(text, body, after);
                out.push(Segment::ToolResponse(response_from_walk(
                    resp,
                    Span::new(at, end),
                    payload,
                    flags,
                )));
                return end;
            }
        }
        Err(WalkError::Fallback) => return scan_block_value(out, text, at),
        Err(WalkError::Invalid(..)) => {}
    }
    text_block(out, text, at)
}

/// `scan_block` with the payload read as a `Value` (for payloads a walk hands over, and the
/// reference the walk is tested against).
fn scan_block_value(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let body = at + RESPONSE_OPEN.len();
    if let Ok((value, len)) = parse_prefix(&text[body..]) {
        let after = body + len;
        if let Some((end, flags)) = block_end(text, after, RESPONSE_CLOSE, Flags::UNCLOSED_RESPONSE)
        {
            let payload = trim(text, body, after);
            out.push(Segment::ToolResponse(response_from_value(
                value,
                Span::new(at, end),
                payload,
                flags,
            )));
            return end;
        }
    }
    text_block(out, text, at)
}

/// A block whose payload is not one JSON value followed by `</tool_response>`: text up to the
/// first closing tag (or the end of the message).
fn text_block(out: &mut Vec<Segment>, text: &str, at: usize) -> usize {
    let body = at + RESPONSE_OPEN.len();
    let (payload_end, end, flags) = match find(text, body, RESPONSE_CLOSE) {
        Some(i) => (i, i + RESPONSE_CLOSE.len(), Flags::RESPONSE_NOT_JSON),
        None => (
            text.len(),
            text.len(),
            Flags::RESPONSE_NOT_JSON | Flags::UNCLOSED_RESPONSE,
        ),
    };
    let payload = trim(text, body, payload_end);
    out.push(Segment::ToolResponse(ToolResponse {
        span: Span::new(at, end),
        payload,
        call_id: None,
        name: None,
        failure: classify_text(&text[payload.start..payload.end]),
        content: ContentAt::Text,
        flags,
        call: None,
        block_keys: None,
    }));
    end
}

fn trim(text: &str, start: usize, end: usize) -> Span {
    let piece = &text[start..end];
    let s = start + (piece.len() - piece.trim_start().len());
    Span::new(s, s + piece.trim().len())
}

/// A response block `{"tool_call_id", "name", "content"}`; any other JSON is the content itself.
pub fn response_from_value(value: Value, span: Span, payload: Span, flags: Flags) -> ToolResponse {
    let (call_id, name, content) = match value {
        Value::Object(mut obj)
            if payloads::names_its_call(
                obj.contains_key("content"),
                obj.contains_key("name"),
                obj.contains_key("tool_call_id"),
            ) =>
        {
            let call_id = obj.remove("tool_call_id").and_then(into_string);
            let name = obj.remove("name").and_then(into_string);
            let content = obj.remove("content").unwrap_or(Value::Null);
            (call_id, name, content)
        }
        other => (None, None, other),
    };
    let content = Content::Json(content);
    ToolResponse {
        span,
        payload,
        call_id,
        name,
        failure: classify(&content),
        content: ContentAt::Built(content),
        flags,
        call: None,
        block_keys: None,
    }
}

/// A walked response block: what `response_from_value` gives for the same payload, the content
/// left in the message.
fn response_from_walk(
    resp: payloads::Response,
    span: Span,
    payload: Span,
    flags: Flags,
) -> ToolResponse {
    let (call_id, name, failure, block_keys) = match resp {
        payloads::Response::Block {
            call_id,
            name,
            content,
            error_key,
        } => {
            let keys = BlockKeys {
                error: error_key,
                string_name: matches!(name, Some(Value::String(_))),
            };
            (
                call_id.and_then(into_string),
                name.and_then(into_string),
                content.failure,
                Some(keys),
            )
        }
        payloads::Response::Whole(c) => (None, None, c.failure, None),
    };
    ToolResponse {
        span,
        payload,
        call_id,
        name,
        failure,
        content: ContentAt::Block,
        flags,
        call: None,
        block_keys,
    }
}

/// A tool message written without tags (OpenAI `tool` messages, LLaMA-Factory `observation`).
pub fn bare_response(text: &str, span: Span) -> ToolResponse {
    let (content, failure) = match walk_whole::<Classified>(text.trim()) {
        Ok(Some(c)) if matches!(c.kind, Kind::Object | Kind::Array) => (ContentAt::Bare, c.failure),
        Ok(_) => (ContentAt::Text, classify_text(text)),
        Err(()) => {
            let content = bare_content(text);
            (ContentAt::Built(content.clone()), classify(&content))
        }
    };
    ToolResponse {
        span,
        payload: span,
        call_id: None,
        name: None,
        failure,
        content,
        flags: Flags::empty(),
        call: None,
        block_keys: None,
    }
}

/// A bare tool message's content: JSON when it is an object or a list, else its text.
fn bare_content(text: &str) -> Content {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => Content::Json(v),
        _ => Content::Text(text.to_owned()),
    }
}

fn into_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Pairs every tool response with the call it answers: a call of the latest assistant message, by
/// `tool_call_id` where both sides carry ids, else by order. The responses may come in one tool
/// message (Hermes) or one message each (OpenAI). Flags calls and responses left without a partner.
pub fn pair_calls(messages: &mut [Message]) {
    let mut pending: Vec<(usize, usize, Option<String>)> = Vec::new(); // (message, call index, id)
    let mut used: Vec<bool> = Vec::new();
    for mi in 0..messages.len() {
        match messages[mi].role {
            Role::Assistant => {
                flag_unanswered(messages, &pending, &used);
                pending.clear();
                used.clear();
                for (ci, call) in messages[mi].calls().enumerate() {
                    pending.push((mi, ci, call.id.clone()));
                    used.push(false);
                }
            }
            Role::Tool => {
                for seg in messages[mi].segments.iter_mut() {
                    let Segment::ToolResponse(resp) = seg else {
                        continue;
                    };
                    let by_id = resp.call_id.as_ref().and_then(|id| {
                        (0..pending.len())
                            .find(|&i| !used[i] && pending[i].2.as_deref() == Some(id.as_str()))
                    });
                    match by_id.or_else(|| used.iter().position(|u| !u)) {
                        Some(i) => {
                            used[i] = true;
                            resp.call = Some((pending[i].0, pending[i].1));
                        }
                        None => resp.flags |= Flags::UNMATCHED_RESPONSE,
                    }
                }
            }
            Role::System | Role::User => {}
        }
    }
    flag_unanswered(messages, &pending, &used);
}

fn flag_unanswered(
    messages: &mut [Message],
    pending: &[(usize, usize, Option<String>)],
    used: &[bool],
) {
    for ((mi, ci, _), used) in pending.iter().zip(used) {
        if *used {
            continue;
        }
        let call = messages[*mi]
            .segments
            .iter_mut()
            .filter_map(|s| match s {
                Segment::ToolCall(c) => Some(c),
                _ => None,
            })
            .nth(*ci);
        if let Some(call) = call {
            call.flags |= Flags::UNMATCHED_CALL;
        }
    }
}

impl Message {
    /// What `resp`, one of this message's responses, returned. Built from the message's text on
    /// each call.
    pub fn content(&self, resp: &ToolResponse) -> Content {
        resp.content_in(&self.text)
    }

    /// `content` as text (`ContentText::from` it), read from the text without building a
    /// `Value` wherever the text allows.
    pub fn content_text(&self, resp: &ToolResponse) -> ContentText {
        resp.content_text_in(&self.text)
    }
}

impl ToolResponse {
    /// The content, for a response of a message whose text is `text`: `Message::content`.
    pub(crate) fn content_in(&self, text: &str) -> Content {
        let text = text.get(self.payload.start..self.payload.end).unwrap_or("");
        let json = |t: &str| serde_json::from_str::<Value>(t).ok();
        match &self.content {
            ContentAt::Built(c) => c.clone(),
            ContentAt::Text => Content::Text(text.to_owned()),
            ContentAt::Block => match json(text) {
                Some(v) => response_from_value(v, self.span, self.payload, self.flags)
                    .content
                    .into_content(text),
                None => Content::Text(text.to_owned()),
            },
            ContentAt::Bare => match json(text.trim()) {
                Some(v @ (Value::Object(_) | Value::Array(_))) => Content::Json(v),
                _ => Content::Text(text.to_owned()),
            },
        }
    }

    /// `content_in` as text: `Message::content_text`.
    pub(crate) fn content_text_in(&self, text: &str) -> ContentText {
        let payload = text.get(self.payload.start..self.payload.end).unwrap_or("");
        let streamed = match &self.content {
            ContentAt::Built(_) => None,
            ContentAt::Text => Some(ContentText::Text(payload.to_owned())),
            ContentAt::Block => block_content_text(payload),
            ContentAt::Bare => bare_content_text(payload),
        };
        streamed.unwrap_or_else(|| self.content_in(text).into())
    }
}

/// A block's content as `response_from_value` finds it (the `content` member of a block that
/// names its call, else the whole payload), as text; `None` where only a `Value` can tell.
fn block_content_text(payload: &str) -> Option<ContentText> {
    let members = compact::members(payload);
    let has = |key: &str| members.iter().flatten().any(|(k, _)| k == key);
    let content = if payloads::names_its_call(has("content"), has("name"), has("tool_call_id")) {
        members
            .iter()
            .flatten()
            .rev()
            .find(|(k, _)| k == "content")
            .map(|(_, v)| *v)?
    } else {
        payload
    };
    json_text(content)
}

/// A bare tool message's content: JSON when it is an object or a list, else the text.
fn bare_content_text(payload: &str) -> Option<ContentText> {
    match payload.trim().as_bytes().first() {
        Some(b'{' | b'[') => compact::compact(payload.trim()).map(ContentText::Json),
        _ => Some(ContentText::Text(payload.to_owned())),
    }
}

/// One JSON value as text: a string unescaped, anything else compact.
fn json_text(raw: &str) -> Option<ContentText> {
    if raw.trim_start().starts_with('"') {
        serde_json::from_str::<String>(raw)
            .ok()
            .map(ContentText::Text)
    } else {
        compact::compact(raw).map(ContentText::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn responses(segs: &[Segment]) -> Vec<&ToolResponse> {
        segs.iter()
            .filter_map(|s| match s {
                Segment::ToolResponse(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_block_is_read() {
        let t = "<tool_response>\n{\"tool_call_id\": \"functions.search_files:0\", \"name\": \"search_files\", \"content\": {\"total_count\": 0}}\n</tool_response>\n<tool_response>\n{\"tool_call_id\": \"functions.search_files:1\", \"name\": \"search_files\", \"content\": \"a </tool_response> inside\"}\n</tool_response>";
        let segs = scan_tool(t);
        let r = responses(&segs);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].call_id.as_deref(), Some("functions.search_files:0"));
        assert_eq!(r[0].content_in(t), Content::Json(json!({"total_count": 0})));
        assert_eq!(
            r[1].content_in(t),
            Content::Json(json!("a </tool_response> inside"))
        );
        assert_eq!(r[1].span.end, t.len());
    }

    #[test]
    fn non_json_block_is_text() {
        let t = "<tool_response>\nnot json at all\n</tool_response>";
        let r = scan_tool(t);
        let r = responses(&r);
        assert_eq!(r[0].content_in(t), Content::Text("not json at all".into()));
        assert!(r[0].flags.contains(Flags::RESPONSE_NOT_JSON));
    }

    #[test]
    fn bare_tool_message() {
        let segs = scan_tool("{\"output\": \"ok\", \"exit_code\": 0, \"error\": null}");
        let r = responses(&segs);
        assert_eq!(r.len(), 1);
        assert!(!r[0].failure.strict);
        let segs = scan_tool("Error executing tool 'x': boom");
        assert!(responses(&segs)[0].failure.strict);
    }
}
