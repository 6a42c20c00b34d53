//! Quality flags: what the parser noticed about a segment, as a small bit set with stable names
//! (the names are used in reports, filters and the UI).

use serde::{Serialize, Serializer};
use std::ops::{BitOr, BitOrAssign};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(u32);

macro_rules! flags {
    ($($(#[$doc:meta])* $name:ident = $bit:expr, $label:expr, $help:expr;)*) => {
        impl Flags {
            $($(#[$doc])* pub const $name: Flags = Flags(1 << $bit);)*
            /// Every flag with its stable name and a one-line explanation.
            pub const ALL: &'static [(Flags, &'static str, &'static str)] = &[$((Flags::$name, $label, $help)),*];
        }
    };
}

flags! {
    /// `<think>` without `</think>`: the rest of the message was taken as reasoning.
    UNCLOSED_THINK = 0, "unclosed_think", "a <think> block is never closed; the rest of the message was read as reasoning";
    /// `</think>` with no `<think>` before it: the text before it was taken as reasoning.
    ORPHAN_THINK_CLOSE = 1, "orphan_think_close", "a </think> has no opening <think>; the text before it was read as reasoning";
    /// The call's JSON could not be read.
    MALFORMED_CALL = 2, "malformed_call", "the tool call's JSON could not be parsed";
    /// A `<tool_call>` without `</tool_call>`.
    UNCLOSED_CALL = 3, "unclosed_call", "a <tool_call> block is never closed";
    /// A Python-style dict (single quotes, True/False/None) was converted to JSON.
    PYTHON_DICT = 4, "python_dict", "the call was written as a Python dict and was recovered";
    /// `arguments` was a JSON string and was parsed.
    ARGS_AS_STRING = 5, "args_as_string", "the arguments were a JSON string and were parsed";
    /// The tool is not among the row's declared tools.
    UNDECLARED_TOOL = 6, "undeclared_tool", "the tool is not declared in the row's tools";
    /// The arguments break the declared JSON schema.
    SCHEMA_INVALID = 7, "schema_invalid", "the arguments miss a required property or have a wrong type";
    /// A call no response answers.
    UNMATCHED_CALL = 8, "unmatched_call", "no tool response answers this call";
    /// A response that answers no call.
    UNMATCHED_RESPONSE = 9, "unmatched_response", "this tool response answers no call";
    /// A `<tool_response>` block whose payload is not JSON.
    RESPONSE_NOT_JSON = 10, "response_not_json", "the tool response block is not JSON";
    /// A `<tool_response>` without `</tool_response>`.
    UNCLOSED_RESPONSE = 11, "unclosed_response", "a <tool_response> block is never closed";
    /// The arguments were not a JSON object.
    ARGS_NOT_OBJECT = 12, "args_not_object", "the arguments are not a JSON object";
}

impl Flags {
    pub const fn empty() -> Flags {
        Flags(0)
    }
    pub const fn bits(self) -> u32 {
        self.0
    }
    pub const fn from_bits(bits: u32) -> Flags {
        Flags(bits)
    }
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    pub const fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
    /// Stable names of the flags set.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Flags::ALL
            .iter()
            .filter(move |(f, _, _)| self.contains(*f))
            .map(|(_, name, _)| *name)
    }
    pub fn explain(name: &str) -> Option<&'static str> {
        Flags::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(_, _, help)| *help)
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_bits_distinct() {
        let mut seen = std::collections::HashSet::new();
        let mut bits = 0u32;
        for (f, name, _) in Flags::ALL {
            assert!(seen.insert(*name), "duplicate name {name}");
            assert_eq!(bits & f.bits(), 0, "bit reused by {name}");
            bits |= f.bits();
        }
    }

    #[test]
    fn union_and_names() {
        let f = Flags::MALFORMED_CALL | Flags::UNCLOSED_THINK;
        assert!(f.contains(Flags::MALFORMED_CALL));
        assert!(!f.contains(Flags::PYTHON_DICT));
        assert_eq!(
            f.names().collect::<Vec<_>>(),
            ["unclosed_think", "malformed_call"]
        );
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"["unclosed_think","malformed_call"]"#
        );
    }
}
