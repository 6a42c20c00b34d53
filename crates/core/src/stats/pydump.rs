//! Python's text rules, reproduced so tutorial-mode figures equal the notebook's to the digit:
//! `json.dumps` with its defaults (`ensure_ascii=True`, separators `", "` and `": "`, float
//! `repr`), and the whitespace set of `str.strip()`, `str.split()` and the regex `\s`.

use serde_json::{Number, Value};

/// Python's `str.isspace()`: Unicode White_Space plus the separators U+001C..U+001F.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()` as Python does it.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// `len(s.split())` as Python counts it: 64 bytes at a time as a bit mask of the bytes that are
/// (part of) whitespace, a word starting at each byte that is not, after one that is. Bytes of a
/// non-ASCII character count as not space (its lead byte starts the word, the others follow it),
/// except for Python's non-ASCII whitespace, whose UTF-8 starts with one of the lead bytes
/// C2, E1, E2, E3 (tested over every code point): only characters with such a lead are decoded.
/// The masks are built eight bytes at a time in a `u64` (SWAR), which works the same natively
/// and in wasm.
pub fn py_word_count(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut words = 0usize;
    let mut carry = 1u64; // the byte before the block is a space (or the start)
    let mut spill = 0usize; // a space character that ends past its block ends here
    let mut at = 0usize;
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        let (mut mask, mut high) = (0u64, 0u64);
        for (k, w) in block.chunks_exact(8).map(word).enumerate() {
            mask |= bits(swar::ascii_space(w)) << (8 * k);
            high |= w;
        }
        if spill > at {
            mask |= (1u64 << (spill - at)) - 1;
        }
        if high & swar::HIGH != 0 {
            let mut leads = 0u64;
            for (k, w) in block.chunks_exact(8).map(word).enumerate() {
                leads |= bits(swar::space_lead(w)) << (8 * k);
            }
            mask = non_ascii_spaces(s, at, leads, mask, &mut spill);
        }
        words += (!mask & ((mask << 1) | carry)).count_ones() as usize;
        carry = mask >> 63;
        at += 64;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let (mut mask, mut leads) = (0u64, 0u64);
        for (i, &b) in rest.iter().enumerate() {
            mask |= u64::from(ascii_space(b)) << i;
            leads |= u64::from(space_lead(b)) << i;
        }
        if spill > at {
            mask |= (1u64 << (spill - at)) - 1;
        }
        mask = non_ascii_spaces(s, at, leads, mask, &mut spill);
        let valid = u64::MAX >> (64 - rest.len());
        words += (!mask & valid & ((mask << 1) | carry)).count_ones() as usize;
    }
    words
}

/// Adds to `mask` (the block at byte `at` of `s`) the bytes of the whitespace characters that
/// start at the `leads` bits; `spill` is where one that runs past the block ends.
fn non_ascii_spaces(s: &str, at: usize, mut leads: u64, mut mask: u64, spill: &mut usize) -> u64 {
    while leads != 0 {
        let i = leads.trailing_zeros() as usize;
        leads &= leads - 1;
        let Some(c) = s.get(at + i..).and_then(|t| t.chars().next()) else {
            continue;
        };
        if is_py_space(c) {
            let end = (i + c.len_utf8()).min(64);
            mask |= (u64::MAX >> (64 - (end - i))) << i;
            *spill = at + i + c.len_utf8();
        }
    }
    mask
}

/// Eight bytes as a little-endian word.
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// The high bits of a word's bytes (as `swar` returns them) as 8 bits, byte `k` at bit `k`.
fn bits(high: u64) -> u64 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Byte classes of a little-endian word, each byte's answer in its high bit, exact per byte
/// (no borrow crosses bytes).
pub(crate) mod swar {
    pub const ONES: u64 = 0x0101_0101_0101_0101;
    pub const HIGH: u64 = 0x8080_8080_8080_8080;

    /// Bytes `lo < b < hi` (`hi <= 128`); bytes >= 0x80 are never in range.
    pub fn between(w: u64, lo: u8, hi: u8) -> u64 {
        let x = w & !HIGH;
        let below = (ONES * (127 + u64::from(hi))).wrapping_sub(x);
        let above = x + ONES * (127 - u64::from(lo));
        below & above & !w & HIGH
    }

    /// Bytes equal to `b`.
    pub fn eq(w: u64, b: u8) -> u64 {
        let x = w ^ (ONES * u64::from(b));
        !(((x & !HIGH) + !HIGH) | x) & HIGH
    }

