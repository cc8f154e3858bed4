//! The shape of the knowledge base files, exactly as written in `knowledge/*.yaml`.
//!
//! Every struct denies unknown keys so that a typo in an organisation's extension is an error
//! with a line number, not a silently ignored rule. Semantic checks (ids, references,
//! reachability) live in `validate.rs`; this file is only the shape.
//!
//! Text fields may contain the placeholders `${workspace_name}`, `${region}`,
//! `${region_name}` and `${resource_group}`; they are filled in by the engine and checked at
//! load time.

use serde::{Deserialize, Serialize};

use super::condition::Condition;

/// One YAML file of the knowledge base. Every list is optional so that content can be split
/// by area across files; the loader concatenates the lists of all files in file-name order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeFile {
    /// Exactly one file of the knowledge base carries `meta`.
    #[serde(default)]
    pub meta: Option<Meta>,
    /// Exactly one file carries `report`: the framing text of the outputs that gives advice.
    #[serde(default)]
    pub report: Option<ReportText>,
    /// Interview sections, in the order they are asked.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Decision areas, in the order decisions are reported.
    #[serde(default)]
    pub areas: Vec<Area>,
    /// Phases that order the next steps (dependency order: earlier phases first).
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub regions: Vec<Region>,
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Evaluated in order; the first whose `when` holds is chosen. The last has no `when`.
    #[serde(default)]
    pub architectures: Vec<Architecture>,
    /// Evaluated in order; the first whose `when` holds is the variant.
    #[serde(default)]
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub network_rules: Vec<NetworkRule>,
    #[serde(default)]
    pub dns_zones: Vec<DnsZone>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub role_assignments: Vec<RoleAssignment>,
    /// How a reviewer verifies the deployed design (design record "Confirmation").
    #[serde(default)]
    pub confirmations: Vec<Confirmation>,
    /// The architecture diagram: groups (subgraphs), nodes and edges, each with a condition.
    #[serde(default)]
    pub diagram: Option<Diagram>,
    /// Resources that exist before the plan starts (the hub network, on-premises DNS, an
    /// existing workspace): a step may use them although no step creates them.
    #[serde(default)]
    pub plan_inputs: Vec<PlanInput>,
    /// How a deployed estate is read and compared with the recommendation (`assess`).
    #[serde(default)]
    pub estate: Option<super::estate::EstateRules>,
    /// How the design becomes Terraform and Bicep; lists concatenate across files, one file
    /// gives the README text.
    #[serde(default)]
    pub iac: Option<super::iac::IacKnowledge>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The knowledge base's own version, reported in every output.
    pub version: String,
    pub title: String,
    /// When the content was last reviewed against its sources (YYYY-MM-DD).
    pub reviewed: String,
}

/// Framing sentences of the outputs that carry advice (how to apply a table, in what order to
/// work). They live here rather than in the renderers so that an organisation words them its
/// own way, and so that no advice is written in Rust.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportText {
    /// Opens the design record: what the design must settle (with `${workspace_name}`,
    /// `${region}`).
    pub problem_statement: String,
    /// Introduces the role assignments table.
    pub roles_intro: String,
    /// Introduces the network rules table.
    pub network_rules_intro: String,
    /// Introduces the private DNS zones table.
    pub dns_zones_intro: String,
    /// Labels a zone's list of public zones to forward (text and interview outputs).
    pub dns_forward_label: String,
    /// Introduces the policy assignments table.
    pub policies_intro: String,
    /// Introduces the policies listed under the design record's confirmation.
    pub enforcement_intro: String,
    /// Introduces the confirmation checks.
    pub confirmation_intro: String,
    /// Introduces the next steps: why their order matters.
    pub next_steps_intro: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Its answers describe the situation, so the design record quotes them in its context
    /// and problem statement.
    #[serde(default)]
    pub in_problem_statement: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    Ga,
    Preview,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// An `https://learn.microsoft.com/...` URL, or a description of a document that is not
    /// published (never a file path: readers do not have the author's files).
    pub location: String,
    /// YYYY-MM-DD.
    pub reviewed: String,
    pub status: SourceStatus,
    /// Fact-sheet ids this source backs (NET-20, FW-03, ...), for traceability.
    #[serde(default)]
    pub facts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The programmatic name, such as `westeurope`.
    pub id: String,
    /// The display name, such as `West Europe`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multi,
    Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub section: String,
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    pub prompt: String,
    /// 2–6 sentences on the trade-off the administrator is making.
    pub help: String,
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Cases tried in order; the first whose `when` holds gives the default. The last case has
    /// no `when`. Absent: the question is required.
    #[serde(default)]
    pub default: Option<Vec<DefaultCase>>,
    /// Absent: always asked.
    #[serde(default)]
    pub asked_when: Option<Condition>,
    /// Required for `type: text`.
    #[serde(default)]
    pub text: Option<TextRule>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// One line.
    pub description: String,
    /// Absent: always offered when the question is asked.
    #[serde(default)]
    pub offered_when: Option<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultCase {
    #[serde(default)]
    pub when: Option<Condition>,
    pub value: DefaultValue,
    /// Why this default, shown with the assumption.
    pub reason: String,
}

