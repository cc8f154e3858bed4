//! The interview's logic, shared by the full-screen interface and plain mode: which questions
//! apply, in which order, their defaults and offered choices, and what answering does
//! (answers that stop applying are dropped, with a note). No terminal, no I/O.

use crate::answers::{AnswerValue, Given, IgnoredAnswer, Resolved, resolve};
use crate::engine::{Recommendation, evaluate};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::holds;
use crate::knowledge::model::Question;

/// What recording one answer did to the others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// Answers removed because they stopped applying.
    pub dropped: Vec<IgnoredAnswer>,
    /// Question ids whose dropped answer came back because it applies again.
    pub restored: Vec<String>,
}

/// The answers so far and what they resolve to.
#[derive(Debug, Clone)]
pub struct Interview<'kb> {
    pub kb: &'kb KnowledgeBase,
    given: Given,
    resolved: Resolved,
    /// Answers removed because they stopped applying, newest last, one per question.
    dropped: Vec<IgnoredAnswer>,
}

impl<'kb> Interview<'kb> {
    /// Starts from `given` (empty, an autosave or a loaded answers file). Answers that do not
    /// apply under the others are dropped with a note right away.
    pub fn new(kb: &'kb KnowledgeBase, given: Given) -> Self {
        let resolved = resolve(kb, &given);
        let mut interview = Self {
            kb,
            given,
            resolved,
            dropped: Vec::new(),
        };
        interview.drop_stale();
        interview
    }

    pub fn given(&self) -> &Given {
        &self.given
    }

    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    pub fn dropped(&self) -> &[IgnoredAnswer] {
        &self.dropped
    }

    pub fn question(&self, index: usize) -> Option<&'kb Question> {
        self.kb.questions.get(index)
    }

    pub fn is_applicable(&self, index: usize) -> bool {
        self.question(index)
            .is_some_and(|question| self.resolved.is_applicable(&question.id))
    }

    pub fn is_answered(&self, index: usize) -> bool {
        self.question(index)
            .is_some_and(|question| self.given.get(&question.id).is_some())
    }

    /// Indices (into `kb.questions`) of the questions that apply, in interview order.
    pub fn applicable(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.kb.questions.len()).filter(|&index| self.is_applicable(index))
    }

    /// "Question `position` of about `total`": counts only the questions that apply now.
    pub fn progress(&self, index: usize) -> (usize, usize) {
        let mut position = 0;
        let mut total = 0;
        for applicable in self.applicable() {
            total += 1;
            if applicable <= index {
                position = total;
            }
        }
        (position.max(1), total.max(1))
    }

    /// How many questions a new interview asks when every default is kept: the count the
    /// welcome screen, plain mode and the README announce ("about N questions").
    pub fn likely_count(kb: &KnowledgeBase) -> usize {
        Interview::new(kb, Given::default()).applicable().count()
    }

    pub fn first_applicable(&self) -> Option<usize> {
        self.applicable().next()
    }

    pub fn next_after(&self, index: usize) -> Option<usize> {
        self.applicable().find(|&other| other > index)
    }

    pub fn previous_before(&self, index: usize) -> Option<usize> {
        self.applicable().filter(|&other| other < index).last()
    }

    pub fn last_applicable(&self) -> Option<usize> {
        self.applicable().last()
    }

    /// The first applicable question after `index` (or from the start) without an answer.
    pub fn first_unanswered_after(&self, index: Option<usize>) -> Option<usize> {
        self.applicable()
            .filter(|&other| index.is_none_or(|index| other > index))
            .find(|&other| !self.is_answered(other))
    }

    /// Required questions (no default) that still have no answer.
    pub fn missing(&self) -> &[String] {
        &self.resolved.missing
    }

    /// The default the question takes under the other answers, with its reason.
    pub fn default_for(&self, index: usize) -> Option<(AnswerValue, String)> {
        let question = self.question(index)?;
        let mut without = self.given.clone();
        without.remove(&question.id);
        resolve(self.kb, &without)
            .assumptions
            .into_iter()
            .find(|assumption| assumption.question == question.id)
            .map(|assumption| (assumption.value, assumption.reason))
    }

    /// Indices (into `question.choices`) of the choices offered under the earlier answers.
    pub fn offered(&self, index: usize) -> Vec<usize> {
        let Some(question) = self.question(index) else {
            return Vec::new();
        };
        question
            .choices
            .iter()
            .enumerate()
            .filter(|(_, choice)| holds(choice.offered_when.as_ref(), &self.resolved))
            .map(|(position, _)| position)
            .collect()
    }

    /// The question's effective value: the answer, else the default.
    pub fn value(&self, index: usize) -> Option<&AnswerValue> {
        self.resolved.get(&self.question(index)?.id)
    }

    /// Whether the effective value is an assumed default rather than an answer.
    pub fn is_assumed(&self, index: usize) -> bool {
        self.question(index).is_some_and(|question| {
            self.resolved
                .assumptions
                .iter()
                .any(|assumption| assumption.question == question.id)
        })
    }

    /// Records an answer. Returns the answers this dropped because they no longer apply and
    /// the earlier dropped answers it brought back.
    pub fn answer(&mut self, index: usize, value: AnswerValue) -> Change {
        let Some(question) = self.question(index) else {
            return Change::default();
        };
        self.given.set(&question.id, value);
        self.dropped.retain(|note| note.question != question.id);
        self.resolved = resolve(self.kb, &self.given);
        let mut dropped = self.drop_stale();
        let mut restored = Vec::new();
        // A restored answer can bring another question back into play: repeat until nothing
        // changes (at most once per question).
        for _ in 0..self.kb.questions.len() {
            let more = self.restore_dropped();
            if more.is_empty() {
                break;
            }
            restored.extend(more);
        }
        dropped.retain(|note| !restored.contains(&note.question));
        Change { dropped, restored }
    }

    /// Gives back dropped answers whose question applies again and whose value is offered
    /// again: a user who switches an answer back finds the later answers as they left them.
    /// Returns the ids of the questions answered again.
    fn restore_dropped(&mut self) -> Vec<String> {
        let mut restored = Vec::new();
        for note in self.dropped.clone() {
            if !self.resolved.is_applicable(&note.question) || self.given.get(&note.question).is_some() {
                continue;
            }
            let mut trial = self.given.clone();
            trial.set(&note.question, note.value.clone());
            let resolved = resolve(self.kb, &trial);
            if resolved.get(&note.question) == Some(&note.value) && resolved.ignored.is_empty() {
                self.given = trial;
                self.resolved = resolved;
                self.dropped.retain(|old| old.question != note.question);
                restored.push(note.question);
            }
        }
        restored
    }

    /// A dropped answer for people: the question's prompt, the answer's labels and why.
    pub fn dropped_note(&self, note: &IgnoredAnswer) -> String {
        let why = if self.resolved.is_applicable(&note.question) {
            "that choice is not offered under the other answers"
        } else {
            "the question is not asked under the other answers"
        };
        format!("{} ({why})", self.labelled(&note.question, &note.value))
    }

    /// The current answer to question `id` for people: its prompt and the answer's labels.
    pub fn answer_note(&self, id: &str) -> String {
        match self.given.get(id) {
            Some(value) => self.labelled(id, value),
            None => crate::sanitize::strip_controls(id),
        }
    }

    /// `Prompt “label”`, or the raw id and value for a question the knowledge base lacks.
    fn labelled(&self, id: &str, value: &AnswerValue) -> String {
        labelled_answer(self.kb, id, value)
    }

    /// The recommendation of the current answers.
    pub fn recommendation(&self) -> Recommendation {
        evaluate(self.kb, &self.resolved)
    }

    /// The recommendation if `index` were answered `value` (the live preview).
    pub fn recommendation_with(&self, index: usize, value: Option<AnswerValue>) -> Recommendation {
        match (self.question(index), value) {
            (Some(question), Some(value)) => {
                let mut tentative = self.given.clone();
                tentative.set(&question.id, value);
                evaluate(self.kb, &resolve(self.kb, &tentative))
            }
            _ => self.recommendation(),
        }
    }

    /// Removes answers to questions that are not asked, and choices no longer offered.
    fn drop_stale(&mut self) -> Vec<IgnoredAnswer> {
        let mut removed: Vec<IgnoredAnswer> = self.resolved.ignored.clone();
        for (id, value) in &self.given.0 {
            if self.resolved.is_applicable(id)
                && self.resolved.get(id) != Some(value)
                && !removed.iter().any(|note| &note.question == id)
            {
                removed.push(IgnoredAnswer {
                    question: id.clone(),
                    value: value.clone(),
                    reason: format!("`{}` is no longer offered under the other answers", value.display()),
                });
            }
        }
        if removed.is_empty() {
            return removed;
        }
        for note in &removed {
            self.given.remove(&note.question);
            self.dropped.retain(|old| old.question != note.question);
            self.dropped.push(note.clone());
        }
        self.resolved = resolve(self.kb, &self.given);
        removed
    }
}

