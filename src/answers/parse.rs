//! Reading an answers file: shape, version, question ids, types and values, each problem with
//! its line and a "did you mean" where a near miss is likely.

use serde::Deserialize;

use super::value::{AnswerValue, RawValue};
use super::{Given, text_rule};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::QuestionKind;
use crate::locate::SourceText;
use crate::sanitize::for_message;
use crate::yaml;

/// The answers-file format this tool reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersDocument {
    #[serde(default)]
    version: Option<RawValue>,
    #[serde(default, deserialize_with = "unique_keys")]
    answers: Option<Vec<(String, RawValue)>>,
}

/// The parser places a duplicate-key error at the mapping; the line to fix is the repeat.
fn second_answer_position(text: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("is answered twice"))?;
    let source = SourceText::new(text);
    let answers_line = source.key("answers", 1)?.0;
    let first = source.key(key, answers_line + 1)?;
    source.key(key, first.0 + 1)
}

/// serde places a repeated `version` or `answers` at the start of the file; the line to fix is
/// the second one.
fn second_top_level_key(text: &str, message: &str) -> Option<(usize, usize)> {
    let key = message.strip_prefix("duplicate field `")?.split('`').next()?;
    let source = SourceText::new(text);
    let first = source.key(key, 1)?;
    source.key(key, first.0 + 1)
}

/// The line and column of each key directly under `answers:` in block style, in order: where
/// a key cannot be found by its text (it holds escapes), its place in the mapping finds it.
fn answer_keys(text: &str, answers_line: usize) -> Vec<(usize, usize)> {
    let mut keys = Vec::new();
    let mut indent = None;
    for (index, line) in text.lines().enumerate().skip(answers_line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let width = line.len() - trimmed.len();
        if width == 0 {
            break;
        }
        if *indent.get_or_insert(width) == width && !trimmed.starts_with('-') {
            keys.push((index + 1, width + 1));
        }
    }
    keys
}

