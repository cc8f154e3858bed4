//! The interface's whole state (the model of the Elm architecture) and the transitions between
//! screens. Nothing here touches the terminal or the file system: `update` changes the state and
//! returns effects, which `effects::perform` carries out.

use std::path::PathBuf;

use ratatui::text::Line;

use super::autosave::{Autosave, Position};
use super::content;
use super::export::{self, Purpose};
use super::flow::{Interview, choice_ids};
use super::input::TextInput;
use super::keymap::Context;
use super::layout;
pub use super::preview::{Preview, PreviewFinding};
pub use super::search::{Search, line_text};
use super::theme::Theme;
use crate::answers::{AnswerValue, Given};
use crate::engine::Recommendation;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::QuestionKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Welcome,
    Question,
    Review,
    Result,
}

/// The result tabs: (long title, short title for narrow terminals).
pub const TABS: [(&str, &str); 8] = [
    ("Summary", "Summary"),
    ("Decisions", "Decisions"),
    ("Findings", "Findings"),
    ("Network rules", "Network"),
    ("DNS", "DNS"),
    ("Policies & roles", "Policy"),
    ("Next steps", "Steps"),
    ("Diagram", "Diagram"),
];

/// Something that happens outside the state: performed by the event loop (or a test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the autosave (answers and position) to the data folder.
    Autosave,
    /// Write the design record or the answers file.
    Write {
        purpose: Purpose,
        path: PathBuf,
        force: bool,
    },
    Quit,
}

#[derive(Debug, Clone, Default)]
pub struct WelcomeState {
    /// An autosave that can be resumed.
    pub autosave: Option<Autosave>,
    /// Why an existing autosave cannot be used.
    pub problem: Option<String>,
    pub cursor: usize,
}

impl WelcomeState {
    pub fn options(&self) -> usize {
        if self.autosave.is_some() { 2 } else { 1 }
    }
}

#[derive(Debug, Clone, Default)]
pub struct QuestionState {
    /// Index into `kb.questions`.
    pub index: usize,
    /// Indices into the question's choices that are offered now.
    pub offered: Vec<usize>,
    /// The highlighted position in `offered`.
    pub cursor: usize,
    /// Multi-select: which offered choices are ticked.
    pub ticked: Vec<bool>,
    pub input: TextInput,
    /// Region suggestions: indices into `kb.regions`, best first.
    pub suggestions: Vec<usize>,
    /// The highlighted suggestion.
    pub suggestion: Option<usize>,
    pub default: Option<(AnswerValue, String)>,
    pub help_scroll: u16,
    /// Why the typed text is not accepted.
    pub error: Option<String>,
    /// The recommendation of the answers as they stand (the current answer or the default):
    /// the preview names the conflicts and warnings the highlighted value adds and removes.
    pub baseline: Option<Recommendation>,
}

