//! Azure service tags (`upstream/service-tags.json`): exact spelling, regional variants, and
//! where each may be used.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../upstream/service-tags.json");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTags {
    #[serde(rename = "_source")]
    pub source: serde_json::Value,
    /// The region suffixes of regional tags (`WestEurope`, `westeurope`, ...).
    pub region_suffixes: Vec<String>,
    pub tags: BTreeMap<String, ServiceTag>,
}

#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTag {
    /// Has `<Tag>.<Region>` variants.
    pub regional: bool,
    pub nsg: bool,
    /// Usable as the address prefix of a user-defined route.
    pub udr: bool,
    pub firewall: bool,
    pub service_endpoint_policy: bool,
}

/// Where a rule that names a tag lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Nsg,
    /// A user-defined route (route table).
    Udr,
    Firewall,
    ServiceEndpointPolicy,
}

impl Usage {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Nsg => "network security group rules",
            Self::Udr => "user-defined routes",
            Self::Firewall => "Azure Firewall rules",
            Self::ServiceEndpointPolicy => "service endpoint policies",
        }
    }
}

impl ServiceTag {
    pub fn usable_in(&self, usage: Usage) -> bool {
        match usage {
            Usage::Nsg => self.nsg,
            Usage::Udr => self.udr,
            Usage::Firewall => self.firewall,
            Usage::ServiceEndpointPolicy => self.service_endpoint_policy,
        }
    }
}

/// What a written tag is.
#[derive(Debug, PartialEq, Eq)]
pub enum TagLookup<'a> {
    /// Spelt exactly as upstream; `region` is the suffix as written (`${region}`, `WestEurope`).
    Known {
        name: &'a str,
        tag: &'a ServiceTag,
        region: Option<String>,
    },
    /// A tag, but not in its canonical spelling.
    Misspelt { canonical: String },
    /// A regional suffix on a tag that has no regional variants.
    NotRegional { name: &'a str },
    /// Not a service tag; `hint` is a close one.
    Unknown { hint: Option<String> },
}

/// The embedded service tags, parsed on first use.
pub fn service_tags() -> &'static ServiceTags {
    static DATA: OnceLock<ServiceTags> = OnceLock::new();
    DATA.get_or_init(|| super::parse("service-tags.json", TEXT))
}

impl ServiceTags {
    fn exact(&self, name: &str) -> Option<(&str, &ServiceTag)> {
        self.tags.get_key_value(name).map(|(name, tag)| (name.as_str(), tag))
    }

    fn ignoring_case(&self, name: &str) -> Option<&str> {
        self.tags
            .keys()
            .find(|tag| tag.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// Splits `Tag.${region}`, `Tag.<region>` or `Tag.WestEurope` into the tag and its region.
    fn split_region<'t>(&self, token: &'t str) -> Option<(&'t str, &'t str)> {
        let (base, suffix) = token.rsplit_once('.')?;
        let is_region = matches!(suffix, "${region}" | "<region>")
            || self
                .region_suffixes
                .iter()
                .any(|region| region.eq_ignore_ascii_case(suffix));
        is_region.then_some((base, suffix))
    }

    /// Looks a written tag up: exact, regional, misspelt or unknown.
    pub fn lookup(&self, token: &str) -> TagLookup<'_> {
        if let Some((name, tag)) = self.exact(token) {
            return TagLookup::Known {
                name,
                tag,
                region: None,
            };
        }
        if let Some((base, region)) = self.split_region(token) {
            if let Some((name, tag)) = self.exact(base) {
                return if tag.regional {
                    TagLookup::Known {
                        name,
                        tag,
                        region: Some(region.to_string()),
                    }
                } else {
                    TagLookup::NotRegional { name }
                };
            }
            if let Some(canonical) = self.ignoring_case(base) {
                return TagLookup::Misspelt {
                    canonical: format!("{canonical}.{region}"),
                };
            }
            return TagLookup::Unknown {
                hint: self.close_to(base).map(|name| format!("{name}.{region}")),
            };
        }
        if let Some(canonical) = self.ignoring_case(token) {
            return TagLookup::Misspelt {
                canonical: canonical.to_string(),
            };
        }
        TagLookup::Unknown {
            hint: self.close_to(token).map(str::to_string),
        }
    }

    /// A tag the written name is probably meant to be: one that ends with it (`Keyvault` →
    /// `AzureKeyVault`) or a close spelling.
    fn close_to(&self, name: &str) -> Option<&str> {
        let lower = name.to_ascii_lowercase();
        self.tags
            .keys()
            .find(|tag| tag.to_ascii_lowercase().ends_with(&lower) && lower.len() >= 4)
            .map(String::as_str)
            .or_else(|| crate::diagnostic::suggest(name, self.tags.keys().map(String::as_str)))
    }

    /// Whether a word is a service tag in any spelling (for telling tags from prose).
    pub fn resembles_tag(&self, token: &str) -> bool {
        !matches!(self.lookup(token), TagLookup::Unknown { hint: None })
    }

    /// The ServiceTags_Public change number the tags were read from.
    pub fn change_number(&self) -> String {
        self.source["primary"]["jsonChangeNumber"].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_regions_and_usage() {
        let tags = service_tags();
        assert!(matches!(
            tags.lookup("AzureKeyVault.${region}"),
            TagLookup::Known { region: Some(_), .. }
        ));
        assert!(matches!(
            tags.lookup("Storage.WestEurope"),
            TagLookup::Known { region: Some(_), .. }
        ));
        assert_eq!(
            tags.lookup("AzureFrontDoor.FrontEnd"),
            TagLookup::Misspelt {
                canonical: "AzureFrontDoor.Frontend".into()
            }
        );
        assert_eq!(
            tags.lookup("Keyvault.${region}"),
            TagLookup::Unknown {
                hint: Some("AzureKeyVault.${region}".into())
            }
        );
        assert!(matches!(
            tags.lookup("AzureFrontDoor.Frontend.${region}"),
            TagLookup::NotRegional { .. }
        ));
        let TagLookup::Known { tag, .. } = tags.lookup("VirtualNetwork") else {
            panic!("VirtualNetwork is a tag");
        };
        assert!(tag.usable_in(Usage::Nsg) && !tag.usable_in(Usage::Udr));
    }
}
