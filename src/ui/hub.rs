//! Open from the Hub: a dataset id, a Hub link or a file's URL in; the dataset's data files
//! listed by config with the train files preselected; each selected file located (the Hub's
//! `resolve` redirect followed once, failures named) and handed to the workers, which read it by
//! HTTP range requests. The source goes into the URL (`#hub=…&config=…`), so a link opens the
//! same view for anyone. The access token lives in this tab's memory only and goes to the Hub's
//! own origin only. Every URL and message comes from the core's `hub` module.

use std::collections::BTreeSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use super::intake::{Input, Intake, Picked};
use super::{ctx, Ctx};
use crate::worker::Remote;
use agent_traces::hub::{self, Dataset, Endpoint, Failure, HubFile, Listing, Target};
use agent_traces::stats::display::size;

/// Pages of a listing read at most (the Hub lists 1,000 files a page).
const MAX_PAGES: usize = 200;

/// A listing the user is choosing from: what was opened and its data files.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub target: Target,
    pub listing: Listing,
}

/// The Hub side of the page, as signals.
#[derive(Clone, Copy)]
pub struct HubState {
    /// `?hub_endpoint=` or the public Hub (an unreadable setting is shown as a failure).
    endpoint: StoredValue<Result<Endpoint, String>>,
    pub input: RwSignal<String>,
    /// The access token: in memory for this tab only (never in the URL, storage or a log).
    pub token: RwSignal<String>,
    pub listed: RwSignal<Option<Listed>>,
    pub selected: RwSignal<BTreeSet<String>>,
    /// What is under way ("listing files…"), for the status line.
    pub busy: RwSignal<Option<String>>,
    /// Why something could not be opened or read: (kind, message).
    pub failures: RwSignal<Vec<(String, String)>>,
}

impl HubState {
    pub fn new() -> HubState {
        let endpoint = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
            .and_then(|q| q.get("hub_endpoint"))
            .map_or_else(|| Ok(Endpoint::default()), |e| Endpoint::parse(&e));
        HubState {
            endpoint: StoredValue::new(endpoint),
            input: RwSignal::new(String::new()),
            token: RwSignal::new(String::new()),
            listed: RwSignal::new(None),
            selected: RwSignal::new(BTreeSet::new()),
            busy: RwSignal::new(None),
            failures: RwSignal::new(Vec::new()),
        }
    }

    fn fail(self, failure: &Failure) {
        self.failures
            .update(|f| f.push((failure.kind().to_owned(), failure.to_string())));
    }

    /// A worker's notice about a remote read (each said once).
    pub fn notice(self, kind: String, message: String) {
        self.failures.update(|f| {
            if !f.iter().any(|(k, m)| *k == kind && *m == message) {
                f.push((kind, message));
            }
        });
    }

