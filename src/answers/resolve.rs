//! From given answers to the effective answers: applicability, defaults and ignored answers.
//! Shared by `recommend`, the interview's live preview and its review screen.

use std::collections::HashMap;

use serde::Serialize;

use super::Given;
use super::value::AnswerValue;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::{AnswerLookup, holds};
use crate::knowledge::model::{DefaultValue, Question, QuestionKind};
use crate::placeholder;

/// A default that was applied because the question was not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Assumption {
    pub question: String,
    #[serde(serialize_with = "super::value::as_list")]
    #[schemars(with = "Vec<String>")]
    pub value: AnswerValue,
    pub reason: String,
}

/// An answer to a question that is not asked under the other answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IgnoredAnswer {
    pub question: String,
    #[serde(serialize_with = "super::value::as_list")]
    #[schemars(with = "Vec<String>")]
    pub value: AnswerValue,
    pub reason: String,
}

/// The effective answers, in interview order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Applicable questions with their value (given or default).
    pub values: Vec<(String, AnswerValue)>,
    pub assumptions: Vec<Assumption>,
    pub ignored: Vec<IgnoredAnswer>,
    /// Applicable questions with no answer and no default (such as `region`).
    pub missing: Vec<String>,
    /// Position in `values` by question id: conditions look answers up constantly, and a scan
    /// would make evaluation quadratic in the size of the knowledge base.
    index: HashMap<String, usize>,
}

impl Resolved {
    pub fn get(&self, question: &str) -> Option<&AnswerValue> {
        self.index.get(question).map(|&position| &self.values[position].1)
    }

    fn push(&mut self, question: &str, value: AnswerValue) {
        self.index.insert(question.to_string(), self.values.len());
        self.values.push((question.to_string(), value));
    }

    pub fn is_applicable(&self, question: &str) -> bool {
        self.get(question).is_some() || self.missing.iter().any(|id| id == question)
    }

    pub fn text(&self, question: &str) -> Option<&str> {
        match self.get(question)? {
            AnswerValue::Text(text) | AnswerValue::Choice(text) => Some(text),
            AnswerValue::Choices(_) => None,
        }
    }
}

impl AnswerLookup for Resolved {
    fn single(&self, question: &str) -> Option<&str> {
        match self.get(question)? {
            AnswerValue::Choice(choice) => Some(choice),
            _ => None,
        }
    }

    fn multi_contains(&self, question: &str, choice: &str) -> Option<bool> {
        match self.get(question)? {
            AnswerValue::Choices(choices) => Some(choices.iter().any(|c| c == choice)),
            _ => None,
        }
    }
}

/// Walks the questions in interview order. Conditions only read earlier questions (the
/// validator guarantees it), so one pass decides every question.
pub fn resolve(kb: &KnowledgeBase, given: &Given) -> Resolved {
    let mut resolved = Resolved::default();
    for question in &kb.questions {
        let asked = holds(question.asked_when.as_ref(), &resolved);
        let answer = given.get(&question.id);
        if !asked {
            if let Some(value) = answer {
                resolved.ignored.push(IgnoredAnswer {
                    question: question.id.clone(),
                    value: value.clone(),
                    reason: not_asked_reason(question, &resolved),
                });
            }
            continue;
        }
        if let Some(value) = answer {
            match not_offered(question, value, &resolved) {
                None => {
                    resolved.push(&question.id, value.clone());
                    continue;
                }
                Some(reason) => resolved.ignored.push(IgnoredAnswer {
                    question: question.id.clone(),
                    value: value.clone(),
                    reason,
                }),
            }
        }
        match default_for(question, &resolved) {
            Some((value, reason)) => {
                resolved.assumptions.push(Assumption {
                    question: question.id.clone(),
                    value: value.clone(),
                    reason,
                });
                resolved.push(&question.id, value);
            }
            None => resolved.missing.push(question.id.clone()),
        }
    }
    resolved
}

/// Why a given value cannot be used under the earlier answers, if it cannot: a choice whose
/// `offered_when` does not hold.
fn not_offered(question: &Question, value: &AnswerValue, earlier: &Resolved) -> Option<String> {
    let ids: Vec<&String> = match value {
        AnswerValue::Choice(id) => vec![id],
        AnswerValue::Choices(ids) => ids.iter().collect(),
        AnswerValue::Text(_) => Vec::new(),
    };
    ids.into_iter().find_map(|id| {
        let condition = question
            .choices
            .iter()
            .find(|choice| &choice.id == id)?
            .offered_when
            .as_ref()?;
        (!condition.holds(earlier)).then(|| {
            format!(
                "choice {id} is offered only when {}; the default applies instead",
                condition.describe()
            )
        })
    })
}

/// The default that applies under the earlier answers, with its reason.
pub fn default_for(question: &Question, earlier: &Resolved) -> Option<(AnswerValue, String)> {
    let case = question
        .default
        .as_ref()?
        .iter()
        .find(|case| holds(case.when.as_ref(), earlier))?;
    let value = match (&case.value, question.kind) {
        (DefaultValue::One(id), QuestionKind::Single) => AnswerValue::Choice(id.clone()),
        (DefaultValue::Many(ids), QuestionKind::Multi) => AnswerValue::Choices(ids.clone()),
        (DefaultValue::One(text), QuestionKind::Text) => {
            AnswerValue::Text(placeholder::fill(text, |name| earlier.text(name).map(str::to_string)))
        }
        _ => return None,
    };
    Some((value, case.reason.clone()))
}

fn not_asked_reason(question: &Question, earlier: &Resolved) -> String {
    let Some(condition) = &question.asked_when else {
        return "not asked".to_string();
    };
    let actual: Vec<String> = condition
        .questions()
        .into_iter()
        .map(|id| match earlier.get(id) {
            Some(value) => format!("{id} is {}", value.display()),
            None => format!("{id} does not apply"),
        })
        .collect();
    format!("asked only when {}; here {}", condition.describe(), actual.join(", "))
}
