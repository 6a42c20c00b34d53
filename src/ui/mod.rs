//! The user interface (wasm only): Leptos components that render the model in `state` and send
//! work to the worker pool. Nothing here parses or counts: the workers do.

mod dashboard;
mod dropzone;
mod explorer;
mod export;
mod files;
mod insights;
mod intake;
mod pool;
mod state;

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::ingest::{Analysis, Part, RowRef};
use crate::worker::{Reply, Request};
use intake::{Intake, Picked};
use pool::{default_size, OnReply, Pool};
use state::{Export, FileEntry, Ingest};

/// Mounts the app on `<body>`, with a panic hook that shows the message in the page.
pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&format!("The page hit a bug and stopped: {info}"));
    }));
    leptos::mount::mount_to_body(App);
}

/// Writes a message straight into the DOM (the reactive system may be unusable after a panic).
pub fn show_fatal(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let el = match doc.get_element_by_id("fatal") {
        Some(el) => el,
        None => {
            let Ok(el) = doc.create_element("div") else {
                return;
            };
            el.set_id("fatal");
            let _ = el.set_attribute("role", "alert");
            let _ = el.set_attribute("data-testid", "fatal-error");
            if let Some(body) = doc.body() {
                let _ = body.prepend_with_node_1(&el);
            }
            el
        }
    };
    el.set_text_content(Some(message));
}

/// Parts smaller than this are not worth a worker's start-up and footer reads.
const MIN_PART_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// How many workers read one file at once: one per idle worker when there are fewer files than
/// workers, never for gzip (a stream cannot be split), and no part under `MIN_PART_BYTES`.
fn parts_for(file: &web_sys::File, files: usize, workers: usize) -> usize {
    if files >= workers || file.name().to_ascii_lowercase().ends_with(".gz") {
        return 1;
    }
    let by_size = (file.size() / MIN_PART_BYTES).floor() as usize;
    by_size.clamp(1, workers / files)
}

/// Job numbers are unique across ingest and export, so a late reply is never mistaken.
fn next_job() -> u32 {
    thread_local!(static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(1) });
    NEXT.with(|n| {
        let j = n.get();
        n.set(j + 1);
        j
    })
}

pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Everything the components share.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub ingest: RwSignal<Ingest>,
    pub export: RwSignal<Export>,
    pub explorer: explorer::Explorer,
    files: StoredValue<Vec<web_sys::File>, LocalStorage>,
    export_parts: StoredValue<Vec<Option<JsValue>>, LocalStorage>,
    pool: StoredValue<pool::PoolRef, LocalStorage>,
}

impl Ctx {
    /// Starts reading a new set of files (replacing the previous set).
    pub fn start(self, intake: Intake) {
        if intake.files.is_empty() {
            if !intake.ignored.is_empty() {
                self.fail(format!(
                    "no JSONL, JSON, gzip or Parquet file among: {}",
                    intake.ignored.join(", ")
                ));
            }
            return;
        }
        let Intake {
            files: picked,
            ignored,
        } = intake;
        let files: Vec<web_sys::File> = picked.iter().map(|p| p.file.clone()).collect();
        let job = next_job();
        let workers = self.pool.with_value(|p| p.borrow().size());
        let parts: Vec<usize> = files
            .iter()
            .map(|f| parts_for(f, files.len(), workers))
            .collect();
        let entries = picked
            .iter()
            .zip(&parts)
            .map(|(p, n)| FileEntry::new(p.path.clone(), p.file.size() as u64, *n))
            .collect();
        self.pool.with_value(Pool::cancel);
        self.ingest.set(Ingest {
            job,
            files: entries,
            started_ms: now_ms(),
            finished_ms: None,
            fatal: None,
            peak_wasm_memory: 0,
            ignored,
        });
        self.export.set(Export::default());
        self.explorer.reset();
        for (i, ((f, p), count)) in files.iter().zip(&picked).zip(&parts).enumerate() {
            for index in 0..*count as u32 {
                let req = Request::Analyse {
                    job,
                    file: i as u32,
                    name: p.path.clone(),
                    part: Part {
                        index,
                        count: *count as u32,
                    },
                };
                self.pool
                    .with_value(|p| Pool::submit(p, req, f.clone().into()));
            }
        }
        self.files.set_value(files);
    }

