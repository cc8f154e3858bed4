//! `update`: one action in, the new state and at most one effect out. No terminal access and
//! no file access, so every key path is testable without a terminal.

use super::action::Action;
use super::app::{App, Effect, Modal, Screen, TABS};
use super::export::Purpose;
use super::keymap::Context;
use super::layout;
use crate::knowledge::model::QuestionKind;

pub fn update(app: &mut App<'_>, action: Action) -> Option<Effect> {
    if let Action::Resize(width, height) = action {
        app.width = width;
        app.height = height;
        if app.screen == Screen::Result {
            app.refresh_result_lines();
        }
        clamp_help(app);
        return None;
    }
    if action == Action::ForceQuit {
        return Some(Effect::Quit);
    }
    app.status = None;
    match app.context() {
        Context::TooSmall => None,
        Context::Help => help(app, action),
        Context::ConfirmQuit => confirm_quit(app, action),
        Context::PathInput | Context::ConfirmOverwrite => dialog(app, action),
        Context::Welcome => welcome(app, action),
        Context::Single | Context::Multi | Context::Text => question(app, action),
        Context::Sections => sections(app, action),
        Context::Review => review(app, action),
        Context::Result => result(app, action),
        Context::Search => search(app, action),
    }
}

/// A paste, as one edit: its characters go into the field of a text question or a file-name
/// prompt (without newlines and other controls: a pasted newline must not confirm, and no more
/// than the field holds), and the preview is worked out once, not once per character.
/// Elsewhere a paste does nothing.
pub fn paste(app: &mut App<'_>, text: &str) {
    let context = app.context();
    let input = match (context, &mut app.modal, &mut app.result.search) {
        (Context::PathInput, Some(Modal::Path(dialog)), _) => &mut dialog.input,
        (Context::Text, _, _) => &mut app.question.input,
        (Context::Search, _, Some(search)) => &mut search.input,
        _ => return,
    };
    let mut changed = false;
    for c in text.chars().filter(|c| !c.is_control()).take(super::input::MAX_CHARS) {
        changed |= input.insert(c);
    }
    if changed && context == Context::Text {
        app.status = None;
        app.question.suggestion = None;
        app.refresh_text();
        app.refresh_preview();
    }
    if changed && context == Context::Search {
        app.refresh_search();
    }
}

fn request_quit(app: &mut App<'_>) -> Option<Effect> {
    if app.dirty && !app.interview.given().0.is_empty() {
        app.modal = Some(Modal::ConfirmQuit);
        None
    } else {
        Some(Effect::Quit)
    }
}

fn open_help(app: &mut App<'_>) -> Option<Effect> {
    app.help = Some(0);
    None
}

fn clamp_help(app: &mut App<'_>) {
    if let Some(scroll) = app.help {
        let max = layout::help_max_scroll(app.screen_context(), app.width, app.height);
        app.help = Some(scroll.min(max));
    }
}

fn help(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let scroll = app.help?;
    let page = layout::help_page(app.screen_context(), app.width, app.height);
    let scroll = match action {
        Action::Help => {
            app.help = None;
            return None;
        }
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1),
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => scroll.saturating_add(page),
        Action::First => 0,
        Action::Last => u16::MAX,
        _ => scroll,
    };
    app.help = Some(scroll);
    clamp_help(app);
    None
}

fn confirm_quit(app: &mut App<'_>, action: Action) -> Option<Effect> {
    match action {
        Action::Yes => Some(Effect::Quit),
        Action::SaveFirst => {
            app.quit_after_save = true;
            app.open_dialog(Purpose::Answers);
            None
        }
        Action::No => {
            app.modal = None;
            None
        }
        _ => None,
    }
}

fn dialog(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let Some(Modal::Path(dialog)) = &mut app.modal else {
        return None;
    };
    if dialog.overwrite {
        return match action {
            Action::Yes => Some(Effect::Write {
                purpose: dialog.purpose,
                path: dialog.input.value().trim().into(),
                force: true,
            }),
            Action::No => {
                dialog.overwrite = false;
                None
            }
            _ => None,
        };
    }
    dialog.error = None;
    match action {
        Action::Confirm => {
            let path = dialog.input.value().trim();
            if path.is_empty() {
                dialog.error = Some("type a file name".to_string());
                None
            } else {
                Some(Effect::Write {
                    purpose: dialog.purpose,
                    path: path.into(),
                    force: false,
                })
            }
        }
        Action::No => {
            app.modal = None;
            app.quit_after_save = false;
            None
        }
        Action::NextTab => {
            // Switch what the export writes; a name the user typed stays.
            let next = dialog.purpose.next_export();
            if dialog.input.value() == super::export::default_file(dialog.purpose, app.interview.resolved()) {
                dialog.input =
                    super::input::TextInput::new(&super::export::default_file(next, app.interview.resolved()));
            }
            dialog.purpose = next;
            None
        }
        Action::Insert(c) => {
            dialog.input.insert(c);
            None
        }
        Action::DeleteBack => {
            dialog.input.backspace();
            None
        }
        Action::DeleteForward => {
            dialog.input.delete();
            None
        }
        Action::CursorLeft => {
            dialog.input.left();
            None
        }
        Action::CursorRight => {
            dialog.input.right();
            None
        }
        Action::CursorHome => {
            dialog.input.home();
            None
        }
        Action::CursorEnd => {
            dialog.input.end();
            None
        }
        Action::ClearField => {
            dialog.input.clear();
            None
        }
        _ => None,
    }
}

