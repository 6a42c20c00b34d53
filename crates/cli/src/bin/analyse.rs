//! Native command line over the same core as the browser: `analyse FILE...` prints, as JSON, each
//! file's report, the totals, and the headline figures under the names the page's `data-metric`
//! hooks use (the end-to-end tests compare the two). With `--search PATTERN [--scope S] [--regex]`
//! it also lists, per file, the rows whose trajectory matches (as the explorer's search does).
//! With `--filter FRAGMENT` (the page's URL fragment, e.g. `tool=terminal&first=3000`) the
//! report and metrics are over the rows that filter selects, as the page's dashboard shows them.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use agent_traces::explore::{Query, Scope};
    use agent_traces::pipeline::{analyse, search, Totals};
    use std::sync::Arc;

    let mut paths: Vec<String> = Vec::new();
    let mut query: Option<Query> = None;
    let mut filter = agent_traces::explore::Filter::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--search" => {
                query.get_or_insert_with(Query::default).pattern = args.next().unwrap_or_default()
            }
            "--regex" => query.get_or_insert_with(Query::default).regex = true,
            "--filter" => {
                let fragment = args.next().unwrap_or_default();
                filter = agent_traces::explore::ViewState::decode(&fragment).filter;
            }
            "--scope" => {
                let scope = args
                    .next()
                    .and_then(|s| Scope::parse(&s))
                    .unwrap_or_default();
                query.get_or_insert_with(Query::default).scope = scope;
            }
            _ => paths.push(a),
        }
    }
    if paths.is_empty() || paths.iter().any(|p| p == "-h" || p == "--help") {
        eprintln!("usage: analyse FILE... [--search PATTERN [--scope any|reasoning|calls|responses|user] [--regex]] [--filter FRAGMENT]");
        eprintln!("       (JSONL, JSONL.gz, a JSON array or objects, or Parquet; prints JSON)");
        std::process::exit(2);
    }
    if let Some(Err(e)) = query.as_ref().map(agent_traces::explore::Matcher::new) {
        eprintln!("{e}");
        std::process::exit(2);
    }
    let mut searched = serde_json::Map::new();
    let mut reports = Vec::new();
    let mut indexes = Vec::new();
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
        let analysis = analyse(&file, &name);
        reports.push(analysis.report);
        indexes.push(analysis.index);
        if let Some(q) = &query {
            let found = match search(&file, &name, q, &mut |_, _| true) {
                Ok((_, found)) => found,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            };
            searched.insert(name.clone(), serde_json::json!(found));
        }
    }
    let total = Totals::of(&reports);
    // Sources as the page groups them by default: files sharing a label from their names.
    let labels: Vec<String> = reports
        .iter()
        .map(|r| agent_traces::ingest::source_label(&r.name))
        .collect();
    let files: Vec<(&str, &agent_traces::index::RowIndex)> =
        labels.iter().map(String::as_str).zip(&indexes).collect();
    let hits = agent_traces::explore::select(
        &files,
        &filter,
        agent_traces::explore::SortKey::Position,
        false,
    );
    let shown = agent_traces::explore::summarise(&files, &hits);
    let s = &shown.total;
    let selection = filter.fragment();
    let report = agent_traces::stats::report::report(
        s,
        shown.sources.iter().map(|(l, s)| (l.as_str(), s)),
        &selection,
    );
    let out = serde_json::json!({
        "metrics": {
            "rows": s.rows,
            "turns": s.turns,
            "tool_calls": s.strict.tool_calls,
            "avg_turns": s.avg_turns(),
            "avg_tool_calls": s.avg_tool_calls(agent_traces::stats::Mode::Strict),
            "rows_read": total.rows_read,
            "rows_analysed": total.rows_analysed,
            "rows_skipped": total.rows_skipped_total(),
        },
        "report": report,
        "total": total,
        "files": reports,
        "search": searched,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
