//! The explorer (the trajectories view): its state, the rows it lists and the page's place in the
//! URL; the filters (`filters`), the search inside trajectories (`search`), the list (`list`),
//! the open trajectory (`trace`) and the keyboard (`keys`) each in their own file.

mod filters;
mod keys;
mod list;
mod search;
mod trace;

pub use filters::FilterChips;
use filters::*;
pub use keys::{keyboard, Help};
use list::*;
use search::*;
pub(crate) use trace::step_parts;
use trace::*;

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use super::{ctx, Ctx};
use agent_traces::explore::view::{Item, Note, ResponseView, SessionView, Step};
use std::collections::HashMap;

use agent_traces::explore::{
    select, Comparing, Field, Filter, Hit, Matcher, Query, RowKey, Rule, Scope, SortKey, TraceView,
    View, ViewState,
};
use agent_traces::index::RowIndex;
use agent_traces::stats::display::group;
use agent_traces::stats::Mode;
use agent_traces::trace::Flags;

/// Height of one list row in pixels (the list's CSS uses the same).
const ROW_PX: f64 = 30.0;
/// Height of the list's viewport in pixels.
const VIEW_PX: f64 = 420.0;
/// Characters of a tool output shown before "show all".
const CUT_CHARS: usize = 2_000;

/// The open trajectory.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Trace {
    #[default]
    Closed,
    Loading,
    Shown(Box<TraceView>),
    Failed(String),
}

/// A search over whole trajectories, run by the workers file by file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    pub job: u32,
    pub query: Query,
    pub running: bool,
    pub bytes_done: Vec<u64>,
    /// Per file, once read: row number → first matching message (1-based).
    pub found: Vec<Option<HashMap<u64, u32>>>,
    pub error: Option<String>,
}

impl Search {
    /// The matches, once every file has been searched.
    pub fn results(&self) -> Option<&[Option<HashMap<u64, u32>>]> {
        let done = !self.found.is_empty() && self.found.iter().all(Option::is_some);
        (done && self.error.is_none()).then_some(self.found.as_slice())
    }

    pub fn rows_found(&self) -> usize {
        self.found.iter().flatten().map(HashMap::len).sum()
    }
}

/// The explorer's state, as signals the context carries.
#[derive(Clone, Copy)]
pub struct Explorer {
    pub filter: RwSignal<Filter>,
    pub sort: RwSignal<(SortKey, bool)>,
    /// Position in the current list of the open row.
    pub open: RwSignal<Option<usize>>,
    pub trace: RwSignal<Trace>,
    /// The job number of the row read under way (late replies are ignored).
    pub job: RwSignal<u32>,
    pub step: RwSignal<usize>,
    pub help: RwSignal<bool>,
    /// Replay: show the steps up to the current one only.
    pub replay: RwSignal<bool>,
    /// A row (and step) named by the URL, opened once its file has been read.
    pub pending: RwSignal<Option<(RowKey, usize)>>,
    pub search: RwSignal<Search>,
    /// The message the open row's search match is in: the trace view opens at its step.
    pub jump: RwSignal<Option<u32>>,
    /// What the compare view compares and shows (`#a=…&b=…&pairs=…&pair=…`).
    pub compare: RwSignal<Comparing>,
    /// The compare view's open pair, each side re-read by a worker: (job, what it shows).
    pub pair: RwSignal<[(u32, Trace); 2]>,
}

impl Explorer {
    /// The explorer, in the state the URL's fragment describes.
    pub fn from_state(view: ViewState) -> Explorer {
        Explorer {
            filter: RwSignal::new(view.filter),
            sort: RwSignal::new((view.sort, view.descending)),
            open: RwSignal::new(None),
            trace: RwSignal::new(Trace::Closed),
            job: RwSignal::new(0),
            step: RwSignal::new(0),
            help: RwSignal::new(false),
            replay: RwSignal::new(false),
            pending: RwSignal::new(view.row.map(|r| (r, view.step))),
            search: RwSignal::new(Search::default()),
            jump: RwSignal::new(None),
            compare: RwSignal::new(view.compare),
            pair: RwSignal::new(Default::default()),
        }
    }

    /// Shows a re-read row, at the step of the search match when there is one.
    pub fn show(self, view: Box<TraceView>) {
        if let Some(message) = self.jump.get_untracked() {
            let step = view
                .steps
                .iter()
                .rposition(|s| s.message as u32 <= message)
                .unwrap_or(0);
            self.step.set(step);
        }
        self.trace.set(Trace::Shown(view));
    }

    /// A re-read row arrived (or could not be read): shown where its job asked for it.
    /// False when no one waits for it.
    pub fn deliver(self, job: u32, trace: Trace) -> bool {
        if job == self.job.get_untracked() {
            match trace {
                Trace::Shown(view) => self.show(view),
                other => self.trace.set(other),
            }
            return true;
        }
        let side = self
            .pair
            .with_untracked(|p| p.iter().position(|(j, _)| *j == job));
        if let Some(side) = side {
            self.pair.update(|p| p[side].1 = trace);
        }
        side.is_some()
    }

    /// Forgets the open row.
    pub fn reset(self) {
        self.open.set(None);
        self.trace.set(Trace::Closed);
    }

    /// Forgets the open row and any search (new files were dropped).
    pub fn clear(self) {
        self.reset();
        self.search.set(Search::default());
    }
}

/// The rows passing the filters (and a finished search), sorted.
fn current_hits(
    ctx: Ctx,
    filter: &Filter,
    key: SortKey,
    descending: bool,
    found: Option<&[Option<HashMap<u64, u32>>]>,
) -> Vec<Hit> {
    ctx.ingest.with(|i| {
        let files = i.indexes();
        let mut hits = select(&files, filter, key, descending);
        if let Some(found) = found {
            hits.retain(|h| {
                let number = files[h.file].1.rows[h.row].at.number();
                found
                    .get(h.file)
                    .and_then(Option::as_ref)
                    .is_some_and(|m| m.contains_key(&number))
            });
        }
        hits
    })
}