    fn token_value(self) -> Option<String> {
        Some(self.token.get_untracked().trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// Opens the source a link names (`#hub=…`, `#url=…`) as the page loads: such a page never asks
/// for a file.
pub fn open_from_link(ctx: Ctx) {
    if let Some(target) = ctx.source.get_untracked() {
        ctx.hub.input.set(match &target {
            Target::Dataset(ds) => ds.id.clone(),
            Target::Url(u) => u.clone(),
        });
        leptos::task::spawn_local(open_target(ctx, target));
    }
}

/// Reads what the user typed and opens it.
fn open_text(ctx: Ctx) {
    let hub = ctx.hub;
    let endpoint = match hub.endpoint.get_value() {
        Ok(e) => e,
        Err(e) => return hub.failures.set(vec![("setting".into(), e)]),
    };
    match hub::input::parse(&hub.input.get_untracked(), &endpoint) {
        Ok(target) => leptos::task::spawn_local(open_target(ctx, target)),
        Err(e) => hub.failures.set(vec![("input".into(), e)]),
    }
}

/// Lists what `target` holds, preselects, and reads the selection.
async fn open_target(ctx: Ctx, target: Target) {
    let hub = ctx.hub;
    hub.failures.set(Vec::new());
    hub.listed.set(None);
    let Ok(endpoint) = hub.endpoint.get_value() else {
        return;
    };
    let listing = match &target {
        Target::Dataset(ds) => {
            hub.busy
                .set(Some(format!("listing the files of {}…", ds.id)));
            match list(&endpoint, ds, hub.token_value()).await {
                Ok(l) => l.under(ds.path.as_deref()),
                Err(f) => {
                    hub.busy.set(None);
                    return hub.fail(&f);
                }
            }
        }
        Target::Url(url) => {
            let path = hub::input::file_name(url);
            Listing {
                files: vec![HubFile {
                    path,
                    size: 0,
                    config: "default".into(),
                    split: "train".into(),
                }],
                other: Vec::new(),
            }
        }
    };
    if let Target::Dataset(ds) = &target {
        for problem in listing.problems(ds) {
            hub.fail(&problem);
        }
        if listing.files.is_empty() {
            return hub.busy.set(None);
        }
    }
    let preselected = match &target {
        Target::Dataset(ds) => listing.preselected(ds),
        Target::Url(_) => listing.files.iter().map(|f| f.path.clone()).collect(),
    };
    hub.selected.set(preselected.into_iter().collect());
    hub.listed.set(Some(Listed { target, listing }));
    read_selected(ctx).await;
}

/// Every page of a dataset's listing.
async fn list(
    endpoint: &Endpoint,
    ds: &Dataset,
    token: Option<String>,
) -> Result<Listing, Failure> {
    let mut listing = Listing::default();
    let mut next = Some(endpoint.tree_url(ds));
    let page_url = endpoint.page_url(ds);
    for _ in 0..MAX_PAGES {
        let Some(url) = next.take() else { break };
        let token = token.as_deref().filter(|_| endpoint.owns(&url));
        let resp = get(&url, token, false, &ds.id).await?;
        if !resp.ok() {
            return Err(failure_of(&resp, &ds.id, &page_url).await);
        }
        let text = text_of(&resp).await;
        listing.add_page(&text).map_err(|message| Failure::Http {
            what: format!("{}: {message}", ds.id),
            status: resp.status(),
        })?;
        next = resp
            .headers()
            .get("link")
            .ok()
            .flatten()
            .and_then(|l| hub::listing::next_page(&l));
    }
    Ok(listing)
}

/// Locates each selected file and hands them to the workers.
async fn read_selected(ctx: Ctx) {
    let hub = ctx.hub;
    let Some(Listed { target, listing }) = hub.listed.get_untracked() else {
        return;
    };
    let Ok(endpoint) = hub.endpoint.get_value() else {
        return;
    };
    let selected = hub.selected.get_untracked();
    let files: Vec<&HubFile> = listing
        .files
        .iter()
        .filter(|f| selected.contains(&f.path))
        .collect();
    hub.busy
        .set(Some(format!("opening {} file(s)…", files.len())));
    let mut picked = Vec::new();
    for file in &files {
        match locate(&endpoint, &target, file, hub.token_value()).await {
            Ok(remote) => picked.push(Picked {
                file: Input::Remote(remote),
                path: file.path.clone(),
            }),
            Err(f) => hub.fail(&f),
        }
    }
    hub.busy.set(None);
    if picked.is_empty() {
        return;
    }
    let source = match &target {
        Target::Url(_) => target.clone(),
        Target::Dataset(ds) => {
            let read: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
            Target::Dataset(listing.link_for(ds, &read))
        }
    };
    ctx.start(Intake {
        files: picked,
        ignored: Vec::new(),
        source: Some(source),
    });
    close_menu();
}

/// Closes the header's Hub menu once a read begins (its panel would cover the views).
fn close_menu() {
    let menu = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".hub-menu[open]").ok().flatten());
    if let Some(menu) = menu {
        let _ = menu.remove_attribute("open");
    }
}

/// Follows a file's link once (a one-byte range request): where its bytes are, its size, and
/// whether it can be read at all (gated, missing, refused…).
async fn locate(
    endpoint: &Endpoint,
    target: &Target,
    file: &HubFile,
    token: Option<String>,
) -> Result<Remote, Failure> {
    let (link, page, what) = match target {
        Target::Dataset(ds) => (
            endpoint.resolve_url(ds, &file.path),
            endpoint.page_url(ds),
            format!("{}/{}", ds.id, file.path),
        ),
        Target::Url(u) => (u.clone(), u.clone(), u.clone()),
    };
    let token = token.filter(|_| endpoint.owns(&link));
    let resp = get(&link, token.as_deref(), true, &what).await?;
    match resp.status() {
        206 => {}
        200 => return Err(Failure::NoRanges { what }),
        _ => return Err(failure_of(&resp, &what, &page).await),
    }
    let total = resp
        .headers()
        .get("content-range")
        .ok()
        .flatten()
        .and_then(|r| hub::range_total(&r));
    let size = match total.or((file.size > 0).then_some(file.size)) {
        Some(s) => s,
        None => return Err(Failure::NoRanges { what }),
    };
    Ok(Remote {
        url: resp.url(),
        resolve: matches!(target, Target::Dataset(_)).then_some(link),
        size,
        token,
    })
}

/// One GET; `range` asks for the first byte only. A request the browser refuses to show us
/// (CORS) or a network failure is a `Failure::Cors`.
async fn get(url: &str, token: Option<&str>, range: bool, what: &str) -> Result<Response, Failure> {
    let cors = || Failure::Cors {
        what: what.to_owned(),
    };
    let window = web_sys::window().ok_or_else(cors)?;
    let headers = Headers::new().map_err(|_| cors())?;
    if range {
        let _ = headers.set("Range", "bytes=0-0");
    }
    if let Some(t) = token {
        let _ = headers.set("Authorization", &format!("Bearer {t}"));
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    let resp = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| cors())?;
    resp.dyn_into::<Response>().map_err(|_| cors())
}

async fn text_of(resp: &Response) -> String {
    match resp.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// What a failed answer means (the Hub's `X-Error-Code` and message when the browser shows them).
async fn failure_of(resp: &Response, what: &str, page: &str) -> Failure {
    let code = resp.headers().get("x-error-code").ok().flatten();
    let body = text_of(resp).await;
    Failure::of_status(resp.status(), code.as_deref(), &body, what, page)
}

/// The Hub form and the file list (the failures are shown by `Failures`, once on the page).
#[component]
pub fn HubOpen() -> impl IntoView {
    let ctx = ctx();
    let hub = ctx.hub;
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        open_text(ctx);
    };
    view! {
        <section class="hub" aria-label="open from the Hugging Face Hub">
            <form class="hub-form" on:submit=on_submit>
                <label for="hub-input">"Open from the Hugging Face Hub"</label>
                <div class="hub-row">
                    <input id="hub-input" type="text" data-testid="hub-input"
                        placeholder="lambda/hermes-agent-reasoning-traces, a Hub link or a file URL"
                        spellcheck="false" autocomplete="off"
                        prop:value=move || hub.input.get()
                        on:input=move |ev| hub.input.set(event_target_value(&ev)) />
                    <button type="submit" data-testid="hub-open">"Open"</button>
                </div>
                <details class="hub-token">
                    <summary>"Access token (gated or private datasets)"</summary>
                    <input type="password" data-testid="hub-token" autocomplete="off"
                        aria-label="Hugging Face access token"
                        prop:value=move || hub.token.get()
                        on:input=move |ev| hub.token.set(event_target_value(&ev)) />
                    <p class="muted">
                        "Kept in this tab's memory only — never in the link, storage or a log — and sent "
                        "only to the Hub itself, never to its storage hosts or anywhere else."
                    </p>
                </details>
            </form>
            <p class="muted" role="status" data-testid="hub-status">{move || hub.busy.get()}</p>
            <FileList />
        </section>
    }
}

/// Failures and notices about remote sources, each with its kind (`data-kind`).
#[component]
pub fn Failures() -> impl IntoView {
    let hub = ctx().hub;
    view! {
        <ul class="diagnostics hub-failures" role="alert">
            <For each=move || hub.failures.get() key=|f| f.clone() let:f>
                <li data-diagnostic=f.0.clone() data-kind=f.0.clone()>{f.1.clone()}</li>
            </For>
        </ul>
    }
}

/// The dataset's data files by config, each with a checkbox, and the button that reads them.
#[component]
fn FileList() -> impl IntoView {
    let ctx = ctx();
    let hub = ctx.hub;
    let groups = move || {
        hub.listed.with(|l| {
            l.as_ref().map(|l| {
                l.listing
                    .configs()
                    .into_iter()
                    .map(|(config, files)| {
                        let total: u64 = files.iter().map(|f| f.size).sum();
                        let rows = files
                            .into_iter()
                            .map(|f| {
                                let path = f.path.clone();
                                let p = path.clone();
                                let checked = move || hub.selected.with(|s| s.contains(&p));
                                let p = path.clone();
                                let toggle = move |ev| {
                                    let on = event_target_checked(&ev);
                                    hub.selected.update(|s| {
                                        if on {
                                            s.insert(p.clone());
                                        } else {
                                            s.remove(&p);
                                        }
                                    });
                                };
                                let shown_size = (f.size > 0).then(|| size(f.size));
                                view! {
                                    <li data-hub-file=path.clone()>
                                        <label>
                                            <input type="checkbox" prop:checked=checked on:change=toggle />
                                            " " <code>{path.clone()}</code>
                                            " " <span class="muted">{shown_size}</span>
                                            " " <span class="split">{f.split.clone()}</span>
                                        </label>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <li class="config" data-hub-config=config.to_owned()>
                                <strong>{config.to_owned()}</strong>
                                " " <span class="muted">{size(total)}</span>
                                <ul>{rows}</ul>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let chosen = move || {
        hub.listed.with(|l| {
            l.as_ref().map_or((0, 0), |l| {
                hub.selected.with(|s| {
                    let files = l.listing.files.iter().filter(|f| s.contains(&f.path));
                    files.fold((0, 0), |(n, b), f| (n + 1, b + f.size))
                })
            })
        })
    };
    let read = move |_| leptos::task::spawn_local(read_selected(ctx));
    view! {
        <Show when=move || hub.listed.with(Option::is_some)>
            <ul class="hub-files" data-testid="hub-files">{groups}</ul>
            <button data-testid="hub-read" on:click=read
                disabled=move || chosen().0 == 0>
                {move || {
                    let (n, bytes) = chosen();
                    format!("Read {n} selected file{} ({})", if n == 1 { "" } else { "s" }, size(bytes))
                }}
            </button>
        </Show>
    }
}
