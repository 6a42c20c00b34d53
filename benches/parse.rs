//! `cargo bench --bench parse [-- MB]`: parse and parse+aggregate throughput of the native core on
//! generated rows held in memory (default 200 MB of JSONL), and the cost of the dashboard's
//! re-count from the row index (what a click on a chart costs). Prints figures; asserts nothing.

use std::time::Instant;

use agent_traces::explore::{summarise, Hit};
use agent_traces::index::RowIndex;
use agent_traces::ingest::RowRef;
use agent_traces::stats::row::RowStats;
use agent_traces::stats::Summary;
use agent_traces::trace::parse_row;
use agent_traces_gen::{rows, GenOptions};

fn main() {
    let mb: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let opts = GenOptions {
        seed: 1,
        tricky_ratio: 0.02,
        target_bytes: Some(mb << 20),
        rows: usize::MAX,
        ..GenOptions::default()
    };
    let t = Instant::now();
    let lines: Vec<String> = rows(&opts).map(|r| r.to_json_line()).collect();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    println!(
        "generated {} rows, {:.1} MB in {:.2} s",
        lines.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let report = |label: &str, secs: f64| {
        println!(
            "{label:<28} {:>8.1} MB/s {:>10.0} rows/s  ({secs:.3} s)",
            bytes as f64 / 1e6 / secs,
            lines.len() as f64 / secs
        );
    };
    for round in 0..2 {
        let t = Instant::now();
        let mut ok = 0usize;
        for l in &lines {
            ok += usize::from(parse_row(l).is_ok());
        }
        assert_eq!(ok, lines.len());
        if round == 1 {
            report("parse (1 thread)", t.elapsed().as_secs_f64());
        }
        let t = Instant::now();
        let mut s = Summary::default();
        for l in &lines {
            if let Ok(c) = parse_row(l) {
                s.add(&c);
            }
        }
        if round == 1 {
            report("parse + aggregate (1 thread)", t.elapsed().as_secs_f64());
        }
    }
    fold(&lines);
}

/// Builds the row index of `lines`, then times adding up every row and every tenth row from it.
fn fold(lines: &[String]) {
    let mut index = RowIndex::default();
    for (i, l) in (1u64..).zip(lines) {
        if let Ok(c) = parse_row(l) {
            let at = RowRef::Line {
                number: i,
                offset: 0,
                len: 0,
            };
            index.push(&c, at, &RowStats::of(&c));
        }
    }
    let files = [("bench", &index)];
    for (label, step) in [("every row", 1), ("every tenth row", 10)] {
        let hits: Vec<Hit> = (0..index.rows.len())
            .step_by(step)
            .map(|row| Hit { file: 0, row })
            .collect();
        let mut best = f64::MAX;
        let rounds = std::env::var("FOLD_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(3);
        for _ in 0..rounds {
            let t = Instant::now();
            let shown = summarise(&files, &hits);
            std::hint::black_box(&shown);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "re-count from the index, {label:<16} {:>6.2} µs/row  ({} rows in {:.1} ms)",
            best * 1e6 / hits.len() as f64,
            hits.len(),
            best * 1e3
        );
    }
}
