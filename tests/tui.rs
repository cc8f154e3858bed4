//! The interview without a terminal: keys go through the keymap into `update`, effects are
//! performed against temporary folders, and screens are drawn into a `TestBackend` and
//! compared with insta snapshots (`INSTA_UPDATE=always cargo test --test tui` accepts them).
//!
//! Behaviour tests use the small knowledge base in tests/fixtures/tui-kb so they do not move
//! with the shipped content; the snapshots use the real, embedded knowledge base.

#[path = "support/interview.rs"]
mod interview;
use interview::*;

// ----- behaviour (fixture knowledge base) ---------------------------------------------------

#[test]
fn answering_walks_the_applicable_questions_in_order() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    assert_eq!(current_id(&app), "workspace_name");
    assert_eq!(app.interview.progress(app.question.index), (1, 7));
    type_text(&mut app, "contoso-ml");
    press(&mut app, ENTER);
    assert_eq!(current_id(&app), "region");
    type_text(&mut app, "westeurope");
    press(&mut app, ENTER);
    assert_eq!(current_id(&app), "sensitivity");
    // The default (confidential) is highlighted; Enter takes it.
    assert_eq!(app.tentative(), choice("confidential"));
    keys(&mut app, &[ENTER, ENTER, ENTER]);
    assert_eq!(current_id(&app), "network_model");
    keys(&mut app, &[ENTER]);
    // managed_vnet: managed_outbound applies, egress does not.
    assert_eq!(current_id(&app), "managed_outbound");
    keys(&mut app, &[ENTER]);
    assert_eq!(app.screen, Screen::Review);
    assert_eq!(
        given(&app, "workspace_name"),
        Some(AnswerValue::Text("contoso-ml".into()))
    );
    assert_eq!(given(&app, "needs"), Some(AnswerValue::Choices(vec![])));
    assert_eq!(given(&app, "egress"), None);
    assert!(app.dirty);
}

#[test]
fn back_returns_to_the_previous_question_and_keeps_every_answer() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    type_text(&mut app, "contoso-ml");
    keys(&mut app, &[ENTER]);
    type_text(&mut app, "westus");
    keys(&mut app, &[ENTER, DOWN, DOWN, ENTER]);
    assert_eq!(current_id(&app), "exfiltration");
    // The default follows the earlier answer: highly sensitive data requires prevention.
    assert_eq!(app.tentative(), choice("required"));
    keys(&mut app, &[BACKSPACE]);
    assert_eq!(current_id(&app), "sensitivity");
    assert_eq!(app.tentative(), choice("high"), "the given answer is highlighted");
    keys(&mut app, &[Code(KeyCode::Left)]);
    assert_eq!(current_id(&app), "region");
    assert_eq!(
        app.question.input.value(),
        "westus",
        "the text answer is back in the field"
    );
    // In a text field Backspace edits; Alt+Left goes back.
    keys(&mut app, &[BACKSPACE]);
    assert_eq!(app.question.input.value(), "westu");
    keys(&mut app, &[Alt(KeyCode::Left)]);
    assert_eq!(current_id(&app), "workspace_name");
    keys(&mut app, &[ENTER]);
    assert_eq!(app.question.input.value(), "westus", "the unconfirmed edit is gone");
    keys(&mut app, &[ENTER]);
    assert_eq!(app.tentative(), choice("high"));
    keys(&mut app, &[ENTER]);
    assert_eq!(given(&app, "region"), Some(AnswerValue::Text("westus".into())));
    assert_eq!(given(&app, "sensitivity"), choice("high"));
    assert_eq!(current_id(&app), "exfiltration");
    // Back on the first question says so and stays.
    let mut first = started(&kb, None);
    keys(&mut first, &[Code(KeyCode::BackTab)]);
    assert_eq!(current_id(&first), "workspace_name");
    assert!(first.status.as_ref().is_some_and(|s| s.text.contains("first question")));
}

