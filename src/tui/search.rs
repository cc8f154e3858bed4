//! `/` in the result: finding text in the current tab, moving between the matches, and saying
//! where the search stands in the status line.

use ratatui::text::Line;

use super::app::App;
use super::input::TextInput;

/// `/` in the result: a search of the current tab.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub input: TextInput,
    /// The query is being typed (keys go into it).
    pub typing: bool,
    /// Indices into `lines` that contain the query, top to bottom.
    pub matches: Vec<usize>,
    /// The match shown, an index into `matches`.
    pub current: usize,
}

impl Search {
    /// The query to look for: trimmed, compared without case.
    pub fn query(&self) -> String {
        self.input.value().trim().to_lowercase()
    }
}

impl App<'_> {
    /// Finds the search query in the current tab again (after typing, a tab change or a
    /// resize), keeping the match shown when it is still there.
    pub fn refresh_search(&mut self) {
        let Some(search) = &mut self.result.search else {
            return;
        };
        let query = search.query();
        let shown = search.matches.get(search.current).copied();
        search.matches = if query.is_empty() {
            Vec::new()
        } else {
            self.result
                .lines
                .iter()
                .enumerate()
                .filter(|(_, line)| line_text(line).to_lowercase().contains(&query))
                .map(|(index, _)| index)
                .collect()
        };
        search.current = shown
            .and_then(|line| search.matches.iter().position(|&found| found >= line))
            .unwrap_or(0);
    }

    /// Moves to the next (or previous) match and scrolls it into view; says so in the status.
    pub fn step_search(&mut self, forward: bool) {
        let Some(search) = &mut self.result.search else {
            return;
        };
        let count = search.matches.len();
        if count == 0 {
            let query = search.input.value().trim().to_string();
            self.set_status(format!("“{query}” is not in this tab"), true);
            return;
        }
        search.current = if forward {
            (search.current + 1) % count
        } else {
            (search.current + count - 1) % count
        };
        self.show_match();
    }

    /// Scrolls the current match into view (a third down the page) and counts it.
    pub fn show_match(&mut self) {
        let page = self.result_page();
        let Some(search) = &self.result.search else {
            return;
        };
        let query = search.input.value().trim().to_string();
        match search.matches.get(search.current) {
            Some(&line) => {
                let text = format!("match {} of {} for “{query}”", search.current + 1, search.matches.len());
                self.result.scroll = line.saturating_sub(page / 3);
                self.clamp_result_scroll();
                self.set_status(text, false);
            }
            None if query.is_empty() => {}
            None => self.set_status(format!("“{query}” is not in this tab"), true),
        }
    }
}

/// A line's text without its styles.
pub fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|span| span.content.as_ref()).collect()
}
