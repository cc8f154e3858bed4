//! The one key table. Keys become actions here, and the footer key bar, the help overlay and
//! the README key list are all generated from the same table, so they cannot drift apart.
//! This is a stable contract: scripts and tests send these keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where the keyboard focus is: each context has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Welcome,
    /// A single-choice question.
    Single,
    /// A multi-select question.
    Multi,
    /// A text question (typed letters are text, so `j`, `k`, `q` and `?` are too).
    Text,
    /// The section list beside a question has the focus.
    Sections,
    Review,
    Result,
    /// Typing a search of the current result tab.
    Search,
    /// The file-name prompt of the export and save dialogs.
    PathInput,
    ConfirmOverwrite,
    ConfirmQuit,
    Help,
    /// The terminal is below the minimum size; only quitting works.
    TooSmall,
}

impl Context {
    pub const ALL: [Context; 13] = [
        Context::Welcome,
        Context::Single,
        Context::Multi,
        Context::Text,
        Context::Sections,
        Context::Review,
        Context::Result,
        Context::Search,
        Context::PathInput,
        Context::ConfirmOverwrite,
        Context::ConfirmQuit,
        Context::Help,
        Context::TooSmall,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Welcome => "Welcome",
            Context::Single => "Single-choice question",
            Context::Multi => "Multi-select question",
            Context::Text => "Text question",
            Context::Sections => "Section list",
            Context::Review => "Review",
            Context::Result => "Recommendation",
            Context::Search => "Search prompt",
            Context::PathInput => "File-name prompt",
            Context::ConfirmOverwrite => "Replace-file confirmation",
            Context::ConfirmQuit => "Quit confirmation",
            Context::Help => "This help",
            Context::TooSmall => "Terminal too small",
        }
    }

    /// Whether printable keys are typed into a field in this context.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Text | Context::PathInput | Context::Search)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::ALT,
    }
}

/// One line of the table: in these contexts, these keys do this.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub contexts: &'static [Context],
    pub keys: &'static [Key],
    /// How the keys are written in the key bar and the help (platform independent).
    pub label: &'static str,
    pub action: Action,
    /// The help overlay's description.
    pub description: &'static str,
    /// The key bar's short text; `None` keeps the binding out of the key bar.
    pub bar: Option<&'static str>,
}

use Context::*;

const QUESTIONS: &[Context] = &[Single, Multi];
const LISTS: &[Context] = &[Welcome, Single, Multi, Sections, Review];
const FIELDS: &[Context] = &[Text, PathInput, Search];
const OUTPUTS: &[Context] = &[Review, Result];
const HELP_KEYS: &[Context] = &[Welcome, Single, Multi, Sections, Review, Result];
const ALL: &[Context] = &Context::ALL;

const UP: &[Key] = &[key(KeyCode::Up), ch('k')];
const DOWN: &[Key] = &[key(KeyCode::Down), ch('j')];

