//! The `estate:` rules hold together: kinds are declared before rules read them, answers name
//! real questions and choices, drift rules name the steps that close them, presence rules name
//! resources the plan creates, and paths are well formed.

use std::collections::HashSet;

use super::super::estate::{EstateCondition, EstateRules};
use super::super::model::QuestionKind;
use super::super::plan::ResourceRef;
use super::{Anchor, Validator, is_valid_id};
use crate::diagnostic::did_you_mean;

impl<'a> Validator<'a> {
    fn estate_blocks(&self) -> Vec<(usize, &'a EstateRules)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(index, file)| file.content.estate.as_ref().map(|estate| (index, estate)))
            .collect()
    }

    pub(super) fn check_estate(&mut self) {
        let blocks = self.estate_blocks();
        if blocks.is_empty() {
            return;
        }
        let kinds: Vec<&'a str> = blocks
            .iter()
            .flat_map(|(_, block)| block.resource_types.iter().map(|known| known.kind.as_str()))
            .collect();
        let step_ids: HashSet<&'a str> = self
            .files
            .iter()
            .flat_map(|file| file.content.decisions.iter())
            .flat_map(|decision| decision.options.iter())
            .flat_map(|option| option.next_steps.iter().map(|step| step.id.as_str()))
            .collect();
        let created: HashSet<&'a str> = self
            .files
            .iter()
            .flat_map(|file| file.content.decisions.iter())
            .flat_map(|decision| decision.options.iter())
            .flat_map(|option| option.next_steps.iter())
            .flat_map(|step| step.creates.iter().map(String::as_str))
            .collect();
        let finding_ids: HashSet<&'a str> = self
            .files
            .iter()
            .flat_map(|file| file.content.findings.iter().map(|finding| finding.id.as_str()))
            .collect();
        if !kinds.contains(&"workspace") {
            let (file, _) = blocks[0];
            let anchor = estate_anchor(file, "resource_types", "");
            self.report(
                anchor,
                None,
                "estate.resource_types declares no kind `workspace`; assess looks for the workspaces by it".into(),
            );
        }

        let mut seen_kinds = HashSet::new();
        let mut seen_answers = HashSet::new();
        let mut seen_drift = HashSet::new();
        let mut seen_resources = HashSet::new();
        let mut seen_findings = HashSet::new();
        for (file, block) in blocks {
            for known in &block.resource_types {
                let anchor = estate_anchor(file, "kind", &known.kind);
                if !is_valid_id(&known.kind) || known.kind.contains('-') {
                    self.report(
                        anchor,
                        None,
                        format!("estate kind `{}` must be lowercase letters, digits and `_`", known.kind),
                    );
                }
                if !seen_kinds.insert(known.kind.as_str()) {
                    self.report(anchor, None, format!("estate kind `{}` is declared twice", known.kind));
                }
                for arm_type in &known.types {
                    if !arm_type.contains('/') || arm_type.contains(' ') {
                        self.report(
                            anchor,
                            Some(arm_type),
                            format!(
                                "estate kind `{}`: `{arm_type}` is not an ARM type (Namespace/type)",
                                known.kind
                            ),
                        );
                    }
                }
                if known.types.is_empty() {
                    self.report(anchor, None, format!("estate kind `{}` lists no ARM types", known.kind));
                }
            }
            for rule in &block.settled {
                let anchor = estate_anchor(file, "id", &rule.id);
                self.check_estate_condition(anchor, &kinds, &rule.when);
                for finding in &rule.findings {
                    if !finding_ids.contains(finding.as_str()) {
                        let hint = did_you_mean(finding, finding_ids.iter().copied());
                        self.report(
                            anchor,
                            Some(finding),
                            format!("settled `{}` withdraws unknown finding `{finding}`{hint}", rule.id),
                        );
                    }
                }
                for step in &rule.steps {
                    if !step_ids.contains(step.as_str()) {
                        let hint = did_you_mean(step, step_ids.iter().copied());
                        self.report(
                            anchor,
                            Some(step),
                            format!("settled `{}` marks unknown next step `{step}` done{hint}", rule.id),
                        );
                    }
                }
                if rule.findings.is_empty() && rule.steps.is_empty() {
                    self.report(
                        anchor,
                        None,
                        format!("settled `{}` withdraws no finding and marks no step done", rule.id),
                    );
                }
            }
            for source in &block.subnets {
                let anchor = estate_anchor(file, "subnets", "");
                self.check_estate_path(anchor, &kinds, &source.of, &source.path);
            }
            for answer in &block.answers {
                let anchor = estate_anchor(file, "question", &answer.question);
                if !seen_answers.insert(answer.question.as_str()) {
                    self.report(
                        anchor,
                        None,
                        format!(
                            "estate.answers has two rules for `{}`; merge their cases",
                            answer.question
                        ),
                    );
                }
                let Some(&position) = self.question_position.get(answer.question.as_str()) else {
                    let hint = did_you_mean(&answer.question, self.question_position.keys().copied());
                    self.report(
                        anchor,
                        None,
                        format!("estate.answers names unknown question `{}`{hint}", answer.question),
                    );
                    continue;
                };
                let question = self.questions[position].1;
                match (question.kind, &answer.text, answer.cases.is_empty()) {
                    (QuestionKind::Text, Some(_), true) => {}
                    (QuestionKind::Text, _, _) => self.report(
                        anchor,
                        None,
                        format!(
                            "estate answer for text question `{}` takes `text: {{of, path}}` and no cases",
                            answer.question
                        ),
                    ),
                    (_, None, false) => {}
                    (_, _, _) => self.report(
                        anchor,
                        None,
                        format!(
                            "estate answer for choice question `{}` takes `cases` (when, choice) and no `text`",
                            answer.question
                        ),
                    ),
                }
                if answer.none_when.is_some() && question.kind != QuestionKind::Multi {
                    self.report(
                        anchor,
                        Some("none_when"),
                        format!(
                            "`none_when` is for multi-choice questions; `{}` is not one",
                            answer.question
                        ),
                    );
                }
                if let Some(text) = &answer.text {
                    self.check_estate_path(anchor, &kinds, &text.of, &text.path);
                }
                for case in &answer.cases {
                    if !question.choices.iter().any(|choice| choice.id == case.choice) {
                        let allowed: Vec<&str> = question.choices.iter().map(|c| c.id.as_str()).collect();
                        let hint = did_you_mean(&case.choice, allowed.iter().copied());
                        self.report(
                            anchor,
                            Some(&case.choice),
                            format!(
                                "estate answer for `{}` names unknown choice `{}` (allowed: {}){hint}",
                                answer.question,
                                case.choice,
                                allowed.join(", ")
                            ),
                        );
                    }
                    self.check_estate_condition(anchor, &kinds, &case.when);
                }
                if let Some(when) = &answer.none_when {
                    self.check_estate_condition(anchor, &kinds, when);
                }
            }
            for rule in &block.drift {
                let anchor = estate_anchor(file, "id", &rule.id);
                if !is_valid_id(&rule.id) {
                    self.report(
                        anchor,
                        None,
                        format!("drift id `{}` must be lowercase letters, digits, `-` and `_`", rule.id),
                    );
                }
                if !seen_drift.insert(rule.id.as_str()) {
                    self.report(anchor, None, format!("drift rule `{}` is given twice", rule.id));
                }
                self.check_estate_path(anchor, &kinds, &rule.of, &rule.path);
                if rule.recommend.is_empty() {
                    self.report(
                        anchor,
                        None,
                        format!(
                            "drift rule `{}` recommends nothing; give `recommend: [{{when, value}}]`",
                            rule.id
                        ),
                    );
                }
                for case in &rule.recommend {
                    if let Some(when) = &case.when {
                        self.check_condition(anchor, when, None);
                    }
                }
                for step in &rule.closed_by {
                    if !step_ids.contains(step.as_str()) {
                        let hint = did_you_mean(step, step_ids.iter().copied());
                        self.report(
                            anchor,
                            Some(step),
                            format!("drift rule `{}` is closed by unknown next step `{step}`{hint}", rule.id),
                        );
                    }
                }
                self.check_source_list(anchor, &rule.sources);
            }
            for rule in &block.resources {
                let anchor = estate_anchor(file, "resource", &rule.resource);
                if let Err(message) = ResourceRef::parse(&rule.resource) {
                    self.report(anchor, None, format!("estate.resources: {message}"));
                } else if !created.contains(rule.resource.as_str()) {
                    self.report(
                        anchor,
                        None,
                        format!(
                            "estate.resources: no next step creates `{}`, so the estate can never be compared with it",
                            rule.resource
                        ),
                    );
                }
                if !seen_resources.insert(rule.resource.as_str()) {
                    self.report(
                        anchor,
                        None,
                        format!("estate.resources lists `{}` twice", rule.resource),
                    );
                }
                self.check_estate_condition(anchor, &kinds, &rule.found);
            }
            for finding in &block.findings {
                let anchor = estate_anchor(file, "id", &finding.id);
                if !is_valid_id(&finding.id) {
                    self.report(
                        anchor,
                        None,
                        format!(
                            "finding id `{}` must be lowercase letters, digits, `-` and `_`",
                            finding.id
                        ),
                    );
                }
                if !seen_findings.insert(finding.id.as_str()) || finding_ids.contains(finding.id.as_str()) {
                    self.report(
                        anchor,
                        None,
                        format!(
                            "finding id `{}` is used twice (estate findings share ids with findings)",
                            finding.id
                        ),
                    );
                }
                self.check_estate_condition(anchor, &kinds, &finding.when);
                if let Some(answers) = &finding.answers {
                    self.check_condition(anchor, answers, None);
                }
                self.check_source_list(anchor, &finding.sources);
            }
        }
    }

