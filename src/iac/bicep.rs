//! The design as Bicep on Azure Verified Modules from the public registry: `main.bicep`
//! (resource-group scope), `policies.bicep` (the subscription-scope policy assignments, as a
//! module of main) and `main.bicepparam`.

use super::design::{CORPORATE_PREFIX, Design, Destinations, Endpoint, OutboundRule, Role, Target, WORKSPACE_IDENTITY_PERSONA};
use super::modules::module;
use super::terraform::hosted_by_module;
use super::terraform_files::answered_value;
use super::value::{Syntax, Value};
use crate::knowledge::iac::{EndpointNetwork, NextHop};
use crate::upstream::roles::builtin_roles;

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
                    "resource_group" => "resourceGroup().id".to_string(),
                    "private_link_scope" => "privateLinkScope.id".to_string(),
                    other => format!("{}.outputs.resourceId", symbol(other)),
                }))
            }
        }
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
    format!("{comment}resource {symbol} '{kind}' = {}\n", Syntax::Bicep.print(&body, 0))
}

fn role_entries(refs: &Refs, target: &str) -> Option<Value> {
    let entries: Vec<Value> = refs
        .design
        .roles
        .iter()
        .filter(|role| hosted_by_module(role).is_some_and(|host| host == target))
        .map(|role| {
            Value::object([
                ("name", Value::expr(format!("guid({}, {})", string(&role.id), string(&refs.design.workspace_name)))),
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
    for variable in design.variables.iter().filter(|v| !FROM_DEPLOYMENT.contains(&v.name.as_str())) {
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
            Some(default) => out.push_str(&format!("param {} {kind} = {}\n\n", param_name(&variable.name), string(default))),
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
    if design.firewall.is_some() {
        files.push((FIREWALL_RULES_FILE, firewall_rules_file(header)));
    }
    main.push_str(&outputs(design));
    files.insert(0, ("main.bicep", main));
    files.push(("main.bicepparam", bicepparam(design, header)));
    Ok(files)
}

fn network(refs: &Refs) -> String {
    let design = refs.design;
    let ws = &design.workspace_name;
    let mut out = String::new();
    for nsg in &design.nsgs {
        let rules: Vec<Value> = nsg
            .rules
            .iter()
            .map(|rule| {
                let mut properties = vec![
                    ("priority".to_string(), Value::Int(i64::from(rule.priority))),
                    ("direction".to_string(), Value::str(if rule.inbound { "Inbound" } else { "Outbound" })),
                    ("access".to_string(), Value::str(if rule.allow { "Allow" } else { "Deny" })),
                    ("protocol".to_string(), Value::str(&rule.protocol)),
                    ("sourceAddressPrefix".to_string(), Value::str(&rule.source)),
                    ("sourcePortRange".to_string(), Value::str("*")),
                ];
                properties.push(destinations(design, &rule.destinations, "destinationAddressPrefix", "destinationAddressPrefixes"));
                if rule.ports.len() == 1 {
                    properties.push(("destinationPortRange".to_string(), Value::str(&rule.ports[0])));
                } else {
                    properties.push(("destinationPortRanges".to_string(), Value::strs(rule.ports.clone())));
                }
                Value::object([
                    ("name", Value::str(rule.id.replace('_', "-"))),
                    ("properties", Value::Object(properties)),
                ])
            })
            .collect();
        out.push_str(&module_decl(
            &format!("nsg{}", param_name(&format!("_{}", nsg.subnet))),
            "network_security_group",
            &format!("nsg-{}", nsg.subnet),
            vec![
                ("name".to_string(), Value::str(format!("nsg-{ws}-{}", nsg.subnet))),
                ("location".to_string(), Value::expr("location")),
                ("securityRules".to_string(), Value::List(rules)),
            ],
            &format!("Network security group of the {} subnet: the NSG rows of the network-rules table.", nsg.subnet),
        ));
        out.push('\n');
    }
    let local_firewall = design.firewall.as_ref().is_some_and(|firewall| firewall.local);
    if !design.routes.is_empty() {
        let routes: Vec<Value> = design
            .routes
            .iter()
            .map(|route| {
                let mut properties = vec![("addressPrefix".to_string(), Value::str(&route.address_prefix))];
                match route.next_hop {
                    NextHop::Firewall => {
                        properties.push(("nextHopType".to_string(), Value::str("VirtualAppliance")));
                        properties.push((
                            "nextHopIpAddress".to_string(),
                            Value::expr(if local_firewall {
                                "firewall.properties.ipConfigurations[0].properties.privateIPAddress"
                            } else {
                                "firewallPrivateIp"
                            }),
                        ));
                    }
                    NextHop::Internet => properties.push(("nextHopType".to_string(), Value::str("Internet"))),
                }
                Value::object([
                    ("name", Value::str(route.id.replace('_', "-"))),
                    ("properties", Value::Object(properties)),
                ])
            })
            .collect();
        out.push_str(&module_decl(
            "routeTable",
            "route_table",
            "route-table",
            vec![
                ("name".to_string(), Value::str(format!("rt-{ws}"))),
                ("location".to_string(), Value::expr("location")),
                ("routes".to_string(), Value::List(routes)),
            ],
            "Route table of the training subnet: the route rows of the network-rules table.",
        ));
        out.push('\n');
    }
    if design.nat_gateway {
        out.push_str(&module_decl(
            "natGateway",
            "nat_gateway",
            "nat-gateway",
            vec![
                ("name".to_string(), Value::str(format!("nat-{ws}"))),
                ("location".to_string(), Value::expr("location")),
                // -1: no zone; pin a zone (1, 2, 3) if your region has them and you need it.
                ("availabilityZone".to_string(), Value::Int(-1)),
                (
                    "publicIPAddresses".to_string(),
                    Value::List(vec![Value::object([("name", Value::str(format!("pip-nat-{ws}")))])]),
                ),
            ],
            "NAT gateway: the outbound path of the training subnet.",
        ));
        out.push('\n');
    }
    if let Some(vnet) = &design.vnet {
        let subnets: Vec<Value> = vnet
            .subnets
            .iter()
            .map(|subnet| {
                let (name, prefix) = match subnet.as_str() {
                    "pe" => ("snet-pe".to_string(), "privateEndpointSubnetPrefix".to_string()),
                    "firewall" => ("AzureFirewallSubnet".to_string(), "firewallSubnetPrefix".to_string()),
                    other => (format!("snet-{other}"), param_name(&format!("{other}_subnet_prefix"))),
                };
                let mut entry = vec![
                    ("name".to_string(), Value::str(name)),
                    ("addressPrefix".to_string(), Value::expr(prefix)),
                ];
                if subnet != "firewall" {
                    entry.push(("defaultOutboundAccess".to_string(), Value::Bool(false)));
                }
                if design.nsgs.iter().any(|nsg| &nsg.subnet == subnet) {
                    entry.push((
                        "networkSecurityGroupResourceId".to_string(),
                        Value::expr(format!("nsg{}.outputs.resourceId", param_name(&format!("_{subnet}")))),
                    ));
                }
                if subnet == "training" && !design.routes.is_empty() {
                    entry.push(("routeTableResourceId".to_string(), Value::expr("routeTable.outputs.resourceId")));
                }
                if subnet == "training" && design.nat_gateway {
                    entry.push(("natGatewayResourceId".to_string(), Value::expr("natGateway.outputs.resourceId")));
                }
                Value::Object(entry)
            })
            .collect();
        let mut params = vec![
            ("name".to_string(), Value::str(format!("vnet-{ws}"))),
            ("location".to_string(), Value::expr("location")),
            ("addressPrefixes".to_string(), Value::List(vec![Value::expr("vnetAddressSpace")])),
            ("subnets".to_string(), Value::List(subnets)),
        ];
        if design.hub_peering {
            params.push((
                "peerings".to_string(),
                Value::List(vec![Value::object([
                    ("name", Value::str(format!("peer-{ws}-to-hub"))),
                    ("remoteVirtualNetworkResourceId", Value::expr("hubVnetId")),
                    ("allowForwardedTraffic", Value::Bool(true)),
                ])]),
            ));
        }
        push_opt(&mut params, "roleAssignments", role_entries(refs, "vnet"));
        out.push_str(&module_decl(
            "virtualNetwork",
            "virtual_network",
            "virtual-network",
            params,
            "The workload virtual network and its subnets (no default outbound access: egress is explicit).",
        ));
        out.push('\n');
    }
    if let Some(firewall) = &design.firewall {
        out.push_str(&firewall_resources(refs, firewall));
    }
    out
}

fn destinations(design: &Design, destinations: &Destinations, single: &str, many: &str) -> (String, Value) {
    match destinations {
        Destinations::Literal(list) if list.len() == 1 => (single.to_string(), Value::str(&list[0])),
        Destinations::Literal(list) => (many.to_string(), Value::strs(list.clone())),
        Destinations::Variable(variable) => match design.variable(variable).map(|v| v.kind.as_str()) {
            Some("list") => (many.to_string(), Value::expr(param_name(variable))),
            _ => (single.to_string(), Value::expr(param_name(variable))),
        },
    }
}

/// Azure Firewall and its rules are plain resources: no module in the pinned set covers them.
fn firewall_resources(refs: &Refs, firewall: &super::design::Firewall) -> String {
    let design = refs.design;
    let ws = &design.workspace_name;
    let mut out = String::new();
    if firewall.local {
        out.push_str(&resource_decl(
            "firewallPublicIp",
            "Microsoft.Network/publicIPAddresses@2024-05-01",
            Value::object([
                ("name", Value::str(format!("pip-afw-{ws}"))),
                ("location", Value::expr("location")),
                ("sku", Value::object([("name", Value::str("Standard"))])),
                ("properties", Value::object([("publicIPAllocationMethod", Value::str("Static"))])),
            ]),
            Some("Azure Firewall of the workload network (plain resources: no module in the pinned set covers it)."),
        ));
        out.push('\n');
        out.push_str(&resource_decl(
            "firewallPolicy",
            "Microsoft.Network/firewallPolicies@2024-05-01",
            Value::object([
                ("name", Value::str(format!("afwp-{ws}"))),
                ("location", Value::expr("location")),
                ("properties", Value::object([("sku", Value::object([("tier", Value::str("Standard"))]))])),
            ]),
            None,
        ));
        out.push('\n');
        out.push_str(&resource_decl(
            "firewall",
            "Microsoft.Network/azureFirewalls@2024-05-01",
            Value::object([
                ("name", Value::str(format!("afw-{ws}"))),
                ("location", Value::expr("location")),
                (
                    "properties",
                    Value::object([
                        ("sku", Value::object([("name", Value::str("AZFW_VNet")), ("tier", Value::str("Standard"))])),
                        ("firewallPolicy", Value::object([("id", Value::expr("firewallPolicy.id"))])),
                        (
                            "ipConfigurations",
                            Value::List(vec![Value::object([
                                ("name", Value::str("afw-ipconfig")),
                                (
                                    "properties",
                                    Value::object([
                                        ("subnet", Value::object([("id", refs.subnet("firewall"))])),
                                        ("publicIPAddress", Value::object([("id", Value::expr("firewallPublicIp.id"))])),
                                    ]),
                                ),
                            ])]),
                        ),
                    ]),
                ),
            ]),
            None,
        ));
        out.push('\n');
    }
    let source = |subnet: &str| Value::List(vec![Value::expr(param_name(&format!("{subnet}_subnet_prefix")))]);
    let mut collections = Vec::new();
    if !firewall.network_rules.is_empty() {
        let rules: Vec<Value> = firewall
            .network_rules
            .iter()
            .map(|rule| {
                let (key, value) = destinations(design, &rule.destinations, "destinationAddresses", "destinationAddresses");
                let value = match value {
                    Value::Str(single) => Value::strs([single]),
                    Value::Expr(expression) if key == "destinationAddresses" && !matches!(&rule.destinations, Destinations::Variable(v) if design.variable(v).is_some_and(|v| v.kind == "list")) => {
                        Value::List(vec![Value::expr(expression)])
                    }
                    other => other,
                };
                Value::object([
                    ("ruleType", Value::str("NetworkRule")),
                    ("name", Value::str(&rule.id)),
                    ("ipProtocols", Value::strs(rule.protocols.clone())),
                    ("sourceAddresses", source(&rule.source_subnet)),
                    ("destinationAddresses", value),
                    ("destinationPorts", Value::strs(rule.ports.clone())),
                ])
            })
            .collect();
        collections.push(Value::object([
            ("ruleCollectionType", Value::str("FirewallPolicyFilterRuleCollection")),
            ("name", Value::str("aml-network")),
            ("priority", Value::Int(500)),
            ("action", Value::object([("type", Value::str("Allow"))])),
            ("rules", Value::List(rules)),
        ]));
    }
    if !firewall.application_rules.is_empty() {
        let rules: Vec<Value> = firewall
            .application_rules
            .iter()
            .map(|rule| {
                Value::object([
                    ("ruleType", Value::str("ApplicationRule")),
                    ("name", Value::str(&rule.id)),
                    ("sourceAddresses", source(&rule.source_subnet)),
                    ("targetFqdns", Value::strs(rule.fqdns.clone())),
                    (
                        "protocols",
                        Value::List(vec![Value::object([
                            ("protocolType", Value::str("Https")),
                            ("port", Value::Int(443)),
                        ])]),
                    ),
                ])
            })
            .collect();
        collections.push(Value::object([
            ("ruleCollectionType", Value::str("FirewallPolicyFilterRuleCollection")),
            ("name", Value::str("aml-application")),
            ("priority", Value::Int(600)),
            ("action", Value::object([("type", Value::str("Allow"))])),
            ("rules", Value::List(rules)),
        ]));
    }
    let (scope, policy_name, comment) = if firewall.local {
        (
            Value::expr("resourceGroup()"),
            Value::expr("firewallPolicy.name"),
            "The firewall rows of the network-rules table, as one rule collection group on the firewall policy above.",
        )
    } else {
        (
            Value::expr("resourceGroup(split(firewallPolicyId, '/')[2], split(firewallPolicyId, '/')[4])"),
            Value::expr("last(split(firewallPolicyId, '/'))"),
            "The firewall rows of the network-rules table, as one rule collection group on the hub's firewall policy (in the hub's resource group: the deploying identity needs rights there, or hand this module to the hub team).",
        )
    };
    let body = Value::object([
        ("name", Value::str("firewall-rules")),
        ("scope", scope),
        (
            "params",
            Value::object([
                ("firewallPolicyName", policy_name),
                ("ruleCollectionGroupName", Value::str(format!("rcg-aml-{ws}"))),
                ("ruleCollections", Value::List(collections)),
            ]),
        ),
    ]);
    out.push_str(&format!(
        "// {comment}\nmodule firewallRules '{FIREWALL_RULES_FILE}' = {}\n\n",
        Syntax::Bicep.print(&body, 0)
    ));
    out
}

/// The file name of the rule collection group module.
pub(super) const FIREWALL_RULES_FILE: &str = "firewall-rules.bicep";

/// A rule collection group on an existing firewall policy, in whichever resource group the
/// module is deployed to (the workload's, or the hub's).
fn firewall_rules_file(header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("// {line}\n"));
    }
    out.push_str(
        "targetScope = 'resourceGroup'\n\n\
@description('Name of the firewall policy (in this resource group) that receives the rules.')\n\
param firewallPolicyName string\n\n\
@description('Name of the rule collection group.')\n\
param ruleCollectionGroupName string\n\n\
@description('The rule collections: the firewall rows of the network-rules table.')\n\
param ruleCollections array\n\n\
resource firewallPolicy 'Microsoft.Network/firewallPolicies@2024-05-01' existing = {\n  name: firewallPolicyName\n}\n\n\
resource ruleCollectionGroup 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2024-05-01' = {\n  parent: firewallPolicy\n  name: ruleCollectionGroupName\n  properties: {\n    priority: 500\n    ruleCollections: ruleCollections\n  }\n}\n",
    );
    out
}

fn dns(refs: &Refs) -> String {
    let design = refs.design;
    let mut out = String::new();
    for zone in &design.dns_zones {
        let mut params = vec![("name".to_string(), Value::str(&zone.name))];
        let mut links = Vec::new();
        if design.link_zones_to_vnet {
            links.push(Value::object([
                ("name", Value::str("link-spoke")),
                ("virtualNetworkResourceId", Value::expr("virtualNetwork.outputs.resourceId")),
            ]));
        }
        let spoke = Syntax::Bicep.print(&Value::List(links), 1);
        let value = if design.link_zones_to_other_networks {
            Value::expr(format!(
                "concat({spoke}, map(items(dnsZoneLinkVnetIds), link => {{\n    name: 'link-${{link.key}}'\n    virtualNetworkResourceId: link.value\n  }}))"
            ))
        } else {
            Value::expr(spoke)
        };
        if design.link_zones_to_vnet || design.link_zones_to_other_networks {
            params.push(("virtualNetworkLinks".to_string(), value));
        }
        out.push_str(&module_decl(
            &param_name(&zone.id),
            "private_dns_zone",
            &format!("dns-{}", zone.name),
            params,
            &format!("Private DNS zone {}.", zone.name),
        ));
        out.push('\n');
    }
    for zone in &design.corporate_zones {
        let body = Value::object([
            ("name", Value::str(format!("dns-corp-{}", zone.name))),
            (
                "scope",
                Value::expr("resourceGroup(split(corporateDnsResourceGroupId, '/')[2], split(corporateDnsResourceGroupId, '/')[4])"),
            ),
            (
                "params",
                Value::object([
                    ("name", Value::str(&zone.name)),
                    (
                        "virtualNetworkLinks",
                        Value::List(vec![Value::object([
                            ("name", Value::str("link-client")),
                            ("virtualNetworkResourceId", Value::expr("clientVnetId")),
                        ])]),
                    ),
                ]),
            ),
        ]);
        out.push_str(&format!(
            "// Corporate copy of {} (split DNS): holds the client endpoints, linked only to the client network.\nmodule {} '{}' = {}\n\n",
            zone.name,
            param_name(&format!("{CORPORATE_PREFIX}{}", zone.id)),
            module("private_dns_zone").bicep_reference(),
            Syntax::Bicep.print(&body, 0)
        ));
    }
    out
}

fn dependencies(refs: &Refs) -> String {
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
            Value::object([("bypass", Value::str("AzureServices")), ("defaultAction", Value::str(default_action))]),
        ),
    ];
    push_opt(&mut storage, "privateEndpoints", endpoint_entries(refs, "storage_account", true));
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
                Value::object([("bypass", Value::str("AzureServices")), ("defaultAction", Value::str(default_action))]),
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
            ("zoneRedundancy".to_string(), Value::str(if sku == "Premium" { "Enabled" } else { "Disabled" })),
            ("publicNetworkAccess".to_string(), Value::str(access)),
        ];
        push_opt(&mut params, "privateEndpoints", endpoint_entries(refs, "registry", false));
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
            Value::object([("name", Value::str(format!("id-{ws}"))), ("location", Value::expr("location"))]),
            Some("The workspace identity that reads the customer-managed key."),
        ));
        out.push('\n');
        let mut roles = match role_entries(refs, "cmk_key_vault") {
            Some(Value::List(entries)) => entries,
            _ => Vec::new(),
        };
        let officer = builtin_roles().role_id("Key Vault Crypto Officer").unwrap_or_default();
        let encryption_user = builtin_roles().role_id("Key Vault Crypto Service Encryption User").unwrap_or_default();
        for (id, role, principal) in [
            ("support_key_officer", officer, "cmkKeyOfficerPrincipalId"),
            ("support_cosmos_db_key_access", encryption_user, "cosmosDbPrincipalId"),
        ] {
            roles.push(Value::object([
                ("name", Value::expr(format!("guid({}, {})", string(id), string(ws)))),
                ("description", Value::str(id)),
                (
                    "roleDefinitionIdOrName",
                    Value::expr(format!("subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})", string(role))),
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
            vault(Value::expr("take('${keyVaultName}-cmk', 24)"), None, Some(Value::List(roles)), Some(key)),
            "Key Vault holding the customer-managed key.",
        ));
        out.push('\n');
    }
    out
}

fn workspace(refs: &Refs) -> Result<String, String> {
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
            OutboundRule::PrivateEndpoint { target, subresource, .. } => Value::object([
                ("type", Value::str("PrivateEndpoint")),
                (
                    "destination",
                    Value::object([
                        ("serviceResourceId", refs.target(target)?),
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
            Value::str(if design.setting("firewall_sku") == "standard" { "Standard" } else { "Basic" }),
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
        ("publicNetworkAccess".to_string(), Value::str(if public == "disabled" { "Disabled" } else { "Enabled" })),
    ];
    if public == "selected_ips" {
        params.push(("ipAllowlist".to_string(), Value::expr("allowedPublicIpRanges")));
    }
    params.extend([
        ("hbiWorkspace".to_string(), Value::Bool(design.setting("hbi_workspace") == "true")),
        (
            "systemDatastoresAuthMode".to_string(),
            Value::str(if design.setting("system_datastores_auth_mode") == "identity" { "Identity" } else { "AccessKey" }),
        ),
        ("associatedStorageAccountResourceId".to_string(), Value::expr("storageAccount.outputs.resourceId")),
        ("associatedKeyVaultResourceId".to_string(), Value::expr("keyVault.outputs.resourceId")),
        ("associatedApplicationInsightsResourceId".to_string(), Value::expr("applicationInsights.id")),
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
                ("userAssignedResourceIds", Value::List(vec![Value::expr("workspaceIdentity.id")])),
            ]),
        ));
        params.push(("primaryUserAssignedIdentity".to_string(), Value::expr("workspaceIdentity.id")));
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
    params.push(("provisionNetworkNow".to_string(), Value::Bool(design.provision_network_now)));
    push_opt(&mut params, "imageBuildCompute", design.image_build_compute.as_ref().map(Value::str));
    push_opt(&mut params, "privateEndpoints", endpoint_entries(refs, "workspace", false));
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
    Ok(module_decl("workspace", "workspace", "workspace", params, "The Azure Machine Learning workspace.") + "\n")
}

/// Roles no module input carries: on the resource group (a plain resource here) and on
/// resources elsewhere (the resource-role-assignment module, which takes any resource id).
fn plain_roles(refs: &Refs) -> Result<String, String> {
    let design = refs.design;
    let mut out = String::new();
    for role in design.roles.iter().filter(|role| hosted_by_module(role).is_none()) {
        let symbol = param_name(&role.id);
        if role.scope == Target::Resource("resource_group".to_string()) {
            out.push_str(&resource_decl(
                &symbol,
                "Microsoft.Authorization/roleAssignments@2022-04-01",
                Value::object([
                    ("name", Value::expr(format!("guid(resourceGroup().id, {})", string(&role.id)))),
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
                &format!("Role `{}` of the role table, on a resource outside this deployment.", role.id),
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

fn monitor_link(refs: &Refs) -> Result<String, String> {
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
    for endpoint in design.private_endpoints.iter().filter(|e| !super::terraform::endpoint_in_module(e)) {
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

/// The policy assignments live at the subscription: a module file of their own, called with
/// `scope: subscription()`, receiving the resource ids their parameters need.
fn policies(refs: &Refs, header: &str) -> Result<(String, String), String> {
    let design = refs.design;
    let mut inputs: Vec<(String, Value)> = vec![("location".to_string(), Value::expr("location"))];
    let mut file = String::new();
    for line in header.lines() {
        file.push_str(&format!("// {line}\n"));
    }
    file.push_str("targetScope = 'subscription'\n\n@description('Region of the policy assignments\\' managed identities.')\nparam location string\n\n");
    let mut declared: Vec<String> = Vec::new();
    for policy in &design.policies {
        for source in policy.parameters.values() {
            let (param, value) = match source.split_once(':') {
                Some(("text", _)) => continue,
                Some(("zone", zone)) => {
                    if !design.dns_zones.iter().any(|z| z.id == zone) {
                        return Err(format!("a policy parameter names DNS zone `{zone}`, which the design does not create"));
                    }
                    (format!("{}ResourceId", param_name(zone)), refs.zone(zone))
                }
                _ if source == "log_analytics" => ("logAnalyticsResourceId".to_string(), Value::expr("logAnalytics.outputs.resourceId")),
                _ => ("privateEndpointSubnetResourceId".to_string(), refs.endpoint_subnet(EndpointNetwork::Workload)),
            };
            if !declared.contains(&param) {
                file.push_str(&format!("param {param} string\n\n"));
                inputs.push((param.clone(), value));
                declared.push(param);
            }
        }
    }
    for policy in &design.policies {
        let symbol = param_name(&policy.id);
        let mut parameters = vec![("effect".to_string(), Value::object([("value", Value::str(&policy.effect))]))];
        for (name, source) in &policy.parameters {
            let value = match source.split_once(':') {
                Some(("text", text)) => Value::str(text),
                Some(("zone", zone)) => Value::expr(format!("{}ResourceId", param_name(zone))),
                _ if source == "log_analytics" => Value::expr("logAnalyticsResourceId"),
                _ => Value::expr("privateEndpointSubnetResourceId"),
            };
            parameters.push((name.clone(), Value::object([("value", value)])));
        }
        let mut body = vec![("name".to_string(), Value::str(&policy.assignment))];
        if policy.identity_role.is_some() {
            body.push(("location".to_string(), Value::expr("location")));
            body.push(("identity".to_string(), Value::object([("type", Value::str("SystemAssigned"))])));
        }
        body.push((
            "properties".to_string(),
            Value::object([
                ("displayName", Value::str(&policy.display_name)),
                (
                    "policyDefinitionId",
                    Value::expr(format!(
                        "tenantResourceId('Microsoft.Authorization/policyDefinitions', {})",
                        string(&policy.definition_id)
                    )),
                ),
                ("parameters", Value::Object(parameters)),
            ]),
        ));
        file.push_str(&resource_decl(
            &symbol,
            "Microsoft.Authorization/policyAssignments@2024-04-01",
            Value::Object(body),
            Some(&format!("Policy: {}", policy.display_name)),
        ));
        file.push('\n');
        if let Some(role) = &policy.identity_role {
            let role_id = builtin_roles()
                .role_id(role)
                .ok_or_else(|| format!("policy `{}`: `{role}` is not a built-in role", policy.id))?;
            file.push_str(&resource_decl(
                &format!("{symbol}Identity"),
                "Microsoft.Authorization/roleAssignments@2022-04-01",
                Value::object([
                    ("name", Value::expr(format!("guid(subscription().id, {})", string(&policy.assignment)))),
                    (
                        "properties",
                        Value::object([
                            (
                                "roleDefinitionId",
                                Value::expr(format!(
                                    "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})",
                                    string(role_id)
                                )),
                            ),
                            ("principalId", Value::expr(format!("{symbol}.identity.principalId"))),
                            ("principalType", Value::str("ServicePrincipal")),
                        ]),
                    ),
                ]),
                None,
            ));
            file.push('\n');
            file.push_str(&resource_decl(
                &format!("{symbol}Remediation"),
                "Microsoft.PolicyInsights/remediations@2024-10-01",
                Value::object([
                    ("name", Value::str(format!("{}-remediation", policy.assignment))),
                    (
                        "properties",
                        Value::object([("policyAssignmentId", Value::expr(format!("{symbol}.id")))]),
                    ),
                    ("dependsOn", Value::List(vec![Value::expr(format!("{symbol}Identity"))])),
                ]),
                None,
            ));
            file.push('\n');
        }
    }
    let call = format!(
        "// The Azure Policy assignments, at the subscription.\nmodule policies 'policies.bicep' = {}\n\n",
        Syntax::Bicep.print(
            &Value::object([
                ("name", Value::str("policies")),
                ("scope", Value::expr("subscription()")),
                ("params", Value::Object(inputs)),
            ]),
            0
        )
    );
    Ok((call, file))
}

fn outputs(design: &Design) -> String {
    let mut out = String::from(
        "output workspaceId string = workspace.outputs.resourceId\noutput storageAccountId string = storageAccount.outputs.resourceId\noutput keyVaultId string = keyVault.outputs.resourceId\noutput logAnalyticsWorkspaceId string = logAnalytics.outputs.resourceId\n",
    );
    if design.registry {
        out.push_str("output containerRegistryId string = containerRegistry.outputs.resourceId\n");
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
    for variable in design.variables.iter().filter(|v| !FROM_DEPLOYMENT.contains(&v.name.as_str())) {
        let name = param_name(&variable.name);
        match answered_value(design, &variable.name) {
            Some(value) => out.push_str(&format!("param {name} = {}\n", string(&value))),
            None if variable.default.is_some() => {
                out.push_str(&format!("// param {name} = {} (the default)\n", string(variable.default.as_deref().unwrap_or_default())));
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
        let mut names: Vec<&str> = design.roles.iter().filter(|r| r.custom).map(|r| r.role.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            out.push_str(&format!("  {}: ''\n", string(name)));
        }
        out.push_str("}\n");
    }
    out
}
