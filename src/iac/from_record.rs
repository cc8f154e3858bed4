//! Makes the design from the recommendation: its steps' `creates`, its network-rule, DNS,
//! role and policy tables, and the `iac:` knowledge that says how each becomes code.

use std::collections::BTreeSet;

use super::design::*;
use crate::answers::Resolved;
use crate::engine::Recommendation;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::condition::holds;
use crate::knowledge::iac::{Access, EndpointNetwork, IacKnowledge, NextHop};
use crate::knowledge::model::{Direction, Enforcement};
use crate::knowledge::plan::ResourceRef;
use crate::placeholder;

pub fn build(kb: &KnowledgeBase, answers: &Resolved, rec: &Recommendation) -> Result<Design, DesignError> {
    let iac = &kb.iac;
    if iac.readme.is_none() {
        return Err(DesignError(
            "the knowledge base has no `iac:` block, so it does not say how to write the design as code".to_string(),
        ));
    }
    let resource_group = answers.text("resource_group").unwrap_or("<resource-group>").to_string();
    let fill = |text: &str| {
        placeholder::fill(text, |name| match name {
            "workspace_name" => Some(rec.workspace_name.clone()),
            "region" => Some(rec.region.clone()),
            "resource_group" => Some(resource_group.clone()),
            "region_name" => Some(
                kb.region(&rec.region)
                    .map_or_else(|| rec.region.clone(), |r| r.name.clone()),
            ),
            _ => None,
        })
    };
    let created: BTreeSet<&str> = rec
        .next_steps
        .iter()
        .flat_map(|step| step.creates.iter().map(String::as_str))
        .collect();
    let names_of = |kind: &str| -> Vec<&str> {
        created
            .iter()
            .filter_map(|text| ResourceRef::parse(text).ok())
            .filter(|parsed| parsed.kind == kind)
            .filter_map(|parsed| parsed.name)
            .collect()
    };
    let used: BTreeSet<&str> = rec
        .next_steps
        .iter()
        .flat_map(|step| step.uses.iter().map(|used| used.resource.as_str()))
        .collect();

    // A resource the plan uses but does not create (an existing registry, key vault or
    // network) is named by a variable, never dropped.
    let locate = |target: &str| {
        let deployed = match target {
            "registry" => created.contains("registry"),
            "vnet" => created.contains("vnet:spoke"),
            "cmk_key_vault" => created.contains("key:cmk"),
            "private_link_scope" => created.contains("private_link_scope"),
            _ => true,
        };
        if deployed {
            Target::Resource(target.to_string())
        } else {
            Target::Variable(format!("existing_{target}_id"))
        }
    };
    let settings = iac
        .settings
        .iter()
        .map(|setting| {
            let value = setting
                .cases
                .iter()
                .find(|case| holds(case.when.as_ref(), answers))
                .map_or_else(String::new, |case| case.value.clone());
            (setting.setting.clone(), value)
        })
        .collect();

    let vnet = created.contains("vnet:spoke").then(|| Vnet {
        subnets: ["training", "pe", "scoring", "firewall"]
            .iter()
            .filter(|name| created.contains(format!("subnet:{name}").as_str()))
            .map(|name| (*name).to_string())
            .collect(),
    });

    let NetworkRows {
        nsgs,
        routes,
        firewall_network,
        firewall_application,
        mut outbound_rules,
    } = network_rows(kb, rec, &fill)?;

    let fqdn_rule_names: BTreeSet<&str> = iac
        .network_rules
        .iter()
        .filter_map(|m| m.outbound_rule.as_deref())
        .collect();
    for name in names_of("outbound_rule") {
        if let Some(rule) = iac.outbound_rules.iter().find(|rule| rule.name == name) {
            let target = match (&rule.target, &rule.target_variable) {
                (Some(target), _) => locate(target),
                (None, Some(variable)) => Target::Variable(variable.clone()),
                (None, None) => return Err(DesignError(format!("outbound rule `{name}` has no target"))),
            };
            outbound_rules.push(OutboundRule::PrivateEndpoint {
                key: name.to_string(),
                target,
                subresource: rule.subresource.clone(),
            });
        } else if !fqdn_rule_names.contains(name) {
            return Err(DesignError(format!(
                "outbound rule `{name}` has no entry in `iac.outbound_rules`"
            )));
        }
    }

    let zone_ids: BTreeSet<&str> = rec.dns_zones.iter().map(|zone| zone.id.as_str()).collect();
    let mut private_endpoints = Vec::new();
    for name in names_of("private_endpoint") {
        let endpoint = iac
            .private_endpoints
            .iter()
            .find(|endpoint| endpoint.name == name)
            .ok_or_else(|| {
                DesignError(format!(
                    "private endpoint `{name}` has no entry in `iac.private_endpoints`"
                ))
            })?;
        private_endpoints.push(Endpoint {
            name: endpoint.name.clone(),
            target: locate(&endpoint.target),
            subresource: endpoint.subresource.clone(),
            network: endpoint.network,
            zones: endpoint
                .zones
                .iter()
                .filter(|z| zone_ids.contains(z.as_str()))
                .cloned()
                .collect(),
        });
    }

    let mut roles = Vec::new();
    for row in &rec.role_assignments {
        let mapping = iac
            .roles
            .iter()
            .find(|role| role.role == row.id)
            .ok_or_else(|| DesignError(format!("role assignment `{}` has no entry in `iac.roles`", row.id)))?;
        let scope = match (&mapping.scope, &mapping.scope_variable) {
            (Some(scope), _) => locate(scope),
            (None, Some(variable)) => Target::Variable(variable.clone()),
            (None, None) => return Err(DesignError(format!("role `{}` has no scope", row.id))),
        };
        roles.push(Role {
            id: row.id.clone(),
            persona: row.persona.clone(),
            role: role_name(&row.role),
            custom: row.custom,
            scope,
        });
    }

    let mut policies = Vec::new();
    for row in &rec.policies {
        let mapping = iac
            .policies
            .iter()
            .find(|policy| policy.policy == row.id)
            .ok_or_else(|| DesignError(format!("policy `{}` has no entry in `iac.policies`", row.id)))?;
        policies.push(Policy {
            id: row.id.clone(),
            assignment: mapping.assignment.clone(),
            display_name: row.display_name.clone(),
            definition_id: row.definition_id.clone(),
            effect: row.effect.clone(),
            identity_role: mapping.identity_role.clone(),
            parameters: mapping.parameters.clone(),
        });
    }

    let corporate_zones: Vec<Zone> = names_of("dns_zone")
        .into_iter()
        .filter_map(|name| iac.corporate_zones.iter().find(|copy| copy.resource == name))
        .filter_map(|copy| rec.dns_zones.iter().find(|zone| zone.id == copy.zone))
        .map(|zone| Zone {
            id: zone.id.clone(),
            name: zone.zone.clone(),
        })
        .collect();
    // Client endpoints register in the corporate copies when the plan makes them.
    if !corporate_zones.is_empty() {
        for endpoint in private_endpoints
            .iter_mut()
            .filter(|e| e.network == EndpointNetwork::Client)
        {
            endpoint.zones = endpoint
                .zones
                .iter()
                .map(|zone| match corporate_zones.iter().any(|c| &c.id == zone) {
                    true => format!("{CORPORATE_PREFIX}{zone}"),
                    false => zone.clone(),
                })
                .collect();
        }
    }
    let links = names_of("dns_zone_link");
    let local_firewall = created.contains("firewall:spoke");
    // A rule from AzureFirewallSubnet names the hub's firewall subnet when the firewall is not
    // the plan's own: its prefix is the hub's, never the workload network's default.
    let hub_subnet = |subnet: String| {
        if !local_firewall && subnet == "firewall" {
            "hub_firewall".to_string()
        } else {
            subnet
        }
    };
    let firewall_network: Vec<FirewallNetworkRule> = firewall_network
        .into_iter()
        .map(|rule| FirewallNetworkRule {
            source_subnet: hub_subnet(rule.source_subnet),
            ..rule
        })
        .collect();
    let firewall_application: Vec<FirewallApplicationRule> = firewall_application
        .into_iter()
        .map(|rule| FirewallApplicationRule {
            source_subnet: hub_subnet(rule.source_subnet),
            ..rule
        })
        .collect();
    let appliance = !local_firewall
        && iac
            .settings
            .iter()
            .find(|setting| setting.setting == "egress_appliance")
            .and_then(|setting| setting.cases.iter().find(|case| holds(case.when.as_ref(), answers)))
            .is_some_and(|case| case.value == "appliance");
    let has_rules = !firewall_network.is_empty() || !firewall_application.is_empty();
    let firewall = has_rules.then_some(Firewall {
        local: local_firewall,
        appliance,
        network_rules: firewall_network,
        application_rules: firewall_application,
    });
    let mut design = Design {
        workspace_name: rec.workspace_name.clone(),
        region: rec.region.clone(),
        resource_group,
        settings,
        vnet,
        nsgs,
        routes,
        nat_gateway: created.contains("nat_gateway:compute"),
        firewall,
        private_endpoints,
        dns_zones: rec
            .dns_zones
            .iter()
            .map(|z| Zone {
                id: z.id.clone(),
                name: z.zone.clone(),
            })
            .collect(),
        corporate_zones,
        link_zones_to_vnet: links.contains(&"spoke") && created.contains("vnet:spoke"),
        link_zones_to_other_networks: links.iter().any(|link| *link != "spoke"),
        outbound_rules,
        provision_network_now: created.contains("managed_network"),
        image_build_compute: created
            .contains("workspace_setting:image-build-compute")
            .then(|| image_build_compute_name(rec)),
        registry: created.contains("registry"),
        customer_managed_key: created.contains("key:cmk"),
        diagnostics: created.contains("diagnostic_setting"),
        private_link_scope: created.contains("private_link_scope"),
        hub_peering: created.contains("vnet_peering:hub"),
        roles,
        policies,
        variables: Vec::new(),
    };
    design.variables = variables_used(iac, &design, &used);
    Ok(design)
}

