//! Fleet mode: `recommend --answers DIR --output-dir OUT` writes one record per answers file
//! and an `index.md` summary, for a platform team with many workspaces. A bad file is
//! reported and skipped; the others are still written, and the exit code says something failed.
//! Every target is checked before anything is written, and an interrupted run removes what it
//! wrote, so a rerun never meets half a fleet.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::answers::check::check;
use crate::cli::{Format, RecommendArgs};
use crate::diagnostic::Diagnostics;
use crate::engine::evaluate;
use crate::failure::Failure;
use crate::input::{self, InputError};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::Severity;
use crate::output::{make_durable, write_file, write_file_deferred};
use crate::render::markdown::RecordContext;

/// One row of the index.
struct Row {
    file: String,
    outcome: Result<Summary, String>,
}

struct Summary {
    workspace: String,
    architecture: String,
    variant: String,
    conflicts: usize,
    warnings: usize,
    record: String,
}

/// What one answers file gave: its index row, its problems, and a message for standard error.
struct Processed {
    row: Row,
    problems: Diagnostics,
    /// The file could not be read at all (an I/O failure, not invalid content).
    unreadable: Option<String>,
}

/// What every file of a run shares.
struct Job<'a> {
    kb: &'a KnowledgeBase,
    args: &'a RecommendArgs,
    out: &'a Path,
    extension: &'a str,
    context: &'a RecordContext,
    /// The signal that interrupted the run, 0 while none has.
    interrupted: &'a AtomicUsize,
}

impl Job<'_> {
    /// Processes a share of the files, then makes the records it wrote durable together: the
    /// first flush commits the file system's journal for all of them, so the rest are cheap.
    /// Stops early once a signal arrives. Also returns why flushing failed, if it did.
    fn process_all(&self, paths: &[PathBuf]) -> (Vec<Processed>, Option<String>) {
        let results: Vec<Processed> = paths
            .iter()
            .take_while(|_| self.interrupted.load(Ordering::Relaxed) == 0)
            .map(|path| self.process(path))
            .collect();
        let written: Vec<PathBuf> = results
            .iter()
            .filter_map(|processed| processed.row.outcome.as_ref().ok())
            .map(|summary| self.out.join(&summary.record))
            .collect();
        let flushed = make_durable(written.iter().map(PathBuf::as_path)).err();
        (results, flushed.map(|error| error.to_string()))
    }

    /// Reads, checks, evaluates, renders and writes one answers file. A bad file, or one whose
    /// record cannot be written, is a row with its problem; the others go on.
    fn process(&self, path: &Path) -> Processed {
        let display = path.display().to_string();
        let file = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let failed = |reason: String, problems: Diagnostics, unreadable: Option<String>| Processed {
            row: Row {
                file: file.clone(),
                outcome: Err(reason),
            },
            problems,
            unreadable,
        };
        let text = match input::read_text(path, &display) {
            Ok(text) => text,
            Err(InputError::Unreadable(message)) => {
                return failed(message.clone(), Diagnostics::default(), Some(message));
            }
            Err(InputError::Invalid(problem)) => {
                return failed(problem.message.clone(), Diagnostics(vec![problem]), None);
            }
        };
        let checked = match check(self.kb, &text, &display, self.args.strict) {
            Ok(checked) => checked,
            Err(problems) => {
                let first = problems.0.first().map_or_else(String::new, |p| p.to_string());
                return failed(format!("{} problem(s); first: {first}", problems.len()), problems, None);
            }
        };
        let recommendation = evaluate(self.kb, &checked.resolved);
        let rendered = super::recommend::render_with(&recommendation, self.args.format, self.context);
        let record = record_name(path, self.extension);
        if let Err(error) = write_file_deferred(&self.out.join(&record), rendered.as_bytes(), self.args.force) {
            return failed(error.to_string(), Diagnostics::default(), Some(error.to_string()));
        }
        Processed {
            row: Row {
                file,
                outcome: Ok(Summary {
                    workspace: recommendation.workspace_name.clone(),
                    architecture: recommendation.architecture.id.clone(),
                    variant: recommendation
                        .architecture
                        .variant
                        .as_ref()
                        .map_or_else(String::new, |v| v.id.clone()),
                    conflicts: recommendation.count(Severity::Conflict),
                    warnings: recommendation.count(Severity::Warning),
                    record,
                }),
            },
            problems: Diagnostics::default(),
            unreadable: None,
        }
    }
}

