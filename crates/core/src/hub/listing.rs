//! A dataset's files as the Hub lists them (`/api/datasets/<id>/tree/<rev>?recursive=true`):
//! the data files only, each with its size, its config (the folder it is in, `data/kimi/…` →
//! `kimi`) and its split (`train`, `test`, … from its folder or name), grouped by config with
//! the train files preselected — what `load_dataset(id, config)` would read.

use serde::Deserialize;

use std::collections::BTreeSet;

use super::{Dataset, Failure};
use crate::ingest::is_data_file;

/// Split names the Hub recognises in folder and file names; a file that names none is `train`.
const SPLITS: [&str; 6] = ["train", "test", "validation", "valid", "dev", "eval"];

/// One data file of a dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubFile {
    /// The path in the repository (`data/kimi/train.parquet`): also the file's name in the
    /// page, so its source label is its config, as when the same folder is dropped.
    pub path: String,
    pub size: u64,
    pub config: String,
    pub split: String,
}

/// A dataset's data files, in path order, and which are selected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub files: Vec<HubFile>,
    /// Files in the listing that are not data (READMEs, scripts), by path.
    pub other: Vec<String>,
}

/// One entry of the Hub's tree listing (directories and other fields are ignored).
#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
}

impl Listing {
    /// Adds one page of the Hub's listing (a JSON array of entries).
    pub fn add_page(&mut self, json: &str) -> Result<(), String> {
        let entries: Vec<Entry> = serde_json::from_str(json)
            .map_err(|e| format!("the Hub's file listing is not what it should be: {e}"))?;
        for e in entries.into_iter().filter(|e| e.kind == "file") {
            if is_data_file(&e.path) {
                let (config, split) = config_and_split(&e.path);
                self.files.push(HubFile {
                    path: e.path,
                    size: e.size,
                    config,
                    split,
                });
            } else {
                self.other.push(e.path);
            }
        }
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(())
    }

    /// Only the files under `path` (a folder, or the one file a link named).
    pub fn under(mut self, path: Option<&str>) -> Listing {
        if let Some(p) = path.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()) {
            let folder = format!("{p}/");
            self.files
                .retain(|f| f.path == p || f.path.starts_with(&folder));
        }
        self
    }

    /// The configs in the listing, in order, with their files.
    pub fn configs(&self) -> Vec<(&str, Vec<&HubFile>)> {
        let mut out: Vec<(&str, Vec<&HubFile>)> = Vec::new();
        let mut names: Vec<&str> = self.files.iter().map(|f| f.config.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            out.push((
                name,
                self.files.iter().filter(|f| f.config == name).collect(),
            ));
        }
        out
    }

    /// The paths to read unless the user changes them: the train files of the configs `ds`
    /// names (of every config when it names none, or names only unknown ones); a config with no
    /// train file gives all of its files. A listing narrowed to one file selects it.
    pub fn preselected(&self, ds: &Dataset) -> Vec<String> {
        let known: Vec<&str> = ds
            .configs
            .iter()
            .map(String::as_str)
            .filter(|c| self.files.iter().any(|f| f.config == *c))
            .collect();
        let mut out = Vec::new();
        for (config, files) in self.configs() {
            if !known.is_empty() && !known.contains(&config) {
                continue;
            }
            let train: Vec<&&HubFile> = files.iter().filter(|f| f.split == "train").collect();
            if train.is_empty() {
                out.extend(files.iter().map(|f| f.path.clone()));
            } else {
                out.extend(train.iter().map(|f| f.path.clone()));
            }
        }
        out
    }

    /// What is wrong with what `ds` asked for, shown so nothing is silent: no data file at all
    /// (under its path), or configs the dataset does not have (a typo in a link).
    pub fn problems(&self, ds: &Dataset) -> Vec<Failure> {
        if self.files.is_empty() {
            return vec![Failure::NoData {
                what: ds.id.clone(),
                under: ds.path.clone(),
            }];
        }
        let known: Vec<String> = self
            .configs()
            .into_iter()
            .map(|(c, _)| c.to_owned())
            .collect();
        ds.configs
            .iter()
            .filter(|c| !known.contains(c))
            .map(|c| Failure::NoConfig {
                what: ds.id.clone(),
                config: c.clone(),
                known: known.clone(),
            })
            .collect()
    }

    /// What a link keeps of a read of `read` (paths): `ds` narrowed to the configs those files
    /// are in, or to none when every config was read and `ds` named none.
    pub fn link_for(&self, ds: &Dataset, read: &[&str]) -> Dataset {
        let configs: BTreeSet<&str> = self
            .files
            .iter()
            .filter(|f| read.contains(&f.path.as_str()))
            .map(|f| f.config.as_str())
            .collect();
        let every = configs.len() == self.configs().len() && ds.configs.is_empty();
        Dataset {
            configs: if every {
                Vec::new()
            } else {
                configs.into_iter().map(str::to_owned).collect()
            },
            ..ds.clone()
        }
    }
}

/// `data/kimi/train.parquet` → (`kimi`, `train`); `kimi/train/0000.parquet` → (`kimi`, `train`);
/// `train-00000-of-00002.parquet` → (`default`, `train`); `data/test.jsonl` → (`default`, `test`).
pub fn config_and_split(path: &str) -> (String, String) {
    let mut folders: Vec<&str> = path.split('/').collect();
    let file = folders.pop().unwrap_or_default();
    if folders.first() == Some(&"data") {
        folders.remove(0);
    }
    let folder_split = folders.last().copied().filter(|f| split_named(f).is_some());
    if folder_split.is_some() {
        folders.pop();
    }
    let split = folder_split
        .and_then(split_named)
        .or_else(|| split_named(file))
        .unwrap_or("train");
    let config = if folders.is_empty() {
        "default".to_owned()
    } else {
        folders.join("/")
    };
    (config, split.to_owned())
}

