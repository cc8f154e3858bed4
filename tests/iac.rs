//! `aml-advisor iac`: for every example, the Terraform and Bicep pass the interface checks
//! against the pinned AVM module inputs (tests/fixtures/avm) and agree with the design record:
//! the outbound rules, private endpoints, DNS zones, NSG, firewall and route rows, roles and
//! policies in the code are exactly those of the recommendation. Two generated folders per
//! language are snapshots for review; the command's bad-input paths are exercised.

#[path = "support/bicep_check.rs"]
mod bicep_check;
#[path = "support/examples.rs"]
mod support_examples;
#[path = "support/terraform_check.rs"]
mod terraform_check;

use std::collections::{BTreeMap, BTreeSet};

use aml_advisor::answers::Resolved;
use aml_advisor::answers::check::check;
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::iac::{GeneratedFile, Language, generate};
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::model::Enforcement;
use aml_advisor::knowledge::plan::ResourceRef;
use hcl::expr::{Expression, ObjectKey};
use hcl::structure::{Block, Structure};
use support_examples::examples;

struct Case {
    name: String,
    answers: Resolved,
    rec: Recommendation,
}

fn cases(kb: &KnowledgeBase) -> Vec<Case> {
    examples()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let checked = check(kb, &text, &path.display().to_string(), false).expect("valid example");
            let rec = evaluate(kb, &checked.resolved);
            Case {
                name: path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string(),
                answers: checked.resolved,
                rec,
            }
        })
        .collect()
}

fn file<'f>(files: &'f [GeneratedFile], name: &str) -> &'f str {
    &files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .content
}

fn created<'r>(rec: &'r Recommendation, kind: &str) -> BTreeSet<&'r str> {
    rec.next_steps
        .iter()
        .flat_map(|step| step.creates.iter())
        .filter_map(|text| ResourceRef::parse(text).ok())
        .filter(|parsed| parsed.kind == kind)
        .filter_map(|parsed| parsed.name)
        .collect()
}

fn rows_enforced_by<'r>(
    kb: &KnowledgeBase,
    rec: &'r Recommendation,
    by: Enforcement,
) -> Vec<&'r aml_advisor::engine::recommendation::NetworkRuleRow> {
    rec.network_rules
        .iter()
        .filter(|row| {
            kb.network_rules
                .iter()
                .any(|rule| rule.id == row.id && rule.enforced_by == by)
        })
        .collect()
}

fn split_list(text: &str) -> BTreeSet<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

// ----- Terraform -------------------------------------------------------------------------

fn key_name(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Identifier(id) => id.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.clone(),
        ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
        other => format!("{other:?}"),
    }
}

fn attribute<'b>(block: &'b Block, name: &str) -> Option<&'b Expression> {
    block
        .body
        .attributes()
        .find(|a| a.key.as_str() == name)
        .map(|a| &a.expr)
}

fn get<'e>(expr: &'e Expression, key: &str) -> Option<&'e Expression> {
    match expr {
        Expression::Object(object) => object.iter().find(|(k, _)| key_name(k) == key).map(|(_, v)| v),
        _ => None,
    }
}

fn keys(expr: Option<&Expression>) -> Vec<String> {
    match expr {
        Some(Expression::Object(object)) => object.keys().map(key_name).collect(),
        _ => Vec::new(),
    }
}

fn string(expr: Option<&Expression>) -> String {
    match expr {
        Some(Expression::String(s)) => s.clone(),
        other => format!("{other:?}"),
    }
}

fn blocks<'b>(body: &'b hcl::Body, kind: &str, first_label: &str) -> Vec<&'b Block> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Block(block) => Some(block),
            Structure::Attribute(_) => None,
        })
        .filter(|block| block.identifier.as_str() == kind)
        .filter(|block| first_label.is_empty() || block.labels.first().map(|l| l.as_str()) == Some(first_label))
        .collect()
}

fn label(block: &Block, index: usize) -> String {
    block
        .labels
        .get(index)
        .map(|l| l.as_str().to_string())
        .unwrap_or_default()
}

