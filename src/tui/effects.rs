//! Carrying out effects: the only place the interface writes files. The event loop calls
//! `perform` after `update`; tests call it the same way.

use std::path::Path;

use super::app::{App, Effect, Modal};
use super::autosave;
use super::export::{self, Purpose};
use crate::output::{WriteError, write_file};

/// Whether the loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Quit,
}

pub fn perform(app: &mut App<'_>, effect: Effect) -> Control {
    match effect {
        Effect::Quit => Control::Quit,
        Effect::Autosave => {
            save_progress(app);
            Control::Continue
        }
        Effect::Write { purpose, path, force } => write(app, purpose, &path, force),
    }
}

/// Writes the autosave; a failure is shown, never fatal.
pub fn save_progress(app: &mut App<'_>) {
    let Some(dir) = app.data_dir.clone() else {
        return;
    };
    match autosave::save(&dir, app.kb(), app.interview.given(), &app.position()) {
        Ok(path) => app.autosave_path = Some(path),
        Err(message) => app.set_status(format!("autosave failed: {message}"), true),
    }
}

fn write(app: &mut App<'_>, purpose: Purpose, path: &Path, force: bool) -> Control {
    let written = match purpose.language() {
        Some(language) => export::infrastructure(
            app.kb(),
            app.interview.resolved(),
            &app.interview.recommendation(),
            language,
        )
        .map_err(WriteError::Io)
        .and_then(|files| crate::output_dir::write_dir(path, &files, force)),
        None => {
            let text = match purpose {
                Purpose::Answers => Ok(export::answers_file(app.kb(), app.interview.given())),
                _ => export::record(&app.interview.recommendation()),
            };
            let text = match text {
                Ok(text) => text,
                Err(message) => return failed(app, WriteError::Io(message)),
            };
            // Saving the same answers again under the same name is done already: no replace
            // question.
            if purpose == Purpose::Answers && !force && std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
                let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                app.modal = None;
                app.set_status(format!("{} already holds these answers", shown.display()), false);
                return saved_answers(app);
            }
            write_file(path, text.as_bytes(), force)
        }
    };
    match written {
        Ok(()) => {
            let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            let what = match purpose {
                Purpose::Record => "design record",
                Purpose::Answers => "answers",
                Purpose::Terraform => "Terraform",
                Purpose::Bicep => "Bicep",
            };
            app.modal = None;
            app.set_status(format!("Wrote the {what} to {}", shown.display()), false);
            if purpose == Purpose::Answers {
                return saved_answers(app);
            }
            Control::Continue
        }
        Err(error) => failed(app, error),
    }
}

/// The answers are in a file now: nothing is unsaved, and a pending quit goes ahead.
fn saved_answers(app: &mut App<'_>) -> Control {
    app.dirty = false;
    app.saved_answers = Some(app.interview.given().clone());
    if app.quit_after_save {
        Control::Quit
    } else {
        Control::Continue
    }
}

/// Shows why the file was not written in the dialog, or asks whether to replace it.
fn failed(app: &mut App<'_>, error: WriteError) -> Control {
    if let Some(Modal::Path(dialog)) = &mut app.modal {
        match error {
            WriteError::Exists(_) => dialog.overwrite = true,
            WriteError::Io(message) => {
                // Leave the replace question, or it would hide the error for good.
                dialog.overwrite = false;
                dialog.error = Some(message);
            }
        }
    }
    Control::Continue
}
