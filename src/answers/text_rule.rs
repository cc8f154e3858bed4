//! Checks for text answers: workspace names, resource group names and regions.

use crate::diagnostic::suggest;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{TextKind, TextRule};

/// `Ok` or the reason, phrased to follow "`question` value `x` ".
pub fn check(kb: &KnowledgeBase, rule: &TextRule, value: &str) -> Result<(), String> {
    let length = value.chars().count();
    if let Some(min) = rule.min_length
        && length < min
    {
        return Err(format!("is {length} characters; it needs at least {min}"));
    }
    if let Some(max) = rule.max_length
        && length > max
    {
        return Err(format!("is {length} characters; at most {max} are allowed"));
    }
    match rule.kind {
        TextKind::Name => {
            let first_ok = value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            let rest_ok = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if first_ok && rest_ok {
                Ok(())
            } else {
                Err("is not allowed: use letters, digits, `-` and `_`, starting with a letter or digit".to_string())
            }
        }
        TextKind::ResourceGroup => {
            let chars_ok = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'));
            if chars_ok && !value.ends_with('.') {
                Ok(())
            } else {
                Err("is not a resource group name: use letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with `.`".to_string())
            }
        }
        TextKind::Region => {
            if kb.region(value).is_some() {
                return Ok(());
            }
            // Administrators often paste the display name ("West Europe"); map it back.
            let squashed: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            let by_name = kb
                .regions
                .iter()
                .find(|region| region.id == squashed || region.name.eq_ignore_ascii_case(value.trim()))
                .map(|region| region.id.as_str());
            let hint = by_name.or_else(|| suggest(&squashed, kb.regions.iter().map(|r| r.id.as_str())));
            Err(match hint {
                Some(id) => {
                    format!("is not an Azure region name (did you mean `{id}`?); use the lower-case programmatic name")
                }
                None => {
                    let examples: Vec<String> = kb.regions.iter().take(2).map(|r| format!("`{}`", r.id)).collect();
                    format!(
                        "is not an Azure region name; use the lower-case programmatic name, such as {}",
                        examples.join(" or ")
                    )
                }
            })
        }
    }
}
