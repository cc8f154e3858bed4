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
/// has already rejected them in a loaded knowledge base).
pub fn fill(text: &str, value_of: impl Fn(&str) -> Option<String>) -> String {
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
                    Some(value) => out.push_str(&value),
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
pub fn fill_shell(text: &str, value_of: impl Fn(&str) -> Option<String>) -> String {
    if !text.contains("${") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '$'
            && !escaped
            && rest.starts_with("${")
            && let Some(end) = rest.find('}')
            && let Some(value) = value_of(&rest[2..end])
        {
            out.push_str(&shell_quoted(&value, quote));
            rest = &rest[end + 1..];
            continue;
        }
        match (c, quote) {
            _ if escaped => escaped = false,
            ('\\', Some('"') | None) => escaped = true,
            ('\'' | '"', None) => quote = Some(c),
            (_, Some(open)) if c == open => quote = None,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether the shell reads `c` as itself in a word: letters and digits (any script), and a few
/// punctuation characters with no meaning there.
fn shell_plain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ',' | ':' | '/' | '@' | '%' | '+' | '=')
}

fn shell_quoted(value: &str, quote: Option<char>) -> String {
    match quote {
        None if value.is_empty() => "''".to_string(),
        None if value.chars().all(shell_plain) => value.to_string(),
        None => format!("'{}'", value.replace('\'', "'\\''")),
        Some('"') => value
            .chars()
            .flat_map(|c| {
                matches!(c, '$' | '`' | '\\' | '"')
                    .then_some('\\')
                    .into_iter()
                    .chain([c])
            })
            .collect(),
        Some(_) => value.replace('\'', "'\\''"),
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
            fill_shell("keep ${unknown} \\${rg}", |_| None),
            "keep ${unknown} \\${rg}"
        );
    }
}
