//! The generated README: the knowledge base's text (what to fill in, apply order, one-way
//! doors, what was checked) around the facts of this design (what is deployed, its variables).

use super::design::{Design, OutboundRule};
use super::modules::{MODULES, module};
use super::{Language, ReadmeText};
use crate::knowledge::plan::ResourceRef;

fn words(kind: &str) -> String {
    ResourceRef::parse(kind).map_or_else(|_| kind.to_string(), |parsed| parsed.describe())
}

fn avm(language: Language, id: &str) -> String {
    let module = module(id);
    match language {
        Language::Terraform => format!("AVM `{}` {}", module.terraform_source, module.terraform_version),
        Language::Bicep => format!("AVM `{}`", module.bicep_reference()),
    }
}

/// One line per deployed part, with the module (or plain resource) that deploys it.
fn deployed(design: &Design, language: Language) -> Vec<String> {
    let plain = match language {
        Language::Terraform => "plain `azurerm` resources",
        Language::Bicep => "plain resources",
    };
    let mut lines = vec![format!(
        "{} `{}`: {} (`{}` outbound mode, {} public network access)",
        words("workspace"),
        design.workspace_name,
        avm(language, "workspace"),
        design.setting("isolation_mode"),
        design.setting("public_network_access"),
    )];
    lines.push(format!(
        "{} (default storage): {}",
        words("storage_account"),
        avm(language, "storage_account")
    ));
    lines.push(format!("{}: {}", words("key_vault"), avm(language, "key_vault")));
    if design.registry {
        lines.push(format!(
            "{}: {}",
            words("registry"),
            avm(language, "container_registry")
        ));
    }
    lines.push(format!(
        "{} and {}: {} and {plain}",
        words("log_analytics"),
        words("application_insights"),
        avm(language, "log_analytics")
    ));
    if design.customer_managed_key {
        lines.push(format!(
            "{} with the customer-managed key, and the workspace's {}: {} and {plain}",
            words("key_vault"),
            words("identity"),
            avm(language, "key_vault")
        ));
    }
    if let Some(vnet) = &design.vnet {
        lines.push(format!(
            "{} with subnets {}: {}",
            words("vnet"),
            vnet.subnets
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
            avm(language, "virtual_network")
        ));
    }
    for nsg in &design.nsgs {
        lines.push(format!(
            "{} of the `{}` subnet with {} rules: {}",
            words("nsg"),
            nsg.subnet,
            nsg.rules.len(),
            avm(language, "network_security_group")
        ));
    }
    if !design.routes.is_empty() {
        lines.push(format!(
            "{} with {} routes: {}",
            words("route_table"),
            design.routes.len(),
            avm(language, "route_table")
        ));
    }
    if design.nat_gateway {
        lines.push(format!("{}: {}", words("nat_gateway"), avm(language, "nat_gateway")));
    }
    if let Some(firewall) = &design.firewall {
        let rules = firewall.network_rules.len() + firewall.application_rules.len();
        if firewall.appliance {
            lines.push(format!(
                "{} with {rules} rules, as data: the `appliance_rules` output",
                words("firewall_rules")
            ));
        } else if firewall.local {
            lines.push(format!(
                "{} with its policy and {rules} rules: {plain}",
                words("firewall")
            ));
        } else {
            lines.push(format!(
                "{} with {rules} rules, added to the firewall policy you name: {plain}",
                words("firewall_rules")
            ));
        }
    }
    if !design.private_endpoints.is_empty() {
        let names: Vec<String> = design
            .private_endpoints
            .iter()
            .map(|e| format!("`{}`", e.name))
            .collect();
        lines.push(format!(
            "{} {}s with their DNS zone groups: the `private_endpoints` input of each resource's module ({})",
            design.private_endpoints.len(),
            words("private_endpoint"),
            names.join(", ")
        ));
    }
    if !design.dns_zones.is_empty() {
        lines.push(format!(
            "{} {}s: {}",
            design.dns_zones.len(),
            words("dns_zone"),
            avm(language, "private_dns_zone")
        ));
    }
    let fqdn = design
        .outbound_rules
        .iter()
        .filter(|r| matches!(r, OutboundRule::Fqdn { .. }))
        .count();
    if !design.outbound_rules.is_empty() {
        lines.push(format!(
            "{} {}s ({fqdn} FQDN, {} private endpoint): the workspace module",
            design.outbound_rules.len(),
            words("outbound_rule"),
            design.outbound_rules.len() - fqdn
        ));
    }
    if !design.roles.is_empty() {
        lines.push(format!(
            "{} {}s of the role table: the `role_assignments` input of each resource's module, else {plain}",
            design.roles.len(),
            words("role_assignment")
        ));
    }
    if !design.policies.is_empty() {
        lines.push(format!(
            "{} {}s at the subscription, with the identities and roles their effects need: {plain}",
            design.policies.len(),
            words("policy_assignment")
        ));
    }
    lines
}

