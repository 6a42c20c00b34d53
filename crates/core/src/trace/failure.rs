//! Failure signals of one tool result, each a named rule so the dashboard can count them apart.
//!
//! `strict` is hermes-agent's own test (an `error` that is not null, `success: false`, a text that
//! starts with `error`, an empty result) plus exception shapes (`status: "error"`, a `traceback`,
//! `exit_code: -1`) and the "tool does not exist" message. `exit_code` is reported on its own: a
//! non-zero exit code is not always a failure (`grep` finding nothing exits 1).
//! The tutorial's rule lives in `stats::tutorial`, since it is defined on a whole tool message.

use serde_json::Value;

use super::model::{Content, Failure};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

use super::walk::{for_each_key, skip_seq, walk_whole, Kind, See, Seen, Skip};

pub fn classify(content: &Content) -> Failure {
    match content {
        Content::Json(Value::String(s)) | Content::Text(s) => classify_text(s),
        Content::Json(v) => classify_json(v),
    }
}

/// The failure signals of a result given as text (also a JSON string's contents).
pub fn classify_text(s: &str) -> Failure {
    let t = s.trim();
    // Results are sometimes JSON printed into a string.
    if t.starts_with('{') {
        match walk_whole::<Classified>(t) {
            Ok(Some(c)) if c.kind == Kind::Object => return c.failure,
            Ok(_) => {}
            Err(()) => {
                if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(t) {
                    return classify_json(&v);
                }
            }
        }
    }
    let strict = t.is_empty()
        || lower_starts_with(t, "error")
        || (lower_starts_with(t, "tool '") && t.contains("does not exist"));
    Failure {
        strict,
        exit_code: None,
    }
}

/// Whether the lower-cased first 64 characters of `t` start with `prefix`.
fn lower_starts_with(t: &str, prefix: &str) -> bool {
    let mut lower = t.chars().take(64).flat_map(char::to_lowercase);
    prefix.chars().all(|p| lower.next() == Some(p))
}

pub(super) fn classify_json(v: &Value) -> Failure {
    let Value::Object(obj) = v else {
        return Failure {
            strict: v.is_null(),
            exit_code: None,
        };
    };
    let exit_code = obj
        .get("exit_code")
        .and_then(Value::as_i64)
        .filter(|c| *c != 0);
    let error_set = match obj.get("error") {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(_) => true,
    };
    let strict = obj.is_empty()
        || error_set
        || obj.get("success") == Some(&Value::Bool(false))
        || obj.get("status").and_then(Value::as_str) == Some("error")
        || obj.get("traceback").is_some_and(|t| !t.is_null())
        || exit_code == Some(-1);
    Failure { strict, exit_code }
}

// ---- The same rules read from the JSON itself, while it is walked ----

/// A value read as a tool's result: its failure signals (`failure::classify` of it) and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classified {
    pub failure: Failure,
    pub kind: Kind,
    /// The value is an object with an `error` key (whatever its value).
    pub error_key: bool,
}

impl<'de> Deserialize<'de> for Classified {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Classified, D::Error> {
        d.deserialize_any(ClassifyVisitor)
    }
}

pub(super) struct ClassifyVisitor;

impl ClassifyVisitor {
    fn scalar<R>(seen: Seen<R>, failure: Failure) -> Classified {
        Classified {
            failure,
            kind: seen.kind(),
            error_key: false,
        }
    }
    fn plain(kind: Kind) -> Classified {
        Classified {
            failure: Failure {
                strict: kind == Kind::Null,
                exit_code: None,
            },
            kind,
            error_key: false,
        }
    }
}

