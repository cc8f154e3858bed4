//! The design as Terraform on Azure Verified Modules: `main.tf` with the module calls and the
//! plain resources no module covers, and the files around it (see `files.rs`).

use super::design::{
    CORPORATE_PREFIX, Design, Destinations, Endpoint, OutboundRule, Policy, Role, Target, WORKSPACE_IDENTITY_PERSONA,
};
use super::hcl::Block;
use super::modules::module;
use super::value::Value;
use crate::knowledge::iac::{EndpointNetwork, NextHop};

pub(super) mod files;
mod network;
mod policies;
mod workload;

use network::{dns_blocks, network_blocks};
use policies::policy_blocks;
pub(crate) use workload::endpoint_in_module;
use workload::{dependency_blocks, monitor_link_blocks, plain_role_blocks, workspace_block};

/// Terraform references to the design's resources.
pub(super) struct Refs<'d> {
    pub design: &'d Design,
}

impl Refs<'_> {
    pub fn resource_group_id(&self) -> Value {
        Value::expr("azurerm_resource_group.this.id")
    }

    pub fn subnet(&self, subnet: &str) -> Value {
        Value::expr(format!("module.virtual_network.subnets[\"{subnet}\"].resource_id"))
    }

    pub fn endpoint_subnet(&self, network: EndpointNetwork) -> Value {
        match network {
            EndpointNetwork::Client => Value::expr("var.client_private_endpoint_subnet_id"),
            EndpointNetwork::Workload if self.design.has_subnet("pe") => self.subnet("pe"),
            EndpointNetwork::Workload => Value::expr("var.private_endpoint_subnet_id"),
        }
    }

    pub fn zone(&self, zone: &str) -> Value {
        Value::expr(format!("module.{zone}.resource_id"))
    }

    pub fn target(&self, target: &Target) -> Result<Value, String> {
        match target {
            Target::Variable(variable) => Ok(Value::expr(format!("var.{variable}"))),
            Target::Resource(resource) => {
                if !self.design.deploys(resource) {
                    return Err(format!("the design refers to the {resource}, which it does not deploy"));
                }
                Ok(Value::expr(match resource.as_str() {
                    "resource_group" => "azurerm_resource_group.this.id".to_string(),
                    "private_link_scope" => "azurerm_monitor_private_link_scope.this.id".to_string(),
                    other => format!("module.{}.resource_id", module_name(other)),
                }))
            }
        }
    }

    /// The workspace's own resource id, built from its name: an argument of the workspace
    /// module (its self outbound rule) cannot read the module's output, which is a cycle.
    pub fn workspace_own_id(&self) -> Value {
        Value::expr(
            "\"${azurerm_resource_group.this.id}/providers/Microsoft.MachineLearningServices/workspaces/${var.workspace_name}\"",
        )
    }

    pub fn workspace_principal(&self) -> Value {
        if self.design.customer_managed_key {
            Value::expr("azurerm_user_assigned_identity.workspace.principal_id")
        } else {
            Value::expr("module.workspace.system_assigned_mi_principal_id")
        }
    }

    pub fn principal(&self, persona: &str) -> Value {
        if persona == WORKSPACE_IDENTITY_PERSONA {
            self.workspace_principal()
        } else {
            Value::expr(format!("var.principal_ids.{persona}"))
        }
    }

    fn destinations(&self, destinations: &Destinations) -> (Option<Value>, Option<Value>) {
        match destinations {
            Destinations::Literal(list) if list.len() == 1 => (Some(Value::str(&list[0])), None),
            Destinations::Literal(list) => (None, Some(Value::strs(list.clone()))),
            Destinations::Variable(variable) => match self.design.variable(variable).map(|v| v.kind.as_str()) {
                Some("list") => (None, Some(Value::expr(format!("var.{variable}")))),
                _ => (Some(Value::expr(format!("var.{variable}"))), None),
            },
        }
    }
}

/// The module block name of a deployment target.
pub(super) fn module_name(target: &str) -> &str {
    match target {
        "registry" => "container_registry",
        "vnet" => "virtual_network",
        "cmk_key_vault" => "key_vault_cmk",
        other => other,
    }
}

