//! The open trajectory, step by step: reasoning, calls (parallel ones grouped) and each response
//! under its call; long outputs cut with a way to show them whole; every string as text.

use super::*;

#[component]
pub(super) fn TracePanel() -> impl IntoView {
    let ex = ctx().explorer;
    move || {
        match ex.trace.get() {
        Trace::Closed => ().into_any(),
        Trace::Loading => view! { <section class="trace" data-testid="trace-view" data-state="loading">"Reading the row…"</section> }.into_any(),
        Trace::Failed(msg) => view! { <section class="trace" data-testid="trace-view" data-state="error"><p class="error">{msg}</p></section> }.into_any(),
        Trace::Shown(t) => {
            // Matches of a finished search are highlighted.
            let matcher = ex.search.with_untracked(|s| {
                s.results().and_then(|_| Matcher::new(&s.query).ok())
            });
            trace_view(*t, ex, matcher).into_any()
        }
    }
    }
}

pub(super) fn trace_view(t: TraceView, ex: Explorer, m: Option<Matcher>) -> impl IntoView {
    let steps = t.steps.len();
    let n_tools = t.tools.len();
    let base = t.id.clone().unwrap_or_else(|| "trajectory".to_owned());
    let parsed = serde_json::to_string_pretty(&t).unwrap_or_default();
    let raw = t.raw.clone();
    let save = move |text: &str, suffix: &str| {
        let _ =
            crate::ui::files::save_text(text, "application/json", &format!("{base}.{suffix}.json"));
    };
    let save_raw = save.clone();
    let tools = t
        .tools
        .into_iter()
        .map(|tool| {
            view! {
                <details class="tool-def">
                    <summary><span class="badge">{tool.name}</span>" "{tool.description}</summary>
                    <pre tabindex="0">{tool.parameters}</pre>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="trace" data-testid="trace-view" data-state="shown" data-steps=steps>
            <header>
                <button class="close" data-testid="trace-close" on:click=move |_| ex.reset()>"Close (Esc)"</button>
                <h3 data-testid="trace-id">{t.id.unwrap_or_default()}</h3>
                <p class="downloads">
                    <label class="replay">
                        <input
                            type="checkbox"
                            data-testid="replay"
                            prop:checked=move || ex.replay.get()
                            on:change=move |ev| ex.replay.set(event_target_checked(&ev))
                        />
                        " replay one step at a time (n / p)"
                    </label>
                    {raw.map(|raw| view! {
                        <button data-testid="download-trajectory-raw" on:click=move |_| save_raw(&raw, "row")>"Download as in the file"</button>
                    })}
                    <button data-testid="download-trajectory-parsed" on:click=move |_| save(&parsed, "parsed")>"Download as parsed"</button>
                </p>
                <p class="meta">
                    {t.category.unwrap_or_default()}
                    {t.subcategory.map(|s| format!(" / {s}"))}
                </p>
                <p class="task" data-testid="trace-task">{t.task.unwrap_or_default()}</p>
                {t.session.map(session_line)}
                <details class="tools"><summary>{format!("{n_tools} declared tools")}</summary>{tools}</details>
                {t.system.map(|s| view! { <details class="system" data-testid="trace-system"><summary>"System prompt"</summary><pre tabindex="0">{s}</pre></details> })}
            </header>
            <ol class="steps">
                {t.steps.into_iter().enumerate().map(|(i, s)| step_view(i, s, ex, m.as_ref())).collect_view()}
            </ol>
        </section>
    }
}

/// A session's log facts under the header: harness, session (and sub-agent thread), models,
/// length, tokens.
fn session_line(s: SessionView) -> impl IntoView {
    let mut parts = vec![s.harness.clone()];
    parts.extend(s.session.clone().map(|id| format!("session {id}")));
    parts.extend(
        s.thread
            .clone()
            .filter(|t| Some(t) != s.session.as_ref())
            .map(|t| format!("sub-agent thread {t}")),
    );
    if !s.models.is_empty() {
        parts.push(s.models.join(", "));
    }
    parts.extend(
        s.started
            .clone()
            .map(|t| format!("started {}", t.replace('T', " "))),
    );
    parts.extend(s.seconds.map(|x| format!("{x:.1} s")));
    if let (Some(i), Some(o)) = (s.input_tokens, s.output_tokens) {
        parts.push(format!(
            "{} tokens in, {} out",
            agent_traces::stats::display::show(i as f64),
            agent_traces::stats::display::show(o as f64)
        ));
    }
    view! {
        <p class="meta" data-testid="trace-session" data-harness=s.harness data-thread=s.thread>{parts.join(" · ")}</p>
    }
}

pub(super) fn step_view(i: usize, step: Step, ex: Explorer, m: Option<&Matcher>) -> impl IntoView {
    let role = step.role.clone();
    let (who, items) = step_parts(step, m);
    view! {
        <li
            class=format!("step {role}")
            class:current=move || ex.step.get() == i
            class:hidden=move || ex.replay.get() && ex.step.get() < i
            data-step=i
            data-role=role.clone()
        >
            {who}
            {items}
        </li>
    }
}

/// A step's heading (role, message, time, model) and its items, parallel calls grouped.
pub(crate) fn step_parts(step: Step, m: Option<&Matcher>) -> (AnyView, Vec<AnyView>) {
    let calls = step
        .items
        .iter()
        .filter(|it| matches!(it, Item::Call { .. }))
        .count();
    let mut items = Vec::new();
    let mut group = Vec::new();
    for item in step.items {
        match item {
            Item::Call { .. } if calls > 1 => group.push(item_view(item, m)),
            other => {
                if !group.is_empty() {
                    items.push(parallel(std::mem::take(&mut group)));
                }
                items.push(item_view(other, m));
            }
        }
    }
    if !group.is_empty() {
        items.push(parallel(group));
    }
    let who = view! {
        <div class="who">
            {format!("{} · message {}", step.role, step.message)}
            {step.at.map(|at| view! { " · " <time data-testid="step-time" datetime=at.clone()>{at.replace('T', " ")}</time> })}
            {step.model.map(|m| format!(" · {m}"))}
        </div>
    }
    .into_any();
    (who, items)
}

pub(super) fn parallel(calls: Vec<AnyView>) -> AnyView {
    let n = calls.len();
    view! {
        <div class="parallel" data-testid="parallel-calls" data-calls=n>
            <div class="label">{format!("{n} parallel calls")}</div>
            {calls}
        </div>
    }
    .into_any()
}

pub(super) fn flag_notes(flags: Vec<Note>) -> impl IntoView {
    flags
        .into_iter()
        .map(|n| view! { <span class="flag" data-flag=n.flag.clone() title=n.explanation.clone()>{format!("{}: {}", n.flag, n.explanation)}</span> })
        .collect_view()
}

pub(super) fn item_view(item: Item, m: Option<&Matcher>) -> AnyView {
    match item {
        Item::Reasoning { text, words, flags } => view! {
            <details class="reasoning" open>
                <summary>{format!("reasoning · {words} words")}</summary>
                <div class="text">{marked(text, m)}</div>
                {flag_notes(flags)}
            </details>
        }
        .into_any(),
        Item::Text { text } => view! { <div class="text">{marked(text, m)}</div> }.into_any(),
        Item::Call {
            id,
            name,
            arguments,
            error,
            flags,
            responses,
        } => {
            let (tool, call_id) = (name.clone(), id.clone().unwrap_or_default());
            view! {
            <div class="call" data-testid="tool-call" data-tool=tool data-call-id=call_id>
                <div class="label"><span class="badge">{name}</span>{id.map(|i| format!(" · {i}"))}</div>
                {copy_button(arguments.clone())}
                <pre class="args" tabindex="0">{marked(arguments, m)}</pre>
                {error.map(|e| view! { <p class="error">{e}</p> })}
                {flag_notes(flags)}
                {responses.into_iter().map(|r| response_view(r, m)).collect_view()}
            </div>
            }
            .into_any()
        }
        Item::Response(r) => response_view(r, m).into_any(),
    }
}

/// `text` with the matches of `m` marked (as text nodes and `<mark>` elements, never as HTML).
pub(super) fn marked(text: String, m: Option<&Matcher>) -> AnyView {
    let ranges = m.map(|m| m.ranges(&text)).unwrap_or_default();
    if ranges.is_empty() {
        return text.into_any();
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end) in ranges {
        if start > at {
            pieces.push(text[at..start].to_owned().into_any());
        }
        pieces.push(
            view! { <mark data-testid="match">{text[start..end].to_owned()}</mark> }.into_any(),
        );
        at = end;
    }
    if at < text.len() {
        pieces.push(text[at..].to_owned().into_any());
    }
    pieces.into_any()
}

pub(super) fn response_view(r: ResponseView, m: Option<&Matcher>) -> impl IntoView {
    let m = m.cloned();
    let full = r.content;
    let long = full.chars().count() > CUT_CHARS;
    let all = RwSignal::new(false);
    let cut: String = full.chars().take(CUT_CHARS).collect();
    let total = full.len();
    let full = StoredValue::new(full);
    let shown = move || {
        if all.get() || !long {
            full.get_value()
        } else {
            cut.clone()
        }
    };
    let failed = r.failed;
    view! {
        <div
            class="response"
            data-testid="tool-response"
            data-failed=failed.to_string()
            data-tutorial-error=r.tutorial_error.to_string()
            data-logged-error=r.logged_error.map(|e| e.to_string())
            data-took-ms=r.took_ms.map(|t| t.to_string())
        >
            <div class="label">
                {if failed { "response · failed (strict rule)" } else { "response" }}
                {r.tutorial_error.then_some(" · error (tutorial's rule)")}
                {r.exit_code.map(|c| format!(" · exit code {c}"))}
                {(r.logged_error == Some(true)).then_some(" · error (the harness's flag)")}
                {r.took_ms.map(|t| format!(" · took {:.3} s", f64::from(t) / 1000.0))}
                {copy_button(full.get_value())}
            </div>
            <pre tabindex="0">{move || marked(shown(), m.as_ref())}</pre>
            <Show when=move || long && !all.get()>
                <button class="more" data-testid="show-all" on:click=move |_| all.set(true)>
                    {format!("show all ({:.1} KB)", total as f64 / 1e3)}
                </button>
            </Show>
            {flag_notes(r.flags)}
        </div>
    }
}

/// Copies `text` to the clipboard.
pub(super) fn copy_button(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            class="copy"
            data-testid="copy"
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&text);
                    copied.set(true);
                }
            }
        >
            {move || if copied.get() { "copied" } else { "copy" }}
        </button>
    }
}