    /// Asks a worker to read one row of file `file` again, for the trace view.
    pub fn read_row(self, file: usize, at: RowRef) {
        let Some((f, name)) = self.files.with_value(|files| files.get(file).cloned()).zip(
            self.ingest
                .with_untracked(|i| i.files.get(file).map(|f| f.name.clone())),
        ) else {
            return;
        };
        let job = next_job();
        self.explorer.job.set(job);
        let req = Request::ReadRow {
            job,
            file: file as u32,
            name,
            at,
        };
        self.pool.with_value(|p| Pool::submit(p, req, f.into()));
    }

    /// Shows a problem that stops everything (nothing to read, a drop that cannot be walked).
    pub fn fail(self, message: String) {
        self.ingest.update(|i| i.fatal = Some(message));
    }

    /// Stops every worker; what was read so far stays visible, marked partial.
    pub fn cancel(self) {
        self.pool.with_value(Pool::cancel);
        self.ingest.update(|i| {
            for f in &mut i.files {
                f.cancel();
            }
            i.finished_ms = Some(now_ms());
        });
        self.export.update(|e| {
            if e.running {
                e.running = false;
                e.error = Some("cancelled".into());
            }
        });
    }

    /// Re-reads every file in the workers and writes SFT JSONL.
    pub fn export(self, format: &str) {
        let files = self.files.get_value();
        if files.is_empty() {
            return;
        }
        let job = next_job();
        self.export.set(Export {
            job,
            running: true,
            manifest: None,
            error: None,
        });
        self.export_parts.set_value(vec![None; files.len()]);
        for (i, f) in files.iter().enumerate() {
            let req = Request::Export {
                job,
                file: i as u32,
                name: f.name(),
                format: format.to_owned(),
            };
            self.pool
                .with_value(|p| Pool::submit(p, req, f.clone().into()));
        }
    }

    fn on_reply(self, reply: Reply, attachment: Option<JsValue>) {
        let ingest_job = self.ingest.with_untracked(|i| i.job);
        let export_job = self.export.with_untracked(|e| e.job);
        let is_export = |job: u32| job == export_job && self.export.with_untracked(|e| e.running);
        match reply {
            Reply::Ready => {}
            Reply::Progress {
                job,
                file,
                part,
                bytes_done,
                rows_read,
                partial,
            } if job == ingest_job => {
                self.ingest.update(|i| {
                    let f = i.files.get_mut(file as usize);
                    if let Some(p) = f.and_then(|f| f.parts.get_mut(part as usize)) {
                        p.bytes_done = bytes_done;
                        p.rows_read = rows_read;
                        if let Some(r) = partial {
                            p.partial = Some(*r);
                        }
                    }
                });
            }
            Reply::Progress { .. } => {}
            Reply::Analysed {
                job,
                file,
                part,
                report,
                index,
                wasm_memory,
            } if job == ingest_job => {
                self.ingest.update(|i| {
                    i.peak_wasm_memory = i.peak_wasm_memory.max(wasm_memory);
                    if let Some(f) = i.files.get_mut(file as usize) {
                        let analysis = Analysis {
                            report: *report,
                            index: *index,
                        };
                        f.part_done(part as usize, analysis);
                    }
                    if i.files.iter().all(FileEntry::finished) {
                        i.finished_ms = Some(now_ms());
                    }
                });
            }
            Reply::Analysed { .. } => {}
            Reply::Exported {
                job,
                file,
                manifest,
            } if is_export(job) => {
                self.export_parts.update_value(|parts| {
                    if let Some(slot) = parts.get_mut(file as usize) {
                        *slot = attachment;
                    }
                });
                self.export.update(|e| match &mut e.manifest {
                    Some(m) => m.merge(&manifest),
                    None => e.manifest = Some(manifest),
                });
                self.finish_export_if_complete();
            }
            Reply::Exported { .. } => {}
            Reply::Row { job, view, .. } if job == self.explorer.job.get_untracked() => {
                self.explorer.trace.set(explorer::Trace::Shown(view));
            }
            Reply::Row { .. } => {}
            Reply::Failed {
                job: Some(job),
                message,
                ..
            } if job == self.explorer.job.get_untracked() => {
                self.explorer.trace.set(explorer::Trace::Failed(message));
            }
            Reply::Failed {
                job, file, message, ..
            } => match (job, file) {
                (Some(job), Some(file)) if is_export(job) => self.export.update(|e| {
                    e.running = false;
                    e.error = Some(format!("file {}: {message}", file + 1));
                }),
                (Some(job), Some(file)) if job == ingest_job => self.ingest.update(|i| {
                    if let Some(f) = i.files.get_mut(file as usize) {
                        f.error = Some(message);
                    }
                }),
                (Some(_), _) => {}
                (None, _) => self.ingest.update(|i| i.fatal = Some(message)),
            },
        }
    }

