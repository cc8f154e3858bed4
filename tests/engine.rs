//! The engine over the shipped knowledge base and examples: snapshots of every example's
//! outputs, and coverage: every rule of the knowledge base fires, and every choice is used, in
//! at least one example.

use std::collections::BTreeSet;
use std::path::PathBuf;

use aml_advisor::answers::check::{Checked, check};
use aml_advisor::answers::{AnswerValue, resolve};
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::render;

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

fn run(kb: &KnowledgeBase, path: &PathBuf) -> (Checked, Recommendation) {
    let text = std::fs::read_to_string(path).expect("read example");
    let checked = check(kb, &text, &path.display().to_string(), false)
        .unwrap_or_else(|problems| panic!("{} is invalid:\n{problems}", path.display()));
    let recommendation = evaluate(kb, &checked.resolved);
    (checked, recommendation)
}

#[test]
fn examples_are_many_and_each_describes_its_situation() {
    let paths = examples();
    assert!(paths.len() >= 8, "at least 8 examples, found {}", paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("read");
        let comment_lines = text.lines().take_while(|line| line.starts_with('#')).count();
        assert!(
            comment_lines >= 2,
            "{} opens with a comment describing the situation",
            path.display()
        );
    }
}

#[test]
fn example_outputs_match_their_snapshots() {
    let kb = KnowledgeBase::embedded().expect("shipped knowledge base is valid");
    for path in examples() {
        let (_, recommendation) = run(&kb, &path);
        let name = path.file_stem().expect("stem").to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("{name}.json"), render::json::render(&recommendation));
        insta::assert_snapshot!(format!("{name}.txt"), render::text::render(&recommendation));
    }
}

#[test]
fn json_has_every_key_of_the_contract() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let (_, recommendation) = run(&kb, &examples()[0]);
    let json: serde_json::Value = serde_json::from_str(&render::json::render(&recommendation)).expect("JSON");
    for key in [
        "format_version",
        "knowledge_version",
        "architecture",
        "decisions",
        "findings",
        "network_rules",
        "dns_zones",
        "policies",
        "role_assignments",
        "next_steps",
        "assumptions",
        "ignored_answers",
        "answers",
    ] {
        assert!(json.get(key).is_some(), "top-level key {key}");
    }
    for key in ["id", "variant", "title", "rationale", "pros", "cons", "considered"] {
        assert!(json["architecture"].get(key).is_some(), "architecture.{key}");
    }
    for key in [
        "area",
        "choice",
        "title",
        "because",
        "pros",
        "cons",
        "next_steps",
        "sources",
    ] {
        assert!(json["decisions"][0].get(key).is_some(), "decisions[].{key}");
    }
    assert_eq!(json["format_version"], 2);
}

#[test]
fn text_output_fits_80_columns_except_unbreakable_words() {
    let kb = KnowledgeBase::embedded().expect("valid");
    for path in examples() {
        let (_, recommendation) = run(&kb, &path);
        let text = render::text::render(&recommendation);
        for line in text.lines() {
            let width = line.chars().count();
            assert!(
                width <= 80 || is_unbreakable(line),
                "{}: line of {width} columns that could have been broken: {line}",
                path.display()
            );
        }
        let architecture = text.find("ARCHITECTURE").expect("architecture section");
        let findings = text.find("FINDINGS").expect("findings section");
        assert!(architecture < findings, "the architecture comes first");
        if let (Some(conflict), Some(warning)) = (text.find("[CONFLICT]"), text.find("[WARNING]")) {
            assert!(conflict < warning, "{}: conflicts before warnings", path.display());
        }
    }
}

