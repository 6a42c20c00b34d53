//! The user interface (wasm only): Leptos components that render the model in `state` and send
//! work to the worker pool. Nothing here parses or counts: the workers do.

mod chart;
mod dropzone;
mod explorer;
mod export;
mod files;
mod hub;
mod intake;
mod pool;
mod shell;
mod state;
mod views;

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::worker::{During, Reply, Request};
use agent_traces::explore::{self, View, ViewState};
use agent_traces::export::split::Side;
use agent_traces::export::{ExportOptions, Manifest};
use agent_traces::ingest::{Part, RowRef};
use agent_traces::pipeline::Analysis;

use intake::{Input, Intake};
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

/// Parts smaller than this are not worth a second worker (workers stay warm between files, so
/// a part costs its footer or first-line read and a merge: a millisecond or two).
const MIN_PART_BYTES: f64 = 1024.0 * 1024.0;

/// How many workers read one file at once: one per idle worker when there are fewer files than
/// workers, never for gzip (a stream cannot be split), and no part under `MIN_PART_BYTES`.
fn parts_for(name: &str, size: u64, files: usize, workers: usize) -> usize {
    if files >= workers || name.to_ascii_lowercase().ends_with(".gz") {
        return 1;
    }
    let by_size = (size as f64 / MIN_PART_BYTES).floor() as usize;
    by_size.clamp(1, workers / files)
}

/// One export job's output (`[train, validation]` Blobs) and its manifest.
type ExportedPart = (Option<JsValue>, Manifest);

/// A file the last export wrote besides its train file: what its button says and saves.
#[derive(Clone)]
pub(crate) struct SavedFile {
    /// `manifest` or `validation` (the button's `data-testid` is `download-<kind>`).
    pub kind: &'static str,
    pub name: String,
    pub blob: web_sys::Blob,
}

