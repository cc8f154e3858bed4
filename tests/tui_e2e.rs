//! The built binary in a real terminal: tmux (a private server per test) runs the interview at
//! 120x40, keys are sent with `send-keys`, and the screen is read with `capture-pane`, polling
//! for the expected text with a bounded wait instead of fixed sleeps.
//!
//! Without tmux these tests fail when `CI` is set (CI must run them) and are skipped locally.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_aml-advisor");
/// A fixed record date, so the exported record and `recommend --format markdown` agree.
const EPOCH: &str = "1700000000";

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "0" && value != "false")
}

/// Whether tmux can be used; panics on CI when it cannot.
fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        assert!(
            !on_ci(),
            "tmux is required for the terminal tests on CI: install it (apt-get install tmux)"
        );
        eprintln!("skipping: tmux is not installed");
    }
    found
}

fn wait_limit() -> Duration {
    Duration::from_secs(if on_ci() { 30 } else { 10 })
}

/// One tmux server (its socket in the test's own folder), session and working folder for one
/// test; torn down on drop.
struct Terminal {
    work: tempfile::TempDir,
    data: PathBuf,
}

impl Terminal {
    fn new() -> Self {
        let work = tempfile::tempdir().expect("temp dir");
        let data = work.path().join("data");
        Self { work, data }
    }

    /// Another terminal (a new process) on the same data folder.
    fn sharing(data: &Path) -> Self {
        Self {
            work: tempfile::tempdir().expect("temp dir"),
            data: data.to_path_buf(),
        }
    }

