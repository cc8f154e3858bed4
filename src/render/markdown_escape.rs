//! Escaping for the design record. Every string that reaches the record, whether it comes from
//! the answers file or from the knowledge base, passes through one of these functions, so that
//! no value can add Markdown structure, raw HTML, terminal control sequences or Mermaid syntax.
//!
//! Code spans keep their spaces as [`PROTECTED_SPACE`] until the whole record is written, so
//! that wrapping never breaks a code span across lines; `markdown::render` turns them back into
//! spaces at the very end. [`clean`] removes that character from every input, so the only ones
//! in a record are the renderer's own.

/// A private-use character standing for a space that wrapping must not break at.
pub const PROTECTED_SPACE: char = '\u{E000}';

/// Characters that are invisible but change how text is read or laid out: bidirectional
/// overrides and isolates ("Trojan Source"), zero-width spaces and the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'
            ..='\u{202E}' | '\u{2060}' | '\u{2066}'
            ..='\u{2069}' | '\u{FEFF}' | PROTECTED_SPACE
    )
}

/// One line of plain text: control characters (ESC sequences, bells, carriage returns) and
/// invisible characters removed, every run of whitespace (newlines included) made one space,
/// no leading or trailing space.
pub fn clean(text: &str) -> String {
    // Plain printable ASCII with single inner spaces is already clean: copy it.
    let bytes = text.as_bytes();
    if bytes.iter().all(|&b| (0x21..=0x7e).contains(&b) || b == b' ')
        && !text.contains("  ")
        && !text.starts_with(' ')
        && !text.ends_with(' ')
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if !c.is_control() && !invisible(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Text for a code block: line breaks kept (as `\n`), tabs kept, every other control and
/// invisible character removed, trailing blank lines dropped.
pub fn clean_block(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || (!c.is_control() && !invisible(c)))
        .collect();
    let lines: Vec<&str> = kept.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// Prose or a table cell: the text of `raw`, escaped so that it renders as exactly that text
/// wherever it lands after wrapping, including at the start of a line.
pub fn text(raw: &str) -> String {
    let cleaned = clean(raw);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for (index, word) in cleaned.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        escape_word(word, &mut out);
    }
    out
}

/// Whether a word might need escaping: a superset of what `escape_word` changes, checked on
/// bytes so that the common plain word is copied without decoding it into characters.
fn may_need_escape(word: &str) -> bool {
    word.bytes().any(|b| {
        matches!(
            b,
            b'\\' | b'`' | b'*' | b'[' | b']' | b'|' | b'~' | b'$' | b'_' | b'<' | b'>' | b'&'
        )
    }) || word.starts_with(['#', '-', '+', '='])
        || (word.ends_with(['.', ')']) && word.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

fn escape_word(word: &str, out: &mut String) {
    if !may_need_escape(word) {
        out.push_str(word);
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let last = chars.len().saturating_sub(1);
    // Words that would open a block if wrapping put them first on a line: list markers,
    // thematic breaks and setext underlines (`-`, `+`, `===`), ordered list markers (`1.`).
    let marker_only = chars.iter().all(|c| matches!(c, '-' | '+' | '='));
    let ordered_marker = chars.len() >= 2 && chars[..last].iter().all(char::is_ascii_digit);
    for (index, &c) in chars.iter().enumerate() {
        let before = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let after = chars.get(index + 1).copied();
        match c {
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word (`py_files`) an underscore cannot open or close emphasis.
            '_' if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric) => {
                out.push('_');
            }
            '_' => out.push_str("\\_"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '#' if index == 0 => out.push_str("\\#"),
            '-' | '+' | '=' if index == 0 && marker_only => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if index == last && ordered_marker => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

fn longest_run(text: &str, mark: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for c in text.chars() {
        if c == mark {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// An inline code span holding exactly `raw` (cleaned): the backtick fence is longer than any
/// backtick run inside, and padded when the content starts or ends with a backtick. Spaces are
/// protected from wrapping. Empty content gives an empty string.
pub fn code(raw: &str) -> String {
    let content = clean(raw);
    if content.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(&content, '`') + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = content.replace(' ', &PROTECTED_SPACE.to_string());
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Whether `text` is an identifier-like value (a choice id, a region, a resource id) that reads
/// best as code. Anything else is shown as escaped prose, so hostile text never sits in a code
/// span where entities do not apply.
pub fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '@' | '+' | ','))
}

/// An identifier as code, anything else as escaped text.
pub fn identifier(raw: &str) -> String {
    let cleaned = clean(raw);
    if is_identifier(&cleaned) {
        code(&cleaned)
    } else {
        text(&cleaned)
    }
}

/// `raw` as code when that is safe anywhere, table cells included: no pipe (GFM splits cells at
/// it even inside code spans) and no angle brackets (kept out of the record's bytes altogether,
/// since entities do not apply in code); as escaped text otherwise.
pub fn code_cell(raw: &str) -> String {
    let cleaned = clean(raw);
    if cleaned.is_empty() || cleaned.contains(['|', '<', '>']) {
        text(&cleaned)
    } else {
        code(&cleaned)
    }
}

/// A backtick fence for a fenced code block holding `content`: at least three backticks and
/// longer than any backtick run inside.
pub fn block_fence(content: &str) -> String {
    "`".repeat((longest_run(content, '`') + 1).max(3))
}

/// A link destination: `Some` only for an `https://` URL with no whitespace, with every
/// character that could end or confuse the destination percent-encoded.
pub fn https_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if !trimmed.starts_with("https://") || trimmed.len() <= "https://".len() {
        return None;
    }
    if trimmed
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || invisible(c))
    {
        return None;
    }
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        match c {
            '(' | ')' | '<' | '>' | '"' | '`' | '\\' | '|' | '[' | ']' | '{' | '}' | '^' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            // Entities are decoded in link destinations; `&amp;` keeps `&` from starting one.
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// A string value in the YAML front matter: double-quoted, with `\` and `"` escaped, and `<`,
/// `>` written as YAML escapes so that no markup reaches the record's bytes.
pub fn yaml_string(raw: &str) -> String {
    let cleaned = clean(raw);
    let mut out = String::with_capacity(cleaned.len() + 2);
    out.push('"');
    for c in cleaned.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\x3C"),
            '>' => out.push_str("\\x3E"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Mermaid label, to be written inside double quotes (`id["label"]`, `-->|"label"|`). Quotes
/// and every character Mermaid or its HTML labels could read as syntax become Mermaid entity
/// codes (`#quot;`, `#lt;`, `#35;`...), so the label cannot end early, open a Markdown string,
/// or carry markup.
pub fn mermaid_label(raw: &str) -> String {
    let cleaned = clean(raw);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for c in cleaned.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            ';' => out.push_str("#59;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '\\' => out.push_str("#92;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_controls_and_joins_lines() {
        assert_eq!(clean("  a\u{1b}[31mb\r\n c\u{7}\u{202E}d\t "), "a[31mb cd");
        assert_eq!(clean(&format!("x{PROTECTED_SPACE}y")), "xy");
    }

    #[test]
    fn text_escapes_markdown_and_html() {
        assert_eq!(text("a|b `c` <script>&"), "a\\|b \\`c\\` &lt;script&gt;&amp;");
        assert_eq!(
            text("[x](y) *z* _w_ py_files ~s~ $5"),
            "\\[x\\](y) \\*z\\* \\_w\\_ py_files \\~s\\~ \\$5"
        );
        assert_eq!(
            text("# - + == 12. 3) 4.5 C# a-b"),
            "\\# \\- \\+ \\== 12\\. 3\\) 4.5 C# a-b"
        );
        assert_eq!(text("back\\slash"), "back\\\\slash");
    }

    #[test]
    fn code_spans_use_a_longer_fence() {
        assert_eq!(code("az ml").replace(PROTECTED_SPACE, " "), "`az ml`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(""), "");
        assert_eq!(block_fence("```\n````"), "`````");
        assert_eq!(block_fence("plain"), "```");
    }

    #[test]
    fn identifiers_and_cells() {
        assert_eq!(identifier("managed_vnet"), "`managed_vnet`");
        assert_eq!(identifier("<b>"), "&lt;b&gt;");
        assert_eq!(code_cell("a|b"), "a\\|b");
        assert_eq!(code_cell("privatelink.api.azureml.ms"), "`privatelink.api.azureml.ms`");
    }

    #[test]
    fn urls_and_yaml() {
        assert_eq!(
            https_url("https://learn.microsoft.com/a_(b)?x=1&y=2").as_deref(),
            Some("https://learn.microsoft.com/a_%28b%29?x=1&amp;y=2")
        );
        assert_eq!(https_url("http://example.com"), None);
        assert_eq!(https_url("https://a b"), None);
        assert_eq!(https_url("seeds/000.txt"), None);
        assert_eq!(yaml_string("a\"b\\c\nd<e>"), "\"a\\\"b\\\\c d\\x3Ce\\x3E\"");
    }

    #[test]
    fn mermaid_labels_cannot_escape_their_quotes() {
        let label = mermaid_label("a \"b\" ]] `c` <script>; #x\nnext");
        assert_eq!(
            label,
            "a #quot;b#quot; #93;#93; #96;c#96; #lt;script#gt;#59; #35;x next"
        );
        assert!(!label.contains('"') && !label.contains("]]") && !label.contains('<'));
    }
}
