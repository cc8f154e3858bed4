//! `aml-advisor assess --estate FILE...`: the recommendation for a deployed workspace, with
//! the answers its estate determines and the drift between what is deployed and the design.

use std::path::{Path, PathBuf};

use crate::answers::{Given, parse};
use crate::cli::AssessArgs;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::estate::{self, Estate, EstateFile, EstateIndex, GivenAnswers, MAX_ESTATE_BYTES, Resource, Scope};
use crate::failure::Failure;
use crate::input;
use crate::knowledge::KnowledgeBase;
use crate::output::write_file;

pub fn run(kb: &KnowledgeBase, args: &AssessArgs) -> Result<(), Failure> {
    for path in args.output.iter() {
        if let Some(input) = args
            .estate
            .iter()
            .chain(args.answers.iter())
            .find(|input| crate::output::same_file(input, path))
        {
            return Err(Failure::Usage(format!(
                "--output {} is the input {} itself; write the result to another file",
                path.display(),
                input.display()
            )));
        }
    }
    let estate = load_estate(kb, &args.estate)?;
    let answers = load_answers(kb, args.answers.as_deref())?;
    let index = EstateIndex::new(&estate, &kb.estate);
    let workspaces = index.workspaces(&estate);
    report_ignored(&estate);
    if let Some(out) = &args.output_dir {
        return super::assess_fleet::run(kb, args, &estate, &index, &workspaces, answers.as_ref(), out);
    }
    let workspace = choose_workspace(&estate, &workspaces, args.workspace.as_deref())?;
    let scope = Scope::new(&estate, &kb.estate, &index, workspace);
    let given = answers.as_ref().map(|(given, file)| GivenAnswers {
        given,
        file,
        strict: args.strict,
    });
    let recommendation =
        estate::assess(kb, &scope, given.as_ref()).map_err(|problems| Failure::Invalid(problems.sorted()))?;
    let rendered = super::recommend::render_with(
        &recommendation,
        args.format,
        &super::recommend::record_context(args.format)?,
    );
    match &args.output {
        Some(path) => {
            write_file(path, rendered.as_bytes(), args.force)?;
            super::progress(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => super::print(&rendered),
    }
}

/// The answers an estate determines for `interview --estate`, with where each was read.
pub fn estate_answers(
    kb: &KnowledgeBase,
    paths: &[PathBuf],
    workspace: Option<&str>,
) -> Result<(Given, crate::tui::app::EstateOrigins), Failure> {
    let estate = load_estate(kb, paths)?;
    let index = EstateIndex::new(&estate, &kb.estate);
    let workspaces = index.workspaces(&estate);
    let workspace = choose_workspace(&estate, &workspaces, workspace)?;
    let scope = Scope::new(&estate, &kb.estate, &index, workspace);
    let (given, derived, _) = estate::answers_for(kb, &scope, None);
    let origins = derived
        .iter()
        .map(|answer| {
            (
                answer.question.clone(),
                (answer.value.clone(), estate::describe_origin(answer)),
            )
        })
        .collect();
    Ok((given, origins))
}

/// Reads and parses every estate file (`-` is standard input, once).
pub fn load_estate(kb: &KnowledgeBase, paths: &[PathBuf]) -> Result<Estate, Failure> {
    if paths.iter().filter(|path| path.as_os_str() == "-").count() > 1 {
        return Err(Failure::Usage("--estate - (standard input) can be given once".into()));
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut problems = Diagnostics::default();
    for path in paths {
        let (display, read) = if path.as_os_str() == "-" {
            (
                "<stdin>".to_string(),
                input::read_stdin_within("<stdin>", MAX_ESTATE_BYTES),
            )
        } else {
            let display = path.display().to_string();
            let read = input::read_text_within(path, &display, MAX_ESTATE_BYTES, "a JSON estate export");
            (display, read)
        };
        match read {
            Ok(text) => files.push(EstateFile { name: display, text }),
            Err(input::InputError::Unreadable(message)) => return Err(Failure::Io(message)),
            Err(input::InputError::Invalid(problem)) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Invalid(problems));
    }
    let estate = estate::read(files, &kb.estate).map_err(Failure::Invalid)?;
    if !estate.has_kind("workspace") {
        return Err(Failure::Invalid(no_workspace(&estate)));
    }
    Ok(estate)
}

/// Every file named, with what it holds instead of a workspace.
fn no_workspace(estate: &Estate) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for (index, file) in estate.files.iter().enumerate() {
        let mut types: Vec<&str> = estate
            .resources
            .iter()
            .filter(|resource| resource.file == index)
            .map(|resource| resource.arm_type.as_str())
            .collect();
        types.sort_unstable();
        types.dedup();
        let found = match types.len() {
            0 => "no resources".to_string(),
            _ => format!(
                "only {}",
                types
                    .iter()
                    .take(5)
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        problems.push(Diagnostic::new(
            &file.name,
            1,
            1,
            format!(
                "holds {found}; an assessment needs at least one Azure Machine Learning workspace \
                 (type Microsoft.MachineLearningServices/workspaces) in the estate files"
            ),
        ));
    }
    problems
}

fn load_answers(kb: &KnowledgeBase, path: Option<&Path>) -> Result<Option<(Given, String)>, Failure> {
    let Some(path) = path else { return Ok(None) };
    let (text, display) = super::read_answers_text(path)?;
    let given = parse(kb, &text, &display).map_err(Failure::Invalid)?;
    Ok(Some((given, display)))
}

/// The workspace to assess: the only one, or the one `--workspace` names (by name or id).
fn choose_workspace<'e>(
    estate: &Estate,
    workspaces: &[&'e Resource],
    wanted: Option<&str>,
) -> Result<&'e Resource, Failure> {
    let names = || {
        workspaces
            .iter()
            .take(10)
            .map(|w| format!("`{}`", crate::sanitize::for_message(&w.name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(wanted) => {
            let matching: Vec<&&Resource> = workspaces
                .iter()
                .filter(|w| w.name.eq_ignore_ascii_case(wanted) || w.id.eq_ignore_ascii_case(wanted))
                .collect();
            match matching.as_slice() {
                [one] => Ok(one),
                [] => Err(Failure::Usage(format!(
                    "--workspace `{}` is not in the estate; it holds {} workspace(s): {}",
                    crate::sanitize::for_message(wanted),
                    workspaces.len(),
                    names()
                ))),
                several => Err(Failure::Usage(format!(
                    "--workspace `{}` names {} workspaces (in different resource groups); give its ARM id instead: {}",
                    crate::sanitize::for_message(wanted),
                    several.len(),
                    several.iter().map(|w| w.id.as_str()).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        None => match workspaces {
            [one] => Ok(one),
            _ => Err(Failure::Usage(format!(
                "the estate ({} file(s)) holds {} workspaces: {}{}; choose one with --workspace NAME, or write one record each with --output-dir OUT",
                estate.files.len(),
                workspaces.len(),
                names(),
                if workspaces.len() > 10 { ", …" } else { "" }
            ))),
        },
    }
}

/// Resource types the knowledge does not read are named, so nothing is dropped silently.
fn report_ignored(estate: &Estate) {
    if estate.ignored.is_empty() {
        return;
    }
    let listed: Vec<String> = estate
        .ignored
        .iter()
        .map(|ignored| {
            format!(
                "{} ({})",
                crate::sanitize::for_message(&ignored.arm_type),
                ignored.count
            )
        })
        .collect();
    // The record lists them too, so --quiet may leave the note out.
    super::progress(&format!(
        "note: ignored resources of types the advisor does not read: {}",
        listed.join(", ")
    ));
}
