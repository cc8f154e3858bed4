//! aml-advisor: the advice of a senior Azure architect for putting Azure Machine Learning
//! behind a secure network. The library holds everything; `main.rs` only parses arguments.

pub mod answers;
pub mod cli;
mod commands;
pub mod diagnostic;
pub mod engine;
pub mod estate;
pub mod failure;
pub mod iac;
pub mod input;
pub mod knowledge;
pub mod locate;
pub mod output;
pub mod output_dir;
pub mod paths;
pub mod placeholder;
pub mod render;
pub mod sanitize;
pub mod tui;
pub mod upstream;
pub mod yaml;

use std::process::ExitCode;

use cli::{Cli, Command, KnowledgeCommand};
use failure::Failure;
use knowledge::KnowledgeBase;

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprint!("{}", failure.report());
            failure.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Failure> {
    commands::set_quiet(cli.quiet);
    let knowledge_dir = cli.knowledge.as_deref();
    match cli.command {
        Some(Command::Knowledge {
            command: KnowledgeCommand::Check,
        }) => commands::knowledge::check(knowledge_dir),
        Some(Command::Knowledge {
            command: KnowledgeCommand::Export { dir, force },
        }) => commands::knowledge::export(&dir, force),
        Some(Command::Assess(args)) => commands::assess::run(&KnowledgeBase::load(knowledge_dir)?, &args),
        Some(Command::Recommend(args)) => commands::recommend::run(&KnowledgeBase::load(knowledge_dir)?, &args),
        Some(Command::Template) => commands::print(&answers::template::render(&KnowledgeBase::load(knowledge_dir)?)),
        Some(Command::Schema { of }) => commands::schema::run(knowledge_dir, of),
        Some(Command::Completions { shell }) => commands::completions::run(shell),
        Some(Command::Man { output_dir }) => commands::man::run(output_dir.as_deref()),
        Some(Command::Iac(args)) => commands::iac::run(&KnowledgeBase::load(knowledge_dir)?, &args),
        Some(Command::Interview(args)) => commands::interview::run(knowledge_dir, &args),
        None => commands::interview::run(knowledge_dir, &cli::InterviewArgs::default()),
    }
}
