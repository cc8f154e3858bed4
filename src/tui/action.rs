//! What the user asked for, independent of the key that asked. The keymap turns keys into
//! actions; `update` turns actions into state changes and effects.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Highlight the previous item, or scroll up one line.
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    /// Confirm the answer, open the highlighted item, or accept a dialog.
    Confirm,
    /// Tick or untick the highlighted choice of a multi-select question.
    Toggle,
    /// The previous question (answers are kept).
    Back,
    NextTab,
    PreviousTab,
    /// Jump to result tab n (0-based).
    Tab(u8),
    /// Fill the field with the highlighted suggestion.
    Complete,
    ScrollHelpUp,
    ScrollHelpDown,
    /// Open or close the key help overlay.
    Help,
    Export,
    SaveAnswers,
    /// Leave, asking first when answers are unsaved.
    Quit,
    /// Leave at once (Ctrl-C). The autosave keeps the answers.
    ForceQuit,
    /// Answer "yes" in a confirmation.
    Yes,
    /// Answer "no", or close a dialog.
    No,
    /// In the quit confirmation: save the answers first.
    SaveFirst,
    Insert(char),
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    /// Delete the character before the cursor; on an empty answer field, go back.
    DeleteBack,
    DeleteForward,
    ClearField,
    /// Move the focus to the section list to jump to another section.
    Sections,
    /// Go to the review (the answers are kept; the highlighted value is not confirmed).
    Review,
    /// Start a search of the current result tab.
    Search,
    SearchNext,
    SearchPrevious,
    /// The terminal has a new size (not a key).
    Resize(u16, u16),
}