#[test]
fn multi_select_toggles_with_space_and_confirms_with_enter() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    answer_all_until(&mut app, "needs");
    assert_eq!(app.question.ticked, vec![false, false, false]);
    keys(&mut app, &[SPACE, DOWN, SPACE, SPACE, SPACE]);
    assert_eq!(app.question.ticked, vec![true, true, false]);
    // The live preview already follows the ticks: Kubernetes makes the own network the default.
    let preview = app.preview.clone().expect("a preview");
    assert_eq!(preview.variant.as_deref(), Some("Customer virtual network"));
    keys(&mut app, &[ENTER]);
    assert_eq!(
        given(&app, "needs"),
        Some(AnswerValue::Choices(vec!["kubernetes".into(), "vms".into()]))
    );
    assert_eq!(current_id(&app), "network_model");
    assert_eq!(app.tentative(), choice("customer_vnet"));
}

/// Answers with defaults (region westeurope) until question `id` is shown.
fn answer_all_until(app: &mut App<'_>, id: &str) {
    let mut guard = 0;
    while current_id(app) != id {
        guard += 1;
        assert!(guard < 50, "question {id} never came");
        if current_id(app) == "region" {
            type_text(app, "westeurope");
        }
        press(app, ENTER);
    }
}

#[test]
fn text_fields_edit_validate_and_suggest_regions() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    type_text(&mut app, "ab");
    keys(
        &mut app,
        &[
            Code(KeyCode::Left),
            Char('x'),
            Code(KeyCode::Home),
            Code(KeyCode::Delete),
        ],
    );
    assert_eq!(app.question.input.value(), "xb");
    assert!(app.question.error.as_deref().is_some_and(|e| e.contains("at least 3")));
    keys(&mut app, &[Code(KeyCode::End), Char('!')]);
    assert!(
        app.question
            .error
            .as_deref()
            .is_some_and(|e| e.contains("is not allowed"))
    );
    keys(&mut app, &[ENTER]);
    assert_eq!(current_id(&app), "workspace_name", "an invalid answer is not confirmed");
    // j, k and q are text here, not keys.
    keys(&mut app, &[Ctrl('u'), Char('j'), Char('k'), Char('q')]);
    assert_eq!(app.question.input.value(), "jkq");
    assert_eq!(app.question.error, None);
    keys(&mut app, &[Ctrl('u')]);
    // Empty field: Enter keeps the default.
    keys(&mut app, &[ENTER]);
    assert_eq!(
        given(&app, "workspace_name"),
        Some(AnswerValue::Text("aml-workspace".into()))
    );
    // Region: no default, so an empty Enter is refused.
    assert_eq!(current_id(&app), "region");
    keys(&mut app, &[ENTER]);
    assert!(app.question.error.as_deref().is_some_and(|e| e.contains("required")));
    type_text(&mut app, "West");
    let ids: Vec<&str> = app
        .question
        .suggestions
        .iter()
        .map(|&r| kb.regions[r].id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["westus", "westus2", "westeurope"],
        "shortest first, filtered as one types"
    );
    keys(&mut app, &[DOWN, DOWN, UP, DOWN]);
    assert_eq!(app.question.suggestion, Some(1));
    keys(&mut app, &[TAB]);
    assert_eq!(app.question.input.value(), "westus2");
    keys(&mut app, &[Ctrl('u')]);
    type_text(&mut app, "weste");
    keys(&mut app, &[DOWN, ENTER]);
    assert_eq!(given(&app, "region"), Some(AnswerValue::Text("westeurope".into())));
    // Backspace on an empty field goes back.
    keys(&mut app, &[BACKSPACE]);
    assert_eq!(current_id(&app), "region");
    keys(&mut app, &[Ctrl('u'), BACKSPACE]);
    assert_eq!(current_id(&app), "workspace_name");
}

#[test]
fn review_jumps_to_an_answer_and_returns_after_editing() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    answer_all(&mut app, &[]);
    assert_eq!(app.screen, Screen::Review);
    let rows = app.review_rows();
    let row = rows
        .iter()
        .position(|&i| kb.questions[i].id == "sensitivity")
        .expect("listed");
    for _ in 0..=row {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER]);
    assert_eq!(current_id(&app), "sensitivity");
    keys(&mut app, &[DOWN, ENTER]);
    assert_eq!(app.screen, Screen::Review, "nothing new to answer: back to the review");
    assert_eq!(given(&app, "sensitivity"), choice("high"));
    // The first row (and Tab) shows the recommendation.
    keys(&mut app, &[Code(KeyCode::Home), ENTER]);
    assert_eq!(app.screen, Screen::Result);
    keys(&mut app, &[BACKSPACE, TAB]);
    assert_eq!(app.screen, Screen::Result);
}

