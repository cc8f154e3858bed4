//! Built-in Azure Policy definitions (`upstream/azure-policy-builtins.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../upstream/azure-policy-builtins.json");

#[derive(Debug, Deserialize)]
pub struct PolicyBuiltins {
    /// Where the definitions come from (repository, commit, date).
    #[serde(rename = "_source")]
    pub source: serde_json::Value,
    pub definitions: BTreeMap<String, PolicyDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDefinition {
    pub display_name: String,
    pub version: String,
    pub deprecated: bool,
    pub preview: bool,
    /// The effects an assignment may choose (a fixed effect is the only one).
    pub effects: Vec<String>,
    /// Absent when the definition gives no default.
    pub default_effect: Option<String>,
    pub parameters: BTreeMap<String, PolicyParameter>,
    /// Roles a deployIfNotExists or modify definition needs, where the definition lists them.
    #[serde(default)]
    pub role_definition_ids: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyParameter {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Empty when any value of the type is allowed.
    #[serde(default)]
    pub allowed_values: Vec<serde_json::Value>,
}

impl PolicyParameter {
    /// The allowed values as an assignment writes them (`true`, `Deny`, `10`).
    pub fn allowed(&self) -> Vec<String> {
        self.allowed_values
            .iter()
            .map(|value| match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}

/// The embedded built-in definitions, parsed on first use.
pub fn builtins() -> &'static PolicyBuiltins {
    static DATA: OnceLock<PolicyBuiltins> = OnceLock::new();
    DATA.get_or_init(|| super::parse("azure-policy-builtins.json", TEXT))
}

impl PolicyBuiltins {
    /// A definition by its GUID (case-insensitive, as Azure compares them).
    pub fn definition(&self, id: &str) -> Option<&PolicyDefinition> {
        self.definitions
            .get(id)
            .or_else(|| self.definitions.get(&id.to_ascii_lowercase()))
    }

    /// The azure-policy commit the definitions were read at.
    pub fn commit(&self) -> &str {
        self.source["commit"].as_str().unwrap_or("unknown")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_upstream_file_parses() {
        assert!(super::builtins().definitions.len() > 30);
        assert!(super::super::roles::builtin_roles().role_id("Reader").is_some());
        assert!(!super::super::dns_zones::private_dns_zones().zones().is_empty());
        assert!(
            super::super::service_tags::service_tags()
                .tags
                .contains_key("AzureKeyVault")
        );
        assert!(super::super::cli::table().len() > 2000);
    }
}
