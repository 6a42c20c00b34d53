//! The page's side of the workers: a pool of Web Workers (one per core, at least 2), a queue of
//! requests handed to idle workers once they have said they are ready, and replies decoded into
//! typed messages. Cancel terminates every worker and starts fresh ones.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::worker::{Reply, Request};

/// Called with every reply and its attachment (an export's `Blob`).
pub type OnReply = Rc<dyn Fn(Reply, Option<JsValue>)>;

struct Slot {
    worker: Worker,
    ready: bool,
    busy: bool,
    // Kept alive as long as the worker.
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(ErrorEvent)>,
}

pub struct Pool {
    /// The workers' wasm, fetched and compiled once: a promise of the `WebAssembly.Module` that
    /// every new worker is handed.
    module: js_sys::Promise,
    slots: Vec<Slot>,
    queue: VecDeque<(Request, JsValue)>,
    /// Replaced workers whose handlers may still be running.
    retired: Vec<Slot>,
    on_reply: OnReply,
    size: usize,
}

pub type PoolRef = Rc<RefCell<Pool>>;

/// Workers to start: one per core, at least two.
pub fn default_size() -> usize {
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(2.0);
    (cores as usize).clamp(2, 16)
}

/// The worker script, next to the page (works under a sub-path such as GitHub Pages').
const WORKER_URL: &str = "./worker_loader.js";
/// The workers' wasm, next to the page.
const WORKER_WASM: &str = "./worker_bg.wasm";

/// Fetches and compiles the workers' wasm (streaming, while it downloads): a promise of the
/// module. Where it rejects, each worker is handed the path and loads the wasm itself.
fn compile_worker_wasm() -> js_sys::Promise {
    match web_sys::window() {
        Some(w) => js_sys::WebAssembly::compile_streaming(&w.fetch_with_str(WORKER_WASM)),
        None => js_sys::Promise::reject(&JsValue::from_str("no window")),
    }
}

impl Pool {
    pub fn new(size: usize, on_reply: OnReply) -> PoolRef {
        let pool = Rc::new(RefCell::new(Pool {
            module: compile_worker_wasm(),
            slots: Vec::new(),
            queue: VecDeque::new(),
            retired: Vec::new(),
            on_reply,
            size,
        }));
        Pool::spawn_all(&pool);
        pool
    }

    fn spawn_all(pool: &PoolRef) {
        let size = pool.borrow().size;
        for i in 0..size {
            match spawn(pool, i) {
                Ok(slot) => pool.borrow_mut().slots.push(slot),
                Err(e) => {
                    let cb = pool.borrow().on_reply.clone();
                    cb(
                        Reply::failed(None, None, format!("could not start a worker: {e:?}")),
                        None,
                    );
                }
            }
        }
    }

    /// How many workers the pool runs.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Queues a request; it goes to the first idle, ready worker.
    pub fn submit(pool: &PoolRef, request: Request, attachment: JsValue) {
        pool.borrow_mut().queue.push_back((request, attachment));
        Pool::pump(pool);
    }

    /// Drops queued requests and stops the workers still busy with them (replaced by fresh
    /// ones); idle workers stay, warm: starting a worker and compiling its wasm cost more than
    /// most files take to read.
    pub fn clear(pool: &PoolRef) {
        let busy: Vec<usize> = {
            let mut p = pool.borrow_mut();
            p.queue.clear();
            (0..p.slots.len()).filter(|&i| p.slots[i].busy).collect()
        };
        for index in busy {
            Pool::replace(pool, index);
        }
    }

    /// Terminates worker `index` and puts a fresh one in its place.
    fn replace(pool: &PoolRef, index: usize) {
        if let Some(slot) = pool.borrow().slots.get(index) {
            slot.worker.terminate();
        }
        match spawn(pool, index) {
            Ok(fresh) => {
                // We may be inside the old worker's handler: keep its closures alive.
                let mut p = pool.borrow_mut();
                let old = std::mem::replace(&mut p.slots[index], fresh);
                p.retired.push(old);
            }
            Err(e) => web_sys::console::error_1(&e),
        }
    }

