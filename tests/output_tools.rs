//! The outputs through the tools their readers already run: every example's design record and
//! the fleet index.md through markdownlint-cli2 (with the shipped .markdownlint.jsonc), every
//! diagram through the Mermaid CLI (headless Chromium), every JSON output through
//! check-jsonschema. `.ci/run` installs the tools; see tests/support/tools.rs for what happens
//! when one is missing.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

#[path = "support/tools.rs"]
mod tools;

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

/// Every example's design record and index.md, written by fleet mode into a new folder.
fn records(dir: &Path) -> PathBuf {
    let out = dir.join("records");
    cargo_bin_cmd!("aml-advisor")
        .args([
            "--quiet",
            "recommend",
            "--answers",
            "assets/examples",
            "--format",
            "markdown",
            "--output-dir",
        ])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .assert()
        .success();
    out
}

#[test]
fn every_record_and_the_fleet_index_pass_markdownlint() {
    let Some(markdownlint) = tools::find("markdownlint-cli2") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = records(dir.path());
    let config = std::fs::canonicalize(".markdownlint.jsonc").expect("the shipped config");
    let listed = std::fs::read_dir(&out).expect("records").count();
    assert_eq!(listed, examples().len() + 1, "a record per example and index.md");
    // Run inside the folder, so the globs match only the records.
    tools::run(
        std::process::Command::new(std::fs::canonicalize(markdownlint).expect("path"))
            .current_dir(&out)
            .arg("--config")
            .arg(&config)
            .arg("*.md"),
    );
}

/// `assess` writes records with its estate section, ticked steps and evidence, and its own
/// index.md: they are linted like the others.
#[test]
fn assessment_records_and_their_index_pass_markdownlint() {
    let Some(markdownlint) = tools::find("markdownlint-cli2") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("assessment");
    cargo_bin_cmd!("aml-advisor")
        .args([
            "--quiet",
            "assess",
            "--estate",
            "tests/fixtures/estate/fabrikam-subscription.graph.json",
        ])
        .args(["--format", "markdown", "--output-dir"])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .assert()
        .success();
    let contoso = cargo_bin_cmd!("aml-advisor")
        .args(["assess", "--estate", "tests/fixtures/estate/contoso-workspace.arm.json"])
        .args([
            "tests/fixtures/estate/contoso-network.arm-list.json",
            "--format",
            "markdown",
        ])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("runs");
    assert!(contoso.status.success());
    std::fs::write(out.join("contoso.md"), contoso.stdout).expect("written");
    let config = std::fs::canonicalize(".markdownlint.jsonc").expect("the shipped config");
    assert_eq!(
        std::fs::read_dir(&out).expect("records").count(),
        5,
        "3 records, contoso and index.md"
    );
    tools::run(
        std::process::Command::new(std::fs::canonicalize(markdownlint).expect("path"))
            .current_dir(&out)
            .arg("--config")
            .arg(&config)
            .arg("*.md"),
    );
}

#[test]
fn every_example_json_validates_with_check_jsonschema() {
    let Some(validator) = tools::find("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let schema = dir.path().join("recommendation.schema.json");
    let printed = cargo_bin_cmd!("aml-advisor")
        .args(["schema", "recommendation"])
        .assert()
        .success();
    std::fs::write(&schema, &printed.get_output().stdout).expect("write schema");
    let mut command = std::process::Command::new(validator);
    command.arg("--schemafile").arg(&schema);
    for example in examples() {
        let json = dir
            .path()
            .join(format!("{}.json", example.file_stem().expect("name").to_string_lossy()));
        let output = cargo_bin_cmd!("aml-advisor")
            .args(["recommend", "--format", "json", "--answers"])
            .arg(&example)
            .assert()
            .success();
        std::fs::write(&json, &output.get_output().stdout).expect("write JSON");
        command.arg(&json);
    }
    tools::run(&mut command);
    // And it does reject what the schema forbids, so the run above was a real check.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"format_version": "2"}"#).expect("write");
    let rejected = std::process::Command::new(tools::find("check-jsonschema").expect("found above"))
        .arg("--schemafile")
        .arg(&schema)
        .arg(&bad)
        .output()
        .expect("runs");
    assert!(
        !rejected.status.success(),
        "check-jsonschema accepted an invalid output"
    );
}

// ---------------------------------------------------------------------------------------------
// Diagrams.

/// Widest diagram, in pixels, with the ELK layout the record asks for: GitHub's page shows
/// about 900 pixels, so text stays above 10 pixels high.
const WIDEST_ELK: f64 = 1500.0;
/// Widest with Mermaid's default layout, which GitHub uses (it does not ship ELK).
const WIDEST_DEFAULT: f64 = 2300.0;

#[derive(Debug, Clone, Copy)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        // 2 pixels in: an edge ending on a box's border is not through it.
        self.left + 2.0 < x && x < self.right - 2.0 && self.top + 2.0 < y && y < self.bottom - 2.0
    }
}

