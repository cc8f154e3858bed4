//! The one place that parses YAML. serde_yaml is archived upstream; keeping every parse behind
//! this module makes a move to a maintained fork a one-file change.
//!
//! Two attacks are stopped before the real parse, because serde_yaml's own guards act too late:
//! - nesting: its limit of 128 levels is checked while deserialising, after libyaml has parsed
//!   the whole document, which takes minutes for 100,000 `[`. A scan of the flow brackets
//!   refuses such a document in microseconds;
//! - aliases: its limit counts alias events, not the bytes they copy, so one large anchored
//!   value aliased a few thousand times fills memory. When the scan sees a `*` (or a `!`)
//!   where an alias (or a tag) can stand, a first pass over the document measures what it
//!   expands to, borrowing every string, and refuses past `MAX_EXPANDED_BYTES`.

use std::cell::Cell;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// Input larger than this is refused before parsing: answers files and knowledge files are
/// hand-written and a few KiB; anything near a mebibyte is a mistake or an attack.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// Deepest nesting of flow collections (`[`, `{`) accepted: serde_yaml's own limit, so that
/// the scan and the parser agree. Answers files need 2 levels, knowledge files about 10.
pub const MAX_NESTING: usize = 128;

/// What a document may expand to through aliases: the bytes of its strings plus
/// `NODE_BYTES` per value. Without aliases a 1 MiB file stays under 9 MiB, so only aliases
/// can reach this.
pub const MAX_EXPANDED_BYTES: usize = 16 * MAX_INPUT_BYTES;
const NODE_BYTES: usize = 16;

/// A YAML syntax or shape error with its 1-based position when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Parses one YAML document. A leading byte-order mark is ignored (Windows PowerShell 5
/// writes one).
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Only an alias (`*name`) can expand a document, and only a tag (`!name`) needs naming;
    // a text with neither is parsed once.
    if scan(text)?.indicators {
        let left = Cell::new(MAX_EXPANDED_BYTES);
        let measured: Result<(), serde_yaml::Error> =
            Meter { left: &left }.deserialize(serde_yaml::Deserializer::from_str(text));
        measured.map_err(|error| located(text, &error))?;
    }
    serde_yaml::from_str(text).map_err(|error| located(text, &error))
}

fn located(text: &str, error: &serde_yaml::Error) -> YamlError {
    // serde_yaml quotes the offending value whole: a string of a whole file, or escape codes.
    let mut message = crate::sanitize::message(&strip_position_suffix(&error.to_string()));
    // serde_yaml's own guards name themselves, not the cause the user can fix.
    if message.starts_with("repetition limit exceeded") {
        message.push_str(": aliases (`*name`) repeat values too often; write the values out instead");
    } else if message.starts_with("recursion limit exceeded") {
        message.push_str(&format!(": the document nests deeper than {MAX_NESTING} levels"));
    }
    let (line, column) = error
        .location()
        .map(|location| (location.line(), location.column()))
        .or_else(|| {
            message
                .contains("more than one document")
                .then(|| second_document(text))
                .flatten()
        })
        .unwrap_or((1, 1));
    YamlError { message, line, column }
}

/// The `---` line that starts a second document: serde_yaml reports that error without a
/// position, and the line is what the user must delete.
fn second_document(text: &str) -> Option<(usize, usize)> {
    let mut content = false;
    for (index, line) in text.lines().enumerate() {
        let marker = line
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if marker && content {
            return Some((index + 1, 1));
        }
        let trimmed = line.trim();
        content |= marker || !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%'));
    }
    None
}

