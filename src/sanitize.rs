//! Text from answers files is untrusted: it reaches terminals, Markdown and messages.

/// The most characters of a user's value quoted in a message: enough to recognise it, never a
/// whole document (an SSH key or a `.env` file given by mistake must not be echoed to a log,
/// or into a fleet's `index.md`).
pub const MAX_ECHO_CHARS: usize = 60;

/// Removes control characters (ESC sequences, bells, carriage returns) that could repaint a
/// terminal or break a line-oriented output; keeps ordinary text, including non-ASCII.
pub fn strip_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Characters a message shows escaped: controls (ESC, BEL: a terminal would obey them, say to
/// write the clipboard with OSC 52) and the invisible ones that reorder or hide text.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Hidden characters escaped (`\u{1b}`), the rest as it is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole message for standard error: hidden characters escaped as `escape` does, except the
/// line breaks that separate its lines. The last guard for inputs a message names without
/// quoting them (file names read from a fleet folder, paths).
pub fn escape_message(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

/// A user value quoted inside an error message: hidden characters escaped, at most
/// `MAX_ECHO_CHARS` characters, an ellipsis when cut.
pub fn for_message(text: &str) -> String {
    shorten(&escape(text))
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A parser's message, which quotes values in backticks or as Rust string literals: every
/// quoted span shortened as `for_message` does, and hidden characters escaped everywhere.
pub fn message(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1024));
    let mut rest = text;
    while let Some(start) = rest.find(['`', '"']) {
        out.push_str(&escape(&rest[..start]));
        let quote = rest.as_bytes()[start];
        let inner_start = start + 1;
        // A string literal escapes its quotes with a backslash; backticks are not escaped.
        let mut end = None;
        let mut escaped = false;
        for (offset, byte) in rest.as_bytes()[inner_start..].iter().enumerate() {
            match byte {
                b'\\' if quote == b'"' && !escaped => escaped = true,
                _ if *byte == quote && !escaped => {
                    end = Some(inner_start + offset);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else {
            out.push_str(&for_message(&rest[start..]));
            return out;
        };
        out.push(char::from(quote));
        out.push_str(&for_message(&rest[inner_start..end]));
        out.push(char::from(quote));
        rest = &rest[end + 1..];
    }
    out.push_str(&escape(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_messages_are_escaped_and_bounded() {
        assert_eq!(for_message("a\u{1b}]52;c;aGk=\u{7}"), "a\\u{1b}]52;c;aGk=\\u{7}");
        assert_eq!(for_message("café"), "café");
        let long = "x".repeat(100);
        assert_eq!(for_message(&long), format!("{}…", "x".repeat(60)));
        assert_eq!(
            message(&format!("invalid type: string \"{long}\\\"\", expected `a\u{1b}b`")),
            format!("invalid type: string \"{}…\", expected `a\\u{{1b}}b`", "x".repeat(60))
        );
        assert_eq!(message("unclosed `abc"), "unclosed `abc");
        assert_eq!(escape_message("a\u{1b}b\nc\u{7}\n"), "a\\u{1b}b\nc\\u{7}\n");
    }
}