/// The `answers:` mapping, refusing a question given twice: a map type would silently keep
/// the last one, and the administrator would never learn which answer counted.
fn unique_keys<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<(String, RawValue)>>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<Vec<(String, RawValue)>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping of question ids to answers")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries: Vec<(String, RawValue)> = Vec::new();
            while let Some((key, value)) = map.next_entry::<String, RawValue>()? {
                if entries.iter().any(|(seen, _)| seen == &key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{}` is answered twice; keep one answer per question",
                        for_message(&key)
                    )));
                }
                entries.push((key, value));
            }
            Ok(Some(entries))
        }
    }
    deserializer.deserialize_option(Visitor)
}

/// Parses and checks an answers file. `file` names it in messages.
pub fn parse(kb: &KnowledgeBase, text: &str, file: &str) -> Result<Given, Diagnostics> {
    let mut problems = Diagnostics::default();
    if text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
    {
        problems.push(Diagnostic::new(file, 1, 1, format!(
            "is empty; an answers file starts with `version: {FORMAT_VERSION}` and an `answers:` mapping (see `aml-advisor template`)"
        )));
        return Err(problems);
    }
    let document: AnswersDocument = yaml::parse(text).map_err(|error| {
        // serde would quote the whole document (a `.env` file or a key given by mistake) and
        // name a Rust type; say what the file is instead.
        if let Some(found) = error.message.strip_prefix("invalid type: ")
            && error.message.ends_with("expected struct AnswersDocument")
        {
            let kind = match found.split([' ', ',']).next() {
                Some("string") => "a single text",
                Some("sequence") => "a list",
                Some("integer" | "floating") => "a number",
                Some("boolean") => "a boolean",
                _ => "a single value",
            };
            return Diagnostics(vec![Diagnostic::new(
                file,
                error.line,
                error.column,
                format!(
                    "is {kind}, not an answers file: it needs `version: {FORMAT_VERSION}` and an `answers:` mapping (see `aml-advisor template`)"
                ),
            )]);
        }
        let hint = if error.message.contains("unknown field") {
            "; an answers file has only `version` and `answers` at the top"
        } else if error.message.contains("more than one document") {
            "; an answers file holds one document: remove the `---` line and what follows, or split the file"
        } else {
            ""
        };
        let (line, column) = second_answer_position(text, &error.message)
            .or_else(|| second_top_level_key(text, &error.message))
            .unwrap_or((error.line, error.column));
        Diagnostics(vec![Diagnostic::new(
            file,
            line,
            column,
            format!("{}{hint}", error.message),
        )])
    })?;
    let source = SourceText::new(text);
    match &document.version {
        None => problems.push(Diagnostic::new(
            file,
            1,
            1,
            format!("missing `version: {FORMAT_VERSION}`; add it as the first key of the file"),
        )),
        Some(RawValue::Number(number)) if number == &FORMAT_VERSION.to_string() => {}
        Some(other) => {
            let (line, column) = source
                .key("version", 1)
                .map_or((1, 1), |(line, column)| (line, column + "version:".len() + 1));
            problems.push(Diagnostic::new(
                file,
                line,
                column,
                match other {
                    // A supported version in quotes is a type mistake, not a version mismatch.
                    RawValue::String(text) if text.trim() == FORMAT_VERSION.to_string() => format!(
                        "`version` is a text (in quotes), but it must be a number: write `version: {FORMAT_VERSION}` without quotes"
                    ),
                    RawValue::Number(_) => format!(
                        "unsupported answers-file version `{}`; this tool reads version {FORMAT_VERSION}",
                        quoted(other, source.written(line, column))
                    ),
                    RawValue::String(_) => format!(
                        "`version` is the text `{}`, but it must be the number {FORMAT_VERSION}: write `version: {FORMAT_VERSION}`",
                        quoted(other, source.written(line, column))
                    ),
                    _ => format!(
                        "`version` is {}, but it must be the number {FORMAT_VERSION}: write `version: {FORMAT_VERSION}`",
                        other.kind()
                    ),
                },
            ));
        }
    }
    let answers_line = source.key("answers", 1).map_or(1, |(line, _)| line);
    let mut given = Given::default();
    let keys = answer_keys(text, answers_line);
    for (index, (id, raw)) in document.answers.unwrap_or_default().into_iter().enumerate() {
        let (line, column) = source
            .key(&id, answers_line + 1)
            .or_else(|| keys.get(index).copied())
            .unwrap_or((answers_line, 1));
        let value_column = source.key(&id, line).map_or(column, |_| column + id.len() + 2);
        let at = |message: String| Diagnostic::new(file, line, value_column, message);
        let shown = |raw: &RawValue| quoted(raw, source.written(line, value_column));
        let Some(question) = kb.question(&id) else {
            let hint = did_you_mean(&id, kb.questions.iter().map(|q| q.id.as_str()));
            problems.push(Diagnostic::new(
                file,
                line,
                column,
                format!(
                    "unknown question `{}`{hint}; `aml-advisor template` lists every question",
                    for_message(&id)
                ),
            ));
            continue;
        };
        let choice_ids = || question.choices.iter().map(|c| c.id.as_str());
        let allowed = || choice_ids().collect::<Vec<_>>().join(", ");
        let check_choice = |value: &str| -> Option<String> {
            (!choice_ids().any(|choice| choice == value)).then(|| {
                format!(
                    "`{}` is not a choice of `{id}`; allowed: {}{}",
                    for_message(value),
                    allowed(),
                    did_you_mean(value, choice_ids())
                )
            })
        };
        match (question.kind, raw) {
            (QuestionKind::Single, RawValue::String(value)) => match check_choice(&value) {
                Some(message) => problems.push(at(message)),
                None => given.set(&id, AnswerValue::Choice(value)),
            },
            (QuestionKind::Single, other) => {
                // YAML reads an unquoted True/False as a boolean; where yes/no are the choices
                // the administrator almost certainly meant one of them.
                let quote_hint = match other {
                    RawValue::Bool(_) if choice_ids().any(|c| c == "yes") => "; write \"yes\" or \"no\" in quotes",
                    _ => "",
                };
                problems.push(at(format!(
                    "`{id}` takes one choice id, found {} `{}`; allowed: {}{quote_hint}",
                    other.kind(),
                    shown(&other),
                    allowed()
                )))
            }
            (QuestionKind::Multi, RawValue::List(items)) => {
                let mut values: Vec<String> = Vec::new();
                let mut ok = true;
                for item in items {
                    let RawValue::String(value) = item else {
                        let what = match item {
                            RawValue::Null => "an empty item".to_string(),
                            other => format!("{} `{}`", other.kind(), for_message(&other.display())),
                        };
                        problems.push(at(format!("`{id}` lists {what}; list choice ids only ({})", allowed())));
                        ok = false;
                        continue;
                    };
                    let (item_line, item_column) = source.token(&value, line).unwrap_or((line, value_column));
                    if let Some(message) = check_choice(&value) {
                        problems.push(Diagnostic::new(file, item_line, item_column, message));
                        ok = false;
                    } else if values.contains(&value) {
                        problems.push(Diagnostic::new(
                            file,
                            item_line,
                            item_column,
                            format!("`{}` is listed twice in `{id}`", for_message(&value)),
                        ));
                        ok = false;
                    } else {
                        values.push(value);
                    }
                }
                if ok {
                    // Report lists in the knowledge base's order so outputs do not depend on how
                    // the file happened to order them.
                    values.sort_by_key(|value| choice_ids().position(|c| c == value));
                    given.set(&id, AnswerValue::Choices(values));
                }
            }
            (QuestionKind::Multi, other) => problems.push(at(format!(
                "`{id}` takes a list of choice ids such as [{}], found {} `{}`; write [] for none",
                choice_ids().next().unwrap_or_default(),
                other.kind(),
                shown(&other)
            ))),
            (QuestionKind::Text, RawValue::String(value)) => {
                let rule = question.text.as_ref().expect("validated: text questions have a rule");
                match text_rule::check(kb, rule, &value) {
                    Ok(()) => given.set(&id, AnswerValue::Text(value)),
                    Err(reason) => problems.push(at(format!("`{id}` value `{}` {reason}", for_message(&value)))),
                }
            }
            (QuestionKind::Text, other) => problems.push(at(format!(
                "`{id}` takes a text, found {} `{}`; quote it if it is meant as text",
                other.kind(),
                shown(&other)
            ))),
        }
    }
    if problems.is_empty() {
        Ok(given)
    } else {
        Err(problems.sorted())
    }
}

/// A value as a message quotes it: a number as the file writes it where it can be found there
/// (a huge integer is parsed as a float and would print rounded), escaped and shortened.
fn quoted(raw: &RawValue, written: Option<&str>) -> String {
    match (raw, written) {
        (RawValue::Number(_), Some(written)) => for_message(written),
        _ => for_message(&raw.display()),
    }
}
