//! `evaluate` reads the knowledge base and the resolved answers and returns the
//! recommendation. It performs no I/O and keeps the knowledge base's order everywhere, so the
//! same inputs always give the same value.

use sha2::{Digest, Sha256};

use super::recommendation::*;
use crate::answers::{AnswerValue, Resolved};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::{Condition, holds};
use crate::knowledge::model::{ReportText, Rule};
use crate::placeholder;

/// The sources cited by everything a recommendation reports, in first-cited order.
#[derive(Default)]
struct Citations(Vec<String>);

impl Citations {
    fn add(&mut self, sources: &[String]) {
        for source in sources {
            if !self.0.contains(source) {
                self.0.push(source.clone());
            }
        }
    }
}

/// The items whose condition holds under the answers, each cited; in knowledge-base order.
fn applying<'k, T: Rule>(items: &'k [T], answers: &Resolved, cited: &mut Citations) -> impl Iterator<Item = &'k T> {
    let applying: Vec<&T> = items.iter().filter(|item| holds(item.when(), answers)).collect();
    for item in &applying {
        cited.add(item.sources());
    }
    applying.into_iter()
}

/// Where a policy's assignment command takes the effect the engine chose.
pub const EFFECT_PLACEHOLDER: &str = "{effect}";

/// What fills `${…}` in knowledge text.
struct Fill {
    workspace_name: String,
    region: String,
    region_name: String,
    resource_group: String,
}

impl Fill {
    fn new(kb: &KnowledgeBase, answers: &Resolved) -> Self {
        // Before the interview has a region (live preview), a visible hole beats a wrong value.
        let region = answers.text("region").unwrap_or("<region>").to_string();
        let region_name = kb.region(&region).map_or_else(|| region.clone(), |r| r.name.clone());
        Self {
            workspace_name: answers.text("workspace_name").unwrap_or("<workspace>").to_string(),
            resource_group: answers.text("resource_group").unwrap_or("<resource-group>").to_string(),
            region,
            region_name,
        }
    }

    fn value(&self, name: &str) -> Option<&str> {
        Some(match name {
            "workspace_name" => &self.workspace_name,
            "region" => &self.region,
            "region_name" => &self.region_name,
            "resource_group" => &self.resource_group,
            _ => return None,
        })
    }

    fn text(&self, text: &str) -> String {
        placeholder::fill(text, |name| self.value(name))
    }

    /// A shell command: values quoted where the shell would misread them (`rg(prod)`).
    fn command(&self, text: &str) -> String {
        placeholder::fill_shell(text, |name| self.value(name))
    }

    fn all(&self, texts: &[String]) -> Vec<String> {
        texts.iter().map(|text| self.text(text)).collect()
    }
}

/// The answers a set of conditions read, with their effective values (applicable ones only).
fn causes<'c>(answers: &Resolved, conditions: impl IntoIterator<Item = Option<&'c Condition>>) -> Vec<Cause> {
    let mut found: Vec<Cause> = Vec::new();
    for condition in conditions.into_iter().flatten() {
        for question in condition.questions() {
            if found.iter().any(|cause| cause.question == question) {
                continue;
            }
            if let Some(value) = answers.get(question) {
                found.push(Cause {
                    question: question.to_string(),
                    value: value.clone(),
                });
            }
        }
    }
    found
}

/// Index of the first item whose condition holds. The conditions of every item up to and
/// including it explain the choice (earlier ones explain why they were passed over).
fn first_match<'c>(
    whens: impl Iterator<Item = Option<&'c Condition>>,
    answers: &Resolved,
) -> Option<(usize, Vec<Option<&'c Condition>>)> {
    let mut read = Vec::new();
    for (index, when) in whens.enumerate() {
        read.push(when);
        if holds(when, answers) {
            return Some((index, read));
        }
    }
    None
}

