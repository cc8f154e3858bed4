//! A syntax check of generated Bicep and a check of its module calls against the pinned AVM
//! parameter fixtures (there is no Bicep compiler on the test machine).
//!
//! The parser covers the subset the generator writes, strictly: statements `targetScope`,
//! `param` (with decorators and a type), `var`, `resource`, `module`, `output`, `using`;
//! values are multi-line objects (`key: value` per line), multi-line arrays (one item per
//! line), strings (escapes and `${}` interpolation checked), numbers, booleans, and
//! expressions made of identifiers, calls, member and index access, lambdas and operators with
//! balanced brackets. It checks that every identifier an expression reads is declared (a
//! parameter, variable, resource, module, lambda parameter) or a known Bicep function.
//! Module checks: the registry reference names a fixture at its version, every parameter
//! exists, required ones are set, and literal values fit the compiled parameter types
//! (object properties, arrays, primitives, `@allowed` values, discriminated unions).

use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Ident(String),
    Str { text: String, interpolated: bool },
    Number(String),
    Punct(char),
    Arrow,
    Newline,
}

pub fn tokenize(source: &str) -> Result<Vec<(Token, usize)>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                tokens.push((Token::Newline, line));
                line += 1;
                i += 1;
            }
            ' ' | '\t' | '\r' => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    return Err(format!("line {line}: unterminated /* comment"));
                }
                i += 2;
            }
            '\'' => {
                let start_line = line;
                let mut text = String::new();
                let mut interpolated = false;
                i += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(format!("line {start_line}: unterminated string"));
                    };
                    match c {
                        '\'' => {
                            i += 1;
                            break;
                        }
                        '\n' => return Err(format!("line {start_line}: newline in a single-line string")),
                        '\\' => {
                            let Some(&escaped) = chars.get(i + 1) else {
                                return Err(format!("line {line}: escape at end of input"));
                            };
                            match escaped {
                                '\'' | '\\' | 'n' | 'r' | 't' | '$' => text.push(escaped),
                                'u' => text.push('?'),
                                other => return Err(format!("line {line}: unknown escape `\\{other}` in a string")),
                            }
                            i += 2;
                        }
                        '$' if chars.get(i + 1) == Some(&'{') => {
                            interpolated = true;
                            let mut depth = 0;
                            while let Some(&c) = chars.get(i) {
                                if c == '{' {
                                    depth += 1;
                                } else if c == '}' {
                                    depth -= 1;
                                    if depth == 0 {
                                        break;
                                    }
                                } else if c == '\n' {
                                    return Err(format!("line {line}: unterminated interpolation"));
                                }
                                text.push(c);
                                i += 1;
                            }
                            text.push('}');
                            i += 1;
                        }
                        c => {
                            text.push(c);
                            i += 1;
                        }
                    }
                }
                tokens.push((Token::Str { text, interpolated }, start_line));
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                tokens.push((Token::Number(chars[start..i].iter().collect()), line));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push((Token::Ident(chars[start..i].iter().collect()), line));
            }
            '=' if chars.get(i + 1) == Some(&'>') => {
                tokens.push((Token::Arrow, line));
                i += 2;
            }
            '{' | '}' | '[' | ']' | '(' | ')' | ':' | '=' | ',' | '.' | '?' | '!' | '@' | '-' | '+' | '*' | '<'
            | '>' | '&' | '|' => {
                tokens.push((Token::Punct(c), line));
                i += 1;
            }
            other => return Err(format!("line {line}: unexpected character `{other}`")),
        }
    }
    Ok(tokens)
}

