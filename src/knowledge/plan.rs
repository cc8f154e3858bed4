//! The plan's resource vocabulary: what a next step may say it `creates` and `uses`.
//!
//! A reference is `kind` or `kind:name` (`subnet:training`). The kinds are a closed list so a
//! typo is a validation error rather than a resource nobody creates; names are free ids that
//! tell two resources of one kind apart within a plan.

/// Every kind of resource a step may create or use, with the words a reader sees.
pub const RESOURCE_KINDS: &[(&str, &str)] = &[
    ("resource_group", "resource group"),
    ("provider_registration", "resource provider registration"),
    ("workspace", "Azure Machine Learning workspace"),
    ("workspace_setting", "workspace setting"),
    ("outbound_rule", "managed network outbound rule"),
    ("managed_network", "provisioned managed network"),
    ("vnet", "virtual network"),
    ("subnet", "subnet"),
    ("vnet_peering", "virtual network peering"),
    ("nsg", "network security group"),
    ("nsg_rule", "network security group rule"),
    ("route_table", "route table"),
    ("nat_gateway", "NAT gateway"),
    ("public_ip", "public IP address"),
    ("firewall", "Azure Firewall"),
    ("firewall_policy", "Azure Firewall policy"),
    ("firewall_rules", "firewall rule collection"),
    ("service_endpoint_policy", "service endpoint policy"),
    ("private_endpoint", "private endpoint"),
    ("dns_zone", "private DNS zone"),
    ("dns_zone_link", "private DNS zone virtual network link"),
    ("dns_zone_group", "private endpoint DNS zone group"),
    ("dns_resolver", "DNS Private Resolver"),
    ("dns_forwarding", "DNS forwarding rules"),
    ("dns_server", "DNS server"),
    ("bastion", "Azure Bastion"),
    ("vnet_gateway", "virtual network gateway"),
    ("key_vault", "Key Vault"),
    ("key", "Key Vault key"),
    ("storage_account", "storage account"),
    ("registry", "container registry"),
    ("application_insights", "Application Insights"),
    ("identity", "managed identity"),
    ("app_registration", "Entra ID app registration"),
    ("federated_credential", "federated credential"),
    ("entra_group", "Entra ID group"),
    ("role_definition", "custom role definition"),
    ("role_assignment", "role assignment"),
    ("policy_assignment", "Azure Policy assignment"),
    ("compute", "compute target"),
    ("aks_cluster", "AKS cluster"),
    ("k8s_extension", "Azure Machine Learning cluster extension"),
    ("online_endpoint", "online endpoint"),
    ("batch_endpoint", "batch endpoint"),
    ("environment", "Azure Machine Learning environment"),
    ("model", "registered model"),
    ("package_mirror", "package mirror"),
    ("build_pipeline", "image build pipeline"),
    ("log_analytics", "Log Analytics workspace"),
    ("diagnostic_setting", "diagnostic setting"),
    ("private_link_scope", "Azure Monitor private link scope"),
    ("action_group", "action group"),
    ("alert", "alert rule"),
    ("network", "on-premises or client network"),
];

/// A parsed `kind` or `kind:name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceRef<'a> {
    pub kind: &'a str,
    pub name: Option<&'a str>,
}

impl<'a> ResourceRef<'a> {
    /// Parses a reference, or says what is wrong with it.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let (kind, name) = match text.split_once(':') {
            Some((kind, name)) => (kind, Some(name)),
            None => (text, None),
        };
        if !RESOURCE_KINDS.iter().any(|(known, _)| *known == kind) {
            let hint = crate::diagnostic::did_you_mean(kind, RESOURCE_KINDS.iter().map(|(k, _)| *k));
            return Err(format!("unknown resource kind `{kind}` in `{text}`{hint}"));
        }
        if let Some(name) = name {
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
            if !valid {
                return Err(format!(
                    "resource name `{name}` in `{text}` must be lowercase letters, digits, `_` or `-`"
                ));
            }
        }
        Ok(Self { kind, name })
    }

    /// The reader's words: "subnet training", "Key Vault cmk" (plain text: every output
    /// escapes it its own way).
    pub fn describe(&self) -> String {
        let kind = RESOURCE_KINDS
            .iter()
            .find(|(known, _)| *known == self.kind)
            .map_or(self.kind, |(_, words)| words);
        match self.name {
            Some(name) => format!("{kind} {name}"),
            None => kind.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kind_and_name_and_rejects_unknown_kinds() {
        assert_eq!(
            ResourceRef::parse("subnet:training"),
            Ok(ResourceRef {
                kind: "subnet",
                name: Some("training")
            })
        );
        assert_eq!(
            ResourceRef::parse("workspace"),
            Ok(ResourceRef {
                kind: "workspace",
                name: None
            })
        );
        let error = ResourceRef::parse("subnett:training").unwrap_err();
        assert!(error.contains("unknown resource kind `subnett`"), "{error}");
        assert!(error.contains("subnet"), "{error}");
        assert!(ResourceRef::parse("subnet:Training").is_err());
        assert!(ResourceRef::parse("subnet:").is_err());
    }

    #[test]
    fn describes_with_the_readers_words() {
        assert_eq!(ResourceRef::parse("key_vault:cmk").unwrap().describe(), "Key Vault cmk");
    }
}