#[derive(Debug, Clone)]
pub struct PathDialog {
    pub purpose: Purpose,
    pub input: TextInput,
    /// The file exists: asking whether to replace it.
    pub overwrite: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Modal {
    Path(PathDialog),
    ConfirmQuit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ResultState {
    pub recommendation: Option<Recommendation>,
    pub tab: usize,
    pub scroll: usize,
    /// The current tab's text, wrapped to the current width.
    pub lines: Vec<Line<'static>>,
    /// The web addresses in `lines`, for terminal hyperlinks.
    pub links: Vec<content::Link>,
    pub search: Option<Search>,
}

pub struct App<'kb> {
    pub interview: Interview<'kb>,
    pub theme: Theme,
    /// Where the autosave goes; `None` disables it.
    pub data_dir: Option<PathBuf>,
    /// Why autosave is off although a data folder exists: another interview is autosaving.
    pub autosave_busy: Option<String>,
    pub screen: Screen,
    pub welcome: WelcomeState,
    pub question: QuestionState,
    /// Review: 0 is "show the recommendation", then one row per applicable question.
    pub review_cursor: usize,
    pub result: ResultState,
    pub preview: Option<Preview>,
    pub modal: Option<Modal>,
    /// The help overlay is open, scrolled this far.
    pub help: Option<u16>,
    /// Answers changed since they were last saved to a file.
    pub dirty: bool,
    /// The answers as last written to (or loaded from) an answers file: an answer confirmed
    /// unchanged leaves nothing unsaved.
    pub saved_answers: Option<Given>,
    pub status: Option<Status>,
    /// The current question was opened from the review: confirming returns there, after the
    /// questions the edit made applicable (`review_pending`).
    pub from_review: bool,
    /// Question indices an edit from the review made applicable and that have no answer yet,
    /// visited in interview order before returning to the review.
    pub review_pending: Vec<usize>,
    /// The question whose review row is highlighted when the review opens again: the row an
    /// edit from the review started at.
    pub review_return: Option<usize>,
    /// The section list beside the questions has the focus, with this section highlighted.
    pub sections: Option<usize>,
    /// Quit once the save dialog has written the answers.
    pub quit_after_save: bool,
    pub width: u16,
    pub height: u16,
    /// The last autosave written.
    pub autosave_path: Option<PathBuf>,
    /// Answers pre-filled from a deployed estate (`interview --estate`): the review marks
    /// those still holding the estate's value.
    pub estate_origins: EstateOrigins,
}

/// Question id → (the value the estate gave, where it was read).
pub type EstateOrigins = std::collections::HashMap<String, (crate::answers::AnswerValue, String)>;

impl<'kb> App<'kb> {
    /// A new interview on the welcome screen. `data_dir` `None` disables autosave.
    pub fn new(kb: &'kb KnowledgeBase, theme: Theme, data_dir: Option<PathBuf>) -> Self {
        Self {
            interview: Interview::new(kb, Given::default()),
            theme,
            data_dir,
            screen: Screen::Welcome,
            welcome: WelcomeState::default(),
            question: QuestionState::default(),
            review_cursor: 0,
            result: ResultState::default(),
            preview: None,
            modal: None,
            help: None,
            dirty: false,
            saved_answers: None,
            status: None,
            from_review: false,
            review_pending: Vec::new(),
            review_return: None,
            sections: None,
            quit_after_save: false,
            width: 80,
            height: 24,
            autosave_path: None,
            autosave_busy: None,
            estate_origins: EstateOrigins::new(),
        }
    }

    pub fn kb(&self) -> &'kb KnowledgeBase {
        self.interview.kb
    }

    /// Offers the autosave on the welcome screen (highlighted, so Enter resumes).
    pub fn offer_resume(&mut self, autosave: Autosave) {
        self.welcome.autosave = Some(autosave);
        self.welcome.cursor = 0;
    }

    /// Notes on the welcome screen why the autosave cannot be resumed.
    pub fn autosave_problem(&mut self, problem: String) {
        self.welcome.problem = Some(problem);
    }

    /// Continues an autosaved interview where it was.
    pub fn resume(&mut self, autosave: Autosave) {
        self.interview = Interview::new(self.kb(), autosave.given);
        self.dirty = !self.interview.given().0.is_empty();
        self.autosave_path = Some(autosave.path);
        let at = autosave
            .position
            .question()
            .and_then(|id| self.kb().question_position(id))
            .filter(|&index| self.interview.is_applicable(index));
        let fallback = || match autosave.position {
            Position::Question(_) | Position::Editing(_) => self.interview.first_unanswered_after(None),
            Position::Review => None,
        };
        match at.or_else(fallback) {
            Some(index) => {
                self.enter_question(index);
                // An edit from the review goes back to the review, not through every later
                // question.
                if at.is_some() && matches!(autosave.position, Position::Editing(_)) {
                    self.edit_from_review(index);
                }
            }
            None => self.enter_review(),
        }
        self.note_dropped_on_load();
    }

    /// Starts from a loaded answers file on the review screen.
    pub fn load_answers(&mut self, given: Given) {
        self.interview = Interview::new(self.kb(), given);
        self.dirty = false;
        self.saved_answers = Some(self.interview.given().clone());
        self.enter_review();
        self.note_dropped_on_load();
    }

