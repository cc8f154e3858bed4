//! Which resources of an estate belong to one workspace, and whether a rule's condition holds
//! for it, with the evidence (file, line, JSON path, value) that made it hold.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::locate;
use super::lookup;
use super::read::{Estate, Resource};
use crate::knowledge::estate::{EstateCondition, EstateRules, PropertyTest, Relation};

/// What an estate statement rests on: where the value is and what it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    pub file: String,
    pub line: usize,
    /// The JSON path of the value in its file, or a description of what was looked for when
    /// the evidence is an absence.
    pub path: String,
    pub value: String,
}

impl Evidence {
    /// `estate.json:12 $.value[0].properties.publicNetworkAccess = Enabled`
    pub fn describe(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.path, self.value)
        } else {
            format!("{}:{} {} = {}", self.file, self.line, self.path, self.value)
        }
    }
}

/// Lookups built once per estate, so that a fleet of 10,000 workspaces is not quadratic.
pub struct EstateIndex {
    by_id: HashMap<String, usize>,
    by_kind: HashMap<String, Vec<usize>>,
    /// Resource index by the id of each ancestor (children of workspaces, their children).
    by_ancestor: HashMap<String, Vec<usize>>,
    /// Resource index by each id a `points_at` path of theirs holds.
    by_target: HashMap<String, Vec<usize>>,
    /// Resource index by each subnet id a `serves_subnets` path of theirs holds.
    by_subnet: HashMap<String, Vec<usize>>,
}

impl EstateIndex {
    pub fn new(estate: &Estate, rules: &EstateRules) -> Self {
        let mut index = Self {
            by_id: HashMap::with_capacity(estate.resources.len()),
            by_kind: HashMap::new(),
            by_ancestor: HashMap::new(),
            by_target: HashMap::new(),
            by_subnet: HashMap::new(),
        };
        for (position, resource) in estate.resources.iter().enumerate() {
            index.by_id.insert(resource.id_key.clone(), position);
            let Some(kind) = &resource.kind else { continue };
            index.by_kind.entry(kind.clone()).or_default().push(position);
            let mut ancestor = resource.id_key.as_str();
            // A child id is its parent's id plus `/type/name`.
            while let Some(parent) = strip_two_segments(ancestor) {
                if !parent.contains("/providers/") {
                    break;
                }
                index.by_ancestor.entry(parent.to_string()).or_default().push(position);
                ancestor = parent;
            }
            let (paths, map) = match rules.resource_type(kind).map(|known| &known.related) {
                Some(Relation::PointsAt(paths)) => (paths, &mut index.by_target),
                Some(Relation::ServesSubnets(paths)) => (paths, &mut index.by_subnet),
                _ => continue,
            };
            for path in paths {
                for (_, value) in lookup::values(&resource.body, path) {
                    if let Value::String(target) = value {
                        map.entry(target.to_ascii_lowercase()).or_default().push(position);
                    }
                }
            }
        }
        index
    }

    pub fn workspaces<'e>(&self, estate: &'e Estate) -> Vec<&'e Resource> {
        self.by_kind
            .get("workspace")
            .map(|positions| positions.iter().map(|&p| &estate.resources[p]).collect())
            .unwrap_or_default()
    }
}

fn strip_two_segments(id: &str) -> Option<&str> {
    let last = id.rfind('/')?;
    let before = id[..last].rfind('/')?;
    (before > 0).then(|| &id[..before])
}

/// One workspace and the resources related to it, by kind.
pub struct Scope<'e> {
    pub estate: &'e Estate,
    pub rules: &'e EstateRules,
    pub workspace: &'e Resource,
    related: HashMap<&'e str, Vec<&'e Resource>>,
}

