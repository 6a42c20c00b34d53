//! The explorer's view as a URL fragment (`#category=coding&sort=turns&desc=1&row=a.jsonl:42`):
//! filters, sort, open row and step, so a link or a reload restores what the user was looking at
//! once the same files are dropped again.

use super::field::Field;
use super::filter::{Filter, SortKey};

/// A row named by its file and its 1-based line/row number there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKey {
    pub file: String,
    pub number: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    pub filter: Filter,
    pub sort: SortKey,
    pub descending: bool,
    pub row: Option<RowKey>,
    pub step: usize,
}

impl Filter {
    /// The fragment that selects these rows and nothing else (empty: every row), as the report's
    /// `options.selection` names a selection.
    pub fn fragment(&self) -> String {
        ViewState {
            filter: self.clone(),
            ..Default::default()
        }
        .encode()
    }
}

impl ViewState {
    /// The fragment, without `#`; empty for the default view.
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let filter = Field::ALL.into_iter().flat_map(|field| {
            let values = field.values(&self.filter);
            field.keys().iter().copied().zip(values)
        });
        let view = [
            (
                "sort",
                (self.sort != SortKey::Position).then(|| self.sort.as_str().to_owned()),
            ),
            ("desc", self.descending.then(|| "1".to_owned())),
            (
                "row",
                self.row
                    .as_ref()
                    .map(|r| format!("{}:{}", r.file, r.number)),
            ),
            ("step", (self.step > 0).then(|| self.step.to_string())),
        ];
        for (k, v) in filter.chain(view) {
            if let Some(v) = v {
                out.append_pair(k, &v);
            }
        }
        out.finish()
    }

    /// Reads a fragment (with or without `#`); unknown keys and unreadable values are ignored.
    pub fn decode(fragment: &str) -> ViewState {
        let mut s = ViewState::default();
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        for (k, v) in form_urlencoded::parse(fragment.as_bytes()) {
            let v = v.into_owned();
            if let Some(field) = Field::of_key(&k) {
                field.set(&mut s.filter, &k, v);
                continue;
            }
            match k.as_ref() {
                "sort" => s.sort = SortKey::parse(&v).unwrap_or_default(),
                "desc" => s.descending = v == "1",
                "row" => {
                    s.row = v.rsplit_once(':').and_then(|(file, n)| {
                        Some(RowKey {
                            file: file.to_owned(),
                            number: n.parse().ok()?,
                        })
                    })
                }
                "step" => s.step = v.parse().unwrap_or(0),
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::Rule;

    #[test]
    fn a_view_survives_the_round_trip() {
        let view = ViewState {
            filter: Filter {
                text: "a & b=c #d".into(),
                category: Some("coding/agents".into()),
                failure: Some(Rule::Tutorial),
                min_turns: Some(3),
                max_words: Some(900),
                width: Some(3),
                first: Some(3000),
                ..Filter::default()
            },
            sort: SortKey::ThinkWords,
            descending: true,
            row: Some(RowKey {
                file: "kimi/train:1.jsonl".into(),
                number: 42,
            }),
            step: 5,
        };
        let encoded = view.encode();
        assert!(
            !encoded.contains('#') && !encoded.contains(' '),
            "{encoded}"
        );
        assert_eq!(ViewState::decode(&format!("#{encoded}")), view);
        assert_eq!(ViewState::default().encode(), "");
        assert_eq!(
            ViewState::decode("#junk=1&min_turns=x&sort=nope"),
            ViewState::default()
        );
    }
}