/// The split a name begins with (`train`, `train-00001-of-00002.parquet`, `test.jsonl`).
fn split_named(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    SPLITS.into_iter().find(|s| {
        lower
            .strip_prefix(s)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_', '.']))
    })
}

/// The next page of a listing, from the Hub's `Link` header (`<url>; rel="next"`).
pub fn next_page(link_header: &str) -> Option<String> {
    link_header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = r#"[
        {"type":"file","oid":"a","size":2345,"path":".gitattributes"},
        {"type":"file","oid":"b","size":9000,"path":"README.md"},
        {"type":"directory","oid":"c","size":0,"path":"data"},
        {"type":"directory","oid":"d","size":0,"path":"data/kimi"},
        {"type":"file","oid":"e","size":508000000,"path":"data/kimi/train.parquet","lfs":{"oid":"x","size":508000000,"pointerSize":134}},
        {"type":"file","oid":"f","size":600000000,"path":"data/glm-5.1/train.parquet"},
        {"type":"file","oid":"g","size":1000,"path":"data/glm-5.1/test.parquet"},
        {"type":"file","oid":"h","size":10,"path":"extra/only/validation-00000-of-00001.jsonl.gz"}
    ]"#;

    fn listing() -> Listing {
        let mut l = Listing::default();
        l.add_page(TREE).unwrap();
        l
    }

    #[test]
    fn the_listing_groups_data_files_by_config() {
        let l = listing();
        let configs: Vec<(&str, Vec<&str>)> = l
            .configs()
            .into_iter()
            .map(|(c, files)| (c, files.iter().map(|f| f.path.as_str()).collect()))
            .collect();
        assert_eq!(
            configs,
            vec![
                (
                    "extra/only",
                    vec!["extra/only/validation-00000-of-00001.jsonl.gz"]
                ),
                (
                    "glm-5.1",
                    vec!["data/glm-5.1/test.parquet", "data/glm-5.1/train.parquet"]
                ),
                ("kimi", vec!["data/kimi/train.parquet"]),
            ]
        );
        assert_eq!(l.other, vec![".gitattributes", "README.md"]);
        assert_eq!(l.files[2].size, 508_000_000);
        assert!(Listing::default().add_page("{\"error\":1}").is_err());
    }

    #[test]
    fn train_files_are_preselected_and_configs_narrow_them() {
        let l = listing();
        let id = "lambda/hermes-agent-reasoning-traces";
        assert_eq!(
            l.preselected(&Dataset::new(id)),
            vec![
                "extra/only/validation-00000-of-00001.jsonl.gz",
                "data/glm-5.1/train.parquet",
                "data/kimi/train.parquet"
            ]
        );
        let kimi = Dataset {
            configs: vec!["kimi".into(), "nope".into()],
            ..Dataset::new(id)
        };
        assert_eq!(l.preselected(&kimi), vec!["data/kimi/train.parquet"]);
        let problems: Vec<String> = l.problems(&kimi).iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            vec![format!(
                "{id}: no config nope; it has extra/only, glm-5.1, kimi"
            )]
        );
        assert_eq!(l.problems(&kimi)[0].kind(), "not_found");
        let empty = Listing::default().under(Some("data/none"));
        let ds = Dataset {
            path: Some("data/none".into()),
            ..Dataset::new(id)
        };
        assert_eq!(
            empty.problems(&ds)[0].to_string(),
            format!("{id}: no data files (JSONL, JSON, Parquet) under data/none")
        );
        let one = listing().under(Some("data/glm-5.1/test.parquet"));
        assert_eq!(
            one.preselected(&Dataset::new(id)),
            vec!["data/glm-5.1/test.parquet"]
        );
        assert_eq!(listing().under(Some("data/glm-5.1/")).files.len(), 2);
    }

    #[test]
    fn a_link_keeps_the_configs_read() {
        let l = listing();
        let ds = Dataset::new("o/n");
        let all = l.preselected(&ds);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert!(l.link_for(&ds, &all).configs.is_empty());
        assert_eq!(
            l.link_for(&ds, &["data/kimi/train.parquet"]).configs,
            vec!["kimi"]
        );
        let named = Dataset {
            configs: vec!["kimi".into(), "glm-5.1".into()],
            ..ds
        };
        let both = ["data/kimi/train.parquet", "data/glm-5.1/train.parquet"];
        assert_eq!(l.link_for(&named, &both).configs, vec!["glm-5.1", "kimi"]);
    }

    #[test]
    fn configs_and_splits_from_paths() {
        for (path, config, split) in [
            ("data/kimi/train.parquet", "kimi", "train"),
            ("kimi/train/0000.parquet", "kimi", "train"),
            ("train-00000-of-00002.parquet", "default", "train"),
            ("data/test.jsonl", "default", "test"),
            ("data/traces.jsonl", "default", "train"),
            ("a/b/validation_1.json", "a/b", "validation"),
            ("trainer/x.jsonl", "trainer", "train"),
        ] {
            assert_eq!(
                config_and_split(path),
                (config.to_owned(), split.to_owned()),
                "{path}"
            );
        }
    }

    #[test]
    fn the_next_page_comes_from_the_link_header() {
        assert_eq!(
            next_page(
                r#"<https://huggingface.co/api/datasets/o/n/tree/main?recursive=true&cursor=abc>; rel="next""#
            ),
            Some(
                "https://huggingface.co/api/datasets/o/n/tree/main?recursive=true&cursor=abc"
                    .into()
            )
        );
        assert_eq!(next_page(r#"<https://x/y>; rel="prev""#), None);
        assert_eq!(next_page(""), None);
    }
}
