//! The design as Bicep on Azure Verified Modules from the public registry: `main.bicep`
//! (resource-group scope), `policies.bicep` (the subscription-scope policy assignments, as a
//! module of main) and `main.bicepparam`.

use super::design::{
    CORPORATE_PREFIX, Design, Destinations, Endpoint, OutboundRule, Role, Target, WORKSPACE_IDENTITY_PERSONA,
};
use super::modules::module;
use super::terraform::files::answered_value;
use super::terraform::hosted_by_module;
use super::value::{Syntax, Value};
use crate::knowledge::iac::{EndpointNetwork, NextHop};
use crate::upstream::roles::builtin_roles;

mod network;
mod policies;
mod workload;

use network::{FIREWALL_RULES_FILE, dns, firewall_rules_file, network};
use policies::policies;
use workload::{dependencies, monitor_link, plain_roles, workspace};

/// Variables Bicep takes from the deployment itself (`az deployment group --resource-group`).
const FROM_DEPLOYMENT: &[&str] = &["subscription_id", "resource_group_name"];

/// `private_endpoint_subnet_prefix` -> `privateEndpointSubnetPrefix`.
pub(super) fn param_name(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' || c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn string(text: &str) -> String {
    Syntax::Bicep.string(text)
}

struct Refs<'d> {
    design: &'d Design,
}

impl Refs<'_> {
    fn subnet(&self, subnet: &str) -> Value {
        let index = self
            .design
            .vnet
            .as_ref()
            .and_then(|vnet| vnet.subnets.iter().position(|s| s == subnet))
            .unwrap_or(0);
        Value::expr(format!("virtualNetwork.outputs.subnetResourceIds[{index}]"))
    }

    fn endpoint_subnet(&self, network: EndpointNetwork) -> Value {
        match network {
            EndpointNetwork::Client => Value::expr("clientPrivateEndpointSubnetId"),
            EndpointNetwork::Workload if self.design.has_subnet("pe") => self.subnet("pe"),
            EndpointNetwork::Workload => Value::expr("privateEndpointSubnetId"),
        }
    }

    fn zone(&self, zone: &str) -> Value {
        Value::expr(format!("{}.outputs.resourceId", param_name(zone)))
    }

    fn target(&self, target: &Target) -> Result<Value, String> {
        match target {
            Target::Variable(variable) => Ok(Value::expr(param_name(variable))),
            Target::Resource(resource) => {
                if !self.design.deploys(resource) {
                    return Err(format!("the design refers to the {resource}, which it does not deploy"));
                }
                Ok(Value::expr(match resource.as_str() {
                    "resource_group" => "resourceGroup().id".to_string(),
                    "private_link_scope" => "privateLinkScope.id".to_string(),
                    other => format!("{}.outputs.resourceId", symbol(other)),
                }))
            }
        }
    }

    /// The workspace's own resource id, built from its name: a parameter of the workspace
    /// module (its self outbound rule) cannot read the module's output, which is a cycle.
    fn workspace_own_id(&self) -> Value {
        Value::expr("resourceId('Microsoft.MachineLearningServices/workspaces', workspaceName)")
    }

    fn principal(&self, persona: &str) -> Value {
        if persona != WORKSPACE_IDENTITY_PERSONA {
            Value::expr(format!("principalIds.{persona}"))
        } else if self.design.customer_managed_key {
            Value::expr("workspaceIdentity.properties.principalId")
        } else {
            Value::expr("workspace.outputs.systemAssignedMIPrincipalId!")
        }
    }

    /// A role definition as the full id: built-in roles by their id from the upstream role
    /// list, custom roles from the `customRoleDefinitionIds` parameter.
    fn role_definition(&self, role: &Role) -> Value {
        match builtin_roles().role_id(&role.role).filter(|_| !role.custom) {
            Some(id) => Value::expr(format!(
                "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})",
                string(id)
            )),
            None => Value::expr(format!("customRoleDefinitionIds[{}]", string(&role.role))),
        }
    }
}

