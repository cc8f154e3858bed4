//! The plan (next steps by phase) and the record's closing sections: assumptions, answers
//! and references.

use super::doc::Doc;
use super::inline::{answer, join_and, labelled, or_placeholder};
use crate::answers::AnswerValue;
use crate::engine::Recommendation;
use crate::engine::recommendation::{SourceRef, StepOutcome, describe_need};
use crate::knowledge::model::SourceStatus;
use crate::render::markdown_escape as esc;

pub(super) fn steps_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Next steps");
    if r.next_steps.is_empty() {
        doc.para("No next steps: the knowledge base names none for these answers.");
        return;
    }
    let mut intro = esc::text(&r.report_text.next_steps_intro);
    if r.next_steps
        .iter()
        .filter_map(|s| s.command.as_deref())
        .any(|c| c.contains('<'))
    {
        intro.push_str(&format!(
            " Commands use placeholders in angle brackets, such as {}, for values the advisor does not \
             know; replace them before running a command.",
            esc::text("<subscription-id>")
        ));
    }
    doc.para(&intro);
    if !r.plan_inputs.is_empty() {
        doc.para("Before the first step, these must exist:");
        let inputs: Vec<String> = r
            .plan_inputs
            .iter()
            .map(|input| esc::text(&input.description))
            .collect();
        doc.list(&inputs);
    }
    let mut phase: Option<&str> = None;
    let mut number = 0;
    for (index, step) in r.next_steps.iter().enumerate() {
        if phase != Some(step.phase.as_str()) {
            phase = Some(step.phase.as_str());
            number += 1;
            doc.heading(
                3,
                &format!(
                    "Phase {number}: {}",
                    or_placeholder(&esc::text(&step.phase_title), &esc::text(&step.phase))
                ),
            );
            doc.start_list();
        }
        if let Some(evidence) = &step.done {
            // Already in place in the assessed estate: shown ticked, with its evidence, and
            // without the command, so nobody runs it twice.
            doc.item(
                0,
                "- [x]",
                &format!(
                    "**{}.** {} Already in place: {}.",
                    index + 1,
                    or_placeholder(&esc::text(&step.text), &esc::text(&step.id)),
                    super::estate::evidence(evidence)
                ),
            );
            continue;
        }
        doc.item(
            0,
            "- [ ]",
            &format!(
                "**{}.** {}",
                index + 1,
                or_placeholder(&esc::text(&step.text), &esc::text(&step.id))
            ),
        );
        if !step.uses.is_empty() {
            doc.continuation("  ", &format!("Needs {}.", join_and(&needs(r, step))));
        }
        if let Some(command) = &step.command {
            doc.code_block("  ", "sh", command);
        }
        if let Some(file) = &step.file {
            doc.continuation("  ", &format!("File {}:", esc::text(&file.name)));
            doc.code_block("  ", file_language(&file.name), &file.content);
        }
    }
}

/// Each resource a step uses, with the step that creates it (by its number in the plan).
fn needs(r: &Recommendation, step: &StepOutcome) -> Vec<String> {
    r.needs(step)
        .map(|(description, creator)| describe_need(&esc::text(description), creator))
        .collect()
}

/// The code fence's language for a file the plan shows.
fn file_language(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("yml" | "yaml") => "yaml",
        Some("json") => "json",
        _ if name == "Dockerfile" => "dockerfile",
        _ => "text",
    }
}

pub(super) fn assumptions_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Assumptions and ignored answers");
    doc.heading(3, "Defaults applied");
    if r.assumptions.is_empty() {
        doc.para("None: every applicable question was answered.");
    } else {
        doc.para("These questions were not answered, so their defaults were assumed:");
        let items: Vec<String> = r
            .assumptions
            .iter()
            .map(|a| item_with_reason(&a.question, &a.value, &a.reason))
            .collect();
        doc.list(&items);
    }
    doc.heading(3, "Ignored answers");
    if r.ignored_answers.is_empty() {
        doc.para("None: every answer given applies.");
    } else {
        doc.para("These answers were given but do not apply under the other answers:");
        let items: Vec<String> = r
            .ignored_answers
            .iter()
            .map(|a| item_with_reason(&a.question, &a.value, &a.reason))
            .collect();
        doc.list(&items);
    }
}

fn item_with_reason(question: &str, value: &AnswerValue, reason: &str) -> String {
    let reason = esc::text(reason);
    let cause = format!("{} = {}", esc::identifier(question), answer(value));
    if reason.is_empty() {
        cause
    } else {
        format!("{cause}: {reason}")
    }
}

pub(super) fn answers_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Answers");
    if r.answers.0.is_empty() {
        doc.para("No answers apply.");
        return;
    }
    doc.para(&format!(
        "Every applicable question with its effective value, in interview order (answers hash {}).",
        esc::code(&r.answers_hash)
    ));
    let rows: Vec<Vec<String>> = r
        .answered_questions
        .iter()
        .map(|answered| {
            vec![
                esc::identifier(&answered.question),
                labelled(answered),
                if answered.assumed { "Default" } else { "Given" }.to_string(),
            ]
        })
        .collect();
    doc.table(&["Question", "Answer", "Given or default"], &rows);
}

pub(super) fn references_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "References");
    if r.sources.is_empty() {
        doc.para("No source is cited.");
        return;
    }
    doc.para(
        "Every source cited above, with the date it was last reviewed against the design. GA marks \
         generally available features; preview marks features in preview, which may change.",
    );
    let items: Vec<String> = r.sources.iter().map(reference).collect();
    doc.list(&items);
}

fn reference(source: &SourceRef) -> String {
    let id = esc::identifier(&source.id);
    let title = or_placeholder(&esc::text(&source.title), "(untitled)");
    let cited = match esc::https_url(&source.location) {
        Some(url) => format!("[{title}]({url})"),
        None => {
            let location = esc::identifier(&source.location);
            if location.is_empty() {
                title
            } else {
                format!("{title}, {location}")
            }
        }
    };
    let status = match source.status {
        SourceStatus::Ga => "GA",
        SourceStatus::Preview => "preview",
    };
    let reviewed = esc::text(&source.reviewed);
    let when = if reviewed.is_empty() {
        format!("{status}.")
    } else {
        format!("reviewed {reviewed}, {status}.")
    };
    if id.is_empty() {
        format!("{cited}; {when}")
    } else {
        format!("{id}: {cited}; {when}")
    }
}
