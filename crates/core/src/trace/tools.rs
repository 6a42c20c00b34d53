//! The tools a row declares: its `tools` column (a JSON string or a list; OpenAI-style or bare
//! definitions) or, without one, the `<tools>` block of its system prompt.
//!
//! Rows of a dataset share a handful of tool sets (3,000 rows of the reference data carry 496
//! distinct `tools` strings of ≈ 10 KB each), so a definition string is parsed once per thread and
//! the parsed set shared (`Tools` is an `Arc`): a row whose string was seen before costs a hash
//! and a compare. The result is a pure function of the text, so the cache never changes an
//! answer; it is bounded and simply emptied when full.

use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

use super::model::{Message, Role, ToolDef, Tools};

/// `tools` as a JSON string or a list; definitions OpenAI-style or bare. (Uncached: the cached
/// forms are `from_text` and `from_system_prompt`.)
pub fn parse_tools(value: Value, warnings: &mut Vec<String>) -> Vec<ToolDef> {
    match value {
        Value::String(s) => parse_text(&s, warnings),
        Value::Null => Vec::new(),
        list => from_list(list, warnings),
    }
}

/// The definitions in a `tools` string (JSON text).
fn parse_text(s: &str, warnings: &mut Vec<String>) -> Vec<ToolDef> {
    if s.trim().is_empty() {
        return Vec::new();
    }
    match serde_json::from_str::<Value>(s) {
        Ok(v) => from_list(v, warnings),
        Err(e) => {
            warnings.push(format!("the tools field is not valid JSON: {e}"));
            Vec::new()
        }
    }
}

fn from_list(list: Value, warnings: &mut Vec<String>) -> Vec<ToolDef> {
    let Value::Array(items) = list else {
        warnings.push(format!(
            "the tools field must be a list, found {}",
            super::value::kind_of(&list)
        ));
        return Vec::new();
    };
    items
        .into_iter()
        .filter_map(|t| tool_def(t, warnings))
        .collect()
}

fn tool_def(v: Value, warnings: &mut Vec<String>) -> Option<ToolDef> {
    let Value::Object(mut obj) = v else {
        warnings.push("a tool definition is not an object".into());
        return None;
    };
    if let Some(Value::Object(f)) = obj.remove("function") {
        obj = f;
    }
    let Some(name) = obj.remove("name").and_then(super::value::scalar_string) else {
        warnings.push("a tool definition has no name".into());
        return None;
    };
    Some(ToolDef {
        name,
        description: obj
            .remove("description")
            .and_then(super::value::scalar_string)
            .unwrap_or_default(),
        parameters: obj.remove("parameters").unwrap_or(Value::Null),
    })
}

/// The tools of a `tools` column holding the string `s` (= `parse_tools(Value::String(s))`),
/// parsed once per distinct string.
pub fn from_text(s: &str, warnings: &mut Vec<String>) -> Tools {
    if s.trim().is_empty() {
        return Tools::default();
    }
    cached(Key::Column, s, warnings, |w| parse_text(s, w).into())
}

/// Rows without a `tools` column (hermes-agent logs) declare their tools in the system prompt;
/// parsed once per distinct system prompt.
pub fn from_system_prompt(messages: &[Message], warnings: &mut Vec<String>) -> Tools {
    let Some(sys) = messages.iter().find(|m| m.role == Role::System) else {
        return Tools::default();
    };
    cached(Key::SystemPrompt, &sys.text, warnings, |w| {
        system_prompt_tools(&sys.text, w).into()
    })
}

/// The first `<tools>` followed by a JSON list: the preamble mentions "<tools> </tools>" before
/// the real block.
fn system_prompt_tools(text: &str, warnings: &mut Vec<String>) -> Vec<ToolDef> {
    let mut last_error = None;
    for (open, _) in text.match_indices("<tools>") {
        let rest = &text[open + "<tools>".len()..];
        if !rest.trim_start().starts_with('[') {
            continue;
        }
        match super::json_prefix::parse_prefix(rest) {
            Ok((v, _)) => return parse_tools(v, warnings),
            Err((e, _)) => last_error = Some(e),
        }
    }
    if let Some(e) = last_error {
        warnings.push(format!(
            "the system prompt's <tools> block is not valid JSON: {e}"
        ));
    }
    Vec::new()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Column,
    SystemPrompt,
}

/// A parsed text: its tools and the warnings parsing it gave.
struct Entry {
    key: Key,
    text: Box<str>,
    tools: Tools,
    warnings: Vec<String>,
}

#[derive(Default)]
struct Cache {
    /// By a hash of the text; a hash shared by several texts keeps them all.
    entries: HashMap<u64, Vec<Entry>>,
    bytes: usize,
}

/// Texts kept at most (their bytes): the reference data's distinct tool sets are ≈ 5 MB.
const CACHE_BYTES: usize = 16 << 20;
/// Texts shorter than this are parsed each time (hashing them costs about as much).
const CACHE_MIN: usize = 64;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

fn cached(
    key: Key,
    text: &str,
    warnings: &mut Vec<String>,
    parse: impl FnOnce(&mut Vec<String>) -> Tools,
) -> Tools {
    if text.len() < CACHE_MIN {
        return parse(warnings);
    }
    let h = hash(text.as_bytes()) ^ key as u64;
    let hit = CACHE.with(|c| {
        let c = c.borrow();
        let e = c
            .entries
            .get(&h)?
            .iter()
            .find(|e| e.key == key && *e.text == *text)?;
        warnings.extend(e.warnings.iter().cloned());
        Some(e.tools.clone())
    });
    if let Some(tools) = hit {
        return tools;
    }
    let mut own = Vec::new();
    let tools = parse(&mut own);
    warnings.extend(own.iter().cloned());
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.bytes + text.len() > CACHE_BYTES {
            c.entries.clear();
            c.bytes = 0;
        }
        c.bytes += text.len();
        c.entries.entry(h).or_default().push(Entry {
            key,
            text: text.into(),
            tools: tools.clone(),
            warnings: own,
        });
    });
    tools
}

/// A fast non-cryptographic hash of `b` (FxHash's mixing over 8-byte words): the cache compares
/// the texts themselves, so collisions cost only time.
fn hash(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOOLS: &str = r#"[{"type": "function", "function": {"name": "terminal", "description": "run a command in a shell", "parameters": {"type": "object"}}}, 5]"#;

    #[test]
    fn a_cached_parse_equals_a_fresh_one_warnings_included() {
        for text in [
            TOOLS,
            "",
            "  ",
            "not json at all, and long enough to be cached ........",
            "{\"a\": 1}",
            "null",
            "\"[]\"",
        ] {
            let mut fresh = Vec::new();
            let want = parse_tools(Value::String(text.to_owned()), &mut fresh);
            for _ in 0..3 {
                let mut w = vec!["before".to_owned()];
                let got = from_text(text, &mut w);
                assert_eq!(&got[..], &want[..], "{text}");
                assert_eq!(w[0], "before");
                assert_eq!(w[1..], fresh[..], "{text}");
            }
        }
    }

    #[test]
    fn hits_share_the_parsed_set() {
        let (a, b) = (
            from_text(TOOLS, &mut Vec::new()),
            from_text(TOOLS, &mut Vec::new()),
        );
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn hash_reads_every_byte() {
        let base = hash(b"0123456789abcdefXYZ");
        for i in 0..19 {
            let mut v = b"0123456789abcdefXYZ".to_vec();
            v[i] ^= 1;
            assert_ne!(hash(&v), base, "byte {i}");
        }
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
