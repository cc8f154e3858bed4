//! What the export and save dialogs write: the design record is exactly what
//! `recommend --format markdown` prints for the saved answers (same renderer, same
//! `RecordContext`, so `SOURCE_DATE_EPOCH` applies to both); the Terraform and Bicep folders are
//! exactly what `aml-advisor iac` writes.

use crate::answers::{Given, Resolved, to_yaml};
use crate::engine::Recommendation;
use crate::knowledge::KnowledgeBase;
use crate::render;

use super::flow::file_stem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The design record.
    Record,
    /// The answers file.
    Answers,
    /// The design as Terraform (a folder).
    Terraform,
    /// The design as Bicep (a folder).
    Bicep,
}

impl Purpose {
    pub fn title(self) -> &'static str {
        match self {
            Purpose::Record => "Export the design record",
            Purpose::Answers => "Save the answers",
            Purpose::Terraform => "Export as Terraform",
            Purpose::Bicep => "Export as Bicep",
        }
    }

    /// The next export format (Tab in the export dialog); saving answers has no alternative.
    pub fn next_export(self) -> Self {
        match self {
            Purpose::Record => Purpose::Terraform,
            Purpose::Terraform => Purpose::Bicep,
            Purpose::Bicep => Purpose::Record,
            Purpose::Answers => Purpose::Answers,
        }
    }

    /// The infrastructure-as-code language, for the folder exports.
    pub fn language(self) -> Option<crate::iac::Language> {
        match self {
            Purpose::Terraform => Some(crate::iac::Language::Terraform),
            Purpose::Bicep => Some(crate::iac::Language::Bicep),
            Purpose::Record | Purpose::Answers => None,
        }
    }
}

/// The design record (Markdown), dated from `SOURCE_DATE_EPOCH` or today; an invalid
/// `SOURCE_DATE_EPOCH` is the error.
pub fn record(recommendation: &Recommendation) -> Result<String, String> {
    let context = render::markdown::RecordContext::from_environment()?;
    Ok(render::markdown::render(recommendation, &context))
}

/// The file name a dialog proposes.
pub fn default_file(purpose: Purpose, resolved: &Resolved) -> String {
    let stem = file_stem(resolved);
    match purpose {
        Purpose::Record => format!("{stem}-design-record.md"),
        Purpose::Answers => format!("{stem}.answers.yaml"),
        Purpose::Terraform => format!("{stem}-terraform"),
        Purpose::Bicep => format!("{stem}-bicep"),
    }
}

/// The files of the design as Terraform or Bicep: what `aml-advisor iac` writes.
pub fn infrastructure(
    kb: &KnowledgeBase,
    resolved: &Resolved,
    recommendation: &Recommendation,
    language: crate::iac::Language,
) -> Result<Vec<(String, String)>, String> {
    crate::iac::generate(kb, resolved, recommendation, language)
        .map(|files| files.into_iter().map(|file| (file.name, file.content)).collect())
        .map_err(|error| error.to_string())
}

/// The answers file the save dialog writes.
pub fn answers_file(kb: &KnowledgeBase, given: &Given) -> String {
    let header = format!(
        "Answers for aml-advisor {} (knowledge base {}).\n\
         Recommendation: aml-advisor recommend --answers <this file>\n\
         Review or change them: aml-advisor interview --answers <this file>",
        env!("CARGO_PKG_VERSION"),
        kb.meta.version
    );
    to_yaml(kb, given, &header)
}
