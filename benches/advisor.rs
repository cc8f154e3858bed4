//! `cargo bench`: the costs that make up a run, and how they grow with the knowledge base.
//! Figures and method are in BENCHMARKS.md.

use std::hint::black_box;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::render;
use aml_advisor::tui::app::App;
use aml_advisor::tui::theme::Theme;
use aml_advisor::tui::{action::Action, ui, update::update};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

/// The richest example: most rules fire, so every renderer has the most to do.
const EXAMPLE: &str = include_str!("../assets/examples/03-bank-exfiltration-managed-vnet.yaml");

fn pipeline(c: &mut Criterion) {
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
    let context = render::markdown::RecordContext {
        date: "2026-01-01".into(),
        tool_version: "bench".into(),
    };
    c.bench_function("render text", |b| {
        b.iter(|| black_box(render::text::render(&recommendation)))
    });
    c.bench_function("render json", |b| {
        b.iter(|| black_box(render::json::render(&recommendation)))
    });
    c.bench_function("render markdown", |b| {
        b.iter(|| black_box(render::markdown::render(&recommendation, &context)))
    });
    for (name, language) in [
        ("generate terraform", aml_advisor::iac::Language::Terraform),
        ("generate bicep", aml_advisor::iac::Language::Bicep),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                black_box(aml_advisor::iac::generate(
                    &kb,
                    &checked.resolved,
                    &recommendation,
                    language,
                ))
            })
        });
    }
}

/// One frame of the interview at 200x60 into a TestBackend: a question screen (with its live
/// preview) and the result screen's longest tab.
fn frames(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded().expect("valid");
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");

    let mut question = App::new(&kb, Theme::coloured(), None);
    update(&mut question, Action::Resize(200, 60));
    question.start();
    c.bench_function("render one question frame at 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::render(&question, frame))
                .map(|_| ())
                .expect("draws")
        })
    });

    let given = check(&kb, EXAMPLE, "example", false).expect("valid").given;
    let mut result = App::new(&kb, Theme::coloured(), None);
    update(&mut result, Action::Resize(200, 60));
    result.load_answers(given);
    result.show_result();
    update(&mut result, Action::Tab(6));
    c.bench_function("render one result frame (next steps) at 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::render(&result, frame))
                .map(|_| ())
                .expect("draws")
        })
    });
}

/// Load + validate + evaluate on knowledge bases 1x, 10x and 100x the shipped one.
fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("load, validate and evaluate by knowledge-base size");
    group.sample_size(10);
    for factor in [1usize, 10, 100] {
        let files = synthetic::files(factor);
        group.bench_with_input(BenchmarkId::from_parameter(format!("{factor}x")), &files, |b, files| {
            b.iter(|| {
                let kb = KnowledgeBase::from_texts(files.clone()).expect("valid");
                let checked = check(&kb, EXAMPLE, "example", false).expect("valid");
                black_box(evaluate(&kb, &checked.resolved))
            })
        });
    }
    group.finish();
    // The deepest dependency: questions chained by `asked_when`, each asked only after the one
    // before it. Validation was cubic in the chain's length (46 s for 1,000).
    let mut group = c.benchmark_group("load and validate with a chain of asked_when");
    group.sample_size(10);
    for length in [250usize, 500, 1000, 2000] {
        let files = synthetic::chain(length);
        group.bench_with_input(BenchmarkId::from_parameter(length), &files, |b, files| {
            b.iter(|| black_box(KnowledgeBase::from_texts(files.clone()).expect("valid")))
        });
    }
    group.finish();
}

/// A subscription's Resource Graph export of `count` workspaces (the three kinds of
/// tests/fixtures/estate/fabrikam-subscription.graph.json in turn, each with its compute and
/// endpoint, plus the shared private DNS zones), as `az graph query -o json` prints it.
fn subscription_export(count: usize) -> String {
    let template: serde_json::Value = serde_json::from_str(include_str!(
        "../tests/fixtures/estate/fabrikam-subscription.graph.json"
    ))
    .expect("JSON");
    let rows = template["data"].as_array().expect("rows");
    let mut data = Vec::with_capacity(count * 3);
    for copy in 0..count.div_ceil(3) {
        for row in rows {
            let mut row = row.clone();
            let id = row["id"].as_str().expect("id").replace("-ml", &format!("-ml-{copy}"));
            row["id"] = id.into();
            if let Some(name) = row["name"].as_str().filter(|name| name.ends_with("-ml")) {
                row["name"] = format!("{name}-{copy}").into();
            }
            data.push(row);
        }
    }
    let export =
        serde_json::json!({"count": data.len(), "data": data, "skip_token": null, "total_records": data.len()});
    serde_json::to_string(&export).expect("JSON")
}

/// `assess --estate <subscription export> --output-dir`: reading the export and assessing every
/// workspace in it (derive, evaluate, compare), spread over the cores as fleet mode does, without
/// rendering or writing the records.
fn estate(c: &mut Criterion) {
    use aml_advisor::estate::{self, EstateFile, EstateIndex, Scope};
    let kb = KnowledgeBase::embedded().expect("valid");
    let mut group = c.benchmark_group("assess a subscription export");
    group.sample_size(10);
    for count in [1_000usize, 10_000] {
        let text = subscription_export(count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &text, |b, text| {
            b.iter(|| {
                let files = vec![EstateFile {
                    name: "estate.json".into(),
                    text: text.clone(),
                }];
                let estate = estate::read(files, &kb.estate).expect("valid");
                let index = EstateIndex::new(&estate, &kb.estate);
                let workspaces = index.workspaces(&estate);
                let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
                let chunk = workspaces.len().div_ceil(workers).max(1);
                let assessed: usize = std::thread::scope(|scope| {
                    let handles: Vec<_> = workspaces
                        .chunks(chunk)
                        .map(|share| {
                            let (kb, estate, index) = (&kb, &estate, &index);
                            scope.spawn(move || {
                                share
                                    .iter()
                                    .filter(|workspace| {
                                        let scope = Scope::new(estate, &kb.estate, index, workspace);
                                        black_box(estate::assess(kb, &scope, None)).is_ok()
                                    })
                                    .count()
                            })
                        })
                        .collect();
                    handles.into_iter().map(|handle| handle.join().expect("worker")).sum()
                });
                assert_eq!(assessed, workspaces.len());
            })
        });
    }
    group.finish();
}

criterion_group!(advisor, pipeline, frames, scale, estate);
criterion_main!(advisor);
