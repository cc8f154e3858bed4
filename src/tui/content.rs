//! The result tabs' text, built from the recommendation (the same content as every other
//! output) and wrapped for the terminal width. Built once per tab change or resize.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::flow::labelled_answer;
use super::theme::Theme;
use super::ui::text::{clean, locate_urls, urls, width as text_width, wrap};
use crate::engine::Recommendation;
use crate::engine::recommendation::{Alternative, Cause, DiagramOutcome, describe_need};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{Direction, Severity};
use crate::render::shell_lines;

/// A tab's text and the web addresses in it.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub lines: Vec<Line<'static>>,
    pub links: Vec<Link>,
}

/// A web address (or the piece of one on this line) in the text: shown as a terminal
/// hyperlink where the terminal supports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub line: usize,
    /// Column of its first character.
    pub column: usize,
    /// Columns it covers.
    pub width: usize,
    pub url: String,
}

struct Doc<'kb> {
    kb: &'kb KnowledgeBase,
    lines: Vec<Line<'static>>,
    links: Vec<Link>,
    width: usize,
    theme: Theme,
}

impl<'kb> Doc<'kb> {
    fn new(kb: &'kb KnowledgeBase, width: usize, theme: Theme) -> Self {
        Self {
            kb,
            lines: Vec::new(),
            links: Vec::new(),
            width: width.max(20),
            theme,
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|line| line.width() > 0) {
            self.lines.push(Line::raw(""));
        }
    }

    fn heading(&mut self, text: &str) {
        self.blank();
        let style = self.theme.title();
        for line in wrap(text, self.width, "", "") {
            self.lines.push(Line::styled(line, style));
        }
    }

    fn para(&mut self, text: &str, first: &str, rest: &str, style: Style) {
        let wrapped = wrap(text, self.width, first, rest);
        let addresses = urls(&clean(text));
        if !addresses.is_empty() {
            for piece in locate_urls(&addresses, &wrapped) {
                let line = &wrapped[piece.line];
                self.links.push(Link {
                    line: self.lines.len() + piece.line,
                    column: text_width(&line[..piece.start]),
                    width: text_width(&line[piece.start..piece.end]),
                    url: piece.url,
                });
            }
        }
        for line in wrapped {
            self.lines.push(Line::styled(line, style));
        }
    }

    fn text(&mut self, text: &str, first: &str, rest: &str) {
        self.para(text, first, rest, self.theme.text());
    }

    /// A paragraph whose first word(s) `label` get their own style.
    fn labelled(&mut self, label: &str, label_style: Style, text: &str, indent: &str, rest: &str, style: Style) {
        let combined = format!("{label} {text}");
        for (index, line) in wrap(&combined, self.width, indent, rest).into_iter().enumerate() {
            let split = indent.len() + label.len();
            if index == 0
                && line.get(indent.len()..).is_some_and(|after| after.starts_with(label))
                && line.is_char_boundary(split)
            {
                let (head, tail) = line.split_at(split);
                self.lines.push(Line::from(vec![
                    Span::styled(head.to_string(), label_style),
                    Span::styled(tail.to_string(), style),
                ]));
            } else {
                self.lines.push(Line::styled(line, style));
            }
        }
    }

    fn because(&mut self, causes: &[Cause], indent: &str) {
        if causes.is_empty() {
            return;
        }
        let list: Vec<String> = causes
            .iter()
            .map(|cause| labelled_answer(self.kb, &cause.question, &cause.value))
            .collect();
        let rest = format!("{indent}  ");
        self.para(
            &format!("Because: {}", list.join("; ")),
            indent,
            &rest,
            self.theme.dim(),
        );
    }

    fn bullets(&mut self, label: &str, items: &[String], mark: &str, indent: &str) {
        if items.is_empty() {
            return;
        }
        self.para(&format!("{label}:"), indent, indent, self.theme.strong());
        let rest = format!("{indent}    ");
        let style = match mark {
            "+" => self.theme.ok(),
            "-" => self.theme.warning(),
            _ => self.theme.text(),
        };
        for item in items {
            self.labelled(mark, style, item, &format!("{indent}  "), &rest, self.theme.text());
        }
    }

