//! Why a command failed, and the exit code the contract gives it.

use std::process::ExitCode;

use crate::diagnostic::Diagnostics;

#[derive(Debug)]
pub enum Failure {
    /// I/O or internal failure: exit 1.
    Io(String),
    /// The command line cannot be carried out (for example no terminal for the interview): exit 2.
    Usage(String),
    /// Invalid answers file or knowledge base, every problem listed: exit 65.
    Invalid(Diagnostics),
    /// Stopped by a signal after cleaning up: exit 128 + the signal, as the shell reports it.
    Interrupted { message: String, signal: i32 },
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Io(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Invalid(_) => 65,
            Failure::Interrupted { signal, .. } => u8::try_from(128 + signal).unwrap_or(1),
        })
    }

    /// The message for standard error, hidden characters escaped.
    pub fn report(&self) -> String {
        crate::sanitize::escape_message(&self.unescaped_report())
    }

    fn unescaped_report(&self) -> String {
        match self {
            Failure::Io(message) | Failure::Usage(message) | Failure::Interrupted { message, .. } => {
                format!("error: {message}\n")
            }
            Failure::Invalid(problems) => {
                let count = problems.len();
                let noun = if count == 1 { "problem" } else { "problems" };
                format!("{problems}error: {count} {noun} found\n")
            }
        }
    }
}

impl From<crate::knowledge::LoadError> for Failure {
    fn from(error: crate::knowledge::LoadError) -> Self {
        match error {
            crate::knowledge::LoadError::Unreadable(message) => Failure::Io(message),
            crate::knowledge::LoadError::Invalid(problems) => Failure::Invalid(problems),
        }
    }
}

impl From<crate::input::InputError> for Failure {
    fn from(error: crate::input::InputError) -> Self {
        match error {
            crate::input::InputError::Unreadable(message) => Failure::Io(message),
            crate::input::InputError::Invalid(diagnostic) => Failure::Invalid(Diagnostics(vec![diagnostic])),
        }
    }
}

impl From<crate::output::WriteError> for Failure {
    fn from(error: crate::output::WriteError) -> Self {
        Failure::Io(error.to_string())
    }
}
