//! Moving around the interview and reading what it says (issue 11, "The interview"): the live
//! preview names the findings a choice raises and removes, the section list and the review are
//! one key away, edits from the review come back to their row (also after a resume), the saved
//! answer keeps its mark, dropped answers come back and are described with labels, the result
//! can be searched and its addresses are whole links, and narrow terminals lose nothing.
//!
//! Behaviour uses the small knowledge base in tests/fixtures/tui-kb; wording checks use the
//! real, embedded one.

#[path = "support/interview.rs"]
mod interview;
use interview::*;

use aml_advisor::tui::content;
use aml_advisor::tui::ui::result::visible_links;

/// Answers with Enter (the default, `westeurope` for the region) until question `id` is open.
fn walk_to(app: &mut App<'_>, id: &str) {
    let mut guard = 0;
    while current_id(app) != id {
        guard += 1;
        assert!(guard < 50, "{id} is never asked");
        if current_id(app) == "region" {
            type_text(app, "westeurope");
        }
        press(app, ENTER);
    }
}

/// Highlights the choice `choice` of the open single-choice question.
fn highlight(app: &mut App<'_>, choice_id: &str) {
    press(app, Code(KeyCode::Home));
    while app.tentative() != choice(choice_id) {
        let before = app.question.cursor;
        press(app, DOWN);
        assert_ne!(before, app.question.cursor, "no choice {choice_id}");
    }
}

fn row_of(app: &App<'_>, id: &str) -> usize {
    app.review_rows()
        .iter()
        .position(|&index| app.interview.kb.questions[index].id == id)
        .expect("listed in the review")
        + 1
}

fn lines_of(screen: &str) -> Vec<&str> {
    screen.lines().map(|line| line.trim_matches('"')).collect()
}

// ----- 1. the live preview names what it warns about ------------------------------------------

#[test]
fn the_preview_names_the_findings_a_choice_raises_and_those_it_removes() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    walk_to(&mut app, "needs");
    keys(&mut app, &[SPACE, ENTER]);
    assert_eq!(current_id(&app), "network_model");
    highlight(&mut app, "managed_vnet");
    let preview = app.preview.clone().expect("a preview");
    let raised: Vec<&str> = preview
        .findings
        .iter()
        .filter(|finding| finding.new)
        .map(|finding| finding.title.as_str())
        .collect();
    assert_eq!(raised, ["Kubernetes cannot run in a managed network"]);
    let screen = draw(&mut app, 120, 40);
    assert!(
        screen.contains("✗ Kubernetes cannot run in a managed network (this choice)"),
        "{screen}"
    );
    // Confirmed anyway; back on the question, the other choice makes it go away.
    keys(&mut app, &[ENTER, BACKSPACE]);
    assert_eq!(current_id(&app), "network_model");
    highlight(&mut app, "customer_vnet");
    let preview = app.preview.clone().expect("a preview");
    assert_eq!(preview.removed.len(), 1, "{preview:?}");
    assert!(preview.findings.iter().all(|finding| !finding.new));
    let screen = draw(&mut app, 120, 40);
    assert!(
        screen.contains("✓ goes away: Kubernetes cannot run in a managed network"),
        "{screen}"
    );
}

// ----- 2. moving around -----------------------------------------------------------------------

#[test]
fn the_section_list_jumps_to_any_section() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    assert_eq!(app.context(), Context::Text);
    // F2 works in a text field, where `o` is text.
    keys(&mut app, &[Code(KeyCode::F(2))]);
    assert_eq!(app.context(), Context::Sections);
    let screen = draw(&mut app, 100, 30);
    assert!(
        screen.contains("› Context"),
        "the current section is highlighted: {screen}"
    );
    keys(&mut app, &[DOWN, DOWN, ENTER]);
    assert_eq!(current_id(&app), "needs", "the first question of the Network section");
    // `o` on a choice question, Esc closes the list where it was.
    keys(&mut app, &[Char('o')]);
    assert_eq!(app.context(), Context::Sections);
    keys(&mut app, &[ESC]);
    assert_eq!(current_id(&app), "needs");
    keys(&mut app, &[Char('o'), UP, ENTER]);
    assert_eq!(
        current_id(&app),
        "sensitivity",
        "the first unanswered question of Data and risk"
    );
    // In a short terminal the list scrolls to the highlighted section.
    let kb = real_kb();
    let mut app = started(&kb, None);
    keys(&mut app, &[Code(KeyCode::F(2)), Code(KeyCode::End)]);
    let last = kb.sections.last().expect("sections").title.clone();
    let screen = draw(&mut app, 60, 16);
    let shown: String = last.chars().take(8).collect();
    assert!(screen.contains(&format!("› {shown}")), "{screen}");
}

