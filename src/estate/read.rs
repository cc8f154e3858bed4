//! Reading estate exports: each file is detected by its shape (one ARM resource, a list of
//! them, an ARM list envelope `{"value": [...]}`, Azure Resource Graph output
//! `{"count", "data": [...]}`, or `az ml workspace show` output) and becomes a list of
//! resources, each remembering the file and JSON path it came from.

use serde_json::Value;

use super::locate::{self, Step};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::knowledge::estate::EstateRules;

/// An export may cover a whole subscription; 10,000 workspaces with their properties are
/// about 40 MB. Past this, the file is refused before it is parsed, so memory stays bounded.
pub const MAX_ESTATE_BYTES: usize = 128 * 1024 * 1024;

/// The problems reported per file before the rest are only counted.
const MAX_PROBLEMS_PER_FILE: usize = 20;

/// One file as read: its name in messages and its text (kept for positions in messages).
pub struct EstateFile {
    pub name: String,
    pub text: String,
}

/// A resource of the estate.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Index into the estate's files.
    pub file: usize,
    /// Where the resource is in its file.
    pub path: Vec<Step>,
    /// The ARM type as written (`Microsoft.Network/privateEndpoints`; Resource Graph writes it
    /// in lower case), or derived from the id when the export has none (`az ml` output).
    pub arm_type: String,
    /// The knowledge base's kind for it, when it knows the type.
    pub kind: Option<String>,
    pub id: String,
    /// The id in lower case: ARM ids compare without case.
    pub id_key: String,
    pub name: String,
    pub body: Value,
    /// Byte offset of the resource in its file, for evidence lines.
    pub offset: usize,
}

/// A resource type the estate holds that the knowledge does not read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct IgnoredType {
    pub arm_type: String,
    pub count: usize,
}

/// Every resource of every file, with the files kept for messages.
pub struct Estate {
    pub files: Vec<EstateFile>,
    pub resources: Vec<Resource>,
    pub ignored: Vec<IgnoredType>,
    /// Each file's line starts, so a line number costs a binary search, not a scan.
    line_starts: Vec<Vec<usize>>,
    /// The kinds the files hold.
    kinds: std::collections::HashSet<String>,
}

impl Estate {
    pub fn file_name(&self, resource: &Resource) -> &str {
        &self.files[resource.file].name
    }

    /// Line and column of a JSON path below a resource, for evidence and messages.
    pub fn position(&self, resource: &Resource, below: &[Step]) -> (usize, usize) {
        let text = &self.files[resource.file].text;
        let offset = locate::offset_below(text, resource.offset, below);
        locate::line_column_in(text, &self.line_starts[resource.file], offset)
    }

    /// Just the line of a JSON path below a resource: evidence needs no column, and a column
    /// costs a count of the characters before it, the whole file when it is one line (a
    /// minified export).
    pub fn line(&self, resource: &Resource, below: &[Step]) -> usize {
        let text = &self.files[resource.file].text;
        let offset = locate::offset_below(text, resource.offset, below);
        self.line_starts[resource.file]
            .partition_point(|start| *start <= offset)
            .max(1)
    }

    pub fn has_kind(&self, kind: &str) -> bool {
        self.kinds.contains(kind)
    }
}

/// The shape a file was recognised as, named in messages about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Single,
    Array,
    ArmList,
    ResourceGraph,
}

const SHAPES: &str = "an ARM resource (an object with `id`, as `az resource show` or `az ml workspace show` print it), \
a list of them (`az resource list`), an ARM list (`{\"value\": [...]}`, as the REST API returns it) or Azure Resource Graph \
output (`{\"count\": ..., \"data\": [...]}`, from `az graph query -o json`)";

/// Parses every file. Problems in any file are all collected, each with its file, line and
/// JSON path; resources of the same id in two places must agree on what the rules read.
pub fn read(files: Vec<EstateFile>, rules: &EstateRules) -> Result<Estate, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut resources = Vec::new();
    for (index, file) in files.iter().enumerate() {
        match serde_json::from_str::<Value>(&file.text) {
            Ok(value) => resources_of(index, file, value, rules, &mut resources, &mut problems),
            Err(error) => problems.push(Diagnostic::new(
                &file.name,
                error.line().max(1),
                error.column().max(1),
                format!("is not JSON: {error}; an estate file is {SHAPES}"),
            )),
        }
    }
    let line_starts = files.iter().map(|file| locate::line_starts(&file.text)).collect();
    let mut estate = Estate {
        files,
        resources: Vec::new(),
        ignored: Vec::new(),
        line_starts,
        kinds: Default::default(),
    };
    if !problems.is_empty() {
        return Err(problems.sorted());
    }
    estate.resources = deduplicate(&estate, resources, rules, &mut problems);
    if !problems.is_empty() {
        return Err(problems.sorted());
    }
    estate.kinds = estate.resources.iter().filter_map(|r| r.kind.clone()).collect();
    for resource in &estate.resources {
        if resource.kind.is_none() {
            match estate
                .ignored
                .iter_mut()
                .find(|t| t.arm_type.eq_ignore_ascii_case(&resource.arm_type))
            {
                Some(known) => known.count += 1,
                None => estate.ignored.push(IgnoredType {
                    arm_type: resource.arm_type.clone(),
                    count: 1,
                }),
            }
        }
    }
    estate.ignored.sort_by(|a, b| a.arm_type.cmp(&b.arm_type));
    Ok(estate)
}

