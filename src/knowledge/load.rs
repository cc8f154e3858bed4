//! Reading knowledge files (from a directory or the embedded copies), parsing them, running
//! the validator and merging them into one `KnowledgeBase`.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::KnowledgeBase;
use super::model::{Diagram, KnowledgeFile};
use super::validate::{self, Depth};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, InputError};
use crate::yaml;

#[derive(Debug)]
pub enum LoadError {
    /// The directory or a file could not be read at all.
    Unreadable(String),
    /// The files were read and are wrong: every problem, with positions.
    Invalid(Diagnostics),
}

/// One parsed file, kept with its text so the validator can point at lines.
pub(super) struct LoadedFile {
    pub name: String,
    pub text: String,
    pub content: KnowledgeFile,
}

pub(super) fn from_dir(dir: &Path) -> Result<KnowledgeBase, LoadError> {
    let display = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|error| {
        LoadError::Unreadable(match error.kind() {
            std::io::ErrorKind::NotFound => format!("{display}: no such knowledge directory"),
            _ if dir.is_file() => format!("{display}: is a file; --knowledge takes a directory of *.yaml files"),
            _ => format!("{display}: cannot read: {error}"),
        })
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|extension| extension == "yaml" || extension == "yml")
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(LoadError::Invalid(Diagnostics(vec![Diagnostic::new(
            &display,
            1,
            1,
            "holds no *.yaml files; a knowledge base needs at least a meta, its questions and its rules",
        )])));
    }
    let mut files = Vec::new();
    let mut problems = Diagnostics::default();
    for path in paths {
        let name = path.display().to_string();
        match input::read_text(&path, &name) {
            Ok(text) => files.push((name, text)),
            Err(InputError::Unreadable(message)) => return Err(LoadError::Unreadable(message)),
            Err(InputError::Invalid(diagnostic)) => problems.push(diagnostic),
        }
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems.sorted()));
    }
    from_texts(files)
}

pub(super) fn from_texts(files: Vec<(String, String)>) -> Result<KnowledgeBase, LoadError> {
    let content_hash = hash(&files);
    let sources = files.into_iter().map(|(name, text)| (name, text, None)).collect();
    from_sources(sources, content_hash, Depth::Full)
}

/// The embedded knowledge base: build.rs already converted each file to JSON and hashed the
/// whole (see build.rs for why).
pub(super) fn from_embedded(
    files: &[(&str, &str)],
    json: &'static [&'static str],
    content_hash: &str,
    depth: Depth,
) -> Result<KnowledgeBase, LoadError> {
    let sources = files
        .iter()
        .zip(json.iter().copied().map(Some).chain(std::iter::repeat(None)))
        .map(|((name, text), json)| {
            (
                format!("knowledge/{name}"),
                (*text).to_string(),
                json.filter(|j| !j.is_empty()),
            )
        })
        .collect();
    from_sources(sources, content_hash.to_string(), depth)
}

/// Whether every embedded file loads through its pre-converted JSON (the fast path).
pub(super) fn embedded_json_fits(json: &[&str]) -> bool {
    json.iter()
        .all(|text| serde_json::from_str::<KnowledgeFile>(text).is_ok())
}

/// (name, YAML text, pre-converted JSON if any). The JSON is only a faster way to the same
/// structures; when it is missing or does not fit, the YAML is parsed so that errors carry
/// their YAML positions.
fn from_sources(
    files: Vec<(String, String, Option<&'static str>)>,
    content_hash: String,
    depth: Depth,
) -> Result<KnowledgeBase, LoadError> {
    let mut loaded = Vec::new();
    let mut problems = Diagnostics::default();
    for (name, text, json) in files {
        if text
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            problems.push(Diagnostic::new(&name, 1, 1, "is empty; remove it or give it content"));
            continue;
        }
        if let Some(content) = json.and_then(|json| serde_json::from_str::<KnowledgeFile>(json).ok()) {
            loaded.push(LoadedFile { name, text, content });
            continue;
        }
        match yaml::parse::<KnowledgeFile>(&text) {
            Ok(content) => loaded.push(LoadedFile { name, text, content }),
            Err(error) => problems.push(Diagnostic::new(&name, error.line, error.column, error.message)),
        }
    }
    // Cross-file checks on a partial set would report references to whatever sat in the
    // broken file; the shape errors are the ones to fix first.
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems.sorted()));
    }
    let problems = validate::validate(&loaded, depth);
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems.sorted()));
    }
    Ok(merge(loaded, content_hash))
}

