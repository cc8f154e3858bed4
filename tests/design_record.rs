//! The design record (`recommend --format markdown`): a snapshot per example, the record's
//! structure checked with a Markdown parser, hostile text, reproducibility, and safe writing
//! through the binary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use aml_advisor::answers::check::check;
use aml_advisor::answers::{AnswerValue, Assumption};
use aml_advisor::engine::recommendation::{
    Alternative, Cause, ConfirmationRow, DiagramEdgeRow, DiagramGroupRow, DiagramNodeRow, DnsZoneRow, FindingOutcome,
    NetworkRuleRow, PlanInputRow, PolicyRow, ResourceUse, RoleRow, SourceRef, StepFileOutcome, StepOutcome,
};
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::estate::read::IgnoredType;
use aml_advisor::estate::report::{
    AnswerOrigin, AssessedWorkspace, DerivedAnswer, DriftItem, EstateFindingOutcome, EstateReport, NotChecked,
    SettledOutcome,
};
use aml_advisor::estate::scope::Evidence;
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::estate::DriftSeverity;
use aml_advisor::knowledge::model::{Direction, Severity, SourceStatus};
use aml_advisor::render::markdown::{RecordContext, render};
use assert_cmd::cargo::cargo_bin_cmd;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The record's H2 sections, in order.
const SECTIONS: [&str; 15] = [
    "Context and problem statement",
    "Decision drivers",
    "Considered options",
    "Decision outcome",
    "Architecture diagram",
    "Decisions by area",
    "Findings",
    "Network rules",
    "Private DNS zones",
    "Policy assignments",
    "Role assignments",
    "Next steps",
    "Assumptions and ignored answers",
    "Answers",
    "References",
];

/// 2026-01-01T00:00:00Z.
const EPOCH_2026: &str = "1767225600";

/// A fixed context, so snapshots change only when the record does (not on a version bump).
fn context() -> RecordContext {
    RecordContext {
        date: "2026-01-01".to_string(),
        tool_version: "0.0.0-snapshot".to_string(),
    }
}

fn kb() -> KnowledgeBase {
    KnowledgeBase::embedded().unwrap_or_else(|error| panic!("the built-in knowledge base must load: {error:?}"))
}

/// Every `assets/examples/*.yaml`, sorted, as (file stem, path).
fn examples() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join("examples");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .filter_map(|path| Some((path.file_stem()?.to_string_lossy().into_owned(), path)))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    assert!(!found.is_empty(), "no examples in {}", dir.display());
    found
}

fn recommend(kb: &KnowledgeBase, path: &Path) -> Recommendation {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let checked = check(kb, &text, &path.display().to_string(), false)
        .unwrap_or_else(|problems| panic!("{} must be a valid example:\n{problems}", path.display()));
    evaluate(kb, &checked.resolved)
}

fn first_example() -> (KnowledgeBase, PathBuf, Recommendation) {
    let kb = kb();
    let (_, path) = examples().swap_remove(0);
    let recommendation = recommend(&kb, &path);
    (kb, path, recommendation)
}

// ---------------------------------------------------------------------------------------------
// What a record must look like to a Markdown parser.

#[derive(Default, Debug)]
struct Parsed {
    h1: Vec<String>,
    h2: Vec<String>,
    /// (info string, content) of every code block.
    code_blocks: Vec<(String, String)>,
    links: Vec<String>,
    images: Vec<String>,
    html: Vec<String>,
    texts: Vec<String>,
    /// (cells in the header, cells in each row) of every table.
    tables: Vec<(usize, Vec<usize>)>,
    /// The text of every table cell, as a reader sees it (entities decoded).
    cell_texts: Vec<String>,
    /// Every heading's text, all levels.
    headings: Vec<String>,
    task_items: usize,
}