    /// Stops every worker at once and starts fresh ones; queued requests are dropped.
    pub fn cancel(pool: &PoolRef) {
        let old = {
            let mut p = pool.borrow_mut();
            p.queue.clear();
            std::mem::take(&mut p.slots)
        };
        for slot in &old {
            slot.worker.terminate();
        }
        pool.borrow_mut().retired.extend(old);
        Pool::spawn_all(pool);
    }

    fn pump(pool: &PoolRef) {
        let mut p = pool.borrow_mut();
        while let Some(idx) = p.slots.iter().position(|s| s.ready && !s.busy) {
            let Some((req, attachment)) = p.queue.pop_front() else {
                break;
            };
            let msg = Array::new();
            msg.push(&JsValue::from_str(
                &serde_json::to_string(&req).unwrap_or_default(),
            ));
            msg.push(&attachment);
            let slot = &mut p.slots[idx];
            slot.busy = true;
            if let Err(e) = slot.worker.post_message(&msg) {
                slot.busy = false;
                let cb = p.on_reply.clone();
                drop(p);
                cb(
                    Reply::failed(None, None, format!("could not reach a worker: {e:?}")),
                    None,
                );
                return;
            }
        }
    }

    fn on_message(pool: &PoolRef, index: usize, worker: &Worker, data: JsValue) {
        let parts: Array = data.unchecked_into();
        let text = parts.get(0).as_string().unwrap_or_default();
        let attachment = parts.get(1);
        let attachment = (!attachment.is_undefined()).then_some(attachment);
        let reply = serde_json::from_str::<Reply>(&text).unwrap_or_else(|e| {
            Reply::failed(None, None, format!("unreadable message from a worker: {e}"))
        });
        {
            let mut p = pool.borrow_mut();
            // Replies from a terminated worker may still be queued: ignore them.
            let Some(slot) = p.slots.get_mut(index).filter(|s| &s.worker == worker) else {
                return;
            };
            match &reply {
                Reply::Ready => slot.ready = true,
                Reply::Analysed { .. }
                | Reply::Exported { .. }
                | Reply::Row { .. }
                | Reply::Searched { .. }
                | Reply::Failed { fatal: false, .. } => slot.busy = false,
                Reply::Failed { fatal: true, .. } => {
                    // The module has trapped: replace the worker.
                    drop(p);
                    Pool::replace(pool, index);
                }
                Reply::Progress { .. } | Reply::Notice { .. } => {}
            }
        }
        let cb = pool.borrow().on_reply.clone();
        if !matches!(reply, Reply::Ready) {
            cb(reply, attachment);
        }
        Pool::pump(pool);
    }
}

fn spawn(pool: &PoolRef, index: usize) -> Result<Slot, JsValue> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Classic);
    let worker = Worker::new_with_options(WORKER_URL, &opts)?;
    let weak = Rc::downgrade(pool);
    let w = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if let Some(pool) = weak.upgrade() {
            Pool::on_message(&pool, index, &w, ev.data());
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    let weak = Rc::downgrade(pool);
    let w = worker.clone();
    let onerror = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
        ev.prevent_default();
        if let Some(pool) = weak.upgrade() {
            // A worker already replaced (it reported its crash) is not news.
            if pool.borrow().slots.get(index).is_none_or(|s| s.worker != w) {
                return;
            }
            let cb = pool.borrow().on_reply.clone();
            cb(
                Reply::failed(None, None, format!("a worker failed: {}", ev.message())),
                None,
            );
        }
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    // Its first message is the compiled module (public/worker_loader.js).
    let module = pool.borrow().module.clone();
    let w = worker.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let module = wasm_bindgen_futures::JsFuture::from(module)
            .await
            .unwrap_or_else(|_| JsValue::from_str(WORKER_WASM));
        if let Err(e) = w.post_message(&module) {
            web_sys::console::error_2(&"could not hand a worker its module".into(), &e);
        }
    });
    Ok(Slot {
        worker,
        ready: false,
        busy: false,
        _onmessage: onmessage,
        _onerror: onerror,
    })
}
