//! JSON text rewritten compactly, byte for byte as `serde_json::Value` prints the same text once
//! parsed, without building the `Value`: the export writes every tool output this way (a
//! `Value` tree per output was a fifth of an export's time). An object with a repeated key is
//! refused — a `Value` keeps the last value at the first key's place, which a stream cannot
//! know in advance — and so is text that is not JSON; callers then take the `Value` path.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::value::RawValue;

/// `text` (one JSON value, surrounding whitespace allowed) printed compactly, or `None` when it
/// is not JSON or holds an object with a repeated key.
pub fn compact(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut de = serde_json::Deserializer::from_str(text);
    Writer(&mut out).deserialize(&mut de).ok()?;
    de.end().ok()?;
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(out).ok()
}

/// The members of `text` when it is one JSON object: each key with its value's raw text, in
/// the order written (a repeated key stays repeated).
pub fn members(text: &str) -> Option<Vec<(Cow<'_, str>, &str)>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let members = de.deserialize_map(Members).ok()?;
    de.end().ok()?;
    Some(members)
}

/// Reads an object's members.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(Cow<'de, str>, &'de str)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value: &'de RawValue = map.next_value()?;
            out.push((key, value.get()));
        }
        Ok(out)
    }
}

/// Writes the value it reads.
struct Writer<'o>(&'o mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Writer<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// The keys seen in one object, to refuse a repeated one (a scan while few, then a set).
#[derive(Default)]
struct Keys<'de> {
    few: Vec<Cow<'de, str>>,
    many: HashSet<Cow<'de, str>>,
}

impl<'de> Keys<'de> {
    const FEW: usize = 16;

    /// False when `key` was seen already.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if self.many.is_empty() && self.few.len() < Self::FEW {
            if self.few.contains(&key) {
                return false;
            }
            self.few.push(key);
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(key)
    }
}

/// A key, borrowed from the text unless it holds escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

impl Writer<'_> {
    fn string<E: de::Error>(self, v: &str) -> Result<(), E> {
        serde_json::to_writer(self.0, v).map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for Writer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        CompactFormatter.write_bool(self.0, v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        CompactFormatter.write_i64(self.0, v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        CompactFormatter.write_u64(self.0, v).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // As `Value` prints a number: JSON text cannot hold a non-finite one.
        if !v.is_finite() {
            return Err(E::custom("non-finite number"));
        }
        CompactFormatter.write_f64(self.0, v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.string(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        CompactFormatter.write_null(self.0).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push(b'[');
        let mut first = true;
        loop {
            let at = self.0.len();
            if !first {
                self.0.push(b',');
            }
            if seq.next_element_seed(Writer(self.0))?.is_none() {
                self.0.truncate(at);
                break;
            }
            first = false;
        }
        self.0.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.push(b'{');
        let mut keys = Keys::default();
        let mut first = true;
        while let Some(key) = map.next_key_seed(Key)? {
            if !first {
                self.0.push(b',');
            }
            first = false;
            Writer(self.0).string::<A::Error>(&key)?;
            self.0.push(b':');
            if !keys.insert(key) {
                return Err(de::Error::custom("repeated key"));
            }
            map.next_value_seed(Writer(self.0))?;
        }
        self.0.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::strategies::json_values;
    use proptest::prelude::*;
    use serde_json::Value;

    fn by_value(text: &str) -> Option<String> {
        serde_json::from_str::<Value>(text)
            .ok()
            .map(|v| v.to_string())
    }

    #[test]
    fn prints_as_a_value_prints() {
        for text in [
            r#" {"b": [1, -2, 3.50, 1e3, 1.5E-7, 18446744073709551616], "a": {"x": null}} "#,
            r#"{"s": "tab\t \u00e9 \/ \ud83d\ude00 \u0001 \"q\" <\u003c"}"#,
            r#"[[], {}, [{}], true, false, -0, 0.0, -0.0, 12345678901234567890]"#,
            r#""just a string""#,
            "42",
            r#"{"\u0061": 1, "b\n": 2}"#,
        ] {
            assert_eq!(compact(text), by_value(text), "{text}");
        }
    }

    #[test]
    fn refuses_repeated_keys_and_bad_text() {
        assert_eq!(compact(r#"{"a": 1, "a": 2}"#), None);
        assert_eq!(compact(r#"{"a": 1, "\u0061": 2}"#), None);
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let ok = format!("{{{}}}", many.join(","));
        assert_eq!(compact(&ok), by_value(&ok));
        let repeated = format!("{{{}, \"k3\": 0}}", many.join(","));
        assert_eq!(compact(&repeated), None);
        assert_eq!(compact("{\"a\": }"), None);
        assert_eq!(compact("[1] x"), None);
        assert_eq!(compact(""), None);
    }

    #[test]
    fn members_keep_order_repeats_and_raw_text() {
        let m = members(r#" {"b": [1, 2], "a\u0062": "x", "b": {"c": null}} "#).unwrap();
        let m: Vec<(&str, &str)> = m.iter().map(|(k, v)| (k.as_ref(), *v)).collect();
        assert_eq!(
            m,
            [("b", "[1, 2]"), ("ab", "\"x\""), ("b", r#"{"c": null}"#)]
        );
        assert_eq!(members("[1]"), None);
        assert_eq!(members(r#"{"a": 1} x"#), None);
    }

    proptest! {
        #[test]
        fn any_value_in_any_layout_prints_the_same(v in json_values()) {
            for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap_or_default()] {
                prop_assert_eq!(compact(&text), by_value(&text));
            }
        }
    }
}