    fn dir(&self) -> &Path {
        self.work.path()
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(self.dir().join("tmux.socket"))
            .args(["-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Starts `aml-advisor <args>` in a new 120x40 session. Its process id goes to `pid`; when
    /// it exits, the pane shows `[exited N]`.
    fn start(&self, args: &str) {
        self.start_with(&[], args);
    }

    /// `start` with more environment variables (`NAME=value`).
    fn start_with(&self, env: &[&str], args: &str) {
        let script = format!(
            "env -u NO_COLOR AML_ADVISOR_DATA_DIR='{}' SOURCE_DATE_EPOCH={EPOCH} {} sh -c 'echo $$ > pid; exec \"$0\" \"$@\"' '{BINARY}' {args}; echo \"[exited $?]\"; sleep 60",
            self.data.display(),
            env.join(" ")
        );
        let out = self.tmux(&[
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &self.dir().display().to_string(),
            "sh",
            "-c",
            &script,
        ]);
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "main", "-l", text]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-t", "main", "-p"]).stdout).into_owned()
    }

    /// Polls the screen until `ready` holds; fails with the last screen after the time limit.
    fn wait(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + wait_limit();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait(text, |screen| screen.contains(text))
    }

    /// The process id of the shell that became `aml-advisor` (it `exec`s the binary).
    fn pid(&self) -> String {
        let file = self.dir().join("pid");
        let deadline = Instant::now() + wait_limit();
        loop {
            if let Ok(pid) = std::fs::read_to_string(&file)
                && !pid.trim().is_empty()
            {
                return pid.trim().to_string();
            }
            assert!(Instant::now() < deadline, "no pid file");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The id of the question on screen (`Question 3 of about 24 · region`), if any.
fn question_id(screen: &str) -> Option<String> {
    let line = screen.lines().find(|line| line.contains("┌ Question "))?;
    let after = line.split(" · ").nth(1)?;
    Some(after.split_whitespace().next()?.to_string())
}

/// The text questions of the shipped knowledge base (in a text field Backspace edits).
const TEXT_QUESTIONS: &[&str] = &["workspace_name", "region", "resource_group"];

/// Answers the question on screen: names and the region typed, everything else the default.
fn answer(terminal: &Terminal, id: &str) {
    match id {
        "workspace_name" => terminal.type_text("e2e-ws"),
        "region" => terminal.type_text("westeurope"),
        _ => {}
    }
    terminal.keys(&["Enter"]);
}

/// Waits until the screen shows a question other than `previous`, or the review.
fn next_screen(terminal: &Terminal, previous: &str) -> String {
    terminal.wait("the next question", |screen| {
        screen.contains("Review: ") || question_id(screen).is_some_and(|id| id != previous)
    })
}

#[test]
fn a_whole_interview_in_a_real_terminal_exports_what_recommend_prints() {
    if !tmux_available() {
        return;
    }
    let terminal = Terminal::new();
    terminal.start("interview --new");
    terminal.wait_for("Start the interview");
    terminal.keys(&["Enter"]);
    let mut screen = terminal.wait("the first question", |s| question_id(s).is_some());
    let mut asked = 0;
    while let Some(id) = question_id(&screen) {
        asked += 1;
        assert!(asked < 80, "the interview does not end:\n{screen}");
        answer(&terminal, &id);
        screen = next_screen(&terminal, &id);
    }
    assert!(screen.contains("e2e-ws · westeurope"), "{screen}");
    terminal.keys(&["Tab"]);
    terminal.wait_for("Architecture");
    terminal.keys(&["8"]);
    terminal.wait_for("Connections");
    terminal.keys(&["e"]);
    terminal.wait_for("Export the design record");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Wrote the design record");
    terminal.keys(&["s"]);
    terminal.wait_for("Save the answers");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Wrote the answers");
    terminal.keys(&["q"]);
    let screen = terminal.wait_for("[exited ");
    assert!(screen.contains("[exited 0]"), "{screen}");
    assert!(screen.contains("Answers autosaved in"), "{screen}");

    let answers = terminal.dir().join("e2e-ws.answers.yaml");
    let record = std::fs::read(terminal.dir().join("e2e-ws-design-record.md")).expect("record exported");
    let expected = Command::new(BINARY)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(&answers)
        .output()
        .expect("recommend runs");
    assert!(
        expected.status.success(),
        "{}",
        String::from_utf8_lossy(&expected.stderr)
    );
    assert!(
        record == expected.stdout,
        "the exported record differs from `recommend --format markdown` on the saved answers"
    );
}

#[test]
fn kill_9_then_restart_resumes_at_the_same_question_with_every_answer() {
    if !tmux_available() {
        return;
    }
    let terminal = Terminal::new();
    terminal.start("interview --new");
    terminal.wait_for("Start the interview");
    terminal.keys(&["Enter"]);
    let mut screen = terminal.wait("the first question", |s| question_id(s).is_some());
    let mut answered = Vec::new();
    for _ in 0..4 {
        let id = question_id(&screen).expect("a question");
        answer(&terminal, &id);
        answered.push(id.clone());
        screen = next_screen(&terminal, &id);
    }
    let at = question_id(&screen).expect("still asking");
    let pid = terminal.pid();
    let killed = Command::new("kill").args(["-9", &pid]).status().expect("kill runs");
    assert!(killed.success());
    terminal.wait_for("[exited 137]");

    let again = Terminal::sharing(&terminal.data);
    again.start("interview");
    let welcome = again.wait_for("Resume the autosaved interview");
    assert!(welcome.contains(&format!("4 answers, at `{at}`")), "{welcome}");
    again.keys(&["Enter"]);
    let screen = again.wait("the same question", |s| question_id(s).as_deref() == Some(at.as_str()));
    assert!(
        screen.contains("Context          4/4") || screen.contains("4/4"),
        "{screen}"
    );
    // Back to the region: the typed answer is still there. (In a text field Backspace edits,
    // so Shift-Tab goes back there.)
    assert!(answered.iter().any(|id| id == "region"));
    let mut screen = screen;
    while let Some(id) = question_id(&screen).filter(|id| id != "region") {
        // Decided by the question's type, not read off the key bar: a capture can catch a
        // frame whose title is new while its key bar is not yet redrawn.
        let key = if TEXT_QUESTIONS.contains(&id.as_str()) {
            "BTab"
        } else {
            "BSpace"
        };
        again.keys(&[key]);
        screen = next_screen(&again, &id);
    }
    assert!(screen.contains("› westeurope"), "{screen}");
    // --resume goes straight to the question.
    again.keys(&["C-c"]);
    again.wait_for("[exited 0]");
    let third = Terminal::sharing(&terminal.data);
    third.start("interview --resume");
    third.wait_for("· region");
}

#[test]
fn the_terminal_is_restored_and_resizes_redraw() {
    if !tmux_available() {
        return;
    }
    let terminal = Terminal::new();
    terminal.start("interview --new");
    terminal.wait_for("Start the interview");
    terminal.tmux(&["resize-window", "-t", "main", "-x", "50", "-y", "12"]);
    terminal.wait_for("Terminal too small (50×12)");
    terminal.tmux(&["resize-window", "-t", "main", "-x", "100", "-y", "30"]);
    terminal.wait_for("Start the interview");
    terminal.keys(&["C-c"]);
    let screen = terminal.wait_for("[exited 0]");
    assert!(!screen.contains("Welcome"), "the alternate screen was left:\n{screen}");
}

#[test]
fn after_a_resize_down_and_up_the_highlighted_choice_is_in_view_without_a_key() {
    let Some(terminal) = new_interview_at_first_question() else {
        return;
    };
    terminal.keys(&["Enter"]);
    terminal.wait_for("· region");
    terminal.type_text("westeurope");
    terminal.keys(&["Enter"]);
    let mut id = question_id(&terminal.wait_for("· resource_group")).expect("a question");
    while id != "client_connectivity" {
        terminal.keys(&["Enter"]);
        id = question_id(&next_screen(&terminal, &id)).expect("asked before the review");
    }
    terminal.keys(&["End"]);
    let highlighted = "› ○ ExpressRoute and a VPN gateway";
    terminal.wait_for(highlighted);
    terminal.tmux(&["resize-window", "-t", "main", "-x", "62", "-y", "17"]);
    terminal.wait(highlighted, |screen| {
        screen.contains(highlighted) && screen.lines().count() <= 17
    });
    terminal.tmux(&["resize-window", "-t", "main", "-x", "120", "-y", "40"]);
    terminal.wait(highlighted, |screen| {
        screen.contains(highlighted) && screen.contains("Why it matters ────────────")
    });
}

#[test]
fn hyperlinks_leave_the_result_as_it_reads() {
    if !tmux_available() {
        return;
    }
    let terminal = Terminal::new();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/28-bank-resolver-expressroute-and-vpn.yaml");
    terminal.start_with(
        &["FORCE_HYPERLINK=1"],
        &format!("interview --answers '{}'", example.display()),
    );
    terminal.wait_for("Review: ");
    terminal.keys(&["Tab"]);
    terminal.wait_for("Summary ");
    terminal.keys(&["G"]);
    // The sources at the end: their addresses drawn as text, no escape sequence left over.
    let screen = terminal.wait_for("https://learn.microsoft.com/azure/");
    assert!(!screen.contains("8;;"), "{screen}");
    terminal.keys(&["C-c"]);
    terminal.wait_for("[exited 0]");
}

/// A new interview in a fresh terminal, on its welcome screen; `None` without tmux.
fn new_interview() -> Option<Terminal> {
    if !tmux_available() {
        return None;
    }
    let terminal = Terminal::new();
    terminal.start("interview --new");
    terminal.wait_for("Start the interview");
    Some(terminal)
}

/// The same, at its first question.
fn new_interview_at_first_question() -> Option<Terminal> {
    let terminal = new_interview()?;
    terminal.keys(&["Enter"]);
    terminal.wait_for("· workspace_name");
    Some(terminal)
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_answers() {
    let Some(terminal) = new_interview_at_first_question() else {
        return;
    };
    terminal.keys(&["Enter"]);
    terminal.wait_for("· region");
    let pid = terminal.pid();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(sent.success());
    let screen = terminal.wait_for("[exited 143]");
    assert!(!screen.contains("· region"), "the alternate screen was left:\n{screen}");
    let mode = terminal.tmux(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
    assert_eq!(
        String::from_utf8_lossy(&mode.stdout).trim(),
        "0",
        "the pane left the alternate screen"
    );
    // Raw mode is off again: the pane's terminal is back to canonical input with echo.
    let tty = terminal.tmux(&["display-message", "-p", "-t", "main", "#{pane_tty}"]);
    let tty = String::from_utf8_lossy(&tty.stdout).trim().to_string();
    let modes = Command::new("stty")
        .args(["-F", &tty, "-a"])
        .output()
        .expect("stty runs");
    let modes = String::from_utf8_lossy(&modes.stdout).into_owned();
    let flags: Vec<&str> = modes.split_whitespace().collect();
    assert!(
        flags.contains(&"icanon") && flags.contains(&"echo"),
        "still raw: {modes}"
    );
    let autosave = std::fs::read_to_string(terminal.data.join("autosave.answers.yaml")).expect("autosave");
    assert!(autosave.contains("workspace_name: aml-workspace"), "{autosave}");
}

// Issue 12, item 4: a paste over about 1 KiB froze the interview (most bytes left unread until
// the next key, Ctrl-C ignored), and a pasted newline confirmed the answer. A paste is one
// edit now, capped at the field's length, and Ctrl-C still quits at once.
#[test]
fn a_large_paste_is_one_edit_and_ctrl_c_still_quits() {
    let Some(terminal) = new_interview_at_first_question() else {
        return;
    };
    // A bracketed paste (tmux wraps it because the interview asked for it) with newlines.
    let pasted = format!("{}\n{}\n", "p".repeat(1500), "q".repeat(2500));
    terminal.tmux(&["set-buffer", "-b", "big", &pasted]);
    terminal.tmux(&["paste-buffer", "-p", "-b", "big", "-t", "main"]);
    let screen = terminal.wait_for("pppppppppppppppppppppppppppppp");
    assert!(screen.contains("· workspace_name"), "the newline confirmed:\n{screen}");
    // The field holds at most 256 characters: the q's after the first 1,500 p's never fit.
    assert!(!screen.contains("qqq"), "{screen}");
    // 4,000 typed characters (no paste brackets) arrive as keys; all of them are read, and a
    // Ctrl-C behind them quits.
    terminal.keys(&["C-u"]);
    terminal.type_text(&"x".repeat(4000));
    terminal.keys(&["C-c"]);
    terminal.wait_for("[exited 0]");
    let autosave = std::fs::read_to_string(terminal.data.join("autosave.answers.yaml")).unwrap_or_default();
    assert!(!autosave.contains("ppp"), "nothing was confirmed: {autosave}");
}

// Issue 12, item 8: a second interview on the same data folder wrote over the first one's
// autosave while both said the answers were saved. The second one now says autosave is off.
#[test]
fn a_second_interview_is_told_that_autosave_is_off() {
    let Some(first) = new_interview() else {
        return;
    };
    first.wait_for("Every confirmed answer is autosaved in");
    let second = Terminal::sharing(&first.data);
    second.start("interview --new");
    second.wait_for("Autosave is off: another interview is running and autosaving in");
    second.keys(&["Enter"]);
    second.wait_for("· workspace_name");
    second.type_text("second-ws");
    second.keys(&["Enter"]);
    second.wait_for("· region");
    let autosave = first.data.join("autosave.answers.yaml");
    assert!(
        std::fs::read_to_string(&autosave).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
        "the second interview wrote the autosave"
    );
}
