//! One chart on the page: the `ChartBox` component, drawing in a task of its own, clicks that
//! set the page's filter (`Pick`), and following the window's size and the system's theme.
//! The chart options themselves come from the core (`agent_traces::charts`).

use leptos::prelude::*;

use crate::ui::state::Shared;
use wasm_bindgen::JsCast;

use super::ctx;
use agent_traces::explore::{Field, Filter};
use agent_traces::stats::Summary;

/// One chart: `options` turns the figures into chart options; redrawn when they change.
#[component]
pub fn ChartBox(
    id: &'static str,
    summary: Memo<Shared>,
    options: fn(&Summary) -> charming::Chart,
    /// What clicking a bar or slice filters on (the clicked item's name), if anything.
    #[prop(optional)]
    pick: Option<Pick>,
) -> impl IntoView {
    chart_element(
        id,
        move || summary.with(|s| s.rows > 0),
        move || summary.try_with_untracked(|s| options(s)),
        pick,
    )
}

/// One chart of figures other than the page's summary (the compare view's two groups), drawn
/// once; `options` builds its options in the draw's own task (`None`: the figures are gone).
pub fn chart_of(
    id: &'static str,
    options: impl Fn() -> Option<charming::Chart> + Clone + 'static,
) -> impl IntoView {
    chart_element(id, || true, options, None)
}

/// The chart's element, drawn in a task of its own whenever what `has_data` reads changes,
/// and following the window's size.
fn chart_element(
    id: &'static str,
    has_data: impl Fn() -> bool + 'static,
    options: impl Fn() -> Option<charming::Chart> + Clone + 'static,
    pick: Option<Pick>,
) -> impl IntoView {
    let chart_ref = StoredValue::new_local(None::<charming::Echarts>);
    follow_window(chart_ref);
    Effect::new(move |_| {
        let has_data = has_data();
        draw_soon(id, chart_ref, options.clone(), pick, has_data);
    });
    view! { <div id=id class="chart-box" data-testid=id></div> }
}

/// What a click on a chart item filters: the page's one filter (the trajectory list's). The
/// clicked item's name sets the field as the URL would (`Field::set`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pick {
    /// The clicked bar's name is a tool.
    Tool,
    /// The clicked bar's or slice's name is a category.
    Category,
    /// The clicked bar's name is a parallel width.
    Width,
    /// The clicked bar's series is a source.
    Source,
}

impl Pick {
    /// The field of ECharts' click event that names what was clicked.
    fn event_field(self) -> &'static str {
        match self {
            Pick::Source => "seriesName",
            Pick::Tool | Pick::Category | Pick::Width => "name",
        }
    }

    /// The filter field a click sets.
    fn field(self) -> Field {
        match self {
            Pick::Tool => Field::Tool,
            Pick::Category => Field::Category,
            Pick::Width => Field::Width,
            Pick::Source => Field::Source,
        }
    }

    fn apply(self, f: &mut Filter, name: String) {
        let field = self.field();
        field.set(f, field.name(), name);
    }
}

/// Makes clicking an item of `chart` set the page's filter as `pick` says.
fn filter_on_click(chart: &charming::Echarts, pick: Pick, filter: RwSignal<Filter>) {
    let handler = wasm_bindgen::closure::Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(
        move |params: wasm_bindgen::JsValue| {
            let name = js_sys::Reflect::get(&params, &pick.event_field().into())
                .ok()
                .and_then(|v| v.as_string());
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                filter.update(|f| pick.apply(f, name));
            }
        },
    );
    let on = js_sys::Reflect::get(chart, &"on".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    if let Some(on) = on {
        let _ = on.call2(chart, &"click".into(), handler.as_ref());
    }
    // Lives as long as the chart (the page's lifetime).
    handler.forget();
}

/// A chart slot: the ECharts instance once the chart is first drawn.
pub type ChartRef = StoredValue<Option<charming::Echarts>, LocalStorage>;

/// `draw`, in a task of its own: when the figures change, twenty charts redrawn in the same task
/// blocked the page for a third of a second; one at a time, the page answers between them.
/// The chart's options are built in that task too (`chart`, from the figures current then), so
/// a change of figures costs no chart work in the task that made it, and none at all for a
/// chart that is not drawn yet.
/// `<html data-charts-pending>` counts the draws queued (a hook for tests and scripts: 0 when
/// every chart shows the current figures).
///
/// A chart with no data (`has_data` false: the page is still reading, say) that was never drawn
/// is not drawn yet: creating twenty ECharts instances took half a second of the main thread
/// while the workers read, on a machine whose cores they need.
pub fn draw_soon(
    id: &'static str,
    slot: ChartRef,
    chart: impl FnOnce() -> Option<charming::Chart> + 'static,
    pick: Option<Pick>,
    has_data: bool,
) {
    if !has_data && slot.with_value(Option::is_none) {
        return;
    }
    // The context is only there while the component runs: take the filter now.
    let pick = pick.map(|p| (p, ctx().explorer.filter));
    pending_draws(1);
    set_timeout(
        move || {
            with_echarts(move || {
                // `None`: the figures are gone with the chart's component.
                if let Some(chart) = chart() {
                    draw(id, slot, &chart, pick);
                }
                pending_draws(-1);
            })
        },
        std::time::Duration::ZERO,
    );
}

/// Where ECharts is: the landing page needs no chart, so its 1 MB script is fetched only when
/// the first chart is drawn.
enum Library {
    Absent,
    /// The draws waiting for it.
    Loading(Vec<Box<dyn FnOnce()>>),
    Loaded,
}

