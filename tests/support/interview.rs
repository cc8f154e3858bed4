//! The interview driven without a terminal, shared by tests/tui.rs and tests/tui_navigation.rs:
//! keys go through the keymap into `update`, effects are performed, screens are drawn into a
//! `TestBackend`. Each test crate uses a subset, hence unused items are allowed.
#![allow(dead_code, unused_imports)]

pub use std::path::{Path, PathBuf};

pub use aml_advisor::answers::check::check;
pub use aml_advisor::answers::{AnswerValue, Given};
pub use aml_advisor::engine::evaluate;
pub use aml_advisor::knowledge::KnowledgeBase;
pub use aml_advisor::knowledge::model::QuestionKind;
pub use aml_advisor::tui::action::Action;
pub use aml_advisor::tui::app::{App, Effect, Modal, Screen};
pub use aml_advisor::tui::autosave::{self, Autosave, Position};
pub use aml_advisor::tui::effects::{Control, perform};
pub use aml_advisor::tui::keymap::{self, Context};
pub use aml_advisor::tui::theme::Theme;
pub use aml_advisor::tui::{ui, update::update};
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use ratatui::style::Modifier;

// ----- helpers ------------------------------------------------------------------------------

pub fn fixture_kb() -> KnowledgeBase {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-kb");
    KnowledgeBase::from_dir(&dir).expect("the interview test knowledge base is valid")
}

pub fn real_kb() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("the embedded knowledge base is valid")
}

/// A key as the terminal reports it.
#[derive(Clone, Copy)]
pub enum K {
    Code(KeyCode),
    Char(char),
    Ctrl(char),
    Alt(KeyCode),
}

pub use K::*;
pub const ENTER: K = Code(KeyCode::Enter);
pub const DOWN: K = Code(KeyCode::Down);
pub const UP: K = Code(KeyCode::Up);
pub const BACKSPACE: K = Code(KeyCode::Backspace);
pub const TAB: K = Code(KeyCode::Tab);
pub const ESC: K = Code(KeyCode::Esc);
pub const SPACE: K = Char(' ');

pub fn event(key: K) -> KeyEvent {
    match key {
        Code(code) => KeyEvent::new(code, KeyModifiers::NONE),
        Char(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
        Alt(code) => KeyEvent::new(code, KeyModifiers::ALT),
    }
}

/// Presses a key: keymap, update, and the effect performed (files go to the app's folders).
/// Returns whether the app asked to quit.
pub fn press(app: &mut App<'_>, key: K) -> bool {
    let Some(action) = keymap::action_for(app.context(), &event(key)) else {
        return false;
    };
    match update(app, action) {
        Some(effect) => perform(app, effect) == Control::Quit,
        None => false,
    }
}

pub fn keys(app: &mut App<'_>, keys: &[K]) {
    for &key in keys {
        assert!(!press(app, key), "unexpected quit");
    }
}

pub fn type_text(app: &mut App<'_>, text: &str) {
    for c in text.chars() {
        press(app, Char(c));
    }
}

pub fn current_id(app: &App<'_>) -> String {
    assert_eq!(app.screen, Screen::Question, "expected a question screen");
    app.interview
        .question(app.question.index)
        .map(|q| q.id.clone())
        .unwrap_or_default()
}

pub fn given(app: &App<'_>, id: &str) -> Option<AnswerValue> {
    app.interview.given().get(id).cloned()
}

pub fn choice(id: &str) -> Option<AnswerValue> {
    Some(AnswerValue::Choice(id.to_string()))
}

/// Answers every remaining question: `overrides` by id (text typed, single choice picked,
/// multi choices ticked), `region` as westeurope, everything else with Enter (the default).
pub fn answer_all(app: &mut App<'_>, overrides: &[(&str, &[&str])]) {
    let mut guard = 0;
    while app.screen == Screen::Question {
        guard += 1;
        assert!(guard < 200, "the interview does not end");
        let question = app.interview.question(app.question.index).expect("a question").clone();
        let wanted = overrides.iter().find(|(id, _)| *id == question.id).map(|(_, v)| *v);
        match (question.kind, wanted) {
            (QuestionKind::Text, Some(values)) => {
                press(app, Ctrl('u'));
                type_text(app, values[0]);
            }
            (QuestionKind::Text, None) if question.id == "region" => type_text(app, "westeurope"),
            (QuestionKind::Single, Some(values)) => {
                press(app, Code(KeyCode::Home));
                while app.tentative() != choice(values[0]) {
                    let before = app.question.cursor;
                    press(app, DOWN);
                    assert_ne!(
                        before, app.question.cursor,
                        "{} has no choice {}",
                        question.id, values[0]
                    );
                }
            }
            (QuestionKind::Multi, Some(values)) => {
                press(app, Code(KeyCode::Home));
                for slot in 0..app.question.offered.len() {
                    let id = &question.choices[app.question.offered[slot]].id;
                    if values.contains(&id.as_str()) != app.question.ticked[slot] {
                        press(app, SPACE);
                    }
                    press(app, DOWN);
                }
            }
            _ => {}
        }
        press(app, ENTER);
    }
}

pub fn started<'kb>(kb: &'kb KnowledgeBase, data_dir: Option<PathBuf>) -> App<'kb> {
    let mut app = App::new(kb, Theme::coloured(), data_dir);
    update(&mut app, Action::Resize(120, 40));
    press(&mut app, ENTER);
    app
}

pub fn draw(app: &mut App<'_>, width: u16, height: u16) -> String {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| ui::render(app, frame))
        .expect("drawing never fails");
    terminal.backend().to_string()
}

pub fn draw_buffer(app: &mut App<'_>, width: u16, height: u16) -> ratatui::buffer::Buffer {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| ui::render(app, frame))
        .expect("drawing never fails");
    terminal.backend().buffer().clone()
}
