//! Conditions are data, written in YAML as nested maps, so that no hand-made expression parser
//! stands between an organisation's rule and its evaluation:
//!
//! ```yaml
//! when:
//!   all:
//!     - equals: { question: network_model, value: managed_vnet }
//!     - any:
//!         - contains: { question: workload_needs, value: kubernetes_inference }
//!         - not: { equals: { question: workspace_state, value: new } }
//! ```
//!
//! `equals` compares a single-choice answer, `contains` looks inside a multi-choice answer. A
//! question that is not asked under the other answers matches neither.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", try_from = "ConditionMap")]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Equals(Atom),
    Contains(Atom),
}

/// The written form: a map with exactly one operator key. (serde_yaml would otherwise expect
/// `!equals` tags, which nobody writes by hand.)
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionMap {
    #[serde(default)]
    all: Option<Vec<Condition>>,
    #[serde(default)]
    any: Option<Vec<Condition>>,
    #[serde(default)]
    not: Option<Box<Condition>>,
    #[serde(default)]
    equals: Option<Atom>,
    #[serde(default)]
    contains: Option<Atom>,
}

impl TryFrom<ConditionMap> for Condition {
    type Error = String;

    fn try_from(map: ConditionMap) -> Result<Self, Self::Error> {
        let mut found: Vec<Condition> = Vec::new();
        found.extend(map.all.map(Condition::All));
        found.extend(map.any.map(Condition::Any));
        found.extend(map.not.map(Condition::Not));
        found.extend(map.equals.map(Condition::Equals));
        found.extend(map.contains.map(Condition::Contains));
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err("a condition needs one of `all`, `any`, `not`, `equals`, `contains`".to_string()),
            _ => Err("a condition has exactly one of `all`, `any`, `not`, `equals`, `contains`; combine several with `all` or `any`".to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Atom {
    pub question: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equals,
    Contains,
}

fn join_parts(parts: &[Condition], separator: &str) -> String {
    let rendered: Vec<String> = parts
        .iter()
        .map(|part| match part {
            Condition::All(_) | Condition::Any(_) if parts.len() > 1 => format!("({})", part.describe()),
            _ => part.describe(),
        })
        .collect();
    rendered.join(separator)
}

/// What a condition needs to know about the answers: the effective value of a question, or
/// nothing when it is not applicable.
pub trait AnswerLookup {
    fn single(&self, question: &str) -> Option<&str>;
    fn multi_contains(&self, question: &str, choice: &str) -> Option<bool>;
}

impl Condition {
    pub fn holds(&self, answers: &impl AnswerLookup) -> bool {
        match self {
            Condition::All(parts) => parts.iter().all(|part| part.holds(answers)),
            Condition::Any(parts) => parts.iter().any(|part| part.holds(answers)),
            Condition::Not(inner) => !inner.holds(answers),
            Condition::Equals(atom) => answers.single(&atom.question) == Some(atom.value.as_str()),
            Condition::Contains(atom) => answers.multi_contains(&atom.question, &atom.value).unwrap_or(false),
        }
    }

    /// Every atom in the condition, in the order written.
    pub fn atoms(&self) -> Vec<&Atom> {
        self.typed_atoms().into_iter().map(|(_, atom)| atom).collect()
    }

    /// Every atom with the operator it sits under.
    pub fn typed_atoms(&self) -> Vec<(Operator, &Atom)> {
        let mut found = Vec::new();
        self.collect_atoms(&mut found);
        found
    }

    fn collect_atoms<'a>(&'a self, found: &mut Vec<(Operator, &'a Atom)>) {
        match self {
            Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|part| part.collect_atoms(found)),
            Condition::Not(inner) => inner.collect_atoms(found),
            Condition::Equals(atom) => found.push((Operator::Equals, atom)),
            Condition::Contains(atom) => found.push((Operator::Contains, atom)),
        }
    }

    /// A plain-words rendering for messages: `network_model is customer_vnet`.
    pub fn describe(&self) -> String {
        match self {
            Condition::All(parts) if parts.is_empty() => "always".to_string(),
            Condition::All(parts) => join_parts(parts, " and "),
            Condition::Any(parts) if parts.is_empty() => "never".to_string(),
            Condition::Any(parts) => join_parts(parts, " or "),
            Condition::Not(inner) => format!("not ({})", inner.describe()),
            Condition::Equals(atom) => format!("{} is {}", atom.question, atom.value),
            Condition::Contains(atom) => format!("{} includes {}", atom.question, atom.value),
        }
    }

    /// The distinct question ids the condition reads, in first-mention order.
    pub fn questions(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for atom in self.atoms() {
            if !ids.contains(&atom.question.as_str()) {
                ids.push(&atom.question);
            }
        }
        ids
    }
}

/// Evaluates an optional condition: absent means "always".
pub fn holds(condition: Option<&Condition>, answers: &impl AnswerLookup) -> bool {
    condition.is_none_or(|condition| condition.holds(answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fixed(HashMap<&'static str, Vec<&'static str>>);
    impl AnswerLookup for Fixed {
        fn single(&self, question: &str) -> Option<&str> {
            self.0.get(question).and_then(|v| v.first().copied())
        }
        fn multi_contains(&self, question: &str, choice: &str) -> Option<bool> {
            self.0.get(question).map(|v| v.contains(&choice))
        }
    }

    fn parse(yaml: &str) -> Condition {
        crate::yaml::parse(yaml).expect("condition parses")
    }

    #[test]
    fn nested_conditions_evaluate_against_answers() {
        let cond = parse(
            "all:\n  - equals: {question: a, value: x}\n  - any:\n    - contains: {question: m, value: k}\n    - not: {equals: {question: b, value: y}}\n",
        );
        let answers = Fixed(HashMap::from([("a", vec!["x"]), ("m", vec!["k"]), ("b", vec!["y"])]));
        assert!(cond.holds(&answers));
        let answers = Fixed(HashMap::from([("a", vec!["x"]), ("m", vec![]), ("b", vec!["y"])]));
        assert!(!cond.holds(&answers));
        let answers = Fixed(HashMap::from([("a", vec!["x"]), ("m", vec![])]));
        assert!(cond.holds(&answers), "an unasked question never equals a value");
        assert_eq!(cond.questions(), vec!["a", "m", "b"]);
    }

    #[test]
    fn unknown_operator_is_rejected() {
        assert!(crate::yaml::parse::<Condition>("equal: {question: a, value: x}").is_err());
    }
}