    fn finish_export_if_complete(self) {
        let parts = self.export_parts.get_value();
        if parts.iter().any(Option::is_none) {
            return;
        }
        let seq = js_sys::Array::new();
        for p in parts.iter().flatten() {
            seq.push(p);
        }
        self.export_parts.set_value(Vec::new());
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("application/jsonl");
        let result = web_sys::Blob::new_with_blob_sequence_and_options(&seq, &opts)
            .map_err(|e| format!("{e:?}"))
            .and_then(|blob| files::save_blob(&blob, &self.export_file_name()));
        self.export.update(|e| {
            e.running = false;
            if let Err(msg) = result {
                e.error = Some(msg);
            }
        });
    }

    fn export_file_name(self) -> String {
        let names = self
            .files
            .with_value(|f| f.iter().map(|f| f.name()).collect::<Vec<_>>());
        let base = match names.as_slice() {
            [one] => one.split('.').next().unwrap_or("traces").to_owned(),
            _ => "traces".to_owned(),
        };
        format!("{base}.sft.messages.jsonl")
    }
}

#[component]
fn App() -> impl IntoView {
    let ingest = RwSignal::new(Ingest::default());
    let export = RwSignal::new(Export::default());
    let files = StoredValue::new_local(Vec::new());
    let export_parts = StoredValue::new_local(Vec::new());
    // The pool needs the context to report to, and the context holds the pool: start with an
    // empty pool slot and fill it once the callback exists.
    let holder: Rc<std::cell::RefCell<Option<Ctx>>> = Rc::new(std::cell::RefCell::new(None));
    let h = holder.clone();
    let on_reply: OnReply = Rc::new(move |reply, attachment| {
        if let Some(ctx) = *h.borrow() {
            ctx.on_reply(reply, attachment);
        }
    });
    let pool = StoredValue::new_local(Pool::new(default_size(), on_reply));
    let ctx = Ctx {
        ingest,
        export,
        explorer: explorer::Explorer::new(),
        files,
        export_parts,
        pool,
    };
    *holder.borrow_mut() = Some(ctx);
    provide_context(ctx);
    self_test(ctx);

    let on_sample = move |_| {
        leptos::task::spawn_local(async move {
            match files::fetch_file("sample.jsonl").await {
                Ok(file) => ctx.start(Intake {
                    files: vec![Picked::bare(file)],
                    ignored: Vec::new(),
                }),
                Err(e) => {
                    ingest.update(|i| i.fatal = Some(format!("could not load the sample: {e}")))
                }
            }
        });
    };

    view! {
        <header class="top">
            <h1>"Agent Traces"</h1>
            <p class="tagline">
                "Drop agent reasoning traces (JSONL, JSONL.gz or Parquet). Everything is read in this browser; nothing is uploaded."
            </p>
        </header>
        <main>
            <section class="intake">
                <dropzone::DropZone />
                <button class="sample" data-testid="load-sample" on:click=on_sample>
                    "Try the sample dataset"
                </button>
            </section>
            <dropzone::Status />
            <dashboard::Dashboard />
            <explorer::ExplorerPanel />
        </main>
    }
}

/// `?selftest=worker-panic` and `?selftest=page-panic` crash on purpose, so the end-to-end tests
/// can check that a crash anywhere ends in a readable message, never a blank page.
fn self_test(ctx: Ctx) {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if search.contains("selftest=worker-panic") {
        ctx.pool
            .with_value(|p| Pool::submit(p, Request::SelfTestPanic, JsValue::UNDEFINED));
    } else if search.contains("selftest=page-panic") {
        leptos::task::spawn_local(async { panic!("self-test: a deliberate panic in the page") });
    }
}

/// The shared context (components call this instead of threading props).
pub(crate) fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

pub(crate) fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
