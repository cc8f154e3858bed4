//! The result screen: a tab row and the current tab's text, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::width;
use crate::knowledge::model::Severity;
use crate::tui::app::{App, TABS};
use crate::tui::layout;

pub fn render(app: &App<'_>, frame: &mut Frame, body: Rect) {
    let theme = app.theme;
    let [tabs_area, text_area] = layout::result(body);
    let findings = app.result.recommendation.as_ref().map_or(0, |r| {
        r.count(Severity::Conflict) + r.count(Severity::Warning) + r.count(Severity::Info)
    });
    // Long titles when they fit, else short ones.
    let titles = |long: bool| -> Vec<String> {
        TABS.iter()
            .enumerate()
            .map(|(index, (full, short))| {
                let title = if long { *full } else { *short };
                if index == 2 && findings > 0 {
                    format!("{title} ({findings})")
                } else {
                    title.to_string()
                }
            })
            .collect()
    };
    let total = |titles: &[String], numbered: bool| -> usize {
        titles
            .iter()
            .map(|t| width(t) + if numbered { 4 } else { 2 })
            .sum::<usize>()
            + titles.len()
            + 1
    };
    let available = usize::from(tabs_area.width);
    let long = titles(true);
    let (titles, numbered) = if total(&long, true) <= available {
        (long, true)
    } else {
        let short = titles(false);
        let numbered = total(&short, true) <= available;
        (short, numbered)
    };
    let mut spans: Vec<Span> = vec![Span::raw(" ")];
    for (index, title) in titles.iter().enumerate() {
        let text = if numbered {
            format!(" {} {title} ", index + 1)
        } else {
            format!(" {title} ")
        };
        let style = if index == app.result.tab {
            theme.highlight()
        } else {
            theme.text()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::styled("│", theme.border()));
    }
    spans.pop();
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs_area);

    let lines = &app.result.lines;
    let page = usize::from(text_area.height.saturating_sub(2));
    let scroll = app.result.scroll.min(lines.len().saturating_sub(page));
    let end = (scroll + page).min(lines.len());
    let position = if lines.len() > page {
        format!(" {}–{} of {} ", scroll + 1, end, lines.len())
    } else {
        String::new()
    };
    let title = TABS.get(app.result.tab).map_or("", |(full, _)| full);
    let block = super::panel(theme.focus_border())
        .title(Span::styled(format!(" {title} "), theme.title()))
        .title_bottom(Line::styled(position, theme.dim()).right_aligned());
    let visible: Vec<Line> = lines[scroll..end].to_vec();
    frame.render_widget(Paragraph::new(visible).block(block), text_area);
}
