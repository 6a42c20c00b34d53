//! Native command line over the same core as the browser: `analyse FILE...` prints, as JSON, each
//! file's report, the totals, and the headline figures under the names the page's `data-metric`
//! hooks use (the end-to-end tests compare the two).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use agent_traces::ingest::{analyse, Totals};
    use std::sync::Arc;

    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() || paths.iter().any(|p| p == "-h" || p == "--help") {
        eprintln!("usage: analyse FILE...   (JSONL, JSONL.gz, JSON array or Parquet; prints JSON)");
        std::process::exit(2);
    }
    let mut reports = Vec::new();
    for path in &paths {
        let file = match std::fs::File::open(path) {
            Ok(f) => Arc::new(f),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        reports.push(analyse(&file, &name).report);
    }
    let total = Totals::of(&reports);
    let s = &total.summary;
    // Sources as the page groups them by default: files sharing a label from their names.
    let mut sources: Vec<(String, agent_traces::stats::Summary)> = Vec::new();
    for r in &reports {
        let label = agent_traces::ingest::source_label(&r.name);
        match sources.iter_mut().find(|(l, _)| *l == label) {
            Some((_, sum)) => sum.merge(&r.summary),
            None => sources.push((label, r.summary.clone())),
        }
    }
    let report =
        agent_traces::stats::report::report(s, sources.iter().map(|(l, s)| (l.as_str(), s)));
    let out = serde_json::json!({
        "metrics": {
            "rows": s.rows,
            "turns": s.turns,
            "tool_calls": s.tool_calls,
            "avg_turns": s.avg_turns(),
            "avg_tool_calls": s.avg_tool_calls(),
            "rows_read": total.rows_read,
            "rows_analysed": total.rows_analysed,
            "rows_skipped": total.rows_skipped_total(),
        },
        "report": report,
        "total": total,
        "files": reports,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