/// What the Terraform holds, by table.
#[derive(Debug, Default, PartialEq, Eq)]
struct Holdings {
    nsg_rows: BTreeSet<String>,
    firewall_rows: BTreeSet<String>,
    route_rows: BTreeSet<String>,
    fqdn_destinations: BTreeSet<String>,
    outbound_rule_names: BTreeSet<String>,
    private_endpoints: BTreeSet<String>,
    dns_zones: BTreeSet<String>,
    corporate_zones: usize,
    /// Role id -> role name.
    roles: BTreeMap<String, String>,
    /// Definition id -> effect.
    policies: BTreeMap<String, String>,
}

fn terraform_holdings(main: &str) -> Holdings {
    let body = hcl::parse(main).expect("main.tf parses");
    let mut held = Holdings::default();
    for module in blocks(&body, "module", "") {
        let name = label(module, 0);
        if name.starts_with("nsg_") {
            held.nsg_rows.extend(keys(attribute(module, "security_rules")));
        }
        if name == "route_table" {
            held.route_rows.extend(keys(attribute(module, "routes")));
        }
        if let Some(Expression::String(zone)) = attribute(module, "domain_name") {
            if name.starts_with("corp_") {
                held.corporate_zones += 1;
            } else {
                held.dns_zones.insert(zone.clone());
            }
        }
        held.private_endpoints
            .extend(keys(attribute(module, "private_endpoints")));
        // Roles the infrastructure itself needs (`support_*`: the deployer's key access) are
        // not rows of the record's role table.
        for (key, value) in match attribute(module, "role_assignments") {
            Some(Expression::Object(object)) => object.iter().collect(),
            _ => Vec::new(),
        } {
            if key_name(key).starts_with("ra_") {
                held.roles
                    .insert(key_name(key), string(get(value, "role_definition_id_or_name")));
            }
        }
        if name == "workspace" {
            let rules = attribute(module, "workspace_managed_network").and_then(|n| get(n, "outbound_rules"));
            if let Some(Expression::Object(fqdn)) = rules.and_then(|r| get(r, "fqdn")) {
                for (key, value) in fqdn {
                    held.fqdn_destinations.insert(string(get(value, "destination")));
                    let key = key_name(key);
                    held.outbound_rule_names
                        .insert(key.rsplit_once('-').map_or(key.clone(), |(n, _)| n.to_string()));
                }
            }
            held.outbound_rule_names
                .extend(keys(rules.and_then(|r| get(r, "private_endpoint"))));
        }
    }
    // Rules for a network virtual appliance are data (a local and an output), not a resource.
    for locals in blocks(&body, "locals", "") {
        if let Some(Expression::Array(rules)) = attribute(locals, "appliance_rules") {
            for rule in rules {
                held.firewall_rows.insert(string(get(rule, "name")));
            }
        }
    }
    for resource in blocks(&body, "resource", "") {
        let kind = label(resource, 0);
        let name = label(resource, 1);
        match kind.as_str() {
            "azurerm_private_endpoint" => {
                held.private_endpoints.insert(name);
            }
            "azurerm_role_assignment" if name.starts_with("ra_") => {
                held.roles
                    .insert(name, string(attribute(resource, "role_definition_name")));
            }
            "azurerm_firewall_policy_rule_collection_group" => {
                for collection in resource.body.blocks() {
                    for rule in collection.body.blocks().filter(|b| b.identifier.as_str() == "rule") {
                        held.firewall_rows.insert(string(attribute(rule, "name")));
                    }
                }
            }
            "azurerm_subscription_policy_assignment" => {
                let definition = string(attribute(resource, "policy_definition_id"));
                let guid = definition.rsplit('/').next().unwrap_or_default().to_string();
                let effect = match attribute(resource, "parameters") {
                    Some(Expression::FuncCall(call)) => call
                        .args
                        .first()
                        .and_then(|a| get(a, "effect"))
                        .and_then(|e| get(e, "value")),
                    _ => None,
                };
                held.policies.insert(guid, string(effect));
            }
            _ => {}
        }
    }
    held
}

