//! The conversations view: how long the rows are, what they are about, and each source beside
//! the others.

use leptos::prelude::*;

use crate::ui::state::Shared;

use crate::ui::chart::{draw_soon, follow_window, ChartBox, Pick};
use crate::ui::ctx;
use crate::ui::state::Phase;
use agent_traces::charts;
use agent_traces::charts::detail;
use agent_traces::stats::display::show;
use agent_traces::stats::{pct, Summary};

#[component]
pub fn Conversations() -> impl IntoView {
    let summary = ctx().settled;
    view! {
        <h2 class="view-title">"Conversations"</h2>
        <section class="charts">
            <h3>"How many messages does a row have?"</h3>
            <p class="note">"Rows by messages per row (system included), 40 equal bins."</p>
            <ChartBox id="chart-conversation-length" summary=summary options=detail::conversation_length />
            <h3>"What are the rows about?"</h3>
            <ChartBox id="chart-categories" summary=summary options=charts::categories pick=Pick::Category />
            <h3>"How do the sources compare?"</h3>
            <SourcesChart />
        </section>
        <CategoryTable summary=summary />
    }
}

/// Sources side by side on the headline figures (grouped bars, one series per source).
#[component]
fn SourcesChart() -> impl IntoView {
    let id = "chart-sources";
    let ctx = ctx();
    let running = move || ctx.ingest.with(|i| i.phase() == Phase::Running);
    // Drawn once reading ends, like the other charts.
    let sources = Memo::new(move |_| {
        if running() {
            return Vec::new();
        }
        ctx.shown.with(|s| {
            s.sources
                .iter()
                .map(|(l, _, s)| (l.clone(), Summary::clone(s)))
                .collect::<Vec<_>>()
        })
    });
    let chart_ref = StoredValue::new_local(None::<charming::Echarts>);
    follow_window(chart_ref);
    Effect::new(move |_| {
        let has_data = sources.with(|s| !s.is_empty());
        let chart = move || sources.try_with_untracked(|s| detail::sources(s));
        draw_soon(id, chart_ref, chart, Some(Pick::Source), has_data);
    });
    view! { <div id=id class="chart-box" data-testid=id></div> }
}

/// Per category and per subcategory: rows, turns, calls and rows with a failure under both
/// rules, and the strict failure rate; clicking a name filters the page to it.
#[component]
fn CategoryTable(summary: Memo<Shared>) -> impl IntoView {
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