/// A parsed value: literals kept, other expressions as their identifiers.
#[derive(Debug, Clone)]
pub enum Value {
    Str(String),
    Interpolated,
    Int(i64),
    Bool(bool),
    Null,
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// A computed expression: the identifiers it reads (not member names) and the string
    /// literals in it.
    Expr(Vec<String>, Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Declaration {
    pub kind: String,
    pub name: String,
    /// `resource`/`module`: the type or path string.
    pub target: Option<String>,
    pub value: Option<Value>,
    /// `param`: has a default.
    pub has_default: bool,
    pub line: usize,
}

struct Parser<'t> {
    tokens: &'t [(Token, usize)],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn line(&self) -> usize {
        self.tokens.get(self.at).or(self.tokens.last()).map_or(0, |(_, l)| *l)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(t, _)| t.clone());
        self.at += 1;
        token
    }

    fn error<T>(&self, message: &str) -> Result<T, String> {
        Err(format!("line {}: {message} (found {:?})", self.line(), self.peek()))
    }

    fn expect(&mut self, token: Token) -> Result<(), String> {
        if self.peek() == Some(&token) {
            self.at += 1;
            Ok(())
        } else {
            self.error(&format!("expected {token:?}"))
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Token::Newline) {
            self.at += 1;
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Ident(name)) => Ok(name),
            _ => {
                self.at -= 1;
                self.error("expected a name")
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Str {
                text,
                interpolated: false,
            }) => Ok(text),
            _ => {
                self.at -= 1;
                self.error("expected a plain string")
            }
        }
    }

    fn end_of_statement(&mut self) -> Result<(), String> {
        match self.peek() {
            None | Some(Token::Newline) => {
                self.skip_newlines();
                Ok(())
            }
            _ => self.error("expected the end of the line"),
        }
    }

    /// A value in a position where a line ends it (statement value, object value, array item).
    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(Token::Punct('{')) => self.object(),
            Some(Token::Punct('[')) => self.array(),
            _ => self.expression(),
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.expect(Token::Punct('{'))?;
        let mut entries = Vec::new();
        if self.peek() == Some(&Token::Punct('}')) {
            self.at += 1;
            return Ok(Value::Object(entries));
        }
        self.expect(Token::Newline)?;
        self.skip_newlines();
        while self.peek() != Some(&Token::Punct('}')) {
            let key = match self.next() {
                Some(Token::Ident(name)) => name,
                Some(Token::Str {
                    text,
                    interpolated: false,
                }) => text,
                _ => {
                    self.at -= 1;
                    return self.error("expected an object key");
                }
            };
            if entries.iter().any(|(k, _): &(String, Value)| k == &key) {
                return self.error(&format!("duplicate object key `{key}`"));
            }
            self.expect(Token::Punct(':'))?;
            let value = self.value()?;
            entries.push((key, value));
            self.expect(Token::Newline)?;
            self.skip_newlines();
        }
        self.expect(Token::Punct('}'))?;
        Ok(Value::Object(entries))
    }

    fn array(&mut self) -> Result<Value, String> {
        self.expect(Token::Punct('['))?;
        let mut items = Vec::new();
        if self.peek() == Some(&Token::Punct(']')) {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        self.expect(Token::Newline)?;
        self.skip_newlines();
        while self.peek() != Some(&Token::Punct(']')) {
            items.push(self.value()?);
            self.expect(Token::Newline)?;
            self.skip_newlines();
        }
        self.expect(Token::Punct(']'))?;
        Ok(Value::Array(items))
    }

    /// An expression up to the end of its line (brackets balanced, possibly spanning lines
    /// inside them).
    fn expression(&mut self) -> Result<Value, String> {
        let start = self.at;
        match self.peek() {
            Some(Token::Str { text, interpolated }) if self.is_single(start) => {
                let value = if *interpolated {
                    Value::Interpolated
                } else {
                    Value::Str(text.clone())
                };
                self.at += 1;
                return Ok(value);
            }
            Some(Token::Number(number)) if self.is_single(start) => {
                let value = Value::Int(number.parse().map_err(|e| format!("line {}: {e}", self.line()))?);
                self.at += 1;
                return Ok(value);
            }
            Some(Token::Punct('-'))
                if matches!(self.tokens.get(start + 1), Some((Token::Number(_), _))) && self.is_single(start + 1) =>
            {
                let Some((Token::Number(number), _)) = self.tokens.get(start + 1) else {
                    unreachable!()
                };
                let value = Value::Int(
                    -number
                        .parse::<i64>()
                        .map_err(|e| format!("line {}: {e}", self.line()))?,
                );
                self.at += 2;
                return Ok(value);
            }
            Some(Token::Ident(word)) if self.is_single(start) && matches!(word.as_str(), "true" | "false" | "null") => {
                let value = match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Null,
                };
                self.at += 1;
                return Ok(value);
            }
            None | Some(Token::Newline) => return self.error("expected a value"),
            _ => {}
        }
        let mut depth: Vec<char> = Vec::new();
        let mut reads = Vec::new();
        let mut strings = Vec::new();
        let mut lambda_params: Vec<String> = Vec::new();
        while let Some((token, _)) = self.tokens.get(self.at) {
            match token {
                Token::Newline if depth.is_empty() => break,
                Token::Punct(c @ ('(' | '[' | '{')) => depth.push(*c),
                Token::Punct(c @ (')' | ']' | '}')) => {
                    let open = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    if depth.last() != Some(&open) {
                        if depth.is_empty() {
                            break;
                        }
                        return self.error(&format!("unbalanced `{c}`"));
                    }
                    depth.pop();
                }
                Token::Ident(name) => {
                    let after_dot = self.at > 0 && matches!(self.tokens.get(self.at - 1), Some((Token::Punct('.'), _)));
                    let is_key = matches!(self.tokens.get(self.at + 1), Some((Token::Punct(':'), _)))
                        && depth.last() == Some(&'{');
                    let is_lambda = matches!(self.tokens.get(self.at + 1), Some((Token::Arrow, _)));
                    if is_lambda {
                        lambda_params.push(name.clone());
                    } else if !after_dot && !is_key && !lambda_params.contains(name) {
                        reads.push(name.clone());
                    }
                }
                Token::Str {
                    text,
                    interpolated: false,
                } => strings.push(text.clone()),
                Token::Str {
                    text,
                    interpolated: true,
                } => {
                    // Identifiers read inside `${...}`.
                    for part in text.split("${").skip(1) {
                        let inner = part.split('}').next().unwrap_or_default();
                        let tokens =
                            tokenize(inner).map_err(|e| format!("line {}: in interpolation: {e}", self.line()))?;
                        for (index, (token, _)) in tokens.iter().enumerate() {
                            if let Token::Ident(name) = token {
                                let after_dot = index > 0 && tokens[index - 1].0 == Token::Punct('.');
                                if !after_dot && !lambda_params.contains(name) {
                                    reads.push(name.clone());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
        if !depth.is_empty() {
            return self.error("unbalanced brackets at the end of an expression");
        }
        if self.at == start {
            return self.error("expected a value");
        }
        Ok(Value::Expr(reads, strings))
    }

    /// Whether the token at `index` is followed by the end of its value.
    fn is_single(&self, index: usize) -> bool {
        matches!(self.tokens.get(index + 1).map(|(t, _)| t), None | Some(Token::Newline))
    }

    /// A type after `param NAME`: a name with optional `[]`/`?`, or an object type.
    fn type_expression(&mut self) -> Result<(), String> {
        if self.peek() == Some(&Token::Punct('{')) {
            self.expect(Token::Punct('{'))?;
            self.expect(Token::Newline)?;
            self.skip_newlines();
            while self.peek() != Some(&Token::Punct('}')) {
                self.ident()?;
                self.expect(Token::Punct(':'))?;
                self.type_expression()?;
                self.expect(Token::Newline)?;
                self.skip_newlines();
            }
            return self.expect(Token::Punct('}'));
        }
        let name = self.ident()?;
        if !["string", "int", "bool", "object", "array"].contains(&name.as_str()) {
            return self.error(&format!("unknown type `{name}`"));
        }
        if self.peek() == Some(&Token::Punct('[')) {
            self.expect(Token::Punct('['))?;
            self.expect(Token::Punct(']'))?;
        }
        if self.peek() == Some(&Token::Punct('?')) {
            self.at += 1;
        }
        Ok(())
    }
}

pub fn parse(source: &str, params_file: bool) -> Result<Vec<Declaration>, String> {
    let tokens = tokenize(source)?;
    let mut parser = Parser { tokens: &tokens, at: 0 };
    let mut declarations = Vec::new();
    parser.skip_newlines();
    while parser.peek().is_some() {
        let line = parser.line();
        // Decorators: `@name(args)` on their own line.
        while parser.peek() == Some(&Token::Punct('@')) {
            parser.at += 1;
            parser.ident()?;
            parser.expect(Token::Punct('('))?;
            parser.value()?;
            parser.expect(Token::Punct(')'))?;
            parser.expect(Token::Newline)?;
            parser.skip_newlines();
        }
        let keyword = parser.ident()?;
        let mut declaration = Declaration {
            kind: keyword.clone(),
            name: String::new(),
            target: None,
            value: None,
            has_default: false,
            line,
        };
        match keyword.as_str() {
            "targetScope" => {
                parser.expect(Token::Punct('='))?;
                declaration.value = Some(parser.value()?);
            }
            "using" => declaration.target = Some(parser.string()?),
            "param" if params_file => {
                declaration.name = parser.ident()?;
                parser.expect(Token::Punct('='))?;
                declaration.value = Some(parser.value()?);
            }
            "param" => {
                declaration.name = parser.ident()?;
                parser.type_expression()?;
                if parser.peek() == Some(&Token::Punct('=')) {
                    parser.at += 1;
                    declaration.value = Some(parser.value()?);
                    declaration.has_default = true;
                }
            }
            "var" => {
                declaration.name = parser.ident()?;
                parser.expect(Token::Punct('='))?;
                declaration.value = Some(parser.value()?);
            }
            "resource" | "module" => {
                declaration.name = parser.ident()?;
                declaration.target = Some(parser.string()?);
                if parser.peek() == Some(&Token::Ident("existing".to_string())) {
                    parser.at += 1;
                }
                parser.expect(Token::Punct('='))?;
                declaration.value = Some(parser.object()?);
            }
            "output" => {
                declaration.name = parser.ident()?;
                parser.type_expression()?;
                parser.expect(Token::Punct('='))?;
                declaration.value = Some(parser.value()?);
            }
            other => return Err(format!("line {line}: unknown statement `{other}`")),
        }
        parser.end_of_statement()?;
        declarations.push(declaration);
    }
    Ok(declarations)
}

/// Bicep functions the generated files may call.
const FUNCTIONS: &[&str] = &[
    "resourceGroup",
    "subscription",
    "subscriptionResourceId",
    "tenantResourceId",
    "resourceId",
    "guid",
    "take",
    "last",
    "split",
    "concat",
    "map",
    "items",
    "range",
    "cidrHost",
    "length",
    "union",
];

fn reads(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Expr(names, _) => out.extend(names.iter().cloned()),
        Value::Array(items) => items.iter().for_each(|v| reads(v, out)),
        Value::Object(entries) => entries.iter().for_each(|(_, v)| reads(v, out)),
        _ => {}
    }
}

/// Identifiers read but never declared.
pub fn undeclared(declarations: &[Declaration]) -> Vec<String> {
    let declared: BTreeSet<&str> = declarations
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let mut problems = Vec::new();
    for declaration in declarations {
        let mut names = Vec::new();
        if let Some(value) = &declaration.value {
            reads(value, &mut names);
        }
        for name in names {
            if !declared.contains(name.as_str()) && !FUNCTIONS.contains(&name.as_str()) {
                problems.push(format!("line {}: `{name}` is not declared", declaration.line));
            }
        }
    }
    problems
}

pub struct BicepInterface {
    pub reference: String,
    pub params: BTreeMap<String, (bool, serde_json::Value)>,
    pub definitions: serde_json::Map<String, serde_json::Value>,
}

pub fn load_interfaces() -> Vec<BicepInterface> {
    let mut interfaces = Vec::new();
    for entry in std::fs::read_dir("tests/fixtures/avm").expect("fixtures") {
        let path = entry.expect("entry").path();
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("bicep-"))
        {
            continue;
        }
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let params = data["params"]
            .as_array()
            .expect("params")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().expect("name").to_string(),
                    (p["required"].as_bool().unwrap_or(false), p["compiled"].clone()),
                )
            })
            .collect();
        interfaces.push(BicepInterface {
            reference: data["_source"]["moduleReference"]
                .as_str()
                .expect("reference")
                .to_string(),
            params,
            definitions: data["definitions"].as_object().cloned().unwrap_or_default(),
        });
    }
    interfaces
}

fn resolve<'s>(
    schema: &'s serde_json::Value,
    definitions: &'s serde_json::Map<String, serde_json::Value>,
) -> &'s serde_json::Value {
    match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(reference) => definitions
            .get(reference.trim_start_matches("#/definitions/"))
            .map_or(schema, |found| resolve(found, definitions)),
        None => schema,
    }
}

