//! `assess --estate EXPORT --output-dir OUT`: one record per workspace of an estate export
//! (a subscription's Resource Graph query, say) and an `index.md` with each workspace's drift.
//! Like fleet mode for answers files: every target is checked before anything is written, a
//! workspace that cannot be assessed is a row with its reason, and a signal removes what the
//! run wrote.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::fleet::{cell, link_target, watch_interrupts};
use crate::answers::Given;
use crate::cli::{AssessArgs, Format};
use crate::diagnostic::Diagnostics;
use crate::estate::{self, Estate, EstateIndex, GivenAnswers, Resource, Scope};
use crate::failure::Failure;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::estate::DriftSeverity;
use crate::output::{make_durable, write_file, write_file_deferred};

struct Row {
    workspace: String,
    resource_group: String,
    outcome: Result<Summary, String>,
}

struct Summary {
    architecture: String,
    high: usize,
    medium: usize,
    low: usize,
    one_way: usize,
    findings: usize,
    done: usize,
    steps: usize,
    record: String,
}

pub fn run(
    kb: &KnowledgeBase,
    args: &AssessArgs,
    estate: &Estate,
    index: &EstateIndex,
    workspaces: &[&Resource],
    answers: Option<&(Given, String)>,
    out: &Path,
) -> Result<(), Failure> {
    let context = super::recommend::record_context(args.format)?;
    let extension = match args.format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
    };
    let names = record_names(workspaces, extension);
    super::create_folder(out, "--output-dir")?;
    if !args.force {
        refuse_existing(out, &names)?;
    }
    let interrupted = watch_interrupts();
    let given = answers.map(|(given, file)| GivenAnswers {
        given,
        file,
        strict: args.strict,
    });
    let process = |(workspace, record): (&&Resource, &String)| -> (Row, Diagnostics, Option<String>) {
        let resource_group = estate::read::resource_group_of(&workspace.id)
            .unwrap_or_default()
            .to_string();
        let row = |outcome| Row {
            workspace: workspace.name.clone(),
            resource_group: resource_group.clone(),
            outcome,
        };
        let scope = Scope::new(estate, &kb.estate, index, workspace);
        let recommendation = match estate::assess(kb, &scope, given.as_ref()) {
            Ok(recommendation) => recommendation,
            Err(problems) => {
                let first = problems.0.first().map_or_else(String::new, |p| p.message.clone());
                return (row(Err(first)), problems, None);
            }
        };
        let rendered = super::recommend::render_with(&recommendation, args.format, &context);
        if let Err(error) = write_file_deferred(&out.join(record), rendered.as_bytes(), args.force) {
            return (
                row(Err(error.to_string())),
                Diagnostics::default(),
                Some(error.to_string()),
            );
        }
        let report = recommendation
            .estate
            .as_ref()
            .expect("assess always reports the estate");
        let summary = Summary {
            architecture: recommendation.architecture.id.clone(),
            high: report.drift_count(DriftSeverity::High),
            medium: report.drift_count(DriftSeverity::Medium),
            low: report.drift_count(DriftSeverity::Low),
            one_way: report.one_way_count(),
            findings: report.findings.len(),
            done: recommendation
                .next_steps
                .iter()
                .filter(|step| step.done.is_some())
                .count(),
            steps: recommendation.next_steps.len(),
            record: record.clone(),
        };
        (row(Ok(summary)), Diagnostics::default(), None)
    };
    let pairs: Vec<(&&Resource, &String)> = workspaces.iter().zip(names.iter()).collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, pairs.len().max(1));
    let chunk = pairs.len().div_ceil(workers).max(1);
    let results: Vec<Vec<(Row, Diagnostics, Option<String>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|share| {
                let process = &process;
                let interrupted = &interrupted;
                scope.spawn(move || {
                    share
                        .iter()
                        .take_while(|_| interrupted.load(Ordering::Relaxed) == 0)
                        .map(|pair| process(*pair))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut rows = Vec::with_capacity(workspaces.len());
    let mut invalid = Diagnostics::default();
    let mut unwritable = Vec::new();
    for (row, problems, failure) in results.into_iter().flatten() {
        invalid.0.extend(problems.0);
        unwritable.extend(failure);
        rows.push(row);
    }
    let written: Vec<PathBuf> = rows
        .iter()
        .filter_map(|row| row.outcome.as_ref().ok())
        .map(|summary| out.join(&summary.record))
        .collect();
    let signal = interrupted.load(Ordering::Relaxed);
    if signal != 0 {
        let removed = written.iter().filter(|path| std::fs::remove_file(path).is_ok()).count();
        return Err(Failure::Interrupted {
            message: format!(
                "interrupted by signal {signal}: removed the {removed} record(s) this run had written to {}; run the command again to write them all",
                out.display()
            ),
            signal: i32::try_from(signal).unwrap_or(15),
        });
    }
    if let Err(error) = make_durable(written.iter().map(PathBuf::as_path)) {
        unwritable.push(error.to_string());
    }
    write_file(
        &out.join("index.md"),
        index_page(kb, estate, &rows).as_bytes(),
        args.force,
    )?;
    super::progress(&format!(
        "wrote {} record(s) and index.md to {}",
        written.len(),
        out.display()
    ));
    if !unwritable.is_empty() {
        eprint!("{invalid}");
        return Err(Failure::Io(unwritable.join("\nerror: ")));
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(invalid.sorted()))
    }
}

/// One file name per workspace: its name where unique, else qualified by its resource group,
/// else numbered; only characters that are safe in every file system.
fn record_names(workspaces: &[&Resource], extension: &str) -> Vec<String> {
    let safe = |text: &str| -> String {
        let cleaned: String = text
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let cleaned = cleaned.trim_start_matches('.').to_string();
        if cleaned.is_empty() || cleaned == "index" {
            format!("workspace-{cleaned}")
        } else {
            cleaned
        }
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for workspace in workspaces {
        *count.entry(safe(&workspace.name)).or_default() += 1;
    }
    let mut taken: HashMap<String, usize> = HashMap::new();
    workspaces
        .iter()
        .map(|workspace| {
            let base = safe(&workspace.name);
            let mut stem = if count[&base] > 1 {
                let group = estate::read::resource_group_of(&workspace.id).unwrap_or("group");
                format!("{base}--{}", safe(group))
            } else {
                base
            };
            let seen = taken.entry(stem.clone()).or_default();
            *seen += 1;
            if *seen > 1 {
                stem = format!("{stem}-{seen}");
            }
            format!("{stem}.{extension}")
        })
        .collect()
}

fn refuse_existing(out: &Path, names: &[String]) -> Result<(), Failure> {
    let existing: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .chain(std::iter::once("index.md"))
        .filter(|name| std::fs::symlink_metadata(out.join(name)).is_ok())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = existing.iter().take(3).copied().collect();
    Err(Failure::Io(format!(
        "{}: {} of the {} files this run writes already exist ({}{}). Nothing was written: pass --force to replace them, or give an empty --output-dir",
        out.display(),
        existing.len(),
        names.len() + 1,
        shown.join(", "),
        if existing.len() > 3 { ", …" } else { "" }
    )))
}

fn index_page(kb: &KnowledgeBase, estate: &Estate, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Estate assessment\n");
    let assessed = rows.iter().filter(|row| row.outcome.is_ok()).count();
    let files: Vec<String> = estate.files.iter().map(|file| cell(&file.name)).collect();
    // Short lines: the index is linted like the records (100 columns).
    let _ = writeln!(
        out,
        "{assessed} of {} workspaces assessed (knowledge base {}) from:\n",
        rows.len(),
        kb.meta.version
    );
    for file in &files {
        let _ = writeln!(out, "- {file}");
    }
    let _ = writeln!(
        out,
        "\nDrift counts the settings and resources that differ from the recommended design, by\n\
         severity; one-way counts the changes that cannot be undone.\n"
    );
    let _ = writeln!(
        out,
        "| Workspace | Resource group | Architecture | High | Medium | Low | One-way | Estate findings | Steps done | Record |"
    );
    // The records' table style (markdownlint MD055/MD060: one space inside every pipe).
    let _ = writeln!(
        out,
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for row in rows {
        match &row.outcome {
            Ok(s) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} | {} | {} | {} | {} of {} | [{}]({}) |",
                    cell(&row.workspace),
                    cell(&row.resource_group),
                    s.architecture,
                    s.high,
                    s.medium,
                    s.low,
                    s.one_way,
                    s.findings,
                    s.done,
                    s.steps,
                    cell(&s.record),
                    link_target(&s.record)
                );
            }
            Err(reason) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | not assessed: {} | | | | | | | |",
                    cell(&row.workspace),
                    cell(&row.resource_group),
                    cell(reason)
                );
            }
        }
    }
    if !estate.ignored.is_empty() {
        let _ = writeln!(out, "\nResource types the advisor does not read (ignored):\n");
        for ignored in &estate.ignored {
            let _ = writeln!(out, "- `{}`: {}", cell(&ignored.arm_type), ignored.count);
        }
    }
    out
}