#[test]
fn answers_that_stop_applying_are_dropped_with_a_note() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    answer_all(&mut app, &[("managed_outbound", &["approved"])]);
    assert_eq!(given(&app, "managed_outbound"), choice("approved"));
    let row = app
        .review_rows()
        .iter()
        .position(|&i| kb.questions[i].id == "network_model")
        .expect("listed");
    for _ in 0..=row {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER, DOWN, ENTER]);
    // Editing from the review continues with the question that now applies, then returns.
    assert_eq!(current_id(&app), "egress");
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("Managed outbound mode?"))
    );
    keys(&mut app, &[ENTER]);
    assert_eq!(app.screen, Screen::Review);
    assert_eq!(given(&app, "managed_outbound"), None);
    let notes = app.interview.dropped();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].question, "managed_outbound");
    assert!(notes[0].reason.contains("network_model"), "{}", notes[0].reason);
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("Dropped: these answers no longer apply"), "{screen}");
    assert!(screen.contains("Managed outbound mode? “Approved only”"), "{screen}");
}

#[test]
fn quitting_asks_first_when_answers_are_unsaved() {
    let kb = fixture_kb();
    // Nothing answered yet: q quits at once.
    let mut app = App::new(&kb, Theme::coloured(), None);
    assert!(press(&mut app, Char('q')));
    let mut app = started(&kb, None);
    assert!(press(&mut app, ESC), "no answers yet: nothing to lose");
    let mut app = started(&kb, None);
    keys(&mut app, &[ENTER]);
    // In a text field q is text; Esc asks.
    assert!(!press(&mut app, Char('q')));
    assert_eq!(app.question.input.value(), "q");
    assert!(!press(&mut app, ESC));
    assert!(matches!(app.modal, Some(Modal::ConfirmQuit)));
    assert_eq!(app.context(), Context::ConfirmQuit);
    keys(&mut app, &[Char('n')]);
    assert!(app.modal.is_none());
    assert!(!press(&mut app, ESC));
    assert!(press(&mut app, Char('y')));
    // Ctrl-C quits at once from anywhere, even a text field or a dialog.
    let mut app = started(&kb, None);
    keys(&mut app, &[ENTER]);
    assert_eq!(app.context(), Context::Text);
    assert!(press(&mut app, Ctrl('c')));
}

#[test]
fn save_first_from_the_quit_dialog_writes_the_answers_then_quits() {
    let kb = fixture_kb();
    let folder = tempfile::tempdir().expect("temp dir");
    let mut app = started(&kb, None);
    answer_all(&mut app, &[]);
    keys(&mut app, &[Char('q'), Char('s')]);
    assert_eq!(app.context(), Context::PathInput);
    let path = folder.path().join("mine.answers.yaml");
    keys(&mut app, &[Ctrl('u')]);
    type_text(&mut app, &path.display().to_string());
    assert!(press(&mut app, ENTER), "saved, so it quits");
    assert!(path.exists());
}

#[test]
fn autosave_is_written_after_every_confirmed_answer_and_resumes() {
    let kb = fixture_kb();
    let data = tempfile::tempdir().expect("temp dir");
    let mut app = started(&kb, Some(data.path().to_path_buf()));
    type_text(&mut app, "contoso-ml");
    keys(&mut app, &[ENTER]);
    let file = data.path().join("autosave.answers.yaml");
    let text = std::fs::read_to_string(&file).expect("autosave written");
    assert!(text.contains("workspace_name: contoso-ml"), "{text}");
    assert!(text.contains("# position: region"), "{text}");
    type_text(&mut app, "westeurope");
    keys(&mut app, &[ENTER, DOWN, ENTER]);
    // A new process: the autosave brings back the answers and the question.
    let saved = autosave::load(data.path(), &kb).expect("readable").expect("present");
    assert_eq!(saved.position, Position::Question("exfiltration".into()));
    let mut resumed = App::new(&kb, Theme::coloured(), Some(data.path().to_path_buf()));
    resumed.offer_resume(saved);
    keys(&mut resumed, &[ENTER]);
    assert_eq!(current_id(&resumed), "exfiltration");
    assert_eq!(resumed.interview.given(), app.interview.given());
    // The autosave is an answers file `recommend` reads (apart from missing answers).
    assert!(aml_advisor::answers::parse(&kb, &text, "autosave").is_ok());
}