/// What the Mermaid CLI drew: the picture's width, the boxes, the edge labels and the edges
/// (ends and points along them), in absolute coordinates.
#[derive(Debug, Default)]
struct Drawing {
    width: f64,
    nodes: Vec<(String, Rect)>,
    labels: Vec<(String, Rect)>,
    edges: Vec<Edge>,
}

/// An edge: its two ends and points along it.
type Edge = (String, String, Vec<(f64, f64)>);

/// What an open SVG element is part of: a box (`true`) or an edge label, by id.
type Inside = Option<(bool, String)>;

fn numbers(text: &str) -> Vec<f64> {
    let number = regex::Regex::new(r"-?\d+(?:\.\d+)?(?:e-?\d+)?").expect("valid");
    number.find_iter(text).filter_map(|m| m.as_str().parse().ok()).collect()
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()
}

/// Points along an SVG path of `M`, `L` and cubic `C` commands (Mermaid's edges).
fn path_points(d: &str, (dx, dy): (f64, f64)) -> Vec<(f64, f64)> {
    let command = regex::Regex::new(r"([MLC])([^MLC]*)").expect("valid");
    let mut points = Vec::new();
    let mut current = (0.0, 0.0);
    for step in command.captures_iter(d) {
        let values = numbers(&step[2]);
        if &step[1] == "C" {
            for curve in values.chunks_exact(6) {
                let (p0, p1, p2, p3) = (
                    current,
                    (curve[0], curve[1]),
                    (curve[2], curve[3]),
                    (curve[4], curve[5]),
                );
                for k in 1..=10 {
                    let t = f64::from(k) / 10.0;
                    let (a, b, c, e) = (
                        (1.0 - t).powi(3),
                        3.0 * (1.0 - t).powi(2) * t,
                        3.0 * (1.0 - t) * t * t,
                        t.powi(3),
                    );
                    points.push((
                        a * p0.0 + b * p1.0 + c * p2.0 + e * p3.0,
                        a * p0.1 + b * p1.1 + c * p2.1 + e * p3.1,
                    ));
                }
                current = p3;
            }
        } else {
            for pair in values.chunks_exact(2) {
                current = (pair[0], pair[1]);
                points.push(current);
            }
        }
    }
    points.into_iter().map(|(x, y)| (x + dx, y + dy)).collect()
}

