//! Walking JSON without building it: serde visitors that read a value exactly as
//! `serde_json::Value` would (strings decoded, numbers converted, nesting counted, so the same
//! inputs fail with the same message at the same place) but keep only the few facts the trace
//! model needs. A tool call's arguments and a tool result's content stay spans of their message;
//! a `Value` is built from the span on demand (`Message::arguments`, `Message::content`).
//!
//! One input is read differently by `Value`: an object whose first key is serde_json's private
//! raw-value token. Every walker stops there with `fallback()`, and its caller reads the value
//! with `Value` instead.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

use super::json_de;
use super::json_prefix::offset_of;

pub(super) use super::json_de::RAW_VALUE_TOKEN;
/// The message of the error a walker stops with to hand the value to `Value`.
const FALLBACK: &str = "\u{0}walk: read this value with serde_json::Value";

pub(super) fn fallback<E: de::Error>() -> E {
    E::custom(FALLBACK)
}

/// Whether `e` is a walker's `fallback()` rather than a property of the input.
pub fn is_fallback(e: &serde_json::Error) -> bool {
    e.is_data() && e.to_string().starts_with(FALLBACK)
}

/// Why a walk gave no value.
#[derive(Debug)]
pub enum WalkError {
    /// The text is not JSON: serde_json's message and the byte offset where it failed (what
    /// `json_prefix::parse_prefix` gives for the same text).
    Invalid(String, usize),
    /// The value must be read with `Value` (see the module's note).
    Fallback,
}

/// Walks the JSON value at the start of `s` (after optional whitespace), as
/// `json_prefix::parse_prefix` reads it: the walker's result and the byte offset just past the
/// value. The common text is read by `json_de`, the rest by serde_json.
pub fn walk_prefix<T: for<'de> Deserialize<'de>>(s: &str) -> Result<(T, usize), WalkError> {
    match json_de::prefix(s) {
        Some(found) => Ok(found),
        None => walk_prefix_by_serde_json(s),
    }
}

/// `walk_prefix` by serde_json alone.
fn walk_prefix_by_serde_json<T: for<'de> Deserialize<'de>>(
    s: &str,
) -> Result<(T, usize), WalkError> {
    let mut stream = serde_json::Deserializer::from_str(s).into_iter::<T>();
    match stream.next() {
        Some(Ok(v)) => Ok((v, stream.byte_offset())),
        Some(Err(e)) if is_fallback(&e) => Err(WalkError::Fallback),
        Some(Err(e)) => Err(WalkError::Invalid(
            e.to_string(),
            offset_of(s, e.line(), e.column()),
        )),
        None => Err(WalkError::Invalid(
            "expected a JSON value, found the end of the text".into(),
            s.len(),
        )),
    }
}

/// Walks `s` as one whole JSON text (as `serde_json::from_str` reads it); `None` when it is not
/// JSON, `Err(())` for a fallback. The common text is read by `json_de`, the rest by serde_json.
pub fn walk_whole<T: for<'de> Deserialize<'de>>(s: &str) -> Result<Option<T>, ()> {
    match json_de::whole(s) {
        Some(found) => Ok(Some(found)),
        None => walk_whole_by_serde_json(s),
    }
}

/// `walk_whole` by serde_json alone.
fn walk_whole_by_serde_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<Option<T>, ()> {
    let mut de = serde_json::Deserializer::from_str(s);
    match T::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_fallback(&e) => Err(()),
        Err(_) => Ok(None),
    }
}

/// What a JSON value is, as far as a schema's `type` can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    /// A number; `integer` as `check_arguments` decides it (an i64/u64, or a float without a
    /// fraction).
    Number {
        integer: bool,
    },
    String,
    Array,
    Object,
}

/// A scalar as a walker sees it; a string is handed to a closure while serde_json still holds
/// it (decoded, never copied).
pub(super) enum Seen<R> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(R),
    Array,
    Object,
}