#[test]
fn the_review_is_one_key_away_from_any_question() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    keys(&mut app, &[Code(KeyCode::F(3))]);
    assert_eq!(app.screen, Screen::Review, "F3 from a text question");
    assert_eq!(app.review_cursor, row_of(&app, "workspace_name"));
    let mut app = started(&kb, None);
    walk_to(&mut app, "sensitivity");
    keys(&mut app, &[Char('r')]);
    assert_eq!(app.screen, Screen::Review, "r from a choice question");
    assert_eq!(app.review_cursor, row_of(&app, "sensitivity"));
}

#[test]
fn an_edit_from_the_review_returns_to_its_row() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    answer_all(&mut app, &[]);
    let row = row_of(&app, "exfiltration");
    for _ in 0..row {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER, DOWN, ENTER]);
    assert_eq!(app.screen, Screen::Review);
    assert_eq!(app.review_cursor, row, "back on the edited row, not at the top");
}

#[test]
fn resuming_in_the_middle_of_an_edit_returns_to_the_review_after_it() {
    let kb = fixture_kb();
    let data = tempfile::tempdir().expect("temp dir");
    let mut app = started(&kb, Some(data.path().to_path_buf()));
    answer_all(&mut app, &[]);
    let row = row_of(&app, "sensitivity");
    for _ in 0..row {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER]);
    let saved = autosave::load(data.path(), &kb).expect("readable").expect("present");
    assert_eq!(saved.position, Position::Editing("sensitivity".into()));
    // A new process resumes the edit: one Enter ends it, on the review row it started from.
    let mut resumed = App::new(&kb, Theme::coloured(), Some(data.path().to_path_buf()));
    update(&mut resumed, Action::Resize(120, 40));
    resumed.offer_resume(saved);
    keys(&mut resumed, &[ENTER]);
    assert_eq!(current_id(&resumed), "sensitivity");
    keys(&mut resumed, &[ENTER]);
    assert_eq!(resumed.screen, Screen::Review);
    assert_eq!(resumed.review_cursor, row);
}

#[test]
fn plain_mode_resumes_an_edit_from_the_review_without_walking_every_later_question() {
    let kb = fixture_kb();
    let data = tempfile::tempdir().expect("temp dir");
    let mut app = started(&kb, None);
    answer_all(&mut app, &[]);
    autosave::save(
        data.path(),
        &kb,
        app.interview.given(),
        &Position::Editing("sensitivity".into()),
    )
    .expect("saved");
    let mut out = Vec::new();
    let options = aml_advisor::tui::plain::PlainOptions {
        data_dir: Some(data.path().to_path_buf()),
        resume: true,
        autosave_busy: None,
        offer_resume: false,
        echo: false,
        estate_origins: Default::default(),
    };
    // One line answers the edited question; the input then ends at the save prompts.
    let _ = aml_advisor::tui::plain::run(&kb, None, std::io::Cursor::new("high\n"), &mut out, options);
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("[sensitivity]"), "{text}");
    assert!(
        !text.contains("[exfiltration]"),
        "no later question is asked again: {text}"
    );
    assert!(text.contains("All questions answered"), "{text}");
}

// ----- 3. the saved answer stays visible --------------------------------------------------------

#[test]
fn the_saved_answer_keeps_its_mark_when_the_highlight_moves() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    walk_to(&mut app, "sensitivity");
    highlight(&mut app, "high");
    keys(&mut app, &[ENTER, BACKSPACE]);
    assert_eq!(current_id(&app), "sensitivity");
    keys(&mut app, &[UP]);
    assert_eq!(app.tentative(), choice("confidential"));
    let screen = draw(&mut app, 120, 40);
    let line = |label: &str| {
        lines_of(&screen)
            .into_iter()
            .find(|line| line.contains(label))
            .unwrap_or_else(|| panic!("{label} not drawn: {screen}"))
            .to_string()
    };
    assert!(line("Highly sensitive").contains("● Highly sensitive"), "{screen}");
    assert!(line("Highly sensitive").contains("(your answer)"), "{screen}");
    assert!(line("Confidential").contains("› ○ Confidential"), "{screen}");
}

