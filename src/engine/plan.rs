//! Orders the next steps into a plan: by phase, and within a phase so that a step comes after
//! the steps that create what it uses. Each use is tied to its creator (or to a plan input), so
//! a reader of the plan sees where every resource comes from.

use super::recommendation::{PlanInputRow, StepOutcome};
use crate::answers::Resolved;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::holds;
use crate::knowledge::plan::ResourceRef;

/// The reader's words for a resource reference (the validator has proven it parses).
pub(super) fn describe(resource: &str) -> String {
    ResourceRef::parse(resource).map_or_else(|_| resource.to_string(), |parsed| parsed.describe())
}

pub(super) fn order(
    kb: &KnowledgeBase,
    answers: &Resolved,
    steps: Vec<StepOutcome>,
    fill: impl Fn(&str) -> String,
) -> (Vec<StepOutcome>, Vec<PlanInputRow>) {
    let mut by_phase: Vec<Vec<StepOutcome>> = vec![Vec::new(); kb.phases.len() + 1];
    for step in steps {
        let position = kb.phase_position(&step.phase).min(kb.phases.len());
        by_phase[position].push(step);
    }
    let mut ordered: Vec<StepOutcome> = Vec::new();
    for phase in by_phase {
        ordered.extend(dependency_order(phase));
    }

    let inputs: Vec<_> = kb
        .plan_inputs
        .iter()
        .filter(|input| holds(input.when.as_ref(), answers))
        .collect();
    let mut used_inputs: Vec<PlanInputRow> = Vec::new();
    for index in 0..ordered.len() {
        let (earlier, rest) = ordered.split_at_mut(index);
        let step = &mut rest[0];
        for used in &mut step.uses {
            // The latest earlier creator is the one whose result the step sees.
            used.created_by = earlier
                .iter()
                .rev()
                .find(|other| other.creates.contains(&used.resource))
                .map(|other| other.id.clone());
            if used.created_by.is_none()
                && let Some(input) = inputs.iter().find(|input| input.resource == used.resource)
                && !used_inputs.iter().any(|row| row.resource == input.resource)
            {
                used_inputs.push(PlanInputRow {
                    resource: input.resource.clone(),
                    description: fill(&input.description),
                });
            }
        }
    }
    (ordered, used_inputs)
}

/// A stable topological order of one phase's steps: the knowledge base's order, except that a
/// step waits for the steps of the phase that create what it uses. A cycle (which the validator
/// rejects) keeps the remaining steps in their written order rather than losing any.
fn dependency_order(mut pending: Vec<StepOutcome>) -> Vec<StepOutcome> {
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|step| {
            !step.uses.iter().any(|used| {
                pending
                    .iter()
                    .any(|other| other.id != step.id && other.creates.contains(&used.resource))
            })
        });
        ordered.push(pending.remove(ready.unwrap_or(0)));
    }
    ordered
}