pub fn evaluate(kb: &KnowledgeBase, answers: &Resolved) -> Recommendation {
    let fill = Fill::new(kb, answers);
    let mut cited = Citations::default();
    // The validator proves some architecture always applies; the fallback keeps this total.
    let (chosen, read) = first_match(kb.architectures.iter().map(|a| a.when.as_ref()), answers)
        .unwrap_or((kb.architectures.len().saturating_sub(1), Vec::new()));
    let architecture = &kb.architectures[chosen];
    let variant = first_match(kb.variants.iter().map(|v| v.when.as_ref()), answers).map(|(index, read)| {
        let variant = &kb.variants[index];
        cited.add(&variant.sources);
        VariantChoice {
            id: variant.id.clone(),
            title: fill.text(&variant.title),
            summary: fill.text(&variant.summary),
            because: causes(answers, read),
            pros: fill.all(&variant.pros),
            cons: fill.all(&variant.cons),
        }
    });
    cited.add(&architecture.sources);
    let considered = kb
        .architectures
        .iter()
        .filter(|other| other.id != architecture.id)
        .map(|other| {
            cited.add(&other.sources);
            Alternative {
                id: other.id.clone(),
                title: fill.text(&other.title),
                summary: fill.text(&other.summary),
                pros: fill.all(&other.pros),
                cons: fill.all(&other.cons),
            }
        })
        .collect();
    let rationale = match &variant {
        Some(variant) => format!("{} {}", fill.text(&architecture.summary), variant.summary),
        None => fill.text(&architecture.summary),
    };
    let architecture = ArchitectureChoice {
        id: architecture.id.clone(),
        title: fill.text(&architecture.title),
        summary: fill.text(&architecture.summary),
        variant,
        rationale,
        because: causes(answers, read),
        pros: fill.all(&architecture.pros),
        cons: fill.all(&architecture.cons),
        considered,
        sources: architecture.sources.clone(),
    };

    let mut decisions: Vec<DecisionOutcome> = Vec::new();
    for area in &kb.areas {
        let Some(decision) = kb.decisions.iter().find(|d| d.area == area.id) else {
            continue;
        };
        let Some((chosen, read)) = first_match(decision.options.iter().map(|o| o.when.as_ref()), answers) else {
            continue;
        };
        let option = &decision.options[chosen];
        cited.add(&option.sources);
        let because = causes(answers, read.iter().copied());
        let next_steps = option
            .next_steps
            .iter()
            .filter(|step| holds(step.when.as_ref(), answers))
            .map(|step| {
                let mut step_because = because.clone();
                for cause in causes(answers, [step.when.as_ref()]) {
                    if !step_because.contains(&cause) {
                        step_because.push(cause);
                    }
                }
                StepOutcome {
                    id: step.id.clone(),
                    area: area.id.clone(),
                    phase: step.phase.clone(),
                    phase_title: kb
                        .phases
                        .iter()
                        .find(|p| p.id == step.phase)
                        .map_or_else(String::new, |p| p.title.clone()),
                    text: fill.text(&step.text),
                    command: step.command.as_deref().map(|command| fill.command(command)),
                    file: step.file.as_ref().map(|file| {
                        let mut content = fill.text(&file.content);
                        for part in file.parts.iter().filter(|part| holds(part.when.as_ref(), answers)) {
                            content.push_str(&fill.text(&part.content));
                        }
                        StepFileOutcome {
                            name: file.name.clone(),
                            content,
                        }
                    }),
                    creates: step.creates.clone(),
                    uses: step
                        .uses
                        .iter()
                        .filter(|need| holds(need.when(), answers))
                        .map(|need| ResourceUse {
                            resource: need.resource().to_string(),
                            description: super::plan::describe(need.resource()),
                            created_by: None,
                        })
                        .collect(),
                    because: step_because,
                    done: None,
                }
            })
            .collect();
        let alternatives = decision
            .options
            .iter()
            .filter(|other| other.id != option.id)
            .map(|other| {
                cited.add(&other.sources);
                Alternative {
                    id: other.id.clone(),
                    title: fill.text(&other.title),
                    summary: fill.text(&other.summary),
                    pros: fill.all(&other.pros),
                    cons: fill.all(&other.cons),
                }
            })
            .collect();
        decisions.push(DecisionOutcome {
            area: area.id.clone(),
            area_title: area.title.clone(),
            choice: option.id.clone(),
            title: fill.text(&option.title),
            summary: fill.text(&option.summary),
            because,
            pros: fill.all(&option.pros),
            cons: fill.all(&option.cons),
            next_steps,
            alternatives,
            sources: option.sources.clone(),
        });
    }

    let mut findings: Vec<FindingOutcome> = applying(&kb.findings, answers, &mut cited)
        .map(|finding| FindingOutcome {
            id: finding.id.clone(),
            severity: finding.severity,
            title: fill.text(&finding.title),
            detail: fill.text(&finding.detail),
            because: causes(answers, [Some(&finding.when)]),
            remedy: fill.text(&finding.remedy),
            sources: finding.sources.clone(),
        })
        .collect();
    // A stable sort keeps the knowledge base's order within a severity.
    findings.sort_by_key(|finding| finding.severity);

    let network_rules = applying(&kb.network_rules, answers, &mut cited)
        .map(|rule| NetworkRuleRow {
            id: rule.id.clone(),
            direction: rule.direction,
            source: fill.text(&rule.source),
            destination: fill.text(&rule.destination),
            protocol: rule.protocol.clone(),
            ports: rule.ports.clone(),
            why: fill.text(&rule.why),
            because: causes(answers, [rule.when.as_ref()]),
            sources: rule.sources.clone(),
        })
        .collect();
    let dns_zones = applying(&kb.dns_zones, answers, &mut cited)
        .map(|zone| DnsZoneRow {
            id: zone.id.clone(),
            zone: fill.text(&zone.zone),
            resource: fill.text(&zone.resource),
            forward: fill.all(&zone.forward),
            because: causes(answers, [zone.when.as_ref()]),
            sources: zone.sources.clone(),
        })
        .collect();
    let policies = kb
        .policies
        .iter()
        .filter(|policy| holds(policy.when.as_ref(), answers))
        .filter_map(|policy| {
            let (index, read) = first_match(policy.effect.iter().map(|c| c.when.as_ref()), answers)?;
            cited.add(&policy.sources);
            let mut conditions = vec![policy.when.as_ref()];
            conditions.extend(read);
            Some(PolicyRow {
                id: policy.id.clone(),
                display_name: policy.display_name.clone(),
                definition_id: policy.definition_id.clone(),
                effect: policy.effect[index].value.clone(),
                parameters: policy.parameters.as_deref().map(|p| fill.text(p)),
                command: fill
                    .text(&policy.assign)
                    .replace(EFFECT_PLACEHOLDER, &policy.effect[index].value),
                why: fill.text(&policy.why),
                because: causes(answers, conditions),
                sources: policy.sources.clone(),
            })
        })
        .collect();
    let role_assignments = applying(&kb.role_assignments, answers, &mut cited)
        .map(|role| RoleRow {
            id: role.id.clone(),
            persona: role.persona.clone(),
            role: fill.text(&role.role),
            custom: role.custom,
            scope: fill.text(&role.scope),
            why: fill.text(&role.why),
            because: causes(answers, [role.when.as_ref()]),
            sources: role.sources.clone(),
        })
        .collect();
    let confirmations = applying(&kb.confirmations, answers, &mut cited)
        .map(|item| ConfirmationRow {
            id: item.id.clone(),
            check: fill.text(&item.check),
            command: fill.command(&item.command),
            expect: fill.text(&item.expect),
            sources: item.sources.clone(),
        })
        .collect();

    let next_steps: Vec<StepOutcome> = decisions
        .iter()
        .flat_map(|d: &DecisionOutcome| d.next_steps.clone())
        .collect();
    let (next_steps, plan_inputs) = super::plan::order(kb, answers, next_steps, |text| fill.text(text));
    // Each decision lists its own steps with the same provenance as the ordered plan.
    for decision in &mut decisions {
        for step in &mut decision.next_steps {
            if let Some(ordered) = next_steps.iter().find(|s| s.id == step.id) {
                step.uses = ordered.uses.clone();
            }
        }
    }

    let diagram = draw(kb, answers, &fill);
    let answers_list = Answers(answers.values.clone());
    let answers_hash = {
        // The answers-file form (a string or a list by question kind), as hashed since format 1,
        // so that a record's hash still names the same answers.
        let canonical = answers_file_form(&answers_list.0);
        format!("{:x}", Sha256::digest(canonical.as_bytes()))
    };
    let sources = kb
        .sources
        .iter()
        .filter(|source| cited.0.contains(&source.id))
        .map(|source| SourceRef {
            id: source.id.clone(),
            title: source.title.clone(),
            location: source.location.clone(),
            reviewed: source.reviewed.clone(),
            status: source.status,
        })
        .collect();

    Recommendation {
        format_version: FORMAT_VERSION,
        knowledge_version: kb.meta.version.clone(),
        knowledge_hash: kb.content_hash.clone(),
        answers_hash,
        workspace_name: fill.workspace_name.clone(),
        region: fill.region.clone(),
        architecture,
        decisions,
        findings,
        network_rules,
        dns_zones,
        policies,
        role_assignments,
        next_steps,
        plan_inputs,
        confirmations,
        diagram,
        assumptions: answers.assumptions.clone(),
        ignored_answers: answers.ignored.clone(),
        answered_questions: answered_questions(kb, answers),
        answers: answers_list,
        sources,
        estate: None,
        report_text: fill_report(&kb.report, &fill),
    }
}

