//! Fleet mode: `recommend --answers DIR --output-dir OUT` writes one record per answers file
//! and an `index.md` summary, for a platform team with many workspaces. A bad file is
//! reported and skipped; the others are still written, and the exit code says something failed.

use std::fmt::Write;
use std::path::{Path, PathBuf};

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
}

impl Job<'_> {
    /// Processes a share of the files, then makes the records it wrote durable together: the
    /// first flush commits the file system's journal for all of them, so the rest are cheap.
    fn process_all(&self, paths: &[PathBuf]) -> Vec<Result<Processed, Failure>> {
        let mut results: Vec<Result<Processed, Failure>> = paths.iter().map(|path| self.process(path)).collect();
        let written: Vec<PathBuf> = results
            .iter()
            .filter_map(|result| result.as_ref().ok())
            .filter_map(|processed| processed.row.outcome.as_ref().ok())
            .map(|summary| self.out.join(&summary.record))
            .collect();
        if let Err(error) = make_durable(written.iter().map(PathBuf::as_path)) {
            results.push(Err(error.into()));
        }
        results
    }

    /// Reads, checks, evaluates, renders and writes one answers file. A bad file is a row with
    /// its problems; only a failure to write stops the run.
    fn process(&self, path: &Path) -> Result<Processed, Failure> {
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
                return Ok(failed(message.clone(), Diagnostics::default(), Some(message)));
            }
            Err(InputError::Invalid(problem)) => {
                return Ok(failed(problem.message.clone(), Diagnostics(vec![problem]), None));
            }
        };
        let checked = match check(self.kb, &text, &display, self.args.strict) {
            Ok(checked) => checked,
            Err(problems) => {
                let first = problems.0.first().map_or_else(String::new, |p| p.to_string());
                return Ok(failed(
                    format!("{} problem(s); first: {first}", problems.len()),
                    problems,
                    None,
                ));
            }
        };
        let recommendation = evaluate(self.kb, &checked.resolved);
        let rendered = super::recommend::render_with(&recommendation, self.args.format, self.context);
        let stem = path
            .file_stem()
            .map_or_else(|| "answers".into(), |s| s.to_string_lossy().into_owned());
        let record = format!("{stem}.{}", self.extension);
        write_file_deferred(&self.out.join(&record), rendered.as_bytes(), self.args.force)?;
        Ok(Processed {
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
        })
    }
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
    let files = answers_files(&args.answers)?;
    refuse_clashing_names(&files)?;
    super::create_folder(out, "--output-dir")?;
    let extension = match args.format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
    };
    let context = RecordContext::from_environment();
    let job = Job {
        kb,
        args,
        out,
        extension,
        context: &context,
    };
    // Records are independent: spread them over the cores, then report in file order so the
    // output does not depend on scheduling.
    // One worker per core: rendering is the bulk of the work; each worker flushes its own
    // records, so the waits on the disk overlap too.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    let chunk = files.len().div_ceil(workers);
    let results: Vec<Result<Processed, Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk.max(1))
            .map(|paths| scope.spawn(|| job.process_all(paths)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut invalid = Diagnostics::default();
    let mut unreadable = Vec::new();
    let mut rows = Vec::with_capacity(results.len());
    for result in results {
        let processed = result?;
        unreadable.extend(processed.unreadable);
        invalid.0.extend(processed.problems.0);
        rows.push(processed.row);
    }
    // Every record is on disk now, each written atomically and flushed by its worker; only
    // then is the index that lists them written.
    write_file(&out.join("index.md"), index(kb, &rows).as_bytes(), args.force)?;
    let written = rows.iter().filter(|row| row.outcome.is_ok()).count();
    eprintln!("wrote {written} record(s) and index.md to {}", out.display());
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

fn answers_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|error| Failure::Io(format!("{}: cannot read: {error}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::Io(format!("{}: holds no *.yaml answers files", dir.display())));
    }
    Ok(files)
}

fn cell(text: &str) -> String {
    crate::render::markdown_escape::text(text)
}

/// A relative link target: every byte outside a safe set percent-encoded.
fn link_target(name: &str) -> String {
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
    let _ = writeln!(out, "|---|---|---|---|---:|---:|---|");
    for row in rows {
        match &row.outcome {
            Ok(s) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} | {} | [{}]({}) |",
                    cell(&s.workspace),
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
            Err(reason) => {
                let _ = writeln!(out, "| — | {} | invalid: {} | | | | |", cell(&row.file), cell(reason));
            }
        }
    }
    out
}
