//! The keyboard: j/k rows, n/p steps, / search, Esc close, ? help, 1-7 views.

use super::*;

#[component]
pub fn Help() -> impl IntoView {
    let ex = ctx().explorer;
    view! {
        <div class="help" data-testid="help" role="dialog" aria-label="keyboard shortcuts">
            <h3>"Keyboard"</h3>
            <dl>
                <dt>"j / k"</dt><dd>"next / previous trajectory"</dd>
                <dt>"n / p"</dt><dd>"next / previous step"</dd>
                <dt>"/"</dt><dd>"search"</dd>
                <dt>"Esc"</dt><dd>"close"</dd>
                <dt>"?"</dt><dd>"this help"</dd>
                <dt>"1 … 7"</dt><dd>"the views, in the order of the navigation (Tab reaches every control)"</dd>
            </dl>
            <button on:click=move |_| ex.help.set(false)>"Close"</button>
        </div>
    }
}

/// The view a digit key names (1 = the first of the navigation).
pub(super) fn digit_view(key: &str) -> Option<View> {
    let n: usize = key.parse().ok()?;
    View::ALL.get(n.checked_sub(1)?).copied()
}

/// j/k, n/p, /, Esc and ? on the whole page (not while typing in a field, except Esc).
pub fn keyboard(ctx: Ctx, hits: Memo<Vec<Hit>>) {
    let ex = ctx.explorer;
    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| match el.tag_name().as_str() {
                    "SELECT" | "TEXTAREA" => true,
                    // Check boxes and buttons take no text.
                    "INPUT" => !matches!(
                        el.get_attribute("type").as_deref(),
                        Some("checkbox" | "radio" | "button")
                    ),
                    _ => false,
                });
            let key = ev.key();
            if typing && key != "Escape" {
                return;
            }
            // A digit opens that view (a new history entry, as a click on its link).
            if let Some(view) = digit_view(&key) {
                let state = ViewState {
                    view,
                    ..ctx.place.get_untracked()
                };
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash(&state.encode());
                }
                return;
            }
            // The list's keys act where the list is; "?" and Esc everywhere.
            if ctx.view.get_untracked() != View::Trajectories
                && !matches!(key.as_str(), "?" | "Escape")
            {
                return;
            }
            let rows = hits.with_untracked(Vec::len);
            let steps = match &*ex.trace.read_untracked() {
                Trace::Shown(t) => t.steps.len(),
                _ => 0,
            };
            match key.as_str() {
                "j" | "k" if rows > 0 => {
                    let pos = match (ex.open.get_untracked(), key.as_str()) {
                        (None, _) => 0,
                        (Some(p), "j") => (p + 1).min(rows - 1),
                        (Some(p), _) => p.saturating_sub(1),
                    };
                    open(ctx, hits, pos);
                }
                "n" | "p" if steps > 0 => {
                    let s = ex.step.get_untracked();
                    let s = if key == "n" {
                        (s + 1).min(steps - 1)
                    } else {
                        s.saturating_sub(1)
                    };
                    ex.step.set(s);
                    scroll_to_step(s);
                }
                "/" => {
                    ev.prevent_default();
                    focus("[data-testid=explorer-search]");
                }
                "Escape" => {
                    if ex.help.get_untracked() {
                        ex.help.set(false);
                    } else {
                        ex.reset();
                    }
                }
                "?" => ex.help.update(|h| *h = !*h),
                _ => {}
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    // Lives as long as the page.
    on_key.forget();
}

pub(super) fn element(selector: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

pub(super) fn focus(selector: &str) {
    if let Some(el) = element(selector) {
        let _ = el.focus();
    }
}

pub(super) fn scroll_to_step(i: usize) {
    if let Some(el) = element(&format!("[data-step=\"{i}\"]")) {
        el.scroll_into_view();
    }
}
