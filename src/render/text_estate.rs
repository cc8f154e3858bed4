//! The text output's CURRENT ESTATE AND DRIFT section (see `markdown_estate` for the record's).

use std::fmt::Write;

use super::text::WIDTH;
use super::wrap::paragraph;
use crate::answers::AnswerValue;
use crate::engine::Recommendation;
use crate::estate::report::AnswerOrigin;
use crate::knowledge::estate::DriftSeverity;
use crate::sanitize::strip_controls;

pub(super) fn estate_section(out: &mut String, r: &Recommendation) {
    let Some(estate) = &r.estate else { return };
    let _ = writeln!(
        out,
        "CURRENT ESTATE AND DRIFT ({} high, {} medium, {} low; {} one-way)",
        estate.drift_count(DriftSeverity::High),
        estate.drift_count(DriftSeverity::Medium),
        estate.drift_count(DriftSeverity::Low),
        estate.one_way_count()
    );
    out.push_str(&paragraph(
        &format!(
            "Workspace {} ({}), from {}",
            strip_controls(&estate.workspace.name),
            strip_controls(&estate.workspace.id),
            strip_controls(&estate.files.join(", "))
        ),
        WIDTH,
        "  ",
        "  ",
    ));
    if !estate.derived_answers.is_empty() {
        out.push_str("  Answers read from the estate:\n");
        for answer in &estate.derived_answers {
            let value = match &answer.value {
                AnswerValue::Choices(values) if values.is_empty() => "none".to_string(),
                other => other.display(),
            };
            let evidence = answer
                .evidence
                .first()
                .map(|e| strip_controls(&e.describe()))
                .unwrap_or_default();
            let overridden = if answer.origin == AnswerOrigin::AnswersOverEstate {
                " (the answers file asks otherwise)"
            } else {
                ""
            };
            out.push_str(&paragraph(
                &format!(
                    "{} = {}{overridden} [{evidence}]",
                    answer.question,
                    strip_controls(&value)
                ),
                WIDTH,
                "    - ",
                "      ",
            ));
        }
    }
    if estate.drift.is_empty() {
        out.push_str("  No drift: everything compared matches the design these answers lead to.\n");
    } else {
        out.push_str("  Drift (deployed → recommended):\n");
    }
    for item in &estate.drift {
        let on = if item.resource.is_empty() {
            String::new()
        } else {
            format!(" on {}", strip_controls(&item.resource))
        };
        let step = match item.step_number {
            Some(number) => format!("closed by step {number}"),
            None => "no step in this plan closes it".to_string(),
        };
        out.push_str(&paragraph(
            &format!(
                "[{}] {}{on}: {} → {}; {step}",
                item.severity.label().to_uppercase(),
                item.setting,
                strip_controls(&item.deployed),
                strip_controls(&item.recommended)
            ),
            WIDTH,
            "    - ",
            "      ",
        ));
        if let Some(why) = &item.one_way {
            out.push_str(&paragraph(&format!("ONE-WAY: {why}"), WIDTH, "      ", "      "));
        }
    }
    if !estate.findings.is_empty() {
        out.push_str("  What the estate shows that no answer covers:\n");
    }
    for finding in &estate.findings {
        let label = finding.severity.label().to_uppercase();
        out.push_str(&paragraph(
            &format!("[{label}] {} ({})", finding.title, finding.id),
            WIDTH,
            "    - ",
            "      ",
        ));
        out.push_str(&paragraph(&finding.detail, WIDTH, "      ", "      "));
        out.push_str(&paragraph(
            &format!("Remedy: {}", finding.remedy),
            WIDTH,
            "      ",
            "      ",
        ));
        for evidence in finding.evidence.iter().take(2) {
            out.push_str(&paragraph(
                &format!("evidence: {}", strip_controls(&evidence.describe())),
                WIDTH,
                "      ",
                "      ",
            ));
        }
    }
    if !estate.settled.is_empty() {
        out.push_str("  Settled by what is deployed:\n");
        for settled in &estate.settled {
            let mut line = settled.note.clone();
            if !settled.withdrawn_findings.is_empty() {
                line.push_str(&format!(" Withdrawn: {}.", settled.withdrawn_findings.join("; ")));
            }
            out.push_str(&paragraph(&line, WIDTH, "    - ", "      "));
        }
    }
    if !estate.not_checked.is_empty() {
        out.push_str("  Not compared (the estate files hold none of the kind needed):\n");
        for item in &estate.not_checked {
            out.push_str(&paragraph(
                &format!("no {}: {}", item.needs, item.what.join(", ")),
                WIDTH,
                "    - ",
                "      ",
            ));
        }
    }
    if !estate.ignored_types.is_empty() {
        let listed: Vec<String> = estate
            .ignored_types
            .iter()
            .map(|t| format!("{} ({})", strip_controls(&t.arm_type), t.count))
            .collect();
        out.push_str(&paragraph(
            &format!("Ignored resource types: {}", listed.join(", ")),
            WIDTH,
            "  ",
            "  ",
        ));
    }
    out.push('\n');
}