fn module_block(name: &str, module_id: &str, comment: &str) -> Block {
    let module = module(module_id);
    Block::new("module", &[name])
        .comment(comment)
        .attr("source", Value::str(module.terraform_source))
        .attr("version", Value::str(module.terraform_version))
}

fn role_entry(refs: &Refs, role: &Role) -> Value {
    Value::object([
        ("role_definition_id_or_name", Value::str(&role.role)),
        ("principal_id", refs.principal(&role.persona)),
    ])
}

/// Roles assigned through a module's `role_assignments` input, keyed by the role table's ids.
fn module_roles(refs: &Refs, target: &str) -> Option<Value> {
    let entries: Vec<(String, Value)> = refs
        .design
        .roles
        .iter()
        .filter(|role| hosted_by_module(refs.design, role).is_some_and(|host| host == target))
        .map(|role| (role.id.clone(), role_entry(refs, role)))
        .collect();
    (!entries.is_empty()).then_some(Value::Object(entries))
}

/// The module whose `role_assignments` input carries a role, or `None` for a plain resource:
/// resource group and outside scopes, and roles of the workspace's system identity, which the
/// workspace module only knows once created; as an input of a module the workspace depends on
/// (storage, Key Vault, registry) that would be a cycle. The customer-managed-key identity is
/// created first, so its roles stay with the modules and are in place before the workspace.
pub(super) fn hosted_by_module<'r>(design: &Design, role: &'r Role) -> Option<&'r str> {
    let system_identity = role.persona == WORKSPACE_IDENTITY_PERSONA && !design.customer_managed_key;
    match &role.scope {
        Target::Resource(target)
            if matches!(
                target.as_str(),
                "workspace" | "storage_account" | "key_vault" | "registry" | "log_analytics" | "vnet" | "cmk_key_vault"
            ) && !system_identity
                && !(target == "workspace" && role.persona == WORKSPACE_IDENTITY_PERSONA) =>
        {
            Some(target.as_str())
        }
        _ => None,
    }
}

/// Private endpoints through a resource module's `private_endpoints` input.
fn module_endpoints(refs: &Refs, target: &str, with_subresource: bool) -> Option<Value> {
    let entries: Vec<(String, Value)> = refs
        .design
        .private_endpoints
        .iter()
        .filter(|endpoint| endpoint.target == Target::Resource(target.to_string()))
        .map(|endpoint| (endpoint.name.clone(), endpoint_entry(refs, endpoint, with_subresource)))
        .collect();
    (!entries.is_empty()).then_some(Value::Object(entries))
}

fn endpoint_entry(refs: &Refs, endpoint: &Endpoint, with_subresource: bool) -> Value {
    let mut entry = vec![
        (
            "name".to_string(),
            Value::str(format!("pe-{}-{}", refs.design.workspace_name, endpoint.name)),
        ),
        ("subnet_resource_id".to_string(), refs.endpoint_subnet(endpoint.network)),
    ];
    if with_subresource {
        entry.push(("subresource_name".to_string(), Value::str(&endpoint.subresource)));
    }
    entry.push((
        "private_dns_zone_resource_ids".to_string(),
        Value::List(endpoint.zones.iter().map(|zone| refs.zone(zone)).collect()),
    ));
    Value::Object(entry)
}

pub(super) fn main_blocks(design: &Design) -> Result<Vec<Block>, String> {
    let refs = Refs { design };
    let mut blocks = vec![
        Block::new("data", &["azurerm_client_config", "current"]),
        Block::new("resource", &["azurerm_resource_group", "this"])
            .attr("name", Value::expr("var.resource_group_name"))
            .attr("location", Value::expr("var.location")),
    ];
    blocks.extend(network_blocks(&refs)?);
    blocks.extend(dns_blocks(&refs));
    blocks.extend(dependency_blocks(&refs)?);
    blocks.push(workspace_block(&refs)?);
    blocks.extend(plain_role_blocks(&refs)?);
    blocks.extend(monitor_link_blocks(&refs)?);
    for policy in &design.policies {
        blocks.extend(policy_blocks(&refs, policy)?);
    }
    Ok(blocks)
}