    fn alternatives(&mut self, label: &str, items: &[Alternative], indent: &str) {
        if items.is_empty() {
            return;
        }
        self.para(&format!("{label}:"), indent, indent, self.theme.strong());
        let rest = format!("{indent}    ");
        for item in items {
            self.text(
                &format!("{} [{}]: {}", item.title, item.id, item.summary),
                &format!("{indent}  * "),
                &rest,
            );
            for pro in &item.pros {
                self.text(pro, &format!("{indent}      + "), &format!("{indent}        "));
            }
            for con in &item.cons {
                self.text(con, &format!("{indent}      - "), &format!("{indent}        "));
            }
        }
    }

    fn command(&mut self, command: &str, indent: &str) {
        let room = self.width.saturating_sub(indent.len() + 2).max(20);
        for (index, line) in shell_lines(&clean(command), room).into_iter().enumerate() {
            let prompt = if index == 0 { "$ " } else { "  " };
            let text = format!("{indent}{prompt}{line}");
            self.lines.push(Line::styled(text, self.theme.command()));
        }
    }

    fn none(&mut self, text: &str) {
        self.para(text, "  ", "  ", self.theme.dim());
    }
}

/// The text of result tab `tab` (see `app::TABS`) for `width` columns.
pub fn tab(kb: &KnowledgeBase, r: &Recommendation, tab: usize, width: usize, theme: Theme) -> Text {
    let mut doc = Doc::new(kb, width, theme);
    match tab {
        0 => summary(&mut doc, r),
        1 => decisions(&mut doc, r),
        2 => findings(&mut doc, r),
        3 => network_rules(&mut doc, r),
        4 => dns(&mut doc, r),
        5 => policies_and_roles(&mut doc, r),
        6 => next_steps(&mut doc, r),
        _ => diagram(&mut doc, &r.diagram),
    }
    Text {
        lines: doc.lines,
        links: doc.links,
    }
}

fn severity_label(severity: Severity, theme: Theme) -> (&'static str, Style) {
    match severity {
        Severity::Conflict => ("CONFLICT", theme.conflict()),
        Severity::Warning => ("WARNING", theme.warning()),
        Severity::Info => ("NOTE", theme.dim()),
    }
}

fn summary(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    doc.para(
        &format!("Azure Machine Learning design for {} ({})", r.workspace_name, r.region),
        "",
        "",
        theme.title(),
    );
    doc.para(
        &format!(
            "Knowledge base {} · {} conflict(s), {} warning(s), {} note(s)",
            r.knowledge_version,
            r.count(Severity::Conflict),
            r.count(Severity::Warning),
            r.count(Severity::Info)
        ),
        "",
        "",
        theme.dim(),
    );
    doc.heading("Architecture");
    let a = &r.architecture;
    doc.para(&format!("{} [{}]", a.title, a.id), "  ", "  ", theme.strong());
    if let Some(variant) = &a.variant {
        doc.para(
            &format!("Variant: {} [{}]", variant.title, variant.id),
            "  ",
            "  ",
            theme.strong(),
        );
    }
    doc.text(&a.rationale, "  ", "  ");
    doc.because(&a.because, "  ");
    doc.bullets("Pros", &a.pros, "+", "  ");
    doc.bullets("Cons", &a.cons, "-", "  ");
    if let Some(variant) = &a.variant {
        doc.bullets("Variant pros", &variant.pros, "+", "  ");
        doc.bullets("Variant cons", &variant.cons, "-", "  ");
    }
    doc.alternatives("Considered instead", &a.considered, "  ");
    if !r.findings.is_empty() {
        doc.heading("Findings at a glance (tab 3)");
        for finding in &r.findings {
            let (label, style) = severity_label(finding.severity, theme);
            doc.labelled(label, style, &finding.title, "  ", "  ", theme.text());
        }
    }
    doc.heading("Assumptions (defaults applied)");
    if r.assumptions.is_empty() {
        doc.none("None: every applicable question was answered.");
    }
    for assumption in &r.assumptions {
        doc.text(
            &format!(
                "{}: {}",
                labelled_answer(doc.kb, &assumption.question, &assumption.value),
                assumption.reason
            ),
            "  * ",
            "    ",
        );
    }
    if !r.ignored_answers.is_empty() {
        doc.heading("Ignored answers");
        for ignored in &r.ignored_answers {
            doc.text(
                &format!(
                    "{}: {}",
                    labelled_answer(doc.kb, &ignored.question, &ignored.value),
                    ignored.reason
                ),
                "  * ",
                "    ",
            );
        }
    }
    doc.heading("Sources");
    for source in &r.sources {
        doc.para(
            &format!(
                "[{}] {}: {} (reviewed {})",
                source.id, source.title, source.location, source.reviewed
            ),
            "  ",
            "    ",
            theme.dim(),
        );
    }
}