/// Refuses flow nesting deeper than `MAX_NESTING` before libyaml sees it, and says whether the
/// text may hold an alias or a tag. A bracket counts where YAML lets a flow collection start
/// (where a node may start, or anywhere inside another flow collection); quoted scalars and
/// comments are skipped. So brackets in plain text (`see [1]`) do not count, and the rare
/// unbalanced one inside block text over-counts by one. Every character that matters is ASCII,
/// so the scan walks bytes.
fn scan(text: &str) -> Result<Scanned, YamlError> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut indicators = false;
    for (index, line) in text.lines().enumerate() {
        // Whether a node may start here: at the start of a line, after `- `, `: `, `? `, and
        // in a flow collection after `[`, `{` and `,`.
        let mut node_start = true;
        let mut previous: Option<u8> = None;
        // `- - - x` nests block sequences on one line: as deep, and as slow to parse, as `[[[x`.
        let mut inline_blocks = 0usize;
        let bytes = line.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            let next = bytes.get(at + 1).copied();
            let blank_next = next.is_none_or(|next| next == b' ' || next == b'\t');
            at += 1;
            if let Some(open) = quote {
                if byte == open {
                    if open == b'\'' && next == Some(b'\'') {
                        at += 1;
                    } else {
                        quote = None;
                    }
                } else if byte == b'\\' && open == b'"' {
                    at += 1;
                }
                previous = Some(byte);
                continue;
            }
            match byte {
                b' ' | b'\t' => {}
                b'#' if previous.is_none_or(|p| p == b' ' || p == b'\t') => break,
                b'"' | b'\'' if node_start => {
                    quote = Some(byte);
                    node_start = false;
                }
                // An alias or a tag can only start a node; a `*` in prose (`**bold**` mid-line)
                // cannot. Over-reporting only costs a second parse.
                b'*' | b'!' if node_start || depth > 0 => {
                    indicators = true;
                    node_start = false;
                }
                b'[' | b'{' if depth > 0 || node_start => {
                    depth += 1;
                    node_start = true;
                    if depth + inline_blocks > MAX_NESTING {
                        return Err(too_deep(line, index, at));
                    }
                }
                b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    node_start = false;
                }
                b',' if depth > 0 => node_start = true,
                // `key:value` is a plain scalar in block context, but inside a flow collection
                // a JSON-like `"key":value` may put a value right after the colon.
                b':' if blank_next || depth > 0 || matches!(previous, Some(b'"' | b'\'')) => node_start = true,
                b'-' | b'?' if node_start && blank_next => {
                    inline_blocks += 1;
                    if depth + inline_blocks > MAX_NESTING {
                        return Err(too_deep(line, index, at));
                    }
                }
                _ => node_start = false,
            }
            previous = Some(byte);
        }
    }
    Ok(Scanned { indicators })
}

/// The error for the byte before `at` on line `index` (0-based), past the nesting limit.
fn too_deep(line: &str, index: usize, at: usize) -> YamlError {
    YamlError {
        message: format!(
            "nesting is deeper than {MAX_NESTING} levels (`[`, `{{` or `- ` inside one another), the limit; no answers or knowledge file needs that many"
        ),
        line: index + 1,
        column: line[..at].chars().count(),
    }
}

/// What the scan learnt about a text that is not nested too deeply.
struct Scanned {
    /// A `*` or `!` where an alias or a tag could start.
    indicators: bool,
}

/// Walks a document as serde_yaml expands it, borrowing every string, and fails once the
/// expansion passes the budget in `left`.
#[derive(Clone, Copy)]
struct Meter<'a> {
    left: &'a Cell<usize>,
}

