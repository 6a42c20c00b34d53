//! The tags the trace format marks its segments with, and the search for them: every scanner
//! and the notebook's rules find tags through `find`, whose searchers are built once.

use super::flags::Flags;

pub const THINK_OPEN: &str = "<think>";
pub const THINK_CLOSE: &str = "</think>";
pub const CALL_OPEN: &str = "<tool_call>";
pub const CALL_CLOSE: &str = "</tool_call>";
pub const RESPONSE_OPEN: &str = "<tool_response>";
pub const RESPONSE_CLOSE: &str = "</tool_response>";

/// `text[from..].find(needle)` as an absolute offset (memchr's SIMD search; `str::find` uses the
/// slower Two-Way search, which showed in profiles). The tags have prebuilt searchers:
/// `memmem::find` builds one per call, which was 9% of the core's instructions.
pub fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static TAGS: LazyLock<[Finder<'static>; 6]> = LazyLock::new(|| {
        [
            THINK_OPEN,
            THINK_CLOSE,
            CALL_OPEN,
            CALL_CLOSE,
            RESPONSE_OPEN,
            RESPONSE_CLOSE,
        ]
        .map(|t| Finder::new(t.as_bytes()))
    });
    let hay = &text.as_bytes()[from..];
    let tag = match needle {
        THINK_OPEN => 0,
        THINK_CLOSE => 1,
        CALL_OPEN => 2,
        CALL_CLOSE => 3,
        RESPONSE_OPEN => 4,
        RESPONSE_CLOSE => 5,
        _ => return memchr::memmem::find(hay, needle.as_bytes()).map(|i| from + i),
    };
    TAGS[tag].find(hay).map(|i| from + i)
}

/// Where a block ends when its payload ends at `after`: past `close` when only whitespace comes
/// before it, or at the end of `text` (with `unclosed`) when nothing but whitespace is left;
/// `None` when other text follows the payload.
pub fn block_end(text: &str, after: usize, close: &str, unclosed: Flags) -> Option<(usize, Flags)> {
    let rest = text[after..].trim_start();
    if rest.starts_with(close) {
        Some((text.len() - rest.len() + close.len(), Flags::empty()))
    } else if rest.is_empty() {
        Some((text.len(), unclosed))
    } else {
        None
    }
}