/// The table, in the order the key bar and the help show it.
pub const BINDINGS: &[Binding] = &[
    // Lists: welcome, questions, review.
    Binding {
        contexts: LISTS,
        keys: UP,
        label: "↑/k",
        action: Action::Up,
        description: "Highlight the previous item",
        bar: None,
    },
    Binding {
        contexts: LISTS,
        keys: DOWN,
        label: "↓/j",
        action: Action::Down,
        description: "Highlight the next item",
        bar: Some("move"),
    },
    Binding {
        contexts: LISTS,
        keys: &[key(KeyCode::Home), ch('g')],
        label: "Home/g",
        action: Action::First,
        description: "Highlight the first item",
        bar: None,
    },
    Binding {
        contexts: LISTS,
        keys: &[key(KeyCode::End), ch('G')],
        label: "End/G",
        action: Action::Last,
        description: "Highlight the last item",
        bar: None,
    },
    Binding {
        contexts: &[Welcome],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Start, or resume the autosaved interview",
        bar: Some("start"),
    },
    Binding {
        contexts: &[Multi],
        keys: &[ch(' ')],
        label: "Space",
        action: Action::Toggle,
        description: "Tick or untick the highlighted choice",
        bar: Some("tick"),
    },
    Binding {
        contexts: &[Single, Multi, Text],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Confirm the answer and go to the next question (an empty text field keeps the default)",
        bar: Some("confirm"),
    },
    Binding {
        contexts: QUESTIONS,
        keys: &[key(KeyCode::Backspace), key(KeyCode::Left), ch('h')],
        label: "⌫/←/h",
        action: Action::Back,
        description: "Previous question; every answer is kept",
        bar: Some("back"),
    },
    Binding {
        contexts: QUESTIONS,
        keys: &[ch('o'), key(KeyCode::F(2))],
        label: "o/F2",
        action: Action::Sections,
        description: "Jump to another section: the section list takes the focus",
        bar: Some("sections"),
    },
    Binding {
        contexts: QUESTIONS,
        keys: &[ch('r'), key(KeyCode::F(3))],
        label: "r/F3",
        action: Action::Review,
        description: "Go to the review of every answer (the highlighted choice is not confirmed)",
        bar: Some("review"),
    },
    // The section list.
    Binding {
        contexts: &[Sections],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Go to the section's first unanswered question (or its first question)",
        bar: Some("go"),
    },
    Binding {
        contexts: &[Sections],
        keys: &[key(KeyCode::Esc), ch('o'), key(KeyCode::F(2))],
        label: "Esc/o",
        action: Action::No,
        description: "Back to the question",
        bar: Some("back"),
    },
    // Text questions: typed keys are text.
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::Up)],
        label: "↑",
        action: Action::Up,
        description: "Highlight the previous suggestion",
        bar: None,
    },
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::Down)],
        label: "↓",
        action: Action::Down,
        description: "Highlight the next suggestion (Enter then takes it)",
        bar: None,
    },
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        action: Action::Complete,
        description: "Complete the field with the highlighted (or first) suggestion",
        bar: Some("complete"),
    },
    Binding {
        contexts: &[Text],
        keys: &[alt(KeyCode::Left), key(KeyCode::BackTab)],
        label: "Alt+←/S-Tab",
        action: Action::Back,
        description: "Previous question; every answer is kept (Backspace on an empty field does the same)",
        bar: Some("back"),
    },
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::F(2))],
        label: "F2",
        action: Action::Sections,
        description: "Jump to another section: the section list takes the focus",
        bar: Some("sections"),
    },
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::F(3))],
        label: "F3",
        action: Action::Review,
        description: "Go to the review of every answer (the typed text is not confirmed)",
        bar: Some("review"),
    },
    Binding {
        contexts: FIELDS,
        keys: &[key(KeyCode::Left), key(KeyCode::Right)],
        label: "←/→",
        action: Action::CursorLeft,
        description: "Move the cursor",
        bar: None,
    },
    Binding {
        contexts: FIELDS,
        keys: &[key(KeyCode::Home), ctrl('a'), key(KeyCode::End), ctrl('e')],
        label: "Home/End",
        action: Action::CursorHome,
        description: "Cursor to the start or the end (also Ctrl+A, Ctrl+E)",
        bar: None,
    },
    Binding {
        contexts: FIELDS,
        keys: &[key(KeyCode::Backspace)],
        label: "⌫",
        action: Action::DeleteBack,
        description: "Delete the character before the cursor (in an empty answer field: previous question)",
        bar: None,
    },
    Binding {
        contexts: FIELDS,
        keys: &[key(KeyCode::Delete)],
        label: "Del",
        action: Action::DeleteForward,
        description: "Delete the character under the cursor",
        bar: None,
    },
    Binding {
        contexts: FIELDS,
        keys: &[ctrl('u')],
        label: "Ctrl+U",
        action: Action::ClearField,
        description: "Clear the field",
        bar: None,
    },
    // Help panel of the question screens.
    Binding {
        contexts: &[Single, Multi, Text],
        keys: &[key(KeyCode::PageUp), key(KeyCode::PageDown)],
        label: "PgUp/PgDn",
        action: Action::ScrollHelpDown,
        description: "Scroll the explanation panel",
        bar: None,
    },
    // Review.
    Binding {
        contexts: &[Review],
        keys: &[key(KeyCode::PageUp), key(KeyCode::PageDown)],
        label: "PgUp/PgDn",
        action: Action::PageDown,
        description: "Move a page",
        bar: None,
    },
    Binding {
        contexts: &[Review],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Edit the highlighted answer (on the first line: show the recommendation)",
        bar: Some("edit"),
    },
    Binding {
        contexts: &[Review],
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        action: Action::NextTab,
        description: "Show the recommendation",
        bar: Some("result"),
    },
    Binding {
        contexts: &[Review],
        keys: &[key(KeyCode::Backspace), key(KeyCode::Left)],
        label: "⌫/←",
        action: Action::Back,
        description: "Back to the last question",
        bar: None,
    },
    // Result.
    Binding {
        contexts: &[Result],
        keys: &[key(KeyCode::Tab), key(KeyCode::Right), ch('l')],
        label: "Tab/→/l",
        action: Action::NextTab,
        description: "Next tab",
        bar: Some("tab"),
    },
    Binding {
        contexts: &[Result],
        keys: &[key(KeyCode::BackTab), key(KeyCode::Left), ch('h')],
        label: "S-Tab/←/h",
        action: Action::PreviousTab,
        description: "Previous tab",
        bar: None,
    },
    Binding {
        contexts: &[Result],
        keys: &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5'), ch('6'), ch('7'), ch('8')],
        label: "1-8",
        action: Action::Tab(0),
        description: "Go to tab 1 to 8",
        bar: None,
    },
    Binding {
        contexts: &[Result, Help],
        keys: UP,
        label: "↑/k",
        action: Action::Up,
        description: "Scroll up",
        bar: None,
    },
    Binding {
        contexts: &[Result, Help],
        keys: DOWN,
        label: "↓/j",
        action: Action::Down,
        description: "Scroll down",
        bar: Some("scroll"),
    },
    Binding {
        contexts: &[Result, Help],
        keys: &[key(KeyCode::PageUp), key(KeyCode::PageDown)],
        label: "PgUp/PgDn",
        action: Action::PageDown,
        description: "Scroll a page",
        bar: None,
    },
    Binding {
        contexts: &[Result, Help],
        keys: &[key(KeyCode::Home), ch('g'), key(KeyCode::End), ch('G')],
        label: "Home/End",
        action: Action::First,
        description: "Scroll to the top or the bottom (also g, G)",
        bar: None,
    },
    Binding {
        contexts: &[Result],
        keys: &[key(KeyCode::Backspace)],
        label: "⌫",
        action: Action::Back,
        description: "Back to the review",
        bar: None,
    },
    Binding {
        contexts: &[Result],
        keys: &[ch('/')],
        label: "/",
        action: Action::Search,
        description: "Search the current tab",
        bar: Some("search"),
    },
    Binding {
        contexts: &[Result],
        keys: &[ch('n')],
        label: "n",
        action: Action::SearchNext,
        description: "Next match of the search",
        bar: None,
    },
    Binding {
        contexts: &[Result],
        keys: &[ch('N')],
        label: "N",
        action: Action::SearchPrevious,
        description: "Previous match of the search",
        bar: None,
    },
    Binding {
        contexts: &[Search],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Show the first match (then n and N move between matches)",
        bar: Some("find"),
    },
    Binding {
        contexts: &[Search],
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        action: Action::No,
        description: "Close the search",
        bar: Some("cancel"),
    },
    // Outputs.
    Binding {
        contexts: OUTPUTS,
        keys: &[ch('e')],
        label: "e",
        action: Action::Export,
        description: "Export the design record to a file (Tab in the dialog: Terraform or Bicep instead)",
        bar: Some("export"),
    },
    Binding {
        contexts: OUTPUTS,
        keys: &[ch('s')],
        label: "s",
        action: Action::SaveAnswers,
        description: "Save the answers file (for `recommend --answers` and `interview --answers`)",
        bar: Some("save"),
    },
    // Dialogs.
    Binding {
        contexts: &[PathInput],
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        action: Action::Confirm,
        description: "Write the file",
        bar: Some("write"),
    },
    Binding {
        contexts: &[PathInput],
        keys: &[key(KeyCode::Tab)],
        label: "Tab",
        action: Action::NextTab,
        description: "Export as the design record, Terraform or Bicep (a folder of files)",
        bar: Some("format"),
    },
    Binding {
        contexts: &[PathInput],
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        action: Action::No,
        description: "Close without writing",
        bar: Some("cancel"),
    },
    Binding {
        contexts: &[ConfirmOverwrite],
        keys: &[ch('y')],
        label: "y",
        action: Action::Yes,
        description: "Replace the existing file",
        bar: Some("replace"),
    },
    Binding {
        contexts: &[ConfirmOverwrite],
        keys: &[ch('n'), key(KeyCode::Esc)],
        label: "n/Esc",
        action: Action::No,
        description: "Keep the existing file and choose another name",
        bar: Some("keep"),
    },
    Binding {
        contexts: &[ConfirmQuit],
        keys: &[ch('y')],
        label: "y",
        action: Action::Yes,
        description: "Quit (the autosave keeps the answers)",
        bar: Some("quit"),
    },
    Binding {
        contexts: &[ConfirmQuit],
        keys: &[ch('s')],
        label: "s",
        action: Action::SaveFirst,
        description: "Save the answers file, then quit",
        bar: Some("save and quit"),
    },
    Binding {
        contexts: &[ConfirmQuit],
        keys: &[ch('n'), key(KeyCode::Esc)],
        label: "n/Esc",
        action: Action::No,
        description: "Stay",
        bar: Some("stay"),
    },
    Binding {
        contexts: &[Help],
        keys: &[
            key(KeyCode::Esc),
            ch('q'),
            ch('?'),
            key(KeyCode::F(1)),
            key(KeyCode::Enter),
        ],
        label: "Esc/?",
        action: Action::Help,
        description: "Close this help",
        bar: Some("close"),
    },
    // Everywhere.
    Binding {
        contexts: HELP_KEYS,
        keys: &[ch('?'), key(KeyCode::F(1))],
        label: "?/F1",
        action: Action::Help,
        description: "Show every key of this screen",
        bar: Some("keys"),
    },
    Binding {
        contexts: &[Text, Search],
        keys: &[key(KeyCode::F(1))],
        label: "F1",
        action: Action::Help,
        description: "Show every key of this screen (? is text here)",
        bar: Some("keys"),
    },
    Binding {
        contexts: &[Welcome, Single, Multi, Review, Result],
        keys: &[ch('q'), key(KeyCode::Esc)],
        label: "q/Esc",
        action: Action::Quit,
        description: "Quit (asks first when the answers are not saved to a file)",
        bar: Some("quit"),
    },
    Binding {
        contexts: &[Text],
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        action: Action::Quit,
        description: "Quit (asks first when the answers are not saved to a file)",
        bar: Some("quit"),
    },
    Binding {
        contexts: &[TooSmall],
        keys: &[ch('q'), key(KeyCode::Esc)],
        label: "q/Esc",
        action: Action::ForceQuit,
        description: "Quit (the autosave keeps the answers)",
        bar: Some("quit"),
    },
    Binding {
        contexts: ALL,
        keys: &[ctrl('c')],
        label: "Ctrl+C",
        action: Action::ForceQuit,
        description: "Quit at once; the autosave keeps every confirmed answer",
        bar: None,
    },
];

