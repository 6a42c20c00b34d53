//! What the tutorial needs from `json.dumps(json.loads(text))` — whether its lower-cased text
//! contains an error marker, its length, the top-level `name` — read in one walk of `text`
//! (serde_json's own parser, as `Value` reads it, so exactly the same texts are accepted),
//! without building a `Value` or writing the dump.
//!
//! Why the markers can be found without the dump (`pydump` writes it: `", "`/`": "` separators,
//! `ensure_ascii`): the dump is ASCII, and lower-casing it touches letters only. Outside strings
//! it holds punctuation, numbers and `true`/`false`/`null`, none of which can hold `error` or
//! `traceback`, and both markers are letters only, so they lie inside one string's dump. Inside a
//! string's dump a character is either itself (printable ASCII but `"` and `\\`) or an escape: a
//! backslash, then letters (`\n`, `\t`, …) or `u` and four hex digits. A marker cannot hold a
//! backslash, so the only escape letter a match can use is the escape's last one, as the marker's
//! first letter: `\t` + `raceback` and a `\u` escape ending in hex `e` + `rror`. So the dump
//! of a string contains a marker when the string, with each printable ASCII character
//! lower-cased, each tab as `t` and every other escaped character as a barrier, contains it,
//! or when an escaped character whose last UTF-16 unit ends in `e` is followed by `rror`.
//! `"exit_code": 1` has quotes: it is a key equal to `exit_code` (ASCII case aside) whose value's
//! dump starts with `1` (a `"` inside a string's dump is always `\"`).
//!
//! A walk gives up (`Walk::Unsure`: the caller takes today's slow path) on a repeated key (a
//! dict keeps the last value at the first key's place: the dump is not the text's order) and on
//! serde_json's private keys (`$serde_json::private::…`, which `Value` reads differently).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::LazyLock;

use memchr::memmem::Finder;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::pydump::{float_repr, swar};

/// Why a walk has no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    /// The text is not one JSON value (as `serde_json::from_str::<Value>` would fail).
    Parse,
    /// The dump does not follow the text (a repeated key, a private key): take the slow path.
    Unsure,
}

/// A response block as the tutorial reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseFacts<'a> {
    /// The top-level `name` when the block is an object whose `name` is a string.
    pub name: Option<Cow<'a, str>>,
    /// `json.dumps` of the block, lower-cased, contains `error`, `"exit_code": 1` or `traceback`.
    pub error: bool,
}

/// A call as the tutorial reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFacts<'a> {
    /// The top-level `name` (a string); `None` when there is none.
    pub name: Option<Cow<'a, str>>,
    /// `len(json.dumps(call))`.
    pub dump_len: usize,
}

/// The facts of a response block; a non-string `name` is no name.
pub fn response_facts(text: &str) -> Result<ResponseFacts<'_>, Walk> {
    with_scratch(|scratch| {
        let mut st = State::new(scratch, Mode::Markers);
        walk(text, &mut st)?;
        Ok(ResponseFacts {
            name: st.name.take().filter(|_| !st.name_other),
            error: st.found,
        })
    })
}

/// The facts of a call; `Unsure` when its `name` is not a string (the tutorial then names it by
/// the dump of that value).
pub fn call_facts(text: &str) -> Result<CallFacts<'_>, Walk> {
    with_scratch(|scratch| {
        let mut st = State::new(scratch, Mode::Length);
        walk(text, &mut st)?;
        if st.name_other {
            return Err(Walk::Unsure);
        }
        Ok(CallFacts {
            name: st.name.take(),
            dump_len: st.len,
        })
    })
}

/// Whether the dump of the string `s` (`json.dumps(s)`), lower-cased, contains `error` or
/// `traceback`.
pub fn string_has_marker(s: &str) -> bool {
    with_scratch(|scratch| scan_markers(&mut scratch.buf, s))
}

/// The characters of `json.dumps(s)` for a string `s`, quotes included.
#[cfg(test)]
fn string_dump_len(s: &str) -> usize {
    2 + escaped_len(s.as_bytes())
}

