//! Line wrapping shared by the text and Markdown outputs.

/// Wraps `text` to `width` columns with the given first-line and continuation indents:
/// first-fit, never splitting a word (not even at hyphens, which would break commands and
/// ids), a word wider than the line standing alone on it.
///
/// Nearly every text here is a single-spaced sentence, for which a greedy pass over the words
/// gives exactly textwrap's first-fit layout; textwrap still measures display widths, and lays
/// out anything unusual (tabs, newlines, runs of spaces) itself.
pub fn paragraph(text: &str, width: usize, first: &str, rest: &str) -> String {
    let width = width.max(20);
    let unusual = text.contains(['\n', '\t']) || text.contains("  ") || text.starts_with(' ') || text.trim().is_empty();
    if unusual {
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .break_words(false);
        let mut out = textwrap::fill(text, options);
        out.push('\n');
        return out;
    }
    let measure = textwrap::core::display_width;
    let mut out = String::with_capacity(first.len() + text.len() + text.len() / width.max(1) * (rest.len() + 1) + 1);
    out.push_str(first);
    let mut used = measure(first);
    let mut line_is_empty = true;
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let word_width = measure(word);
        if !line_is_empty && used + 1 + word_width > width {
            out.push('\n');
            out.push_str(rest);
            used = measure(rest);
            line_is_empty = true;
        }
        if !line_is_empty {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        used += word_width;
        line_is_empty = false;
    }
    out.push('\n');
    out
}

/// Splits a shell command into lines of at most `width` columns, breaking only at spaces
/// outside quotes and ending each broken line with ` \`, so the result still pastes into a
/// shell as one command.
pub fn shell_lines(command: &str, width: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match (quote, c) {
            (None, ' ') => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(open), _) if c == open => {
                quote = None;
                current.push(c);
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() + 2 > width {
            lines.push(format!("{line} \\"));
            line = format!("  {word}");
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_layout_matches_textwrap_first_fit_and_keeps_hyphenated_words() {
        let text = "Set image_build_compute with az ml workspace update --image-build-compute cpu-cluster \
                    before the first environment build; élan vital 字字字字 applies.";
        for width in [20, 33, 47, 80, 100] {
            let options = textwrap::Options::new(width)
                .initial_indent("  * ")
                .subsequent_indent("    ")
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
                .break_words(false);
            let expected = format!("{}\n", textwrap::fill(text, options));
            assert_eq!(paragraph(text, width, "  * ", "    "), expected, "width {width}");
        }
        assert!(
            paragraph(text, 30, "", "").contains("--image-build-compute"),
            "never split at a hyphen"
        );
        assert_eq!(paragraph("a  b", 20, "", ""), "a  b\n", "runs of spaces are textwrap's");
    }

    #[test]
    fn commands_break_outside_quotes_only() {
        let lines = shell_lines("az thing create --name abc --logs '[{\"a\": 1, \"b\": 2}]' --x y", 30);
        assert!(
            lines.iter().any(|l| l.contains("'[{\"a\": 1, \"b\": 2}]'")),
            "{lines:?}"
        );
        assert!(lines[..lines.len() - 1].iter().all(|l| l.ends_with(" \\")));
        assert_eq!(
            lines.concat().replace(" \\  ", " "),
            "az thing create --name abc --logs '[{\"a\": 1, \"b\": 2}]' --x y"
        );
    }
}
