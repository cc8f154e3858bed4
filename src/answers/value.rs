//! Answer values, as users write them and as every output reports them.

use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize};

/// One answer: a choice id, a list of choice ids, or a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnswerValue {
    Choice(String),
    Choices(Vec<String>),
    Text(String),
}

impl AnswerValue {
    /// The value as written in an answers file and in messages: `managed_vnet`, `[a, b]`.
    pub fn display(&self) -> String {
        match self {
            AnswerValue::Choice(value) | AnswerValue::Text(value) => value.clone(),
            AnswerValue::Choices(values) => format!("[{}]", values.join(", ")),
        }
    }
}

impl Serialize for AnswerValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerValue::Choice(value) | AnswerValue::Text(value) => serializer.serialize_str(value),
            AnswerValue::Choices(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
        }
    }
}

impl AnswerValue {
    /// The value as a list: the choices of a multiple choice, or the one choice or text.
    pub fn as_slice(&self) -> &[String] {
        match self {
            AnswerValue::Choice(value) | AnswerValue::Text(value) => std::slice::from_ref(value),
            AnswerValue::Choices(values) => values,
        }
    }
}

/// Serialises an answer as a list of strings whatever its question's kind, so that the JSON
/// output gives every answer one type (a consumer need not test for a string or a list).
pub fn as_list<S: serde::Serializer>(value: &AnswerValue, serializer: S) -> Result<S::Ok, S::Error> {
    value.as_slice().serialize(serializer)
}

/// A value exactly as parsed, before it is checked against its question. Kept independent of
/// the YAML crate so that only `yaml.rs` knows which parser runs.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<RawValue>),
    Map,
}

impl RawValue {
    /// What the value is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            RawValue::Null => "nothing",
            RawValue::Bool(_) => "a boolean",
            RawValue::Number(_) => "a number",
            RawValue::String(_) => "a text",
            RawValue::List(_) => "a list",
            RawValue::Map => "a mapping",
        }
    }

    /// The value as the user wrote it, for messages.
    pub fn display(&self) -> String {
        match self {
            RawValue::Null => "(empty)".to_string(),
            RawValue::Bool(value) => value.to_string(),
            RawValue::Number(value) | RawValue::String(value) => value.clone(),
            RawValue::List(items) => format!(
                "[{}]",
                items.iter().map(RawValue::display).collect::<Vec<_>>().join(", ")
            ),
            RawValue::Map => "{…}".to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer: a choice id, a list of choice ids, or a text")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_bool<E>(self, value: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(value))
            }
            fn visit_i64<E>(self, value: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(value.to_string()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(value.to_string()))
            }
            fn visit_i128<E>(self, value: i128) -> Result<RawValue, E> {
                Ok(RawValue::Number(value.to_string()))
            }
            fn visit_u128<E>(self, value: u128) -> Result<RawValue, E> {
                Ok(RawValue::Number(value.to_string()))
            }
            fn visit_f64<E>(self, value: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(value.to_string()))
            }
            fn visit_str<E>(self, value: &str) -> Result<RawValue, E> {
                Ok(RawValue::String(value.to_string()))
            }
            fn visit_string<E>(self, value: String) -> Result<RawValue, E> {
                Ok(RawValue::String(value))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RawValue::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RawValue::Map)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