/// A line may pass 80 columns only when it is one word (a long URL), one quoted shell argument
/// (a JMESPath query) or a line of a file the plan shows verbatim behind a bar, which cannot be
/// broken without changing its meaning.
fn is_unbreakable(line: &str) -> bool {
    let body = line.trim().trim_end_matches(" \\").trim();
    if body.starts_with("| ") {
        return true;
    }
    let mut quote = None;
    let mut spaces_outside_quotes = 0;
    for c in body.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, ' ') => spaces_outside_quotes += 1,
            _ => {}
        }
    }
    spaces_outside_quotes == 0 || body.split_whitespace().any(|word| word.chars().count() > 60)
}

#[test]
fn evaluation_is_deterministic_and_placeholders_are_filled() {
    let kb = KnowledgeBase::embedded().expect("valid");
    for path in examples() {
        let (checked, first) = run(&kb, &path);
        let second = evaluate(&kb, &resolve(&kb, &checked.given));
        assert_eq!(first, second, "{}", path.display());
        let json = render::json::render(&first);
        assert!(!json.contains("${"), "{}: unresolved placeholder", path.display());
        for finding in &first.findings {
            for cause in &finding.because {
                assert!(
                    first
                        .answers
                        .0
                        .iter()
                        .any(|(q, v)| q == &cause.question && v == &cause.value),
                    "{}: finding {} cites {} which is not an effective answer",
                    path.display(),
                    finding.id,
                    cause.question
                );
            }
        }
    }
}

#[test]
fn every_rule_fires_and_every_choice_is_used_in_some_example() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let mut fired: BTreeSet<String> = BTreeSet::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for path in examples() {
        let (checked, r) = run(&kb, &path);
        fired.insert(format!("architecture {}", r.architecture.id));
        if let Some(variant) = &r.architecture.variant {
            fired.insert(format!("variant {}", variant.id));
        }
        for decision in &r.decisions {
            fired.insert(format!("option {}/{}", decision.area, decision.choice));
        }
        fired.extend(r.next_steps.iter().map(|x| format!("step {}", x.id)));
        fired.extend(r.findings.iter().map(|x| format!("finding {}", x.id)));
        fired.extend(r.network_rules.iter().map(|x| format!("network rule {}", x.id)));
        fired.extend(r.dns_zones.iter().map(|x| format!("dns zone {}", x.id)));
        fired.extend(r.policies.iter().map(|x| format!("policy {} {}", x.id, x.effect)));
        fired.extend(r.role_assignments.iter().map(|x| format!("role {}", x.id)));
        fired.extend(r.confirmations.iter().map(|x| format!("confirmation {}", x.id)));
        fired.extend(r.diagram.nodes.iter().map(|x| format!("diagram node {}", x.id)));
        for (question, value) in &checked.resolved.values {
            match value {
                AnswerValue::Choice(choice) => {
                    used.insert(format!("{question}={choice}"));
                }
                AnswerValue::Choices(choices) => {
                    used.extend(choices.iter().map(|choice| format!("{question}={choice}")));
                }
                AnswerValue::Text(_) => {}
            }
        }
    }
    let mut expected: BTreeSet<String> = BTreeSet::new();
    expected.extend(kb.architectures.iter().map(|x| format!("architecture {}", x.id)));
    expected.extend(kb.variants.iter().map(|x| format!("variant {}", x.id)));
    for decision in &kb.decisions {
        for option in &decision.options {
            expected.insert(format!("option {}/{}", decision.area, option.id));
            expected.extend(option.next_steps.iter().map(|x| format!("step {}", x.id)));
        }
    }
    expected.extend(kb.findings.iter().map(|x| format!("finding {}", x.id)));
    expected.extend(kb.network_rules.iter().map(|x| format!("network rule {}", x.id)));
    expected.extend(kb.dns_zones.iter().map(|x| format!("dns zone {}", x.id)));
    expected.extend(
        kb.policies
            .iter()
            .flat_map(|p| p.effect.iter().map(move |e| format!("policy {} {}", p.id, e.value))),
    );
    expected.extend(kb.role_assignments.iter().map(|x| format!("role {}", x.id)));
    expected.extend(kb.confirmations.iter().map(|x| format!("confirmation {}", x.id)));
    expected.extend(kb.diagram.nodes.iter().map(|x| format!("diagram node {}", x.id)));
    let never_fired: Vec<&String> = expected.difference(&fired).collect();
    assert!(never_fired.is_empty(), "rules no example fires: {never_fired:#?}");

    let all_choices: BTreeSet<String> = kb
        .questions
        .iter()
        .flat_map(|q| q.choices.iter().map(move |c| format!("{}={}", q.id, c.id)))
        .collect();
    let unused: Vec<&String> = all_choices.difference(&used).collect();
    assert!(unused.is_empty(), "choices no example uses: {unused:#?}");
}

