//! Browser file plumbing for the page: fetching the bundled sample as a `File`, and saving a
//! `Blob` as a download.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FilePropertyBag, HtmlAnchorElement, Response, Url};

use super::js_error;

/// Fetches a file shipped next to the page (relative URL: works under any sub-path).
pub async fn fetch_file(path: &str) -> Result<File, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(js_error)?;
    let resp: Response = resp.dyn_into().map_err(js_error)?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    let parts = js_sys::Array::of1(&blob);
    let opts = FilePropertyBag::new();
    opts.set_type("application/jsonl");
    let name = path.rsplit('/').next().unwrap_or(path);
    File::new_with_blob_sequence_and_options(&parts, name, &opts).map_err(js_error)
}

/// Offers `blob` to the user as a download named `name`.
pub fn save_blob(blob: &Blob, name: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = Url::create_object_url_with_blob(blob).map_err(js_error)?;
    let a: HtmlAnchorElement = doc.create_element("a").map_err(js_error)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("hidden", "").map_err(js_error)?;
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a).map_err(js_error)?;
    a.click();
    a.remove();
    // Revoke later: the download may not have started yet.
    let url2 = url.clone();
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(60_000).await;
        let _ = Url::revoke_object_url(&url2);
    });
    Ok(())
}

/// `text` as a `Blob` of type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Result<Blob, String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(js_error)
}

/// Offers `text` as a download.
pub fn save_text(text: &str, mime: &str, name: &str) -> Result<(), String> {
    save_blob(&text_blob(text, mime)?, name)
}
