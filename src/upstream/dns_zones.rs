//! The private DNS zone table of "Azure Private Endpoint private DNS zone values"
//! (`upstream/private-dns-zones.json`).
//!
//! Upstream writes region holes as `{regionName}` (`privatelink.{regionName}.azmk8s.io`) and
//! other holes as `{regionCode}`, `{dnsPrefix}`, `{subzone}`, `{partitionId}`; a knowledge base
//! writes `${region}` or `<name>`. Zones are compared label by label: a `{regionName}` label
//! matches `${region}`, `<region>` or a lower-case region name; any other upstream hole matches
//! any placeholder.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../upstream/private-dns-zones.json");

#[derive(Debug, Deserialize)]
pub struct PrivateDnsZones {
    #[serde(rename = "_source")]
    pub source: serde_json::Value,
    /// Footnote number → text.
    pub footnotes: BTreeMap<String, String>,
    pub rows: Vec<ZoneRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneRow {
    pub cloud: String,
    pub service: String,
    pub subresources: Vec<String>,
    pub private_dns_zones: Vec<String>,
    pub public_dns_zone_forwarders: Vec<String>,
    /// Zone → footnote number.
    #[serde(default)]
    pub zone_footnotes: BTreeMap<String, u32>,
}

/// The embedded zone table, parsed on first use.
pub fn private_dns_zones() -> &'static PrivateDnsZones {
    static DATA: OnceLock<PrivateDnsZones> = OnceLock::new();
    DATA.get_or_init(|| super::parse("private-dns-zones.json", TEXT))
}

/// Whether a knowledge-base zone (with `${region}` or `<...>` holes, or filled in) is the
/// upstream zone `pattern`.
pub fn zone_matches(pattern: &str, zone: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let zone: Vec<&str> = zone.split('.').collect();
    pattern.len() == zone.len()
        && pattern.iter().zip(&zone).all(|(upstream, ours)| {
            let hole = ours.starts_with("${") || ours.starts_with('<');
            match *upstream {
                "{regionName}" | "{region}" => {
                    matches!(*ours, "${region}" | "<region>")
                        || (!hole
                            && !ours.is_empty()
                            && ours.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
                }
                other if other.starts_with('{') && other.ends_with('}') => hole,
                other => other.eq_ignore_ascii_case(ours),
            }
        })
}

impl PrivateDnsZones {
    /// The commercial-cloud rows that list `zone` among their private DNS zones.
    pub fn rows_with_zone(&self, zone: &str) -> Vec<&ZoneRow> {
        self.rows
            .iter()
            .filter(|row| row.cloud == "Commercial" && row.private_dns_zones.iter().any(|p| zone_matches(p, zone)))
            .collect()
    }

    /// Every commercial private DNS zone, as upstream writes it.
    pub fn zones(&self) -> Vec<&str> {
        let mut zones: Vec<&str> = self
            .rows
            .iter()
            .filter(|row| row.cloud == "Commercial")
            .flat_map(|row| row.private_dns_zones.iter().map(String::as_str))
            .collect();
        zones.sort_unstable();
        zones.dedup();
        zones
    }

    /// The footnote that says `zone` must not be deployed as a zone of its own (the container
    /// registry data endpoint: its records go into `privatelink.azurecr.io`), with the upstream
    /// zone it matched.
    pub fn not_a_separate_zone(&self, zone: &str) -> Option<(&str, &str)> {
        self.rows.iter().find_map(|row| {
            row.zone_footnotes.iter().find_map(|(pattern, number)| {
                let note = self.footnotes.get(&number.to_string())?;
                let lower = note.to_ascii_lowercase();
                let forbids = lower.contains("do not deploy") || lower.contains("don't deploy");
                (forbids && zone_matches(pattern, zone)).then_some((pattern.as_str(), note.as_str()))
            })
        })
    }

    /// The public zones to forward for the rows that list `zone`.
    pub fn forwarders_for(&self, zone: &str) -> Vec<&str> {
        let mut forwarders: Vec<&str> = self
            .rows_with_zone(zone)
            .into_iter()
            .flat_map(|row| row.public_dns_zone_forwarders.iter().map(String::as_str))
            .collect();
        forwarders.sort_unstable();
        forwarders.dedup();
        forwarders
    }

    /// When the Learn page was last updated.
    pub fn page_updated(&self) -> &str {
        self.source["pageUpdated"].as_str().unwrap_or("unknown")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_holes_match_the_upstream_region_name() {
        assert!(zone_matches(
            "privatelink.{regionName}.azmk8s.io",
            "privatelink.${region}.azmk8s.io"
        ));
        assert!(zone_matches(
            "privatelink.{regionName}.azmk8s.io",
            "privatelink.westeurope.azmk8s.io"
        ));
        assert!(zone_matches(
            "privatelink.{regionName}.azmk8s.io",
            "privatelink.<region>.azmk8s.io"
        ));
        assert!(!zone_matches(
            "privatelink.{regionName}.azmk8s.io",
            "privatelink.azmk8s.io"
        ));
        assert!(zone_matches(
            "{subzone}.privatelink.{regionName}.azmk8s.io",
            "<subzone>.privatelink.${region}.azmk8s.io"
        ));
        assert!(zone_matches("privatelink.api.azureml.ms", "privatelink.api.azureml.ms"));
    }

    #[test]
    fn the_registry_data_endpoint_is_not_a_zone_of_its_own() {
        let table = private_dns_zones();
        assert!(!table.rows_with_zone("privatelink.azurecr.io").is_empty());
        let (pattern, note) = table
            .not_a_separate_zone("${region}.data.privatelink.azurecr.io")
            .expect("footnote 1");
        assert_eq!(pattern, "{regionName}.data.privatelink.azurecr.io");
        assert!(note.contains("privatelink.azurecr.io"));
        assert!(table.not_a_separate_zone("privatelink.azurecr.io").is_none());
        assert!(
            table
                .forwarders_for("privatelink.api.azureml.ms")
                .contains(&"api.azureml.ms")
        );
    }
}
