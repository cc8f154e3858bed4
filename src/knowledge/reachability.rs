//! Decides whether a condition can ever hold, given which questions are asked when.
//!
//! Any applicable question may be answered with any offered choice, so defaults do not limit
//! what is reachable; only `asked_when` and `offered_when` do. The search assigns the
//! questions a condition depends on (and, transitively, those their `asked_when` reads) in
//! interview order, so each `asked_when` is decided before its question is assigned. Multi
//! answers only matter through the choices conditions mention, which keeps the search small.
//!
//! Two memories keep long chains of `asked_when` (question n asked only after question n-1)
//! from making validation cubic:
//! - within one search, a partial assignment already searched to exhaustion is not searched
//!   again: what remains to be decided depends only on the answers that later conditions (and
//!   the goal) still read, so states that agree on those are the same state;
//! - across searches, whether each question can be asked is remembered, and a goal that is one
//!   `equals`/`contains` on a choice without `offered_when` is decided from that alone: it can
//!   hold exactly when its question can be asked.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use super::condition::{AnswerLookup, Condition};
use super::model::{Question, QuestionKind};

/// The most questions one search assigns (its recursion depth).
const MAX_SEARCH_DEPTH: usize = 1000;

/// Searches past this many complete assignments give up rather than stall a `knowledge check`.
const SEARCH_LIMIT: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It can hold; the assignment shows how (question, value), applicable questions only.
    /// For a goal that is one atom it is that atom alone: what makes its question asked is
    /// that question's own witness (copying it into every later one made chains quadratic).
    Reachable(Vec<(String, String)>),
    Unreachable,
    /// Too many combinations to decide; treated as reachable.
    Undecided,
}

/// An `Outcome` without its witness, cheap to remember.
#[derive(Debug, Clone, Copy)]
enum Reach {
    Yes,
    No,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Value<'a> {
    NotAsked,
    One(&'a str),
    Set(Vec<&'a str>),
}

pub struct Solver<'a> {
    questions: &'a [&'a Question],
    index: HashMap<&'a str, usize>,
    /// Whether each question (by position) can be asked, once decided (without a witness).
    askable: RefCell<HashMap<usize, Reach>>,
}

/// What one search shares: the questions it assigns, in order, and what it has learnt.
struct Plan<'a, 'g> {
    goal: &'g Condition,
    relevant: Vec<usize>,
    mentioned: HashMap<&'a str, Vec<&'a str>>,
    /// For each depth, the already assigned questions that the goal or a condition of a
    /// question still to be assigned reads: all that the rest of the search depends on.
    live: Vec<Vec<&'a str>>,
    /// (depth, values of `live[depth]`) of states searched to exhaustion.
    exhausted: HashSet<(usize, Vec<Option<Value<'a>>>)>,
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
        Self {
            questions,
            index,
            askable: RefCell::new(HashMap::new()),
        }
    }

    pub fn check(&self, goal: &Condition) -> Outcome {
        let goal = flattened(goal);
        match constant(&goal) {
            Some(true) => return Outcome::Reachable(Vec::new()),
            Some(false) => return Outcome::Unreachable,
            None => {}
        }
        if let Some(outcome) = self.check_one_atom(&goal) {
            return outcome;
        }
        self.search_for(&goal)
    }

    /// A goal that is a single `equals` (single choice) or `contains` (multi choice) on a
    /// choice offered unconditionally holds exactly when its question can be asked: any asked
    /// question may be given any offered choice. `None` for every other goal.
    fn check_one_atom(&self, goal: &Condition) -> Option<Outcome> {
        let (atom, kind) = match goal {
            Condition::Equals(atom) => (atom, QuestionKind::Single),
            Condition::Contains(atom) => (atom, QuestionKind::Multi),
            _ => return None,
        };
        let &position = self.index.get(atom.question.as_str())?;
        let question = self.questions[position];
        let choice = question.choices.iter().find(|choice| choice.id == atom.value);
        if question.kind != kind || choice.is_none_or(|choice| choice.offered_when.is_some()) {
            return None;
        }
        Some(match self.askable(position) {
            Reach::Yes => {
                let value = match kind {
                    QuestionKind::Multi => format!("[{}]", atom.value),
                    _ => atom.value.clone(),
                };
                Outcome::Reachable(vec![(atom.question.clone(), value)])
            }
            Reach::No => Outcome::Unreachable,
            Reach::Unknown => Outcome::Undecided,
        })
    }

    /// Whether the question at `position` can be asked, remembered. Its `asked_when` reads
    /// only earlier questions (the validator checks that first), so this recursion ends.
    fn askable(&self, position: usize) -> Reach {
        if let Some(&known) = self.askable.borrow().get(&position) {
            return known;
        }
        let reach = match self.questions[position]
            .asked_when
            .as_ref()
            .map(|when| self.check(when))
        {
            None | Some(Outcome::Reachable(_)) => Reach::Yes,
            Some(Outcome::Unreachable) => Reach::No,
            Some(Outcome::Undecided) => Reach::Unknown,
        };
        self.askable.borrow_mut().insert(position, reach);
        reach
    }

