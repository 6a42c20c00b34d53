//! The compare view: two sources (within the page's filter) side by side — every compared
//! figure of both modes with the ratio and its 95% bootstrap interval, the largest real
//! differences first (`explore::compare`), and the tasks both sources solved, paired.

use leptos::prelude::*;

use crate::ui::ctx;
use agent_traces::explore::compare::{compare, group_of, Choice, Diff, Group};
use agent_traces::explore::pair::{pairs, PairedBy};
use agent_traces::explore::{select, SortKey};
use agent_traces::index::{IndexRow, RowIndex};
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

#[derive(Clone, Debug, PartialEq)]
struct Side {
    calls: u32,
    failed: bool,
    words: u32,
}

fn side(r: &IndexRow) -> Side {
    Side {
        calls: r.stats.tool_calls(),
        failed: r.stats.failed_in(Mode::Strict),
        words: r.stats.think_words(),
    }
}

/// What the view shows for two groups.
#[derive(Clone, Debug, Default, PartialEq)]
struct Compared {
    rows: (usize, usize),
    diffs: Vec<Diff>,
    pairs: Vec<PairRow>,
    paired: usize,
}

fn compared(a: &Group<'_>, b: &Group<'_>) -> Compared {
    let all = pairs(a, b);
    let rows = all
        .iter()
        .take(MAX_PAIRS)
        .map(|p| {
            let (ra, rb) = (a[p.a], b[p.b]);
            PairRow {
                key: format!(
                    "{}|{}",
                    ra.id.clone().unwrap_or_default(),
                    rb.id.clone().unwrap_or_default()
                ),
                by: p.by,
                task: ra.task.clone(),
                a: side(&ra),
                b: side(&rb),
            }
        })
        .collect();
    Compared {
        rows: (a.len(), b.len()),
        diffs: compare(a, b),
        pairs: rows,
        paired: all.len(),
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
    // The URL's groups, else the first two sources.
    let picked = Memo::new(move |_| {
        let (a, b) = ex.compare.get();
        let l = labels.get();
        (
            a.or_else(|| l.first().cloned()).unwrap_or_default(),
            b.or_else(|| l.get(1).cloned()).unwrap_or_default(),
        )
    });
    // Counted once reading ends: the bootstrap reads every row of both groups 400 times.
    let result = Memo::new(move |_| {
        let (a, b) = picked.get();
        let filter = ex.filter.get();
        ctx.ingest.with(|i| {
            if !i.files.iter().all(|f| f.finished()) {
                return None;
            }
            let files: Vec<(&str, &RowIndex)> = i
                .files
                .iter()
                .map(|f| (f.label.as_str(), &f.index))
                .collect();
            let hits = select(&files, &filter, SortKey::Position, false);
            let ga = group_of(&files, &hits, &Choice::parse(&a));
            let gb = group_of(&files, &hits, &Choice::parse(&b));
            Some(compared(&ga, &gb))
        })
    });
    let pick = move |which: usize| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            let (a, b) = picked.get_untracked();
            ex.compare.set(if which == 0 {
                (Some(v), Some(b))
            } else {
                (Some(a), Some(v))
            });
        }
    };
    let options = move |which: usize| {
        labels
            .get()
            .into_iter()
            .map(|l| {
                let selected = {
                    let l = l.clone();
                    move || {
                        let (a, b) = picked.get();
                        (if which == 0 { a } else { b }) == l
                    }
                };
                view! { <option value=l.clone() selected=selected>{l.clone()}</option> }
            })
            .collect_view()
    };
    let download = move |_| {
        let Some(c) = result.get_untracked() else {
            return;
        };
        let by_key: serde_json::Map<String, serde_json::Value> = c
            .diffs
            .iter()
            .map(|d| (d.key.clone(), serde_json::to_value(d).unwrap_or_default()))
            .collect();
        let (a, b) = picked.get_untracked();
        let doc = serde_json::json!({"a": a, "b": b, "rows": {"a": c.rows.0, "b": c.rows.1},
            "resamples": agent_traces::explore::compare::RESAMPLES, "differences": by_key});
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        let _ = crate::ui::files::save_text(
            &text,
            "application/json",
            &format!("compare-{a}-{b}.json"),
        );
    };
    view! {
        <section class="compare" data-testid="compare">
            <h2 class="view-title">"Compare"</h2>
            <p class="pickers">
                <label>"a " <select data-testid="compare-a" on:change=pick(0)>{move || options(0)}</select></label>
                " against "
                <label>"b " <select data-testid="compare-b" on:change=pick(1)>{move || options(1)}</select></label>
                " "
                <button data-testid="download-compare" on:click=download>"Download the differences (JSON)"</button>
            </p>
            <p class="note">
                "Each figure in both sources (within the page's filter), b ÷ a, and a 95% interval from "
                {agent_traces::explore::compare::RESAMPLES}
                " bootstrap resamples of each source's rows: a difference whose interval leaves out 1× is more than "
                "the rows' own variation. The largest such differences come first."
            </p>
            {move || match result.get() {
                None => view! { <p class="muted">"Comparing once reading ends…"</p> }.into_any(),
                Some(c) if c.rows.0 == 0 || c.rows.1 == 0 => view! {
                    <p class="muted" data-testid="compare-rows" data-a=c.rows.0 data-b=c.rows.1>
                        "Pick two sources that both have rows (within the page's filter) to compare them: drop files of two datasets, or two folders."
                    </p>
                }.into_any(),
                Some(c) => view! {
                    <p class="counts" data-testid="compare-rows" data-a=c.rows.0 data-b=c.rows.1>
                        {format!("{} rows in a, {} in b.", show(c.rows.0 as f64), show(c.rows.1 as f64))}
                    </p>
                    <div class="table-wrap">
                        <table class="diffs">
                            <thead><tr><th>"figure"</th><th>"a"</th><th>"b"</th><th>"b ÷ a (95% interval)"</th></tr></thead>
                            <tbody>{c.diffs.iter().map(diff_row).collect_view()}</tbody>
                        </table>
                    </div>
                    <h3>"The same tasks in both"</h3>
                    <p class="muted">{format!("{} pairs, by id or else by the same task text (at most {MAX_PAIRS} listed).", show(c.paired as f64))}</p>
                    <div class="table-wrap">
                        <table data-testid="compare-pairs">
                            <thead><tr><th>"task"</th><th>"paired by"</th><th>"calls a / b"</th><th>"failed a / b"</th><th>"reasoning words a / b"</th></tr></thead>
                            <tbody>{c.pairs.into_iter().map(pair_row).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        show(x)
    } else {
        format!("{x:.3}")
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
            data-significant=d.significant.to_string()
            class:significant=d.significant
        >
            <td><code>{d.key.clone()}</code></td>
            <td class="num">{number(d.a)}</td>
            <td class="num">{number(d.b)}</td>
            <td>{d.describe()}</td>
        </tr>
    }
}

fn pair_row(p: PairRow) -> impl IntoView {
    let yes = |b: bool| if b { "yes" } else { "no" };
    view! {
        <tr data-pair=p.key.clone() data-failed-a=p.a.failed.to_string() data-failed-b=p.b.failed.to_string()>
            <td class="task" title=p.task.clone()>{p.task.chars().take(120).collect::<String>()}</td>
            <td>{match p.by { PairedBy::Id => "id", PairedBy::Task => "task" }}</td>
            <td class="num">{format!("{} / {}", p.a.calls, p.b.calls)}</td>
            <td>{format!("{} / {}", yes(p.a.failed), yes(p.b.failed))}</td>
            <td class="num">{format!("{} / {}", p.a.words, p.b.words)}</td>
        </tr>
    }
}
