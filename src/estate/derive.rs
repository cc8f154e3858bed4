//! The answers an estate determines, each with its evidence, by the knowledge base's
//! `estate.answers` rules.

use super::read::resource_group_of;
use super::report::{AnswerOrigin, DerivedAnswer};
use super::scope::Scope;
use crate::answers::AnswerValue;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::estate::{EstateAnswer, TextTransform};
use crate::knowledge::model::QuestionKind;

/// An estate value the question does not accept (a region the knowledge base does not list):
/// left unanswered and said why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub question: String,
    pub value: String,
    pub reason: String,
    pub evidence: String,
}

pub fn derive(kb: &KnowledgeBase, scope: &Scope) -> (Vec<DerivedAnswer>, Vec<Unusable>) {
    let mut derived = Vec::new();
    let mut unusable = Vec::new();
    for rule in &kb.estate.answers {
        let Some(question) = kb.question(&rule.question) else {
            continue;
        };
        let mut evidence = Vec::new();
        let value = match question.kind {
            QuestionKind::Text => text_answer(rule, scope, &mut evidence),
            QuestionKind::Single => rule
                .cases
                .iter()
                .find(|case| scope.holds(&case.when, &mut evidence))
                .map(|case| AnswerValue::Choice(case.choice.clone())),
            QuestionKind::Multi => {
                let chosen: Vec<String> = rule
                    .cases
                    .iter()
                    .filter(|case| scope.holds(&case.when, &mut evidence))
                    .map(|case| case.choice.clone())
                    .collect();
                let none = || {
                    rule.none_when
                        .as_ref()
                        .is_some_and(|when| scope.holds(when, &mut Vec::new()))
                };
                // In the question's order, whatever order the rules list them.
                let ordered: Vec<String> = question
                    .choices
                    .iter()
                    .filter(|choice| chosen.contains(&choice.id))
                    .map(|choice| choice.id.clone())
                    .collect();
                (!ordered.is_empty() || none()).then_some(AnswerValue::Choices(ordered))
            }
        };
        let Some(value) = value else { continue };
        if let (AnswerValue::Text(text), Some(text_rule)) = (&value, &question.text)
            && let Err(reason) = crate::answers::text_rule::check(kb, text_rule, text)
        {
            unusable.push(Unusable {
                question: rule.question.clone(),
                value: text.clone(),
                reason,
                evidence: evidence.first().map(|e| e.describe()).unwrap_or_default(),
            });
            continue;
        }
        derived.push(DerivedAnswer {
            question: rule.question.clone(),
            value,
            evidence,
            origin: AnswerOrigin::Estate,
        });
    }
    (derived, unusable)
}

fn text_answer(rule: &EstateAnswer, scope: &Scope, evidence: &mut Vec<super::scope::Evidence>) -> Option<AnswerValue> {
    let from = rule.text.as_ref()?;
    for resource in scope.related(&from.of) {
        for (steps, value) in super::lookup::values(&resource.body, &from.path) {
            let serde_json::Value::String(text) = value else {
                continue;
            };
            let text = match from.transform {
                TextTransform::AsIs => text.clone(),
                TextTransform::Region => text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect(),
                TextTransform::ResourceGroupOfId => match resource_group_of(text) {
                    Some(group) => group.to_string(),
                    None => continue,
                },
            };
            evidence.push(scope.evidence(resource, &steps, value));
            return Some(AnswerValue::Text(text));
        }
    }
    None
}