impl<R> Seen<R> {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Seen::Null => Kind::Null,
            Seen::Bool(_) => Kind::Bool,
            Seen::U64(_) | Seen::I64(_) => Kind::Number { integer: true },
            Seen::F64(f) => Kind::Number {
                integer: f.fract() == 0.0,
            },
            Seen::Str(_) => Kind::String,
            Seen::Array => Kind::Array,
            Seen::Object => Kind::Object,
        }
    }
}

/// Reads any value; strings go to `F`, containers are consumed (strictly) and only named.
pub(super) struct See<F>(pub(super) F);

impl<'de, R, F: FnOnce(&str) -> R> DeserializeSeed<'de> for See<F> {
    type Value = Seen<R>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Seen<R>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R, F: FnOnce(&str) -> R> Visitor<'de> for See<F> {
    type Value = Seen<R>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Seen<R>, E> {
        Ok(Seen::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Seen<R>, E> {
        Ok(Seen::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Seen<R>, E> {
        Ok(Seen::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Seen<R>, E> {
        Ok(Seen::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Seen<R>, E> {
        Ok(Seen::Str((self.0)(v)))
    }
    fn visit_unit<E>(self) -> Result<Seen<R>, E> {
        Ok(Seen::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Seen<R>, A::Error> {
        skip_seq(seq)?;
        Ok(Seen::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Seen<R>, A::Error> {
        skip_map(map)?;
        Ok(Seen::Object)
    }
}

/// Consumes one value strictly, keeping its kind.
pub struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = Kind;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        See(|_: &str| ()).deserialize(d).map(|s| s.kind())
    }
}

pub(super) fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element_seed(Skip)?.is_some() {}
    Ok(())
}

pub(super) fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    if map.next_key_seed(Key(&[]))?.is_some() {
        map.next_value_seed(Skip)?;
        while map.next_key_seed(AnyKey)?.is_some() {
            map.next_value_seed(Skip)?;
        }
    }
    Ok(())
}

/// A first key: which of `names` it is (`Some(None)`: another key), or a fallback for the raw
/// value token.
pub(super) struct Key(pub(super) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        if v == RAW_VALUE_TOKEN {
            return Err(fallback());
        }
        Ok(self.0.iter().position(|n| *n == v))
    }
}

/// A later key: which of `names` it is.
pub(super) struct LaterKey(pub(super) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for LaterKey {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for LaterKey {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|n| *n == v))
    }
}

/// Any later key, ignored.
pub(super) struct AnyKey;

impl<'de> DeserializeSeed<'de> for AnyKey {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for AnyKey {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// Iterates an object's keys as indices into `names` (`None` for others): the first key is
/// checked for the raw value token. The caller reads (or skips) each value.
pub(super) fn for_each_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &'static [&'static str],
    mut value: impl FnMut(&mut A, Option<usize>) -> Result<(), A::Error>,
) -> Result<bool, A::Error> {
    let Some(first) = map.next_key_seed(Key(names))? else {
        return Ok(false);
    };
    value(map, first)?;
    while let Some(k) = map.next_key_seed(LaterKey(names))? {
        value(map, k)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::failure::{classify, Classified};
    use crate::trace::json_prefix::parse_prefix;
    use crate::trace::model::Content;
    use crate::trace::payloads::{Arg, Call, Response};
    use serde_json::Value;

    const SAMPLES: &[&str] = &[
        r#"{"output": "ok", "exit_code": 0, "error": null}"#,
        r#"{"output": "", "exit_code": 1, "error": null}"#,
        r#"{"output": "", "exit_code": -1, "error": "x", "status": "error", "traceback": "T"}"#,
        r#"{"exit_code": 9223372036854775808}"#,
        r#"{"exit_code": -1.0}"#,
        r#"{"exit_code": -1, "exit_code": 0}"#,
        r#"{"error": "  "}"#,
        r#"{"error": false}"#,
        r#"{"error": 0}"#,
        r#"{"error": [], "error": null}"#,
        r#"{"success": false}"#,
        r#"{"success": 0}"#,
        r#"{"status": "Error"}"#,
        r#"{"traceback": null}"#,
        r#"{"traceback": {}}"#,
        r#"{}"#,
        r#"[]"#,
        r#"null"#,
        r#"12.5"#,
        r#""Error: boom""#,
        r#""{\"success\": false}""#,
        r#""  {\"error\": \"x\"}  ""#,
        r#""{not json""#,
        r#"{"a": {"error": "nested is not read"}}"#,
        r#"{"name": "t", "content": {"error": "x"}}"#,
        r#"{"tool_call_id": "c", "content": "fine"}"#,
        r#"{"content": "no name"}"#,
        r#"{"name": "t", "content": null}"#,
        r#"{"name": 5, "tool_call_id": [1], "content": {}}"#,
        r#"{"name": "t", "content": {"error": "x"}, "error": null}"#,
    ];

    #[test]
    fn classified_equals_classify_of_the_value() {
        for s in SAMPLES {
            let v: Value = serde_json::from_str(s).unwrap();
            let (c, end) = walk_prefix::<Classified>(s).unwrap();
            assert_eq!(end, s.len());
            assert_eq!(c.failure, classify(&Content::Json(v)), "{s}");
        }
    }

    #[test]
    fn errors_are_the_values_errors() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for s in [
            "",
            "  ",
            "{\"a\": 1,\n \"b\": }",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": 1e400}",
            "[1, 2",
            "{\"a\" 1}",
            "tru",
            "01",
            "\"\u{1}\"",
            deep.as_str(),
        ] {
            let want = parse_prefix(s).unwrap_err();
            for got in [
                walk_prefix::<Classified>(s).map(|_| ()),
                walk_prefix::<Response>(s).map(|_| ()),
                walk_prefix::<Call>(s).map(|_| ()),
            ] {
                match got {
                    Err(WalkError::Invalid(m, at)) => assert_eq!((m, at), want, "{s}"),
                    other => panic!("{s}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn the_raw_value_token_falls_back() {
        for s in [
            r#"{"$serde_json::private::RawValue": "{}"}"#,
            r#"{"a": {"$serde_json::private::RawValue": "1"}}"#,
            r#"{"name": "x", "arguments": {"$serde_json::private::RawValue": "1"}}"#,
            r#"{"name": "x", "arguments": {"k": {"$serde_json::private::RawValue": "1"}}}"#,
            r#"{"function": {"$serde_json::private::RawValue": "1"}}"#,
            r#"{"content": [{"$serde_json::private::RawValue": "1"}], "name": "n"}"#,
        ] {
            assert!(
                matches!(walk_prefix::<Call>(s), Err(WalkError::Fallback)),
                "{s}"
            );
            assert!(
                matches!(walk_prefix::<Response>(s), Err(WalkError::Fallback)),
                "{s}"
            );
        }
        // Not first: an ordinary key.
        let s = r#"{"name": "x", "$serde_json::private::RawValue": 1}"#;
        assert!(walk_prefix::<Call>(s).is_ok());
    }

    #[test]
    fn argument_keys_keep_first_place_and_last_kind() {
        let (call, _) = walk_prefix::<Call>(
            r#"{"name": "t", "arguments": {"a": 1, "b": "x", "a": 1.5, "c": [1], "d": {}, "e": null, "f": true, "g": 2.0}}"#,
        )
        .unwrap();
        let Call::Object { own, .. } = call else {
            panic!()
        };
        let Some(Arg::Object(keys)) = own.arguments else {
            panic!()
        };
        let kinds: Vec<(&str, Kind)> = keys.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            kinds,
            [
                ("a", Kind::Number { integer: false }),
                ("b", Kind::String),
                ("c", Kind::Array),
                ("d", Kind::Object),
                ("e", Kind::Null),
                ("f", Kind::Bool),
                ("g", Kind::Number { integer: true }),
            ]
        );
    }
}
