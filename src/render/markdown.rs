//! `recommend --format markdown` and the TUI's export: the design record, a MADR 4 decision
//! record with an architecture diagram that an administrator takes to the security review and
//! keeps in git next to the infrastructure code.
//!
//! `render` is pure: the same recommendation and context give the same bytes. Everything that
//! reaches the record goes through `markdown_escape` (prose, table cells, code, URLs, YAML,
//! Mermaid labels), whether it comes from the answers file or from the knowledge base. Prose is
//! wrapped at 100 columns; headings, tables and code blocks never are.

use std::fmt::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use super::markdown_escape::{self as esc, PROTECTED_SPACE};
use super::mermaid;
use crate::answers::AnswerValue;
use crate::engine::Recommendation;
use crate::engine::recommendation::{
    Alternative, AnsweredQuestion, Cause, DecisionOutcome, FindingOutcome, SourceRef, StepOutcome, describe_need,
};
use crate::knowledge::model::{Direction, Severity, SourceStatus};

const WIDTH: usize = 100;

/// What a record says about when and with what it was made; everything else comes from the
/// recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordContext {
    /// The record's date, YYYY-MM-DD.
    pub date: String,
    pub tool_version: String,
}

impl RecordContext {
    /// The date from `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, for reproducible
    /// records), else today's date in UTC. An unset or empty `SOURCE_DATE_EPOCH` means today;
    /// any other value that is not a whole number of seconds up to the year 9999 is an error,
    /// as the reproducible-builds specification asks: falling back to today would silently
    /// break the reproducibility the variable was set for.
    pub fn from_environment() -> Result<Self, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let value = std::env::var_os("SOURCE_DATE_EPOCH").map(|value| value.to_string_lossy().into_owned());
        Ok(Self {
            date: record_date(value.as_deref(), now)?,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}

/// The record date for a `SOURCE_DATE_EPOCH` value (if any) and the current time in seconds.
pub fn record_date(source_date_epoch: Option<&str>, now_seconds: u64) -> Result<String, String> {
    match source_date_epoch.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(utc_date(now_seconds).unwrap_or_else(|| "1970-01-01".to_string())),
        Some(value) => value.parse::<u64>().ok().and_then(utc_date).ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH is `{}`: it must be a whole number of seconds since 1970-01-01 UTC, \
                 from 0 to 253402300799 (the end of the year 9999); correct it or unset it",
                crate::sanitize::for_message(value)
            )
        }),
    }
}

