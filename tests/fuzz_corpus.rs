//! Replays the fuzz corpora (fuzz/corpus/*) as ordinary tests, so every input the fuzzer kept —
//! crashes it found included, once fixed — runs in CI on stable Rust.

#[path = "../fuzz/harness.rs"]
mod harness;

use agent_traces::stats::{tutorial, Summary};
use agent_traces::trace::{assistant::scan_assistant, parse_row, tool::scan_tool};

fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(name);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        out.push(std::fs::read(&path).unwrap());
    }
    assert!(!out.is_empty(), "empty corpus {name}");
    out
}

#[test]
fn parse_row_corpus() {
    for input in corpus("parse_row") {
        let Ok(text) = std::str::from_utf8(&input) else {
            continue;
        };
        if let Ok(conv) = parse_row(text) {
            Summary::default().add(&conv);
            for format in agent_traces::export::Format::ALL {
                let opts = agent_traces::export::ExportOptions {
                    format,
                    ..Default::default()
                };
                let _ = agent_traces::export::export_row(&conv, &opts);
            }
        }
    }
}

#[test]
fn scan_assistant_corpus() {
    for input in corpus("scan_assistant") {
        let text = String::from_utf8_lossy(&input);
        let _ = scan_assistant(&text);
        let _ = scan_tool(&text);
        let _ = tutorial::call_matches(&text);
        let _ = tutorial::message_is_error(&text);
        let _ = tutorial::answer_text(&text);
    }
}

#[test]
fn ingest_corpora() {
    for (name, run) in [
        ("ingest_jsonl", harness::jsonl as fn(&[u8])),
        ("ingest_json", harness::json),
        ("ingest_gzip", harness::gzip),
        ("ingest_parquet", harness::parquet),
    ] {
        for input in corpus(name) {
            run(&input);
        }
    }
}
