//! `recommend --format json` against its JSON Schema (`aml-advisor schema recommendation`):
//! every example's output validates, every key is documented in the README, and every answer
//! value has one type.
//!
//! The validation here is a small validator for exactly the keywords the generated schema uses
//! (any other keyword fails the test rather than being ignored), so it runs everywhere without
//! a dependency; tests/output_tools.rs also runs check-jsonschema, the validator users run.

use std::collections::BTreeSet;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::render;
use serde_json::Value;

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

fn schema() -> Value {
    render::json::schema().to_value()
}

fn example_outputs() -> Vec<(String, Value)> {
    let kb = KnowledgeBase::embedded().expect("embedded knowledge base");
    examples()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("example");
            let checked = check(&kb, &text, "example", false).expect("valid example");
            let json = render::json::render(&evaluate(&kb, &checked.resolved));
            (
                path.display().to_string(),
                serde_json::from_str(&json).expect("the output is JSON"),
            )
        })
        .collect()
}

/// The problems of `value` at `path` against `schema` (resolving `$ref` in `root`).
fn validate(root: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        problems.push(format!("{path}: the schema is not an object"));
        return;
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            "$schema" | "title" | "description" | "$defs" | "format" => {}
            "$ref" => {
                let pointer = rule.as_str().and_then(|r| r.strip_prefix('#')).unwrap_or("");
                match root.pointer(pointer) {
                    Some(target) => validate(root, target, value, path, problems),
                    None => problems.push(format!("{path}: unresolved $ref {rule}")),
                }
            }
            "type" => {
                let allowed: Vec<&str> = match rule {
                    Value::String(one) => vec![one.as_str()],
                    Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                let actual = match value {
                    Value::Null => "null",
                    Value::Bool(_) => "boolean",
                    Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
                    Value::Number(_) => "number",
                    Value::String(_) => "string",
                    Value::Array(_) => "array",
                    Value::Object(_) => "object",
                };
                let fits = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
                if !fits {
                    problems.push(format!("{path}: {actual}, the schema allows {allowed:?}"));
                }
            }
            "properties" => {
                if let (Some(properties), Some(object)) = (rule.as_object(), value.as_object()) {
                    for (key, item) in object {
                        if let Some(property) = properties.get(key) {
                            validate(root, property, item, &format!("{path}.{key}"), problems);
                        }
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for key in rule.as_array().into_iter().flatten().filter_map(Value::as_str) {
                        if !object.contains_key(key) {
                            problems.push(format!("{path}: required key {key} missing"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                let known = schema.get("properties").and_then(Value::as_object);
                for (key, item) in value.as_object().into_iter().flatten() {
                    if known.is_some_and(|known| known.contains_key(key)) {
                        continue;
                    }
                    match rule {
                        Value::Bool(false) => problems.push(format!("{path}: key {key} is not in the schema")),
                        Value::Bool(true) => {}
                        other => validate(root, other, item, &format!("{path}.{key}"), problems),
                    }
                }
            }
            "items" => {
                for (index, item) in value.as_array().into_iter().flatten().enumerate() {
                    validate(root, rule, item, &format!("{path}[{index}]"), problems);
                }
            }
            "enum" => {
                if !rule.as_array().is_some_and(|allowed| allowed.contains(value)) {
                    problems.push(format!("{path}: {value} is not one of {rule}"));
                }
            }
            "const" => {
                if rule != value {
                    problems.push(format!("{path}: {value} is not {rule}"));
                }
            }
            "anyOf" | "oneOf" => {
                let matching = rule
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|option| {
                        let mut inner = Vec::new();
                        validate(root, option, value, path, &mut inner);
                        inner.is_empty()
                    })
                    .count();
                let fits = if keyword == "oneOf" {
                    matching == 1
                } else {
                    matching >= 1
                };
                if !fits {
                    problems.push(format!("{path}: {value} matches {matching} of the {keyword} options"));
                }
            }
            "minimum" => {
                if value.as_f64().zip(rule.as_f64()).is_some_and(|(v, min)| v < min) {
                    problems.push(format!("{path}: {value} is below {rule}"));
                }
            }
            other => problems.push(format!(
                "{path}: the test's validator does not know the keyword {other}"
            )),
        }
    }
}

/// `assess --format json` of the estate fixtures: the estate report and done steps filled in.
fn assessment_outputs() -> Vec<(String, Value)> {
    use aml_advisor::estate::{self, EstateFile, EstateIndex, Scope};
    let kb = KnowledgeBase::embedded().expect("embedded knowledge base");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/estate");
    let files: Vec<EstateFile> = [
        "fabrikam-subscription.graph.json",
        "contoso-workspace.arm.json",
        "contoso-network.arm-list.json",
    ]
    .iter()
    .map(|name| EstateFile {
        name: (*name).to_string(),
        text: std::fs::read_to_string(dir.join(name)).expect("fixture"),
    })
    .collect();
    let estate = estate::read(files, &kb.estate).expect("valid estate");
    let index = EstateIndex::new(&estate, &kb.estate);
    index
        .workspaces(&estate)
        .into_iter()
        .map(|workspace| {
            let scope = Scope::new(&estate, &kb.estate, &index, workspace);
            let recommendation = estate::assess(&kb, &scope, None).expect("assessed");
            let json = render::json::render(&recommendation);
            (
                workspace.name.clone(),
                serde_json::from_str(&json).expect("the output is JSON"),
            )
        })
        .collect()
}

#[test]
fn every_assessment_output_validates_against_the_schema() {
    let schema = schema();
    let outputs = assessment_outputs();
    assert_eq!(outputs.len(), 4);
    for (name, output) in outputs {
        assert!(output["estate"].is_object(), "{name}: an assessment reports its estate");
        let mut problems = Vec::new();
        validate(&schema, &schema, &output, "$", &mut problems);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn every_example_output_validates_against_the_schema() {
    let schema = schema();
    for (name, output) in example_outputs() {
        let mut problems = Vec::new();
        validate(&schema, &schema, &output, "$", &mut problems);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_validator_catches_what_the_schema_forbids() {
    let schema = schema();
    let (_, good) = example_outputs().swap_remove(0);
    let spoil = |change: &dyn Fn(&mut Value)| {
        let mut bad = good.clone();
        change(&mut bad);
        let mut problems = Vec::new();
        validate(&schema, &schema, &bad, "$", &mut problems);
        problems
    };
    assert!(
        !spoil(&|v| v["surprise"] = Value::Bool(true)).is_empty(),
        "an undocumented key"
    );
    assert!(
        !spoil(&|v| v["findings"] = Value::from("none")).is_empty(),
        "a wrong type"
    );
    assert!(
        !spoil(&|v| v["architecture"]["pros"] = Value::Null).is_empty(),
        "null for a list"
    );
    assert!(
        !spoil(&|v| v.as_object_mut().map(|o| o.remove("decisions")).map_or((), |_| ())).is_empty(),
        "a missing key"
    );
}

/// Every answer value in the output is a list of strings, whatever its question's kind.
#[test]
fn every_answer_value_is_a_list_of_strings() {
    fn check_values(value: &Value, path: &str, found: &mut usize) {
        match value {
            Value::Object(object) => {
                for (key, item) in object {
                    let here = format!("{path}.{key}");
                    if key == "value" || path.ends_with(".answers") {
                        *found += 1;
                        assert!(
                            item.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
                            "{here}: {item}"
                        );
                    } else {
                        check_values(item, &here, found);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| check_values(item, path, found)),
            _ => {}
        }
    }
    for (name, output) in example_outputs() {
        let mut found = 0;
        check_values(&output, "$", &mut found);
        assert!(found > 20, "{name}: only {found} answer values seen");
    }
}

/// Every property name the schema defines, at any depth.
fn property_names(value: &Value, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                names.extend(properties.keys().cloned());
            }
            object.values().for_each(|item| property_names(item, names));
        }
        Value::Array(items) => items.iter().for_each(|item| property_names(item, names)),
        _ => {}
    }
}

#[test]
fn the_readme_documents_every_key_of_the_json_output() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let start = readme
        .find("### The JSON output")
        .expect("README has a JSON output section");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n## ").map_or(section.len(), |end| end + 4)];
    let mut names = BTreeSet::new();
    property_names(&schema(), &mut names);
    assert!(names.len() > 40, "{names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| !section.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "keys the README's JSON section does not name: {missing:?}"
    );
}
