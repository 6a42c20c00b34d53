//! The trace model and its parsers: rows of every supported dialect become `Conversation`s whose
//! messages are split, JSON-aware, into reasoning, text, tool calls and tool responses; responses
//! are paired with their calls and classified by named failure rules. Plain Rust, no web crates.

pub mod assistant;
pub mod compact;
pub mod failure;
pub mod flags;
mod json_de;
pub mod json_prefix;
mod json_str;
pub mod model;
pub(crate) mod payloads;
pub mod row;
mod row_scan;
pub mod schema;
pub mod session;
pub mod tags;
pub mod tool;
pub mod tools;
mod value;
pub(crate) mod walk;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod strategies;

pub use flags::Flags;
pub use model::*;
pub use row::{
    conversation_from_parts, conversation_from_value, parse_row, sessions_of, ColumnMessage, Field,
    RowError, RowErrorKind,
};
