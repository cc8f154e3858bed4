//! Decides whether a condition can ever hold, given which questions are asked when.
//!
//! Any applicable question may be answered with any offered choice, so defaults do not limit
//! what is reachable; only `asked_when` and `offered_when` do. The search assigns the
//! questions a condition depends on (and, transitively, those their `asked_when` reads) in
//! interview order, so each `asked_when` is decided before its question is assigned. Multi
//! answers only matter through the choices conditions mention, which keeps the search small.

use std::collections::{BTreeSet, HashMap};

use super::condition::{AnswerLookup, Condition};
use super::model::{Question, QuestionKind};

/// Searches past this many complete assignments give up rather than stall a `knowledge check`.
const SEARCH_LIMIT: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It can hold; the assignment shows how (question, value), applicable questions only.
    Reachable(Vec<(String, String)>),
    Unreachable,
    /// Too many combinations to decide; treated as reachable.
    Undecided,
}

#[derive(Debug, Clone)]
enum Value<'a> {
    NotAsked,
    One(&'a str),
    Set(Vec<&'a str>),
}

pub struct Solver<'a> {
    questions: &'a [&'a Question],
    index: HashMap<&'a str, usize>,
}

struct Assignment<'a> {
    values: HashMap<&'a str, Value<'a>>,
}

impl AnswerLookup for Assignment<'_> {
    fn single(&self, question: &str) -> Option<&str> {
        match self.values.get(question) {
            Some(Value::One(choice)) => Some(choice),
            _ => None,
        }
    }

    fn multi_contains(&self, question: &str, choice: &str) -> Option<bool> {
        match self.values.get(question) {
            Some(Value::Set(chosen)) => Some(chosen.contains(&choice)),
            _ => None,
        }
    }
}

impl<'a> Solver<'a> {
    /// `questions` in interview order.
    pub fn new(questions: &'a [&'a Question]) -> Self {
        let index = questions
            .iter()
            .enumerate()
            .map(|(position, question)| (question.id.as_str(), position))
            .collect();
        Self { questions, index }
    }

    pub fn check(&self, goal: &Condition) -> Outcome {
        let relevant = self.closure(goal);
        let mentioned = self.mentioned_choices(goal, &relevant);
        let mut assignment = Assignment { values: HashMap::new() };
        let mut budget = SEARCH_LIMIT;
        match self.search(goal, &relevant, &mentioned, 0, &mut assignment, &mut budget) {
            Search::Found(witness) => Outcome::Reachable(witness),
            Search::Exhausted => Outcome::Unreachable,
            Search::GaveUp => Outcome::Undecided,
        }
    }

    /// Questions the goal depends on, plus those that decide whether they are asked.
    fn closure(&self, goal: &Condition) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<&str> = goal.questions();
        while let Some(id) = pending.pop() {
            let Some(&position) = self.index.get(id) else { continue };
            if !seen.insert(position) {
                continue;
            }
            let question = self.questions[position];
            if let Some(asked_when) = &question.asked_when {
                pending.extend(asked_when.questions());
            }
            for choice in &question.choices {
                if let Some(offered_when) = &choice.offered_when {
                    pending.extend(offered_when.questions());
                }
            }
        }
        seen.into_iter().collect()
    }

    fn mentioned_choices(&self, goal: &Condition, relevant: &[usize]) -> HashMap<&'a str, Vec<&'a str>> {
        let mut conditions: Vec<&Condition> = vec![goal];
        for &position in relevant {
            let question = self.questions[position];
            conditions.extend(question.asked_when.as_ref());
            conditions.extend(
                question
                    .choices
                    .iter()
                    .filter_map(|choice| choice.offered_when.as_ref()),
            );
        }
        let mut mentioned: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for condition in conditions {
            for atom in condition.atoms() {
                let Some(&position) = self.index.get(atom.question.as_str()) else {
                    continue;
                };
                let question = self.questions[position];
                if question.kind != QuestionKind::Multi {
                    continue;
                }
                if let Some(choice) = question.choices.iter().find(|choice| choice.id == atom.value) {
                    let list = mentioned.entry(question.id.as_str()).or_default();
                    if !list.contains(&choice.id.as_str()) {
                        list.push(choice.id.as_str());
                    }
                }
            }
        }
        mentioned
    }

    fn search(
        &self,
        goal: &Condition,
        relevant: &[usize],
        mentioned: &HashMap<&'a str, Vec<&'a str>>,
        depth: usize,
        assignment: &mut Assignment<'a>,
        budget: &mut usize,
    ) -> Search {
        if depth == relevant.len() {
            if *budget == 0 {
                return Search::GaveUp;
            }
            *budget -= 1;
            return if goal.holds(assignment) {
                Search::Found(self.witness(relevant, assignment))
            } else {
                Search::Exhausted
            };
        }
        let question = self.questions[relevant[depth]];
        let asked = question
            .asked_when
            .as_ref()
            .is_none_or(|condition| condition.holds(assignment));
        let candidates: Vec<Value<'a>> = if !asked {
            vec![Value::NotAsked]
        } else {
            let offered: Vec<&'a str> = question
                .choices
                .iter()
                .filter(|choice| choice.offered_when.as_ref().is_none_or(|c| c.holds(assignment)))
                .map(|choice| choice.id.as_str())
                .collect();
            match question.kind {
                QuestionKind::Single => offered.into_iter().map(Value::One).collect(),
                QuestionKind::Multi => {
                    let options: Vec<&'a str> = mentioned
                        .get(question.id.as_str())
                        .map(|list| list.iter().copied().filter(|c| offered.contains(c)).collect())
                        .unwrap_or_default();
                    // Beyond this many mentioned choices the subsets are too many to try;
                    // saying "undecided" beats a false "unreachable".
                    if options.len() > MAX_MULTI_CHOICES {
                        return Search::GaveUp;
                    }
                    subsets(&options).into_iter().map(Value::Set).collect()
                }
                QuestionKind::Text => vec![Value::NotAsked],
            }
        };
        let mut gave_up = false;
        for candidate in candidates {
            assignment.values.insert(question.id.as_str(), candidate);
            match self.search(goal, relevant, mentioned, depth + 1, assignment, budget) {
                Search::Found(witness) => return Search::Found(witness),
                Search::GaveUp => gave_up = true,
                Search::Exhausted => {}
            }
            if gave_up {
                break;
            }
        }
        assignment.values.remove(question.id.as_str());
        if gave_up { Search::GaveUp } else { Search::Exhausted }
    }

    fn witness(&self, relevant: &[usize], assignment: &Assignment<'a>) -> Vec<(String, String)> {
        relevant
            .iter()
            .filter_map(|&position| {
                let id = self.questions[position].id.as_str();
                match assignment.values.get(id)? {
                    Value::NotAsked => None,
                    Value::One(choice) => Some((id.to_string(), (*choice).to_string())),
                    Value::Set(chosen) => Some((id.to_string(), format!("[{}]", chosen.join(", ")))),
                }
            })
            .collect()
    }
}

enum Search {
    Found(Vec<(String, String)>),
    Exhausted,
    GaveUp,
}

/// The most choices of one multi-choice question a search tries every subset of.
const MAX_MULTI_CHOICES: usize = 12;

fn subsets<'a>(items: &[&'a str]) -> Vec<Vec<&'a str>> {
    let count = items.len().min(MAX_MULTI_CHOICES);
    (0..1usize << count)
        .map(|mask| {
            (0..count)
                .filter(|bit| mask & (1 << bit) != 0)
                .map(|bit| items[bit])
                .collect()
        })
        .collect()
}
