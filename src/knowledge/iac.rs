//! The shape of the `iac:` block (knowledge/92-iac.yaml): what the infrastructure-as-code export
//! needs beyond the recommendation's tables, written as data. The closed vocabularies below
//! (settings, targets, scopes) are what the generators know how to express; the validator keeps
//! the data inside them.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::condition::Condition;
use super::model::EffectCase;

/// Workspace settings the generators map to module inputs, with the values each may take.
pub const SETTINGS: &[(&str, &[&str])] = &[
    ("public_network_access", &["enabled", "selected_ips", "disabled"]),
    (
        "isolation_mode",
        &["disabled", "allow_internet_outbound", "allow_only_approved_outbound"],
    ),
    ("firewall_sku", &["basic", "standard"]),
    ("hbi_workspace", &["true", "false"]),
    ("system_datastores_auth_mode", &["identity", "accesskey"]),
    ("registry_sku", &["basic", "standard", "premium"]),
    ("egress_appliance", &["azure_firewall", "appliance"]),
];

/// Resources of the deployment a private endpoint, outbound rule, role or policy parameter can
/// point at.
pub const TARGETS: &[&str] = &[
    "workspace",
    "storage_account",
    "key_vault",
    "registry",
    "private_link_scope",
    "log_analytics",
    "vnet",
    "resource_group",
    "cmk_key_vault",
];

/// Subnets of the workload network a rule can apply to.
pub const SUBNETS: &[&str] = &["training", "scoring", "firewall"];

/// Resources the generators can reference through a policy parameter (besides `zone:ID` and
/// `text:VALUE`).
pub const PARAMETER_SOURCES: &[&str] = &["private_endpoint_subnet", "log_analytics"];

/// Variable types (the default is a string).
pub const VARIABLE_TYPES: &[&str] = &["string", "list", "map"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacKnowledge {
    #[serde(default)]
    pub settings: Vec<IacSetting>,
    #[serde(default)]
    pub network_rules: Vec<IacNetworkRule>,
    #[serde(default)]
    pub private_endpoints: Vec<IacPrivateEndpoint>,
    #[serde(default)]
    pub corporate_zones: Vec<IacCorporateZone>,
    #[serde(default)]
    pub outbound_rules: Vec<IacOutboundRule>,
    #[serde(default)]
    pub roles: Vec<IacRole>,
    #[serde(default)]
    pub policies: Vec<IacPolicy>,
    #[serde(default)]
    pub variables: Vec<IacVariable>,
    #[serde(default)]
    pub readme: Option<IacReadme>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacSetting {
    pub setting: String,
    /// Tried in order; the first whose `when` holds gives the value. The last has no `when`.
    pub cases: Vec<EffectCase>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    #[default]
    Allow,
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextHop {
    Firewall,
    Internet,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacNetworkRule {
    /// The id of a row of `network_rules`.
    pub rule: String,
    /// The workload subnet the rule applies to (NSG, firewall source, route table).
    #[serde(default)]
    pub subnet: Option<String>,
    /// NSG source: a service tag or prefix.
    #[serde(default)]
    pub source: Option<String>,
    /// Service tags or prefixes; absent for FQDN rules, whose row lists the FQDNs.
    #[serde(default)]
    pub destination: Vec<String>,
    /// A variable holding the destination when only the user knows it.
    #[serde(default)]
    pub destination_variable: Option<String>,
    #[serde(default)]
    pub access: Access,
    /// For route-table rows.
    #[serde(default)]
    pub next_hop: Option<NextHop>,
    /// For managed-network rows: the outbound rule (`outbound_rule:NAME`) the FQDNs belong to.
    #[serde(default)]
    pub outbound_rule: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointNetwork {
    /// The workload network: the plan's private-endpoint subnet, or a subnet you name.
    Workload,
    /// The client (corporate) network.
    Client,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacPrivateEndpoint {
    /// The name of `private_endpoint:NAME`.
    pub name: String,
    pub target: String,
    pub subresource: String,
    pub network: EndpointNetwork,
    /// Ids of the DNS table's zones that make up its zone group.
    #[serde(default)]
    pub zones: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacCorporateZone {
    /// The name of `dns_zone:NAME` the plan creates for the corporate network.
    pub resource: String,
    /// The DNS table zone it copies.
    pub zone: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacOutboundRule {
    /// The name of `outbound_rule:NAME`.
    pub name: String,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub target_variable: Option<String>,
    pub subresource: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacRole {
    /// The id of a row of `role_assignments`.
    pub role: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub scope_variable: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacPolicy {
    /// The id of a `policies` entry.
    pub policy: String,
    /// The assignment's name, as its assign command writes it.
    pub assignment: String,
    /// The role of the assignment's managed identity (Modify and DeployIfNotExists).
    #[serde(default)]
    pub identity_role: Option<String>,
    /// Parameter name -> source: `zone:ID`, `text:VALUE`, or one of `PARAMETER_SOURCES`.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacVariable {
    pub name: String,
    pub description: String,
    /// `string` (the default), `list` of strings or `map` of strings.
    #[serde(default)]
    pub r#type: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
}

impl IacVariable {
    pub fn kind(&self) -> &str {
        self.r#type.as_deref().unwrap_or("string")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalText {
    pub text: String,
    #[serde(default)]
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacReadme {
    pub intro: String,
    pub deployed_heading: String,
    pub fill_in: String,
    pub apply_order: Vec<ConditionalText>,
    pub one_way_doors: Vec<ConditionalText>,
    /// Said when a role of the plan is a custom role, which must exist before it is assigned.
    pub custom_roles: String,
    /// Said when egress passes an appliance whose rules the code can only hand over as data.
    pub appliance_rules: String,
    pub checked: String,
    pub not_checked: String,
    pub terraform_commands: String,
    pub bicep_commands: String,
}

/// Variables the generators reference themselves (the data references the others); the
/// validator requires a description for each.
pub const GENERATOR_VARIABLES: &[&str] = &[
    "subscription_id",
    "resource_group_name",
    "location",
    "workspace_name",
    "storage_account_name",
    "key_vault_name",
    "registry_name",
    "vnet_address_space",
    "training_subnet_prefix",
    "private_endpoint_subnet_prefix",
    "firewall_subnet_prefix",
    "scoring_subnet_prefix",
    "hub_vnet_id",
    "firewall_private_ip",
    "firewall_policy_id",
    "private_endpoint_subnet_id",
    "client_private_endpoint_subnet_id",
    "dns_zone_link_vnet_ids",
    "principal_ids",
    "cmk_key_officer_principal_id",
    "cosmos_db_principal_id",
    "corporate_dns_resource_group_id",
    "client_vnet_id",
    "allowed_public_ip_ranges",
    "existing_registry_id",
    "hub_firewall_subnet_prefix",
    "existing_vnet_id",
    "existing_cmk_key_vault_id",
    "existing_private_link_scope_id",
];