// ----- 4. dropped answers come back, described with labels --------------------------------------

#[test]
fn a_dropped_answer_comes_back_when_its_question_applies_again() {
    let kb = fixture_kb();
    let mut app = started(&kb, None);
    answer_all(&mut app, &[("managed_outbound", &["approved"])]);
    let row = row_of(&app, "network_model");
    for _ in 0..row {
        press(&mut app, DOWN);
    }
    keys(&mut app, &[ENTER, DOWN, ENTER]);
    let status = app.status.clone().expect("a note").text;
    assert!(status.contains("Managed outbound mode? “Approved only”"), "{status}");
    assert!(!status.contains("managed_outbound"), "labels, not ids: {status}");
    keys(&mut app, &[ENTER]);
    assert_eq!(app.screen, Screen::Review);
    let screen = draw(&mut app, 120, 40);
    assert!(screen.contains("Managed outbound mode? “Approved only”"), "{screen}");
    assert!(!screen.contains("managed_outbound ="), "{screen}");
    // Switching back brings the dropped answer back, and says so.
    let row = row_of(&app, "network_model");
    app.review_cursor = row;
    keys(&mut app, &[ENTER, UP, ENTER]);
    assert_eq!(given(&app, "managed_outbound"), choice("approved"));
    // Now `egress` no longer applies and is the one dropped.
    let dropped: Vec<&str> = app
        .interview
        .dropped()
        .iter()
        .map(|note| note.question.as_str())
        .collect();
    assert_eq!(dropped, ["egress"]);
    let status = app.status.clone().expect("a note").text;
    assert!(status.contains("Restored 1 earlier answer"), "{status}");
}

#[test]
fn because_lines_in_the_result_name_questions_and_choices_by_their_labels() {
    let kb = real_kb();
    let text = std::fs::read_to_string("assets/examples/17-government-onprem-dns-vpn-nat.yaml").expect("example");
    let checked = check(&kb, &text, "example", false).expect("valid");
    let recommendation = evaluate(&kb, &checked.resolved);
    let decisions = content::tab(&kb, &recommendation, 1, 100, Theme::monochrome());
    let all: String = decisions
        .lines
        .iter()
        .map(|line| line.spans.iter().map(|span| span.content.as_ref()).collect::<String>() + "\n")
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("Because: "), "{all}");
    assert!(all.contains("“Our own DNS servers on-premises”"), "{all}");
    assert!(!all.contains("dns = custom_dns_onprem"), "{all}");
}

// ----- 5. search and links in the result --------------------------------------------------------

fn at_result(kb: &KnowledgeBase) -> App<'_> {
    let mut app = started(kb, None);
    answer_all(&mut app, &[("region", &["westeurope"])]);
    keys(&mut app, &[TAB]);
    assert_eq!(app.screen, Screen::Result);
    app
}

#[test]
fn slash_searches_the_current_tab_and_n_moves_between_matches() {
    let kb = real_kb();
    let mut app = at_result(&kb);
    update(&mut app, Action::Resize(100, 24));
    keys(&mut app, &[Char('5')]);
    keys(&mut app, &[Char('/')]);
    assert_eq!(app.context(), Context::Search);
    type_text(&mut app, "PrivateLink");
    let screen = draw(&mut app, 100, 24);
    assert!(
        screen.contains("/PrivateLink"),
        "the query is shown while typed: {screen}"
    );
    keys(&mut app, &[ENTER]);
    let search = app.result.search.clone().expect("a search");
    assert!(search.matches.len() > 1, "{:?}", search.matches);
    let first = search.matches[0];
    let page = app.result_page();
    assert!(first >= app.result.scroll && first < app.result.scroll + page);
    assert!(app.status.as_ref().is_some_and(|s| s.text.starts_with("match 1 of")));
    keys(&mut app, &[Char('n')]);
    assert_eq!(app.result.search.as_ref().map(|s| s.current), Some(1));
    keys(&mut app, &[Char('N')]);
    assert_eq!(app.result.search.as_ref().map(|s| s.current), Some(0));
    // The match is drawn highlighted.
    let buffer = draw_buffer(&mut app, 100, 24);
    let highlighted = (0..buffer.area.height).any(|y| {
        let row: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        row.find("privatelink").is_some_and(|x| {
            let column = u16::try_from(row[..x].chars().count()).unwrap_or(0);
            buffer[(column, y)].style() != buffer[(0, y)].style()
        })
    });
    assert!(highlighted, "the match is highlighted");
    // Another tab is searched for the same text; Esc while typing closes the search.
    keys(&mut app, &[Char('1')]);
    assert!(
        app.result
            .search
            .as_ref()
            .is_some_and(|s| s.matches.iter().all(|&line| {
                aml_advisor::tui::app::line_text(&app.result.lines[line])
                    .to_lowercase()
                    .contains("privatelink")
            }))
    );
    keys(&mut app, &[Char('/'), ESC]);
    assert!(app.result.search.is_none());
    assert_eq!(app.context(), Context::Result);
}

