//! Answers: what the administrator said (`Given`), checked against the knowledge base, and
//! what the engine works from (`Resolved`): every applicable question with its value, the
//! defaults that were assumed, and the answers that do not apply.

pub mod check;
mod parse;
mod resolve;
pub mod schema;
pub mod template;
pub mod text_rule;
mod value;
mod write;

pub use parse::{FORMAT_VERSION, parse};
pub use resolve::{Assumption, IgnoredAnswer, Resolved, resolve};
pub use value::{AnswerValue, RawValue, as_list};
pub use write::to_yaml;

/// Answers as given, by question id. A `BTreeMap` keeps them in a stable order independent
/// of the file; outputs re-order them by the interview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given(pub std::collections::BTreeMap<String, AnswerValue>);

impl Given {
    pub fn set(&mut self, question: &str, value: AnswerValue) {
        self.0.insert(question.to_string(), value);
    }

    pub fn get(&self, question: &str) -> Option<&AnswerValue> {
        self.0.get(question)
    }

    pub fn remove(&mut self, question: &str) -> Option<AnswerValue> {
        self.0.remove(question)
    }
}
