//! The autosave: an ordinary answers file (so `recommend --answers` reads it too) whose
//! header also names where the interview was. Written atomically after every confirmed answer
//! and every move, so `kill -9` loses nothing.

use std::path::{Path, PathBuf};

use crate::answers::{Given, parse, to_yaml};
use crate::knowledge::KnowledgeBase;
use crate::output::write_private_file;
use crate::paths::autosave_file;

const POSITION: &str = "# position: ";

/// Where the interview was when it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Question(String),
    /// A question opened from the review: confirming it returns to the review.
    Editing(String),
    Review,
}

/// Marks an edit from the review in the position line (question ids never hold a colon).
const EDITING: &str = "edit:";

impl Position {
    fn to_line(&self) -> String {
        match self {
            Position::Question(id) => id.clone(),
            Position::Editing(id) => format!("{EDITING}{id}"),
            Position::Review => "review".to_string(),
        }
    }

    fn from_line(line: &str) -> Self {
        match line {
            "review" => Position::Review,
            _ => match line.strip_prefix(EDITING) {
                Some(id) => Position::Editing(id.to_string()),
                None => Position::Question(line.to_string()),
            },
        }
    }

    /// The question the interview was at, if any.
    pub fn question(&self) -> Option<&str> {
        match self {
            Position::Question(id) | Position::Editing(id) => Some(id),
            Position::Review => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Autosave {
    pub path: PathBuf,
    pub given: Given,
    pub position: Position,
}

/// The lock file next to the autosave: held (an advisory lock) by the interview that autosaves.
const LOCK_FILE: &str = "autosave.lock";

/// Holds the autosave for one interview while it lives; dropping it releases the lock.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the autosave of `data_dir` for this interview. `Err` says that another interview
/// holds it: two interviews writing one autosave would each lose the other's answers while
/// being told they are saved. `Ok(None)` when no lock can be taken (an unwritable folder, a
/// file system without locks): the interview goes on, and a failing autosave says so itself.
pub fn lock(data_dir: &Path) -> Result<Option<Lock>, String> {
    if create_folder(data_dir).is_err() {
        return Ok(None);
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let Ok(file) = options.open(data_dir.join(LOCK_FILE)) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(Lock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another interview is running and autosaving in {}",
            data_dir.display()
        )),
        Err(std::fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// The data folder, created owner-only (0700) when missing: it holds answers that describe a
/// security design. An existing folder keeps its mode (`AML_ADVISOR_DATA_DIR` may name a
/// shared one).
fn create_folder(data_dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(data_dir)
}

/// Writes the autosave into `data_dir` (created when missing); returns its path.
pub fn save(data_dir: &Path, kb: &KnowledgeBase, given: &Given, position: &Position) -> Result<PathBuf, String> {
    create_folder(data_dir)
        .map_err(|error| format!("{}: cannot create the autosave folder: {error}", data_dir.display()))?;
    let path = autosave_file(data_dir);
    let header = format!(
        "aml-advisor interview autosave (an answers file: `aml-advisor recommend --answers {}` reads it)\n\
         position: {}",
        path.display(),
        position.to_line()
    );
    // The header is written as comments; the position line must stay the last header line.
    let text = to_yaml(kb, given, &header);
    write_private_file(&path, text.as_bytes()).map_err(|error| error.to_string())?;
    Ok(path)
}

/// Reads the autosave of `data_dir`: `Ok(None)` when there is none, `Err` with the reason
/// when it cannot be used (for example the knowledge base changed). An unusable autosave is
/// moved aside first, so that the next answer's autosave cannot destroy the answers it holds.
pub fn load(data_dir: &Path, kb: &KnowledgeBase) -> Result<Option<Autosave>, String> {
    read(data_dir, kb).map_err(|problem| {
        let path = autosave_file(data_dir);
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        match keep_aside(&path, data_dir, seconds) {
            Some(kept) => format!("{problem} (the file was kept as {})", kept.display()),
            None => problem,
        }
    })
}

/// Moves an unusable autosave to a name no earlier one has: two in one second must not
/// overwrite each other. A hard link cannot replace an existing file, unlike a rename.
fn keep_aside(path: &Path, data_dir: &Path, seconds: u64) -> Option<PathBuf> {
    for attempt in 1..1000 {
        let suffix = if attempt == 1 {
            String::new()
        } else {
            format!("-{attempt}")
        };
        let kept = data_dir.join(format!("autosave.unusable-{seconds}{suffix}.answers.yaml"));
        match std::fs::hard_link(path, &kept) {
            Ok(()) => return std::fs::remove_file(path).is_ok().then_some(kept),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // No hard links here (some network or FAT file systems): rename, checked first.
            Err(_) if !kept.exists() => return std::fs::rename(path, &kept).is_ok().then_some(kept),
            Err(_) => continue,
        }
    }
    None
}

fn read(data_dir: &Path, kb: &KnowledgeBase) -> Result<Option<Autosave>, String> {
    let path = autosave_file(data_dir);
    if !path.exists() {
        return Ok(None);
    }
    let display = path.display().to_string();
    let text = crate::input::read_text(&path, &display).map_err(|error| match error {
        crate::input::InputError::Unreadable(message) => message,
        crate::input::InputError::Invalid(diagnostic) => diagnostic.to_string(),
    })?;
    let given = parse(kb, &text, &display).map_err(|problems| problems.to_string())?;
    if given.0.is_empty() {
        // Nothing was answered: nothing worth resuming.
        return Ok(None);
    }
    let position = text
        .lines()
        .find_map(|line| line.strip_prefix(POSITION))
        .map(str::trim)
        .map_or(Position::Review, Position::from_line);
    Ok(Some(Autosave { path, given, position }))
}
