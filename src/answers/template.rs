//! `aml-advisor template`: a commented answers file with every question, its choices, its
//! default and when it is asked. Questions with a default are commented out, so the file is
//! valid as soon as the required answers are filled in.

use std::fmt::Write;

use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{DefaultValue, QuestionKind};

use super::FORMAT_VERSION;

pub fn render(kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# aml-advisor answers file (knowledge base {}).", kb.meta.version);
    let _ = writeln!(
        out,
        "# Uncomment and edit the answers you want to set; anything left out takes its default,"
    );
    let _ = writeln!(
        out,
        "# and every default applied is listed as an assumption in the output."
    );
    let _ = writeln!(
        out,
        "# Validate and see the result: aml-advisor recommend --answers <this file>"
    );
    let _ = writeln!(
        out,
        "# Editor completion: save `aml-advisor schema` as answers.schema.json, then keep this line:"
    );
    let _ = writeln!(out, "# yaml-language-server: $schema=answers.schema.json");
    let _ = writeln!(out, "version: {FORMAT_VERSION}");
    let _ = writeln!(out, "answers:");
    let mut section = "";
    for question in &kb.questions {
        if question.section != section {
            section = &question.section;
            let title = kb.section(section).map_or(section, |s| s.title.as_str());
            let _ = writeln!(out, "\n  # ---- {title} ----");
        }
        let _ = writeln!(out, "\n  # {}", question.prompt);
        let kind = match question.kind {
            QuestionKind::Single => "one of",
            QuestionKind::Multi => "a list of any of",
            QuestionKind::Text => "text",
        };
        let _ = writeln!(out, "  # Type: {kind}");
        for choice in &question.choices {
            // Written as it must be typed: `"yes"`, not `yes`, which YAML 1.1 reads as true.
            let id = crate::yaml::scalar(&choice.id);
            let _ = writeln!(out, "  #   {id:<28} {}", choice.description);
        }
        if let Some(condition) = &question.asked_when {
            let _ = writeln!(out, "  # Asked when: {}", condition.describe());
        }
        match &question.default {
            Some(cases) => {
                for case in cases {
                    let value = match &case.value {
                        DefaultValue::One(value) => crate::yaml::scalar(value),
                        DefaultValue::Many(values) => crate::yaml::flow_list(values),
                    };
                    match &case.when {
                        Some(condition) => {
                            let _ = writeln!(out, "  # Default when {}: {value}", condition.describe());
                        }
                        None if cases.len() > 1 => {
                            let _ = writeln!(out, "  # Default otherwise: {value}");
                        }
                        None => {
                            let _ = writeln!(out, "  # Default: {value}");
                        }
                    }
                }
                let example = match cases.last().map(|c| &c.value) {
                    // A text default built from other answers is shown filled from their defaults,
                    // so that uncommenting the line gives a valid answer.
                    Some(DefaultValue::One(value)) if value.contains("${") => {
                        let filled = crate::placeholder::fill(value, |name| {
                            let other = kb.question(name)?.default.as_ref()?.last()?;
                            match &other.value {
                                DefaultValue::One(text) => Some(text.clone()),
                                DefaultValue::Many(_) => None,
                            }
                        });
                        if filled.contains("${") {
                            String::new()
                        } else {
                            crate::yaml::scalar(&filled)
                        }
                    }
                    Some(DefaultValue::One(value)) => crate::yaml::scalar(value),
                    Some(DefaultValue::Many(values)) => crate::yaml::flow_list(values),
                    None => String::new(),
                };
                let _ = writeln!(out, "  # {}: {example}", question.id);
            }
            // A required question asked only under some answers stays commented out: answering
            // it when it does not apply would only be reported as ignored.
            None if question.asked_when.is_some() => {
                let _ = writeln!(out, "  # REQUIRED when asked: no default.");
                let _ = writeln!(out, "  # {}: {}", question.id, empty_answer(question.kind));
            }
            None => {
                let note = match question.kind {
                    QuestionKind::Multi => "REQUIRED: no default; list the choices that apply ([] for none).",
                    _ => "REQUIRED: no default; the file is rejected until this is filled in.",
                };
                let _ = writeln!(out, "  # {note}");
                let _ = writeln!(out, "  {}: {}", question.id, empty_answer(question.kind));
            }
        }
    }
    out
}

/// The placeholder for a required answer: the right type, but empty, so the file is rejected
/// with a clear message until it is filled in.
fn empty_answer(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Multi => "[]",
        QuestionKind::Single | QuestionKind::Text => "\"\"",
    }
}
