//! The knowledge base: the decision tree as data, loaded from YAML, validated, and indexed.

pub mod condition;
pub mod estate;
pub mod iac;
mod load;
pub mod model;
pub mod plan;
pub mod reachability;
mod validate;

use std::collections::HashMap;
use std::path::Path;

pub use load::LoadError;
use model::*;
use validate::Depth;

/// A loaded and validated knowledge base. Lists keep the order of the files (questions are
/// ordered by section, then file, then position), which is the order of every output.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub meta: Meta,
    pub report: ReportText,
    pub sections: Vec<Section>,
    pub areas: Vec<Area>,
    pub phases: Vec<Phase>,
    pub sources: Vec<Source>,
    pub regions: Vec<Region>,
    pub questions: Vec<Question>,
    pub architectures: Vec<Architecture>,
    pub variants: Vec<Variant>,
    pub decisions: Vec<Decision>,
    pub findings: Vec<Finding>,
    pub network_rules: Vec<NetworkRule>,
    pub dns_zones: Vec<DnsZone>,
    pub policies: Vec<Policy>,
    pub role_assignments: Vec<RoleAssignment>,
    pub confirmations: Vec<Confirmation>,
    pub diagram: Diagram,
    /// Resources that exist before the plan starts.
    pub plan_inputs: Vec<PlanInput>,
    /// How `assess` reads a deployed estate.
    pub estate: estate::EstateRules,
    /// How the design becomes infrastructure as code (empty when no file gives it).
    pub iac: iac::IacKnowledge,
    /// SHA-256 of every file's name and text, so a design record names the exact content.
    pub content_hash: String,
    question_index: HashMap<String, usize>,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_knowledge.rs"));
}

impl KnowledgeBase {
    /// The knowledge base compiled into the binary.
    pub fn embedded() -> Result<Self, LoadError> {
        load::from_embedded(
            embedded::FILES,
            embedded::JSON,
            embedded::CONTENT_HASH,
            Depth::Structure,
        )
    }

    /// The embedded knowledge base with every check, reachability included
    /// (`knowledge check`).
    pub fn embedded_fully_checked() -> Result<Self, LoadError> {
        load::from_embedded(embedded::FILES, embedded::JSON, embedded::CONTENT_HASH, Depth::Full)
    }

    /// Whether the embedded files load through their build-time JSON (the fast path); a file
    /// the model does not accept that way falls back to slower YAML parsing.
    pub fn embedded_uses_fast_path() -> bool {
        embedded::JSON.len() == embedded::FILES.len() && load::embedded_json_fits(embedded::JSON)
    }

    /// A knowledge base from (file name, text) pairs held in memory, in the order given.
    pub fn from_texts(files: Vec<(String, String)>) -> Result<Self, LoadError> {
        load::from_texts(files)
    }

    /// The names and texts of the embedded files (for `knowledge export`).
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        embedded::FILES
    }

    /// Every `*.yaml` / `*.yml` file of `dir`, in file-name order.
    pub fn from_dir(dir: &Path) -> Result<Self, LoadError> {
        load::from_dir(dir)
    }

    /// Loads from `dir` when given, else the embedded knowledge base.
    pub fn load(dir: Option<&Path>) -> Result<Self, LoadError> {
        match dir {
            Some(dir) => Self::from_dir(dir),
            None => Self::embedded(),
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index.get(id).map(|&index| &self.questions[index])
    }

    /// The position of a question in interview order.
    pub fn question_position(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.id == id)
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|region| region.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    pub fn phase_position(&self, id: &str) -> usize {
        self.phases
            .iter()
            .position(|phase| phase.id == id)
            .unwrap_or(usize::MAX)
    }

    fn index(mut self) -> Self {
        self.question_index = self
            .questions
            .iter()
            .enumerate()
            .map(|(index, question)| (question.id.clone(), index))
            .collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_knowledge_takes_the_fast_path_and_matches_its_yaml() {
        assert!(
            KnowledgeBase::embedded_uses_fast_path(),
            "a file's JSON no longer fits the model"
        );
        let fast = KnowledgeBase::embedded_fully_checked().expect("valid, every rule reachable");
        let files = embedded::FILES
            .iter()
            .map(|(name, text)| (format!("knowledge/{name}"), (*text).to_string()))
            .collect();
        let slow = KnowledgeBase::from_texts(files).expect("valid");
        assert_eq!(
            fast.content_hash, slow.content_hash,
            "build.rs hashes exactly as the loader does"
        );
        assert_eq!(format!("{:?}", fast.questions), format!("{:?}", slow.questions));
        assert_eq!(format!("{:?}", fast.decisions), format!("{:?}", slow.decisions));
        assert_eq!(format!("{:?}", fast.findings), format!("{:?}", slow.findings));
        assert_eq!(format!("{:?}", fast.diagram), format!("{:?}", slow.diagram));
    }
}
