//! The design as Terraform on Azure Verified Modules: `main.tf` with the module calls and the
//! plain resources no module covers, and the files around it (see `terraform_files.rs`).

use super::design::{
    CORPORATE_PREFIX, Design, Destinations, Endpoint, OutboundRule, Policy, Role, Target, WORKSPACE_IDENTITY_PERSONA,
};
use super::hcl::Block;
use super::modules::module;
use super::value::Value;
use crate::knowledge::iac::{EndpointNetwork, NextHop};

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
                let present = match resource.as_str() {
                    "registry" => self.design.registry,
                    "vnet" => self.design.vnet.is_some(),
                    "cmk_key_vault" => self.design.customer_managed_key,
                    "private_link_scope" => self.design.private_link_scope,
                    _ => true,
                };
                if !present {
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
        .filter(|role| hosted_by_module(role).is_some_and(|host| host == target))
        .map(|role| (role.id.clone(), role_entry(refs, role)))
        .collect();
    (!entries.is_empty()).then(|| Value::Object(entries))
}

/// The module whose `role_assignments` input carries a role, or `None` for a plain resource
/// (resource group and outside scopes, and the workspace identity on the workspace itself,
/// which would make the module depend on its own output).
pub(super) fn hosted_by_module(role: &Role) -> Option<&str> {
    match &role.scope {
        Target::Resource(target)
            if matches!(
                target.as_str(),
                "workspace" | "storage_account" | "key_vault" | "registry" | "log_analytics" | "vnet" | "cmk_key_vault"
            ) && !(target == "workspace" && role.persona == WORKSPACE_IDENTITY_PERSONA) =>
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
    (!entries.is_empty()).then(|| Value::Object(entries))
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

fn network_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let design = refs.design;
    let ws = &design.workspace_name;
    let mut blocks = Vec::new();
    for nsg in &design.nsgs {
        let rules: Vec<(String, Value)> = nsg
            .rules
            .iter()
            .map(|rule| {
                let (single, many) = refs.destinations(&rule.destinations);
                let mut entry = vec![
                    ("name".to_string(), Value::str(rule.id.replace('_', "-"))),
                    ("priority".to_string(), Value::Int(i64::from(rule.priority))),
                    (
                        "direction".to_string(),
                        Value::str(if rule.inbound { "Inbound" } else { "Outbound" }),
                    ),
                    ("access".to_string(), Value::str(if rule.allow { "Allow" } else { "Deny" })),
                    ("protocol".to_string(), Value::str(&rule.protocol)),
                    ("source_address_prefix".to_string(), Value::str(&rule.source)),
                    ("source_port_range".to_string(), Value::str("*")),
                ];
                entry.extend(single.map(|v| ("destination_address_prefix".to_string(), v)));
                entry.extend(many.map(|v| ("destination_address_prefixes".to_string(), v)));
                if rule.ports.len() == 1 {
                    entry.push(("destination_port_range".to_string(), Value::str(&rule.ports[0])));
                } else {
                    entry.push(("destination_port_ranges".to_string(), Value::strs(rule.ports.clone())));
                }
                (rule.id.clone(), Value::Object(entry))
            })
            .collect();
        blocks.push(
            module_block(
                &format!("nsg_{}", nsg.subnet),
                "network_security_group",
                &format!("Network security group of the {} subnet: the NSG rows of the network-rules table.", nsg.subnet),
            )
            .attr("name", Value::str(format!("nsg-{ws}-{}", nsg.subnet)))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("security_rules", Value::Object(rules)),
        );
    }
    if !design.routes.is_empty() {
        let local_firewall = design.firewall.as_ref().is_some_and(|firewall| firewall.local);
        let routes: Vec<(String, Value)> = design
            .routes
            .iter()
            .map(|route| {
                let mut entry = vec![
                    ("name".to_string(), Value::str(route.id.replace('_', "-"))),
                    ("address_prefix".to_string(), Value::str(&route.address_prefix)),
                ];
                match route.next_hop {
                    NextHop::Firewall => {
                        entry.push(("next_hop_type".to_string(), Value::str("VirtualAppliance")));
                        entry.push((
                            "next_hop_in_ip_address".to_string(),
                            if local_firewall {
                                Value::expr("azurerm_firewall.this.ip_configuration[0].private_ip_address")
                            } else {
                                Value::expr("var.firewall_private_ip")
                            },
                        ));
                    }
                    NextHop::Internet => entry.push(("next_hop_type".to_string(), Value::str("Internet"))),
                }
                (route.id.clone(), Value::Object(entry))
            })
            .collect();
        blocks.push(
            module_block("route_table", "route_table", "Route table of the training subnet: the route rows of the network-rules table.")
                .attr("name", Value::str(format!("rt-{ws}")))
                .attr("location", Value::expr("var.location"))
                .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
                .attr("routes", Value::Object(routes)),
        );
    }
    if design.nat_gateway {
        blocks.push(
            module_block("nat_gateway", "nat_gateway", "NAT gateway: the outbound path of the training subnet.")
                .attr("name", Value::str(format!("nat-{ws}")))
                .attr("location", Value::expr("var.location"))
                .attr("parent_id", refs.resource_group_id())
                .attr("public_ips", Value::object([("nat", Value::object([("name", Value::str(format!("pip-nat-{ws}")))]))])),
        );
    }
    if let Some(vnet) = &design.vnet {
        let subnets: Vec<(String, Value)> = vnet
            .subnets
            .iter()
            .map(|subnet| {
                let (name, prefix) = match subnet.as_str() {
                    "pe" => ("snet-pe".to_string(), "var.private_endpoint_subnet_prefix".to_string()),
                    "firewall" => ("AzureFirewallSubnet".to_string(), "var.firewall_subnet_prefix".to_string()),
                    other => (format!("snet-{other}"), format!("var.{other}_subnet_prefix")),
                };
                let mut entry = vec![
                    ("name".to_string(), Value::str(name)),
                    ("address_prefixes".to_string(), Value::List(vec![Value::expr(prefix)])),
                ];
                if design.nsgs.iter().any(|nsg| &nsg.subnet == subnet) {
                    entry.push((
                        "network_security_group".to_string(),
                        Value::object([("id", Value::expr(format!("module.nsg_{subnet}.resource_id")))]),
                    ));
                }
                if subnet == "training" && !design.routes.is_empty() {
                    entry.push((
                        "route_table".to_string(),
                        Value::object([("id", Value::expr("module.route_table.resource_id"))]),
                    ));
                }
                if subnet == "training" && design.nat_gateway {
                    entry.push((
                        "nat_gateway".to_string(),
                        Value::object([("id", Value::expr("module.nat_gateway.resource_id"))]),
                    ));
                }
                (subnet.clone(), Value::Object(entry))
            })
            .collect();
        let mut block = module_block(
            "virtual_network",
            "virtual_network",
            "The workload virtual network and its subnets (no default outbound access: egress is explicit).",
        )
        .attr("name", Value::str(format!("vnet-{ws}")))
        .attr("location", Value::expr("var.location"))
        .attr("parent_id", refs.resource_group_id())
        .attr("address_space", Value::List(vec![Value::expr("var.vnet_address_space")]))
        .attr("subnets", Value::Object(subnets));
        if design.hub_peering {
            block.push_attr(
                "peerings",
                Value::object([(
                    "hub",
                    Value::object([
                        ("name", Value::str(format!("peer-{ws}-to-hub"))),
                        ("remote_virtual_network_resource_id", Value::expr("var.hub_vnet_id")),
                        ("allow_forwarded_traffic", Value::Bool(true)),
                    ]),
                )]),
            );
        }
        if let Some(roles) = module_roles(refs, "vnet") {
            block.push_attr("role_assignments", roles);
        }
        blocks.push(block);
    }
    if let Some(firewall) = &design.firewall {
        if firewall.local {
            blocks.extend(local_firewall_blocks(ws));
        }
        blocks.push(firewall_rules_block(refs, firewall, ws));
    }
    Ok(blocks)
}

/// No AVM module in the pinned set deploys Azure Firewall, so the plan's own firewall is
/// written as plain resources.
fn local_firewall_blocks(ws: &str) -> Vec<Block> {
    vec![
        Block::new("resource", &["azurerm_public_ip", "firewall"])
            .comment("Azure Firewall of the workload network (plain resources: no module in the pinned set covers it).")
            .attr("name", Value::str(format!("pip-afw-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("allocation_method", Value::str("Static"))
            .attr("sku", Value::str("Standard")),
        Block::new("resource", &["azurerm_firewall_policy", "this"])
            .attr("name", Value::str(format!("afwp-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("sku", Value::str("Standard")),
        Block::new("resource", &["azurerm_firewall", "this"])
            .attr("name", Value::str(format!("afw-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("sku_name", Value::str("AZFW_VNet"))
            .attr("sku_tier", Value::str("Standard"))
            .attr("firewall_policy_id", Value::expr("azurerm_firewall_policy.this.id"))
            .block(
                Block::new("ip_configuration", &[])
                    .attr("name", Value::str("afw-ipconfig"))
                    .attr("subnet_id", Value::expr("module.virtual_network.subnets[\"firewall\"].resource_id"))
                    .attr("public_ip_address_id", Value::expr("azurerm_public_ip.firewall.id")),
            ),
    ]
}

fn firewall_rules_block(refs: &Refs, firewall: &super::design::Firewall, ws: &str) -> Block {
    let policy = if firewall.local {
        Value::expr("azurerm_firewall_policy.this.id")
    } else {
        Value::expr("var.firewall_policy_id")
    };
    let source = |subnet: &str| Value::List(vec![Value::expr(format!("var.{subnet}_subnet_prefix"))]);
    let mut block = Block::new("resource", &["azurerm_firewall_policy_rule_collection_group", "aml"])
        .comment("The firewall rows of the network-rules table, as one rule collection group.")
        .attr("name", Value::str(format!("rcg-aml-{ws}")))
        .attr("firewall_policy_id", policy)
        .attr("priority", Value::Int(500));
    if !firewall.network_rules.is_empty() {
        let mut collection = Block::new("network_rule_collection", &[])
            .attr("name", Value::str("aml-network"))
            .attr("priority", Value::Int(500))
            .attr("action", Value::str("Allow"));
        for rule in &firewall.network_rules {
            let (single, many) = refs.destinations(&rule.destinations);
            let destinations = many.unwrap_or_else(|| Value::List(single.into_iter().collect()));
            collection = collection.block(
                Block::new("rule", &[])
                    .attr("name", Value::str(&rule.id))
                    .attr("protocols", Value::strs(rule.protocols.clone()))
                    .attr("source_addresses", source(&rule.source_subnet))
                    .attr("destination_addresses", destinations)
                    .attr("destination_ports", Value::strs(rule.ports.clone())),
            );
        }
        block = block.block(collection);
    }
    if !firewall.application_rules.is_empty() {
        let mut collection = Block::new("application_rule_collection", &[])
            .attr("name", Value::str("aml-application"))
            .attr("priority", Value::Int(600))
            .attr("action", Value::str("Allow"));
        for rule in &firewall.application_rules {
            collection = collection.block(
                Block::new("rule", &[])
                    .attr("name", Value::str(&rule.id))
                    .attr("source_addresses", source(&rule.source_subnet))
                    .attr("destination_fqdns", Value::strs(rule.fqdns.clone()))
                    .block(
                        Block::new("protocols", &[])
                            .attr("type", Value::str("Https"))
                            .attr("port", Value::Int(443)),
                    ),
            );
        }
        block = block.block(collection);
    }
    block
}

fn dns_blocks(refs: &Refs) -> Vec<Block> {
    let design = refs.design;
    let corporate = design.corporate_zones.iter().map(|zone| {
        module_block(
            &format!("{CORPORATE_PREFIX}{}", zone.id),
            "private_dns_zone",
            &format!("Corporate copy of {} (split DNS): holds the client endpoints, linked only to the client network.", zone.name),
        )
        .attr("domain_name", Value::str(&zone.name))
        .attr("parent_id", Value::expr("var.corporate_dns_resource_group_id"))
        .attr(
            "virtual_network_links",
            Value::object([(
                "client",
                Value::object([
                    ("name", Value::str("link-client")),
                    ("virtual_network_id", Value::expr("var.client_vnet_id")),
                ]),
            )]),
        )
    });
    let own = design
        .dns_zones
        .iter()
        .map(|zone| {
            let mut block = module_block(&zone.id, "private_dns_zone", &format!("Private DNS zone {}.", zone.name))
                .attr("domain_name", Value::str(&zone.name))
                .attr("parent_id", refs.resource_group_id());
            let spoke = design.link_zones_to_vnet.then(|| {
                Value::object([(
                    "spoke",
                    Value::object([
                        ("name", Value::str("link-spoke")),
                        ("virtual_network_id", Value::expr("module.virtual_network.resource_id")),
                    ]),
                )])
            });
            let others = design.link_zones_to_other_networks.then(|| {
                Value::expr(
                    "{ for key, id in var.dns_zone_link_vnet_ids : key => {\n    name               = \"link-${key}\"\n    virtual_network_id = id\n  } }",
                )
            });
            let links = match (spoke, others) {
                (Some(Value::Object(spoke)), Some(Value::Expr(others))) => {
                    let spoke = super::value::Syntax::Hcl.print(&Value::Object(spoke), 1);
                    Some(Value::expr(format!("merge({spoke}, {others})")))
                }
                (Some(spoke), None) => Some(spoke),
                (None, Some(others)) => Some(others),
                _ => None,
            };
            block = block.attr_opt("virtual_network_links", links);
            block
        });
    own.chain(corporate).collect()
}

fn dependency_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let design = refs.design;
    let ws = &design.workspace_name;
    let public = design.setting("public_network_access") != "disabled";
    let default_action = if public { "Allow" } else { "Deny" };
    let mut blocks = Vec::new();
    let mut storage = module_block("storage_account", "storage_account", "Default storage of the workspace.")
        .attr("name", Value::expr("var.storage_account_name"))
        .attr("location", Value::expr("var.location"))
        .attr("parent_id", refs.resource_group_id())
        .attr("public_network_access_enabled", Value::Bool(public))
        .attr(
            "shared_access_key_enabled",
            Value::Bool(design.setting("system_datastores_auth_mode") != "identity"),
        )
        .attr(
            "network_rules",
            Value::object([
                ("bypass", Value::strs(["AzureServices"])),
                ("default_action", Value::str(default_action)),
            ]),
        )
        .attr_opt("private_endpoints", module_endpoints(refs, "storage_account", true))
        .attr_opt("role_assignments", module_roles(refs, "storage_account"));
    storage.comment = Some("Default storage of the workspace (keys off when system datastores use identities).".to_string());
    blocks.push(storage);
    blocks.push(
        module_block("key_vault", "key_vault", "The workspace's Key Vault (RBAC, purge protection on).")
            .attr("name", Value::expr("var.key_vault_name"))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("tenant_id", Value::expr("data.azurerm_client_config.current.tenant_id"))
            .attr("public_network_access_enabled", Value::Bool(public))
            .attr(
                "network_acls",
                Value::object([
                    ("bypass", Value::str("AzureServices")),
                    ("default_action", Value::str(default_action)),
                ]),
            )
            .attr_opt("private_endpoints", module_endpoints(refs, "key_vault", false))
            .attr_opt("role_assignments", module_roles(refs, "key_vault")),
    );
    if design.registry {
        let sku = capitalise(design.setting("registry_sku"));
        blocks.push(
            module_block("container_registry", "container_registry", "Container registry for the workspace's images (Premium takes private endpoints).")
                .attr("name", Value::expr("var.registry_name"))
                .attr("location", Value::expr("var.location"))
                .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
                .attr("sku", Value::str(&sku))
                .attr("zone_redundancy_enabled", Value::Bool(sku == "Premium"))
                .attr("public_network_access_enabled", Value::Bool(public))
                .attr_opt("private_endpoints", module_endpoints(refs, "registry", false))
                .attr_opt("role_assignments", module_roles(refs, "registry")),
        );
    }
    blocks.push(
        module_block("log_analytics", "log_analytics", "Log Analytics: the workspace's logs and its Application Insights.")
            .attr("name", Value::str(format!("law-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr_opt("role_assignments", module_roles(refs, "log_analytics")),
    );
    blocks.push(
        Block::new("resource", &["azurerm_application_insights", "this"])
            .comment("Application Insights of the workspace (no module in the pinned set covers it).")
            .attr("name", Value::str(format!("appi-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("workspace_id", Value::expr("module.log_analytics.resource_id"))
            .attr("application_type", Value::str("web")),
    );
    if design.customer_managed_key {
        blocks.push(
            Block::new("resource", &["azurerm_user_assigned_identity", "workspace"])
                .comment("The workspace identity that reads the customer-managed key.")
                .attr("name", Value::str(format!("id-{ws}")))
                .attr("location", Value::expr("var.location"))
                .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name")),
        );
        let mut roles = match module_roles(refs, "cmk_key_vault") {
            Some(Value::Object(entries)) => entries,
            _ => Vec::new(),
        };
        roles.push((
            "support_key_officer".to_string(),
            Value::object([
                ("role_definition_id_or_name", Value::str("Key Vault Crypto Officer")),
                ("principal_id", Value::expr("var.cmk_key_officer_principal_id")),
            ]),
        ));
        roles.push((
            "support_deployer_keys".to_string(),
            Value::object([
                ("role_definition_id_or_name", Value::str("Key Vault Crypto Officer")),
                ("principal_id", Value::expr("data.azurerm_client_config.current.object_id")),
            ]),
        ));
        roles.push((
            "support_cosmos_db_key_access".to_string(),
            Value::object([
                ("role_definition_id_or_name", Value::str("Key Vault Crypto Service Encryption User")),
                ("principal_id", Value::expr("var.cosmos_db_principal_id")),
            ]),
        ));
        blocks.push(
            module_block("key_vault_cmk", "key_vault", "Key Vault holding the customer-managed key.")
                .attr("name", Value::expr("substr(\"${var.key_vault_name}-cmk\", 0, 24)"))
                .attr("location", Value::expr("var.location"))
                .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
                .attr("tenant_id", Value::expr("data.azurerm_client_config.current.tenant_id"))
                .attr("public_network_access_enabled", Value::Bool(public))
                .attr(
                    "network_acls",
                    Value::object([
                        ("bypass", Value::str("AzureServices")),
                        ("default_action", Value::str(default_action)),
                    ]),
                )
                .attr(
                    "keys",
                    Value::object([(
                        "cmk",
                        Value::object([
                            ("name", Value::str(format!("cmk-{ws}"))),
                            ("key_type", Value::str("RSA")),
                            ("key_size", Value::Int(3072)),
                            ("key_opts", Value::strs(["wrapKey", "unwrapKey"])),
                        ]),
                    )]),
                )
                .attr("role_assignments", Value::Object(roles)),
        );
    }
    Ok(blocks)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn workspace_block(refs: &Refs) -> Result<Block, String> {
    let design = refs.design;
    let isolation = match design.setting("isolation_mode") {
        "allow_only_approved_outbound" => "AllowOnlyApprovedOutbound",
        "allow_internet_outbound" => "AllowInternetOutbound",
        _ => "Disabled",
    };
    let mut fqdn = Vec::new();
    let mut endpoints = Vec::new();
    for rule in &design.outbound_rules {
        match rule {
            OutboundRule::Fqdn { key, destination } => {
                fqdn.push((key.clone(), Value::object([("destination", Value::str(destination))])));
            }
            OutboundRule::PrivateEndpoint { key, target, subresource } => endpoints.push((
                key.clone(),
                Value::object([
                    ("resource_id", refs.target(target)?),
                    ("sub_resource_target", Value::str(subresource)),
                ]),
            )),
        }
    }
    let mut network = vec![("isolation_mode".to_string(), Value::str(isolation))];
    if isolation != "Disabled" {
        network.push((
            "firewall_sku".to_string(),
            Value::str(capitalise(design.setting("firewall_sku"))),
        ));
    }
    if !fqdn.is_empty() || !endpoints.is_empty() {
        let mut rules = Vec::new();
        if !fqdn.is_empty() {
            rules.push(("fqdn".to_string(), Value::Object(fqdn)));
        }
        if !endpoints.is_empty() {
            rules.push(("private_endpoint".to_string(), Value::Object(endpoints)));
        }
        network.push(("outbound_rules".to_string(), Value::Object(rules)));
    }
    let identities = if design.customer_managed_key {
        Value::object([
            ("system_assigned", Value::Bool(false)),
            (
                "user_assigned_resource_ids",
                Value::List(vec![Value::expr("azurerm_user_assigned_identity.workspace.id")]),
            ),
        ])
    } else {
        Value::object([("system_assigned", Value::Bool(true))])
    };
    let public = design.setting("public_network_access");
    let mut block = module_block("workspace", "workspace", "The Azure Machine Learning workspace.")
        .attr("name", Value::expr("var.workspace_name"))
        .attr("location", Value::expr("var.location"))
        .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
        .attr("kind", Value::str("Default"))
        .attr("workspace_friendly_name", Value::str(&design.workspace_name))
        .attr("public_network_access_enabled", Value::Bool(public != "disabled"))
        .attr_opt(
            "ip_allowlist",
            (public == "selected_ips").then(|| Value::expr("var.allowed_public_ip_ranges")),
        )
        .attr("hbi_workspace", Value::Bool(design.setting("hbi_workspace") == "true"))
        .attr(
            "storage_access_type",
            Value::str(if design.setting("system_datastores_auth_mode") == "identity" {
                "identity"
            } else {
                "accessKey"
            }),
        )
        .attr("storage_account", Value::object([("resource_id", Value::expr("module.storage_account.resource_id"))]))
        .attr("key_vault", Value::object([("resource_id", Value::expr("module.key_vault.resource_id"))]))
        .attr_opt(
            "container_registry",
            design
                .registry
                .then(|| Value::object([("resource_id", Value::expr("module.container_registry.resource_id"))])),
        )
        .attr(
            "application_insights",
            Value::object([("resource_id", Value::expr("azurerm_application_insights.this.id"))]),
        )
        .attr("managed_identities", identities)
        .attr_opt(
            "primary_user_assigned_identity",
            design
                .customer_managed_key
                .then(|| Value::object([("resource_id", Value::expr("azurerm_user_assigned_identity.workspace.id"))])),
        )
        .attr_opt(
            "customer_managed_key",
            design.customer_managed_key.then(|| {
                Value::object([
                    ("key_vault_resource_id", Value::expr("module.key_vault_cmk.resource_id")),
                    ("key_name", Value::expr("module.key_vault_cmk.keys_resource_ids[\"cmk\"].name")),
                    (
                        "user_assigned_identity",
                        Value::object([("resource_id", Value::expr("azurerm_user_assigned_identity.workspace.id"))]),
                    ),
                ])
            }),
        )
        .attr("workspace_managed_network", Value::Object(network))
        .attr("provision_network_now_enabled", Value::Bool(design.provision_network_now))
        .attr_opt("image_build_compute", design.image_build_compute.as_ref().map(Value::str))
        .attr_opt("private_endpoints", module_endpoints(refs, "workspace", false))
        .attr_opt(
            "diagnostic_settings",
            design.diagnostics.then(|| {
                Value::object([(
                    "to_log_analytics",
                    Value::object([
                        ("name", Value::str("aml-to-law")),
                        ("workspace_resource_id", Value::expr("module.log_analytics.resource_id")),
                    ]),
                )])
            }),
        )
        .attr_opt("role_assignments", module_roles(refs, "workspace"));
    if design.customer_managed_key {
        block.push_attr(
            "depends_on",
            Value::List(vec![Value::expr("module.key_vault_cmk")]),
        );
    }
    Ok(block)
}

/// Roles no module input carries: on the resource group, on resources outside the deployment,
/// and the workspace identity's roles on the workspace.
fn plain_role_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    for role in refs.design.roles.iter().filter(|role| hosted_by_module(role).is_none()) {
        blocks.push(
            Block::new("resource", &["azurerm_role_assignment", &role.id])
                .attr("scope", refs.target(&role.scope)?)
                .attr("role_definition_name", Value::str(&role.role))
                .attr("principal_id", refs.principal(&role.persona)),
        );
    }
    Ok(blocks)
}

/// Whether a resource module of the deployment carries an endpoint in its `private_endpoints`.
pub(super) fn endpoint_in_module(endpoint: &Endpoint) -> bool {
    matches!(&endpoint.target, Target::Resource(t) if t != "private_link_scope")
}

/// The Azure Monitor private link scope, and the private endpoints no resource module carries
/// (its own, and those to existing resources the plan does not create).
fn monitor_link_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let design = refs.design;
    let ws = &design.workspace_name;
    let mut blocks = Vec::new();
    if design.private_link_scope {
        blocks.extend([
        Block::new("resource", &["azurerm_monitor_private_link_scope", "this"])
            .comment("Azure Monitor private link scope in Open access mode, which Azure Machine Learning requires.")
            .attr("name", Value::str(format!("ampls-{ws}")))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("ingestion_access_mode", Value::str("Open"))
            .attr("query_access_mode", Value::str("Open")),
        Block::new("resource", &["azurerm_monitor_private_link_scoped_service", "log_analytics"])
            .attr("name", Value::str("law"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("scope_name", Value::expr("azurerm_monitor_private_link_scope.this.name"))
            .attr("linked_resource_id", Value::expr("module.log_analytics.resource_id")),
        Block::new("resource", &["azurerm_monitor_private_link_scoped_service", "application_insights"])
            .attr("name", Value::str("appi"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("scope_name", Value::expr("azurerm_monitor_private_link_scope.this.name"))
            .attr("linked_resource_id", Value::expr("azurerm_application_insights.this.id")),
        ]);
    }
    for endpoint in design.private_endpoints.iter().filter(|e| !endpoint_in_module(e)) {
        let name = format!("pe-{ws}-{}", endpoint.name);
        blocks.push(
            Block::new("resource", &["azurerm_private_endpoint", &endpoint.name])
                .attr("name", Value::str(&name))
                .attr("location", Value::expr("var.location"))
                .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
                .attr("subnet_id", refs.endpoint_subnet(endpoint.network))
                .block(
                    Block::new("private_service_connection", &[])
                        .attr("name", Value::str(&name))
                        .attr("private_connection_resource_id", refs.target(&endpoint.target)?)
                        .attr("subresource_names", Value::strs([endpoint.subresource.clone()]))
                        .attr("is_manual_connection", Value::Bool(false)),
                )
                .block(
                    Block::new("private_dns_zone_group", &[])
                        .attr("name", Value::str("default"))
                        .attr(
                            "private_dns_zone_ids",
                            Value::List(endpoint.zones.iter().map(|zone| refs.zone(zone)).collect()),
                        ),
                ),
        );
    }
    Ok(blocks)
}

fn policy_parameter(refs: &Refs, source: &str) -> Result<String, String> {
    Ok(match source.split_once(':') {
        Some(("text", value)) => super::value::Syntax::Hcl.string(value),
        Some(("zone", zone)) => {
            if !refs.design.dns_zones.iter().any(|z| z.id == zone) {
                return Err(format!("a policy parameter names DNS zone `{zone}`, which the design does not create"));
            }
            format!("module.{zone}.resource_id")
        }
        _ if source == "log_analytics" => "module.log_analytics.resource_id".to_string(),
        _ => match refs.endpoint_subnet(EndpointNetwork::Workload) {
            Value::Expr(expression) => expression,
            other => super::value::Syntax::Hcl.print(&other, 0),
        },
    })
}

fn policy_blocks(refs: &Refs, policy: &Policy) -> Result<Vec<Block>, String> {
    let name = &policy.id;
    let mut parameters = vec![format!("effect = {{ value = {} }}", super::value::Syntax::Hcl.string(&policy.effect))];
    for (parameter, source) in &policy.parameters {
        parameters.push(format!("{parameter} = {{ value = {} }}", policy_parameter(refs, source)?));
    }
    let mut assignment = Block::new("resource", &["azurerm_subscription_policy_assignment", name])
        .comment(format!("Policy: {}", policy.display_name))
        .attr("name", Value::str(&policy.assignment))
        .attr("display_name", Value::str(&policy.display_name))
        .attr("subscription_id", Value::expr("\"/subscriptions/${var.subscription_id}\""))
        .attr(
            "policy_definition_id",
            Value::str(format!("/providers/Microsoft.Authorization/policyDefinitions/{}", policy.definition_id)),
        )
        .attr(
            "parameters",
            Value::expr(format!("jsonencode({{\n    {}\n  }})", parameters.join("\n    "))),
        );
    let Some(role) = &policy.identity_role else {
        return Ok(vec![assignment]);
    };
    assignment = assignment
        .attr("location", Value::expr("var.location"))
        .block(Block::new("identity", &[]).attr("type", Value::str("SystemAssigned")));
    Ok(vec![
        assignment,
        Block::new("resource", &["azurerm_role_assignment", &format!("{name}_identity")])
            .attr("scope", Value::expr("\"/subscriptions/${var.subscription_id}\""))
            .attr("role_definition_name", Value::str(role))
            .attr(
                "principal_id",
                Value::expr(format!("azurerm_subscription_policy_assignment.{name}.identity[0].principal_id")),
            ),
        Block::new("resource", &["azurerm_subscription_policy_remediation", name])
            .attr("name", Value::str(format!("{}-remediation", policy.assignment)))
            .attr("subscription_id", Value::expr("\"/subscriptions/${var.subscription_id}\""))
            .attr("policy_assignment_id", Value::expr(format!("azurerm_subscription_policy_assignment.{name}.id")))
            .attr(
                "depends_on",
                Value::List(vec![Value::expr(format!("azurerm_role_assignment.{name}_identity"))]),
            ),
    ])
}
