//! The overview view: headline figures (each with `data-metric`/`data-value` hooks) and cards
//! that say what stands out, the reconciliation, the sources and files tables, diagnostics,
//! quality flags and the figures of both definitions.

use leptos::prelude::*;

use crate::ui::state::Shared;

use crate::ui::state::FileEntry;
use crate::ui::{ctx, now_ms};
use agent_traces::pipeline::FileReport;
use agent_traces::stats::display::show_pair;
use agent_traces::stats::display::{group, mb_per_s};
use agent_traces::stats::{catalog, tables, Mode, Summary};

#[component]
fn Metric(
    name: &'static str,
    label: &'static str,
    value: Signal<String>,
    shown: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="metric" data-metric=name data-value=move || value.get()>
            <div class="value">{move || shown.get()}</div>
            <div class="label">{label}</div>
        </div>
    }
}

/// A figure whose `data-value` is `f()` exactly and whose text is `show(f())`.
fn metric<T: ToString + 'static>(
    name: &'static str,
    label: &'static str,
    f: impl Fn() -> T + Send + Sync + Copy + 'static,
    show: fn(T) -> String,
) -> impl IntoView {
    view! {
        <Metric
            name=name
            label=label
            value=Signal::derive(move || f().to_string())
            shown=Signal::derive(move || show(f()))
        />
    }
}

fn count_metric(
    name: &'static str,
    label: &'static str,
    f: impl Fn() -> u64 + Send + Sync + Copy + 'static,
) -> impl IntoView {
    metric(name, label, f, group)
}

/// The answer first: the headline cards (each with its definition and what stands out), the
/// counts that reconcile, the sources and files, what could not be read, the quality flags and
/// the figures of both definitions side by side.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = ctx();
    let ingest = ctx.ingest;
    let totals = Memo::new(move |_| ingest.with(|i| i.totals()));
    view! {
        <h2 class="view-title">"Overview"</h2>
        <Cards />
        <section class="reconcile" data-testid="reconcile" aria-label="rows read, analysed and skipped">
            {count_metric("rows_read", "rows read", move || totals.with(|t| t.rows_read))}
            {count_metric("rows_analysed", "rows analysed", move || totals.with(|t| t.rows_analysed))}
            {count_metric("rows_skipped", "rows skipped", move || totals.with(|t| t.rows_skipped_total()))}
            <Unread />
        </section>
        <SourceTable />
        <FileTable />
        <Diagnostics />
        <Quality summary=ctx.settled />
        <FiguresTable summary=ctx.settled />
    }
}

/// The headline cards (`stats::overview`): value, what stands out and how it is counted, from
/// the figures shown (the selection's when the page is filtered). The counts carry their exact
/// value (`data-metric`/`data-value`), with the means per row beside them.
#[component]
fn Cards() -> impl IntoView {
    let summary = ctx().summary;
    let cards = move || {
        summary.with(|s| {
            agent_traces::stats::overview::cards(s)
                .into_iter()
                .map(|c| card(s, c))
                .collect_view()
        })
    };
    view! { <section class="cards" data-testid="metrics" aria-label="headline figures">{cards}</section> }
}

fn card(s: &Summary, c: agent_traces::stats::overview::Card) -> impl IntoView {
    let exact = match c.name {
        "rows" => Some(s.rows),
        "turns" => Some(s.turns),
        "tool_calls" => Some(s.strict.tool_calls),
        _ => None,
    };
    let mean = match c.name {
        "turns" => Some(("avg_turns", "turns per row", s.avg_turns())),
        "tool_calls" => Some((
            "avg_tool_calls",
            "tool calls per row",
            s.avg_tool_calls(Mode::Strict),
        )),
        _ => None,
    };
    let value = match exact {
        Some(v) => {
            view! { <p class="value" data-metric=c.name data-value=v.to_string()>{c.value}</p> }
                .into_any()
        }
        None => view! { <p class="value">{c.value}</p> }.into_any(),
    };
    let notebook = c
        .notebook
        .map(|n| view! { <p class="notebook">"by the notebook's rules: " {n}</p> });
    let mean = mean.map(|(name, label, v)| {
        view! { <p class="mean" data-metric=name data-value=v.to_string()>{format!("{v:.2} {label}")}</p> }
    });
    let see_why = (c.name == "error_rows_pct")
        .then(|| view! { " " <a href="#view=failures" data-testid="see-why">"See why"</a> });
    view! {
        <article class="card" data-card=c.name>
            <h3>{c.title}</h3>
            {value}
            {notebook}
            {mean}
            <p class="finding">{c.finding}{see_why}</p>
            <p class="definition">{c.definition}</p>
        </article>
    }
}

