//! Writing result files: atomically (a temporary file in the same folder, then a rename) and
//! never over an existing file unless the user said `--force`.

use std::io::Write;
use std::path::Path;

#[derive(Debug)]
pub enum WriteError {
    /// The file exists and `--force` was not given; it is untouched.
    Exists(String),
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists(message) | WriteError::Io(message) => f.write_str(message),
        }
    }
}

pub fn write_file(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    let display = path.display();
    if path.is_dir() {
        return Err(WriteError::Io(format!("{display}: is a directory; give a file path")));
    }
    if !force && path.exists() {
        return Err(WriteError::Exists(format!(
            "{display}: already exists; pass --force to replace it (it was left untouched)"
        )));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(WriteError::Io(format!(
            "{display}: the folder {} does not exist",
            folder.display()
        )));
    }
    let io_error = |error: std::io::Error| WriteError::Io(format!("{display}: cannot write: {error}"));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".aml-advisor-").suffix(".tmp");
    // Temporary files are private (0600) by default; a design record or answers file is meant
    // to be shared and committed, so it gets the usual 0644, or keeps the mode of the file it
    // replaces.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |existing| existing.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temporary = builder.tempfile_in(folder).map_err(io_error)?;
    temporary.write_all(contents).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    if force {
        temporary.persist(path).map_err(|error| io_error(error.error))?;
    } else {
        // persist_noclobber fails rather than replace a file created since the check above.
        temporary.persist_noclobber(path).map_err(|error| {
            if error.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists(format!(
                    "{display}: already exists; pass --force to replace it (it was left untouched)"
                ))
            } else {
                io_error(error.error)
            }
        })?;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn new_files_are_shareable_and_replaced_files_keep_their_mode() {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("record.md");
        write_file(&path, b"one", false).expect("write");
        assert_eq!(
            std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
            0o644
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write_file(&path, b"two", true).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        assert_eq!(
            std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
            0o600
        );
        assert!(matches!(write_file(&path, b"three", false), Err(WriteError::Exists(_))));
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
    }
}