#[test]
fn addresses_are_whole_links_even_where_they_wrap() {
    let kb = real_kb();
    let mut app = at_result(&kb);
    // Narrow enough that long Microsoft Learn addresses wrap.
    let buffer = draw_buffer(&mut app, 60, 200);
    let links = visible_links(&app, 60, 200);
    assert!(!links.is_empty(), "the summary lists its sources");
    for link in &links {
        let cells: String = (link.x..link.x + link.width)
            .map(|x| buffer[(x, link.y)].symbol())
            .collect();
        assert!(link.url.contains(&cells), "{cells:?} is not part of {}", link.url);
        assert!(link.url.starts_with("https://"), "{}", link.url);
    }
    // Addresses broken over lines are broken after a `/`, never inside a word.
    let mut broken = 0;
    for pair in links.windows(2) {
        if pair[0].url == pair[1].url && pair[1].y == pair[0].y + 1 {
            broken += 1;
            let piece: String = (pair[0].x..pair[0].x + pair[0].width)
                .map(|x| buffer[(x, pair[0].y)].symbol())
                .collect();
            assert!(piece.ends_with('/'), "{piece:?} of {}", pair[0].url);
        }
    }
    assert!(broken > 0, "at 60 columns some address wraps");
}

// ----- 6. bugs at small sizes, the help key, saving twice ---------------------------------------

#[test]
fn at_70_columns_the_tab_bar_keeps_every_number_and_highlights_the_diagram() {
    let kb = real_kb();
    let mut app = at_result(&kb);
    for width in [60, 70, 80] {
        keys(&mut app, &[Char('8')]);
        let buffer = draw_buffer(&mut app, width, 24);
        let row: String = (0..width).map(|x| buffer[(x, 1)].symbol()).collect();
        for number in 1..=8 {
            assert!(
                row.contains(&format!(" {number} ")),
                "{width}: tab {number} missing in {row:?}"
            );
        }
        let at = row.find("8 Diagram").unwrap_or_else(|| panic!("{width}: {row:?}"));
        let column = u16::try_from(row[..at].chars().count()).unwrap_or(0);
        assert!(
            buffer[(column, 1)].modifier.contains(Modifier::REVERSED) || buffer[(column, 1)].bg != buffer[(0, 1)].bg,
            "{width}: the Diagram tab is highlighted"
        );
    }
}

#[test]
fn the_highlighted_choice_stays_in_view_through_a_resize_down_and_up() {
    let kb = real_kb();
    let mut app = started(&kb, None);
    walk_to(&mut app, "client_connectivity");
    keys(&mut app, &[Code(KeyCode::End)]);
    // Narrow panels cut the label's end, never the line itself.
    let label = "ExpressRoute and a";
    for (width, height) in [(120, 40), (64, 17), (60, 16), (120, 40)] {
        let screen = draw(&mut app, width, height);
        assert!(
            lines_of(&screen)
                .iter()
                .any(|line| line.contains(&format!("› ○ {label}"))),
            "{width}x{height}: the highlighted choice is out of view:\n{screen}"
        );
    }
}

