//! agent-traces-app: the page (Leptos components in `ui`, wasm only) and its Web Workers
//! (`worker`: the message protocol, plain serde types tested natively, and the wasm entry point
//! that runs the core off the main thread). Everything the page shows is computed by the core
//! crate, `agent_traces`; this crate only moves bytes and renders. See ARCHITECTURE.md.

pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod ui;
