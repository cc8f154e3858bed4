//! Checks generated Terraform against the pinned AVM module interfaces in tests/fixtures/avm:
//! every file parses as HCL; every module call names a known module at the pinned version;
//! every argument is an input of the module; every required input is set; every literal value
//! has the declared type (object keys, optional attributes, maps, lists, primitives); and every
//! literal string that a validation restricts with `contains([...], ...)` is one of its values.
//! Expressions that are only known at plan time (references, function calls) are not checked
//! beyond the literal objects inside them (`merge` arguments, `for` templates).

use std::collections::BTreeMap;

use hcl::expr::{Expression, ObjectKey};
use hcl::structure::{Body, Structure};

/// A Terraform type constraint.
#[derive(Debug, Clone)]
pub enum Shape {
    String,
    Number,
    Bool,
    Any,
    List(Box<Shape>),
    Map(Box<Shape>),
    /// Attribute -> (type, optional).
    Object(BTreeMap<String, (Shape, bool)>),
}

pub struct Variable {
    pub shape: Shape,
    pub required: bool,
    /// Dotted paths (`*` for each element) with the values a validation allows there.
    pub allowed: Vec<(Vec<String>, Vec<String>)>,
}

pub struct Interface {
    pub source: String,
    pub version: String,
    pub variables: BTreeMap<String, Variable>,
}

fn func_name(call: &hcl::expr::FuncCall) -> &str {
    call.name.name.as_str()
}

fn shape(expr: &Expression) -> Result<Shape, String> {
    Ok(match expr {
        Expression::Variable(name) => match name.as_str() {
            "string" => Shape::String,
            "number" => Shape::Number,
            "bool" => Shape::Bool,
            "any" => Shape::Any,
            other => return Err(format!("unknown type `{other}`")),
        },
        Expression::FuncCall(call) => {
            let inner = || call.args.first().map(shape).unwrap_or(Ok(Shape::Any));
            match func_name(call) {
                "list" | "set" => Shape::List(Box::new(inner()?)),
                "map" => Shape::Map(Box::new(inner()?)),
                "optional" => inner()?,
                "tuple" => Shape::Any,
                "object" => {
                    let Some(Expression::Object(object)) = call.args.first() else {
                        return Err("object() without attributes".to_string());
                    };
                    let mut attributes = BTreeMap::new();
                    for (key, value) in object {
                        let name = match key {
                            ObjectKey::Identifier(id) => id.as_str().to_string(),
                            ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.clone(),
                            other => return Err(format!("unexpected object type key {other:?}")),
                        };
                        let optional = matches!(value, Expression::FuncCall(c) if func_name(c) == "optional");
                        attributes.insert(name, (shape(value)?, optional));
                    }
                    Shape::Object(attributes)
                }
                other => return Err(format!("unknown type function `{other}`")),
            }
        }
        other => return Err(format!("unexpected type expression {other:?}")),
    })
}

