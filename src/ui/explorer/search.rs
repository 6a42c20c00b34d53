//! The search inside trajectories: a text or a regex, run in the workers over the files.

use super::*;

/// Search over whole trajectories: the workers re-read the files.
#[component]
pub(super) fn DeepSearch() -> impl IntoView {
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
            .with_untracked(|i| i.phase() == crate::ui::state::Phase::Running);
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
                disabled=move || search.with(|s| s.running) || ctx.ingest.with(|i| i.phase() == crate::ui::state::Phase::Running)
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
