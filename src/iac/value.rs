//! Argument values as a small tree, printed as HCL or Bicep. Building the tree first and
//! printing it in one place keeps quoting and escaping out of the generators: a workspace
//! name with a quote or a `${` can never break out of its string.

/// A module argument's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Bool(bool),
    Int(i64),
    /// An expression in the target language (a reference such as `module.vnet.resource_id`),
    /// written as is.
    Expr(String),
    List(Vec<Value>),
    /// Keys in the order written.
    Object(Vec<(String, Value)>),
}

impl Value {
    pub fn str(text: impl Into<String>) -> Self {
        Value::Str(text.into())
    }

    pub fn expr(text: impl Into<String>) -> Self {
        Value::Expr(text.into())
    }

    pub fn strs<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Self {
        Value::List(items.into_iter().map(|item| Value::Str(item.into())).collect())
    }

    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Self {
        Value::Object(entries.into_iter().map(|(key, value)| (key.into(), value)).collect())
    }
}

/// The language a value is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Hcl,
    Bicep,
}

impl Syntax {
    pub fn string(self, text: &str) -> String {
        match self {
            Syntax::Hcl => hcl_string(text),
            Syntax::Bicep => bicep_string(text),
        }
    }

    fn key(self, key: &str) -> String {
        let bare = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || (c == '-' && self == Syntax::Hcl));
        if bare { key.to_string() } else { self.string(key) }
    }

    /// `value` printed at `indent` (the indentation of the line it starts on).
    pub fn print(self, value: &Value, indent: usize) -> String {
        let mut out = String::new();
        self.write(value, indent, &mut out);
        out
    }

    fn write(self, value: &Value, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent + 1);
        let close = "  ".repeat(indent);
        match value {
            Value::Str(text) => out.push_str(&self.string(text)),
            Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
            Value::Int(number) => out.push_str(&number.to_string()),
            Value::Expr(expression) => out.push_str(expression),
            Value::List(items) if items.is_empty() => out.push_str("[]"),
            // Short lists of plain values stay on one line in HCL, as people write them.
            Value::List(items) if self == Syntax::Hcl && self.inline(items).is_some() => {
                out.push_str(&self.inline(items).unwrap_or_default());
            }
            Value::List(items) => {
                out.push_str("[\n");
                for item in items {
                    out.push_str(&pad);
                    self.write(item, indent + 1, out);
                    if self == Syntax::Hcl {
                        out.push(',');
                    }
                    out.push('\n');
                }
                out.push_str(&close);
                out.push(']');
            }
            Value::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Value::Object(entries) => {
                out.push_str("{\n");
                let width = if self == Syntax::Hcl {
                    entries.iter().map(|(key, _)| self.key(key).len()).max().unwrap_or(0)
                } else {
                    0
                };
                for (key, item) in entries {
                    out.push_str(&pad);
                    let key = self.key(key);
                    match self {
                        Syntax::Hcl => out.push_str(&format!("{key:width$} = ")),
                        Syntax::Bicep => out.push_str(&format!("{key}: ")),
                    }
                    self.write(item, indent + 1, out);
                    out.push('\n');
                }
                out.push_str(&close);
                out.push('}');
            }
        }
    }
}

impl Syntax {
    fn inline(self, items: &[Value]) -> Option<String> {
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Str(_) | Value::Bool(_) | Value::Int(_) => parts.push(self.print(item, 0)),
                Value::Expr(expression) if !expression.contains('\n') => parts.push(expression.clone()),
                _ => return None,
            }
        }
        let line = format!("[{}]", parts.join(", "));
        (line.len() <= 60).then_some(line)
    }
}

/// A double-quoted HCL string: `"` and `\` escaped, and template sequences (`${`, `%{`)
/// doubled so they stay literal.
fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A single-quoted Bicep string: `'`, `\` and `${` escaped.
fn bicep_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_break_out_of_their_quotes() {
        assert_eq!(Syntax::Hcl.string(r#"a"b\c${d}%{e}"#), r#""a\"b\\c$${d}%%{e}""#);
        assert_eq!(Syntax::Bicep.string(r"it's \ ${x}"), r"'it\'s \\ \${x}'");
        assert_eq!(Syntax::Hcl.string("line\nnext"), r#""line\nnext""#);
    }

    #[test]
    fn objects_and_lists_print_in_each_syntax() {
        let value = Value::object([
            ("name", Value::str("x")),
            ("list", Value::strs(["a"])),
            ("odd key", Value::Bool(true)),
        ]);
        assert_eq!(
            Syntax::Hcl.print(&value, 0),
            "{\n  name      = \"x\"\n  list      = [\"a\"]\n  \"odd key\" = true\n}"
        );
        assert_eq!(
            Syntax::Bicep.print(&value, 0),
            "{\n  name: 'x'\n  list: [\n    'a'\n  ]\n  'odd key': true\n}"
        );
    }
}