/// The allowed-value restrictions of a validation condition: `contains([..], var.x.y)` and the
/// same inside `for k, v in var.x : contains([..], v.y)`.
fn restrictions(variable: &str, condition: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut aliases: Vec<(String, Vec<String>)> = Vec::new();
    let words: Vec<&str> = condition.split_whitespace().collect();
    for (index, word) in words.iter().enumerate() {
        if *word == "in" && index >= 1 && index + 1 < words.len() {
            let alias = words[index - 1].trim_end_matches(',').to_string();
            let collection = words[index + 1].trim_end_matches(':');
            if let Some(path) = collection.strip_prefix("var.") {
                let mut parts: Vec<String> = path.split('.').map(str::to_string).collect();
                parts.push("*".to_string());
                aliases.push((alias, parts));
            }
        }
    }
    let mut found = Vec::new();
    let mut rest = condition;
    while let Some(start) = rest.find("contains([") {
        rest = &rest[start + "contains([".len()..];
        let Some(end) = rest.find(']') else { break };
        let values: Vec<String> = rest[..end]
            .split(',')
            .map(|v| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let after = rest[end + 1..].trim_start().trim_start_matches(',').trim_start();
        let target: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let mut segments: Vec<String> = target.split('.').map(str::to_string).collect();
        let path = if segments.first().map(String::as_str) == Some("var") {
            segments.remove(0);
            Some(segments)
        } else {
            aliases
                .iter()
                .find(|(alias, _)| Some(alias) == segments.first())
                .map(|(_, base)| {
                    let mut path = base.clone();
                    path.extend(segments.into_iter().skip(1));
                    path
                })
        };
        if let Some(path) = path
            && path.first().map(String::as_str) == Some(variable)
            && values.iter().all(|v| !v.contains(' '))
        {
            found.push((path[1..].to_vec(), values));
        }
        rest = &rest[end..];
    }
    found
}

pub fn load_interfaces() -> Vec<Interface> {
    let mut interfaces = Vec::new();
    for entry in std::fs::read_dir("tests/fixtures/avm").expect("fixtures") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.starts_with("terraform-") {
            continue;
        }
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let mut variables = BTreeMap::new();
        for variable in data["variables"].as_array().expect("variables") {
            let name = variable["name"].as_str().expect("name").to_string();
            let type_text = variable["type"].as_str().expect("type");
            let body = hcl::parse(&format!("t = {type_text}\n")).unwrap_or_else(|e| panic!("{name}: {e}"));
            let expr = body.attributes().next().expect("t").expr.clone();
            let allowed = variable["validations"]
                .as_array()
                .expect("validations")
                .iter()
                .flat_map(|c| restrictions(&name, c.as_str().unwrap_or_default()))
                .collect();
            variables.insert(
                name.clone(),
                Variable {
                    shape: shape(&expr).unwrap_or_else(|e| panic!("{name}: {e}")),
                    required: variable["required"].as_bool().unwrap_or(false),
                    allowed,
                },
            );
        }
        interfaces.push(Interface {
            source: data["_source"]["moduleRegistryName"]
                .as_str()
                .expect("source")
                .to_string(),
            version: data["_source"]["version"].as_str().expect("version").to_string(),
            variables,
        });
    }
    interfaces
}

const META_ARGUMENTS: &[&str] = &["source", "version", "depends_on", "count", "for_each", "providers"];

fn literal_kind(expr: &Expression) -> Option<&'static str> {
    match expr {
        Expression::String(_) => Some("string"),
        Expression::Number(_) => Some("number"),
        Expression::Bool(_) => Some("bool"),
        Expression::Array(_) => Some("list"),
        Expression::Object(_) => Some("object"),
        _ => None,
    }
}

fn key_name(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Identifier(id) => id.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.clone(),
        ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
        other => format!("{other:?}"),
    }
}

/// Problems of `expr` against `shape`, at `path`.
fn check_value(expr: &Expression, shape: &Shape, path: &str, problems: &mut Vec<String>) {
    match (shape, expr) {
        (_, Expression::Null) | (Shape::Any, _) => {}
        (_, Expression::FuncCall(call)) if func_name(call) == "merge" => {
            for arg in &call.args {
                check_value(arg, shape, path, problems);
            }
        }
        (Shape::Map(inner) | Shape::List(inner), Expression::ForExpr(for_expr)) => {
            check_value(&for_expr.value_expr, inner, &format!("{path}[for]"), problems);
        }
        (Shape::String, Expression::String(_) | Expression::TemplateExpr(_)) => {}
        (Shape::Number, Expression::Number(_)) | (Shape::Bool, Expression::Bool(_)) => {}
        (Shape::List(inner), Expression::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                check_value(item, inner, &format!("{path}[{index}]"), problems);
            }
        }
        (Shape::Map(inner), Expression::Object(object)) => {
            for (key, value) in object {
                check_value(value, inner, &format!("{path}.{}", key_name(key)), problems);
            }
        }
        (Shape::Object(attributes), Expression::Object(object)) => {
            let given: Vec<String> = object.keys().map(key_name).collect();
            for key in &given {
                if !attributes.contains_key(key) {
                    let known: Vec<&String> = attributes.keys().collect();
                    problems.push(format!(
                        "{path}: `{key}` is not an attribute of the object type (known: {known:?})"
                    ));
                }
            }
            for (name, (_, optional)) in attributes {
                if !optional && !given.contains(name) {
                    problems.push(format!("{path}: required attribute `{name}` is missing"));
                }
            }
            for (key, value) in object {
                if let Some((attribute, _)) = attributes.get(&key_name(key)) {
                    check_value(value, attribute, &format!("{path}.{}", key_name(key)), problems);
                }
            }
        }
        (expected, actual) => {
            if let Some(kind) = literal_kind(actual) {
                problems.push(format!("{path}: a {kind} where the type is {expected:?}"));
            }
        }
    }
}

