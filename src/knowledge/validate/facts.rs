//! Facts are checked, not copied: every policy definition, built-in role, private DNS zone and
//! service tag the knowledge base names is looked up in the upstream data (`upstream/`), and a
//! difference is reported at the line that names it, with the upstream value.

use super::super::model::{Enforcement, NetworkRule, Policy};
use super::{Anchor, Validator};
use crate::diagnostic::did_you_mean;
use crate::upstream::cli_check::is_placeholder_value;
use crate::upstream::dns_zones::{private_dns_zones, zone_matches};
use crate::upstream::policies::{PolicyDefinition, builtins};
use crate::upstream::roles::builtin_roles;
use crate::upstream::service_tags::{TagLookup, Usage, service_tags};

impl<'a> Validator<'a> {
    /// The position of `token` on the `key:` line of an item (or the lines after it), else of
    /// that key, else of the item.
    pub(super) fn fact_position(&self, anchor: Anchor<'_>, key: &str, token: &str) -> (usize, usize) {
        let text = self.text(anchor.file);
        let list_line = text.key(anchor.list, 1).map_or(1, |(line, _)| line);
        let start = text
            .key_value(anchor.key, anchor.value, list_line)
            .map_or(list_line, |(line, _)| line);
        let key_position = text.key(key, start);
        let key_line = key_position.map_or(start, |(line, _)| line);
        text.token(token, key_line).or(key_position).unwrap_or((start, 1))
    }

    pub(super) fn report_fact(&mut self, anchor: Anchor<'_>, key: &str, token: &str, message: String) {
        let (line, column) = self.fact_position(anchor, key, token);
        self.problems.push(crate::diagnostic::Diagnostic::new(
            &self.files[anchor.file].name,
            line,
            column,
            message,
        ));
    }

    /// Every fact against its upstream source (Depth::Full).
    pub(super) fn check_facts(&mut self) {
        for (file, policy) in self.all(|f| &f.policies) {
            self.check_policy(file, policy);
        }
        self.check_roles();
        self.check_dns_zones();
        for (file, rule) in self.all(|f| &f.network_rules) {
            self.check_network_rule(file, rule);
        }
        self.check_commands();
    }

    fn check_policy(&mut self, file: usize, policy: &'a Policy) {
        let anchor = item_anchor(file, "policies", &policy.id);
        let upstream = builtins();
        let Some(definition) = upstream.definition(&policy.definition_id) else {
            self.report_fact(
                anchor,
                "definition_id",
                &policy.definition_id,
                format!(
                    "policy `{}`: `{}` is not one of the {} built-in policy definitions checked (Azure/azure-policy at {}: \
                     category Machine Learning and those the knowledge base cites); check the GUID, or refresh upstream/ \
                     with scripts/refresh-upstream.py",
                    policy.id,
                    policy.definition_id,
                    upstream.definitions.len(),
                    &upstream.commit()[..12.min(upstream.commit().len())]
                ),
            );
            return;
        };
        if definition.display_name != policy.display_name {
            self.report_fact(
                anchor,
                "display_name",
                &policy.display_name,
                format!(
                    "policy `{}`: display_name differs from the built-in definition's; upstream: `{}`",
                    policy.id, definition.display_name
                ),
            );
        }
        if definition.deprecated {
            self.report_fact(
                anchor,
                "definition_id",
                &policy.definition_id,
                format!(
                    "policy `{}`: built-in definition `{}` is deprecated upstream (version {})",
                    policy.id, policy.definition_id, definition.version
                ),
            );
        }
        for case in &policy.effect {
            if !definition.effects.contains(&case.value) {
                self.report_fact(
                    anchor,
                    "effect",
                    &case.value,
                    format!(
                        "policy `{}`: effect `{}` is not allowed by the definition; upstream allows {}{}",
                        policy.id,
                        case.value,
                        definition.effects.join(", "),
                        definition
                            .default_effect
                            .as_ref()
                            .map(|effect| format!(" (default {effect})"))
                            .unwrap_or_default()
                    ),
                );
            }
        }
        let Some(parameters) = &policy.parameters else {
            return;
        };
        for pair in parameters.split(';').map(str::trim).filter(|pair| !pair.is_empty()) {
            let Some((name, value)) = pair.split_once('=') else {
                self.report_fact(
                    anchor,
                    "parameters",
                    pair,
                    format!(
                        "policy `{}`: parameter `{pair}` is not `name=value`; write `name=value; name2=value2`",
                        policy.id
                    ),
                );
                continue;
            };
            let (name, value) = (name.trim(), value.trim());
            self.check_parameter(
                anchor,
                "parameters",
                policy,
                definition,
                (name, Some(value)),
                "`parameters`",
            );
        }
    }