/// Problems of a literal value against a compiled ARM type.
fn check_schema(
    value: &Value,
    schema: &serde_json::Value,
    interface: &BicepInterface,
    path: &str,
    problems: &mut Vec<String>,
) {
    let schema = resolve(schema, &interface.definitions);
    if matches!(value, Value::Expr(..) | Value::Interpolated | Value::Null) {
        return;
    }
    if let Some(allowed) = schema.get("allowedValues").and_then(|a| a.as_array()) {
        let literal = match value {
            Value::Str(s) => Some(serde_json::Value::String(s.clone())),
            Value::Int(n) => Some(serde_json::Value::from(*n)),
            Value::Bool(b) => Some(serde_json::Value::Bool(*b)),
            _ => None,
        };
        if let Some(literal) = literal
            && !allowed.contains(&literal)
        {
            problems.push(format!("{path}: {literal} is not allowed ({allowed:?})"));
        }
    }
    if let Some(discriminator) = schema.get("discriminator") {
        let property = discriminator["propertyName"].as_str().unwrap_or("type");
        let Value::Object(entries) = value else {
            problems.push(format!("{path}: expected an object"));
            return;
        };
        let tag = entries.iter().find(|(k, _)| k == property).map(|(_, v)| v);
        match tag {
            Some(Value::Str(tag)) => match discriminator["mapping"].get(tag) {
                Some(variant) => check_schema(value, variant, interface, path, problems),
                None => problems.push(format!("{path}: `{property}` `{tag}` is not a variant")),
            },
            _ => problems.push(format!("{path}: the `{property}` that selects the variant is missing")),
        }
        return;
    }
    let kind = schema.get("type").and_then(|t| t.as_str()).unwrap_or("");
    match (kind, value) {
        ("string" | "securestring", Value::Str(_)) | ("int", Value::Int(_)) | ("bool", Value::Bool(_)) => {}
        ("array", Value::Array(items)) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    check_schema(item, item_schema, interface, &format!("{path}[{index}]"), problems);
                }
            }
            if let Some(allowed) = schema.get("allowedValues").and_then(|a| a.as_array()) {
                for item in items {
                    if let Value::Str(text) = item
                        && !allowed.contains(&serde_json::Value::String(text.clone()))
                    {
                        problems.push(format!("{path}: `{text}` is not allowed ({allowed:?})"));
                    }
                }
            }
        }
        ("object" | "secureObject", Value::Object(entries)) => {
            let properties = schema.get("properties").and_then(|p| p.as_object());
            let additional = schema.get("additionalProperties");
            for (key, item) in entries {
                match (properties.and_then(|p| p.get(key)), additional) {
                    (Some(property), _) => check_schema(item, property, interface, &format!("{path}.{key}"), problems),
                    (None, Some(extra)) if extra.is_object() => {
                        check_schema(item, extra, interface, &format!("{path}.{key}"), problems)
                    }
                    (None, Some(serde_json::Value::Bool(true))) => {}
                    (None, _) if properties.is_none_or(|p| p.is_empty()) => {}
                    (None, _) => problems.push(format!("{path}: `{key}` is not a property of the type")),
                }
            }
            if let Some(properties) = properties {
                for (name, property) in properties {
                    let optional = |schema: &serde_json::Value| {
                        schema.get("nullable").and_then(|n| n.as_bool()).unwrap_or(false)
                            || schema.get("defaultValue").is_some()
                    };
                    let nullable = optional(property) || optional(resolve(property, &interface.definitions));
                    if !nullable && !entries.iter().any(|(k, _)| k == name) {
                        problems.push(format!("{path}: required property `{name}` is missing"));
                    }
                }
            }
        }
        ("", _) => {}
        (expected, _) => problems.push(format!("{path}: {value:?} does not fit type `{expected}`")),
    }
}