impl Meter<'_> {
    fn spend<E: de::Error>(self, bytes: usize) -> Result<(), E> {
        match self.left.get().checked_sub(bytes) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "aliases (`*name`) expand this document past {MAX_EXPANDED_BYTES} bytes (16 MiB), the limit; write the values out instead"
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Meter<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Numbers, booleans and nulls cost one node each.
macro_rules! scalar_visits {
    ($($name:ident: $type:ty),*) => {$(
        fn $name<E: de::Error>(self, _: $type) -> Result<(), E> {
            self.spend(NODE_BYTES)
        }
    )*};
}

impl<'de> Visitor<'de> for Meter<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    scalar_visits!(visit_bool: bool, visit_i64: i64, visit_i128: i128, visit_u64: u64, visit_u128: u128, visit_f64: f64);
    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.spend(NODE_BYTES.saturating_add(value.len()))
    }
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<(), E> {
        self.spend(NODE_BYTES.saturating_add(value.len()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend(NODE_BYTES)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend::<A::Error>(NODE_BYTES)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend::<A::Error>(NODE_BYTES)?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    /// serde_yaml hands a value with a local tag (`!secret x`) over as an enum; no file of
    /// this tool uses tags, and "invalid type: enum" would not tell the user what to remove.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (tag, _variant): (String, _) = data.variant()?;
        Err(de::Error::custom(format!(
            "the tag `!{}` is not supported; remove it and write the plain value",
            crate::sanitize::for_message(&tag)
        )))
    }
}

/// A text as a YAML scalar that every YAML reader loads back as the same string: plain when
/// it is an ordinary word, double-quoted otherwise. YAML 1.1 readers (PyYAML, many editors)
/// load plain `yes`, `no`, `on`, `off`, `y` and `n` as booleans and `1e3` as a number, so a
/// choice id such as `yes` must be written `"yes"` to stay a string for them too.
pub fn scalar(text: &str) -> String {
    const YAML_1_1_WORDS: [&str; 11] = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf",
    ];
    let ordinary = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !YAML_1_1_WORDS.contains(&text.to_ascii_lowercase().as_str());
    if ordinary {
        text.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar with the same value.
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// Serialises a value as YAML (the tests build knowledge files with it).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|error| error.to_string())
}

/// A list of texts as a YAML flow sequence of `scalar`s: `[a, "yes"]`.
pub fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|item| scalar(item.as_ref())).collect();
    format!("[{}]", items.join(", "))
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
        let error = parse::<BTreeMap<String, u32>>("a: 1\nb: [1]\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4), "{error:?}");
        assert!(!error.message.contains("at line"), "{}", error.message);
        assert_eq!(
            strip_position_suffix("did not find ',' at line 36 column 7, while parsing a flow sequence"),
            "did not find ',', while parsing a flow sequence"
        );
    }

    #[test]
    fn deep_nesting_fails_fast_at_the_bracket_past_the_limit() {
        let text = format!("a:\n  b: {}{}", "[".repeat(200), "]".repeat(200));
        let error = parse::<serde_json::Value>(&text).unwrap_err();
        assert!(error.message.contains("deeper than 128 levels"), "{}", error.message);
        assert_eq!((error.line, error.column), (2, 6 + 128));
        // Exactly at the limit is the parser's business, and it accepts it.
        let at_limit = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(!parse::<serde_json::Value>(&at_limit).is_err_and(|e| e.message.contains("deeper than")));
    }

    #[test]
    fn block_sequences_on_one_line_count_as_nesting() {
        let error = parse::<serde_json::Value>(&format!("{}x\n", "- ".repeat(200))).unwrap_err();
        assert!(error.message.contains("deeper than 128 levels"), "{}", error.message);
        assert_eq!((error.line, error.column), (1, 2 * 128 + 1));
        assert!(scan(&"- a\n".repeat(1000)).is_ok(), "a long list is not deep");
    }

    #[test]
    fn brackets_in_text_quotes_and_comments_do_not_count_as_nesting() {
        let many = "[".repeat(300);
        for text in [
            format!("a: see {many}\n"),
            format!("a: '{many}'\n"),
            format!("a: \"{many}\"\n"),
            format!("a: 1 # {many}\n"),
            format!("a: [x, 'it''s {many}']\n"),
        ] {
            assert!(scan(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn every_place_an_alias_or_tag_can_stand_is_seen_by_the_scan() {
        for text in [
            "a: *x\n",
            "- *x\n",
            "a:\n  *x\n",
            "a: [1, *x]\n",
            "{\"a\":*x}\n",
            "\"a\":*x\n",
            "a: !tag x\n",
        ] {
            assert!(scan(text).expect("scans").indicators, "{text}");
        }
        for text in [
            "a: some **bold** text\n",
            "a: 'quoted *x'\n",
            "a: 1 # *x\n",
            "a: b*c!d\n",
        ] {
            assert!(!scan(text).expect("scans").indicators, "{text}");
        }
    }

    #[test]
    fn alias_expansion_is_bounded_in_bytes_not_in_events() {
        // 200 KB aliased 100 times: 20 MB expanded from a file of about 200 KB.
        let mut text = format!("big: &big {}\nlist:\n", "x".repeat(200_000));
        for _ in 0..100 {
            text.push_str("  - *big\n");
        }
        let error = parse::<serde_json::Value>(&text).unwrap_err();
        assert!(error.message.contains("expand this document past"), "{}", error.message);
        // A few small aliases are fine.
        let small: serde_json::Value = parse("a: &a [1, 2]\nb: *a\n").expect("parses");
        assert_eq!(small["b"], serde_json::json!([1, 2]));
    }

    #[test]
    fn a_byte_order_mark_is_ignored_and_a_second_document_is_located() {
        let value: BTreeMap<String, u32> = parse("\u{feff}a: 1\n").expect("parses");
        assert_eq!(value["a"], 1);
        let error = parse::<BTreeMap<String, u32>>("# c\na: 1\n---\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 1), "{error:?}");
        let error = parse::<BTreeMap<String, u32>>("---\na: 1\n--- \nb: 2\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 1), "{error:?}");
    }

    #[test]
    fn a_local_tag_is_named() {
        let error = parse::<serde_json::Value>("a: !secret x\n").unwrap_err();
        assert!(
            error.message.contains("the tag `!secret` is not supported"),
            "{}",
            error.message
        );
    }
}
