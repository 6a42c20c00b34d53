//! A file read over HTTP by byte ranges, in a worker (wasm only): each `read_at` is one
//! synchronous `Range` request — synchronous, as `FileReaderSync` is for local files, so the
//! core's readers (the Parquet reader among them) run over it unchanged. A signed storage link
//! that stops working mid-read is renewed from the Hub's `resolve` link and the read goes on;
//! failures say what happened (`hub::Failure`) and are posted to the page as they happen.

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::{XmlHttpRequest, XmlHttpRequestResponseType};

use super::{Network, Remote};
use agent_traces::hub::Failure;

/// How many times one read renews an expired link before it gives up.
const RENEWALS: u32 = 3;

/// A file's first `HEAD` and last `TAIL` bytes are fetched whole and kept by the worker: every
/// request about a file reads its head again (the format is sniffed from it) and, for Parquet,
/// its footer at the tail; kept, a row re-read costs one range request, the row's own.
const HEAD: u64 = 64 << 10;
const TAIL: u64 = 256 << 10;
/// Ends kept (two per file), the oldest dropped first: a few MB at most.
const ENDS_KEPT: usize = 32;

/// One kept end of a file.
struct End {
    /// The file's stable link (its `resolve` link, or its URL).
    key: String,
    /// Where the bytes start in the file.
    from: u64,
    bytes: Rc<[u8]>,
}

thread_local! {
    static ENDS: RefCell<Vec<End>> = const { RefCell::new(Vec::new()) };
}

/// What one request answered.
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// Where the answer came from after redirects.
    url: String,
    error_code: Option<String>,
}

/// A remote file; `notify` tells the page about renewals and failures (kind, message). Clones
/// share the file's current link, so a renewal serves every reader of it.
#[derive(Clone)]
pub struct HttpSource {
    remote: Rc<RefCell<Remote>>,
    name: Rc<str>,
    notify: fn(&str, String),
    /// Whether the link was renewed (the page is told once).
    renewed: Rc<Cell<bool>>,
    network: Rc<Cell<Network>>,
}

impl HttpSource {
    pub fn new(remote: Remote, name: &str, notify: fn(&str, String)) -> HttpSource {
        HttpSource {
            remote: Rc::new(RefCell::new(remote)),
            name: name.into(),
            notify,
            renewed: Rc::new(Cell::new(false)),
            network: Rc::default(),
        }
    }

    /// What the reads so far cost on the network.
    pub fn network(&self) -> Network {
        self.network.get()
    }

    /// One GET of bytes `first..=last` of `url`.
    fn get(
        &self,
        url: &str,
        (first, last): (u64, u64),
        token: Option<&str>,
    ) -> Result<Answer, Failure> {
        let cors = || Failure::Cors {
            what: self.name.to_string(),
        };
        let xhr = XmlHttpRequest::new().map_err(|_| cors())?;
        xhr.open_with_async("GET", url, false).map_err(|_| cors())?;
        xhr.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
        let _ = xhr.set_request_header("Range", &format!("bytes={first}-{last}"));
        if let Some(t) = token {
            let _ = xhr.set_request_header("Authorization", &format!("Bearer {t}"));
        }
        // A network failure or an answer the browser may not show us (CORS) throws.
        let started = js_sys::Date::now();
        let sent = xhr.send();
        let mut net = self.network.get();
        net.requests += 1;
        net.ms += js_sys::Date::now() - started;
        self.network.set(net);
        sent.map_err(|_| cors())?;
        let status = xhr.status().map_err(|_| cors())?;
        if status == 0 {
            return Err(cors());
        }
        let body = xhr
            .response()
            .ok()
            .and_then(|r| r.dyn_into::<ArrayBuffer>().ok())
            .map(|b| Uint8Array::new(&b).to_vec())
            .unwrap_or_default();
        let mut net = self.network.get();
        net.bytes += body.len() as u64;
        self.network.set(net);
        Ok(Answer {
            status,
            body,
            url: xhr.response_url(),
            error_code: xhr.get_response_header("x-error-code").ok().flatten(),
        })
    }