/// The record of an answers file: its stem with the format's extension.
fn record_name(path: &Path, extension: &str) -> String {
    let stem = path
        .file_stem()
        .map_or_else(|| "answers".into(), |s| s.to_string_lossy().into_owned());
    format!("{stem}.{extension}")
}

pub fn run(kb: &KnowledgeBase, args: &RecommendArgs) -> Result<(), Failure> {
    let (Some(out), true) = (&args.output_dir, args.answers.is_dir()) else {
        return Err(Failure::Usage(if args.answers.is_dir() {
            format!(
                "{} is a folder: fleet mode also needs --output-dir OUT",
                args.answers.display()
            )
        } else {
            "--output-dir goes with --answers DIR (a folder of answers files)".to_string()
        }));
    };
    let listing = answers_files(&args.answers)?;
    let files = listing.files;
    refuse_clashing_names(&files)?;
    let context = super::recommend::record_context(args.format)?;
    super::create_folder(out, "--output-dir")?;
    let extension = match args.format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
    };
    if !args.force {
        refuse_existing(out, &files, extension)?;
    }
    let interrupted = watch_interrupts();
    let job = Job {
        kb,
        args,
        out,
        extension,
        context: &context,
        interrupted: &interrupted,
    };
    // Records are independent: spread them over the cores, then report in file order so the
    // output does not depend on scheduling.
    // One worker per core: rendering is the bulk of the work; each worker flushes its own
    // records, so the waits on the disk overlap too.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    let chunk = files.len().div_ceil(workers);
    let results: Vec<(Vec<Processed>, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk.max(1))
            .map(|paths| scope.spawn(|| job.process_all(paths)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut invalid = Diagnostics::default();
    let mut unreadable = Vec::new();
    let mut rows = Vec::with_capacity(files.len() + listing.skipped.len());
    for (processed, flush_failure) in results {
        for processed in processed {
            unreadable.extend(processed.unreadable);
            invalid.0.extend(processed.problems.0);
            rows.push(processed.row);
        }
        unreadable.extend(flush_failure);
    }
    let signal = interrupted.load(Ordering::Relaxed);
    if signal != 0 {
        return Err(clean_up_after(signal, out, &rows));
    }
    for (file, reason) in listing.skipped {
        unreadable.push(format!("{}: skipped: {reason}", args.answers.join(&file).display()));
        rows.push(Row {
            file,
            outcome: Err(format!("skipped: {reason}")),
        });
    }
    for warning in shared_workspace_names(&rows) {
        eprintln!("warning: {warning}");
    }
    // Every record is on disk now, each written atomically and flushed by its worker; only
    // then is the index that lists them written.
    write_file(&out.join("index.md"), index(kb, &rows).as_bytes(), args.force)?;
    let written = rows.iter().filter(|row| row.outcome.is_ok()).count();
    super::progress(&format!("wrote {written} record(s) and index.md to {}", out.display()));
    if !unreadable.is_empty() {
        // An I/O failure outranks invalid content (exit 1 over 65); both are still reported.
        eprint!("{invalid}");
        return Err(Failure::Io(unreadable.join("\nerror: ")));
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(invalid))
    }
}

