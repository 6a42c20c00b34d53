//! `cargo bench --bench core -- [--json OUT] [--threads N] [--rounds R] FILE...`: the native
//! core on real files, as the browser reads them: parse + aggregate (`pipeline::analyse_with`) on one
//! thread and on N threads over byte ranges / row groups (`Part`), and every SFT export format
//! (parse + write). Prints figures and writes them as JSON for `bench/table.py`; asserts nothing.
//!
//! `--no-export` skips the export figures (to profile parse + aggregate alone).
//!
//! Each figure is the best of R rounds (default 2): on a shared, noisy machine the fastest round
//! is the one least disturbed by other work.

use std::fs::File;
use std::sync::Arc;
use std::time::Instant;

use agent_traces::export::{ExportOptions, Exporter, Format, Manifest};
use agent_traces::ingest::Part;
use agent_traces::pipeline::{analyse_with, export_file, Exporting, FileReport};
use serde_json::{json, Value};

/// Output is flushed (dropped) in parts of this size, as the worker hands 8 MiB parts to the page.
const OUT_PART: usize = 8 << 20;

fn analyse_parts(file: &Arc<File>, name: &str, count: u32) -> FileReport {
    let reports: Vec<FileReport> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..count)
            .map(|index| {
                let file = file.clone();
                s.spawn(move || {
                    analyse_with(&file, name, Part { index, count }, &mut |_| true).report
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a part panicked"))
            .collect()
    });
    let mut it = reports.into_iter();
    let mut whole = it.next().expect("one part at least");
    for r in it {
        whole.absorb(r);
    }
    whole
}

/// Parse + write one format with default options, dropping the output in `OUT_PART` parts.
fn export(file: &Arc<File>, name: &str, format: Format) -> Manifest {
    let mut exporter = Exporter::new(ExportOptions {
        format,
        ..ExportOptions::default()
    });
    export_file(
        file,
        &mut Exporting {
            exporter: &mut exporter,
            name,
            only: None,
            base: 0,
            part_bytes: OUT_PART,
            output: &mut drop,
            on_progress: &mut |_, _| true,
        },
    );
    exporter.finish().0
}

/// CPU seconds used by this process so far, all threads (user + system, from /proc; 0 where
/// there is none). Unlike wall time it hardly moves when other work shares the machine.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    ticks as f64 / 100.0 // USER_HZ is 100 on Linux
}

/// Runs `f` `rounds` times; the fastest round's wall seconds, CPU seconds and result.
fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut best: Option<(f64, f64, T)> = None;
    for _ in 0..rounds.max(1) {
        let c = cpu_secs();
        let t = Instant::now();
        let v = f();
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_secs() - c;
        if best.as_ref().is_none_or(|(b, _, _)| secs < *b) {
            best = Some((secs, cpu, v));
        }
    }
    best.expect("one round at least")
}

fn figure(label: &str, bytes: u64, rows: u64, secs: f64, cpu: f64) -> Value {
    let mbps = bytes as f64 / 1e6 / secs;
    let per_cpu = (cpu > 0.0).then(|| bytes as f64 / 1e6 / cpu);
    println!(
        "  {label:<34} {mbps:>8.1} MB/s {:>10.0} rows/s  ({secs:.3} s; {:.1} MB per CPU-second)",
        rows as f64 / secs,
        per_cpu.unwrap_or(0.0)
    );
    json!({"secs": secs, "cpu_secs": cpu, "mb_per_s": mbps, "mb_per_cpu_s": per_cpu,
        "rows_per_s": rows as f64 / secs, "bytes": bytes, "rows": rows})
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<String> = None;
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    let mut rounds = 2usize;
    let mut files = Vec::new();
    let mut with_export = true;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => {}
            "--no-export" => with_export = false,
            "--json" => out = args.next(),
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(threads),
            "--rounds" => rounds = args.next().and_then(|v| v.parse().ok()).unwrap_or(rounds),
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!(
            "usage: cargo bench --bench core -- [--json OUT] [--threads N] [--rounds R] FILE..."
        );
        std::process::exit(2);
    }
    let mut results = serde_json::Map::new();
    for path in &files {
        let file = Arc::new(File::open(path).unwrap_or_else(|e| panic!("{path}: {e}")));
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        println!("{name} ({:.1} MB)", bytes as f64 / 1e6);
        let mut r = serde_json::Map::new();
        let (secs, cpu, rep) = best(rounds, || analyse_parts(&file, &name, 1));
        let rows = rep.rows_read;
        r.insert(
            "analyse_1".into(),
            figure("parse + aggregate, 1 thread", bytes, rows, secs, cpu),
        );
        let (secs, cpu, rep_n) = best(rounds, || analyse_parts(&file, &name, threads));
        assert_eq!(
            (rep_n.rows_read, rep_n.summary.strict.tool_calls),
            (rep.rows_read, rep.summary.strict.tool_calls),
            "a split read changed the figures"
        );
        r.insert(
            "analyse_n".into(),
            figure(
                &format!("parse + aggregate, {threads} threads"),
                bytes,
                rows,
                secs,
                cpu,
            ),
        );
        let mut exports = serde_json::Map::new();
        for format in Format::ALL.into_iter().filter(|_| with_export) {
            let (secs, cpu, m) = best(rounds, || export(&file, &name, format));
            let format = format.as_str();
            let mut v = figure(
                &format!("export {format}, 1 thread"),
                bytes,
                rows,
                secs,
                cpu,
            );
            v["bytes_written"] = json!(m.bytes_written);
            v["rows_written"] = json!(m.rows_written);
            exports.insert(format.into(), v);
        }
        r.insert("export".into(), Value::Object(exports));
        r.insert("threads".into(), json!(threads));
        r.insert("bytes".into(), json!(bytes));
        r.insert("rows".into(), json!(rows));
        r.insert("tool_calls".into(), json!(rep.summary.strict.tool_calls));
        // The notebook's figures (tutorial mode), which the peers in bench/ must equal.
        let s = &rep.summary;
        r.insert(
            "tutorial".into(),
            json!({"rows": s.rows, "turns": s.turns, "tool_calls": s.tutorial.tool_calls,
                "think_blocks": s.tutorial.think_blocks, "tool_counts": s.tutorial.tool_counts}),
        );
        results.insert(name, Value::Object(r));
    }
    if let Some(out) = out {
        let text = serde_json::to_string_pretty(&Value::Object(results)).unwrap_or_default();
        std::fs::write(&out, text).unwrap_or_else(|e| panic!("{out}: {e}"));
    }
}
