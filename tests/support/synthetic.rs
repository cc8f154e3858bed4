//! Synthetic knowledge bases N times the size of the shipped one, for the scale test and the
//! benchmarks. Copy k of every question, section, area (with its decision), finding, table row
//! and diagram part gets the suffix `__k` on its id and on every id it references, so each copy
//! is an independent sub-tree that validates and evaluates like the original.

use serde_json::Value;

use aml_advisor::knowledge::KnowledgeBase;

/// Fields whose string value is an id (or a reference to one) that each copy renames.
const RENAMED: &[&str] = &["id", "section", "question", "area", "group", "parent", "from", "to"];
/// Lists copied per copy; the rest (meta, phases, sources, regions, architectures, variants)
/// stays single, as an organisation's extension would leave them.
const COPIED: &[&str] = &[
    "sections",
    "areas",
    "questions",
    "decisions",
    "findings",
    "network_rules",
    "dns_zones",
    "policies",
    "role_assignments",
    "confirmations",
    "diagram",
    "plan_inputs",
];

/// Fields that name plan resources (`kind` or `kind:name`); each copy gets its own resources,
/// so the plan of one copy never waits for, or collides with, another's.
const RESOURCE_REFERENCES: &[&str] = &["creates", "uses", "resource"];

/// `subnet:training` becomes `subnet:training__k`; a bare kind gets the copy as its name.
fn rename_resource(reference: &mut String, suffix: &str) {
    if reference.contains(':') {
        reference.push_str(suffix);
    } else {
        reference.push(':');
        reference.push_str(suffix.trim_start_matches('_'));
    }
}

fn rename_resources(value: &mut Value, suffix: &str) {
    match value {
        Value::String(reference) => rename_resource(reference, suffix),
        Value::Array(items) => items.iter_mut().for_each(|item| rename_resources(item, suffix)),
        // A conditional use: its `resource` names the resource, its `when` reads questions.
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("resource") {
                rename_resource(reference, suffix);
            }
            if let Some(when) = map.get_mut("when") {
                rename(when, suffix, false);
            }
        }
        _ => {}
    }
}

fn rename(value: &mut Value, suffix: &str, in_choices: bool) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if RESOURCE_REFERENCES.contains(&key.as_str()) {
                    rename_resources(inner, suffix);
                    continue;
                }
                match inner {
                    // Choice ids are scoped to their question and stay as they are.
                    Value::String(text) if RENAMED.contains(&key.as_str()) && !in_choices => text.push_str(suffix),
                    _ => rename(inner, suffix, key == "choices"),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename(item, suffix, in_choices)),
        _ => {}
    }
}

/// The shipped files plus `factor - 1` renamed copies of their copyable lists, as
/// (file name, YAML text) pairs.
pub fn files(factor: usize) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = KnowledgeBase::embedded_files()
        .iter()
        .map(|(name, text)| (format!("knowledge/{name}"), (*text).to_string()))
        .collect();
    for copy in 1..factor {
        let suffix = format!("__{copy}");
        for (name, text) in KnowledgeBase::embedded_files() {
            let parsed: Value = aml_advisor::yaml::parse(text).expect("shipped YAML parses");
            let mut copied = serde_json::Map::new();
            for key in COPIED {
                if let Some(list) = parsed.get(*key) {
                    let mut list = list.clone();
                    rename(&mut list, &suffix, false);
                    if *key == "questions" {
                        give_required_questions_a_default(&mut list);
                    }
                    copied.insert((*key).to_string(), list);
                }
            }
            if let Some(iac) = parsed.get("iac") {
                copied.insert("iac".to_string(), iac_copy(iac, &suffix));
            }
            if copied.is_empty() {
                continue;
            }
            let yaml = aml_advisor::yaml::to_string(&Value::Object(copied)).expect("serialises");
            let stem = name.trim_end_matches(".yaml");
            files.push((format!("knowledge/{stem}{suffix}.yaml"), yaml));
        }
    }
    files
}

/// The `iac:` mappings of the copied rows: every id a mapping names gets the copy's suffix.
/// Settings, variables and the README text stay single, as an extension would leave them.
fn iac_copy(iac: &Value, suffix: &str) -> Value {
    let renamed = |list: &str, fields: &[&str]| -> Value {
        let mut items = iac.get(list).cloned().unwrap_or(Value::Array(Vec::new()));
        for item in items.as_array_mut().into_iter().flatten() {
            for field in fields {
                match item.get_mut(*field) {
                    Some(Value::String(text)) => text.push_str(suffix),
                    Some(Value::Array(names)) => {
                        for name in names.iter_mut() {
                            if let Value::String(text) = name {
                                text.push_str(suffix);
                            }
                        }
                    }
                    Some(Value::Object(parameters)) => {
                        for value in parameters.values_mut() {
                            if let Value::String(text) = value
                                && text.starts_with("zone:")
                            {
                                text.push_str(suffix);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        items
    };
    serde_json::json!({
        "network_rules": renamed("network_rules", &["rule", "outbound_rule"]),
        "private_endpoints": renamed("private_endpoints", &["name", "zones"]),
        "corporate_zones": renamed("corporate_zones", &["resource", "zone"]),
        "outbound_rules": renamed("outbound_rules", &["name"]),
        "roles": renamed("roles", &["role"]),
        "policies": renamed("policies", &["policy", "parameters"]),
    })
}

/// Copies of `region` would be required too; the answers only name the original.
fn give_required_questions_a_default(questions: &mut Value) {
    for question in questions.as_array_mut().into_iter().flatten() {
        if question.get("default").is_none() {
            question["default"] = serde_json::json!([{ "value": "westeurope", "reason": "synthetic copy" }]);
        }
    }
}

/// The shipped files plus a chain of `length` yes/no questions, each asked only when the one
/// before it is answered yes: the deepest dependency a knowledge base can have, which made
/// validation cubic in its length before reachability remembered what it had searched.
pub fn chain(length: usize) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = KnowledgeBase::embedded_files()
        .iter()
        .map(|(name, text)| (format!("knowledge/{name}"), (*text).to_string()))
        .collect();
    let mut yaml =
        String::from("sections:\n  - id: chain\n    title: Chain\n    description: Synthetic.\nquestions:\n");
    for index in 0..length {
        yaml.push_str(&format!(
            "  - id: chain_{index}\n    section: chain\n    type: single\n    prompt: Link {index}?\n    help: Synthetic.\n    \
             choices:\n      - {{ id: no, label: No, description: No. }}\n      - {{ id: yes, label: Yes, description: Yes. }}\n    \
             default:\n      - {{ value: no, reason: Synthetic. }}\n    sources: [seed-003]\n"
        ));
        if index > 0 {
            yaml.push_str(&format!(
                "    asked_when: {{ equals: {{ question: chain_{}, value: yes }} }}\n",
                index - 1
            ));
        }
    }
    files.push(("knowledge/zz-chain.yaml".to_string(), yaml));
    files
}