#[test]
fn the_saved_answers_give_exactly_the_recommendation_shown() {
    for kb in [fixture_kb(), real_kb()] {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut app = started(&kb, None);
        answer_all(
            &mut app,
            &[
                ("workspace_name", &["contoso-ml"]),
                ("data_sensitivity", &["highly_sensitive"]),
                ("sensitivity", &["high"]),
                ("workload_needs", &["serverless_spark"]),
                ("inference", &["managed_online", "batch"]),
            ],
        );
        keys(&mut app, &[TAB]);
        let shown = app.result.recommendation.clone().expect("a recommendation");
        keys(&mut app, &[Char('s'), Ctrl('u')]);
        let path = folder.path().join("contoso.answers.yaml");
        type_text(&mut app, &path.display().to_string());
        keys(&mut app, &[ENTER]);
        assert!(!app.dirty);
        let text = std::fs::read_to_string(&path).expect("saved");
        let checked = check(&kb, &text, "saved", false).expect("the saved answers are valid");
        assert_eq!(evaluate(&kb, &checked.resolved), shown);
        assert_eq!(checked.given, app.interview.given().clone());
    }
}

#[test]
fn export_writes_the_record_and_asks_before_replacing_a_file() {
    let kb = fixture_kb();
    let folder = tempfile::tempdir().expect("temp dir");
    let mut app = started(&kb, None);
    answer_all(&mut app, &[("workspace_name", &["contoso-ml"])]);
    keys(&mut app, &[Char('e')]);
    let Some(Modal::Path(dialog)) = &app.modal else {
        panic!("the export dialog is open")
    };
    assert_eq!(dialog.input.value(), "contoso-ml-design-record.md");
    let path = folder.path().join("record.md");
    keys(&mut app, &[Ctrl('u')]);
    type_text(&mut app, &path.display().to_string());
    keys(&mut app, &[ENTER]);
    assert!(app.modal.is_none());
    let first = std::fs::read_to_string(&path).expect("written");
    assert!(
        first.starts_with("---") || first.starts_with('#'),
        "Markdown: {first:.40}"
    );
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("record.md")));
    // Again: the file exists, so it asks; n keeps it, y replaces it.
    keys(&mut app, &[Char('e'), Ctrl('u')]);
    type_text(&mut app, &path.display().to_string());
    keys(&mut app, &[ENTER]);
    assert_eq!(app.context(), Context::ConfirmOverwrite);
    keys(&mut app, &[Char('n')]);
    assert_eq!(app.context(), Context::PathInput);
    keys(&mut app, &[ENTER, Char('y')]);
    assert!(app.modal.is_none());
    // A folder that does not exist is reported in the dialog, which stays open.
    keys(&mut app, &[Char('e'), Ctrl('u')]);
    type_text(&mut app, &folder.path().join("missing/record.md").display().to_string());
    keys(&mut app, &[ENTER]);
    let Some(Modal::Path(dialog)) = &app.modal else {
        panic!("the dialog stays open")
    };
    assert!(dialog.error.as_deref().is_some_and(|e| e.contains("does not exist")));
    keys(&mut app, &[ESC]);
    assert!(app.modal.is_none());
}

#[test]
fn help_overlay_lists_the_keys_of_the_screen_below() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    keys(&mut app, &[Code(KeyCode::F(1))]);
    assert_eq!(app.context(), Context::Help);
    let screen = draw(&mut app, 100, 40);
    assert!(screen.contains("Keys: Text question"), "{screen}");
    assert!(screen.contains("Alt+←/S-Tab"), "{screen}");
    keys(&mut app, &[Char('?')]);
    assert_eq!(app.context(), Context::Text);
}

#[test]
fn export_needs_every_required_answer() {
    let kb = fixture_kb();
    let mut app = App::new(&kb, Theme::coloured(), None);
    app.load_answers(Given::default());
    assert_eq!(app.screen, Screen::Review);
    keys(&mut app, &[Char('e')]);
    assert!(app.modal.is_none());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("region"))
    );
    // Asking for the result opens the missing question instead.
    keys(&mut app, &[TAB]);
    assert_eq!(current_id(&app), "region");
}