    /// One parameter an assignment sets (through `via`): a parameter of the definition, with a
    /// value upstream allows (placeholders are not checked).
    pub(super) fn check_parameter(
        &mut self,
        anchor: Anchor<'_>,
        key: &str,
        policy: &Policy,
        definition: &PolicyDefinition,
        (name, value): (&str, Option<&str>),
        via: &str,
    ) {
        let Some(parameter) = definition.parameters.get(name) else {
            let names: Vec<&str> = definition.parameters.keys().map(String::as_str).collect();
            let hint = did_you_mean(name, names.iter().copied());
            self.report_fact(
                anchor,
                key,
                name,
                format!(
                    "policy `{}`: {via} sets `{name}`, which the definition does not have{hint}; upstream parameters: {}",
                    policy.id,
                    names.join(", ")
                ),
            );
            return;
        };
        let allowed = parameter.allowed();
        let Some(value) = value.filter(|value| !allowed.is_empty() && !is_placeholder_value(value)) else {
            return;
        };
        if !allowed.iter().any(|a| a == value) {
            let hint = did_you_mean(value, allowed.iter().map(String::as_str));
            self.report_fact(
                anchor,
                key,
                value,
                format!(
                    "policy `{}`: {via} sets `{name}` to `{value}`{hint}; upstream allows {}",
                    policy.id,
                    allowed.join(", ")
                ),
            );
        }
    }

    fn check_roles(&mut self) {
        let roles = builtin_roles();
        for (file, assignment) in self.all(|f| &f.role_assignments) {
            if assignment.custom || roles.role_id(&assignment.role).is_some() {
                continue;
            }
            let anchor = item_anchor(file, "role_assignments", &assignment.id);
            let hint = match roles.spelled(&assignment.role) {
                Some(spelled) => format!("; the built-in role is spelt `{spelled}`"),
                None => did_you_mean(&assignment.role, roles.names()),
            };
            self.report_fact(
                anchor,
                "role",
                &assignment.role,
                format!(
                    "role assignment `{}`: `{}` is not a built-in role (the {} built-in roles of {}){hint}; \
                     if it is a role the administrator creates, set `custom: true`",
                    assignment.id,
                    assignment.role,
                    roles.roles.len(),
                    &roles.dump_date()[..10.min(roles.dump_date().len())]
                ),
            );
        }
    }