thread_local!(static ECHARTS: std::cell::RefCell<Library> = const { std::cell::RefCell::new(Library::Absent) });

/// Runs `f` once ECharts (the global `echarts` charming calls) is loaded, loading it the first
/// time. If it cannot load, the draws wait and the console says why.
fn with_echarts(f: impl FnOnce() + 'static) {
    let loaded = ECHARTS.with(|lib| matches!(*lib.borrow(), Library::Loaded));
    if loaded {
        return f();
    }
    let first = ECHARTS.with(|lib| {
        let mut lib = lib.borrow_mut();
        let first = matches!(*lib, Library::Absent);
        match &mut *lib {
            Library::Loading(waiting) => waiting.push(Box::new(f)),
            _ => *lib = Library::Loading(vec![Box::new(f)]),
        }
        first
    });
    if first {
        load_echarts();
    }
}

fn load_echarts() {
    use wasm_bindgen::closure::Closure;
    let run_waiting = || {
        let waiting = ECHARTS.with(|lib| match lib.replace(Library::Loaded) {
            Library::Loading(w) => w,
            _ => Vec::new(),
        });
        for f in waiting {
            f();
        }
    };
    let already = js_sys::Reflect::has(&js_sys::global(), &"echarts".into()).unwrap_or(false);
    let script = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| Some((d.create_element("script").ok()?, d.head()?)));
    let Some((script, head)) = script.filter(|_| !already) else {
        run_waiting();
        return;
    };
    let on_load = Closure::once_into_js(run_waiting);
    let on_error = Closure::once_into_js(|| {
        web_sys::console::error_1(&"the charts could not be loaded (echarts.min.js)".into());
    });
    let _ = script.set_attribute("src", "echarts.min.js");
    let _ = js_sys::Reflect::set(&script, &"onload".into(), &on_load);
    let _ = js_sys::Reflect::set(&script, &"onerror".into(), &on_error);
    let _ = head.append_child(&script);
}

fn pending_draws(delta: i32) {
    thread_local!(static PENDING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    let n = PENDING.with(|p| {
        let n = p.get().saturating_add_signed(delta);
        p.set(n);
        n
    });
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("data-charts-pending", &n.to_string());
    }
}

/// Draws `chart` in the element `id`: the first time with the system's theme (and, with a
/// `pick`, clicks that filter the page), then as an update of the same instance. Nothing
/// happens once the chart's component is gone.
fn draw(id: &str, slot: ChartRef, chart: &charming::Chart, pick: Option<(Pick, RwSignal<Filter>)>) {
    let _ = slot.try_update_value(|slot| match slot {
        Some(ec) => charming::WasmRenderer::update(ec, chart),
        None => match charming::WasmRenderer::new_opt(None, None)
            .theme(system_theme())
            .render(id, chart)
        {
            Ok(ec) => {
                if let Some((pick, filter)) = pick {
                    filter_on_click(&ec, pick, filter);
                }
                *slot = Some(ec)
            }
            Err(e) => web_sys::console::error_1(&format!("chart {id}: {e:?}").into()),
        },
    });
}

const DARK: &str = "(prefers-color-scheme: dark)";

/// ECharts' dark theme when the system asks for dark, else the default.
fn system_theme() -> charming::theme::Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media(DARK).ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        charming::theme::Theme::Dark
    } else {
        charming::theme::Theme::Default
    }
}

/// Keeps the chart in step with the window for as long as it exists: its size, and the
/// system's light or dark theme when that changes (ECharts 6's `setTheme`).
pub fn follow_window(chart: ChartRef) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let _ = chart.try_with_value(|slot| {
            if let Some(ec) = slot {
                ec.resize(JsValue::UNDEFINED);
            }
        });
    });
    let _ = window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    let on_theme = Closure::<dyn FnMut(JsValue)>::new(move |change: JsValue| {
        let dark = js_sys::Reflect::get(&change, &"matches".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        // The light theme is ECharts' built-in one: an empty theme object.
        let theme: JsValue = if dark {
            "dark".into()
        } else {
            js_sys::Object::new().into()
        };
        let _ = chart.try_with_value(|slot| {
            let set = slot.as_ref().and_then(|ec| {
                let f = js_sys::Reflect::get(ec, &"setTheme".into()).ok()?;
                Some((ec, f.dyn_into::<js_sys::Function>().ok()?))
            });
            if let Some((ec, set)) = set {
                let _ = set.call1(ec, &theme);
            }
        });
    });
    let query = window.match_media(DARK).ok().flatten();
    if let Some(query) = &query {
        let _ = query.add_event_listener_with_callback("change", on_theme.as_ref().unchecked_ref());
    }
    // Removed with the chart's component (a view left), with the chart itself.
    let held = send_wrapper::SendWrapper::new((window, query, on_resize, on_theme, chart));
    on_cleanup(move || {
        let (window, query, on_resize, on_theme, chart) = held.take();
        let _ = window
            .remove_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
        if let Some(query) = query {
            let _ = query
                .remove_event_listener_with_callback("change", on_theme.as_ref().unchecked_ref());
        }
        // The ECharts instance goes with its element (charming has no binding for `dispose`).
        let _ = chart.try_update_value(|slot| {
            let dispose = slot.take().and_then(|ec| {
                let f = js_sys::Reflect::get(&ec, &"dispose".into()).ok()?;
                Some((ec, f.dyn_into::<js_sys::Function>().ok()?))
            });
            if let Some((ec, dispose)) = dispose {
                let _ = dispose.call0(&ec);
            }
        });
    });
}
