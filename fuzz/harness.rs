#![allow(dead_code)] // each fuzz target uses one harness
//! The containers' fuzz harnesses, shared by the fuzz targets (`fuzz_targets/ingest_*.rs`) and
//! by `tests/fuzz_corpus.rs`, which replays the kept corpora on stable Rust. Each turns the
//! fuzzer's bytes into a file of its container, damaged as the bytes say, reads it as the page
//! does, and checks what must hold for any input: no panic, and counts that reconcile.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use agent_traces::ingest::Format;
use agent_traces::pipeline::{analyse, FileReport};

/// What every report must satisfy, whatever the input.
pub fn check(r: &FileReport) {
    assert_eq!(
        r.rows_read,
        r.rows_analysed + r.rows_skipped_total(),
        "rows read = analysed + skipped: {:?}",
        r.rows_skipped
    );
    assert_eq!(r.summary.rows, r.rows_analysed);
    assert!(
        r.complete || !r.unread.is_empty() || !r.diagnostics.is_empty(),
        "a file read only in part says why"
    );
}

fn read(bytes: Vec<u8>, name: &str) -> FileReport {
    let r = analyse(&Arc::new(bytes), name).report;
    check(&r);
    r
}

/// JSONL (or whatever the bytes turn out to be: the sniffer decides), as given.
pub fn jsonl(data: &[u8]) {
    read(data.to_vec(), "fuzz.jsonl");
}

/// A JSON document: the bytes as given, named .json.
pub fn json(data: &[u8]) {
    read(data.to_vec(), "fuzz.json");
}

/// Gzip: the bytes after the first two are JSONL text, compressed, then damaged as the first
/// two say (cut at a fraction, garbage after it, or a byte flipped).
pub fn gzip(data: &[u8]) {
    let [mode, at, text @ ..] = data else { return };
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(text);
    let Ok(mut gz) = e.finish() else { return };
    // Damage after the magic (two bytes), which is what makes the file a gzip file.
    let pos = 2 + (gz.len() - 2) * usize::from(*at) / 256;
    match mode % 4 {
        0 => gz.truncate(pos),
        1 => gz.extend_from_slice(&text[..text.len().min(usize::from(*at))]),
        2 => {
            if let Some(b) = gz.get_mut(pos) {
                *b ^= mode | 1;
            }
        }
        _ => {}
    }
    let r = read(gz, "fuzz.jsonl.gz");
    assert!(matches!(r.format, Format::JsonlGzip));
}

/// Parquet: a small valid file of generated rows (three row groups), with the bytes as
/// (offset, value) pairs written over it.
pub fn parquet(data: &[u8]) {
    let base = parquet_base();
    let mut bytes = base.clone();
    for pair in data.chunks_exact(3) {
        let at = usize::from(u16::from_le_bytes([pair[0], pair[1]])) * bytes.len() / 65536;
        bytes[at] = pair[2];
    }
    read(bytes, "fuzz.parquet");
}

/// The Parquet file the parquet harness damages.
pub fn parquet_base() -> &'static Vec<u8> {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    BASE.get_or_init(|| {
        let opts = agent_traces_gen::GenOptions {
            seed: 11,
            rows: 12,
            tricky_ratio: 0.2,
            ..Default::default()
        };
        let path =
            std::env::temp_dir().join(format!("agent-traces-fuzz-{}.parquet", std::process::id()));
        agent_traces_gen::write_parquet(&opts, &path, parquet::basic::Compression::SNAPPY, 4)
            .expect("write the fuzz base file");
        let bytes = std::fs::read(&path).expect("read the fuzz base file");
        let _ = std::fs::remove_file(&path);
        bytes
    })
}