    /// Python's ASCII whitespace: \t \n \x0b \x0c \r, \x1c..\x1f and space.
    pub fn ascii_space(w: u64) -> u64 {
        between(w, 0x08, 0x0e) | between(w, 0x1b, 0x21)
    }

    /// The lead bytes C2 and E0..E3 (a superset of those of Python's non-ASCII whitespace).
    pub fn space_lead(w: u64) -> u64 {
        eq(w, 0xc2) | eq(w & (ONES * 0xfc), 0xe0)
    }
}

/// The UTF-8 lead bytes of Python's non-ASCII whitespace (U+0085, U+00A0, U+1680,
/// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
fn space_lead(b: u8) -> bool {
    (b == 0xc2) | (b.wrapping_sub(0xe1) < 3)
}

/// Python's ASCII whitespace: \t \n \x0b \x0c \r, \x1c..\x1f and space.
fn ascii_space(b: u8) -> bool {
    (b.wrapping_sub(b'\t') < 5) | (b.wrapping_sub(0x1c) < 5)
}

/// `json.dumps(v)` with Python's defaults.
pub fn dumps(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// Bytes `json.dumps` writes as they are: printable ASCII but `"` and `\\`.
fn plain(b: u8) -> bool {
    (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    loop {
        // Copy the run of plain ASCII in one go; escape the character after it.
        let run = rest.bytes().position(|b| !plain(b)).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[usize::from((*u >> shift) & 0xf)] as char);
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `json.dumps(json.loads(text))` to `out` without building the value: the JSON is read
/// with serde_json's own parser (`deserialize_any`, as `Value` reads it, so exactly the same texts
/// are accepted) and written as it is read. `Err(Parse)` when `text` is not one JSON value;
/// `Err(DuplicateKey)` when an object repeats a key (a dict keeps the last value at the first
/// key's place: the caller must then go through `Value`). On error `out` holds a partial dump.
pub fn dumps_json_text(text: &str, out: &mut String) -> Result<(), DumpError> {
    let mut dup = false;
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Dump {
        out,
        prefix: "",
        dup: &mut dup,
    };
    serde::de::DeserializeSeed::deserialize(seed, &mut de).map_err(|_| DumpError::Parse)?;
    de.end().map_err(|_| DumpError::Parse)?;
    if dup {
        return Err(DumpError::DuplicateKey);
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpError {
    Parse,
    DuplicateKey,
}

/// Writes `prefix` then the dump of the next value.
struct Dump<'a> {
    out: &'a mut String,
    prefix: &'static str,
    dup: &'a mut bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Dump<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Dump<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.out.push_str(self.prefix);
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.out.push_str(self.prefix);
        write_number(self.out, &Number::from(v));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.out.push_str(self.prefix);
        write_number(self.out, &Number::from(v));
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        // As `Value` does: a non-finite float becomes null (serde_json never yields one here).
        self.out.push_str(self.prefix);
        match Number::from_f64(v) {
            Some(n) => write_number(self.out, &n),
            None => self.out.push_str("null"),
        }
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.out.push_str(self.prefix);
        write_string(self.out, v);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.out.push_str(self.prefix);
        self.out.push_str("null");
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.out.push_str(self.prefix);
        self.out.push('[');
        let mut first = true;
        while seq
            .next_element_seed(Dump {
                out: &mut *self.out,
                prefix: if first { "" } else { ", " },
                dup: &mut *self.dup,
            })?
            .is_some()
        {
            first = false;
        }
        self.out.push(']');
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.out.push_str(self.prefix);
        self.out.push('{');
        // Each key's dump, as a range of `out`, to notice a repeated key.
        let mut keys: Vec<(usize, usize)> = Vec::new();
        loop {
            let start = self.out.len() + if keys.is_empty() { 0 } else { 2 };
            let seed = Key {
                out: &mut *self.out,
                prefix: if keys.is_empty() { "" } else { ", " },
            };
            if map.next_key_seed(seed)?.is_none() {
                break;
            }
            let end = self.out.len();
            let key = &self.out[start..end];
            if keys.iter().any(|&(a, b)| &self.out[a..b] == key) {
                *self.dup = true;
            }
            keys.push((start, end));
            map.next_value_seed(Dump {
                out: &mut *self.out,
                prefix: ": ",
                dup: &mut *self.dup,
            })?;
        }
        self.out.push('}');
        Ok(())
    }
}

/// Writes `prefix` then the dump of an object key.
struct Key<'a> {
    out: &'a mut String,
    prefix: &'static str,
}

impl<'de> serde::de::DeserializeSeed<'de> for Key<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.out.push_str(self.prefix);
        write_string(self.out, v);
        Ok(())
    }
}

