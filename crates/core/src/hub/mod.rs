//! The Hugging Face Hub as a source of files: what a user may type to name a dataset or a file
//! (`input`), the Hub's URLs and its file listing grouped by config (`listing`), and what each
//! failed request means (`failure`). Pure: the page makes the requests, the workers read the
//! files by range, and this module decides every URL and every message they show.

pub mod failure;
pub mod input;
pub mod listing;

pub use failure::Failure;
pub use input::{Endpoint, Target};
pub use listing::{HubFile, Listing};

/// The Hub the page talks to unless told otherwise (`?hub_endpoint=`, as `huggingface_hub`'s
/// `HF_ENDPOINT`).
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// A file's size from a range answer's `Content-Range` (`bytes 0-0/12345`); `None` when the
/// server did not say (`*`) or the browser may not show the header.
pub fn range_total(content_range: &str) -> Option<u64> {
    content_range.rsplit('/').next()?.trim().parse().ok()
}

/// The revision read when none is named.
pub const DEFAULT_REVISION: &str = "main";

/// A dataset on a Hub, at a revision, optionally narrowed to some configs or one path (a file or
/// a folder inside the repository).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// `owner/name` (or a bare `name` for the Hub's oldest datasets).
    pub id: String,
    /// `None`: `main`.
    pub rev: Option<String>,
    /// Configs to preselect (empty: every config's train files).
    pub configs: Vec<String>,
    /// A file or folder inside the repository the user pointed at (a link to it).
    pub path: Option<String>,
}

impl Dataset {
    pub fn new(id: impl Into<String>) -> Dataset {
        Dataset {
            id: id.into(),
            rev: None,
            configs: Vec::new(),
            path: None,
        }
    }

    pub fn revision(&self) -> &str {
        self.rev.as_deref().unwrap_or(DEFAULT_REVISION)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_size_comes_from_the_content_range() {
        assert_eq!(super::range_total("bytes 0-0/508000000"), Some(508_000_000));
        assert_eq!(super::range_total("bytes 0-0/*"), None);
        assert_eq!(super::range_total(""), None);
    }
}
