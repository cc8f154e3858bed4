//! Writing answers back as an answers file (the interview's "save answers").

use super::Given;
use super::parse::FORMAT_VERSION;
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
            let rendered = crate::yaml::to_string(value).unwrap_or_default();
            out.push_str(&format!("  {}: {}\n", question.id, inline(rendered.trim_end())));
        }
    }
    out
}

/// serde_yaml writes a list as block lines; answers files read better with flow lists.
fn inline(rendered: &str) -> String {
    if rendered.starts_with("- ") || rendered.starts_with("[]") {
        let items: Vec<&str> = rendered.lines().map(|line| line.trim_start_matches("- ")).collect();
        if rendered.starts_with("[]") {
            "[]".to_string()
        } else {
            format!("[{}]", items.join(", "))
        }
    } else {
        rendered.to_string()
    }
}