fn walk<'a>(text: &'a str, st: &mut State<'_, 'a>) -> Result<(), Walk> {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Walker {
        st: &mut *st,
        top: true,
        exit_key: false,
        name_key: false,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if st.unsure {
        return Err(Walk::Unsure);
    }
    read.map_err(|_| Walk::Parse)
}

/// Buffers reused from walk to walk (one set per thread).
#[derive(Default)]
struct Scratch {
    /// The open objects' keys, back to back, and each key's range in it.
    keys: String,
    key_ranges: Vec<(usize, usize)>,
    /// A piece of a string, mapped for the marker search.
    buf: Vec<u8>,
}

fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    thread_local!(static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default()));
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            let out = f(&mut s);
            if s.keys.capacity() > 1 << 20 {
                s.keys = String::new(); // do not keep a huge buffer alive
            }
            out
        }
        Err(_) => f(&mut Scratch::default()),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Markers,
    Length,
}

struct State<'s, 'a> {
    scratch: &'s mut Scratch,
    mode: Mode,
    /// The top-level `name`, when it is a string; `name_other` when it is another value.
    name: Option<Cow<'a, str>>,
    name_other: bool,
    /// A marker was found (`Markers`).
    found: bool,
    /// The dump's length so far (`Length`).
    len: usize,
    unsure: bool,
}

impl<'s, 'a> State<'s, 'a> {
    fn new(scratch: &'s mut Scratch, mode: Mode) -> Self {
        scratch.keys.clear();
        scratch.key_ranges.clear();
        State {
            scratch,
            mode,
            name: None,
            name_other: false,
            found: false,
            len: 0,
            unsure: false,
        }
    }

    fn string(&mut self, s: &str) {
        match self.mode {
            Mode::Markers => {
                if !self.found && scan_markers(&mut self.scratch.buf, s) {
                    self.found = true;
                }
            }
            Mode::Length => self.len += 2 + escaped_len(s.as_bytes()),
        }
    }

    /// A scalar other than a string: its dump, for the length and for `"exit_code": 1`.
    fn scalar(&mut self, dump_len: usize, starts_with_1: bool, exit_key: bool) {
        match self.mode {
            Mode::Markers => self.found |= exit_key && starts_with_1,
            Mode::Length => self.len += dump_len,
        }
    }

    fn give_up<E: de::Error>(&mut self) -> E {
        self.unsure = true;
        E::custom("the dump does not follow the text")
    }
}

/// Reads one value.
struct Walker<'w, 's, 'a> {
    st: &'w mut State<'s, 'a>,
    /// The value is the whole text (its `name` key is the one that counts).
    top: bool,
    /// The value is that of a key `exit_code`.
    exit_key: bool,
    /// The value is that of the top-level `name`.
    name_key: bool,
}

impl<'a> DeserializeSeed<'a> for Walker<'_, '_, 'a> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

fn digits(mut v: u64) -> (usize, bool) {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    (n, v == 1)
}

impl<'a> Walker<'_, '_, 'a> {
    fn other_name(&mut self) {
        if self.name_key {
            self.st.name_other = true;
        }
    }
}

impl<'a> Visitor<'a> for Walker<'_, '_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(mut self, v: bool) -> Result<(), E> {
        self.other_name();
        self.st.scalar(if v { 4 } else { 5 }, false, self.exit_key);
        Ok(())
    }
    fn visit_i64<E>(mut self, v: i64) -> Result<(), E> {
        self.other_name();
        let (n, one) = digits(v.unsigned_abs());
        let n = n + usize::from(v < 0);
        self.st.scalar(n, one && v >= 0, self.exit_key);
        Ok(())
    }
    fn visit_u64<E>(mut self, v: u64) -> Result<(), E> {
        self.other_name();
        let (n, one) = digits(v);
        self.st.scalar(n, one, self.exit_key);
        Ok(())
    }
    fn visit_f64<E>(mut self, v: f64) -> Result<(), E> {
        // As `pydump` writes a float (serde_json never yields a non-finite one here).
        self.other_name();
        if self.st.mode == Mode::Markers && !self.exit_key {
            return Ok(()); // only `"exit_code": 1…` looks at a number
        }
        let repr = if v.is_finite() {
            float_repr(v)
        } else {
            "null".to_owned()
        };
        self.st
            .scalar(repr.len(), repr.starts_with('1'), self.exit_key);
        Ok(())
    }
    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<(), E> {
        if self.name_key {
            self.st.name = Some(Cow::Borrowed(v));
        }
        self.st.string(v);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        if self.name_key {
            self.st.name = Some(Cow::Owned(v.to_owned()));
        }
        self.st.string(v);
        Ok(())
    }
    fn visit_unit<E>(mut self) -> Result<(), E> {
        self.other_name();
        self.st.scalar(4, false, self.exit_key);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'a>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.other_name();
        let mut n = 0usize;
        while seq
            .next_element_seed(Walker {
                st: &mut *self.st,
                top: false,
                exit_key: false,
                name_key: false,
            })?
            .is_some()
        {
            n += 1;
        }
        // `[`, `]` and a `, ` between items.
        self.st.len += 2 + 2 * n.saturating_sub(1);
        Ok(())
    }
    fn visit_map<A: MapAccess<'a>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.other_name();
        let mark = self.st.scratch.key_ranges.len();
        let keys_mark = self.st.scratch.keys.len();
        let mut n = 0usize;
        while let Some(key) = map.next_key_seed(Key {
            st: &mut *self.st,
            mark,
        })? {
            n += 1;
            map.next_value_seed(Walker {
                st: &mut *self.st,
                top: false,
                exit_key: key.exit_code,
                name_key: self.top && key.name,
            })?;
        }
        // `{`, `}`, `: ` after each key and a `, ` between entries.
        self.st.len += 2 + 2 * n + 2 * n.saturating_sub(1);
        self.st.scratch.key_ranges.truncate(mark);
        self.st.scratch.keys.truncate(keys_mark);
        Ok(())
    }
}

