//! The workload part of main.bicep: storage, Key Vault, registry, Log Analytics and
//! Application Insights, the customer-managed key, the workspace, and the roles and private
//! endpoints no resource module carries.

use super::*;

pub(super) fn dependencies(refs: &Refs) -> String {
    let design = refs.design;
    let ws = &design.workspace_name;
    let public = design.setting("public_network_access") != "disabled";
    let access = if public { "Enabled" } else { "Disabled" };
    let default_action = if public { "Allow" } else { "Deny" };
    let mut out = String::new();
    let mut storage = vec![
        ("name".to_string(), Value::expr("storageAccountName")),
        ("location".to_string(), Value::expr("location")),
        ("publicNetworkAccess".to_string(), Value::str(access)),
        (
            "allowSharedKeyAccess".to_string(),
            Value::Bool(design.setting("system_datastores_auth_mode") != "identity"),
        ),
        (
            "networkAcls".to_string(),
            Value::object([
                ("bypass", Value::str("AzureServices")),
                ("defaultAction", Value::str(default_action)),
            ]),
        ),
    ];
    push_opt(
        &mut storage,
        "privateEndpoints",
        endpoint_entries(refs, "storage_account", true),
    );
    push_opt(&mut storage, "roleAssignments", role_entries(refs, "storage_account"));
    out.push_str(&module_decl(
        "storageAccount",
        "storage_account",
        "storage-account",
        storage,
        "Default storage of the workspace (keys off when system datastores use identities).",
    ));
    out.push('\n');
    let vault = |name: Value, endpoints: Option<Value>, roles: Option<Value>, keys: Option<Value>| {
        let mut params = vec![
            ("name".to_string(), name),
            ("location".to_string(), Value::expr("location")),
            ("enableRbacAuthorization".to_string(), Value::Bool(true)),
            ("enablePurgeProtection".to_string(), Value::Bool(true)),
            ("publicNetworkAccess".to_string(), Value::str(access)),
            (
                "networkAcls".to_string(),
                Value::object([
                    ("bypass", Value::str("AzureServices")),
                    ("defaultAction", Value::str(default_action)),
                ]),
            ),
        ];
        push_opt(&mut params, "keys", keys);
        push_opt(&mut params, "privateEndpoints", endpoints);
        push_opt(&mut params, "roleAssignments", roles);
        params
    };
    out.push_str(&module_decl(
        "keyVault",
        "key_vault",
        "key-vault",
        vault(
            Value::expr("keyVaultName"),
            endpoint_entries(refs, "key_vault", false),
            role_entries(refs, "key_vault"),
            None,
        ),
        "The workspace's Key Vault (RBAC, purge protection on).",
    ));
    out.push('\n');
    if design.registry {
        let sku = match design.setting("registry_sku") {
            "basic" => "Basic",
            "standard" => "Standard",
            _ => "Premium",
        };
        let mut params = vec![
            ("name".to_string(), Value::expr("registryName")),
            ("location".to_string(), Value::expr("location")),
            ("acrSku".to_string(), Value::str(sku)),
            (
                "zoneRedundancy".to_string(),
                Value::str(if sku == "Premium" { "Enabled" } else { "Disabled" }),
            ),
            ("publicNetworkAccess".to_string(), Value::str(access)),
        ];
        push_opt(
            &mut params,
            "privateEndpoints",
            endpoint_entries(refs, "registry", false),
        );
        push_opt(&mut params, "roleAssignments", role_entries(refs, "registry"));
        out.push_str(&module_decl(
            "containerRegistry",
            "container_registry",
            "container-registry",
            params,
            "Container registry for the workspace's images (Premium takes private endpoints).",
        ));
        out.push('\n');
    }
    let mut law = vec![
        ("name".to_string(), Value::str(format!("law-{ws}"))),
        ("location".to_string(), Value::expr("location")),
    ];
    push_opt(&mut law, "roleAssignments", role_entries(refs, "log_analytics"));
    out.push_str(&module_decl(
        "logAnalytics",
        "log_analytics",
        "log-analytics",
        law,
        "Log Analytics: the workspace's logs and its Application Insights.",
    ));
    out.push('\n');
    out.push_str(&resource_decl(
        "applicationInsights",
        "Microsoft.Insights/components@2020-02-02",
        Value::object([
            ("name", Value::str(format!("appi-{ws}"))),
            ("location", Value::expr("location")),
            ("kind", Value::str("web")),
            (
                "properties",
                Value::object([
                    ("Application_Type", Value::str("web")),
                    ("WorkspaceResourceId", Value::expr("logAnalytics.outputs.resourceId")),
                ]),
            ),
        ]),
        Some("Application Insights of the workspace (no module in the pinned set covers it)."),
    ));
    out.push('\n');
    if design.customer_managed_key {
        out.push_str(&resource_decl(
            "workspaceIdentity",
            "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31",
            Value::object([
                ("name", Value::str(format!("id-{ws}"))),
                ("location", Value::expr("location")),
            ]),
            Some("The workspace identity that reads the customer-managed key."),
        ));
        out.push('\n');
        let mut roles = match role_entries(refs, "cmk_key_vault") {
            Some(Value::List(entries)) => entries,
            _ => Vec::new(),
        };
        let officer = builtin_roles().role_id("Key Vault Crypto Officer").unwrap_or_default();
        let encryption_user = builtin_roles()
            .role_id("Key Vault Crypto Service Encryption User")
            .unwrap_or_default();
        for (id, role, principal) in [
            ("support_key_officer", officer, "cmkKeyOfficerPrincipalId"),
            ("support_cosmos_db_key_access", encryption_user, "cosmosDbPrincipalId"),
        ] {
            roles.push(Value::object([
                ("name", Value::expr(format!("guid({}, {})", string(id), string(ws)))),
                ("description", Value::str(id)),
                (
                    "roleDefinitionIdOrName",
                    Value::expr(format!(
                        "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})",
                        string(role)
                    )),
                ),
                ("principalId", Value::expr(principal)),
            ]));
        }
        let key = Value::List(vec![Value::object([
            ("name", Value::str(format!("cmk-{ws}"))),
            ("kty", Value::str("RSA")),
            ("keySize", Value::Int(3072)),
            ("keyOps", Value::strs(["wrapKey", "unwrapKey"])),
        ])]);
        out.push_str(&module_decl(
            "keyVaultCmk",
            "key_vault",
            "key-vault-cmk",
            vault(
                Value::expr("take('${keyVaultName}-cmk', 24)"),
                None,
                Some(Value::List(roles)),
                Some(key),
            ),
            "Key Vault holding the customer-managed key.",
        ));
        out.push('\n');
    }
    out
}

