//! The tables of the record: network rules, private DNS zones, policy and role assignments.

use super::doc::Doc;
use super::inline::strong;
use crate::engine::Recommendation;
use crate::knowledge::model::Direction;
use crate::render::markdown_escape as esc;

pub(super) fn network_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Network rules");
    if r.network_rules.is_empty() {
        doc.para("No network rules apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.network_rules_intro));
    let rows: Vec<Vec<String>> = r
        .network_rules
        .iter()
        .map(|rule| {
            vec![
                match rule.direction {
                    Direction::Inbound => "Inbound",
                    Direction::Outbound => "Outbound",
                    Direction::Route => "Route",
                }
                .to_string(),
                esc::identifier(&rule.source),
                esc::identifier(&rule.destination),
                esc::text(&rule.protocol),
                esc::text(&rule.ports),
                esc::text(&rule.why),
            ]
        })
        .collect();
    doc.table(
        &["Direction", "Source", "Destination", "Protocol", "Ports", "Why"],
        &rows,
    );
}

pub(super) fn dns_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Private DNS zones");
    if r.dns_zones.is_empty() {
        doc.para("No private DNS zones apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.dns_zones_intro));
    let rows: Vec<Vec<String>> = r
        .dns_zones
        .iter()
        .map(|zone| {
            let forward: Vec<String> = zone
                .forward
                .iter()
                .map(|name| esc::code_cell(name))
                .filter(|name| !name.is_empty())
                .collect();
            vec![
                esc::code_cell(&zone.zone),
                esc::text(&zone.resource),
                if forward.is_empty() {
                    "—".to_string()
                } else {
                    forward.join(", ")
                },
            ]
        })
        .collect();
    doc.table(&["Zone", "Resource", "Conditional forward"], &rows);
}

pub(super) fn policy_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Policy assignments");
    if r.policies.is_empty() {
        doc.para("No Azure Policy assignments apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.policies_intro));
    let rows: Vec<Vec<String>> = r
        .policies
        .iter()
        .map(|policy| {
            // Only the names: the values are resource ids, too long for a cell; they are
            // given in full with the assignment commands below.
            let names: Vec<String> = policy
                .parameters
                .as_deref()
                .map(parameter_names)
                .unwrap_or_default()
                .iter()
                .map(|name| esc::code_cell(name))
                .filter(|name| !name.is_empty())
                .collect();
            vec![
                esc::text(&policy.display_name),
                esc::code_cell(&policy.definition_id),
                esc::text(&policy.effect),
                if names.is_empty() {
                    "—".to_string()
                } else {
                    names.join(", ")
                },
                esc::text(&policy.why),
            ]
        })
        .collect();
    doc.table(&["Display name", "Definition id", "Effect", "Parameters", "Why"], &rows);
    doc.heading(3, "Assignment commands");
    doc.start_list();
    for policy in &r.policies {
        doc.item(0, "-", &esc::text(&policy.display_name));
        if let Some(parameters) = policy.parameters.as_deref().filter(|p| !p.trim().is_empty()) {
            doc.continuation("  ", &format!("Parameters: {}.", esc::code_cell(parameters)));
        }
        doc.code_block("  ", "sh", &policy.command);
    }
}

/// `name=value; other=value` → `[name, other]`; text in another shape is its own name.
fn parameter_names(parameters: &str) -> Vec<&str> {
    parameters
        .split(';')
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name).trim())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Longer unbroken text than this in a table cell leaves too little of GitHub's page width for
/// the other columns, so the table scrolls sideways; such text (resource ids) is moved below
/// the table and the cell refers to it. Zone names, GUIDs and host names fit.
const LONGEST_WORD_IN_A_CELL: usize = 56;

pub(super) fn role_section(doc: &mut Doc, r: &Recommendation) {
    doc.heading(2, "Role assignments");
    if r.role_assignments.is_empty() {
        doc.para("No role assignments apply to this design.");
        return;
    }
    doc.para(&esc::text(&r.report_text.roles_intro));
    let mut scopes: Vec<&str> = Vec::new();
    let mut custom_roles: Vec<(&str, Vec<&str>)> = Vec::new();
    let rows: Vec<Vec<String>> = r
        .role_assignments
        .iter()
        .map(|role| {
            let (name, actions) = if role.custom {
                split_actions(&role.role)
            } else {
                (role.role.as_str(), Vec::new())
            };
            if !actions.is_empty() && custom_roles.iter().all(|(known, _)| *known != name) {
                custom_roles.push((name, actions));
            }
            let scope = if has_long_word(&role.scope) {
                let number = match scopes.iter().position(|known| *known == role.scope) {
                    Some(index) => index + 1,
                    None => {
                        scopes.push(&role.scope);
                        scopes.len()
                    }
                };
                format!("scope {number} (below)")
            } else {
                esc::text(&role.scope)
            };
            vec![
                esc::identifier(&role.persona),
                esc::text(name),
                if role.custom { "Custom" } else { "Built-in" }.to_string(),
                scope,
                esc::text(&role.why),
            ]
        })
        .collect();
    doc.table(&["Persona", "Role", "Custom or built-in", "Scope", "Why"], &rows);
    if !scopes.is_empty() {
        doc.para("The scopes, as resource ids:");
        let items: Vec<String> = scopes
            .iter()
            .enumerate()
            .map(|(index, scope)| format!("Scope {}: {}", index + 1, esc::code_cell(scope)))
            .collect();
        doc.list(&items);
    }
    if !custom_roles.is_empty() {
        doc.para("The custom roles and the actions they allow:");
        let items: Vec<String> = custom_roles
            .iter()
            .map(|(name, actions)| {
                let actions: Vec<String> = actions.iter().map(|action| esc::code_cell(action)).collect();
                format!("{}: {}", strong(name, "(untitled)"), actions.join(", "))
            })
            .collect();
        doc.list(&items);
    }
}

/// A custom role written `Name (action, action)` → the name and its actions; a role without
/// a list of actions is its own name.
fn split_actions(role: &str) -> (&str, Vec<&str>) {
    role.strip_suffix(')')
        .and_then(|rest| rest.split_once(" ("))
        .map(|(name, actions)| {
            let actions = actions.split(',').map(str::trim).filter(|a| !a.is_empty()).collect();
            (name.trim(), actions)
        })
        .filter(|(name, _)| !name.is_empty())
        .unwrap_or((role, Vec::new()))
}

fn has_long_word(text: &str) -> bool {
    text.split_whitespace()
        .any(|word| word.chars().count() > LONGEST_WORD_IN_A_CELL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_role_actions_and_parameter_names_are_split_out() {
        assert_eq!(
            split_actions("Joiner (Microsoft.Network/a/action, Microsoft.Network/*/read)"),
            ("Joiner", vec!["Microsoft.Network/a/action", "Microsoft.Network/*/read"])
        );
        assert_eq!(split_actions("Reader"), ("Reader", vec![]));
        assert_eq!(split_actions(" (x)"), (" (x)", vec![]));
        assert_eq!(parameter_names("a=<x>; b=<y>"), vec!["a", "b"]);
        assert_eq!(parameter_names("plain"), vec!["plain"]);
    }
}
