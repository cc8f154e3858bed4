//! Geometry shared by drawing and by `update` (which needs page sizes to clamp scrolling).

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::App;
use super::keymap::Context;
use super::ui;

/// Below this the interface shows a "terminal too small" notice instead of the screens.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Header, body, status line, key bar.
pub fn screen(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

pub fn body(width: u16, height: u16) -> Rect {
    screen(Rect::new(0, 0, width, height))[1]
}

/// The result screen's body: the tab row and the bordered text.
pub fn result(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body)
}

/// Width and height of the result text inside its border.
pub fn result_content_size(width: u16, height: u16) -> (u16, u16) {
    let [_, text] = result(body(width, height));
    (
        text.width.saturating_sub(ui::CHROME).max(1),
        text.height.saturating_sub(2),
    )
}

/// The help overlay's outer rectangle for the keys of `context`: as tall as its text.
pub fn help_area(area: Rect, context: Context) -> Rect {
    let width = area.width.saturating_sub(4).min(84);
    let lines = ui::help::line_count(context, width.saturating_sub(ui::CHROME));
    let lines = u16::try_from(lines).unwrap_or(u16::MAX);
    let height = area.height.saturating_sub(2).min(lines.saturating_add(2));
    area.centered(Constraint::Length(width), Constraint::Length(height))
}

/// Lines visible in the help overlay.
pub fn help_page(context: Context, width: u16, height: u16) -> u16 {
    help_area(Rect::new(0, 0, width, height), context)
        .height
        .saturating_sub(2)
        .max(1)
}

pub fn help_max_scroll(context: Context, width: u16, height: u16) -> u16 {
    let area = help_area(Rect::new(0, 0, width, height), context);
    let lines = ui::help::line_count(context, area.width.saturating_sub(ui::CHROME));
    let lines = u16::try_from(lines).unwrap_or(u16::MAX);
    lines.saturating_sub(help_page(context, width, height))
}

/// How far the explanation panel of the current question can scroll.
pub fn question_help_max_scroll(app: &App<'_>) -> u16 {
    let areas = ui::question::areas(app, body(app.width, app.height));
    let inner_width = areas.help.width.saturating_sub(ui::CHROME);
    let inner_height = areas.help.height.saturating_sub(2);
    let lines = ui::question::help_lines(app, inner_width).len();
    u16::try_from(lines).unwrap_or(u16::MAX).saturating_sub(inner_height)
}
