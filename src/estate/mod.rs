//! Assessing a deployed estate: read what Azure describes, derive the answers it determines,
//! run the engine, and compare the estate with the recommendation. What to read and how to
//! compare is knowledge data (`estate:` in the knowledge base); this module only applies it.

mod compare;
mod derive;
pub mod locate;
pub mod lookup;
pub mod read;
pub mod report;
pub mod scope;

use crate::answers::{AnswerValue, Given, resolve};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::{Recommendation, evaluate};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::estate::EstateRules;
use crate::knowledge::model::QuestionKind;
pub use read::{Estate, EstateFile, MAX_ESTATE_BYTES, Resource, read};
use report::{AnswerOrigin, AssessedWorkspace, EstateReport};
pub use scope::{EstateIndex, Scope};

/// The answers given beside the estate (`--answers`), with the file they came from.
pub struct GivenAnswers<'a> {
    pub given: &'a Given,
    pub file: &'a str,
    pub strict: bool,
}

/// Every property path the rules read on resources of `kind`: two copies of a resource must
/// agree on these.
pub fn rules_paths(rules: &EstateRules, kind: Option<&str>) -> Vec<String> {
    let Some(kind) = kind else { return Vec::new() };
    let mut paths: Vec<String> = Vec::new();
    let conditions = rules
        .answers
        .iter()
        .flat_map(|answer| {
            answer
                .cases
                .iter()
                .map(|case| &case.when)
                .chain(answer.none_when.as_ref())
        })
        .chain(rules.resources.iter().map(|rule| &rule.found))
        .chain(rules.findings.iter().map(|finding| &finding.when));
    for condition in conditions {
        for test in condition.tests() {
            if test.of == kind {
                paths.push(test.path.clone());
            }
        }
    }
    paths.extend(
        rules
            .answers
            .iter()
            .filter_map(|a| a.text.as_ref())
            .filter(|t| t.of == kind)
            .map(|t| t.path.clone()),
    );
    paths.extend(rules.drift.iter().filter(|d| d.of == kind).map(|d| d.path.clone()));
    paths.sort();
    paths.dedup();
    paths
}

/// The answers the estate gives for this workspace, overlaid with the answers file: the file
/// states the intended design, so where it differs from the estate the design moves away from
/// what is deployed and the drift says what that takes. Text answers the estate gives (the
/// workspace's name, region, resource group) are kept: they are what is deployed.
pub fn answers_for(
    kb: &KnowledgeBase,
    scope: &Scope,
    given: Option<&Given>,
) -> (Given, Vec<report::DerivedAnswer>, Vec<derive::Unusable>) {
    let (mut derived, unusable) = derive::derive(kb, scope);
    let mut merged = Given::default();
    for answer in &derived {
        merged.set(&answer.question, answer.value.clone());
    }
    if let Some(given) = given {
        for (question, value) in &given.0 {
            // Names and the region are facts of the deployed workspace, not design intent: an
            // answers file shared by a fleet must not rename every workspace after one.
            let is_text = kb.question(question).is_some_and(|q| q.kind == QuestionKind::Text);
            if is_text && derived.iter().any(|answer| &answer.question == question) {
                continue;
            }
            merged.set(question, value.clone());
        }
        for answer in &mut derived {
            if given.get(&answer.question).is_some_and(|value| value != &answer.value) {
                answer.origin = AnswerOrigin::AnswersOverEstate;
            }
        }
    }
    (merged, derived, unusable)
}

/// Assesses one workspace of the estate: a recommendation with its `estate` report and the
/// steps the estate already satisfies marked done. Fails when an answer the design needs is
/// neither in the estate nor in the answers file (or, with `--strict`, any answer is missing).
pub fn assess(
    kb: &KnowledgeBase,
    scope: &Scope,
    answers: Option<&GivenAnswers>,
) -> Result<Recommendation, Diagnostics> {
    let (given, derived, unusable) = answers_for(kb, scope, answers.map(|a| a.given));
    let resolved = resolve(kb, &given);
    let workspace = scope.workspace;
    // Only a problem needs the column, which can cost a scan of a one-line export.
    let (line, column) = if resolved.missing.is_empty() {
        (1, 1)
    } else {
        scope.estate.position(workspace, &[])
    };
    let file = scope.estate.file_name(workspace);
    let mut problems = Diagnostics::default();
    for id in &resolved.missing {
        let why = unusable
            .iter()
            .find(|u| &u.question == id)
            .map(|u| {
                format!(
                    " (the estate's `{}` cannot be used: {}; {})",
                    crate::sanitize::for_message(&u.value),
                    u.reason,
                    u.evidence
                )
            })
            .unwrap_or_default();
        problems.push(Diagnostic::new(
            file,
            line,
            column,
            format!(
                "{}: workspace `{}`: `{id}` is needed and the estate does not determine it{why}; give it in --answers",
                locate::display(&workspace.path),
                crate::sanitize::for_message(&workspace.name)
            ),
        ));
    }
    if answers.is_some_and(|a| a.strict) {
        for assumption in &resolved.assumptions {
            problems.push(Diagnostic::new(
                answers.map_or(file, |a| a.file),
                1,
                1,
                format!(
                    "`{}` is neither in the estate nor answered (--strict); its default would be `{}`",
                    assumption.question,
                    assumption.value.display()
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut recommendation = evaluate(kb, &resolved);
    let comparison = compare::compare(kb, scope, &resolved, &recommendation);
    // Findings about matters the estate shows settled no longer apply: they are withdrawn and
    // the estate section says why.
    let mut settled = Vec::new();
    for (position, evidence) in &comparison.settled {
        let rule = &kb.estate.settled[*position];
        let withdrawn: Vec<String> = recommendation
            .findings
            .iter()
            .filter(|finding| rule.findings.contains(&finding.id))
            .map(|finding| finding.title.clone())
            .collect();
        recommendation
            .findings
            .retain(|finding| !rule.findings.contains(&finding.id));
        settled.push(report::SettledOutcome {
            id: rule.id.clone(),
            note: rule.note.clone(),
            withdrawn_findings: withdrawn,
            evidence: evidence.clone(),
        });
    }
    for step in &mut recommendation.next_steps {
        step.done = comparison
            .done
            .iter()
            .find(|(id, _)| id == &step.id)
            .map(|(_, evidence)| evidence.clone());
    }
    for decision in &mut recommendation.decisions {
        for step in &mut decision.next_steps {
            step.done = comparison
                .done
                .iter()
                .find(|(id, _)| id == &step.id)
                .map(|(_, evidence)| evidence.clone());
        }
    }
    recommendation.estate = Some(EstateReport {
        files: scope.estate.files.iter().map(|f| f.name.clone()).collect(),
        workspace: AssessedWorkspace {
            id: workspace.id.clone(),
            name: workspace.name.clone(),
            file: file.to_string(),
            path: locate::display(&workspace.path),
        },
        derived_answers: derived,
        drift: comparison.drift,
        findings: comparison.findings,
        settled,
        not_checked: comparison.not_checked,
        ignored_types: scope.estate.ignored.clone(),
    });
    Ok(recommendation)
}

/// The value an estate gives a question, for the interview's "from the estate" marks.
pub fn describe_origin(answer: &report::DerivedAnswer) -> String {
    let evidence = answer.evidence.first().map(|e| e.describe()).unwrap_or_default();
    match answer.value {
        AnswerValue::Choices(ref values) if values.is_empty() => format!("from the estate (none found): {evidence}"),
        _ => format!("from the estate: {evidence}"),
    }
}
