//! The command line (a stable interface: scripts and CI pipelines call it).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "aml-advisor",
    version,
    about = "Advice of a senior Azure architect for putting Azure Machine Learning behind a secure network.",
    long_about = "Answer questions about your situation (in the interview, or in an answers file) and get \
one of three architectures with a decision, its reasons, pros, cons and concrete next steps for every \
area: network rules with your region, private DNS zones, Azure Policy and role assignments, CLI commands.\n\n\
With no command, in a terminal, the interview starts.",
    after_help = "Exit codes: 0 success, 1 I/O or internal failure, 2 wrong command line, 65 invalid answers file or knowledge base.\n\
Interview autosave: $AML_ADVISOR_DATA_DIR, else ~/.local/share/aml-advisor (Linux), \
~/Library/Application Support/dev.aml-advisor.aml-advisor (macOS), %APPDATA%\\aml-advisor\\aml-advisor\\data (Windows)."
)]
pub struct Cli {
    /// Use the knowledge base in DIR (*.yaml files) instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive interview (the default in a terminal).
    Interview(InterviewArgs),
    /// Turn an answers file into a recommendation (text, JSON or a Markdown design record).
    Recommend(RecommendArgs),
    /// Write the recommended design as Terraform or Bicep on Azure Verified Modules.
    Iac(IacArgs),
    /// Print a commented answers file: every question, its choices, default and when it is asked.
    Template,
    /// Print the JSON Schema of the answers file (for editor completion).
    Schema,
    /// Work with the knowledge base.
    Knowledge {
        #[command(subcommand)]
        command: KnowledgeCommand,
    },
}

#[derive(Debug, Default, Args)]
pub struct InterviewArgs {
    /// Preload answers from FILE and open the review screen.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Resume the autosaved interview without asking.
    #[arg(long, conflicts_with = "new")]
    pub resume: bool,
    /// Start afresh, ignoring (and replacing) the autosave.
    #[arg(long)]
    pub new: bool,
    /// Numbered line prompts on standard input/output instead of the full-screen interface
    /// (for screen readers and pipes; also when TERM=dumb).
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The answers file (`-` reads standard input), or a folder of answers files (fleet mode,
    /// with --output-dir).
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Fleet mode: with --answers DIR, write one record per answers file into OUT, plus an
    /// index.md summary table.
    #[arg(long, value_name = "OUT")]
    pub output_dir: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Treat every unanswered question as an error instead of assuming its default.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct IacArgs {
    /// The answers file (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// The language to write.
    #[arg(long, value_enum)]
    pub target: IacTarget,
    /// The folder to write into (created; must be empty unless --force).
    #[arg(long, value_name = "DIR")]
    pub output_dir: PathBuf,
    /// Replace the generated files in a folder that is not empty (other files stay).
    #[arg(long)]
    pub force: bool,
    /// Treat every unanswered question as an error instead of assuming its default.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IacTarget {
    Terraform,
    Bicep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum KnowledgeCommand {
    /// Validate a knowledge base (the built-in one, or --knowledge DIR).
    Check,
    /// Write the built-in knowledge base to DIR as a starting point for your own.
    Export {
        dir: PathBuf,
        /// Replace files that already exist in DIR.
        #[arg(long)]
        force: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
