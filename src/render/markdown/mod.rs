//! `recommend --format markdown` and the TUI's export: the design record, a MADR 4 decision
//! record with an architecture diagram that an administrator takes to the security review and
//! keeps in git next to the infrastructure code.
//!
//! `render` is pure: the same recommendation and context give the same bytes. Everything that
//! reaches the record goes through `markdown_escape` (prose, table cells, code, URLs, YAML,
//! Mermaid labels), whether it comes from the answers file or from the knowledge base. Prose is
//! wrapped at 100 columns; headings, tables and code blocks never are.

mod date;
mod doc;
mod estate;
mod inline;
mod plan;
mod tables;

use std::fmt::Write;

use super::markdown_escape::{self as esc, PROTECTED_SPACE};
use super::mermaid;
use crate::engine::Recommendation;
use crate::engine::recommendation::{Alternative, Cause, DecisionOutcome, FindingOutcome};
use crate::knowledge::model::Severity;
pub use date::{RecordContext, record_date, utc_date};
use doc::Doc;
use inline::{because_text, cause_text, causes, humanise, join_and, labelled, or_placeholder, strong};
use plan::{answers_section, assumptions_section, references_section, steps_section};
use tables::{dns_section, network_section, policy_section, role_section};

const WIDTH: usize = 100;

/// The design record for `recommendation`, made at `context`.
pub fn render(recommendation: &Recommendation, context: &RecordContext) -> String {
    let r = recommendation;
    let mut doc = Doc::default();
    front_matter(&mut doc, r, context);
    let workspace = or_placeholder(&esc::text(&r.workspace_name), "the workspace");
    doc.heading(
        1,
        &format!(
            "Secure network design for {workspace}: {}",
            or_placeholder(&esc::text(&r.architecture.title), &esc::text(&r.architecture.id))
        ),
    );
    context_section(&mut doc, r, context);
    drivers_section(&mut doc, r);
    considered_section(&mut doc, r);
    outcome_section(&mut doc, r);
    estate::estate_section(&mut doc, r);
    diagram_section(&mut doc, r);
    decisions_section(&mut doc, r);
    findings_section(&mut doc, r);
    network_section(&mut doc, r);
    dns_section(&mut doc, r);
    policy_section(&mut doc, r);
    role_section(&mut doc, r);
    steps_section(&mut doc, r);
    assumptions_section(&mut doc, r);
    answers_section(&mut doc, r);
    references_section(&mut doc, r);
    let mut out = doc.out.replace(PROTECTED_SPACE, " ");
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn front_matter(doc: &mut Doc, r: &Recommendation, context: &RecordContext) {
    let date = if is_iso_date(&context.date) {
        context.date.clone()
    } else {
        esc::yaml_string(&context.date)
    };
    let _ = write!(
        doc.out,
        "---\nstatus: proposed\ndate: {date}\nknowledge_version: {}\nknowledge_hash: {}\nanswers_hash: {}\n\
         tool_version: {}\nchecked_against: {}\n---\n",
        esc::yaml_string(&r.knowledge_version),
        esc::yaml_string(&r.knowledge_hash),
        esc::yaml_string(&r.answers_hash),
        esc::yaml_string(&context.tool_version),
        // The Azure CLI the commands were checked against (upstream/azure-cli-commands.json).
        esc::yaml_string(crate::upstream::cli::versions()),
    );
}

fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

fn context_section(doc: &mut Doc, r: &Recommendation, context: &RecordContext) {
    doc.heading(2, "Context and problem statement");
    // The problem itself is the knowledge base's wording; where the record came from is ours.
    doc.para(&format!(
        "{} aml-advisor {} wrote this record from knowledge base {} and the answers listed at the end; \
         it is proposed until the security review accepts it.",
        esc::text(&r.report_text.problem_statement),
        esc::text(&context.tool_version),
        esc::text(&r.knowledge_version),
    ));
    let given: Vec<String> = r
        .answered_questions
        .iter()
        .filter(|answered| answered.in_problem_statement)
        .map(|answered| format!("{}: {}", esc::text(&humanise(&answered.question)), labelled(answered)))
        .collect();
    if !given.is_empty() {
        doc.para("The context, as answered:");
        doc.list(&given);
    }
}

fn drivers_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Decision drivers");
    let mut drivers: Vec<Driver> = Vec::new();
    let a = &r.architecture;
    Driver::add(&mut drivers, &a.because, Effect::Decided("the architecture"));
    if let Some(variant) = &a.variant {
        Driver::add(&mut drivers, &variant.because, Effect::Decided("the variant"));
    }
    for finding in r.findings.iter().filter(|f| f.severity == Severity::Conflict) {
        let title = format!(
            "“{}”",
            or_placeholder(&esc::text(&finding.title), &esc::text(&finding.id))
        );
        Driver::add(&mut drivers, &finding.because, Effect::Caused(title));
    }
    if drivers.is_empty() {
        doc.para(
            "No answer narrowed the choice: the architecture is the one that applies when nothing rules \
             it out, and no answers conflict.",
        );
        return;
    }
    doc.para(if r.count(Severity::Conflict) > 0 {
        "These answers decided the architecture and caused the conflicts listed under Findings:"
    } else {
        "These answers decided the architecture:"
    });
    let items: Vec<String> = drivers.iter().map(Driver::describe).collect();
    doc.list(&items);
}

