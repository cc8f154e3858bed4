//! The deployed estate against the recommendation: settings that differ (drift rules), planned
//! resources that are missing (presence rules), estate facts with a finding, and the plan
//! steps the estate already satisfies.

use std::collections::HashSet;

use super::lookup;
use super::report::{DriftItem, EstateFindingOutcome, NotChecked};
use super::scope::{Evidence, Scope};
use crate::answers::Resolved;
use crate::engine::Recommendation;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::holds;
use crate::knowledge::plan::ResourceRef;

pub struct Comparison {
    /// Settled matters that hold: (rule index, evidence).
    pub settled: Vec<(usize, Vec<Evidence>)>,
    pub drift: Vec<DriftItem>,
    pub findings: Vec<EstateFindingOutcome>,
    pub not_checked: Vec<NotChecked>,
    /// Step id → what shows it is already in place.
    pub done: Vec<(String, Evidence)>,
}

pub fn compare(kb: &KnowledgeBase, scope: &Scope, resolved: &Resolved, recommendation: &Recommendation) -> Comparison {
    let mut comparison = Comparison {
        settled: Vec::new(),
        drift: Vec::new(),
        findings: Vec::new(),
        not_checked: Vec::new(),
        done: Vec::new(),
    };
    let step_number = |id: &str| {
        recommendation
            .next_steps
            .iter()
            .position(|step| step.id == id)
            .map(|p| p + 1)
    };
    let closing = |ids: &[String]| -> (Option<String>, Option<usize>, Option<String>) {
        for id in ids {
            if let Some(number) = step_number(id) {
                let step = &recommendation.next_steps[number - 1];
                return (Some(id.clone()), Some(number), step.command.clone());
            }
        }
        (None, None, None)
    };
    // Steps whose setting the estate shows in place, and planned resources it holds, each with
    // the evidence.
    let mut steps_in_place: Vec<(String, Evidence)> = Vec::new();
    let mut resources_in_place: Vec<(&str, Evidence)> = Vec::new();

    for rule in &kb.estate.drift {
        let Some(case) = rule
            .recommend
            .iter()
            .find(|case| case.when.as_ref().is_none_or(|when| holds(Some(when), resolved)))
        else {
            continue;
        };
        let resources = scope.related(&rule.of);
        if resources.is_empty() {
            if !scope.exported(&rule.of) {
                not_checked(&mut comparison.not_checked, scope.label(&rule.of), rule.setting.clone());
            }
            continue;
        }
        let recommended = case.value.normalized();
        let mut drifted = false;
        for resource in resources {
            let found = lookup::values(&resource.body, &rule.path);
            let (deployed, evidence) = match found.first() {
                Some((steps, value)) => (lookup::display(value), scope.evidence(resource, steps, value)),
                None => {
                    let shown = rule
                        .absent_means
                        .as_ref()
                        .map_or_else(|| "not set".to_string(), |v| v.display());
                    let evidence = Evidence {
                        file: scope.estate.file_name(resource).to_string(),
                        line: scope.estate.line(resource, &[]),
                        path: format!("{}.{}", super::locate::display(&resource.path), rule.path),
                        value: format!("not set ({shown})"),
                    };
                    (shown, evidence)
                }
            };
            let deployed_normalized = match found.first() {
                Some((_, value)) => lookup::normalized(value),
                None => rule.absent_means.as_ref().map(|v| v.normalized()).unwrap_or_default(),
            };
            if deployed_normalized == recommended {
                for id in &rule.closed_by {
                    steps_in_place.push((id.clone(), evidence.clone()));
                }
                continue;
            }
            drifted = true;
            let (step, step_number, command) = closing(&rule.closed_by);
            comparison.drift.push(DriftItem {
                id: rule.id.clone(),
                setting: rule.setting.clone(),
                resource: resource.name.clone(),
                deployed,
                recommended: case.value.display(),
                severity: rule.severity,
                one_way: rule.one_way.clone(),
                step,
                step_number,
                command,
                evidence: vec![evidence],
            });
        }
        if drifted {
            // One resource of several in place does not make the step done.
            steps_in_place.retain(|(id, _)| !rule.closed_by.contains(id));
        }
    }

    // Planned resources: present, missing, or not checkable from these files.
    let planned: Vec<(&str, &str)> = recommendation
        .next_steps
        .iter()
        .flat_map(|step| {
            step.creates
                .iter()
                .map(move |created| (created.as_str(), step.id.as_str()))
        })
        .collect();
    let mut present: HashSet<&str> = HashSet::new();
    for rule in &kb.estate.resources {
        let Some(&(_, creator)) = planned.iter().find(|(created, _)| *created == rule.resource) else {
            continue;
        };
        if let Err(kind) = scope.checkable(&rule.found) {
            not_checked(
                &mut comparison.not_checked,
                scope.label(kind),
                rule.setting
                    .clone()
                    .unwrap_or_else(|| describe_resource(&rule.resource)),
            );
            continue;
        }
        let mut evidence = Vec::new();
        if scope.holds(&rule.found, &mut evidence) {
            present.insert(rule.resource.as_str());
            if let Some(first) = evidence.first() {
                resources_in_place.push((rule.resource.as_str(), first.clone()));
            }
            continue;
        }
        let number = step_number(creator);
        comparison.drift.push(DriftItem {
            id: format!("missing:{}", rule.resource),
            setting: rule
                .setting
                .clone()
                .unwrap_or_else(|| describe_resource(&rule.resource)),
            resource: String::new(),
            deployed: "absent".into(),
            recommended: "present".into(),
            severity: rule.severity,
            one_way: rule.one_way.clone(),
            step: Some(creator.to_string()),
            step_number: number,
            command: number.and_then(|n| recommendation.next_steps[n - 1].command.clone()),
            evidence: evidence_of_absence(scope, &rule.found),
        });
    }

    for (position, rule) in kb.estate.settled.iter().enumerate() {
        let mut evidence = Vec::new();
        if scope.holds(&rule.when, &mut evidence) {
            for step in &rule.steps {
                if let Some(first) = evidence.first() {
                    steps_in_place.push((step.clone(), first.clone()));
                }
            }
            comparison.settled.push((position, evidence));
        }
    }
    let settled_steps: HashSet<&str> = comparison
        .settled
        .iter()
        .flat_map(|(position, _)| kb.estate.settled[*position].steps.iter().map(String::as_str))
        .collect();

    // A step is done when what it creates is all there (and it creates something), or a
    // setting it makes is in place, and no drift item still needs it.
    let needed: HashSet<&str> = comparison
        .drift
        .iter()
        .filter_map(|item| item.step.as_deref())
        .collect();
    for step in &recommendation.next_steps {
        if needed.contains(step.id.as_str()) {
            continue;
        }
        let creates_all = !step.creates.is_empty() && step.creates.iter().all(|c| present.contains(c.as_str()));
        let evidence = if creates_all {
            resources_in_place
                .iter()
                .find(|(resource, _)| step.creates.iter().any(|c| c == resource))
                .map(|(_, evidence)| evidence.clone())
        } else if step.creates.is_empty() || settled_steps.contains(step.id.as_str()) {
            steps_in_place
                .iter()
                .find(|(id, _)| id == &step.id)
                .map(|(_, evidence)| evidence.clone())
        } else {
            None
        };
        if let Some(evidence) = evidence {
            comparison.done.push((step.id.clone(), evidence));
        }
    }

    for finding in &kb.estate.findings {
        if let Some(condition) = &finding.answers
            && !holds(Some(condition), resolved)
        {
            continue;
        }
        let mut evidence = Vec::new();
        if scope.holds(&finding.when, &mut evidence) {
            comparison.findings.push(EstateFindingOutcome {
                id: finding.id.clone(),
                severity: finding.severity,
                title: finding.title.clone(),
                detail: finding.detail.clone(),
                remedy: finding.remedy.clone(),
                evidence,
                sources: finding.sources.clone(),
            });
        }
    }
    comparison.findings.sort_by_key(|finding| finding.severity);
    comparison.drift.sort_by_key(|item| item.severity);
    comparison
}

/// Records what could not be compared, grouped by the kind of resource the files lack.
fn not_checked(list: &mut Vec<NotChecked>, needs: &str, what: String) {
    match list.iter_mut().find(|item| item.needs == needs) {
        Some(item) => item.what.push(what),
        None => list.push(NotChecked {
            needs: needs.to_string(),
            what: vec![what],
        }),
    }
}

/// For a missing resource: what was looked for, where.
fn evidence_of_absence(scope: &Scope, found: &crate::knowledge::estate::EstateCondition) -> Vec<Evidence> {
    found
        .tests()
        .into_iter()
        .map(|test| Evidence {
            file: String::new(),
            line: 0,
            path: format!("{} `{}`", scope.label(&test.of), test.path),
            value: format!("none {}", super::scope::describe_test(test)),
        })
        .collect()
}

/// "private endpoint `workspace`", as the plan names resources.
fn describe_resource(resource: &str) -> String {
    ResourceRef::parse(resource).map_or_else(|_| resource.to_string(), |parsed| parsed.describe())
}
