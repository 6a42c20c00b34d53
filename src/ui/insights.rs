//! The dashboard's detailed part: the figures table (tutorial and strict side by side, each
//! value with `data-metric="tutorial.NAME"` / `"strict.NAME"` hooks and a "how is this counted"
//! note), why the two error rules differ, the detailed charts, and the CSV downloads.

use leptos::prelude::*;

use super::chart::{draw_soon, follow_window, ChartBox, Pick};
use super::ctx;
use agent_traces::charts::detail as charts;
use agent_traces::stats::display::{show, show_pair};
use agent_traces::stats::{catalog, pct, tables, Summary};

/// How a headline figure is counted (shown beside it): its note in the catalog.
fn note(name: &str) -> &'static str {
    catalog::figure(name).map_or("", |f| f.note)
}

/// What a headline figure counts in.
fn unit(name: &str) -> &'static str {
    catalog::figure(name).map_or("", |f| f.unit.as_str())
}

#[component]
pub fn Insights(summary: Memo<Summary>) -> impl IntoView {
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
            <details class="why-errors" data-testid="error-rules" open>
                <summary>"Why the two error figures differ"</summary>
                <p>
                    "The tutorial calls a tool message an error when the JSON dump of its FIRST response "
                    "block, lower-cased, contains \"error\", \"exit_code\": 1 (which also matches 12, 124, 127) "
                    "or \"traceback\". Every terminal result carries \"error\": null, so almost every row "
                    "with a terminal call counts, and the figure is close to 100% on hermes data. It also "
                    "never looks past the first block of a message with parallel results."
                </p>
                <p>
                    "The strict rule reads every block and counts a result as failed when its error is "
                    "non-null, success is false, status is \"error\", it has a traceback or exit_code -1, "
                    "its text starts with \"error\", or it is empty. A non-zero exit code alone (grep "
                    "finding nothing) is counted separately, not as a failure."
                </p>
            </details>
            <CsvDownloads />
            <ToolTable summary=summary />
            <CategoryTable summary=summary />
        </section>
        <Charts summary=summary />
    }
}

#[component]
fn Charts(summary: Memo<Summary>) -> impl IntoView {
    let stacked = RwSignal::new(false);
    view! {
        <section class="charts detail-charts">
            <label class="toggle">
                <input type="checkbox" data-testid="stack-by-category"
                    on:change=move |ev| stacked.set(event_target_checked(&ev)) />
                " top tools stacked by category"
            </label>
            <Show when=move || stacked.get()>
                <ChartBox id="chart-top-tools-by-category" summary=summary options=charts::top_tools_by_category pick=Pick::Tool />
            </Show>
            <p class="note">"Conversation length: rows by messages per row (system included), 40 equal bins."</p>
            <ChartBox id="chart-conversation-length" summary=summary options=charts::conversation_length />
            <p class="note">"Lengths in Unicode characters, 40 bins over both modes' range, log y: tutorial (regexes) beside strict (parser)."</p>
            <div class="chart-pair">
                <ChartBox id="chart-think-lengths" summary=summary options=charts::think_lengths />
                <ChartBox id="chart-call-lengths" summary=summary options=charts::call_lengths />
            </div>
            <ChartBox id="chart-answer-lengths" summary=summary options=charts::answer_lengths />
            <p class="note">"Failure rates: tutorial rule (first block of each tool message) beside strict rule (every result)."</p>
            <div class="chart-pair">
                <ChartBox id="chart-failure-by-tool" summary=summary options=charts::failure_by_tool pick=Pick::Tool />
                <ChartBox id="chart-failure-by-category" summary=summary options=charts::failure_by_category pick=Pick::Category />
            </div>
            <ChartBox id="chart-reasoning-by-category" summary=summary options=charts::reasoning_by_category pick=Pick::Category />
            <p class="note">"Step = the assistant turn's index in its row (1 = first); the last column also holds later turns."</p>
            <ChartBox id="chart-tool-steps" summary=summary options=charts::tool_steps />
            <ChartBox id="chart-step-share" summary=summary options=charts::step_share />
            <SourcesChart />
        </section>
    }
}

