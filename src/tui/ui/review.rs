//! The review screen: every applicable answer by section, answers that were dropped, and the
//! recommendation they lead to.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::question::preview;
use super::text::{clean, fit, pad, width, wrap};
use crate::tui::app::App;
use crate::tui::flow::display_value;

pub fn render(app: &App<'_>, frame: &mut Frame, body: Rect) {
    let theme = app.theme;
    let kb = app.kb();
    let inner_width = usize::from(body.width.saturating_sub(super::CHROME));
    let mut notes: Vec<Line> = Vec::new();
    for note in app.interview.dropped() {
        let text = app.interview.dropped_note(note);
        for line in wrap(&text, inner_width, "• ", "  ") {
            notes.push(Line::styled(line, theme.warning()));
        }
    }
    let notes_height = if notes.is_empty() {
        0
    } else {
        u16::try_from(notes.len()).unwrap_or(u16::MAX).min(5) + 2
    };
    let [list_area, notes_area, preview_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(notes_height),
        Constraint::Length(super::question::preview_height(app, body)),
    ])
    .areas(body);

    let rows = app.review_rows();
    let mut items: Vec<ListItem> = Vec::with_capacity(rows.len() + kb.sections.len() + 2);
    let selected_style = theme.highlight();
    let first = "▶ Show the recommendation (Tab)";
    let mut selected_item = 0;
    items.push(ListItem::new(Line::styled(
        pad(first, inner_width),
        if app.review_cursor == 0 {
            selected_style
        } else {
            theme.strong()
        },
    )));
    let value_width = (inner_width * 2 / 5).clamp(12, 48);
    let prompt_width = inner_width.saturating_sub(value_width + 3);
    let mut section: Option<&str> = None;
    for (row, &index) in rows.iter().enumerate() {
        let question = &kb.questions[index];
        if section != Some(question.section.as_str()) {
            section = Some(question.section.as_str());
            let title = kb
                .section(&question.section)
                .map_or(question.section.as_str(), |s| s.title.as_str());
            items.push(ListItem::new(Line::raw("")));
            items.push(ListItem::new(Line::styled(clean(title).into_owned(), theme.title())));
        }
        let (value, value_style) = match app.interview.value(index) {
            Some(value) if app.interview.is_assumed(index) => {
                (format!("{} (default)", display_value(question, value)), theme.dim())
            }
            Some(value) if app.is_from_estate(index) => {
                (format!("{} (estate)", display_value(question, value)), theme.text())
            }
            Some(value) => (display_value(question, value), theme.text()),
            None => ("required: not answered".to_string(), theme.error()),
        };
        let selected = app.review_cursor == row + 1;
        if selected {
            selected_item = items.len();
        }
        let prompt = pad(&fit(&clean(&question.prompt), prompt_width), prompt_width);
        let value = fit(&value, value_width);
        let gap = inner_width.saturating_sub(2 + prompt_width + 1 + width(&value));
        let line = if selected {
            Line::styled(format!("  {prompt} {}{value}", " ".repeat(gap)), selected_style)
        } else {
            Line::from(vec![
                Span::raw(format!("  {prompt} {}", " ".repeat(gap))),
                Span::styled(value, value_style),
            ])
        };
        items.push(ListItem::new(line));
    }
    let title = Line::from(vec![
        Span::styled(format!(" Review: {} answers apply ", rows.len()), theme.title()),
        Span::styled("· Enter edits one ", theme.dim()),
    ]);
    let block = super::panel(theme.focus_border()).title(title);
    let mut state = ListState::default().with_selected(Some(selected_item));
    frame.render_stateful_widget(List::new(items).block(block), list_area, &mut state);

    if !notes.is_empty() {
        let block = super::panel(theme.border()).title(Span::styled(
            " Dropped: these answers no longer apply ",
            theme.warning(),
        ));
        frame.render_widget(
            Paragraph::new(notes).block(block).wrap(Wrap { trim: false }),
            notes_area,
        );
    }
    preview(app, app.preview.as_ref(), " Recommendation ", frame, preview_area);
}