    /// Opens the review with the answers a deployed estate determines, each marked as read
    /// from the estate.
    pub fn load_estate_answers(&mut self, given: Given, origins: EstateOrigins) {
        let count = origins.len();
        self.load_answers(given);
        self.estate_origins = origins;
        self.set_status(
            format!("{count} answer(s) pre-filled from the estate, marked \"estate\" in the review; check the rest"),
            false,
        );
    }

    /// Whether the answer to question `index` still holds the value the estate gave.
    pub fn is_from_estate(&self, index: usize) -> bool {
        let question = &self.kb().questions[index];
        self.estate_origins
            .get(&question.id)
            .is_some_and(|(value, _)| self.interview.given().get(&question.id) == Some(value))
    }

    /// Starts a new interview at the first question.
    pub fn start(&mut self) {
        self.interview = Interview::new(self.kb(), Given::default());
        self.dirty = false;
        self.from_review = false;
        match self.interview.first_applicable() {
            Some(index) => self.enter_question(index),
            None => self.enter_review(),
        }
    }

    fn note_dropped_on_load(&mut self) {
        let count = self.interview.dropped().len();
        if count > 0 {
            self.set_status(
                format!(
                    "{count} loaded answer(s) do not apply under the others and were dropped (listed in the review)"
                ),
                false,
            );
        }
    }

    /// Marks question `index` (already open) as an edit from the review: confirming it
    /// returns to the review, on its row.
    pub fn edit_from_review(&mut self, index: usize) {
        self.from_review = true;
        self.review_return = Some(index);
    }

    pub fn set_status(&mut self, text: String, error: bool) {
        self.status = Some(Status { text, error });
    }

    /// The keyboard context: overlays first, then the screen.
    pub fn context(&self) -> Context {
        if layout::too_small(self.width, self.height) {
            return Context::TooSmall;
        }
        if self.help.is_some() {
            return Context::Help;
        }
        match &self.modal {
            Some(Modal::Path(dialog)) if dialog.overwrite => return Context::ConfirmOverwrite,
            Some(Modal::Path(_)) => return Context::PathInput,
            Some(Modal::ConfirmQuit) => return Context::ConfirmQuit,
            None => {}
        }
        self.screen_context()
    }

    /// The context of the screen under any overlay (what the help describes).
    pub fn screen_context(&self) -> Context {
        if let Some(Modal::Path(dialog)) = &self.modal {
            return if dialog.overwrite {
                Context::ConfirmOverwrite
            } else {
                Context::PathInput
            };
        }
        if let Some(Modal::ConfirmQuit) = &self.modal {
            return Context::ConfirmQuit;
        }
        match self.screen {
            Screen::Welcome => Context::Welcome,
            Screen::Question if self.sections.is_some() => Context::Sections,
            Screen::Result if self.result.search.as_ref().is_some_and(|search| search.typing) => Context::Search,
            Screen::Question => match self.current_kind() {
                QuestionKind::Single => Context::Single,
                QuestionKind::Multi => Context::Multi,
                QuestionKind::Text => Context::Text,
            },
            Screen::Review => Context::Review,
            Screen::Result => Context::Result,
        }
    }

    fn current_kind(&self) -> QuestionKind {
        self.interview
            .question(self.question.index)
            .map_or(QuestionKind::Single, |question| question.kind)
    }

    /// Where the interview is, for the autosave.
    pub fn position(&self) -> Position {
        match (self.screen, self.interview.question(self.question.index)) {
            (Screen::Question, Some(question)) if self.from_review => Position::Editing(question.id.clone()),
            (Screen::Question, Some(question)) => Position::Question(question.id.clone()),
            _ => Position::Review,
        }
    }

    // ----- questions ------------------------------------------------------------------------

