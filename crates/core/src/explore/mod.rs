//! The explorer's logic, below the UI: which rows of the index to list and in which order
//! (`filter`, whose fields are named once in `field`), the figures of the rows selected (`selection`), the view as a URL fragment
//! (`link`), search over whole trajectories (`search`), and how one re-read trajectory is laid
//! out for reading (`view`), and two groups of rows compared, with how sure each difference is
//! (`compare`), and the same tasks in both, paired and aligned step by step (`pair`).

pub mod compare;
pub mod field;
pub mod filter;
pub mod link;
pub mod pair;
pub mod search;
pub mod selection;
pub mod view;

pub use field::Field;
pub use filter::{select, Filter, Hit, Rule, SortKey};
pub use link::{Comparing, RowKey, View, ViewState};
pub use search::{first_match, Matcher, Query, Scope};
pub use selection::{summarise, Selection};
pub use view::TraceView;
