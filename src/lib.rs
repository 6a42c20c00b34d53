//! agent-traces-app: the page (Leptos components in `ui`, wasm only) and its Web Workers
//! (`worker`: the message protocol, plain serde types tested natively, and the wasm entry point
//! that runs the core off the main thread). Everything the page shows is computed by the core
//! crate, `agent_traces`; this crate only moves bytes and renders. See ARCHITECTURE.md.

pub mod worker;

/// Talc instead of Rust's default wasm allocator (dlmalloc): the core allocates a string per
/// message and a few per payload, and talc is the faster allocator in wasm (see BENCHMARKS.md).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
pub mod ui;
