//! Reading a user's file with the limits every input gets: it must exist, not be a folder, be
//! at most 1 MiB and be UTF-8 text. Named pipes and devices are read through the same 1 MiB
//! limit, so `/dev/zero` or a file that keeps growing cannot exhaust memory.

use std::{fs, io, path::Path};

use crate::diagnostic::Diagnostic;
use crate::yaml::MAX_INPUT_BYTES;

#[derive(Debug)]
pub enum InputError {
    /// The file could not be read at all (missing, a directory, permissions): exit 1.
    Unreadable(String),
    /// The file was read but is not acceptable text: exit 65.
    Invalid(Diagnostic),
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Reads `path` as text; `display` is how the file is named in messages.
pub fn read_text(path: &Path, display: &str) -> Result<String, InputError> {
    read_text_within(path, display, MAX_INPUT_BYTES, "a YAML file")
}

/// Reads `path` as text of at most `limit` bytes; `expected` names what the file should be.
pub fn read_text_within(path: &Path, display: &str, limit: usize, expected: &str) -> Result<String, InputError> {
    let metadata = fs::metadata(path).map_err(|error| unreadable(display, &error))?;
    if metadata.is_dir() {
        return Err(InputError::Unreadable(format!(
            "{display}: is a directory; expected {expected}"
        )));
    }
    if metadata.len() > limit as u64 {
        return Err(too_large(display, metadata.len() as usize, limit));
    }
    let file = fs::File::open(path).map_err(|error| unreadable(display, &error))?;
    read_limited(file, display, limit)
}

/// Reads standard input with the same limits.
pub fn read_stdin(display: &str) -> Result<String, InputError> {
    read_limited(io::stdin(), display, MAX_INPUT_BYTES)
}

/// Reads standard input with another limit.
pub fn read_stdin_within(display: &str, limit: usize) -> Result<String, InputError> {
    read_limited(io::stdin(), display, limit)
}

/// "1 MiB", "128 MiB": limits are whole mebibytes.
fn mebibytes(limit: usize) -> String {
    format!("{} MiB", limit / (1024 * 1024))
}

/// Reads at most one byte past the limit, whatever the source claims its size is.
fn read_limited(source: impl io::Read, display: &str, limit: usize) -> Result<String, InputError> {
    use io::Read;
    let mut bytes = Vec::new();
    source
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| unreadable(display, &error))?;
    if bytes.len() > limit {
        // Reading stopped at the limit, so the real size is unknown: say what is known.
        return Err(InputError::Invalid(Diagnostic::new(
            display,
            1,
            1,
            format!(
                "is larger than {limit} bytes ({}), the limit for an input file",
                mebibytes(limit)
            ),
        )));
    }
    text_from_bytes(bytes, display)
}

/// Checks bytes already in memory (embedded files, tests) the same way.
pub fn text_from_bytes(mut bytes: Vec<u8>, display: &str) -> Result<String, InputError> {
    // Windows PowerShell 5 writes UTF-8 with a byte-order mark; it is not part of the text.
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    // Windows editors save UTF-16 with a byte-order mark; name the fix rather than "binary".
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::Invalid(Diagnostic::new(
            display,
            1,
            1,
            "is UTF-16 encoded; save the file as UTF-8",
        )));
    }
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        let (line, column) = position_of(&bytes, offset);
        return Err(InputError::Invalid(Diagnostic::new(
            display,
            line,
            column,
            "contains a NUL byte: this is a binary file, not YAML text",
        )));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let (line, column) = position_of(error.as_bytes(), offset);
        InputError::Invalid(Diagnostic::new(
            display,
            line,
            column,
            format!(
                "is not valid UTF-8 (invalid byte 0x{:02x}); save the file as UTF-8",
                error.as_bytes()[offset]
            ),
        ))
    })
}

fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&byte| byte == b'\n').map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

fn too_large(display: &str, size: usize, limit: usize) -> InputError {
    InputError::Invalid(Diagnostic::new(
        display,
        1,
        1,
        format!("is {size} bytes; the limit is {limit} bytes ({})", mebibytes(limit)),
    ))
}

fn unreadable(display: &str, error: &io::Error) -> InputError {
    let reason = match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    };
    InputError::Unreadable(format!("{display}: cannot read: {reason}"))
}
