//! The `iac:` block: every reference names something that exists, every value is one the
//! generators can express, and the block is complete, so that no network rule, private endpoint,
//! outbound rule, role or policy of a recommendation can be left out of the generated code.

use std::collections::HashSet;

use super::super::iac::*;
use super::super::model::{Enforcement, NetworkRule};
use super::super::plan::ResourceRef;
use super::{Anchor, Validator};
use crate::diagnostic::did_you_mean;

impl<'a> Validator<'a> {
    /// `iac:` may be split across files like every other list (an organisation's own network
    /// rules bring their own mappings); exactly one file gives the README text.
    pub(super) fn check_iac(&mut self) {
        let with: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.files[i].content.iac.is_some())
            .collect();
        let Some(&first) = with.first() else {
            return;
        };
        let with_readme: Vec<usize> = with
            .iter()
            .copied()
            .filter(|&i| {
                self.files[i]
                    .content
                    .iac
                    .as_ref()
                    .is_some_and(|iac| iac.readme.is_some())
            })
            .collect();
        for &file in with_readme.iter().skip(1) {
            let anchor = Anchor {
                file,
                list: "readme",
                key: "readme",
                value: "",
            };
            let message = format!(
                "second `iac.readme:`; it is already given in {}; keep exactly one",
                self.files[with_readme[0]].name
            );
            self.report(anchor, None, message);
        }
        let home = with_readme.first().copied().unwrap_or(first);
        IacCheck { validator: self, home }.run();
    }
}

struct IacCheck<'v, 'a> {
    validator: &'v mut Validator<'a>,
    /// The file holding the README text, where problems of the whole block are reported.
    home: usize,
}