/// Refuses, before anything is written, a run that would replace files of an earlier one:
/// finding the first of them after writing the rest left a half-replaced fleet and no index.
fn refuse_existing(out: &Path, files: &[PathBuf], extension: &str) -> Result<(), Failure> {
    let targets: Vec<String> = files
        .iter()
        .map(|path| record_name(path, extension))
        .chain(std::iter::once("index.md".to_string()))
        .collect();
    let existing: Vec<&String> = targets
        .iter()
        .filter(|name| std::fs::symlink_metadata(out.join(name)).is_ok())
        .collect();
    let Some(first) = existing.first() else {
        return Ok(());
    };
    let mut names = first.to_string();
    for name in existing.iter().skip(1).take(2) {
        let _ = write!(names, ", {name}");
    }
    if existing.len() > 3 {
        let _ = write!(names, " and {} more", existing.len() - 3);
    }
    let cause = if out.join("index.md").exists() {
        "an earlier run wrote them"
    } else {
        "there is no index.md, so an earlier run was probably interrupted"
    };
    Err(Failure::Io(format!(
        "{}: {} of the {} files this run writes already exist ({names}); {cause}. Nothing was written: \
         pass --force to replace them, or give an empty --output-dir",
        out.display(),
        existing.len(),
        targets.len()
    )))
}

/// From now on SIGINT, SIGTERM and SIGHUP stop the run between two files instead of killing it
/// mid-write with temporary files left behind; a second signal ends it at once, as usual.
pub(super) fn watch_interrupts() -> Arc<AtomicUsize> {
    let interrupted = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        let seen = Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Registered first, so that it runs before `seen` is set by the same signal.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&seen));
        let _ = signal_hook::flag::register(signal, seen);
        if let Ok(number) = usize::try_from(signal) {
            let _ = signal_hook::flag::register_usize(signal, Arc::clone(&interrupted), number);
        }
    }
    interrupted
}

/// After a signal: the records this run wrote are removed (without an index they are half a
/// fleet that would block the rerun), and the message says so.
fn clean_up_after(signal: usize, out: &Path, rows: &[Row]) -> Failure {
    let written: Vec<PathBuf> = rows
        .iter()
        .filter_map(|row| row.outcome.as_ref().ok())
        .map(|summary| out.join(&summary.record))
        .collect();
    let removed = written.iter().filter(|path| std::fs::remove_file(path).is_ok()).count();
    Failure::Interrupted {
        message: format!(
            "interrupted by signal {signal}: removed the {removed} record(s) this run had written to {}; run the command again to write them all",
            out.display()
        ),
        signal: i32::try_from(signal).unwrap_or(15),
    }
}