/// The parts of a file an export runs in, each with the lines of the file before it.
type PartsToExport = Vec<(Part, u64)>;

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
    /// The dashboard's figures: every row read, or the rows the page's filter selects.
    pub shown: Memo<state::Shown>,
    /// `shown`'s total, followed live (the headline figures).
    pub summary: Memo<state::Shared>,
    /// `summary` once reading ends (or is cancelled): charts and detail tables are drawn from
    /// this, since redrawing them while the workers read took most of a core from them.
    pub settled: Memo<state::Shared>,
    /// The view shown (`#view=`).
    pub view: RwSignal<View>,
    /// The page's whole place as the URL holds it (the navigation's links keep it).
    pub place: RwSignal<ViewState>,
    /// The remote source read (`None`: the user's own files), kept in the URL.
    pub source: RwSignal<Option<agent_traces::hub::Target>>,
    /// The Hub's listing and selection, the access token (memory only) and its failures.
    pub hub: hub::HubState,
    files: StoredValue<Vec<Input>, LocalStorage>,
    /// Each export slot's answer, once it came.
    export_parts: StoredValue<Vec<Option<ExportedPart>>, LocalStorage>,
    /// The last export's other files, each downloaded by its own button (one click, one file).
    export_files: StoredValue<Vec<SavedFile>, LocalStorage>,
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
            source,
        } = intake;
        if source.is_none() {
            self.hub.failures.set(Vec::new());
        }
        self.source.set(source);
        let files: Vec<Input> = picked.iter().map(|p| p.file.clone()).collect();
        let job = next_job();
        let workers = self.pool.with_value(|p| p.borrow().size());
        let parts: Vec<usize> = picked
            .iter()
            .map(|p| parts_for(&p.path, p.file.size(), files.len(), workers))
            .collect();
        let entries = picked
            .iter()
            .zip(&parts)
            .map(|(p, n)| FileEntry::new(p.path.clone(), p.file.size(), *n))
            .collect();
        self.pool.with_value(Pool::clear);
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
        self.explorer.clear();
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
                    skip_row_groups: Vec::new(),
                };
                self.pool
                    .with_value(|p| Pool::submit(p, req, f.attachment()));
            }
        }
        self.files.set_value(files);
    }

    /// After a worker stopped on a damaged Parquet row group (a decoder panic cannot be caught
    /// in wasm), reads that part of the file again without the group, which is then counted as
    /// a corrupt row group. False when there is nothing to retry (too many retries, no file).
    fn read_part_again(self, job: u32, file: u32, during: During) -> bool {
        const MAX_RETRIES: usize = 16;
        let Some(f) = self
            .files
            .with_value(|files| files.get(file as usize).cloned())
        else {
            return false;
        };
        let mut request = None;
        self.ingest.update(|i| {
            let Some(entry) = i.files.get_mut(file as usize) else {
                return;
            };
            let count = entry.parts.len() as u32;
            let Some(part) = entry.parts.get_mut(during.part as usize) else {
                return;
            };
            if part.done.is_some() || part.skipped.len() >= MAX_RETRIES {
                return;
            }
            part.skipped.push(during.row_group);
            part.bytes_done = 0;
            part.partial = None;
            request = Some(Request::Analyse {
                job,
                file,
                name: entry.name.clone(),
                part: Part {
                    index: during.part,
                    count,
                },
                skip_row_groups: part.skipped.clone(),
            });
        });
        let Some(req) = request else { return false };
        self.pool
            .with_value(|p| Pool::submit(p, req, f.attachment()));
        true
    }

    /// Asks a worker to read one row of file `file` again, for the trace view.
    pub fn read_row(self, file: usize, at: RowRef) {
        if let Some(job) = self.read_row_as(file, at) {
            self.explorer.job.set(job);
        }
    }

    /// Asks a worker to read one row of file `file` again; its reply carries the job returned.
    pub fn read_row_as(self, file: usize, at: RowRef) -> Option<u32> {
        let (f, name) = self
            .files
            .with_value(|files| files.get(file).cloned())
            .zip(
                self.ingest
                    .with_untracked(|i| i.files.get(file).map(|f| f.name.clone())),
            )?;
        let job = next_job();
        let req = Request::ReadRow {
            job,
            file: file as u32,
            name,
            at,
        };
        self.pool
            .with_value(|p| Pool::submit(p, req, f.attachment()));
        Some(job)
    }

    /// Searches every file for `query` in the workers.
    pub fn search(self, query: explore::Query) {
        let files = self.files.with_value(Vec::len);
        let job = next_job();
        self.explorer.search.set(explorer::Search {
            job,
            query: query.clone(),
            running: true,
            bytes_done: vec![0; files],
            found: vec![None; files],
            error: None,
        });
        self.submit_each(|file, name| Request::Search {
            job,
            file,
            name,
            query: query.clone(),
        });
    }

    /// Submits one request per file read: `request(file's position, file's name)`.
    fn submit_each(self, mut request: impl FnMut(u32, String) -> Request) {
        let files = self.files.get_value();
        let names: Vec<String> = self
            .ingest
            .with_untracked(|i| i.files.iter().map(|f| f.name.clone()).collect());
        for (i, (f, name)) in (0u32..).zip(files.iter().zip(names)) {
            let req = request(i, name);
            self.pool
                .with_value(|p| Pool::submit(p, req, f.attachment()));
        }
    }

    /// Stops a search (the workers are replaced; figures already read stay).
    pub fn cancel_search(self) {
        self.pool.with_value(Pool::cancel);
        self.explorer.search.update(|s| {
            s.running = false;
            s.error = Some("search cancelled".into());
        });
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

    /// Re-reads every file in the workers and writes SFT JSONL (train and validation).
    /// Re-reads every file in the workers and writes the SFT file; `only_listed` keeps only the
    /// rows the explorer lists (its filters and search).
    pub fn export(self, options: ExportOptions, only_listed: bool) {
        let files = self.files.get_value();
        if files.is_empty() {
            return;
        }
        let mut listed = only_listed.then(|| explorer::selected_rows(self));
        let job = next_job();
        self.export_files.set_value(Vec::new());
        // Each file in the parts it was read in, when that gives the same export (one worker
        // each), else whole; the outputs are joined in this order.
        let jobs: Vec<(u32, String, PartsToExport)> = self.ingest.with_untracked(|i| {
            (0u32..)
                .zip(&i.files)
                .map(|(n, f)| (n, f.name.clone(), f.export_parts(&options)))
                .collect()
        });
        let slots: Vec<(u32, u32)> = jobs
            .iter()
            .flat_map(|(file, _, parts)| parts.iter().map(|(p, _)| (*file, p.index)))
            .collect();
        self.export.update(|e| {
            e.job = job;
            e.running = true;
            e.options = options.clone();
            e.manifest = None;
            e.error = None;
            e.bytes_done = vec![0; slots.len()];
            e.slots = slots.clone();
            e.bytes_total = files.iter().map(Input::size).sum();
        });
        self.export_parts.set_value(vec![None; slots.len()]);
        for ((file, name, parts), f) in jobs.into_iter().zip(&files) {
            let rows = listed.as_mut().map(|l| {
                l.get_mut(file as usize)
                    .map(std::mem::take)
                    .unwrap_or_default()
            });
            for (part, base) in parts {
                let req = Request::Export {
                    job,
                    file,
                    name: name.clone(),
                    options: options.clone(),
                    preview: false,
                    rows: rows.clone(),
                    part,
                    base,
                };
                self.pool
                    .with_value(|p| Pool::submit(p, req, f.attachment()));
            }
        }
    }

    /// Asks a worker for the first row the export would write from the first file.
    pub fn preview_export(self, options: ExportOptions) {
        let Some(f) = self.files.with_value(|f| f.first().cloned()) else {
            return;
        };
        let name = self
            .ingest
            .with_untracked(|i| i.files.first().map(|f| f.name.clone()))
            .unwrap_or_default();
        let job = next_job();
        self.export.update(|e| {
            e.preview_job = job;
            e.preview = None;
        });
        let req = Request::Export {
            job,
            file: 0,
            name,
            options,
            preview: true,
            rows: None,
            part: Part::WHOLE,
            base: 0,
        };
        self.pool
            .with_value(|p| Pool::submit(p, req, f.attachment()));
    }

    fn on_reply(self, reply: Reply, attachment: Option<JsValue>) {
        let ingest_job = self.ingest.with_untracked(|i| i.job);
        let export_job = self.export.with_untracked(|e| e.job);
        let is_export = |job: u32| job == export_job && self.export.with_untracked(|e| e.running);
        let search_job = self.explorer.search.with_untracked(|s| s.job);
        match reply {
            Reply::Ready => {}
            Reply::Progress {
                job,
                file,
                part,
                bytes_done,
                rows_read,
                partial,
                network,
            } if job == ingest_job => {
                self.ingest.update(|i| {
                    let f = i.files.get_mut(file as usize);
                    if let Some(p) = f.and_then(|f| f.parts.get_mut(part as usize)) {
                        p.bytes_done = bytes_done;
                        p.rows_read = rows_read;
                        p.network = network.or(p.network);
                        if let Some(r) = partial {
                            p.partial = Some(*r);
                        }
                    }
                });
            }
            Reply::Progress {
                job,
                file,
                bytes_done,
                ..
            } if job == search_job => self.explorer.search.update(|s| {
                if let Some(b) = s.bytes_done.get_mut(file as usize) {
                    *b = bytes_done;
                }
            }),
            Reply::Progress {
                job,
                file,
                part,
                bytes_done,
                ..
            } if is_export(job) => self.export.update(|e| {
                if let Some(slot) = e.slot(file, part) {
                    e.bytes_done[slot] = bytes_done;
                }
            }),
            Reply::Progress { .. } => {}
            Reply::Analysed {
                job,
                file,
                part,
                report,
                wasm_memory,
                network,
                ..
            } if job == ingest_job => {
                let bytes = attachment
                    .map(|a| js_sys::Uint8Array::new(&a).to_vec())
                    .unwrap_or_default();
                let mut report = report;
                // Without its index the part's figures stand, but its rows cannot be listed
                // or filtered: say so where the file's problems are shown.
                let index = crate::worker::decode_index(&bytes).unwrap_or_else(|e| {
                    report.diagnose("row_index", None, None, e);
                    agent_traces::index::RowIndex::default()
                });
                self.ingest.update(|i| {
                    i.peak_wasm_memory = i.peak_wasm_memory.max(wasm_memory);
                    if let Some(f) = i.files.get_mut(file as usize) {
                        if let Some(p) = f.parts.get_mut(part as usize) {
                            p.network = network.or(p.network);
                        }
                        let analysis = Analysis {
                            report: *report,
                            index,
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
                part,
                manifest,
            } if is_export(job) => {
                let slot = self.export.with_untracked(|e| e.slot(file, part));
                self.export_parts.update_value(|parts| {
                    if let Some(s) = slot.and_then(|s| parts.get_mut(s)) {
                        *s = Some((attachment, *manifest));
                    }
                });
                self.finish_export_if_complete();
            }
            Reply::Exported { job, manifest, .. }
                if job == self.export.with_untracked(|e| e.preview_job) =>
            {
                self.export.update(|e| {
                    e.preview = Some(manifest.preview.unwrap_or_else(|| {
                        "(no row of the first file can be written with these options)".into()
                    }))
                });
            }
            Reply::Exported { .. } => {}
            Reply::Row { job, view, .. } => {
                self.explorer.deliver(job, explorer::Trace::Shown(view));
            }
            Reply::Searched {
                job, file, matches, ..
            } if job == search_job => self.explorer.search.update(|s| {
                if let Some(slot) = s.found.get_mut(file as usize) {
                    *slot = Some(matches.into_iter().collect());
                }
                s.running = s.found.iter().any(Option::is_none);
            }),
            Reply::Searched { .. } => {}
            Reply::Notice { kind, message, .. } => self.hub.notice(kind, message),
            Reply::Failed {
                job: Some(job),
                message,
                ..
            } if self
                .explorer
                .deliver(job, explorer::Trace::Failed(message.clone())) => {}
            Reply::Failed {
                job: Some(job),
                message,
                ..
            } if job == search_job => self.explorer.search.update(|s| {
                s.running = false;
                s.error = Some(message);
            }),
            Reply::Failed {
                job,
                file,
                message,
                during,
                ..
            } => match (job, file) {
                (Some(job), Some(file)) if is_export(job) => self.export.update(|e| {
                    e.running = false;
                    e.error = Some(format!("file {}: {message}", file + 1));
                }),
                (Some(job), _) if job == self.export.with_untracked(|e| e.preview_job) => self
                    .export
                    .update(|e| e.preview = Some(format!("no preview: {message}"))),
                (Some(job), Some(file)) if job == ingest_job => {
                    let retried = during.is_some_and(|d| self.read_part_again(job, file, d));
                    if !retried {
                        self.ingest.update(|i| {
                            if let Some(f) = i.files.get_mut(file as usize) {
                                f.error = Some(message);
                            }
                        })
                    }
                }
                (Some(_), _) => {}
                (None, _) => self.ingest.update(|i| i.fatal = Some(message)),
            },
        }
    }

    /// Once every file has answered: joins their outputs and downloads the train file, the
    /// validation file (when the split put rows there) and the manifest beside them.
    fn finish_export_if_complete(self) {
        let parts = self.export_parts.get_value();
        if parts.iter().any(Option::is_none) {
            return;
        }
        self.export_parts.set_value(Vec::new());
        // The manifests merged in output order (the preview is the first row written).
        let mut manifest: Option<Manifest> = None;
        for (_, m) in parts.iter().flatten() {
            match &mut manifest {
                Some(all) => all.merge(m),
                None => manifest = Some(m.clone()),
            }
        }
        let manifest = manifest.unwrap_or_default();
        let options = self.export.with_untracked(|e| e.options.clone());
        let stem = format!(".{}", options.format.as_str());
        let ext = options.extension();
        let mime = options.mime();
        let side = |i: u32| {
            let seq = js_sys::Array::new();
            for (blobs, _) in parts.iter().flatten() {
                if let Some(b) = blobs {
                    seq.push(&js_sys::Array::from(b).get(i));
                }
            }
            if options.format.zipped() {
                // The parts are the archive's files; its directory ends it.
                let which = if i == 0 {
                    Side::Train
                } else {
                    Side::Validation
                };
                let dir = manifest.zip.directory(which);
                seq.push(&js_sys::Uint8Array::from(dir.as_slice()));
            }
            let opts = web_sys::BlobPropertyBag::new();
            opts.set_type(mime);
            web_sys::Blob::new_with_blob_sequence_and_options(&seq, &opts)
                .map_err(|e| format!("{e:?}"))
        };
        // One click, one download: the train file now; the validation split and the manifest
        // wait for their own buttons.
        let result = side(0).and_then(|blob| {
            files::save_blob(&blob, &self.export_file_name(&format!("{stem}{ext}")))
        });
        let mut others = Vec::new();
        if manifest.rows_validation > 0 {
            if let Ok(blob) = side(1) {
                others.push(SavedFile {
                    kind: "validation",
                    name: self.export_file_name(&format!("{stem}.validation{ext}")),
                    blob,
                });
            }
        }
        if let Ok(blob) = files::text_blob(&manifest.to_json(), "application/json") {
            others.push(SavedFile {
                kind: "manifest",
                name: self.export_file_name(&format!("{stem}.manifest.json")),
                blob,
            });
        }
        self.export_files.set_value(others);
        self.export.update(|e| {
            e.running = false;
            e.manifest = Some(manifest);
            if let Err(msg) = result {
                e.error = Some(msg);
            }
        });
    }

    /// The last export's other files: (kind, file name).
    pub fn saved_files(self) -> Vec<(&'static str, String)> {
        self.export_files
            .with_value(|f| f.iter().map(|f| (f.kind, f.name.clone())).collect())
    }

    /// Downloads one of the last export's other files.
    pub fn save_file(self, kind: &str) -> Result<(), String> {
        self.export_files.with_value(|files| {
            let f = files
                .iter()
                .find(|f| f.kind == kind)
                .ok_or("export again: that file is gone")?;
            files::save_blob(&f.blob, &f.name)
        })
    }

    /// `{first file's stem}{suffix}`, or `traces{suffix}` for several files.
    fn export_file_name(self, suffix: &str) -> String {
        let names = self
            .ingest
            .with_untracked(|i| i.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
        let base = match names.as_slice() {
            [one] => {
                let file = one.rsplit('/').next().unwrap_or(one);
                file.split('.').next().unwrap_or("traces").to_owned()
            }
            _ => "traces".to_owned(),
        };
        format!("{base}.sft{suffix}")
    }
}

#[component]
fn App() -> impl IntoView {
    let ingest = RwSignal::new(Ingest::default());
    let export = RwSignal::new(Export::default());
    let files = StoredValue::new_local(Vec::new());
    let export_parts = StoredValue::new_local(Vec::new());
    let export_files = StoredValue::new_local(Vec::new());
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
    let place = explorer::url_state();
    let view = RwSignal::new(place.view);
    let explorer = explorer::Explorer::from_state(place.clone());
    let place = RwSignal::new(place);
    let shown = Memo::new(move |_| {
        let filter = explorer.filter.get();
        ingest.with(|i| i.shown(&filter))
    });
    let summary = Memo::new(move |_| shown.with(|s| s.total.clone()));
    let settled = Memo::new(move |_| {
        if ingest.with(|i| i.phase() == state::Phase::Running) {
            state::Shared::empty()
        } else {
            summary.get()
        }
    });
    let ctx = Ctx {
        ingest,
        export,
        explorer,
        shown,
        summary,
        settled,
        view,
        place,
        source: RwSignal::new(place.with_untracked(|p| p.source.clone())),
        hub: hub::HubState::new(),
        files,
        export_parts,
        export_files,
        pool,
    };
    *holder.borrow_mut() = Some(ctx);
    provide_context(ctx);
    export::provide_choices();
    self_test(ctx);

    let hits = explorer::hits(ctx);
    provide_context(explorer::Listed(hits));
    explorer::keyboard(ctx, hits);
    explorer::sync_url(ctx, hits);
    hub::open_from_link(ctx);
    let help = explorer.help;
    view! {
        <shell::Shell />
        <Show when=move || help.get()>
            <explorer::Help />
        </Show>
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
