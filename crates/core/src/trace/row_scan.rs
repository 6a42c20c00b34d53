//! A row read straight from its text, for the shape nearly every row has: ShareGPT messages that
//! are `{from, value}` (or `{role, content}`) objects of two strings. The row's structure is
//! walked here byte by byte and each message's two strings are decoded by `json_str` (16 bytes
//! a step, into one scratch buffer reused for every row, then copied once into their `String`),
//! with no `serde_json::Value` per message, no map, no key strings. The row's other keys are read
//! by serde_json into the row's map, with a placeholder where the messages were so that the
//! map's order is the one a whole `Value` would give.
//! Any other shape — a message with another key, a repeated key, a value that is not a string,
//! `messages` instead of `conversations`, text that is not JSON — is not read here (`None`):
//! the caller reads the row as a `Value`, which says exactly what is wrong. The walk is strict
//! JSON: what it accepts, serde_json accepts and reads the same (`differential` checks it).

use super::json_str;
use serde_json::{Map, Value};
use std::cell::RefCell;

/// Which two keys a row's messages have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keys {
    /// `from` and `value`.
    FromValue,
    /// `role` and `content`.
    RoleContent,
}

impl Keys {
    fn of(key: &str) -> Option<(Keys, bool)> {
        match key {
            "from" => Some((Keys::FromValue, true)),
            "value" => Some((Keys::FromValue, false)),
            "role" => Some((Keys::RoleContent, true)),
            "content" => Some((Keys::RoleContent, false)),
            _ => None,
        }
    }
}

/// A row read here: its map (the messages' place held by `null`) and its messages as
/// (role, text) pairs, with the keys they had (`None` for a row without messages).
pub(super) struct Scanned {
    pub obj: Map<String, Value>,
    pub keys: Option<Keys>,
    pub messages: Vec<(String, String)>,
}

thread_local! {
    /// Escaped strings are decoded here: one buffer for every row a thread reads.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The row, when it has the common shape (see the module's doc).
pub(super) fn scan(line: &str) -> Option<Scanned> {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.try_borrow_mut().ok()?;
        let mut at = Cursor {
            text: line,
            i: 0,
            scratch: &mut scratch,
        };
        let row = at.row()?;
        at.space();
        (at.i == line.len()).then_some(row)
    })
}

/// A place in the row's text.
struct Cursor<'t, 's> {
    text: &'t str,
    i: usize,
    scratch: &'s mut String,
}

impl Cursor<'_, '_> {
    /// Skips JSON whitespace.
    fn space(&mut self) {
        let s = self.text.as_bytes();
        while matches!(s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    fn next(&mut self) -> Option<u8> {
        self.space();
        let b = *self.text.as_bytes().get(self.i)?;
        self.i += 1;
        Some(b)
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.text.as_bytes().get(self.i).copied()
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.next()? == b).then_some(())
    }

    /// A string literal, given to `f` as text (borrowed, or decoded in the scratch buffer).
    fn string<R>(&mut self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.expect(b'"')?;
        let (end, text) = json_str::literal(self.text, self.i, self.scratch)?;
        self.i = end;
        Some(f(text))
    }

    /// After a member of an object or list: whether another follows (`,`) or it ends (`close`).
    fn more(&mut self, close: u8) -> Option<bool> {
        match self.next()? {
            b',' => Some(true),
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// Whether the object or list just opened is empty (its `close` is consumed if so).
    fn empty(&mut self, close: u8) -> Option<bool> {
        if self.peek()? == close {
            self.i += 1;
            return Some(true);
        }
        Some(false)
    }

    /// Any JSON value, by serde_json, as a `Value` map would hold it.
    fn value(&mut self) -> Option<Value> {
        if self.peek()? == b'"' {
            return self.string(|s| Value::String(s.to_owned()));
        }
        let rest = self.text.get(self.i..)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let value = values.next()?.ok()?;
        self.i += values.byte_offset();
        // serde_json nests at most 127 lists and objects, the row's own object counted: a value
        // read on its own may nest one deeper than it could inside the row.
        (nesting(&value) < 127).then_some(value)
    }

    /// The row object.
    fn row(&mut self) -> Option<Scanned> {
        self.expect(b'{')?;
        let mut row = Scanned {
            obj: Map::new(),
            keys: None,
            messages: Vec::new(),
        };
        let mut seen_messages = false;
        if self.empty(b'}')? {
            return None;
        }
        loop {
            let key = self.string(str::to_owned)?;
            self.expect(b':')?;
            match key.as_str() {
                "conversations" if !seen_messages => {
                    seen_messages = true;
                    row.keys = self.messages(&mut row.messages)?;
                    row.obj.insert(key, Value::Null);
                }
                "conversations" | "messages" => return None,
                // As a `Value` map reads it: a repeated key keeps its place, the last value.
                _ => {
                    let value = self.value()?;
                    row.obj.insert(key, value);
                }
            }
            if !self.more(b'}')? {
                break;
            }
        }
        seen_messages.then_some(row)
    }

    /// The messages list: every element a two-string object with the same two keys.
    fn messages(&mut self, out: &mut Vec<(String, String)>) -> Option<Option<Keys>> {
        self.expect(b'[')?;
        let mut keys = None;
        if self.empty(b']')? {
            return Some(keys);
        }
        loop {
            let (k, role, text) = self.message(keys)?;
            keys = Some(k);
            out.push((role, text));
            if !self.more(b']')? {
                return Some(keys);
            }
        }
    }

    /// One message: `keys` are those the row's first message had.
    fn message(&mut self, mut keys: Option<Keys>) -> Option<(Keys, String, String)> {
        self.expect(b'{')?;
        let (mut role, mut text) = (None, None);
        if self.empty(b'}')? {
            return None;
        }
        loop {
            let (k, is_role) = self.string(Keys::of)??;
            if *keys.get_or_insert(k) != k {
                return None;
            }
            let slot = if is_role { &mut role } else { &mut text };
            if slot.is_some() {
                return None;
            }
            self.expect(b':')?;
            *slot = Some(self.string(str::to_owned)?);
            if !self.more(b'}')? {
                break;
            }
        }
        Some((keys?, role?, text?))
    }
}

/// How many lists and objects `v` nests (0 for a scalar).
fn nesting(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}
