//! What a user may type to open something remote — a dataset id, a Hub link to a dataset, a
//! config, a folder or a file, `hf://datasets/…`, or any http(s) URL of a data file — and the
//! Hub's URLs for a dataset (its file listing, a file's `resolve` link, its page).

use url::Url;

use super::{Dataset, DEFAULT_ENDPOINT};

/// The Hub's base URL (`https://huggingface.co`, or a mirror or a test's mock Hub).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(Url);

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::parse(DEFAULT_ENDPOINT).expect("the default endpoint is a URL")
    }
}

/// What the user asked to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A dataset on the Hub (narrowed to configs or a path when the link said so).
    Dataset(Dataset),
    /// Any other http(s) URL: read as one file.
    Url(String),
}

impl Endpoint {
    /// An http(s) base URL; a trailing slash, query or fragment is dropped.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let mut url =
            Url::parse(text.trim()).map_err(|e| format!("not a Hub address ({e}): {text}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("a Hub address is an http(s) URL: {text}"));
        }
        url.set_query(None);
        url.set_fragment(None);
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(Endpoint(url))
    }

    /// The endpoint as the user would write it (no trailing slash).
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// Whether `url` is on this Hub's own origin: the only place an access token is sent (the
    /// storage hosts its redirects name get signed URLs instead).
    pub fn owns(&self, url: &str) -> bool {
        Url::parse(url).is_ok_and(|u| u.origin() == self.0.origin())
    }

    /// `base` with `segments` appended, each percent-encoded as one path segment.
    fn join<'a>(&self, segments: impl IntoIterator<Item = &'a str>) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// The listing of every file of the dataset at its revision (the first page; the Hub names
    /// the next in a `Link` header: `listing::next_page`).
    pub fn tree_url(&self, ds: &Dataset) -> String {
        let mut url = self.join(
            ["api", "datasets"]
                .into_iter()
                .chain(ds.id.split('/'))
                .chain(["tree", ds.revision()]),
        );
        url.set_query(Some("recursive=true&expand=false"));
        url.into()
    }

    /// A file's download link: the Hub answers with a redirect to a signed URL on a storage host
    /// that serves byte ranges.
    pub fn resolve_url(&self, ds: &Dataset, path: &str) -> String {
        self.join(
            ["datasets"]
                .into_iter()
                .chain(ds.id.split('/'))
                .chain(["resolve", ds.revision()])
                .chain(path.split('/')),
        )
        .into()
    }

    /// The dataset's page (where a gated dataset's terms are accepted).
    pub fn page_url(&self, ds: &Dataset) -> String {
        self.join(["datasets"].into_iter().chain(ds.id.split('/')))
            .into()
    }

    /// Whether `url` points at this Hub's pages (or the public Hub's, which are read from this
    /// endpoint).
    fn is_hub_page(&self, url: &Url) -> bool {
        url.origin() == self.0.origin() || url.host_str() == Some("huggingface.co")
    }
}

/// Reads what the user typed.
pub fn parse(text: &str, endpoint: &Endpoint) -> Result<Target, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type a dataset name (owner/name), a Hub link or a file's URL".into());
    }
    if let Some(rest) = text.strip_prefix("hf://datasets/") {
        return hf_path(rest).map(Target::Dataset);
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        let url = Url::parse(text).map_err(|e| format!("not a URL ({e}): {text}"))?;
        if endpoint.is_hub_page(&url) {
            if let Some(ds) = hub_link(&url) {
                return Ok(Target::Dataset(ds));
            }
        }
        return Ok(Target::Url(url.into()));
    }
    if is_dataset_id(text) {
        return Ok(Target::Dataset(Dataset::new(text)));
    }
    Err(format!(
        "not a dataset name (owner/name), a Hub link or an http(s) URL: {text}"
    ))
}

