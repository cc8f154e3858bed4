//! The plan holds together: every resource a next step uses is created by a step of the same
//! or an earlier phase (or exists before the plan), under every combination of answers that
//! shows the step, and nothing is created twice. Proven with the same reachability search
//! that proves rules can fire, so a violation comes with the answers that expose it.

use std::collections::{HashMap, HashSet};

use super::super::condition::Condition;
use super::super::model::NextStep;
use super::super::plan::ResourceRef;
use super::super::reachability::{Outcome, Solver};
use super::{Anchor, Validator, describe_witness, first_match_conditions};

/// A next step with where it stands and when it is shown.
struct PlannedStep<'a> {
    file: usize,
    step: &'a NextStep,
    phase: usize,
    /// The step is shown: its option is chosen and its own `when` holds.
    fires: Condition,
    /// Which decision option it belongs to (steps of one option are chosen together).
    option: usize,
}

fn always() -> Condition {
    Condition::All(Vec::new())
}

fn none_of(conditions: Vec<Condition>) -> Condition {
    Condition::Not(Box::new(Condition::Any(conditions)))
}

impl<'a> Validator<'a> {
    fn step_anchor(file: usize, step: &'a NextStep) -> Anchor<'a> {
        Anchor {
            file,
            list: "decisions",
            key: "id",
            value: &step.id,
        }
    }

    /// Every load: references name known kinds, inputs are well-formed, a step's file is the
    /// one its command applies.
    pub(super) fn check_plan_structure(&mut self) {
        for (file, decision) in self.all(|f| &f.decisions) {
            for option in &decision.options {
                for step in &option.next_steps {
                    let anchor = Self::step_anchor(file, step);
                    for need in &step.uses {
                        if let Some(condition) = need.when() {
                            self.check_condition(anchor, condition, None);
                        }
                    }
                    if let Some(applied) = &step.file {
                        for part in &applied.parts {
                            if let Some(condition) = &part.when {
                                self.check_condition(anchor, condition, None);
                            }
                        }
                    }
                    let uses = step.uses.iter().map(|need| need.resource());
                    for reference in step.creates.iter().map(String::as_str).chain(uses) {
                        if let Err(message) = ResourceRef::parse(reference) {
                            self.report(anchor, Some(reference), format!("next step `{}`: {message}", step.id));
                        }
                    }
                    let mut seen = HashSet::new();
                    for reference in &step.creates {
                        if step.uses.iter().any(|need| need.resource() == reference) {
                            self.report(
                                anchor,
                                Some(reference),
                                format!("next step `{}` both creates and uses `{reference}`", step.id),
                            );
                        }
                        if !seen.insert(reference) {
                            self.report(
                                anchor,
                                Some(reference),
                                format!("next step `{}` lists `{reference}` twice", step.id),
                            );
                        }
                    }
                    if let Some(applied) = &step.file {
                        let applies = step.command.as_deref().is_some_and(|c| c.contains(&applied.name));
                        if !applies {
                            self.report(
                                anchor,
                                Some("file"),
                                format!(
                                    "next step `{}` shows the file `{}` but its command does not apply it; name the file in the command (`--file {}`)",
                                    step.id, applied.name, applied.name
                                ),
                            );
                        }
                    }
                }
            }
        }
        for (file, input) in self.all(|f| &f.plan_inputs) {
            let anchor = Anchor {
                file,
                list: "plan_inputs",
                key: "resource",
                value: &input.resource,
            };
            if let Err(message) = ResourceRef::parse(&input.resource) {
                self.report(anchor, None, format!("plan input: {message}"));
            }
            if let Some(condition) = &input.when {
                self.check_condition(anchor, condition, None);
            }
        }
    }

    fn planned_steps(&self) -> Vec<PlannedStep<'a>> {
        let phase_position: HashMap<&str, usize> = self
            .all(|f| &f.phases)
            .into_iter()
            .enumerate()
            .map(|(position, (_, phase))| (phase.id.as_str(), position))
            .collect();
        let mut planned = Vec::new();
        let mut option_number = 0;
        for (file, decision) in self.all(|f| &f.decisions) {
            let chosen = first_match_conditions(decision.options.iter().map(|o| o.when.as_ref()));
            for (option, option_fires) in decision.options.iter().zip(chosen) {
                option_number += 1;
                for step in &option.next_steps {
                    let fires = match &step.when {
                        Some(when) => Condition::All(vec![option_fires.clone(), when.clone()]),
                        None => option_fires.clone(),
                    };
                    planned.push(PlannedStep {
                        file,
                        step,
                        phase: phase_position.get(step.phase.as_str()).copied().unwrap_or(usize::MAX),
                        fires,
                        option: option_number,
                    });
                }
            }
        }
        planned
    }

    /// Full depth: the proof over every reachable combination of answers.
    pub(super) fn check_plan_coherence(&mut self, solver: &Solver<'_>) {
        let steps = self.planned_steps();
        // Indexes rather than scans: a large extension has tens of thousands of steps.
        let mut inputs: HashMap<&str, Vec<Condition>> = HashMap::new();
        for (_, input) in self.all(|f| &f.plan_inputs) {
            inputs
                .entry(input.resource.as_str())
                .or_default()
                .push(input.when.clone().unwrap_or_else(always));
        }
        let mut creators: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, planned) in steps.iter().enumerate() {
            for resource in &planned.step.creates {
                creators.entry(resource.as_str()).or_default().push(index);
            }
        }
        let no_steps: Vec<usize> = Vec::new();
        let no_inputs: Vec<Condition> = Vec::new();
        let mut problems: Vec<(Anchor<'a>, Option<&'a str>, String)> = Vec::new();

