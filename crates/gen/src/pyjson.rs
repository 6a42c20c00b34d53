//! Writers for JSON text as Python's `json.dumps(obj, ensure_ascii=False)` prints it
//! (separators `", "` and `": "`), which is how hermes-agent serialises calls, responses and
//! tool definitions inside the message strings.

/// Appends `s` as a JSON string literal, escaping like Python's `json.dumps(ensure_ascii=False)`:
/// `"` `\` and control characters below 0x20 (`\n \r \t \b \f` short forms, else `\u00XX`).
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// Like [`push_str`] without the surrounding quotes.
pub fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        if start < i {
            out.push_str(&s[start..i]);
        }
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&s[start..]);
    }
}

/// Appends a Python-repr style single-quoted string (used for the "Python dict" tricky calls).
pub fn push_py_repr(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push('\'');
}

/// Appends an integer.
pub fn push_int(out: &mut String, v: i64) {
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

/// Appends a float with two decimals (how the durations in hermes results look).
pub fn push_f2(out: &mut String, hundredths: u64) {
    use std::fmt::Write;
    let _ = write!(out, "{}.{:02}", hundredths / 100, hundredths % 100);
}

/// Incremental writer for a JSON object with Python separators.
pub struct Obj<'a> {
    pub out: &'a mut String,
    n: usize,
}

impl<'a> Obj<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, n: 0 }
    }

    /// Writes the key (plain ASCII, never needs escaping) and returns the buffer for the value.
    pub fn key(&mut self, k: &str) -> &mut String {
        if self.n > 0 {
            self.out.push_str(", ");
        }
        self.n += 1;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\": ");
        self.out
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        let o = self.key(k);
        push_str(o, v);
        self
    }

    pub fn int(&mut self, k: &str, v: i64) -> &mut Self {
        let o = self.key(k);
        push_int(o, v);
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).push_str(if v { "true" } else { "false" });
        self
    }

    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k).push_str("null");
        self
    }

    /// Appends already-serialised JSON as the value.
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k).push_str(json);
        self
    }

    /// Nested value written by a closure.
    pub fn with(&mut self, k: &str, f: impl FnOnce(&mut String)) -> &mut Self {
        f(self.key(k));
        self
    }

    /// Array of strings.
    pub fn strs<S: AsRef<str>>(&mut self, k: &str, vs: &[S]) -> &mut Self {
        let o = self.key(k);
        push_str_array(o, vs);
        self
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

/// Appends `["a", "b"]`.
pub fn push_str_array<S: AsRef<str>>(out: &mut String, vs: &[S]) {
    out.push('[');
    for (i, v) in vs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str(out, v.as_ref());
    }
    out.push(']');
}

/// Incremental writer for a JSON array whose items are written by closures.
pub struct Arr<'a> {
    pub out: &'a mut String,
    n: usize,
}

impl<'a> Arr<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('[');
        Arr { out, n: 0 }
    }

    pub fn item(&mut self) -> &mut String {
        if self.n > 0 {
            self.out.push_str(", ");
        }
        self.n += 1;
        self.out
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn end(self) {
        self.out.push(']');
    }
}

/// Length of `s` once escaped by `serde_json` (compact), without the quotes: serde_json escapes
/// `"`, `\` and bytes below 0x20 (`\b \f \n \r \t` short, others `\u00XX`), nothing else.
pub fn serde_escaped_len(s: &str) -> usize {
    static EXTRA: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 0x20 {
            t[i] = 5;
            i += 1;
        }
        t[0x08] = 1;
        t[0x0c] = 1;
        t[b'\n' as usize] = 1;
        t[b'\r' as usize] = 1;
        t[b'\t' as usize] = 1;
        t[b'"' as usize] = 1;
        t[b'\\' as usize] = 1;
        t
    };
    let mut extra = 0usize;
    for &b in s.as_bytes() {
        extra += EXTRA[b as usize] as usize;
    }
    s.len() + extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_python() {
        let mut s = String::new();
        push_str(&mut s, "a\"b\\c\nd\te\u{1b}f é 中 😀\u{7f}");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\te\\u001bf é 中 😀\u{7f}\"");
        let v: String = serde_json::from_str(&s).unwrap();
        assert_eq!(v, "a\"b\\c\nd\te\u{1b}f é 中 😀\u{7f}");
    }

    #[test]
    fn object_separators() {
        let mut s = String::new();
        let mut o = Obj::new(&mut s);
        o.str("name", "terminal").with("arguments", |b| {
            let mut a = Obj::new(b);
            a.str("command", "ls")
                .int("timeout", 60)
                .bool("pty", false)
                .null("x");
            a.end();
        });
        o.end();
        assert_eq!(
            s,
            r#"{"name": "terminal", "arguments": {"command": "ls", "timeout": 60, "pty": false, "x": null}}"#
        );
    }

    #[test]
    fn escaped_len_matches_serde() {
        for t in [
            "",
            "plain",
            "q\"b\\",
            "\u{1}\u{1f}\u{8}\u{c}\n\r\t",
            "é中😀\u{7f}\u{2028}",
        ] {
            assert_eq!(
                serde_escaped_len(t) + 2,
                serde_json::to_string(t).unwrap().len(),
                "{t:?}"
            );
        }
    }
}
