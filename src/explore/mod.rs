//! The explorer's logic, below the UI: which rows of the index to list and in which order
//! (`filter`), and how one re-read trajectory is laid out for reading (`view`).

pub mod filter;
pub mod view;

pub use filter::{select, Filter, Hit, Rule, SortKey};
pub use view::TraceView;
