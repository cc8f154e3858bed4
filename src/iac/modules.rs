//! The Azure Verified Modules the generated code calls, pinned. The tests check every version
//! here against the module interfaces copied into tests/fixtures/avm/ (and every argument the
//! generators pass against those interfaces), so a bump here without new fixtures fails.

/// One module in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Module {
    /// The generators' name for it.
    pub id: &'static str,
    /// Terraform registry source and version; empty when the Terraform side uses plain
    /// resources.
    pub terraform_source: &'static str,
    pub terraform_version: &'static str,
    /// `br/public:` path and version.
    pub bicep_path: &'static str,
    pub bicep_version: &'static str,
}

impl Module {
    pub fn bicep_reference(&self) -> String {
        format!("br/public:{}:{}", self.bicep_path, self.bicep_version)
    }
}

pub const MODULES: &[Module] = &[
    Module {
        id: "workspace",
        terraform_source: "Azure/avm-res-machinelearningservices-workspace/azurerm",
        terraform_version: "0.9.0",
        bicep_path: "avm/res/machine-learning-services/workspace",
        bicep_version: "0.14.0",
    },
    Module {
        id: "virtual_network",
        terraform_source: "Azure/avm-res-network-virtualnetwork/azurerm",
        terraform_version: "0.22.1",
        bicep_path: "avm/res/network/virtual-network",
        bicep_version: "0.10.1",
    },
    Module {
        id: "network_security_group",
        terraform_source: "Azure/avm-res-network-networksecuritygroup/azurerm",
        terraform_version: "0.5.1",
        bicep_path: "avm/res/network/network-security-group",
        bicep_version: "0.5.3",
    },
    Module {
        id: "route_table",
        terraform_source: "Azure/avm-res-network-routetable/azurerm",
        terraform_version: "0.5.0",
        bicep_path: "avm/res/network/route-table",
        bicep_version: "0.5.0",
    },
    Module {
        id: "nat_gateway",
        terraform_source: "Azure/avm-res-network-natgateway/azurerm",
        terraform_version: "0.3.2",
        bicep_path: "avm/res/network/nat-gateway",
        bicep_version: "2.1.0",
    },
    Module {
        id: "private_dns_zone",
        terraform_source: "Azure/avm-res-network-privatednszone/azurerm",
        terraform_version: "0.5.0",
        bicep_path: "avm/res/network/private-dns-zone",
        bicep_version: "0.8.1",
    },
    Module {
        id: "private_endpoint",
        // The Terraform module 0.1.0 needs azurerm 3.x, which the other modules exclude: the
        // one endpoint no resource module creates (Azure Monitor) is a plain resource there.
        terraform_source: "",
        terraform_version: "",
        bicep_path: "avm/res/network/private-endpoint",
        bicep_version: "0.12.1",
    },
    Module {
        id: "key_vault",
        terraform_source: "Azure/avm-res-keyvault-vault/azurerm",
        terraform_version: "0.11.0",
        bicep_path: "avm/res/key-vault/vault",
        bicep_version: "0.14.0",
    },
    Module {
        id: "container_registry",
        terraform_source: "Azure/avm-res-containerregistry-registry/azurerm",
        terraform_version: "0.8.0",
        bicep_path: "avm/res/container-registry/registry",
        bicep_version: "0.12.1",
    },
    Module {
        id: "storage_account",
        terraform_source: "Azure/avm-res-storage-storageaccount/azurerm",
        terraform_version: "0.9.0",
        bicep_path: "avm/res/storage/storage-account",
        bicep_version: "0.33.0",
    },
    Module {
        id: "log_analytics",
        terraform_source: "Azure/avm-res-operationalinsights-workspace/azurerm",
        terraform_version: "0.5.1",
        bicep_path: "avm/res/operational-insights/workspace",
        bicep_version: "0.16.1",
    },
    Module {
        id: "resource_role_assignment",
        // Terraform assigns a role on any resource id with a plain azurerm_role_assignment.
        terraform_source: "",
        terraform_version: "",
        bicep_path: "avm/ptn/authorization/resource-role-assignment",
        bicep_version: "0.1.2",
    },
];

pub fn module(id: &str) -> &'static Module {
    MODULES
        .iter()
        .find(|module| module.id == id)
        .unwrap_or_else(|| panic!("module `{id}` is not in MODULES"))
}

/// Provider constraints the pinned Terraform modules need together: the intersection of their
/// `required_providers` (azurerm >= 4.81 from Key Vault 0.11, azapi ~> 2.12 from the virtual
/// network 0.22, Terraform >= 1.11 from Key Vault 0.11).
pub const TERRAFORM_REQUIRED_VERSION: &str = ">= 1.11, < 2.0";
pub const AZURERM_VERSION: &str = ">= 4.81, < 5.0";
pub const AZAPI_VERSION: &str = "~> 2.12";
