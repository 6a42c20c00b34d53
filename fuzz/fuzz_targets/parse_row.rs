//! Fuzzes the row parser (every dialect) and the aggregates and export built on it: no input may
//! panic, and spans must always lie inside their message.
#![no_main]

use agent_traces::trace::{parse_row, Segment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(conv) = parse_row(text) else { return };
    for m in &conv.messages {
        for s in &m.segments {
            let span = match s {
                Segment::Text(span) => *span,
                Segment::Reasoning(r) => r.span,
                Segment::ToolCall(c) => c.span,
                Segment::ToolResponse(r) => r.span,
            };
            assert!(span.end <= m.text.len() && m.text.is_char_boundary(span.start) && m.text.is_char_boundary(span.end));
        }
    }
    let mut summary = agent_traces::stats::Summary::default();
    summary.add(&conv);
    for format in agent_traces::export::Format::ALL {
        let opts = agent_traces::export::ExportOptions {
            format,
            ..Default::default()
        };
        let _ = agent_traces::export::export_row(&conv, &opts);
    }
});