#[test]
fn the_preview_title_and_the_key_bar_fit_at_60_to_70_columns() {
    let kb = real_kb();
    let mut app = started(&kb, None);
    walk_to(&mut app, "build_environment");
    highlight(&mut app, "build_outside_aml");
    let bar_words: Vec<&str> = keymap::BINDINGS.iter().filter_map(|binding| binding.bar).collect();
    for width in [60, 64, 70] {
        let screen = draw(&mut app, width, 24);
        let lines = lines_of(&screen);
        let title = lines
            .iter()
            .find(|line| line.contains("Live preview"))
            .unwrap_or_else(|| panic!("{width}: no preview: {screen}"));
        assert!(
            title.trim_end().ends_with("─┐"),
            "{width}: the title runs into the border: {title:?}"
        );
        let keys_row = lines.last().expect("a key bar").trim_end();
        assert!(
            bar_words.iter().any(|word| keys_row.ends_with(word)),
            "{width}: the key bar is cut mid-word: {keys_row:?}"
        );
        assert!(
            keys_row.contains("?/F1 keys"),
            "{width}: the help key stays: {keys_row:?}"
        );
    }
}

#[test]
fn the_welcome_names_the_help_key_that_works_in_text_fields() {
    let kb = fixture_kb();
    let mut app = App::new(&kb, Theme::coloured(), None);
    let screen = draw(&mut app, 120, 40);
    assert!(screen.contains("F1"), "{screen}");
    let mut app = started(&kb, None);
    assert_eq!(app.context(), Context::Text);
    keys(&mut app, &[Code(KeyCode::F(1))]);
    assert_eq!(app.context(), Context::Help);
}

#[test]
fn saving_the_same_answers_to_the_same_file_again_leaves_nothing_unsaved() {
    let kb = fixture_kb();
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("mine.answers.yaml");
    let mut app = started(&kb, None);
    answer_all(&mut app, &[]);
    let save = |app: &mut App<'_>| {
        keys(app, &[Char('s'), Ctrl('u')]);
        type_text(app, &path.display().to_string());
        keys(app, &[ENTER]);
    };
    save(&mut app);
    assert!(path.exists());
    // The same name again, nothing changed: no replace question, nothing unsaved.
    save(&mut app);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    // Re-confirming an answer unchanged does not make the answers unsaved either.
    app.review_cursor = row_of(&app, "sensitivity");
    keys(&mut app, &[ENTER, ENTER]);
    assert_eq!(app.screen, Screen::Review);
    assert!(
        press(&mut app, Char('q')),
        "q quits at once: the file holds these answers"
    );
}

// ----- 7. wording and the question count ---------------------------------------------------------

#[test]
fn choices_and_prompts_say_what_they_are() {
    let kb = real_kb();
    for question in &kb.questions {
        for choice in &question.choices {
            assert!(
                !choice.label.to_lowercase().starts_with("solution"),
                "{}: {} names no solution",
                question.id,
                choice.label
            );
        }
    }
    let alerting = kb.question("alerting").expect("alerting");
    assert!(
        !alerting.prompt.contains("advisor"),
        "the advisor sets nothing up: {}",
        alerting.prompt
    );
    let dns = kb.question("dns").expect("dns");
    assert!(dns.choices.iter().any(|choice| choice.id == "dns_private_resolver"));
    let clients = kb.question("client_connectivity").expect("client_connectivity");
    assert!(clients.choices.iter().any(|choice| choice.id == "expressroute_and_vpn"));
}

#[test]
fn the_question_count_is_the_same_everywhere() {
    use aml_advisor::tui::flow::Interview;
    let kb = real_kb();
    let count = Interview::likely_count(&kb);
    let announced = format!("about {count} questions");
    let readme = std::fs::read_to_string("README.md").expect("README");
    assert!(readme.contains(&announced), "README does not say {announced}");
    for (at, _) in readme.match_indices(" of about ") {
        let number: String = readme[at + 10..].chars().take_while(char::is_ascii_digit).collect();
        assert_eq!(number, count.to_string(), "README's progress example");
    }
    let mut app = App::new(&kb, Theme::coloured(), None);
    let welcome = draw(&mut app, 120, 40);
    assert!(welcome.contains(&announced), "{welcome}");
    let mut app = started(&kb, None);
    let question = draw(&mut app, 120, 40);
    assert!(question.contains(&format!("question 1 of about {count}")), "{question}");
    let mut out = Vec::new();
    let options = aml_advisor::tui::plain::PlainOptions {
        data_dir: None,
        resume: false,
        autosave_busy: None,
        offer_resume: false,
        echo: false,
        estate_origins: Default::default(),
    };
    // The input ends before the required region: the run fails, after its introduction.
    let _ = aml_advisor::tui::plain::run(&kb, None, std::io::Cursor::new(""), &mut out, options);
    let plain = String::from_utf8(out).expect("utf-8");
    assert!(plain.contains(&announced), "{plain}");
}
