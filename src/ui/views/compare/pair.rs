//! One pair open in the compare view: both rows re-read by the workers and shown side by side,
//! step beside step (`explore::pair::align`), each side with its calls, failed results and
//! reasoning words, in total and per step.

use leptos::prelude::*;

use super::run::Basis;
use super::PairRow;
use crate::ui::explorer::{step_parts, Trace};
use crate::ui::Ctx;
use agent_traces::explore::pair::{align, StepFacts};
use agent_traces::explore::view::Step;
use agent_traces::explore::TraceView;

/// Reads the pair the URL names (`#pair=`) once the groups are compared; forgets it when closed.
pub(super) fn follow_open_pair(ctx: Ctx, result: RwSignal<Option<Basis>>) {
    let ex = ctx.explorer;
    let requested = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let key = ex.compare.with(|c| c.pair.clone());
        let Some(key) = key else {
            requested.set_value(None);
            ex.pair.set(Default::default());
            return;
        };
        if requested.with_value(|r| r.as_ref() == Some(&key)) {
            return;
        }
        let found = result.with(|r| {
            r.as_ref()
                .map(|c| c.pairs.iter().find(|p| p.key == key).cloned())
        });
        match found {
            // Still reading: the pair is looked for once the groups are compared.
            None => {}
            Some(None) => {
                requested.set_value(Some(key.clone()));
                let missing = Trace::Failed(format!("no pair {key} in these two groups"));
                ex.pair.set([(0, missing.clone()), (0, missing)]);
            }
            Some(Some(p)) => {
                requested.set_value(Some(key));
                let read = |s: &super::Side| {
                    ctx.read_row_as(s.file, s.at)
                        .map_or((0, Trace::Failed("the file is gone".into())), |job| {
                            (job, Trace::Loading)
                        })
                };
                ex.pair.set([read(&p.a), read(&p.b)]);
            }
        }
    });
}

#[component]
pub(super) fn PairPanel(basis: RwSignal<Option<Basis>>) -> impl IntoView {
    let ex = crate::ui::ctx().explorer;
    let close = move |_| ex.compare.update(|c| c.pair = None);
    move || {
        let key = ex.compare.with(|c| c.pair.clone())?;
        let row = basis.with(|r| r.as_ref()?.pairs.iter().find(|p| p.key == key).cloned());
        let names = basis.with(|r| r.as_ref().map(|c| c.names.clone()).unwrap_or_default());
        let [(_, a), (_, b)] = ex.pair.get();
        let body = match (a, b) {
            (Trace::Shown(a), Trace::Shown(b)) => ("shown", side_by_side(*a, *b, names).into_any()),
            (Trace::Failed(m), _) | (_, Trace::Failed(m)) => {
                ("error", view! { <p class="error">{m}</p> }.into_any())
            }
            _ => (
                "loading",
                view! { <p class="muted">"Reading both rows…"</p> }.into_any(),
            ),
        };
        Some(view! {
            <section class="pair" data-testid="compare-pair" data-pair=key.clone() data-state=body.0>
                <header>
                    <button class="close" data-testid="pair-close" on:click=close>"Close"</button>
                    <h3>"Side by side"</h3>
                    {row.map(|r: PairRow| view! { <p class="task">{r.task}</p> })}
                </header>
                {body.1}
            </section>
        })
    }
}

fn facts_line(f: StepFacts) -> String {
    format!(
        "{} calls · {} failed · {} reasoning words",
        f.calls, f.failed, f.words
    )
}

fn side_by_side(a: TraceView, b: TraceView, (name_a, name_b): (String, String)) -> impl IntoView {
    let lines = align(&a.steps, &b.steps);
    let head = |side: &'static str, name: String, t: &TraceView| {
        let f = StepFacts::of_all(&t.steps);
        view! {
            <div class="side" data-side=side data-steps=t.steps.len() data-calls=f.calls data-failed=f.failed data-words=f.words>
                <strong>{format!("{side}: {name}")}</strong>
                " "<code>{t.id.clone().unwrap_or_default()}</code>
                <div class="muted">{format!("{} steps · {}", t.steps.len(), facts_line(f))}</div>
            </div>
        }
    };
    let heads = view! { <div class="pair-row pair-head">{head("a", name_a, &a)}{head("b", name_b, &b)}</div> };
    let cell = |side: &'static str, step: Option<&Step>| match step {
        None => view! { <div class="cell empty" data-side=side></div> }.into_any(),
        Some(s) => {
            let f = StepFacts::of(s);
            let (who, items) = step_parts(s.clone(), None);
            view! {
                <div class=format!("cell step {}", s.role) data-side=side data-role=s.role.clone() data-calls=f.calls data-failed=f.failed data-words=f.words>
                    {who}
                    {items}
                </div>
            }
            .into_any()
        }
    };
    let rows = lines
        .into_iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let (sa, sb) = (
                x.and_then(|x| a.steps.get(x)),
                y.and_then(|y| b.steps.get(y)),
            );
            view! { <li class="pair-row" data-line=i>{cell("a", sa)}{cell("b", sb)}</li> }
        })
        .collect_view();
    view! {
        {heads}
        <ol class="aligned" data-testid="pair-steps">{rows}</ol>
    }
}
