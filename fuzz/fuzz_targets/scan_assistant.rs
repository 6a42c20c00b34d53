//! Fuzzes the assistant and tool scanners and the tutorial's regex emulation on raw text.
#![no_main]

use agent_traces::stats::tutorial;
use agent_traces::trace::{assistant::scan_assistant, tool::scan_tool};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = scan_assistant(text);
    let _ = scan_tool(text);
    let _ = tutorial::call_matches(text);
    let _ = tutorial::think_matches(text);
    let _ = tutorial::message_is_error(text);
    let _ = tutorial::answer_text(text);
});
