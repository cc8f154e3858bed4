//! The welcome screen: what the advisor does, and resume or start.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::clean;
use crate::tui::app::App;
use crate::tui::autosave::Position;

pub fn render(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let kb = app.kb();
    let width = area.width.min(100);
    let block = super::panel(theme.focus_border()).title(Span::styled(" Welcome ", theme.title()));
    let mut lines: Vec<Line> = vec![
        Line::styled(clean(&kb.meta.title).into_owned(), theme.title()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("1. Ask ", theme.strong()),
            Span::raw(format!(
                "about {} questions in {} sections, from {} to {}.",
                // Only those that apply are asked; under the defaults this is the likely count.
                crate::tui::flow::Interview::likely_count(kb),
                kb.sections.len(),
                kb.sections.first().map_or("", |s| s.title.as_str()),
                kb.sections.last().map_or("", |s| s.title.as_str()),
            )),
        ]),
        Line::from(vec![
            Span::styled("2. Explain ", theme.strong()),
            Span::raw("every choice, with a live preview of the architecture it leads to and its conflicts."),
        ]),
        Line::from(vec![
            Span::styled("3. Export ", theme.strong()),
            Span::raw("a design record: decisions, network rules, DNS zones, policies, roles, next steps."),
        ]),
        Line::raw(""),
    ];
    let mut options: Vec<String> = Vec::new();
    if let Some(autosave) = &app.welcome.autosave {
        let answers = autosave.given.0.len();
        let at = match &autosave.position {
            Position::Question(id) => format!("at `{}`", clean(id)),
            Position::Editing(id) => format!("editing `{}` from the review", clean(id)),
            Position::Review => "at the review".to_string(),
        };
        options.push(format!("Resume the autosaved interview ({answers} answers, {at})"));
        options.push("Start a new interview (replaces the autosave)".to_string());
    } else {
        options.push("Start the interview".to_string());
    }
    for (index, option) in options.into_iter().enumerate() {
        if index == app.welcome.cursor {
            lines.push(Line::styled(format!("› {option}"), theme.highlight()));
        } else {
            lines.push(Line::raw(format!("  {option}")));
        }
    }
    lines.push(Line::raw(""));
    if let Some(problem) = &app.welcome.problem {
        lines.push(Line::styled(
            format!("The autosave cannot be resumed: {}", clean(problem)),
            theme.warning(),
        ));
    }
    match &app.data_dir {
        Some(dir) => lines.push(Line::styled(
            format!(
                "Every confirmed answer is autosaved in {}",
                clean(&crate::paths::autosave_file(dir).display().to_string())
            ),
            theme.dim(),
        )),
        None => lines.push(Line::styled(
            match &app.autosave_busy {
                Some(busy) => format!(
                    "Autosave is off: {}. Press s on the review to save these answers.",
                    clean(busy)
                ),
                None => "Autosave is off: no data folder (set AML_ADVISOR_DATA_DIR to enable it).".to_string(),
            },
            theme.warning(),
        )),
    }
    lines.push(Line::styled(
        format!(
            "Knowledge base {}, reviewed {}. Press ? or F1 for every key (F1 in a text field).",
            clean(&kb.meta.version),
            clean(&kb.meta.reviewed)
        ),
        theme.dim(),
    ));
    // Size the box to its wrapped text (plus the border and a spare line), centred in the body.
    let inner_width = width.saturating_sub(super::CHROME);
    let text_height = super::text::wrapped_height(&lines, usize::from(inner_width));
    let height = u16::try_from(text_height)
        .unwrap_or(u16::MAX)
        .saturating_add(3)
        .min(area.height);
    let paragraph = Paragraph::new(lines).block(block).wrap(Wrap { trim: false });
    let box_area = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(paragraph, box_area);
}