fn parse(markdown: &str) -> Parsed {
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut parsed = Parsed::default();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut code: Option<(String, String)> = None;
    let mut cells = 0;
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                let (level, text) = heading.take().unwrap_or((HeadingLevel::H6, String::new()));
                parsed.headings.push(text.clone());
                match level {
                    HeadingLevel::H1 => parsed.h1.push(text),
                    HeadingLevel::H2 => parsed.h2.push(text),
                    _ => {}
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading)) = heading.as_mut() {
                    heading.push_str(&text);
                }
                if let Some(cell) = cell.as_mut() {
                    cell.push_str(&text);
                }
                if let Some((_, code)) = code.as_mut() {
                    code.push_str(&text);
                }
                parsed.texts.push(text.to_string());
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "(indented)".to_string(),
                };
                code = Some((info, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => parsed.code_blocks.extend(code.take()),
            Event::Start(Tag::Table(_)) => parsed.tables.push((0, Vec::new())),
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => {
                cells += 1;
                cell = Some(String::new());
            }
            Event::End(TagEnd::TableCell) => parsed.cell_texts.extend(cell.take()),
            Event::End(TagEnd::TableHead) => {
                if let Some(table) = parsed.tables.last_mut() {
                    table.0 = cells;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(table) = parsed.tables.last_mut() {
                    table.1.push(cells);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => parsed.links.push(dest_url.to_string()),
            Event::Start(Tag::Image { dest_url, .. }) => parsed.images.push(dest_url.to_string()),
            Event::Html(html) | Event::InlineHtml(html) => parsed.html.push(html.to_string()),
            Event::SoftBreak | Event::HardBreak => parsed.texts.push(" ".to_string()),
            Event::TaskListMarker(_) => parsed.task_items += 1,
            _ => {}
        }
    }
    parsed
}

/// Unescaped `|` in a table line (a backslash escapes the next character).
fn pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '|') => count += 1,
            _ => {}
        }
    }
    count
}

/// Checks the structure every record must have; `filled` also requires no `${` anywhere.
fn assert_well_formed(name: &str, record: &str, filled: bool) {
    let parsed = parse(record);
    assert_eq!(parsed.h1.len(), 1, "{name}: exactly one H1, found {:?}", parsed.h1);
    // An assessment adds its estate section right after the decision outcome.
    let mut sections: Vec<&str> = SECTIONS.to_vec();
    if parsed.h2.iter().any(|h2| h2 == "Current estate and drift") {
        let outcome = sections.iter().position(|s| *s == "Decision outcome").unwrap();
        sections.insert(outcome + 1, "Current estate and drift");
    }
    assert_eq!(parsed.h2, sections, "{name}: the H2 sections, in order");
    assert!(parsed.html.is_empty(), "{name}: raw HTML {:?}", parsed.html);
    assert!(parsed.images.is_empty(), "{name}: images {:?}", parsed.images);
    for link in &parsed.links {
        let relative = !link.contains(':') && !link.is_empty();
        assert!(
            (link.starts_with("https://") || relative) && !link.contains(char::is_whitespace),
            "{name}: malformed link {link:?}"
        );
    }
    for (header, rows) in &parsed.tables {
        assert!(*header > 0, "{name}: a table without header cells");
        assert!(
            rows.iter().all(|cells| cells == header),
            "{name}: table rows {rows:?} vs header {header}"
        );
    }
    // The parser pads and truncates rows, so count the raw cells too.
    let mut header_pipes: Option<usize> = None;
    for line in record.lines() {
        if line.starts_with('|') {
            let count = pipes(line);
            let expected = *header_pipes.get_or_insert(count);
            assert_eq!(count, expected, "{name}: table line with another cell count: {line}");
        } else {
            header_pipes = None;
        }
    }
    let charts: Vec<&String> = parsed
        .code_blocks
        .iter()
        .filter(|(info, _)| info == "mermaid")
        .map(|(_, content)| content)
        .collect();
    assert_eq!(charts.len(), 1, "{name}: one mermaid block");
    if let Err(problem) = check_mermaid(charts[0]) {
        panic!("{name}: {problem}\n{}", charts[0]);
    }
    assert!(!record.contains('\u{1b}'), "{name}: an ESC byte");
    assert!(!record.contains('\u{E000}'), "{name}: a protected-space marker left");
    assert!(!record.contains('\r'), "{name}: a carriage return");
    assert!(
        record.ends_with('\n') && !record.ends_with("\n\n"),
        "{name}: one final newline"
    );
    if filled {
        assert!(!record.contains("${"), "{name}: an unfilled placeholder");
        assert!(
            parsed.texts.iter().all(|text| !text.contains("${")),
            "{name}: an unfilled placeholder in the text"
        );
    }
}

