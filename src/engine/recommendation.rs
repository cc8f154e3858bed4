//! The recommendation: the one value every front end and every output renders. Its JSON form
//! is a public interface (`recommend --format json`), so field names follow the contract.

use schemars::JsonSchema;
use serde::Serialize;

use crate::answers::{AnswerValue, Assumption, IgnoredAnswer};
use crate::knowledge::model::{Direction, ReportText, Severity, SourceStatus};

/// Version of the JSON shape; bumped only on incompatible changes.
/// 2: every answer value is a list of strings (it was a string or a list by question kind).
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Recommendation {
    pub format_version: u32,
    pub knowledge_version: String,
    pub knowledge_hash: String,
    /// SHA-256 of the effective answers, so a record names exactly what it was made from.
    pub answers_hash: String,
    pub workspace_name: String,
    pub region: String,
    pub architecture: ArchitectureChoice,
    pub decisions: Vec<DecisionOutcome>,
    /// Conflicts first, then warnings, then information.
    pub findings: Vec<FindingOutcome>,
    pub network_rules: Vec<NetworkRuleRow>,
    pub dns_zones: Vec<DnsZoneRow>,
    pub policies: Vec<PolicyRow>,
    pub role_assignments: Vec<RoleRow>,
    /// Every decision's steps in dependency (phase) order.
    pub next_steps: Vec<StepOutcome>,
    /// What must exist before the first next step, as used by the steps shown.
    pub plan_inputs: Vec<PlanInputRow>,
    pub confirmations: Vec<ConfirmationRow>,
    pub diagram: DiagramOutcome,
    pub assumptions: Vec<Assumption>,
    pub ignored_answers: Vec<IgnoredAnswer>,
    /// Every applicable question with its effective value, in interview order.
    pub answers: Answers,
    /// The same answers for people: section, the chosen choices' labels, and whether assumed.
    pub answered_questions: Vec<AnsweredQuestion>,
    /// Every source cited anywhere above, in the knowledge base's order.
    pub sources: Vec<SourceRef>,
    /// When the recommendation assesses a deployed estate (`assess`): where answers came from,
    /// the drift and the estate's own findings. `null` otherwise.
    pub estate: Option<crate::estate::report::EstateReport>,
    /// The knowledge base's framing text for the outputs, placeholders filled. Not part of the
    /// JSON interface: it is prose for the rendered reports.
    #[serde(skip)]
    pub report_text: ReportText,
}

/// The effective answers, serialised as a JSON object in interview order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers(pub Vec<(String, AnswerValue)>);

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (question, value) in &self.0 {
            map.serialize_entry(question, value.as_slice())?;
        }
        map.end()
    }
}

impl JsonSchema for Answers {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Answers".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Every applicable question id with its effective value: the chosen choice ids, or the text, as a list.",
            "additionalProperties": generator.subschema_for::<Vec<String>>()
        })
    }
}

/// An applicable question with its effective value, labelled for a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AnsweredQuestion {
    pub question: String,
    pub section: String,
    /// Whether the knowledge base quotes this section in a record's problem statement.
    pub in_problem_statement: bool,
    #[serde(serialize_with = "crate::answers::as_list")]
    #[schemars(with = "Vec<String>")]
    pub value: AnswerValue,
    /// The labels of the chosen choices, in order (empty for a text answer).
    pub labels: Vec<String>,
    /// The default was applied: the question was not answered.
    pub assumed: bool,
}

/// An answer that caused an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Cause {
    pub question: String,
    #[serde(serialize_with = "crate::answers::as_list")]
    #[schemars(with = "Vec<String>")]
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArchitectureChoice {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub variant: Option<VariantChoice>,
    /// Why: the architecture's and the variant's summaries.
    pub rationale: String,
    pub because: Vec<Cause>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    /// The other architectures, with their summaries, pros and cons.
    pub considered: Vec<Alternative>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct VariantChoice {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub because: Vec<Cause>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Alternative {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DecisionOutcome {
    pub area: String,
    pub area_title: String,
    /// The chosen option's id.
    pub choice: String,
    pub title: String,
    pub summary: String,
    pub because: Vec<Cause>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub next_steps: Vec<StepOutcome>,
    pub alternatives: Vec<Alternative>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StepOutcome {
    pub id: String,
    pub area: String,
    pub phase: String,
    pub phase_title: String,
    pub text: String,
    pub command: Option<String>,
    /// The file the command applies, shown whole.
    pub file: Option<StepFileOutcome>,
    /// Resources this step creates, as `kind` or `kind:name`.
    pub creates: Vec<String>,
    /// Resources this step needs, each with the step that creates it.
    pub uses: Vec<ResourceUse>,
    pub because: Vec<Cause>,
    /// When an assessed estate already satisfies the step: the evidence. `null` otherwise.
    pub done: Option<crate::estate::scope::Evidence>,
}

impl Recommendation {
    /// Each resource `step` needs in the reader's words, with where it comes from: the number
    /// (1-based) of the plan step that creates it, or `None` when it exists before the plan.
    pub fn needs<'r>(&'r self, step: &'r StepOutcome) -> impl Iterator<Item = (&'r str, Option<usize>)> + 'r {
        step.uses.iter().map(|used| {
            let creator = used
                .created_by
                .as_ref()
                .and_then(|id| self.next_steps.iter().position(|other| &other.id == id))
                .map(|position| position + 1);
            (used.description.as_str(), creator)
        })
    }
}

/// "subnet `training` (from step 3)", "the hub network (which exists before the plan)".
pub fn describe_need(description: &str, creator: Option<usize>) -> String {
    match creator {
        Some(number) => format!("{description} (from step {number})"),
        None => format!("{description} (which exists before the plan)"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StepFileOutcome {
    pub name: String,
    pub content: String,
}

/// A resource a step needs and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ResourceUse {
    /// `kind` or `kind:name`.
    pub resource: String,
    /// The reader's words for it.
    pub description: String,
    /// The step that creates it; absent when it exists before the plan (a plan input).
    pub created_by: Option<String>,
}

/// A resource the plan expects to exist before its first step.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlanInputRow {
    pub resource: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FindingOutcome {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub because: Vec<Cause>,
    pub remedy: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NetworkRuleRow {
    pub id: String,
    pub direction: Direction,
    pub source: String,
    pub destination: String,
    pub protocol: String,
    pub ports: String,
    pub why: String,
    pub because: Vec<Cause>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DnsZoneRow {
    pub id: String,
    pub zone: String,
    pub resource: String,
    pub forward: Vec<String>,
    pub because: Vec<Cause>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PolicyRow {
    pub id: String,
    pub display_name: String,
    pub definition_id: String,
    pub effect: String,
    pub parameters: Option<String>,
    /// The command that assigns it with this effect (and, for Modify and DeployIfNotExists,
    /// its identity, role and remediation).
    pub command: String,
    pub why: String,
    pub because: Vec<Cause>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RoleRow {
    pub id: String,
    pub persona: String,
    pub role: String,
    pub custom: bool,
    pub scope: String,
    pub why: String,
    pub because: Vec<Cause>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ConfirmationRow {
    pub id: String,
    pub check: String,
    pub command: String,
    pub expect: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
pub struct DiagramOutcome {
    pub groups: Vec<DiagramGroupRow>,
    pub nodes: Vec<DiagramNodeRow>,
    pub edges: Vec<DiagramEdgeRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DiagramGroupRow {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DiagramNodeRow {
    pub id: String,
    pub label: String,
    pub group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DiagramEdgeRow {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub location: String,
    pub reviewed: String,
    pub status: SourceStatus,
}

impl Recommendation {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}
