//! Inline pieces shared by the sections: answers with their labels, causes, lists in prose.

use crate::answers::AnswerValue;
use crate::engine::recommendation::{AnsweredQuestion, Cause};
use crate::render::markdown_escape as esc;

/// An answer as a reader wants it: the choice's label with its id (`New workspace (`new`)`), or
/// the text itself.
pub(super) fn labelled(answered: &AnsweredQuestion) -> String {
    let ids = match &answered.value {
        AnswerValue::Choice(id) => vec![id.as_str()],
        AnswerValue::Choices(ids) => ids.iter().map(String::as_str).collect(),
        AnswerValue::Text(_) => return answer(&answered.value),
    };
    if ids.is_empty() {
        return "(none)".to_string();
    }
    ids.iter()
        .zip(&answered.labels)
        .map(|(id, label)| format!("{} ({})", esc::text(label), esc::identifier(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An answer's value: identifiers as code, other text escaped, lists comma-separated.
pub(super) fn answer(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Choice(text) | AnswerValue::Text(text) => or_placeholder(&esc::identifier(text), "(empty)"),
        AnswerValue::Choices(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| esc::identifier(item))
                .filter(|item| !item.is_empty())
                .collect();
            if items.is_empty() {
                "(none)".to_string()
            } else {
                items.join(", ")
            }
        }
    }
}

pub(super) fn cause_text(cause: &Cause) -> String {
    format!("{} = {}", esc::identifier(&cause.question), answer(&cause.value))
}

pub(super) fn causes(list: &[Cause]) -> Vec<String> {
    list.iter().map(cause_text).collect()
}

pub(super) fn because_text(list: &[Cause]) -> String {
    if list.is_empty() {
        "it is the option that applies when no other does".to_string()
    } else {
        join_and(&causes(list))
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Bold escaped text, or the escaped fallback when the text is empty.
pub(super) fn strong(text: &str, fallback: &str) -> String {
    let shown = or_placeholder(&esc::text(text), &esc::text(fallback));
    if shown.is_empty() {
        "(untitled)".to_string()
    } else {
        format!("**{shown}**")
    }
}

pub(super) fn or_placeholder(markdown: &str, placeholder: &str) -> String {
    if markdown.is_empty() {
        placeholder.to_string()
    } else {
        markdown.to_string()
    }
}

/// `workspace_state` → `Workspace state`.
pub(super) fn humanise(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_names() {
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(humanise("workspace_state"), "Workspace state");
    }
}
