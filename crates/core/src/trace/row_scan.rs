//! A row read straight from its text, for the shape nearly every row has: ShareGPT messages that
//! are `{from, value}` (or `{role, content}`) objects of two strings. The messages are read
//! into their two strings without a `serde_json::Value` (no map per message, no key strings);
//! the row's other keys are read as `row.rs` reads them, into the row's map, with a placeholder
//! where the messages were so that the map's order is the one a whole `Value` would give.
//! Any other shape — a message with another key, a repeated key, a value that is not a string,
//! `messages` instead of `conversations`, text that is not JSON — is not read here (`None`):
//! the caller reads the row as a `Value`, which says exactly what is wrong.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

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

/// The row, when it has the common shape (see the module's doc).
pub(super) fn scan(line: &str) -> Option<Scanned> {
    let mut de = serde_json::Deserializer::from_str(line);
    let row = RowVisitor.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(row)
}

/// Stops the fast read: the row is read again as a `Value`.
fn not_here<E: de::Error>() -> E {
    E::custom("not the common shape")
}

struct RowVisitor;

impl<'de> DeserializeSeed<'de> for RowVisitor {
    type Value = Scanned;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Scanned, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowVisitor {
    type Value = Scanned;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let mut row = Scanned {
            obj: Map::new(),
            keys: None,
            messages: Vec::new(),
        };
        let mut seen_messages = false;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "conversations" {
                if seen_messages {
                    return Err(not_here());
                }
                seen_messages = true;
                row.keys = map.next_value_seed(Messages(&mut row.messages))?;
                row.obj.insert(key.into_owned(), Value::Null);
            } else if key == "messages" {
                return Err(not_here());
            } else {
                // As a `Value` map reads it: a repeated key keeps its place, the last value.
                let value: Value = map.next_value()?;
                row.obj.insert(key.into_owned(), value);
            }
        }
        if seen_messages {
            Ok(row)
        } else {
            Err(not_here())
        }
    }
}

/// A key, borrowed from the text unless it holds an escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
}

/// The messages list: every element a two-string object with the same two keys.
struct Messages<'m>(&'m mut Vec<(String, String)>);

impl<'de> DeserializeSeed<'de> for Messages<'_> {
    type Value = Option<Keys>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Keys>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Messages<'_> {
    type Value = Option<Keys>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of messages")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Keys>, A::Error> {
        let mut keys = None;
        while let Some((k, role, text)) = seq.next_element_seed(Message { keys })? {
            keys = Some(k);
            self.0.push((role, text));
        }
        Ok(keys)
    }
}

/// One message: `keys` are those the row's first message had.
struct Message {
    keys: Option<Keys>,
}

impl<'de> DeserializeSeed<'de> for Message {
    type Value = (Keys, String, String);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Message {
    type Value = (Keys, String, String);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a message object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = self.keys;
        let (mut role, mut text) = (None, None);
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let (k, is_role) = Keys::of(&key).ok_or_else(not_here)?;
            if *keys.get_or_insert(k) != k {
                return Err(not_here());
            }
            let slot = if is_role { &mut role } else { &mut text };
            if slot.is_some() {
                return Err(not_here());
            }
            *slot = Some(map.next_value::<String>()?);
        }
        match (keys, role, text) {
            (Some(k), Some(r), Some(t)) => Ok((k, r, t)),
            _ => Err(not_here()),
        }
    }
}
