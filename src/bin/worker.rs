//! The Web Worker binary: Trunk builds it as a second wasm module (`data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_traces_app::worker::runtime::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker binary only runs in a browser (wasm32)");
}