/// What a key says about its value.
struct KeyKind {
    exit_code: bool,
    name: bool,
}

/// Reads a key: checks it is not repeated in its object (`mark`: where the object's keys
/// start), then counts it as a string.
struct Key<'w, 's, 'a> {
    st: &'w mut State<'s, 'a>,
    mark: usize,
}

impl<'a> DeserializeSeed<'a> for Key<'_, '_, 'a> {
    type Value = KeyKind;
    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<KeyKind, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'a> Visitor<'a> for Key<'_, '_, 'a> {
    type Value = KeyKind;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, k: &str) -> Result<KeyKind, E> {
        if k.starts_with("$serde_json::private::") {
            return Err(self.st.give_up());
        }
        let sc = &mut *self.st.scratch;
        let repeated = sc.key_ranges[self.mark..]
            .iter()
            .any(|&(a, b)| b - a == k.len() && &sc.keys[a..b] == k);
        if repeated {
            return Err(self.st.give_up());
        }
        let start = sc.keys.len();
        sc.keys.push_str(k);
        sc.key_ranges.push((start, sc.keys.len()));
        self.st.string(k);
        Ok(KeyKind {
            exit_code: k.eq_ignore_ascii_case("exit_code"),
            name: k == "name",
        })
    }
}

/// Bytes a string's dump takes beyond one per input byte, by input byte: 1 for a two-character
/// escape, 5 for a `\u00XX` control, and per non-ASCII character (counted at its lead byte)
/// 6 − its UTF-8 length per UTF-16 unit.
const EXTRA: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 5;
        b += 1;
    }
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[0x08] = 1;
    t[0x0c] = 1;
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t[0x7f] = 5;
    // Continuation bytes 0x80..=0xBF add nothing; lead bytes carry their character's escape.
    let mut b = 0xc0;
    while b < 0x100 {
        t[b] = match b {
            0xc0..=0xdf => 6 - 2,
            0xe0..=0xef => 6 - 3,
            _ => 12 - 4,
        };
        b += 1;
    }
    t
};

/// `len(json.dumps(s)) - 2` for the UTF-8 text `s`: eight plain bytes at a time.
fn escaped_len(s: &[u8]) -> usize {
    let mut extra = 0usize;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        if !plain8(w) {
            extra += c
                .iter()
                .map(|&b| usize::from(EXTRA[usize::from(b)]))
                .sum::<usize>();
        }
    }
    extra += chunks
        .remainder()
        .iter()
        .map(|&b| usize::from(EXTRA[usize::from(b)]))
        .sum::<usize>();
    s.len() + extra
}

/// All eight bytes are printable ASCII but `"` and `\\`.
fn plain8(w: u64) -> bool {
    let printable = swar::between(w, 0x1f, 0x7f) & !swar::eq(w, b'"') & !swar::eq(w, b'\\');
    printable == swar::HIGH
}

