//! The files around `main.tf`: provider constraints, variables, their values from the answers,
//! and outputs.

use super::super::design::{Design, Variable};
use super::super::hcl::{Block, file};
use super::super::modules::{AZAPI_VERSION, AZURERM_VERSION, TERRAFORM_REQUIRED_VERSION};
use super::super::value::{Syntax, Value};

pub(crate) fn versions_tf(header: &str) -> String {
    let providers = Block::new("required_providers", &[])
        .attr(
            "azurerm",
            Value::object([
                ("source", Value::str("hashicorp/azurerm")),
                ("version", Value::str(AZURERM_VERSION)),
            ]),
        )
        .attr(
            "azapi",
            Value::object([
                ("source", Value::str("Azure/azapi")),
                ("version", Value::str(AZAPI_VERSION)),
            ]),
        );
    let blocks = [
        Block::new("terraform", &[])
            .attr("required_version", Value::str(TERRAFORM_REQUIRED_VERSION))
            .block(providers),
        Block::new("provider", &["azurerm"])
            .comment("Storage keys are off, so the provider reaches storage with Entra ID.")
            .attr("subscription_id", Value::expr("var.subscription_id"))
            .attr("storage_use_azuread", Value::Bool(true))
            .block(Block::new("features", &[])),
        Block::new("provider", &["azapi"]).attr("subscription_id", Value::expr("var.subscription_id")),
    ];
    file(header, &blocks)
}

/// The Terraform type of a variable; `principal_ids` is an object with one key per persona of
/// the design, so a missing persona is a type error at plan time rather than a silent gap.
fn variable_type(design: &Design, variable: &Variable) -> String {
    match variable.kind.as_str() {
        "list" => "list(string)".to_string(),
        "map" if variable.name == "principal_ids" => {
            let personas: Vec<String> = design.personas().iter().map(|p| format!("    {p} = string")).collect();
            format!("object({{\n{}\n  }})", personas.join("\n"))
        }
        "map" => "map(string)".to_string(),
        _ => "string".to_string(),
    }
}

pub(crate) fn variables_tf(header: &str, design: &Design) -> String {
    let blocks: Vec<Block> = design
        .variables
        .iter()
        .map(|variable| {
            let mut block = Block::new("variable", &[&variable.name])
                .attr("type", Value::expr(variable_type(design, variable)))
                .attr("description", Value::str(&variable.description));
            if let Some(default) = &variable.default {
                block.push_attr("default", Value::str(default));
            }
            block
        })
        .collect();
    file(header, &blocks)
}

/// The variables' values the answers give; everything else is left for the user, with a
/// comment naming what it is.
pub(crate) fn tfvars(header: &str, design: &Design) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    out.push('\n');
    for variable in &design.variables {
        match answered_value(design, &variable.name) {
            Some(value) => out.push_str(&format!("{} = {}\n", variable.name, Syntax::Hcl.string(&value))),
            None if variable.default.is_some() => {
                out.push_str(&format!(
                    "# {} = default {:?}\n",
                    variable.name,
                    variable.default.as_deref().unwrap_or_default()
                ));
            }
            None => {
                out.push_str(&format!("# Required: {}\n", variable.description));
                out.push_str(&format!(
                    "# {} = {}\n",
                    variable.name,
                    placeholder_for(design, variable)
                ));
            }
        }
    }
    out
}

/// What the answers say for a variable: names and region, and the globally unique names
/// derived from the workspace name (to be changed if taken).
pub(crate) fn answered_value(design: &Design, name: &str) -> Option<String> {
    let compact: String = design
        .workspace_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match name {
        "workspace_name" => Some(design.workspace_name.clone()),
        "location" => Some(design.region.clone()),
        "resource_group_name" => Some(design.resource_group.clone()),
        "storage_account_name" => Some(format!("st{}", truncate(&compact, 22))),
        "key_vault_name" => Some(format!("kv-{}", truncate(&design.workspace_name, 17))),
        "registry_name" => Some(format!("cr{}", truncate(&compact, 48))),
        _ => None,
    }
}

fn truncate(text: &str, limit: usize) -> String {
    text.chars()
        .take(limit)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn placeholder_for(design: &Design, variable: &Variable) -> String {
    match variable.kind.as_str() {
        "list" => "[]".to_string(),
        "map" if variable.name == "principal_ids" => {
            let personas: Vec<String> = design.personas().iter().map(|p| format!("{p} = \"\"")).collect();
            format!("{{ {} }}", personas.join(", "))
        }
        "map" => "{}".to_string(),
        _ => "\"\"".to_string(),
    }
}

pub(crate) fn outputs_tf(header: &str, design: &Design) -> String {
    let output = |name: &str, description: &str, value: &str| {
        Block::new("output", &[name])
            .attr("description", Value::str(description))
            .attr("value", Value::expr(value))
    };
    let mut blocks = vec![
        output(
            "workspace_id",
            "Resource id of the Azure Machine Learning workspace.",
            "module.workspace.resource_id",
        ),
        output(
            "storage_account_id",
            "Resource id of the default storage account.",
            "module.storage_account.resource_id",
        ),
        output(
            "key_vault_id",
            "Resource id of the workspace Key Vault.",
            "module.key_vault.resource_id",
        ),
        output(
            "log_analytics_workspace_id",
            "Resource id of the Log Analytics workspace.",
            "module.log_analytics.resource_id",
        ),
    ];
    if design.registry {
        blocks.push(output(
            "container_registry_id",
            "Resource id of the container registry.",
            "module.container_registry.resource_id",
        ));
    }
    if design.firewall.as_ref().is_some_and(|firewall| firewall.appliance) {
        blocks.push(output(
            "appliance_rules",
            "The firewall rows of the network-rules table, to apply in your network virtual appliance.",
            "local.appliance_rules",
        ));
    }
    if design.vnet.is_some() {
        blocks.push(output(
            "virtual_network_id",
            "Resource id of the workload virtual network.",
            "module.virtual_network.resource_id",
        ));
        blocks.push(output(
            "subnet_ids",
            "Resource ids of the workload subnets, by role.",
            "{ for key, subnet in module.virtual_network.subnets : key => subnet.resource_id }",
        ));
    }
    if !design.dns_zones.is_empty() {
        let zones: Vec<String> = design
            .dns_zones
            .iter()
            .map(|zone| {
                format!(
                    "    {} = module.{}.resource_id",
                    Syntax::Hcl.string(&zone.name),
                    zone.id
                )
            })
            .collect();
        blocks.push(output(
            "private_dns_zone_ids",
            "Resource ids of the private DNS zones, by zone name (for the hub's DNS forwarding).",
            &format!("{{\n{}\n  }}", zones.join("\n")),
        ));
    }
    file(header, &blocks)
}