/// A default: a choice id or a text for single and text questions, a list for multi.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum DefaultValue {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextKind {
    /// Letters, digits, `-` and `_`, starting with a letter or digit.
    Name,
    /// Letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with `.`.
    ResourceGroup,
    /// One of the regions the knowledge base lists.
    Region,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TextRule {
    pub kind: TextKind,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// An area id; one decision per area.
    pub area: String,
    pub title: String,
    /// Tried in order; the first whose `when` holds is chosen; the others are reported as
    /// considered alternatives with their pros and cons.
    pub options: Vec<DecisionOption>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextStep {
    pub id: String,
    /// A phase id: orders the steps across decisions.
    pub phase: String,
    pub text: String,
    /// Runnable commands with placeholders: `az` invocations joined by `&&`, or the tool the
    /// text names (`docker`, `pip`). Never prose: prose belongs in `text`.
    #[serde(default)]
    pub command: Option<String>,
    /// A file the command applies (`az ml workspace create --file workspace.yml`), shown whole
    /// so that the reader sees every setting it carries.
    #[serde(default)]
    pub file: Option<StepFile>,
    /// Resources this step brings into being, as `kind` or `kind:name` (`subnet:training`).
    #[serde(default)]
    pub creates: Vec<String>,
    /// Resources this step needs to exist; each must be created by a step of the same or an
    /// earlier phase, or be a plan input, under every answer that shows this step.
    #[serde(default)]
    pub uses: Vec<ResourceNeed>,
    /// Absent: whenever the option is chosen.
    #[serde(default)]
    pub when: Option<Condition>,
}

/// A resource a step needs: always (`subnet:training`), or only under a condition
/// (`{ resource: key:cmk, when: … }`), as when the workspace file names a key only with
/// customer-managed keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ResourceNeed {
    Always(String),
    When(ConditionalNeed),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalNeed {
    pub resource: String,
    pub when: Condition,
}

impl ResourceNeed {
    pub fn resource(&self) -> &str {
        match self {
            Self::Always(resource) => resource,
            Self::When(need) => &need.resource,
        }
    }

    pub fn when(&self) -> Option<&Condition> {
        match self {
            Self::Always(_) => None,
            Self::When(need) => Some(&need.when),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    /// The file name the command refers to.
    pub name: String,
    /// Its content, with placeholders; the parts whose `when` holds follow in order.
    pub content: String,
    #[serde(default)]
    pub parts: Vec<FilePart>,
}

/// A piece of a step's file that is there only under a condition (a customer-managed key
/// block in the workspace file, say).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilePart {
    pub content: String,
    #[serde(default)]
    pub when: Option<Condition>,
}

/// A resource that exists before the plan starts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// `kind` or `kind:name`, as in a step's `uses`.
    pub resource: String,
    /// What the administrator must already have, shown with the plan.
    pub description: String,
    /// Absent: always an input.
    #[serde(default)]
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Conflict,
    Warning,
    Info,
}

impl Severity {
    /// The word every output labels a finding with.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Conflict => "Conflict",
            Severity::Warning => "Warning",
            Severity::Info => "Note",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub remedy: String,
    pub when: Condition,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
    /// A user-defined route rather than an NSG or firewall rule.
    Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// A network security group rule.
    Nsg,
    /// An Azure Firewall (or appliance) rule: the only place FQDNs can be allowed.
    Firewall,
    /// A user-defined route in a route table.
    RouteTable,
    /// An outbound rule of the workspace's managed virtual network.
    ManagedNetwork,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkRule {
    pub id: String,
    pub direction: Direction,
    /// Service tag or address prefix the traffic comes from (`VirtualNetwork`, ...).
    pub source: String,
    /// Service tag, FQDN or next hop, with `${region}` where the tag is regional.
    pub destination: String,
    /// What carries the rule; decides which destinations it can express (an NSG cannot match
    /// an FQDN, a route table only takes address prefixes and the service tags UDRs accept).
    pub enforced_by: Enforcement,
    pub protocol: String,
    pub ports: String,
    pub why: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsZone {
    pub id: String,
    pub zone: String,
    /// The resource (and sub-resource) the zone resolves.
    pub resource: String,
    /// Public zones a custom DNS server must conditionally forward to 168.63.129.16.
    #[serde(default)]
    pub forward: Vec<String>,
    #[serde(default)]
    pub when: Option<Condition>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectCase {
    #[serde(default)]
    pub when: Option<Condition>,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub display_name: String,
    /// The built-in definition's GUID.
    pub definition_id: String,
    /// Tried in order; the first whose `when` holds gives the effect.
    pub effect: Vec<EffectCase>,
    /// Parameters to set on the assignment, if any (`isolationMode=AllowOnlyApprovedOutbound`).
    #[serde(default)]
    pub parameters: Option<String>,
    /// The command that assigns the policy, with placeholders and `{effect}` for the effect the
    /// engine chose. Modify and DeployIfNotExists assignments carry their identity, its role and
    /// the remediation task here, so the design record never shows one without the others.
    pub assign: String,
    pub why: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignment {
    pub id: String,
    /// A choice id of the `personas` question, or another short persona label.
    pub persona: String,
    pub role: String,
    /// Built-in role, or a custom role the administrator must create first.
    pub custom: bool,
    pub scope: String,
    pub why: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub id: String,
    /// What must hold once deployed.
    pub check: String,
    /// The `az` command that shows it, with placeholders.
    pub command: String,
    /// What the command must print.
    pub expect: String,
    #[serde(default)]
    pub when: Option<Condition>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    #[serde(default)]
    pub groups: Vec<DiagramGroup>,
    #[serde(default)]
    pub nodes: Vec<DiagramNode>,
    #[serde(default)]
    pub edges: Vec<DiagramEdge>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagramGroup {
    pub id: String,
    pub label: String,
    /// A group id when nested.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagramNode {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagramEdge {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub when: Option<Condition>,
}

/// An item that applies under an optional condition and cites sources: what the validator
/// checks and the engine filters alike for every kind of rule.
pub trait Rule {
    fn id(&self) -> &str;
    fn when(&self) -> Option<&Condition>;
    fn sources(&self) -> &[String];
}

macro_rules! rule_with_optional_when {
    ($($kind:ty),* $(,)?) => {$(
        impl Rule for $kind {
            fn id(&self) -> &str {
                &self.id
            }
            fn when(&self) -> Option<&Condition> {
                self.when.as_ref()
            }
            fn sources(&self) -> &[String] {
                &self.sources
            }
        }
    )*};
}

rule_with_optional_when!(
    Architecture,
    Variant,
    DecisionOption,
    NetworkRule,
    DnsZone,
    Policy,
    RoleAssignment,
    Confirmation,
);

impl Rule for Finding {
    fn id(&self) -> &str {
        &self.id
    }
    fn when(&self) -> Option<&Condition> {
        Some(&self.when)
    }
    fn sources(&self) -> &[String] {
        &self.sources
    }
}
