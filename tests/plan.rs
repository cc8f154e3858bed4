//! The plan holds together: `knowledge check` rejects steps that use what nothing creates (or
//! creates it later), resources created twice, creators of plan inputs, unknown resource kinds,
//! files no command applies and same-phase cycles, each with file:line; the engine orders steps
//! by what they create and use and names, for every use, the step that creates it.

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

use std::path::Path;

use aml_advisor::answers::check::check;
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::knowledge::KnowledgeBase;
use assert_cmd::Command;

fn advisor() -> Command {
    Command::cargo_bin("aml-advisor").expect("binary")
}

const BROKEN_PLANS: &[(&str, &str)] = &[
    (
        "uses-uncreated",
        "knowledge.yaml:117:46: next step `create-endpoint` (deploy) uses `subnet:pe`, but no step of its phase or an earlier one creates it when access = private; add it to the `creates` of an earlier step, or declare it in `plan_inputs`",
    ),
    (
        "created-later",
        "knowledge.yaml:117:21: next step `create-endpoint` (prepare) uses `vnet:spoke`, but no step of its phase or an earlier one creates it when access = private; only later steps create it: `create-vnet` (deploy)",
    ),
    (
        "created-twice",
        "knowledge.yaml:116:54: `vnet:spoke` is created twice, by `create-vnet` and `create-endpoint`, when access = private",
    ),
    (
        "creates-an-input",
        "knowledge.yaml:111:37: next step `create-vnet` creates `workspace`, which already exists as a plan input when access = private",
    ),
    (
        "input-only-sometimes",
        "knowledge.yaml:133:18: next step `lock-down` (deploy) uses `vnet:hub`, but no step of its phase or an earlier one creates it when access = private, needs = []",
    ),
    (
        "unknown-kind",
        "knowledge.yaml:111:24: next step `create-vnet`: unknown resource kind `vnett` in `vnett:spoke` (did you mean `vnet`?)",
    ),
    (
        "file-not-applied",
        "knowledge.yaml:122:13: next step `lock-down` shows the file `lock.yml` but its command does not apply it",
    ),
    (
        "same-phase-cycle",
        "knowledge.yaml:107:17: next step `create-vnet` is part of a cycle of steps in phase `deploy`",
    ),
];

#[test]
fn every_broken_plan_is_rejected_with_file_and_line() {
    let folder = Path::new("tests/fixtures/plan");
    let mut present: Vec<String> = std::fs::read_dir(folder)
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "coherent")
        .collect();
    present.sort();
    let mut listed: Vec<&str> = BROKEN_PLANS.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    assert_eq!(
        listed, present,
        "every fixture has an expectation and every expectation a fixture"
    );
    for (name, phrase) in BROKEN_PLANS {
        let output = advisor()
            .arg("--knowledge")
            .arg(folder.join(name))
            .args(["knowledge", "check"])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(65), "{name}: {stderr}");
        assert!(stderr.contains(phrase), "{name}: expected {phrase:?} in:\n{stderr}");
        assert!(
            stderr.contains("1 problem found"),
            "{name}: one defect, one problem:\n{stderr}"
        );
    }
}

#[test]
fn the_coherent_plan_passes() {
    advisor()
        .args(["--knowledge", "tests/fixtures/plan/coherent", "knowledge", "check"])
        .assert()
        .success();
}

fn recommend(kb: &KnowledgeBase, answers: &str) -> Recommendation {
    let checked = check(kb, answers, "inline", false).expect("valid answers");
    evaluate(kb, &checked.resolved)
}

