//! The result screen: a tab row and the current tab's text, scrolled, with search matches
//! highlighted; and where its web addresses are on the screen (for terminal hyperlinks).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clean, fit, width};
use crate::knowledge::model::Severity;
use crate::tui::app::{App, Search, TABS};
use crate::tui::layout;

pub fn render(app: &App<'_>, frame: &mut Frame, body: Rect) {
    let theme = app.theme;
    let [tabs_area, text_area] = layout::result(body);
    let findings = app.result.recommendation.as_ref().map_or(0, |r| {
        r.count(Severity::Conflict) + r.count(Severity::Warning) + r.count(Severity::Info)
    });
    let mut spans: Vec<Span> = vec![Span::raw(" ")];
    for (index, text) in tab_labels(findings, app.result.tab, usize::from(tabs_area.width))
        .into_iter()
        .enumerate()
    {
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
    let query = app.result.search.as_ref().map(Search::query).unwrap_or_default();
    let current = app
        .result
        .search
        .as_ref()
        .and_then(|search| search.matches.get(search.current).copied());
    let visible: Vec<Line> = lines[scroll..end]
        .iter()
        .enumerate()
        .map(|(offset, line)| {
            let style = if current == Some(scroll + offset) {
                theme.highlight()
            } else {
                theme.found()
            };
            highlight(line, &query, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(visible).block(block), text_area);
}

/// The tab row's labels for `columns`: numbered long titles when they fit, else numbered
/// short ones, else every number with as many short titles as fit, the current tab's first
/// and then its neighbours'. Every tab stays reachable and the current one is always named.
pub fn tab_labels(findings: usize, current: usize, columns: usize) -> Vec<String> {
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
    let named = |index: usize, title: &str| format!(" {} {title} ", index + 1);
    let bare = |index: usize| format!(" {} ", index + 1);
    // The leading space and one separator between tabs.
    let total = |labels: &[String]| labels.iter().map(|label| width(label)).sum::<usize>() + labels.len();
    for long in [true, false] {
        let labels: Vec<String> = titles(long)
            .iter()
            .enumerate()
            .map(|(index, title)| named(index, title))
            .collect();
        if total(&labels) <= columns {
            return labels;
        }
    }
    let short = titles(false);
    let mut labels: Vec<String> = (0..TABS.len()).map(bare).collect();
    let mut order: Vec<usize> = (0..TABS.len()).collect();
    order.sort_by_key(|&index| index.abs_diff(current));
    for index in order {
        let before = std::mem::replace(&mut labels[index], named(index, &short[index]));
        if total(&labels) > columns && index != current {
            labels[index] = before;
        }
    }
    labels
}

/// `line` with every case-insensitive occurrence of `query` drawn in `style`.
fn highlight(line: &Line<'static>, query: &str, style: Style) -> Line<'static> {
    let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; such a line keeps its styles.
    if query.is_empty() || lower.len() != text.len() || !lower.contains(query) {
        return line.clone();
    }
    let ranges: Vec<(usize, usize)> = lower
        .match_indices(query)
        .map(|(start, found)| (start, start + found.len()))
        .collect();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut offset = 0;
    for span in &line.spans {
        let content = span.content.as_ref();
        let (start, end) = (offset, offset + content.len());
        let mut cut = start;
        for &(from, to) in &ranges {
            let (from, to) = (from.max(start), to.min(end));
            if from >= to {
                continue;
            }
            if cut < from {
                spans.push(Span::styled(text[cut..from].to_string(), span.style));
            }
            spans.push(Span::styled(text[from..to].to_string(), span.style.patch(style)));
            cut = to;
        }
        if cut < end {
            spans.push(Span::styled(text[cut..end].to_string(), span.style));
        }
        offset = end;
    }
    Line::from(spans).style(line.style)
}

/// The search prompt, drawn on the status line while the query is typed.
pub fn search_prompt(app: &App<'_>, search: &Search, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let count = match search.matches.len() {
        _ if search.query().is_empty() => String::new(),
        0 => "  no match in this tab".to_string(),
        1 => "  1 line matches".to_string(),
        n => format!("  {n} lines match"),
    };
    let room = usize::from(area.width).saturating_sub(width(&count) + 3);
    let value = clean(search.input.value()).into_owned();
    let shown = fit(&value, room);
    let line = Line::from(vec![
        Span::styled(" /", theme.key()),
        Span::styled(shown.clone(), theme.field()),
        Span::styled(count, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let column = 2 + width(&shown).min(room);
    let x = area.x + u16::try_from(column).unwrap_or(0).min(area.width.saturating_sub(1));
    frame.set_cursor_position(Position::new(x, area.y));
}

/// A web address on the screen: the cells from `x` on row `y`, `width` wide, link to `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLink {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub url: String,
}

/// Where the web addresses of the current tab are on a `width` × `height` screen.
pub fn visible_links(app: &App<'_>, width: u16, height: u16) -> Vec<ScreenLink> {
    let [_, text_area] = layout::result(layout::body(width, height));
    let inner = super::panel(ratatui::style::Style::default()).inner(text_area);
    let page = usize::from(inner.height);
    let lines = app.result.lines.len();
    let scroll = app.result.scroll.min(lines.saturating_sub(page));
    app.result
        .links
        .iter()
        .filter(|link| link.line >= scroll && link.line < scroll + page)
        .filter_map(|link| {
            let column = u16::try_from(link.column).ok()?;
            let room = inner.width.checked_sub(column).filter(|room| *room > 0)?;
            Some(ScreenLink {
                x: inner.x + column,
                y: inner.y + u16::try_from(link.line - scroll).ok()?,
                width: u16::try_from(link.width).unwrap_or(u16::MAX).min(room),
                url: link.url.clone(),
            })
        })
        .collect()
}