/// What the recommendation says the code must hold.
fn expected_holdings(kb: &KnowledgeBase, rec: &Recommendation, hyphenate: bool) -> Holdings {
    let id = |text: &str| {
        if hyphenate {
            text.replace('_', "-")
        } else {
            text.to_string()
        }
    };
    Holdings {
        nsg_rows: rows_enforced_by(kb, rec, Enforcement::Nsg)
            .iter()
            .map(|r| id(&r.id))
            .collect(),
        firewall_rows: rows_enforced_by(kb, rec, Enforcement::Firewall)
            .iter()
            .map(|r| r.id.clone())
            .collect(),
        route_rows: rows_enforced_by(kb, rec, Enforcement::RouteTable)
            .iter()
            .map(|r| id(&r.id))
            .collect(),
        fqdn_destinations: rows_enforced_by(kb, rec, Enforcement::ManagedNetwork)
            .iter()
            .flat_map(|r| split_list(&r.destination))
            .collect(),
        outbound_rule_names: created(rec, "outbound_rule").into_iter().map(str::to_string).collect(),
        private_endpoints: created(rec, "private_endpoint")
            .into_iter()
            .map(str::to_string)
            .collect(),
        dns_zones: rec.dns_zones.iter().map(|z| z.zone.clone()).collect(),
        corporate_zones: created(rec, "dns_zone")
            .iter()
            .filter(|n| n.starts_with("corp-"))
            .count(),
        roles: rec
            .role_assignments
            .iter()
            .map(|r| (r.id.clone(), r.role.split(" (").next().unwrap_or(&r.role).to_string()))
            .collect(),
        policies: rec
            .policies
            .iter()
            .map(|p| (p.definition_id.clone(), p.effect.clone()))
            .collect(),
    }
}