/// An answer that drove the choice, with what it decided and the conflicts it caused.
struct Driver<'r> {
    cause: &'r Cause,
    decided: Vec<&'static str>,
    conflicts: Vec<String>,
}

enum Effect {
    Decided(&'static str),
    /// A conflict's title, already escaped and quoted.
    Caused(String),
}

impl<'r> Driver<'r> {
    /// Records `effect` for each cause, one driver per question.
    fn add(drivers: &mut Vec<Driver<'r>>, causes: &'r [Cause], effect: Effect) {
        for cause in causes {
            let index = match drivers.iter().position(|d| d.cause.question == cause.question) {
                Some(index) => index,
                None => {
                    drivers.push(Driver {
                        cause,
                        decided: Vec::new(),
                        conflicts: Vec::new(),
                    });
                    drivers.len() - 1
                }
            };
            let driver = &mut drivers[index];
            match &effect {
                Effect::Decided(what) if !driver.decided.contains(what) => driver.decided.push(what),
                Effect::Caused(title) if !driver.conflicts.contains(title) => driver.conflicts.push(title.clone()),
                _ => {}
            }
        }
    }

    fn describe(&self) -> String {
        let mut effects = Vec::new();
        if !self.decided.is_empty() {
            effects.push(format!("decided {}", join_and(&self.decided)));
        }
        match self.conflicts.as_slice() {
            [] => {}
            [one] => effects.push(format!("caused the conflict {one}")),
            many => effects.push(format!("caused the conflicts {}", join_and(many))),
        }
        format!("{}, which {}", cause_text(self.cause), join_and(&effects))
    }
}

fn considered_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Considered options");
    doc.para(
        "Every option at each decision, with its good and bad points; the chosen option's own points \
         are under Decision outcome (the architecture) and Decisions by area (the rest).",
    );
    let a = &r.architecture;
    // "… options", so that these headings differ from those under Decisions by area.
    doc.heading(3, "Architecture options");
    doc.start_list();
    doc.item(
        0,
        "-",
        &format!("{} (chosen): {}", strong(&a.title, &a.id), esc::text(&a.summary)),
    );
    for other in &a.considered {
        alternative_item(doc, other);
    }
    for decision in &r.decisions {
        let area = or_placeholder(&esc::text(&decision.area_title), &esc::text(&decision.area));
        doc.heading(3, &format!("{area} options"));
        doc.start_list();
        doc.item(
            0,
            "-",
            &format!(
                "{} (chosen): {}",
                strong(&decision.title, &decision.choice),
                esc::text(&decision.summary)
            ),
        );
        for other in &decision.alternatives {
            alternative_item(doc, other);
        }
    }
}

