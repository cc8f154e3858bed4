//! `aml-advisor iac` as a user meets it: the folder it writes, what it refuses, the errors it
//! gives, the README it writes, and the knowledge validation of the `iac:` mappings.

#[path = "support/examples.rs"]
mod support_examples;

use aml_advisor::answers::check::check;
use aml_advisor::engine::evaluate;
use aml_advisor::iac::{Language, generate};
use aml_advisor::knowledge::KnowledgeBase;
use assert_cmd::Command;
use support_examples::examples;

// ----- the command -----------------------------------------------------------------------

fn advisor() -> Command {
    Command::cargo_bin("aml-advisor").expect("binary")
}

const EXAMPLE: &str = "assets/examples/03-bank-exfiltration-managed-vnet.yaml";

#[test]
fn the_command_writes_a_folder_and_refuses_a_non_empty_one_without_force() {
    let parent = tempfile::tempdir().expect("tempdir");
    let out = parent.path().join("infra");
    advisor()
        .args(["iac", "--answers", EXAMPLE, "--target", "terraform", "--output-dir"])
        .arg(&out)
        .assert()
        .success();
    for name in [
        "main.tf",
        "variables.tf",
        "terraform.tfvars",
        "outputs.tf",
        "versions.tf",
        "README.md",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    let main = std::fs::read_to_string(out.join("main.tf")).expect("read");
    std::fs::write(out.join("terraform.tfstate"), "state").expect("write");
    let refused = advisor()
        .args(["iac", "--answers", EXAMPLE, "--target", "bicep", "--output-dir"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        stderr.contains(&out.display().to_string()) && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!out.join("main.bicep").exists(), "nothing written when refused");
    assert_eq!(std::fs::read_to_string(out.join("main.tf")).expect("read"), main);
    advisor()
        .args([
            "iac",
            "--answers",
            EXAMPLE,
            "--target",
            "bicep",
            "--force",
            "--output-dir",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("main.bicep").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("terraform.tfstate")).expect("read"),
        "state",
        "other files stay"
    );
    let leftovers: Vec<_> = std::fs::read_dir(parent.path()).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "no temporary folder left behind");
}

#[test]
fn bad_answers_and_unwritable_paths_fail_clearly_and_write_nothing() {
    let parent = tempfile::tempdir().expect("tempdir");
    let answers = parent.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "version: 1\nanswers:\n  workspace_name: ws-one\n  region: swedencentral\n  network_model: moon_base\n",
    )
    .expect("write");
    let out = parent.path().join("infra");
    let invalid = advisor()
        .args(["iac", "--target", "terraform", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .assert()
        .code(65);
    let stderr = String::from_utf8_lossy(&invalid.get_output().stderr).to_string();
    assert!(
        stderr.contains("answers.yaml:5") && stderr.contains("moon_base"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written for invalid answers");

    let blocker = parent.path().join("a-file");
    std::fs::write(&blocker, "x").expect("write");
    let under_file = blocker.join("infra");
    let unwritable = advisor()
        .args(["iac", "--answers", EXAMPLE, "--target", "terraform", "--output-dir"])
        .arg(&under_file)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&unwritable.get_output().stderr).to_string();
    assert!(stderr.contains(&blocker.display().to_string()), "{stderr}");

    let file_as_dir = advisor()
        .args(["iac", "--answers", EXAMPLE, "--target", "terraform", "--output-dir"])
        .arg(&blocker)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&file_as_dir.get_output().stderr).to_string();
    assert!(stderr.contains("is a file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&blocker).expect("read"), "x");
}

#[test]
fn every_generated_readme_says_what_was_checked_and_how_to_plan() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    let readme = kb.iac.readme.as_ref().expect("readme text");
    for path in examples() {
        let text = std::fs::read_to_string(&path).expect("read");
        let checked = check(&kb, &text, &path.display().to_string(), false).expect("valid example");
        let rec = evaluate(&kb, &checked.resolved);
        let name = path.display().to_string();
        for (language, command) in [
            (Language::Terraform, "terraform init"),
            (Language::Bicep, "az deployment group what-if"),
        ] {
            let files = generate(&kb, &checked.resolved, &rec, language).expect("generates");
            let text = &files.iter().find(|f| f.name == "README.md").expect("README.md").content;
            assert!(text.contains(command), "{} {language:?}", name);
            assert!(
                text.contains(readme.not_checked.trim()),
                "{}: says what was not checked",
                name
            );
            assert!(text.contains(readme.checked.trim()), "{}: says what was checked", name);
            assert!(
                text.contains("0.9.0") || text.contains("workspace:0.14.0"),
                "{}: module versions",
                name
            );
            for variable in files
                .iter()
                .find(|f| f.name == "variables.tf")
                .map(|f| f.content.as_str())
                .into_iter()
            {
                for line in variable.lines().filter(|l| l.starts_with("variable ")) {
                    let name = line.split('"').nth(1).unwrap_or_default();
                    assert!(
                        text.contains(&format!("`{name}`")),
                        "{}: README lists variable {name}",
                        name
                    );
                }
            }
        }
    }
}

fn knowledge_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in KnowledgeBase::embedded_files() {
        let text = if *name == "92-iac.yaml" {
            edit(text.to_string())
        } else {
            text.to_string()
        };
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[test]
fn knowledge_check_names_the_line_of_a_broken_iac_mapping() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "{ rule: out_azure_active_directory, subnet: training, source: VirtualNetwork, destination: [AzureActiveDirectory] }",
            "{ rule: out_azure_active_directori, subnet: training, source: VirtualNetwork, destination: [AzureActiveDirectory] }",
            "unknown network rule `out_azure_active_directori`",
        ),
        (
            "{ rule: out_azure_monitor, subnet: training, source: VirtualNetwork, destination: [AzureMonitor] }",
            "{ rule: out_azure_monitor, subnet: training, source: VirtualNetwork, destination: [AzureMonitoring] }",
            "destination `AzureMonitoring` is not in the rule's destination",
        ),
        (
            "{ name: registry, target: registry, subresource: registry, network: workload, zones: [zone_container_registry] }",
            "{ name: registry, target: registr, subresource: registry, network: workload, zones: [zone_container_registry] }",
            "unknown target `registr`",
        ),
        (
            "{ policy: pol_private_link, assignment: aml-ws-private-link }",
            "{ policy: pol_private_link, assignment: aml-ws-privatelink }",
            "assignment `aml-ws-privatelink` is not the `--name`",
        ),
    ];
    for (from, to, expected) in cases {
        let dir = knowledge_with(|text| {
            assert!(text.contains(from), "92-iac.yaml no longer contains {from}");
            text.replacen(from, to, 1)
        });
        let line = std::fs::read_to_string(dir.path().join("92-iac.yaml"))
            .expect("read")
            .lines()
            .position(|l| l.contains(to))
            .expect("edited line")
            + 1;
        let output = advisor()
            .args(["knowledge", "check", "--knowledge"])
            .arg(dir.path())
            .assert()
            .code(65);
        let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(
            stderr.contains(&format!("92-iac.yaml:{line}:")),
            "line {line}: {stderr}"
        );
    }
    // A row of the network-rules table without a mapping would silently vanish from the code.
    let dir = knowledge_with(|text| {
        text.lines()
            .filter(|l| !l.contains("rule: out_deny_internet,"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let output = advisor()
        .args(["knowledge", "check", "--knowledge"])
        .arg(dir.path())
        .assert()
        .code(65);
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    assert!(
        stderr.contains("network rule `out_deny_internet` has no entry in `iac.network_rules`"),
        "{stderr}"
    );
}
