//! Reading one JSON value at the start of a string and knowing where it ends: the primitive that
//! makes the tag scanners JSON-aware (a `</tool_call>` inside a JSON string never ends a call), and
//! the recovery of Python-style dicts (`{'name': 'x', 'arguments': {'a': True}}`).

use serde_json::Value;

/// Parses the JSON value at the start of `s` (after optional whitespace). Returns the value and
/// the byte offset just past it, or the parser's message and the byte offset where it failed.
pub fn parse_prefix(s: &str) -> Result<(Value, usize), (String, usize)> {
    let mut stream = serde_json::Deserializer::from_str(s).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v)) => Ok((v, stream.byte_offset())),
        Some(Err(e)) => Err((e.to_string(), offset_of(s, e.line(), e.column()))),
        None => Err((
            "expected a JSON value, found the end of the text".into(),
            s.len(),
        )),
    }
}

/// Converts serde_json's (line, column) into a byte offset within `s`.
pub fn offset_of(s: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = if line == 1 {
        0
    } else {
        s.match_indices('\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)
            .unwrap_or(s.len())
    };
    (line_start + column.saturating_sub(1)).min(s.len())
}

/// Converts a Python literal (single- or double-quoted strings, `True`/`False`/`None`) into JSON
/// text. Returns `None` when the text is not unambiguously such a literal (then nothing is
/// recovered and the call stays malformed).
pub fn python_literal_to_json(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    let mut saw_single_quote = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                saw_single_quote |= c == '\'';
                out.push('"');
                loop {
                    let ch = chars.next()?;
                    match ch {
                        '\\' => {
                            let esc = chars.next()?;
                            match esc {
                                '\'' => out.push('\''),
                                '"' => out.push_str("\\\""),
                                'n' | 't' | 'r' | 'b' | 'f' | '\\' | '/' | 'u' => {
                                    out.push('\\');
                                    out.push(esc);
                                }
                                _ => return None,
                            }
                        }
                        '"' if c == '\'' => out.push_str("\\\""),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        '\r' => out.push_str("\\r"),
                        ch if ch == c => break,
                        ch => out.push(ch),
                    }
                }
                out.push('"');
            }
            'T' | 'F' | 'N' => {
                let word: String = std::iter::once(c)
                    .chain(std::iter::from_fn(|| {
                        chars.next_if(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    }))
                    .collect();
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => return None,
                });
            }
            c if c.is_alphabetic() => return None,
            c => out.push(c),
        }
    }
    saw_single_quote.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prefix_stops_after_value() {
        let s = r#" {"a": "</tool_call>"}
</tool_call>rest"#;
        let (v, end) = parse_prefix(s).unwrap();
        assert_eq!(v, json!({"a": "</tool_call>"}));
        assert_eq!(&s[end..], "\n</tool_call>rest");
    }

    #[test]
    fn prefix_error_has_position() {
        let s = "{\"a\": 1,\n \"b\": }";
        let (msg, at) = parse_prefix(s).unwrap_err();
        assert!(msg.contains("line 2"), "{msg}");
        assert_eq!(&s[at..], "}");
    }

    #[test]
    fn python_dicts_are_recovered() {
        let j = python_literal_to_json(
            "{'name': 'terminal', 'arguments': {'command': \"it's\", 'x': True, 'y': None}}",
        )
        .unwrap();
        let v: Value = serde_json::from_str(&j).unwrap();
        assert_eq!(
            v,
            json!({"name": "terminal", "arguments": {"command": "it's", "x": true, "y": null}})
        );
    }

    #[test]
    fn python_escapes_and_embedded_quotes() {
        let j = python_literal_to_json(r#"{'a': 'say "hi"\n', 'b': 'it\'s'}"#).unwrap();
        let v: Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v, json!({"a": "say \"hi\"\n", "b": "it's"}));
    }

    #[test]
    fn ambiguous_text_is_not_recovered() {
        assert!(python_literal_to_json("{'name': <function-name>}").is_none());
        assert!(
            python_literal_to_json("{\"a\": 1}").is_none(),
            "plain JSON is not a Python dict"
        );
        assert!(python_literal_to_json("{'a': 'unterminated}").is_none());
    }
}
