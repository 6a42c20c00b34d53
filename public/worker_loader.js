// A worker's start. The page compiles the worker's wasm once and posts the compiled module to
// every worker it starts (compiling 6 MB of wasm per worker, on every start, was most of the
// page's fixed cost); a worker given a path instead (the page could not compile it) fetches and
// compiles it itself. The first message is that module or path; the worker's own handler
// (src/worker/runtime.rs) takes over once its wasm is running, and says it is ready.
importScripts('./worker.js');
self.onmessage = (event) => {
  self.onmessage = null;
  const module = event.data instanceof WebAssembly.Module ? event.data : './worker_bg.wasm';
  wasm_bindgen({ module_or_path: module });
};