/// The generated Mermaid flowchart: known statement shapes only, unique ids, edges between
/// defined nodes, balanced quotes, labels free of `]]`, `<`, `>` and backticks, balanced
/// subgraphs. Returns the node ids.
fn check_mermaid(chart: &str) -> Result<HashSet<String>, String> {
    // Front matter (the layout settings), then the flowchart.
    let mut lines = chart.lines();
    if lines.next() != Some("---") {
        return Err("the chart must start with its front matter".into());
    }
    for line in lines.by_ref() {
        if line == "---" {
            break;
        }
        if line.contains(['"', '<', '>', '`', '|']) {
            return Err(format!("unexpected front matter: {line}"));
        }
    }
    if lines.next() != Some("flowchart TB") {
        return Err("the flowchart must start with `flowchart TB`".into());
    }
    let mut groups: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut nodes: HashSet<String> = HashSet::new();
    let mut depth = 0usize;
    for raw in lines {
        let line = raw.trim();
        if line.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes: {raw}"));
        }
        if line == "end" {
            depth = depth.checked_sub(1).ok_or(format!("`end` without subgraph: {raw}"))?;
            continue;
        }
        let (is_group, rest) = match line.strip_prefix("subgraph ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if id.is_empty() {
            return Err(format!("no id: {raw}"));
        }
        let after = &rest[id.len()..];
        if let Some(shape) = after.strip_prefix("[\"") {
            let label = shape
                .strip_suffix("\"]")
                .ok_or(format!("a label must be [\"…\"]: {raw}"))?;
            check_label(label, raw)?;
            if !ids.insert(id.clone()) {
                return Err(format!("duplicate id {id}"));
            }
            if is_group {
                depth += 1;
                groups.insert(id);
            } else {
                nodes.insert(id);
            }
        } else if let Some(edge) = after.strip_prefix(" -->").filter(|_| !is_group) {
            let to = if let Some(labelled) = edge.strip_prefix("|\"") {
                let (label, to) = labelled
                    .split_once("\"| ")
                    .ok_or(format!("an edge label must be |\"…\"|: {raw}"))?;
                check_label(label, raw)?;
                to
            } else {
                edge.strip_prefix(' ').ok_or(format!("malformed edge: {raw}"))?
            };
            // An edge may end at a group (drawn to its box).
            let known = |end: &str| nodes.contains(end) || groups.contains(end);
            if !known(&id) || !known(to) {
                return Err(format!("an edge to or from an undefined node or group: {raw}"));
            }
        } else {
            return Err(format!("an unknown statement: {raw}"));
        }
    }
    if depth != 0 {
        return Err("unbalanced subgraphs".into());
    }
    Ok(nodes)
}

fn check_label(label: &str, line: &str) -> Result<(), String> {
    if label.contains(['"', '<', '>', '`']) || label.contains("]]") {
        return Err(format!("an unsafe label: {line}"));
    }
    Ok(())
}

