//! The workload part of main.tf: storage, Key Vault, registry, Log Analytics and Application
//! Insights, the customer-managed key, the workspace, and the roles and private endpoints no
//! resource module carries.

use super::*;

pub(super) fn dependency_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let design = refs.design;
    let ws = &design.workspace_name;
    let public = design.setting("public_network_access") != "disabled";
    let default_action = if public { "Allow" } else { "Deny" };
    let mut blocks = Vec::new();
    let mut storage = module_block(
        "storage_account",
        "storage_account",
        "Default storage of the workspace.",
    )
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
    storage.comment =
        Some("Default storage of the workspace (keys off when system datastores use identities).".to_string());
    blocks.push(storage);
    blocks.push(
        key_vault_module(
            "key_vault",
            "The workspace's Key Vault (RBAC, purge protection on).",
            "var.key_vault_name",
            public,
            default_action,
        )
        .attr_opt("private_endpoints", module_endpoints(refs, "key_vault", false))
        .attr_opt("role_assignments", module_roles(refs, "key_vault")),
    );
    if design.registry {
        let sku = capitalise(design.setting("registry_sku"));
        blocks.push(
            module_block(
                "container_registry",
                "container_registry",
                "Container registry for the workspace's images (Premium takes private endpoints).",
            )
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
        module_block(
            "log_analytics",
            "log_analytics",
            "Log Analytics: the workspace's logs and its Application Insights.",
        )
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
                (
                    "principal_id",
                    Value::expr("data.azurerm_client_config.current.object_id"),
                ),
            ]),
        ));
        roles.push((
            "support_cosmos_db_key_access".to_string(),
            Value::object([
                (
                    "role_definition_id_or_name",
                    Value::str("Key Vault Crypto Service Encryption User"),
                ),
                ("principal_id", Value::expr("var.cosmos_db_principal_id")),
            ]),
        ));
        blocks.push(
            key_vault_module(
                "key_vault_cmk",
                "Key Vault holding the customer-managed key.",
                "substr(\"${var.key_vault_name}-cmk\", 0, 24)",
                public,
                default_action,
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

/// A Key Vault module with the settings both vaults share: the workspace's and the CMK's.
fn key_vault_module(name: &str, comment: &str, vault_name: &str, public: bool, default_action: &str) -> Block {
    module_block(name, "key_vault", comment)
        .attr("name", Value::expr(vault_name))
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
}

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

pub(super) fn workspace_block(refs: &Refs) -> Result<Block, String> {
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
            OutboundRule::PrivateEndpoint {
                key,
                target,
                subresource,
            } => endpoints.push((
                key.clone(),
                Value::object([
                    (
                        "resource_id",
                        if matches!(target, Target::Resource(r) if r == "workspace") {
                            refs.workspace_own_id()
                        } else {
                            refs.target(target)?
                        },
                    ),
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
        .attr(
            "storage_account",
            Value::object([("resource_id", Value::expr("module.storage_account.resource_id"))]),
        )
        .attr(
            "key_vault",
            Value::object([("resource_id", Value::expr("module.key_vault.resource_id"))]),
        )
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
            design.customer_managed_key.then(|| {
                Value::object([(
                    "resource_id",
                    Value::expr("azurerm_user_assigned_identity.workspace.id"),
                )])
            }),
        )
        .attr_opt(
            "customer_managed_key",
            design.customer_managed_key.then(|| {
                Value::object([
                    ("key_vault_resource_id", Value::expr("module.key_vault_cmk.resource_id")),
                    (
                        "key_name",
                        Value::expr("module.key_vault_cmk.keys_resource_ids[\"cmk\"].name"),
                    ),
                    (
                        "user_assigned_identity",
                        Value::object([(
                            "resource_id",
                            Value::expr("azurerm_user_assigned_identity.workspace.id"),
                        )]),
                    ),
                ])
            }),
        )
        .attr("workspace_managed_network", Value::Object(network))
        .attr(
            "provision_network_now_enabled",
            Value::Bool(design.provision_network_now),
        )
        .attr_opt(
            "image_build_compute",
            design.image_build_compute.as_ref().map(Value::str),
        )
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
        block.push_attr("depends_on", Value::List(vec![Value::expr("module.key_vault_cmk")]));
    }
    Ok(block)
}

/// Roles no module input carries: on the resource group, on resources outside the deployment,
/// and the workspace identity's roles on the workspace.
pub(super) fn plain_role_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    for role in refs
        .design
        .roles
        .iter()
        .filter(|role| hosted_by_module(refs.design, role).is_none())
    {
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
pub(crate) fn endpoint_in_module(endpoint: &Endpoint) -> bool {
    matches!(&endpoint.target, Target::Resource(t) if t != "private_link_scope")
}

/// The Azure Monitor private link scope, and the private endpoints no resource module carries
/// (its own, and those to existing resources the plan does not create).
pub(super) fn monitor_link_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
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
            Block::new(
                "resource",
                &["azurerm_monitor_private_link_scoped_service", "log_analytics"],
            )
            .attr("name", Value::str("law"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr(
                "scope_name",
                Value::expr("azurerm_monitor_private_link_scope.this.name"),
            )
            .attr("linked_resource_id", Value::expr("module.log_analytics.resource_id")),
            Block::new(
                "resource",
                &["azurerm_monitor_private_link_scoped_service", "application_insights"],
            )
            .attr("name", Value::str("appi"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr(
                "scope_name",
                Value::expr("azurerm_monitor_private_link_scope.this.name"),
            )
            .attr(
                "linked_resource_id",
                Value::expr("azurerm_application_insights.this.id"),
            ),
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
