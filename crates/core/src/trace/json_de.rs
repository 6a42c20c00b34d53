//! A serde `Deserializer` that gives the walkers (`walk`) the common payload faster than
//! serde_json: strings by `json_str` (16 bytes a step, borrowed when they hold no escape) and only
//! the numbers whose value serde_json's is certain to equal (integers of at most 18 digits, and
//! decimals of at most 15 digits scaled by at most 10^±22: one exact product or quotient, so the
//! correctly rounded f64 serde_json also gives). Everything else is `Refused`: a text that is not
//! JSON, another number, nesting past `MAX_DEPTH`, a visitor's own error. The caller then walks
//! the text again with serde_json, which gives exactly its own result or error, so a visitor's
//! result never depends on which reader ran. On the texts read here a visitor sees the calls
//! serde_json's `deserialize_any` makes, in the same order (`visit_borrowed_str` included).

use serde::de::{self, Deserialize, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use std::cell::Cell;
use std::fmt;

use super::json_str::{self, Literal};

/// The key serde_json's `Value` treats as a raw value when it comes first in an object, and the
/// name of the newtype serde_json reads a raw value as.
pub(super) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The text is left to serde_json.
#[derive(Debug)]
pub(super) struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

/// Lists and objects nested deeper than this are left to serde_json (which stops at 127).
const MAX_DEPTH: u32 = 100;

type Result<T> = std::result::Result<T, Refused>;

/// `deserialize_<name>` methods that refuse: serde_json reads these differently from
/// `deserialize_any`.
macro_rules! refuse {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(Refused)
        })*
    };
}

/// The JSON value at the start of `text` (after whitespace) when it is a list, object or
/// string, as serde_json's `StreamDeserializer` reads it: the value and the offset just past it.
/// `None`: leave it to serde_json.
pub(super) fn prefix<'de, T: Deserialize<'de>>(text: &'de str) -> Option<(T, usize)> {
    let mut r = Reader::new(text);
    // Only these end where they close: serde_json checks what follows any other value.
    if !matches!(r.peek_past_space(), Some(b'{' | b'[' | b'"')) {
        return None;
    }
    let value = T::deserialize(&mut r).ok()?;
    Some((value, r.i))
}

/// `text` as one whole JSON value with whitespace around it, as `serde_json::from_str` reads
/// it. `None`: leave it to serde_json.
pub(super) fn whole<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    let mut r = Reader::new(text);
    let value = T::deserialize(&mut r).ok()?;
    (r.peek_past_space().is_none()).then_some(value)
}

thread_local! {
    /// The decoding buffer, kept between walks so that its capacity is reused (a walk started
    /// inside another's visitor takes an empty one).
    static SCRATCH: Cell<String> = const { Cell::new(String::new()) };
}

/// Where the read is in the text.
struct Reader<'de> {
    text: &'de str,
    i: usize,
    depth: u32,
    scratch: String,
}

impl<'de> Reader<'de> {
    fn new(text: &'de str) -> Self {
        Reader {
            text,
            i: 0,
            depth: 0,
            scratch: SCRATCH.take(),
        }
    }

