//! `aml-advisor recommend --answers FILE`.

use crate::answers::check::check;
use crate::cli::{Format, RecommendArgs};
use crate::engine::{Recommendation, evaluate};
use crate::failure::Failure;
use crate::knowledge::KnowledgeBase;
use crate::output::write_file;
use crate::render;

pub fn run(kb: &KnowledgeBase, args: &RecommendArgs) -> Result<(), Failure> {
    if args.answers.is_dir() || args.output_dir.is_some() {
        return super::fleet::run(kb, args);
    }
    if let Some(output) = &args.output
        && crate::output::same_file(&args.answers, output)
    {
        return Err(Failure::Usage(format!(
            "--output {} is the answers file itself; write the result to another file",
            output.display()
        )));
    }
    let (text, display) = super::read_answers_text(&args.answers)?;
    let checked = check(kb, &text, &display, args.strict).map_err(Failure::Invalid)?;
    let recommendation = evaluate(kb, &checked.resolved);
    let rendered = render_with(&recommendation, args.format, &record_context(args.format)?);
    match &args.output {
        Some(path) => {
            write_file(path, rendered.as_bytes(), args.force)?;
            super::progress(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => super::print(&rendered),
    }
}

/// The record context, which only Markdown uses: `SOURCE_DATE_EPOCH` is checked only when it
/// matters, so a stray value does not break a text or JSON run.
pub fn record_context(format: Format) -> Result<render::markdown::RecordContext, Failure> {
    match format {
        Format::Markdown => render::markdown::RecordContext::from_environment().map_err(Failure::Usage),
        Format::Text | Format::Json => Ok(render::markdown::RecordContext {
            date: String::new(),
            tool_version: String::new(),
        }),
    }
}

/// Renders in `format`; the record context (date, tool version) is only used by Markdown.
pub fn render_with(
    recommendation: &Recommendation,
    format: Format,
    context: &render::markdown::RecordContext,
) -> String {
    match format {
        Format::Text => render::text::render(recommendation),
        Format::Json => render::json::render(recommendation),
        Format::Markdown => render::markdown::render(recommendation, context),
    }
}
