//! The seed tutorial's definitions, exactly (see FORMAT.md), so that tutorial-mode figures equal
//! the notebook's to the digit — including where its regexes are fooled. Implemented as the
//! regexes behave (DOTALL, lazy, Python's Unicode `\s`) over the raw message text:
//!
//! - think: `<think>(.*?)</think>`;
//! - call: `<tool_call>\s*(\{.*?\})\s*</tool_call>`, a call whose JSON does not parse is named
//!   `<malformed>`;
//! - response: `<tool_response>\s*(.*?)\s*</tool_response>`, the FIRST block of a tool message only;
//!   it is an error when `json.dumps` of it (or of `{"raw": text}` when it is not JSON),
//!   lower-cased, contains `error`, `"exit_code": 1` or `traceback`.

use serde_json::{Map, Value};

use std::cell::RefCell;

use memchr::memmem;

use super::pydump::{dumps, dumps_json_text, is_py_space, DumpError};
use crate::trace::assistant::{CALL_CLOSE, CALL_OPEN, THINK_CLOSE, THINK_OPEN};
use crate::trace::tool::{RESPONSE_CLOSE, RESPONSE_OPEN};

/// The name the notebook gives a call whose JSON does not parse.
pub use super::MALFORMED;

/// A match of a tutorial regex: the whole match and its group, as byte ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub group: (usize, usize),
}

/// `text[from..].find(needle)` as an absolute offset (memchr's SIMD search).
fn find_from(text: &str, from: usize, needle: &str) -> Option<usize> {
    memmem::find(&text.as_bytes()[from..], needle.as_bytes()).map(|i| from + i)
}

fn skip_space(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next().filter(|c| is_py_space(*c)) {
        at += c.len_utf8();
    }
    at
}

fn rstrip_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end_matches(is_py_space).len()
}

/// All `<think>(.*?)</think>` matches.
pub fn think_matches(text: &str) -> Vec<Match> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(start) = find_from(text, pos, THINK_OPEN) {
        let body = start + THINK_OPEN.len();
        let Some(close) = find_from(text, body, THINK_CLOSE) else {
            break;
        };
        let end = close + THINK_CLOSE.len();
        out.push(Match {
            start,
            end,
            group: (body, close),
        });
        pos = end;
    }
    out
}

/// All `<tool_call>\s*(\{.*?\})\s*</tool_call>` matches.
pub fn call_matches(text: &str) -> Vec<Match> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(start) = find_from(text, pos, CALL_OPEN) {
        match call_at(text, start) {
            Some(m) => {
                pos = m.end;
                out.push(m);
            }
            None => pos = start + 1,
        }
    }
    out
}

fn call_at(text: &str, start: usize) -> Option<Match> {
    let brace = skip_space(text, start + CALL_OPEN.len());
    if !text[brace..].starts_with('{') {
        return None;
    }
    // The lazy group ends at the first `}` followed by optional space and the closing tag, which
    // is the last non-space character before the first closing tag that has one.
    for c in memmem::find_iter(&text.as_bytes()[brace + 1..], CALL_CLOSE.as_bytes()) {
        let close = brace + 1 + c;
        let group_end = rstrip_end(text, brace + 1, close);
        if group_end > brace + 1 && text[..group_end].ends_with('}') {
            return Some(Match {
                start,
                end: close + CALL_CLOSE.len(),
                group: (brace, group_end),
            });
        }
    }
    None
}

/// The first `<tool_response>\s*(.*?)\s*</tool_response>` match.
pub fn first_response(text: &str) -> Option<Match> {
    let start = find_from(text, 0, RESPONSE_OPEN)?;
    let body = skip_space(text, start + RESPONSE_OPEN.len());
    let close = find_from(text, body, RESPONSE_CLOSE)?;
    Some(Match {
        start,
        end: close + RESPONSE_CLOSE.len(),
        group: (body, rstrip_end(text, body, close)),
    })
}