    /// The next byte that is not JSON whitespace (not consumed).
    fn peek_past_space(&mut self) -> Option<u8> {
        let s = self.text.as_bytes();
        while let Some(&b) = s.get(self.i) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.i += 1;
        }
        None
    }

    fn next_is(&mut self, b: u8) -> Result<()> {
        if self.peek_past_space() != Some(b) {
            return Err(Refused);
        }
        self.i += 1;
        Ok(())
    }

    /// Consumes the word `w` (`true`, `false`, `null`).
    fn word(&mut self, w: &str) -> Result<()> {
        if !self
            .text
            .as_bytes()
            .get(self.i..)
            .is_some_and(|s| s.starts_with(w.as_bytes()))
        {
            return Err(Refused);
        }
        self.i += w.len();
        Ok(())
    }

    /// The string literal at the read position (its opening quote next).
    fn string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.next_is(b'"')?;
        let (end, lit) = json_str::read(self.text, self.i, &mut self.scratch).ok_or(Refused)?;
        self.i = end;
        match lit {
            Literal::Borrowed(s) => visitor.visit_borrowed_str(s),
            Literal::Decoded(s) => visitor.visit_str(s),
        }
    }

    /// A number, where serde_json's value is certain (see the module's note).
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let s = self.text.as_bytes();
        let start = self.i;
        let digits_from = |mut j: usize| {
            while s.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            j
        };
        let negative = s.get(start) == Some(&b'-');
        let int_start = start + usize::from(negative);
        let mut j = match s.get(int_start) {
            Some(b'0') => int_start + 1,
            Some(b'1'..=b'9') => digits_from(int_start + 1),
            _ => return Err(Refused),
        };
        let int_digits = j - int_start;
        let mut fraction = 0;
        let mut exponent = 0i32;
        let mut float = false;
        if s.get(j) == Some(&b'.') {
            let end = digits_from(j + 1);
            fraction = end - (j + 1);
            if fraction == 0 {
                return Err(Refused);
            }
            (j, float) = (end, true);
        }
        if matches!(s.get(j), Some(b'e' | b'E')) {
            j += 1;
            let sign = match s.get(j) {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            j += usize::from(sign != 0);
            let end = digits_from(j);
            if !(1..=3).contains(&(end - j)) {
                return Err(Refused);
            }
            let magnitude: i32 = self.text[j..end].parse().map_err(|_| Refused)?;
            (exponent, j, float) = (if sign < 0 { -magnitude } else { magnitude }, end, true);
        }
        let literal = &self.text[start..j];
        self.i = j;
        if !float {
            if int_digits > 18 {
                return Err(Refused);
            }
            return match negative {
                false => visitor.visit_u64(literal.parse().map_err(|_| Refused)?),
                // serde_json reads `-0` as the float -0.0.
                true if literal == "-0" => Err(Refused),
                true => visitor.visit_i64(literal.parse().map_err(|_| Refused)?),
            };
        }
        let scale = exponent - i32::try_from(fraction).map_err(|_| Refused)?;
        if int_digits + fraction > 15 || !(-22..=22).contains(&scale) {
            return Err(Refused);
        }
        visitor.visit_f64(literal.parse().map_err(|_| Refused)?)
    }

    /// Before a member of the object or list closed by `close`: `false` at its end, else past the
    /// `,` that must come before every member but the first.
    fn before_member(&mut self, close: u8, first: &mut bool) -> Result<bool> {
        match self.peek_past_space() {
            Some(b) if b == close => return Ok(false),
            Some(b',') if !*first => self.i += 1,
            Some(_) if *first => {}
            _ => return Err(Refused),
        }
        *first = false;
        Ok(true)
    }

    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Refused);
        }
        self.i += 1;
        Ok(())
    }

    fn unnest(&mut self, close: u8) -> Result<()> {
        self.next_is(close)?;
        self.depth -= 1;
        Ok(())
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        SCRATCH.set(std::mem::take(&mut self.scratch));
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_past_space().ok_or(Refused)? {
            b'{' => {
                self.nest()?;
                let value = visitor.visit_map(Members {
                    r: &mut *self,
                    first: true,
                })?;
                self.unnest(b'}')?;
                Ok(value)
            }
            b'[' => {
                self.nest()?;
                let value = visitor.visit_seq(Elements {
                    r: &mut *self,
                    first: true,
                })?;
                self.unnest(b']')?;
                Ok(value)
            }
            b'"' => self.string(visitor),
            b't' => self.word("true").and_then(|()| visitor.visit_bool(true)),
            b'f' => self.word("false").and_then(|()| visitor.visit_bool(false)),
            b'n' => self.word("null").and_then(|()| visitor.visit_unit()),
            _ => self.number(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_past_space() == Some(b'n') {
            self.word("null")?;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        // serde_json reads its raw value here.
        if name == RAW_VALUE_TOKEN {
            return Err(Refused);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Refused)
    }

    refuse! { deserialize_bytes deserialize_byte_buf }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string unit unit_struct
        seq tuple tuple_struct map struct identifier
    }
}

/// An object's members, after its `{`.
struct Members<'r, 'de> {
    r: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.r.before_member(b'}', &mut self.first)? {
            return Ok(None);
        }
        // A key that is not a string is refused by `Key`.
        seed.deserialize(Key(&mut *self.r)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.r.next_is(b':')?;
        seed.deserialize(&mut *self.r)
    }
}

/// A list's elements, after its `[`.
struct Elements<'r, 'de> {
    r: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.r.before_member(b']', &mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

/// An object's key: always a string, which serde_json's key reader also gives as one where a
/// visitor asks for text or anything; the readings it makes of keys as numbers, booleans or
/// bytes are left to it.
struct Key<'r, 'de>(&'r mut Reader<'de>);

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(Refused)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Refused)
    }

    refuse! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_bytes deserialize_byte_buf
    }

    forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::strategies::json_values;
    use proptest::prelude::*;
    use serde_json::Value;

    /// What serde_json reads, as text that tells every value apart (`-0.0` from `0.0` too).
    fn by_serde_json_whole(text: &str) -> Option<String> {
        serde_json::from_str::<Value>(text)
            .ok()
            .map(|v| format!("{v:?}"))
    }

    fn by_serde_json_prefix(text: &str) -> Option<(String, usize)> {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        let v = stream.next()?.ok()?;
        Some((format!("{v:?}"), stream.byte_offset()))
    }

    /// Whatever `json_de` reads, serde_json reads the same; `true` when `json_de` read it.
    fn agrees(text: &str) -> bool {
        let whole = whole::<Value>(text).map(|v| format!("{v:?}"));
        if whole.is_some() {
            assert_eq!(whole, by_serde_json_whole(text), "whole {text:?}");
        }
        let pre = prefix::<Value>(text).map(|(v, end)| (format!("{v:?}"), end));
        if pre.is_some() {
            assert_eq!(pre, by_serde_json_prefix(text), "prefix {text:?}");
        }
        whole.is_some()
    }

    #[test]
    fn reads_the_common_texts_as_serde_json_does() {
        let cases = [
            r#"{"a": 1, "b": [true, false, null], "c": {"d": "e\nf"}}"#,
            r#" [ ] "#,
            r#"{}"#,
            r#""plain""#,
            r#""esc\"aped \u00e9 \ud83d\ude00""#,
            r#"{"k": "v", "k": "w"}"#,
            r#"[0, -1, 18446744073709551, -9007199254740993, 123456789012345678]"#,
            r#"[1.5, -0.25, 1e3, 1E-3, 2.5e+10, 0.1, 3.14159265358979, 1e22, 1e-22]"#,
            r#"[-0.0, 0.0, 1.0, 100.00]"#,
            "\t{\r\n\"a\"\n:\t1 }\n",
            "42",
            "true",
            "null",
        ];
        for text in cases {
            assert!(agrees(text), "{text:?} left to serde_json");
        }
    }

    #[test]
    fn leaves_to_serde_json_what_it_might_read_otherwise() {
        let long = format!("[{}]", "[".repeat(120) + &"]".repeat(120));
        let cases = [
            "-0",
            "[-0]",
            "1234567890123456789",
            "1.2345678901234567",
            "1e23",
            "1e-23",
            "1e400",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "{,}",
            "[,1]",
            "{\"a\" 1}",
            "{1: 2}",
            "[1 2]",
            "\"\\x\"",
            "\"tab\there\"",
            "\"unterminated",
            "[",
            "nul",
            "tru",
            "[1]x",
            "",
            "   ",
            &long,
        ];
        for text in cases {
            assert!(!agrees(text), "{text:?} read by json_de");
        }
    }

    #[test]
    fn a_prefix_ends_where_its_value_closes() {
        assert_eq!(
            prefix::<Value>("  {\"a\": [1]}  trailing </tool_call>").map(|(_, end)| end),
            Some(12)
        );
        // serde_json checks what follows a bare number, so it is left to it.
        assert!(prefix::<Value>("12 and more").is_none());
    }

    #[test]
    fn visitors_see_borrowed_text_where_there_is_no_escape() {
        #[derive(serde::Deserialize)]
        struct Borrows<'a> {
            #[serde(borrow)]
            a: &'a str,
        }
        let text = r#"{"a": "no escape"}"#;
        assert_eq!(whole::<Borrows>(text).map(|b| b.a), Some("no escape"));
        // An escaped text cannot be borrowed: serde_json fails the same way.
        assert!(whole::<Borrows>(r#"{"a": "e\n"}"#).is_none());
        assert!(serde_json::from_str::<Borrows>(r#"{"a": "e\n"}"#).is_err());
    }

    /// JSON-like text: pieces of valid JSON and the characters that break it.
    fn json_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("\"k\"".to_owned()),
            Just("\"a\\\"b\"".to_owned()),
            Just("\"\\u00e9\"".to_owned()),
            "-?[0-9]{1,20}(\\.[0-9]{0,8})?([eE][-+]?[0-9]{0,3})?",
            "\"[a-z \\\\n]{0,12}\"",
        ];
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn agrees_with_serde_json_on_random_texts(text in json_text()) {
            agrees(&text);
        }

        #[test]
        fn agrees_with_serde_json_on_values_and_their_damage(
            v in json_values(),
            pretty: bool,
            cut in any::<prop::sample::Index>(),
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            agrees(&text);
            let at = cut.index(text.len() + 1);
            if text.is_char_boundary(at) {
                agrees(&text[..at]);
                agrees(&format!("{}x{}", &text[..at], &text[at..]));
            }
        }

        #[test]
        fn decimals_it_reads_are_the_f64_serde_json_reads(
            int in 0u64..1_000_000_000,
            frac in "[0-9]{1,6}",
            exp in -16i32..16,
            negative: bool,
        ) {
            let text = format!("{}{int}.{frac}e{exp}", if negative { "-" } else { "" });
            if let Some(ours) = whole::<f64>(&text) {
                let theirs: f64 = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(ours.to_bits(), theirs.to_bits(), "{}", text);
            }
        }
    }
}
