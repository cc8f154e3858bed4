//! `aml-advisor completions SHELL`: the completion script, generated from the same clap
//! definition that parses the command line, so it can never offer an option that is gone.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::failure::Failure;

pub fn run(shell: Shell) -> Result<(), Failure> {
    super::print(&script(shell))
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "aml-advisor", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
