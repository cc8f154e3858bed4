//! The question screen: sections with progress, the prompt and its choices (or a text field
//! with suggestions), the explanation with its sources, and the live preview.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text::{clean, fit, pad, width, wrap};
use crate::answers::AnswerValue;
use crate::knowledge::model::Severity;
use crate::knowledge::model::{Question, QuestionKind};
use crate::tui::app::{App, Preview};
use crate::tui::theme::Theme;

pub struct QuestionAreas {
    pub sidebar: Rect,
    pub question: Rect,
    pub help: Rect,
    pub preview: Rect,
}

/// The explanation panel gets at least this many rows (with its border).
const HELP_MIN: u16 = 5;

/// Height of the live preview box for a body of `body` rows: its lines and border, at least
/// the architecture and the counts, and at most a third of the body.
pub fn preview_height(app: &App<'_>, body: Rect) -> u16 {
    let wanted = app
        .preview
        .as_ref()
        .map_or(2, |preview| 2 + preview.findings.len() + preview.removed.len());
    let most = usize::from(body.height / 3).max(4);
    u16::try_from((wanted + 2).clamp(4, most)).unwrap_or(4)
}

pub fn areas(app: &App<'_>, body: Rect) -> QuestionAreas {
    let [top, preview] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(preview_height(app, body))]).areas(body);
    let sidebar_width = if body.width >= 100 { 30 } else { 24 };
    let [sidebar, main] = Layout::horizontal([Constraint::Length(sidebar_width), Constraint::Fill(1)]).areas(top);
    let inner_width = main.width.saturating_sub(super::CHROME);
    let full = u16::try_from(question_lines(app, inner_width, false).lines.len()).unwrap_or(u16::MAX);
    let wanted = full.saturating_add(2);
    let limit = main.height.saturating_sub(HELP_MIN);
    let height = wanted.min(limit).max(main.height.min(6));
    let [question, help] = Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(main);
    QuestionAreas {
        sidebar,
        question,
        help,
        preview,
    }
}

pub fn render(app: &App<'_>, frame: &mut Frame, body: Rect) {
    let Some(question) = app.interview.question(app.question.index) else {
        return;
    };
    let areas = areas(app, body);
    sidebar(app, frame, areas.sidebar);
    render_question(app, question, frame, areas.question);
    render_help(app, frame, areas.help);
    // The title stays inside the border: its corners and one line on each side.
    let room = usize::from(areas.preview.width.saturating_sub(6));
    let title = match app.tentative() {
        Some(value) => {
            let head = " Live preview: if you confirm ";
            let value = fit(&short_value(question, &value), room.saturating_sub(width(head) + 1));
            fit(&format!("{head}{value} "), room)
        }
        None => fit(" Live preview ", room),
    };
    preview(app, app.preview.as_ref(), &title, frame, areas.preview);
}

fn short_value(question: &Question, value: &AnswerValue) -> String {
    match value {
        AnswerValue::Choices(ids) if ids.is_empty() => "none".to_string(),
        _ => format!("“{}”", crate::tui::flow::display_value(question, value)),
    }
}

