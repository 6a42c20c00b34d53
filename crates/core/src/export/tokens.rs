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