    /// Opens a question with its current answer (or its default) highlighted.
    pub fn enter_question(&mut self, index: usize) {
        let Some(question) = self.interview.question(index) else {
            return;
        };
        let offered = self.interview.offered(index);
        let default = self.interview.default_for(index);
        let current = self
            .interview
            .given()
            .get(&question.id)
            .cloned()
            .or_else(|| default.as_ref().map(|(value, _)| value.clone()));
        let mut state = QuestionState {
            index,
            ticked: vec![false; offered.len()],
            default,
            ..QuestionState::default()
        };
        match (&current, question.kind) {
            (Some(AnswerValue::Choice(id)), _) => {
                state.cursor = offered
                    .iter()
                    .position(|&choice| question.choices[choice].id == *id)
                    .unwrap_or(0);
            }
            (Some(AnswerValue::Choices(ids)), _) => {
                for (slot, &choice) in offered.iter().enumerate() {
                    state.ticked[slot] = ids.contains(&question.choices[choice].id);
                }
            }
            _ => {}
        }
        if question.kind == QuestionKind::Text
            && let Some(AnswerValue::Text(text)) = self.interview.given().get(&question.id)
        {
            state.input = TextInput::new(text);
        }
        state.offered = offered;
        state.baseline = Some(self.interview.recommendation());
        self.question = state;
        self.sections = None;
        self.screen = Screen::Question;
        self.refresh_text();
        self.refresh_preview();
    }

    /// The value the highlighted choice, the ticks or the typed text would give.
    pub fn tentative(&self) -> Option<AnswerValue> {
        let question = self.interview.question(self.question.index)?;
        match question.kind {
            QuestionKind::Single => {
                let &choice = self.question.offered.get(self.question.cursor)?;
                Some(AnswerValue::Choice(question.choices[choice].id.clone()))
            }
            QuestionKind::Multi => Some(AnswerValue::Choices(self.ticked_ids())),
            QuestionKind::Text => self.typed_value().ok(),
        }
    }

    fn ticked_ids(&self) -> Vec<String> {
        let Some(question) = self.interview.question(self.question.index) else {
            return Vec::new();
        };
        let positions = self
            .question
            .offered
            .iter()
            .zip(&self.question.ticked)
            .filter(|(_, ticked)| **ticked)
            .map(|(&choice, _)| choice);
        choice_ids(question, positions)
    }

    /// Recomputes the live preview for the highlighted value (or the answers as they are).
    pub fn refresh_preview(&mut self) {
        let (recommendation, baseline) = match self.screen {
            Screen::Question => (
                self.interview
                    .recommendation_with(self.question.index, self.tentative()),
                self.question.baseline.as_ref(),
            ),
            Screen::Review | Screen::Result => (self.interview.recommendation(), None),
            Screen::Welcome => {
                self.preview = None;
                return;
            }
        };
        let mut missing: Vec<String> = self.interview.missing().to_vec();
        if self.screen == Screen::Question
            && self.tentative().is_some()
            && let Some(question) = self.interview.question(self.question.index)
        {
            missing.retain(|id| id != &question.id);
        }
        self.preview = Some(Preview::of(&recommendation, baseline, &missing));
    }

    /// Confirms the question with `value` and moves on. Returns the autosave effect.
    pub fn commit(&mut self, value: AnswerValue) -> Option<Effect> {
        let index = self.question.index;
        let applicable_before: Vec<usize> = self.interview.applicable().collect();
        let change = self.interview.answer(index, value);
        self.dirty = self.saved_answers.as_ref() != Some(self.interview.given());
        let mut notes = Vec::new();
        if !change.dropped.is_empty() {
            let dropped: Vec<String> = change
                .dropped
                .iter()
                .map(|note| super::flow::labelled_answer(self.kb(), &note.question, &note.value))
                .collect();
            notes.push(format!(
                "Dropped {} answer(s) that no longer apply: {} (see the review)",
                dropped.len(),
                dropped.join("; ")
            ));
        }
        if !change.restored.is_empty() {
            let restored: Vec<String> = change
                .restored
                .iter()
                .map(|id| self.interview.answer_note(id))
                .collect();
            notes.push(format!(
                "Restored {} earlier answer(s) that apply again: {}",
                restored.len(),
                restored.join("; ")
            ));
        }
        if !notes.is_empty() {
            self.set_status(notes.join(". "), false);
        }
        let next = if self.from_review {
            // Only what this edit newly brought into play needs asking; everything else was
            // already reviewed.
            let newly: Vec<usize> = self
                .interview
                .applicable()
                .filter(|other| !applicable_before.contains(other) && !self.interview.is_answered(*other))
                .collect();
            for other in newly {
                if !self.review_pending.contains(&other) {
                    self.review_pending.push(other);
                }
            }
            let still_open: Vec<usize> = self.interview.applicable().collect();
            self.review_pending
                .retain(|other| *other != index && still_open.contains(other) && !self.interview.is_answered(*other));
            self.review_pending.sort_unstable();
            self.review_pending.first().copied()
        } else {
            self.interview.next_after(index)
        };
        match next {
            Some(next) => self.enter_question(next),
            None => self.enter_review(),
        }
        Some(Effect::Autosave)
    }

