//! The autosave: an ordinary answers file (so `recommend --answers` reads it too) whose
//! header also names where the interview was. Written atomically after every confirmed answer
//! and every move, so `kill -9` loses nothing.

use std::path::{Path, PathBuf};

use crate::answers::{Given, parse, to_yaml};
use crate::knowledge::KnowledgeBase;
use crate::output::write_file;
use crate::paths::autosave_file;

const POSITION: &str = "# position: ";

/// Where the interview was when it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Question(String),
    Review,
}

impl Position {
    fn as_str(&self) -> &str {
        match self {
            Position::Question(id) => id,
            Position::Review => "review",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Autosave {
    pub path: PathBuf,
    pub given: Given,
    pub position: Position,
}

/// Writes the autosave into `data_dir` (created when missing); returns its path.
pub fn save(data_dir: &Path, kb: &KnowledgeBase, given: &Given, position: &Position) -> Result<PathBuf, String> {
    std::fs::create_dir_all(data_dir)
        .map_err(|error| format!("{}: cannot create the autosave folder: {error}", data_dir.display()))?;
    let path = autosave_file(data_dir);
    let header = format!(
        "aml-advisor interview autosave (an answers file: `aml-advisor recommend --answers {}` reads it)\n\
         position: {}",
        path.display(),
        position.as_str()
    );
    // The header is written as comments; the position line must stay the last header line.
    let text = to_yaml(kb, given, &header);
    write_file(&path, text.as_bytes(), true).map_err(|error| error.to_string())?;
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
        let kept = data_dir.join(format!("autosave.unusable-{seconds}.answers.yaml"));
        match std::fs::rename(&path, &kept) {
            Ok(()) => format!("{problem} (the file was kept as {})", kept.display()),
            Err(_) => problem,
        }
    })
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
        .map_or(Position::Review, |id| match id {
            "review" => Position::Review,
            id => Position::Question(id.to_string()),
        });
    Ok(Some(Autosave { path, given, position }))
}
