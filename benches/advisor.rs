//! `cargo bench`: the costs that make up a run. Figures and method are in BENCHMARKS.md.

use std::hint::black_box;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::render;
use criterion::{Criterion, criterion_group, criterion_main};

/// The richest example: most rules fire, so every renderer has the most to do.
const EXAMPLE: &str = include_str!("../assets/examples/03-bank-exfiltration-managed-vnet.yaml");

fn benches(c: &mut Criterion) {
    c.bench_function("load and validate the embedded knowledge base", |b| {
        b.iter(|| black_box(KnowledgeBase::embedded().expect("valid")))
    });
    let kb = KnowledgeBase::embedded().expect("valid");
    c.bench_function("check and evaluate one answers file", |b| {
        b.iter(|| {
            let checked = check(&kb, black_box(EXAMPLE), "example", false).expect("valid");
            black_box(evaluate(&kb, &checked.resolved))
        })
    });
    let checked = check(&kb, EXAMPLE, "example", false).expect("valid");
    let recommendation = evaluate(&kb, &checked.resolved);
    c.bench_function("render text", |b| {
        b.iter(|| black_box(render::text::render(&recommendation)))
    });
    c.bench_function("render json", |b| {
        b.iter(|| black_box(render::json::render(&recommendation)))
    });
}

criterion_group!(advisor, benches);
criterion_main!(advisor);