fn write_number(out: &mut String, n: &Number) {
    if n.is_i64() || n.is_u64() {
        out.push_str(&n.to_string());
    } else if let Some(f) = n.as_f64() {
        out.push_str(&float_repr(f));
    }
}

/// Python's `repr(float)`: shortest round-trip digits, fixed notation when the decimal exponent
/// is in [-4, 16), else `d.ddde+XX`; integral values keep a `.0`.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-d.ddde-7".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1; // value = 0.DIGITS × 10^decpt
    if (-4 < decpt) && (decpt <= 16) {
        let n = digits.len() as i32;
        let body = if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e = decpt - 1;
        format!(
            "{sign}{first}{frac}e{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dumps_like_python() {
        // Expected strings are what CPython 3.11's json.dumps prints.
        assert_eq!(
            dumps(&json!({"a": 1, "b": [true, null, "x"]})),
            r#"{"a": 1, "b": [true, null, "x"]}"#
        );
        assert_eq!(dumps(&json!("é\n\u{1}\"\\/")), r#""\u00e9\n\u0001\"\\/""#);
        assert_eq!(dumps(&json!("😀")), r#""\ud83d\ude00""#);
        assert_eq!(
            dumps(&json!({"z": 1, "a": 2})),
            r#"{"z": 1, "a": 2}"#,
            "key order kept"
        );
    }

    #[test]
    fn floats_like_python_repr() {
        for (f, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-7, "-2.5e-07"),
            (123.456, "123.456"),
            (1.5e300, "1.5e+300"),
        ] {
            assert_eq!(float_repr(f), want, "{f}");
        }
    }

    #[test]
    fn swar_classes_are_exact_per_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                for fill in [b'a', 0x00, 0xff, b' ', 0x80] {
                    let mut w = [fill; 8];
                    w[at] = b;
                    let w = u64::from_le_bytes(w);
                    let bit = |m: u64| (m >> (8 * at + 7)) & 1 == 1;
                    assert_eq!(bit(swar::ascii_space(w)), ascii_space(b), "{b:#x}");
                    let lead = b == 0xc2 || (0xe0..=0xe3).contains(&b);
                    assert_eq!(bit(swar::space_lead(w)), lead, "{b:#x}");
                    assert_eq!(bit(swar::eq(w, b'"')), b == b'"', "{b:#x}");
                    assert_eq!(bit(swar::between(w, 0x40, 0x5b)), b.is_ascii_uppercase());
                    assert_eq!(bits(swar::eq(w, b)) >> at & 1, 1);
                }
            }
        }
    }

    #[test]
    fn non_ascii_spaces_start_with_the_listed_leads() {
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            if is_py_space(c) {
                let mut b = [0u8; 4];
                c.encode_utf8(&mut b);
                assert!(space_lead(b[0]), "{c:?}");
            }
        }
    }

    #[test]
    fn python_whitespace() {
        assert_eq!(py_strip("\u{1c} a b \u{a0}\n"), "a b");
        assert_eq!(py_word_count("one\u{2003}two\u{1f}three  "), 3);
        // ASCII text of every length around the 64-byte blocks, words and spaces of every kind.
        let pieces = [
            "a", " ", "bc", "\t", "\n\n", "def ", "\u{1c}", "\u{1f}", "\x0b", "gh\r", "\x0c", "!",
        ];
        let mut t = String::new();
        let mut x = 7usize;
        while t.len() < 400 {
            let want = t.split(is_py_space).filter(|w| !w.is_empty()).count();
            assert_eq!(py_word_count(&t), want, "{t:?}");
            x = x.wrapping_mul(1103515245).wrapping_add(12345) % 65_536;
            t.push_str(pieces[x % pieces.len()]);
        }
        // The byte loop equals splitting on `is_py_space`, for every ASCII byte and a few others.
        let mut s: String = (0u8..0x80).map(char::from).collect();
        s.push_str("é\u{a0}x\u{85}y\u{3000}z\u{200b}w\u{2028}");
        for i in 0..s.len() {
            let t = s.get(i..).unwrap_or("");
            let want = t.split(is_py_space).filter(|w| !w.is_empty()).count();
            assert_eq!(py_word_count(t), want, "{t:?}");
        }
    }
}