    fn check_estate_condition(&mut self, anchor: Anchor<'_>, kinds: &[&str], condition: &EstateCondition) {
        for test in condition.tests() {
            self.check_estate_path(anchor, kinds, &test.of, &test.path);
            let given = [
                test.equals.is_some(),
                test.one_of.is_some(),
                test.ends_with.is_some(),
                test.present.is_some(),
            ];
            if given.iter().filter(|g| **g).count() > 1 {
                self.report(anchor, Some(&test.path), format!(
                    "estate test on `{}` gives more than one of `equals`, `in`, `ends_with`, `present`; split it with `all`", test.path
                ));
            }
            if test.present == Some(true) {
                self.report(
                    anchor,
                    Some(&test.path),
                    format!(
                        "`present: true` on `{}` is what a test without a value means; leave it out",
                        test.path
                    ),
                );
            }
        }
        for kind in condition.kinds() {
            if !kinds.contains(&kind) {
                let hint = did_you_mean(kind, kinds.iter().copied());
                self.report(
                    anchor,
                    Some(kind),
                    format!("estate condition names unknown kind `{kind}`{hint}"),
                );
            }
        }
    }

    fn check_estate_path(&mut self, anchor: Anchor<'_>, kinds: &[&str], of: &str, path: &str) {
        if !kinds.contains(&of) {
            let hint = did_you_mean(of, kinds.iter().copied());
            self.report(
                anchor,
                Some(of),
                format!("estate rule reads unknown kind `{of}`{hint} (declare it under estate.resource_types)"),
            );
        }
        let well_formed = !path.is_empty()
            && path.split('.').all(|part| {
                let name = part.strip_suffix("[*]").unwrap_or(part);
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if !well_formed {
            self.report(anchor, Some(path), format!(
                "estate path `{path}` is not a dotted property path (names of letters, digits, `_`; `[*]` after a name for every element)"
            ));
        }
    }
}

fn estate_anchor<'v>(file: usize, key: &'static str, value: &'v str) -> Anchor<'v> {
    Anchor {
        file,
        list: "estate",
        key,
        value,
    }
}
