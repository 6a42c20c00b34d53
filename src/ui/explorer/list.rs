//! The trajectory list: sortable columns, virtualised (only the visible rows are in the DOM).

use super::*;

/// Column headers: (sort key, label).
pub(super) const COLUMNS: [(SortKey, &str); 11] = [
    (SortKey::Position, "#"),
    (SortKey::Id, "id"),
    (SortKey::Source, "source"),
    (SortKey::Category, "category"),
    (SortKey::Subcategory, "subcategory"),
    (SortKey::Position, "task"),
    (SortKey::Turns, "turns"),
    (SortKey::ToolCalls, "calls"),
    (SortKey::Failures, "failures"),
    (SortKey::ThinkWords, "reasoning words"),
    (SortKey::Flags, "flags"),
];

#[component]
pub(super) fn List(hits: Memo<Vec<Hit>>) -> impl IntoView {
    let ctx = ctx();
    let ex = ctx.explorer;
    let scroll = RwSignal::new(0.0f64);
    let list = NodeRef::<leptos::html::Div>::new();
    // Keep the open row in view (keyboard navigation).
    Effect::new(move |_| {
        let (Some(pos), Some(el)) = (ex.open.get(), list.get()) else {
            return;
        };
        let top = pos as f64 * ROW_PX;
        let shown = el.scroll_top() as f64;
        if top < shown || top + ROW_PX > shown + VIEW_PX {
            el.set_scroll_top((top - VIEW_PX / 2.0).max(0.0) as i32);
        }
    });
    let header = COLUMNS
        .iter()
        .map(|(key, label)| {
            let key = *key;
            let arrow = move || match ex.sort.get() {
                (k, d) if k == key && key != SortKey::Position => {
                    if d {
                        " ▼"
                    } else {
                        " ▲"
                    }
                }
                _ => "",
            };
            view! {
                <button
                    class="th"
                    data-sort=key.as_str()
                    on:click=move |_| {
                        ex.sort.update(|(k, d)| {
                            *d = *k == key && !*d;
                            *k = key;
                        })
                    }
                >
                    {*label}
                    {arrow}
                </button>
            }
        })
        .collect_view();
    let all_hits = hits;
    let rows = move || {
        let first = (scroll.get() / ROW_PX).floor().max(0.0) as usize;
        let count = (VIEW_PX / ROW_PX).ceil() as usize + 4;
        let open_pos = ex.open.get();
        hits.with(|hits| {
            ctx.ingest.with(|i| {
                hits.iter()
                    .enumerate()
                    .skip(first.saturating_sub(2))
                    .take(count)
                    .map(|(pos, hit)| {
                        let file = &i.files[hit.file];
                        let r = &file.index.rows[hit.row];
                        let name = |id: Option<u32>| {
                            id.map(|c| file.index.name(c).to_owned())
                                .unwrap_or_default()
                        };
                        let id = r.id.clone().unwrap_or_default();
                        let data_id = id.clone();
                        let flags = r.flags().names().collect::<Vec<_>>().join(", ");
                        let failures = format!(
                            "{}{}",
                            r.stats.failed_responses(),
                            if r.stats.failed_in(Mode::Tutorial) {
                                " · tutorial ✗"
                            } else {
                                ""
                            }
                        );
                        view! {
                            <div
                                class="trow"
                                class:open=open_pos == Some(pos)
                                style=format!("top:{}px", pos as f64 * ROW_PX)
                                data-testid="trajectory-row"
                                data-position=pos
                                data-id=data_id
                                on:click=move |_| open(ctx, all_hits, pos)
                            >
                                <span class="num">{r.at.number()}</span>
                                <span class="id">{id}</span>
                                <span>{file.label.clone()}</span>
                                <span>{name(r.category())}</span>
                                <span>{name(r.subcategory())}</span>
                                <span class="task" title=r.task.clone()>{r.task.clone()}</span>
                                <span class="num">{r.stats.turns}</span>
                                <span class="num">{r.stats.tool_calls()}</span>
                                <span class="num">{failures}</span>
                                <span class="num">{r.stats.think_words()}</span>
                                <span class="flags" title=flags.clone()>{flags.clone()}</span>
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="thead">{header}</div>
        <div
            class="tlist"
            data-testid="trajectory-list"
            // Reachable by Tab, so the arrow keys and Page Down scroll it too.
            tabindex="0"
            role="region"
            aria-label="trajectories"
            node_ref=list
            style=format!("height:{VIEW_PX}px")
            on:scroll=move |_| {
                if let Some(el) = list.get_untracked() {
                    scroll.set(el.scroll_top() as f64);
                }
            }
        >
            <div class="spacer" style=move || format!("height:{}px", hits.with(Vec::len) as f64 * ROW_PX)>
                {rows}
            </div>
        </div>
    }
}