/// The compute the plan names as image build compute (`--image-build-compute NAME`).
fn image_build_compute_name(rec: &Recommendation) -> String {
    rec.next_steps
        .iter()
        .filter(|step| {
            step.creates
                .iter()
                .any(|c| c == "workspace_setting:image-build-compute")
        })
        .find_map(|step| {
            let command = step.command.as_deref()?;
            let rest = command.split("--image-build-compute ").nth(1)?;
            rest.split_whitespace().next().map(str::to_string)
        })
        .unwrap_or_else(|| "image-build".to_string())
}

/// "AML Subnet Joiner (Microsoft.Network/...)" names the custom role `AML Subnet Joiner`.
fn role_name(role: &str) -> String {
    role.split(" (").next().unwrap_or(role).trim().to_string()
}

/// `pypi.org, files.pythonhosted.org` -> both names.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

fn ports(text: &str) -> Vec<String> {
    if text.trim().eq_ignore_ascii_case("any") {
        return vec!["*".to_string()];
    }
    split_list(text)
}

fn nsg_protocol(protocol: &str) -> String {
    match protocol.to_ascii_uppercase().as_str() {
        "UDP" => "Udp",
        "ANY" => "*",
        // HTTP(S) is TCP to an NSG, which does not look into the traffic.
        _ => "Tcp",
    }
    .to_string()
}