/// The UTC calendar date (YYYY-MM-DD) of a moment given in seconds since the Unix epoch, or
/// `None` past the year 9999.
pub fn utc_date(seconds: u64) -> Option<String> {
    let days = i64::try_from(seconds / 86_400).ok()?;
    let (year, month, day) = civil_from_days(days);
    (year <= 9999).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

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
    super::markdown_estate::estate_section(&mut doc, r);
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
    doc.heading(3, "Architecture");
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
        doc.heading(
            3,
            &or_placeholder(&esc::text(&decision.area_title), &esc::text(&decision.area)),
        );
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
            doc.para(
                "The parts this design deploys and the paths traffic takes between them. The diagram is \
                 drawn from the answers, so other answers draw another diagram.",
            );
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
        let label = match finding.severity {
            Severity::Conflict => "Conflict",
            Severity::Warning => "Warning",
            Severity::Info => "Note",
        };
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

fn network_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Network rules");
    if r.network_rules.is_empty() {
        doc.para("No network rules apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.network_rules_intro));
    let rows: Vec<Vec<String>> = r
        .network_rules
        .iter()
        .map(|rule| {
            vec![
                match rule.direction {
                    Direction::Inbound => "Inbound",
                    Direction::Outbound => "Outbound",
                    Direction::Route => "Route",
                }
                .to_string(),
                esc::identifier(&rule.source),
                esc::identifier(&rule.destination),
                esc::text(&rule.protocol),
                esc::text(&rule.ports),
                esc::text(&rule.why),
            ]
        })
        .collect();
    doc.table(
        &["Direction", "Source", "Destination", "Protocol", "Ports", "Why"],
        &rows,
    );
}

fn dns_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Private DNS zones");
    if r.dns_zones.is_empty() {
        doc.para("No private DNS zones apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.dns_zones_intro));
    let rows: Vec<Vec<String>> = r
        .dns_zones
        .iter()
        .map(|zone| {
            let forward: Vec<String> = zone
                .forward
                .iter()
                .map(|name| esc::code_cell(name))
                .filter(|name| !name.is_empty())
                .collect();
            vec![
                esc::code_cell(&zone.zone),
                esc::text(&zone.resource),
                if forward.is_empty() {
                    "—".to_string()
                } else {
                    forward.join(", ")
                },
            ]
        })
        .collect();
    doc.table(&["Zone", "Resource", "Conditional forward"], &rows);
}

fn policy_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Policy assignments");
    if r.policies.is_empty() {
        doc.para("No Azure Policy assignments apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.policies_intro));
    let rows: Vec<Vec<String>> = r
        .policies
        .iter()
        .map(|policy| {
            vec![
                esc::text(&policy.display_name),
                esc::code_cell(&policy.definition_id),
                esc::text(&policy.effect),
                policy
                    .parameters
                    .as_deref()
                    .map(esc::code_cell)
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| "—".to_string()),
                esc::text(&policy.why),
            ]
        })
        .collect();
    doc.table(&["Display name", "Definition id", "Effect", "Parameters", "Why"], &rows);
    doc.heading(3, "Assignment commands");
    doc.start_list();
    for policy in &r.policies {
        doc.item(0, "-", &esc::text(&policy.display_name));
        doc.code_block("  ", "sh", &policy.command);
    }
}

fn role_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Role assignments");
    if r.role_assignments.is_empty() {
        doc.para("No role assignments apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.roles_intro));
    let rows: Vec<Vec<String>> = r
        .role_assignments
        .iter()
        .map(|role| {
            vec![
                esc::identifier(&role.persona),
                esc::text(&role.role),
                if role.custom { "Custom" } else { "Built-in" }.to_string(),
                esc::text(&role.scope),
                esc::text(&role.why),
            ]
        })
        .collect();
    doc.table(&["Persona", "Role", "Custom or built-in", "Scope", "Why"], &rows);
}

fn steps_section(doc: &mut Doc, r: &Recommendation) {
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
                    esc::code_cell(evidence)
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
pub(crate) fn file_language(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("yml" | "yaml") => "yaml",
        Some("json") => "json",
        _ if name == "Dockerfile" => "dockerfile",
        _ => "text",
    }
}

fn assumptions_section(doc: &mut Doc, r: &Recommendation) {
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

fn answers_section(doc: &mut Doc, r: &Recommendation) {
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

fn references_section(doc: &mut Doc, r: &Recommendation) {
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

/// An answer as a reader wants it: the choice's label with its id (`New workspace (`new`)`), or
/// the text itself.
fn labelled(answered: &AnsweredQuestion) -> String {
    let ids = match &answered.value {
        AnswerValue::Choice(id) => vec![id.as_str()],
        AnswerValue::Choices(ids) => ids.iter().map(String::as_str).collect(),
        AnswerValue::Text(_) => return answer(&answered.value),
    };
    if ids.is_empty() {
        return "(none)".to_string();
    }
    ids.iter()
        .zip(&answered.labels)
        .map(|(id, label)| format!("{} ({})", esc::text(label), esc::identifier(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An answer's value: identifiers as code, other text escaped, lists comma-separated.
fn answer(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Choice(text) | AnswerValue::Text(text) => or_placeholder(&esc::identifier(text), "(empty)"),
        AnswerValue::Choices(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| esc::identifier(item))
                .filter(|item| !item.is_empty())
                .collect();
            if items.is_empty() {
                "(none)".to_string()
            } else {
                items.join(", ")
            }
        }
    }
}

fn cause_text(cause: &Cause) -> String {
    format!("{} = {}", esc::identifier(&cause.question), answer(&cause.value))
}

fn causes(list: &[Cause]) -> Vec<String> {
    list.iter().map(cause_text).collect()
}

fn because_text(list: &[Cause]) -> String {
    if list.is_empty() {
        "it is the option that applies when no other does".to_string()
    } else {
        join_and(&causes(list))
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Bold escaped text, or the escaped fallback when the text is empty.
pub(super) fn strong(text: &str, fallback: &str) -> String {
    let shown = or_placeholder(&esc::text(text), &esc::text(fallback));
    if shown.is_empty() {
        "(untitled)".to_string()
    } else {
        format!("**{shown}**")
    }
}

fn or_placeholder(markdown: &str, placeholder: &str) -> String {
    if markdown.is_empty() {
        placeholder.to_string()
    } else {
        markdown.to_string()
    }
}

/// `workspace_state` → `Workspace state`.
fn humanise(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes Markdown blocks separated by one blank line; all text given to it is already escaped.
#[derive(Default)]
pub(super) struct Doc {
    out: String,
}

impl Doc {
    /// Ends the previous block with a blank line.
    fn start_block(&mut self) {
        if self.out.is_empty() || self.out.ends_with("\n\n") {
            return;
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    pub(super) fn heading(&mut self, level: usize, markdown: &str) {
        self.start_block();
        let _ = writeln!(self.out, "{} {markdown}", "#".repeat(level));
    }

    pub(super) fn para(&mut self, markdown: &str) {
        if markdown.is_empty() {
            return;
        }
        self.start_block();
        self.out.push_str(&wrap(markdown, "", ""));
    }

    pub(super) fn start_list(&mut self) {
        self.start_block();
    }

    /// A bullet list of one-paragraph items.
    pub(super) fn list(&mut self, items: &[String]) {
        self.start_list();
        for item in items {
            self.item(0, "-", item);
        }
    }

    /// One list item (`marker` is `-` or `- [ ]`) at nesting `depth`, wrapped with its
    /// continuation lines aligned under the text.
    pub(super) fn item(&mut self, depth: usize, marker: &str, markdown: &str) {
        let first = format!("{}{marker} ", "  ".repeat(depth));
        let rest = " ".repeat(first.chars().count());
        let markdown = if markdown.is_empty() { "(empty)" } else { markdown };
        self.out.push_str(&wrap(markdown, &first, &rest));
    }

    /// A paragraph line inside the current list item (after a code block).
    pub(super) fn continuation(&mut self, indent: &str, markdown: &str) {
        self.out.push_str(&wrap(markdown, indent, indent));
    }

    /// A fenced code block holding `content` exactly (controls removed), indented into a list
    /// item when `indent` is not empty. Nothing is written for empty content.
    pub(super) fn code_block(&mut self, indent: &str, info: &str, content: &str) {
        let content = esc::clean_block(content);
        if content.is_empty() {
            return;
        }
        if indent.is_empty() {
            self.start_block();
        }
        let fence = esc::block_fence(&content);
        let _ = writeln!(self.out, "{indent}{fence}{info}");
        for line in content.lines() {
            if line.is_empty() {
                self.out.push('\n');
            } else {
                let _ = writeln!(self.out, "{indent}{line}");
            }
        }
        let _ = writeln!(self.out, "{indent}{fence}");
    }

    /// A table; every row has the header's number of cells (missing cells are left empty).
    pub(super) fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.start_block();
        let _ = writeln!(self.out, "| {} |", header.join(" | "));
        let _ = writeln!(self.out, "|{}", " --- |".repeat(header.len()));
        for row in rows {
            let cells: Vec<&str> = (0..header.len())
                .map(|index| row.get(index).map_or("", String::as_str))
                .collect();
            let _ = writeln!(self.out, "| {} |", cells.join(" | "));
        }
    }
}

/// Wraps escaped Markdown at `WIDTH` columns; `wrap::paragraph` never splits a word, so links
/// and code spans stay whole.
fn wrap(markdown: &str, first: &str, rest: &str) -> String {
    super::wrap::paragraph(markdown, WIDTH, first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_computed_in_utc() {
        assert_eq!(utc_date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(utc_date(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(utc_date(1_767_225_599).as_deref(), Some("2025-12-31"));
        assert_eq!(utc_date(1_767_225_600).as_deref(), Some("2026-01-01"));
        assert_eq!(utc_date(253_402_300_799).as_deref(), Some("9999-12-31"));
        assert_eq!(utc_date(253_402_300_800), None);
        assert_eq!(utc_date(u64::MAX), None);
    }

    #[test]
    fn source_date_epoch_wins_and_an_invalid_one_is_an_error() {
        let now = 1_767_225_600;
        assert_eq!(record_date(Some("0"), now).as_deref(), Ok("1970-01-01"));
        assert_eq!(record_date(Some(" 86400 "), now).as_deref(), Ok("1970-01-02"));
        assert_eq!(record_date(None, now).as_deref(), Ok("2026-01-01"));
        assert_eq!(
            record_date(Some(" "), now).as_deref(),
            Ok("2026-01-01"),
            "empty is unset"
        );
        for invalid in ["-1", "1.5", "yesterday", "253402300800", "99999999999999999999"] {
            let error = record_date(Some(invalid), now).unwrap_err();
            assert!(error.contains(&format!("SOURCE_DATE_EPOCH is `{invalid}`")), "{error}");
        }
    }

    #[test]
    fn wrapping_keeps_code_spans_and_urls_whole() {
        let code = esc::code("az network private-endpoint create --name x");
        let text = format!(
            "{} {code} [a title](https://learn.microsoft.com/how-to-managed-network)",
            "word ".repeat(17)
        );
        let wrapped = wrap(&text, "- ", "  ").replace(PROTECTED_SPACE, " ");
        assert!(
            wrapped.contains("`az network private-endpoint create --name x`"),
            "{wrapped}"
        );
        assert!(
            wrapped.contains("(https://learn.microsoft.com/how-to-managed-network)"),
            "{wrapped}"
        );
        assert!(wrapped.lines().all(|line| line.chars().count() <= WIDTH), "{wrapped}");
    }

    #[test]
    fn joins_and_names() {
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(humanise("workspace_state"), "Workspace state");
        assert!(is_iso_date("2026-01-01"));
        assert!(!is_iso_date("2026-1-01x"));
    }
}
