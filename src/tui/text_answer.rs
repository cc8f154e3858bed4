//! The field of a text question: the value Enter would confirm (checked against the question's
//! rule), and the region suggestions while a region is typed.

use super::app::App;
use crate::answers::AnswerValue;
use crate::answers::text_rule;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{QuestionKind, TextKind};

impl App<'_> {
    /// The text answer as it would be confirmed: the highlighted suggestion, the typed text,
    /// or the default for an empty field. `Err` says why not.
    pub fn typed_value(&self) -> Result<AnswerValue, String> {
        let question = self
            .interview
            .question(self.question.index)
            .ok_or_else(|| "no question".to_string())?;
        let kb = self.kb();
        let text = match self.question.suggestion.and_then(|s| self.question.suggestions.get(s)) {
            Some(&region) => kb.regions[region].id.clone(),
            None => self.question.input.value().trim().to_string(),
        };
        let text = if text.is_empty() {
            match &self.question.default {
                Some((AnswerValue::Text(default), _)) => default.clone(),
                _ => return Err("an answer is required: this question has no default".to_string()),
            }
        } else {
            text
        };
        match &question.text {
            Some(rule) => text_rule::check(kb, rule, &text)
                .map(|()| AnswerValue::Text(text.clone()))
                .map_err(|reason| format!("`{}` {reason}", crate::sanitize::for_message(&text))),
            None => Ok(AnswerValue::Text(text)),
        }
    }

    /// Recomputes the region suggestions and the inline validation after an edit.
    pub fn refresh_text(&mut self) {
        let Some(question) = self.interview.question(self.question.index) else {
            return;
        };
        if question.kind != QuestionKind::Text {
            return;
        }
        let is_region = question.text.as_ref().is_some_and(|rule| rule.kind == TextKind::Region);
        self.question.suggestions = if is_region {
            region_matches(self.kb(), self.question.input.value())
        } else {
            Vec::new()
        };
        if self
            .question
            .suggestion
            .is_some_and(|s| s >= self.question.suggestions.len())
        {
            self.question.suggestion = None;
        }
        // While matching regions are listed they are the guidance; Enter still reports errors.
        let quiet = self.question.input.is_empty() && self.question.suggestion.is_none();
        self.question.error = if quiet || !self.question.suggestions.is_empty() {
            None
        } else {
            self.typed_value().err()
        };
    }
}

/// Regions whose programmatic or display name matches what was typed; prefix matches first.
pub fn region_matches(kb: &KnowledgeBase, typed: &str) -> Vec<usize> {
    let lower = typed.trim().to_lowercase();
    let squashed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let mut prefix = Vec::new();
    let mut inside = Vec::new();
    for (index, region) in kb.regions.iter().enumerate() {
        let name = region.name.to_lowercase();
        if region.id.starts_with(&squashed) || name.starts_with(&lower) {
            prefix.push(index);
        } else if region.id.contains(&squashed) || name.contains(&lower) {
            inside.push(index);
        }
    }
    // Shorter ids first among prefix matches: `west` offers westus before westcentralus.
    if !squashed.is_empty() {
        prefix.sort_by_key(|&index| (kb.regions[index].id != squashed, kb.regions[index].id.len()));
    }
    prefix.extend(inside);
    prefix
}