        for planned in &steps {
            for need in &planned.step.uses {
                let used = need.resource();
                let makers = creators.get(used).unwrap_or(&no_steps);
                // Provided whenever the step is shown, without a search: an input that always
                // exists, or an unconditional earlier step of the same option.
                let always_provided = inputs.get(used).is_some_and(|conditions| {
                    conditions
                        .iter()
                        .any(|c| matches!(c, Condition::All(parts) if parts.is_empty()))
                }) || makers.iter().map(|&index| &steps[index]).any(|creator| {
                    creator.option == planned.option && creator.phase <= planned.phase && creator.step.when.is_none()
                });
                if always_provided {
                    continue;
                }
                let mut providers: Vec<Condition> = makers
                    .iter()
                    .map(|&index| &steps[index])
                    .filter(|creator| creator.phase <= planned.phase)
                    .map(|creator| creator.fires.clone())
                    .collect();
                providers.extend(inputs.get(used).unwrap_or(&no_inputs).iter().cloned());
                let mut shown = vec![planned.fires.clone(), none_of(providers)];
                shown.extend(need.when().cloned());
                let goal = Condition::All(shown);
                if let Outcome::Reachable(witness) = solver.check(&goal) {
                    let later: Vec<String> = makers
                        .iter()
                        .map(|&index| &steps[index])
                        .filter(|creator| creator.phase > planned.phase)
                        .map(|creator| format!("`{}` ({})", creator.step.id, creator.step.phase))
                        .collect();
                    let hint = if later.is_empty() {
                        "add it to the `creates` of an earlier step, or declare it in `plan_inputs`".to_string()
                    } else {
                        format!("only later steps create it: {}", later.join(", "))
                    };
                    problems.push((
                        Self::step_anchor(planned.file, planned.step),
                        Some(used),
                        format!(
                            "next step `{}` ({}) uses `{used}`, but no step of its phase or an earlier one creates it {}; {hint}",
                            planned.step.id,
                            planned.step.phase,
                            describe_witness(&witness)
                        ),
                    ));
                }
            }
        }

        // Created twice: two creators shown together, or a creator of a plan input.
        let mut created: Vec<&str> = creators.keys().copied().collect();
        created.sort_unstable();
        for resource in created {
            let makers = &creators[resource];
            for (position, &later_index) in makers.iter().enumerate() {
                let later = &steps[later_index];
                for &earlier_index in &makers[..position] {
                    let earlier = &steps[earlier_index];
                    let both = Condition::All(vec![earlier.fires.clone(), later.fires.clone()]);
                    if let Outcome::Reachable(witness) = solver.check(&both) {
                        problems.push((
                            Self::step_anchor(later.file, later.step),
                            Some(resource),
                            format!(
                                "`{resource}` is created twice, by `{}` and `{}`, {}",
                                earlier.step.id,
                                later.step.id,
                                describe_witness(&witness)
                            ),
                        ));
                    }
                }
                if let Some(existing) = inputs.get(resource) {
                    let both = Condition::All(vec![later.fires.clone(), Condition::Any(existing.clone())]);
                    if let Outcome::Reachable(witness) = solver.check(&both) {
                        problems.push((
                            Self::step_anchor(later.file, later.step),
                            Some(resource),
                            format!(
                                "next step `{}` creates `{resource}`, which already exists as a plan input {}",
                                later.step.id,
                                describe_witness(&witness)
                            ),
                        ));
                    }
                }
            }
        }

        problems.extend(self.same_phase_cycles(&steps, &creators));
        for (anchor, detail, message) in problems {
            self.report(anchor, detail, message);
        }
    }

    /// Steps of one phase are ordered by what they create and use; a cycle has no order.
    fn same_phase_cycles(
        &self,
        steps: &[PlannedStep<'a>],
        creators: &HashMap<&str, Vec<usize>>,
    ) -> Vec<(Anchor<'a>, Option<&'a str>, String)> {
        // An edge runs from a creator to each step of the same phase that uses what it creates.
        let mut feeds: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
        for (user, planned) in steps.iter().enumerate() {
            for need in &planned.step.uses {
                for &creator in creators.get(need.resource()).into_iter().flatten() {
                    if creator != user && steps[creator].phase == planned.phase && !feeds[creator].contains(&user) {
                        feeds[creator].push(user);
                    }
                }
            }
        }
        let mut problems = Vec::new();
        // 0 unvisited, 1 on the current path, 2 done. Iterative, so a long chain cannot
        // overflow the stack.
        let mut state = vec![0u8; steps.len()];
        for start in 0..steps.len() {
            if state[start] != 0 {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some((node, next)) = path.last_mut() {
                let node = *node;
                if let Some(&successor) = feeds[node].get(*next) {
                    *next += 1;
                    match state[successor] {
                        0 => {
                            state[successor] = 1;
                            path.push((successor, 0));
                        }
                        1 => {
                            let step = steps[successor].step;
                            problems.push((
                                Self::step_anchor(steps[successor].file, step),
                                None,
                                format!(
                                    "next step `{}` is part of a cycle of steps in phase `{}` that each use what another creates; break the cycle or move a step to a later phase",
                                    step.id, step.phase
                                ),
                            ));
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    path.pop();
                }
            }
        }
        problems
    }
}
