//! The live preview: the recommendation the highlighted value would give, with the conflicts
//! and warnings it raises and those it makes go away, compared with the answers as they stand.

use crate::engine::Recommendation;
use crate::engine::recommendation::FindingOutcome;
use crate::knowledge::model::Severity;

/// The live preview: what the recommendation would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub architecture: String,
    pub variant: Option<String>,
    pub conflicts: usize,
    pub warnings: usize,
    /// The conflicts and warnings, conflicts first, each marked when the highlighted value
    /// raises it (the answers as they stand do not).
    pub findings: Vec<PreviewFinding>,
    /// Conflicts and warnings of the answers as they stand that the highlighted value removes.
    pub removed: Vec<PreviewFinding>,
    /// Required questions still without an answer.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewFinding {
    pub severity: Severity,
    pub title: String,
    /// Raised by the highlighted value, not by the answers as they stand.
    pub new: bool,
}

/// The conflicts and warnings of a recommendation (notes are not named in the preview).
fn serious(recommendation: &Recommendation) -> impl Iterator<Item = &FindingOutcome> {
    let mut findings: Vec<_> = recommendation
        .findings
        .iter()
        .filter(|finding| finding.severity != Severity::Info)
        .collect();
    findings.sort_by_key(|finding| finding.severity);
    findings.into_iter()
}

impl Preview {
    /// `baseline`: the answers as they stand, when the preview shows a tentative value.
    pub(super) fn of(recommendation: &Recommendation, baseline: Option<&Recommendation>, missing: &[String]) -> Self {
        let in_baseline = |id: &str| baseline.is_none_or(|base| base.findings.iter().any(|f| f.id == id));
        let findings = serious(recommendation)
            .map(|finding| PreviewFinding {
                severity: finding.severity,
                title: finding.title.clone(),
                new: !in_baseline(&finding.id),
            })
            .collect();
        let removed = baseline.map_or_else(Vec::new, |base| {
            serious(base)
                .filter(|old| !recommendation.findings.iter().any(|f| f.id == old.id))
                .map(|old| PreviewFinding {
                    severity: old.severity,
                    title: old.title.clone(),
                    new: false,
                })
                .collect()
        });
        Self {
            architecture: recommendation.architecture.title.clone(),
            variant: recommendation.architecture.variant.as_ref().map(|v| v.title.clone()),
            conflicts: recommendation.count(Severity::Conflict),
            warnings: recommendation.count(Severity::Warning),
            findings,
            removed,
            missing: missing.to_vec(),
        }
    }
}
