//! The help overlay (`?`): every key of the screen below, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::{pad, wrap};
use crate::tui::app::App;
use crate::tui::keymap::{self, Context};
use crate::tui::layout;
use crate::tui::theme::Theme;

const KEY_COLUMN: usize = 14;

/// The overlay's lines for the keys of `context`, wrapped to `width`.
pub fn lines(context: Context, width: u16, theme: Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(KEY_COLUMN + 10);
    let mut out: Vec<Line<'static>> = vec![Line::styled(format!("Keys: {}", context.title()), theme.title())];
    if context.takes_text() {
        out.push(Line::styled(
            "Typed letters, including j, k, q and ?, go into the field.",
            theme.dim(),
        ));
    }
    out.push(Line::raw(""));
    let rest = " ".repeat(KEY_COLUMN + 1);
    for binding in keymap::bindings(context) {
        for (index, line) in wrap(binding.description, width, &rest, &rest).into_iter().enumerate() {
            if index == 0 {
                let text = line.get(rest.len()..).unwrap_or("").to_string();
                out.push(Line::from(vec![
                    Span::styled(pad(binding.label, KEY_COLUMN), theme.key()),
                    Span::raw(" "),
                    Span::raw(text),
                ]));
            } else {
                out.push(Line::raw(line));
            }
        }
    }
    out.push(Line::raw(""));
    let note = "With a data folder (see `aml-advisor --help`), every confirmed answer is autosaved; \
                `interview --resume` continues.";
    for line in wrap(note, width, "", "") {
        out.push(Line::styled(line, theme.dim()));
    }
    out
}

pub fn line_count(context: Context, width: u16) -> usize {
    lines(context, width, Theme::monochrome()).len()
}

pub fn render(app: &App<'_>, scroll: u16, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let context = app.screen_context();
    let area = layout::help_area(area, context);
    let lines = lines(context, area.width.saturating_sub(super::CHROME), theme);
    let block = super::panel(theme.focus_border())
        .title(Span::styled(" Help ", theme.title()))
        .title_bottom(Line::styled(" Esc or ? closes ", theme.dim()).right_aligned());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
