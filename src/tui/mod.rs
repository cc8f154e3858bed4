//! The interactive interview (The Elm Architecture): `keymap` turns keys into `Action`s,
//! `update` changes the `App` and returns `Effect`s, `effects` performs them, `ui` draws the
//! state. The event loop here is the only code that touches the terminal.

pub mod action;
pub mod app;
pub mod autosave;
pub mod content;
pub mod effects;
pub mod export;
pub mod flow;
pub mod hyperlink;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod plain;
pub mod preview;
pub mod search;
pub mod text_answer;
pub mod theme;
pub mod ui;
pub mod update;

use std::io::IsTerminal;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;

use crate::failure::Failure;
use action::Action;
use app::App;
use effects::{Control, perform};

/// Whether both standard input and output are terminals (checked before touching either).
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs the full-screen interview until the user quits. The terminal is restored on every
/// exit path: normal quit, error, Ctrl-C (a key in raw mode), and panic (ratatui's hook).
pub fn run(mut app: App<'_>) -> Result<(), Failure> {
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(error) => {
            let _ = restore();
            return Err(Failure::Io(format!("cannot start the full-screen interface: {error}")));
        }
    };
    // A paste then arrives as one event, not as keys: its newlines cannot confirm an answer.
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        previous_hook(info);
    }));
    restore_on_termination_signals();
    let outcome = event_loop(&mut terminal, &mut app);
    let restored = restore();
    outcome.map_err(|error| Failure::Io(format!("terminal error: {error}")))?;
    restored.map_err(|error| Failure::Io(format!("cannot restore the terminal: {error}")))?;
    if let Some(path) = &app.autosave_path {
        eprintln!(
            "Answers autosaved in {}; `aml-advisor interview --resume` continues.",
            path.display()
        );
    }
    Ok(())
}

/// A `kill`, `timeout` or a closed SSH session sends SIGTERM, SIGHUP or SIGQUIT, which would end
/// the process with the terminal still in raw mode on the alternate screen. A watcher thread
/// restores the terminal first and then exits with the conventional status (128 + signal).
/// Nothing is lost: every confirmed answer is already autosaved. (Ctrl-C is a key in raw mode
/// and is handled by the key map; SIGKILL cannot be caught.)
#[cfg(unix)]
fn restore_on_termination_signals() {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = restore();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn restore_on_termination_signals() {}

/// Gives the terminal back as it was: bracketed paste off, then ratatui's own restore.
fn restore() -> std::io::Result<()> {
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::try_restore()
}

/// The most events handled between two frames: a flood of input still redraws now and then.
const MAX_EVENTS_PER_FRAME: usize = 1024;

/// When set, the interview quits right after drawing its first frame: BENCHMARKS.md times the
/// start-up to first frame with it, in a real terminal under tmux.
pub const FIRST_FRAME_ONLY_ENV: &str = "AML_ADVISOR_FIRST_FRAME_ONLY";

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App<'_>) -> std::io::Result<()> {
    let size = terminal.size()?;
    update::update(app, Action::Resize(size.width, size.height));
    let first_frame_only = std::env::var_os(FIRST_FRAME_ONLY_ENV).is_some();
    let hyperlinks = hyperlink::supported(|name| std::env::var(name).ok());
    loop {
        let frame = terminal.draw(|frame| ui::render(app, frame))?;
        let area = frame.area;
        // Not while a search is typed: the links move the cursor, which shows there.
        if hyperlinks && app.context() == keymap::Context::Result && !layout::too_small(area.width, area.height) {
            let links = ui::result::visible_links(app, area.width, area.height);
            let buffer = frame.buffer.clone();
            hyperlink::write_links(terminal.backend_mut(), &buffer, &links)?;
        }
        if first_frame_only {
            return Ok(());
        }
        // Wait for the next event, then take every one already waiting before drawing again:
        // a burst of keys costs one frame, and Ctrl-C behind it is seen at once.
        let mut next = Some(event::read()?);
        let mut handled = 0;
        while let Some(current) = next.take() {
            let action = match current {
                // Windows reports key releases too; only presses are keys.
                Event::Key(key) if key.kind == KeyEventKind::Press => keymap::action_for(app.context(), &key),
                Event::Resize(width, height) => Some(Action::Resize(width, height)),
                Event::Paste(text) => {
                    update::paste(app, &text);
                    None
                }
                _ => None,
            };
            if let Some(effect) = action.and_then(|action| update::update(app, action))
                && perform(app, effect) == Control::Quit
            {
                return Ok(());
            }
            handled += 1;
            // crossterm's /dev/tty source treats a zero timeout as "do not look", even at
            // events it has already parsed; a millisecond lets it hand them over.
            if handled < MAX_EVENTS_PER_FRAME && event::poll(Duration::from_millis(1))? {
                next = Some(event::read()?);
            }
        }
    }
}
