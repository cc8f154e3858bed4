//! The command line, driven through the real binary: exit codes and the exact messages users
//! see for every hostile answers file and every invalid knowledge base.

use std::path::Path;

use aml_advisor::upstream::cli_check::check_command;
use assert_cmd::Command;
use predicates::prelude::*;

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

fn advisor() -> Command {
    let mut command = Command::cargo_bin("aml-advisor").expect("binary builds");
    command
        .env_remove("NO_COLOR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("AML_ADVISOR_DATA_DIR", std::env::temp_dir());
    command
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Each hostile answers file, the exit code it must give and a phrase its message must hold.
/// The full message is also snapshotted, so any change to it is reviewed.
const HOSTILE_ANSWERS: &[(&str, i32, &str)] = &[
    (
        "empty.yaml",
        65,
        ":1:1: is empty; an answers file starts with `version: 1`",
    ),
    ("only-comments.yaml", 65, "is empty"),
    ("missing-version.yaml", 65, ":1:1: missing `version: 1`"),
    (
        "wrong-version.yaml",
        65,
        ":1:10: unsupported answers-file version `2`; this tool reads version 1",
    ),
    (
        "version-as-text.yaml",
        65,
        ":1:10: `version` is the text `one`, but it must be the number 1",
    ),
    (
        "version-quoted.yaml",
        65,
        ":1:10: `version` is a text (in quotes), but it must be a number: write `version: 1` without quotes",
    ),
    (
        "unknown-top-level-key.yaml",
        65,
        "unknown field `answer`, expected `version` or `answers`",
    ),
    ("not-a-mapping.yaml", 65, ":1:1: is a list, not an answers file"),
    ("yaml-syntax-error.yaml", 65, "while parsing a flow sequence"),
    ("tab-indentation.yaml", 65, ":3:1:"),
    (
        "duplicate-key.yaml",
        65,
        "`region` is answered twice; keep one answer per question",
    ),
    (
        "alias-bomb.yaml",
        65,
        "repetition limit exceeded: aliases (`*name`) repeat values too often",
    ),
    (
        "deep-nesting.yaml",
        65,
        ":3:139: nesting is deeper than 128 levels (`[`, `{` or `- ` inside one another), the limit",
    ),
    (
        "unknown-question.yaml",
        65,
        ":4:3: unknown question `data_sensitivty` (did you mean `data_sensitivity`?)",
    ),
    (
        "unknown-choice.yaml",
        65,
        ":4:21: `highly_sensitve` is not a choice of `data_sensitivity`; allowed: general, confidential, highly_sensitive (did you mean `highly_sensitive`?)",
    ),
    (
        "unknown-choice-in-list.yaml",
        65,
        ":4:31: `kubernets` is not a choice of `inference`",
    ),
    (
        "list-for-single.yaml",
        65,
        "`workspace_access` takes one choice id, found a list `[private]`",
    ),
    (
        "text-for-multi.yaml",
        65,
        "`inference` takes a list of choice ids such as [managed_online], found a text `managed_online`; write [] for none",
    ),
    (
        "number-for-text.yaml",
        65,
        "`workspace_name` takes a text, found a number `12345`; quote it if it is meant as text",
    ),
    (
        "boolean-for-single.yaml",
        65,
        "`alerting` takes one choice id, found a boolean `true`",
    ),
    ("mapping-for-single.yaml", 65, "found a mapping"),
    (
        "null-answer.yaml",
        65,
        "`data_sensitivity` takes one choice id, found nothing",
    ),
    ("duplicate-in-list.yaml", 65, "`batch` is listed twice in `inference`"),
    (
        "bad-region.yaml",
        65,
        "`region` value `west-europe` is not an Azure region name (did you mean `westeurope`?)",
    ),
    (
        "region-display-name.yaml",
        65,
        "`region` value `West Europe` is not an Azure region name (did you mean `westeurope`?)",
    ),
    (
        "missing-region.yaml",
        65,
        "`region` is required and has no default; add it under `answers:` such as `region: eastus`",
    ),
    (
        "bad-workspace-name.yaml",
        65,
        "use letters, digits, `-` and `_`, starting with a letter or digit",
    ),
    (
        "workspace-name-too-long.yaml",
        65,
        "is 47 characters; at most 33 are allowed",
    ),
    (
        "workspace-name-too-short.yaml",
        65,
        "is 2 characters; it needs at least 3",
    ),
    ("control-characters.yaml", 65, "ws\\u{1b}[31mred"),
    ("many-errors.yaml", 65, "5 problems found"),
    (
        "binary.yaml",
        65,
        ":3:15: contains a NUL byte: this is a binary file, not YAML text",
    ),
    (
        "not-utf8.yaml",
        65,
        ":3:22: is not valid UTF-8 (invalid byte 0xe9); save the file as UTF-8",
    ),
    (
        "answers-is-a-list.yaml",
        65,
        ":3:3: answers: invalid type: sequence, expected a mapping of question ids to answers",
    ),
    (
        "answers-is-text.yaml",
        65,
        ":2:10: answers: invalid type: string \"westeurope\"",
    ),
    (
        "null-in-list.yaml",
        65,
        ":4:14: `inference` lists an empty item; list choice ids only (managed_online, kubernetes, batch)",
    ),
    ("nested-list.yaml", 65, "`inference` lists a list `[batch]`"),
    (
        "region-wrong-case.yaml",
        65,
        "`region` value `WestEurope` is not an Azure region name (did you mean `westeurope`?)",
    ),
    (
        "choice-wrong-case.yaml",
        65,
        "`General` is not a choice of `data_sensitivity`",
    ),
    (
        "resource-group-with-spaces.yaml",
        65,
        ":4:19: `resource_group` value `rg with spaces` is not a resource group name",
    ),
    ("resource-group-trailing-dot.yaml", 65, "not ending with `.`"),
    (
        "version-float.yaml",
        65,
        ":1:10: unsupported answers-file version `1.5`",
    ),
    (
        "two-documents.yaml",
        65,
        "an answers file holds one document: remove the `---` line",
    ),
    (
        "very-long-value.yaml",
        65,
        "aaaa…` is 5000 characters; at most 33 are allowed",
    ),
    (
        "unquoted-yes.yaml",
        65,
        "found a boolean `true`; allowed: yes, no; write \"yes\" or \"no\" in quotes",
    ),
    ("utf16.yaml", 65, ":1:1: is UTF-16 encoded; save the file as UTF-8"),
    // Issue 12, items 5, 6 and 16: every echoed input escaped and shortened, never a whole
    // document, and each problem at its own line.
    (
        "escape-sequences.yaml",
        65,
        ":5:3: unknown question `\\u{1b}]52;c;aGk=\\u{7}`",
    ),
    (
        "private-key.yaml",
        65,
        ":1:1: is a single text, not an answers file: it needs `version: 1` and an `answers:` mapping",
    ),
    ("dotenv.yaml", 65, ":1:1: is a single text, not an answers file"),
    (
        "huge-number.yaml",
        65,
        ":1:10: unsupported answers-file version `123456789012345678901234567890`",
    ),
    (
        "custom-tag.yaml",
        65,
        ":3:11: answers.region: the tag `!secret` is not supported; remove it and write the plain value",
    ),
    (
        "trailing-document-marker.yaml",
        65,
        ":4:1: deserializing from YAML containing more than one document is not supported",
    ),
    ("duplicate-top-level-key.yaml", 65, ":4:1: duplicate field `version`"),
    (
        "long-choice.yaml",
        65,
        ":4:21: `highly_sensitivehighly_sensitivehighly_sensitivehighly_sensi…` is not a choice",
    ),
];

#[test]
fn every_hostile_answers_file_gets_its_clear_error() {
    let folder = Path::new("tests/fixtures/answers");
    let mut listed: Vec<&str> = HOSTILE_ANSWERS.iter().map(|(name, _, _)| *name).collect();
    listed.sort_unstable();
    let mut present: Vec<String> = std::fs::read_dir(folder)
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(
        listed, present,
        "every fixture has an expectation and every expectation a fixture"
    );

    for (name, code, phrase) in HOSTILE_ANSWERS {
        let path = folder.join(name);
        let output = advisor()
            .args(["recommend", "--answers"])
            .arg(&path)
            .output()
            .expect("runs");
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(*code), "{name}: {stderr}");
        assert!(stderr.contains(phrase), "{name}: expected {phrase:?} in:\n{stderr}");
        assert!(
            stderr.contains(&format!("tests/fixtures/answers/{name}:")),
            "{name} names the file: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{name}: nothing on stdout");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(
            !stderr.contains(['\u{1b}', '\u{7}']),
            "{name}: escape codes reach the terminal: {stderr:?}"
        );
        // No value is echoed whole: no line of a message is longer than a screenful.
        assert!(
            stderr.lines().all(|line| line.chars().count() < 400),
            "{name}: {stderr}"
        );
        for secret in ["b3BlbnNzaC1rZXkt", "correct-horse", "ghp_abc"] {
            assert!(!stderr.contains(secret), "{name} echoes a secret: {stderr}");
        }
        insta::assert_snapshot!(format!("hostile_answers__{}", name.trim_end_matches(".yaml")), stderr);
    }
}

#[test]
fn missing_file_and_directory_are_io_errors() {
    advisor()
        .args(["recommend", "--answers", "tests/fixtures/answers/does-not-exist.yaml"])
        .assert()
        .code(1)
        .stderr("error: tests/fixtures/answers/does-not-exist.yaml: cannot read: no such file\n");
    // A folder is fleet mode, which needs somewhere to write.
    advisor()
        .args(["recommend", "--answers", "tests/fixtures"])
        .assert()
        .code(2)
        .stderr("error: tests/fixtures is a folder: fleet mode also needs --output-dir OUT\n");
}

#[test]
fn a_file_over_one_mebibyte_is_refused_before_parsing() {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("huge.yaml");
    let mut text = String::from("version: 1\nanswers:\n  region: westeurope\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, &text).expect("write");
    let output = advisor()
        .args(["recommend", "--answers"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!(
            ":1:1: is {} bytes; the limit is 1048576 bytes (1 MiB)",
            text.len()
        )),
        "{stderr}"
    );

    let output = advisor()
        .args(["recommend", "--answers", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    assert!(
        stderr_of(&output).contains("<stdin>:1:1: is larger than 1048576 bytes (1 MiB), the limit for an input file"),
        "{}",
        stderr_of(&output)
    );
    // A device that never ends is cut off at the limit instead of filling memory.
    let output = advisor()
        .args(["recommend", "--answers", "/dev/zero"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    assert!(
        stderr_of(&output).contains("/dev/zero:1:1: is larger than 1048576 bytes"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn strict_turns_every_assumption_into_an_error() {
    let text = "version: 1\nanswers:\n  region: westeurope\n";
    let output = advisor()
        .args(["recommend", "--strict", "--answers", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(
            "<stdin>:2:1: `data_sensitivity` is not answered (--strict); its default would be `confidential`"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`region` is not answered"),
        "answered questions are not reported: {stderr}"
    );
    advisor()
        .args(["recommend", "--answers", "-"])
        .write_stdin(text)
        .assert()
        .success();
}

/// Each invalid knowledge base, and the phrase (with its line) its message must hold.
const INVALID_KNOWLEDGE: &[(&str, &str)] = &[
    (
        "unknown-key",
        "knowledge.yaml:46:5: questions[2]: unknown field `promt`",
    ),
    (
        "duplicate-question-id",
        "knowledge.yaml:59:9: duplicate question id `access`; first defined at",
    ),
    (
        "unknown-question-in-condition",
        "knowledge.yaml:82:27: condition names unknown question `acess` (did you mean `access`?)",
    ),
    (
        "unknown-choice-in-condition",
        "knowledge.yaml:82:42: condition on `access` names unknown choice `publik`",
    ),
    (
        "unknown-source",
        "knowledge.yaml:85:15: `public_workspace` cites unknown source `seed-009`",
    ),
    (
        "default-not-a-choice",
        "knowledge.yaml:56:16: default `privat` of `access` is not one of its choices (private, public)",
    ),
    (
        "condition-on-later-question",
        "knowledge.yaml:59:29: question `access` has a condition on `needs`, which is asked later",
    ),
    (
        "unreachable-question",
        "knowledge.yaml:59:9: question `needs` can never be asked: its asked_when cannot hold",
    ),
    (
        "never-firing-finding",
        "knowledge.yaml:116:9: finding `aks-and-spark` can never be raised",
    ),
    (
        "shadowed-option",
        "knowledge.yaml:115:13: option `never_network` of decision `network` can never be chosen",
    ),
    (
        "yaml-syntax-error",
        "knowledge.yaml:36:7: did not find expected ',' or ']', while parsing a flow sequence",
    ),
    (
        "unknown-placeholder",
        "knowledge.yaml:98:39: unknown placeholder `${regoin}` (did you mean `region`?)",
    ),
    (
        "equals-on-multi-question",
        "knowledge.yaml:123:33: condition on `needs`: use `contains` for a multi-choice question",
    ),
    ("missing-meta", "knowledge.yaml:1:1: no file has `meta:`"),
    (
        "missing-report",
        "knowledge.yaml:1:1: no file has `report:` (the outputs' framing text",
    ),
    (
        "second-meta-and-report",
        "zz-extension.yaml:2:1: second `meta:`; it is already given in",
    ),
    (
        "default-not-offered",
        "knowledge.yaml:86:13: default `premium` of `tier` is not offered when access = public",
    ),
    (
        "no-choice-offered",
        "knowledge.yaml:77:9: question `tier` can be asked with no choice offered when access = public",
    ),
    (
        "no-fallback-architecture",
        "knowledge.yaml:86:9: no architecture applies when access = private, needs = []",
    ),
    (
        "unknown-phase",
        "knowledge.yaml:105:20: next step `create-endpoint` names unknown phase `prepair` (did you mean `prepare`?)",
    ),
    (
        "area-without-decision",
        "knowledge.yaml:13:9: area `monitoring` has no decision",
    ),
    (
        "edge-to-unknown-node",
        "knowledge.yaml:146:11: diagram edge users -> workspce names unknown node or group `workspce`",
    ),
    (
        "bad-source-date",
        "knowledge.yaml:20:16: source `seed-003` reviewed `23/11/2026` is not a date; write YYYY-MM-DD",
    ),
    (
        "wrong-type",
        "knowledge.yaml:79:12: architectures[0].title: invalid type: sequence, expected a string",
    ),
    ("empty-file", "knowledge.yaml:1:1: is empty"),
    ("many-problems", "4 problems found"),
    (
        "unknown-policy-id",
        "knowledge.yaml:185:21: policy `pol-no-public-access`: `438c38d2-3772-465a-a9cc-7a6666a275cf` is not one of the 37 built-in policy definitions checked (Azure/azure-policy at f4a50bacae07: category Machine Learning and those the knowledge base cites); check the GUID, or refresh upstream/ with scripts/refresh-upstream.py",
    ),
    (
        "wrong-policy-display-name",
        "knowledge.yaml:184:20: policy `pol-no-public-access`: display_name differs from the built-in definition's; upstream: `Azure Machine Learning Workspaces should disable public network access`",
    ),
    (
        "disallowed-policy-effect",
        "knowledge.yaml:188:16: policy `pol-no-public-access`: effect `DeployIfNotExists` is not allowed by the definition; upstream allows Audit, Deny, Disabled (default Audit)",
    ),
    (
        "unknown-policy-parameter",
        "knowledge.yaml:198:18: policy `pol-approved-outbound`: `parameters` sets `isolationMod`, which the definition does not have (did you mean `isolationMode`?); upstream parameters: effect, isolationMode",
    ),
    (
        "assign-unknown-parameter",
        "knowledge.yaml:199:203: policy `pol-approved-outbound`: `--params` of `assign` sets `isolationMod`, which the definition does not have (did you mean `isolationMode`?); upstream parameters: effect, isolationMode",
    ),
    (
        "unknown-builtin-role",
        "knowledge.yaml:205:11: role assignment `ra-data-scientist`: `AzureML Data Scientists` is not a built-in role (the 947 built-in roles of 2026-08-22) (did you mean `AzureML Data Scientist`?); if it is a role the administrator creates, set `custom: true`",
    ),
    (
        "unknown-dns-zone",
        "knowledge.yaml:178:11: DNS zone `zone-api`: `privatelink.api.azureml.com` is not a private DNS zone of the Learn table \"Azure Private Endpoint private DNS zone values\" (updated 2026-05-07) (did you mean `privatelink.api.azureml.ms`?)",
    ),
    (
        "registry-data-endpoint-zone",
        "knowledge.yaml:178:12: DNS zone `zone-api`: `${region}.data.privatelink.azurecr.io` ({regionName}.data.privatelink.azurecr.io upstream) must not be a zone of its own; the Learn table's footnote: If you are using Azure Private DNS Zones, do not deploy this as an additional zone. DNS entries will be automatically added to the existing DNS Zone `privatelink.azurecr.io`.",
    ),
    (
        "misspelt-service-tag",
        "knowledge.yaml:131:18: network rule `out-storage`: `Keyvault.${region}` is not a service tag (did you mean `AzureKeyVault.${region}`?)",
    ),
    (
        "tag-not-allowed-in-route-table",
        "knowledge.yaml:142:19: network rule `route-aml`: service tag `AzureCloud` cannot be used in user-defined routes (it is enforced by a route table); upstream allows it in network security group rules",
    ),
    (
        "fqdn-on-nsg-rule",
        "knowledge.yaml:151:18: network rule `fw-pypi`: an NSG cannot match an FQDN (`pypi.org`); enforce it with `firewall` or `managed_network`, or name a service tag or address prefix",
    ),
    (
        "prose-command",
        "knowledge.yaml:108:23: next step `create-endpoint`: `workspace YAML: public_network_access: Disabled` is not a runnable command: a command field holds `az` invocations, or runs one of docker, pip, pip3, conda, git, Rscript, kubectl, helm, curl, nslookup, dig (joined by `&&`); prose belongs in `text`, and a file a command applies goes in the step's `file:`",
    ),
    (
        "unknown-az-command",
        "knowledge.yaml:108:38: next step `create-endpoint`: `az ml workspace shwo` is not an az command: `az ml workspace` has no `shwo` (did you mean `show`?); it has: create, delete, diagnose, list, list-keys, outbound-rule, provision-network, show, sync-keys, update",
    ),
    (
        "unknown-az-option",
        "knowledge.yaml:108:68: next step `create-endpoint`: `az ml workspace show` has no option `--resource-grp` (did you mean `--resource-group`?)",
    ),
    (
        "missing-required-option",
        "knowledge.yaml:213:30: confirmation `confirm-private`: `az ml workspace show` needs `--resource-group`",
    ),
    (
        "bad-enum-value",
        "knowledge.yaml:108:243: next step `create-endpoint`: `--resolution-policy` of `az network private-dns link vnet create` takes one of Default, NxDomainRedirect; found `NxDomainRedirekt` (did you mean `NxDomainRedirect`?)",
    ),
    (
        "stray-positional-word",
        "knowledge.yaml:108:43: next step `create-endpoint`: stray word `${workspace_name}` in `az ml workspace show`: it takes no positional arguments",
    ),
    (
        "unknown-role-in-command",
        "knowledge.yaml:108:94: next step `create-endpoint`: `--role AzureML Data Scientists` of `az role assignment create`: not a built-in role nor a custom role of `role_assignments` (did you mean `AzureML Data Scientist`?)",
    ),
];

#[test]
fn every_invalid_knowledge_base_fails_with_file_and_line() {
    let folder = Path::new("tests/fixtures/knowledge");
    let mut present: Vec<String> = std::fs::read_dir(folder)
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "valid-minimal")
        .collect();
    present.sort();
    let mut listed: Vec<&str> = INVALID_KNOWLEDGE.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    assert_eq!(
        listed, present,
        "every fixture has an expectation and every expectation a fixture"
    );

    for (name, phrase) in INVALID_KNOWLEDGE {
        let dir = folder.join(name);
        let output = advisor()
            .arg("--knowledge")
            .arg(&dir)
            .args(["knowledge", "check"])
            .output()
            .expect("runs");
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(65), "{name}: {stderr}");
        assert!(stderr.contains(phrase), "{name}: expected {phrase:?} in:\n{stderr}");
        insta::assert_snapshot!(format!("invalid_knowledge__{name}"), stderr);
        // Every command that loads the knowledge base refuses it the same way.
        advisor()
            .arg("--knowledge")
            .arg(&dir)
            .arg("template")
            .assert()
            .code(65)
            .stderr(predicate::str::contains(*phrase));
    }
}

#[test]
fn valid_knowledge_bases_pass_the_check() {
    advisor()
        .args(["knowledge", "check"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("built-in knowledge base: valid (version "));
    advisor()
        .args([
            "--knowledge",
            "tests/fixtures/knowledge/valid-minimal",
            "knowledge",
            "check",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "valid (version 0.0.1-test): 4 questions, 2 architectures",
        ));
    advisor()
        .args(["--knowledge", "tests/fixtures/nothing-here", "knowledge", "check"])
        .assert()
        .code(1)
        .stderr("error: tests/fixtures/nothing-here: no such knowledge directory\n");
}

#[test]
fn exported_knowledge_loads_back_and_is_not_overwritten_without_force() {
    let folder = tempfile::tempdir().expect("tempdir");
    let dir = folder.path().join("kb");
    advisor().args(["knowledge", "export"]).arg(&dir).assert().success();
    advisor()
        .arg("--knowledge")
        .arg(&dir)
        .args(["knowledge", "check"])
        .assert()
        .success();
    advisor()
        .args(["knowledge", "export"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "and {} other file(s) already exist; pass --force to replace them (nothing was written)",
            aml_advisor::knowledge::KnowledgeBase::embedded_files().len() - 1
        )));
    advisor()
        .args(["knowledge", "export", "--force"])
        .arg(&dir)
        .assert()
        .success();
}

#[test]
fn template_is_a_valid_answers_file_once_the_region_is_filled_in() {
    let output = advisor().arg("template").output().expect("runs");
    assert!(output.status.success());
    let template = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        template.contains("region: \"\""),
        "the required region is left for the user"
    );
    // As printed it is rejected, pointing at the empty region.
    let rejected = advisor()
        .args(["recommend", "--answers", "-"])
        .write_stdin(template.clone())
        .output()
        .expect("runs");
    assert_eq!(rejected.status.code(), Some(65));
    assert!(
        stderr_of(&rejected).contains("`region` value ``"),
        "{}",
        stderr_of(&rejected)
    );
    // Filled in, it is accepted, and every question it lists is one the tool knows.
    let filled = template.replace("region: \"\"", "region: westeurope");
    advisor()
        .args(["recommend", "--answers", "-"])
        .write_stdin(filled.clone())
        .assert()
        .success();
    let uncommented: String = filled
        .lines()
        .map(|line| match line.strip_prefix("  # ") {
            Some(rest)
                if rest
                    .split_once(": ")
                    .is_some_and(|(key, _)| key.chars().all(|c| c.is_ascii_lowercase() || c == '_')) =>
            {
                format!("  {rest}")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let output = advisor()
        .args(["recommend", "--strict", "--format", "json", "--answers", "-"])
        .write_stdin(uncommented)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "every default in the template is a valid answer: {}",
        stderr_of(&output)
    );
}

#[test]
fn schema_lists_every_question_with_its_choices() {
    let output = advisor().arg("schema").output().expect("runs");
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let properties = &schema["properties"]["answers"]["properties"];
    let choices = |question: &str| -> Vec<String> {
        properties[question]["oneOf"].as_array().map_or_else(Vec::new, |list| {
            list.iter()
                .map(|c| c["const"].as_str().unwrap_or_default().to_string())
                .collect()
        })
    };
    assert_eq!(choices("workspace_access"), ["private", "selected_ips", "public"]);
    assert_eq!(properties["inference"]["type"], "array");
    assert!(
        properties["region"]["enum"]
            .as_array()
            .is_some_and(|regions| regions.iter().any(|r| r == "westeurope"))
    );
    assert_eq!(
        schema["properties"]["answers"]["required"],
        serde_json::json!(["region"])
    );
    assert_eq!(schema["properties"]["answers"]["additionalProperties"], false);
}

#[test]
fn output_file_is_written_atomically_and_never_clobbered() {
    let folder = tempfile::tempdir().expect("tempdir");
    let target = folder.path().join("design.txt");
    std::fs::write(&target, "keep me").expect("write");
    let answers = "assets/examples/01-startup-public-workspace.yaml";
    advisor()
        .args(["recommend", "--answers", answers, "--output"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "already exists; pass --force to replace it (it was left untouched)",
        ));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    advisor()
        .args(["recommend", "--answers", answers, "--force", "--output"])
        .arg(&target)
        .assert()
        .success();
    let written = std::fs::read_to_string(&target).expect("read");
    let printed = advisor()
        .args(["recommend", "--answers", answers])
        .output()
        .expect("runs")
        .stdout;
    assert_eq!(
        written.as_bytes(),
        printed.as_slice(),
        "the file holds exactly what stdout would"
    );
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .expect("list")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    advisor()
        .args(["recommend", "--answers", answers, "--output"])
        .arg(folder.path().join("missing-folder/design.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn answers_from_stdin_match_answers_from_a_file() {
    let path = "assets/examples/01-startup-public-workspace.yaml";
    let text = std::fs::read_to_string(path).expect("example");
    let from_file = advisor()
        .args(["recommend", "--format", "json", "--answers", path])
        .output()
        .expect("runs");
    let from_stdin = advisor()
        .args(["recommend", "--format", "json", "--answers", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    assert!(from_file.status.success(), "{}", stderr_of(&from_file));
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

#[test]
fn wrong_command_lines_exit_2() {
    advisor()
        .args(["recommend"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--answers <FILE>"));
    advisor()
        .args(["recommend", "--answers", "x", "--format", "pdf"])
        .assert()
        .code(2);
    advisor().args(["frobnicate"]).assert().code(2);
}

#[test]
fn fleet_mode_writes_a_record_per_file_and_an_index_and_reports_bad_files_at_the_end() {
    let folder = tempfile::tempdir().expect("tempdir");
    let answers = folder.path().join("answers");
    let out = folder.path().join("records");
    std::fs::create_dir(&answers).expect("mkdir");
    for name in [
        "01-startup-public-workspace.yaml",
        "03-bank-exfiltration-managed-vnet.yaml",
    ] {
        std::fs::copy(Path::new("assets/examples").join(name), answers.join(name)).expect("copy");
    }
    std::fs::write(
        answers.join("02-broken.yaml"),
        "version: 1\nanswers:\n  region: westeurop\n",
    )
    .expect("write");
    std::fs::write(answers.join("notes.txt"), "not an answers file").expect("write");

    let output = advisor()
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = stderr_of(&output);
    assert_eq!(
        output.status.code(),
        Some(65),
        "a bad file makes the run fail at the end: {stderr}"
    );
    assert!(
        stderr.contains("02-broken.yaml:3:11: `region` value `westeurop` is not an Azure region name"),
        "{stderr}"
    );
    assert!(stderr.contains("wrote 2 record(s) and index.md"), "{stderr}");

    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "01-startup-public-workspace.md",
            "03-bank-exfiltration-managed-vnet.md",
            "index.md"
        ]
    );

    // Each record is exactly what the single-file command writes.
    let single = advisor()
        .env("SOURCE_DATE_EPOCH", "0")
        .args([
            "recommend",
            "--format",
            "markdown",
            "--answers",
            "assets/examples/03-bank-exfiltration-managed-vnet.yaml",
        ])
        .output()
        .expect("runs")
        .stdout;
    let fleet_again = folder.path().join("again");
    advisor()
        .env("SOURCE_DATE_EPOCH", "0")
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&fleet_again)
        .assert()
        .code(65);
    assert_eq!(
        std::fs::read(fleet_again.join("03-bank-exfiltration-managed-vnet.md")).expect("record"),
        single
    );

    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(index.contains("2 of 3 answers files produced a record"), "{index}");
    assert!(index.contains("| bank-credit-risk | 03-bank-exfiltration-managed-vnet.yaml | `private_exfiltration_prevention` | `managed_vnet_approved_outbound` |"), "{index}");
    assert!(
        index.contains("| — | 02-broken.yaml | invalid: 1 problem(s); first:"),
        "{index}"
    );
    assert!(
        index.contains("[03-bank-exfiltration-managed-vnet.md](03-bank-exfiltration-managed-vnet.md)"),
        "{index}"
    );

    // A second run does not replace what the first wrote, unless forced.
    advisor()
        .args(["recommend", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .args(["--format", "markdown"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Nothing was written: pass --force to replace them",
        ));
    advisor()
        .args(["recommend", "--force", "--format", "markdown", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .assert()
        .code(65);
}

#[test]
fn fleet_mode_needs_both_a_folder_and_an_output_dir() {
    advisor()
        .args([
            "recommend",
            "--answers",
            "assets/examples/01-startup-public-workspace.yaml",
            "--output-dir",
            "x",
        ])
        .assert()
        .code(2)
        .stderr("error: --output-dir goes with --answers DIR (a folder of answers files)\n");
    let empty = tempfile::tempdir().expect("tempdir");
    advisor()
        .args(["recommend", "--answers"])
        .arg(empty.path())
        .arg("--output-dir")
        .arg(empty.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("holds no *.yaml answers files"));
}

#[test]
fn fleet_mode_refuses_answers_files_whose_records_would_collide() {
    let folder = tempfile::tempdir().expect("tempdir");
    let names = ["team_a_.yaml", "team_a_.yml", "index.yaml"].map(String::from);
    let answers = copies_of(folder.path(), "01-startup-public-workspace.yaml", &names);
    let out = folder.path().join("out");
    let output = advisor()
        .args(["recommend", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains("index.yaml:1:1: would write its record over index.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("team_a_.yml:1:1: would write the same record as"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written when names collide");

    // Without the clash, file names with Markdown characters are escaped in the index.
    std::fs::remove_file(answers.join("team_a_.yml")).expect("rm");
    std::fs::remove_file(answers.join("index.yaml")).expect("rm");
    advisor()
        .args(["recommend", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .assert()
        .success();
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(
        index.contains("| team_a\\_.yaml |"),
        "a trailing underscore cannot open emphasis: {index}"
    );
    assert!(index.contains("(team_a_.txt)"), "{index}");
}

#[test]
fn a_choice_that_is_not_offered_is_ignored_or_reported_at_its_line() {
    let kb = "tests/fixtures/offered-kb";
    // premium is offered only for private access: with public access it is ignored, with the
    // reason, and the default applies.
    let answers = "version: 1\nanswers:\n  region: westeurope\n  access: public\n  tier: premium\n";
    let output = advisor()
        .args(["--knowledge", kb, "recommend", "--format", "json", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["answers"]["tier"], serde_json::json!(["basic"]));
    assert_eq!(json["ignored_answers"][0]["question"], "tier");
    assert_eq!(
        json["ignored_answers"][0]["reason"],
        "choice premium is offered only when access is private; the default applies instead"
    );

    // Without a default, the same answer cannot be used, and the message says why, at its line.
    let folder = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(Path::new(kb).join("knowledge.yaml")).expect("fixture");
    let without_default = text.replace(
        "    default:\n      - when:\n          equals: { question: access, value: private }\n        value: premium\n        reason: Private workspaces get premium.\n      - value: basic\n        reason: Basic is always offered.\n",
        "",
    );
    assert_ne!(text, without_default, "the fixture's default block was found");
    std::fs::write(folder.path().join("knowledge.yaml"), without_default).expect("write");
    let output = advisor()
        .arg("--knowledge")
        .arg(folder.path())
        .args(["recommend", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr_of(&output),
        "<stdin>:5:3: `tier` value `premium` cannot be used: choice premium is offered only when access is private, and `tier` has no default\nerror: 1 problem found\n"
    );
}

/// Every `command` field anywhere in a JSON record, with the id of the object that holds it
/// and where that object is.
fn commands_in(value: &serde_json::Value, path: &str, found: &mut Vec<(String, String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            let id = map.get("id").and_then(|id| id.as_str()).unwrap_or("?");
            for (key, inner) in map {
                let here = format!("{path}.{key}");
                match inner {
                    serde_json::Value::String(command) if key == "command" => {
                        found.push((path.to_string(), id.to_string(), command.clone()));
                    }
                    _ => commands_in(inner, &here, found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                commands_in(item, &format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// Asserts the exit code and a phrase of standard error, and that nothing went to stdout or
/// panicked; returns standard error.
fn fails_with(output: &std::process::Output, code: i32, phrase: &str) -> String {
    let stderr = stderr_of(output);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(phrase), "expected {phrase:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Runs `recommend` on `text` (written to a file) and returns the output and the wall time.
fn recommend_text(text: &[u8]) -> (std::process::Output, std::time::Duration) {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("answers.yaml");
    std::fs::write(&path, text).expect("write");
    let started = std::time::Instant::now();
    let output = advisor()
        .args(["recommend", "--answers"])
        .arg(&path)
        .output()
        .expect("runs");
    (output, started.elapsed())
}

// Issue 12, item 1: 100,000 `[` took 49 s before "recursion limit exceeded", a 1 MiB file of
// `[` 15 minutes; the nesting scan refuses both before libyaml parses them.
#[test]
fn deep_flow_nesting_fails_within_milliseconds() {
    let cases = [
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        "[".repeat(1024 * 1024),
        format!("version: 1\nanswers: {}", "{a: ".repeat(200_000)),
        format!("{}x\n", "- ".repeat(500_000)),
    ];
    for text in cases {
        let (output, elapsed) = recommend_text(text.as_bytes());
        fails_with(&output, 65, "nesting is deeper than 128 levels");
        assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");
    }
    // The same limit guards knowledge files: a fleet run with a custom knowledge base must
    // not stall on one of them.
    let folder = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        folder.path().join("00-deep.yaml"),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    let started = std::time::Instant::now();
    let output = advisor()
        .arg("--knowledge")
        .arg(folder.path())
        .args(["knowledge", "check"])
        .output()
        .expect("runs");
    fails_with(&output, 65, "00-deep.yaml:1:129: nesting is deeper than 128 levels");
    assert!(started.elapsed().as_secs_f64() < 2.0, "took {:?}", started.elapsed());
}

// Item 2: one 600 KB anchored scalar aliased 100,000 times aborted the process (exit 134);
// 408 KB aliased 2,000 times took 22 s and 1.2 GB. The expansion is now bounded in bytes.
#[test]
fn aliases_of_a_large_value_are_refused_before_they_fill_memory() {
    for (size, aliases) in [(600_000, 100_000), (408_000, 2_000)] {
        let mut text = format!("version: 1\nbig: &a {}\nanswers:\n  inference: [", "x".repeat(size));
        text.push_str(&vec!["*a"; aliases].join(","));
        text.push_str("]\n");
        assert!(text.len() <= 1024 * 1024, "within the size limit");
        let (output, elapsed) = recommend_text(text.as_bytes());
        fails_with(
            &output,
            65,
            "aliases (`*name`) expand this document past 16777216 bytes (16 MiB), the limit",
        );
        assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");
    }
}

// Item 9: Windows PowerShell 5 writes UTF-8 with a byte-order mark; the file is valid.
#[test]
fn a_byte_order_mark_is_ignored_everywhere_files_are_read() {
    let example = std::fs::read("assets/examples/01-startup-public-workspace.yaml").expect("example");
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), &example].concat();
    let (output, _) = recommend_text(&with_bom);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let plain = advisor()
        .args([
            "recommend",
            "--answers",
            "assets/examples/01-startup-public-workspace.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.stdout, plain.stdout);
    advisor()
        .args(["recommend", "--answers", "-"])
        .write_stdin(with_bom)
        .assert()
        .success();
    // Knowledge files too.
    let folder = tempfile::tempdir().expect("tempdir");
    let knowledge = std::fs::read("tests/fixtures/knowledge/valid-minimal/knowledge.yaml").expect("fixture");
    std::fs::write(
        folder.path().join("knowledge.yaml"),
        [b"\xEF\xBB\xBF".as_slice(), &knowledge].concat(),
    )
    .expect("write");
    advisor()
        .arg("--knowledge")
        .arg(folder.path())
        .args(["knowledge", "check"])
        .assert()
        .success();
}

// Issue 12, item 3: `--output /dev/null --force` replaced the device node with a regular file
// (as root), and `--output` naming the answers file replaced the input.
#[cfg(unix)]
#[test]
fn output_into_devices_and_pipes_writes_through_and_never_over_the_input() {
    let answers = "assets/examples/01-startup-public-workspace.yaml";
    let folder = tempfile::tempdir().expect("tempdir");
    // Through a symlink, so that a regression replaces the link, never /dev/null itself.
    let null = folder.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null).expect("symlink");
    for force in [false, true] {
        let mut command = advisor();
        command.args(["recommend", "--answers", answers, "--output"]).arg(&null);
        if force {
            command.arg("--force");
        }
        command.assert().success();
        assert!(
            std::fs::symlink_metadata(&null).expect("link").file_type().is_symlink(),
            "the link still names the device"
        );
    }
    // A named pipe with a reader gets the record; without one the write fails at once.
    let fifo = folder.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("read the pipe"))
    };
    // Give the reader time to open its end.
    std::thread::sleep(std::time::Duration::from_millis(200));
    advisor()
        .args(["recommend", "--answers", answers, "--force", "--output"])
        .arg(&fifo)
        .assert()
        .success();
    let printed = advisor()
        .args(["recommend", "--answers", answers])
        .output()
        .expect("runs");
    assert_eq!(reader.join().expect("reader"), printed.stdout);
    let started = std::time::Instant::now();
    let output = advisor()
        .args(["recommend", "--answers", answers, "--output"])
        .arg(&fifo)
        .output()
        .expect("runs");
    fails_with(&output, 1, "is a named pipe that nobody reads; start the reader first");
    assert!(started.elapsed().as_secs() < 5, "no hang");
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).expect("fifo").file_type().is_fifo());
    }

    // The answers file itself, directly or through a link, is refused even with --force.
    let input = folder.path().join("a.yaml");
    std::fs::copy(answers, &input).expect("copy");
    let link = folder.path().join("link.yaml");
    std::os::unix::fs::symlink(&input, &link).expect("symlink");
    for target in [&input, &link] {
        let output = advisor()
            .args(["recommend", "--force", "--answers"])
            .arg(&input)
            .arg("--output")
            .arg(target)
            .output()
            .expect("runs");
        fails_with(
            &output,
            2,
            "is the answers file itself; write the result to another file",
        );
        assert_eq!(
            std::fs::read(&input).expect("input"),
            std::fs::read(answers).expect("example")
        );
    }
    // A symlink to a regular file is written through: the link stays a link.
    let record = folder.path().join("record.txt");
    std::fs::write(&record, "old").expect("write");
    let record_link = folder.path().join("record-link.txt");
    std::os::unix::fs::symlink(&record, &record_link).expect("symlink");
    advisor()
        .args(["recommend", "--force", "--answers", answers, "--output"])
        .arg(&record_link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&record_link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&record).expect("record"), printed.stdout);
}

// Item 16: a file where a folder belongs said "File exists (os error 17)".
#[test]
fn a_file_where_a_folder_belongs_is_named_as_such() {
    let folder = tempfile::tempdir().expect("tempdir");
    let file = folder.path().join("records");
    std::fs::write(&file, "").expect("write");
    let output = advisor()
        .args(["recommend", "--answers", "assets/examples", "--output-dir"])
        .arg(&file)
        .output()
        .expect("runs");
    let stderr = fails_with(
        &output,
        1,
        "records: is a file, not a folder; --output-dir takes a folder (created when missing)",
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    let output = advisor()
        .args(["knowledge", "export"])
        .arg(&file)
        .output()
        .expect("runs");
    fails_with(
        &output,
        1,
        "records: is a file, not a folder; `knowledge export` takes a folder (created when missing)",
    );
}

/// `root/answers` holding the example `example` under each of `names`.
fn copies_of(root: &Path, example: &str, names: &[String]) -> std::path::PathBuf {
    let answers = root.join("answers");
    std::fs::create_dir_all(&answers).expect("mkdir");
    let text = std::fs::read(Path::new("assets/examples").join(example)).expect("example");
    for name in names {
        std::fs::write(answers.join(name), &text).expect("write");
    }
    answers
}

/// A fleet folder with the first `count` examples under their own names.
fn fleet_answers(root: &Path, count: usize) -> std::path::PathBuf {
    let answers = root.join("answers");
    std::fs::create_dir_all(&answers).expect("mkdir");
    for example in examples().iter().take(count) {
        std::fs::copy(example, answers.join(example.file_name().expect("name"))).expect("copy");
    }
    answers
}

fn fleet(answers: &Path, out: &Path, format: &str) -> Command {
    let mut command = advisor();
    command
        .args(["recommend", "--format", format, "--answers"])
        .arg(answers)
        .arg("--output-dir")
        .arg(out);
    command
}

fn listing(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("list")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// Issue 12, item 7: a fleet wrote 48 records, then failed on the first one that existed (or
// on index.md, or on a second format in the same folder): exit 1, no index, and another
// file's diagnostics dropped. Every target is now checked before anything is written.
#[test]
fn fleet_mode_checks_every_target_before_writing_any() {
    let root = tempfile::tempdir().expect("tempdir");
    let answers = fleet_answers(root.path(), 3);
    let out = root.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    for (existing, cause) in [
        (
            "02-enterprise-hub-spoke-firewall.md",
            "there is no index.md, so an earlier run was probably interrupted",
        ),
        ("index.md", "an earlier run wrote them"),
    ] {
        std::fs::write(out.join(existing), "earlier").expect("write");
        let output = fleet(&answers, &out, "markdown").output().expect("runs");
        let stderr = fails_with(
            &output,
            1,
            &format!(
                "1 of the 4 files this run writes already exist ({existing}); {cause}. Nothing was written: pass --force to replace them, or give an empty --output-dir"
            ),
        );
        assert_eq!(listing(&out), [existing], "{stderr}");
        std::fs::remove_file(out.join(existing)).expect("remove");
    }
    // A second format into the same folder meets the first one's index before writing.
    fleet(&answers, &out, "markdown").assert().success();
    let before = listing(&out);
    let output = fleet(&answers, &out, "json").output().expect("runs");
    fails_with(&output, 1, "1 of the 4 files this run writes already exist (index.md)");
    assert_eq!(listing(&out), before, "no JSON record was written");

    // With --force, a record that cannot be written fails its own row only: the others, the
    // index and every other file's diagnostics still come.
    std::fs::write(
        answers.join("04-broken.yaml"),
        "version: 1\nanswers:\n  region: westeurop\n",
    )
    .expect("write");
    std::fs::remove_file(out.join("02-enterprise-hub-spoke-firewall.md")).expect("remove");
    std::fs::create_dir(out.join("02-enterprise-hub-spoke-firewall.md")).expect("a folder in the way");
    let output = fleet(&answers, &out, "markdown").arg("--force").output().expect("runs");
    let stderr = fails_with(&output, 1, "02-enterprise-hub-spoke-firewall.md: is a directory");
    assert!(
        stderr.contains("04-broken.yaml:3:11: `region` value `westeurop`"),
        "{stderr}"
    );
    assert!(stderr.contains("wrote 2 record(s) and index.md"), "{stderr}");
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(index.contains("2 of 4 answers files produced a record"), "{index}");
}

// Item 7: entries named like answers files that cannot be read as one were silently left
// out; `*.YAML` was ignored; two files naming one workspace went unnoticed.
#[cfg(unix)]
#[test]
fn fleet_mode_reports_skipped_entries_and_shared_workspace_names() {
    let root = tempfile::tempdir().expect("tempdir");
    let answers = fleet_answers(root.path(), 1);
    std::fs::copy(
        "assets/examples/01-startup-public-workspace.yaml",
        answers.join("UPPER.YAML"),
    )
    .expect("copy");
    std::fs::create_dir(answers.join("folder.yaml")).expect("mkdir");
    // Item 5: a name read from the folder is input too.
    std::fs::create_dir(answers.join("evil\u{1b}]52;c;aGk=\u{7}.yaml")).expect("mkdir");
    // Item 6: a secrets file given by mistake must not be copied into index.md, meant for git.
    std::fs::copy("tests/fixtures/answers/dotenv.yaml", answers.join("secrets.yaml")).expect("copy");
    std::os::unix::fs::symlink(answers.join("missing.yaml"), answers.join("dangling.yaml")).expect("symlink");
    let made = std::process::Command::new("mkfifo")
        .arg(answers.join("pipe.yml"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = root.path().join("out");
    let output = fleet(&answers, &out, "markdown").output().expect("runs");
    let stderr = fails_with(
        &output,
        1,
        "dangling.yaml: skipped: is a symlink to a file that does not exist",
    );
    assert!(
        stderr.contains("folder.yaml: skipped: is a folder, not an answers file"),
        "{stderr}"
    );
    assert!(stderr.contains("pipe.yml: skipped: is not a regular file"), "{stderr}");
    assert!(
        stderr.contains(
            "warning: workspace `recsys-dev` is named in 2 answers files: 01-startup-public-workspace.yaml, UPPER.YAML"
        ),
        "{stderr}"
    );
    assert_eq!(
        listing(&out),
        ["01-startup-public-workspace.md", "UPPER.md", "index.md"]
    );
    let index = std::fs::read_to_string(out.join("index.md")).expect("index");
    assert!(
        stderr.contains("evil\\u{1b}]52;c;aGk=\\u{7}.yaml: skipped") && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
    assert!(!index.contains(['\u{1b}', '\u{7}']), "{index:?}");
    for row in [
        "| — | folder.yaml | skipped: is a folder, not an answers file |",
        "| recsys-dev (named in more than one file) | UPPER.YAML |",
        "**Workspace names used more than once.**",
        // One file per line, so the index stays within the records' 100 columns.
        "- recsys-dev is named in 2 answers files:\n  - 01-startup-public-workspace.yaml\n  - UPPER.YAML\n",
        "| — | secrets.yaml | invalid: 1 problem(s); first:",
    ] {
        assert!(index.contains(row), "{row} in {index}");
    }
    assert!(
        !index.contains("correct-horse") && !stderr.contains("correct-horse"),
        "{index}"
    );
}

// Item 7: SIGTERM during a fleet run left temporary files and records without an index, and
// blocked the rerun. The run stops between files, removes what it wrote and says so.
#[cfg(unix)]
#[test]
fn an_interrupted_fleet_cleans_up_and_the_rerun_succeeds() {
    let root = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = (0..600).map(|n| format!("ws-{n:04}.yaml")).collect();
    let answers = copies_of(root.path(), "03-bank-exfiltration-managed-vnet.yaml", &names);
    let out = root.path().join("out");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_aml-advisor"))
        .args(["recommend", "--format", "markdown", "--answers"])
        .arg(&answers)
        .arg("--output-dir")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !out.exists() || std::fs::read_dir(&out).expect("list").count() < 5 {
        assert!(std::time::Instant::now() < deadline, "no records appeared");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let output = child.wait_with_output().expect("waits");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(143), "{stderr}");
    assert!(
        stderr.contains("error: interrupted by signal 15: removed the "),
        "{stderr}"
    );
    assert!(stderr.contains("run the command again to write them all"), "{stderr}");
    assert_eq!(
        listing(&out),
        Vec::<String>::new(),
        "no records and no temporary files left"
    );
    fleet(&answers, &out, "json").assert().success();
    assert_eq!(listing(&out).len(), 601);
}

/// A `command` entry may also name a resource property or a YAML setting
/// (`workspace YAML: hbi_workspace: true`) or another language's line; a shell command starts
/// with a program name and is not a `label: value` line.
fn is_shell_command(command: &str) -> bool {
    let program = command.split(' ').next().unwrap_or_default();
    let is_program = !program.is_empty()
        && program
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'));
    let labelled = command
        .find(": ")
        .is_some_and(|end| command[..end].chars().all(|c| c.is_ascii_alphabetic() || c == ' '));
    is_program && !labelled
}

/// `<subscription-id>`-style markers replaced by a word: the user fills them in by hand, and as
/// written the shell would read them as redirections. What is checked is the tool's own
/// substitution.
fn fill_markers(command: &str) -> String {
    let mut out = String::new();
    let mut rest = command;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name_length = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(after.len());
        if name_length > 0 && after[name_length..].starts_with('>') {
            out.push_str("MARKER");
            rest = &after[name_length + 1..];
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Every string under a key named `command`, anywhere in a JSON document (for the shell).
fn shell_commands_in(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                match inner {
                    serde_json::Value::String(command) if key == "command" => found.push(command.clone()),
                    _ => shell_commands_in(inner, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| shell_commands_in(item, found)),
        _ => {}
    }
}

#[test]
fn every_command_in_every_example_record_is_a_real_az_command() {
    let mut examples: Vec<_> = std::fs::read_dir("assets/examples")
        .expect("examples folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    let mut problems = Vec::new();
    let mut checked = 0;
    for example in &examples {
        let output = advisor()
            .args(["recommend", "--format", "json", "--answers"])
            .arg(example)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}: {}",
            example.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let record: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let mut commands = Vec::new();
        commands_in(&record, "", &mut commands);
        let name = Path::new(example).file_name().expect("name").to_string_lossy();
        for (path, id, command) in commands {
            checked += 1;
            for problem in check_command(&command) {
                problems.push(format!("{name}: {path} `{id}`: {problem}\n    {command}"));
            }
        }
    }
    assert!(checked > 100, "only {checked} commands found");
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems in the commands of the example records:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_shipped_knowledge_base_passes_every_fact_check() {
    let output = advisor().args(["knowledge", "check"]).output().expect("runs");
    assert!(
        output.status.success(),
        "`knowledge check` finds problems in the shipped knowledge base:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// Issue 12, item 11: a resource group such as `rg(prod)` is valid in Azure but broke the
// printed commands (`bash -n`: syntax error near `(`). Every command of every example must
// parse after substitution with such values.
#[test]
fn every_command_of_every_example_parses_in_bash_with_hostile_but_valid_values() {
    let examples = examples();
    let folder = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for example in &examples {
        let text = std::fs::read_to_string(example).expect("example");
        for group in ["rg(prod)", "(x)", "rg.(a)b", "ü(rg)_x-1"] {
            let answers: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with("resource_group:"))
                .map(|line| match line {
                    "answers:" => format!("answers:\n  resource_group: \"{group}\"\n"),
                    _ => format!("{line}\n"),
                })
                .collect();
            let output = advisor()
                .args(["recommend", "--format", "json", "--answers", "-"])
                .write_stdin(answers)
                .output()
                .expect("runs");
            assert!(output.status.success(), "{}: {}", example.display(), stderr_of(&output));
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            let mut commands = Vec::new();
            shell_commands_in(&json, &mut commands);
            let script = folder.path().join("commands.sh");
            let filled: Vec<String> = commands
                .iter()
                .filter(|command| is_shell_command(command))
                .map(|command| fill_markers(command))
                .collect();
            assert!(
                filled.len() * 4 >= commands.len() * 3,
                "most entries are shell commands"
            );
            std::fs::write(&script, filled.join("\n") + "\n").expect("write");
            let mut bash = std::process::Command::new("bash");
            let bash = bash.arg("-n").arg(&script).output().expect("bash");
            assert!(
                bash.status.success(),
                "{} with resource group {group}: {}\n{}",
                example.display(),
                String::from_utf8_lossy(&bash.stderr),
                commands.join("\n")
            );
            checked += commands.iter().filter(|c| c.contains(&format!("'{group}'"))).count();
        }
    }
    assert!(checked > 0, "some command substitutes the resource group");
}

// ---------------------------------------------------------------------------------------------
// Shell completion, man page, --quiet and the documented exit codes.

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = advisor().args(["completions", shell]).output().expect("runs");
        assert!(output.status.success(), "{shell}: {}", stderr_of(&output));
        let script = String::from_utf8_lossy(&output.stdout);
        for word in ["recommend", "format", "output-dir", "completions", "quiet"] {
            assert!(script.contains(word), "{shell}: the script does not offer {word}");
        }
    }
    // The bash script is valid bash.
    let script = advisor().args(["completions", "bash"]).output().expect("runs").stdout;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("aml-advisor.bash");
    std::fs::write(&path, script).expect("write");
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(checked.status.success(), "{}", stderr_of(&checked));
    advisor().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_documents_commands_exit_status_and_files() {
    let output = advisor().arg("man").output().expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let page = String::from_utf8_lossy(&output.stdout);
    for part in [
        ".TH aml-advisor 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        "aml\\-advisor\\-recommend(1)",
        ".SH \"EXIT STATUS\"",
        "no terminal for the interview",
        ".SH FILES",
    ] {
        assert!(page.contains(part), "the man page lacks {part}:\n{page}");
    }
    assert!(!page.contains(".SH EXTRA"), "the footer is in its own sections");
    let dir = tempfile::tempdir().expect("temp dir");
    advisor()
        .args(["--quiet", "man", "--output-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr("");
    for name in [
        "aml-advisor.1",
        "aml-advisor-recommend.1",
        "aml-advisor-knowledge-check.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            text.starts_with(".ie") && text.contains(".SH \"EXIT STATUS\""),
            "{name}"
        );
    }
    // groff, where installed, reads the page without a warning.
    if let Some(groff) = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("groff"))
            .find(|p| p.is_file())
    }) {
        let checked = std::process::Command::new(groff)
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join("aml-advisor.1"))
            .output()
            .expect("groff runs");
        assert!(
            checked.status.success() && checked.stderr.is_empty(),
            "{}",
            stderr_of(&checked)
        );
    } else {
        eprintln!("SKIPPED: groff is not installed, so the man page was not rendered");
    }
}

#[test]
fn quiet_leaves_out_progress_messages_but_not_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = examples().swap_remove(0);
    let write = |quiet: bool, name: &str| {
        let mut command = advisor();
        if quiet {
            command.arg("-q");
        }
        command
            .args(["recommend", "--answers"])
            .arg(&example)
            .arg("--output")
            .arg(dir.path().join(name))
            .output()
            .expect("runs")
    };
    let loud = write(false, "a.txt");
    assert!(loud.status.success());
    assert!(stderr_of(&loud).starts_with("wrote "), "{}", stderr_of(&loud));
    let quiet = write(true, "b.txt");
    assert!(quiet.status.success());
    assert_eq!(stderr_of(&quiet), "");
    // An error is still reported.
    let refused = write(true, "b.txt");
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr_of(&refused).contains("--force"), "{}", stderr_of(&refused));
}

#[test]
fn help_documents_the_exit_code_of_the_interview_without_a_terminal() {
    let help = advisor().arg("--help").output().expect("runs");
    // Wrapped to the terminal's width: compare with single spaces.
    let text = String::from_utf8_lossy(&help.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("2 wrong command line or no terminal for the interview"),
        "{text}"
    );
    let output = advisor().arg("interview").env("TERM", "xterm").output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("the interview needs a terminal"));
}
