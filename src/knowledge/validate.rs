//! Semantic checks that serde cannot express: ids, references, ordering, placeholders and
//! reachability. Every problem is collected, each with the file and line to fix.

use std::collections::{HashMap, HashSet};

use super::condition::{Condition, Operator};
use super::load::LoadedFile;
use super::model::*;
use super::reachability::{Outcome, Solver};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::locate::SourceText;
use crate::placeholder;

mod commands;
mod estate;
mod facts;
mod iac;
mod plan_coherence;

/// How much to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Depth {
    /// Shape, ids and references: what the engine relies on. Every load does this.
    Structure,
    /// Also prove that every question, choice and rule can be reached, and that every decision,
    /// default and policy effect has an outcome under every answer (without that the engine
    /// would leave a decision out or a question unexpectedly required). Skipped for the embedded
    /// knowledge base on ordinary runs: the test suite proves it through `knowledge check`.
    Full,
}

pub(super) fn validate(files: &[LoadedFile], depth: Depth) -> Diagnostics {
    let mut validator = Validator::new(files);
    validator.check_structure();
    // Reachability over broken references would only add noise to the real problem.
    if depth == Depth::Full && validator.problems.is_empty() {
        validator.check_reachability();
        // Policies, roles, DNS zones, service tags and commands against upstream/.
        validator.check_facts();
    }
    validator.problems
}

/// Ids with the file they are in.
type IdList<'a> = Vec<(usize, &'a str)>;
/// Items (file, id) with their optional condition.
type Guarded<'a> = Vec<(usize, &'a str, Option<&'a Condition>)>;
/// Records an item whose condition can never hold.
type Report<'a, 'f> = dyn FnMut(Anchor<'a>, Option<&'a str>, &Condition, String) + 'f;

/// Where an item stands: its file, the list it is in and the key/value that starts it.
#[derive(Clone, Copy)]
struct Anchor<'a> {
    file: usize,
    list: &'static str,
    key: &'static str,
    value: &'a str,
}

struct Validator<'a> {
    files: &'a [LoadedFile],
    /// Each file split into lines, made only when a problem needs a position.
    texts: Vec<std::cell::OnceCell<SourceText<'a>>>,
    problems: Diagnostics,
    /// Questions in interview order, with their file.
    questions: Vec<(usize, &'a Question)>,
    question_position: HashMap<&'a str, usize>,
    source_ids: HashSet<&'a str>,
}

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

impl<'a> Validator<'a> {
    fn new(files: &'a [LoadedFile]) -> Self {
        let texts = files.iter().map(|_| std::cell::OnceCell::new()).collect();
        let section_order: Vec<&str> = files
            .iter()
            .flat_map(|file| file.content.sections.iter().map(|section| section.id.as_str()))
            .collect();
        let mut questions: Vec<(usize, &Question)> = files
            .iter()
            .enumerate()
            .flat_map(|(index, file)| file.content.questions.iter().map(move |q| (index, q)))
            .collect();
        super::load::sort_in_interview_order(&section_order, &mut questions, |(_, question)| {
            question.section.as_str()
        });
        let mut question_position = HashMap::new();
        for (position, (_, question)) in questions.iter().enumerate() {
            question_position.entry(question.id.as_str()).or_insert(position);
        }
        let source_ids = files
            .iter()
            .flat_map(|file| file.content.sources.iter().map(|source| source.id.as_str()))
            .collect();
        Self {
            files,
            texts,
            problems: Diagnostics::default(),
            questions,
            question_position,
            source_ids,
        }
    }

