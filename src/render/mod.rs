//! Outputs of a recommendation. Each renderer only reads the `Recommendation`; none decides
//! anything, so every format reports the same content.

pub mod json;
pub mod markdown;
pub mod markdown_escape;
pub mod mermaid;
pub mod text;
mod text_estate;
mod wrap;

pub use wrap::shell_lines;