fn mermaid_of(record: &str) -> String {
    parse(record)
        .code_blocks
        .into_iter()
        .find(|(info, _)| info == "mermaid")
        .map(|(_, content)| content)
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Examples.

#[test]
fn every_example_has_a_record_snapshot() {
    let kb = kb();
    for (stem, path) in examples() {
        let record = render(&recommend(&kb, &path), &context());
        insta::assert_snapshot!(stem.as_str(), record);
    }
}

#[test]
fn every_example_record_is_well_formed() {
    let kb = kb();
    for (stem, path) in examples() {
        let recommendation = recommend(&kb, &path);
        let record = render(&recommendation, &context());
        assert_well_formed(&stem, &record, true);
        let parsed = parse(&record);
        assert_eq!(
            parsed.task_items,
            recommendation.next_steps.len(),
            "{stem}: one task per step"
        );
        assert!(
            record.starts_with("---\nstatus: proposed\ndate: 2026-01-01\n"),
            "{stem}: front matter"
        );
        for hash in [&recommendation.knowledge_hash, &recommendation.answers_hash] {
            assert!(record.contains(hash.as_str()), "{stem}: hash {hash} in the record");
        }
        // The build environment decision shows its three options, each by its full title.
        let shown = parsed.texts.concat();
        let build = recommendation
            .decisions
            .iter()
            .find(|d| d.area == "build_environment")
            .unwrap_or_else(|| panic!("{stem}: no build environment decision"));
        let titles: Vec<&String> = std::iter::once(&build.title)
            .chain(build.alternatives.iter().map(|a| &a.title))
            .collect();
        assert_eq!(titles.len(), 3, "{stem}: the build environment has three options");
        for title in titles {
            assert!(
                shown.contains(title.as_str()),
                "{stem}: build option {title:?} not shown"
            );
        }
    }
}

/// GitHub's page shows about 110 characters of a table; one unbroken word (a resource id, a
/// `name=value` list) longer than half of that leaves too little room for the other columns,
/// so the table scrolls sideways. Such words go below the table. Zone names, GUIDs and single
/// host names fit.
const LONGEST_WORD_IN_A_CELL: usize = 56;

#[test]
fn no_table_cell_holds_a_word_too_long_for_the_page() {
    let kb = kb();
    for (stem, path) in examples() {
        let record = render(&recommend(&kb, &path), &context());
        let parsed = parse(&record);
        let too_long: Vec<&str> = parsed
            .cell_texts
            .iter()
            .flat_map(|cell| cell.split_whitespace())
            .filter(|word| word.chars().count() > LONGEST_WORD_IN_A_CELL)
            .collect();
        assert!(too_long.is_empty(), "{stem}: {too_long:#?}");
    }
}

#[test]
fn every_heading_is_unique() {
    let kb = kb();
    for (stem, path) in examples() {
        let record = render(&recommend(&kb, &path), &context());
        let headings = parse(&record).headings;
        let mut seen = HashSet::new();
        let repeated: Vec<&String> = headings.iter().filter(|h| !seen.insert(h.to_lowercase())).collect();
        assert!(repeated.is_empty(), "{stem}: repeated headings {repeated:?}");
        assert!(headings.len() > SECTIONS.len(), "{stem}: the record has subsections");
    }
}

#[test]
fn different_examples_draw_different_diagrams() {
    let kb = kb();
    let charts: Vec<(String, String)> = examples()
        .into_iter()
        .map(|(stem, path)| (stem, mermaid_of(&render(&recommend(&kb, &path), &context()))))
        .collect();
    assert!(charts.len() >= 2, "at least two examples are needed");
    let distinct: HashSet<&String> = charts.iter().map(|(_, chart)| chart).collect();
    assert!(distinct.len() >= 2, "every example draws the same diagram: {charts:?}");
    assert!(charts.iter().all(|(_, chart)| !chart.is_empty()));
}

#[test]
fn rendering_is_reproducible() {
    let (kb, path, recommendation) = first_example();
    let first = render(&recommendation, &context());
    assert_eq!(first, render(&recommendation, &context()));
    assert_eq!(first, render(&recommend(&kb, &path), &context()));
    let other_day = RecordContext {
        date: "2026-01-02".to_string(),
        ..context()
    };
    assert_ne!(first, render(&recommendation, &other_day));
}

// ---------------------------------------------------------------------------------------------
// Hostile text.

const HOSTILE: &str = "x | y `z` ``` <script>alert(1)</script> ]] \"q\" [a](javascript:alert(1)) *b* _c_ \
                       <!-- d --> &amp; \u{1b}[31mred\u{1b}[0m\u{7}\u{202e}\n# Heading\n- item\n1. one\n===\n";

fn causes() -> Vec<Cause> {
    vec![Cause {
        question: "workspace_name".into(),
        value: AnswerValue::Text(HOSTILE.to_string()),
    }]
}

/// Overwrites every kind of text in `recommendation` with hostile text.
fn make_hostile(recommendation: &mut Recommendation) {
    let h = || HOSTILE.to_string();
    recommendation.workspace_name = h();
    recommendation.region = h();
    recommendation.knowledge_version = h();
    let a = &mut recommendation.architecture;
    a.title = h();
    a.summary = h();
    a.because = causes();
    a.pros.push(h());
    a.cons.push(h());
    a.considered.push(Alternative {
        id: h(),
        title: h(),
        summary: h(),
        pros: vec![h()],
        cons: vec![h()],
    });
    if let Some(decision) = recommendation.decisions.first_mut() {
        decision.summary = h();
        decision.title = h();
        decision.area_title = h();
        decision.because = causes();
        decision.pros.push(h());
    }
    recommendation.findings.insert(
        0,
        FindingOutcome {
            id: h(),
            severity: Severity::Conflict,
            title: h(),
            detail: h(),
            because: causes(),
            remedy: h(),
            sources: vec![h()],
        },
    );
    if let Some(finding) = recommendation.findings.get_mut(1) {
        finding.title = h();
    }
    recommendation.network_rules.push(NetworkRuleRow {
        id: h(),
        direction: Direction::Inbound,
        source: h(),
        destination: h(),
        protocol: h(),
        ports: h(),
        why: h(),
        because: causes(),
        sources: vec![],
    });
    if let Some(rule) = recommendation.network_rules.first_mut() {
        rule.why = h();
    }
    recommendation.dns_zones.push(DnsZoneRow {
        id: h(),
        zone: "a|b`c".into(),
        resource: h(),
        forward: vec![h(), "privatelink.api.azureml.ms".into()],
        because: vec![],
        sources: vec![],
    });
    recommendation.policies.push(PolicyRow {
        id: h(),
        display_name: h(),
        definition_id: h(),
        effect: h(),
        parameters: Some("{\"a\": \"|\"}".into()),
        command: "az policy ```` \n## not a heading".into(),
        why: h(),
        because: vec![],
        sources: vec![],
    });
    recommendation.role_assignments.push(RoleRow {
        id: h(),
        persona: h(),
        role: h(),
        custom: true,
        scope: h(),
        why: h(),
        because: vec![],
        sources: vec![],
    });
    let command = "echo ```` done\n## not a heading\n<b>bold</b> \u{1b}[2J";
    recommendation.next_steps.push(StepOutcome {
        id: h(),
        area: h(),
        phase: h(),
        phase_title: h(),
        text: h(),
        command: Some(command.into()),
        file: Some(StepFileOutcome {
            name: h(),
            content: command.into(),
        }),
        creates: vec![h()],
        uses: vec![ResourceUse {
            resource: h(),
            description: h(),
            created_by: Some(h()),
        }],
        because: causes(),
        done: None,
    });
    // A step the assessed estate already satisfies, with hostile evidence.
    let mut done = recommendation.next_steps.last().unwrap().clone();
    done.done = Some(Evidence {
        file: h(),
        line: 2,
        path: h(),
        value: h(),
    });
    recommendation.next_steps.push(done);
    recommendation.estate = Some(hostile_estate());
    recommendation.plan_inputs.push(PlanInputRow {
        resource: h(),
        description: h(),
    });
    recommendation.confirmations.push(ConfirmationRow {
        id: h(),
        check: h(),
        command: command.into(),
        expect: h(),
        sources: vec![],
    });
    let diagram = &mut recommendation.diagram;
    if let Some(node) = diagram.nodes.first_mut() {
        node.label = h();
    }
    diagram.groups.push(DiagramGroupRow {
        id: "end".into(),
        label: h(),
        parent: Some("end".into()),
    });
    for id in ["a b", "a_b", "a\"]]b", "end"] {
        diagram.nodes.push(DiagramNodeRow {
            id: id.into(),
            label: h(),
            group: Some("end".into()),
        });
    }
    diagram.edges.push(DiagramEdgeRow {
        from: "a b".into(),
        to: "a\"]]b".into(),
        label: Some(h()),
    });
    diagram.edges.push(DiagramEdgeRow {
        from: "a b".into(),
        to: "nowhere".into(),
        label: None,
    });
    for (_, value) in &mut recommendation.answers.0 {
        *value = AnswerValue::Text(h());
    }
    recommendation
        .answers
        .0
        .push(("hostile".into(), AnswerValue::Choices(vec![h(), "ok".into()])));
    recommendation.assumptions.push(Assumption {
        question: h(),
        value: AnswerValue::Choice(h()),
        reason: h(),
    });
    recommendation.sources.extend([
        SourceRef {
            id: h(),
            title: h(),
            location: "javascript:alert(1)".into(),
            reviewed: h(),
            status: SourceStatus::Preview,
        },
        SourceRef {
            id: "spaces".into(),
            title: h(),
            location: "https://example.com/a b".into(),
            reviewed: "2026-01-01".into(),
            status: SourceStatus::Ga,
        },
        SourceRef {
            id: "parens".into(),
            title: h(),
            location: "https://example.com/x)](javascript:alert(1))<b>".into(),
            reviewed: "2026-01-01".into(),
            status: SourceStatus::Ga,
        },
    ]);
}

/// An estate report whose every text is hostile.
fn hostile_estate() -> EstateReport {
    let h = || HOSTILE.to_string();
    let evidence = || {
        vec![Evidence {
            file: h(),
            line: 3,
            path: h(),
            value: h(),
        }]
    };
    EstateReport {
        files: vec![h()],
        workspace: AssessedWorkspace {
            id: h(),
            name: h(),
            file: h(),
            path: h(),
        },
        derived_answers: vec![DerivedAnswer {
            question: h(),
            value: AnswerValue::Text(h()),
            evidence: evidence(),
            origin: AnswerOrigin::AnswersOverEstate,
        }],
        drift: vec![DriftItem {
            id: h(),
            setting: h(),
            resource: h(),
            deployed: h(),
            recommended: h(),
            severity: DriftSeverity::High,
            one_way: Some(h()),
            step: Some(h()),
            step_number: Some(1),
            command: Some(h()),
            evidence: evidence(),
        }],
        findings: vec![EstateFindingOutcome {
            id: h(),
            severity: Severity::Warning,
            title: h(),
            detail: h(),
            remedy: h(),
            evidence: evidence(),
            sources: vec![h()],
        }],
        settled: vec![SettledOutcome {
            id: h(),
            note: h(),
            withdrawn_findings: vec![h()],
            evidence: evidence(),
        }],
        not_checked: vec![NotChecked {
            what: vec![h()],
            needs: h(),
        }],
        ignored_types: vec![IgnoredType {
            arm_type: h(),
            count: 2,
        }],
    }
}

#[test]
fn hostile_text_cannot_change_the_record_structure() {
    let (_, _, mut recommendation) = first_example();
    make_hostile(&mut recommendation);
    let hostile_context = RecordContext {
        date: "not a date\n---\n# x".into(),
        tool_version: h_version(),
    };
    for context in [context(), hostile_context] {
        let record = render(&recommendation, &context);
        assert_well_formed("hostile", &record, false);
        assert!(!record.contains("<script"), "a script tag:\n{record}");
        assert!(!record.contains('\u{7}') && !record.contains('\u{202e}'));
        let parsed = parse(&record);
        assert!(
            parsed.texts.concat().contains("<script>alert(1)</script>"),
            "the hostile text is shown as text"
        );
        assert!(
            parsed.links.iter().all(|link| link.starts_with("https://")),
            "{:?}",
            parsed.links
        );
        assert!(
            parsed
                .links
                .iter()
                .any(|link| link.starts_with("https://example.com/x%29%5D%28javascript")),
            "a URL with brackets stays one https link: {:?}",
            parsed.links
        );
        // Commands stay whole inside their code blocks.
        let commands: Vec<&String> = parsed
            .code_blocks
            .iter()
            .filter(|(info, _)| info == "sh")
            .map(|(_, content)| content)
            .collect();
        assert!(
            commands
                .iter()
                .any(|content| content.as_str() == "echo ```` done\n## not a heading\n<b>bold</b> [2J\n"),
            "{commands:?}"
        );
        // The front matter stays one block of plain key: value lines.
        let front: Vec<&str> = record.lines().skip(1).take_while(|line| *line != "---").collect();
        assert_eq!(front.len(), 7, "{front:?}");
        assert!(front.iter().all(|line| line.split_once(": ").is_some()), "{front:?}");
    }
}

fn h_version() -> String {
    "1.0\"\ninjected: true".to_string()
}

// ---------------------------------------------------------------------------------------------
// Through the binary: one renderer, the record date, atomic and no-clobber writes.

fn markdown_command(answers: &Path) -> assert_cmd::Command {
    let mut command = cargo_bin_cmd!("aml-advisor");
    command
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(answers)
        .env("SOURCE_DATE_EPOCH", EPOCH_2026);
    command
}

#[test]
fn the_binary_prints_the_library_record() {
    let (_, path, recommendation) = first_example();
    let output = markdown_command(&path).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let expected = render(
        &recommendation,
        &RecordContext {
            date: "2026-01-01".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
        },
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
    let again = markdown_command(&path).output().expect("runs");
    assert_eq!(
        output.stdout, again.stdout,
        "same answers, knowledge and date: same bytes"
    );
}

#[test]
fn source_date_epoch_sets_the_record_date() {
    let (_, path, _) = first_example();
    let output = markdown_command(&path)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\ndate: 1970-01-01\n"), "{stdout}");
    // Issue 12, item 15: an unusable value silently gave today's date, which breaks the
    // reproducibility it was set for. It is an error, as reproducible-builds tools make it.
    for invalid in ["abc", "-1", "253402300800", "1.5"] {
        let output = markdown_command(&path)
            .env("SOURCE_DATE_EPOCH", invalid)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{invalid}");
        assert!(output.stdout.is_empty(), "{invalid}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("error: SOURCE_DATE_EPOCH is `{invalid}`: it must be a whole number of seconds since 1970-01-01 UTC, from 0 to 253402300799")),
            "{stderr}"
        );
    }
    // Empty means unset; and only the design record has a date, so text and JSON ignore it.
    let output = markdown_command(&path)
        .env("SOURCE_DATE_EPOCH", "")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let output = cargo_bin_cmd!("aml-advisor")
        .args(["recommend", "--format", "json", "--answers"])
        .arg(&path)
        .env("SOURCE_DATE_EPOCH", "abc")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(".aml-advisor-") || name.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn output_is_written_atomically_and_never_clobbered() {
    let (_, path, _) = first_example();
    let dir = tempfile::tempdir().expect("temporary folder");
    let target = dir.path().join("design-record.md");

    markdown_command(&path).arg("--output").arg(&target).assert().success();
    let record = std::fs::read_to_string(&target).expect("written");
    assert!(record.starts_with("---\nstatus: proposed\ndate: 2026-01-01\n"));

    std::fs::write(&target, "keep me\n").expect("prepare");
    let output = markdown_command(&path)
        .arg("--output")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&target).expect("still there"), "keep me\n");

    markdown_command(&path)
        .args(["--force", "--output"])
        .arg(&target)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&target).expect("replaced"), record);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

#[test]
fn unwritable_destinations_fail_clearly() {
    let (_, path, _) = first_example();
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("prepare");
    for (target, message) in [
        (dir.path().join("missing").join("record.md"), "does not exist"),
        (file.join("record.md"), "does not exist"),
        (dir.path().to_path_buf(), "is a directory"),
    ] {
        let output = markdown_command(&path)
            .arg("--output")
            .arg(&target)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{}", target.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{stderr}");
    }
    assert!(!dir.path().join("missing").exists());

    // A read-only folder: skipped when permissions do not apply (running as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).expect("prepare");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("lock");
        if std::fs::write(locked.join("probe"), "x").is_err() {
            let output = markdown_command(&path)
                .arg("--output")
                .arg(locked.join("record.md"))
                .output()
                .expect("runs");
            assert_eq!(output.status.code(), Some(1));
            assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
            assert!(leftovers(&locked).is_empty());
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("unlock");
    }
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}
