//! The command line (a stable interface: scripts and CI pipelines call it).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, for `--help` and the man page.
pub const EXIT_CODES: &str = "0 success, 1 I/O or internal failure, 2 wrong command line or no terminal for the \
interview (use `interview --plain` or `recommend`), 65 invalid answers file, estate export or knowledge base.";

/// Where the interview autosaves, for `--help` and the man page.
pub const AUTOSAVE_LOCATION: &str = "$AML_ADVISOR_DATA_DIR, else ~/.local/share/aml-advisor (Linux), \
~/Library/Application Support/dev.aml-advisor.aml-advisor (macOS), %APPDATA%\\aml-advisor\\aml-advisor\\data (Windows).";

#[derive(Debug, Parser)]
#[command(
    name = "aml-advisor",
    version,
    about = "Advice of a senior Azure architect for putting Azure Machine Learning behind a secure network.",
    long_about = "Answer questions about your situation (in the interview, or in an answers file) and get \
one of three architectures with a decision, its reasons, pros, cons and concrete next steps for every \
area: network rules with your region, private DNS zones, Azure Policy and role assignments, CLI commands.\n\n\
With no command, in a terminal, the interview starts.",
    after_help = format!("Exit codes: {EXIT_CODES}\nInterview autosave: {AUTOSAVE_LOCATION}")
)]
pub struct Cli {
    /// Use the knowledge base in DIR (*.yaml files) instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    /// Print no progress messages ("wrote FILE") on standard error; errors and warnings still
    /// appear.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive interview (the default in a terminal).
    Interview(InterviewArgs),
    /// Turn an answers file into a recommendation (text, JSON or a Markdown design record).
    Recommend(RecommendArgs),
    /// Assess a deployed estate: answers read from Azure's JSON, the recommendation, and the
    /// drift between what is deployed and the recommended design.
    Assess(AssessArgs),
    /// Write the recommended design as Terraform or Bicep on Azure Verified Modules.
    Iac(IacArgs),
    /// Print a commented answers file: every question, its choices, default and when it is asked.
    Template,
    /// Print a JSON Schema: of the answers file (for editor completion), or of the
    /// `recommend --format json` output.
    Schema {
        #[arg(value_enum, default_value_t = SchemaOf::Answers)]
        of: SchemaOf,
    },
    /// Work with the knowledge base.
    Knowledge {
        #[command(subcommand)]
        command: KnowledgeCommand,
    },
    /// Print the shell completion script for SHELL (see the README for where to put it).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into DIR.
    Man {
        /// Write aml-advisor.1 and a page per command (aml-advisor-recommend.1, ...) into DIR.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
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
    /// Pre-fill the answers the deployed estate determines (the same exports `assess` reads);
    /// they are marked "from the estate" in the review.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "answers")]
    pub estate: Vec<PathBuf>,
    /// With --estate: the workspace to read when the estate holds several (name or ARM id).
    #[arg(long, value_name = "NAME", requires = "estate")]
    pub workspace: Option<String>,
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
pub struct AssessArgs {
    /// Estate exports (`-` reads standard input): ARM JSON as `az resource show`/`list` or the
    /// REST API return it, Azure Resource Graph output (`az graph query -o json`), or
    /// `az ml workspace show` output. Give several files, or several times.
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub estate: Vec<PathBuf>,
    /// Answers for what the estate does not show; where they differ from the estate they are
    /// the intended design, and the drift shows what reaching it takes.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// The workspace to assess when the estate holds several: its name or ARM id.
    #[arg(long, value_name = "NAME", conflicts_with = "output_dir")]
    pub workspace: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Fleet mode: one record per workspace of the estate into OUT, plus an index.md with the
    /// drift counts of each.
    #[arg(long, value_name = "OUT")]
    pub output_dir: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// Treat every question neither the estate nor the answers file answers as an error.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaOf {
    /// The answers file, generated from the knowledge base.
    Answers,
    /// The JSON output of `recommend --format json`.
    Recommendation,
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
