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
/// A character device or named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written to
/// directly: renaming over it would replace the device node with a regular file.
pub fn write_file(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    write(path, contents, force, Durability::Now, Access::Shared)?;
    sync_folder(path);
    Ok(())
}

/// Like `write_file`, always replacing, but readable by the owner only (0600) whatever the
/// file's mode was: for the interview's autosave, whose answers describe a security design.
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write(path, contents, true, Durability::Now, Access::Private)?;
    sync_folder(path);
    Ok(())
}

/// Whether two paths name the same existing file (a hard link or symlink included).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(a), Ok(b)) => {
            use std::os::unix::fs::MetadataExt;
            (a.dev(), a.ino()) == (b.dev(), b.ino())
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok(),
        _ => false,
    }
}

fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        let _ = std::fs::File::open(folder).and_then(|dir| dir.sync_all());
    }
}

/// Writes atomically, leaving the flush to a later `make_durable` over the whole batch: one
/// journal commit then covers a thousand files instead of a thousand commits.
pub fn write_file_deferred(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    write(path, contents, force, Durability::Deferred, Access::Shared)
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// 0644 for a new file, or the mode of the file replaced.
    Shared,
    /// 0600 always.
    Private,
}

fn write(path: &Path, contents: &[u8], force: bool, durability: Durability, access: Access) -> Result<(), WriteError> {
    let display = path.display();
    // A symlink is followed to the file it names: replacing the link itself would leave that
    // file stale and turn the link into a copy.
    let resolved = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).ok(),
        _ => None,
    };
    let path = resolved.as_deref().unwrap_or(path);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(WriteError::Io(format!("{display}: is a directory; give a file path")));
        }
        Ok(meta) if !meta.is_file() => return write_in_place(path, &meta, contents, &display.to_string()),
        _ => {}
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
        let mode = match access {
            Access::Private => 0o600,
            Access::Shared => std::fs::metadata(path).map_or(0o644, |existing| existing.permissions().mode() & 0o7777),
        };
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

/// Writes into a character device or named pipe as it is; refuses sockets and block devices.
#[cfg(unix)]
fn write_in_place(path: &Path, meta: &std::fs::Metadata, contents: &[u8], display: &str) -> Result<(), WriteError> {
    use std::io::ErrorKind;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let kind = meta.file_type();
    let what = if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_char_device() || kind.is_fifo() {
        ""
    } else {
        "not a regular file"
    };
    if !what.is_empty() {
        return Err(WriteError::Io(format!(
            "{display}: is {what}; give the path of a regular file"
        )));
    }
    // Without O_NONBLOCK, opening a named pipe that nobody reads waits forever.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|error| {
            WriteError::Io(if error.raw_os_error() == Some(libc::ENXIO) {
                format!("{display}: is a named pipe that nobody reads; start the reader first")
            } else {
                format!("{display}: cannot write: {error}")
            })
        })?;
    let mut rest = contents;
    while !rest.is_empty() {
        match file.write(rest) {
            Ok(0) => {
                return Err(WriteError::Io(format!(
                    "{display}: cannot write: the device took nothing"
                )));
            }
            Ok(written) => rest = &rest[written..],
            // A full pipe: the reader is slower than us; wait for it as a blocking write would.
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1))
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => return Err(WriteError::Io(format!("{display}: cannot write: {error}"))),
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn write_in_place(_: &Path, _: &std::fs::Metadata, _: &[u8], display: &str) -> Result<(), WriteError> {
    Err(WriteError::Io(format!(
        "{display}: is not a regular file; give the path of a regular file"
    )))
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
