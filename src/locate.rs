//! Finds where a key or value stands in a YAML text.
//!
//! serde_yaml reports positions for syntax and shape errors only; semantic problems (a
//! duplicate id, a reference to an unknown question) are found after parsing, when positions
//! are gone. Looking the offending token up in the text again gives the administrator the line
//! to fix, which matters more than the elegance of a second parse.

pub struct SourceText<'a> {
    lines: Vec<&'a str>,
}

/// A 1-based line and column.
pub type Position = (usize, usize);

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().collect(),
        }
    }

    /// The first `key: value` (also `- key: value`, `{ key: value }`, quoted values) at or after
    /// line `from`; the position is that of the value.
    pub fn key_value(&self, key: &str, value: &str, from: usize) -> Option<Position> {
        self.scan(from, |line| {
            let mut start = 0;
            while let Some(offset) = find_token(&line[start..], key) {
                let after_key = start + offset + key.len();
                let rest = &line[after_key..];
                if let Some(colon_rest) = rest.trim_start().strip_prefix(':') {
                    let value_text = colon_rest.trim_start();
                    let unquoted = value_text.trim_start_matches(['"', '\'']);
                    let value_column = line.len() - unquoted.len();
                    if unquoted.starts_with(value) && !continues_token(&unquoted[value.len()..]) {
                        return Some(value_column);
                    }
                }
                start = after_key;
            }
            None
        })
    }

    /// The first line at or after `from` whose key is `key` (`key:` as a mapping key).
    pub fn key(&self, key: &str, from: usize) -> Option<Position> {
        self.scan(from, |line| {
            let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
            let unquoted = trimmed.trim_start_matches(['"', '\'']);
            let rest = unquoted.strip_prefix(key)?;
            let rest = rest.trim_start_matches(['"', '\'']);
            rest.trim_start().starts_with(':').then(|| line.len() - trimmed.len())
        })
    }

    /// The plain text written at `line`, `column` up to a comment or the end of the line.
    pub fn written(&self, line: usize, column: usize) -> Option<&'a str> {
        let text = self.lines.get(line.checked_sub(1)?)?;
        let start = text.char_indices().nth(column.checked_sub(1)?)?.0;
        let rest = &text[start..];
        let end = rest.find(" #").unwrap_or(rest.len());
        Some(rest[..end].trim_end()).filter(|written| !written.is_empty())
    }

    /// The first whole-token occurrence of `token` at or after line `from`.
    pub fn token(&self, token: &str, from: usize) -> Option<Position> {
        self.scan(from, |line| find_token(line, token))
    }

    fn scan(&self, from: usize, mut column_in: impl FnMut(&str) -> Option<usize>) -> Option<Position> {
        let skip = from.saturating_sub(1);
        self.lines
            .iter()
            .enumerate()
            .skip(skip)
            // Columns count characters, as the YAML parser's do, not bytes.
            .find_map(|(index, line)| column_in(line).map(|byte| (index + 1, line[..byte].chars().count() + 1)))
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn continues_token(rest: &str) -> bool {
    rest.chars().next().is_some_and(is_token_char)
}

/// Byte offset of `token` in `line` where it is not part of a longer identifier.
fn find_token(line: &str, token: &str) -> Option<usize> {
    if token.is_empty() {
        return None;
    }
    let mut start = 0;
    while let Some(offset) = line[start..].find(token) {
        let at = start + offset;
        let before_ok = !line[..at].chars().next_back().is_some_and(is_token_char);
        let after_ok = !continues_token(&line[at + token.len()..]);
        if before_ok && after_ok {
            return Some(at);
        }
        start = at + token.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "questions:\n  - id: region_x\n  - id: region\n    asked_when:\n      equals: { question: \"region\", value: x }\n";

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = SourceText::new("- title: Écoute réseau\n  id: café-x\n");
        assert_eq!(source.key_value("id", "café-x", 1), Some((2, 7)));
        assert_eq!(source.token("réseau", 1), Some((1, 17)));
    }

    #[test]
    fn finds_whole_values_only() {
        let source = SourceText::new(TEXT);
        assert_eq!(source.key_value("id", "region", 1), Some((3, 9)));
        assert_eq!(
            source.key_value("question", "region", 1),
            Some((5, 28)),
            "the value, inside its quotes"
        );
        assert_eq!(source.token("region", 4), Some((5, 28)));
        assert_eq!(source.key("asked_when", 1), Some((4, 5)));
        assert_eq!(source.key_value("id", "nothing", 1), None);
    }
}
