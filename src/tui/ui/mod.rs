//! Drawing: `render` only reads the state. One module per screen; the header, status line and
//! key bar are shared.

pub mod dialog;
pub mod help;
pub mod question;
pub mod result;
pub mod review;
pub mod text;
pub mod welcome;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};

use super::app::{App, Modal, Screen};
use super::keymap;
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};

/// Columns a panel's border and padding take.
pub const CHROME: u16 = 4;

/// A bordered panel with one column of padding on each side.
pub fn panel<'a>(border: Style) -> Block<'a> {
    Block::bordered().border_style(border).padding(Padding::horizontal(1))
}

pub fn render(app: &App<'_>, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small(area.width, area.height) {
        too_small(app, frame, area);
        return;
    }
    let [header, body, status, keys] = layout::screen(area);
    render_header(app, frame, header);
    match app.screen {
        Screen::Welcome => welcome::render(app, frame, body),
        Screen::Question => question::render(app, frame, body),
        Screen::Review => review::render(app, frame, body),
        Screen::Result => result::render(app, frame, body),
    }
    render_status(app, frame, status);
    render_keys(app, frame, keys);
    match &app.modal {
        Some(Modal::Path(path)) => dialog::path(app, path, frame, area),
        Some(Modal::ConfirmQuit) => dialog::confirm_quit(app, frame, area),
        None => {}
    }
    if let Some(scroll) = app.help {
        help::render(app, scroll, frame, area);
    }
}

fn too_small(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small ({}×{}); needs {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press q to quit (answers are autosaved).",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text).style(app.theme.strong()).wrap(Wrap { trim: true }),
        area,
    );
}

fn render_header(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let left = match app.screen {
        Screen::Welcome => " aml-advisor · Welcome".to_string(),
        Screen::Question => {
            let section = app
                .interview
                .question(app.question.index)
                .and_then(|question| app.kb().section(&question.section))
                .map_or("", |section| section.title.as_str());
            format!(" aml-advisor · {section}")
        }
        Screen::Review => " aml-advisor · Review".to_string(),
        Screen::Result => " aml-advisor · Recommendation".to_string(),
    };
    let right = match app.screen {
        Screen::Question => {
            let (position, total) = app.interview.progress(app.question.index);
            format!("question {position} of about {total} ")
        }
        Screen::Result | Screen::Review => {
            let resolved = app.interview.resolved();
            format!(
                "{} · {} ",
                text::clean(resolved.text("workspace_name").unwrap_or("")),
                text::clean(resolved.text("region").unwrap_or("no region yet"))
            )
        }
        Screen::Welcome => format!("knowledge base {} ", text::clean(&app.kb().meta.version)),
    };
    let width = usize::from(area.width);
    let right_width = text::width(&right);
    let left = text::fit(&left, width.saturating_sub(right_width + 1));
    let gap = width.saturating_sub(text::width(&left) + right_width);
    let line = Line::from(vec![Span::raw(left), Span::raw(" ".repeat(gap)), Span::raw(right)]);
    frame.render_widget(Paragraph::new(line).style(theme.header()), area);
}

fn render_status(app: &App<'_>, frame: &mut Frame, area: Rect) {
    if app.screen == Screen::Result
        && let Some(search) = app.result.search.as_ref().filter(|search| search.typing)
    {
        result::search_prompt(app, search, frame, area);
        return;
    }
    let Some(status) = &app.status else {
        return;
    };
    let style = if status.error {
        app.theme.error()
    } else {
        app.theme.ok()
    };
    let text = text::fit(&format!(" {}", text::clean(&status.text)), usize::from(area.width));
    frame.render_widget(Paragraph::new(Line::styled(text, style)), area);
}

fn render_keys(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let suggestions = !app.question.suggestions.is_empty();
    let entries: Vec<&keymap::Binding> = keymap::bindings(app.context())
        .filter(|binding| binding.bar.is_some())
        .filter(|binding| binding.action != super::action::Action::Complete || suggestions)
        .collect();
    let mut spans: Vec<Span> = vec![Span::raw(" ")];
    for binding in fit_key_bar(&entries, usize::from(area.width).saturating_sub(1)) {
        spans.push(Span::styled(binding.label, theme.key()));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(binding.bar.unwrap_or(""), theme.dim()));
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The key bar entries that fit in `columns`, whole: the help and quit keys always (they lead
/// to everything else), then the others in table order while they fit.
fn fit_key_bar<'a>(entries: &[&'a keymap::Binding], columns: usize) -> Vec<&'a keymap::Binding> {
    use super::action::Action;
    let cost = |binding: &keymap::Binding| text::width(binding.label) + 1 + text::width(binding.bar.unwrap_or("")) + 2;
    let essential = |binding: &keymap::Binding| matches!(binding.action, Action::Help | Action::Quit);
    let mut used: usize = entries.iter().filter(|b| essential(b)).map(|b| cost(b)).sum();
    let mut keep = vec![false; entries.len()];
    for (index, binding) in entries.iter().enumerate() {
        if essential(binding) {
            keep[index] = true;
        } else if used + cost(binding) <= columns + 2 {
            // The last entry's trailing two spaces may fall off the edge.
            used += cost(binding);
            keep[index] = true;
        }
    }
    entries
        .iter()
        .zip(keep)
        .filter(|(_, kept)| *kept)
        .map(|(binding, _)| *binding)
        .collect()
}
