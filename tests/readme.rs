//! The README is the contract with a newcomer: what it says about keys and commands must be
//! what the program does.

#[test]
fn readme_key_table_is_the_keymap() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let table = aml_advisor::tui::keymap::markdown();
    assert!(
        readme.contains(table.trim()),
        "README.md's key table is out of date; replace it with:\n{table}"
    );
}

#[test]
fn readme_names_the_two_commands_and_examples_that_exist() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    assert!(readme.contains("cargo run --release"), "the main job");
    assert!(readme.contains("cargo test"), "the tests");
    for line in readme.lines() {
        for word in line.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '`' || c == '[' || c == ']')
        {
            if let Some(path) = word.strip_prefix("assets/examples/").filter(|p| p.ends_with(".yaml")) {
                assert!(
                    std::path::Path::new("assets/examples").join(path).is_file(),
                    "README names a missing example: {path}"
                );
            }
        }
    }
}

#[test]
fn readme_answers_file_example_is_valid() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let start = readme.find("```yaml\n").expect("a yaml example") + "```yaml\n".len();
    let end = start + readme[start..].find("```").expect("closed");
    let example = &readme[start..end];
    let kb = aml_advisor::knowledge::KnowledgeBase::embedded().expect("valid");
    let checked = aml_advisor::answers::check::check(&kb, example, "README.md", false)
        .unwrap_or_else(|problems| panic!("the README's answers file is invalid:\n{problems}"));
    assert_eq!(checked.resolved.text("workspace_name"), Some("contoso-ml-prod"));
}

#[test]
fn readme_names_the_upstream_versions_the_facts_are_checked_against() {
    use aml_advisor::upstream::{cli, dns_zones, policies, roles, service_tags};
    let readme = std::fs::read_to_string("README.md").expect("README");
    // From its heading to the next heading of level two.
    let start = readme.find("Against which upstream versions").expect("the section");
    let section = &readme[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let meta = &cli::table().meta;
    let mut expected = vec![
        policies::builtins().commit()[..12].to_string(),
        roles::builtin_roles().dump_date()[..10].to_string(),
        dns_zones::private_dns_zones().page_updated()[..10].to_string(),
        format!("change number {}", service_tags::service_tags().change_number()),
        format!("azure-cli {}", meta.azure_cli_core),
    ];
    expected.extend(
        meta.extensions
            .iter()
            .map(|(name, version)| format!("{name} {version}")),
    );
    for version in expected {
        assert!(
            section.contains(&version),
            "README's upstream section does not name {version}"
        );
    }
}

#[test]
fn readme_estate_export_commands_exist_in_the_azure_cli() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let start = readme.find("**Exporting one workspace**").expect("the export section");
    let block_start = start + readme[start..].find("```sh\n").expect("a sh block") + "```sh\n".len();
    let block = &readme[block_start..block_start + readme[block_start..].find("```").expect("closed")];
    let commands: Vec<&str> = block.lines().filter(|line| line.starts_with("az ")).collect();
    assert!(commands.len() >= 4, "{block}");
    for command in commands {
        // The output redirection is the shell's, not the command's.
        let command = command.split(" > ").next().unwrap();
        let problems = aml_advisor::upstream::cli_check::check_command(command);
        assert!(problems.is_empty(), "`{command}`: {problems:?}");
        // Inner commands in $(...) are checked too.
        let mut rest = command;
        while let Some(open) = rest.find("$(") {
            let inner = &rest[open + 2..];
            let close = inner.find(')').expect("closed");
            let problems = aml_advisor::upstream::cli_check::check_command(&inner[..close]);
            assert!(problems.is_empty(), "`{}`: {problems:?}", &inner[..close]);
            rest = &inner[close..];
        }
    }
}

/// A newcomer who ran the two commands has no `aml-advisor` on the PATH: before the first
/// example that calls it, the README says how to install it or to use `cargo run --release --`
/// instead, and that the first build takes minutes.
#[test]
fn readme_says_how_to_run_the_examples_before_the_first_one() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let first_call = readme
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
        .find(|block| block.lines().any(|line| line.trim_start().starts_with("aml-advisor ")))
        .and_then(|block| readme.find(block))
        .expect("the README has examples that call aml-advisor");
    let before = &readme[..first_call];
    assert!(before.contains("cargo install --path ."), "install first");
    assert!(
        before.contains("`cargo run --release --`"),
        "or use cargo run --release --"
    );
    assert!(before.contains("takes a few minutes"), "the first build's time");
    for command in ["aml-advisor completions", "aml-advisor man", "--quiet"] {
        assert!(readme.contains(command), "the README documents {command}");
    }
}

/// The README's diagram is the one the tool draws for its example today.
#[test]
fn readme_diagram_is_the_one_drawn_for_its_example() {
    use aml_advisor::answers::check::check;
    let readme = std::fs::read_to_string("README.md").expect("README");
    let start = readme.find("```mermaid\n").expect("a diagram") + "```mermaid\n".len();
    let shown = &readme[start..start + readme[start..].find("```\n").expect("its end")];
    let path = "assets/examples/03-bank-exfiltration-managed-vnet.yaml";
    assert!(readme[..start].contains(path), "the README names the example it draws");
    let kb = aml_advisor::knowledge::KnowledgeBase::embedded().expect("valid");
    let text = std::fs::read_to_string(path).expect("example");
    let checked = check(&kb, &text, path, false).expect("valid example");
    let recommendation = aml_advisor::engine::evaluate(&kb, &checked.resolved);
    let drawn = aml_advisor::render::mermaid::flowchart(&recommendation.diagram).expect("a diagram");
    assert_eq!(shown, drawn, "replace the README's diagram with the one drawn today");
}

#[test]
fn readme_terraform_excerpt_is_what_the_iac_command_writes() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let start = readme.find("```hcl\n").expect("a Terraform excerpt") + "```hcl\n".len();
    let end = start + readme[start..].find("```").expect("closed");
    let excerpt = &readme[start..end];
    let kb = aml_advisor::knowledge::KnowledgeBase::embedded().expect("valid");
    let path = "assets/examples/03-bank-exfiltration-managed-vnet.yaml";
    let text = std::fs::read_to_string(path).expect("example");
    let checked = aml_advisor::answers::check::check(&kb, &text, path, false).expect("valid example");
    let recommendation = aml_advisor::engine::evaluate(&kb, &checked.resolved);
    let files = aml_advisor::iac::generate(
        &kb,
        &checked.resolved,
        &recommendation,
        aml_advisor::iac::Language::Terraform,
    )
    .expect("generates");
    let main = &files.iter().find(|f| f.name == "main.tf").expect("main.tf").content;
    // The excerpt elides the middle with one `# ...` line; both parts are in main.tf verbatim.
    for part in excerpt.split("  # ... storage, Key Vault, registry, identity and customer-managed key inputs ...\n") {
        assert!(
            main.contains(part),
            "README's main.tf excerpt is out of date; this part is not generated:\n{part}"
        );
    }
}
