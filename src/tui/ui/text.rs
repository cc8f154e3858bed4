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
/// panel is broken where it has a boundary (after a `/` of an address, else after other
/// punctuation), and only mid-word when it has none, so nothing is cut off in a narrow terminal.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let text = clean(text);
    let width = width.max(first.len().max(rest.len()) + 4);
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    let mut out = Vec::new();
    for line in textwrap::wrap(&text, options) {
        let mut line = line.into_owned();
        let mut indent = if out.is_empty() { first.len() } else { rest.len() };
        while self::width(&line) > width {
            let cut = overlong_cut(&line, indent, width);
            let tail = line.split_off(cut);
            out.push(line);
            line = format!("{rest}{tail}");
            indent = rest.len();
        }
        out.push(line);
    }
    out
}

/// Where to break a line wider than `width` whose word starts after byte `indent`: after the
/// last `/` that fits, else after the last other punctuation, else at the width. Always past
/// the indent, so every piece makes progress.
fn overlong_cut(line: &str, indent: usize, width: usize) -> usize {
    let mut fits = indent;
    let mut used = 0;
    for (index, c) in line.char_indices() {
        used += self::width(c.encode_utf8(&mut [0; 4]));
        if used > width {
            break;
        }
        fits = index + c.len_utf8();
    }
    let word = line.get(indent..fits).unwrap_or("");
    let after = |set: &[char]| word.rfind(set).map(|at| indent + at + 1).filter(|&cut| cut < fits);
    let cut = after(&['/'])
        .or_else(|| after(&['?', '&', '#', '=', '-', '_', '.', ',']))
        .unwrap_or(fits);
    cut.max(indent + line[indent..].chars().next().map_or(1, char::len_utf8))
}

/// The web addresses in `text`: words starting with `http://` or `https://`, without the
/// punctuation that ends a sentence or closes a bracket after them.
pub fn urls(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| word.starts_with("https://") || word.starts_with("http://"))
        .map(|word| {
            word.trim_end_matches(['.', ',', ';', ':', ')', ']', '}', '\'', '"', '”', '’'])
                .to_string()
        })
        .filter(|url| !url.ends_with("//"))
        .collect()
}

/// A piece of an address in a wrapped line: `line`, byte range `start..end`, the whole address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPiece {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub url: String,
}

/// Where the addresses of a text ended up in its wrapped `lines` (an address broken over
/// lines gives one piece per line, each with the whole address).
pub fn locate_urls(urls: &[String], lines: &[String]) -> Vec<UrlPiece> {
    let mut pieces = Vec::new();
    let mut next = 0;
    let mut consumed = 0;
    for (index, line) in lines.iter().enumerate() {
        let mut from = 0;
        while let Some(url) = urls.get(next) {
            let rest = &url[consumed..];
            let found = if consumed == 0 {
                start_of(line, from, url)
            } else {
                // The continuation opens the next line, after its indent.
                let start = line.len() - line.trim_start().len();
                (from == 0).then_some(start)
            };
            let Some(start) = found else { break };
            let token = line[start..].split_whitespace().next().unwrap_or("");
            let length = if token.starts_with(rest) {
                rest.len()
            } else if rest.starts_with(token) && !token.is_empty() {
                token.len()
            } else {
                // Not where it was expected: look for the next address afresh.
                next += 1;
                consumed = 0;
                continue;
            };
            pieces.push(UrlPiece {
                line: index,
                start,
                end: start + length,
                url: url.clone(),
            });
            consumed += length;
            from = start + length;
            if consumed < url.len() {
                break;
            }
            next += 1;
            consumed = 0;
        }
    }
    pieces
}

/// Where `url` (or its first piece, at the end of the line) starts in `line` at or after `from`.
fn start_of(line: &str, from: usize, url: &str) -> Option<usize> {
    let mut at = from;
    while let Some(found) = line.get(at..)?.find("http") {
        let start = at + found;
        let token = line[start..].split_whitespace().next().unwrap_or("");
        if token.starts_with(url) || (url.starts_with(token) && start + token.len() == line.trim_end().len()) {
            return Some(start);
        }
        at = start + 4;
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://learn.microsoft.com/azure/machine-learning/how-to-network-isolation-planning";

    #[test]
    fn a_long_address_breaks_after_a_slash_never_inside_a_word() {
        let text = format!("Plan for network isolation: {URL} (reviewed 2026-11-23)");
        let lines = wrap(&text, 40, "  ", "    ");
        assert!(lines.iter().all(|line| width(line) <= 40), "{lines:#?}");
        let pieces = locate_urls(&urls(&text), &lines);
        assert!(pieces.len() > 1, "{lines:#?}");
        for piece in &pieces[..pieces.len() - 1] {
            assert!(
                lines[piece.line][..piece.end].ends_with('/'),
                "split mid-word: {lines:#?}"
            );
        }
    }

    #[test]
    fn a_word_without_boundaries_is_still_broken_to_fit() {
        let lines = wrap(&"x".repeat(50), 20, "", "");
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|line| width(line) <= 20));
    }

    #[test]
    fn addresses_are_found_in_their_wrapped_pieces() {
        let text = format!("See {URL}. Then https://example.com/a.");
        let found = urls(&text);
        assert_eq!(found, vec![URL.to_string(), "https://example.com/a".to_string()]);
        let lines = wrap(&text, 30, "", "  ");
        let pieces = locate_urls(&found, &lines);
        let first: String = pieces
            .iter()
            .filter(|piece| piece.url == URL)
            .map(|piece| &lines[piece.line][piece.start..piece.end])
            .collect();
        assert_eq!(first, URL, "{lines:#?} {pieces:#?}");
        assert!(pieces.iter().filter(|piece| piece.url == URL).count() > 1);
        let last = pieces.last().expect("the second address");
        assert_eq!(&lines[last.line][last.start..last.end], "https://example.com/a");
    }
}
