//! The network part of main.bicep: NSGs, route table, NAT gateway, the virtual network,
//! Azure Firewall and its rules module, and the private DNS zones.

use super::*;

pub(super) fn network(refs: &Refs) -> String {
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
                    (
                        "direction".to_string(),
                        Value::str(if rule.inbound { "Inbound" } else { "Outbound" }),
                    ),
                    (
                        "access".to_string(),
                        Value::str(if rule.allow { "Allow" } else { "Deny" }),
                    ),
                    ("protocol".to_string(), Value::str(&rule.protocol)),
                    ("sourceAddressPrefix".to_string(), Value::str(&rule.source)),
                    ("sourcePortRange".to_string(), Value::str("*")),
                ];
                properties.push(destinations(
                    design,
                    &rule.destinations,
                    "destinationAddressPrefix",
                    "destinationAddressPrefixes",
                ));
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
            &format!(
                "Network security group of the {} subnet: the NSG rows of the network-rules table.",
                nsg.subnet
            ),
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
                            // The plan's own firewall takes the first usable address of AzureFirewallSubnet
                            // (Azure reserves the three before it); computing it keeps the
                            // route table independent of the firewall, which depends on the
                            // network that uses the route table.
                            Value::expr(if local_firewall {
                                "cidrHost(firewallSubnetPrefix, 3)"
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
                    entry.push((
                        "routeTableResourceId".to_string(),
                        Value::expr("routeTable.outputs.resourceId"),
                    ));
                }
                if subnet == "training" && design.nat_gateway {
                    entry.push((
                        "natGatewayResourceId".to_string(),
                        Value::expr("natGateway.outputs.resourceId"),
                    ));
                }
                Value::Object(entry)
            })
            .collect();
        let mut params = vec![
            ("name".to_string(), Value::str(format!("vnet-{ws}"))),
            ("location".to_string(), Value::expr("location")),
            (
                "addressPrefixes".to_string(),
                Value::List(vec![Value::expr("vnetAddressSpace")]),
            ),
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

pub(super) fn destinations(design: &Design, destinations: &Destinations, single: &str, many: &str) -> (String, Value) {
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
pub(super) fn firewall_resources(refs: &Refs, firewall: &super::super::design::Firewall) -> String {
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
                (
                    "properties",
                    Value::object([("publicIPAllocationMethod", Value::str("Static"))]),
                ),
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
                (
                    "properties",
                    Value::object([("sku", Value::object([("tier", Value::str("Standard"))]))]),
                ),
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
                        (
                            "sku",
                            Value::object([("name", Value::str("AZFW_VNet")), ("tier", Value::str("Standard"))]),
                        ),
                        (
                            "firewallPolicy",
                            Value::object([("id", Value::expr("firewallPolicy.id"))]),
                        ),
                        (
                            "ipConfigurations",
                            Value::List(vec![Value::object([
                                ("name", Value::str("afw-ipconfig")),
                                (
                                    "properties",
                                    Value::object([
                                        ("subnet", Value::object([("id", refs.subnet("firewall"))])),
                                        (
                                            "publicIPAddress",
                                            Value::object([("id", Value::expr("firewallPublicIp.id"))]),
                                        ),
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
    if firewall.appliance {
        out.push_str(&format!(
            "// The firewall rows of the network-rules table, for the network virtual appliance (output `applianceRules`).\nvar applianceRules = {}\n\n",
            Syntax::Bicep.print(&Value::List(appliance_rules(firewall, &source, design)), 0)
        ));
        return out;
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

/// The appliance's rules as data: the Azure Firewall rule shape, which appliance teams read.
fn appliance_rules(
    firewall: &super::super::design::Firewall,
    source: &dyn Fn(&str) -> Value,
    design: &Design,
) -> Vec<Value> {
    let mut rules = Vec::new();
    for rule in &firewall.network_rules {
        let (_, destinations) = destinations(
            design,
            &rule.destinations,
            "destinationAddresses",
            "destinationAddresses",
        );
        let destinations = match destinations {
            Value::Str(single) => Value::strs([single]),
            other => other,
        };
        rules.push(Value::object([
            ("name", Value::str(&rule.id)),
            ("kind", Value::str("network")),
            ("protocols", Value::strs(rule.protocols.clone())),
            ("sourceAddresses", source(&rule.source_subnet)),
            ("destinationAddresses", destinations),
            ("destinationPorts", Value::strs(rule.ports.clone())),
        ]));
    }
    for rule in &firewall.application_rules {
        rules.push(Value::object([
            ("name", Value::str(&rule.id)),
            ("kind", Value::str("application")),
            ("protocols", Value::strs(["Https:443"])),
            ("sourceAddresses", source(&rule.source_subnet)),
            ("targetFqdns", Value::strs(rule.fqdns.clone())),
        ]));
    }
    rules
}

/// The file name of the rule collection group module.
pub(super) const FIREWALL_RULES_FILE: &str = "firewall-rules.bicep";

/// A rule collection group on an existing firewall policy, in whichever resource group the
/// module is deployed to (the workload's, or the hub's).
pub(super) fn firewall_rules_file(header: &str) -> String {
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

pub(super) fn dns(refs: &Refs) -> String {
    let design = refs.design;
    let mut out = String::new();
    for zone in &design.dns_zones {
        let mut params = vec![("name".to_string(), Value::str(&zone.name))];
        let mut links = Vec::new();
        if design.link_zones_to_vnet {
            links.push(Value::object([
                ("name", Value::str("link-spoke")),
                (
                    "virtualNetworkResourceId",
                    Value::expr("virtualNetwork.outputs.resourceId"),
                ),
            ]));
        }
        let others = "map(dnsZoneLinkVnetIds, id => {\n      name: 'link-${last(split(id, '/'))}'\n      virtualNetworkResourceId: id\n    })";
        let value = match (design.link_zones_to_vnet, design.link_zones_to_other_networks) {
            (true, true) => Value::expr(format!(
                "concat({}, {others})",
                Syntax::Bicep.print(&Value::List(links), 2)
            )),
            (false, true) => Value::expr(others),
            _ => Value::List(links),
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
                Value::expr(
                    "resourceGroup(split(corporateDnsResourceGroupId, '/')[2], split(corporateDnsResourceGroupId, '/')[4])",
                ),
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
