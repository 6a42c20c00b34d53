//! The page's place as a URL fragment (`#view=trajectories&category=coding&sort=turns&desc=1&row=a.jsonl:42`):
//! the view shown, filters, sort, open row and step, so a link, a reload or the back button
//! restores what the user was looking at once the same files are dropped again. A remote source
//! goes first (`#hub=owner/name&config=kimi&rev=main`, or `#url=https://…`): such a link reads
//! the data itself, so it opens the same view for anyone.

use super::field::Field;
use super::filter::{Filter, SortKey};
use super::pair::Outcomes;
use crate::hub::{Dataset, Target};

/// A row named by its file and its 1-based line/row number there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKey {
    pub file: String,
    pub number: u64,
}

/// The page's views, each its own fragment (`#view=tools`), in the order the page lists them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    #[default]
    Overview,
    Tools,
    Failures,
    Reasoning,
    Conversations,
    Trajectories,
    Export,
    Compare,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Overview,
        View::Tools,
        View::Failures,
        View::Reasoning,
        View::Conversations,
        View::Trajectories,
        View::Export,
        View::Compare,
    ];

    /// The name in the fragment and in the page's hooks (`data-view`, `view-<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Tools => "tools",
            View::Failures => "failures",
            View::Reasoning => "reasoning",
            View::Conversations => "conversations",
            View::Trajectories => "trajectories",
            View::Compare => "compare",
            View::Export => "export",
        }
    }

    pub fn parse(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == name)
    }

    /// The name a reader sees.
    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Tools => "Tools",
            View::Failures => "Failures",
            View::Reasoning => "Reasoning",
            View::Conversations => "Conversations",
            View::Trajectories => "Trajectories",
            View::Compare => "Compare",
            View::Export => "Export",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    /// What the page reads when the link is opened: a Hub dataset or a file's URL (`None`: the
    /// user's own files, which a link cannot carry).
    pub source: Option<Target>,
    pub view: View,
    pub filter: Filter,
    pub sort: SortKey,
    pub descending: bool,
    pub row: Option<RowKey>,
    pub step: usize,
    /// What the compare view compares and shows (`#a=…&b=…&pairs=…&pair=…`).
    pub compare: Comparing,
}

/// The compare view's place: its two groups (`explore::compare::Choice` names), which pairs it
/// lists and the pair open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparing {
    pub a: Option<String>,
    pub b: Option<String>,
    pub outcomes: Outcomes,
    /// The open pair's key (`explore::pair::Pair::key`).
    pub pair: Option<String>,
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
        let place = source_pairs(self.source.as_ref()).into_iter().chain([(
            "view",
            (self.view != View::Overview).then(|| self.view.as_str().to_owned()),
        )]);
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
            ("a", self.compare.a.clone()),
            ("b", self.compare.b.clone()),
            (
                "pairs",
                (self.compare.outcomes != Outcomes::All)
                    .then(|| self.compare.outcomes.as_str().to_owned()),
            ),
            ("pair", self.compare.pair.clone()),
        ];
        for (k, v) in place.into_iter().chain(filter).chain(view) {
            if let Some(v) = v {
                out.append_pair(k, &v);
            }
        }
        out.finish()
    }

    /// Reads a fragment (with or without `#`); unknown keys and unreadable values are ignored.
    /// A link from before views existed that opens a row shows the trajectories.
    pub fn decode(fragment: &str) -> ViewState {
        let mut s = ViewState::default();
        let mut view = None;
        let (mut dataset, mut narrow): (Option<Dataset>, Dataset) = (None, Dataset::new(""));
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
                "a" => s.compare.a = Some(v).filter(|v| !v.is_empty()),
                "b" => s.compare.b = Some(v).filter(|v| !v.is_empty()),
                "pairs" => s.compare.outcomes = Outcomes::parse(&v).unwrap_or_default(),
                "pair" => s.compare.pair = Some(v).filter(|v| !v.is_empty()),
                "view" => view = View::parse(&v),
                "hub" if crate::hub::input::is_dataset_id(&v) => dataset = Some(Dataset::new(v)),
                "config" => narrow.configs = split_list(&v),
                "rev" => narrow.rev = Some(v).filter(|r| !r.is_empty()),
                "path" => narrow.path = Some(v).filter(|p| !p.is_empty()),
                "url" if v.starts_with("https://") || v.starts_with("http://") => {
                    s.source = Some(Target::Url(v))
                }
                _ => {}
            }
        }
        if let Some(ds) = dataset {
            s.source = Some(Target::Dataset(Dataset {
                id: ds.id,
                ..narrow
            }));
        }
        s.view = match (view, &s.row) {
            (Some(v), _) => v,
            (None, Some(_)) => View::Trajectories,
            (None, None) => View::Overview,
        };
        s
    }
}

