//! Line wrapping shared by the text and Markdown outputs.

/// Wraps `text` to `width` columns with the given first-line and continuation indents.
pub fn paragraph(text: &str, width: usize, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(width.max(20))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false);
    let mut out = textwrap::fill(text, options);
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