    fn search_for(&self, goal: &Condition) -> Outcome {
        let relevant = self.closure(goal);
        // The search recurses once per question; past this many the stack, not the answer,
        // would decide. Undecided counts as reachable, so nothing false is reported.
        if relevant.len() > MAX_SEARCH_DEPTH {
            return Outcome::Undecided;
        }
        let mentioned = self.mentioned_choices(goal, &relevant);
        let live = self.live_questions(goal, &relevant);
        let mut plan = Plan {
            goal,
            relevant,
            mentioned,
            live,
            exhausted: HashSet::new(),
        };
        let mut assignment = Assignment { values: HashMap::new() };
        let mut budget = SEARCH_LIMIT;
        match self.search(&mut plan, 0, &mut assignment, &mut budget) {
            Search::Found(witness) => Outcome::Reachable(witness),
            Search::Exhausted => Outcome::Unreachable,
            Search::GaveUp => Outcome::Undecided,
        }
    }

    /// For each depth of the search, the questions assigned before it that are read later:
    /// each question is live from the depth after its own to the last depth that reads it.
    fn live_questions(&self, goal: &Condition, relevant: &[usize]) -> Vec<Vec<&'a str>> {
        let mut last_read: HashMap<&str, usize> = HashMap::new();
        for (depth, &position) in relevant.iter().enumerate() {
            let question = self.questions[position];
            let conditions = question.asked_when.iter().chain(
                question
                    .choices
                    .iter()
                    .filter_map(|choice| choice.offered_when.as_ref()),
            );
            for id in conditions.flat_map(Condition::questions) {
                last_read.insert(id, depth);
            }
        }
        for id in goal.questions() {
            last_read.insert(id, relevant.len());
        }
        let mut live = vec![Vec::new(); relevant.len() + 1];
        for (depth, &position) in relevant.iter().enumerate() {
            let id = self.questions[position].id.as_str();
            if let Some(&last) = last_read.get(id) {
                for later in live.iter_mut().take(last + 1).skip(depth + 1) {
                    later.push(id);
                }
            }
        }
        live
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
        plan: &mut Plan<'a, '_>,
        depth: usize,
        assignment: &mut Assignment<'a>,
        budget: &mut usize,
    ) -> Search {
        let state = (
            depth,
            plan.live[depth]
                .iter()
                .map(|id| assignment.values.get(id).cloned())
                .collect::<Vec<_>>(),
        );
        if plan.exhausted.contains(&state) {
            return Search::Exhausted;
        }
        let result = self.search_from(plan, depth, assignment, budget);
        if matches!(result, Search::Exhausted) {
            plan.exhausted.insert(state);
        }
        result
    }

    fn search_from(
        &self,
        plan: &mut Plan<'a, '_>,
        depth: usize,
        assignment: &mut Assignment<'a>,
        budget: &mut usize,
    ) -> Search {
        let (goal, relevant) = (plan.goal, &plan.relevant);
        if depth == relevant.len() {
            if *budget == 0 {
                return Search::GaveUp;
            }
            *budget -= 1;
            return if goal.holds(assignment) {
                Search::Found(self.witness(&plan.relevant, assignment))
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
                    let options: Vec<&'a str> = plan
                        .mentioned
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
            match self.search(plan, depth + 1, assignment, budget) {
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

/// The goal with nested `all` lists merged and a one-part `all` replaced by its part, so that
/// "asked, and always" is recognised as the single condition it is.
fn flattened(goal: &Condition) -> Condition {
    fn gather(condition: &Condition, parts: &mut Vec<Condition>) {
        match condition {
            Condition::All(inner) => inner.iter().for_each(|part| gather(part, parts)),
            other => {
                if !parts.contains(other) {
                    parts.push(other.clone());
                }
            }
        }
    }
    let Condition::All(_) = goal else {
        return goal.clone();
    };
    let mut parts = Vec::new();
    gather(goal, &mut parts);
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        Condition::All(parts)
    }
}

/// Whether a condition holds or fails whatever the answers (`all: []` always holds, and
/// "not always" never), or `None` when it depends on them.
fn constant(condition: &Condition) -> Option<bool> {
    match condition {
        Condition::All(parts) => constant_list(parts, true),
        Condition::Any(parts) => constant_list(parts, false),
        Condition::Not(inner) => constant(inner).map(|value| !value),
        Condition::Equals(_) | Condition::Contains(_) => None,
    }
}

/// An `all` (`empty` true) or `any` (`empty` false) list: one part of the other value decides
/// it; otherwise it is constant only when every part is.
fn constant_list(parts: &[Condition], empty: bool) -> Option<bool> {
    let mut open = false;
    for part in parts {
        match constant(part) {
            Some(value) if value != empty => return Some(value),
            Some(_) => {}
            None => open = true,
        }
    }
    (!open).then_some(empty)
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