/// Keys whose action depends on which key of the binding was pressed.
fn refine(action: Action, code: KeyCode) -> Action {
    match (action, code) {
        (Action::CursorLeft, KeyCode::Right) => Action::CursorRight,
        (Action::CursorHome, KeyCode::End | KeyCode::Char('e')) => Action::CursorEnd,
        (Action::ScrollHelpDown, KeyCode::PageUp) => Action::ScrollHelpUp,
        (Action::PageDown, KeyCode::PageUp) => Action::PageUp,
        (Action::First, KeyCode::End | KeyCode::Char('G')) => Action::Last,
        (Action::Tab(_), KeyCode::Char(c @ '1'..='8')) => Action::Tab(c as u8 - b'1'),
        _ => action,
    }
}

fn matches(bound: &Key, event: &KeyEvent) -> bool {
    // Shift is part of the character ('G', '?') and of BackTab; terminals differ in whether
    // they also report it as a modifier.
    let ignore_shift = matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab);
    let mut modifiers = event.modifiers;
    if ignore_shift {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    bound.code == event.code && bound.modifiers == modifiers
}

/// The action of a key in a context, if any.
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    for binding in BINDINGS.iter().filter(|binding| binding.contexts.contains(&context)) {
        if binding.keys.iter().any(|bound| matches(bound, event)) {
            return Some(refine(binding.action, event.code));
        }
    }
    if context.takes_text()
        && let KeyCode::Char(c) = event.code
        && !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return Some(Action::Insert(c));
    }
    None
}