#[test]
fn tiny_terminals_get_a_notice_and_only_quit_works() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    for (w, h) in [(1, 1), (20, 5), (59, 15), (60, 15), (59, 16)] {
        let screen = draw(&mut app, w, h);
        assert!(w < 2 || screen.contains("Te"), "{w}x{h}: {screen}");
        assert_eq!(app.context(), Context::TooSmall);
    }
    assert_eq!(
        update(&mut app, Action::Confirm),
        None,
        "keys are ignored while the screen is hidden"
    );
    assert_eq!(update(&mut app, Action::ForceQuit), Some(Effect::Quit));
    let _ = draw(&mut app, 60, 16);
    assert_ne!(app.context(), Context::TooSmall);
}

#[test]
fn no_color_highlights_with_reverse_video_only() {
    let kb = fixture_kb();
    let mut app = App::new(&kb, Theme::monochrome(), None);
    update(&mut app, Action::Resize(80, 24));
    keys(&mut app, &[ENTER]);
    answer_all_until(&mut app, "sensitivity");
    let buffer = draw_buffer(&mut app, 80, 24);
    let mut reversed = 0;
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "no colour at all");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "no colour at all");
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "the highlight is still visible");
}

#[test]
fn control_characters_from_a_knowledge_base_never_reach_the_screen() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-kb/kb.yaml");
    let text = std::fs::read_to_string(source).expect("fixture");
    let text = text.replace("prompt: \"Workspace name?\"", "prompt: \"Workspace \\e[31mname\\a?\"");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("kb.yaml"), text).expect("written");
    let kb = KnowledgeBase::from_dir(dir.path()).expect("still valid");
    assert!(kb.questions[0].prompt.contains('\u{1b}'));
    let mut app = started(&kb, None);
    let screen = draw(&mut app, 80, 24);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'), "{screen}");
    assert!(screen.contains("Workspace [31mname?"), "{screen}");
}

#[test]
fn loaded_answers_open_the_review_and_drop_what_does_not_apply() {
    let kb = fixture_kb();
    let text = "version: 1\nanswers:\n  region: westus\n  network_model: customer_vnet\n  managed_outbound: approved\n";
    let loaded = aml_advisor::answers::parse(&kb, text, "file").expect("valid");
    let mut app = App::new(&kb, Theme::coloured(), None);
    app.load_answers(loaded);
    assert_eq!(app.screen, Screen::Review);
    assert!(!app.dirty);
    assert_eq!(app.interview.dropped().len(), 1);
    assert_eq!(given(&app, "managed_outbound"), None);
    let screen = draw(&mut app, 100, 30);
    assert!(
        screen.contains("(default)"),
        "unanswered questions show their default: {screen}"
    );
}