impl<'a> IacCheck<'_, 'a> {
    fn anchor(&self, file: usize, list: &'static str, key: &'static str, value: &'a str) -> Anchor<'a> {
        Anchor { file, list, key, value }
    }

    /// One list of the `iac:` blocks of every file, with the file of each item.
    fn items<T>(&self, list: impl Fn(&'a IacKnowledge) -> &'a [T]) -> Vec<(usize, &'a T)> {
        self.validator
            .all(move |file| file.iac.as_ref().map_or(&[][..], |iac| list(iac)))
    }

    fn run(&mut self) {
        let variables = self.check_variables();
        self.check_settings();
        self.check_network_rules(&variables);
        self.check_private_endpoints();
        self.check_outbound_rules(&variables);
        self.check_roles(&variables);
        self.check_policies();
        self.check_readme();
    }

    /// Names created by the plan's steps for one resource kind.
    fn created(&self, kind: &str) -> Vec<(usize, &'a str, &'a str)> {
        let mut found = Vec::new();
        for (file, decision) in self.validator.all(|f| &f.decisions) {
            for option in &decision.options {
                for step in &option.next_steps {
                    for created in &step.creates {
                        if let Ok(ResourceRef {
                            kind: k,
                            name: Some(name),
                        }) = ResourceRef::parse(created)
                            && k == kind
                        {
                            found.push((file, step.id.as_str(), name));
                        }
                    }
                }
            }
        }
        found
    }

    fn check_variables(&mut self) -> HashSet<&'a str> {
        let mut names = HashSet::new();
        for (file, variable) in self.items(|iac| &iac.variables) {
            let anchor = self.anchor(file, "variables", "name", &variable.name);
            if !names.insert(variable.name.as_str()) {
                self.validator
                    .report(anchor, None, format!("variable `{}` is defined twice", variable.name));
            }
            if !VARIABLE_TYPES.contains(&variable.kind()) {
                self.validator.report(
                    anchor,
                    Some(variable.kind()),
                    format!(
                        "variable `{}` has type `{}`; allowed: {}",
                        variable.name,
                        variable.kind(),
                        VARIABLE_TYPES.join(", ")
                    ),
                );
            }
            if variable.description.trim().is_empty() {
                self.validator.report(
                    anchor,
                    None,
                    format!("variable `{}` needs a description", variable.name),
                );
            }
        }
        for needed in GENERATOR_VARIABLES {
            if !names.contains(needed) {
                let anchor = self.anchor(self.home, "variables", "variables", "");
                self.validator.report(
                    anchor,
                    None,
                    format!("`iac.variables` lacks `{needed}`, which the generated code uses; give it a description"),
                );
            }
        }
        names
    }

    fn check_variable(&mut self, anchor: Anchor<'a>, name: &str, variables: &HashSet<&str>) {
        if !variables.contains(name) {
            let hint = did_you_mean(name, variables.iter().copied());
            self.validator.report(
                anchor,
                Some(name),
                format!("unknown variable `{name}`{hint}; define it under `iac.variables`"),
            );
        }
    }

    fn check_target(&mut self, anchor: Anchor<'a>, target: &str) {
        if !TARGETS.contains(&target) {
            let hint = did_you_mean(target, TARGETS.iter().copied());
            self.validator.report(
                anchor,
                Some(target),
                format!("unknown target `{target}`{hint}; allowed: {}", TARGETS.join(", ")),
            );
        }
    }

    fn check_settings(&mut self) {
        let mut seen = HashSet::new();
        for (file, setting) in self.items(|iac| &iac.settings) {
            let anchor = self.anchor(file, "settings", "setting", &setting.setting);
            let Some((_, allowed)) = SETTINGS.iter().find(|(id, _)| *id == setting.setting) else {
                let hint = did_you_mean(&setting.setting, SETTINGS.iter().map(|(id, _)| *id));
                let known: Vec<&str> = SETTINGS.iter().map(|(id, _)| *id).collect();
                self.validator.report(
                    anchor,
                    None,
                    format!(
                        "unknown setting `{}`{hint}; allowed: {}",
                        setting.setting,
                        known.join(", ")
                    ),
                );
                continue;
            };
            if !seen.insert(setting.setting.as_str()) {
                self.validator
                    .report(anchor, None, format!("setting `{}` is given twice", setting.setting));
            }
            for case in &setting.cases {
                if let Some(condition) = &case.when {
                    self.validator.check_condition(anchor, condition, None);
                }
                if !allowed.contains(&case.value.as_str()) {
                    self.validator.report(
                        anchor,
                        Some(&case.value),
                        format!(
                            "setting `{}` cannot be `{}`; allowed: {}",
                            setting.setting,
                            case.value,
                            allowed.join(", ")
                        ),
                    );
                }
            }
            if setting.cases.last().is_none_or(|case| case.when.is_some()) {
                self.validator.report(
                    anchor,
                    None,
                    format!(
                        "setting `{}` needs a last case without `when`, so it always has a value",
                        setting.setting
                    ),
                );
            }
        }
        for (id, _) in SETTINGS {
            if !seen.contains(id) {
                let anchor = self.anchor(self.home, "settings", "settings", "");
                self.validator.report(
                    anchor,
                    None,
                    format!("`iac.settings` lacks `{id}`, which the generated workspace needs"),
                );
            }
        }
    }

    fn check_network_rules(&mut self, variables: &HashSet<&str>) {
        let rules: Vec<&'a NetworkRule> = self
            .validator
            .all(|f| &f.network_rules)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let by_id: std::collections::HashMap<&str, &NetworkRule> =
            rules.iter().map(|rule| (rule.id.as_str(), *rule)).collect();
        let mut mapped = HashSet::new();
        for (file, mapping) in self.items(|iac| &iac.network_rules) {
            let anchor = self.anchor(file, "network_rules", "rule", &mapping.rule);
            if !mapped.insert(mapping.rule.as_str()) {
                self.validator
                    .report(anchor, None, format!("network rule `{}` is mapped twice", mapping.rule));
            }
            let Some(&rule) = by_id.get(mapping.rule.as_str()) else {
                let hint = did_you_mean(&mapping.rule, rules.iter().map(|r| r.id.as_str()));
                self.validator
                    .report(anchor, None, format!("unknown network rule `{}`{hint}", mapping.rule));
                continue;
            };
            if let Some(subnet) = &mapping.subnet
                && !SUBNETS.contains(&subnet.as_str())
            {
                self.validator.report(
                    anchor,
                    Some(subnet),
                    format!("unknown subnet `{subnet}`; allowed: {}", SUBNETS.join(", ")),
                );
            }
            if let Some(variable) = &mapping.destination_variable {
                self.check_variable(anchor, variable, variables);
            }
            for destination in &mapping.destination {
                if !rule.destination.contains(destination.as_str()) {
                    self.validator.report(
                        anchor,
                        Some(destination),
                        format!(
                            "destination `{destination}` is not in the rule's destination `{}`; the IaC must say what the table says",
                            rule.destination
                        ),
                    );
                }
            }
            if let Some(source) = &mapping.source
                && !rule.source.contains(source.as_str())
            {
                self.validator.report(
                    anchor,
                    Some(source),
                    format!("source `{source}` is not in the rule's source `{}`", rule.source),
                );
            }
            self.check_rule_shape(anchor, rule, mapping);
        }
        for rule in rules {
            if !mapped.contains(rule.id.as_str()) {
                let anchor = self.anchor(self.home, "network_rules", "network_rules", "");
                self.validator.report(
                    anchor,
                    None,
                    format!(
                        "network rule `{}` has no entry in `iac.network_rules`; the IaC would leave it out",
                        rule.id
                    ),
                );
            }
        }
    }

    /// What each carrier needs: an NSG row a subnet, source and destination; a route a next
    /// hop; a managed-network row its outbound rule; FQDN lists only hosts.
    fn check_rule_shape(&mut self, anchor: Anchor<'a>, rule: &NetworkRule, mapping: &'a IacNetworkRule) {
        let has_destination = !mapping.destination.is_empty() || mapping.destination_variable.is_some();
        let mut missing = Vec::new();
        match rule.enforced_by {
            Enforcement::Nsg => {
                if mapping.subnet.is_none() {
                    missing.push("subnet");
                }
                if mapping.source.is_none() {
                    missing.push("source");
                }
                if !has_destination {
                    missing.push("destination");
                }
            }
            Enforcement::Firewall => {
                if mapping.subnet.is_none() {
                    missing.push("subnet");
                }
            }
            Enforcement::RouteTable => {
                if mapping.next_hop.is_none() {
                    missing.push("next_hop");
                }
                if mapping.destination.is_empty() {
                    missing.push("destination");
                }
            }
            Enforcement::ManagedNetwork => {
                if mapping.outbound_rule.is_none() {
                    missing.push("outbound_rule");
                }
            }
        }
        if !missing.is_empty() {
            self.validator.report(
                anchor,
                None,
                format!(
                    "network rule `{}` ({:?}) needs {} to become IaC",
                    rule.id,
                    rule.enforced_by,
                    missing.join(", ")
                ),
            );
        }
        let fqdn_list =
            matches!(rule.enforced_by, Enforcement::Firewall | Enforcement::ManagedNetwork) && !has_destination;
        if fqdn_list {
            for host in rule.destination.split(',').map(str::trim) {
                if !is_fqdn(host) {
                    self.validator.report(
                        anchor,
                        Some(host),
                        format!(
                            "network rule `{}` has no `destination`, so its destination must list host names; `{host}` is not one",
                            rule.id
                        ),
                    );
                }
            }
        }
    }

    fn check_private_endpoints(&mut self) {
        let zones: HashSet<&str> = self
            .validator
            .all(|f| &f.dns_zones)
            .into_iter()
            .map(|(_, z)| z.id.as_str())
            .collect();
        let mut names = HashSet::new();
        for (file, endpoint) in self.items(|iac| &iac.private_endpoints) {
            let anchor = self.anchor(file, "private_endpoints", "name", &endpoint.name);
            names.insert(endpoint.name.as_str());
            self.check_target(anchor, &endpoint.target);
            for zone in &endpoint.zones {
                if !zones.contains(zone.as_str()) {
                    let hint = did_you_mean(zone, zones.iter().copied());
                    self.validator
                        .report(anchor, Some(zone), format!("unknown DNS zone `{zone}`{hint}"));
                }
            }
        }
        let mut corporate = HashSet::new();
        for (file, copy) in self.items(|iac| &iac.corporate_zones) {
            let anchor = self.anchor(file, "corporate_zones", "resource", &copy.resource);
            corporate.insert(copy.resource.as_str());
            if !zones.contains(copy.zone.as_str()) {
                let hint = did_you_mean(&copy.zone, zones.iter().copied());
                self.validator.report(
                    anchor,
                    Some(&copy.zone),
                    format!("unknown DNS zone `{}`{hint}", copy.zone),
                );
            }
        }
        for (file, step, name) in self.created("dns_zone") {
            // The plan's own zones are the DNS table's; only the corporate copies need a mapping.
            if name.starts_with("corp-") && !corporate.contains(name) {
                let anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "id",
                    value: step,
                };
                self.validator.report(
                    anchor,
                    Some(name),
                    format!("step `{step}` creates `dns_zone:{name}`, which has no entry in `iac.corporate_zones`"),
                );
            }
        }
        for (file, step, name) in self.created("private_endpoint") {
            if !names.contains(name) {
                let anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "id",
                    value: step,
                };
                self.validator.report(
                    anchor,
                    Some(name),
                    format!(
                        "step `{step}` creates `private_endpoint:{name}`, which has no entry in `iac.private_endpoints`"
                    ),
                );
            }
        }
    }

    fn check_outbound_rules(&mut self, variables: &HashSet<&str>) {
        let mut names: HashSet<&str> = self
            .items(|iac| &iac.network_rules)
            .into_iter()
            .filter_map(|(_, m)| m.outbound_rule.as_deref())
            .collect();
        for (file, rule) in self.items(|iac| &iac.outbound_rules) {
            let anchor = self.anchor(file, "outbound_rules", "name", &rule.name);
            names.insert(rule.name.as_str());
            match (&rule.target, &rule.target_variable) {
                (Some(target), None) => self.check_target(anchor, target),
                (None, Some(variable)) => self.check_variable(anchor, variable, variables),
                _ => self.validator.report(
                    anchor,
                    None,
                    format!(
                        "outbound rule `{}` needs exactly one of `target` and `target_variable`",
                        rule.name
                    ),
                ),
            }
        }
        for (file, step, name) in self.created("outbound_rule") {
            if !names.contains(name) {
                let anchor = Anchor {
                    file,
                    list: "decisions",
                    key: "id",
                    value: step,
                };
                self.validator.report(
                    anchor,
                    Some(name),
                    format!("step `{step}` creates `outbound_rule:{name}`, which neither `iac.outbound_rules` nor a managed-network rule of `iac.network_rules` maps"),
                );
            }
        }
    }

    fn check_roles(&mut self, variables: &HashSet<&str>) {
        let rows: Vec<&str> = self
            .validator
            .all(|f| &f.role_assignments)
            .into_iter()
            .map(|(_, r)| r.id.as_str())
            .collect();
        let known: HashSet<&str> = rows.iter().copied().collect();
        let mut mapped = HashSet::new();
        for (file, role) in self.items(|iac| &iac.roles) {
            let anchor = self.anchor(file, "roles", "role", &role.role);
            mapped.insert(role.role.as_str());
            if !known.contains(role.role.as_str()) {
                let hint = did_you_mean(&role.role, rows.iter().copied());
                self.validator
                    .report(anchor, None, format!("unknown role assignment `{}`{hint}", role.role));
            }
            match (&role.scope, &role.scope_variable) {
                (Some(scope), None) => self.check_target(anchor, scope),
                (None, Some(variable)) => self.check_variable(anchor, variable, variables),
                _ => self.validator.report(
                    anchor,
                    None,
                    format!("role `{}` needs exactly one of `scope` and `scope_variable`", role.role),
                ),
            }
        }
        for row in rows {
            if !mapped.contains(row) {
                let anchor = self.anchor(self.home, "roles", "roles", "");
                self.validator.report(
                    anchor,
                    None,
                    format!("role assignment `{row}` has no entry in `iac.roles`"),
                );
            }
        }
    }

    fn check_policies(&mut self) {
        let policies = self.validator.all(|f| &f.policies);
        let zones: HashSet<&str> = self
            .validator
            .all(|f| &f.dns_zones)
            .into_iter()
            .map(|(_, z)| z.id.as_str())
            .collect();
        let by_id: std::collections::HashMap<&str, &super::super::model::Policy> =
            policies.iter().map(|(_, p)| (p.id.as_str(), *p)).collect();
        let mut mapped = HashSet::new();
        for (file, entry) in self.items(|iac| &iac.policies) {
            let anchor = self.anchor(file, "policies", "policy", &entry.policy);
            mapped.insert(entry.policy.as_str());
            let Some(&policy) = by_id.get(entry.policy.as_str()) else {
                let hint = did_you_mean(&entry.policy, policies.iter().map(|(_, p)| p.id.as_str()));
                self.validator
                    .report(anchor, None, format!("unknown policy `{}`{hint}", entry.policy));
                continue;
            };
            // The assignment must be the one the design record's command makes.
            if !policy.assign.contains(&format!("--name {} ", entry.assignment)) {
                self.validator.report(
                    anchor,
                    Some(&entry.assignment),
                    format!(
                        "assignment `{}` is not the `--name` of policy `{}`'s assign command",
                        entry.assignment, policy.id
                    ),
                );
            }
            let has_identity = policy.assign.contains("--mi-system-assigned");
            match &entry.identity_role {
                Some(role) if !policy.assign.contains(&format!("--role \"{role}\"")) => self.validator.report(
                    anchor,
                    Some(role),
                    format!(
                        "identity role `{role}` is not the `--role` of policy `{}`'s assign command",
                        policy.id
                    ),
                ),
                None if has_identity => self.validator.report(
                    anchor,
                    None,
                    format!(
                        "policy `{}` is assigned with a managed identity; give its `identity_role`",
                        policy.id
                    ),
                ),
                _ => {}
            }
            for (name, source) in &entry.parameters {
                if !policy.assign.contains(&format!("\"{name}\"")) {
                    self.validator.report(
                        anchor,
                        Some(name),
                        format!(
                            "parameter `{name}` is not set by policy `{}`'s assign command",
                            policy.id
                        ),
                    );
                }
                let known = match source.split_once(':') {
                    Some(("zone", zone)) => zones.contains(zone),
                    Some(("text", value)) => !value.is_empty(),
                    _ => PARAMETER_SOURCES.contains(&source.as_str()),
                };
                if !known {
                    self.validator.report(
                        anchor,
                        Some(source),
                        format!(
                            "parameter source `{source}` is unknown; write `zone:ZONE_ID`, `text:VALUE` or one of {}",
                            PARAMETER_SOURCES.join(", ")
                        ),
                    );
                }
            }
        }
        for (_, policy) in policies {
            if !mapped.contains(policy.id.as_str()) {
                let anchor = self.anchor(self.home, "policies", "policies", "");
                self.validator.report(
                    anchor,
                    None,
                    format!("policy `{}` has no entry in `iac.policies`", policy.id),
                );
            }
        }
    }

    fn check_readme(&mut self) {
        let anchor = self.anchor(self.home, "readme", "readme", "");
        let Some(readme) = self.validator.files[self.home]
            .content
            .iac
            .as_ref()
            .and_then(|iac| iac.readme.as_ref())
        else {
            self.validator.report(
                anchor,
                None,
                "`iac:` needs a `readme:` (the generated README's text)".to_string(),
            );
            return;
        };
        for item in readme.apply_order.iter().chain(&readme.one_way_doors) {
            if let Some(condition) = &item.when {
                self.validator.check_condition(anchor, condition, None);
            }
        }
    }
}

/// A host name or wildcard host name (`*.anaconda.org`, `*.${region}.batch.azure.com`).
fn is_fqdn(text: &str) -> bool {
    let host = text.strip_prefix("*.").unwrap_or(text);
    host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || "${}_".contains(c))
        })
}
