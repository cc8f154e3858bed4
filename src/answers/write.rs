//! Writing answers back as an answers file (the interview's "save answers").

use super::parse::FORMAT_VERSION;
use super::{AnswerValue, Given};
use crate::knowledge::KnowledgeBase;

/// An answers file with the given answers in interview order, loadable by `recommend` and
/// `interview --answers`.
pub fn to_yaml(kb: &KnowledgeBase, given: &Given, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("version: {FORMAT_VERSION}\nanswers:\n"));
    for question in &kb.questions {
        if let Some(value) = given.get(&question.id) {
            out.push_str(&format!("  {}: {}\n", question.id, yaml_value(value)));
        }
    }
    out
}

/// The value as YAML that any reader, YAML 1.1 included, loads back unchanged; lists are
/// written inline, as answers files are hand-written.
fn yaml_value(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Choice(text) | AnswerValue::Text(text) => crate::yaml::scalar(text),
        AnswerValue::Choices(items) => crate::yaml::flow_list(items),
    }
}