/// A source's keys, in the order the fragment holds them.
fn source_pairs(source: Option<&Target>) -> Vec<(&'static str, Option<String>)> {
    match source {
        None => Vec::new(),
        Some(Target::Url(url)) => vec![("url", Some(url.clone()))],
        Some(Target::Dataset(ds)) => vec![
            ("hub", Some(ds.id.clone())),
            (
                "config",
                (!ds.configs.is_empty()).then(|| ds.configs.join(",")),
            ),
            ("rev", ds.rev.clone()),
            ("path", ds.path.clone()),
        ],
    }
}

/// `a,b` → [a, b] (empty names dropped).
fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::Rule;

    #[test]
    fn a_view_survives_the_round_trip() {
        let view = ViewState {
            source: None,
            view: View::Trajectories,
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
            compare: Comparing {
                a: Some("kimi".into()),
                b: Some("@rest".into()),
                outcomes: Outcomes::AFailed,
                pair: Some("row-1|#7".into()),
            },
        };
        let encoded = view.encode();
        assert!(
            !encoded.contains('#') && !encoded.contains(' '),
            "{encoded}"
        );
        assert_eq!(ViewState::decode(&format!("#{encoded}")), view);
        assert!(encoded.starts_with("view=trajectories&"), "{encoded}");
        assert_eq!(ViewState::default().encode(), "");
        let compare = ViewState::decode("#view=compare&a=kimi&b=glm-5.1");
        assert_eq!(compare.view, View::Compare);
        assert_eq!(
            (compare.compare.a, compare.compare.b),
            (Some("kimi".into()), Some("glm-5.1".into()))
        );
        assert_eq!(
            ViewState::decode("#junk=1&min_turns=x&sort=nope"),
            ViewState::default()
        );
    }

    #[test]
    fn a_remote_source_goes_first_and_survives_the_round_trip() {
        let hub = ViewState {
            source: Some(Target::Dataset(Dataset {
                id: "lambda/hermes-agent-reasoning-traces".into(),
                rev: Some("refs/convert/parquet".into()),
                configs: vec!["kimi".into(), "glm-5.1".into()],
                path: None,
            })),
            view: View::Tools,
            ..Default::default()
        };
        let encoded = hub.encode();
        assert_eq!(
            encoded,
            "hub=lambda%2Fhermes-agent-reasoning-traces&config=kimi%2Cglm-5.1&rev=refs%2Fconvert%2Fparquet&view=tools"
        );
        assert_eq!(ViewState::decode(&encoded), hub);
        let plain = ViewState::decode("#hub=lambda/hermes-agent-reasoning-traces&config=kimi");
        assert_eq!(
            plain.source,
            Some(Target::Dataset(Dataset {
                configs: vec!["kimi".into()],
                ..Dataset::new("lambda/hermes-agent-reasoning-traces")
            }))
        );
        let url = ViewState {
            source: Some(Target::Url("https://example.org/a.jsonl?x=1&y=2".into())),
            ..Default::default()
        };
        assert_eq!(ViewState::decode(&url.encode()), url);
        // Not a dataset or not a web URL: no source.
        assert_eq!(ViewState::decode("#hub=a/b/c").source, None);
        assert_eq!(ViewState::decode("#url=javascript:alert(1)").source, None);
        assert_eq!(ViewState::decode("#config=kimi").source, None);
        assert_eq!(
            ViewState::decode("#config=kimi&hub=o/n").source,
            ViewState::decode("#hub=o/n&config=kimi").source
        );
    }

    #[test]
    fn every_view_has_its_fragment_and_old_row_links_show_the_list() {
        for v in View::ALL {
            let state = ViewState {
                view: v,
                ..Default::default()
            };
            assert_eq!(ViewState::decode(&state.encode()).view, v);
            assert_eq!(View::parse(v.as_str()), Some(v));
        }
        assert_eq!(ViewState::decode("#view=export").view, View::Export);
        assert_eq!(ViewState::decode("#view=nope").view, View::Overview);
        assert_eq!(ViewState::decode("#row=a.jsonl:3").view, View::Trajectories);
        assert_eq!(
            ViewState::decode("#view=tools&row=a.jsonl:3").view,
            View::Tools
        );
    }
}