    /// Jumps to section `section` (an index into `kb.sections`): its first question without
    /// an answer, else its first question. `false` when none of its questions applies.
    pub fn jump_to_section(&mut self, section: usize) -> bool {
        let kb = self.kb();
        let Some(id) = kb.sections.get(section).map(|section| section.id.as_str()) else {
            return false;
        };
        let in_section: Vec<usize> = self
            .interview
            .applicable()
            .filter(|&index| kb.questions[index].section == id)
            .collect();
        let target = in_section
            .iter()
            .copied()
            .find(|&index| !self.interview.is_answered(index))
            .or_else(|| in_section.first().copied());
        match target {
            Some(index) => {
                // A jump leaves any edit from the review: the interview goes on from there.
                self.from_review = false;
                self.review_pending.clear();
                self.review_return = None;
                self.enter_question(index);
                true
            }
            None => false,
        }
    }

    // ----- review and result ----------------------------------------------------------------

    /// Opens the review; after an edit from it, on the edited question's row.
    pub fn enter_review(&mut self) {
        self.screen = Screen::Review;
        self.from_review = false;
        self.sections = None;
        self.review_pending.clear();
        let rows = self.review_rows();
        self.review_cursor = self
            .review_return
            .take()
            .and_then(|index| rows.iter().position(|&row| row == index))
            .map_or(0, |row| row + 1);
        self.refresh_preview();
    }

    /// The question indices the review lists (row n + 1).
    pub fn review_rows(&self) -> Vec<usize> {
        self.interview.applicable().collect()
    }

    /// Shows the recommendation, or the first required question still unanswered.
    pub fn show_result(&mut self) {
        if let Some(id) = self.interview.missing().first().cloned() {
            if let Some(index) = self.kb().question_position(&id) {
                self.enter_question(index);
                self.edit_from_review(index);
            }
            self.set_status(
                format!("`{id}` has no default: answer it to see the recommendation"),
                true,
            );
            return;
        }
        self.screen = Screen::Result;
        self.result.recommendation = Some(self.interview.recommendation());
        self.result.scroll = 0;
        self.refresh_preview();
        self.refresh_result_lines();
    }

    /// Rewraps the current tab for the terminal width.
    pub fn refresh_result_lines(&mut self) {
        let (width, _) = layout::result_content_size(self.width, self.height);
        let text = match &self.result.recommendation {
            Some(recommendation) => content::tab(
                self.interview.kb,
                recommendation,
                self.result.tab,
                usize::from(width),
                self.theme,
            ),
            None => content::Text::default(),
        };
        self.result.lines = text.lines;
        self.result.links = text.links;
        self.refresh_search();
        self.clamp_result_scroll();
    }

    pub fn result_page(&self) -> usize {
        usize::from(layout::result_content_size(self.width, self.height).1).max(1)
    }

    pub fn clamp_result_scroll(&mut self) {
        let max = self.result.lines.len().saturating_sub(self.result_page());
        self.result.scroll = self.result.scroll.min(max);
    }

    /// Opens the export or save dialog with the proposed file name.
    pub fn open_dialog(&mut self, purpose: Purpose) {
        let file = export::default_file(purpose, self.interview.resolved());
        self.modal = Some(Modal::Path(PathDialog {
            purpose,
            input: TextInput::new(&file),
            overwrite: false,
            error: None,
        }));
    }
}