/// A call as the tutorial reads it: its name and the length of `json.dumps` of it (None when
/// the JSON does not parse).
pub fn read_call(group: &str) -> (String, Option<usize>) {
    match serde_json::from_str::<Value>(group) {
        Ok(v) => {
            let name = match v.get("name") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => dumps(other),
                None => MALFORMED.to_owned(),
            };
            (name, Some(dumps(&v).chars().count()))
        }
        Err(_) => (MALFORMED.to_owned(), None),
    }
}

/// A call's name as the tutorial reads it (`read_call` without the dump's length).
pub fn call_name(group: &str) -> String {
    match serde_json::from_str::<Value>(group) {
        Ok(v) => match v.get("name") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => dumps(other),
            None => MALFORMED.to_owned(),
        },
        Err(_) => MALFORMED.to_owned(),
    }
}

/// `json.dumps` of a response group as the tutorial parses it: the JSON itself, or
/// `{"raw": text}` when it is not JSON.
fn dump_response(group: &str, out: &mut String) {
    out.clear();
    match dumps_json_text(group, out) {
        Ok(()) => {}
        Err(DumpError::DuplicateKey) => {
            out.clear();
            out.push_str(&dumps(
                &serde_json::from_str::<Value>(group).unwrap_or(Value::Null),
            ));
        }
        Err(DumpError::Parse) => {
            out.clear();
            let mut raw = Map::new();
            raw.insert("raw".into(), Value::String(group.to_owned()));
            out.push_str(&dumps(&Value::Object(raw)));
        }
    }
}

/// The tutorial's error rule for a tool message (first response block only); `None` when the
/// message has no response block.
pub fn message_is_error(text: &str) -> Option<bool> {
    let m = first_response(text)?;
    Some(block_is_error(&text[m.group.0..m.group.1]))
}

/// The tutorial's error rule on one response block: `json.dumps` of the block (written while
/// serde_json reads it, into a reused buffer), lower-cased, searched for its three markers.
fn block_is_error(group: &str) -> bool {
    thread_local!(static DUMP: RefCell<String> = const { RefCell::new(String::new()) });
    DUMP.with(|buf| {
        let mut dump = buf.borrow_mut();
        dump_response(group, &mut dump);
        // Lower-cased in place, ASCII only, as `str::to_ascii_lowercase` does.
        dump.make_ascii_lowercase();
        let d = dump.as_bytes();
        let found = memmem::find(d, b"error").is_some()
            || memmem::find(d, b"\"exit_code\": 1").is_some()
            || memmem::find(d, b"traceback").is_some();
        if dump.capacity() > 16 << 20 {
            *dump = String::new(); // do not keep a huge buffer alive
        }
        found
    })
}

