//! The pipeline: the one way a file becomes figures and a row index, search hits, or an SFT
//! export. `ingest` reads a file and hands each row to a `Sink`; the sinks here count (the
//! `Analyser`), search (`Searcher`) and export (`Exporting`), and `FileReport` joins a file's
//! counts and diagnostics with its figures. The worker, the command-line tools, the benches and
//! the tests all go through these functions, so they cannot drift apart.

pub mod analyse;
pub mod export;
pub mod report;
pub mod search;

pub use analyse::{
    analyse, analyse_with, analyse_without, Analyser, Analysis, Fed, FedParquet, Snapshot, Step,
};
pub use export::{export_file, export_part, row_key, splits, Exporting};
pub use report::{FileReport, FlaggedRow, Totals};
pub use search::{search, Searcher};