fn hash(files: &[(String, String)]) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in files {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        hasher.update(base.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

fn merge(files: Vec<LoadedFile>, content_hash: String) -> KnowledgeBase {
    let mut meta = None;
    let mut report = None;
    let mut kb = KnowledgeBase {
        meta: super::model::Meta {
            version: String::new(),
            title: String::new(),
            reviewed: String::new(),
        },
        report: super::model::ReportText::default(),
        sections: Vec::new(),
        areas: Vec::new(),
        phases: Vec::new(),
        sources: Vec::new(),
        regions: Vec::new(),
        questions: Vec::new(),
        architectures: Vec::new(),
        variants: Vec::new(),
        decisions: Vec::new(),
        findings: Vec::new(),
        network_rules: Vec::new(),
        dns_zones: Vec::new(),
        policies: Vec::new(),
        role_assignments: Vec::new(),
        confirmations: Vec::new(),
        diagram: Diagram::default(),
        plan_inputs: Vec::new(),
        estate: Default::default(),
        iac: Default::default(),
        content_hash,
        question_index: Default::default(),
    };
    for file in files {
        let content = file.content;
        meta = meta.or(content.meta);
        report = report.or(content.report);
        kb.sections.extend(content.sections);
        kb.areas.extend(content.areas);
        kb.phases.extend(content.phases);
        kb.sources.extend(content.sources);
        kb.regions.extend(content.regions);
        kb.questions.extend(content.questions);
        kb.architectures.extend(content.architectures);
        kb.variants.extend(content.variants);
        kb.decisions.extend(content.decisions);
        kb.findings.extend(content.findings);
        kb.network_rules.extend(content.network_rules);
        kb.dns_zones.extend(content.dns_zones);
        kb.policies.extend(content.policies);
        kb.role_assignments.extend(content.role_assignments);
        kb.confirmations.extend(content.confirmations);
        kb.plan_inputs.extend(content.plan_inputs);
        if let Some(estate) = content.estate {
            kb.estate.extend(estate);
        }
        if let Some(iac) = content.iac {
            kb.iac.settings.extend(iac.settings);
            kb.iac.network_rules.extend(iac.network_rules);
            kb.iac.private_endpoints.extend(iac.private_endpoints);
            kb.iac.corporate_zones.extend(iac.corporate_zones);
            kb.iac.outbound_rules.extend(iac.outbound_rules);
            kb.iac.roles.extend(iac.roles);
            kb.iac.policies.extend(iac.policies);
            kb.iac.variables.extend(iac.variables);
            kb.iac.readme = kb.iac.readme.take().or(iac.readme);
        }
        if let Some(diagram) = content.diagram {
            kb.diagram.groups.extend(diagram.groups);
            kb.diagram.nodes.extend(diagram.nodes);
            kb.diagram.edges.extend(diagram.edges);
        }
    }
    kb.meta = meta.expect("validation requires exactly one meta");
    kb.report = report.expect("validation requires exactly one report");
    let section_ids: Vec<&str> = kb.sections.iter().map(|section| section.id.as_str()).collect();
    let mut questions = std::mem::take(&mut kb.questions);
    sort_in_interview_order(&section_ids, &mut questions, |question| question.section.as_str());
    kb.questions = questions;
    kb.index()
}

/// The interview order: by section (in the order sections are listed), then by file and
/// position, which the stable sort keeps. The validator and the loaded knowledge base both use
/// this one function, because "conditions read only earlier questions" is checked against it.
pub(super) fn sort_in_interview_order<T>(section_ids: &[&str], items: &mut [T], section_of: impl Fn(&T) -> &str) {
    items.sort_by_key(|item| section_ids.iter().position(|id| *id == section_of(item)));
}
