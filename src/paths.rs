//! Where the interview keeps its autosave: `$AML_ADVISOR_DATA_DIR` when set (tests, portable
//! installs), else the platform data folder (`~/.local/share/aml-advisor` on Linux,
//! `~/Library/Application Support/dev.aml-advisor.aml-advisor` on macOS,
//! `%APPDATA%\aml-advisor\aml-advisor\data` on Windows).

use std::path::{Path, PathBuf};

/// Overrides the data folder.
pub const DATA_DIR_ENV: &str = "AML_ADVISOR_DATA_DIR";

/// The autosave file inside the data folder. It is an ordinary answers file.
pub const AUTOSAVE_FILE: &str = "autosave.answers.yaml";

/// The data folder, or `None` when neither the variable nor a home folder is available (the
/// interview then runs without autosave and says so).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("dev", "aml-advisor", "aml-advisor")
            .map(|dirs| dirs.data_dir().to_path_buf()),
    }
}

/// The autosave file of a data folder.
pub fn autosave_file(data_dir: &Path) -> PathBuf {
    data_dir.join(AUTOSAVE_FILE)
}
