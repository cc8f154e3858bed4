//! The language-neutral design the generators write: what the recommendation creates, in the
//! structured form the `iac:` knowledge gives each table row. Both Terraform and Bicep are
//! rendered from this one value (made in `from_record.rs`), so they cannot disagree with each
//! other or with the record.

use std::collections::BTreeMap;

use crate::knowledge::iac::{EndpointNetwork, NextHop};

/// Why the design could not be made: the knowledge base does not say how to express something
/// the recommendation holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignError(pub String);

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    pub workspace_name: String,
    pub region: String,
    pub resource_group: String,
    pub settings: BTreeMap<String, String>,
    /// The plan creates a workload virtual network (customer-managed network).
    pub vnet: Option<Vnet>,
    pub nsgs: Vec<Nsg>,
    pub routes: Vec<Route>,
    pub nat_gateway: bool,
    pub firewall: Option<Firewall>,
    pub private_endpoints: Vec<Endpoint>,
    pub dns_zones: Vec<Zone>,
    /// Split DNS: corporate copies of table zones (id of the copied zone, zone name), in the
    /// corporate DNS resource group, linked to the client network.
    pub corporate_zones: Vec<Zone>,
    /// Link the zones to the workload network.
    pub link_zones_to_vnet: bool,
    /// Link the zones to the networks you name (client, DNS servers, resolver).
    pub link_zones_to_other_networks: bool,
    pub outbound_rules: Vec<OutboundRule>,
    pub provision_network_now: bool,
    /// The image build compute's name, when the plan sets one.
    pub image_build_compute: Option<String>,
    pub registry: bool,
    pub customer_managed_key: bool,
    pub diagnostics: bool,
    pub private_link_scope: bool,
    pub hub_peering: bool,
    pub roles: Vec<Role>,
    pub policies: Vec<Policy>,
    /// Every variable the generated code uses, in the knowledge base's order.
    pub variables: Vec<Variable>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub description: String,
    pub kind: String,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vnet {
    /// `training`, `pe`, `scoring`, `firewall`, in that order when present.
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nsg {
    pub subnet: String,
    pub rules: Vec<NsgRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsgRule {
    /// The id of the network-rules row.
    pub id: String,
    pub priority: u32,
    pub inbound: bool,
    pub allow: bool,
    /// `Tcp`, `Udp` or `*`.
    pub protocol: String,
    pub source: String,
    pub destinations: Destinations,
    /// Port numbers, or `*`.
    pub ports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destinations {
    Literal(Vec<String>),
    /// A variable of type list (prefixes) or string (one address).
    Variable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub id: String,
    pub address_prefix: String,
    pub next_hop: NextHop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firewall {
    /// The plan creates an Azure Firewall in the workload network; otherwise the rules go to
    /// the hub's firewall policy.
    pub local: bool,
    /// Egress passes a network virtual appliance, not Azure Firewall: no firewall policy takes
    /// the rules, so they are written as data (`appliance_rules`) for the appliance's own
    /// configuration.
    pub appliance: bool,
    pub network_rules: Vec<FirewallNetworkRule>,
    pub application_rules: Vec<FirewallApplicationRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallNetworkRule {
    pub id: String,
    pub source_subnet: String,
    pub protocols: Vec<String>,
    pub destinations: Destinations,
    pub ports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallApplicationRule {
    pub id: String,
    pub source_subnet: String,
    pub fqdns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub name: String,
    /// A resource of the deployment, or a variable naming an existing one.
    pub target: Target,
    pub subresource: String,
    pub network: EndpointNetwork,
    /// Zone ids of the DNS table (only those the design creates).
    pub zones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboundRule {
    Fqdn {
        key: String,
        destination: String,
    },
    PrivateEndpoint {
        key: String,
        target: Target,
        subresource: String,
    },
}

impl OutboundRule {
    pub fn key(&self) -> &str {
        match self {
            OutboundRule::Fqdn { key, .. } | OutboundRule::PrivateEndpoint { key, .. } => key,
        }
    }
}

/// A resource of this deployment, or a variable holding the id of one outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Resource(String),
    Variable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub persona: String,
    pub role: String,
    pub custom: bool,
    pub scope: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: String,
    pub assignment: String,
    pub display_name: String,
    pub definition_id: String,
    pub effect: String,
    pub identity_role: Option<String>,
    /// Parameter name -> source (`zone:ID`, `text:VALUE`, `private_endpoint_subnet`, ...).
    pub parameters: BTreeMap<String, String>,
}

/// The module name prefix of a corporate zone copy (`corp_zone_blob`).
pub const CORPORATE_PREFIX: &str = "corp_";

/// Personas whose principal is the workspace's own identity rather than a group you name.
pub const WORKSPACE_IDENTITY_PERSONA: &str = "workspace_identity";

impl Design {
    /// Whether the design deploys `resource` (a mapping's target): a reference to one it does
    /// not deploy would point at nothing.
    pub fn deploys(&self, resource: &str) -> bool {
        match resource {
            "registry" => self.registry,
            "vnet" => self.vnet.is_some(),
            "cmk_key_vault" => self.customer_managed_key,
            "private_link_scope" => self.private_link_scope,
            _ => true,
        }
    }

    pub fn setting(&self, id: &str) -> &str {
        self.settings.get(id).map_or("", String::as_str)
    }

    /// The personas whose principal ids the user supplies, in first-use order.
    pub fn personas(&self) -> Vec<&str> {
        let mut personas: Vec<&str> = Vec::new();
        for role in &self.roles {
            if role.persona != WORKSPACE_IDENTITY_PERSONA && !personas.contains(&role.persona.as_str()) {
                personas.push(&role.persona);
            }
        }
        personas
    }

    pub fn has_subnet(&self, subnet: &str) -> bool {
        self.vnet
            .as_ref()
            .is_some_and(|vnet| vnet.subnets.iter().any(|s| s == subnet))
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|variable| variable.name == name)
    }
}