/// The literal strings at `path` (`*` for every element) inside `expr`.
fn strings_at<'e>(expr: &'e Expression, path: &[String], out: &mut Vec<&'e str>) {
    let Some((first, rest)) = path.split_first() else {
        if let Expression::String(text) = expr {
            out.push(text);
        }
        return;
    };
    match expr {
        Expression::Object(object) if first == "*" => object.values().for_each(|v| strings_at(v, rest, out)),
        Expression::Array(items) if first == "*" => items.iter().for_each(|v| strings_at(v, rest, out)),
        Expression::Object(object) => {
            for (key, value) in object {
                if &key_name(key) == first {
                    strings_at(value, rest, out);
                }
            }
        }
        Expression::FuncCall(call) if func_name(call) == "merge" => {
            call.args.iter().for_each(|a| strings_at(a, path, out))
        }
        _ => {}
    }
}

/// Every problem of one generated file; also returns the module calls checked.
pub fn check_file(file: &str, text: &str, interfaces: &[Interface]) -> Result<usize, Vec<String>> {
    let body: Body = hcl::parse(text).map_err(|e| vec![format!("{file}: does not parse as HCL: {e}")])?;
    let mut problems = Vec::new();
    let mut modules = 0;
    for structure in body.iter() {
        let Structure::Block(block) = structure else { continue };
        if block.identifier.as_str() != "module" {
            continue;
        }
        modules += 1;
        let name = block.labels.first().map(|l| l.as_str().to_string()).unwrap_or_default();
        let attributes: BTreeMap<&str, &Expression> =
            block.body.attributes().map(|a| (a.key.as_str(), &a.expr)).collect();
        let source = match attributes.get("source") {
            Some(Expression::String(source)) => source.as_str(),
            _ => {
                problems.push(format!("{file}: module `{name}` has no literal source"));
                continue;
            }
        };
        let Some(interface) = interfaces.iter().find(|i| i.source == source) else {
            problems.push(format!("{file}: module `{name}`: no interface fixture for `{source}`"));
            continue;
        };
        match attributes.get("version") {
            Some(Expression::String(version)) if *version == interface.version => {}
            other => problems.push(format!(
                "{file}: module `{name}` pins {other:?}; the checked interface is version {}",
                interface.version
            )),
        }
        for (argument, value) in &attributes {
            if META_ARGUMENTS.contains(argument) {
                continue;
            }
            let Some(variable) = interface.variables.get(*argument) else {
                problems.push(format!(
                    "{file}: module `{name}`: `{argument}` is not an input of {source}"
                ));
                continue;
            };
            check_value(
                value,
                &variable.shape,
                &format!("{file}: module `{name}`: {argument}"),
                &mut problems,
            );
            for (path, allowed) in &variable.allowed {
                let mut found = Vec::new();
                strings_at(value, path, &mut found);
                for text in found {
                    if !allowed.iter().any(|a| a == text) {
                        problems.push(format!(
                            "{file}: module `{name}`: {argument}.{}: `{text}` is not allowed (validation allows {allowed:?})",
                            path.join(".")
                        ));
                    }
                }
            }
        }
        for (variable_name, variable) in &interface.variables {
            if variable.required && !attributes.contains_key(variable_name.as_str()) {
                problems.push(format!(
                    "{file}: module `{name}`: required input `{variable_name}` is not set"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(modules)
    } else {
        Err(problems)
    }
}
