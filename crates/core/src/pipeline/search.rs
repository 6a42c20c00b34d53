//! Search inside trajectories: the `Searcher` sink keeps, for every row that matches a query
//! (literal or regex, in one part of a trajectory), the row's number and the first message that
//! matches — as the explorer's search and `analyse --search` show them.

use crate::explore::{first_match, Matcher, Query, Scope};
use crate::ingest::{read_rows, ByteSource, ReadReport, RowRef, Sink};
use crate::trace::Conversation;

/// Collects the rows that match.
pub struct Searcher<'a> {
    matcher: &'a Matcher,
    scope: Scope,
    /// (row number, message index) of each matching row, in file order.
    pub matches: Vec<(u64, u32)>,
    on_progress: &'a mut dyn FnMut(u64, &ReadReport) -> bool,
}

impl Sink for Searcher<'_> {
    fn row(&mut self, conv: Conversation, at: RowRef) {
        if let Some(message) = first_match(&conv, self.matcher, self.scope) {
            self.matches.push((at.number(), message));
        }
    }
    fn progress(&mut self, bytes_done: u64, report: &ReadReport) -> bool {
        (self.on_progress)(bytes_done, report)
    }
}

/// Reads every row of the file and returns the counts and the rows matching `query` (or why the
/// query cannot run: a regex that does not compile).
pub fn search<S: ByteSource + Clone + 'static>(
    source: &S,
    name: &str,
    query: &Query,
    on_progress: &mut dyn FnMut(u64, &ReadReport) -> bool,
) -> Result<(ReadReport, Vec<(u64, u32)>), String> {
    let matcher = Matcher::new(query)?;
    let mut sink = Searcher {
        matcher: &matcher,
        scope: query.scope,
        matches: Vec::new(),
        on_progress,
    };
    let report = read_rows(source, name, &mut sink);
    Ok((report, sink.matches))
}
