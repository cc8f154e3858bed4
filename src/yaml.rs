//! The one place that parses YAML. serde_yaml is archived upstream; keeping every parse behind
//! this module makes a move to a maintained fork a one-file change.
//!
//! serde_yaml already bounds the two classic attacks: alias expansion ("billion laughs") is
//! capped relative to the document's size, and nesting deeper than 128 levels fails at once.

use serde::de::DeserializeOwned;

/// Input larger than this is refused before parsing: answers files and knowledge files are
/// hand-written and a few KiB; anything near a mebibyte is a mistake or an attack.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// A YAML syntax or shape error with its 1-based position when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |location| (location.line(), location.column()));
        YamlError {
            message: strip_position_suffix(&error.to_string()),
            line,
            column,
        }
    })
}

/// Serialises a value as YAML (used to write answers files).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|error| error.to_string())
}

/// serde_yaml writes " at line L column C" into its messages (at the end, or before
/// ", while parsing …"); our diagnostics put the position in front, like a compiler, so the
/// phrase would only repeat it.
fn strip_position_suffix(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(index) = rest.find(" at line ") {
        out.push_str(&rest[..index]);
        let after = &rest[index + " at line ".len()..];
        let digits = |text: &str| text.chars().take_while(char::is_ascii_digit).count();
        let line_digits = digits(after);
        let tail = &after[line_digits..];
        match tail.strip_prefix(" column ") {
            Some(column) if line_digits > 0 && digits(column) > 0 => rest = &column[digits(column)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn errors_carry_positions_without_repeating_them() {
        let error = parse::<BTreeMap<String, u32>>("a: 1\nb: [oops\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4), "{error:?}");
        assert!(!error.message.contains("at line"), "{}", error.message);
        assert_eq!(
            strip_position_suffix("did not find ',' at line 36 column 7, while parsing a flow sequence"),
            "did not find ',', while parsing a flow sequence"
        );
    }

    #[test]
    fn deep_nesting_fails_fast() {
        let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let error = parse::<serde_json::Value>(&text).unwrap_err();
        assert!(error.message.contains("recursion limit"), "{}", error.message);
    }
}