fn resources_of(
    file_index: usize,
    file: &EstateFile,
    value: Value,
    rules: &EstateRules,
    out: &mut Vec<Resource>,
    problems: &mut Diagnostics,
) {
    let problem = |steps: &[Step], message: String| {
        let (line, column) = locate::position(&file.text, steps);
        Diagnostic::new(
            &file.name,
            line,
            column,
            format!("{}: {message}", locate::display(steps)),
        )
    };
    let (shape, items): (Shape, Vec<(Vec<Step>, Value)>) = match value {
        Value::Array(items) => (
            Shape::Array,
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (vec![Step::Index(i)], v))
                .collect(),
        ),
        Value::Object(mut map) => {
            if let Some(Value::Array(rows)) = map.remove("data")
                && (map.contains_key("count") || map.contains_key("total_records") || map.contains_key("totalRecords"))
            {
                let steps = |i| vec![Step::Key("data".into()), Step::Index(i)];
                (
                    Shape::ResourceGraph,
                    rows.into_iter().enumerate().map(|(i, v)| (steps(i), v)).collect(),
                )
            } else if let Some(Value::Array(rows)) = map.remove("value") {
                let steps = |i| vec![Step::Key("value".into()), Step::Index(i)];
                (
                    Shape::ArmList,
                    rows.into_iter().enumerate().map(|(i, v)| (steps(i), v)).collect(),
                )
            } else if map.get("id").is_some_and(Value::is_string) {
                (Shape::Single, vec![(Vec::new(), Value::Object(map))])
            } else {
                let keys: Vec<&str> = map.keys().map(String::as_str).take(6).collect();
                problems.push(problem(
                    &[],
                    format!(
                        "not an estate export (an object with keys {}); expected {SHAPES}",
                        if keys.is_empty() {
                            "none".to_string()
                        } else {
                            keys.join(", ")
                        }
                    ),
                ));
                return;
            }
        }
        other => {
            problems.push(problem(
                &[],
                format!("not an estate export (a {}); expected {SHAPES}", json_kind(&other)),
            ));
            return;
        }
    };
    // Each element's offset in one pass: walking to `$.data[i]` from the top for every i
    // would be quadratic in the size of a subscription's export.
    let offsets = match shape {
        Shape::Single => vec![file.text.len() - file.text.trim_start().len()],
        Shape::Array => locate::element_offsets(&file.text, &[]),
        Shape::ArmList => locate::element_offsets(&file.text, &[Step::Key("value".into())]),
        Shape::ResourceGraph => locate::element_offsets(&file.text, &[Step::Key("data".into())]),
    };
    let mut refused = 0usize;
    for (position, (steps, item)) in items.into_iter().enumerate() {
        let offset = offsets.get(position).copied().unwrap_or(0);
        match resource(file_index, steps.clone(), item, shape, rules, offset) {
            Ok(resource) => out.push(resource),
            // A file of thousands of wrong rows is one mistake: the first ones show it.
            Err(_) if refused >= MAX_PROBLEMS_PER_FILE => refused += 1,
            Err(message) => {
                refused += 1;
                problems.push(problem(&steps, message));
            }
        }
    }
    if refused > MAX_PROBLEMS_PER_FILE {
        problems.push(Diagnostic::new(
            &file.name,
            1,
            1,
            format!(
                "and {} more resources refused like the ones above",
                refused - MAX_PROBLEMS_PER_FILE
            ),
        ));
    }
}

fn resource(
    file: usize,
    path: Vec<Step>,
    item: Value,
    shape: Shape,
    rules: &EstateRules,
    offset: usize,
) -> Result<Resource, String> {
    let Value::Object(map) = &item else {
        return Err(format!(
            "is {}; each resource is a JSON object with `id` and `type`",
            json_kind(&item)
        ));
    };
    let id = match map.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(other) => return Err(format!("`id` is {}; expected an ARM resource id", json_kind(other))),
        None if shape == Shape::ResourceGraph => {
            return Err("has no `id`; keep `id`, `type`, `name`, `location` and `properties` in the query's `project`, or leave `project` out".into());
        }
        None => return Err("has no `id`; expected an ARM resource with `id`, `type` and `properties`".into()),
    };
    let from_id = type_from_id(&id);
    let arm_type = match map.get("type") {
        // A type the knowledge reads, as written.
        Some(Value::String(arm_type)) if rules.kind_of(arm_type).is_some() => arm_type.clone(),
        // The REST API writes some child types short (`workspace/outboundRules`); the id has
        // the full one.
        _ if from_id.as_deref().is_some_and(|t| rules.kind_of(t).is_some()) => from_id.clone().unwrap_or_default(),
        Some(Value::String(arm_type)) if arm_type.contains('/') => arm_type.clone(),
        // `az ml workspace show` has no `type`: the id says it.
        _ => from_id.clone().ok_or_else(|| {
            format!("has no `type` and its id `{}` is not an ARM resource id (/subscriptions/…/providers/Namespace/type/name)", crate::sanitize::for_message(&id))
        })?,
    };
    let kind = rules.kind_of(&arm_type).map(|known| known.kind.clone());
    let name = match map.get("name") {
        Some(Value::String(name)) => name.clone(),
        _ => id.rsplit('/').next().unwrap_or_default().to_string(),
    };
    // Every rule reads a workspace's settings; other kinds are often exported thin.
    if kind.as_deref() == Some("workspace") && !has_properties(map) {
        return Err(format!(
            "{} `{}` has no `properties`; export it whole (`az resource show`, or a Resource Graph query without `project`)",
            arm_type,
            crate::sanitize::for_message(&name)
        ));
    }
    Ok(Resource {
        file,
        path,
        id_key: id.to_ascii_lowercase(),
        id,
        arm_type,
        kind,
        name,
        body: item,
        offset,
    })
}