// ----- snapshots (real knowledge base) ------------------------------------------------------

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snapshot(name: &str, app: &mut App<'_>) {
    for (w, h) in SIZES {
        let screen = draw(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

/// The real interview, answered to the review: a private, exfiltration-protected design in
/// the customer's own network (so every table has rows).
fn real_app_at_review(kb: &KnowledgeBase) -> App<'_> {
    let mut app = App::new(kb, Theme::coloured(), None);
    update(&mut app, Action::Resize(120, 40));
    keys(&mut app, &[ENTER]);
    answer_all(
        &mut app,
        &[
            ("workspace_name", &["contoso-ml"]),
            ("data_sensitivity", &["highly_sensitive"]),
            ("workload_needs", &["own_firewall_inspection"]),
            ("inference", &["managed_online", "batch"]),
        ],
    );
    assert_eq!(app.screen, Screen::Review);
    app
}

#[test]
fn snapshot_welcome_with_an_autosave_to_resume() {
    let kb = real_kb();
    let mut app = App::new(
        &kb,
        Theme::coloured(),
        Some(PathBuf::from("/home/ada/.local/share/aml-advisor")),
    );
    let mut saved = Given::default();
    saved.set("workspace_name", AnswerValue::Text("contoso-ml".into()));
    saved.set("region", AnswerValue::Text("westeurope".into()));
    app.offer_resume(Autosave {
        path: PathBuf::from("/home/ada/.local/share/aml-advisor/autosave.answers.yaml"),
        given: saved,
        position: Position::Question("resource_group".into()),
    });
    snapshot("welcome", &mut app);
}

#[test]
fn snapshot_question_screens() {
    let kb = real_kb();
    let data = tempfile::tempdir().expect("temp dir");
    let mut app = App::new(&kb, Theme::coloured(), Some(data.path().to_path_buf()));
    update(&mut app, Action::Resize(120, 40));
    keys(&mut app, &[ENTER]);
    type_text(&mut app, "contoso-ml");
    keys(&mut app, &[ENTER]);
    type_text(&mut app, "west");
    keys(&mut app, &[DOWN, DOWN]);
    snapshot("text_question_with_suggestions", &mut app);
    keys(&mut app, &[Ctrl('u')]);
    type_text(&mut app, "westeurope");
    keys(&mut app, &[ENTER, ENTER]);
    assert_eq!(current_id(&app), "workspace_state");
    snapshot("single_question", &mut app);
    answer_all_until(&mut app, "workload_needs");
    keys(&mut app, &[DOWN, SPACE, DOWN]);
    snapshot("multi_question", &mut app);
    keys(&mut app, &[Char('?')]);
    snapshot("help_overlay", &mut app);
    keys(&mut app, &[ESC, Char('q')]);
    assert!(matches!(app.modal, Some(Modal::ConfirmQuit)));
    snapshot("quit_confirmation", &mut app);
}

#[test]
fn snapshot_review_result_tabs_and_export_dialog() {
    let kb = real_kb();
    let mut app = real_app_at_review(&kb);
    snapshot("review", &mut app);
    keys(&mut app, &[TAB]);
    let tabs = [
        "summary",
        "decisions",
        "findings",
        "network_rules",
        "dns",
        "policies_and_roles",
        "next_steps",
        "diagram",
    ];
    for (index, name) in tabs.iter().enumerate() {
        assert_eq!(app.result.tab, index);
        snapshot(&format!("result_{}_{name}", index + 1), &mut app);
        keys(&mut app, &[TAB]);
    }
    keys(&mut app, &[Code(KeyCode::PageDown), Char('e')]);
    snapshot("export_dialog", &mut app);
}

#[test]
fn snapshot_terminal_too_small() {
    let kb = real_kb();
    let mut app = App::new(&kb, Theme::coloured(), None);
    for (w, h) in [(1, 1), (20, 5), (59, 15)] {
        let screen = draw(&mut app, w, h);
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), screen);
    }
}

#[test]
fn every_screen_draws_at_many_sizes_without_panicking() {
    let kb = real_kb();
    let mut app = real_app_at_review(&kb);
    keys(&mut app, &[TAB]);
    for tab in 0..8u8 {
        update(&mut app, Action::Tab(tab));
        for (w, h) in [
            (1, 1),
            (2, 2),
            (20, 5),
            (59, 15),
            (60, 16),
            (61, 17),
            (75, 20),
            (200, 60),
            (300, 12),
        ] {
            let _ = draw(&mut app, w, h);
            update(&mut app, Action::Last);
            let _ = draw(&mut app, w, h);
        }
    }
    let mut question = App::new(&kb, Theme::monochrome(), None);
    keys(&mut question, &[ENTER]);
    while question.screen == Screen::Question {
        for (w, h) in [(60, 16), (61, 17), (80, 24), (130, 20)] {
            let _ = draw(&mut question, w, h);
        }
        if current_id(&question) == "region" {
            type_text(&mut question, "westeurope");
        }
        press(&mut question, ENTER);
    }
}

#[test]
fn a_failed_replace_shows_its_error_instead_of_asking_again() {
    let kb = fixture_kb();
    let folder = tempfile::tempdir().expect("temp dir");
    let sub = folder.path().join("records");
    std::fs::create_dir(&sub).expect("mkdir");
    let path = sub.join("record.md");
    std::fs::write(&path, "an older record").expect("write");
    let mut app = started(&kb, None);
    answer_all(&mut app, &[("workspace_name", &["contoso-ml"])]);
    keys(&mut app, &[Char('e'), Ctrl('u')]);
    type_text(&mut app, &path.display().to_string());
    keys(&mut app, &[ENTER]);
    assert_eq!(app.context(), Context::ConfirmOverwrite);
    // The folder goes away before the user says yes: the write fails.
    std::fs::remove_dir_all(&sub).expect("rm");
    keys(&mut app, &[Char('y')]);
    assert_eq!(
        app.context(),
        Context::PathInput,
        "back to the file name, not the replace question"
    );
    let Some(Modal::Path(dialog)) = &app.modal else {
        panic!("the dialog stays open")
    };
    assert!(
        dialog.error.as_deref().is_some_and(|e| e.contains("does not exist")),
        "{:?}",
        dialog.error
    );
}

