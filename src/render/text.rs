//! `recommend --format text`: a report for an 80-column terminal. The architecture comes
//! first, then findings (conflicts before warnings), decisions, tables and next steps.

use std::fmt::Write;

use super::wrap::{paragraph, shell_lines};
use crate::engine::Recommendation;
use crate::engine::recommendation::{Alternative, Cause, describe_need};
use crate::knowledge::model::{Direction, Severity};
use crate::sanitize::strip_controls;

pub(super) const WIDTH: usize = 80;

pub fn render(r: &Recommendation) -> String {
    let mut out = String::new();
    let title = format!(
        "Azure Machine Learning design for {} ({})",
        strip_controls(&r.workspace_name),
        r.region
    );
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count().min(WIDTH)));
    let (conflicts, warnings, infos) = (
        r.count(Severity::Conflict),
        r.count(Severity::Warning),
        r.count(Severity::Info),
    );
    let _ = writeln!(
        out,
        "Knowledge base {} · {} conflict(s), {} warning(s), {} note(s)\n",
        r.knowledge_version, conflicts, warnings, infos
    );

    heading(&mut out, "ARCHITECTURE");
    let a = &r.architecture;
    out.push_str(&paragraph(&format!("{} [{}]", a.title, a.id), WIDTH, "  ", "  "));
    if let Some(variant) = &a.variant {
        out.push_str(&paragraph(
            &format!("Variant: {} [{}]", variant.title, variant.id),
            WIDTH,
            "  ",
            "  ",
        ));
    }
    out.push('\n');
    out.push_str(&paragraph(&a.rationale, WIDTH, "  ", "  "));
    because(&mut out, &a.because, "  ");
    bullets(&mut out, "Pros", &a.pros, "+");
    bullets(&mut out, "Cons", &a.cons, "-");
    if let Some(variant) = &a.variant {
        bullets(&mut out, "Variant pros", &variant.pros, "+");
        bullets(&mut out, "Variant cons", &variant.cons, "-");
    }
    alternatives(&mut out, "Considered instead", &a.considered);
    out.push('\n');
    super::text_estate::estate_section(&mut out, r);

    heading(
        &mut out,
        &format!("FINDINGS ({conflicts} conflict(s), {warnings} warning(s), {infos} note(s))"),
    );
    if r.findings.is_empty() {
        out.push_str("  None: the answers work together.\n");
    }
    for finding in &r.findings {
        let label = finding.severity.label().to_uppercase();
        out.push_str(&paragraph(
            &format!("[{label}] {} ({})", finding.title, finding.id),
            WIDTH,
            "  ",
            "    ",
        ));
        out.push_str(&paragraph(&finding.detail, WIDTH, "    ", "    "));
        because(&mut out, &finding.because, "    ");
        out.push_str(&paragraph(
            &format!("Remedy: {}", finding.remedy),
            WIDTH,
            "    ",
            "    ",
        ));
        out.push('\n');
    }

    heading(&mut out, "DECISIONS");
    for decision in &r.decisions {
        out.push_str(&paragraph(
            &format!("{}: {} [{}]", decision.area_title, decision.title, decision.choice),
            WIDTH,
            "  ",
            "  ",
        ));
        out.push_str(&paragraph(&decision.summary, WIDTH, "    ", "    "));
        because(&mut out, &decision.because, "    ");
        indented_bullets(&mut out, "Pros", &decision.pros, "+");
        indented_bullets(&mut out, "Cons", &decision.cons, "-");
        if !decision.next_steps.is_empty() {
            out.push_str("    Next steps:\n");
            for step in &decision.next_steps {
                out.push_str(&paragraph(&step.text, WIDTH, "      * ", "        "));
            }
        }
        if !decision.alternatives.is_empty() {
            out.push_str("    Alternatives considered:\n");
            for alternative in &decision.alternatives {
                out.push_str(&paragraph(
                    &format!("{}: {}", alternative.title, alternative.summary),
                    WIDTH,
                    "      * ",
                    "        ",
                ));
                for pro in &alternative.pros {
                    out.push_str(&paragraph(pro, WIDTH, "          + ", "            "));
                }
                for con in &alternative.cons {
                    out.push_str(&paragraph(con, WIDTH, "          - ", "            "));
                }
            }
        }
        out.push('\n');
    }

    if !r.network_rules.is_empty() {
        heading(&mut out, "REQUIRED NETWORK RULES");
        for rule in &r.network_rules {
            let direction = match rule.direction {
                Direction::Inbound => "inbound ",
                Direction::Outbound => "outbound",
                Direction::Route => "route   ",
            };
            out.push_str(&paragraph(
                &format!(
                    "{direction} {} -> {}  {} {}",
                    rule.source, rule.destination, rule.protocol, rule.ports
                ),
                WIDTH,
                "  ",
                "           ",
            ));
            out.push_str(&paragraph(&rule.why, WIDTH, "           ", "           "));
        }
        out.push('\n');
    }
    if !r.dns_zones.is_empty() {
        heading(&mut out, "PRIVATE DNS ZONES");
        for zone in &r.dns_zones {
            out.push_str(&paragraph(
                &format!("{} ({})", zone.zone, zone.resource),
                WIDTH,
                "  ",
                "    ",
            ));
            if !zone.forward.is_empty() {
                out.push_str(&paragraph(
                    &format!("{}: {}", r.report_text.dns_forward_label, zone.forward.join(", ")),
                    WIDTH,
                    "    ",
                    "    ",
                ));
            }
        }
        out.push('\n');
    }
    if !r.policies.is_empty() {
        heading(&mut out, "AZURE POLICY ASSIGNMENTS");
        for policy in &r.policies {
            out.push_str(&paragraph(
                &format!("{} [{}]", policy.display_name, policy.effect),
                WIDTH,
                "  ",
                "    ",
            ));
            out.push_str(&paragraph(
                &format!("definition {}", policy.definition_id),
                WIDTH,
                "    ",
                "    ",
            ));
            if let Some(parameters) = &policy.parameters {
                out.push_str(&paragraph(&format!("parameters: {parameters}"), WIDTH, "    ", "    "));
            }
            out.push_str(&paragraph(&policy.why, WIDTH, "    ", "    "));
            for line in shell_lines(&policy.command, WIDTH - 6) {
                let _ = writeln!(out, "      {line}");
            }
        }
        out.push('\n');
    }
    if !r.role_assignments.is_empty() {
        heading(&mut out, "ROLE ASSIGNMENTS");
        for role in &r.role_assignments {
            let kind = if role.custom { "custom role" } else { "built-in role" };
            out.push_str(&paragraph(
                &format!("{}: {} ({kind}, scope {})", role.persona, role.role, role.scope),
                WIDTH,
                "  ",
                "    ",
            ));
            out.push_str(&paragraph(&role.why, WIDTH, "    ", "    "));
        }
        out.push('\n');
    }

    heading(&mut out, "NEXT STEPS (in dependency order)");
    if !r.plan_inputs.is_empty() {
        out.push_str(&paragraph(
            "Before the first step, these must exist:",
            WIDTH,
            "  ",
            "  ",
        ));
        for input in &r.plan_inputs {
            out.push_str(&paragraph(&input.description, WIDTH, "    - ", "      "));
        }
    }
    for (index, step) in r.next_steps.iter().enumerate() {
        let number = format!("{:>3}. ", index + 1);
        if let Some(evidence) = &step.done {
            // In place in the assessed estate: no command, so nobody runs it twice.
            out.push_str(&paragraph(
                &format!(
                    "[done] [{}] {} Already in place: {}.",
                    step.phase_title,
                    step.text,
                    strip_controls(&evidence.describe())
                ),
                WIDTH,
                &number,
                "     ",
            ));
            continue;
        }
        out.push_str(&paragraph(
            &format!("[{}] {}", step.phase_title, step.text),
            WIDTH,
            &number,
            "     ",
        ));
        let needs: Vec<String> = r.needs(step).map(|(d, creator)| describe_need(d, creator)).collect();
        if !needs.is_empty() {
            out.push_str(&paragraph(
                &format!("needs: {}", needs.join("; ")),
                WIDTH,
                "     ",
                "     ",
            ));
        }
        if let Some(command) = &step.command {
            for line in shell_lines(command, WIDTH - 7) {
                let _ = writeln!(out, "       {line}");
            }
        }
        if let Some(file) = &step.file {
            // A file cannot be wrapped without changing it: its lines are shown verbatim behind
            // a bar, the way a quoted block is.
            let _ = writeln!(out, "     file {}:", file.name);
            for line in file.content.lines() {
                let _ = writeln!(out, "       | {line}");
            }
        }
    }
    out.push('\n');

    if !r.confirmations.is_empty() {
        heading(&mut out, "CONFIRMATION (after deployment)");
        for item in &r.confirmations {
            out.push_str(&paragraph(&item.check, WIDTH, "  * ", "    "));
            for line in shell_lines(&item.command, WIDTH - 6) {
                let _ = writeln!(out, "      {line}");
            }
            out.push_str(&paragraph(&format!("expect: {}", item.expect), WIDTH, "    ", "    "));
        }
        out.push('\n');
    }

    heading(&mut out, "ASSUMPTIONS (defaults applied)");
    if r.assumptions.is_empty() {
        out.push_str("  None: every applicable question was answered.\n");
    }
    for assumption in &r.assumptions {
        out.push_str(&paragraph(
            &format!(
                "{} = {}: {}",
                assumption.question,
                strip_controls(&assumption.value.display()),
                assumption.reason
            ),
            WIDTH,
            "  * ",
            "    ",
        ));
    }
    out.push('\n');
    if !r.ignored_answers.is_empty() {
        heading(&mut out, "IGNORED ANSWERS");
        for ignored in &r.ignored_answers {
            out.push_str(&paragraph(
                &format!(
                    "{} = {}: {}",
                    ignored.question,
                    strip_controls(&ignored.value.display()),
                    ignored.reason
                ),
                WIDTH,
                "  * ",
                "    ",
            ));
        }
        out.push('\n');
    }
    heading(&mut out, "SOURCES");
    for source in &r.sources {
        out.push_str(&paragraph(
            &format!(
                "[{}] {}: {} (reviewed {})",
                source.id, source.title, source.location, source.reviewed
            ),
            WIDTH,
            "  ",
            "    ",
        ));
    }
    out
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "{title}");
}

fn because(out: &mut String, causes: &[Cause], indent: &str) {
    if causes.is_empty() {
        return;
    }
    let list: Vec<String> = causes
        .iter()
        .map(|cause| format!("{} = {}", cause.question, strip_controls(&cause.value.display())))
        .collect();
    out.push_str(&paragraph(
        &format!("Because: {}", list.join(", ")),
        WIDTH,
        indent,
        &format!("{indent}  "),
    ));
}

fn bullets(out: &mut String, label: &str, items: &[String], mark: &str) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {label}:");
    for item in items {
        out.push_str(&paragraph(item, WIDTH, &format!("    {mark} "), "      "));
    }
}

fn indented_bullets(out: &mut String, label: &str, items: &[String], mark: &str) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "    {label}:");
    for item in items {
        out.push_str(&paragraph(item, WIDTH, &format!("      {mark} "), "        "));
    }
}

fn alternatives(out: &mut String, label: &str, items: &[Alternative]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {label}:");
    for item in items {
        out.push_str(&paragraph(
            &format!("{} [{}]: {}", item.title, item.id, item.summary),
            WIDTH,
            "    * ",
            "      ",
        ));
    }
}