fn sidebar(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let picking = app.sections;
    let kb = app.kb();
    let current_section = app
        .interview
        .question(app.question.index)
        .map(|question| question.section.as_str());
    let inner = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::with_capacity(kb.sections.len());
    for section in &kb.sections {
        let (mut applicable, mut answered) = (0, 0);
        for index in app.interview.applicable() {
            if kb.questions[index].section == section.id {
                applicable += 1;
                if app.interview.is_answered(index) {
                    answered += 1;
                }
            }
        }
        let current = current_section == Some(section.id.as_str());
        let picked = picking == Some(lines.len());
        let (mark, style) = if picked {
            ("›", theme.highlight())
        } else if current && picking.is_some() {
            ("▸", theme.strong())
        } else if current {
            ("▸", theme.highlight())
        } else if applicable == 0 {
            (" ", theme.dim())
        } else if answered == applicable {
            ("✓", theme.ok())
        } else {
            ("·", theme.text())
        };
        let count = if applicable == 0 {
            "–".to_string()
        } else {
            format!("{answered}/{applicable}")
        };
        let title_width = inner.saturating_sub(width(&count) + 3);
        let title = pad(&fit(&clean(&section.title), title_width), title_width);
        lines.push(Line::styled(format!("{mark} {title} {count}"), style));
    }
    let border = if picking.is_some() {
        theme.focus_border()
    } else {
        theme.border()
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Span::styled(" Sections ", theme.title()));
    // In a short terminal the list scrolls to keep the highlighted (or current) section in view.
    let focus = picking
        .or_else(|| {
            kb.sections
                .iter()
                .position(|section| Some(section.id.as_str()) == current_section)
        })
        .unwrap_or(0);
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let scroll = u16::try_from((focus + 1).saturating_sub(rows)).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// The prompt and the answer widget, as lines; `focus` is the line range to keep visible and
/// `cursor` the text cursor (column, line).
pub struct Built {
    pub lines: Vec<Line<'static>>,
    pub focus: (usize, usize),
    pub cursor: Option<(u16, usize)>,
}

/// Builds the question panel's content for `width` columns. `compact` shows only the
/// highlighted choice's description (for short terminals).
pub fn question_lines(app: &App<'_>, width: u16, compact: bool) -> Built {
    let theme = app.theme;
    let mut built = Built {
        lines: Vec::new(),
        focus: (0, 0),
        cursor: None,
    };
    let Some(question) = app.interview.question(app.question.index) else {
        return built;
    };
    let width = usize::from(width).max(10);
    for line in wrap(&question.prompt, width, "", "") {
        built.lines.push(Line::styled(line, theme.strong()));
    }
    built.lines.push(Line::raw(""));
    match question.kind {
        QuestionKind::Single | QuestionKind::Multi => choices(app, question, width, compact, &mut built),
        QuestionKind::Text => field(app, question, width, compact, theme, &mut built),
    }
    built
}

fn choices(app: &App<'_>, question: &Question, width: usize, compact: bool, built: &mut Built) {
    let theme = app.theme;
    let state = &app.question;
    let default_ids: Vec<&str> = match &state.default {
        Some((AnswerValue::Choice(id), _)) => vec![id.as_str()],
        Some((AnswerValue::Choices(ids), _)) => ids.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let multi = question.kind == QuestionKind::Multi;
    let saved = match app.interview.given().get(&question.id) {
        Some(AnswerValue::Choice(id)) => Some(id.as_str()),
        _ => None,
    };
    for (slot, &position) in state.offered.iter().enumerate() {
        let choice = &question.choices[position];
        let highlighted = slot == state.cursor;
        let start = built.lines.len();
        let pointer = if highlighted { "›" } else { " " };
        let mark = if multi {
            if state.ticked.get(slot).copied().unwrap_or(false) {
                "[x] "
            } else {
                "[ ] "
            }
        } else if saved == Some(choice.id.as_str()) {
            // The confirmed answer keeps its mark wherever the highlight goes.
            "● "
        } else {
            "○ "
        };
        let tag = if saved == Some(choice.id.as_str()) {
            " (your answer)"
        } else if default_ids.contains(&choice.id.as_str()) {
            " (default)"
        } else {
            ""
        };
        let head = format!("{pointer} {mark}{}", clean(&choice.label));
        let style = if highlighted { theme.highlight() } else { theme.text() };
        let head_width = width.saturating_sub(width_of(tag));
        let mut spans = vec![Span::styled(pad(&fit(&head, head_width), head_width), style)];
        if !tag.is_empty() {
            spans.push(Span::styled(tag, theme.dim()));
        }
        built.lines.push(Line::from(spans));
        if !compact || highlighted {
            let indent = if multi { "        " } else { "      " };
            for line in wrap(&choice.description, width, indent, indent) {
                built.lines.push(Line::styled(line, theme.dim()));
            }
        }
        if highlighted {
            built.focus = (start, built.lines.len());
        }
    }
    if state.offered.is_empty() {
        built.lines.push(Line::styled(
            "No choice is offered under the earlier answers.",
            theme.warning(),
        ));
    }
    if multi {
        let hint = match state.ticked.iter().filter(|t| **t).count() {
            0 => "none ticked: Enter confirms “none”".to_string(),
            n => format!("{n} ticked: Space ticks or unticks, Enter confirms"),
        };
        built
            .lines
            .push(Line::styled(fit(&format!("  {hint}"), width), theme.dim()));
    }
}

/// `width` under another name: the panel functions below have a `width` parameter that
/// shadows the text-width function.
fn width_of(text: &str) -> usize {
    width(text)
}

fn field(app: &App<'_>, question: &Question, width: usize, compact: bool, theme: Theme, built: &mut Built) {
    let state = &app.question;
    let input = &state.input;
    let prefix = "› ";
    let room = width.saturating_sub(3).max(4);
    // Scroll the field horizontally so the cursor stays visible.
    let chars: Vec<char> = input.value().chars().collect();
    let start = input.cursor().saturating_sub(room.saturating_sub(1));
    let shown: String = chars.iter().skip(start).take(room).collect();
    let line_index = built.lines.len();
    if input.is_empty() {
        let placeholder = match &state.default {
            Some((AnswerValue::Text(default), _)) => format!("{} (Enter keeps this default)", clean(default)),
            _ => "type the answer (required)".to_string(),
        };
        built.lines.push(Line::from(vec![
            Span::styled(prefix, theme.key()),
            Span::styled(fit(&placeholder, room), theme.dim()),
        ]));
    } else {
        built.lines.push(Line::from(vec![
            Span::styled(prefix, theme.key()),
            Span::styled(shown, theme.field()),
        ]));
    }
    let column = width_of(prefix) + input.cursor().saturating_sub(start);
    built.cursor = Some((u16::try_from(column).unwrap_or(0), line_index));
    built.focus = (line_index, line_index + 1);
    match &state.error {
        Some(error) => {
            for line in wrap(error, width, "  ✗ ", "    ") {
                built.lines.push(Line::styled(line, theme.error()));
            }
        }
        None => match app.typed_value() {
            Ok(AnswerValue::Text(value)) if !input.is_empty() || state.suggestion.is_some() => {
                let text = fit(&format!("  ✓ Enter confirms `{}`", clean(&value)), width);
                built.lines.push(Line::styled(text, theme.ok()));
            }
            _ => {}
        },
    }
    if state.suggestions.is_empty() {
        if let Some(rule) = &question.text {
            let hint = match (rule.min_length, rule.max_length) {
                (Some(min), Some(max)) => format!("  {min} to {max} characters"),
                (None, Some(max)) => format!("  at most {max} characters"),
                (Some(min), None) => format!("  at least {min} characters"),
                (None, None) => String::new(),
            };
            if !hint.is_empty() && !compact {
                built.lines.push(Line::styled(hint, theme.dim()));
            }
        }
        return;
    }
    let kb = app.kb();
    built.lines.push(Line::styled(
        format!(
            "  {} region(s) match · ↑↓ highlight · Tab completes · Enter takes",
            state.suggestions.len()
        ),
        theme.dim(),
    ));
    let shown_count = if compact { 3 } else { 6 };
    let highlighted = state.suggestion.unwrap_or(0);
    let first = highlighted.saturating_sub(shown_count - 1);
    for (offset, &region) in state.suggestions.iter().enumerate().skip(first).take(shown_count) {
        let region = &kb.regions[region];
        let selected = state.suggestion == Some(offset);
        let text = format!(
            "{} {} {}",
            if selected { "›" } else { " " },
            pad(&clean(&region.id), 20),
            clean(&region.name)
        );
        let style: Style = if selected { theme.highlight() } else { theme.text() };
        if selected {
            built.focus.1 = built.lines.len() + 1;
        }
        built.lines.push(Line::styled(
            format!("  {}", fit(&text, width.saturating_sub(2))),
            style,
        ));
    }
}

fn render_question(app: &App<'_>, question: &Question, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let inner_width = area.width.saturating_sub(super::CHROME);
    let inner_height = usize::from(area.height.saturating_sub(2));
    let mut built = question_lines(app, inner_width, false);
    if built.lines.len() > inner_height {
        built = question_lines(app, inner_width, true);
    }
    // The end of the highlighted item in view, but never at the cost of its first line (the
    // choice itself): in a short panel its description is what gets cut.
    let scroll = built.focus.1.saturating_sub(inner_height).min(built.focus.0);
    let (position, total) = app.interview.progress(app.question.index);
    let title = Line::from(vec![
        Span::styled(format!(" Question {position} of about {total} "), theme.title()),
        Span::styled(format!("· {} ", clean(&question.id)), theme.dim()),
    ]);
    let block = super::panel(theme.focus_border()).title(title);
    let inner = block.inner(area);
    let scroll_u16 = u16::try_from(scroll).unwrap_or(0);
    frame.render_widget(Paragraph::new(built.lines).block(block).scroll((scroll_u16, 0)), area);
    if let Some((column, line)) = built.cursor
        && line >= scroll
        && line - scroll < inner_height
    {
        let y = inner.y + u16::try_from(line - scroll).unwrap_or(0);
        let x = inner.x + column.min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, y));
    }
}