fn answered_questions(kb: &KnowledgeBase, answers: &Resolved) -> Vec<AnsweredQuestion> {
    answers
        .values
        .iter()
        .filter_map(|(id, value)| {
            let question = kb.question(id)?;
            let label = |choice: &String| {
                question
                    .choices
                    .iter()
                    .find(|c| &c.id == choice)
                    .map_or_else(|| choice.clone(), |c| c.label.clone())
            };
            let labels = match value {
                AnswerValue::Choice(choice) => vec![label(choice)],
                AnswerValue::Choices(choices) => choices.iter().map(label).collect(),
                AnswerValue::Text(_) => Vec::new(),
            };
            Some(AnsweredQuestion {
                question: id.clone(),
                section: question.section.clone(),
                in_problem_statement: kb.section(&question.section).is_some_and(|s| s.in_problem_statement),
                value: value.clone(),
                labels,
                assumed: answers.assumptions.iter().any(|a| &a.question == id),
            })
        })
        .collect()
}

fn fill_report(text: &ReportText, fill: &Fill) -> ReportText {
    ReportText {
        problem_statement: fill.text(&text.problem_statement),
        roles_intro: fill.text(&text.roles_intro),
        network_rules_intro: fill.text(&text.network_rules_intro),
        dns_zones_intro: fill.text(&text.dns_zones_intro),
        dns_forward_label: fill.text(&text.dns_forward_label),
        policies_intro: fill.text(&text.policies_intro),
        enforcement_intro: fill.text(&text.enforcement_intro),
        confirmation_intro: fill.text(&text.confirmation_intro),
        next_steps_intro: fill.text(&text.next_steps_intro),
    }
}

