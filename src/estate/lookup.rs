//! Reading a property of a resource by a rule's path (`properties.managedNetwork.outboundRules[*].destination`),
//! whichever spelling the export uses, and comparing values the way the rules mean them.

use serde_json::Value;

use super::locate::Step;
use crate::knowledge::estate::{normalize, normalizes_to};

/// Every value at `path` in `body`, each with its JSON path below the resource. Keys match
/// without case and underscores (`managed_network` is `managedNetwork`); `[*]` takes every
/// element of a list or value of a map (ARM keeps outbound rules in a map keyed by name, `az
/// ml` in a list); a leading `properties.` also matches at the top level (`az ml` output).
pub fn values<'v>(body: &'v Value, path: &str) -> Vec<(Vec<Step>, &'v Value)> {
    let parts = parse(path);
    let mut found = Vec::new();
    let mut trail = Vec::new();
    let skip_properties =
        parts.first().is_some_and(|part| part.key == "properties") && child(body, "properties").is_none();
    let parts = if skip_properties { &parts[1..] } else { &parts[..] };
    walk(body, parts, &mut trail, &mut found);
    found
}

struct Part {
    /// The key, normalised.
    key: String,
    /// `[*]` follows: every element or value.
    each: bool,
}

fn parse(path: &str) -> Vec<Part> {
    path.split('.')
        .filter(|part| !part.is_empty())
        .map(|part| match part.strip_suffix("[*]") {
            Some(key) => Part {
                key: normalize(key),
                each: true,
            },
            None => Part {
                key: normalize(part),
                each: false,
            },
        })
        .collect()
}

fn child<'v>(value: &'v Value, key: &str) -> Option<(&'v String, &'v Value)> {
    match value {
        Value::Object(map) => map.iter().find(|(name, _)| normalizes_to(name, key)),
        _ => None,
    }
}

fn walk<'v>(value: &'v Value, parts: &[Part], trail: &mut Vec<Step>, found: &mut Vec<(Vec<Step>, &'v Value)>) {
    let Some((part, rest)) = parts.split_first() else {
        if !value.is_null() {
            found.push((trail.clone(), value));
        }
        return;
    };
    let Some((name, next)) = child(value, &part.key) else {
        return;
    };
    trail.push(Step::Key(name.clone()));
    if part.each {
        match next {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    trail.push(Step::Index(index));
                    walk(item, rest, trail, found);
                    trail.pop();
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    trail.push(Step::Key(key.clone()));
                    walk(item, rest, trail, found);
                    trail.pop();
                }
            }
            _ => {}
        }
    } else {
        walk(next, rest, trail, found);
    }
    trail.pop();
}

/// The value as rules compare it: `Disabled` and `disabled`, `allow_only_approved_outbound`
/// and `AllowOnlyApprovedOutbound` are the same; `true` is `true`; containers compare as
/// "something".
pub fn normalized(value: &Value) -> String {
    match value {
        Value::String(text) => normalize(text),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.as_f64().map_or_else(|| number.to_string(), |n| n.to_string()),
        Value::Null => String::new(),
        Value::Array(items) => format!("[{}]", items.len()),
        Value::Object(_) => "{…}".into(),
    }
}

/// Whether `value` equals the already normalised `wanted`, as `normalized` compares.
pub fn equals_normalized(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(text) => normalizes_to(text, wanted),
        other => normalized(other) == wanted,
    }
}

/// Whether a value counts as set: not null, not empty text, not an empty list or map.
pub fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    }
}

/// The value for people, shortened: a drift table shows `Enabled`, not a JSON document.
pub fn display(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => match items.len() {
            1 => "1 item".into(),
            n => format!("{n} items"),
        },
        Value::Object(map) => format!("an object with {} keys", map.len()),
        other => other.to_string(),
    };
    crate::sanitize::for_message(&text)
}

/// A rough size, to keep the fuller of two copies of a resource.
pub fn size(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arm_and_az_ml_spellings_find_the_same_setting() {
        let arm = json!({"properties": {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound",
            "outboundRules": {"pypi": {"type": "FQDN", "destination": "pypi.org"}}}}});
        let snake = json!({"managed_network": {"isolation_mode": "allow_only_approved_outbound",
            "outbound_rules": [{"name": "pypi", "type": "fqdn", "destination": "pypi.org"}]}});
        for body in [&arm, &snake] {
            let mode = values(body, "properties.managedNetwork.isolationMode");
            assert_eq!(normalized(mode[0].1), "allowonlyapprovedoutbound");
            let destinations = values(body, "properties.managedNetwork.outboundRules[*].destination");
            assert_eq!(destinations.len(), 1);
            assert_eq!(destinations[0].1, "pypi.org");
        }
        let path = &values(&arm, "properties.managedNetwork.outboundRules[*].destination")[0].0;
        assert_eq!(
            super::super::locate::display(path),
            "$.properties.managedNetwork.outboundRules.pypi.destination"
        );
    }

    #[test]
    fn null_is_absent_and_empty_is_not_set() {
        let body = json!({"properties": {"a": null, "b": "", "c": [], "d": false}});
        assert!(values(&body, "properties.a").is_empty());
        assert!(!is_set(values(&body, "properties.b")[0].1));
        assert!(!is_set(values(&body, "properties.c")[0].1));
        assert!(is_set(values(&body, "properties.d")[0].1));
        assert_eq!(normalized(values(&body, "properties.d")[0].1), "false");
    }
}
