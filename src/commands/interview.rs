//! `aml-advisor interview` (and `aml-advisor` with no command): the full-screen interview in a
//! terminal, plain line prompts with `--plain` or `TERM=dumb`, a clear error otherwise.

use std::io::IsTerminal;
use std::path::Path;

use crate::answers::{Given, parse};
use crate::cli::InterviewArgs;
use crate::failure::Failure;
use crate::input;
use crate::knowledge::KnowledgeBase;
use crate::paths;
use crate::tui::{self, app::App, autosave, plain, theme::Theme};

/// The message when the full-screen interview has no terminal to draw in.
pub const NO_TERMINAL: &str = "the interview needs a terminal: standard input and output must both be one.\n\
  Without a terminal, write an answers file (`aml-advisor template` prints one) and run\n\
  `aml-advisor recommend --answers FILE`; or use `aml-advisor interview --plain` for numbered line prompts.";

pub fn run(knowledge_dir: Option<&Path>, args: &InterviewArgs) -> Result<(), Failure> {
    let plain = args.plain || std::env::var_os("TERM").is_some_and(|term| term == "dumb");
    if !plain && !tui::has_terminal() {
        return Err(Failure::Usage(NO_TERMINAL.into()));
    }
    let kb = KnowledgeBase::load(knowledge_dir)?;
    let (preload, estate_origins) = match &args.answers {
        Some(path) => (Some(load_answers(&kb, path)?), Default::default()),
        None if !args.estate.is_empty() => {
            let (given, origins) = super::assess::estate_answers(&kb, &args.estate, args.workspace.as_deref())?;
            (Some(given), origins)
        }
        None => (None, Default::default()),
    };
    let interactive = std::io::stdin().is_terminal();
    // A pipe's input is the script: it neither resumes nor replaces a person's autosave.
    let wanted = paths::data_dir().filter(|_| !plain || interactive || args.resume);
    // Held until the interview ends; a second interview runs without autosave and is told so.
    let (data_dir, _lock, busy) = match wanted.as_deref().map(autosave::lock) {
        Some(Ok(lock)) => (wanted, lock, None),
        Some(Err(busy)) => (None, None, Some(busy)),
        None => (None, None, None),
    };
    if plain {
        let options = plain::PlainOptions {
            data_dir,
            resume: args.resume,
            offer_resume: interactive && !args.new,
            echo: !interactive,
            autosave_busy: busy,
            estate_origins,
        };
        let stdin = std::io::stdin().lock();
        let stdout = std::io::stdout().lock();
        return plain::run(&kb, preload, stdin, stdout, options);
    }
    let mut app = App::new(&kb, Theme::from_environment(), data_dir.clone());
    app.autosave_busy = busy;
    if let Some(given) = preload {
        if estate_origins.is_empty() {
            app.load_answers(given);
        } else {
            app.load_estate_answers(given, estate_origins);
        }
    } else if !args.new
        && let Some(dir) = &data_dir
    {
        match autosave::load(dir, &kb) {
            Ok(Some(saved)) if args.resume => app.resume(saved),
            Ok(Some(saved)) => app.offer_resume(saved),
            Ok(None) if args.resume => {
                app.start();
                app.set_status(
                    "There was no autosaved interview to resume; this is a new one.".into(),
                    false,
                );
            }
            Ok(None) => {}
            Err(problem) => app.autosave_problem(problem),
        }
    }
    tui::run(app)
}

fn load_answers(kb: &KnowledgeBase, path: &Path) -> Result<Given, Failure> {
    let display = path.display().to_string();
    let text = input::read_text(path, &display)?;
    parse(kb, &text, &display).map_err(Failure::Invalid)
}
