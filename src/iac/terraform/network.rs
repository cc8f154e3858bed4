//! The network part of main.tf: NSGs, route table, NAT gateway, the virtual network, Azure
//! Firewall and its rule collection group, and the private DNS zones.

use super::*;

pub(super) fn network_blocks(refs: &Refs) -> Result<Vec<Block>, String> {
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
                    (
                        "access".to_string(),
                        Value::str(if rule.allow { "Allow" } else { "Deny" }),
                    ),
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
                &format!(
                    "Network security group of the {} subnet: the NSG rows of the network-rules table.",
                    nsg.subnet
                ),
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
            module_block(
                "route_table",
                "route_table",
                "Route table of the training subnet: the route rows of the network-rules table.",
            )
            .attr("name", Value::str(format!("rt-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("resource_group_name", Value::expr("azurerm_resource_group.this.name"))
            .attr("routes", Value::Object(routes))
            // Associated from here, not from the subnet: the default route needs the
            // firewall's address, and the firewall needs its subnet.
            .attr(
                "subnet_resource_ids",
                Value::object([(
                    "training",
                    Value::expr("module.virtual_network.subnets[\"training\"].resource_id"),
                )]),
            ),
        );
    }
    if design.nat_gateway {
        blocks.push(
            module_block(
                "nat_gateway",
                "nat_gateway",
                "NAT gateway: the outbound path of the training subnet.",
            )
            .attr("name", Value::str(format!("nat-{ws}")))
            .attr("location", Value::expr("var.location"))
            .attr("parent_id", refs.resource_group_id())
            .attr(
                "public_ips",
                Value::object([("nat", Value::object([("name", Value::str(format!("pip-nat-{ws}")))]))]),
            ),
        );
    }
    if let Some(vnet) = &design.vnet {
        let subnets: Vec<(String, Value)> = vnet
            .subnets
            .iter()
            .map(|subnet| {
                let (name, prefix) = match subnet.as_str() {
                    "pe" => ("snet-pe".to_string(), "var.private_endpoint_subnet_prefix".to_string()),
                    "firewall" => (
                        "AzureFirewallSubnet".to_string(),
                        "var.firewall_subnet_prefix".to_string(),
                    ),
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
        .attr(
            "address_space",
            Value::List(vec![Value::expr("var.vnet_address_space")]),
        )
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
        if firewall.appliance {
            blocks.push(appliance_rules_block(refs, firewall));
        } else {
            blocks.push(firewall_rules_block(refs, firewall, ws));
        }
    }
    Ok(blocks)
}

/// No AVM module in the pinned set deploys Azure Firewall, so the plan's own firewall is
/// written as plain resources.
pub(super) fn local_firewall_blocks(ws: &str) -> Vec<Block> {
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
                    .attr(
                        "subnet_id",
                        Value::expr("module.virtual_network.subnets[\"firewall\"].resource_id"),
                    )
                    .attr("public_ip_address_id", Value::expr("azurerm_public_ip.firewall.id")),
            ),
    ]
}

/// The firewall rows for a network virtual appliance, as data (and an output) its team applies.
pub(super) fn appliance_rules_block(refs: &Refs, firewall: &super::super::design::Firewall) -> Block {
    let source = |subnet: &str| Value::List(vec![Value::expr(format!("var.{subnet}_subnet_prefix"))]);
    let mut rules = Vec::new();
    for rule in &firewall.network_rules {
        let (single, many) = refs.destinations(&rule.destinations);
        rules.push(Value::object([
            ("name", Value::str(&rule.id)),
            ("kind", Value::str("network")),
            ("protocols", Value::strs(rule.protocols.clone())),
            ("source_addresses", source(&rule.source_subnet)),
            (
                "destination_addresses",
                many.unwrap_or_else(|| Value::List(single.into_iter().collect())),
            ),
            ("destination_ports", Value::strs(rule.ports.clone())),
        ]));
    }
    for rule in &firewall.application_rules {
        rules.push(Value::object([
            ("name", Value::str(&rule.id)),
            ("kind", Value::str("application")),
            ("protocols", Value::strs(["Https:443"])),
            ("source_addresses", source(&rule.source_subnet)),
            ("destination_fqdns", Value::strs(rule.fqdns.clone())),
        ]));
    }
    Block::new("locals", &[])
        .comment("The firewall rows of the network-rules table, for the network virtual appliance (output `appliance_rules`).")
        .attr("appliance_rules", Value::List(rules))
}

pub(super) fn firewall_rules_block(refs: &Refs, firewall: &super::super::design::Firewall, ws: &str) -> Block {
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

pub(super) fn dns_blocks(refs: &Refs) -> Vec<Block> {
    let design = refs.design;
    let corporate = design.corporate_zones.iter().map(|zone| {
        module_block(
            &format!("{CORPORATE_PREFIX}{}", zone.id),
            "private_dns_zone",
            &format!(
                "Corporate copy of {} (split DNS): holds the client endpoints, linked only to the client network.",
                zone.name
            ),
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
                    "{ for id in var.dns_zone_link_vnet_ids : basename(id) => {\n    name               = \"link-${basename(id)}\"\n    virtual_network_id = id\n  } }",
                )
            });
            let links = match (spoke, others) {
                (Some(Value::Object(spoke)), Some(Value::Expr(others))) => {
                    let spoke = super::super::value::Syntax::Hcl.print(&Value::Object(spoke), 1);
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