/// ARM output keeps settings under `properties`; `az ml` output keeps them at the top level,
/// so a resource with neither has nothing to read.
fn has_properties(map: &serde_json::Map<String, Value>) -> bool {
    match map.get("properties") {
        Some(Value::Object(properties)) => !properties.is_empty(),
        Some(_) => false,
        None => map.keys().any(|key| {
            !matches!(
                key.as_str(),
                "id" | "name"
                    | "type"
                    | "location"
                    | "tags"
                    | "etag"
                    | "identity"
                    | "sku"
                    | "kind"
                    | "systemData"
                    | "resourceGroup"
                    | "subscriptionId"
                    | "tenantId"
            )
        }),
    }
}

/// `/subscriptions/s/resourceGroups/g/providers/Microsoft.X/a/n/b/m` → `Microsoft.X/a/b`.
pub fn type_from_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest: Vec<&str> = id[at + "/providers/".len()..].split('/').collect();
    if rest.len() < 3 || rest.len().is_multiple_of(2) || rest.iter().any(|part| part.is_empty()) {
        return None;
    }
    let mut parts = vec![rest[0].to_string()];
    parts.extend(rest[1..].iter().step_by(2).map(|part| part.to_string()));
    Some(parts.join("/"))
}

/// The resource group named in an ARM id.
pub fn resource_group_of(id: &str) -> Option<&str> {
    let mut parts = id.split('/');
    while let Some(part) = parts.next() {
        if part.eq_ignore_ascii_case("resourcegroups") {
            return parts.next().filter(|name| !name.is_empty());
        }
    }
    None
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The same resource in two places (a workspace in a subscription export and again on its own)
/// is read once; where both carry a property the rules read, they must agree, or the
/// assessment would depend on file order.
fn deduplicate(
    estate: &Estate,
    resources: Vec<Resource>,
    rules: &EstateRules,
    problems: &mut Diagnostics,
) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::with_capacity(resources.len());
    for resource in resources {
        let Some(&first) = by_id.get(&resource.id_key) else {
            by_id.insert(resource.id_key.clone(), kept.len());
            kept.push(resource);
            continue;
        };
        let earlier = &kept[first];
        let paths = super::rules_paths(rules, resource.kind.as_deref());
        for path in &paths {
            let a = super::lookup::values(&earlier.body, path);
            let b = super::lookup::values(&resource.body, path);
            let (Some(a), Some(b)) = (a.first(), b.first()) else {
                continue;
            };
            if super::lookup::normalized(a.1) != super::lookup::normalized(b.1) {
                let here = locate::display(&[resource.path.clone(), b.0.clone()].concat());
                let there = locate::display(&[earlier.path.clone(), a.0.clone()].concat());
                let (line, column) = estate.position(&resource, &b.0);
                problems.push(Diagnostic::new(
                    &estate.files[resource.file].name,
                    line,
                    column,
                    format!(
                        "{here}: {} `{}` is also in {} at {there}, with {} `{}` instead of `{}`; export each resource once, or from the same moment",
                        resource.arm_type,
                        crate::sanitize::for_message(&resource.name),
                        estate.files[earlier.file].name,
                        path,
                        super::lookup::display(a.1),
                        super::lookup::display(b.1),
                    ),
                ));
                break;
            }
        }
        // Keep whichever copy says more: a list export may carry fewer properties.
        if super::lookup::size(&resource.body) > super::lookup::size(&kept[first].body) {
            kept[first] = resource;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_ids_when_the_export_has_none() {
        assert_eq!(
            type_from_id(
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/computes/c"
            )
            .as_deref(),
            Some("Microsoft.MachineLearningServices/workspaces/computes")
        );
        assert_eq!(type_from_id("/subscriptions/s/resourceGroups/g").as_deref(), None);
        assert_eq!(
            type_from_id("/subscriptions/s/providers/Microsoft.X/a").as_deref(),
            None
        );
        assert_eq!(
            resource_group_of("/subscriptions/s/resourceGroups/rg-1/providers/X/y/z"),
            Some("rg-1")
        );
    }
}