fn ids(r: &Recommendation) -> Vec<&str> {
    r.next_steps.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn steps_are_ordered_by_what_they_use_and_name_their_creators() {
    // Written order within the deploy phase puts the lock-down before the endpoint it needs.
    let text = std::fs::read_to_string("tests/fixtures/plan/coherent/knowledge.yaml").expect("fixture");
    let start = text.find("          - id: create-endpoint").expect("endpoint step");
    let middle = text.find("          - id: lock-down").expect("lock-down step");
    let end = text
        .find("        sources: [seed-003]\n      - id: public_network")
        .expect("end of steps");
    let swapped = format!(
        "{}{}{}{}",
        &text[..start],
        &text[middle..end],
        &text[start..middle],
        &text[end..]
    );
    let kb = KnowledgeBase::from_texts(vec![("knowledge.yaml".to_string(), swapped)]).expect("valid");
    let answers = "version: 1\nanswers:\n  region: westeurope\n  access: private\n  needs: [aks]\n";
    let r = recommend(&kb, answers);
    assert_eq!(ids(&r), ["create-vnet", "create-endpoint", "lock-down"]);

    let lock = &r.next_steps[2];
    let origin: Vec<(&str, Option<&str>)> = lock
        .uses
        .iter()
        .map(|used| (used.resource.as_str(), used.created_by.as_deref()))
        .collect();
    assert_eq!(
        origin,
        [
            ("private_endpoint:workspace", Some("create-endpoint")),
            ("vnet:hub", None)
        ]
    );
    let needs: Vec<(&str, Option<usize>)> = r.needs(lock).collect();
    assert_eq!(
        needs,
        [("private endpoint workspace", Some(2)), ("virtual network hub", None)]
    );
    // Only the inputs the shown steps use are listed, with their placeholders filled.
    let inputs: Vec<&str> = r.plan_inputs.iter().map(|i| i.description.as_str()).collect();
    assert_eq!(inputs, ["The workspace aml-workspace.", "The hub network."]);
}

#[test]
fn conditional_needs_and_file_parts_follow_the_answers() {
    let kb = KnowledgeBase::from_dir(Path::new("tests/fixtures/plan/coherent")).expect("valid");
    let without = recommend(&kb, "version: 1\nanswers:\n  region: westeurope\n  access: private\n");
    let lock = without.next_steps.iter().find(|s| s.id == "lock-down").expect("shown");
    assert_eq!(lock.uses.len(), 1, "vnet:hub is needed only with aks: {:?}", lock.uses);
    let file = lock.file.as_ref().expect("file shown");
    assert_eq!(file.name, "lock.yml");
    assert_eq!(file.content, "public_network_access: Disabled\n");
    assert!(without.plan_inputs.iter().all(|i| i.description != "The hub network."));

    let with = recommend(
        &kb,
        "version: 1\nanswers:\n  region: westeurope\n  access: private\n  needs: [spark]\n",
    );
    let lock = with.next_steps.iter().find(|s| s.id == "lock-down").expect("shown");
    assert!(
        lock.file
            .as_ref()
            .expect("file")
            .content
            .ends_with("# Spark private endpoints are provisioned afterwards.\n"),
        "{:?}",
        lock.file
    );
}

/// What the proof in `knowledge check` promises, seen in every example's actual plan: every use
/// is created by an earlier step or is a listed input, nothing is created twice, and every file
/// a step shows is applied by its command.
#[test]
fn every_example_plan_runs_in_order() {
    let kb = KnowledgeBase::embedded().expect("valid");
    for path in examples() {
        let text = std::fs::read_to_string(&path).expect("read");
        let r = recommend(&kb, &text);
        let name = path.display();
        let mut created: Vec<&str> = Vec::new();
        for (index, step) in r.next_steps.iter().enumerate() {
            for used in &step.uses {
                match &used.created_by {
                    Some(creator) => {
                        let position = r.next_steps.iter().position(|s| &s.id == creator);
                        assert!(
                            position.is_some_and(|p| p < index),
                            "{name}: step {} uses {} from {creator}, which does not come before it",
                            step.id,
                            used.resource
                        );
                    }
                    None => assert!(
                        r.plan_inputs.iter().any(|input| input.resource == used.resource),
                        "{name}: step {} uses {}, which no earlier step creates and no input provides",
                        step.id,
                        used.resource
                    ),
                }
            }
            for resource in &step.creates {
                assert!(
                    !created.contains(&resource.as_str()),
                    "{name}: {resource} is created twice (again by {})",
                    step.id
                );
                created.push(resource);
            }
            if let Some(file) = &step.file {
                assert!(
                    step.command.as_deref().is_some_and(|c| c.contains(&file.name)),
                    "{name}: step {} shows {} but does not apply it",
                    step.id,
                    file.name
                );
            }
        }
    }
}