/// Sources side by side on the headline figures (grouped bars, one series per source).
#[component]
fn SourcesChart() -> impl IntoView {
    let id = "chart-sources";
    let ctx = ctx();
    let running = move || {
        ctx.ingest
            .with(|i| i.phase() == super::state::Phase::Running)
    };
    // Drawn once reading ends, like the other charts.
    let sources = Memo::new(move |_| {
        if running() {
            return Vec::new();
        }
        ctx.shown.with(|s| {
            s.sources
                .iter()
                .map(|(l, _, s)| (l.clone(), s.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chart_ref = StoredValue::new_local(None::<charming::Echarts>);
    follow_window(chart_ref);
    Effect::new(move |_| {
        let has_data = sources.with(|s| !s.is_empty());
        let chart = move || sources.try_with_untracked(|s| charts::sources(s));
        draw_soon(id, chart_ref, chart, Some(Pick::Source), has_data);
    });
    view! { <div id=id class="chart-box" data-testid=id></div> }
}

/// The tables as CSV: headline figures per source, per tool, per category/subcategory.
#[component]
fn CsvDownloads() -> impl IntoView {
    let shown = ctx().shown;
    let error = RwSignal::new(None::<String>);
    let save = move |which: &'static str| {
        let csv = shown.with_untracked(|s| match which {
            "tools" => tables::tools_csv(&s.total),
            "categories" => tables::categories_csv(&s.total),
            _ => tables::figures_csv(&s.total, s.sources.iter().map(|(l, _, s)| (l.as_str(), s))),
        });
        let name = format!("agent-traces-{which}.csv");
        error.set(super::files::save_text(&csv, "text/csv", &name).err());
    };
    view! {
        <div class="report-actions csv">
            <button data-testid="download-csv-figures" on:click=move |_| save("figures")>"Figures (CSV)"</button>
            <button data-testid="download-csv-tools" on:click=move |_| save("tools")>"Tools (CSV)"</button>
            <button data-testid="download-csv-categories" on:click=move |_| save("categories")>"Categories (CSV)"</button>
            <span class="error">{move || error.get()}</span>
        </div>
    }
}

/// Per category and per subcategory: rows, turns, calls and rows with a failure under both
/// rules, and the strict failure rate; clicking a name filters the page to it.
#[component]
fn CategoryTable(summary: Memo<Summary>) -> impl IntoView {
    let filter = ctx().explorer.filter;
    let rows = move || {
        summary.with(|s| {
            let d = &s.detail;
            let levels = [("category", &d.by_category), ("subcategory", &d.by_subcategory)];
            levels
                .into_iter()
                .flat_map(|(level, groups)| {
                    groups.iter().map(move |(name, g)| (level, name.clone(), g.clone()))
                })
                .map(|(level, name, g)| {
                    let pick = name.clone();
                    let choose = move |_| {
                        let pick = pick.clone();
                        filter.update(|f| match level {
                            "category" => f.category = Some(pick),
                            _ => f.subcategory = Some(pick),
                        });
                    };
                    let share = |n: u64| format!("{:.1}%", pct(n, g.rows));
                    view! {
                        <tr data-level=level data-group=name.clone()>
                            <td>{level}</td>
                            <td><button class="link" title="filter the page to these rows" on:click=choose>{name.clone()}</button></td>
                            <td class="num" data-col="rows">{show(g.rows as f64)}</td>
                            <td class="num" data-col="turns">{show(g.turns as f64)}</td>
                            <td class="num" data-col="tool_calls_tutorial">{show(g.tutorial_tool_calls as f64)}</td>
                            <td class="num" data-col="tool_calls_strict">{show(g.tool_calls as f64)}</td>
                            <td class="num" data-col="error_rows_pct_tutorial">{share(g.tutorial_rows_with_error)}</td>
                            <td class="num" data-col="error_rows_pct_strict">{share(g.rows_with_failure)}</td>
                            <td class="num" data-col="failure_rate_pct_strict">{format!("{:.1}%", g.failure_rate_pct())}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details class="category-table" data-testid="category-table">
            <summary>"Categories and subcategories: rows, calls, failures under both rules"</summary>
            <table>
                <thead>
                    <tr>
                        <th>"level"</th><th>"name"</th><th>"rows"</th><th>"turns"</th>
                        <th>"calls (tutorial)"</th><th>"calls (strict)"</th>
                        <th>"rows with error (tutorial)"</th><th>"rows with failure (strict)"</th>
                        <th>"failure rate (strict)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// Per tool: calls and failure rates under both rules, non-zero exit codes, rows that declare
/// the tool and never call it, calls to it by rows that do not declare it.
#[component]
fn ToolTable(summary: Memo<Summary>) -> impl IntoView {
    let rows = move || {
        summary.with(|s| {
            let d = &s.detail;
            s.strict.top_tools(usize::MAX)
                .into_iter()
                .map(|(name, calls)| (name.to_owned(), calls))
                .chain(
                    d.declared_unused
                        .keys()
                        .filter(|k| !s.strict.tool_counts.contains_key(*k))
                        .map(|k| (k.clone(), 0)),
                )
                .map(|(name, calls)| {
                    let st = s.strict.detail.tools.get(&name).cloned().unwrap_or_default();
                    let tt = s.tutorial.detail.tools.get(&name).cloned().unwrap_or_default();
                    let get = |m: &std::collections::BTreeMap<String, u64>| m.get(&name).copied().unwrap_or(0);
                    view! {
                        <tr data-tool=name.clone()>
                            <td><code>{name.clone()}</code></td>
                            <td class="num" data-col="calls">{show(calls as f64)}</td>
                            <td class="num" data-col="error_rate_tutorial">{format!("{:.1}%", tt.failure_rate_pct())}</td>
                            <td class="num" data-col="failure_rate_strict">{format!("{:.1}%", st.failure_rate_pct())}</td>
                            <td class="num" data-col="nonzero_exit">{show(st.nonzero_exit as f64)}</td>
                            <td class="num" data-col="declared_unused">{show(get(&d.declared_unused) as f64)}</td>
                            <td class="num" data-col="undeclared_calls">{show(get(&d.undeclared_calls) as f64)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details class="tool-table" data-testid="tool-table">
            <summary>"Tools: failures, declared but unused, used but undeclared"</summary>
            <p class="muted">
                "Error rate (tutorial): error messages ÷ tool messages named by their first block. "
                "Failure rate (strict): failed results ÷ results. Declared but unused: rows whose tool list "
                "names the tool and that never call it. Undeclared: calls by rows whose tool list does not "
                "name it (rows with no tool list are not counted)."
            </p>
            <table>
                <thead>
                    <tr>
                        <th>"tool"</th><th>"calls (strict)"</th><th>"error rate (tutorial)"</th>
                        <th>"failure rate (strict)"</th><th>"non-zero exit"</th>
                        <th>"rows declaring, unused"</th><th>"undeclared calls"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