/// The tool named by a tool message's first response block (its `name` when that is a string,
/// else `<unknown>`) and whether the block is an error under the tutorial's rule.
pub fn first_response_name_error(text: &str) -> Option<(String, bool)> {
    let m = first_response(text)?;
    let group = &text[m.group.0..m.group.1];
    let name = match serde_json::from_str::<Value>(group) {
        Ok(Value::Object(o)) => match o.get("name") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let name = name.unwrap_or_else(|| super::UNKNOWN_TOOL.to_owned());
    Some((name, block_is_error(group)))
}

/// The answer text of an assistant message: what is left once think blocks, then call blocks,
/// are removed, stripped (`re.sub(call, "", re.sub(think, "", v)).strip()`).
pub fn answer_text(text: &str) -> String {
    let without_think = remove(text, &think_matches(text));
    let without_calls = remove(&without_think, &call_matches(&without_think));
    super::pydump::py_strip(&without_calls).to_owned()
}

fn remove(text: &str, matches: &[Match]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for m in matches {
        out.push_str(&text[pos..m.start]);
        pos = m.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups<'a>(text: &'a str, ms: &[Match]) -> Vec<&'a str> {
        ms.iter().map(|m| &text[m.group.0..m.group.1]).collect()
    }

    #[test]
    fn the_regex_is_fooled_where_the_notebook_is() {
        // A closing tag inside an argument string: the lazy group stops at "}\n</tool_call>" only
        // when a brace precedes it, so here the call is cut where the notebook cuts it.
        let t = "<tool_call>\n{\"name\": \"write_file\", \"arguments\": {\"content\": \"x}\n</tool_call> y\"}}\n</tool_call>";
        let m = call_matches(t);
        assert_eq!(
            groups(t, &m),
            ["{\"name\": \"write_file\", \"arguments\": {\"content\": \"x}"]
        );
        assert_eq!(read_call(groups(t, &m)[0]).0, MALFORMED);
    }

    #[test]
    fn calls_inside_think_are_counted_as_the_regex_does() {
        let t = "<think>maybe <tool_call>{\"name\": \"a\"}</tool_call></think>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>";
        let names: Vec<String> = call_matches(t)
            .iter()
            .map(|m| read_call(&t[m.group.0..m.group.1]).0)
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(groups(t, &think_matches(t)).len(), 1);
    }

    #[test]
    fn lazy_group_spans_a_close_without_brace() {
        let t = "<tool_call>{\"a\": 1]</tool_call> text <tool_call>{}</tool_call>";
        let m = call_matches(t);
        assert_eq!(m.len(), 1);
        assert_eq!(groups(t, &m), ["{\"a\": 1]</tool_call> text <tool_call>{}"]);
    }

    #[test]
    fn first_response_only_and_error_rule() {
        let ok = "<tool_response>\n{\"tool_call_id\": \"t:0\", \"name\": \"terminal\", \"content\": {\"output\": \"a\", \"exit_code\": 0}}\n</tool_response>\n<tool_response>\n{\"content\": {\"error\": \"boom\"}}\n</tool_response>";
        assert_eq!(
            message_is_error(ok),
            Some(false),
            "only the first block is read"
        );
        let null_error = "<tool_response>\n{\"content\": {\"output\": \"\", \"exit_code\": 0, \"error\": null}}\n</tool_response>";
        assert_eq!(
            message_is_error(null_error),
            Some(true),
            "\"error\": null counts, as in the notebook"
        );
        let exit = "<tool_response>\n{\"content\": {\"exit_code\": 127}}\n</tool_response>";
        assert_eq!(message_is_error(exit), Some(true));
        let raw = "<tool_response>\nTraceback (most recent call last)\n</tool_response>";
        assert_eq!(message_is_error(raw), Some(true));
        let tab = "<tool_response>\n{\"content\": \"a\\traceback\"}\n</tool_response>";
        assert_eq!(
            message_is_error(tab),
            Some(true),
            "a tab before 'raceback' dumps as \\traceback"
        );
        assert_eq!(message_is_error("no blocks"), None);
        let dup = "<tool_response>\n{\"error\": 1, \"a\": 2, \"error\": \"x\"}\n</tool_response>";
        assert_eq!(message_is_error(dup), Some(true));
    }

    #[test]
    fn streaming_dump_equals_value_dump() {
        for text in [
            r#"{"a": 1, "b": [true, null, "x\u00e9\n"], "c": {"d": -2, "e": 1.5e300, "f": 0.1}}"#,
            r#"[1, -0, 18446744073709551615, -9223372036854775808, 1e-7, 100000000000000000000]"#,
            r#"  "\ud83d\ude00 \u0001 tab\t"  "#,
            r#"{"z": {}, "a": [], "": ""}"#,
            r#"{"error": 1, "a": 2, "error": "x"}"#,
            r#"{"a": 1"#,
            r#"{"a": "\ud800"}"#,
            r#"1e400"#,
            r#"{"a": 1} x"#,
            "not json",
        ] {
            let mut fast = String::new();
            dump_response(text, &mut fast);
            let slow = dumps(&serde_json::from_str::<Value>(text).unwrap_or_else(|_| {
                let mut raw = Map::new();
                raw.insert("raw".into(), Value::String(text.to_owned()));
                Value::Object(raw)
            }));
            assert_eq!(fast, slow, "{text}");
        }
    }

    #[test]
    fn answer_is_what_remains() {
        let t = "<think>\nx\n</think>\nHere it is.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>";
        assert_eq!(answer_text(t), "Here it is.");
    }
}