/// The choice ids of `question` at the given positions, in knowledge-base order.
pub fn choice_ids(question: &Question, positions: impl IntoIterator<Item = usize>) -> Vec<String> {
    let mut positions: Vec<usize> = positions.into_iter().collect();
    positions.sort_unstable();
    positions
        .into_iter()
        .filter_map(|position| question.choices.get(position).map(|choice| choice.id.clone()))
        .collect()
}

/// An answer for people: the question's prompt and the value's labels (ids only for a question
/// the knowledge base does not have).
pub fn labelled_answer(kb: &KnowledgeBase, id: &str, value: &AnswerValue) -> String {
    match kb.question(id) {
        Some(question) => format!(
            "{} “{}”",
            crate::sanitize::strip_controls(question.prompt.trim_end()),
            display_value(question, value)
        ),
        None => format!(
            "{} = {}",
            crate::sanitize::strip_controls(id),
            crate::sanitize::strip_controls(&value.display())
        ),
    }
}

/// A value for people: choice labels instead of ids, `none` for an empty list.
pub fn display_value(question: &Question, value: &AnswerValue) -> String {
    let label = |id: &str| {
        question
            .choices
            .iter()
            .find(|choice| choice.id == id)
            .map_or_else(|| id.to_string(), |choice| choice.label.clone())
    };
    match value {
        AnswerValue::Choice(id) => label(id),
        AnswerValue::Choices(ids) if ids.is_empty() => "none".to_string(),
        AnswerValue::Choices(ids) => ids.iter().map(|id| label(id)).collect::<Vec<_>>().join(", "),
        AnswerValue::Text(text) => crate::sanitize::strip_controls(text),
    }
}

/// The default file stem for exports: the workspace name, reduced to safe file-name characters.
pub fn file_stem(resolved: &Resolved) -> String {
    let name: String = resolved
        .text("workspace_name")
        .unwrap_or("aml-workspace")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let name = name.trim_start_matches('.');
    if name.is_empty() {
        "aml-workspace".to_string()
    } else {
        name.to_string()
    }
}