/// `owner/name` or a bare `name`: letters, digits, `-`, `_`, `.`; not starting with `.` or `-`.
pub fn is_dataset_id(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    let part_ok = |p: &&str| {
        !p.is_empty()
            && p.len() <= 96
            && !p.starts_with(['.', '-'])
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    (1..=2).contains(&parts.len()) && parts.iter().all(part_ok)
}

/// `owner/name[@rev][/path]` after `hf://datasets/`.
fn hf_path(rest: &str) -> Result<Dataset, String> {
    let mut segments = rest.splitn(3, '/');
    let owner = segments.next().unwrap_or_default();
    let name = segments.next().unwrap_or_default();
    let (name, rev) = match name.split_once('@') {
        Some((n, r)) => (n, Some(decode(r))),
        None => (name, None),
    };
    let id = format!("{owner}/{name}");
    if !is_dataset_id(&id) {
        return Err(format!("not a dataset in hf://datasets/{rest}"));
    }
    Ok(Dataset {
        rev,
        path: segments
            .next()
            .map(|p| p.trim_end_matches('/').to_owned())
            .filter(|p| !p.is_empty()),
        ..Dataset::new(id)
    })
}

/// A Hub link: `/datasets/<id>`, then `tree|blob|resolve/<rev>/<path>` or `viewer/<config>`.
fn hub_link(url: &Url) -> Option<Dataset> {
    let segments: Vec<String> = url.path_segments()?.map(decode).collect();
    let rest = segments.strip_prefix(&["datasets".to_owned()])?;
    const ACTIONS: [&str; 4] = ["tree", "blob", "resolve", "viewer"];
    let id_len = match rest {
        [_, second, ..] if !ACTIONS.contains(&second.as_str()) => 2,
        [_, ..] => 1,
        [] => return None,
    };
    let id = rest[..id_len].join("/");
    if !is_dataset_id(&id) {
        return None;
    }
    let mut ds = Dataset::new(id);
    match &rest[id_len..] {
        [action, config, ..] if action == "viewer" => ds.configs = vec![config.clone()],
        [action, rev, path @ ..] if ACTIONS.contains(&action.as_str()) => {
            ds.rev = Some(rev.clone()).filter(|r| r != super::DEFAULT_REVISION);
            ds.path = Some(path.join("/")).filter(|p| !p.is_empty());
        }
        _ => {}
    }
    Some(ds)
}

/// A path segment as text (`%2F` → `/`; `+` stays a plus, as in paths).
fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The file name a URL names (its last path segment, decoded), for labels and formats.
pub fn file_name(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.path_segments()?.next_back().map(decode))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "remote-file".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(id: &str, rev: Option<&str>, configs: &[&str], path: Option<&str>) -> Target {
        Target::Dataset(Dataset {
            id: id.into(),
            rev: rev.map(Into::into),
            configs: configs.iter().map(|c| (*c).into()).collect(),
            path: path.map(Into::into),
        })
    }

    #[test]
    fn every_way_of_naming_a_dataset_or_file() {
        let hub = Endpoint::default();
        let id = "lambda/hermes-agent-reasoning-traces";
        let cases = [
            (id.to_owned(), ds(id, None, &[], None)),
            (format!(" {id} "), ds(id, None, &[], None)),
            ("squad".to_owned(), ds("squad", None, &[], None)),
            (
                format!("https://huggingface.co/datasets/{id}"),
                ds(id, None, &[], None),
            ),
            (
                format!("https://huggingface.co/datasets/{id}/tree/main/data/kimi"),
                ds(id, None, &[], Some("data/kimi")),
            ),
            (
                format!("https://huggingface.co/datasets/{id}/blob/v1.0/data/kimi/train.parquet"),
                ds(id, Some("v1.0"), &[], Some("data/kimi/train.parquet")),
            ),
            (
                format!("https://huggingface.co/datasets/{id}/resolve/refs%2Fconvert%2Fparquet/kimi/train/0000.parquet?download=true"),
                ds(id, Some("refs/convert/parquet"), &[], Some("kimi/train/0000.parquet")),
            ),
            (
                format!("https://huggingface.co/datasets/{id}/viewer/kimi/train"),
                ds(id, None, &["kimi"], None),
            ),
            (
                format!("hf://datasets/{id}@dev/data/glm-5.1/"),
                ds(id, Some("dev"), &[], Some("data/glm-5.1")),
            ),
            (
                "https://example.org/files/traces%201.jsonl".to_owned(),
                Target::Url("https://example.org/files/traces%201.jsonl".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(&text, &hub), Ok(want), "{text}");
        }
        for bad in [
            "",
            "a/b/c",
            "-x/y",
            "ftp://x/y.jsonl",
            "has space/x",
            "hf://datasets/x",
        ] {
            assert!(parse(bad, &hub).is_err(), "{bad}");
        }
        assert_eq!(
            file_name("https://example.org/files/traces%201.jsonl?x=1"),
            "traces 1.jsonl"
        );
    }

    #[test]
    fn a_mock_hub_links_and_urls() {
        let hub = Endpoint::parse("http://127.0.0.1:9000/").unwrap();
        assert_eq!(hub.as_str(), "http://127.0.0.1:9000");
        let Ok(Target::Dataset(ds)) =
            parse("http://127.0.0.1:9000/datasets/o/n/tree/main/data/a", &hub)
        else {
            panic!("a link to the mock Hub is a dataset")
        };
        assert_eq!(ds.path.as_deref(), Some("data/a"));
        assert_eq!(
            hub.tree_url(&ds),
            "http://127.0.0.1:9000/api/datasets/o/n/tree/main?recursive=true&expand=false"
        );
        let ds = Dataset {
            rev: Some("refs/convert/parquet".into()),
            ..ds
        };
        assert_eq!(
            hub.resolve_url(&ds, "data/a b/train#1.parquet"),
            "http://127.0.0.1:9000/datasets/o/n/resolve/refs%2Fconvert%2Fparquet/data/a%20b/train%231.parquet"
        );
        assert_eq!(hub.page_url(&ds), "http://127.0.0.1:9000/datasets/o/n");
        assert!(hub.owns("http://127.0.0.1:9000/api/x"));
        assert!(!hub.owns("http://127.0.0.1:9001/api/x"));
        assert!(!hub.owns("https://127.0.0.1:9000/api/x"));
        assert!(Endpoint::parse("file:///x").is_err());
        assert!(Endpoint::parse("nope").is_err());
    }
}