/// Workspaces named in more than one answers file: two records would describe one workspace.
fn shared_workspace_names(rows: &[Row]) -> Vec<String> {
    shared_workspaces(rows)
        .into_iter()
        .map(|(workspace, files)| {
            format!(
                "workspace `{}` is named in {} answers files: {}",
                crate::sanitize::for_message(workspace),
                files.len(),
                files
                    .iter()
                    .map(|f| crate::sanitize::escape(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect()
}

/// Each workspace name that more than one answers file uses, with those files.
fn shared_workspaces(rows: &[Row]) -> Vec<(&str, Vec<&str>)> {
    let mut files_of: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for row in rows {
        if let Ok(summary) = &row.outcome {
            files_of.entry(&summary.workspace).or_default().push(&row.file);
        }
    }
    files_of.into_iter().filter(|(_, files)| files.len() > 1).collect()
}

/// Records are named after their answers file's stem: two files with one stem (`a.yaml`,
/// `a.yml`) would write one record, and `index` would be overwritten by the summary. Refused
/// before anything is written.
fn refuse_clashing_names(files: &[PathBuf]) -> Result<(), Failure> {
    let mut problems = Diagnostics::default();
    let mut seen: std::collections::HashMap<String, &PathBuf> = std::collections::HashMap::new();
    for path in files {
        let stem = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let display = path.display().to_string();
        if stem == "index" {
            problems.push(crate::diagnostic::Diagnostic::new(
                &display,
                1,
                1,
                "would write its record over index.md, the fleet summary; rename the answers file",
            ));
        } else if let Some(first) = seen.insert(stem.clone(), path) {
            problems.push(crate::diagnostic::Diagnostic::new(
                &display,
                1,
                1,
                format!(
                    "would write the same record as {} (both are named `{stem}`); rename one of them",
                    first.display()
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(problems))
    }
}

/// The answers files of a folder, and the entries named like one that cannot be read as one.
struct Listing {
    files: Vec<PathBuf>,
    /// (file name, why it was skipped).
    skipped: Vec<(String, String)>,
}

/// `*.yaml` and `*.yml` in any case (`.YAML` too). A folder, pipe or dangling symlink with such
/// a name is listed as skipped: silently leaving it out would hide a workspace from the index.
fn answers_files(dir: &Path) -> Result<Listing, Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|error| Failure::Io(format!("{}: cannot read: {error}", dir.display())))?;
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
        let named_yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if !named_yaml {
            continue;
        }
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => files.push(path),
            Ok(meta) if meta.is_dir() => skipped.push((name, "is a folder, not an answers file".to_string())),
            Ok(_) => skipped.push((
                name,
                "is not a regular file (a named pipe, socket or device)".to_string(),
            )),
            Err(_) if path.symlink_metadata().is_ok() => {
                skipped.push((name, "is a symlink to a file that does not exist".to_string()))
            }
            Err(error) => skipped.push((name, format!("cannot be read: {error}"))),
        }
    }
    files.sort();
    skipped.sort();
    if files.is_empty() {
        let why = match skipped.first() {
            Some((name, reason)) => format!("; {name} {reason}"),
            None => String::new(),
        };
        return Err(Failure::Io(format!(
            "{}: holds no *.yaml answers files{why}",
            dir.display()
        )));
    }
    Ok(Listing { files, skipped })
}

pub(super) fn cell(text: &str) -> String {
    crate::render::markdown_escape::text(text)
}

/// A relative link target: every byte outside a safe set percent-encoded.
pub(super) fn link_target(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn index(kb: &KnowledgeBase, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Design records\n");
    let ok = rows.iter().filter(|r| r.outcome.is_ok()).count();
    let _ = writeln!(
        out,
        "{ok} of {} answers files produced a record (knowledge base {}).\n",
        rows.len(),
        kb.meta.version
    );
    let _ = writeln!(
        out,
        "| Workspace | Answers file | Architecture | Variant | Conflicts | Warnings | Record |"
    );
    // The records' table style (markdownlint MD055/MD060: one space inside every pipe).
    let _ = writeln!(out, "| --- | --- | --- | --- | ---: | ---: | --- |");
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for summary in rows.iter().filter_map(|row| row.outcome.as_ref().ok()) {
        *uses.entry(&summary.workspace).or_default() += 1;
    }
    let is_shared = |workspace: &str| uses.get(workspace).is_some_and(|&count| count > 1);
    let shared = shared_workspace_names(rows);
    for row in rows {
        match &row.outcome {
            Ok(s) => {
                let _ = writeln!(
                    out,
                    "| {}{} | {} | `{}` | {} | {} | {} | [{}]({}) |",
                    cell(&s.workspace),
                    if is_shared(&s.workspace) {
                        " (named in more than one file)"
                    } else {
                        ""
                    },
                    cell(&row.file),
                    s.architecture,
                    if s.variant.is_empty() {
                        "—".to_string()
                    } else {
                        format!("`{}`", s.variant)
                    },
                    s.conflicts,
                    s.warnings,
                    cell(&s.record),
                    link_target(&s.record)
                );
            }
            Err(reason) if reason.starts_with("skipped: ") => {
                let _ = writeln!(out, "| — | {} | {} | | | | |", cell(&row.file), cell(reason));
            }
            Err(reason) => {
                let _ = writeln!(out, "| — | {} | invalid: {} | | | | |", cell(&row.file), cell(reason));
            }
        }
    }
    if !shared.is_empty() {
        let _ = writeln!(
            out,
            "\n**Workspace names used more than once.** Each should describe one workspace:\n"
        );
        // One file per line: the index is linted like the records (100 columns).
        for (workspace, files) in shared_workspaces(rows) {
            let _ = writeln!(out, "- {} is named in {} answers files:", cell(workspace), files.len());
            for file in files {
                let _ = writeln!(out, "  - {}", cell(file));
            }
        }
    }
    out
}
