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

use super::Remote;
use agent_traces::hub::Failure;

/// How many times one read renews an expired link before it gives up.
const RENEWALS: u32 = 3;

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
    renewed: Rc<Cell<u32>>,
}

impl HttpSource {
    pub fn new(remote: Remote, name: &str, notify: fn(&str, String)) -> HttpSource {
        HttpSource {
            remote: Rc::new(RefCell::new(remote)),
            name: name.into(),
            notify,
            renewed: Rc::new(Cell::new(0)),
        }
    }

    /// One GET of `url` for bytes `first..=last` (the whole file when `None`).
    fn get(
        &self,
        url: &str,
        range: Option<(u64, u64)>,
        token: Option<&str>,
    ) -> Result<Answer, Failure> {
        let cors = || Failure::Cors {
            what: self.name.to_string(),
        };
        let xhr = XmlHttpRequest::new().map_err(|_| cors())?;
        xhr.open_with_async("GET", url, false).map_err(|_| cors())?;
        xhr.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
        if let Some((first, last)) = range {
            let _ = xhr.set_request_header("Range", &format!("bytes={first}-{last}"));
        }
        if let Some(t) = token {
            let _ = xhr.set_request_header("Authorization", &format!("Bearer {t}"));
        }
        // A network failure or an answer the browser may not show us (CORS) throws.
        xhr.send().map_err(|_| cors())?;
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
        let answer = self.get(&resolve, Some((0, 0)), token.as_deref())?;
        if !matches!(answer.status, 200 | 206) {
            return Err(self.failure(&answer));
        }
        self.remote.borrow_mut().url = answer.url;
        self.renewed.set(self.renewed.get() + 1);
        if self.renewed.get() == 1 {
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

    fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>, Failure> {
        let size = self.remote.borrow().size;
        let end = offset.saturating_add(len as u64).min(size);
        if offset >= end {
            return Ok(Vec::new());
        }
        let mut renewals = 0;
        loop {
            let url = self.remote.borrow().url.clone();
            let answer = self.get(&url, Some((offset, end - 1)), None)?;
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
}

/// The `ByteSource` side (the worker's `Source` implements the trait for both kinds of file).
impl HttpSource {
    pub fn len(&self) -> u64 {
        self.remote.borrow().size
    }

    /// Bytes `offset..offset + len` (fewer at the end), in one range request.
    pub fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.read(offset, len).map_err(|failure| {
            (self.notify)(failure.kind(), failure.to_string());
            io::Error::other(failure.to_string())
        })
    }
}
