//! Fuzzes reading a damaged jsonl file end to end (see ../harness.rs): no input may panic, and the
//! counts always reconcile.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::jsonl(data));
