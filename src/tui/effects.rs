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
            text.map_err(WriteError::Io)
                .and_then(|text| write_file(path, text.as_bytes(), force))
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
                app.dirty = false;
                if app.quit_after_save {
                    return Control::Quit;
                }
            }
            Control::Continue
        }
        Err(error) => {
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
    }
}
