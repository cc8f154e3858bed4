//! One file per command: each turns parsed arguments into output and a `Failure`.

pub mod assess;
mod assess_fleet;
pub mod completions;
pub mod fleet;
pub mod iac;
pub mod interview;
pub mod knowledge;
pub mod man;
pub mod recommend;
pub mod schema;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::failure::Failure;

/// `--quiet`: set once from the command line before any command runs. A flag rather than a
/// parameter because progress messages are written deep inside commands (fleet workers too).
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A progress message on standard error ("wrote FILE"), unless `--quiet`.
pub fn progress(message: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("{message}");
    }
}

/// Reads an answers file, `-` meaning standard input: its text and how messages name it.
pub fn read_answers_text(path: &std::path::Path) -> Result<(String, String), Failure> {
    if path == std::path::Path::new("-") {
        return Ok((crate::input::read_stdin("<stdin>")?, "<stdin>".to_string()));
    }
    let display = path.display().to_string();
    Ok((crate::input::read_text(path, &display)?, display))
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a message.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::Io(format!("cannot write to standard output: {error}"))),
    }
}

/// Creates the folder `dir` (and its parents) for `what` (the option or command taking it),
/// naming the usual mistake, a file in its place, instead of "File exists (os error 17)".
pub fn create_folder(dir: &std::path::Path, what: &str) -> Result<(), Failure> {
    std::fs::create_dir_all(dir).map_err(|error| {
        Failure::Io(if dir.exists() && !dir.is_dir() {
            format!(
                "{}: is a file, not a folder; {what} takes a folder (created when missing)",
                dir.display()
            )
        } else {
            format!("{}: cannot create the folder: {error}", dir.display())
        })
    })
}
