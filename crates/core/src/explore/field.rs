//! The filter's fields, each defined once: its name (the chip's `data-chip` hook), its keys in
//! the URL fragment, how it reads as text on a chip, how it is cleared, and how a value given as
//! text (from the URL, or the name of a clicked bar or slice) sets it. The URL (`link`), the
//! chips, chart clicks and the report's `options.selection` all go through this list.

use super::filter::{Filter, Rule};

/// A field of `Filter` as people and URLs name it (ranges are one field with two keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Text,
    Source,
    Category,
    Subcategory,
    Tool,
    Flag,
    Failure,
    Turns,
    Calls,
    Words,
    Width,
    First,
}

impl Field {
    /// Every field, in the order the URL writes them and the chips show them.
    pub const ALL: [Field; 12] = [
        Field::Text,
        Field::Source,
        Field::Category,
        Field::Subcategory,
        Field::Tool,
        Field::Flag,
        Field::Failure,
        Field::Turns,
        Field::Calls,
        Field::Words,
        Field::Width,
        Field::First,
    ];

    /// The field's name (the chip's `data-chip`; the URL key of a single-key field).
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    /// Its keys in the URL fragment: one, or a range's lower and upper bounds.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Field::Text => &["q"],
            Field::Turns => &["min_turns", "max_turns"],
            Field::Calls => &["min_calls", "max_calls"],
            Field::Words => &["min_words", "max_words"],
            f => std::slice::from_ref(&NAMES[f as usize]),
        }
    }

    /// The value under each key (`None`: not set), in the order of `keys`.
    pub fn values(self, f: &Filter) -> Vec<Option<String>> {
        let n = |v: Option<u32>| v.map(|n| n.to_string());
        match self {
            Field::Text => vec![(!f.text.is_empty()).then(|| f.text.clone())],
            Field::Source => vec![f.source.clone()],
            Field::Category => vec![f.category.clone()],
            Field::Subcategory => vec![f.subcategory.clone()],
            Field::Tool => vec![f.tool.clone()],
            Field::Flag => vec![f.flag.clone()],
            Field::Failure => vec![f.failure.map(|r| rule_name(r).to_owned())],
            Field::Turns => vec![n(f.min_turns), n(f.max_turns)],
            Field::Calls => vec![n(f.min_calls), n(f.max_calls)],
            Field::Words => vec![n(f.min_words), n(f.max_words)],
            Field::Width => vec![n(f.width)],
            Field::First => vec![f.first.map(|n| n.to_string())],
        }
    }

    /// Sets the field from `value` given under `key` (one of `keys`); a value that does not
    /// read clears it.
    pub fn set(self, f: &mut Filter, key: &str, value: String) {
        let bound = || value.parse().ok();
        let lower = self.keys().first() == Some(&key);
        match self {
            Field::Text => f.text = value,
            Field::Source => f.source = Some(value),
            Field::Category => f.category = Some(value),
            Field::Subcategory => f.subcategory = Some(value),
            Field::Tool => f.tool = Some(value),
            Field::Flag => f.flag = Some(value),
            Field::Failure => {
                f.failure = [Rule::Strict, Rule::Tutorial]
                    .into_iter()
                    .find(|r| rule_name(*r) == value)
            }
            Field::Turns if lower => f.min_turns = bound(),
            Field::Turns => f.max_turns = bound(),
            Field::Calls if lower => f.min_calls = bound(),
            Field::Calls => f.max_calls = bound(),
            Field::Words if lower => f.min_words = bound(),
            Field::Words => f.max_words = bound(),
            Field::Width => f.width = bound(),
            Field::First => f.first = value.parse().ok(),
        }
    }

    /// Removes the field from the filter.
    pub fn clear(self, f: &mut Filter) {
        match self {
            Field::Text => f.text.clear(),
            Field::Source => f.source = None,
            Field::Category => f.category = None,
            Field::Subcategory => f.subcategory = None,
            Field::Tool => f.tool = None,
            Field::Flag => f.flag = None,
            Field::Failure => f.failure = None,
            Field::Turns => (f.min_turns, f.max_turns) = (None, None),
            Field::Calls => (f.min_calls, f.max_calls) = (None, None),
            Field::Words => (f.min_words, f.max_words) = (None, None),
            Field::Width => f.width = None,
            Field::First => f.first = None,
        }
    }

    /// The field as a chip reads it ("3–10" for a range, "3 calls in a turn" for a width), or
    /// `None` when it is not set.
    pub fn shown(self, f: &Filter) -> Option<String> {
        let values = self.values(f);
        if values.iter().all(Option::is_none) {
            return None;
        }
        let text = |i: usize| values[i].clone().unwrap_or_default();
        Some(match self {
            Field::Turns | Field::Calls | Field::Words => format!("{}–{}", text(0), text(1)),
            Field::Width => format!("{} calls in a turn", text(0)),
            Field::First => format!("{} rows per source", text(0)),
            _ => text(0),
        })
    }

    /// The field a URL key belongs to.
    pub fn of_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.keys().contains(&key))
    }
}

/// The fields' names, indexed by `Field as usize`, in the order of `Field::ALL`.
static NAMES: [&str; 12] = [
    "text",
    "source",
    "category",
    "subcategory",
    "tool",
    "flag",
    "failure",
    "turns",
    "calls",
    "words",
    "width",
    "first",
];

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::Strict => "strict",
        Rule::Tutorial => "tutorial",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique() {
        let mut keys: Vec<&str> = Field::ALL.iter().flat_map(|f| f.keys()).copied().collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "ALL is in declaration order, as NAMES is");
            assert_eq!(Field::of_key(f.keys()[0]), Some(*f));
        }
    }

    #[test]
    fn every_field_set_from_its_values_gives_the_same_filter() {
        let f = Filter {
            text: "x".into(),
            source: Some("kimi".into()),
            category: Some("c".into()),
            subcategory: Some("s".into()),
            tool: Some("terminal".into()),
            flag: Some("malformed_call".into()),
            failure: Some(Rule::Tutorial),
            min_turns: Some(3),
            max_turns: None,
            min_calls: None,
            max_calls: Some(9),
            min_words: Some(1),
            max_words: Some(2),
            width: Some(3),
            first: Some(3000),
        };
        let mut g = Filter::default();
        for field in Field::ALL {
            assert!(field.shown(&f).is_some(), "{field:?}");
            for (key, v) in field.keys().iter().zip(field.values(&f)) {
                if let Some(v) = v {
                    field.set(&mut g, key, v);
                }
            }
        }
        assert_eq!(g, f);
        for field in Field::ALL {
            field.clear(&mut g);
            assert_eq!(field.shown(&g), None, "{field:?}");
        }
        assert_eq!(g, Filter::default());
        assert_eq!(Field::Turns.shown(&f).as_deref(), Some("3–"));
    }
}