/// Every `var.NAME` the code reads is declared, and every declared variable is read.
fn variables_agree(files: &[GeneratedFile]) -> Result<(), String> {
    let declared: BTreeSet<String> = blocks(
        &hcl::parse(file(files, "variables.tf")).expect("variables.tf"),
        "variable",
        "",
    )
    .iter()
    .map(|b| label(b, 0))
    .collect();
    let mut read = BTreeSet::new();
    for name in ["main.tf", "outputs.tf", "versions.tf"] {
        let text = file(files, name);
        for (index, _) in text.match_indices("var.") {
            let before = text[..index].chars().last();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = text[index + 4..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            read.insert(name);
        }
    }
    if declared == read {
        Ok(())
    } else {
        Err(format!(
            "read but not declared: {:?}; declared but not read: {:?}",
            read.difference(&declared).collect::<Vec<_>>(),
            declared.difference(&read).collect::<Vec<_>>()
        ))
    }
}

/// Every `module.X` and `TYPE.NAME` reference names a block of main.tf.
fn references_resolve(main: &str) -> Result<(), String> {
    let body = hcl::parse(main).expect("main.tf parses");
    let modules: BTreeSet<String> = blocks(&body, "module", "").iter().map(|b| label(b, 0)).collect();
    let resources: BTreeSet<String> = blocks(&body, "resource", "")
        .iter()
        .chain(blocks(&body, "data", "").iter())
        .map(|b| format!("{}.{}", label(b, 0), label(b, 1)))
        .collect();
    let mut missing = Vec::new();
    for (index, _) in main.match_indices("module.") {
        if main[..index].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = main[index + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !modules.contains(&name) {
            missing.push(format!("module.{name}"));
        }
    }
    for prefix in ["azurerm_", "data.azurerm_"] {
        for (index, _) in main.match_indices(prefix) {
            if main[..index].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '"' || c == '.') {
                continue;
            }
            let reference: String = main[index..]
                .trim_start_matches("data.")
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let mut parts = reference.split('.');
            let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            if !resources.contains(&format!("{kind}.{name}")) {
                missing.push(format!("{kind}.{name}"));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("references to nothing: {missing:?}"))
    }
}

/// The references between the top-level blocks of main.tf form no cycle (Terraform refuses a
/// configuration whose resources depend on each other in a loop).
fn no_dependency_cycle(main: &str) -> Result<(), String> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for chunk in main.split("\n}\n") {
        let Some(header) = chunk
            .lines()
            .find(|l| l.starts_with("module ") || l.starts_with("resource ") || l.starts_with("data "))
        else {
            continue;
        };
        let labels: Vec<&str> = header.split('"').skip(1).step_by(2).collect();
        let name = match header.split_whitespace().next() {
            Some("module") => format!("module.{}", labels[0]),
            Some("data") => format!("data.{}.{}", labels[0], labels[1]),
            _ => format!("{}.{}", labels[0], labels[1]),
        };
        blocks.push((name, chunk.to_string()));
    }
    let names: Vec<String> = blocks.iter().map(|(n, _)| n.clone()).collect();
    let edges: Vec<Vec<usize>> = blocks
        .iter()
        .map(|(_, body)| {
            names
                .iter()
                .enumerate()
                // A block that reads itself is a cycle too (a module's argument that needs the
                // module's own output).
                .filter(|(_, other)| {
                    body.contains(&format!("{other}."))
                        || body.contains(&format!("{other}\n"))
                        || body.contains(&format!("{other}]"))
                })
                .map(|(index, _)| index)
                .collect()
        })
        .collect();
    // Depth-first search with colours: grey on the stack, black done.
    fn visit(node: usize, edges: &[Vec<usize>], colour: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        colour[node] = 1;
        path.push(node);
        for &next in &edges[node] {
            if colour[next] == 1 {
                let start = path.iter().position(|&n| n == next).unwrap_or(0);
                return Some(path[start..].to_vec());
            }
            if colour[next] == 0
                && let Some(cycle) = visit(next, edges, colour, path)
            {
                return Some(cycle);
            }
        }
        path.pop();
        colour[node] = 2;
        None
    }
    let mut colour = vec![0u8; names.len()];
    for node in 0..names.len() {
        if colour[node] == 0
            && let Some(cycle) = visit(node, &edges, &mut colour, &mut Vec::new())
        {
            return Err(format!(
                "dependency cycle: {:?}",
                cycle.iter().map(|&i| &names[i]).collect::<Vec<_>>()
            ));
        }
    }
    Ok(())
}

#[test]
fn terraform_for_every_example_fits_the_module_interfaces_and_agrees_with_the_record() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    let interfaces = terraform_check::load_interfaces();
    let mut problems = Vec::new();
    let mut modules_checked = 0;
    for case in cases(&kb) {
        let files = generate(&kb, &case.answers, &case.rec, Language::Terraform).expect("generates");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "main.tf",
                "variables.tf",
                "terraform.tfvars",
                "outputs.tf",
                "versions.tf",
                "README.md"
            ],
            "{}",
            case.name
        );
        for generated in files
            .iter()
            .filter(|f| f.name.ends_with(".tf") || f.name.ends_with(".tfvars"))
        {
            match terraform_check::check_file(&generated.name, &generated.content, &interfaces) {
                Ok(count) => modules_checked += count,
                Err(found) => problems.extend(found.into_iter().map(|p| format!("{}: {p}", case.name))),
            }
        }
        if let Err(problem) = variables_agree(&files) {
            problems.push(format!("{}: {problem}", case.name));
        }
        if let Err(problem) = references_resolve(file(&files, "main.tf")) {
            problems.push(format!("{}: {problem}", case.name));
        }
        if let Err(problem) = no_dependency_cycle(file(&files, "main.tf")) {
            problems.push(format!("{}: {problem}", case.name));
        }
        let held = terraform_holdings(file(&files, "main.tf"));
        let expected = expected_holdings(&kb, &case.rec, false);
        if held != expected {
            problems.push(format!(
                "{}: the Terraform disagrees with the record:\n  code:   {held:?}\n  record: {expected:?}",
                case.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        modules_checked > 27 * 5,
        "only {modules_checked} module calls were checked"
    );
}

#[test]
fn the_terraform_check_catches_unknown_inputs_wrong_values_and_missing_required_inputs() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    let interfaces = terraform_check::load_interfaces();
    let case = cases(&kb)
        .into_iter()
        .find(|c| c.name.starts_with("07-"))
        .expect("example 07");
    let files = generate(&kb, &case.answers, &case.rec, Language::Terraform).expect("generates");
    let main = file(&files, "main.tf");
    assert!(terraform_check::check_file("main.tf", main, &interfaces).is_ok());
    // Each mutation rewrites the first line whose words match, whatever its alignment.
    let mutations: [(&str, &str, &str); 6] = [
        (
            "isolation_mode = \"AllowOnlyApprovedOutbound\"",
            "isolation_mode = \"AllowEverything\"",
            "is not allowed",
        ),
        (
            "hbi_workspace = true",
            "hbi_workspace_enabled = true",
            "is not an input",
        ),
        ("name = var.workspace_name", "", "required input `name`"),
        (
            "destination = \"pypi.org\"",
            "target = \"pypi.org\"",
            "is not an attribute",
        ),
        (
            "version = \"0.9.0\"",
            "version = \"0.8.0\"",
            "the checked interface is version 0.9.0",
        ),
        ("kind = \"Default\"", "kind = true", "a bool where the type is String"),
    ];
    for (from, to, expected) in mutations {
        let broken =
            replace_line(main, from, to).unwrap_or_else(|| panic!("example 07's main.tf has no line {from:?}"));
        let problems = terraform_check::check_file("main.tf", &broken, &interfaces).expect_err(expected);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
    assert!(terraform_check::check_file("main.tf", "module \"x\" {", &interfaces).is_err());
    // A module that reads the workspace's identity while the workspace reads it is a cycle.
    let cyclic = main.replacen(
        "  name                          = var.storage_account_name",
        "  name                          = module.workspace.system_assigned_mi_principal_id",
        1,
    );
    assert!(no_dependency_cycle(main).is_ok());
    assert!(
        no_dependency_cycle(&cyclic).is_err_and(|e| e.contains("module.workspace")),
        "the cycle check finds it"
    );
    // A module whose own argument reads its output is a cycle of one.
    let own = main.replacen(
        "  name                          = var.workspace_name",
        "  name                          = module.workspace.resource_id",
        1,
    );
    assert_ne!(own, main, "the workspace module names itself by var.workspace_name");
    assert!(
        no_dependency_cycle(&own).is_err_and(|e| e.contains("module.workspace")),
        "the cycle check finds a self-reference"
    );
}

/// `text` with the first line whose words are `from` (spacing aside) replaced by `to`.
fn replace_line(text: &str, from: &str, to: &str) -> Option<String> {
    let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .filter_map(|line| {
            if !done && words(line) == from {
                done = true;
                (!to.is_empty()).then(|| format!("  {to}"))
            } else {
                Some(line.to_string())
            }
        })
        .collect();
    done.then(|| lines.join("\n") + "\n")
}

// ----- Bicep -----------------------------------------------------------------------------

fn bicep_get<'v>(value: &'v bicep_check::Value, key: &str) -> Option<&'v bicep_check::Value> {
    match value {
        bicep_check::Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn bicep_items(value: Option<&bicep_check::Value>) -> Vec<&bicep_check::Value> {
    match value {
        Some(bicep_check::Value::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    }
}

fn bicep_str(value: Option<&bicep_check::Value>) -> String {
    match value {
        Some(bicep_check::Value::Str(s)) => s.clone(),
        Some(bicep_check::Value::Expr(_, strings)) => strings.join(" "),
        other => format!("{other:?}"),
    }
}

fn bicep_holdings(
    main: &[bicep_check::Declaration],
    policies: &[bicep_check::Declaration],
    workspace: &str,
) -> Holdings {
    let mut held = Holdings::default();
    let pe_prefix = format!("pe-{workspace}-");
    for declaration in main {
        let target = declaration.target.clone().unwrap_or_default();
        let Some(body) = &declaration.value else { continue };
        let params = bicep_get(body, "params");
        let param = |name: &str| params.and_then(|p| bicep_get(p, name));
        if declaration.kind == "module" {
            for rule in bicep_items(param("securityRules")) {
                held.nsg_rows.insert(bicep_str(bicep_get(rule, "name")));
            }
            if target.contains("route-table") {
                for route in bicep_items(param("routes")) {
                    held.route_rows.insert(bicep_str(bicep_get(route, "name")));
                }
            }
            for collection in bicep_items(param("ruleCollections")) {
                for rule in bicep_items(bicep_get(collection, "rules")) {
                    held.firewall_rows.insert(bicep_str(bicep_get(rule, "name")));
                }
            }
            if target.contains("private-dns-zone") {
                if declaration.name.starts_with("corp") {
                    held.corporate_zones += 1;
                } else {
                    held.dns_zones.insert(bicep_str(param("name")));
                }
            }
            for endpoint in bicep_items(param("privateEndpoints")) {
                let name = bicep_str(bicep_get(endpoint, "name"));
                held.private_endpoints
                    .insert(name.trim_start_matches(&pe_prefix).to_string());
            }
            if target.contains("/network/private-endpoint:") {
                held.private_endpoints
                    .insert(bicep_str(param("name")).trim_start_matches(&pe_prefix).to_string());
            }
            for role in bicep_items(param("roleAssignments")) {
                let id = bicep_str(bicep_get(role, "description"));
                if id.starts_with("ra_") {
                    held.roles
                        .insert(id, bicep_str(bicep_get(role, "roleDefinitionIdOrName")));
                }
            }
            if target.contains("resource-role-assignment") {
                held.roles
                    .insert(bicep_str(param("description")), bicep_str(param("roleDefinitionId")));
            }
            if let Some(bicep_check::Value::Object(rules)) =
                param("managedNetworkSettings").and_then(|m| bicep_get(m, "outboundRules"))
            {
                for (key, rule) in rules {
                    if bicep_str(bicep_get(rule, "type")) == "FQDN" {
                        held.fqdn_destinations.insert(bicep_str(bicep_get(rule, "destination")));
                        held.outbound_rule_names
                            .insert(key.rsplit_once('-').map_or(key.clone(), |(n, _)| n.to_string()));
                    } else {
                        held.outbound_rule_names.insert(key.clone());
                    }
                }
            }
        }
        if declaration.kind == "var" && declaration.name == "applianceRules" {
            for rule in bicep_items(Some(body)) {
                held.firewall_rows.insert(bicep_str(bicep_get(rule, "name")));
            }
        }
        if declaration.kind == "resource" && target.starts_with("Microsoft.Authorization/roleAssignments") {
            let properties = bicep_get(body, "properties");
            held.roles.insert(
                bicep_str(properties.and_then(|p| bicep_get(p, "description"))),
                bicep_str(properties.and_then(|p| bicep_get(p, "roleDefinitionId"))),
            );
        }
    }
    for declaration in policies {
        let target = declaration.target.clone().unwrap_or_default();
        if declaration.kind != "resource" || !target.starts_with("Microsoft.Authorization/policyAssignments") {
            continue;
        }
        let properties = declaration.value.as_ref().and_then(|b| bicep_get(b, "properties"));
        let definition = bicep_str(properties.and_then(|p| bicep_get(p, "policyDefinitionId")));
        let guid = definition.rsplit(' ').next().unwrap_or_default().to_string();
        let effect = properties
            .and_then(|p| bicep_get(p, "parameters"))
            .and_then(|p| bicep_get(p, "effect"))
            .and_then(|e| bicep_get(e, "value"));
        held.policies.insert(guid, bicep_str(effect));
    }
    held
}

/// Built-in role names become role definition ids in Bicep; custom roles come by name from
/// the `customRoleDefinitionIds` parameter.
fn bicep_role_reference(role: &str) -> String {
    match aml_advisor::upstream::roles::builtin_roles().role_id(role) {
        Some(id) => format!("Microsoft.Authorization/roleDefinitions {id}"),
        None => role.to_string(),
    }
}

/// A module or resource whose own body reads its outputs or properties: Bicep refuses the
/// cycle (BCP079).
fn bicep_self_references(content: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for block in content.split("\n}\n") {
        let Some(header) = block
            .lines()
            .find(|line| line.starts_with("module ") || line.starts_with("resource "))
        else {
            continue;
        };
        let Some(symbol) = header.split_whitespace().nth(1) else {
            continue;
        };
        let body = &block[block.find(header).unwrap_or(0) + header.len()..];
        if body.contains(&format!("{symbol}.outputs."))
            || body.contains(&format!("{symbol}.properties."))
            || body.contains(&format!("{symbol}.id"))
        {
            problems.push(format!("`{symbol}` reads itself"));
        }
    }
    problems
}

#[test]
fn the_bicep_self_reference_check_finds_one() {
    let bicep =
        "module workspace 'br/public:avm/res/x:1.0.0' = {\n  params: {\n    id: workspace.outputs.resourceId\n  }\n}\n";
    assert_eq!(bicep_self_references(bicep), ["`workspace` reads itself"]);
    assert!(bicep_self_references(&bicep.replace("workspace.outputs", "other.outputs")).is_empty());
}

#[test]
fn bicep_for_every_example_parses_fits_the_module_parameters_and_agrees_with_the_record() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    let interfaces = bicep_check::load_interfaces();
    let mut problems = Vec::new();
    for case in cases(&kb) {
        let files = generate(&kb, &case.answers, &case.rec, Language::Bicep).expect("generates");
        let mut parsed = BTreeMap::new();
        let mut locals = BTreeMap::new();
        for generated in files
            .iter()
            .filter(|f| f.name.ends_with(".bicep") || f.name.ends_with(".bicepparam"))
        {
            for problem in bicep_self_references(&generated.content) {
                problems.push(format!("{} {}: {problem}", case.name, generated.name));
            }
            match bicep_check::parse(&generated.content, generated.name.ends_with(".bicepparam")) {
                Ok(declarations) => {
                    if !generated.name.ends_with(".bicepparam") {
                        for problem in bicep_check::undeclared(&declarations) {
                            problems.push(format!("{} {}: {problem}", case.name, generated.name));
                        }
                    }
                    let params: Vec<(String, bool)> = declarations
                        .iter()
                        .filter(|d| d.kind == "param")
                        .map(|d| (d.name.clone(), !d.has_default))
                        .collect();
                    locals.insert(generated.name.clone(), params);
                    parsed.insert(generated.name.clone(), declarations);
                }
                Err(error) => problems.push(format!("{} {}: {error}", case.name, generated.name)),
            }
        }
        for (name, declarations) in &parsed {
            problems.extend(
                bicep_check::check_modules(name, declarations, &interfaces, &locals)
                    .into_iter()
                    .map(|p| format!("{}: {p}", case.name)),
            );
        }
        // The parameter file sets exactly the parameters main.bicep requires, and no others.
        if let (Some(main), Some(values)) = (locals.get("main.bicep"), parsed.get("main.bicepparam")) {
            let set: BTreeSet<&str> = values
                .iter()
                .filter(|d| d.kind == "param")
                .map(|d| d.name.as_str())
                .collect();
            for (param, required) in main {
                if *required && !set.contains(param.as_str()) {
                    problems.push(format!(
                        "{}: main.bicepparam does not set required `{param}`",
                        case.name
                    ));
                }
            }
            for param in &set {
                if !main.iter().any(|(p, _)| p == param) {
                    problems.push(format!(
                        "{}: main.bicepparam sets `{param}`, which main.bicep does not declare",
                        case.name
                    ));
                }
            }
        }
        let empty = Vec::new();
        let held = bicep_holdings(
            parsed.get("main.bicep").unwrap_or(&empty),
            parsed.get("policies.bicep").unwrap_or(&empty),
            &case.rec.workspace_name,
        );
        let mut expected = expected_holdings(&kb, &case.rec, true);
        expected.roles = case
            .rec
            .role_assignments
            .iter()
            .map(|r| {
                let name = r.role.split(" (").next().unwrap_or(&r.role);
                (
                    r.id.clone(),
                    if r.custom {
                        name.to_string()
                    } else {
                        bicep_role_reference(name)
                    },
                )
            })
            .collect();
        if held != expected {
            problems.push(format!(
                "{}: the Bicep disagrees with the record:\n  code:   {held:?}\n  record: {expected:?}",
                case.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_bicep_check_catches_syntax_errors_unknown_parameters_and_disallowed_values() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    let interfaces = bicep_check::load_interfaces();
    let case = cases(&kb)
        .into_iter()
        .find(|c| c.name.starts_with("07-"))
        .expect("example 07");
    let files = generate(&kb, &case.answers, &case.rec, Language::Bicep).expect("generates");
    let main = file(&files, "main.bicep");
    let check = |text: &str| -> Vec<String> {
        match bicep_check::parse(text, false) {
            Err(error) => vec![error],
            Ok(declarations) => {
                let mut problems = bicep_check::undeclared(&declarations);
                problems.extend(bicep_check::check_modules(
                    "main.bicep",
                    &declarations,
                    &interfaces,
                    &BTreeMap::new(),
                ));
                problems.retain(|p| !p.contains("policies.bicep") && !p.contains("firewall-rules.bicep"));
                problems
            }
        }
    };
    assert_eq!(check(main), Vec::<String>::new());
    let mutations = [
        (
            "isolationMode: 'AllowOnlyApprovedOutbound'",
            "isolationMode: 'AllowAll'",
            "is not allowed",
        ),
        ("hbiWorkspace:", "hbiWorkspaceEnabled:", "is not a parameter"),
        ("    sku: 'Basic'\n", "", "required parameter `sku`"),
        ("type: 'FQDN'", "type: 'Fqdn'", "is not a variant"),
        (
            "name: workspaceName",
            "name: workspaceNam",
            "`workspaceNam` is not declared",
        ),
        ("friendlyName: '", "friendlyName: ''", "line"),
        (
            "    kind: 'Default'\n",
            "    kind: 'Default'\n    kind: 'Default'\n",
            "duplicate object key",
        ),
    ];
    for (from, to, expected) in mutations {
        assert!(
            main.contains(from),
            "example 07's main.bicep no longer contains {from:?}"
        );
        let problems = check(&main.replacen(from, to, 1));
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
}

#[test]
fn pinned_versions_are_those_of_the_interface_fixtures() {
    let terraform = terraform_check::load_interfaces();
    let bicep = bicep_check::load_interfaces();
    for module in aml_advisor::iac::modules::MODULES {
        if !module.terraform_source.is_empty() {
            let fixture = terraform
                .iter()
                .find(|i| i.source == module.terraform_source)
                .expect(module.terraform_source);
            assert_eq!(fixture.version, module.terraform_version, "{}", module.id);
        }
        assert!(
            bicep.iter().any(|i| i.reference == module.bicep_reference()),
            "{}: no fixture for {}",
            module.id,
            module.bicep_reference()
        );
    }
}

// ----- snapshots -------------------------------------------------------------------------

fn folder_text(files: &[GeneratedFile]) -> String {
    files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.name, f.content))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_folders_are_snapshots_for_review() {
    let kb = KnowledgeBase::embedded().expect("knowledge");
    for case in cases(&kb) {
        // One managed-network design (exfiltration protection, FQDN rules) and one customer
        // network (firewall, NSGs, routes, split DNS).
        if !(case.name.starts_with("03-") || case.name.starts_with("04-")) {
            continue;
        }
        for (language, suffix) in [(Language::Terraform, "terraform"), (Language::Bicep, "bicep")] {
            let files = generate(&kb, &case.answers, &case.rec, language).expect("generates");
            // The hashes change with any knowledge edit; the code around them is what to review.
            let text = folder_text(&files)
                .replace(&case.rec.knowledge_hash[..12], "<knowledge-hash>")
                .replace(&case.rec.answers_hash[..12], "<answers-hash>");
            insta::assert_snapshot!(format!("iac-{}-{suffix}", case.name), text);
        }
    }
}
