//! What a failed request to the Hub or its storage means, and what the user can do about it.
//! Each failure has a stable kind (the page's `data-kind`) and a message that names the
//! dataset or file and the way out.

use std::fmt;

/// Why something remote could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No such dataset, revision or file (or a private one, to someone without access).
    NotFound { what: String },
    /// The dataset (or the folder asked for, `under`) holds no data file.
    NoData { what: String, under: Option<String> },
    /// A config the link names is not in the dataset.
    NoConfig {
        what: String,
        config: String,
        known: Vec<String>,
    },
    /// The dataset asks its users to accept its terms first.
    Gated { what: String, page: String },
    /// The token is missing, wrong or does not give access.
    Unauthorized { what: String },
    /// Too many requests: the Hub asks to wait.
    RateLimited { what: String },
    /// The browser was not allowed to read the answer (no CORS headers), or the network failed.
    Cors { what: String },
    /// A signed storage link stopped working mid-read and could not be renewed.
    Expired { what: String },
    /// The server does not serve byte ranges, which reading a file in parts needs.
    NoRanges { what: String },
    /// Any other HTTP status.
    Http { what: String, status: u16 },
}

impl Failure {
    /// The kind, as the page's `[data-diagnostic][data-kind]` shows it.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::NotFound { .. } | Failure::NoData { .. } | Failure::NoConfig { .. } => {
                "not_found"
            }
            Failure::Gated { .. } => "gated",
            Failure::Unauthorized { .. } => "unauthorized",
            Failure::RateLimited { .. } => "rate_limited",
            Failure::Cors { .. } => "cors",
            Failure::Expired { .. } => "expired",
            Failure::NoRanges { .. } => "no_ranges",
            Failure::Http { .. } => "http",
        }
    }

    /// Reads an HTTP answer that was not a success. `what` names the dataset or file asked for;
    /// `error_code` is the Hub's `X-Error-Code` header when the browser may read it; `body` its
    /// text (the Hub explains gated datasets there); `page` the dataset's page.
    pub fn of_status(
        status: u16,
        error_code: Option<&str>,
        body: &str,
        what: &str,
        page: &str,
    ) -> Failure {
        let what = what.to_owned();
        let lower = body.to_ascii_lowercase();
        let gated = error_code == Some("GatedRepo")
            || lower.contains("gated")
            || lower.contains("accept the conditions")
            || lower.contains("awaiting a review");
        match (status, error_code) {
            (429, _) => Failure::RateLimited { what },
            (401 | 403, _) if gated => Failure::Gated {
                what,
                page: page.to_owned(),
            },
            (_, Some("RepoNotFound" | "EntryNotFound" | "RevisionNotFound")) | (404, _) => {
                Failure::NotFound { what }
            }
            (403, _) if lower.contains("expired") => Failure::Expired { what },
            (401 | 403, _) => Failure::Unauthorized { what },
            (status, _) => Failure::Http { what, status },
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NotFound { what } => write!(
                f,
                "{what}: not found on the Hub. Check the name and the revision; a private \
                 dataset needs an access token."
            ),
            Failure::NoData { what, under } => {
                write!(f, "{what}: no data files (JSONL, JSON, Parquet)")?;
                match under {
                    Some(p) => write!(f, " under {p}"),
                    None => Ok(()),
                }
            }
            Failure::NoConfig {
                what,
                config,
                known,
            } => write!(f, "{what}: no config {config}; it has {}", known.join(", ")),
            Failure::Gated { what, page } => write!(
                f,
                "{what} is gated: accept its terms on {page} (signed in), then give an access \
                 token of that account."
            ),
            Failure::Unauthorized { what } => write!(
                f,
                "{what}: the Hub refused access. Give an access token that can read it (a \
                 read token from huggingface.co/settings/tokens)."
            ),
            Failure::RateLimited { what } => write!(
                f,
                "{what}: the Hub is rate-limiting these requests. Wait a minute and open it \
                 again; an access token raises the limit."
            ),
            Failure::Cors { what } => write!(
                f,
                "{what}: the browser could not read it (the server does not allow other pages \
                 to read it, CORS, or the network failed). Download the file and drop it here."
            ),
            Failure::Expired { what } => write!(
                f,
                "{what}: the signed download link expired during the read and could not be \
                 renewed. Open it again."
            ),
            Failure::NoRanges { what } => write!(
                f,
                "{what}: the server does not answer byte-range requests. Download the file \
                 and drop it here."
            ),
            Failure::Http { what, status } => {
                write!(f, "{what}: the server answered HTTP {status}.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_has_its_kind() {
        let page = "https://huggingface.co/datasets/o/n";
        let kind =
            |status, code, body: &str| Failure::of_status(status, code, body, "o/n", page).kind();
        assert_eq!(kind(404, None, ""), "not_found");
        assert_eq!(
            kind(401, Some("RepoNotFound"), "Repository not found"),
            "not_found"
        );
        assert_eq!(kind(401, Some("GatedRepo"), ""), "gated");
        assert_eq!(
            kind(403, None, "Access to dataset o/n is restricted. You must have access to it and be authenticated to access it. Please log in. This is a gated dataset"),
            "gated"
        );
        assert_eq!(kind(401, None, "Invalid credentials"), "unauthorized");
        assert_eq!(kind(403, None, "forbidden"), "unauthorized");
        assert_eq!(kind(403, None, "Request has expired"), "expired");
        assert_eq!(kind(429, None, ""), "rate_limited");
        assert_eq!(kind(500, None, ""), "http");
        let gated = Failure::of_status(401, Some("GatedRepo"), "", "o/n", page);
        assert!(gated.to_string().contains(page), "{gated}");
        assert!(Failure::Cors { what: "x".into() }
            .to_string()
            .contains("drop it here"));
    }
}
