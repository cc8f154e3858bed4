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
}