fn alternative_item(doc: &mut Doc, option: &Alternative) {
    let summary = esc::text(&option.summary);
    let head = strong(&option.title, &option.id);
    doc.item(
        0,
        "-",
        &if summary.is_empty() {
            head
        } else {
            format!("{head}: {summary}")
        },
    );
    for pro in &option.pros {
        doc.item(1, "-", &format!("Good: {}", esc::text(pro)));
    }
    for con in &option.cons {
        doc.item(1, "-", &format!("Bad: {}", esc::text(con)));
    }
}

fn outcome_section(doc: &mut Doc, r: &Recommendation) {
    let a = &r.architecture;
    doc.heading(2, "Decision outcome");
    doc.para(&format!(
        "Chosen option: {}, because {}.",
        strong(&a.title, &a.id),
        because_text(&a.because)
    ));
    doc.para(&esc::text(&a.summary));
    if let Some(variant) = &a.variant {
        doc.para(&format!(
            "Variant: {}, because {}. {}",
            strong(&variant.title, &variant.id),
            because_text(&variant.because),
            esc::text(&variant.summary)
        ));
    }
    if !r.decisions.is_empty() {
        doc.para("The decisions that follow from it, by area:");
        let items: Vec<String> = r
            .decisions
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    or_placeholder(&esc::text(&d.area_title), &esc::text(&d.area)),
                    strong(&d.title, &d.choice)
                )
            })
            .collect();
        doc.list(&items);
    }

    doc.heading(3, "Consequences");
    let mut good: Vec<&String> = a.pros.iter().collect();
    let mut bad: Vec<&String> = a.cons.iter().collect();
    if let Some(variant) = &a.variant {
        good.extend(&variant.pros);
        bad.extend(&variant.cons);
    }
    if good.is_empty() && bad.is_empty() {
        doc.para("The knowledge base names no particular consequences for this architecture.");
    } else {
        let items: Vec<String> = good
            .iter()
            .map(|pro| format!("Good: {}", esc::text(pro)))
            .chain(bad.iter().map(|con| format!("Bad: {}", esc::text(con))))
            .collect();
        doc.list(&items);
    }

    doc.heading(3, "Confirmation");
    if r.confirmations.is_empty() && r.policies.is_empty() {
        doc.para("The knowledge base names no checks for this design; review it against the tables below.");
        return;
    }
    if !r.confirmations.is_empty() {
        doc.para(&esc::text(&r.report_text.confirmation_intro));
        doc.start_list();
        for item in &r.confirmations {
            doc.item(0, "-", &or_placeholder(&esc::text(&item.check), &esc::text(&item.id)));
            doc.code_block("  ", "sh", &item.command);
            let expect = esc::text(&item.expect);
            if !expect.is_empty() {
                doc.continuation("  ", &format!("Expected: {expect}"));
            }
        }
    }
    if !r.policies.is_empty() {
        doc.para(&esc::text(&r.report_text.enforcement_intro));
        let items: Vec<String> = r
            .policies
            .iter()
            .map(|policy| {
                format!(
                    "{}: {}, effect {}",
                    or_placeholder(&esc::text(&policy.display_name), &esc::text(&policy.id)),
                    or_placeholder(&esc::code_cell(&policy.definition_id), "(no definition id)"),
                    or_placeholder(&esc::identifier(&policy.effect), "(none)")
                )
            })
            .collect();
        doc.list(&items);
    }
}

