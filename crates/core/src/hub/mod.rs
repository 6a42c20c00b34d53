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
