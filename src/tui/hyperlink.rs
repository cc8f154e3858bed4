//! Terminal hyperlinks (OSC 8) for the web addresses of the result: after a frame is drawn,
//! the cells of each address are written again wrapped in the hyperlink sequence, with the
//! same characters and styles, so the screen looks the same and a click opens the whole
//! address even where it is broken over lines. Only where the terminal is known to support
//! them: others may print the sequence as text.

use std::io::Write;

use ratatui::backend::IntoCrossterm;
use ratatui::buffer::Buffer;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, ContentStyle, PrintStyledContent, ResetColor, SetAttribute, StyledContent};

use super::ui::result::ScreenLink;

/// The variable that forces hyperlinks on (`1`) or off (`0`), as other command-line tools read it.
pub const FORCE_ENV: &str = "FORCE_HYPERLINK";

/// Whether the terminal described by the environment (`lookup` reads a variable) shows OSC 8
/// hyperlinks: `FORCE_HYPERLINK` decides when set; otherwise terminals known to support
/// them, and never a dumb terminal or an unknown one.
pub fn supported(lookup: impl Fn(&str) -> Option<String>) -> bool {
    if let Some(force) = lookup(FORCE_ENV) {
        return !matches!(force.trim(), "0" | "false" | "no" | "");
    }
    if lookup("TERM").is_some_and(|term| term == "dumb") {
        return false;
    }
    if lookup("WT_SESSION").is_some() || lookup("KITTY_WINDOW_ID").is_some() || lookup("WEZTERM_PANE").is_some() {
        return true;
    }
    if lookup("VTE_VERSION")
        .and_then(|version| version.trim().parse::<u32>().ok())
        .is_some_and(|version| version >= 5000)
    {
        return true;
    }
    if lookup("TERM_PROGRAM").is_some_and(|program| {
        matches!(
            program.as_str(),
            "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper" | "rio" | "Tabby"
        )
    }) {
        return true;
    }
    lookup("TERM").is_some_and(|term| {
        ["xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm"]
            .iter()
            .any(|known| term.starts_with(known))
    })
}

/// Writes `links` over the frame in `buffer`: each address's cells again, inside OSC 8.
pub fn write_links(out: &mut impl Write, buffer: &Buffer, links: &[ScreenLink]) -> std::io::Result<()> {
    for link in links {
        // The address goes into an escape sequence: nothing in it may end the sequence early.
        if link.url.chars().any(char::is_control) {
            continue;
        }
        queue!(out, MoveTo(link.x, link.y))?;
        write!(out, "\x1b]8;;{}\x1b\\", link.url)?;
        // Runs of cells with one style are written together.
        let mut run = String::new();
        let mut run_style = None;
        for x in link.x..link.x.saturating_add(link.width) {
            let Some(cell) = buffer.cell((x, link.y)) else { break };
            if run_style.is_some_and(|style| style != cell.style()) {
                print_run(out, &mut run, run_style)?;
            }
            run_style = Some(cell.style());
            run.push_str(cell.symbol());
        }
        print_run(out, &mut run, run_style)?;
        write!(out, "\x1b]8;;\x1b\\")?;
        queue!(out, SetAttribute(Attribute::Reset), ResetColor)?;
    }
    out.flush()
}

/// Writes `run` in `style` (a ratatui style, turned into crossterm's) and empties it.
fn print_run(out: &mut impl Write, run: &mut String, style: Option<ratatui::style::Style>) -> std::io::Result<()> {
    if let Some(style) = style.filter(|_| !run.is_empty()) {
        let style: ContentStyle = style.into_crossterm();
        queue!(out, PrintStyledContent(StyledContent::new(style, run.as_str())))?;
    }
    run.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    /// `text` without its CSI sequences (colours, cursor moves): ESC `[`, parameters, a letter.
    fn without_csi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' && chars.peek() == Some(&'[') {
                for next in chars.by_ref() {
                    if next.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn known_terminals_get_hyperlinks_and_unknown_ones_do_not() {
        assert!(supported(env(&[("TERM_PROGRAM", "iTerm.app")])));
        assert!(supported(env(&[("VTE_VERSION", "7006"), ("TERM", "xterm-256color")])));
        assert!(supported(env(&[("TERM", "xterm-kitty")])));
        assert!(!supported(env(&[("TERM", "xterm-256color")])));
        assert!(!supported(env(&[("TERM", "screen"), ("VTE_VERSION", "4000")])));
        assert!(!supported(env(&[("TERM", "dumb"), ("WT_SESSION", "1")])));
        assert!(supported(env(&[("TERM", "screen"), (FORCE_ENV, "1")])));
        assert!(!supported(env(&[("TERM_PROGRAM", "iTerm.app"), (FORCE_ENV, "0")])));
    }

    #[test]
    fn a_link_rewrites_its_cells_inside_the_hyperlink_sequence() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 30, 2));
        buffer.set_string(2, 1, "https://example.com/a", ratatui::style::Style::default());
        let links = [ScreenLink {
            x: 2,
            y: 1,
            width: 21,
            url: "https://example.com/a-whole-address".to_string(),
        }];
        let mut out = Vec::new();
        write_links(&mut out, &buffer, &links).expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        let open = text
            .find("\x1b]8;;https://example.com/a-whole-address\x1b\\")
            .expect("opened");
        let close = text.rfind("\x1b]8;;\x1b\\").expect("closed");
        assert!(open < close);
        let inside = without_csi(&text[open..close]);
        let inside = inside.trim_start_matches("\x1b]8;;https://example.com/a-whole-address\x1b\\");
        assert_eq!(inside, "https://example.com/a", "{text:?}");
        // A control character in an address would end the sequence early: not written.
        let mut out = Vec::new();
        let bad = [ScreenLink {
            url: "https://example.com/\x07x".to_string(),
            ..links[0].clone()
        }];
        write_links(&mut out, &buffer, &bad).expect("written");
        assert!(!String::from_utf8(out).expect("utf-8").contains("]8;;"));
    }
}