fn decisions(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    if r.decisions.is_empty() {
        doc.none("No decisions.");
    }
    for decision in &r.decisions {
        doc.heading(&format!("{}: {}", decision.area_title, decision.title));
        doc.para(&format!("[{}]", decision.choice), "  ", "  ", theme.dim());
        doc.text(&decision.summary, "  ", "  ");
        doc.because(&decision.because, "  ");
        doc.bullets("Pros", &decision.pros, "+", "  ");
        doc.bullets("Cons", &decision.cons, "-", "  ");
        if !decision.next_steps.is_empty() {
            doc.para("Next steps (all in tab 7):", "  ", "  ", theme.strong());
            for step in &decision.next_steps {
                doc.text(&step.text, "    * ", "      ");
            }
        }
        doc.alternatives("Alternatives considered", &decision.alternatives, "  ");
    }
}

fn findings(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    if r.findings.is_empty() {
        doc.none("None: the answers work together.");
    }
    for finding in &r.findings {
        doc.blank();
        let (label, style) = severity_label(finding.severity, theme);
        doc.labelled(
            &format!("[{label}]"),
            style,
            &format!("{} ({})", finding.title, finding.id),
            "",
            "  ",
            theme.strong(),
        );
        doc.text(&finding.detail, "  ", "  ");
        doc.because(&finding.because, "  ");
        doc.labelled("Remedy:", theme.strong(), &finding.remedy, "  ", "  ", theme.text());
    }
}

fn network_rules(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    if r.network_rules.is_empty() {
        doc.none("No network rules of yours are needed for this design.");
    }
    for rule in &r.network_rules {
        doc.blank();
        let direction = match rule.direction {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Route => "route",
        };
        doc.labelled(
            direction,
            theme.strong(),
            &format!(
                "{} → {}  {} {}",
                rule.source, rule.destination, rule.protocol, rule.ports
            ),
            "",
            "  ",
            theme.text(),
        );
        doc.para(&rule.why, "  ", "  ", theme.dim());
    }
}

fn dns(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    if r.dns_zones.is_empty() {
        doc.none("No private DNS zones are needed for this design.");
    }
    for zone in &r.dns_zones {
        doc.blank();
        doc.para(&zone.zone, "", "  ", theme.strong());
        doc.text(&zone.resource, "  ", "  ");
        if !zone.forward.is_empty() {
            doc.para(
                &format!("{}: {}", r.report_text.dns_forward_label, zone.forward.join(", ")),
                "  ",
                "  ",
                theme.dim(),
            );
        }
    }
}

fn policies_and_roles(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    doc.para("Azure Policy assignments", "", "", theme.title());
    if r.policies.is_empty() {
        doc.none("None for this design.");
    }
    for policy in &r.policies {
        doc.blank();
        doc.para(
            &format!("{} [{}]", policy.display_name, policy.effect),
            "",
            "  ",
            theme.strong(),
        );
        doc.para(&format!("definition {}", policy.definition_id), "  ", "  ", theme.dim());
        if let Some(parameters) = &policy.parameters {
            doc.text(&format!("parameters: {parameters}"), "  ", "  ");
        }
        doc.text(&policy.why, "  ", "  ");
        doc.command(&policy.command, "  ");
    }
    doc.heading("Role assignments");
    if r.role_assignments.is_empty() {
        doc.none("None for this design.");
    }
    for role in &r.role_assignments {
        doc.blank();
        let kind = if role.custom { "custom role" } else { "built-in role" };
        doc.para(
            &format!("{}: {} ({kind}, scope {})", role.persona, role.role, role.scope),
            "",
            "  ",
            theme.strong(),
        );
        doc.text(&role.why, "  ", "  ");
    }
}

