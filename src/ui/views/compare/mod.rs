//! The compare view: two groups (two sources, or the page's filter against the rest) side by
//! side — every compared figure of both modes with the ratio and its bootstrap interval, the
//! largest real differences first (`explore::compare`); each distribution overlaid and the
//! failure rates side by side (`charts::compare`); and the tasks both groups solved, paired,
//! narrowed by outcome, one pair open with its two trajectories aligned step by step (`pair`).

mod pair;
mod run;

use leptos::prelude::*;

use crate::ui::chart::chart_of;
use crate::ui::ctx;
use agent_traces::charts::compare::{failure_by_category, failure_by_tool, DISTRIBUTIONS};
use agent_traces::explore::compare::{
    differences_csv, differences_json, Choice, Diff, Row, RESAMPLES,
};
use agent_traces::explore::pair::{Outcomes, PairedBy};
use agent_traces::explore::Comparing;
use agent_traces::ingest::RowRef;
use agent_traces::stats::display::show;
use agent_traces::stats::Mode;

/// Pairs listed at most.
const MAX_PAIRS: usize = 200;

/// One pair as the list shows it.
#[derive(Clone, Debug, PartialEq)]
struct PairRow {
    key: String,
    by: PairedBy,
    task: String,
    a: Side,
    b: Side,
}

/// One side of a pair: where to re-read the row, and what it did.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Side {
    file: usize,
    at: RowRef,
    calls: u32,
    failed: bool,
    words: u32,
}

fn side(r: &Row<'_>) -> Side {
    Side {
        file: r.file,
        at: r.at,
        calls: r.stats.tool_calls(),
        failed: r.stats.failed_in(Mode::Strict),
        words: r.stats.think_words(),
    }
}

