//! Scale: synthetic knowledge bases 10x and 100x the shipped one load, validate and evaluate,
//! and every copy behaves like the original. (Timing curves are measured by `cargo bench`,
//! not asserted here.)

mod support;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;

/// The synthetic knowledge base, loaded and validated.
fn knowledge(factor: usize) -> aml_advisor::knowledge::KnowledgeBase {
    aml_advisor::knowledge::KnowledgeBase::from_texts(support::synthetic::files(factor))
        .unwrap_or_else(|error| panic!("synthetic x{factor} is valid: {error:?}"))
}

const ANSWERS: &str = include_str!("../assets/examples/03-bank-exfiltration-managed-vnet.yaml");

#[test]
fn ten_times_the_knowledge_base_validates_and_each_copy_recommends_alike() {
    let shipped = aml_advisor::knowledge::KnowledgeBase::embedded().expect("valid");
    let kb = knowledge(10);
    assert_eq!(kb.questions.len(), shipped.questions.len() * 10);
    assert_eq!(kb.findings.len(), shipped.findings.len() * 10);
    let checked = check(&kb, ANSWERS, "answers", false).expect("valid answers");
    let big = evaluate(&kb, &checked.resolved);
    let small = evaluate(
        &shipped,
        &check(&shipped, ANSWERS, "answers", false).expect("valid").resolved,
    );
    assert_eq!(big.architecture.id, small.architecture.id);
    assert_eq!(
        big.decisions.len(),
        small.decisions.len() * 10,
        "one decision per copied area"
    );
    // The copies run on defaults, so they raise at least the findings their defaults raise.
    assert!(
        big.findings.len() >= small.findings.len(),
        "{} vs {}",
        big.findings.len(),
        small.findings.len()
    );
}

#[test]
fn a_hundred_times_the_knowledge_base_still_loads() {
    let kb = knowledge(100);
    assert_eq!(kb.areas.len() % 100, 0);
    let checked = check(&kb, ANSWERS, "answers", false).expect("valid answers");
    let recommendation = evaluate(&kb, &checked.resolved);
    assert_eq!(recommendation.decisions.len(), kb.areas.len());
}