/// How much of a long string is mapped and searched at once.
const PIECE: usize = 8 << 10;
/// Bytes kept from one piece to the next, so that a marker across them is found: one less
/// than the longest marker (`traceback`).
const KEEP: usize = 8;

static RROR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"rror"));
static ERROR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"error"));
static TRACEBACK: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"traceback"));

/// The search form of a byte: printable ASCII lower-cased, a tab as `t`, any other byte
/// (escaped by the dump, or part of a non-ASCII character) a barrier (0, which no marker holds).
fn search_byte(b: u8) -> u8 {
    let printable = b.wrapping_sub(0x20) < 0x5f && b != b'"' && b != b'\\';
    let upper = b.wrapping_sub(b'A') < 26;
    if b == b'\t' {
        b't'
    } else if printable {
        b | (u8::from(upper) << 5)
    } else {
        0
    }
}

/// `search_byte` of the eight bytes of a word, and (high bits) which of them may be a
/// character escaped as `\u…e`: a non-ASCII byte, 0x0e or 0x1e.
fn search_word(w: u64) -> (u64, u64) {
    let upper = swar::between(w, 0x40, 0x5b);
    let printable = swar::between(w, 0x1f, 0x7f) & !swar::eq(w, b'"') & !swar::eq(w, b'\\');
    let tab = swar::eq(w, b'\t');
    let keep = (printable >> 7) * 0xff;
    let out = ((w | (upper >> 2)) & keep) | ((tab >> 7) * u64::from(b't'));
    let special = (w & swar::HIGH) | swar::eq(w & (swar::ONES * 0xef), 0x0e);
    (out, special)
}