#[component]
pub fn Compare() -> impl IntoView {
    let ctx = ctx();
    let ex = ctx.explorer;
    let labels = Memo::new(move |_| {
        ctx.ingest.with(|i| {
            let mut out: Vec<String> = Vec::new();
            for f in &i.files {
                if !out.contains(&f.label) {
                    out.push(f.label.clone());
                }
            }
            out
        })
    });
    // The URL's groups, else the first two sources (one source: the filter against the rest).
    let picked = Memo::new(move |_| {
        let c = ex.compare.get();
        let l = labels.get();
        let b_default = l
            .get(1)
            .cloned()
            .unwrap_or_else(|| Choice::Rest.as_str().into());
        (
            Choice::parse(&c.a.or_else(|| l.first().cloned()).unwrap_or_default()),
            Choice::parse(&c.b.unwrap_or(b_default)),
        )
    });
    // Counted once reading ends, a task at a time (`run`).
    let run = run::start(ctx, picked);
    let set = move |f: &dyn Fn(&mut Comparing)| {
        let (a, b) = picked.get_untracked();
        ex.compare.update(|c| {
            c.a = Some(a.as_str().to_owned());
            c.b = Some(b.as_str().to_owned());
            f(c);
        });
    };
    let pick = move |which: usize| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|c| {
                *(if which == 0 { &mut c.a } else { &mut c.b }) = Some(v.clone());
                c.pair = None;
            });
        }
    };
    let options = move |which: usize| {
        let choices = labels
            .get()
            .into_iter()
            .map(Choice::Source)
            .chain([Choice::Filtered, Choice::Rest]);
        choices
            .map(|choice| {
                let value = choice.as_str().to_owned();
                let selected = {
                    let choice = choice.clone();
                    move || {
                        let (a, b) = picked.get();
                        (if which == 0 { a } else { b }) == choice
                    }
                };
                view! { <option value=value selected=selected>{choice.title()}</option> }
            })
            .collect_view()
    };
    let names = move || {
        let (a, b) = picked.get_untracked();
        (a.as_str().to_owned(), b.as_str().to_owned())
    };
    let download_json = move |_| {
        let (Some(c), Some(diffs)) = (run.basis.get_untracked(), run.diffs.get_untracked()) else {
            return;
        };
        let (a, b) = names();
        let text = differences_json((&a, &b), c.rows, &diffs);
        let _ = crate::ui::files::save_text(&text, "application/json", &file_name(&a, &b, "json"));
    };
    let download_csv = move |_| {
        let Some(diffs) = run.diffs.get_untracked() else {
            return;
        };
        let (a, b) = names();
        let text = differences_csv(&diffs);
        let _ = crate::ui::files::save_text(&text, "text/csv", &file_name(&a, &b, "csv"));
    };
    let outcomes = move || ex.compare.with(|c| c.outcomes);
    let pick_outcomes = move |ev: leptos::ev::Event| {
        let o = Outcomes::parse(&event_target_value(&ev)).unwrap_or_default();
        set(&|c| c.outcomes = o);
    };
    let open_pair = move |key: String| set(&|c| c.pair = Some(key.clone()));
    pair::follow_open_pair(ctx, run.basis);
    view! {
        <section class="compare" data-testid="compare">
            <h2 class="view-title">"Compare"</h2>
            <p class="pickers">
                <label>"a " <select data-testid="compare-a" on:change=pick(0)>{move || options(0)}</select></label>
                " against "
                <label>"b " <select data-testid="compare-b" on:change=pick(1)>{move || options(1)}</select></label>
                " "
                <button data-testid="download-compare" on:click=download_json>"Download the differences (JSON)"</button>
                " "
                <button data-testid="download-compare-csv" on:click=download_csv>"(CSV)"</button>
            </p>
            <p class="note">
                "Each figure in both groups (within the page's filter, unless a group is the rest), b ÷ a, and an interval from "
                {RESAMPLES}
                " bootstrap resamples of each group's rows (95%; 99% for the per-tool figures, of which there are many): "
                "a difference whose interval leaves out 1× is more than the rows' own variation. The largest such differences come first."
            </p>
            {move || match run.basis.get() {
                None => view! { <p class="muted">"Comparing once reading ends…"</p> }.into_any(),
                Some(c) if c.rows.0 == 0 || c.rows.1 == 0 => view! {
                    <p class="muted" data-testid="compare-rows" data-a=c.rows.0 data-b=c.rows.1>
                        "Pick two groups that both have rows to compare them: two sources (drop files of two datasets, or two folders), or the page's filter against the rest (click a chart first)."
                    </p>
                }.into_any(),
                Some(c) => {
                    let listed = StoredValue::new(c.pairs.clone());
                    // The pairs the outcome picker keeps: how many, and the first `limit` of them.
                    let matching = move |limit: usize| listed.with_value(|ps| {
                        let o = outcomes();
                        let mut kept = ps.iter().filter(|p| o.keeps(p.a.failed, p.b.failed));
                        let first: Vec<PairRow> = kept.by_ref().take(limit).cloned().collect();
                        (first.len() + kept.count(), first)
                    });
                    view! {
                    <p class="counts" data-testid="compare-rows" data-a=c.rows.0 data-b=c.rows.1>
                        {format!("{} rows in a ({}), {} in b ({}).", show(c.rows.0 as f64), c.names.0, show(c.rows.1 as f64), c.names.1)}
                    </p>
                    {move || match run.diffs.get() {
                        None => view! {
                            <p class="muted" data-testid="compare-progress">
                                {move || format!("Drawing the resamples: {} of {RESAMPLES}…", run.done.get())}
                            </p>
                        }.into_any(),
                        Some(diffs) => view! {
                            <div class="table-wrap">
                                <table class="diffs">
                                    <thead><tr><th>"figure"</th><th>"a"</th><th>"b"</th><th>"b − a"</th><th>"b ÷ a (interval)"</th></tr></thead>
                                    <tbody>{diffs.iter().map(diff_row).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }}
                    <h3>"Distributions, overlaid"</h3>
                    {move || run.groups.get().map(|g| {
                        let groups = StoredValue::new(g);
                        view! {
                            <div class="charts compare-charts">
                                {DISTRIBUTIONS.iter().filter(|d| groups.with_value(|g| d.has_data(g))).map(|d| {
                                    chart_of(d.id, move || groups.try_with_value(|g| d.chart(g)))
                                }).collect_view()}
                                {chart_of("compare-failure-by-tool", move || groups.try_with_value(failure_by_tool))}
                                {chart_of("compare-failure-by-category", move || groups.try_with_value(failure_by_category))}
                            </div>
                        }
                    })}
                    <h3>"The same tasks in both"</h3>
                    <p class="pickers">
                        {format!("{} pairs, by id or else by the same task text; ", show(c.pairs.len() as f64))}
                        <label>"show "
                            <select data-testid="compare-pair-filter" on:change=pick_outcomes>
                                {Outcomes::ALL.map(|o| view! {
                                    <option value=o.as_str() selected=move || outcomes() == o>{o.title(&c.names.0, &c.names.1)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        {format!(" (at most {MAX_PAIRS} listed).")}
                    </p>
                    <div class="table-wrap">
                        <table data-testid="compare-pairs" data-matching=move || matching(0).0>
                            <thead><tr><th>"task"</th><th>"paired by"</th><th>"calls a / b"</th><th>"failed a / b"</th><th>"reasoning words a / b"</th><th></th></tr></thead>
                            <tbody>{move || {
                                matching(MAX_PAIRS).1.into_iter().map(|p| pair_row(p, open_pair)).collect_view()
                            }}</tbody>
                        </table>
                    </div>
                    <pair::PairPanel basis=run.basis />
                }.into_any()},
            }}
        </section>
    }
}

/// The downloads' name: `compare-<a>-<b>.<ext>`, with what a file name cannot hold replaced.
fn file_name(a: &str, b: &str, ext: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("compare-{}-{}.{ext}", clean(a), clean(b))
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        show(x)
    } else {
        format!("{x:.3}")
    }
}

/// A difference with its sign (`+0.250`, `−3`).
fn signed(x: f64) -> String {
    match x {
        x if x > 0.0 => format!("+{}", number(x)),
        x if x < 0.0 => format!("−{}", number(-x)),
        _ => "0".to_owned(),
    }
}

fn diff_row(d: &Diff) -> impl IntoView {
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <tr
            data-diff=d.key.clone()
            data-a=d.a.to_string()
            data-b=d.b.to_string()
            data-ratio=opt(d.ratio)
            data-low=opt(d.low)
            data-high=opt(d.high)
            data-level=d.level.to_string()
            data-significant=d.significant.to_string()
            class:significant=d.significant
        >
            <td><code>{d.key.clone()}</code></td>
            <td class="num">{number(d.a)}</td>
            <td class="num">{number(d.b)}</td>
            <td class="num">{signed(d.b - d.a)}</td>
            <td>{d.describe()}</td>
        </tr>
    }
}

fn pair_row(p: PairRow, open: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let key = p.key.clone();
    view! {
        <tr data-pair=p.key.clone() data-failed-a=p.a.failed.to_string() data-failed-b=p.b.failed.to_string()>
            <td class="task" title=p.task.clone()>{p.task.chars().take(120).collect::<String>()}</td>
            <td>{match p.by { PairedBy::Id => "id", PairedBy::Task => "task" }}</td>
            <td class="num">{format!("{} / {}", p.a.calls, p.b.calls)}</td>
            <td>{format!("{} / {}", yes(p.a.failed), yes(p.b.failed))}</td>
            <td class="num">{format!("{} / {}", p.a.words, p.b.words)}</td>
            <td><button data-testid="open-pair" on:click=move |_| open(key.clone())>"side by side"</button></td>
        </tr>
    }
}
