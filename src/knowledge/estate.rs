//! How the advisor reads a deployed estate, as knowledge data (`estate:` in `knowledge/*.yaml`):
//! which resource types it knows, which answers a resource's properties determine, which
//! deployed settings it compares with the recommendation (drift), which planned resources it
//! can find in the estate, and what it reports about estate facts no answer covers.
//!
//! Conditions over the estate are data too, written like the answer conditions:
//!
//! ```yaml
//! when:
//!   all:
//!     - has: { of: workspace, path: properties.managedNetwork.isolationMode, equals: AllowOnlyApprovedOutbound }
//!     - not: { has: { of: private_dns_zone, path: name, equals: privatelink.notebooks.azure.net } }
//!     - exported: private_dns_zone
//! ```
//!
//! `has` holds when some resource of that kind (related to the workspace under assessment) has
//! a value at `path` that passes the test. Paths are dotted property names; `[*]` steps into
//! every element of a list or every value of a map. Names and enum values match without case
//! and without underscores, because ARM (`AllowOnlyApprovedOutbound`, `managedNetwork`) and
//! `az ml` (`allow_only_approved_outbound`, `managed_network`) spell the same thing differently;
//! a path that starts with `properties.` also finds the property at the top level, where the
//! `az ml` output keeps it.

use serde::{Deserialize, Serialize};

use super::condition::Condition;
use super::model::Severity;

/// The `estate:` block of one file; the loader concatenates the blocks of all files.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstateRules {
    #[serde(default)]
    pub resource_types: Vec<EstateResourceType>,
    #[serde(default)]
    pub answers: Vec<EstateAnswer>,
    #[serde(default)]
    pub drift: Vec<DriftRule>,
    #[serde(default)]
    pub resources: Vec<EstatePresence>,
    #[serde(default)]
    pub findings: Vec<EstateFinding>,
    /// Where the workspace's subnets are named (its compute's subnet, its private endpoints'),
    /// so that network resources serving those subnets belong to it.
    #[serde(default)]
    pub subnets: Vec<SubnetSource>,
    /// What the estate shows to be already settled: findings that no longer apply and steps
    /// already done (a workspace that already has its customer-managed key).
    #[serde(default)]
    pub settled: Vec<EstateSettled>,
}

/// When the estate shows a matter settled, the findings about it are withdrawn and the steps
/// for it are done.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstateSettled {
    pub id: String,
    /// What is settled, for people: "The workspace already encrypts with a customer-managed key".
    pub note: String,
    pub when: EstateCondition,
    #[serde(default)]
    pub findings: Vec<String>,
    #[serde(default)]
    pub steps: Vec<String>,
}

/// A property of a related resource that holds the id of a subnet the workspace uses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSource {
    pub of: String,
    pub path: String,
}

impl EstateRules {
    pub fn extend(&mut self, other: EstateRules) {
        self.resource_types.extend(other.resource_types);
        self.answers.extend(other.answers);
        self.drift.extend(other.drift);
        self.resources.extend(other.resources);
        self.findings.extend(other.findings);
        self.subnets.extend(other.subnets);
        self.settled.extend(other.settled);
    }

    pub fn resource_type(&self, kind: &str) -> Option<&EstateResourceType> {
        self.resource_types.iter().find(|known| known.kind == kind)
    }

    /// The kind of an ARM resource type (compared without case), if the knowledge knows it.
    pub fn kind_of(&self, arm_type: &str) -> Option<&EstateResourceType> {
        self.resource_types
            .iter()
            .find(|known| known.types.iter().any(|t| t.eq_ignore_ascii_case(arm_type)))
    }
}

/// A resource type the advisor reads, under the short name rules use.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstateResourceType {
    pub kind: String,
    /// ARM types (`Microsoft.Network/privateEndpoints`), compared without case.
    pub types: Vec<String>,
    pub label: String,
    pub related: Relation,
}

/// Which resources of a kind belong to the workspace under assessment. The estate can hold
/// several workspaces and the platform resources they share.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", try_from = "RelationForm")]
pub enum Relation {
    /// The workspace itself.
    Workspace,
    /// Children of the workspace (their id starts with the workspace's id).
    Child,
    /// Resources whose id one of these workspace properties holds (its storage, Key Vault).
    ReferencedBy(Vec<String>),
    /// Resources with a property at one of these paths holding the id of the workspace or of a
    /// resource it references (private endpoints).
    PointsAt(Vec<String>),
    /// Network resources attached to a subnet the workspace uses (NAT gateways, route tables,
    /// NSGs): a property at one of these paths holds the subnet's id.
    ServesSubnets(Vec<String>),
    /// Network resources the workspaces share (DNS zones, firewalls): all of them.
    Shared,
}

