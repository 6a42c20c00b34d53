//! agent-traces: analyse agent reasoning-trace datasets (ShareGPT / OpenAI messages, JSONL or Parquet)
//! entirely in the browser. Everything below `ui` is plain Rust, tested natively; see ARCHITECTURE.md.
//!
//! Data path: `ingest` (bytes → rows) → `trace` (rows → conversations) → `stats` (aggregates) →
//! `charts` (chart options), and `trace` → `export` (SFT files). `worker` runs that path off the main
//! thread; `ui` only renders.

pub mod charts;
pub mod explore;
pub mod export;
pub mod gen;
pub mod index;
pub mod ingest;
pub mod stats;
pub mod trace;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod ui;