pub(super) fn workspace(refs: &Refs) -> Result<String, String> {
    let design = refs.design;
    let isolation = match design.setting("isolation_mode") {
        "allow_only_approved_outbound" => "AllowOnlyApprovedOutbound",
        "allow_internet_outbound" => "AllowInternetOutbound",
        _ => "Disabled",
    };
    let mut rules = Vec::new();
    for rule in &design.outbound_rules {
        let value = match rule {
            OutboundRule::Fqdn { destination, .. } => {
                Value::object([("type", Value::str("FQDN")), ("destination", Value::str(destination))])
            }
            OutboundRule::PrivateEndpoint {
                target, subresource, ..
            } => Value::object([
                ("type", Value::str("PrivateEndpoint")),
                (
                    "destination",
                    Value::object([
                        (
                            "serviceResourceId",
                            if matches!(target, Target::Resource(r) if r == "workspace") {
                                refs.workspace_own_id()
                            } else {
                                refs.target(target)?
                            },
                        ),
                        ("subresourceTarget", Value::str(subresource)),
                    ]),
                ),
            ]),
        };
        rules.push((rule.key().to_string(), value));
    }
    let mut network = vec![("isolationMode".to_string(), Value::str(isolation))];
    if isolation != "Disabled" {
        network.push((
            "firewallSku".to_string(),
            Value::str(if design.setting("firewall_sku") == "standard" {
                "Standard"
            } else {
                "Basic"
            }),
        ));
    }
    if !rules.is_empty() {
        network.push(("outboundRules".to_string(), Value::Object(rules)));
    }
    let public = design.setting("public_network_access");
    let mut params = vec![
        ("name".to_string(), Value::expr("workspaceName")),
        ("location".to_string(), Value::expr("location")),
        ("sku".to_string(), Value::str("Basic")),
        ("kind".to_string(), Value::str("Default")),
        ("friendlyName".to_string(), Value::str(&design.workspace_name)),
        (
            "publicNetworkAccess".to_string(),
            Value::str(if public == "disabled" { "Disabled" } else { "Enabled" }),
        ),
    ];
    if public == "selected_ips" {
        params.push(("ipAllowlist".to_string(), Value::expr("allowedPublicIpRanges")));
    }
    params.extend([
        (
            "hbiWorkspace".to_string(),
            Value::Bool(design.setting("hbi_workspace") == "true"),
        ),
        (
            "systemDatastoresAuthMode".to_string(),
            Value::str(if design.setting("system_datastores_auth_mode") == "identity" {
                "Identity"
            } else {
                "AccessKey"
            }),
        ),
        (
            "associatedStorageAccountResourceId".to_string(),
            Value::expr("storageAccount.outputs.resourceId"),
        ),
        (
            "associatedKeyVaultResourceId".to_string(),
            Value::expr("keyVault.outputs.resourceId"),
        ),
        (
            "associatedApplicationInsightsResourceId".to_string(),
            Value::expr("applicationInsights.id"),
        ),
    ]);
    if design.registry {
        params.push((
            "associatedContainerRegistryResourceId".to_string(),
            Value::expr("containerRegistry.outputs.resourceId"),
        ));
    }
    if design.customer_managed_key {
        params.push((
            "managedIdentities".to_string(),
            Value::object([
                ("systemAssigned", Value::Bool(false)),
                (
                    "userAssignedResourceIds",
                    Value::List(vec![Value::expr("workspaceIdentity.id")]),
                ),
            ]),
        ));
        params.push((
            "primaryUserAssignedIdentity".to_string(),
            Value::expr("workspaceIdentity.id"),
        ));
        params.push((
            "customerManagedKey".to_string(),
            Value::object([
                ("keyVaultResourceId", Value::expr("keyVaultCmk.outputs.resourceId")),
                ("keyName", Value::str(format!("cmk-{}", design.workspace_name))),
                ("userAssignedIdentityResourceId", Value::expr("workspaceIdentity.id")),
            ]),
        ));
    } else {
        params.push((
            "managedIdentities".to_string(),
            Value::object([("systemAssigned", Value::Bool(true))]),
        ));
    }
    params.push(("managedNetworkSettings".to_string(), Value::Object(network)));
    params.push((
        "provisionNetworkNow".to_string(),
        Value::Bool(design.provision_network_now),
    ));
    push_opt(
        &mut params,
        "imageBuildCompute",
        design.image_build_compute.as_ref().map(Value::str),
    );
    push_opt(
        &mut params,
        "privateEndpoints",
        endpoint_entries(refs, "workspace", false),
    );
    if design.diagnostics {
        params.push((
            "diagnosticSettings".to_string(),
            Value::List(vec![Value::object([
                ("name", Value::str("aml-to-law")),
                ("workspaceResourceId", Value::expr("logAnalytics.outputs.resourceId")),
            ])]),
        ));
    }
    push_opt(&mut params, "roleAssignments", role_entries(refs, "workspace"));
    Ok(module_decl(
        "workspace",
        "workspace",
        "workspace",
        params,
        "The Azure Machine Learning workspace.",
    ) + "\n")
}