fn welcome(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let options = app.welcome.options();
    match action {
        Action::Up => app.welcome.cursor = app.welcome.cursor.saturating_sub(1),
        Action::Down => app.welcome.cursor = (app.welcome.cursor + 1).min(options - 1),
        Action::First => app.welcome.cursor = 0,
        Action::Last => app.welcome.cursor = options - 1,
        Action::Confirm => {
            match app.welcome.autosave.clone() {
                Some(autosave) if app.welcome.cursor == 0 => app.resume(autosave),
                _ => app.start(),
            }
            return Some(Effect::Autosave);
        }
        Action::Help => return open_help(app),
        Action::Quit => return Some(Effect::Quit),
        _ => {}
    }
    None
}

fn question(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let kind = app
        .interview
        .question(app.question.index)
        .map_or(QuestionKind::Single, |question| question.kind);
    match action {
        Action::Help => return open_help(app),
        Action::Quit => return request_quit(app),
        Action::Back => return back(app),
        Action::Sections => {
            app.sections = app
                .interview
                .question(app.question.index)
                .and_then(|question| app.kb().sections.iter().position(|s| s.id == question.section));
            return None;
        }
        Action::Review => {
            app.review_return = Some(app.question.index);
            app.enter_review();
            return Some(Effect::Autosave);
        }
        Action::ScrollHelpUp => {
            app.question.help_scroll = app.question.help_scroll.saturating_sub(3);
            return None;
        }
        Action::ScrollHelpDown => {
            let max = layout::question_help_max_scroll(app);
            app.question.help_scroll = app.question.help_scroll.saturating_add(3).min(max);
            return None;
        }
        _ => {}
    }
    if kind == QuestionKind::Text {
        return text(app, action);
    }
    let count = app.question.offered.len();
    match action {
        Action::Up => app.question.cursor = app.question.cursor.saturating_sub(1),
        Action::Down => app.question.cursor = (app.question.cursor + 1).min(count.saturating_sub(1)),
        Action::First => app.question.cursor = 0,
        Action::Last => app.question.cursor = count.saturating_sub(1),
        Action::Toggle if kind == QuestionKind::Multi => {
            if let Some(ticked) = app.question.ticked.get_mut(app.question.cursor) {
                *ticked = !*ticked;
            }
        }
        Action::Confirm => return app.tentative().and_then(|value| app.commit(value)),
        _ => return None,
    }
    app.refresh_preview();
    None
}

fn text(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let input = &mut app.question.input;
    let edited = match action {
        // A full field takes nothing more, and a burst of keys then costs nothing either.
        Action::Insert(c) if !input.insert(c) => return None,
        Action::Insert(_) => true,
        Action::DeleteBack => {
            if !input.backspace() && input.is_empty() {
                return back(app);
            }
            true
        }
        Action::DeleteForward => {
            input.delete();
            true
        }
        Action::ClearField => {
            input.clear();
            true
        }
        Action::CursorLeft => {
            input.left();
            false
        }
        Action::CursorRight => {
            input.right();
            false
        }
        Action::CursorHome => {
            input.home();
            false
        }
        Action::CursorEnd => {
            input.end();
            false
        }
        Action::Down => {
            let count = app.question.suggestions.len();
            if count > 0 {
                app.question.suggestion = Some(app.question.suggestion.map_or(0, |s| (s + 1).min(count - 1)));
            }
            false
        }
        Action::Up => {
            app.question.suggestion = match app.question.suggestion {
                Some(0) | None => None,
                Some(s) => Some(s - 1),
            };
            false
        }
        Action::Complete => {
            let pick = app.question.suggestion.unwrap_or(0);
            if let Some(&region) = app.question.suggestions.get(pick) {
                let id = app.kb().regions[region].id.clone();
                app.question.input.set(&id);
                app.question.suggestion = None;
            }
            true
        }
        Action::Confirm => {
            return match app.typed_value() {
                Ok(value) => app.commit(value),
                Err(reason) => {
                    app.question.error = Some(reason);
                    None
                }
            };
        }
        _ => return None,
    };
    if edited {
        app.question.suggestion = None;
    }
    app.refresh_text();
    app.refresh_preview();
    None
}