    fn text(&self, file: usize) -> &SourceText<'a> {
        self.texts[file].get_or_init(|| SourceText::new(&self.files[file].text))
    }

    fn all<T>(&self, list: impl Fn(&'a KnowledgeFile) -> &'a [T]) -> Vec<(usize, &'a T)> {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(index, file)| list(&file.content).iter().map(move |item| (index, item)))
            .collect()
    }

    fn position(&self, anchor: Anchor<'_>, detail: Option<&str>) -> (usize, usize) {
        let text = self.text(anchor.file);
        let list_line = text.key(anchor.list, 1).map_or(1, |(line, _)| line);
        let start = text.key_value(anchor.key, anchor.value, list_line);
        match (start, detail) {
            (Some((line, column)), Some(token)) => text.token(token, line).unwrap_or((line, column)),
            (Some(position), None) => position,
            (None, Some(token)) => text.token(token, list_line).unwrap_or((list_line, 1)),
            (None, None) => (list_line, 1),
        }
    }

    fn report(&mut self, anchor: Anchor<'_>, detail: Option<&str>, message: String) {
        let (line, column) = self.position(anchor, detail);
        self.problems
            .push(Diagnostic::new(&self.files[anchor.file].name, line, column, message));
    }

    // ----- structure and references -------------------------------------------------------

    fn check_structure(&mut self) {
        self.check_meta();
        self.check_report();
        self.check_ids();
        self.check_sources();
        self.check_questions();
        self.check_rules();
        self.check_decisions();
        self.check_diagram();
        self.check_placeholders();
        self.check_iac();
        self.check_engine_questions();
        self.check_plan_structure();
        self.check_estate();
    }

    /// Exactly one file gives the report text.
    fn check_report(&mut self) {
        self.exactly_one(
            "report",
            |file| file.report.is_some(),
            "no file has `report:` (the outputs' framing text: problem_statement, roles_intro, \
             network_rules_intro, dns_zones_intro, dns_forward_label, policies_intro, enforcement_intro, \
             confirmation_intro, next_steps_intro); exactly one file must",
        );
    }

    /// Blocks that exactly one file gives (`meta`, `report`): reports a missing block or every
    /// repeat, and returns the one file that has it.
    fn exactly_one(&mut self, key: &str, has: impl Fn(&KnowledgeFile) -> bool, missing: &str) -> Option<usize> {
        let with: Vec<usize> = (0..self.files.len()).filter(|&i| has(&self.files[i].content)).collect();
        match with.as_slice() {
            [] => {
                self.problems.push(Diagnostic::new(&self.files[0].name, 1, 1, missing));
                None
            }
            [only] => Some(*only),
            [first, rest @ ..] => {
                for &file in rest {
                    let (line, column) = self.text(file).key(key, 1).unwrap_or((1, 1));
                    let message = format!(
                        "second `{key}:`; it is already given in {}; keep exactly one",
                        self.files[*first].name
                    );
                    self.problems
                        .push(Diagnostic::new(&self.files[file].name, line, column, message));
                }
                None
            }
        }
    }

    fn check_meta(&mut self) {
        let only = self.exactly_one(
            "meta",
            |file| file.meta.is_some(),
            "no file has `meta:` (version, title, reviewed); exactly one file must",
        );
        if let Some(only) = only {
            let meta = self.files[only].content.meta.as_ref().expect("filtered");
            if !is_date(&meta.reviewed) {
                let anchor = Anchor {
                    file: only,
                    list: "meta",
                    key: "reviewed",
                    value: &meta.reviewed,
                };
                self.report(
                    anchor,
                    None,
                    format!("meta.reviewed `{}` is not a date; write YYYY-MM-DD", meta.reviewed),
                );
            }
            if meta.version.trim().is_empty() {
                let anchor = Anchor {
                    file: only,
                    list: "meta",
                    key: "version",
                    value: "",
                };
                self.report(
                    anchor,
                    None,
                    "meta.version is empty; give the knowledge base a version".into(),
                );
            }
        }
        for (list, empty) in [
            ("sections", self.all(|f| &f.sections).is_empty()),
            ("areas", self.all(|f| &f.areas).is_empty()),
            ("phases", self.all(|f| &f.phases).is_empty()),
            // The engine always reports one; the last is the fallback.
            ("architectures", self.all(|f| &f.architectures).is_empty()),
        ] {
            if empty {
                self.problems.push(Diagnostic::new(
                    &self.files[0].name,
                    1,
                    1,
                    format!("no file lists `{list}:`; the knowledge base needs at least one"),
                ));
            }
        }
    }

    /// Ids unique within their kind and well formed.
    fn check_ids(&mut self) {
        let kinds: Vec<(&'static str, &'static str, IdList<'a>)> = vec![
            (
                "sections",
                "id",
                self.all(|f| &f.sections)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "areas",
                "id",
                self.all(|f| &f.areas)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "phases",
                "id",
                self.all(|f| &f.phases)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "sources",
                "id",
                self.all(|f| &f.sources)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "regions",
                "id",
                self.all(|f| &f.regions)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "questions",
                "id",
                self.all(|f| &f.questions)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "architectures",
                "id",
                self.all(|f| &f.architectures)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "variants",
                "id",
                self.all(|f| &f.variants)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "findings",
                "id",
                self.all(|f| &f.findings)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "network_rules",
                "id",
                self.all(|f| &f.network_rules)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "dns_zones",
                "id",
                self.all(|f| &f.dns_zones)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "policies",
                "id",
                self.all(|f| &f.policies)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "role_assignments",
                "id",
                self.all(|f| &f.role_assignments)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "confirmations",
                "id",
                self.all(|f| &f.confirmations)
                    .into_iter()
                    .map(|(i, x)| (i, x.id.as_str()))
                    .collect(),
            ),
            (
                "decisions",
                "area",
                self.all(|f| &f.decisions)
                    .into_iter()
                    .map(|(i, x)| (i, x.area.as_str()))
                    .collect(),
            ),
            (
                "next_steps",
                "id",
                self.all(|f| &f.decisions)
                    .into_iter()
                    .flat_map(|(i, d)| {
                        d.options
                            .iter()
                            .flat_map(move |o| o.next_steps.iter().map(move |s| (i, s.id.as_str())))
                    })
                    .collect(),
            ),
            (
                "diagram",
                "id",
                self.files
                    .iter()
                    .enumerate()
                    .flat_map(|(i, f)| {
                        f.content.diagram.iter().flat_map(move |d| {
                            d.groups
                                .iter()
                                .map(move |g| (i, g.id.as_str()))
                                .chain(d.nodes.iter().map(move |n| (i, n.id.as_str())))
                        })
                    })
                    .collect(),
            ),
        ];
        for (list, key, ids) in kinds {
            self.check_unique(list, key, &ids);
        }
        for (file, question) in self.all(|f| &f.questions) {
            let ids: Vec<(usize, &str)> = question.choices.iter().map(|c| (file, c.id.as_str())).collect();
            self.check_unique_within(file, "choices", &question.id, &ids);
        }
        for (file, decision) in self.all(|f| &f.decisions) {
            let ids: Vec<(usize, &str)> = decision.options.iter().map(|o| (file, o.id.as_str())).collect();
            self.check_unique_within(file, "options", &decision.area, &ids);
        }
    }

    fn check_unique(&mut self, list: &'static str, key: &'static str, ids: &[(usize, &'a str)]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for &(file, id) in ids {
            let list_for_anchor = if list == "next_steps" { "decisions" } else { list };
            let anchor = Anchor {
                file,
                list: list_for_anchor,
                key,
                value: id,
            };
            if key == "id" && !is_valid_id(id) {
                self.report(anchor, None, format!(
                    "{list} id `{id}` is not allowed; ids use lower-case letters, digits, `_` and `-`, starting with a letter or digit"
                ));
            }
            if list == "diagram" && id.contains('-') {
                self.report(anchor, None, format!(
                    "diagram id `{id}` contains `-`; Mermaid node ids here use lower-case letters, digits and `_` only"
                ));
            }
            if let Some(&first_file) = seen.get(id) {
                let (line, column) = self.nth_position(anchor, if first_file == file { 2 } else { 1 });
                let first = self.nth_position(
                    Anchor {
                        file: first_file,
                        ..anchor
                    },
                    1,
                );
                let what = if key == "area" {
                    format!("decision for area `{id}`")
                } else {
                    format!("{} id `{id}`", singular(list))
                };
                self.problems.push(Diagnostic::new(
                    &self.files[file].name,
                    line,
                    column,
                    format!(
                        "duplicate {what}; first defined at {}:{}",
                        self.files[first_file].name, first.0
                    ),
                ));
            } else {
                seen.insert(id, file);
            }
        }
    }

    fn check_unique_within(&mut self, file: usize, list: &'static str, owner: &str, ids: &[(usize, &str)]) {
        let mut seen = HashSet::new();
        for &(_, id) in ids {
            if !is_valid_id(id) {
                let anchor = Anchor {
                    file,
                    list: "questions",
                    key: "id",
                    value: owner,
                };
                self.report(
                    anchor,
                    Some(id),
                    format!(
                        "{list} id `{id}` of `{owner}` is not allowed; use lower-case letters, digits, `_` and `-`"
                    ),
                );
            }
            if !seen.insert(id) {
                let anchor = Anchor {
                    file,
                    list: "questions",
                    key: "id",
                    value: owner,
                };
                let (line, column) = self.nth_position(anchor, 2);
                let (line, column) = self
                    .text(file)
                    .key_value("id", id, line)
                    .map_or((line, column), |first| {
                        self.text(file).key_value("id", id, first.0 + 1).unwrap_or(first)
                    });
                self.problems.push(Diagnostic::new(
                    &self.files[file].name,
                    line,
                    column,
                    format!("duplicate {list} id `{id}` in `{owner}`"),
                ));
            }
        }
    }

    /// The position of the n-th `key: value` of an anchor (n = 2 for a second definition).
    fn nth_position(&self, anchor: Anchor<'_>, n: usize) -> (usize, usize) {
        let text = self.text(anchor.file);
        let mut from = text.key(anchor.list, 1).map_or(1, |(line, _)| line);
        let mut found = (from, 1);
        for _ in 0..n {
            match text.key_value(anchor.key, anchor.value, from) {
                Some(position) => {
                    found = position;
                    from = position.0 + 1;
                }
                None => break,
            }
        }
        found
    }

    fn check_sources(&mut self) {
        for (file, source) in self.all(|f| &f.sources) {
            let anchor = Anchor {
                file,
                list: "sources",
                key: "id",
                value: &source.id,
            };
            let location = source.location.as_str();
            // A reader must be able to open what is cited: a public page, or a description of a
            // document that is not published. A file path only exists on the author's machine.
            let is_description = !location.contains('/') && !location.contains('\\') && location.contains(' ');
            if !is_description && !location.starts_with("https://") {
                self.report(anchor, Some(location), format!(
                    "source `{}` location `{location}` is neither an https:// URL nor a description of an unpublished document (a file path means nothing to a reader)",
                    source.id
                ));
            }
            if !is_date(&source.reviewed) {
                self.report(
                    anchor,
                    Some(&source.reviewed),
                    format!(
                        "source `{}` reviewed `{}` is not a date; write YYYY-MM-DD",
                        source.id, source.reviewed
                    ),
                );
            }
        }
    }

    fn check_source_list(&mut self, anchor: Anchor<'_>, sources: &[String]) {
        if sources.is_empty() {
            self.report(
                anchor,
                None,
                format!(
                    "`{}` cites no sources; every item cites a seed file or a Learn page",
                    anchor.value
                ),
            );
        }
        for source in sources {
            if !self.source_ids.contains(source.as_str()) {
                let hint = did_you_mean(source, self.source_ids.iter().copied());
                self.report(
                    anchor,
                    Some(source),
                    format!("`{}` cites unknown source `{source}`{hint}", anchor.value),
                );
            }
        }
    }

    fn check_questions(&mut self) {
        let sections: HashSet<&str> = self
            .all(|f| &f.sections)
            .into_iter()
            .map(|(_, s)| s.id.as_str())
            .collect();
        let has_regions = !self.all(|f| &f.regions).is_empty();
        for position in 0..self.questions.len() {
            let (file, question) = self.questions[position];
            let anchor = Anchor {
                file,
                list: "questions",
                key: "id",
                value: &question.id,
            };
            if !sections.contains(question.section.as_str()) {
                let hint = did_you_mean(&question.section, sections.iter().copied());
                self.report(
                    anchor,
                    Some(&question.section),
                    format!(
                        "question `{}` names unknown section `{}`{hint}",
                        question.id, question.section
                    ),
                );
            }
            self.check_source_list(anchor, &question.sources);
            match question.kind {
                QuestionKind::Text => {
                    if !question.choices.is_empty() {
                        self.report(
                            anchor,
                            Some("choices"),
                            format!(
                                "text question `{}` has choices; remove them or make it single/multi",
                                question.id
                            ),
                        );
                    }
                    match &question.text {
                        None => self.report(
                            anchor,
                            None,
                            format!(
                                "text question `{}` needs a `text:` rule (kind: name, resource_group or region)",
                                question.id
                            ),
                        ),
                        Some(rule) if rule.kind == TextKind::Region && !has_regions => self.report(
                            anchor,
                            Some("region"),
                            format!("question `{}` checks regions but no file lists `regions:`", question.id),
                        ),
                        Some(_) => {}
                    }
                }
                QuestionKind::Single | QuestionKind::Multi => {
                    let minimum = if question.kind == QuestionKind::Single { 2 } else { 1 };
                    if question.choices.len() < minimum {
                        self.report(
                            anchor,
                            None,
                            format!("question `{}` needs at least {minimum} choices", question.id),
                        );
                    }
                    if question.text.is_some() {
                        self.report(
                            anchor,
                            Some("text"),
                            format!(
                                "choice question `{}` has a `text:` rule; only text questions take one",
                                question.id
                            ),
                        );
                    }
                }
            }
            if let Some(condition) = &question.asked_when {
                self.check_condition(anchor, condition, Some(position));
            }
            for choice in &question.choices {
                if let Some(condition) = &choice.offered_when {
                    self.check_condition(anchor, condition, Some(position));
                }
            }
            if let Some(cases) = &question.default {
                self.check_default(anchor, question, cases, position);
            }
        }
    }

    fn check_default(&mut self, anchor: Anchor<'_>, question: &Question, cases: &[DefaultCase], position: usize) {
        if cases.is_empty() {
            self.report(
                anchor,
                Some("default"),
                format!(
                    "question `{}` has an empty default list; give at least one case or remove `default`",
                    question.id
                ),
            );
        }
        if let Some(last) = cases.last()
            && last.when.is_some()
        {
            self.report(
                anchor,
                Some("default"),
                format!(
                    "the last default case of `{}` has a `when`; the last case is the fallback and takes none",
                    question.id
                ),
            );
        }
        for case in cases {
            if let Some(condition) = &case.when {
                self.check_condition(anchor, condition, Some(position));
            }
            let allowed = || {
                question
                    .choices
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let choice_ids: Vec<&str> = question.choices.iter().map(|c| c.id.as_str()).collect();
            match (question.kind, &case.value) {
                (QuestionKind::Single, DefaultValue::One(value)) => {
                    if !choice_ids.contains(&value.as_str()) {
                        let hint = did_you_mean(value, choice_ids.iter().copied());
                        self.report(
                            anchor,
                            Some(value),
                            format!(
                                "default `{value}` of `{}` is not one of its choices ({}){hint}",
                                question.id,
                                allowed()
                            ),
                        );
                    }
                }
                (QuestionKind::Multi, DefaultValue::Many(values)) => {
                    for value in values {
                        if !choice_ids.contains(&value.as_str()) {
                            let hint = did_you_mean(value, choice_ids.iter().copied());
                            self.report(
                                anchor,
                                Some(value),
                                format!(
                                    "default `{value}` of `{}` is not one of its choices ({}){hint}",
                                    question.id,
                                    allowed()
                                ),
                            );
                        }
                    }
                }
                (QuestionKind::Text, DefaultValue::One(_)) => {}
                (kind, _) => {
                    let expected = match kind {
                        QuestionKind::Multi => "a list of choice ids",
                        QuestionKind::Single => "one choice id",
                        QuestionKind::Text => "a text",
                    };
                    self.report(
                        anchor,
                        Some("default"),
                        format!("default of `{}` has the wrong type; expected {expected}", question.id),
                    );
                }
            }
        }
    }

    /// References in a condition; `before` is the position of the question that owns it, whose
    /// conditions may only read earlier questions (otherwise the interview has a cycle).
    fn check_condition(&mut self, anchor: Anchor<'_>, condition: &Condition, before: Option<usize>) {
        for (operator, atom) in condition.typed_atoms() {
            let Some(&position) = self.question_position.get(atom.question.as_str()) else {
                let hint = did_you_mean(&atom.question, self.question_position.keys().copied());
                self.report(
                    anchor,
                    Some(&atom.question),
                    format!("condition names unknown question `{}`{hint}", atom.question),
                );
                continue;
            };
            let (_, question) = self.questions[position];
            if let Some(owner) = before
                && position >= owner
            {
                let owner_id = &self.questions[owner].1.id;
                let message = if position == owner {
                    format!(
                        "question `{owner_id}` has a condition on itself; conditions may only read earlier questions"
                    )
                } else {
                    format!(
                        "question `{owner_id}` has a condition on `{}`, which is asked later; conditions may only read earlier questions (this would be a cycle)",
                        atom.question
                    )
                };
                self.report(anchor, Some(&atom.question), message);
            }
            let operator_fits = match operator {
                Operator::Equals => question.kind == QuestionKind::Single,
                Operator::Contains => question.kind == QuestionKind::Multi,
            };
            if !operator_fits {
                let fix = match question.kind {
                    QuestionKind::Single => "use `equals` for a single-choice question",
                    QuestionKind::Multi => "use `contains` for a multi-choice question",
                    QuestionKind::Text => "conditions cannot read text questions",
                };
                self.report(
                    anchor,
                    Some(&atom.question),
                    format!("condition on `{}`: {fix}", atom.question),
                );
                continue;
            }
            if !question.choices.iter().any(|choice| choice.id == atom.value) {
                let hint = did_you_mean(&atom.value, question.choices.iter().map(|c| c.id.as_str()));
                let allowed: Vec<&str> = question.choices.iter().map(|c| c.id.as_str()).collect();
                self.report(
                    anchor,
                    Some(&atom.value),
                    format!(
                        "condition on `{}` names unknown choice `{}` (allowed: {}){hint}",
                        atom.question,
                        atom.value,
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn check_rules(&mut self) {
        self.check_rules_of("architectures", |f| &f.architectures);
        self.check_rules_of("variants", |f| &f.variants);
        self.check_rules_of("findings", |f| &f.findings);
        self.check_rules_of("network_rules", |f| &f.network_rules);
        self.check_rules_of("dns_zones", |f| &f.dns_zones);
        self.check_rules_of("policies", |f| &f.policies);
        self.check_rules_of("role_assignments", |f| &f.role_assignments);
        self.check_rules_of("confirmations", |f| &f.confirmations);
        for (file, policy) in self.all(|f| &f.policies) {
            let anchor = Anchor {
                file,
                list: "policies",
                key: "id",
                value: &policy.id,
            };
            if policy.effect.is_empty() {
                self.report(
                    anchor,
                    Some("effect"),
                    format!("policy `{}` has no effect cases", policy.id),
                );
            }
            for case in &policy.effect {
                if let Some(condition) = &case.when {
                    self.check_condition(anchor, condition, None);
                }
            }
        }
    }

    /// The condition and sources of every item of one list.
    fn check_rules_of<T: Rule + 'a>(&mut self, list: &'static str, items: impl Fn(&'a KnowledgeFile) -> &'a [T]) {
        for (file, item) in self.all(items) {
            let anchor = Anchor {
                file,
                list,
                key: "id",
                value: item.id(),
            };
            self.check_item(anchor, item.when(), item.sources());
        }
    }

    /// (file, id, condition) of every item of one list, for the reachability checks.
    fn guarded<T: Rule + 'a>(&self, items: impl Fn(&'a KnowledgeFile) -> &'a [T]) -> Guarded<'a> {
        self.all(items)
            .into_iter()
            .map(|(file, item)| (file, item.id(), item.when()))
            .collect()
    }

    fn check_item(&mut self, anchor: Anchor<'_>, when: Option<&Condition>, sources: &[String]) {
        if let Some(condition) = when {
            self.check_condition(anchor, condition, None);
        }
        self.check_source_list(anchor, sources);
    }

    fn check_decisions(&mut self) {
        let areas: Vec<(usize, &Area)> = self.all(|f| &f.areas);
        let phases: HashSet<&str> = self
            .all(|f| &f.phases)
            .into_iter()
            .map(|(_, p)| p.id.as_str())
            .collect();
        let decisions = self.all(|f| &f.decisions);
        for &(file, area) in &areas {
            if !decisions.iter().any(|(_, decision)| decision.area == area.id) {
                let anchor = Anchor {
                    file,
                    list: "areas",
                    key: "id",
                    value: &area.id,
                };
                self.report(
                    anchor,
                    None,
                    format!(
                        "area `{}` has no decision; add a `decisions:` entry with `area: {}`",
                        area.id, area.id
                    ),
                );
            }
        }
        for (file, decision) in decisions {
            let anchor = Anchor {
                file,
                list: "decisions",
                key: "area",
                value: &decision.area,
            };
            if !areas.iter().any(|(_, area)| area.id == decision.area) {
                let hint = did_you_mean(&decision.area, areas.iter().map(|(_, a)| a.id.as_str()));
                self.report(
                    anchor,
                    None,
                    format!("decision names unknown area `{}`{hint}", decision.area),
                );
            }
            if decision.options.is_empty() {
                self.report(anchor, None, format!("decision `{}` has no options", decision.area));
            }
            for option in &decision.options {
                let option_anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "id",
                    value: &option.id,
                };
                self.check_item(option_anchor, option.when.as_ref(), &option.sources);
                for step in &option.next_steps {
                    let step_anchor = Anchor {
                        file,
                        list: "decisions",
                        key: "id",
                        value: &step.id,
                    };
                    if let Some(condition) = &step.when {
                        self.check_condition(step_anchor, condition, None);
                    }
                    if !phases.contains(step.phase.as_str()) {
                        let hint = did_you_mean(&step.phase, phases.iter().copied());
                        self.report(
                            step_anchor,
                            Some(&step.phase),
                            format!("next step `{}` names unknown phase `{}`{hint}", step.id, step.phase),
                        );
                    }
                }
            }
        }
    }

    fn check_diagram(&mut self) {
        let diagrams: Vec<(usize, &Diagram)> = self
            .files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.content.diagram.as_ref().map(|d| (i, d)))
            .collect();
        let groups: HashSet<&str> = diagrams
            .iter()
            .flat_map(|(_, d)| d.groups.iter().map(|g| g.id.as_str()))
            .collect();
        let nodes: HashSet<&str> = diagrams
            .iter()
            .flat_map(|(_, d)| d.nodes.iter().map(|n| n.id.as_str()))
            .collect();
        for (file, diagram) in diagrams {
            for group in &diagram.groups {
                let anchor = Anchor {
                    file,
                    list: "diagram",
                    key: "id",
                    value: &group.id,
                };
                if let Some(parent) = &group.parent
                    && (!groups.contains(parent.as_str()) || parent == &group.id)
                {
                    self.report(
                        anchor,
                        Some(parent),
                        format!("diagram group `{}` names unknown parent group `{parent}`", group.id),
                    );
                }
                if let Some(condition) = &group.when {
                    self.check_condition(anchor, condition, None);
                }
            }
            for node in &diagram.nodes {
                let anchor = Anchor {
                    file,
                    list: "diagram",
                    key: "id",
                    value: &node.id,
                };
                if let Some(group) = &node.group
                    && !groups.contains(group.as_str())
                {
                    let hint = did_you_mean(group, groups.iter().copied());
                    self.report(
                        anchor,
                        Some(group),
                        format!("diagram node `{}` names unknown group `{group}`{hint}", node.id),
                    );
                }
                if let Some(condition) = &node.when {
                    self.check_condition(anchor, condition, None);
                }
            }
            for edge in &diagram.edges {
                let anchor = Anchor {
                    file,
                    list: "edges",
                    key: "from",
                    value: &edge.from,
                };
                for end in [&edge.from, &edge.to] {
                    if !nodes.contains(end.as_str()) && !groups.contains(end.as_str()) {
                        let hint = did_you_mean(end, nodes.iter().chain(&groups).copied());
                        self.report(
                            anchor,
                            Some(end),
                            format!(
                                "diagram edge {} -> {} names unknown node or group `{end}`{hint}",
                                edge.from, edge.to
                            ),
                        );
                    }
                }
                if let Some(condition) = &edge.when {
                    self.check_condition(anchor, condition, None);
                }
            }
        }
    }

    /// Every text that reaches an output may only use the placeholders the engine fills.
    fn check_placeholders(&mut self) {
        for loaded in self.files {
            let text = loaded.text.as_str();
            // Only lines that hold `${` need a look. Jumping from `$` to `$` (memchr) finds
            // them without splitting 300 KB into lines, and line numbers are counted only for
            // a line that has a problem.
            let mut next_line_start = 0;
            for (dollar, _) in text.match_indices('$') {
                if dollar < next_line_start || !text[dollar + 1..].starts_with('{') {
                    continue;
                }
                let line_start = text[..dollar].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[dollar..].find('\n').map_or(text.len(), |i| dollar + i);
                next_line_start = line_end + 1;
                let line = &text[line_start..line_end];
                if line.trim_start().starts_with('#') {
                    continue;
                }
                let line_number = || text[..line_start].bytes().filter(|&b| b == b'\n').count() + 1;
                match placeholder::names_in(line) {
                    Err(offset) => self.problems.push(Diagnostic::new(
                        &loaded.name,
                        line_number(),
                        line[..offset].chars().count() + 1,
                        "unterminated placeholder `${`; write `${name}`",
                    )),
                    Ok(names) => {
                        for name in names.into_iter().filter(|name| !placeholder::NAMES.contains(name)) {
                            let column = line
                                .find(&format!("${{{name}}}"))
                                .map_or(1, |byte| line[..byte].chars().count() + 1);
                            let hint = did_you_mean(name, placeholder::NAMES.iter().copied());
                            let allowed: Vec<String> = placeholder::NAMES.iter().map(|n| format!("${{{n}}}")).collect();
                            self.problems.push(Diagnostic::new(
                                &loaded.name,
                                line_number(),
                                column,
                                format!(
                                    "unknown placeholder `${{{name}}}`{hint}; allowed: {}",
                                    allowed.join(", ")
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// The engine fills `${workspace_name}` and `${region}` from these; without them every
    /// command would keep its holes.
    fn check_engine_questions(&mut self) {
        for (id, kind) in [("workspace_name", TextKind::Name), ("region", TextKind::Region)] {
            let fits = self
                .question_position
                .get(id)
                .map(|&p| self.questions[p].1)
                .is_some_and(|q| q.kind == QuestionKind::Text && q.text.as_ref().is_some_and(|r| r.kind == kind));
            if !fits {
                self.problems.push(Diagnostic::new(
                    &self.files[0].name,
                    1,
                    1,
                    format!("the knowledge base needs a text question `{id}` (text kind {kind:?}); the engine fills commands from it"),
                ));
            }
        }
    }

    // ----- reachability -------------------------------------------------------------------

    fn check_reachability(&mut self) {
        let ordered: Vec<&Question> = self.questions.iter().map(|(_, q)| *q).collect();
        let solver = Solver::new(&ordered);
        let mut unreachable: Vec<(Anchor<'a>, Option<&'a str>, String)> = Vec::new();
        // Problems that are not "can never fire" but found in the same pass.
        let mut late: Vec<(Anchor<'a>, Option<&'a str>, String)> = Vec::new();
        let mut never = |anchor: Anchor<'a>, detail: Option<&'a str>, goal: &Condition, what: String| {
            if solver.check(goal) == Outcome::Unreachable {
                unreachable.push((anchor, detail, what));
            }
        };
        let always = || Condition::All(Vec::new());
        let when_or_always = |when: Option<&Condition>| when.cloned().unwrap_or_else(always);

        for &(file, question) in &self.questions {
            let anchor = Anchor {
                file,
                list: "questions",
                key: "id",
                value: &question.id,
            };
            let asked = when_or_always(question.asked_when.as_ref());
            if solver.check(&asked) == Outcome::Unreachable {
                // Its choices and defaults are unreachable too; one message says it all.
                let message = format!(
                    "question `{}` can never be asked: its asked_when cannot hold",
                    question.id
                );
                never(anchor, None, &asked, message);
                continue;
            }
            for choice in &question.choices {
                if let Some(offered) = &choice.offered_when {
                    let goal = Condition::All(vec![asked.clone(), offered.clone()]);
                    never(
                        anchor,
                        Some(&choice.id),
                        &goal,
                        format!("choice `{}` of `{}` can never be offered", choice.id, question.id),
                    );
                }
            }
            // A single-choice question must offer something whenever it is asked.
            if question.kind == QuestionKind::Single
                && question.choices.iter().all(|choice| choice.offered_when.is_some())
            {
                let mut parts = vec![asked.clone()];
                parts.extend(
                    question
                        .choices
                        .iter()
                        .filter_map(|c| c.offered_when.clone())
                        .map(|c| Condition::Not(Box::new(c))),
                );
                if let Outcome::Reachable(witness) = solver.check(&Condition::All(parts)) {
                    late.push((
                        anchor,
                        None,
                        format!(
                            "question `{}` can be asked with no choice offered {}",
                            question.id,
                            describe_witness(&witness)
                        ),
                    ));
                }
            }
            if let Some(cases) = &question.default {
                let fires = first_match_conditions(cases.iter().map(|c| c.when.as_ref()));
                // A default must be a choice that is offered whenever that default applies.
                for (case, fire) in cases.iter().zip(&fires) {
                    let values: Vec<&String> = match &case.value {
                        DefaultValue::One(value) => vec![value],
                        DefaultValue::Many(values) => values.iter().collect(),
                    };
                    for value in values {
                        let Some(offered) = question
                            .choices
                            .iter()
                            .find(|c| &c.id == value)
                            .and_then(|c| c.offered_when.as_ref())
                        else {
                            continue;
                        };
                        let goal = Condition::All(vec![
                            asked.clone(),
                            fire.clone(),
                            Condition::Not(Box::new(offered.clone())),
                        ]);
                        if let Outcome::Reachable(witness) = solver.check(&goal) {
                            late.push((anchor, Some(value.as_str()), format!(
                                "default `{value}` of `{}` is not offered {}; make the default case depend on the same condition",
                                question.id,
                                describe_witness(&witness)
                            )));
                        }
                    }
                }
                for (case, goal) in cases.iter().zip(fires) {
                    let goal = Condition::All(vec![asked.clone(), goal]);
                    let detail = match &case.value {
                        DefaultValue::One(value) => Some(value.as_str()),
                        DefaultValue::Many(_) => Some("default"),
                    };
                    never(
                        anchor,
                        detail,
                        &goal,
                        format!(
                            "a default case of `{}` can never apply (an earlier case always wins or its `when` cannot hold)",
                            question.id
                        ),
                    );
                }
            }
        }

        let first_match = |list: &'static str,
                           items: Vec<(usize, &'a str, Option<&'a Condition>)>,
                           kind: &str,
                           never: &mut Report<'a, '_>| {
            let fires = first_match_conditions(items.iter().map(|(_, _, when)| *when));
            for ((file, id, _), goal) in items.iter().zip(fires) {
                let anchor = Anchor {
                    file: *file,
                    list,
                    key: "id",
                    value: id,
                };
                never(
                    anchor,
                    None,
                    &goal,
                    format!("{kind} `{id}` can never be chosen: earlier ones always win or its `when` cannot hold"),
                );
            }
        };
        let architectures = self.guarded(|f| &f.architectures);
        first_match("architectures", architectures.clone(), "architecture", &mut never);
        let variants = self.guarded(|f| &f.variants);
        first_match("variants", variants, "variant", &mut never);

        for (file, decision) in self.all(|f| &f.decisions) {
            let options: Vec<_> = decision
                .options
                .iter()
                .map(|o| (file, o.id.as_str(), o.when.as_ref()))
                .collect();
            let fires = first_match_conditions(options.iter().map(|(_, _, when)| *when));
            for (option, goal) in decision.options.iter().zip(fires) {
                let anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "id",
                    value: &option.id,
                };
                never(
                    anchor,
                    None,
                    &goal,
                    format!(
                        "option `{}` of decision `{}` can never be chosen: earlier options always win or its `when` cannot hold",
                        option.id, decision.area
                    ),
                );
                for step in &option.next_steps {
                    if let Some(step_when) = &step.when {
                        let step_goal = Condition::All(vec![goal.clone(), step_when.clone()]);
                        let anchor = Anchor {
                            file,
                            list: "decisions",
                            key: "id",
                            value: &step.id,
                        };
                        never(
                            anchor,
                            None,
                            &step_goal,
                            format!(
                                "next step `{}` can never be shown: its `when` cannot hold while `{}` is chosen",
                                step.id, option.id
                            ),
                        );
                    }
                }
            }
        }
        for (file, item) in self.all(|f| &f.findings) {
            never(
                Anchor {
                    file,
                    list: "findings",
                    key: "id",
                    value: &item.id,
                },
                None,
                &item.when,
                format!("finding `{}` can never be raised: its `when` cannot hold", item.id),
            );
        }
        let simple: Vec<(&'static str, &str, Guarded<'a>)> = vec![
            ("network_rules", "network rule", self.guarded(|f| &f.network_rules)),
            ("dns_zones", "DNS zone", self.guarded(|f| &f.dns_zones)),
            (
                "role_assignments",
                "role assignment",
                self.guarded(|f| &f.role_assignments),
            ),
            ("confirmations", "confirmation", self.guarded(|f| &f.confirmations)),
        ];
        for (list, kind, items) in simple {
            for (file, id, when) in items {
                if let Some(when) = when {
                    never(
                        Anchor {
                            file,
                            list,
                            key: "id",
                            value: id,
                        },
                        None,
                        when,
                        format!("{kind} `{id}` can never apply: its `when` cannot hold"),
                    );
                }
            }
        }
        for (file, policy) in self.all(|f| &f.policies) {
            let anchor = Anchor {
                file,
                list: "policies",
                key: "id",
                value: &policy.id,
            };
            let base = when_or_always(policy.when.as_ref());
            never(
                anchor,
                None,
                &base,
                format!("policy `{}` can never apply: its `when` cannot hold", policy.id),
            );
            let fires = first_match_conditions(policy.effect.iter().map(|c| c.when.as_ref()));
            for (case, goal) in policy.effect.iter().zip(fires) {
                let goal = Condition::All(vec![base.clone(), goal]);
                never(
                    anchor,
                    Some(&case.value),
                    &goal,
                    format!("effect `{}` of policy `{}` can never apply", case.value, policy.id),
                );
            }
        }
        if let Some((file, diagram)) = self
            .files
            .iter()
            .enumerate()
            .find_map(|(i, f)| f.content.diagram.as_ref().map(|d| (i, d)))
        {
            for node in &diagram.nodes {
                if let Some(when) = &node.when {
                    never(
                        Anchor {
                            file,
                            list: "diagram",
                            key: "id",
                            value: &node.id,
                        },
                        None,
                        when,
                        format!("diagram node `{}` can never be drawn", node.id),
                    );
                }
            }
        }
        for (anchor, detail, message) in unreachable.into_iter().chain(late) {
            self.report(anchor, detail, message);
        }
        self.check_plan_coherence(&solver);

        // A choice that nothing applies to leaves an output without its mandatory part.
        let no_architecture = Condition::All(
            architectures
                .iter()
                .map(|(_, _, when)| Condition::Not(Box::new(when_or_always(*when))))
                .collect(),
        );
        if let Outcome::Reachable(witness) = solver.check(&no_architecture) {
            let message = format!(
                "no architecture applies {}; make the last architecture a fallback without `when`",
                describe_witness(&witness)
            );
            match architectures.last() {
                Some(&(file, id, _)) => self.report(
                    Anchor {
                        file,
                        list: "architectures",
                        key: "id",
                        value: id,
                    },
                    None,
                    message,
                ),
                None => self.problems.push(Diagnostic::new(&self.files[0].name, 1, 1, message)),
            }
        }
        for (file, decision) in self.all(|f| &f.decisions) {
            let none = Condition::All(
                decision
                    .options
                    .iter()
                    .map(|o| Condition::Not(Box::new(when_or_always(o.when.as_ref()))))
                    .collect(),
            );
            if let Outcome::Reachable(witness) = solver.check(&none) {
                let anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "area",
                    value: &decision.area,
                };
                self.report(
                    anchor,
                    None,
                    format!(
                        "no option of decision `{}` applies {}; add a fallback option without `when`",
                        decision.area,
                        describe_witness(&witness)
                    ),
                );
            }
        }
        for &(file, question) in &self.questions.clone() {
            if let Some(cases) = &question.default {
                let asked = when_or_always(question.asked_when.as_ref());
                let mut parts = vec![asked];
                parts.extend(
                    cases
                        .iter()
                        .map(|c| Condition::Not(Box::new(when_or_always(c.when.as_ref())))),
                );
                if let Outcome::Reachable(witness) = solver.check(&Condition::All(parts)) {
                    let anchor = Anchor {
                        file,
                        list: "questions",
                        key: "id",
                        value: &question.id,
                    };
                    self.report(
                        anchor,
                        Some("default"),
                        format!(
                            "no default case of `{}` applies {}",
                            question.id,
                            describe_witness(&witness)
                        ),
                    );
                }
            }
        }
        for (file, policy) in self.all(|f| &f.policies) {
            let mut parts = vec![when_or_always(policy.when.as_ref())];
            parts.extend(
                policy
                    .effect
                    .iter()
                    .map(|c| Condition::Not(Box::new(when_or_always(c.when.as_ref())))),
            );
            if let Outcome::Reachable(witness) = solver.check(&Condition::All(parts)) {
                let anchor = Anchor {
                    file,
                    list: "policies",
                    key: "id",
                    value: &policy.id,
                };
                self.report(
                    anchor,
                    Some("effect"),
                    format!(
                        "no effect of policy `{}` applies {}",
                        policy.id,
                        describe_witness(&witness)
                    ),
                );
            }
        }
    }
}

fn singular(list: &str) -> &str {
    match list {
        "sections" => "section",
        "areas" => "area",
        "phases" => "phase",
        "sources" => "source",
        "regions" => "region",
        "questions" => "question",
        "architectures" => "architecture",
        "variants" => "variant",
        "findings" => "finding",
        "network_rules" => "network rule",
        "dns_zones" => "DNS zone",
        "policies" => "policy",
        "role_assignments" => "role assignment",
        "confirmations" => "confirmation",
        "next_steps" => "next step",
        other => other,
    }
}

fn describe_witness(witness: &[(String, String)]) -> String {
    if witness.is_empty() {
        return "under some answers".to_string();
    }
    let parts: Vec<String> = witness.iter().map(|(q, v)| format!("{q} = {v}")).collect();
    format!("when {}", parts.join(", "))
}

/// For first-match lists: item i fires when its own `when` holds and no earlier one does.
fn first_match_conditions<'c>(whens: impl Iterator<Item = Option<&'c Condition>>) -> Vec<Condition> {
    let mut earlier: Vec<Condition> = Vec::new();
    let mut fires = Vec::new();
    for when in whens {
        let own = when.cloned().unwrap_or(Condition::All(Vec::new()));
        let mut parts: Vec<Condition> = earlier.iter().map(|c| Condition::Not(Box::new(c.clone()))).collect();
        parts.push(own.clone());
        fires.push(Condition::All(parts));
        earlier.push(own);
    }
    fires
}