/// The Bicep symbol of a deployment target's module.
fn symbol(target: &str) -> String {
    param_name(super::terraform::module_name(target))
}

fn module_decl(symbol: &str, module_id: &str, deployment: &str, params: Vec<(String, Value)>, comment: &str) -> String {
    let body = Value::object([("name", Value::str(deployment)), ("params", Value::Object(params))]);
    format!(
        "// {comment}\nmodule {symbol} '{}' = {}\n",
        module(module_id).bicep_reference(),
        Syntax::Bicep.print(&body, 0)
    )
}

fn resource_decl(symbol: &str, kind: &str, body: Value, comment: Option<&str>) -> String {
    let comment = comment.map(|c| format!("// {c}\n")).unwrap_or_default();
    format!(
        "{comment}resource {symbol} '{kind}' = {}\n",
        Syntax::Bicep.print(&body, 0)
    )
}

fn role_entries(refs: &Refs, target: &str) -> Option<Value> {
    let entries: Vec<Value> = refs
        .design
        .roles
        .iter()
        .filter(|role| hosted_by_module(refs.design, role).is_some_and(|host| host == target))
        .map(|role| {
            Value::object([
                (
                    "name",
                    Value::expr(format!(
                        "guid({}, {})",
                        string(&role.id),
                        string(&refs.design.workspace_name)
                    )),
                ),
                ("description", Value::str(&role.id)),
                ("roleDefinitionIdOrName", refs.role_definition(role)),
                ("principalId", refs.principal(&role.persona)),
            ])
        })
        .collect();
    (!entries.is_empty()).then_some(Value::List(entries))
}

fn endpoint_entries(refs: &Refs, target: &str, with_service: bool) -> Option<Value> {
    let entries: Vec<Value> = refs
        .design
        .private_endpoints
        .iter()
        .filter(|endpoint| endpoint.target == Target::Resource(target.to_string()))
        .map(|endpoint| endpoint_entry(refs, endpoint, with_service))
        .collect();
    (!entries.is_empty()).then_some(Value::List(entries))
}

fn zone_group(refs: &Refs, endpoint: &Endpoint) -> Value {
    Value::object([(
        "privateDnsZoneGroupConfigs",
        Value::List(
            endpoint
                .zones
                .iter()
                .map(|zone| Value::object([("privateDnsZoneResourceId", refs.zone(zone))]))
                .collect(),
        ),
    )])
}

fn endpoint_entry(refs: &Refs, endpoint: &Endpoint, with_service: bool) -> Value {
    let mut entry = vec![
        (
            "name".to_string(),
            Value::str(format!("pe-{}-{}", refs.design.workspace_name, endpoint.name)),
        ),
        ("subnetResourceId".to_string(), refs.endpoint_subnet(endpoint.network)),
    ];
    if with_service {
        entry.push(("service".to_string(), Value::str(&endpoint.subresource)));
    }
    if !endpoint.zones.is_empty() {
        entry.push(("privateDnsZoneGroup".to_string(), zone_group(refs, endpoint)));
    }
    Value::Object(entry)
}

fn push_opt(params: &mut Vec<(String, Value)>, name: &str, value: Option<Value>) {
    if let Some(value) = value {
        params.push((name.to_string(), value));
    }
}

fn params_section(design: &Design) -> String {
    let mut out = String::new();
    for variable in design
        .variables
        .iter()
        .filter(|v| !FROM_DEPLOYMENT.contains(&v.name.as_str()))
    {
        let kind = match variable.kind.as_str() {
            "list" => "string[]".to_string(),
            "map" if variable.name == "principal_ids" => {
                let personas: Vec<String> = design.personas().iter().map(|p| format!("  {p}: string")).collect();
                format!("{{\n{}\n}}", personas.join("\n"))
            }
            "map" => "object".to_string(),
            _ => "string".to_string(),
        };
        out.push_str(&format!("@description({})\n", string(&variable.description)));
        match &variable.default {
            Some(default) => out.push_str(&format!(
                "param {} {kind} = {}\n\n",
                param_name(&variable.name),
                string(default)
            )),
            None => out.push_str(&format!("param {} {kind}\n\n", param_name(&variable.name))),
        }
    }
    if design.roles.iter().any(|role| role.custom) {
        out.push_str("@description('Resource ids of the custom role definitions, by role name (create them first from the design record).')\n");
        out.push_str("param customRoleDefinitionIds object\n\n");
    }
    out
}

