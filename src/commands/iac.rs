//! `aml-advisor iac --answers FILE --target terraform|bicep --output-dir DIR`.

use std::path::Path;

use crate::answers::check::check;
use crate::cli::{IacArgs, IacTarget};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::evaluate;
use crate::failure::Failure;
use crate::iac::{self, Language};
use crate::knowledge::KnowledgeBase;

pub fn run(kb: &KnowledgeBase, args: &IacArgs) -> Result<(), Failure> {
    let (text, display) = super::read_answers_text(&args.answers)?;
    let checked = check(kb, &text, &display, args.strict).map_err(Failure::Invalid)?;
    let language = match args.target {
        IacTarget::Terraform => Language::Terraform,
        IacTarget::Bicep => Language::Bicep,
    };
    let written = write(kb, &checked.resolved, language, &args.output_dir, args.force)?;
    super::progress(&format!("wrote {written} files to {}", args.output_dir.display()));
    Ok(())
}

/// Generates the design in `language` and writes it to `dir`; shared with the interview's
/// export dialog. Returns the number of files written.
pub fn write(
    kb: &KnowledgeBase,
    answers: &crate::answers::Resolved,
    language: Language,
    dir: &Path,
    force: bool,
) -> Result<usize, Failure> {
    let recommendation = evaluate(kb, answers);
    let files = iac::generate(kb, answers, &recommendation, language).map_err(|error| {
        Failure::Invalid(Diagnostics(vec![Diagnostic::new(
            "knowledge base",
            1,
            1,
            error.to_string(),
        )]))
    })?;
    let files: Vec<(String, String)> = files.into_iter().map(|file| (file.name, file.content)).collect();
    crate::output_dir::write_dir(dir, &files, force)?;
    Ok(files.len())
}
