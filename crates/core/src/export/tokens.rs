//! The special tokens an exported file uses: the tags of the Hermes format (and the tutorial's
//! tool prefix), counted in the written bytes, so the manifest can say which to add to a
//! tokenizer before training.

use memchr::memmem;
use std::collections::BTreeMap;

/// Tags worth a tokenizer entry, in the order they are listed.
pub const SPECIAL: [&str; 8] = [
    "<think>",
    "</think>",
    "<tool_call>",
    "</tool_call>",
    "<tool_response>",
    "</tool_response>",
    "<tools>",
    "</tools>",
];

/// `json` (a serialised JSON value) with every `<` written `\u003c` when it holds one of the
/// tags, so a tag inside a call's arguments or a tool's output (a file about this very format)
/// cannot be read as a tag by a template or a regex; it reads back as the same value.
pub fn escape_tags_in_json(json: String, also: &[&str]) -> String {
    let tagged = SPECIAL.iter().chain(also).any(|t| json.contains(t));
    if tagged {
        // `<` only occurs inside JSON strings, where `\u003c` is the same character.
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// Adds the occurrences of every special token in `bytes` to `counts`.
pub fn count(bytes: &[u8], counts: &mut BTreeMap<String, u64>) {
    for tag in SPECIAL {
        let n = memmem::find_iter(bytes, tag.as_bytes()).count() as u64;
        if n > 0 {
            *counts.entry(tag.to_owned()).or_default() += n;
        }
    }
}

/// The tokens used, in `SPECIAL` order: ready for `tokenizer.add_special_tokens(...)`.
pub fn used(counts: &BTreeMap<String, u64>) -> Vec<&'static str> {
    SPECIAL
        .into_iter()
        .filter(|t| counts.get(*t).is_some_and(|n| *n > 0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_json_are_escaped_and_read_back() {
        let v = serde_json::json!({"content": "a </think> b <x>"});
        let out = escape_tags_in_json(v.to_string(), &[]);
        assert!(!out.contains('<'), "{out}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), v);
        let plain = serde_json::json!({"content": "a < b"}).to_string();
        assert_eq!(escape_tags_in_json(plain.clone(), &[]), plain);
        assert!(!escape_tags_in_json(r#"{"a":"<|end|>"}"#.into(), &["<|end|>"]).contains('<'));
    }

    #[test]
    fn counts_each_tag() {
        let mut c = BTreeMap::new();
        count(
            b"<think>\na\n</think>\n<tool_call>x</tool_call><tool_call>",
            &mut c,
        );
        assert_eq!(c["<think>"], 1);
        assert_eq!(c["</think>"], 1);
        assert_eq!(c["<tool_call>"], 2);
        assert_eq!(c["</tool_call>"], 1);
        assert!(!c.contains_key("<tool_response>"));
        assert_eq!(
            used(&c),
            ["<think>", "</think>", "<tool_call>", "</tool_call>"]
        );
    }
}
