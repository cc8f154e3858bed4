//! The tools our users already run on the outputs (markdownlint-cli2, Mermaid CLI,
//! check-jsonschema, cmark-gfm), found where `.ci/run` installs them or on the PATH.
//!
//! In CI (`CI` set) a missing tool fails the test, so a check can never pass by not running;
//! on a developer machine the test says what it skipped and how to install it.

use std::path::{Path, PathBuf};

/// Where `.ci/run` installs the tools (npm packages and a Python virtual environment).
const CI_TOOLS: &str = ".ci/tools";

/// The tool's path, or `None` (after printing why) when it is missing outside CI.
pub fn find(tool: &str) -> Option<PathBuf> {
    let installed = [
        Path::new(CI_TOOLS).join("node_modules/.bin").join(tool),
        Path::new(CI_TOOLS).join("venv/bin").join(tool),
    ];
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(tool))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if let Some(found) = installed
        .into_iter()
        .chain(on_path)
        .find(|candidate| candidate.is_file())
    {
        return Some(found);
    }
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty() && value != "false");
    assert!(
        !ci,
        "{tool} is not installed; .ci/run installs it (CI is set, so this test may not skip)"
    );
    eprintln!("SKIPPED: {tool} is not installed; run .ci/run once, or install it, to run this check");
    None
}

/// Runs `command`, returning its standard output, or panicking with everything it printed.
pub fn run(command: &mut std::process::Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}
