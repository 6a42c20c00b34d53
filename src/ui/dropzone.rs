//! File intake: a drop zone that also opens the file picker, and the status line with progress
//! and cancel.

use leptos::prelude::*;
use web_sys::{DragEvent, HtmlInputElement};

use super::intake::{self, Dropped};
use super::{ctx, now_ms};
use agent_traces::stats::display::mb_per_s;

/// The drop zone: large on the landing page, a compact "Open files" in the header once data is
/// shown (dropping on it, or choosing, replaces what is read).
#[component]
pub fn DropZone(compact: bool) -> impl IntoView {
    let ctx = ctx();
    let hover = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let folder = NodeRef::<leptos::html::Input>::new();
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        hover.set(false);
        let Some(dropped) = ev.data_transfer().map(|dt| Dropped::take(&dt)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match dropped.collect().await {
                Ok(intake) => ctx.start(intake),
                Err(e) => ctx.fail(format!("could not read what was dropped: {e}")),
            }
        });
    };
    let on_change = move |node: NodeRef<leptos::html::Input>| {
        if let Some(el) = node.get() {
            let el: &HtmlInputElement = &el;
            ctx.start(intake::from_input(el));
            el.set_value("");
        }
    };
    // `webkitdirectory` is not an attribute the view macro knows: set it on the element.
    Effect::new(move |_| {
        if let Some(el) = folder.get() {
            el.set_webkitdirectory(true);
        }
    });
    view! {
        <label
            class="dropzone"
            class:compact=compact
            class:hover=move || hover.get()
            data-testid="dropzone"
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                hover.set(true);
            }
            on:dragleave=move |_| hover.set(false)
            on:drop=on_drop
        >
            <input
                type="file"
                multiple
                accept=".jsonl,.json,.gz,.parquet,application/json"
                data-testid="file-input"
                node_ref=input
                on:change=move |_| on_change(input)
            />
            {if compact {
                view! { <strong>"Open files…"</strong> " (or drop them here)" }.into_any()
            } else {
                view! {
                    <strong>"Drop files or folders here"</strong>
                    " or click to choose: JSONL, JSONL.gz, JSON or Parquet, several at once."
                }
                .into_any()
            }}
        </label>
        <label class="folder-pick">
            <input
                type="file"
                multiple
                data-testid="folder-input"
                node_ref=folder
                on:change=move |_| on_change(folder)
            />
            "Choose a folder…"
        </label>
    }
}

#[component]
pub fn Status() -> impl IntoView {
    let ctx = ctx();
    let ingest = ctx.ingest;
    let phase = move || ingest.with(|i| i.phase());
    // For remote files: what the network delivered, per connection, and how much of the read
    // the workers spent waiting for it (the rest is parsing).
    let network = move || {
        ingest.with(|i| {
            let (net, parts) = i.network()?;
            let end = i.finished_ms.unwrap_or_else(now_ms);
            let secs = ((end - i.started_ms) / 1000.0).max(0.001);
            let waiting = (100.0 * net.ms / 1000.0 / (secs * parts as f64)).min(100.0);
            Some(format!(
                "Network: {} in {} range requests, {} per connection, workers waiting for it {waiting:.0}% of the time.",
                agent_traces::stats::display::size(net.bytes),
                net.requests,
                mb_per_s(net.bytes as f64, (net.ms / 1000.0).max(0.001)),
            ))
        })
    };
    let text = move || {
        ingest.with(|i| {
            let done = i.bytes_done() as f64;
            let total = i.bytes_total() as f64;
            let end = i.finished_ms.unwrap_or_else(now_ms);
            let secs = ((end - i.started_ms) / 1000.0).max(0.001);
            let mb = done / 1e6;
            match i.phase() {
                super::state::Phase::Idle => "Ready: nothing is read until you choose files.".to_string(),
                super::state::Phase::Running => {
                    let pct = if total > 0.0 {
                        100.0 * done / total
                    } else {
                        0.0
                    };
                    let rate = mb / secs;
                    let left = if rate > 0.0 {
                        (total - done) / 1e6 / rate
                    } else {
                        0.0
                    };
                    let speed = mb_per_s(done, secs);
                    format!("Reading… {pct:.0}% ({mb:.1} MB, {speed}, about {left:.0} s left)")
                }
                super::state::Phase::Done if i.cancelled() => {
                    format!("Cancelled after {mb:.1} MB: figures are partial.")
                }
                super::state::Phase::Done => format!(
                    "Read {} file(s), {mb:.1} MB in {secs:.2} s ({}; largest worker memory {:.0} MB).",
                    i.files.len(),
                    mb_per_s(done, secs),
                    i.peak_wasm_memory as f64 / 1e6
                ),
                super::state::Phase::Error => match &i.fatal {
                    Some(msg) => format!("Error: {msg}"),
                    None => "Some files could not be read: see below.".to_string(),
                },
            }
        })
    };
    view! {
        <section
            class="status"
            data-testid="ingest-status"
            data-state=move || phase().as_str()
            data-partial=move || ingest.with(|i| i.cancelled()).to_string()
            data-peak-wasm-memory=move || ingest.with(|i| i.peak_wasm_memory).to_string()
            // The page's own wasm memory (the row index and figures live there), read again
            // whenever ingest moves.
            data-page-wasm-memory=move || {
                ingest.track();
                crate::worker::runtime::wasm_memory().to_string()
            }
            aria-live="polite"
        >
            <span>{text}</span>
            " " <span class="muted" data-testid="network-status">{network}</span>
            <Show when=move || phase() == super::state::Phase::Running>
                <button data-testid="cancel" on:click=move |_| ctx.cancel()>
                    "Cancel"
                </button>
            </Show>
        </section>
    }
}
