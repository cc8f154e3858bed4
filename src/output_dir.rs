//! Writing a folder of generated files all at once: the files are written into a temporary
//! folder next to the target first, so a failure (a full disk, a name the file system refuses)
//! leaves nothing half-written.

use std::path::Path;

use crate::output::WriteError;

/// Writes `files` (name, text) into `dir`.
///
/// - `dir` missing or empty: the whole folder appears at once (a rename of the finished
///   temporary folder).
/// - `dir` holding anything: refused unless `force`; with `force` each generated file replaces
///   its namesake by a rename, and every other file (a Terraform state, a `.terraform` folder,
///   your own notes) is left alone.
pub fn write_dir(dir: &Path, files: &[(String, String)], force: bool) -> Result<(), WriteError> {
    let display = dir.display().to_string();
    let io = |what: &str, error: std::io::Error| WriteError::Io(format!("{display}: {what}: {error}"));
    let existing_entries = match std::fs::read_dir(dir) {
        Ok(entries) => Some(entries.count()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(WriteError::Io(format!(
                "{display}: is a file, not a folder; --output-dir takes a folder"
            )));
        }
        Err(error) => return Err(io("cannot read the folder", error)),
    };
    if existing_entries.is_some_and(|count| count > 0) && !force {
        return Err(WriteError::Exists(format!(
            "{display}: exists and is not empty; pass --force to replace the generated files in it (nothing was written)"
        )));
    }
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .map_err(|error| WriteError::Io(format!("{}: cannot create the folder: {error}", parent.display())))?;
    let staging = tempfile::Builder::new()
        .prefix(".aml-advisor-")
        .tempdir_in(parent)
        .map_err(|error| io("cannot create a temporary folder next to it", error))?;
    for (name, content) in files {
        let path = staging.path().join(name);
        write_synced(&path, content.as_bytes()).map_err(|error| io(&format!("cannot write {name}"), error))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|error| io("cannot set the folder's permissions", error))?;
    }
    match existing_entries {
        // An empty folder is replaced by the rename (POSIX rename replaces an empty directory).
        None | Some(0) => {
            let staged = staging.keep();
            if let Err(error) = std::fs::rename(&staged, dir) {
                let _ = std::fs::remove_dir_all(&staged);
                return Err(io("cannot move the generated folder into place", error));
            }
        }
        Some(_) => {
            for (name, _) in files {
                std::fs::rename(staging.path().join(name), dir.join(name))
                    .map_err(|error| io(&format!("cannot replace {name}"), error))?;
            }
        }
    }
    sync_folder(parent);
    sync_folder(dir);
    Ok(())
}

fn write_synced(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    let _ = std::fs::File::open(folder).and_then(|dir| dir.sync_all());
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, String)> {
        vec![
            ("main.tf".to_string(), "one".to_string()),
            ("README.md".to_string(), "two".to_string()),
        ]
    }

    #[test]
    fn a_new_folder_appears_whole_and_leaves_no_temporary_folder() {
        let parent = tempfile::tempdir().expect("tempdir");
        let dir = parent.path().join("out");
        write_dir(&dir, &files(), false).expect("write");
        assert_eq!(std::fs::read_to_string(dir.join("main.tf")).expect("read"), "one");
        let entries: Vec<_> = std::fs::read_dir(parent.path()).expect("list").collect();
        assert_eq!(entries.len(), 1, "only the output folder remains");
    }

    #[test]
    fn a_non_empty_folder_is_refused_without_force_and_kept_whole_with_it() {
        let parent = tempfile::tempdir().expect("tempdir");
        let dir = parent.path().join("out");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(dir.join("terraform.tfstate"), "state").expect("write");
        std::fs::write(dir.join("main.tf"), "old").expect("write");
        let error = write_dir(&dir, &files(), false).expect_err("refused");
        assert!(matches!(error, WriteError::Exists(_)));
        assert!(error.to_string().contains("--force"), "{error}");
        assert_eq!(std::fs::read_to_string(dir.join("main.tf")).expect("read"), "old");
        write_dir(&dir, &files(), true).expect("forced");
        assert_eq!(std::fs::read_to_string(dir.join("main.tf")).expect("read"), "one");
        assert_eq!(
            std::fs::read_to_string(dir.join("terraform.tfstate")).expect("read"),
            "state"
        );
        assert_eq!(std::fs::read_dir(parent.path()).expect("list").count(), 1);
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_named() {
        let parent = tempfile::tempdir().expect("tempdir");
        let path = parent.path().join("out");
        std::fs::write(&path, "x").expect("write");
        let error = write_dir(&path, &files(), true).expect_err("a file");
        assert!(error.to_string().contains("is a file"), "{error}");
    }
}
