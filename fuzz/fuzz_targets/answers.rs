//! Feeds arbitrary bytes through the same path as `recommend --answers`: the input checks,
//! the YAML parse, the answers checks, and (when they pass) the engine and every renderer.
//! Any panic is a bug.
#![no_main]

use std::sync::OnceLock;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;
use aml_advisor::input::text_from_bytes;
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::render;
use libfuzzer_sys::fuzz_target;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::embedded().expect("the shipped knowledge base is valid"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = text_from_bytes(data.to_vec(), "fuzz") else { return };
    if let Ok(checked) = check(kb(), &text, "fuzz", false) {
        let recommendation = evaluate(kb(), &checked.resolved);
        let _ = render::text::render(&recommendation);
        let _ = render::json::render(&recommendation);
        let context = render::markdown::RecordContext { date: "2026-01-01".into(), tool_version: "fuzz".into() };
        let _ = render::markdown::render(&recommendation, &context);
    }
});
