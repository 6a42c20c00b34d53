//! The explorer: the trajectory list (virtualised: only visible rows are in the DOM), its filters
//! and sort, and the trace view of the open row, re-read from its file by a worker. Every string
//! from the data is rendered as text. Keyboard: j/k rows, n/p steps, / search, Esc close, ? help.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use super::{ctx, Ctx};
use agent_traces::explore::view::{Item, Note, ResponseView, Step};
use std::collections::HashMap;

use agent_traces::explore::{
    select, Field, Filter, Hit, Matcher, Query, RowKey, Rule, Scope, SortKey, TraceView, View,
    ViewState,
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
        let files: Vec<(&str, &RowIndex)> = i
            .files
            .iter()
            .map(|f| (f.label.as_str(), &f.index))
            .collect();
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
            view: ctx.view.get(),
            filter: ex.filter.get(),
            sort,
            descending,
            row,
            step,
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

/// The page's active filters as chips (each removable), with the figures of the rows they
/// select, computed from the row index. Clicking a bar or slice in the charts adds a chip.
#[component]
pub fn FilterChips() -> impl IntoView {
    let ctx = ctx();
    let filter = ctx.explorer.filter;
    let chips = move || {
        let f = filter.get();
        Field::ALL
            .into_iter()
            .filter_map(|field| Some((field, field.shown(&f)?)))
            .collect::<Vec<_>>()
    };
    // The dashboard's figures are the selection's: the chips show its size.
    let selection = Memo::new(move |_| {
        ctx.shown.with(|s| {
            s.filter
                .as_ref()
                .map(|_| (s.total.rows, s.total.turns, s.total.strict.tool_calls))
        })
    });
    view! {
        <Show when=move || selection.with(Option::is_some)>
            <div class="chips" data-testid="filter-chips">
                <span class="label">"Filtered to "</span>
                {move || {
                    chips()
                        .into_iter()
                        .map(|(field, value)| {
                            view! {
                                <button
                                    class="chip"
                                    data-testid="chip"
                                    data-chip=field.name()
                                    title="remove this filter"
                                    on:click=move |_| filter.update(|f| field.clear(f))
                                >
                                    {format!("{}: {value} ×", field.name())}
                                </button>
                            }
                        })
                        .collect_view()
                }}
                <Show when=move || ctx.view.get() != View::Trajectories>
                    <a
                        class="show-rows"
                        data-testid="show-rows"
                        href=move || {
                            let place = ViewState {
                                view: View::Trajectories,
                                ..ctx.place.get()
                            };
                            format!("#{}", place.encode())
                        }
                    >
                        "Show the rows"
                    </a>
                </Show>
                {move || {
                    selection.get().map(|(rows, turns, calls)| {
                        view! {
                            <span class="selection">
                                <span data-metric="selected_rows" data-value=rows.to_string()>{format!("{} rows", group(rows))}</span>
                                " · "
                                <span data-metric="selected_turns" data-value=turns.to_string()>{format!("{} turns", group(turns))}</span>
                                " · "
                                <span data-metric="selected_tool_calls" data-value=calls.to_string()>{format!("{} tool calls", group(calls))}</span>
                            </span>
                        }
                    })
                }}
            </div>
        </Show>
    }
}

/// Choices for a `<select>` from the indexes: every distinct value of `names`.
fn choices(ctx: Ctx, names: fn(&RowIndex) -> Vec<String>) -> Vec<String> {
    ctx.ingest.with(|i| {
        let mut all: Vec<String> = i.files.iter().flat_map(|f| names(&f.index)).collect();
        all.sort();
        all.dedup();
        all
    })
}

fn category_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .filter_map(|r| r.category().map(|c| index.name(c).to_owned()))
        .collect()
}

fn subcategory_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .filter_map(|r| r.subcategory().map(|c| index.name(c).to_owned()))
        .collect()
}

fn tool_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .flat_map(|r| index.tool_names(r).map(str::to_owned))
        .collect()
}

