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

/// Plain mode on `--resume` (so a pipe autosaves) with the fixture knowledge base, answering
/// with the lines of `input`.
fn plain_resume(data: &Path, input: &str) -> std::process::Output {
    advisor(data)
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain", "--resume"])
        .write_stdin(input.to_string())
        .output()
        .expect("runs")
}

// Issue 12, item 10: the autosave folder was 0755 and the file 0644; answers describe a
// security design.
#[cfg(unix)]
#[test]
fn the_autosave_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("new/data");
    let output = plain_resume(&data, "my-ws\nquit\n");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mode = |path: &Path| std::fs::metadata(path).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&data.join("autosave.answers.yaml")), 0o600, "the autosave");
    // An autosave written by an older version with 0644 is tightened on the next save.
    std::fs::set_permissions(
        data.join("autosave.answers.yaml"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    // Resumed at the region, which it answers.
    assert!(plain_resume(&data, "westus\nquit\n").status.success());
    assert_eq!(mode(&data.join("autosave.answers.yaml")), 0o600);
}

// Item 8: two interviews shared one autosave and the last writer won, while the other was told
// its answers were saved. The autosave is locked; the second interview is told autosave is off.
#[test]
fn a_second_interview_does_not_write_over_the_first_ones_autosave() {
    let data = tempfile::tempdir().expect("temp dir");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.path().join("autosave.lock"))
        .expect("lock file");
    lock.try_lock()
        .expect("the test holds the lock, as a running interview does");
    let output = plain_resume(data.path(), "my-ws\nquit\n");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        stdout.contains(&format!(
            "Autosave is off: another interview is running and autosaving in {}.",
            data.path().display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("The autosave keeps the answers"), "{stdout}");
    assert!(!data.path().join("autosave.answers.yaml").exists());
    // Once the first interview ends, the next one autosaves again.
    drop(lock);
    assert!(plain_resume(data.path(), "my-ws\nquit\n").status.success());
    assert!(data.path().join("autosave.answers.yaml").exists());
}

// Item 14: the second unusable autosave in one second overwrote the first one kept aside.
#[test]
fn every_unusable_autosave_is_kept_under_its_own_name() {
    let data = tempfile::tempdir().expect("temp dir");
    for content in ["version: 1\nanswers:\n  nope: 1\n", "version: 1\nanswers:\n  nada: 2\n"] {
        std::fs::write(data.path().join("autosave.answers.yaml"), content).expect("write");
        let output = plain_resume(data.path(), "my-ws\nquit\n");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("The autosave cannot be resumed"),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    let mut kept: Vec<String> = std::fs::read_dir(data.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("autosave.unusable-"))
        .map(|name| std::fs::read_to_string(data.path().join(name)).expect("read"))
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        ["version: 1\nanswers:\n  nada: 2\n", "version: 1\nanswers:\n  nope: 1\n"],
        "both kept"
    );
}

/// Plain mode on the fixture knowledge base reading standard input from `input`.
fn plain_from(data: &Path, input: std::fs::File) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_aml-advisor"))
        .env("AML_ADVISOR_DATA_DIR", data)
        .env_remove("TERM")
        .args(["--knowledge"])
        .arg(fixture_kb())
        .args(["interview", "--plain"])
        .stdin(input)
        .output()
        .expect("runs")
}

// Issue 12, item 13: plain mode read a line without a limit (`< /dev/zero` aborted at 2 GB).
#[test]
fn plain_mode_caps_the_line_it_reads() {
    let data = tempfile::tempdir().expect("temp dir");
    let started = std::time::Instant::now();
    let output = plain_from(data.path(), std::fs::File::open("/dev/zero").expect("/dev/zero"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("(an input line is longer than 1 MiB; treating it as the end of input)"),
        "{stdout}"
    );
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    // A long line that ends is refused as an answer, and the interview goes on.
    let input = data.path().join("input.txt");
    std::fs::write(&input, format!("{}\nmy-ws\nwestus\n", "w".repeat(100_000))).expect("write");
    let output = plain_from(data.path(), std::fs::File::open(&input).expect("input"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("Not accepted: `wwwwwwwwww"), "{stdout}");
    assert!(stdout.contains("design for my-ws (westus)"), "{stdout}");
    assert!(stdout.len() < 20_000, "the long line is not echoed whole");
}
