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

// Issue 12, item 12: 250 chained `asked_when` took 0.6 s to validate, 500 4.4 s, 1,000 46 s
// (release; cubic), paid by `recommend`, `template` and `schema` with --knowledge too. Now the
// chain adds little to the shipped knowledge base's own validation; `cargo bench` has the curve.
#[test]
fn a_long_chain_of_asked_when_validates_quickly() {
    let mut timings = Vec::new();
    for length in [500, 2000] {
        let started = std::time::Instant::now();
        let kb = aml_advisor::knowledge::KnowledgeBase::from_texts(support::synthetic::chain(length))
            .unwrap_or_else(|error| panic!("chain of {length} is valid: {error:?}"));
        timings.push((length, started.elapsed()));
        assert_eq!(
            kb.questions.iter().filter(|q| q.id.starts_with("chain_")).count(),
            length
        );
    }
    // Generous for an unoptimised build on a busy machine; the cubic search took minutes.
    assert!(timings.iter().all(|(_, time)| time.as_secs_f64() < 10.0), "{timings:?}");
    // A broken link is still found: the question after it can never be asked.
    let mut files = support::synthetic::chain(300);
    let (_, chain) = files.last_mut().expect("the chain file");
    *chain = chain.replace(
        "asked_when: { equals: { question: chain_149, value: yes } }",
        "asked_when: { all: [{ equals: { question: chain_149, value: yes } }, { equals: { question: chain_149, value: no } }] }",
    );
    let error = aml_advisor::knowledge::KnowledgeBase::from_texts(files).expect_err("unreachable link");
    let message = format!("{error:?}");
    assert!(message.contains("question `chain_150` can never be asked"), "{message}");
}