impl<'de> Visitor<'de> for ClassifyVisitor {
    type Value = Classified;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Classified, E> {
        Ok(Self::plain(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Classified, E> {
        Ok(Self::plain(Kind::Number { integer: true }))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Classified, E> {
        Ok(Self::plain(Kind::Number { integer: true }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Classified, E> {
        Ok(Self::scalar(Seen::<()>::F64(v), Failure::default()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Classified, E> {
        Ok(Classified {
            failure: classify_text(v),
            kind: Kind::String,
            error_key: false,
        })
    }
    fn visit_unit<E>(self) -> Result<Classified, E> {
        Ok(Self::plain(Kind::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Classified, A::Error> {
        skip_seq(seq)?;
        Ok(Self::plain(Kind::Array))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Classified, A::Error> {
        let mut facts = FailureKeys::default();
        let any = for_each_key(&mut map, FailureKeys::NAMES, |m, k| facts.read(m, k))?;
        Ok(Classified {
            failure: facts.failure(!any),
            kind: Kind::Object,
            error_key: facts.error_key,
        })
    }
}

/// The keys of a result object that `failure::classify_json` looks at (the last of a repeated
/// key counts, as in a `Map`).
#[derive(Default)]
pub(super) struct FailureKeys {
    exit_code: Option<i64>,
    error: bool,
    /// An `error` key was there (its value aside).
    pub(super) error_key: bool,
    success_false: bool,
    status_error: bool,
    traceback: bool,
}

impl FailureKeys {
    pub(super) const NAMES: &'static [&'static str] =
        &["exit_code", "error", "success", "status", "traceback"];
    /// Indices past `NAMES` in a caller's own key list are the caller's.
    pub(super) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        m: &mut A,
        k: Option<usize>,
    ) -> Result<(), A::Error> {
        match k {
            // `Value::as_i64`: integers that fit an i64; floats are not.
            Some(0) => {
                self.exit_code = match m.next_value_seed(See(|_: &str| ()))? {
                    Seen::U64(u) => i64::try_from(u).ok(),
                    Seen::I64(i) => Some(i),
                    _ => None,
                }
            }
            Some(1) => {
                self.error_key = true;
                self.error = match m.next_value_seed(See(|s: &str| !s.trim().is_empty()))? {
                    Seen::Null => false,
                    Seen::Str(set) => set,
                    Seen::Bool(b) => b,
                    _ => true,
                }
            }
            Some(2) => {
                self.success_false =
                    matches!(m.next_value_seed(See(|_: &str| ()))?, Seen::Bool(false))
            }
            Some(3) => {
                self.status_error = matches!(
                    m.next_value_seed(See(|s: &str| s == "error"))?,
                    Seen::Str(true)
                )
            }
            Some(4) => {
                self.traceback = !matches!(m.next_value_seed(See(|_: &str| ()))?, Seen::Null)
            }
            _ => {
                m.next_value_seed(Skip)?;
            }
        }
        Ok(())
    }

    pub(super) fn failure(&self, empty: bool) -> Failure {
        let exit_code = self.exit_code.filter(|c| *c != 0);
        Failure {
            strict: empty
                || self.error
                || self.success_false
                || self.status_error
                || self.traceback
                || exit_code == Some(-1),
            exit_code,
        }
    }
}

/// `classify` as it was before results were walked: JSON printed into a string read as a
/// `Value` (the reference the walk is tested against).
#[cfg(test)]
pub(super) fn classify_value(content: &Content) -> Failure {
    fn text(s: &str) -> Failure {
        let t = s.trim();
        if t.starts_with('{') {
            if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(t) {
                return classify_json(&v);
            }
        }
        let head: String = t.chars().take(64).collect::<String>().to_lowercase();
        let strict = t.is_empty()
            || head.starts_with("error")
            || (head.starts_with("tool '") && t.contains("does not exist"));
        Failure {
            strict,
            exit_code: None,
        }
    }
    match content {
        Content::Json(Value::String(s)) | Content::Text(s) => text(s),
        Content::Json(v) => classify_json(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strict(v: Value) -> bool {
        classify(&Content::Json(v)).strict
    }

    #[test]
    fn terminal_success_with_null_error_is_not_a_failure() {
        assert!(!strict(
            json!({"output": "ok", "exit_code": 0, "error": null})
        ));
    }

    #[test]
    fn nonzero_exit_is_reported_but_not_a_failure() {
        let f = classify(&Content::Json(
            json!({"output": "", "exit_code": 1, "error": null}),
        ));
        assert!(!f.strict);
        assert_eq!(f.exit_code, Some(1));
    }

    #[test]
    fn failure_shapes() {
        assert!(strict(
            json!({"success": false, "error": "Session database not available."})
        ));
        assert!(strict(json!({"error": "boom"})));
        assert!(strict(
            json!({"output": "", "exit_code": -1, "error": "x", "status": "error", "traceback": "T"})
        ));
        assert!(strict(json!({"status": "error"})));
        assert!(strict(json!({})));
        assert!(strict(json!(null)));
        assert!(strict(json!("Error executing tool 'terminal': timeout")));
        assert!(strict(json!("Tool 'foo' does not exist")));
        assert!(strict(json!("")));
        assert!(strict(json!("{\"success\": false}")));
        assert!(!strict(json!("plain output that mentions an error later")));
        assert!(!strict(
            json!({"success": true, "content": "error handling docs"})
        ));
        assert!(!strict(json!([1, 2])));
    }
}
