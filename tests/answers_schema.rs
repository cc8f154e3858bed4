//! The answers file as other tools read it: the JSON Schema (`aml-advisor schema`) accepts what
//! the tool accepts, and the files the tool writes (`template`, the interview's saved answers)
//! load as the same strings in YAML 1.1 readers such as PyYAML.

use std::collections::BTreeMap;

use aml_advisor::answers::schema::{RESOURCE_GROUP_PATTERN, schema};
use aml_advisor::answers::text_rule::check;
use aml_advisor::answers::{AnswerValue, Given, template, to_yaml};
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::model::{QuestionKind, TextKind};

#[path = "support/tools.rs"]
mod tools;

fn kb() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("embedded knowledge base")
}

/// A JSON Schema pattern as ECMA-262 reads it, for Rust's `regex`: there `\w` and `\d` are
/// ASCII-only whatever the flags, while Rust's are Unicode.
fn ecma_pattern(pattern: &str) -> regex::Regex {
    let rust = pattern.replace("\\w", "[0-9A-Za-z_]").replace("\\d", "[0-9]");
    regex::Regex::new(&rust).expect("the schema's pattern compiles")
}

#[test]
fn the_resource_group_pattern_accepts_exactly_what_the_tool_accepts() {
    let kb = kb();
    let question = kb.question("resource_group").expect("resource_group question");
    let rule = question.text.as_ref().expect("a text rule");
    assert_eq!(rule.kind, TextKind::ResourceGroup);
    let pattern = ecma_pattern(RESOURCE_GROUP_PATTERN);
    // Characters new in a later Unicode version than the regex crate's tables are left out:
    // there the two can only differ by version, as any two validators may.
    let assigned = regex::Regex::new(r"^\p{Assigned}$").expect("valid");
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for c in (0..=0x10_FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|c| assigned.is_match(c.encode_utf8(&mut [0; 4])))
    {
        checked += 1;
        // In the middle of a name and at its end (where `.` is refused).
        for text in [format!("rg{c}x"), format!("rg{c}")] {
            let tool = check(&kb, rule, &text).is_ok();
            if tool != pattern.is_match(&text) && disagreements.len() < 10 {
                disagreements.push(format!("{text:?}: tool {tool}, schema {}", !tool));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(checked > 200_000, "only {checked} characters checked");
    assert!(pattern.is_match("rg-café"), "non-ASCII letters are allowed");
}

/// The plain scalars a YAML 1.1 reader loads as booleans or null (YAML 1.1 type repository,
/// `bool` and `null`), lower-cased.
const YAML_1_1_NON_STRINGS: &[&str] = &["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"];

/// Every value on `key: value` lines (commented or not) and in flow lists that a YAML 1.1
/// reader would not load as a string.
fn unquoted_non_strings(yaml: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in yaml.lines() {
        let line = line.trim_start().trim_start_matches('#').trim_start();
        let Some((_, value)) = line.split_once(": ") else {
            continue;
        };
        let values: Vec<&str> = match value.trim().strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(list) => list.split(", ").collect(),
            None => vec![value.trim()],
        };
        for value in values {
            if YAML_1_1_NON_STRINGS.contains(&value.to_ascii_lowercase().as_str()) {
                found.push(line.to_string());
            }
        }
    }
    found
}

#[test]
fn the_template_quotes_values_yaml_1_1_reads_as_booleans() {
    let kb = kb();
    let text = template::render(&kb);
    assert_eq!(unquoted_non_strings(&text), Vec::<String>::new());
    // The knowledge base has yes/no choices, so the check above saw some.
    assert!(text.contains("\"yes\""), "{text}");
}

#[test]
fn saved_answers_quote_values_yaml_1_1_reads_as_booleans() {
    let kb = kb();
    let mut given = Given::default();
    let mut answered = 0;
    for question in &kb.questions {
        let ids: Vec<String> = question.choices.iter().map(|c| c.id.clone()).collect();
        let value = match question.kind {
            QuestionKind::Single => AnswerValue::Choice(
                ids.iter()
                    .rev()
                    .find(|id| *id == "yes" || *id == "no")
                    .cloned()
                    .unwrap_or_else(|| ids[0].clone()),
            ),
            QuestionKind::Multi => AnswerValue::Choices(ids),
            QuestionKind::Text => continue,
        };
        given.set(&question.id, value);
        answered += 1;
    }
    let saved = to_yaml(&kb, &given, "saved by a test");
    assert_eq!(unquoted_non_strings(&saved), Vec::<String>::new(), "{saved}");
    assert!(saved.contains(": \"yes\"") || saved.contains(": \"no\""), "{saved}");
    // And the tool reads its own file back unchanged.
    let reread = aml_advisor::answers::parse(&kb, &saved, "saved.yaml").expect("saved answers load");
    assert_eq!(reread, given);
    assert!(answered > 10);
}

/// The real validator users run: every example, and a resource group name with a non-ASCII
/// letter, pass `check-jsonschema` against `aml-advisor schema`.
#[test]
fn check_jsonschema_accepts_what_the_tool_accepts() {
    let Some(validator) = tools::find("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let schema_path = dir.path().join("answers.schema.json");
    let text = serde_json::to_string_pretty(&schema(&kb())).expect("schema serialises");
    std::fs::write(&schema_path, text).expect("write schema");
    let cafe = dir.path().join("cafe.yaml");
    let mut answers = BTreeMap::new();
    answers.insert("resource_group", "rg-café");
    answers.insert("workspace_name", "cafe-ws");
    answers.insert("region", "westeurope");
    let body: String = answers.iter().map(|(k, v)| format!("  {k}: {v}\n")).collect();
    std::fs::write(&cafe, format!("version: 1\nanswers:\n{body}")).expect("write answers");
    let kb = kb();
    aml_advisor::answers::parse(&kb, &std::fs::read_to_string(&cafe).unwrap(), "cafe.yaml")
        .expect("the tool accepts rg-café");
    let mut command = std::process::Command::new(&validator);
    command.arg("--schemafile").arg(&schema_path).arg(&cafe);
    for example in std::fs::read_dir("assets/examples").expect("examples") {
        command.arg(example.expect("entry").path());
    }
    tools::run(&mut command);
    // Both refuse a name ending with a dot, so the run above was a real check.
    let dot = dir.path().join("dot.yaml");
    std::fs::write(&dot, "version: 1\nanswers:\n  resource_group: rg.\n").expect("write answers");
    let text = std::fs::read_to_string(&dot).expect("read");
    assert!(aml_advisor::answers::parse(&kb, &text, "dot.yaml").is_err());
    let refused = std::process::Command::new(&validator)
        .arg("--schemafile")
        .arg(&schema_path)
        .arg(&dot)
        .output()
        .expect("runs");
    assert!(!refused.status.success(), "check-jsonschema accepted `rg.`");
}