    fn check_dns_zones(&mut self) {
        let table = private_dns_zones();
        for (file, zone) in self.all(|f| &f.dns_zones) {
            let anchor = item_anchor(file, "dns_zones", &zone.id);
            let rows = table.rows_with_zone(&zone.zone);
            if rows.is_empty() {
                let normalised = zone.zone.replace("${region}", "{regionName}");
                let hint = did_you_mean(&normalised, table.zones());
                self.report_fact(
                    anchor,
                    "zone",
                    &zone.zone,
                    format!(
                        "DNS zone `{}`: `{}` is not a private DNS zone of the Learn table \"Azure Private Endpoint private DNS \
                         zone values\" (updated {}){hint}",
                        zone.id,
                        zone.zone,
                        &table.page_updated()[..10.min(table.page_updated().len())]
                    ),
                );
                continue;
            }
            if let Some((pattern, note)) = table.not_a_separate_zone(&zone.zone) {
                self.report_fact(
                    anchor,
                    "zone",
                    &zone.zone,
                    format!(
                        "DNS zone `{}`: `{}` ({pattern} upstream) must not be a zone of its own; the Learn table's footnote: {note}",
                        zone.id, zone.zone
                    ),
                );
            }
            let forwarders = table.forwarders_for(&zone.zone);
            for forward in &zone.forward {
                if !forwarders.iter().any(|upstream| zone_matches(upstream, forward)) {
                    self.report_fact(
                        anchor,
                        "forward",
                        forward,
                        format!(
                            "DNS zone `{}`: `{forward}` is not a public zone the Learn table lists to forward for `{}`; it lists {}",
                            zone.id,
                            zone.zone,
                            forwarders.join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn check_network_rule(&mut self, file: usize, rule: &'a NetworkRule) {
        let anchor = item_anchor(file, "network_rules", &rule.id);
        let (carrier, usage) = match rule.enforced_by {
            Enforcement::Nsg => ("an NSG", Some(Usage::Nsg)),
            Enforcement::RouteTable => ("a route table", Some(Usage::Udr)),
            Enforcement::Firewall => ("Azure Firewall", Some(Usage::Firewall)),
            Enforcement::ManagedNetwork => ("the managed network", None),
        };
        for (key, field) in [("source", &rule.source), ("destination", &rule.destination)] {
            // A route table has no source to match, and Azure Firewall takes tags as destinations only.
            let checks_usage = key == "destination" || rule.enforced_by == Enforcement::Nsg;
            for item in rule_items(field) {
                if is_fqdn(item) {
                    if matches!(rule.enforced_by, Enforcement::Nsg | Enforcement::RouteTable) {
                        self.report_fact(
                            anchor,
                            key,
                            item,
                            format!(
                                "network rule `{}`: {carrier} cannot match an FQDN (`{item}`); enforce it with `firewall` or \
                                 `managed_network`, or name a service tag or address prefix",
                                rule.id
                            ),
                        );
                    }
                    continue;
                }
                if !looks_like_tag(item) {
                    continue;
                }
                let message = match service_tags().lookup(item) {
                    TagLookup::Known { name, tag, .. } => match usage {
                        Some(usage) if checks_usage && !tag.usable_in(usage) => format!(
                            "network rule `{}`: service tag `{name}` cannot be used in {} (it is enforced by {carrier}); \
                             upstream allows it in {}",
                            rule.id,
                            usage.describe(),
                            usable_places(tag)
                        ),
                        _ => continue,
                    },
                    TagLookup::Misspelt { canonical } => format!(
                        "network rule `{}`: service tag `{item}` is spelt `{canonical}` upstream",
                        rule.id
                    ),
                    TagLookup::NotRegional { name } => format!(
                        "network rule `{}`: service tag `{name}` has no regional variants; write `{name}`",
                        rule.id
                    ),
                    TagLookup::Unknown { hint } => {
                        let hint = hint.map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default();
                        format!("network rule `{}`: `{item}` is not a service tag{hint}", rule.id)
                    }
                };
                self.report_fact(anchor, key, item, message);
            }
        }
    }
}

/// The item of `list` whose `id:` is `id`.
pub(super) fn item_anchor<'a>(file: usize, list: &'static str, id: &'a str) -> Anchor<'a> {
    Anchor {
        file,
        list,
        key: "id",
        value: id,
    }
}

fn usable_places(tag: &crate::upstream::service_tags::ServiceTag) -> String {
    let places: Vec<&str> = [Usage::Nsg, Usage::Udr, Usage::Firewall, Usage::ServiceEndpointPolicy]
        .into_iter()
        .filter(|usage| tag.usable_in(*usage))
        .map(Usage::describe)
        .collect();
    if places.is_empty() {
        "nowhere".into()
    } else {
        places.join(", ")
    }
}

/// The items of a `source`/`destination`: comma-separated, each without its parenthesised
/// remark (`VirtualNetwork (training subnet)` → `VirtualNetwork`).
fn rule_items(field: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut head_end: Option<usize> = None;
    for (index, c) in field.char_indices() {
        match c {
            '(' => {
                if depth == 0 && head_end.is_none() {
                    head_end = Some(index);
                }
                depth += 1;
            }
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(field[start..head_end.unwrap_or(index)].trim());
                start = index + 1;
                head_end = None;
            }
            _ => {}
        }
    }
    items.push(field[start..head_end.unwrap_or(field.len())].trim());
    items.into_iter().filter(|item| !item.is_empty()).collect()
}

/// A host name such as `ml.azure.com` or `*.${region}.batch.azure.com`.
fn is_fqdn(item: &str) -> bool {
    let plain = item.replace("${region}", "region");
    plain.contains('.')
        && !plain.contains('/')
        && plain.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '*' || c == '<')
        && plain
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '*' | '<' | '>' | '_'))
        && !plain.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A single word that is written like a service tag: `Storage.${region}`, `AzureKeyVault`,
/// `AzureFrontDoor.FrontEnd`, or any spelling of a known tag. Prose (`Training subnet`), plain
/// capitalised words that are no tag (`Compute`) and reserved subnet names
/// (`AzureFirewallSubnet`) are left alone.
fn looks_like_tag(item: &str) -> bool {
    let shaped = item.starts_with(|c: char| c.is_ascii_uppercase())
        && item
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '$' | '{' | '}' | '_'));
    // `AzureFirewallSubnet`, `GatewaySubnet`: the names Azure reserves for subnets.
    shaped
        && !item.ends_with("Subnet")
        && (item.contains('.')
            || item.chars().filter(char::is_ascii_uppercase).count() >= 2
            || service_tags().resembles_tag(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_drop_their_remarks() {
        assert_eq!(rule_items("VirtualNetwork (training subnet)"), vec!["VirtualNetwork"]);
        assert_eq!(
            rule_items("pypi.org, files.pythonhosted.org"),
            vec!["pypi.org", "files.pythonhosted.org"]
        );
        assert_eq!(
            rule_items("0.0.0.0/0 (next hop: firewall private IP, VirtualAppliance)"),
            vec!["0.0.0.0/0"]
        );
        assert!(is_fqdn("*.${region}.batch.azure.com") && is_fqdn("ml.azure.com"));
        assert!(!is_fqdn("Storage.${region}") && !is_fqdn("10.0.0.0") && !is_fqdn("0.0.0.0/0"));
        assert!(looks_like_tag("Keyvault.${region}") && looks_like_tag("AzureMachineLearning"));
        assert!(looks_like_tag("Internet") && !looks_like_tag("Compute") && !looks_like_tag("Training subnet"));
        assert!(!looks_like_tag("AzureFirewallSubnet"));
    }
}
