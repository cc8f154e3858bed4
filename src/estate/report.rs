//! What an assessment adds to a recommendation: where the answers came from, where the
//! deployed estate differs from the design, and what the estate shows that no answer covers.
//! Part of the JSON interface (`assess --format json`, key `estate`).

use schemars::JsonSchema;
use serde::Serialize;

use super::read::IgnoredType;
use super::scope::Evidence;
use crate::answers::AnswerValue;
use crate::knowledge::estate::DriftSeverity;
use crate::knowledge::model::Severity;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EstateReport {
    /// The estate files read, as named on the command line.
    pub files: Vec<String>,
    pub workspace: AssessedWorkspace,
    /// Every answer the estate determines, with its evidence.
    pub derived_answers: Vec<DerivedAnswer>,
    pub drift: Vec<DriftItem>,
    pub findings: Vec<EstateFindingOutcome>,
    /// Matters the estate shows settled, with the findings they withdrew.
    pub settled: Vec<SettledOutcome>,
    /// What could not be compared because the estate files hold no resource of that kind.
    pub not_checked: Vec<NotChecked>,
    /// Resource types in the files that the knowledge base does not read.
    pub ignored_types: Vec<IgnoredType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AssessedWorkspace {
    pub id: String,
    pub name: String,
    pub file: String,
    pub path: String,
}

/// Where an effective answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerOrigin {
    /// Read from the estate.
    Estate,
    /// The answers file gave it, and the estate says otherwise: the design moves away from
    /// what is deployed, and drift shows what that takes.
    AnswersOverEstate,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DerivedAnswer {
    pub question: String,
    /// What the estate says, as a list of strings like every answer in the JSON output.
    #[serde(serialize_with = "crate::answers::as_list")]
    #[schemars(with = "Vec<String>")]
    pub value: AnswerValue,
    pub evidence: Vec<Evidence>,
    pub origin: AnswerOrigin,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DriftItem {
    pub id: String,
    pub setting: String,
    /// The deployed resource (its name) the setting is on; empty when the resource is missing.
    pub resource: String,
    /// `absent` when the resource itself is missing.
    pub deployed: String,
    pub recommended: String,
    pub severity: DriftSeverity,
    /// Why the change cannot be undone, when it cannot.
    pub one_way: Option<String>,
    /// The plan step that closes the gap: its id and 1-based number in the next steps.
    pub step: Option<String>,
    pub step_number: Option<usize>,
    pub command: Option<String>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EstateFindingOutcome {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub remedy: String,
    pub evidence: Vec<Evidence>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SettledOutcome {
    pub id: String,
    pub note: String,
    /// The titles of the findings it withdrew from the recommendation.
    pub withdrawn_findings: Vec<String>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct NotChecked {
    /// The kind of resource the files would need to hold.
    pub needs: String,
    /// The planned resources and settings that could not be compared for want of it.
    pub what: Vec<String>,
}

impl EstateReport {
    pub fn drift_count(&self, severity: DriftSeverity) -> usize {
        self.drift.iter().filter(|item| item.severity == severity).count()
    }

    pub fn one_way_count(&self) -> usize {
        self.drift.iter().filter(|item| item.one_way.is_some()).count()
    }
}