/// Reads the SVG's tags in order, keeping the stack of `translate` offsets, since Mermaid
/// nests the subgraphs that edges lead into in groups of their own.
fn drawing(svg: &str) -> Drawing {
    let tag = regex::Regex::new(r#"<(/?)([\w:]+)((?:[^>"]|"[^"]*")*?)(/?)>"#).expect("valid");
    let node_id = regex::Regex::new(r"-flowchart-(n_\w+?)-\d+$").expect("valid");
    let edge_id = regex::Regex::new(r"-L_(\w+?)_((?:n|g)_\w+)_\d+$").expect("valid");
    let mut drawing = Drawing::default();
    // (offset, the node or label being read)
    let mut stack: Vec<((f64, f64), Inside)> = vec![((0.0, 0.0), None)];
    for found in tag.captures_iter(svg) {
        let (closing, name, attributes, self_closing) = (&found[1], &found[2], &found[3], &found[4]);
        if !closing.is_empty() {
            if stack.len() > 1 {
                stack.pop();
            }
            continue;
        }
        let (mut offset, mut inside) = stack.last().cloned().unwrap_or(((0.0, 0.0), None));
        if name == "svg" && drawing.width == 0.0 {
            drawing.width = attribute(attributes, "viewBox")
                .map(numbers)
                .and_then(|v| v.get(2).copied())
                .unwrap_or(0.0);
        }
        if let Some(moved) = attribute(attributes, "transform").filter(|t| t.starts_with("translate")) {
            let by = numbers(moved);
            offset.0 += by.first().copied().unwrap_or(0.0);
            offset.1 += by.get(1).copied().unwrap_or(0.0);
        }
        let class = attribute(attributes, "class").unwrap_or("");
        if name == "g" && (class == "node" || class.starts_with("node ")) {
            inside = attribute(attributes, "id")
                .and_then(|id| node_id.captures(id))
                .map(|id| (true, id[1].to_string()));
        }
        if name == "g"
            && class == "label"
            && let Some(id) = attribute(attributes, "data-id")
        {
            inside = Some((false, id.to_string()));
        }
        let box_at = |x: f64, y: f64, width: f64, height: f64| Rect {
            left: offset.0 + x,
            top: offset.1 + y,
            right: offset.0 + x + width,
            bottom: offset.1 + y + height,
        };
        match (name, &inside) {
            ("rect", Some((true, node))) => {
                let values: Option<Vec<f64>> = ["x", "y", "width", "height"]
                    .iter()
                    .map(|key| attribute(attributes, key).and_then(|v| v.parse().ok()))
                    .collect();
                if let Some(v) = values
                    && drawing.nodes.iter().all(|(known, _)| known != node)
                {
                    drawing.nodes.push((node.clone(), box_at(v[0], v[1], v[2], v[3])));
                }
            }
            ("foreignObject", Some((false, label))) => {
                let size = |key| {
                    attribute(attributes, key)
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                if size("width") > 0.0 {
                    drawing
                        .labels
                        .push((label.clone(), box_at(0.0, 0.0, size("width"), size("height"))));
                }
            }
            ("path", _) if class.contains("flowchart-link") => {
                if let (Some(ends), Some(d)) = (
                    attribute(attributes, "id").and_then(|id| edge_id.captures(id)),
                    attribute(attributes, "d"),
                ) {
                    drawing
                        .edges
                        .push((ends[1].to_string(), ends[2].to_string(), path_points(d, offset)));
                }
            }
            _ => {}
        }
        if self_closing.is_empty() {
            stack.push((offset, inside));
        }
    }
    drawing
}

/// What makes a diagram hard to read: labels on top of each other or of a box (which edge
/// does it name?), and, when `edges_too`, edges drawn through a box they do not connect.
fn unreadable(drawing: &Drawing, edges_too: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, (label, at)) in drawing.labels.iter().enumerate() {
        for (other, other_at) in &drawing.labels[index + 1..] {
            if at.overlaps(other_at) {
                problems.push(format!("the labels of {label} and {other} overlap"));
            }
        }
        for (node, node_at) in &drawing.nodes {
            if at.overlaps(node_at) {
                problems.push(format!("the label of {label} covers box {node}"));
            }
        }
    }
    if edges_too {
        for (from, to, points) in &drawing.edges {
            for (node, node_at) in &drawing.nodes {
                if node != from && node != to && points.iter().any(|point| node_at.contains(*point)) {
                    problems.push(format!("the edge {from} -> {to} passes through box {node}"));
                }
            }
        }
    }
    problems
}

#[test]
fn the_drawing_checks_find_what_they_look_for() {
    let svg = r#"<svg viewBox="0 0 900 500"><g transform="translate(100, 0)">
        <g class="node default" id="my-svg-flowchart-n_a-0" transform="translate(50, 50)"><rect x="-40" y="-20" width="80" height="40"/></g>
        <g class="node default" id="my-svg-flowchart-n_b-1" transform="translate(50, 250)"><rect x="-40" y="-20" width="80" height="40"/></g>
        <g class="node default" id="my-svg-flowchart-n_c-2" transform="translate(50, 150)"><rect x="-40" y="-20" width="80" height="40"/></g>
        <g class="edgeLabel" transform="translate(50, 100)"><g class="label" data-id="L_n_a_n_b_0" transform="translate(-30, -10)"><foreignObject width="60" height="20"></foreignObject></g></g>
        <g class="edgeLabel" transform="translate(60, 105)"><g class="label" data-id="L_n_c_n_b_0" transform="translate(-30, -10)"><foreignObject width="60" height="20"></foreignObject></g></g>
        <path d="M50,70L50,100C50,150,50,150,50,230" id="my-svg-L_n_a_n_b_0" class="flowchart-link"/>
        </g></svg>"#;
    let drawing = drawing(svg);
    assert_eq!(drawing.width, 900.0);
    assert_eq!(drawing.nodes.len(), 3);
    assert_eq!(drawing.nodes[0].1.left, 110.0, "the enclosing translate counts");
    let problems = unreadable(&drawing, true);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("labels of L_n_a_n_b_0 and L_n_c_n_b_0 overlap")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("n_a -> n_b passes through box n_c")),
        "{problems:?}"
    );
    assert!(!unreadable(&drawing, false).iter().any(|p| p.contains("passes through")));
}