/// The bindings of a context, in table order.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |binding| binding.contexts.contains(&context))
}

/// The key bar entries of a context: (keys, short text).
pub fn bar(context: Context) -> impl Iterator<Item = (&'static str, &'static str)> {
    bindings(context).filter_map(|binding| binding.bar.map(|text| (binding.label, text)))
}

/// The key table as Markdown, one row per binding and context group (for the README).
pub fn markdown() -> String {
    let mut out = String::from("| Where | Keys | Does |\n|---|---|---|\n");
    for binding in BINDINGS {
        let contexts: Vec<&str> = if binding.contexts.len() == Context::ALL.len() {
            vec!["everywhere"]
        } else {
            binding.contexts.iter().map(|context| context.title()).collect()
        };
        out.push_str(&format!(
            "| {} | `{}` | {} |\n",
            contexts.join(", "),
            binding.label,
            binding.description
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for context in Context::ALL {
            let keys: Vec<&Key> = bindings(context).flat_map(|binding| binding.keys.iter()).collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(a),
                    "{context:?}: {a:?} is bound twice; the first binding would hide the other"
                );
            }
        }
    }

    #[test]
    fn typed_letters_are_text_in_fields() {
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(action_for(Context::Text, &j), Some(Action::Insert('j')));
        assert_eq!(action_for(Context::Single, &j), Some(Action::Down));
        let shifted = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Context::Single, &shifted), Some(Action::Help));
        assert_eq!(action_for(Context::Text, &shifted), Some(Action::Insert('?')));
    }

    #[test]
    fn the_markdown_key_table_lists_every_binding() {
        let table = markdown();
        assert_eq!(table.lines().count(), BINDINGS.len() + 2);
        assert!(table.contains("| everywhere | `Ctrl+C` |"), "{table}");
    }

    #[test]
    fn every_context_can_quit() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for context in Context::ALL {
            assert_eq!(action_for(context, &ctrl_c), Some(Action::ForceQuit));
        }
    }
}
