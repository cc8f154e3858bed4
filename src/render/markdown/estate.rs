//! The design record's "Current estate and drift" section, written when the recommendation
//! assesses a deployed estate (`assess`): where the answers came from, each setting or resource
//! that differs from the design with the step that closes it, and what the estate shows that no
//! answer covers.

use super::super::markdown_escape as esc;
use super::doc::Doc;
use super::inline::strong;
use crate::answers::AnswerValue;
use crate::engine::Recommendation;
use crate::estate::report::{AnswerOrigin, DerivedAnswer, EstateReport};
use crate::estate::scope::Evidence;

pub(super) fn estate_section(doc: &mut Doc, r: &Recommendation) {
    let Some(estate) = &r.estate else { return };
    doc.heading(2, "Current estate and drift");
    let files: Vec<String> = estate.files.iter().map(|file| esc::code_cell(file)).collect();
    doc.para(&format!(
        "Assessed from {}: workspace {} ({}, at {} in {}).",
        files.join(", "),
        strong(&estate.workspace.name, "the workspace"),
        esc::code_cell(&estate.workspace.id),
        esc::code_cell(&estate.workspace.path),
        esc::text(&estate.workspace.file),
    ));
    derived_answers(doc, r, estate);
    drift_table(doc, estate);
    estate_findings(doc, estate);
    if !estate.settled.is_empty() {
        doc.para("Settled by what is deployed (findings about these are withdrawn, steps for them are done):");
        let items: Vec<String> = estate
            .settled
            .iter()
            .map(|settled| {
                let mut item = esc::text(&settled.note);
                if !settled.withdrawn_findings.is_empty() {
                    let titles: Vec<String> = settled
                        .withdrawn_findings
                        .iter()
                        .map(|t| format!("“{}”", esc::text(t)))
                        .collect();
                    item.push_str(&format!(" Withdrawn: {}.", titles.join(", ")));
                }
                if let Some(first) = settled.evidence.first() {
                    item.push_str(&format!(" ({})", evidence(first)));
                }
                item
            })
            .collect();
        doc.list(&items);
    }
    if !estate.not_checked.is_empty() {
        doc.para("Not compared, because the estate files hold no resource of the kind needed:");
        let items: Vec<String> = estate
            .not_checked
            .iter()
            .map(|item| {
                let what: Vec<String> = item.what.iter().map(|what| esc::text(what)).collect();
                format!("no {}: {}", esc::text(&item.needs), what.join(", "))
            })
            .collect();
        doc.list(&items);
    }
    if !estate.ignored_types.is_empty() {
        let items: Vec<String> = estate
            .ignored_types
            .iter()
            .map(|ignored| format!("{}: {}", esc::code_cell(&ignored.arm_type), ignored.count))
            .collect();
        doc.para("Resource types in the files that the advisor does not read (ignored):");
        doc.list(&items);
    }
}

fn derived_answers(doc: &mut Doc, r: &Recommendation, estate: &EstateReport) {
    if estate.derived_answers.is_empty() {
        doc.para("The estate determined no answers; every answer comes from the answers file or a default.");
        return;
    }
    doc.para("Answers read from the estate, each with the value it rests on:");
    let items: Vec<String> = estate
        .derived_answers
        .iter()
        .map(|answer| derived_item(r, answer))
        .collect();
    doc.list(&items);
}

fn derived_item(r: &Recommendation, answer: &DerivedAnswer) -> String {
    let label = |value: &AnswerValue| match value {
        AnswerValue::Choices(values) if values.is_empty() => "none".to_string(),
        other => esc::code_cell(&other.display()),
    };
    let evidence: Vec<String> = answer.evidence.iter().take(2).map(evidence).collect();
    let mut item = format!(
        "{}: {} ({})",
        esc::code_cell(&answer.question),
        label(&answer.value),
        if evidence.is_empty() {
            "from the estate".to_string()
        } else {
            evidence.join("; ")
        }
    );
    if answer.origin == AnswerOrigin::AnswersOverEstate {
        let chosen = r
            .answers
            .0
            .iter()
            .find(|(question, _)| question == &answer.question)
            .map(|(_, value)| label(value))
            .unwrap_or_else(|| "another value".to_string());
        item.push_str(&format!(
            ". The answers file asks for {chosen} instead: the drift below shows what that takes."
        ));
    }
    item
}

fn drift_table(doc: &mut Doc, estate: &EstateReport) {
    if estate.drift.is_empty() {
        doc.para(
            "No drift: every setting and resource the advisor compares matches the design these answers lead to \
             (answers that do not work together are in the findings).",
        );
        return;
    }
    doc.para(&format!(
        "{} differences from the recommended design ({} high, {} medium, {} low; {} one-way). The step \
         column names the next step that closes each one.",
        estate.drift.len(),
        estate.drift_count(crate::knowledge::estate::DriftSeverity::High),
        estate.drift_count(crate::knowledge::estate::DriftSeverity::Medium),
        estate.drift_count(crate::knowledge::estate::DriftSeverity::Low),
        estate.one_way_count(),
    ));
    let rows: Vec<Vec<String>> = estate
        .drift
        .iter()
        .map(|item| {
            let setting = if item.resource.is_empty() {
                esc::text(&item.setting)
            } else {
                format!("{} on {}", esc::text(&item.setting), esc::code_cell(&item.resource))
            };
            vec![
                setting,
                esc::code_cell(&item.deployed),
                esc::code_cell(&item.recommended),
                item.severity.label().to_string(),
                if item.one_way.is_some() {
                    "yes".into()
                } else {
                    "no".into()
                },
                match item.step_number {
                    Some(number) => format!("step {number}"),
                    None => "none in this plan".into(),
                },
            ]
        })
        .collect();
    doc.table(
        &["Setting", "Deployed", "Recommended", "Severity", "One-way", "Step"],
        &rows,
    );
    let doors: Vec<String> = estate
        .drift
        .iter()
        .filter_map(|item| {
            item.one_way
                .as_ref()
                .map(|why| format!("{}: {}", esc::text(&item.setting), esc::text(why)))
        })
        .collect();
    if !doors.is_empty() {
        doc.para("One-way doors among them:");
        doc.list(&doors);
    }
}

fn estate_findings(doc: &mut Doc, estate: &EstateReport) {
    if estate.findings.is_empty() {
        return;
    }
    doc.para("What the estate shows that no answer covers:");
    let items: Vec<String> = estate
        .findings
        .iter()
        .map(|finding| {
            let label = finding.severity.label();
            let evidence: Vec<String> = finding.evidence.iter().take(2).map(evidence).collect();
            format!(
                "**{label}: {}.** {} **Remedy:** {} (Evidence: {}.)",
                esc::text(finding.title.trim_end_matches('.')),
                esc::text(&finding.detail),
                esc::text(&finding.remedy),
                evidence.join("; ")
            )
        })
        .collect();
    doc.list(&items);
}

/// `estate.json:12 $.properties.publicNetworkAccess = Enabled`, paths and values as code.
pub(super) fn evidence(evidence: &Evidence) -> String {
    if evidence.line == 0 {
        format!("{}: {}", esc::text(&evidence.path), esc::text(&evidence.value))
    } else {
        format!(
            "{}:{} {} = {}",
            esc::text(&evidence.file),
            evidence.line,
            esc::code_cell(&evidence.path),
            esc::code_cell(&evidence.value)
        )
    }
}
