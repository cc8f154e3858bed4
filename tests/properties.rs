//! Exhaustive and random checks over the shipped knowledge base: every choice of every
//! question, every pair of single-choice answers, random answer sets, and random input bytes.
//! None may panic; every output must be deterministic, fully filled in, and every finding must
//! cite answers that are really in effect.

use aml_advisor::answers::{AnswerValue, Given, check::check, resolve};
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::model::QuestionKind;
use aml_advisor::render;
use proptest::prelude::*;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::embedded().expect("shipped knowledge base is valid"))
}

fn base() -> Given {
    let mut given = Given::default();
    given.set("region", AnswerValue::Text("westeurope".into()));
    given
}

/// The properties every evaluation must have.
fn assert_sound(given: &Given, label: &str) -> Recommendation {
    let kb = kb();
    let resolved = resolve(kb, given);
    assert!(resolved.missing.is_empty(), "{label}: missing {:?}", resolved.missing);
    let first = evaluate(kb, &resolved);
    let second = evaluate(kb, &resolve(kb, given));
    assert_eq!(first, second, "{label}: evaluation is deterministic");
    let json = render::json::render(&first);
    assert!(!json.contains("${"), "{label}: unresolved placeholder in {json}");
    assert!(
        !json.contains("<region>") && !json.contains("<workspace>"),
        "{label}: unfilled name"
    );
    let text = render::text::render(&first);
    assert!(!text.contains("${"), "{label}: unresolved placeholder in text");
    for finding in &first.findings {
        assert!(
            !finding.because.is_empty(),
            "{label}: finding {} names no cause",
            finding.id
        );
        for cause in &finding.because {
            let effective = first
                .answers
                .0
                .iter()
                .find(|(q, _)| q == &cause.question)
                .map(|(_, v)| v);
            assert_eq!(
                effective,
                Some(&cause.value),
                "{label}: finding {} cites {}",
                finding.id,
                cause.question
            );
        }
    }
    assert_eq!(first.decisions.len(), kb.areas.len(), "{label}: one decision per area");
    first
}

fn choice_values(question: &aml_advisor::knowledge::model::Question) -> Vec<AnswerValue> {
    match question.kind {
        QuestionKind::Single => question
            .choices
            .iter()
            .map(|c| AnswerValue::Choice(c.id.clone()))
            .collect(),
        QuestionKind::Multi => {
            let mut values: Vec<AnswerValue> = question
                .choices
                .iter()
                .map(|c| AnswerValue::Choices(vec![c.id.clone()]))
                .collect();
            values.push(AnswerValue::Choices(Vec::new()));
            values.push(AnswerValue::Choices(
                question.choices.iter().map(|c| c.id.clone()).collect(),
            ));
            values
        }
        QuestionKind::Text => Vec::new(),
    }
}

#[test]
fn every_choice_of_every_question_with_the_others_at_their_defaults() {
    let mut evaluated = 0;
    for question in &kb().questions {
        for value in choice_values(question) {
            let mut given = base();
            given.set(&question.id, value.clone());
            assert_sound(&given, &format!("{} = {}", question.id, value.display()));
            evaluated += 1;
        }
    }
    assert!(evaluated > 60, "only {evaluated} evaluations");
}

#[test]
fn every_pair_of_single_choice_answers() {
    let singles: Vec<_> = kb()
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Single)
        .collect();
    let mut evaluated = 0;
    for (i, first) in singles.iter().enumerate() {
        for second in &singles[i + 1..] {
            for a in &first.choices {
                for b in &second.choices {
                    let mut given = base();
                    given.set(&first.id, AnswerValue::Choice(a.id.clone()));
                    given.set(&second.id, AnswerValue::Choice(b.id.clone()));
                    assert_sound(&given, &format!("{}={} {}={}", first.id, a.id, second.id, b.id));
                    evaluated += 1;
                }
            }
        }
    }
    assert!(evaluated > 500, "only {evaluated} pairs");
}

/// A random but valid answer set: for each question, maybe an answer drawn from its choices.
fn answers_strategy() -> impl Strategy<Value = Given> {
    let questions: Vec<_> = kb()
        .questions
        .iter()
        .filter(|q| q.kind != QuestionKind::Text)
        .cloned()
        .collect();
    let picks = questions
        .iter()
        .map(|q| (any::<bool>(), 0..q.choices.len().max(1), any::<u16>()))
        .collect::<Vec<_>>();
    picks.prop_map(move |picks| {
        let mut given = base();
        for (question, (answer, index, mask)) in questions.iter().zip(picks) {
            if !answer {
                continue;
            }
            let value = match question.kind {
                QuestionKind::Single => AnswerValue::Choice(question.choices[index].id.clone()),
                _ => AnswerValue::Choices(
                    question
                        .choices
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, c)| c.id.clone())
                        .collect(),
                ),
            };
            given.set(&question.id, value);
        }
        given
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_answer_sets_are_sound(given in answers_strategy()) {
        assert_sound(&given, &format!("{given:?}"));
    }

    #[test]
    fn random_bytes_never_panic_the_answers_parser(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = check(kb(), &text, "random", false);
        }
    }

    #[test]
    fn random_yaml_never_panics_the_answers_parser(
        keys in proptest::collection::vec("[a-z_]{1,20}", 0..6),
        values in proptest::collection::vec(prop_oneof![
            Just("[]".to_string()), Just("~".to_string()), Just("{a: 1}".to_string()), Just("&x [*x]".to_string()),
            "[a-z_]{0,20}", "[0-9]{1,5}", "\\[[a-z_, ]{0,30}\\]", "\"[^\"\\\\]{0,20}\"",
        ], 0..6),
        version in prop_oneof![Just("1"), Just("2"), Just("x"), Just("")],
    ) {
        let mut text = format!("version: {version}\nanswers:\n");
        for (key, value) in keys.iter().zip(values.iter()) {
            text.push_str(&format!("  {key}: {value}\n"));
        }
        match check(kb(), &text, "random", false) {
            Ok(checked) => { let _ = evaluate(kb(), &checked.resolved); }
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }
}
