//! Small text helpers for drawing: control characters removed, display widths, truncation
//! and wrapping (pre-wrapped text lets `update` know how far a panel scrolls).

use std::borrow::Cow;

/// Text without control characters (from answers files or a custom knowledge base); borrows
/// when there is nothing to remove.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(crate::sanitize::strip_controls(text))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn width(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// At most `max` columns, ending with `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Wraps `text` to `width` columns with first-line and continuation indents. Words are never
/// split at hyphens (a URL or an id must stay whole where it fits); a word wider than the
/// panel is broken so nothing is cut off in a narrow terminal.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let text = clean(text);
    let width = width.max(first.len().max(rest.len()) + 4);
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(&text, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

/// `text` padded with spaces to `columns`.
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    let used = width(text);
    if used < columns {
        out.push_str(&" ".repeat(columns - used));
    }
    out
}

/// How many rows `lines` take when word-wrapped to `width` (an estimate close to ratatui's).
pub fn wrapped_height(lines: &[ratatui::text::Line<'_>], width: usize) -> usize {
    lines
        .iter()
        .map(|line| {
            let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
            if text.is_empty() {
                1
            } else {
                wrap(&text, width, "", "").len().max(1)
            }
        })
        .sum()
}
