//! The SFT export panel: format and options, the download button and the manifest of what was
//! written. The export itself runs in the workers (`Ctx::export`).

use leptos::prelude::*;

use super::ctx;
use super::state::Phase;

#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctx = ctx();
    let export = ctx.export;
    let ready = move || {
        ctx.ingest
            .with(|i| i.phase() == Phase::Done || i.phase() == Phase::Error)
    };
    let manifest = move || {
        export.with(|e| {
            e.manifest.as_ref().map(|m| {
                let dropped: u64 = m.rows_dropped.values().sum();
                let why = m
                    .rows_dropped
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "{} rows read = {} written + {} dropped{}; {:.1} MB",
                    m.rows_read,
                    m.rows_written,
                    dropped,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({why})")
                    },
                    m.bytes_written as f64 / 1e6
                )
            })
        })
    };
    view! {
        <section class="export">
            <h2>"SFT export"</h2>
            <p>
                "One JSON line per row in the OpenAI/TRL "<code>"messages"</code>
                " shape: system/user/assistant/tool roles, assistant "<code>"tool_calls"</code>
                " and "<code>"reasoning_content"</code>", tool messages with "<code>"tool_call_id"</code>"."
            </p>
            <button
                data-testid="download-sft"
                disabled=move || !ready() || export.with(|e| e.running)
                on:click=move |_| ctx.export("messages")
            >
                {move || if export.with(|e| e.running) { "Exporting…" } else { "Download SFT (messages JSONL)" }}
            </button>
            <p class="manifest" data-testid="export-manifest">{manifest}</p>
            <p class="error">{move || export.with(|e| e.error.clone())}</p>
        </section>
    }
}
