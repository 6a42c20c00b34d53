//! The explorer's filters: the form above the list, and the active filters as chips in the page's
//! header (each removable, with the selection's figures and a way to its rows).

use super::*;

/// The page's active filters as chips (each removable), with the figures of the rows they
/// select, computed from the row index. Clicking a bar or slice in the charts adds a chip.
#[component]
pub fn FilterChips() -> impl IntoView {
    let ctx = ctx();
    let filter = ctx.explorer.filter;
    let chips = move || {
        let f = filter.get();
        Field::ALL
            .into_iter()
            .filter_map(|field| Some((field, field.shown(&f)?)))
            .collect::<Vec<_>>()
    };
    // The dashboard's figures are the selection's: the chips show its size.
    let selection = Memo::new(move |_| {
        ctx.shown.with(|s| {
            s.filter
                .as_ref()
                .map(|_| (s.total.rows, s.total.turns, s.total.strict.tool_calls))
        })
    });
    view! {
        <Show when=move || selection.with(Option::is_some)>
            <div class="chips" data-testid="filter-chips">
                <span class="label">"Filtered to "</span>
                {move || {
                    chips()
                        .into_iter()
                        .map(|(field, value)| {
                            view! {
                                <button
                                    class="chip"
                                    data-testid="chip"
                                    data-chip=field.name()
                                    title="remove this filter"
                                    on:click=move |_| filter.update(|f| field.clear(f))
                                >
                                    {format!("{}: {value} ×", field.name())}
                                </button>
                            }
                        })
                        .collect_view()
                }}
                <Show when=move || ctx.view.get() != View::Trajectories>
                    <a
                        class="show-rows"
                        data-testid="show-rows"
                        href=move || {
                            let place = ViewState {
                                view: View::Trajectories,
                                ..ctx.place.get()
                            };
                            format!("#{}", place.encode())
                        }
                    >
                        "Show the rows"
                    </a>
                </Show>
                {move || {
                    selection.get().map(|(rows, turns, calls)| {
                        view! {
                            <span class="selection">
                                <span data-metric="selected_rows" data-value=rows.to_string()>{format!("{} rows", group(rows))}</span>
                                " · "
                                <span data-metric="selected_turns" data-value=turns.to_string()>{format!("{} turns", group(turns))}</span>
                                " · "
                                <span data-metric="selected_tool_calls" data-value=calls.to_string()>{format!("{} tool calls", group(calls))}</span>
                            </span>
                        }
                    })
                }}
            </div>
        </Show>
    }
}

/// Choices for a `<select>` from the indexes: every distinct value of `names`.
pub(super) fn choices(ctx: Ctx, names: fn(&RowIndex) -> Vec<String>) -> Vec<String> {
    ctx.ingest.with(|i| {
        let mut all: Vec<String> = i.files.iter().flat_map(|f| names(&f.index)).collect();
        all.sort();
        all.dedup();
        all
    })
}

pub(super) fn category_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .filter_map(|r| r.category().map(|c| index.name(c).to_owned()))
        .collect()
}

pub(super) fn subcategory_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .filter_map(|r| r.subcategory().map(|c| index.name(c).to_owned()))
        .collect()
}

pub(super) fn tool_names(index: &RowIndex) -> Vec<String> {
    index
        .rows
        .iter()
        .flat_map(|r| index.tool_names(r).map(str::to_owned))
        .collect()
}

