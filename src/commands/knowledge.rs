//! `aml-advisor knowledge check` and `knowledge export`.

use std::path::Path;

use crate::failure::Failure;
use crate::knowledge::KnowledgeBase;
use crate::output::write_file;

pub fn check(dir: Option<&Path>) -> Result<(), Failure> {
    let kb = match dir {
        Some(dir) => KnowledgeBase::from_dir(dir)?,
        None => KnowledgeBase::embedded_fully_checked()?,
    };
    let origin = dir.map_or_else(|| "built-in knowledge base".to_string(), |d| d.display().to_string());
    let steps: usize = kb
        .decisions
        .iter()
        .flat_map(|d| d.options.iter())
        .map(|o| o.next_steps.len())
        .sum();
    super::print(&format!(
        "{origin}: valid (version {}): {} questions, {} architectures, {} variants, {} decisions, {} next steps, {} findings, {} network rules, {} DNS zones, {} policies, {} role assignments, {} sources\n",
        kb.meta.version,
        kb.questions.len(),
        kb.architectures.len(),
        kb.variants.len(),
        kb.decisions.len(),
        steps,
        kb.findings.len(),
        kb.network_rules.len(),
        kb.dns_zones.len(),
        kb.policies.len(),
        kb.role_assignments.len(),
        kb.sources.len(),
    ))
}

pub fn export(dir: &Path, force: bool) -> Result<(), Failure> {
    super::create_folder(dir, "`knowledge export`")?;
    // All or nothing: refuse before writing anything rather than leave half an export.
    if !force {
        let existing: Vec<String> = KnowledgeBase::embedded_files()
            .iter()
            .map(|(name, _)| dir.join(name))
            .filter(|path| path.exists())
            .map(|path| path.display().to_string())
            .collect();
        if let Some(first) = existing.first() {
            let others = match existing.len() {
                1 => String::new(),
                n => format!(" and {} other file(s)", n - 1),
            };
            return Err(Failure::Io(format!(
                "{first}{others} already exist; pass --force to replace them (nothing was written)"
            )));
        }
    }
    for (name, text) in KnowledgeBase::embedded_files() {
        write_file(&dir.join(name), text.as_bytes(), force)?;
    }
    super::progress(&format!(
        "wrote {} files to {}; edit them and use --knowledge {}",
        KnowledgeBase::embedded_files().len(),
        dir.display(),
        dir.display()
    ));
    Ok(())
}