impl<'e> Scope<'e> {
    pub fn new(estate: &'e Estate, rules: &'e EstateRules, index: &EstateIndex, workspace: &'e Resource) -> Self {
        let mut related: HashMap<&'e str, Vec<&'e Resource>> = HashMap::new();
        let mut referenced: Vec<String> = vec![workspace.id_key.clone()];
        // Kinds referenced by workspace properties first: private endpoints may point at them.
        for known in &rules.resource_types {
            if let Relation::ReferencedBy(paths) = &known.related {
                for path in paths {
                    for (_, value) in lookup::values(&workspace.body, path) {
                        let Value::String(id) = value else { continue };
                        let key = id.to_ascii_lowercase();
                        if let Some(&position) = index.by_id.get(&key) {
                            let resource = &estate.resources[position];
                            if resource.kind.as_deref() == Some(known.kind.as_str()) {
                                related.entry(known.kind.as_str()).or_default().push(resource);
                            }
                        }
                        referenced.push(key);
                    }
                }
            }
        }
        for known in &rules.resource_types {
            let kind = known.kind.as_str();
            let of_kind = |position: &usize| estate.resources[*position].kind.as_deref() == Some(kind);
            let found: Vec<&Resource> = match &known.related {
                Relation::Workspace => vec![workspace],
                Relation::ReferencedBy(_) | Relation::ServesSubnets(_) => continue,
                Relation::Child => index
                    .by_ancestor
                    .get(&workspace.id_key)
                    .map(|positions| {
                        positions
                            .iter()
                            .filter(|p| of_kind(p))
                            .map(|&p| &estate.resources[p])
                            .collect()
                    })
                    .unwrap_or_default(),
                Relation::PointsAt(_) => {
                    let mut found: Vec<usize> = referenced
                        .iter()
                        .filter_map(|target| index.by_target.get(target))
                        .flatten()
                        .copied()
                        .filter(of_kind)
                        .collect();
                    found.sort_unstable();
                    found.dedup();
                    found.into_iter().map(|p| &estate.resources[p]).collect()
                }
                Relation::Shared => index
                    .by_kind
                    .get(kind)
                    .map(|positions| positions.iter().map(|&p| &estate.resources[p]).collect())
                    .unwrap_or_default(),
            };
            related.insert(kind, found);
        }
        // The subnets the workspace's compute and endpoints sit in, then what serves them.
        let mut subnets: Vec<String> = Vec::new();
        for source in &rules.subnets {
            for resource in related.get(source.of.as_str()).map(Vec::as_slice).unwrap_or_default() {
                for (_, value) in lookup::values(&resource.body, &source.path) {
                    if let Value::String(id) = value {
                        subnets.push(id.to_ascii_lowercase());
                    }
                }
            }
        }
        for known in &rules.resource_types {
            if !matches!(known.related, Relation::ServesSubnets(_)) {
                continue;
            }
            let kind = known.kind.as_str();
            let mut found: Vec<usize> = subnets
                .iter()
                .filter_map(|subnet| index.by_subnet.get(subnet))
                .flatten()
                .copied()
                .filter(|position| estate.resources[*position].kind.as_deref() == Some(kind))
                .collect();
            found.sort_unstable();
            found.dedup();
            related.insert(kind, found.into_iter().map(|p| &estate.resources[p]).collect());
        }
        Self {
            estate,
            rules,
            workspace,
            related,
        }
    }

    pub fn related(&self, kind: &str) -> &[&'e Resource] {
        self.related.get(kind).map(Vec::as_slice).unwrap_or_default()
    }

    /// The estate holds resources of this kind at all (so that an absence means something).
    pub fn exported(&self, kind: &str) -> bool {
        kind == "workspace" || self.estate.has_kind(kind)
    }