pub(super) fn files(design: &Design, header: &str) -> Result<Vec<(&'static str, String)>, String> {
    let refs = Refs { design };
    let mut main = String::new();
    for line in header.lines() {
        main.push_str(&format!("// {line}\n"));
    }
    main.push_str("targetScope = 'resourceGroup'\n\n");
    main.push_str(&params_section(design));
    main.push_str(&network(&refs));
    main.push_str(&dns(&refs));
    main.push_str(&dependencies(&refs));
    main.push_str(&workspace(&refs)?);
    main.push_str(&plain_roles(&refs)?);
    main.push_str(&monitor_link(&refs)?);
    let mut files = Vec::new();
    if !design.policies.is_empty() {
        let (call, file) = policies(&refs, header)?;
        main.push_str(&call);
        files.push(("policies.bicep", file));
    }
    if design.firewall.as_ref().is_some_and(|firewall| !firewall.appliance) {
        files.push((FIREWALL_RULES_FILE, firewall_rules_file(header)));
    }
    main.push_str(&outputs(design));
    files.insert(0, ("main.bicep", main));
    files.push(("main.bicepparam", bicepparam(design, header)));
    Ok(files)
}

fn outputs(design: &Design) -> String {
    let mut out = String::from(
        "output workspaceId string = workspace.outputs.resourceId\noutput storageAccountId string = storageAccount.outputs.resourceId\noutput keyVaultId string = keyVault.outputs.resourceId\noutput logAnalyticsWorkspaceId string = logAnalytics.outputs.resourceId\n",
    );
    if design.registry {
        out.push_str("output containerRegistryId string = containerRegistry.outputs.resourceId\n");
    }
    if design.firewall.as_ref().is_some_and(|firewall| firewall.appliance) {
        out.push_str("output applianceRules array = applianceRules\n");
    }
    if design.vnet.is_some() {
        out.push_str("output virtualNetworkId string = virtualNetwork.outputs.resourceId\noutput subnetIds array = virtualNetwork.outputs.subnetResourceIds\n");
    }
    out
}

fn bicepparam(design: &Design, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("// {line}\n"));
    }
    out.push_str("using 'main.bicep'\n\n");
    for variable in design
        .variables
        .iter()
        .filter(|v| !FROM_DEPLOYMENT.contains(&v.name.as_str()))
    {
        let name = param_name(&variable.name);
        match answered_value(design, &variable.name) {
            Some(value) => out.push_str(&format!("param {name} = {}\n", string(&value))),
            None if variable.default.is_some() => {
                out.push_str(&format!(
                    "// param {name} = {} (the default)\n",
                    string(variable.default.as_deref().unwrap_or_default())
                ));
            }
            None => {
                out.push_str(&format!("// Required: {}\n", variable.description));
                let empty = match variable.kind.as_str() {
                    "list" => "[]".to_string(),
                    "map" if variable.name == "principal_ids" => {
                        let personas: Vec<String> = design.personas().iter().map(|p| format!("  {p}: ''")).collect();
                        format!("{{\n{}\n}}", personas.join("\n"))
                    }
                    "map" => "{}".to_string(),
                    _ => "''".to_string(),
                };
                out.push_str(&format!("param {name} = {empty}\n"));
            }
        }
    }
    if design.roles.iter().any(|role| role.custom) {
        out.push_str("// Required: resource ids of the custom role definitions, by role name.\nparam customRoleDefinitionIds = {\n");
        let mut names: Vec<&str> = design
            .roles
            .iter()
            .filter(|r| r.custom)
            .map(|r| r.role.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            out.push_str(&format!("  {}: ''\n", string(name)));
        }
        out.push_str("}\n");
    }
    out
}
