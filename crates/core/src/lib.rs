//! agent-traces, the core: read agent reasoning-trace datasets (ShareGPT / OpenAI messages,
//! JSONL, JSON or Parquet), count the figures, index the rows, explore them and export SFT files.
//! Plain Rust with no web crate: the page and its workers (the root crate), the command-line
//! tools and the tests all run this same code. See ARCHITECTURE.md.
//!
//! Data path: `ingest` (bytes → rows) → `trace` (rows → conversations) → `stats` (aggregates) →
//! `charts` (chart options); `stats` → `index` → `explore`; and `trace` → `export` (SFT files).

pub mod charts;
pub mod explore;
pub mod export;
pub mod hub;
pub mod index;
pub mod ingest;
pub mod pipeline;
pub mod stats;
pub mod trace;