    /// Whether the files hold what `condition` reads, so that its failing means an absence
    /// rather than an export that left the resources out. One readable branch of `any` is
    /// enough: a rule may look in the workspace or in a separate export.
    pub fn checkable<'c>(&self, condition: &'c EstateCondition) -> Result<(), &'c str> {
        match condition {
            EstateCondition::All(parts) => parts.iter().try_for_each(|part| self.checkable(part)),
            EstateCondition::Any(parts) => {
                let mut first_missing = None;
                for part in parts {
                    match self.checkable(part) {
                        Ok(()) => return Ok(()),
                        Err(kind) => first_missing = first_missing.or(Some(kind)),
                    }
                }
                first_missing.map_or(Ok(()), Err)
            }
            EstateCondition::Not(inner) => self.checkable(inner),
            EstateCondition::Has(test) if !self.exported(&test.of) => Err(test.of.as_str()),
            EstateCondition::Has(_) => Ok(()),
            EstateCondition::Exported(_) => Ok(()),
        }
    }

    pub fn label(&self, kind: &str) -> &'e str {
        self.rules
            .resource_type(kind)
            .map_or("resource", |known| known.label.as_str())
    }

    pub fn evidence(&self, resource: &Resource, below: &[locate::Step], value: &Value) -> Evidence {
        let line = self.estate.line(resource, below);
        let mut steps = resource.path.clone();
        steps.extend_from_slice(below);
        Evidence {
            file: self.estate.file_name(resource).to_string(),
            line,
            path: locate::display(&steps),
            value: lookup::display(value),
        }
    }

    /// Whether `condition` holds, with what it rests on pushed to `evidence` when it does.
    pub fn holds(&self, condition: &EstateCondition, evidence: &mut Vec<Evidence>) -> bool {
        match condition {
            EstateCondition::All(parts) => {
                let mut gathered = Vec::new();
                let all = parts.iter().all(|part| self.holds(part, &mut gathered));
                if all {
                    evidence.extend(gathered);
                }
                all
            }
            EstateCondition::Any(parts) => parts.iter().any(|part| self.holds(part, evidence)),
            EstateCondition::Not(inner) => {
                let holds = !self.holds(inner, &mut Vec::new());
                if holds && let EstateCondition::Has(test) = inner.as_ref() {
                    evidence.push(Evidence {
                        file: String::new(),
                        line: 0,
                        path: format!("{} `{}`", self.label(&test.of), test.path),
                        value: format!("none {}", describe_test(test)),
                    });
                }
                holds
            }
            EstateCondition::Exported(kind) => self.exported(kind),
            EstateCondition::Has(test) => self.has(test, evidence),
        }
    }

    fn has(&self, test: &PropertyTest, evidence: &mut Vec<Evidence>) -> bool {
        for resource in self.related(&test.of) {
            let found = lookup::values(&resource.body, &test.path);
            if test.present == Some(false) {
                if !found.iter().any(|(_, value)| lookup::is_set(value)) {
                    evidence.push(Evidence {
                        file: self.estate.file_name(resource).to_string(),
                        line: self.estate.line(resource, &[]),
                        path: format!("{}.{}", locate::display(&resource.path), test.path),
                        value: "not set".into(),
                    });
                    return true;
                }
                continue;
            }
            if let Some((steps, value)) = found.iter().find(|(_, value)| passes(test, value)) {
                evidence.push(self.evidence(resource, steps, value));
                return true;
            }
        }
        false
    }
}

fn passes(test: &PropertyTest, value: &Value) -> bool {
    if let Some(wanted) = &test.equals {
        return lookup::equals_normalized(value, &wanted.normalized());
    }
    if let Some(allowed) = &test.one_of {
        return allowed
            .iter()
            .any(|wanted| lookup::equals_normalized(value, &wanted.normalized()));
    }
    if let Some(suffix) = &test.ends_with {
        return matches!(value, Value::String(text) if text.to_ascii_lowercase().ends_with(&suffix.to_ascii_lowercase()));
    }
    lookup::is_set(value)
}

/// "equal to `X`", for evidence of an absence.
pub fn describe_test(test: &PropertyTest) -> String {
    if let Some(wanted) = &test.equals {
        format!("equal to `{}`", wanted.display())
    } else if let Some(allowed) = &test.one_of {
        let values: Vec<String> = allowed.iter().map(|v| format!("`{}`", v.display())).collect();
        format!("one of {}", values.join(", "))
    } else if let Some(suffix) = &test.ends_with {
        format!("ending in `{suffix}`")
    } else if test.present == Some(false) {
        "unset".into()
    } else {
        "set".into()
    }
}