/// The section list: pick a section and go to it.
fn sections(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let cursor = app.sections?;
    let last = app.kb().sections.len().saturating_sub(1);
    let cursor = match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (cursor + 1).min(last),
        Action::First => 0,
        Action::Last => last,
        Action::No => {
            app.sections = None;
            return None;
        }
        Action::Confirm => {
            if app.jump_to_section(cursor) {
                return Some(Effect::Autosave);
            }
            let title = app.kb().sections[cursor].title.clone();
            app.set_status(
                format!("No question of “{title}” applies under the answers so far"),
                true,
            );
            cursor
        }
        Action::Help => return open_help(app),
        _ => cursor,
    };
    app.sections = Some(cursor);
    None
}

/// The previous applicable question; from the review, the last one.
fn back(app: &mut App<'_>) -> Option<Effect> {
    let target = match app.screen {
        Screen::Question => app.interview.previous_before(app.question.index),
        _ => app.interview.last_applicable(),
    };
    match target {
        Some(index) => {
            app.enter_question(index);
            Some(Effect::Autosave)
        }
        None => {
            app.set_status("This is the first question.".to_string(), false);
            None
        }
    }
}

fn review(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let rows = app.review_rows().len() + 1;
    let page = usize::from(app.height.saturating_sub(10)).max(1);
    match action {
        Action::Up => app.review_cursor = app.review_cursor.saturating_sub(1),
        Action::Down => app.review_cursor = (app.review_cursor + 1).min(rows - 1),
        Action::PageUp => app.review_cursor = app.review_cursor.saturating_sub(page),
        Action::PageDown => app.review_cursor = (app.review_cursor + page).min(rows - 1),
        Action::First => app.review_cursor = 0,
        Action::Last => app.review_cursor = rows - 1,
        Action::Confirm if app.review_cursor == 0 => app.show_result(),
        Action::Confirm => {
            if let Some(&index) = app.review_rows().get(app.review_cursor - 1) {
                app.enter_question(index);
                app.edit_from_review(index);
                return Some(Effect::Autosave);
            }
        }
        Action::NextTab => app.show_result(),
        Action::Back => return back(app),
        Action::Export => export(app),
        Action::SaveAnswers => app.open_dialog(Purpose::Answers),
        Action::Help => return open_help(app),
        Action::Quit => return request_quit(app),
        _ => {}
    }
    None
}

fn export(app: &mut App<'_>) {
    match app.interview.missing().first() {
        Some(id) => {
            let message = format!("`{id}` has no default: answer it before exporting the design record");
            app.set_status(message, true);
        }
        None => app.open_dialog(Purpose::Record),
    }
}

fn result(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let page = app.result_page();
    let tabs = TABS.len();
    let tab = app.result.tab;
    match action {
        Action::Up => app.result.scroll = app.result.scroll.saturating_sub(1),
        Action::Down => app.result.scroll += 1,
        Action::PageUp => app.result.scroll = app.result.scroll.saturating_sub(page.saturating_sub(1).max(1)),
        Action::PageDown => app.result.scroll += page.saturating_sub(1).max(1),
        Action::First => app.result.scroll = 0,
        Action::Last => app.result.scroll = usize::MAX,
        Action::NextTab => app.result.tab = (tab + 1) % tabs,
        Action::PreviousTab => app.result.tab = (tab + tabs - 1) % tabs,
        Action::Tab(n) => app.result.tab = usize::from(n).min(tabs - 1),
        Action::Back => {
            app.enter_review();
            return None;
        }
        Action::Export => export(app),
        Action::SaveAnswers => app.open_dialog(Purpose::Answers),
        Action::Help => return open_help(app),
        Action::Quit => return request_quit(app),
        Action::Search => {
            let mut search = app.result.search.take().unwrap_or_default();
            search.typing = true;
            search.input.end();
            app.result.search = Some(search);
        }
        Action::SearchNext => app.step_search(true),
        Action::SearchPrevious => app.step_search(false),
        _ => {}
    }
    if app.result.tab != tab {
        app.result.scroll = 0;
        app.refresh_result_lines();
        if let Some(search) = &mut app.result.search {
            search.current = 0;
        }
    } else {
        app.clamp_result_scroll();
    }
    None
}

/// Typing a search: each key finds the query again; Enter shows the first match below the
/// top of the page; Esc closes the search.
fn search(app: &mut App<'_>, action: Action) -> Option<Effect> {
    let search = app.result.search.as_mut()?;
    let input = &mut search.input;
    match action {
        Action::Confirm => {
            search.typing = false;
            if search.query().is_empty() {
                app.result.search = None;
                return None;
            }
            let top = app.result.scroll;
            search.current = search.matches.iter().position(|&line| line >= top).unwrap_or(0);
            app.show_match();
            return None;
        }
        Action::No => {
            app.result.search = None;
            return None;
        }
        Action::Help => return open_help(app),
        Action::Insert(c) => {
            input.insert(c);
        }
        Action::DeleteBack => {
            input.backspace();
        }
        Action::DeleteForward => {
            input.delete();
        }
        Action::ClearField => input.clear(),
        Action::CursorLeft => input.left(),
        Action::CursorRight => input.right(),
        Action::CursorHome => input.home(),
        Action::CursorEnd => input.end(),
        _ => return None,
    }
    app.refresh_search();
    None
}