fn diagram_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Architecture diagram");
    match mermaid::flowchart(&r.diagram) {
        Some(chart) => {
            doc.para(&format!(
                "The parts this design deploys in Azure region {} and the paths traffic takes between them. \
                 The diagram is drawn from the answers, so other answers draw another diagram.",
                or_placeholder(&esc::identifier(&r.region), "(no region)")
            ));
            doc.code_block("", "mermaid", &chart);
        }
        None => doc.para("The knowledge base draws no diagram for these answers."),
    }
}

fn decisions_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Decisions by area");
    if r.decisions.is_empty() {
        doc.para("The knowledge base makes no decision by area for these answers.");
    }
    for decision in &r.decisions {
        decision_area(doc, decision);
    }
}

fn decision_area(doc: &mut Doc, d: &DecisionOutcome) {
    doc.heading(3, &or_placeholder(&esc::text(&d.area_title), &esc::text(&d.area)));
    let title = or_placeholder(&esc::text(&d.title), "(untitled)");
    let choice = esc::identifier(&d.choice);
    doc.para(&if choice.is_empty() {
        format!("**Decision:** {title}.")
    } else {
        format!("**Decision:** {title} ({choice}).")
    });
    doc.para(&esc::text(&d.summary));
    doc.para(&format!("**Why:** because {}.", because_text(&d.because)));
    labelled_list(doc, "**Pros:**", &d.pros);
    labelled_list(doc, "**Cons:**", &d.cons);
    if !d.next_steps.is_empty() {
        doc.para("**Next steps** (by phase; their commands are under Next steps):");
        let items: Vec<String> = d
            .next_steps
            .iter()
            .map(|step| {
                format!(
                    "{}: {}",
                    or_placeholder(&esc::text(&step.phase_title), &esc::text(&step.phase)),
                    esc::text(&step.text)
                )
            })
            .collect();
        doc.list(&items);
    }
    sources_line(doc, &d.sources);
}

fn labelled_list(doc: &mut Doc, label: &str, items: &[String]) {
    let items: Vec<String> = items
        .iter()
        .map(|item| esc::text(item))
        .filter(|i| !i.is_empty())
        .collect();
    if !items.is_empty() {
        doc.para(label);
        doc.list(&items);
    }
}

fn sources_line(doc: &mut Doc, sources: &[String]) {
    let ids: Vec<String> = sources
        .iter()
        .map(|id| esc::identifier(id))
        .filter(|id| !id.is_empty())
        .collect();
    if !ids.is_empty() {
        doc.para(&format!("Sources: {}.", ids.join(", ")));
    }
}

fn findings_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Findings");
    if r.findings.is_empty() {
        doc.para("None: the answers work together.");
        return;
    }
    let count = |severity, one: &str, many: &str| {
        let n = r.count(severity);
        format!("{n} {}", if n == 1 { one } else { many })
    };
    doc.para(&format!(
        "{}, {} and {}. A conflict is a contradiction in the answers to resolve before building; a \
         warning is a risk to accept knowingly; a note is for information.",
        count(Severity::Conflict, "conflict", "conflicts"),
        count(Severity::Warning, "warning", "warnings"),
        count(Severity::Info, "note", "notes"),
    ));
    let mut findings: Vec<&FindingOutcome> = r.findings.iter().collect();
    findings.sort_by_key(|finding| finding.severity);
    for finding in findings {
        let label = finding.severity.label();
        doc.heading(
            3,
            &format!(
                "{label}: {}",
                or_placeholder(&esc::text(&finding.title), &esc::text(&finding.id))
            ),
        );
        doc.para(&esc::text(&finding.detail));
        if !finding.because.is_empty() {
            doc.para(&format!("**Cause:** {}.", join_and(&causes(&finding.because))));
        }
        let remedy = esc::text(&finding.remedy);
        if !remedy.is_empty() {
            doc.para(&format!("**Remedy:** {remedy}"));
        }
        sources_line(doc, &finding.sources);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_iso_dates() {
        assert!(is_iso_date("2026-01-01"));
        assert!(!is_iso_date("2026-1-01x"));
    }
}
