//! The interview's command-line paths that need no terminal: the no-terminal error and plain
//! mode through a pipe (numbered prompts, defaults, `back`, `?`, saving, end of input).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixture_kb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-kb")
}

/// The binary with a clean environment: no colour or terminal settings from the caller, and
/// the data folder in `data` so nothing touches the real autosave.
fn advisor(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aml-advisor"));
    command
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("AML_ADVISOR_DATA_DIR", data);
    command
}

#[test]
fn without_a_terminal_the_interview_explains_the_alternatives_and_exits_2() {
    let data = tempfile::tempdir().expect("temp dir");
    for args in [&[][..], &["interview"][..], &["interview", "--resume"][..]] {
        advisor(data.path())
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("the interview needs a terminal"))
            .stderr(predicate::str::contains("aml-advisor recommend --answers FILE"))
            .stderr(predicate::str::contains("interview --plain"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn plain_mode_asks_numbered_questions_and_prints_the_recommendation() {
    let data = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    // workspace (typed), region (typed, after a wrong one), sensitivity by number, `?` then the
    // default, needs by number and id, back to change it, the network default, egress by id;
    // then save the answers and skip the record.
    let input = "contoso-ml\nwest\nwesteurope\n2\n?\n\n1, vms\nback\nkubernetes\n\nnat\nmine.yaml\nno\n";
    let assert = advisor(data.path())
        .current_dir(work.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .write_stdin(input)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        out.contains("Question 1 of about 7 (Context) [workspace_name]"),
        "{out}"
    );
    assert!(
        out.contains("Not accepted: `west` is not an Azure region name"),
        "{out}"
    );
    assert!(
        out.contains("  2. Confidential (default) [confidential]: Internal."),
        "choices are numbered with the default marked: {out}"
    );
    assert!(
        out.contains("Sensitivity sets later defaults.") || out.contains("Narrow outbound paths."),
        "{out}"
    );
    assert!(out.contains("Question 6 of about 7 (Network) [network_model]"), "{out}");
    assert!(
        out.contains("Answer [1-2, Enter = 2]: "),
        "the default follows the needs: {out}"
    );
    assert!(
        out.contains("Azure Machine Learning design for contoso-ml (westeurope)"),
        "{out}"
    );
    assert!(out.contains("[WARNING] NAT does not filter"), "{out}");
    assert!(out.contains("Wrote the answers to"), "{out}");
    let saved = std::fs::read_to_string(work.path().join("mine.yaml")).expect("answers saved");
    assert!(
        saved.contains("needs: [kubernetes]"),
        "`back` replaced the first answer: {saved}"
    );
    assert!(saved.contains("egress: nat"), "{saved}");
    assert!(!work.path().join("contoso-ml-design-record.md").exists());
    // A pipe's run neither reads nor replaces the person's autosave.
    assert!(!data.path().join("autosave.answers.yaml").exists());
}

#[test]
fn plain_mode_with_the_real_knowledge_base_saves_what_recommend_reads() {
    let data = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    // Every question takes its default except the region; Enter keeps the proposed file names.
    let mut input = String::from("\nwesteurope\n");
    input.push_str(&"\n".repeat(60));
    let assert = advisor(data.path())
        .current_dir(work.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["interview", "--plain"])
        .write_stdin(input)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let answers = work.path().join("aml-workspace.answers.yaml");
    let record = work.path().join("aml-workspace-design-record.md");
    assert!(answers.exists() && record.exists(), "{out}");
    let text = advisor(data.path())
        .args(["recommend", "--format", "text", "--answers"])
        .arg(&answers)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&text).into_owned();
    assert!(
        out.contains(&text),
        "plain mode printed the same recommendation as `recommend`"
    );
    let markdown = advisor(data.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(&answers)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(std::fs::read(&record).expect("record"), markdown);
}

#[test]
fn plain_mode_ends_cleanly_when_input_ends_early() {
    let data = tempfile::tempdir().expect("temp dir");
    // Input ends at the region, which has no default: no recommendation, a clear message.
    advisor(data.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .write_stdin("my-ws\n")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "Input ended at question 2 of about 7; 1 answer(s) given.",
        ))
        .stderr(predicate::str::contains("input ended before `region` was answered"))
        .stderr(predicate::str::contains("panicked").not());
    // Input ends after the region: the rest take their defaults and the recommendation is printed.
    advisor(data.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .write_stdin("my-ws\nwestus")
        .assert()
        .success()
        .stdout(predicate::str::contains("The unanswered questions take their defaults"))
        .stdout(predicate::str::contains(
            "Azure Machine Learning design for my-ws (westus)",
        ));
    // No input at all.
    advisor(data.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("panicked").not());
    // `quit` stops at once.
    advisor(data.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .write_stdin("quit\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Stopped."));
}

#[test]
fn term_dumb_selects_plain_mode_and_answers_files_preload_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    let answers = work.path().join("in.yaml");
    std::fs::write(
        &answers,
        "version: 1\nanswers:\n  region: eastus\n  sensitivity: high\n",
    )
    .expect("written");
    advisor(data.path())
        .current_dir(work.path())
        .env("TERM", "dumb")
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--answers"])
        .arg(&answers)
        .write_stdin("\n".repeat(20))
        .assert()
        .success()
        .stdout(predicate::str::contains("Answer [Enter = eastus]: "))
        .stdout(predicate::str::contains("Answer [1-3, Enter = 3]: "))
        .stdout(predicate::str::contains("Private with exfiltration prevention"));
    // An invalid answers file is reported like `recommend` does, before any prompt.
    std::fs::write(&answers, "version: 1\nanswers:\n  region: mars\n").expect("written");
    advisor(data.path())
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain", "--answers"])
        .arg(&answers)
        .assert()
        .code(65)
        .stderr(predicate::str::contains(
            "`region` value `mars` is not an Azure region name",
        ));
}
