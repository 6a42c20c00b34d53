//! What the scanners read of a payload's JSON while walking it (`walk`), without building it:
//! a `<tool_response>` block as `tool::response_from_value` reads it, and a call as
//! `assistant::call_from_value` reads it.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

use super::failure::{Classified, ClassifyVisitor, FailureKeys};
use super::walk::{fallback, for_each_key, skip_seq, Kind, See, Seen, Skip, RAW_VALUE_TOKEN};

/// A `<tool_response>` block's JSON, as `tool::response_from_value` reads it: a
/// `{"tool_call_id", "name", "content"}` object, or any other value that is the content itself.
#[derive(Debug)]
pub enum Response {
    Block {
        call_id: Option<serde_json::Value>,
        name: Option<serde_json::Value>,
        content: Classified,
        /// The block or its content has an `error` key.
        error_key: bool,
    },
    /// The whole value is the content.
    Whole(Classified),
}

impl<'de> Deserialize<'de> for Response {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Response, D::Error> {
        d.deserialize_any(ResponseVisitor)
    }
}

struct ResponseVisitor;

macro_rules! whole_scalar {
    ($($name:ident($t:ty)),*) => {
        $(fn $name<E: de::Error>(self, v: $t) -> Result<Response, E> {
            ClassifyVisitor.$name(v).map(Response::Whole)
        })*
    };
}

impl<'de> Visitor<'de> for ResponseVisitor {
    type Value = Response;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    whole_scalar!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );
    fn visit_unit<E: de::Error>(self) -> Result<Response, E> {
        ClassifyVisitor.visit_unit().map(Response::Whole)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Response, A::Error> {
        ClassifyVisitor.visit_seq(seq).map(Response::Whole)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Response, A::Error> {
        const NAMES: &[&str] = &[
            "exit_code",
            "error",
            "success",
            "status",
            "traceback",
            "content",
            "name",
            "tool_call_id",
        ];
        let mut facts = FailureKeys::default();
        let (mut content, mut name, mut call_id) = (None, None, None);
        let any = for_each_key(&mut map, NAMES, |m, k| {
            match k {
                Some(5) => content = Some(m.next_value::<Classified>()?),
                Some(6) => name = Some(m.next_value::<serde_json::Value>()?),
                Some(7) => call_id = Some(m.next_value::<serde_json::Value>()?),
                k => facts.read(m, k)?,
            }
            Ok(())
        })?;
        Ok(match content {
            Some(content) if names_its_call(true, name.is_some(), call_id.is_some()) => {
                Response::Block {
                    error_key: facts.error_key || content.error_key,
                    call_id,
                    name,
                    content,
                }
            }
            _ => Response::Whole(Classified {
                failure: facts.failure(!any),
                kind: Kind::Object,
                error_key: facts.error_key,
            }),
        })
    }
}

// ---- Tool calls: what `assistant::call_from_value` reads of a payload ----

/// A call payload as `assistant::call_from_value` reads it.
#[derive(Debug)]
pub enum Call {
    NotObject,
    Object {
        /// The top-level `id`, when it is a string.
        id: Option<String>,
        /// `function`, when it is an object: then its keys replace the top level's.
        function: Option<CallKeys>,
        own: CallKeys,
    },
}

/// `name`, `arguments` and `parameters` of a call object (the last of a repeated key counts).
#[derive(Debug, Default)]
pub struct CallKeys {
    /// `Some(None)`: a `name` that is not a string.
    pub name: Option<Option<String>>,
    pub arguments: Option<Arg>,
    pub parameters: Option<Arg>,
}

/// A call's arguments as found.
#[derive(Debug)]
pub enum Arg {
    /// An object: its keys with the kind of each value, in order of first appearance (a
    /// repeated key keeps its first place and its last value, as in a `Map`).
    Object(Vec<(String, Kind)>),
    /// A string (that may hold JSON).
    String(String),
    /// Anything else (null, a number, a list…).
    Other,
}

impl<'de> Deserialize<'de> for Call {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Call, D::Error> {
        d.deserialize_any(CallVisitor)
    }
}

struct CallVisitor;

macro_rules! not_object {
    ($($name:ident($t:ty)),*) => {
        $(fn $name<E>(self, _: $t) -> Result<Call, E> {
            Ok(Call::NotObject)
        })*
    };
}

impl<'de> Visitor<'de> for CallVisitor {
    type Value = Call;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    not_object!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );
    fn visit_unit<E>(self) -> Result<Call, E> {
        Ok(Call::NotObject)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Call, A::Error> {
        skip_seq(seq)?;
        Ok(Call::NotObject)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Call, A::Error> {
        const NAMES: &[&str] = &["name", "arguments", "parameters", "id", "function"];
        let (mut own, mut id, mut function) = (CallKeys::default(), None, None);
        for_each_key(&mut map, NAMES, |m, k| {
            match k {
                Some(3) => {
                    id = match m.next_value_seed(See(str::to_owned))? {
                        Seen::Str(s) => Some(s),
                        _ => None,
                    }
                }
                Some(4) => function = m.next_value::<FunctionKeys>()?.0,
                k => own.read(m, k)?,
            }
            Ok(())
        })?;
        Ok(Call::Object { id, function, own })
    }
}

impl CallKeys {
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        m: &mut A,
        k: Option<usize>,
    ) -> Result<(), A::Error> {
        match k {
            Some(0) => {
                self.name = Some(match m.next_value_seed(See(str::to_owned))? {
                    Seen::Str(s) => Some(s),
                    _ => None,
                })
            }
            Some(1) => self.arguments = Some(m.next_value::<Arg>()?),
            Some(2) => self.parameters = Some(m.next_value::<Arg>()?),
            _ => {
                m.next_value_seed(Skip)?;
            }
        }
        Ok(())
    }
}

/// The value of `function`: its call keys when it is an object.
struct FunctionKeys(Option<CallKeys>);

impl<'de> Deserialize<'de> for FunctionKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FunctionKeys, D::Error> {
        d.deserialize_any(FunctionVisitor)
    }
}

