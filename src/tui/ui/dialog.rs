//! Dialogs drawn over the screen: the file-name prompt (export and save) and the quit
//! confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::text::{clean, fit};
use crate::tui::app::{App, PathDialog};
use crate::tui::export::Purpose;
use crate::tui::keymap::{self, Context};

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(
        Constraint::Length(width.min(area.width.saturating_sub(2))),
        Constraint::Length(height.min(area.height.saturating_sub(2))),
    )
}

fn keys_line(app: &App<'_>, context: Context) -> Line<'static> {
    let theme = app.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (label, text) in keymap::bar(context) {
        spans.push(Span::styled(label, theme.key()));
        spans.push(Span::raw(format!(" {text}   ")));
    }
    Line::from(spans)
}

pub fn path(app: &App<'_>, dialog: &PathDialog, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let box_width = area.width.saturating_sub(2).min(76);
    let inner_width = usize::from(box_width.saturating_sub(super::CHROME));
    let what = match dialog.purpose {
        Purpose::Record => "The design record in Markdown: the same file as `aml-advisor recommend --format markdown`.",
        Purpose::Answers => {
            "An answers file: `aml-advisor recommend --answers FILE` and `interview --answers FILE` read it."
        }
        Purpose::Terraform => {
            "A folder of Terraform on Azure Verified Modules: the same files as `aml-advisor iac --target terraform`."
        }
        Purpose::Bicep => {
            "A folder of Bicep on Azure Verified Modules: the same files as `aml-advisor iac --target bicep`."
        }
    };
    let mut lines: Vec<Line> = vec![Line::raw(what), Line::raw("")];
    let label = "File: ";
    let room = inner_width.saturating_sub(label.len() + 1).max(1);
    let value = dialog.input.value();
    let chars: Vec<char> = value.chars().collect();
    let start = dialog.input.cursor().saturating_sub(room.saturating_sub(1));
    let shown: String = chars.iter().skip(start).take(room).collect();
    let field_line = lines.len();
    lines.push(Line::from(vec![
        Span::styled(label, theme.strong()),
        Span::styled(shown, theme.field()),
    ]));
    if dialog.overwrite {
        lines.push(Line::styled(
            fit(&format!("{} already exists. Replace it?", clean(value)), inner_width),
            theme.warning(),
        ));
    } else if let Some(error) = &dialog.error {
        lines.push(Line::styled(clean(error).into_owned(), theme.error()));
    } else {
        lines.push(Line::styled(
            "Relative names are written in the current folder.",
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    let context = if dialog.overwrite {
        Context::ConfirmOverwrite
    } else {
        Context::PathInput
    };
    lines.push(keys_line(app, context));
    let height = super::text::wrapped_height(&lines, inner_width);
    let area = popup(
        area,
        box_width,
        u16::try_from(height).unwrap_or(u16::MAX).saturating_add(2),
    );
    let block =
        super::panel(theme.focus_border()).title(Span::styled(format!(" {} ", dialog.purpose.title()), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    if !dialog.overwrite {
        // The description may wrap onto a second line; the field follows it.
        let description_lines = super::text::wrap(what, inner_width, "", "").len();
        let y = inner.y + u16::try_from(field_line - 1 + description_lines).unwrap_or(0);
        let column = label.len() + dialog.input.cursor().saturating_sub(start);
        let x = inner.x + u16::try_from(column).unwrap_or(0).min(inner.width.saturating_sub(1));
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}

pub fn confirm_quit(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let kept = match &app.data_dir {
        Some(_) => "The autosave keeps them: `aml-advisor interview --resume` continues later.",
        None => "Autosave is off, so they will be lost.",
    };
    let lines = vec![
        Line::styled("The answers are not saved to a file yet.", theme.strong()),
        Line::raw(kept),
        Line::raw(""),
        keys_line(app, Context::ConfirmQuit),
    ];
    let width = area.width.min(64);
    let height = super::text::wrapped_height(&lines, usize::from(width.saturating_sub(super::CHROME)));
    let area = popup(area, width, u16::try_from(height).unwrap_or(u16::MAX).saturating_add(2));
    let block = super::panel(theme.focus_border()).title(Span::styled(" Quit? ", theme.title()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
