use clap::Parser;

fn main() -> std::process::ExitCode {
    aml_advisor::run(aml_advisor::cli::Cli::parse())
}