fn firewall_protocol(protocol: &str) -> String {
    match protocol.to_ascii_uppercase().as_str() {
        "UDP" => "UDP",
        "ANY" => "Any",
        _ => "TCP",
    }
    .to_string()
}

/// The variables the design's code refers to, in the knowledge base's order.
fn variables_used(iac: &IacKnowledge, design: &Design, used: &BTreeSet<&str>) -> Vec<Variable> {
    let mut names: BTreeSet<String> = [
        "subscription_id",
        "resource_group_name",
        "location",
        "workspace_name",
        "storage_account_name",
        "key_vault_name",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let mut add = |name: &str| {
        names.insert(name.to_string());
    };
    if design.registry {
        add("registry_name");
    }
    if let Some(vnet) = &design.vnet {
        add("vnet_address_space");
        for subnet in &vnet.subnets {
            add(&format!(
                "{}_subnet_prefix",
                if subnet == "pe" { "private_endpoint" } else { subnet }
            ));
        }
    }
    for nsg in &design.nsgs {
        for rule in &nsg.rules {
            if let Destinations::Variable(variable) = &rule.destinations {
                add(variable);
            }
        }
    }
    // Firewall rules name their source subnets by prefix.
    if let Some(firewall) = &design.firewall {
        if !firewall.local && !firewall.appliance {
            add("firewall_policy_id");
        }
        for rule in &firewall.network_rules {
            add(&format!("{}_subnet_prefix", rule.source_subnet));
            if let Destinations::Variable(variable) = &rule.destinations {
                add(variable);
            }
        }
        for rule in &firewall.application_rules {
            add(&format!("{}_subnet_prefix", rule.source_subnet));
        }
    }
    if design.routes.iter().any(|route| route.next_hop == NextHop::Firewall)
        && !design.firewall.as_ref().is_some_and(|firewall| firewall.local)
    {
        add("firewall_private_ip");
    }
    if design.hub_peering || used.contains("vnet:hub") {
        add("hub_vnet_id");
    }
    for endpoint in &design.private_endpoints {
        if let Target::Variable(variable) = &endpoint.target {
            add(variable);
        }
        match endpoint.network {
            EndpointNetwork::Client => add("client_private_endpoint_subnet_id"),
            EndpointNetwork::Workload if !design.has_subnet("pe") => add("private_endpoint_subnet_id"),
            EndpointNetwork::Workload => {}
        }
    }
    if !design.corporate_zones.is_empty() {
        add("corporate_dns_resource_group_id");
        add("client_vnet_id");
    }
    if design.link_zones_to_other_networks {
        add("dns_zone_link_vnet_ids");
    }
    for rule in &design.outbound_rules {
        if let OutboundRule::PrivateEndpoint {
            target: Target::Variable(variable),
            ..
        } = rule
        {
            add(variable);
        }
    }
    for role in &design.roles {
        if let Target::Variable(variable) = &role.scope {
            add(variable);
        }
    }
    if !design.personas().is_empty() {
        add("principal_ids");
    }
    if design.customer_managed_key {
        add("cmk_key_officer_principal_id");
        add("cosmos_db_principal_id");
    }
    if design.setting("public_network_access") == "selected_ips" {
        add("allowed_public_ip_ranges");
    }
    for policy in &design.policies {
        if policy
            .parameters
            .values()
            .any(|source| source == "private_endpoint_subnet")
            && !design.has_subnet("pe")
        {
            add("private_endpoint_subnet_id");
        }
    }
    iac.variables
        .iter()
        .filter(|variable| names.contains(&variable.name))
        .map(|variable| Variable {
            name: variable.name.clone(),
            description: variable.description.clone(),
            kind: variable.kind().to_string(),
            default: variable.default.clone(),
        })
        .collect()
}

/// The network-rules table, each row where its `enforced_by` puts it.
struct NetworkRows {
    nsgs: Vec<Nsg>,
    routes: Vec<Route>,
    firewall_network: Vec<FirewallNetworkRule>,
    firewall_application: Vec<FirewallApplicationRule>,
    /// The managed network's FQDN rules.
    outbound_rules: Vec<OutboundRule>,
}

fn network_rows(
    kb: &KnowledgeBase,
    rec: &Recommendation,
    fill: &dyn Fn(&str) -> String,
) -> Result<NetworkRows, DesignError> {
    let iac = &kb.iac;
    let mut nsgs: Vec<Nsg> = Vec::new();
    let mut routes = Vec::new();
    let mut firewall_network = Vec::new();
    let mut firewall_application = Vec::new();
    let mut outbound_rules = Vec::new();
    for row in &rec.network_rules {
        let mapping = iac
            .network_rules
            .iter()
            .find(|mapping| mapping.rule == row.id)
            .ok_or_else(|| DesignError(format!("network rule `{}` has no entry in `iac.network_rules`", row.id)))?;
        let enforced_by = kb
            .network_rules
            .iter()
            .find(|rule| rule.id == row.id)
            .map(|rule| rule.enforced_by)
            .ok_or_else(|| DesignError(format!("network rule `{}` is not in the knowledge base", row.id)))?;
        let subnet = mapping.subnet.clone().unwrap_or_default();
        let destinations = match &mapping.destination_variable {
            Some(variable) => Destinations::Variable(variable.clone()),
            None => Destinations::Literal(mapping.destination.iter().map(|d| fill(d)).collect()),
        };
        let fqdns = || split_list(&row.destination);
        match enforced_by {
            Enforcement::Nsg => {
                let index = match nsgs.iter().position(|nsg| nsg.subnet == subnet) {
                    Some(index) => index,
                    None => {
                        nsgs.push(Nsg {
                            subnet: subnet.clone(),
                            rules: Vec::new(),
                        });
                        nsgs.len() - 1
                    }
                };
                let nsg = &mut nsgs[index];
                let inbound = row.direction == Direction::Inbound;
                let allow = mapping.access == Access::Allow;
                // Allows first, from the top; denies sit at the bottom, as "lowest priority".
                let same_kind = nsg
                    .rules
                    .iter()
                    .filter(|r| r.inbound == inbound && r.allow == allow)
                    .count() as u32;
                let priority = if allow {
                    100 + 10 * same_kind
                } else {
                    4000 + 10 * same_kind
                };
                nsg.rules.push(NsgRule {
                    id: row.id.clone(),
                    priority,
                    inbound,
                    allow,
                    protocol: nsg_protocol(&row.protocol),
                    source: mapping.source.clone().unwrap_or_default(),
                    destinations,
                    ports: ports(&row.ports),
                });
            }
            Enforcement::Firewall => {
                if matches!(destinations, Destinations::Literal(ref list) if list.is_empty()) {
                    firewall_application.push(FirewallApplicationRule {
                        id: row.id.clone(),
                        source_subnet: subnet,
                        fqdns: fqdns(),
                    });
                } else {
                    firewall_network.push(FirewallNetworkRule {
                        id: row.id.clone(),
                        source_subnet: subnet,
                        protocols: vec![firewall_protocol(&row.protocol)],
                        destinations,
                        ports: ports(&row.ports),
                    });
                }
            }
            Enforcement::RouteTable => {
                for prefix in mapping.destination.iter().map(|d| fill(d)) {
                    routes.push(Route {
                        id: row.id.clone(),
                        address_prefix: prefix,
                        next_hop: mapping.next_hop.unwrap_or(NextHop::Internet),
                    });
                }
            }
            Enforcement::ManagedNetwork => {
                let name = mapping.outbound_rule.clone().unwrap_or_else(|| row.id.clone());
                for (index, destination) in fqdns().into_iter().enumerate() {
                    outbound_rules.push(OutboundRule::Fqdn {
                        key: format!("{name}-{}", index + 1),
                        destination,
                    });
                }
            }
        }
    }
    for nsg in &mut nsgs {
        nsg.rules.sort_by_key(|rule| (rule.inbound, rule.priority));
    }
    nsgs.sort_by_key(|nsg| {
        ["training", "scoring", "firewall"]
            .iter()
            .position(|s| *s == nsg.subnet)
    });
    Ok(NetworkRows {
        nsgs,
        routes,
        firewall_network,
        firewall_application,
        outbound_rules,
    })
}
