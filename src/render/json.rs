//! `recommend --format json`: the recommendation as one JSON object, and its JSON Schema
//! (`aml-advisor schema recommendation`), generated from the same types so they cannot drift.

use crate::engine::Recommendation;

pub fn render(recommendation: &Recommendation) -> String {
    let mut out = serde_json::to_string_pretty(recommendation).expect("a recommendation always serialises");
    out.push('\n');
    out
}

/// The JSON Schema (draft 2020-12) of `render`'s output. Every object is closed
/// (`additionalProperties: false`), so a key the schema does not document fails validation.
pub fn schema() -> schemars::Schema {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let mut schema = settings.into_generator().into_root_schema_for::<Recommendation>();
    schema.insert(
        "title".into(),
        "aml-advisor recommendation (recommend --format json)".into(),
    );
    let mut value = schema.to_value();
    close_objects(&mut value);
    schemars::Schema::try_from(value).expect("the generated schema is a JSON object")
}

/// Adds `additionalProperties: false` to every object schema that lists its properties.
fn close_objects(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), false.into());
            }
            map.values_mut().for_each(close_objects);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}