/// What could not be read at all, beside the counts (so "0 skipped" never hides a loss): a gzip
/// cut off, a JSON document that breaks, a file that is not a dataset.
#[component]
fn Unread() -> impl IntoView {
    let ingest = ctx().ingest;
    let lost = move || {
        ingest.with(|i| {
            i.files
                .iter()
                .filter_map(|f| f.report.as_ref())
                .flat_map(|r| {
                    r.unread
                        .iter()
                        .map(|u| format!("{}: {}", r.name, u.describe()))
                })
                .collect::<Vec<_>>()
        })
    };
    move || {
        let lost = lost();
        (!lost.is_empty()).then(|| {
            view! {
                <p class="unread" data-testid="unread" data-count=lost.len()>
                    "Not read, so not counted: " {lost.join("; ")}
                </p>
            }
        })
    }
}

/// The figure cells shared by the files and sources tables.
fn figure_cells(sum: &Summary) -> impl IntoView {
    view! {
        <td class="num" data-col="rows">{group(sum.rows)}</td>
        <td class="num" data-col="turns">{group(sum.turns)}</td>
        <td class="num" data-col="tool_calls">{group(sum.strict.tool_calls)}</td>
        <td class="num" data-col="avg_turns">{format!("{:.2}", sum.avg_turns())}</td>
        <td class="num" data-col="avg_tool_calls">{format!("{:.2}", sum.avg_tool_calls(Mode::Strict))}</td>
    }
}

fn figure_headers() -> impl IntoView {
    view! {
        <th>"rows"</th>
        <th>"turns"</th>
        <th>"tool calls"</th>
        <th>"turns/row"</th>
        <th>"calls/row"</th>
    }
}

