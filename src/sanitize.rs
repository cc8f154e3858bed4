//! Text from answers files is untrusted: it reaches terminals, Markdown and messages.

/// Removes control characters (ESC sequences, bells, carriage returns) that could repaint a
/// terminal or break a line-oriented output; keeps ordinary text, including non-ASCII.
pub fn strip_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// A user value quoted inside an error message: controls shown escaped, length bounded.
pub fn for_message(text: &str) -> String {
    let escaped: String = text.chars().flat_map(char::escape_default).collect();
    if escaped.chars().count() > 80 {
        format!("{}…", escaped.chars().take(80).collect::<String>())
    } else {
        escaped
    }
}
