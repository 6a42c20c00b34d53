//! The app shell: the header that stays (what is read and how far, the filter chips, the
//! notebook's scope, copy link, the one download menu), the navigation between views — each its
//! own URL fragment (`#view=tools`), so back, forward and links work — and, before any data, the
//! landing page that says what the page does.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::dropzone::{DropZone, Status};
use super::explorer::{url_state, FilterChips};
use super::files::{fetch_file, save_text};
use super::hub::{Failures, HubOpen};
use super::intake::{Intake, Picked};
use super::{ctx, views, Ctx};
use agent_traces::explore::{View, ViewState};
use agent_traces::stats::display::group;
use agent_traces::stats::tables;

#[component]
pub fn Shell() -> impl IntoView {
    let ctx = ctx();
    let has_data = move || ctx.ingest.with(|i| !i.files.is_empty());
    follow_hash(ctx);
    view! {
        <header class="top">
            <div class="bar">
                <a class="brand" href="./" title="Agent Traces: start again">"Agent Traces"</a>
                <Show when=has_data>
                    <Read />
                </Show>
                <Status />
                <Show when=has_data>
                    <DropZone compact=true />
                    <SampleButton compact=true />
                    <details class="menu hub-menu">
                        <summary>"Hub"</summary>
                        <div class="menu-items"><HubOpen /></div>
                    </details>
                </Show>
            </div>
            <Show when=has_data>
                <Nav />
                <div class="context">
                    <NotebookScope />
                    <FilterChips />
                    <CopyLink />
                    <DownloadMenu />
                </div>
                <Failures />
            </Show>
        </header>
        <main id="main">
            <Show when=has_data fallback=Landing>
                {move || views::show(ctx.view.get())}
            </Show>
        </main>
    }
}

/// Follows the fragment when it changes under the page (a nav link, back, forward, an edited
/// address): the view it names is shown, with its filter and what it compares.
fn follow_hash(ctx: Ctx) {
    let on_hash = Closure::<dyn FnMut()>::new(move || {
        let state = url_state();
        if ctx.view.get_untracked() != state.view {
            ctx.view.set(state.view);
        }
        if ctx.explorer.compare.get_untracked() != state.compare {
            ctx.explorer.compare.set(state.compare);
        }
        if ctx.explorer.filter.get_untracked() != state.filter {
            ctx.explorer.filter.set(state.filter);
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_hash.forget();
}

/// The views as links, the shown one marked (`aria-current`).
#[component]
fn Nav() -> impl IntoView {
    let ctx = ctx();
    let links = View::ALL
        .into_iter()
        .map(|v| {
            // The link keeps everything else the URL holds (filters, sort, open row).
            let href = move || {
                let state = ViewState {
                    view: v,
                    ..ctx.place.get()
                };
                format!("#{}", state.encode())
            };
            let current = move || (ctx.view.get() == v).then_some("page");
            view! {
                <li>
                    <a href=href data-view=v.as_str() aria-current=current>
                        {v.title()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="views" aria-label="views" data-testid="nav">
            <ul>{links}</ul>
        </nav>
    }
}

/// "3 sources · 12,345 rows read": what the page holds, in one line.
#[component]
fn Read() -> impl IntoView {
    let ctx = ctx();
    let text = move || {
        let sources = ctx.shown.with(|s| s.sources.len().max(1));
        let files = ctx.ingest.with(|i| i.files.len());
        let rows = ctx.ingest.with(|i| i.totals().rows_read);
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} · {} · {} rows read",
            plural(sources, "source", "sources"),
            plural(files, "file", "files"),
            group(rows)
        )
    };
    view! { <span class="read" data-testid="read-summary">{text}</span> }
}

/// The notebook's scope: only the first 3,000 rows of each source, as the notebook analyses
/// them (a filter like any other: the list, the figures and the export follow it).
#[component]
fn NotebookScope() -> impl IntoView {
    use agent_traces::explore::filter::NOTEBOOK_ROWS;
    let filter = ctx().explorer.filter;
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        filter.update(|f| f.first = on.then_some(NOTEBOOK_ROWS));
    };
    view! {
        <label class="toggle scope">
            <input
                type="checkbox"
                data-testid="notebook-scope"
                prop:checked=move || filter.with(|f| f.first == Some(NOTEBOOK_ROWS))
                on:change=toggle
            />
            " the notebook's scope (first 3,000 rows per source)"
        </label>
    }
}

/// Copies the page's URL (view, filters, open row) for a colleague who has the same files.
#[component]
fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let Some(w) = web_sys::window() else { return };
        let url = w.location().href().unwrap_or_default();
        let promise = w.navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await;
            copied.set(Some(if done.is_ok() {
                "copied"
            } else {
                "the browser did not allow copying: use the address bar"
            }));
        });
    };
    view! {
        <button class="copy-link" data-testid="copy-link" on:click=copy
            title="the link opens this view with these filters once the same files are dropped">
            "Copy link"
        </button>
        <span class="muted" role="status">{move || copied.get()}</span>
    }
}