/// The page's place as its URL fragment says now.
pub fn url_state() -> ViewState {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    ViewState::decode(&hash)
}

/// The rows the list shows (filtered, searched, sorted), for the views that need them.
#[derive(Clone, Copy)]
pub struct Listed(pub Memo<Vec<Hit>>);

/// The listed rows: computed when read (the list, the keyboard, an open row in the URL).
pub fn hits(ctx: Ctx) -> Memo<Vec<Hit>> {
    let ex = ctx.explorer;
    let found = Memo::new(move |_| ex.search.with(|s| s.results().map(<[_]>::to_vec)));
    Memo::new(move |_| {
        let filter = ex.filter.get();
        let (key, descending) = ex.sort.get();
        found.with(|found| current_hits(ctx, &filter, key, descending, found.as_deref()))
    })
}

/// Per file, the numbers of the rows the explorer lists now (for "export only these").
pub fn selected_rows(ctx: Ctx) -> Vec<Vec<u64>> {
    let ex = ctx.explorer;
    let filter = ex.filter.get_untracked();
    let hits = ex
        .search
        .with_untracked(|s| current_hits(ctx, &filter, SortKey::Position, false, s.results()));
    ctx.ingest.with_untracked(|i| {
        let mut rows = vec![Vec::new(); i.files.len()];
        for h in hits {
            if let (Some(out), Some(f)) = (rows.get_mut(h.file), i.files.get(h.file)) {
                out.extend(f.index.rows.get(h.row).map(|r| r.at.number()));
            }
        }
        rows
    })
}

/// Opens the row at `position` of the list: asks a worker to read it again.
fn open(ctx: Ctx, hits: Memo<Vec<Hit>>, position: usize) {
    let Some(hit) = hits.with_untracked(|h| h.get(position).copied()) else {
        return;
    };
    let Some(at) = ctx.ingest.with_untracked(|i| {
        i.files
            .get(hit.file)
            .and_then(|f| f.index.rows.get(hit.row))
            .map(|r| r.at)
    }) else {
        return;
    };
    let jump = ctx.explorer.search.with_untracked(|s| {
        let number = at.number();
        s.results()
            .and_then(|found| found.get(hit.file)?.as_ref()?.get(&number).copied())
    });
    ctx.explorer.jump.set(jump);
    ctx.explorer.open.set(Some(position));
    ctx.explorer.step.set(0);
    ctx.explorer.trace.set(Trace::Loading);
    ctx.read_row(hit.file, at);
}

#[component]
pub fn ExplorerPanel() -> impl IntoView {
    let ctx = ctx();
    let Listed(hits) = expect_context::<Listed>();
    let indexed = move || {
        ctx.ingest
            .with(|i| i.files.iter().any(|f| !f.index.is_empty()))
    };
    view! {
        <Show when=indexed>
            <section class="explorer" data-testid="explorer">
                <h2>"Trajectories"</h2>
                <Filters />
                <DeepSearch />
                <p class="count">
                    <span data-testid="explorer-count" data-value=move || hits.with(Vec::len).to_string()>
                        {move || hits.with(Vec::len).to_string()}
                    </span>
                    {move || format!(" of {} rows match", ctx.ingest.with(|i| i.files.iter().map(|f| f.index.len()).sum::<usize>()))}
                    <span class="hint">" · keys: j/k rows, n/p steps, / search, Esc close, ? help"</span>
                </p>
                <div class="tlist-wrap">
                    <List hits=hits />
                </div>
                <TracePanel />
            </section>
        </Show>
    }
}

/// Keeps the URL's fragment (and `Ctx::place`) equal to the page's place, and opens the row the
/// URL named once it is listed.
pub fn sync_url(ctx: Ctx, hits: Memo<Vec<Hit>>) {
    let ex = ctx.explorer;
    Effect::new(move |_| {
        let Some((key, step)) = ex.pending.get() else {
            return;
        };
        let found = hits.with(|hits| {
            ctx.ingest.with(|i| {
                hits.iter().position(|h| {
                    let f = &i.files[h.file];
                    f.name == key.file && f.index.rows[h.row].at.number() == key.number
                })
            })
        });
        if let Some(pos) = found {
            ex.pending.set(None);
            open(ctx, hits, pos);
            ex.step.set(step);
        }
    });
    Effect::new(move |_| {
        let (sort, descending) = ex.sort.get();
        let row = ex.open.get().and_then(|pos| {
            let hit = hits.with(|h| h.get(pos).copied())?;
            ctx.ingest.with(|i| {
                let f = i.files.get(hit.file)?;
                Some(RowKey {
                    file: f.name.clone(),
                    number: f.index.rows.get(hit.row)?.at.number(),
                })
            })
        });
        // While a URL's row waits for its file, keep it (and its step) in the URL.
        let (row, step) = match (row, ex.pending.get()) {
            (Some(row), _) => (Some(row), ex.step.get()),
            (None, Some((key, step))) => (Some(key), step),
            (None, None) => (None, 0),
        };
        let view = ViewState {
            source: ctx.source.get(),
            view: ctx.view.get(),
            filter: ex.filter.get(),
            sort,
            descending,
            row,
            step,
            compare: ex.compare.get(),
        };
        let fragment = view.encode();
        ctx.place.set(view);
        let Some(w) = web_sys::window() else { return };
        let url = format!(
            "{}{}#{fragment}",
            w.location().pathname().unwrap_or_default(),
            w.location().search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
}