    /// Asks the Hub again where the file is (its redirect names a freshly signed URL).
    fn renew(&self) -> Result<(), Failure> {
        let (resolve, token) = {
            let r = self.remote.borrow();
            (r.resolve.clone(), r.token.clone())
        };
        let expired = || Failure::Expired {
            what: self.name.to_string(),
        };
        let resolve = resolve.ok_or_else(expired)?;
        let answer = self.get(&resolve, (0, 0), token.as_deref())?;
        if !matches!(answer.status, 200 | 206) {
            return Err(self.failure(&answer));
        }
        self.remote.borrow_mut().url = answer.url;
        if !self.renewed.replace(true) {
            (self.notify)(
                "expired",
                format!(
                    "{}: the signed download link expired during the read; a fresh one was \
                     asked of the Hub and the read went on (it was renewed, nothing was lost).",
                    self.name
                ),
            );
        }
        Ok(())
    }

    fn failure(&self, answer: &Answer) -> Failure {
        let body = String::from_utf8_lossy(&answer.body[..answer.body.len().min(4096)]);
        Failure::of_status(
            answer.status,
            answer.error_code.as_deref(),
            &body,
            &self.name,
            "",
        )
    }

    /// Bytes `offset..end` (within the file): from a kept end of the file when they lie there.
    fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>, Failure> {
        let size = self.len();
        let end = offset.saturating_add(len as u64).min(size);
        if offset >= end {
            return Ok(Vec::new());
        }
        let key = {
            let r = self.remote.borrow();
            r.resolve.clone().unwrap_or_else(|| r.url.clone())
        };
        let tail_start = size.saturating_sub(TAIL);
        let block = if end <= HEAD {
            Some((0, HEAD.min(size)))
        } else if offset >= tail_start {
            Some((tail_start, size))
        } else {
            None
        };
        let Some((from, to)) = block else {
            return self.fetch(offset, end);
        };
        let kept = ENDS.with(|e| {
            let e = e.borrow();
            let end = e.iter().find(|end| end.key == key && end.from == from)?;
            Some(end.bytes.clone())
        });
        let bytes = match kept {
            Some(b) => b,
            None => {
                let bytes: Rc<[u8]> = self.fetch(from, to)?.into();
                ENDS.with(|e| {
                    let mut e = e.borrow_mut();
                    if e.len() >= ENDS_KEPT {
                        e.remove(0);
                    }
                    e.push(End {
                        key,
                        from,
                        bytes: bytes.clone(),
                    });
                });
                bytes
            }
        };
        let at = |o: u64| ((o - from) as usize).min(bytes.len());
        Ok(bytes[at(offset)..at(end)].to_vec())
    }

    /// Bytes `offset..end` in one range request, renewing an expired link as needed.
    fn fetch(&self, offset: u64, end: u64) -> Result<Vec<u8>, Failure> {
        let mut renewals = 0;
        loop {
            let url = self.remote.borrow().url.clone();
            let answer = self.get(&url, (offset, end - 1), None)?;
            match answer.status {
                206 => return Ok(answer.body),
                // The server ignored the range and sent the whole file.
                200 => {
                    let from = (offset as usize).min(answer.body.len());
                    let to = (end as usize).min(answer.body.len());
                    return Ok(answer.body[from..to].to_vec());
                }
                401 | 403 | 410
                    if renewals < RENEWALS && self.remote.borrow().resolve.is_some() =>
                {
                    renewals += 1;
                    self.renew()?;
                }
                _ => return Err(self.failure(&answer)),
            }
        }
    }

    // The `ByteSource` side (the worker's `Source` implements the trait for both kinds of file).

    pub fn len(&self) -> u64 {
        self.remote.borrow().size
    }

    /// Bytes `offset..offset + len` (fewer at the end): one range request, or none when a kept
    /// end of the file holds them. A failure is told to the page as it happens.
    pub fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.read(offset, len).map_err(|failure| {
            (self.notify)(failure.kind(), failure.to_string());
            io::Error::other(failure.to_string())
        })
    }
}
