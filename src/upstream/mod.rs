//! Upstream facts the knowledge base is checked against: Microsoft's built-in policy
//! definitions and roles, the private DNS zone table, the service tags and the Azure CLI command
//! table. Trimmed copies live in `upstream/` at the repository root (see its README for their
//! versions and how to regenerate them) and are compiled into the binary, so that the checks
//! run anywhere; each file is parsed only on first use (`knowledge check`, tests).

pub mod cli;
pub mod cli_check;
pub mod dns_zones;
pub mod policies;
pub mod roles;
pub mod service_tags;

/// Parses an embedded upstream file; a file that does not parse is a build defect that the
/// test suite catches, so this panics with the file's name rather than returning an error.
fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("embedded upstream/{name} does not parse: {error}"))
}

/// True when a text holds a hole to be filled: `${name}` or `<name>`.
pub fn is_placeholder(text: &str) -> bool {
    text.contains("${") || text.find('<').is_some_and(|open| text[open..].contains('>'))
}