/// Every report in one menu: the JSON report and the tables as CSV (one click, one file).
#[component]
fn DownloadMenu() -> impl IntoView {
    let shown = ctx().shown;
    let error = RwSignal::new(None::<String>);
    let save = move |which: &'static str| {
        let (text, mime, name) = shown.with_untracked(|s| match which {
            "report" => (
                serde_json::to_string_pretty(&s.report()).unwrap_or_default(),
                "application/json",
                "agent-traces-report.json".to_owned(),
            ),
            "tools" => (tables::tools_csv(&s.total), "text/csv", csv_name(which)),
            "categories" => (
                tables::categories_csv(&s.total),
                "text/csv",
                csv_name(which),
            ),
            _ => (
                tables::figures_csv(
                    &s.total,
                    s.sources.iter().map(|(l, _, s)| (l.as_str(), &**s)),
                ),
                "text/csv",
                csv_name(which),
            ),
        });
        error.set(save_text(&text, mime, &name).err());
    };
    view! {
        <details class="menu" data-testid="download-menu">
            <summary>"Download"</summary>
            <div class="menu-items" role="group" aria-label="downloads">
                <button data-testid="download-report" on:click=move |_| save("report")>"Report (JSON)"</button>
                <button data-testid="download-csv-figures" on:click=move |_| save("figures")>"Figures (CSV)"</button>
                <button data-testid="download-csv-tools" on:click=move |_| save("tools")>"Tools (CSV)"</button>
                <button data-testid="download-csv-categories" on:click=move |_| save("categories")>"Categories (CSV)"</button>
            </div>
            <span class="error" role="alert">{move || error.get()}</span>
        </details>
    }
}

fn csv_name(which: &str) -> String {
    format!("agent-traces-{which}.csv")
}

/// Loads the sample dataset bundled with the page (replacing what is read).
#[component]
fn SampleButton(compact: bool) -> impl IntoView {
    let ctx = ctx();
    let on_sample = move |_| {
        leptos::task::spawn_local(async move {
            match fetch_file("sample.jsonl").await {
                Ok(file) => ctx.start(Intake {
                    files: vec![Picked::bare(file)],
                    ..Intake::default()
                }),
                Err(e) => ctx.fail(format!("could not load the sample: {e}")),
            }
        });
    };
    view! {
        <button class="sample" class:compact=compact data-testid="load-sample" on:click=on_sample>
            {if compact { "Sample" } else { "Try the sample dataset" }}
        </button>
    }
}

/// Before any data: what the page does, what it reads, the ways in, and the privacy promise.
#[component]
fn Landing() -> impl IntoView {
    view! {
        <section class="landing" data-testid="landing">
            <h1>"The truth about your agent traces, in your browser"</h1>
            <p class="lede">
                "Drop a dataset of agent reasoning traces and see, in seconds, how many rows, turns and "
                "tool calls it holds, which tools fail and why, how long the reasoning runs — counted "
                "exactly as the reference notebook counts, and by a strict JSON-aware reading beside it. "
                "Read any trajectory step by step, then download a training-ready file."
            </p>
            <div class="ways-in">
                <DropZone compact=false />
                <SampleButton compact=false />
            </div>
            <HubOpen />
            <Failures />
            <figure class="preview">
                <img src="overview.jpg" width="1280" height="800"
                    alt="The overview after loading a dataset: headline cards with rows, turns, tool calls and error rates, and a bar chart of the most called tools" />
            </figure>
            <dl class="facts">
                <dt>"Reads"</dt>
                <dd>
                    "ShareGPT rows (" <code>"conversations"</code> " of " <code>"from/value"</code>
                    ") and OpenAI-style " <code>"messages"</code> " with " <code>"<think>"</code> ", "
                    <code>"<tool_call>"</code> " and " <code>"<tool_response>"</code>
                    " — as JSONL, JSONL.gz, a JSON array or Parquet (snappy, zstd, gzip, lz4, brotli), "
                    "several files or a whole folder at once, hundreds of MB to GB."
                </dd>
                <dt>"Private"</dt>
                <dd id="privacy">
                    "Nothing you drop leaves this machine: the page is static files, the files are read "
                    "by Web Workers in this tab, and the page makes no request with your data (there is "
                    "no server to send it to). After the first visit it works offline."
                </dd>
            </dl>
        </section>
    }
}