pub(super) fn render(design: &Design, language: Language, text: &ReadmeText, files: &[&str]) -> String {
    let title = match language {
        Language::Terraform => "Terraform",
        Language::Bicep => "Bicep",
    };
    let mut out = format!(
        "# {title} for the Azure Machine Learning workspace {}\n\n",
        design.workspace_name
    );
    out.push_str(&format!("{}\n\n", text.intro));
    out.push_str(&format!(
        "Files: {}.\n\n",
        files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    ));
    out.push_str(&format!("## {}\n\n", text.deployed_heading));
    for line in deployed(design, language) {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str("\n## What to fill in\n\n");
    out.push_str(&format!("{}\n\n", text.fill_in));
    out.push_str("| Variable | Value | What it is |\n|---|---|---|\n");
    for variable in &design.variables {
        let value = match (
            super::terraform::files::answered_value(design, &variable.name),
            &variable.default,
        ) {
            (Some(answered), _) => format!("`{answered}` (from the answers)"),
            (None, Some(default)) => format!("default `{default}`"),
            (None, None) => "**required**".to_string(),
        };
        let name = match language {
            Language::Terraform => variable.name.clone(),
            Language::Bicep => super::bicep::param_name(&variable.name),
        };
        out.push_str(&format!(
            "| `{name}` | {value} | {} |\n",
            variable.description.replace('|', "\\|")
        ));
    }
    out.push_str("\n## Apply order\n\n");
    for (number, step) in text.apply_order.iter().enumerate() {
        out.push_str(&format!("{}. {step}\n", number + 1));
    }
    if !text.one_way_doors.is_empty() {
        out.push_str("\n## One-way doors\n\n");
        for door in &text.one_way_doors {
            out.push_str(&format!("- {door}\n"));
        }
    }
    let custom: Vec<String> = design
        .roles
        .iter()
        .filter(|role| role.custom)
        .map(|role| format!("`{}`", role.role))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !custom.is_empty() {
        out.push_str(&format!("\n## Custom roles\n\n{}\n\n", text.custom_roles));
        for role in &custom {
            out.push_str(&format!("- {role}\n"));
        }
    }
    if design.firewall.as_ref().is_some_and(|firewall| firewall.appliance) {
        out.push_str(&format!("\n## Appliance rules\n\n{}\n", text.appliance_rules));
    }
    out.push_str("\n## What was checked, and what was not\n\n");
    out.push_str(&format!("{}\n\n", text.checked));
    out.push_str("Module versions:\n\n");
    for module in MODULES {
        match language {
            Language::Terraform if !module.terraform_source.is_empty() => {
                out.push_str(&format!(
                    "- `{}` {}\n",
                    module.terraform_source, module.terraform_version
                ));
            }
            Language::Bicep => out.push_str(&format!("- `{}`\n", module.bicep_reference())),
            Language::Terraform => {}
        }
    }
    out.push_str(&format!("\n{}\n\n", text.not_checked));
    let commands = match language {
        Language::Terraform => &text.terraform_commands,
        Language::Bicep => &text.bicep_commands,
    };
    out.push_str(&format!("```sh\n{commands}\n```\n"));
    out
}