/// The explanation panel's text for `width` columns: help, default with its reason, sources.
pub fn help_lines(app: &App<'_>, width: u16) -> Vec<Line<'static>> {
    let theme = app.theme;
    let kb = app.kb();
    let width = usize::from(width).max(10);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let Some(question) = app.interview.question(app.question.index) else {
        return lines;
    };
    for line in wrap(&question.help, width, "", "") {
        lines.push(Line::raw(line));
    }
    if let Some((value, reason)) = &app.question.default {
        lines.push(Line::raw(""));
        let shown = crate::tui::flow::display_value(question, value);
        for (index, line) in wrap(&format!("Default: {shown}. {reason}"), width, "", "  ")
            .into_iter()
            .enumerate()
        {
            lines.push(Line::styled(
                line,
                if index == 0 { theme.strong() } else { theme.text() },
            ));
        }
    }
    if !question.sources.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Sources", theme.strong()));
        for id in &question.sources {
            let text = match kb.source(id) {
                Some(source) => format!("{}: {}", source.title, source.location),
                None => id.clone(),
            };
            for line in wrap(&text, width, "• ", "  ") {
                lines.push(Line::styled(line, theme.dim()));
            }
        }
    }
    lines
}

fn render_help(app: &App<'_>, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let inner_width = area.width.saturating_sub(super::CHROME);
    let inner_height = area.height.saturating_sub(2);
    let lines = help_lines(app, inner_width);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let scroll = app.question.help_scroll.min(total.saturating_sub(inner_height));
    let mut block = super::panel(theme.border()).title(Span::styled(" Why it matters ", theme.title()));
    if total > inner_height {
        block = block.title_bottom(Line::styled(" PgUp/PgDn scroll ", theme.dim()).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// The preview box, shared by the question and review screens.
pub fn preview(app: &App<'_>, preview: Option<&Preview>, title: &str, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let block = super::panel(theme.border()).title(Span::styled(title.to_string(), theme.title()));
    let Some(preview) = preview else {
        frame.render_widget(block, area);
        return;
    };
    let inner = usize::from(area.width.saturating_sub(super::CHROME));
    let mut first = clean(&preview.architecture).into_owned();
    if let Some(variant) = &preview.variant {
        first.push_str(" · ");
        first.push_str(&clean(variant));
    }
    let mut counts: Vec<Span> = Vec::new();
    match preview.conflicts {
        0 => counts.push(Span::styled("✓ no conflicts", theme.ok())),
        1 => counts.push(Span::styled("✗ 1 conflict", theme.conflict())),
        n => counts.push(Span::styled(format!("✗ {n} conflicts"), theme.conflict())),
    }
    counts.push(Span::raw(" · "));
    match preview.warnings {
        0 => counts.push(Span::styled("no warnings", theme.ok())),
        1 => counts.push(Span::styled("! 1 warning", theme.warning())),
        n => counts.push(Span::styled(format!("! {n} warnings"), theme.warning())),
    }
    if !preview.missing.is_empty() {
        counts.push(Span::raw(" · "));
        counts.push(Span::styled(
            format!("still required: {}", preview.missing.join(", ")),
            theme.warning(),
        ));
    }
    let mut lines = vec![Line::styled(fit(&first, inner), theme.strong()), Line::from(counts)];
    // What the choice changes first: the findings it raises, then those it removes, then the
    // ones that stay whatever is chosen here.
    let rows = usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len());
    let mut named: Vec<Line> = Vec::new();
    for finding in preview.findings.iter().filter(|finding| finding.new) {
        named.push(finding_line(
            theme,
            finding.severity,
            &finding.title,
            " (this choice)",
            inner,
        ));
    }
    for finding in &preview.removed {
        let text = fit(&format!("✓ goes away: {}", clean(&finding.title)), inner);
        named.push(Line::styled(text, theme.ok()));
    }
    for finding in preview.findings.iter().filter(|finding| !finding.new) {
        named.push(finding_line(theme, finding.severity, &finding.title, "", inner));
    }
    if named.len() > rows && rows > 0 {
        let hidden = named.len() - (rows - 1);
        named.truncate(rows - 1);
        named.push(Line::styled(format!("… and {hidden} more"), theme.dim()));
    }
    named.truncate(rows);
    lines.extend(named);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One conflict or warning in the preview: its mark, its title, and `tag` kept visible.
fn finding_line(theme: Theme, severity: Severity, title: &str, tag: &str, width: usize) -> Line<'static> {
    let (mark, style) = match severity {
        Severity::Conflict => ("✗ ", theme.conflict()),
        _ => ("! ", theme.warning()),
    };
    let room = width.saturating_sub(width_of(mark) + width_of(tag));
    Line::from(vec![
        Span::styled(mark, style),
        Span::styled(fit(&clean(title), room), style),
        Span::styled(tag.to_string(), theme.strong()),
    ])
}
