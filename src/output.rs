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

/// Writes `contents` to `path` atomically and durably: the data is flushed before the rename,
/// and the folder after it, so that a power loss keeps either the old file or the new one.
pub fn write_file(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    write(path, contents, force, Durability::Now)?;
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        let _ = std::fs::File::open(folder).and_then(|dir| dir.sync_all());
    }
    Ok(())
}

/// Writes atomically, leaving the flush to a later `make_durable` over the whole batch: one
/// journal commit then covers a thousand files instead of a thousand commits.
pub fn write_file_deferred(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    write(path, contents, force, Durability::Deferred)
}

/// Flushes files written with `write_file_deferred`, and the folders holding them.
pub fn make_durable<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Result<(), WriteError> {
    let mut folders: Vec<&Path> = Vec::new();
    for path in paths {
        let io_error = |error: std::io::Error| WriteError::Io(format!("{}: cannot flush: {error}", path.display()));
        std::fs::File::open(path)
            .and_then(|file| file.sync_all())
            .map_err(io_error)?;
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty())
            && !folders.contains(&folder)
        {
            folders.push(folder);
        }
    }
    // The renames live in the folders' entries; on Unix a folder can be opened and flushed.
    #[cfg(unix)]
    for folder in folders {
        let _ = std::fs::File::open(folder).and_then(|dir| dir.sync_all());
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Durability {
    Now,
    Deferred,
}

fn write(path: &Path, contents: &[u8], force: bool, durability: Durability) -> Result<(), WriteError> {
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
    if durability == Durability::Now {
        temporary.as_file().sync_all().map_err(io_error)?;
    }
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

    #[test]
    fn deferred_writes_are_atomic_no_clobber_and_flushed_as_a_batch() {
        let folder = tempfile::tempdir().expect("tempdir");
        let paths: Vec<_> = (0..3).map(|i| folder.path().join(format!("r{i}.md"))).collect();
        for path in &paths {
            write_file_deferred(path, b"record", false).expect("write");
        }
        assert!(matches!(
            write_file_deferred(&paths[0], b"other", false),
            Err(WriteError::Exists(_))
        ));
        make_durable(paths.iter().map(|p| p.as_path())).expect("flush");
        for path in &paths {
            assert_eq!(std::fs::read(path).expect("read"), b"record");
        }
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .expect("list")
            .filter_map(Result::ok)
            .collect();
        assert_eq!(names.len(), 3, "no temporary files left");
        assert!(make_durable([folder.path().join("missing.md").as_path()]).is_err());
    }
}
