//! `${name}` placeholders in knowledge text, filled in from the answers.

/// The names a knowledge base may use; anything else is a validation error.
pub const NAMES: &[&str] = &["workspace_name", "region", "region_name", "resource_group"];

/// The placeholder names used in `text`, or the byte offset of a malformed `${`.
pub fn names_in(text: &str) -> Result<Vec<&str>, usize> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or(consumed + start)?;
        found.push(&after[..end]);
        let advance = start + 2 + end + 1;
        consumed += advance;
        rest = &rest[advance..];
    }
    Ok(found)
}

/// Replaces every `${name}` with its value; unknown names are left as written (the validator
/// has already rejected them in a loaded knowledge base). `value_of` may lend its values: the
/// engine fills thousands of texts per recommendation, and a copy per placeholder showed.
pub fn fill<V: AsRef<str>>(text: &str, value_of: impl Fn(&str) -> Option<V>) -> String {
    if !text.contains("${") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match value_of(name) {
                    Some(value) => out.push_str(value.as_ref()),
                    None => out.push_str(&rest[start..start + 2 + end + 1]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Like `fill`, for a shell command: each value is quoted for the place it lands in, so that a
/// valid but unusual answer (a resource group `rg(prod)`) cannot break or change the command.
/// A value is quoted only when it holds a character the shell treats specially, so ordinary
/// names print unchanged. The template's own quoting is followed: outside quotes a value is
/// wrapped in single quotes, inside double quotes `$ ` \ "` are escaped, inside single quotes a
/// `'` is closed, escaped and reopened.
pub fn fill_shell<V: AsRef<str>>(text: &str, value_of: impl Fn(&str) -> Option<V>) -> String {
    if !text.contains("${") {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 32);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    // Text is copied in runs up to each placeholder; the quoting state is followed byte by byte
    // (the bytes it reacts to are ASCII, so they never occur inside a multi-byte character).
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'$'
            && !escaped
            && bytes.get(at + 1) == Some(&b'{')
            && let Some(length) = text[at..].find('}')
            && let Some(value) = value_of(&text[at + 2..at + length])
        {
            out.push_str(&text[copied..at]);
            push_shell_quoted(&mut out, value.as_ref(), quote);
            at += length + 1;
            copied = at;
            continue;
        }
        match (byte, quote) {
            _ if escaped => escaped = false,
            (b'\\', Some(b'"') | None) => escaped = true,
            (b'\'' | b'"', None) => quote = Some(byte),
            (_, Some(open)) if byte == open => quote = None,
            _ => {}
        }
        at += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether the shell reads `c` as itself in a word: letters and digits (any script), and a few
/// punctuation characters with no meaning there.
fn shell_plain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ',' | ':' | '/' | '@' | '%' | '+' | '=')
}

fn push_shell_quoted(out: &mut String, value: &str, quote: Option<u8>) {
    match quote {
        None if value.is_empty() => out.push_str("''"),
        None if value.chars().all(shell_plain) => out.push_str(value),
        None => {
            out.push('\'');
            out.push_str(&value.replace('\'', "'\\''"));
            out.push('\'');
        }
        Some(b'"') => {
            for c in value.chars() {
                if matches!(c, '$' | '`' | '\\' | '"') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        Some(_) => out.push_str(&value.replace('\'', "'\\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_names_and_keeps_others() {
        let filled = fill("Storage.${region} in ${nope} {literal}", |name| {
            (name == "region").then(|| "westeurope".to_string())
        });
        assert_eq!(filled, "Storage.westeurope in ${nope} {literal}");
        assert_eq!(names_in("a ${x} b ${y}"), Ok(vec!["x", "y"]));
        assert_eq!(names_in("a ${x"), Err(2));
    }

    #[test]
    fn shell_values_are_quoted_only_when_needed_and_for_their_place() {
        let value = |name: &str| Some(if name == "rg" { "rg(prod)" } else { "plain-name_1.x" }.to_string());
        assert_eq!(
            fill_shell("az --name ${ws} -g ${rg}", value),
            "az --name plain-name_1.x -g 'rg(prod)'"
        );
        assert_eq!(fill_shell("/groups/${rg}/x", value), "/groups/'rg(prod)'/x");
        assert_eq!(
            fill_shell("--query \"[?g=='${rg}']\"", value),
            "--query \"[?g=='rg(prod)']\""
        );
        assert_eq!(fill_shell("echo '${rg}'", value), "echo 'rg(prod)'");
        let hostile = |_: &str| Some("a'b\"$(c)`d\\".to_string());
        assert_eq!(fill_shell("x ${v}", hostile), "x 'a'\\''b\"$(c)`d\\'");
        assert_eq!(fill_shell("x \"${v}\"", hostile), "x \"a'b\\\"\\$(c)\\`d\\\\\"");
        assert_eq!(fill_shell("x '${v}'", hostile), "x 'a'\\''b\"$(c)`d\\'");
        assert_eq!(
            fill_shell("keep ${unknown} \\${rg}", |_| None::<&str>),
            "keep ${unknown} \\${rg}"
        );
    }
}