/// The diagram's parts that apply; an edge is drawn only when both its ends are.
fn draw(kb: &KnowledgeBase, answers: &Resolved, fill: &Fill) -> DiagramOutcome {
    let groups: Vec<DiagramGroupRow> = kb
        .diagram
        .groups
        .iter()
        .filter(|group| holds(group.when.as_ref(), answers))
        .map(|group| DiagramGroupRow {
            id: group.id.clone(),
            label: fill.text(&group.label),
            parent: group.parent.clone(),
        })
        .collect();
    let has_group = |id: &Option<String>| id.as_ref().filter(|id| groups.iter().any(|g| &g.id == *id)).cloned();
    let groups: Vec<DiagramGroupRow> = groups
        .iter()
        .map(|group| DiagramGroupRow {
            parent: has_group(&group.parent),
            ..group.clone()
        })
        .collect();
    let has_group = |id: &Option<String>| id.as_ref().filter(|id| groups.iter().any(|g| &g.id == *id)).cloned();
    let nodes: Vec<DiagramNodeRow> = kb
        .diagram
        .nodes
        .iter()
        .filter(|node| holds(node.when.as_ref(), answers))
        .map(|node| DiagramNodeRow {
            id: node.id.clone(),
            label: fill.text(&node.label),
            group: has_group(&node.group),
        })
        .collect();
    // An edge may end at a group (one edge to a group of resources instead of a bundle of
    // edges, one per member).
    let drawn: std::collections::HashSet<&str> = nodes
        .iter()
        .map(|node| node.id.as_str())
        .chain(groups.iter().map(|group| group.id.as_str()))
        .collect();
    let edges = kb
        .diagram
        .edges
        .iter()
        .filter(|edge| holds(edge.when.as_ref(), answers))
        .filter(|edge| drawn.contains(edge.from.as_str()) && drawn.contains(edge.to.as_str()))
        .map(|edge| DiagramEdgeRow {
            from: edge.from.clone(),
            to: edge.to.clone(),
            label: edge.label.as_deref().map(|label| fill.text(label)),
        })
        .collect();
    DiagramOutcome { groups, nodes, edges }
}

/// `{"question":value,...}` in interview order, each value as an answers file writes it.
fn answers_file_form(answers: &[(String, crate::answers::AnswerValue)]) -> String {
    let entries: Vec<String> = answers
        .iter()
        .map(|(question, value)| {
            format!(
                "{}:{}",
                serde_json::Value::from(question.as_str()),
                serde_json::to_string(value).unwrap_or_default()
            )
        })
        .collect();
    format!("{{{}}}", entries.join(","))
}