/// A `<select>` bound to one optional field of the filter.
pub(super) fn select_box(
    testid: &'static str,
    label: &'static str,
    options: impl Fn() -> Vec<String> + Send + Sync + 'static,
    get: fn(&Filter) -> Option<String>,
    set: fn(&mut Filter, Option<String>),
) -> impl IntoView {
    let filter = ctx().explorer.filter;
    view! {
        <label>
            {label}
            <select
                data-testid=testid
                prop:value=move || filter.with(|f| get(f).unwrap_or_default())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| set(f, (!v.is_empty()).then_some(v)));
                }
            >
                <option value="">"any"</option>
                {move || {
                    options()
                        .into_iter()
                        .map(|o| view! { <option value=o.clone()>{o.clone()}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub(super) fn Filters() -> impl IntoView {
    let ctx = ctx();
    let filter = ctx.explorer.filter;
    let sources = move || {
        let mut s: Vec<String> = ctx
            .ingest
            .with(|i| i.files.iter().map(|f| f.label.clone()).collect());
        s.dedup();
        s
    };
    let flags = || Flags::ALL.iter().map(|(_, n, _)| (*n).to_owned()).collect();
    view! {
        <div class="filters">
            <label>
                "search "
                <input
                    type="search"
                    data-testid="explorer-search"
                    placeholder="id or task"
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.text = v);
                    }
                />
            </label>
            {select_box("filter-source", "source ", sources, |f| f.source.clone(), |f, v| f.source = v)}
            {select_box("filter-category", "category ", move || choices(ctx, category_names), |f| f.category.clone(), |f, v| f.category = v)}
            {select_box("filter-subcategory", "subcategory ", move || choices(ctx, subcategory_names), |f| f.subcategory.clone(), |f, v| f.subcategory = v)}
            {select_box("filter-tool", "tool ", move || choices(ctx, tool_names), |f| f.tool.clone(), |f, v| f.tool = v)}
            {select_box("filter-flag", "flag ", flags, |f| f.flag.clone(), |f, v| f.flag = v)}
            <label>
                "failure "
                <select
                    data-testid="filter-failure"
                    prop:value=move || filter.with(|f| match f.failure {
                        Some(Rule::Strict) => "strict",
                        Some(Rule::Tutorial) => "tutorial",
                        None => "",
                    })
                    on:change=move |ev| {
                        let rule = match event_target_value(&ev).as_str() {
                            "strict" => Some(Rule::Strict),
                            "tutorial" => Some(Rule::Tutorial),
                            _ => None,
                        };
                        filter.update(|f| f.failure = rule);
                    }
                >
                    <option value="">"any"</option>
                    <option value="strict">"failed (strict rule)"</option>
                    <option value="tutorial">"error (tutorial's rule)"</option>
                </select>
            </label>
            {range("turns", |f| (f.min_turns, f.max_turns), |f, lo, hi| { f.min_turns = lo; f.max_turns = hi; })}
            {range("calls", |f| (f.min_calls, f.max_calls), |f, lo, hi| { f.min_calls = lo; f.max_calls = hi; })}
            {range("words", |f| (f.min_words, f.max_words), |f, lo, hi| { f.min_words = lo; f.max_words = hi; })}
        </div>
    }
}

/// Two number inputs bounding one figure (`data-testid="filter-min-{name}"` / `…-max-…`).
pub(super) fn range(
    name: &'static str,
    get: fn(&Filter) -> (Option<u32>, Option<u32>),
    set: fn(&mut Filter, Option<u32>, Option<u32>),
) -> impl IntoView {
    let filter = ctx().explorer.filter;
    let input = move |is_min: bool| {
        let testid = format!("filter-{}-{name}", if is_min { "min" } else { "max" });
        view! {
            <input
                type="number"
                min="0"
                class="bound"
                data-testid=testid
                placeholder=if is_min { "min" } else { "max" }
                prop:value=move || {
                    filter.with(|f| {
                        let (lo, hi) = get(f);
                        (if is_min { lo } else { hi }).map(|n| n.to_string()).unwrap_or_default()
                    })
                }
                on:input=move |ev| {
                    let v = event_target_value(&ev).trim().parse::<u32>().ok();
                    filter.update(|f| {
                        let (lo, hi) = get(f);
                        if is_min { set(f, v, hi) } else { set(f, lo, v) }
                    });
                }
            />
        }
    };
    view! { <label>{format!("{name} ")}{input(true)}" – "{input(false)}</label> }
}
