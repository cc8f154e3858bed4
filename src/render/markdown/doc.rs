//! The Markdown writer: blocks separated by one blank line, list items, fenced code and tables.

use std::collections::HashSet;
use std::fmt::Write;

use super::WIDTH;
use crate::render::markdown_escape as esc;

/// Writes Markdown blocks separated by one blank line; all text given to it is already escaped.
#[derive(Default)]
pub(super) struct Doc {
    pub(super) out: String,
    /// The anchors of the headings written so far, as GitHub makes them.
    anchors: HashSet<String>,
}

impl Doc {
    /// Ends the previous block with a blank line.
    pub(super) fn start_block(&mut self) {
        if self.out.is_empty() || self.out.ends_with("\n\n") {
            return;
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    /// A heading, made unique: a link to a repeated heading would always land on the first
    /// (GitHub numbers the anchors of repeats), so a repeat gets its number in the text.
    pub(super) fn heading(&mut self, level: usize, markdown: &str) {
        self.start_block();
        let mut text = markdown.to_string();
        let mut count = 1;
        while !self.anchors.insert(anchor(&text)) {
            count += 1;
            text = format!("{markdown} ({count})");
        }
        let _ = writeln!(self.out, "{} {text}", "#".repeat(level));
    }

    pub(super) fn para(&mut self, markdown: &str) {
        if markdown.is_empty() {
            return;
        }
        self.start_block();
        self.out.push_str(&wrap(markdown, "", ""));
    }

    pub(super) fn start_list(&mut self) {
        self.start_block();
    }

    /// A bullet list of one-paragraph items.
    pub(super) fn list(&mut self, items: &[String]) {
        self.start_list();
        for item in items {
            self.item(0, "-", item);
        }
    }

    /// One list item (`marker` is `-` or `- [ ]`) at nesting `depth`, wrapped with its
    /// continuation lines aligned under the text.
    pub(super) fn item(&mut self, depth: usize, marker: &str, markdown: &str) {
        let first = format!("{}{marker} ", "  ".repeat(depth));
        let rest = " ".repeat(first.chars().count());
        let markdown = if markdown.is_empty() { "(empty)" } else { markdown };
        self.out.push_str(&wrap(markdown, &first, &rest));
    }

    /// Ends the current line and leaves one blank line, inside a list item as well.
    fn blank_line(&mut self) {
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        if !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// A paragraph line inside the current list item (after a code block).
    pub(super) fn continuation(&mut self, indent: &str, markdown: &str) {
        self.out.push_str(&wrap(markdown, indent, indent));
    }

    /// A fenced code block holding `content` exactly (controls removed), indented into a list
    /// item when `indent` is not empty. Nothing is written for empty content.
    pub(super) fn code_block(&mut self, indent: &str, info: &str, content: &str) {
        let content = esc::clean_block(content);
        if content.is_empty() {
            return;
        }
        // Blank lines around every fence, in list items too: renderers that need them
        // (and markdownlint's MD031) would otherwise run the fence into the text.
        self.blank_line();
        let fence = esc::block_fence(&content);
        let _ = writeln!(self.out, "{indent}{fence}{info}");
        for line in content.lines() {
            if line.is_empty() {
                self.out.push('\n');
            } else {
                let _ = writeln!(self.out, "{indent}{line}");
            }
        }
        let _ = writeln!(self.out, "{indent}{fence}");
        self.blank_line();
    }

    /// A table; every row has the header's number of cells (missing cells are left empty).
    pub(super) fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.start_block();
        let _ = writeln!(self.out, "| {} |", header.join(" | "));
        let _ = writeln!(self.out, "|{}", " --- |".repeat(header.len()));
        for row in rows {
            let cells: Vec<&str> = (0..header.len())
                .map(|index| row.get(index).map_or("", String::as_str))
                .collect();
            let _ = writeln!(self.out, "| {} |", cells.join(" | "));
        }
    }
}

/// A heading's anchor as GitHub computes it: lower case, spaces to `-`, other punctuation
/// dropped.
fn anchor(markdown: &str) -> String {
    markdown
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Wraps escaped Markdown at `WIDTH` columns; `wrap::paragraph` never splits a word, so links
/// and code spans stay whole.
pub(super) fn wrap(markdown: &str, first: &str, rest: &str) -> String {
    crate::render::wrap::paragraph(markdown, WIDTH, first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown_escape::PROTECTED_SPACE;

    #[test]
    fn repeated_headings_are_numbered() {
        let mut doc = Doc::default();
        doc.heading(3, "Data protection");
        doc.heading(3, "Data protection");
        doc.heading(3, "Data protection!");
        assert_eq!(
            doc.out,
            "### Data protection\n\n### Data protection (2)\n\n### Data protection! (3)\n"
        );
    }

    #[test]
    fn fences_in_list_items_have_blank_lines_around_them() {
        let mut doc = Doc::default();
        doc.start_list();
        doc.item(0, "-", "Check");
        doc.code_block("  ", "sh", "az version");
        doc.continuation("  ", "Expected: a version.");
        doc.item(0, "-", "Next");
        assert_eq!(
            doc.out,
            "- Check\n\n  ```sh\n  az version\n  ```\n\n  Expected: a version.\n- Next\n"
        );
    }

    #[test]
    pub(super) fn wrapping_keeps_code_spans_and_urls_whole() {
        let code = esc::code("az network private-endpoint create --name x");
        let text = format!(
            "{} {code} [a title](https://learn.microsoft.com/how-to-managed-network)",
            "word ".repeat(17)
        );
        let wrapped = wrap(&text, "- ", "  ").replace(PROTECTED_SPACE, " ");
        assert!(
            wrapped.contains("`az network private-endpoint create --name x`"),
            "{wrapped}"
        );
        assert!(
            wrapped.contains("(https://learn.microsoft.com/how-to-managed-network)"),
            "{wrapped}"
        );
        assert!(wrapped.lines().all(|line| line.chars().count() <= WIDTH), "{wrapped}");
    }
}
