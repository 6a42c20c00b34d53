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

use std::borrow::Cow;
use std::cell::RefCell;

use memchr::memmem;

use super::pydump::{dumps, dumps_json_text, is_py_space, py_strip, DumpError};
use super::pyscan::{self, Walk};
use crate::trace::tags::{
    find, CALL_CLOSE, CALL_OPEN, RESPONSE_CLOSE, RESPONSE_OPEN, THINK_CLOSE, THINK_OPEN,
};

/// The name the notebook gives a call whose JSON does not parse.
pub use super::MALFORMED;

/// A match of a tutorial regex: the whole match and its group, as byte ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub group: (usize, usize),
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
    while let Some(start) = find(text, pos, THINK_OPEN) {
        let body = start + THINK_OPEN.len();
        let Some(close) = find(text, body, THINK_CLOSE) else {
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
    while let Some(start) = find(text, pos, CALL_OPEN) {
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
    // (Every closing tag in turn: `find_iter`'s matches, as the tag cannot overlap itself.)
    let mut from = brace + 1;
    while let Some(close) = find(text, from, CALL_CLOSE) {
        from = close + 1;
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
    let start = find(text, 0, RESPONSE_OPEN)?;
    let body = skip_space(text, start + RESPONSE_OPEN.len());
    let close = find(text, body, RESPONSE_CLOSE)?;
    Some(Match {
        start,
        end: close + RESPONSE_CLOSE.len(),
        group: (body, rstrip_end(text, body, close)),
    })
}

/// A call as the tutorial reads it: its name and the length of `json.dumps` of it (None when
/// the JSON does not parse). One walk of the text (`pyscan`), no `Value`, no dump; the few calls
/// it is unsure of (a repeated key, a `name` that is not a string) take `read_call_slow`.
pub fn read_call(group: &str) -> (Cow<'_, str>, Option<usize>) {
    match pyscan::call_facts(group) {
        Ok(f) => (f.name.unwrap_or(Cow::Borrowed(MALFORMED)), Some(f.dump_len)),
        Err(Walk::Parse) => (Cow::Borrowed(MALFORMED), None),
        Err(Walk::Unsure) => {
            let (name, len) = read_call_slow(group);
            (Cow::Owned(name), len)
        }
    }
}

/// `read_call` through a `Value` and its dump.
fn read_call_slow(group: &str) -> (String, Option<usize>) {
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
    read_call(group).0.into_owned()
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
    first_response_name_error(text).map(|(_, error)| error)
}

/// The tutorial's error rule on one response block, the slow way: `json.dumps` of the block
/// (written while serde_json reads it, into a reused buffer), lower-cased, searched for its
/// three markers.
fn block_is_error_slow(group: &str) -> bool {
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
/// else `<unknown>`) and whether the block is an error under the tutorial's rule. One walk of
/// the block (`pyscan`: no `Value`, no dump); when it is not JSON the dump is that of
/// `{"raw": block}`, whose only string is the block; the few blocks the walk is unsure of (a
/// repeated key) take the slow way.
pub fn first_response_name_error(text: &str) -> Option<(Cow<'_, str>, bool)> {
    let m = first_response(text)?;
    Some(block_name_error(&text[m.group.0..m.group.1]))
}

/// `first_response_name_error` of a block already found: its group (`Match::group`).
pub fn block_name_error(group: &str) -> (Cow<'_, str>, bool) {
    let unknown = || Cow::Borrowed(super::UNKNOWN_TOOL);
    match pyscan::response_facts(group) {
        Ok(f) => (f.name.unwrap_or_else(unknown), f.error),
        Err(Walk::Parse) => (unknown(), pyscan::string_has_marker(group)),
        Err(Walk::Unsure) => {
            let name = match serde_json::from_str::<Value>(group) {
                Ok(Value::Object(o)) => match o.get("name") {
                    Some(Value::String(s)) => Some(Cow::Owned(s.clone())),
                    _ => None,
                },
                _ => None,
            };
            (name.unwrap_or_else(unknown), block_is_error_slow(group))
        }
    }
}

/// The answer text of an assistant message: what is left once think blocks, then call blocks,
/// are removed, stripped (`re.sub(call, "", re.sub(think, "", v)).strip()`).
pub fn answer_text(text: &str) -> String {
    let without_think = remove(text, &think_matches(text));
    let without_calls = remove(&without_think, &call_matches(&without_think));
    py_strip(&without_calls).to_owned()
}

/// The characters of `answer_text(text)`, from the lengths of the pieces it keeps (no copy but
/// when think blocks leave several pieces, which the call regex must then see joined). `thinks`
/// and `calls` are `think_matches(text)` and `call_matches(text)`.
pub fn answer_chars(text: &str, thinks: &[Match], calls: &[Match]) -> usize {
    if thinks.is_empty() {
        return stripped_chars(gaps(text, 0, calls));
    }
    let mut kept = gaps(text, 0, thinks).filter(|p| !p.1.is_empty());
    match (kept.next(), kept.next()) {
        (None, _) => 0,
        (Some((at, piece)), None) => {
            // The text without think blocks is one piece of it. The calls found in the whole
            // text are those of the piece when it runs to the end and none starts before it (a
            // search for calls only looks ahead).
            if at + piece.len() == text.len() && calls.iter().all(|c| c.start >= at) {
                stripped_chars(gaps(text, at, calls))
            } else {
                stripped_chars(gaps(piece, 0, &call_matches(piece)))
            }
        }
        _ => {
            let without_think = remove(text, thinks);
            let calls = call_matches(&without_think);
            stripped_chars(gaps(&without_think, 0, &calls))
        }
    }
}

/// The pieces of `text[from..]` between `matches` (which start at `from` or later), with
/// their offsets.
fn gaps<'t>(
    text: &'t str,
    from: usize,
    matches: &'t [Match],
) -> impl Iterator<Item = (usize, &'t str)> + 't {
    let mut pos = from;
    let mut ms = matches.iter();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let at = pos;
        match ms.next() {
            Some(m) => {
                pos = m.end;
                Some((at, &text[at..m.start]))
            }
            None => {
                done = true;
                Some((at, &text[at..]))
            }
        }
    })
}

/// Characters of the pieces joined and stripped (`"".join(pieces).strip()`), without joining.
pub fn stripped_chars<'t>(pieces: impl Iterator<Item = (usize, &'t str)>) -> usize {
    let (mut total, mut lead, mut trail) = (0, 0, 0);
    let mut seen = false; // a non-space character
    for (_, p) in pieces {
        let chars = p.chars().count();
        total += chars;
        let rest = p.trim_start_matches(is_py_space);
        if rest.is_empty() {
            if seen {
                trail += chars;
            } else {
                lead += chars;
            }
            continue;
        }
        if !seen {
            lead += p[..p.len() - rest.len()].chars().count();
            seen = true;
        }
        let body = rest.trim_end_matches(is_py_space);
        trail = rest[body.len()..].chars().count();
    }
    if seen {
        total - lead - trail
    } else {
        0
    }
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
        let names: Vec<Cow<str>> = call_matches(t)
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
