//! `aml-advisor schema`: the JSON Schema of the answers file, generated from the knowledge
//! base so that editors complete question and choice ids and show their descriptions.

use schemars::Schema;
use serde_json::{Map, Value, json};

use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{QuestionKind, TextKind};

use super::FORMAT_VERSION;

/// The resource group rule of `text_rule::check` as a JSON Schema (ECMA-262) pattern: Rust's
/// `char::is_alphanumeric` is exactly `\p{Alphabetic}` or `\p{N}`. Not `\w`, which JSON Schema
/// validators read as ASCII only and would refuse `rg-café`, which Azure and the tool accept.
pub const RESOURCE_GROUP_PATTERN: &str = "^[-\\p{Alphabetic}\\p{N}_.()]*[-\\p{Alphabetic}\\p{N}_()]$";

pub fn schema(kb: &KnowledgeBase) -> Schema {
    let mut properties = Map::new();
    for question in &kb.questions {
        let choices: Vec<Value> = question
            .choices
            .iter()
            .map(|choice| json!({ "const": choice.id, "title": choice.label, "description": choice.description }))
            .collect();
        let mut property = match question.kind {
            QuestionKind::Single => json!({ "type": "string", "oneOf": choices }),
            QuestionKind::Multi => {
                json!({ "type": "array", "uniqueItems": true, "items": { "type": "string", "oneOf": choices } })
            }
            QuestionKind::Text => {
                let rule = question.text.as_ref();
                let mut text = json!({ "type": "string" });
                if let Some(rule) = rule {
                    if let Some(min) = rule.min_length {
                        text["minLength"] = json!(min);
                    }
                    if let Some(max) = rule.max_length {
                        text["maxLength"] = json!(max);
                    }
                    match rule.kind {
                        TextKind::Name => text["pattern"] = json!("^[A-Za-z0-9][A-Za-z0-9_-]*$"),
                        TextKind::ResourceGroup => text["pattern"] = json!(RESOURCE_GROUP_PATTERN),
                        TextKind::Region => {
                            text["enum"] = json!(kb.regions.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())
                        }
                    }
                }
                text
            }
        };
        let mut description = question.prompt.clone();
        if let Some(condition) = &question.asked_when {
            description.push_str(&format!(" (Asked when {}.)", condition.describe()));
        }
        property["title"] = json!(question.prompt);
        property["description"] = json!(format!("{description} {}", question.help));
        properties.insert(question.id.clone(), property);
    }
    let required: Vec<&str> = kb
        .questions
        .iter()
        .filter(|q| q.default.is_none() && q.asked_when.is_none())
        .map(|q| q.id.as_str())
        .collect();
    let value = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "aml-advisor answers file",
        "description": format!("Answers for aml-advisor (knowledge base {}).", kb.meta.version),
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "answers"],
        "properties": {
            "version": { "const": FORMAT_VERSION, "description": "Answers-file format version." },
            "answers": {
                "type": "object",
                "additionalProperties": false,
                "required": required,
                "properties": properties
            }
        }
    });
    Schema::try_from(value).expect("the generated schema is a JSON object")
}