#[test]
fn an_unusable_autosave_is_kept_aside_before_a_new_interview_replaces_it() {
    let kb = fixture_kb();
    let data = tempfile::tempdir().expect("temp dir");
    let file = data.path().join("autosave.answers.yaml");
    let old = "version: 1\nanswers:\n  workspace_name: contoso-ml\n  renamed_question: x\n";
    std::fs::write(&file, old).expect("write");
    let problem = autosave::load(data.path(), &kb).expect_err("unusable");
    assert!(problem.contains("unknown question `renamed_question`"), "{problem}");
    assert!(problem.contains("the file was kept as"), "{problem}");
    assert!(!file.exists(), "moved aside");
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("autosave.unusable-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).expect("read"),
        old,
        "the answers are intact"
    );
}

#[test]
fn an_edit_from_a_loaded_review_asks_only_what_it_brought_into_play() {
    let kb = real_kb();
    // Preloaded answers that leave most questions at their defaults, on a managed VNet.
    let mut given = aml_advisor::answers::Given::default();
    given.set("region", AnswerValue::Text("westeurope".into()));
    given.set("network_model", AnswerValue::Choice("managed_vnet".into()));
    let mut app = App::new(&kb, Theme::coloured(), None);
    update(&mut app, Action::Resize(120, 40));
    app.load_answers(given);
    assert_eq!(app.screen, Screen::Review);
    // Open network_model from the review and switch to a customer VNet.
    let rows = app.review_rows();
    let row = rows
        .iter()
        .position(|&index| app.interview.question(index).is_some_and(|q| q.id == "network_model"))
        .expect("network_model is listed");
    app.review_cursor = row + 1;
    keys(&mut app, &[ENTER]);
    assert_eq!(current_id(&app), "network_model");
    press(&mut app, Code(KeyCode::Home));
    while app.tentative() != choice("customer_vnet") {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER]);
    // The questions a customer VNet brings into play are asked, in order; later questions that
    // were already reviewed (build environment, inference, identity...) are not.
    let mut asked = Vec::new();
    while app.screen == Screen::Question {
        asked.push(current_id(&app));
        assert!(asked.len() < 10, "too many questions: {asked:?}");
        keys(&mut app, &[ENTER]);
    }
    assert_eq!(app.screen, Screen::Review, "back to the review");
    assert_eq!(
        asked,
        ["network_topology", "internet_egress", "compute_public_ip", "ip_space"],
        "{asked:?}"
    );
}

#[test]
fn the_export_dialog_also_writes_the_design_as_terraform_or_bicep() {
    let kb = real_kb();
    let folder = tempfile::tempdir().expect("temp dir");
    let mut app = real_app_at_review(&kb);
    keys(&mut app, &[Char('e')]);
    keys(&mut app, &[TAB]);
    let Some(Modal::Path(dialog)) = &app.modal else {
        panic!("the export dialog is open")
    };
    assert_eq!(
        dialog.input.value(),
        "contoso-ml-terraform",
        "Tab switches to Terraform"
    );
    let out = folder.path().join("infra");
    keys(&mut app, &[Ctrl('u')]);
    type_text(&mut app, &out.display().to_string());
    keys(&mut app, &[ENTER]);
    assert!(app.modal.is_none(), "written");
    assert!(out.join("main.tf").is_file() && out.join("versions.tf").is_file());
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("Terraform")));
    // The same folder again, as Bicep: it is not empty, so the dialog asks before replacing.
    keys(&mut app, &[Char('e'), TAB, TAB, Ctrl('u')]);
    type_text(&mut app, &out.display().to_string());
    keys(&mut app, &[ENTER]);
    assert_eq!(app.context(), Context::ConfirmOverwrite);
    keys(&mut app, &[Char('y')]);
    assert!(out.join("main.bicep").is_file() && out.join("main.tf").is_file());
    // A third Tab comes back to the design record.
    keys(&mut app, &[Char('e'), TAB, TAB, TAB]);
    let Some(Modal::Path(dialog)) = &app.modal else {
        panic!("the export dialog is open")
    };
    assert_eq!(dialog.input.value(), "contoso-ml-design-record.md");
}