/// The written form: a word (`workspace`, `child`, `shared`) or a one-key map
/// (`referenced_by: [...]`, `points_at: [...]`). (serde_yaml would otherwise expect `!tags`.)
#[derive(Deserialize)]
#[serde(untagged)]
enum RelationForm {
    Word(String),
    Map(RelationMap),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationMap {
    #[serde(default)]
    referenced_by: Option<Vec<String>>,
    #[serde(default)]
    points_at: Option<Vec<String>>,
    #[serde(default)]
    serves_subnets: Option<Vec<String>>,
}

impl TryFrom<RelationForm> for Relation {
    type Error = String;

    fn try_from(form: RelationForm) -> Result<Self, Self::Error> {
        const ALLOWED: &str = "`workspace`, `child`, `shared`, `referenced_by: [paths]`, `points_at: [paths]` or `serves_subnets: [paths]`";
        match form {
            RelationForm::Word(word) => match word.as_str() {
                "workspace" => Ok(Relation::Workspace),
                "child" => Ok(Relation::Child),
                "shared" => Ok(Relation::Shared),
                other => Err(format!("unknown relation `{other}`; expected {ALLOWED}")),
            },
            RelationForm::Map(RelationMap {
                referenced_by: Some(paths),
                points_at: None,
                serves_subnets: None,
            }) => Ok(Relation::ReferencedBy(paths)),
            RelationForm::Map(RelationMap {
                referenced_by: None,
                points_at: Some(paths),
                serves_subnets: None,
            }) => Ok(Relation::PointsAt(paths)),
            RelationForm::Map(RelationMap {
                referenced_by: None,
                points_at: None,
                serves_subnets: Some(paths),
            }) => Ok(Relation::ServesSubnets(paths)),
            RelationForm::Map(_) => Err(format!("a relation is exactly one of {ALLOWED}")),
        }
    }
}

/// A test of one property on the resources of one kind.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyTest {
    /// The kind of resource (`resource_types[].kind`).
    pub of: String,
    pub path: String,
    /// The value equals this one (without case and underscores).
    #[serde(default)]
    pub equals: Option<Scalar>,
    /// The value is one of these.
    #[serde(default, rename = "in")]
    pub one_of: Option<Vec<Scalar>>,
    /// The value ends with this text (without case): `.pythonhosted.org` for a wildcard rule.
    #[serde(default)]
    pub ends_with: Option<String>,
    /// With `false`: the property is absent, null, empty text, an empty list or map. Without
    /// any test, the property is present.
    #[serde(default)]
    pub present: Option<bool>,
}

/// A value written in a rule: YAML lets `true` and `443` stand unquoted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl Scalar {
    /// The form the comparison uses: lower case, underscores and spaces removed.
    pub fn normalized(&self) -> String {
        match self {
            Scalar::Bool(value) => value.to_string(),
            Scalar::Number(value) => value.to_string(),
            Scalar::Text(value) => normalize(value),
        }
    }

    pub fn display(&self) -> String {
        match self {
            Scalar::Bool(value) => value.to_string(),
            Scalar::Number(value) => value.to_string(),
            Scalar::Text(value) => value.clone(),
        }
    }
}

/// How names and enum values are compared: `AllowOnlyApprovedOutbound` and
/// `allow_only_approved_outbound` are one value.
pub fn normalize(text: &str) -> String {
    normalized_chars(text).collect()
}

fn normalized_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| *c != '_' && *c != ' ')
        .flat_map(char::to_lowercase)
}