#[test]
fn an_answer_that_does_not_apply_is_ignored_with_its_reason() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let text = "version: 1\nanswers:\n  region: westeurope\n  network_model: customer_vnet\n  managed_outbound: allow_internet_outbound\n";
    let checked = check(&kb, text, "inline", false).expect("valid");
    let ignored = &checked.resolved.ignored;
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert_eq!(ignored[0].question, "managed_outbound");
    assert_eq!(
        ignored[0].reason,
        "asked only when network_model is managed_vnet; here network_model is customer_vnet"
    );
    assert!(checked.resolved.get("managed_outbound").is_none());
}

#[test]
fn derived_defaults_follow_earlier_answers() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let value = |text: &str, question: &str| {
        let checked = check(&kb, text, "inline", false).expect("valid");
        checked.resolved.get(question).map(AnswerValue::display)
    };
    let sensitive = "version: 1\nanswers:\n  region: westeurope\n  data_sensitivity: highly_sensitive\n";
    let general = "version: 1\nanswers:\n  region: westeurope\n  data_sensitivity: general\n";
    assert_eq!(value(sensitive, "exfiltration_prevention").as_deref(), Some("required"));
    assert_eq!(
        value(general, "exfiltration_prevention").as_deref(),
        Some("not_required")
    );
    assert_eq!(value(sensitive, "encryption_keys").as_deref(), Some("customer_managed"));
    assert_eq!(value(general, "policy_enforcement").as_deref(), Some("audit"));
    assert_eq!(value(sensitive, "build_environment").as_deref(), Some("dmz_mirrors"));
    let aks = "version: 1\nanswers:\n  region: westeurope\n  workload_needs: [kubernetes_inference]\n";
    assert_eq!(value(aks, "network_model").as_deref(), Some("customer_vnet"));
    assert_eq!(value(aks, "internet_egress").as_deref(), Some("firewall"));
    assert_eq!(value(general, "network_model").as_deref(), Some("managed_vnet"));
}

/// An edge may end at a group; the interview's Diagram tab names it by its label, as it does
/// a node, never by its id.
#[test]
fn diagram_connections_name_groups_by_their_label() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let mut group_edges = 0;
    for path in examples() {
        let (_, recommendation) = run(&kb, &path);
        let diagram = &recommendation.diagram;
        let tab = (0..12)
            .map(|index| {
                aml_advisor::tui::content::tab(
                    &kb,
                    &recommendation,
                    index,
                    200,
                    aml_advisor::tui::theme::Theme::monochrome(),
                )
            })
            .map(|text| {
                text.lines
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .find(|text| text.lines().any(|line| line.trim() == "Connections"))
            .expect("a tab lists the connections");
        for edge in &diagram.edges {
            if let Some(group) = diagram.groups.iter().find(|group| group.id == edge.to) {
                group_edges += 1;
                let arrow_line = tab
                    .lines()
                    .find(|line| line.contains('▶') && line.trim_end().ends_with(group.label.as_str()));
                assert!(
                    arrow_line.is_some(),
                    "{}: no connection to {}:\n{tab}",
                    path.display(),
                    group.label
                );
            }
        }
    }
    assert!(group_edges > 10, "the examples draw edges to groups");
}