fn next_steps(doc: &mut Doc, r: &Recommendation) {
    let theme = doc.theme;
    if r.next_steps.is_empty() {
        doc.none("No next steps.");
    }
    if !r.plan_inputs.is_empty() {
        doc.heading("Before the first step, these must exist");
        for input in &r.plan_inputs {
            doc.text(&input.description, "  - ", "    ");
        }
    }
    let mut phase = "";
    for (index, step) in r.next_steps.iter().enumerate() {
        if step.phase != phase {
            phase = &step.phase;
            doc.heading(&step.phase_title);
        }
        let number = format!("{:>3}. ", index + 1);
        doc.text(&step.text, &number, "     ");
        let needs: Vec<String> = r.needs(step).map(|(d, creator)| describe_need(d, creator)).collect();
        if !needs.is_empty() {
            doc.para(&format!("needs: {}", needs.join("; ")), "     ", "     ", theme.dim());
        }
        if let Some(command) = &step.command {
            doc.command(command, "     ");
        }
        if let Some(file) = &step.file {
            doc.para(&format!("{}:", file.name), "     ", "     ", theme.dim());
            for line in file.content.lines() {
                doc.lines
                    .push(Line::styled(format!("       {}", clean(line)), theme.command()));
            }
        }
    }
    if !r.confirmations.is_empty() {
        doc.heading("Confirmation (after deployment)");
        for item in &r.confirmations {
            doc.text(&item.check, "  * ", "    ");
            doc.command(&item.command, "    ");
            doc.para(&format!("expect: {}", item.expect), "    ", "    ", theme.dim());
        }
    }
}

/// Groups as nested boxes, nodes as bullets, then every connection as `a ──label──▶ b`.
fn diagram(doc: &mut Doc, d: &DiagramOutcome) {
    let theme = doc.theme;
    if d.nodes.is_empty() {
        doc.none("No diagram for this design.");
        return;
    }
    for node in d.nodes.iter().filter(|node| node.group.is_none()) {
        doc.para(&node.label, "● ", "  ", theme.strong());
    }
    for group in d.groups.iter().filter(|group| group.parent.is_none()) {
        diagram_group(doc, d, &group.id, "");
    }
    if !d.edges.is_empty() {
        doc.heading("Connections");
        // An edge ends at a node or at a group.
        let label_of = |id: &str| {
            d.nodes
                .iter()
                .find(|node| node.id == id)
                .map(|node| node.label.clone())
                .or_else(|| {
                    d.groups
                        .iter()
                        .find(|group| group.id == id)
                        .map(|group| group.label.clone())
                })
                .unwrap_or_else(|| id.to_string())
        };
        for edge in &d.edges {
            let arrow = match &edge.label {
                Some(label) => format!("──{label}──▶"),
                None => "────▶".to_string(),
            };
            doc.text(
                &format!("{} {arrow} {}", label_of(&edge.from), label_of(&edge.to)),
                "  ",
                "      ",
            );
        }
    }
}

fn diagram_group(doc: &mut Doc, d: &DiagramOutcome, id: &str, indent: &str) {
    let theme = doc.theme;
    let Some(group) = d.groups.iter().find(|group| group.id == id) else {
        return;
    };
    doc.para(
        &group.label,
        &format!("{indent}┌─ "),
        &format!("{indent}│  "),
        theme.title(),
    );
    let inner = format!("{indent}│  ");
    for node in d.nodes.iter().filter(|node| node.group.as_deref() == Some(id)) {
        doc.para(&node.label, &format!("{inner}● "), &format!("{inner}  "), theme.text());
    }
    for child in d.groups.iter().filter(|child| child.parent.as_deref() == Some(id)) {
        diagram_group(doc, d, &child.id, &inner);
    }
    doc.lines.push(Line::styled(format!("{indent}└─"), theme.title()));
}
