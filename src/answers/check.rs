//! The whole check of an answers file: parse, resolve, and the rules that need both (required
//! answers, `--strict`). What `recommend`, the interview's `--answers` and fleet mode share.

use super::{Given, Resolved, parse, resolve};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::knowledge::KnowledgeBase;
use crate::locate::SourceText;

/// A checked answers file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub given: Given,
    pub resolved: Resolved,
}

pub fn check(kb: &KnowledgeBase, text: &str, file: &str, strict: bool) -> Result<Checked, Diagnostics> {
    let given = parse(kb, text, file)?;
    let resolved = resolve(kb, &given);
    let position = SourceText::new(text).key("answers", 1).unwrap_or((1, 1));
    let mut problems = Diagnostics::default();
    for id in &resolved.missing {
        // The file did answer it, with a choice that cannot be used here: say so, at its line.
        if let Some(ignored) = resolved.ignored.iter().find(|ignored| &ignored.question == id) {
            let (line, column) = SourceText::new(text).key(id, position.0 + 1).unwrap_or(position);
            problems.push(Diagnostic::new(
                file,
                line,
                column,
                format!(
                    "`{id}` value `{}` cannot be used: {}, and `{id}` has no default",
                    ignored.value.display(),
                    ignored.reason.trim_end_matches("; the default applies instead")
                ),
            ));
            continue;
        }
        let example = match (
            kb.question(id).and_then(|q| q.text.as_ref()).map(|r| r.kind),
            kb.regions.first(),
        ) {
            (Some(crate::knowledge::model::TextKind::Region), Some(region)) => {
                format!(" such as `{id}: {}`", region.id)
            }
            _ => String::new(),
        };
        problems.push(Diagnostic::new(
            file,
            position.0,
            position.1,
            format!("`{id}` is required and has no default; add it under `answers:`{example}"),
        ));
    }
    if strict {
        for assumption in &resolved.assumptions {
            problems.push(Diagnostic::new(
                file,
                position.0,
                position.1,
                format!(
                    "`{}` is not answered (--strict); its default would be `{}`",
                    assumption.question,
                    assumption.value.display()
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(Checked { given, resolved })
    } else {
        Err(problems)
    }
}
