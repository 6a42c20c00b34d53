//! JSON string literals decoded in one pass over 16-byte blocks: each block's quote, backslash
//! and control bytes are found as one bit mask (SSE2 on x86-64, simd128 on wasm32, a plain loop
//! elsewhere), and the run before the first is copied whole.
//! Only what serde_json would decode to the same text is decoded here; anything it would
//! reject (a control character, an unknown escape, a lone surrogate) is `None`, so that the
//! caller can fall back to serde_json, which says exactly what is wrong.

/// Bit `i` is set when `block[i]` ends a run of plain string bytes: `"`, `\` or a control
/// character (below 0x20).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(unsafe_code)]
fn specials(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline, so every intrinsic here is available; the
    // unaligned load reads exactly the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        // v <= 0x1F, unsigned: the minimum of v and 0x1F is v.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) as u32
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn specials(block: &[u8; 16]) -> u32 {
    use std::arch::wasm32::*;
    let b = block;
    // Sixteen adjacent bytes: the compiler makes this one `v128.load`.
    let v = u8x16(
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15],
    );
    let quote = u8x16_eq(v, u8x16_splat(b'"'));
    let backslash = u8x16_eq(v, u8x16_splat(b'\\'));
    let control = u8x16_lt(v, u8x16_splat(0x20));
    u32::from(u8x16_bitmask(v128_or(v128_or(quote, backslash), control)))
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
fn specials(block: &[u8; 16]) -> u32 {
    let mut mask = 0u32;
    for (i, &b) in block.iter().enumerate() {
        mask |= u32::from(is_special(b)) << i;
    }
    mask
}

fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Where the run of plain string bytes that starts at `i` ends (the first special byte, or the
/// end of the text).
#[inline]
fn run_end(s: &[u8], mut i: usize) -> usize {
    while let Some(block) = s.get(i..i + 16).and_then(|b| <&[u8; 16]>::try_from(b).ok()) {
        let mask = specials(block);
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < s.len() && !is_special(s[i]) {
        i += 1;
    }
    i
}

/// A string literal's text: a slice of the input when it holds no escape, else decoded.
pub(crate) enum Literal<'t, 's> {
    Borrowed(&'t str),
    Decoded(&'s str),
}

impl<'t> Literal<'t, 't> {
    pub(crate) fn text(self) -> &'t str {
        match self {
            Literal::Borrowed(s) | Literal::Decoded(s) => s,
        }
    }
}

/// The string literal whose opening quote is just before `start` in `text`: the index just
/// after its closing quote, and its text, borrowed when it holds no escape and otherwise
/// decoded into `scratch` (cleared first). `None` where serde_json would not read the literal
/// as this text.
pub(crate) fn literal<'t>(
    text: &'t str,
    start: usize,
    scratch: &'t mut String,
) -> Option<(usize, &'t str)> {
    read(text, start, scratch).map(|(end, lit)| (end, lit.text()))
}

/// `literal`, saying whether the text is borrowed from `text` or decoded into `scratch`.
pub(crate) fn read<'t, 's>(
    text: &'t str,
    start: usize,
    scratch: &'s mut String,
) -> Option<(usize, Literal<'t, 's>)> {
    let s = text.as_bytes();
    let mut i = run_end(s, start);
    match s.get(i)? {
        b'"' => return Some((i + 1, Literal::Borrowed(text.get(start..i)?))),
        b'\\' => {}
        _ => return None,
    }
    scratch.clear();
    let mut from = start;
    loop {
        // `from..i` lies between ASCII bytes (or the literal's ends): a whole UTF-8 run.
        scratch.push_str(text.get(from..i)?);
        match s.get(i)? {
            b'"' => return Some((i + 1, Literal::Decoded(scratch.as_str()))),
            b'\\' => {
                i = escape(s, i + 1, scratch)?;
                from = i;
                i = run_end(s, i);
            }
            _ => return None,
        }
    }
}

/// Decodes the escape whose letter is at `i` into `out`: the index after it.
fn escape(s: &[u8], i: usize, out: &mut String) -> Option<usize> {
    let c = match s.get(i)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode(s, i + 1, out),
        _ => return None,
    };
    out.push(c);
    Some(i + 1)
}

/// A `\uXXXX` escape whose hex digits start at `i`, with the second half of a surrogate pair.
fn unicode(s: &[u8], i: usize, out: &mut String) -> Option<usize> {
    let first = hex4(s, i)?;
    let (code, end) = match first {
        0xD800..=0xDBFF => {
            if s.get(i + 4..i + 6)? != b"\\u" {
                return None;
            }
            let second = hex4(s, i + 6)?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            let code = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00);
            (code, i + 10)
        }
        0xDC00..=0xDFFF => return None,
        _ => (u32::from(first), i + 4),
    };
    out.push(char::from_u32(code)?);
    Some(end)
}

fn hex4(s: &[u8], i: usize) -> Option<u16> {
    let digits = s.get(i..i + 4)?;
    digits.iter().try_fold(0u16, |n, &d| {
        let v = char::from(d).to_digit(16)?;
        Some(n << 4 | v as u16)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json reads the literal as (`None` where it fails).
    fn serde(lit: &str) -> Option<String> {
        serde_json::from_str::<String>(lit).ok()
    }

    fn ours(lit: &str) -> Option<String> {
        let mut scratch = String::new();
        let (end, text) = literal(lit, 1, &mut scratch)?;
        (end == lit.len()).then(|| text.to_owned())
    }

    #[test]
    fn equals_serde_json_where_it_decodes() {
        let long = "x".repeat(40);
        let cases = [
            r#""""#.to_owned(),
            r#""plain""#.to_owned(),
            format!(r#""{long}""#),
            format!(r#""{long}\n{long}\"q\\ \/ \b\f\r\t""#),
            r#""h\u00e9llo \u4e2d \ud83d\ude00 end""#.to_owned(),
            format!(r#""é中😀{long}é\n""#),
            r#""\u0000 nul""#.to_owned(),
            format!(r#""{long}\u00E9\u00e9""#),
        ];
        for lit in &cases {
            assert_eq!(ours(lit), serde(lit), "{lit}");
            assert!(ours(lit).is_some(), "{lit}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let long = "y".repeat(33);
        let cases = [
            format!("\"{long}\u{1}\""),
            "\"tab\tinside\"".to_owned(),
            r#""\x""#.to_owned(),
            r#""\ud83d alone""#.to_owned(),
            r#""\ude00 trailing""#.to_owned(),
            r#""\ud83d\u0041""#.to_owned(),
            r#""\u12G4""#.to_owned(),
            r#""\u12"#.to_owned(),
            format!(r#""{long} unterminated"#),
            r#""ends in a backslash\"#.to_owned(),
        ];
        for lit in &cases {
            assert_eq!(serde(lit), None, "serde_json reads {lit}");
            assert_eq!(ours(lit), None, "{lit}");
        }
    }

    #[test]
    fn a_borrowed_literal_leaves_the_scratch_alone() {
        let mut scratch = String::from("kept");
        let (end, text) = literal(r#""abc", 1"#, 1, &mut scratch).unwrap();
        assert_eq!((end, text), (5, "abc"));
        assert_eq!(scratch, "kept");
    }

    #[test]
    fn every_split_of_a_block_finds_the_same_special() {
        for at in 0..40 {
            let mut lit = String::from("\"");
            lit.push_str(&"a".repeat(at));
            lit.push_str("\\n");
            lit.push_str(&"b".repeat(40 - at));
            lit.push('"');
            assert_eq!(ours(&lit), serde(&lit), "{lit}");
        }
    }
}