/// Every example's diagram, drawn by the Mermaid CLI twice: as the record asks (ELK layout)
/// and as GitHub draws it (Mermaid's default layout, GitHub having no ELK). Both must render
/// and keep every label readable and attributable; with ELK no edge may cross a box either.
#[test]
fn every_diagram_renders_with_mermaid_cli_and_reads_right() {
    let Some(mmdc) = tools::find("mmdc") else { return };
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    else {
        tools::find("chromium");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = records(dir.path());
    let mut charts = Vec::new();
    for example in examples() {
        let stem = example.file_stem().expect("name").to_string_lossy().into_owned();
        let record = std::fs::read_to_string(out.join(format!("{stem}.md"))).expect("record");
        let start = record.find("```mermaid\n").expect("a diagram") + "```mermaid\n".len();
        let chart = record[start..][..record[start..].find("\n```").expect("its end")].to_string();
        assert!(chart.contains("  layout: elk\n"), "{stem}: the diagram asks for ELK");
        charts.push((format!("{stem} (ELK)"), chart.clone(), true));
        charts.push((
            format!("{stem} (default layout)"),
            chart.replace("  layout: elk\n", ""),
            false,
        ));
    }
    let config = dir.path().join("puppeteer.json");
    let settings = serde_json::json!({
        "executablePath": chromium,
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
    });
    std::fs::write(&config, settings.to_string()).expect("write");
    // One Mermaid CLI run per layout, side by side: each starts its browser once and draws
    // every chart of its Markdown file into drawn-<layout>-<n>.svg.
    let runs: Vec<std::thread::JoinHandle<String>> = [true, false]
        .into_iter()
        .map(|elk| {
            let layout = if elk { "elk" } else { "default" };
            let input = dir.path().join(format!("{layout}.md"));
            let all: String = charts
                .iter()
                .filter(|(_, _, is_elk)| *is_elk == elk)
                .map(|(_, chart, _)| format!("```mermaid\n{chart}\n```\n\n"))
                .collect();
            std::fs::write(&input, all).expect("write");
            let mut command = std::process::Command::new(&mmdc);
            command
                .arg("--quiet")
                .arg("--puppeteerConfigFile")
                .arg(&config)
                .arg("--input")
                .arg(&input)
                .arg("--output")
                .arg(dir.path().join(format!("drawn-{layout}.md")))
                .env("PUPPETEER_SKIP_DOWNLOAD", "1");
            std::thread::spawn(move || tools::run(&mut command))
        })
        .collect();
    for run in runs {
        run.join().expect("the Mermaid CLI ran");
    }
    let mut problems = Vec::new();
    for (index, (name, _, elk)) in charts.iter().enumerate() {
        let layout = if *elk { "elk" } else { "default" };
        // ELK and default charts alternate in `charts`.
        let svg = std::fs::read_to_string(dir.path().join(format!("drawn-{layout}-{}.svg", index / 2 + 1)))
            .unwrap_or_else(|error| panic!("{name}: the Mermaid CLI drew nothing: {error}"));
        let drawing = drawing(&svg);
        assert!(
            drawing.nodes.len() >= 5 && !drawing.edges.is_empty(),
            "{name}: {drawing:?}"
        );
        let widest = if *elk { WIDEST_ELK } else { WIDEST_DEFAULT };
        if drawing.width > widest {
            problems.push(format!("{name}: {} pixels wide, more than {widest}", drawing.width));
        }
        problems.extend(unreadable(&drawing, *elk).into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