/// Whether the dump of `s`, lower-cased, contains `error` or `traceback` (see the module's
/// notes): `s` in pieces, each mapped by `search_byte` into `buf` after the last `KEEP` bytes
/// of the piece before.
fn scan_markers(buf: &mut Vec<u8>, s: &str) -> bool {
    let bytes = s.as_bytes();
    // The shortest string that can hold a marker: an escaped character + "rror".
    if bytes.len() < 5 {
        return false;
    }
    buf.clear();
    let mut at = 0; // input bytes mapped so far
                    // An escaped character whose escape ends in `e` may be in this piece or in what is kept of
                    // the one before.
    let mut special = 0u64;
    while at < bytes.len() {
        let kept = buf.len();
        let n = (PIECE - kept).min(bytes.len() - at);
        let piece = &bytes[at..at + n];
        buf.reserve(n);
        let mut words = piece.chunks_exact(8);
        for c in &mut words {
            let (out, sp) = search_word(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
            buf.extend_from_slice(&out.to_le_bytes());
            special |= sp;
        }
        for &b in words.remainder() {
            buf.push(search_byte(b));
            special |= u64::from(b >= 0x80 || b & 0xef == 0x0e);
        }
        if ERROR.find(buf).is_some() || TRACEBACK.find(buf).is_some() {
            return true;
        }
        // `buf[i]` is input byte `base + i`.
        let base = at - kept;
        if special != 0 && escaped_e_before_rror(buf, s, base) {
            return true;
        }
        at += n;
        if at < bytes.len() {
            let keep = buf.len().min(KEEP);
            let from = buf.len() - keep;
            buf.copy_within(from.., 0);
            buf.truncate(keep);
        }
    }
    false
}

/// An `rror` in `buf` right after a barrier that stands for a character escaped as `\u…e`.
/// (An `rror` at the start of `buf` is at the start of `s`, or was seen in the piece before.)
fn escaped_e_before_rror(buf: &[u8], s: &str, base: usize) -> bool {
    RROR.find_iter(buf).any(|i| {
        if i == 0 || buf[i - 1] != 0 {
            return false;
        }
        // The character that ends at input byte `base + i - 1`.
        let end = base + i;
        let bytes = s.as_bytes();
        let mut start = end - 1;
        while start > 0 && (bytes[start] & 0xc0) == 0x80 {
            start -= 1;
        }
        s.get(start..end)
            .and_then(|c| c.chars().next())
            .is_some_and(|c| (c as u32) & 0xf == 0xe && !(' '..='~').contains(&c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pydump::dumps;
    use proptest::prelude::*;
    use serde_json::Value;

    /// The slow truth: the dump of `s`, lower-cased, searched.
    fn marker_by_dump(s: &str) -> bool {
        let d = dumps(&Value::String(s.to_owned())).to_ascii_lowercase();
        d.contains("error") || d.contains("traceback")
    }

    #[test]
    fn escapes_that_make_letters() {
        for (s, want) in [
            ("an error", true),
            ("ERROR", true),
            ("a\traceback", true),
            ("\u{fe}rror", true),  // \u00fe + rror
            ("\u{e}rror", true),   // \u000e + rror
            ("\u{1e}RROR", true),  // \u001e + rror
            ("\u{7f}rror", false), // \u007f
            ("Nrror", false),      // N is itself: nrror
            ("\u{4e}rror", false), // the same N
            ("\u{2e}rror", false), // .
            ("trac\u{fe}back", false),
            ("\u{1f40e}rror", true), // \ud83d\udc0e + rror
            ("\u{1f40f}rror", false),
            ("\u{10e}rror", true),
            ("e\u{fe}rror", true),
            ("\nrror", false),
            ("\\error", true),
            ("\"error\"", true),
            ("err\u{0}or", false),
            ("rror", false),
            ("", false),
        ] {
            assert_eq!(marker_by_dump(s), want, "dump truth {s:?}");
            assert_eq!(string_has_marker(s), want, "{s:?}");
        }
    }

    #[test]
    fn markers_across_pieces() {
        for pad in (PIECE - 12)..(PIECE + 12) {
            for marker in ["error", "traceback", "\u{fe}rror", "\traceback"] {
                let s = format!("{}{marker}{}", "x".repeat(pad), "y".repeat(3));
                assert!(string_has_marker(&s), "{pad} {marker:?}");
                let s = format!("{}{marker}", "é".repeat(pad / 2));
                assert!(string_has_marker(&s), "{pad} {marker:?} after non-ASCII");
            }
            let s = format!("{}trac\u{fe}back\u{7f}rror", "x".repeat(pad));
            assert!(!string_has_marker(&s));
        }
        // Three pieces and more.
        let s = format!("{}error", "ab\n".repeat(3 * PIECE));
        assert!(string_has_marker(&s));
    }

    #[test]
    fn search_word_is_search_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                for fill in [b'a', b'Z', 0x00, 0xff, b'\t', 0x80] {
                    let mut w = [fill; 8];
                    w[at] = b;
                    let (out, special) = search_word(u64::from_le_bytes(w));
                    let want: Vec<u8> = w.iter().map(|&b| search_byte(b)).collect();
                    assert_eq!(out.to_le_bytes().to_vec(), want, "{b:#x} at {at}");
                    let sp = (special >> (8 * at + 7)) & 1 == 1;
                    assert_eq!(sp, b >= 0x80 || b == 0x0e || b == 0x1e, "{b:#x}");
                }
            }
        }
    }

    #[test]
    fn plain8_is_the_plain_test() {
        for b in 0..=255u8 {
            let plain = (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\';
            for at in 0..8 {
                let mut w = [b'a'; 8];
                w[at] = b;
                assert_eq!(plain8(u64::from_le_bytes(w)), plain, "{b:#x} at {at}");
            }
        }
    }

    fn text() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "a",
            "E",
            "e",
            "r",
            "R",
            "o",
            "rror",
            "error",
            "Error",
            "trace",
            "back",
            "traceback",
            "\t",
            "raceback",
            "\u{e}",
            "\u{1e}",
            "\u{fe}",
            "\u{7f}",
            "é",
            "中",
            "😀",
            "\u{1f40e}",
            "\n",
            "\"",
            "\\",
            " ",
            "N",
            "\u{0}",
            "\u{85}",
            "\u{2028}",
        ]);
        prop::collection::vec(atoms, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn marker_search_equals_the_dump(s in text()) {
            prop_assert_eq!(string_has_marker(&s), marker_by_dump(&s));
            let d = dumps(&Value::String(s.clone()));
            prop_assert_eq!(string_dump_len(&s), d.len());
        }

        #[test]
        fn any_string_dump_length(s in any::<String>()) {
            let d = dumps(&Value::String(s.clone()));
            prop_assert_eq!(string_dump_len(&s), d.len());
            prop_assert_eq!(string_has_marker(&s), marker_by_dump(&s));
        }
    }
}
