//! Azure built-in role names (`upstream/azure-builtin-roles.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../upstream/azure-builtin-roles.json");

#[derive(Debug, Deserialize)]
pub struct BuiltinRoles {
    #[serde(rename = "_source")]
    pub source: serde_json::Value,
    /// Every built-in role name with its role definition id.
    pub roles: BTreeMap<String, String>,
}

/// The embedded built-in roles, parsed on first use.
pub fn builtin_roles() -> &'static BuiltinRoles {
    static DATA: OnceLock<BuiltinRoles> = OnceLock::new();
    DATA.get_or_init(|| super::parse("azure-builtin-roles.json", TEXT))
}

impl BuiltinRoles {
    /// The role definition id of a built-in role, by its exact name.
    pub fn role_id(&self, name: &str) -> Option<&str> {
        self.roles.get(name).map(String::as_str)
    }

    /// The exact spelling of a role whose name differs only in case.
    pub fn spelled(&self, name: &str) -> Option<&str> {
        self.roles
            .keys()
            .find(|role| role.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.roles.keys().map(String::as_str)
    }

    /// The date of the dump the names come from.
    pub fn dump_date(&self) -> &str {
        self.source["primary"]["commitDate"].as_str().unwrap_or("unknown")
    }
}
