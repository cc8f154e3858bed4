//! `aml-advisor schema [answers|recommendation]`: the JSON Schema of the answers file, or of
//! the `recommend --format json` output.

use std::path::Path;

use crate::cli::SchemaOf;
use crate::failure::Failure;
use crate::knowledge::KnowledgeBase;

pub fn run(knowledge_dir: Option<&Path>, of: SchemaOf) -> Result<(), Failure> {
    let schema = match of {
        SchemaOf::Answers => crate::answers::schema::schema(&KnowledgeBase::load(knowledge_dir)?),
        SchemaOf::Recommendation => crate::render::json::schema(),
    };
    let text = serde_json::to_string_pretty(&schema).map_err(|e| Failure::Io(e.to_string()))?;
    super::print(&format!("{text}\n"))
}