/// A `<select>` bound to one optional field of the filter.
fn select_box(
    testid: &'static str,
    label: &'static str,
    options: impl Fn() -> Vec<String> + Send + Sync + 'static,
    get: fn(&Filter) -> Option<String>,
    set: fn(&mut Filter, Option<String>),
) -> impl IntoView {
    let filter = ctx().explorer.filter;
    view! {
        <label>
            {label}
            <select
                data-testid=testid
                prop:value=move || filter.with(|f| get(f).unwrap_or_default())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| set(f, (!v.is_empty()).then_some(v)));
                }
            >
                <option value="">"any"</option>
                {move || {
                    options()
                        .into_iter()
                        .map(|o| view! { <option value=o.clone()>{o.clone()}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
fn Filters() -> impl IntoView {
    let ctx = ctx();
    let filter = ctx.explorer.filter;
    let sources = move || {
        let mut s: Vec<String> = ctx
            .ingest
            .with(|i| i.files.iter().map(|f| f.label.clone()).collect());
        s.dedup();
        s
    };
    let flags = || Flags::ALL.iter().map(|(_, n, _)| (*n).to_owned()).collect();
    view! {
        <div class="filters">
            <label>
                "search "
                <input
                    type="search"
                    data-testid="explorer-search"
                    placeholder="id or task"
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.text = v);
                    }
                />
            </label>
            {select_box("filter-source", "source ", sources, |f| f.source.clone(), |f, v| f.source = v)}
            {select_box("filter-category", "category ", move || choices(ctx, category_names), |f| f.category.clone(), |f, v| f.category = v)}
            {select_box("filter-subcategory", "subcategory ", move || choices(ctx, subcategory_names), |f| f.subcategory.clone(), |f, v| f.subcategory = v)}
            {select_box("filter-tool", "tool ", move || choices(ctx, tool_names), |f| f.tool.clone(), |f, v| f.tool = v)}
            {select_box("filter-flag", "flag ", flags, |f| f.flag.clone(), |f, v| f.flag = v)}
            <label>
                "failure "
                <select
                    data-testid="filter-failure"
                    prop:value=move || filter.with(|f| match f.failure {
                        Some(Rule::Strict) => "strict",
                        Some(Rule::Tutorial) => "tutorial",
                        None => "",
                    })
                    on:change=move |ev| {
                        let rule = match event_target_value(&ev).as_str() {
                            "strict" => Some(Rule::Strict),
                            "tutorial" => Some(Rule::Tutorial),
                            _ => None,
                        };
                        filter.update(|f| f.failure = rule);
                    }
                >
                    <option value="">"any"</option>
                    <option value="strict">"failed (strict rule)"</option>
                    <option value="tutorial">"error (tutorial's rule)"</option>
                </select>
            </label>
            {range("turns", |f| (f.min_turns, f.max_turns), |f, lo, hi| { f.min_turns = lo; f.max_turns = hi; })}
            {range("calls", |f| (f.min_calls, f.max_calls), |f, lo, hi| { f.min_calls = lo; f.max_calls = hi; })}
            {range("words", |f| (f.min_words, f.max_words), |f, lo, hi| { f.min_words = lo; f.max_words = hi; })}
        </div>
    }
}

/// Two number inputs bounding one figure (`data-testid="filter-min-{name}"` / `…-max-…`).
fn range(
    name: &'static str,
    get: fn(&Filter) -> (Option<u32>, Option<u32>),
    set: fn(&mut Filter, Option<u32>, Option<u32>),
) -> impl IntoView {
    let filter = ctx().explorer.filter;
    let input = move |is_min: bool| {
        let testid = format!("filter-{}-{name}", if is_min { "min" } else { "max" });
        view! {
            <input
                type="number"
                min="0"
                class="bound"
                data-testid=testid
                placeholder=if is_min { "min" } else { "max" }
                prop:value=move || {
                    filter.with(|f| {
                        let (lo, hi) = get(f);
                        (if is_min { lo } else { hi }).map(|n| n.to_string()).unwrap_or_default()
                    })
                }
                on:input=move |ev| {
                    let v = event_target_value(&ev).trim().parse::<u32>().ok();
                    filter.update(|f| {
                        let (lo, hi) = get(f);
                        if is_min { set(f, v, hi) } else { set(f, lo, v) }
                    });
                }
            />
        }
    };
    view! { <label>{format!("{name} ")}{input(true)}" – "{input(false)}</label> }
}

/// Search over whole trajectories: the workers re-read the files.
#[component]
fn DeepSearch() -> impl IntoView {
    let ctx = ctx();
    let search = ctx.explorer.search;
    let query = RwSignal::new(Query::default());
    let status = move || {
        search.with(|s| {
            let files = s.found.len();
            let done = s.found.iter().filter(|f| f.is_some()).count();
            if let Some(e) = &s.error {
                ("error", e.clone())
            } else if s.running {
                let mb = s.bytes_done.iter().sum::<u64>() as f64 / 1e6;
                (
                    "running",
                    format!("searching… {done} of {files} files, {mb:.1} MB read"),
                )
            } else if s.results().is_some() {
                (
                    "done",
                    format!(
                        "{} rows match “{}” ({})",
                        s.rows_found(),
                        s.query.pattern,
                        s.query.scope.as_str()
                    ),
                )
            } else {
                ("idle", String::new())
            }
        })
    };
    let run = move || {
        let q = query.get_untracked();
        let reading = ctx
            .ingest
            .with_untracked(|i| i.phase() == super::state::Phase::Running);
        if !q.pattern.is_empty() && !reading {
            ctx.search(q);
        }
    };
    view! {
        <div class="filters deep-search">
            <label>
                "search inside trajectories "
                <input
                    type="search"
                    data-testid="deep-search"
                    placeholder="text, or a regex"
                    prop:value=move || query.with(|q| q.pattern.clone())
                    on:input=move |ev| query.update(|q| q.pattern = event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { run() }
                />
            </label>
            <select
                data-testid="deep-search-scope"
                aria-label="where to search"
                on:change=move |ev| {
                    let scope = Scope::parse(&event_target_value(&ev)).unwrap_or_default();
                    query.update(|q| q.scope = scope);
                }
            >
                {Scope::ALL.map(|s| view! { <option value=s.as_str()>{format!("in {}", s.as_str())}</option> }).collect_view()}
            </select>
            <label>
                <input
                    type="checkbox"
                    data-testid="deep-search-regex"
                    on:change=move |ev| query.update(|q| q.regex = event_target_checked(&ev))
                />
                " regex"
            </label>
            <button
                data-testid="deep-search-run"
                on:click=move |_| run()
                disabled=move || search.with(|s| s.running) || ctx.ingest.with(|i| i.phase() == super::state::Phase::Running)
            >
                "Search files"
            </button>
            <Show when=move || search.with(|s| s.running)>
                <button data-testid="deep-search-cancel" on:click=move |_| ctx.cancel_search()>"Cancel"</button>
            </Show>
            <Show when=move || search.with(|s| s.results().is_some() || s.error.is_some())>
                <button data-testid="deep-search-clear" on:click=move |_| search.set(Search::default())>"Clear"</button>
            </Show>
            <span class="status" data-testid="deep-search-status" data-state=move || status().0>{move || status().1}</span>
        </div>
    }
}

/// Column headers: (sort key, label).
const COLUMNS: [(SortKey, &str); 11] = [
    (SortKey::Position, "#"),
    (SortKey::Id, "id"),
    (SortKey::Source, "source"),
    (SortKey::Category, "category"),
    (SortKey::Subcategory, "subcategory"),
    (SortKey::Position, "task"),
    (SortKey::Turns, "turns"),
    (SortKey::ToolCalls, "calls"),
    (SortKey::Failures, "failures"),
    (SortKey::ThinkWords, "reasoning words"),
    (SortKey::Flags, "flags"),
];

#[component]
fn List(hits: Memo<Vec<Hit>>) -> impl IntoView {
    let ctx = ctx();
    let ex = ctx.explorer;
    let scroll = RwSignal::new(0.0f64);
    let list = NodeRef::<leptos::html::Div>::new();
    // Keep the open row in view (keyboard navigation).
    Effect::new(move |_| {
        let (Some(pos), Some(el)) = (ex.open.get(), list.get()) else {
            return;
        };
        let top = pos as f64 * ROW_PX;
        let shown = el.scroll_top() as f64;
        if top < shown || top + ROW_PX > shown + VIEW_PX {
            el.set_scroll_top((top - VIEW_PX / 2.0).max(0.0) as i32);
        }
    });
    let header = COLUMNS
        .iter()
        .map(|(key, label)| {
            let key = *key;
            let arrow = move || match ex.sort.get() {
                (k, d) if k == key && key != SortKey::Position => {
                    if d {
                        " ▼"
                    } else {
                        " ▲"
                    }
                }
                _ => "",
            };
            view! {
                <button
                    class="th"
                    data-sort=key.as_str()
                    on:click=move |_| {
                        ex.sort.update(|(k, d)| {
                            *d = *k == key && !*d;
                            *k = key;
                        })
                    }
                >
                    {*label}
                    {arrow}
                </button>
            }
        })
        .collect_view();
    let all_hits = hits;
    let rows = move || {
        let first = (scroll.get() / ROW_PX).floor().max(0.0) as usize;
        let count = (VIEW_PX / ROW_PX).ceil() as usize + 4;
        let open_pos = ex.open.get();
        hits.with(|hits| {
            ctx.ingest.with(|i| {
                hits.iter()
                    .enumerate()
                    .skip(first.saturating_sub(2))
                    .take(count)
                    .map(|(pos, hit)| {
                        let file = &i.files[hit.file];
                        let r = &file.index.rows[hit.row];
                        let name = |id: Option<u32>| {
                            id.map(|c| file.index.name(c).to_owned())
                                .unwrap_or_default()
                        };
                        let id = r.id.clone().unwrap_or_default();
                        let data_id = id.clone();
                        let flags = r.flags().names().collect::<Vec<_>>().join(", ");
                        let failures = format!(
                            "{}{}",
                            r.stats.failed_responses(),
                            if r.stats.failed_in(Mode::Tutorial) {
                                " · tutorial ✗"
                            } else {
                                ""
                            }
                        );
                        view! {
                            <div
                                class="trow"
                                class:open=open_pos == Some(pos)
                                style=format!("top:{}px", pos as f64 * ROW_PX)
                                data-testid="trajectory-row"
                                data-position=pos
                                data-id=data_id
                                on:click=move |_| open(ctx, all_hits, pos)
                            >
                                <span class="num">{r.at.number()}</span>
                                <span class="id">{id}</span>
                                <span>{file.label.clone()}</span>
                                <span>{name(r.category())}</span>
                                <span>{name(r.subcategory())}</span>
                                <span class="task" title=r.task.clone()>{r.task.clone()}</span>
                                <span class="num">{r.stats.turns}</span>
                                <span class="num">{r.stats.tool_calls()}</span>
                                <span class="num">{failures}</span>
                                <span class="num">{r.stats.think_words()}</span>
                                <span class="flags" title=flags.clone()>{flags.clone()}</span>
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="thead">{header}</div>
        <div
            class="tlist"
            data-testid="trajectory-list"
            // Reachable by Tab, so the arrow keys and Page Down scroll it too.
            tabindex="0"
            role="region"
            aria-label="trajectories"
            node_ref=list
            style=format!("height:{VIEW_PX}px")
            on:scroll=move |_| {
                if let Some(el) = list.get_untracked() {
                    scroll.set(el.scroll_top() as f64);
                }
            }
        >
            <div class="spacer" style=move || format!("height:{}px", hits.with(Vec::len) as f64 * ROW_PX)>
                {rows}
            </div>
        </div>
    }
}

#[component]
fn TracePanel() -> impl IntoView {
    let ex = ctx().explorer;
    move || {
        match ex.trace.get() {
        Trace::Closed => ().into_any(),
        Trace::Loading => view! { <section class="trace" data-testid="trace-view" data-state="loading">"Reading the row…"</section> }.into_any(),
        Trace::Failed(msg) => view! { <section class="trace" data-testid="trace-view" data-state="error"><p class="error">{msg}</p></section> }.into_any(),
        Trace::Shown(t) => {
            // Matches of a finished search are highlighted.
            let matcher = ex.search.with_untracked(|s| {
                s.results().and_then(|_| Matcher::new(&s.query).ok())
            });
            trace_view(*t, ex, matcher).into_any()
        }
    }
    }
}

fn trace_view(t: TraceView, ex: Explorer, m: Option<Matcher>) -> impl IntoView {
    let steps = t.steps.len();
    let n_tools = t.tools.len();
    let base = t.id.clone().unwrap_or_else(|| "trajectory".to_owned());
    let parsed = serde_json::to_string_pretty(&t).unwrap_or_default();
    let raw = t.raw.clone();
    let save = move |text: &str, suffix: &str| {
        let _ = super::files::save_text(text, "application/json", &format!("{base}.{suffix}.json"));
    };
    let save_raw = save.clone();
    let tools = t
        .tools
        .into_iter()
        .map(|tool| {
            view! {
                <details class="tool-def">
                    <summary><span class="badge">{tool.name}</span>" "{tool.description}</summary>
                    <pre tabindex="0">{tool.parameters}</pre>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="trace" data-testid="trace-view" data-state="shown" data-steps=steps>
            <header>
                <button class="close" data-testid="trace-close" on:click=move |_| ex.reset()>"Close (Esc)"</button>
                <h3 data-testid="trace-id">{t.id.unwrap_or_default()}</h3>
                <p class="downloads">
                    <label class="replay">
                        <input
                            type="checkbox"
                            data-testid="replay"
                            prop:checked=move || ex.replay.get()
                            on:change=move |ev| ex.replay.set(event_target_checked(&ev))
                        />
                        " replay one step at a time (n / p)"
                    </label>
                    {raw.map(|raw| view! {
                        <button data-testid="download-trajectory-raw" on:click=move |_| save_raw(&raw, "row")>"Download as in the file"</button>
                    })}
                    <button data-testid="download-trajectory-parsed" on:click=move |_| save(&parsed, "parsed")>"Download as parsed"</button>
                </p>
                <p class="meta">
                    {t.category.unwrap_or_default()}
                    {t.subcategory.map(|s| format!(" / {s}"))}
                </p>
                <p class="task" data-testid="trace-task">{t.task.unwrap_or_default()}</p>
                <details class="tools"><summary>{format!("{n_tools} declared tools")}</summary>{tools}</details>
                {t.system.map(|s| view! { <details class="system" data-testid="trace-system"><summary>"System prompt"</summary><pre tabindex="0">{s}</pre></details> })}
            </header>
            <ol class="steps">
                {t.steps.into_iter().enumerate().map(|(i, s)| step_view(i, s, ex, m.as_ref())).collect_view()}
            </ol>
        </section>
    }
}

fn step_view(i: usize, step: Step, ex: Explorer, m: Option<&Matcher>) -> impl IntoView {
    let calls = step
        .items
        .iter()
        .filter(|it| matches!(it, Item::Call { .. }))
        .count();
    let mut items = Vec::new();
    let mut group = Vec::new();
    for item in step.items {
        match item {
            Item::Call { .. } if calls > 1 => group.push(item_view(item, m)),
            other => {
                if !group.is_empty() {
                    items.push(parallel(std::mem::take(&mut group)));
                }
                items.push(item_view(other, m));
            }
        }
    }
    if !group.is_empty() {
        items.push(parallel(group));
    }
    view! {
        <li
            class=format!("step {}", step.role)
            class:current=move || ex.step.get() == i
            class:hidden=move || ex.replay.get() && ex.step.get() < i
            data-step=i
            data-role=step.role.clone()
        >
            <div class="who">{format!("{} · message {}", step.role, step.message)}</div>
            {items}
        </li>
    }
}

fn parallel(calls: Vec<AnyView>) -> AnyView {
    let n = calls.len();
    view! {
        <div class="parallel" data-testid="parallel-calls" data-calls=n>
            <div class="label">{format!("{n} parallel calls")}</div>
            {calls}
        </div>
    }
    .into_any()
}

fn flag_notes(flags: Vec<Note>) -> impl IntoView {
    flags
        .into_iter()
        .map(|n| view! { <span class="flag" data-flag=n.flag.clone() title=n.explanation.clone()>{format!("{}: {}", n.flag, n.explanation)}</span> })
        .collect_view()
}

fn item_view(item: Item, m: Option<&Matcher>) -> AnyView {
    match item {
        Item::Reasoning { text, words, flags } => view! {
            <details class="reasoning" open>
                <summary>{format!("reasoning · {words} words")}</summary>
                <div class="text">{marked(text, m)}</div>
                {flag_notes(flags)}
            </details>
        }
        .into_any(),
        Item::Text { text } => view! { <div class="text">{marked(text, m)}</div> }.into_any(),
        Item::Call {
            id,
            name,
            arguments,
            error,
            flags,
            responses,
        } => {
            let (tool, call_id) = (name.clone(), id.clone().unwrap_or_default());
            view! {
            <div class="call" data-testid="tool-call" data-tool=tool data-call-id=call_id>
                <div class="label"><span class="badge">{name}</span>{id.map(|i| format!(" · {i}"))}</div>
                {copy_button(arguments.clone())}
                <pre class="args" tabindex="0">{marked(arguments, m)}</pre>
                {error.map(|e| view! { <p class="error">{e}</p> })}
                {flag_notes(flags)}
                {responses.into_iter().map(|r| response_view(r, m)).collect_view()}
            </div>
            }
            .into_any()
        }
        Item::Response(r) => response_view(r, m).into_any(),
    }
}

/// `text` with the matches of `m` marked (as text nodes and `<mark>` elements, never as HTML).
fn marked(text: String, m: Option<&Matcher>) -> AnyView {
    let ranges = m.map(|m| m.ranges(&text)).unwrap_or_default();
    if ranges.is_empty() {
        return text.into_any();
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end) in ranges {
        if start > at {
            pieces.push(text[at..start].to_owned().into_any());
        }
        pieces.push(
            view! { <mark data-testid="match">{text[start..end].to_owned()}</mark> }.into_any(),
        );
        at = end;
    }
    if at < text.len() {
        pieces.push(text[at..].to_owned().into_any());
    }
    pieces.into_any()
}

fn response_view(r: ResponseView, m: Option<&Matcher>) -> impl IntoView {
    let m = m.cloned();
    let full = r.content;
    let long = full.chars().count() > CUT_CHARS;
    let all = RwSignal::new(false);
    let cut: String = full.chars().take(CUT_CHARS).collect();
    let total = full.len();
    let full = StoredValue::new(full);
    let shown = move || {
        if all.get() || !long {
            full.get_value()
        } else {
            cut.clone()
        }
    };
    let failed = r.failed;
    view! {
        <div
            class="response"
            data-testid="tool-response"
            data-failed=failed.to_string()
            data-tutorial-error=r.tutorial_error.to_string()
        >
            <div class="label">
                {if failed { "response · failed (strict rule)" } else { "response" }}
                {r.tutorial_error.then_some(" · error (tutorial's rule)")}
                {r.exit_code.map(|c| format!(" · exit code {c}"))}
                {copy_button(full.get_value())}
            </div>
            <pre tabindex="0">{move || marked(shown(), m.as_ref())}</pre>
            <Show when=move || long && !all.get()>
                <button class="more" data-testid="show-all" on:click=move |_| all.set(true)>
                    {format!("show all ({:.1} KB)", total as f64 / 1e3)}
                </button>
            </Show>
            {flag_notes(r.flags)}
        </div>
    }
}

/// Copies `text` to the clipboard.
fn copy_button(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            class="copy"
            data-testid="copy"
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&text);
                    copied.set(true);
                }
            }
        >
            {move || if copied.get() { "copied" } else { "copy" }}
        </button>
    }
}

#[component]
pub fn Help() -> impl IntoView {
    let ex = ctx().explorer;
    view! {
        <div class="help" data-testid="help" role="dialog" aria-label="keyboard shortcuts">
            <h3>"Keyboard"</h3>
            <dl>
                <dt>"j / k"</dt><dd>"next / previous trajectory"</dd>
                <dt>"n / p"</dt><dd>"next / previous step"</dd>
                <dt>"/"</dt><dd>"search"</dd>
                <dt>"Esc"</dt><dd>"close"</dd>
                <dt>"?"</dt><dd>"this help"</dd>
                <dt>"1 … 7"</dt><dd>"the views, in the order of the navigation (Tab reaches every control)"</dd>
            </dl>
            <button on:click=move |_| ex.help.set(false)>"Close"</button>
        </div>
    }
}

/// The view a digit key names (1 = the first of the navigation).
fn digit_view(key: &str) -> Option<View> {
    let n: usize = key.parse().ok()?;
    View::ALL.get(n.checked_sub(1)?).copied()
}

/// j/k, n/p, /, Esc and ? on the whole page (not while typing in a field, except Esc).
pub fn keyboard(ctx: Ctx, hits: Memo<Vec<Hit>>) {
    let ex = ctx.explorer;
    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| match el.tag_name().as_str() {
                    "SELECT" | "TEXTAREA" => true,
                    // Check boxes and buttons take no text.
                    "INPUT" => !matches!(
                        el.get_attribute("type").as_deref(),
                        Some("checkbox" | "radio" | "button")
                    ),
                    _ => false,
                });
            let key = ev.key();
            if typing && key != "Escape" {
                return;
            }
            // A digit opens that view (a new history entry, as a click on its link).
            if let Some(view) = digit_view(&key) {
                let state = ViewState {
                    view,
                    ..ctx.place.get_untracked()
                };
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash(&state.encode());
                }
                return;
            }
            // The list's keys act where the list is; "?" and Esc everywhere.
            if ctx.view.get_untracked() != View::Trajectories
                && !matches!(key.as_str(), "?" | "Escape")
            {
                return;
            }
            let rows = hits.with_untracked(Vec::len);
            let steps = match &*ex.trace.read_untracked() {
                Trace::Shown(t) => t.steps.len(),
                _ => 0,
            };
            match key.as_str() {
                "j" | "k" if rows > 0 => {
                    let pos = match (ex.open.get_untracked(), key.as_str()) {
                        (None, _) => 0,
                        (Some(p), "j") => (p + 1).min(rows - 1),
                        (Some(p), _) => p.saturating_sub(1),
                    };
                    open(ctx, hits, pos);
                }
                "n" | "p" if steps > 0 => {
                    let s = ex.step.get_untracked();
                    let s = if key == "n" {
                        (s + 1).min(steps - 1)
                    } else {
                        s.saturating_sub(1)
                    };
                    ex.step.set(s);
                    scroll_to_step(s);
                }
                "/" => {
                    ev.prevent_default();
                    focus("[data-testid=explorer-search]");
                }
                "Escape" => {
                    if ex.help.get_untracked() {
                        ex.help.set(false);
                    } else {
                        ex.reset();
                    }
                }
                "?" => ex.help.update(|h| *h = !*h),
                _ => {}
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    // Lives as long as the page.
    on_key.forget();
}

fn element(selector: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

fn focus(selector: &str) {
    if let Some(el) = element(selector) {
        let _ = el.focus();
    }
}

fn scroll_to_step(i: usize) {
    if let Some(el) = element(&format!("[data-step=\"{i}\"]")) {
        el.scroll_into_view();
    }
}