#[component]
fn FileTable() -> impl IntoView {
    let ingest = ctx().ingest;
    let rows = move || {
        ingest.with(|i| {
            i.files
                .iter()
                .enumerate()
                .map(|(index, f)| {
                    let sum = f.summary();
                    let state = if let Some(e) = &f.error {
                        format!("error: {e}")
                    } else if let Some(r) = &f.report {
                        file_state(r, f.cancelled)
                    } else {
                        reading_state(f, i.started_ms)
                    };
                    let dialects = sum.dialects.keys().cloned().collect::<Vec<_>>().join(", ");
                    let relabel = move |ev| {
                        let label = event_target_value(&ev);
                        ingest.update(|i| {
                            if let Some(f) = i.files.get_mut(index) {
                                f.label = label.trim().to_owned();
                            }
                        });
                    };
                    view! {
                        <tr data-file=f.name.clone()>
                            <td class="name" data-col="file">{f.name.clone()}</td>
                            <td data-col="source">
                                <input
                                    class="label"
                                    data-testid="source-label"
                                    aria-label=format!("source of {}", f.name)
                                    prop:value=f.label.clone()
                                    on:change=relabel
                                />
                            </td>
                            <td data-col="format">{f.report.as_ref().map(|r| format!("{:?}", r.format).to_lowercase()).unwrap_or_default()}</td>
                            <td data-col="dialect">{dialects}</td>
                            {figure_cells(&sum)}
                            <td data-col="state">{state}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="files">
            <h2>"Files"</h2>
            <table data-testid="file-table">
                <thead>
                    <tr>
                        <th>"file"</th>
                        <th>"source"</th>
                        <th>"format"</th>
                        <th>"dialect"</th>
                        {figure_headers()}
                        <th>"state"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// Figures per source (files sharing a label, e.g. the shards of one dataset) and in total.
#[component]
fn SourceTable() -> impl IntoView {
    let ctx = ctx();
    let rows = move || {
        ctx.shown.with(|shown| {
            let mut sources = shown.sources.clone();
            let files = ctx.ingest.with(|i| i.files.len());
            sources.push(("total".to_owned(), files, shown.total.clone()));
            sources
                .into_iter()
                .map(|(label, files, sum)| {
                    let shown = label.clone();
                    view! {
                        <tr data-source=label>
                            <td data-col="source">{shown}</td>
                            <td class="num" data-col="files">{files}</td>
                            {figure_cells(&sum)}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="sources">
            <h2>"Sources"</h2>
            <table data-testid="source-table">
                <thead>
                    <tr>
                        <th>"source"</th>
                        <th>"files"</th>
                        {figure_headers()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// "reading 45% in 2 parts · 120 MB/s · about 3 s left" for a file still being read.
fn reading_state(f: &FileEntry, started_ms: f64) -> String {
    let done = f.bytes_done() as f64;
    let parts = if f.parts.len() > 1 {
        format!(" in {} parts", f.parts.len())
    } else {
        String::new()
    };
    let mut out = format!("reading {:.0}%{parts}", 100.0 * done / f.size.max(1) as f64);
    let secs = (now_ms() - started_ms) / 1000.0;
    if done > 0.0 && secs > 0.0 {
        let left = (f.size as f64 - done).max(0.0) / (done / secs);
        out.push_str(&format!(
            " · {} · about {left:.0} s left",
            mb_per_s(done, secs)
        ));
    }
    out
}

fn file_state(r: &FileReport, cancelled: bool) -> String {
    let base = r.reconciliation();
    if cancelled {
        format!("cancelled (partial): {base}")
    } else if r.complete || !r.unread.is_empty() {
        base
    } else {
        format!("{base}; stopped early")
    }
}

#[component]
fn Diagnostics() -> impl IntoView {
    let ingest = ctx().ingest;
    let items = Memo::new(move |_| {
        ingest.with(|i| {
            i.files
                .iter()
                .filter_map(|f| f.report.as_ref())
                .flat_map(|r| r.diagnostics.iter().cloned())
                .take(100)
                .collect::<Vec<_>>()
        })
    });
    let counts = move || {
        ingest.with(|i| {
            let mut c = std::collections::BTreeMap::<String, u64>::new();
            for r in i.files.iter().filter_map(|f| f.report.as_ref()) {
                for (k, v) in &r.diagnostic_counts {
                    *c.entry(k.clone()).or_default() += v;
                }
            }
            c.into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    let ignored = Memo::new(move |_| ingest.with(|i| i.ignored.clone()));
    view! {
        <Show when=move || ignored.with(|v| !v.is_empty())>
            <section class="ignored" data-testid="ignored-files">
                <h2>"Not read"</h2>
                <p>
                    {move || ignored.with(Vec::len)}
                    " file(s) in the folder are not JSONL, JSON, gzip or Parquet by their names: "
                    {move || ignored.with(|v| v.join(", "))}
                </p>
            </section>
        </Show>
        <Show when=move || items.with(|d| !d.is_empty())>
            <section class="diagnostics" data-testid="diagnostics">
                <h2>"Diagnostics"</h2>
                <p class="counts">{counts}</p>
                <ul>
                    {move || {
                        items
                            .get()
                            .into_iter()
                            .map(|d| view! { <li data-diagnostic=d.kind.clone()>{d.to_string()}</li> })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}

/// Quality flags: how many rows carry each, what it means, and the first flagged rows.
#[component]
fn Quality(summary: Memo<Shared>) -> impl IntoView {
    let shown = ctx().shown;
    let counts = move || {
        summary.with(|s| {
            s.flagged_rows
                .iter()
                .map(|(name, n)| {
                    let help = agent_traces::trace::Flags::explain(name).unwrap_or("");
                    view! {
                        <tr data-flag=name.clone() data-value=n.to_string()>
                            <td><code>{name.clone()}</code></td>
                            <td class="num">{group(*n)}</td>
                            <td>{help}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let rows = move || {
        shown.with(|s| {
            s.flagged
                .iter()
                .cloned()
                .map(|(file, row)| {
                    view! {
                        <li data-file=file.clone() data-flagged-row=row.row.to_string()>
                            {format!("{file}, row {}{}: {}", row.row, row.id.map(|id| format!(" ({id})")).unwrap_or_default(), row.flags.join(", "))}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || summary.with(|s| !s.flagged_rows.is_empty())>
            <section class="quality" data-testid="quality">
                <h2>"Quality flags"</h2>
                <table>
                    <thead>
                        <tr>
                            <th>"flag"</th>
                            <th>"rows"</th>
                            <th>"meaning"</th>
                        </tr>
                    </thead>
                    <tbody>{counts}</tbody>
                </table>
                <details>
                    <summary>"First flagged rows"</summary>
                    <ul class="flagged">{rows}</ul>
                </details>
            </section>
        </Show>
    }
}

/// How a headline figure is counted (shown beside it): its note in the catalog.
fn note(name: &str) -> &'static str {
    catalog::figure(name).map_or("", |f| f.note)
}

/// What a headline figure counts in.
fn unit(name: &str) -> &'static str {
    catalog::figure(name).map_or("", |f| f.unit.as_str())
}

/// The headline figures under both definitions, each with its note.
#[component]
fn FiguresTable(summary: Memo<Shared>) -> impl IntoView {
    let rows = move || {
        summary.with(|s| {
            tables::headline(s)
                .into_iter()
                .map(|(name, t, st)| {
                    let differs = t != st;
                    let (t_text, st_text) = show_pair(t, st);
                    view! {
                        <tr data-figure=name data-differs=differs.to_string()>
                            <td><code>{name}</code> <span class="unit">{unit(name)}</span></td>
                            <td class="num" data-metric=format!("tutorial.{name}") data-value=t.to_string()>{t_text}</td>
                            <td class="num" data-metric=format!("strict.{name}") data-value=st.to_string()>
                                {if differs { st_text } else { "= tutorial".to_owned() }}
                            </td>
                            <td class="note">{note(name)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="insights" data-testid="figures">
            <h2>"Figures: tutorial and strict definitions"</h2>
            <p class="muted">
                "Tutorial: the seed notebook's regexes and error rule, exactly (its users know these numbers). "
                "Strict: the JSON-aware parser (tags inside reasoning or JSON strings are not tags; every "
                "response block is read) and hermes-agent's failure rule. Where both give the same value, the "
                "strict column says so."
            </p>
            <table data-testid="figures-table">
                <thead>
                    <tr><th>"figure"</th><th>"tutorial"</th><th>"strict"</th><th>"how is this counted"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
