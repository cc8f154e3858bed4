//! `aml-advisor man`: the man page (roff), generated from the clap definition, with the exit
//! codes and the autosave location that `--help` states.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{AUTOSAVE_LOCATION, Cli, EXIT_CODES};
use crate::failure::Failure;
use crate::output::write_file;

pub fn run(output_dir: Option<&Path>) -> Result<(), Failure> {
    match output_dir {
        None => super::print(&page(&command())),
        Some(dir) => {
            super::create_folder(dir, "--output-dir")?;
            let pages = pages();
            for (name, text) in &pages {
                // Regenerated pages replace the old ones: they are build output, not edits.
                write_file(&dir.join(name), text.as_bytes(), true)?;
            }
            super::progress(&format!("wrote {} man pages to {}", pages.len(), dir.display()));
            Ok(())
        }
    }
}

/// `aml-advisor.1` and one page per command, nested ones included (`aml-advisor-recommend.1`,
/// `aml-advisor-knowledge-check.1`, ...), named as `man aml-advisor-recommend` finds them.
pub fn pages() -> Vec<(String, String)> {
    let mut root = command();
    // Building gives every subcommand its display name, `aml-advisor-recommend`.
    root.build();
    let mut pages = Vec::new();
    collect(&root, &mut pages);
    pages
}

fn collect(command: &clap::Command, pages: &mut Vec<(String, String)>) {
    pages.push((clap_mangen::Man::new(command.clone()).get_filename(), page(command)));
    for sub in command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
    {
        collect(sub, pages);
    }
}

/// The command line as the pages describe it: `aml-advisor help` is left out, since the page
/// of every command is its help.
fn command() -> clap::Command {
    Cli::command().disable_help_subcommand(true)
}

/// One page: clap_mangen's sections (name, synopsis, description, options, commands,
/// version), with the help's footer as the sections man readers look for: EXIT STATUS and
/// FILES.
fn page(command: &clap::Command) -> String {
    // The footer would otherwise be rendered as a section called EXTRA.
    let man = clap_mangen::Man::new(command.clone().after_help(None::<&str>));
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render(&mut out);
    let mut page = String::from_utf8_lossy(&out).into_owned();
    page.push_str(&format!(".SH \"EXIT STATUS\"\n{}\n", roff_text(EXIT_CODES)));
    page.push_str(&format!(
        ".SH FILES\nThe interview autosaves its answers in {}\n",
        roff_text(AUTOSAVE_LOCATION)
    ));
    page
}

/// Plain text for a roff paragraph: backslashes and hyphens escaped, and a leading `.` or `'`
/// kept from being read as a request.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