/// Roles no module input carries: on the resource group (a plain resource here) and on
/// resources elsewhere (the resource-role-assignment module, which takes any resource id).
pub(super) fn plain_roles(refs: &Refs) -> Result<String, String> {
    let design = refs.design;
    let mut out = String::new();
    for role in design
        .roles
        .iter()
        .filter(|role| hosted_by_module(design, role).is_none())
    {
        let symbol = param_name(&role.id);
        if role.scope == Target::Resource("resource_group".to_string()) {
            out.push_str(&resource_decl(
                &symbol,
                "Microsoft.Authorization/roleAssignments@2022-04-01",
                Value::object([
                    (
                        "name",
                        Value::expr(format!("guid(resourceGroup().id, {})", string(&role.id))),
                    ),
                    (
                        "properties",
                        Value::object([
                            ("roleDefinitionId", refs.role_definition(role)),
                            ("principalId", refs.principal(&role.persona)),
                            ("description", Value::str(&role.id)),
                        ]),
                    ),
                ]),
                Some(&format!("Role `{}` of the role table.", role.id)),
            ));
        } else {
            out.push_str(&module_decl(
                &symbol,
                "resource_role_assignment",
                &role.id.replace('_', "-"),
                vec![
                    ("resourceId".to_string(), refs.target(&role.scope)?),
                    ("roleDefinitionId".to_string(), refs.role_definition(role)),
                    ("roleName".to_string(), Value::str(&role.role)),
                    ("principalId".to_string(), refs.principal(&role.persona)),
                    ("description".to_string(), Value::str(&role.id)),
                ],
                &format!(
                    "Role `{}` of the role table, on a resource outside this deployment.",
                    role.id
                ),
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

pub(super) fn monitor_link(refs: &Refs) -> Result<String, String> {
    let design = refs.design;
    let ws = &design.workspace_name;
    let mut out = String::new();
    if design.private_link_scope {
        out.push_str(&resource_decl(
            "privateLinkScope",
            "Microsoft.Insights/privateLinkScopes@2021-07-01-preview",
            Value::object([
                ("name", Value::str(format!("ampls-{ws}"))),
                ("location", Value::str("global")),
                (
                    "properties",
                    Value::object([(
                        "accessModeSettings",
                        Value::object([
                            ("ingestionAccessMode", Value::str("Open")),
                            ("queryAccessMode", Value::str("Open")),
                        ]),
                    )]),
                ),
            ]),
            Some("Azure Monitor private link scope in Open access mode, which Azure Machine Learning requires."),
        ));
        for (symbol, name, id) in [
            ("scopedLogAnalytics", "law", "logAnalytics.outputs.resourceId"),
            ("scopedApplicationInsights", "appi", "applicationInsights.id"),
        ] {
            out.push('\n');
            out.push_str(&format!(
            "resource {symbol} 'Microsoft.Insights/privateLinkScopes/scopedResources@2021-07-01-preview' = {{\n  parent: privateLinkScope\n  name: '{name}'\n  properties: {{\n    linkedResourceId: {id}\n  }}\n}}\n"
        ));
        }
    }
    for endpoint in design
        .private_endpoints
        .iter()
        .filter(|e| !super::super::terraform::endpoint_in_module(e))
    {
        let name = format!("pe-{ws}-{}", endpoint.name);
        out.push('\n');
        out.push_str(&module_decl(
            &param_name(&format!("endpoint_{}", endpoint.name)),
            "private_endpoint",
            &name,
            vec![
                ("name".to_string(), Value::str(&name)),
                ("location".to_string(), Value::expr("location")),
                ("subnetResourceId".to_string(), refs.endpoint_subnet(endpoint.network)),
                (
                    "privateLinkServiceConnections".to_string(),
                    Value::List(vec![Value::object([
                        ("name", Value::str(&name)),
                        (
                            "properties",
                            Value::object([
                                ("privateLinkServiceId", refs.target(&endpoint.target)?),
                                ("groupIds", Value::strs([endpoint.subresource.clone()])),
                            ]),
                        ),
                    ])]),
                ),
                ("privateDnsZoneGroup".to_string(), zone_group(refs, endpoint)),
            ],
            "A private endpoint whose target no resource module of this deployment carries.",
        ));
    }
    out.push('\n');
    Ok(out)
}