/// Checks one file's module calls; local modules are checked against `locals` (file name ->
/// (parameter, required)).
pub fn check_modules(
    file: &str,
    declarations: &[Declaration],
    interfaces: &[BicepInterface],
    locals: &BTreeMap<String, Vec<(String, bool)>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for declaration in declarations.iter().filter(|d| d.kind == "module") {
        let target = declaration.target.clone().unwrap_or_default();
        let Some(Value::Object(body)) = &declaration.value else {
            problems.push(format!("{file}: module {} has no body", declaration.name));
            continue;
        };
        if !body.iter().any(|(k, _)| k == "name") {
            problems.push(format!("{file}: module {} has no deployment name", declaration.name));
        }
        let params: Vec<(String, Value)> = match body.iter().find(|(k, _)| k == "params") {
            Some((_, Value::Object(params))) => params.clone(),
            _ => Vec::new(),
        };
        let here = format!("{file}: module {}", declaration.name);
        if let Some(local) = locals.get(&target) {
            for (name, _) in &params {
                if !local.iter().any(|(p, _)| p == name) {
                    problems.push(format!("{here}: `{name}` is not a parameter of {target}"));
                }
            }
            for (name, required) in local {
                if *required && !params.iter().any(|(p, _)| p == name) {
                    problems.push(format!("{here}: required parameter `{name}` of {target} is not set"));
                }
            }
            continue;
        }
        let Some(interface) = interfaces.iter().find(|i| i.reference == target) else {
            problems.push(format!(
                "{here}: `{target}` is not a pinned module with an interface fixture"
            ));
            continue;
        };
        for (name, value) in &params {
            match interface.params.get(name) {
                Some((_, schema)) => check_schema(value, schema, interface, &format!("{here}: {name}"), &mut problems),
                None => problems.push(format!("{here}: `{name}` is not a parameter of {target}")),
            }
        }
        for (name, (required, _)) in &interface.params {
            if *required && !params.iter().any(|(p, _)| p == name) {
                problems.push(format!("{here}: required parameter `{name}` is not set"));
            }
        }
    }
    problems
}