struct FunctionVisitor;

macro_rules! no_function {
    ($($name:ident($t:ty)),*) => {
        $(fn $name<E>(self, _: $t) -> Result<FunctionKeys, E> {
            Ok(FunctionKeys(None))
        })*
    };
}

impl<'de> Visitor<'de> for FunctionVisitor {
    type Value = FunctionKeys;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    no_function!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );
    fn visit_unit<E>(self) -> Result<FunctionKeys, E> {
        Ok(FunctionKeys(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<FunctionKeys, A::Error> {
        skip_seq(seq)?;
        Ok(FunctionKeys(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FunctionKeys, A::Error> {
        let mut keys = CallKeys::default();
        for_each_key(&mut map, &["name", "arguments", "parameters"], |m, k| {
            keys.read(m, k)
        })?;
        Ok(FunctionKeys(Some(keys)))
    }
}

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Arg, D::Error> {
        d.deserialize_any(ArgVisitor)
    }
}

struct ArgVisitor;

macro_rules! other_arg {
    ($($name:ident($t:ty)),*) => {
        $(fn $name<E>(self, _: $t) -> Result<Arg, E> {
            Ok(Arg::Other)
        })*
    };
}

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    other_arg!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );
    fn visit_str<E>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::String(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Arg, E> {
        Ok(Arg::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Arg, A::Error> {
        skip_seq(seq)?;
        Ok(Arg::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        let mut keys: Vec<(String, Kind)> = Vec::new();
        let mut entry = |m: &mut A, key: String| -> Result<(), A::Error> {
            let kind = m.next_value_seed(Skip)?;
            match keys.iter_mut().find(|(k, _)| *k == key) {
                Some(e) => e.1 = kind,
                None => keys.push((key, kind)),
            }
            Ok(())
        };
        if let Some(first) = map.next_key_seed(OwnedKey { first: true })? {
            entry(&mut map, first)?;
            while let Some(key) = map.next_key_seed(OwnedKey { first: false })? {
                entry(&mut map, key)?;
            }
        }
        Ok(Arg::Object(keys))
    }
}

/// A key kept as text (a first key is checked for the raw value token).
struct OwnedKey {
    first: bool,
}

impl<'de> DeserializeSeed<'de> for OwnedKey {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for OwnedKey {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if self.first && v == RAW_VALUE_TOKEN {
            return Err(fallback());
        }
        Ok(v.to_owned())
    }
}

/// Whether an object with these keys is a response block (`{"tool_call_id", "name",
/// "content"}`: a content and something naming its call) rather than the content itself; one
/// rule for every reader of a response.
pub(crate) fn names_its_call(content: bool, name: bool, call_id: bool) -> bool {
    content && (name || call_id)
}