/// Whether `text` normalises to `normalized` (already normalised), without allocating: a
/// fleet assessment compares keys and values millions of times.
pub fn normalizes_to(text: &str, normalized: &str) -> bool {
    normalized_chars(text).eq(normalized.chars())
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", try_from = "EstateConditionMap")]
pub enum EstateCondition {
    All(Vec<EstateCondition>),
    Any(Vec<EstateCondition>),
    Not(Box<EstateCondition>),
    Has(PropertyTest),
    /// The estate files hold at least one resource of this kind, so that its absence means
    /// something (a zone that is missing, rather than zones that were not exported).
    Exported(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EstateConditionMap {
    #[serde(default)]
    all: Option<Vec<EstateCondition>>,
    #[serde(default)]
    any: Option<Vec<EstateCondition>>,
    #[serde(default)]
    not: Option<Box<EstateCondition>>,
    #[serde(default)]
    has: Option<PropertyTest>,
    #[serde(default)]
    exported: Option<String>,
}

impl TryFrom<EstateConditionMap> for EstateCondition {
    type Error = String;

    fn try_from(map: EstateConditionMap) -> Result<Self, Self::Error> {
        let mut found: Vec<EstateCondition> = Vec::new();
        found.extend(map.all.map(EstateCondition::All));
        found.extend(map.any.map(EstateCondition::Any));
        found.extend(map.not.map(EstateCondition::Not));
        found.extend(map.has.map(EstateCondition::Has));
        found.extend(map.exported.map(EstateCondition::Exported));
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err("an estate condition needs one of `all`, `any`, `not`, `has`, `exported`".to_string()),
            _ => Err("an estate condition has exactly one of `all`, `any`, `not`, `has`, `exported`; combine several with `all` or `any`".to_string()),
        }
    }
}

impl EstateCondition {
    /// Every property test inside, for validation and for "which kinds does this read".
    pub fn tests(&self) -> Vec<&PropertyTest> {
        match self {
            EstateCondition::All(parts) | EstateCondition::Any(parts) => {
                parts.iter().flat_map(EstateCondition::tests).collect()
            }
            EstateCondition::Not(inner) => inner.tests(),
            EstateCondition::Has(test) => vec![test],
            EstateCondition::Exported(_) => Vec::new(),
        }
    }

    /// Every kind named, by tests and `exported`.
    pub fn kinds(&self) -> Vec<&str> {
        match self {
            EstateCondition::All(parts) | EstateCondition::Any(parts) => {
                parts.iter().flat_map(EstateCondition::kinds).collect()
            }
            EstateCondition::Not(inner) => inner.kinds(),
            EstateCondition::Has(test) => vec![test.of.as_str()],
            EstateCondition::Exported(kind) => vec![kind.as_str()],
        }
    }
}

/// An answer the estate determines.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstateAnswer {
    pub question: String,
    /// A text question: the value of this property.
    #[serde(default)]
    pub text: Option<TextFrom>,
    /// A single-choice question: the first case that holds; a multi-choice question: every
    /// case that holds.
    #[serde(default)]
    pub cases: Vec<AnswerCase>,
    /// A multi-choice question whose cases all fail is answered with an empty list only when
    /// this holds (the estate shows enough to say "none"); otherwise it stays unanswered.
    #[serde(default)]
    pub none_when: Option<EstateCondition>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerCase {
    pub when: EstateCondition,
    pub choice: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TextFrom {
    pub of: String,
    pub path: String,
    #[serde(default)]
    pub transform: TextTransform,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextTransform {
    /// The value as it is.
    #[default]
    AsIs,
    /// An Azure region as the CLI names it: `West Europe` → `westeurope`.
    Region,
    /// The resource group named in an ARM id.
    ResourceGroupOfId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriftSeverity {
    High,
    Medium,
    Low,
}

impl DriftSeverity {
    pub fn label(self) -> &'static str {
        match self {
            DriftSeverity::High => "high",
            DriftSeverity::Medium => "medium",
            DriftSeverity::Low => "low",
        }
    }
}

/// A deployed setting compared with the value the recommendation asks for.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DriftRule {
    pub id: String,
    /// What the setting is, for people: "Workspace public network access".
    pub setting: String,
    pub of: String,
    pub path: String,
    /// The value Azure applies when the property is absent (ARM omits defaults).
    #[serde(default)]
    pub absent_means: Option<Scalar>,
    /// The recommended value: the first case whose answer condition holds. No case holding
    /// means the recommendation does not care.
    pub recommend: Vec<RecommendCase>,
    pub severity: DriftSeverity,
    /// Why the change cannot be undone, when it cannot.
    #[serde(default)]
    pub one_way: Option<String>,
    /// The next steps that close the gap; the first one in the plan is named.
    pub closed_by: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendCase {
    #[serde(default)]
    pub when: Option<Condition>,
    pub value: Scalar,
}

/// A planned resource and how to find it in the estate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstatePresence {
    /// A plan resource (`dns_zone:notebooks`).
    pub resource: String,
    /// What it is, for people, when the plan's name for it does not say (a workspace setting).
    #[serde(default)]
    pub setting: Option<String>,
    pub found: EstateCondition,
    pub severity: DriftSeverity,
    #[serde(default)]
    pub one_way: Option<String>,
}

/// A fact of the estate that no answer covers but that needs attention.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstateFinding {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub remedy: String,
    pub when: EstateCondition,
    /// Only under these answers (approved-only outbound and PyPI in use, say).
    #[serde(default)]
    pub answers: Option<Condition>,
    #[serde(default)]
    pub sources: Vec<String>,
}
