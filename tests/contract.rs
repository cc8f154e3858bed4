//! The answers contract is a public interface: users keep answers files in git for years. The
//! knowledge base may add questions, choices and rules, but never rename or drop these ids,
//! types or the architecture ids every output reports.

use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::model::QuestionKind::{self, Multi, Single, Text};

const QUESTIONS: &[(&str, QuestionKind, &[&str])] = &[
    ("workspace_name", Text, &[]),
    ("region", Text, &[]),
    ("workspace_state", Single, &["new", "existing"]),
    (
        "data_sensitivity",
        Single,
        &["general", "confidential", "highly_sensitive"],
    ),
    ("exfiltration_prevention", Single, &["required", "not_required"]),
    ("workspace_access", Single, &["private", "selected_ips", "public"]),
    (
        "client_connectivity",
        Single,
        &["bastion_jumpbox", "vpn_gateway", "expressroute", "expressroute_and_vpn"],
    ),
    (
        "workload_needs",
        Multi,
        &[
            "kubernetes_inference",
            "attached_vms",
            "own_firewall_inspection",
            "egress_flow_logs",
            "non_http_onprem_data",
            "serverless_spark",
        ],
    ),
    ("network_model", Single, &["managed_vnet", "customer_vnet"]),
    (
        "managed_outbound",
        Single,
        &["allow_internet_outbound", "allow_only_approved_outbound"],
    ),
    (
        "network_topology",
        Single,
        &["standalone_vnet", "hub_spoke", "mesh_or_nva"],
    ),
    ("internet_egress", Single, &["firewall", "nat_gateway", "no_internet"]),
    ("compute_public_ip", Single, &["no", "yes"]),
    ("ip_space", Single, &["sufficient", "scarce"]),
    (
        "dns",
        Single,
        &[
            "azure_private_dns",
            "custom_dns_in_azure",
            "custom_dns_onprem",
            "dns_private_resolver",
        ],
    ),
    (
        "build_environment",
        Single,
        &["build_outside_aml", "open_internet", "dmz_mirrors"],
    ),
    (
        "package_ecosystems",
        Multi,
        &["pypi", "conda", "cran", "git", "huggingface"],
    ),
    ("image_pipeline", Single, &["existing_pipeline", "none_yet"]),
    ("inference", Multi, &["managed_online", "kubernetes", "batch"]),
    ("endpoint_access", Single, &["private", "public"]),
    ("kubernetes_outbound", Single, &["restricted", "open"]),
    ("automation", Multi, &["ci_cd_pipelines", "azure_services"]),
    (
        "personas",
        Multi,
        &[
            "data_scientists",
            "mlflow_users",
            "workspace_admins",
            "mlops_automation",
            "auditors",
        ],
    ),
    ("local_auth", Single, &["disable", "allow"]),
    ("encryption_keys", Single, &["microsoft_managed", "customer_managed"]),
    ("high_business_impact", Single, &["yes", "no"]),
    ("policy_enforcement", Single, &["enforce", "audit", "none"]),
    ("central_logging", Single, &["log_analytics", "none"]),
    ("alerting", Single, &["yes", "no"]),
];

#[test]
fn every_contract_question_and_choice_id_is_kept() {
    let kb = KnowledgeBase::embedded().expect("valid");
    for (id, kind, choices) in QUESTIONS {
        let question = kb
            .question(id)
            .unwrap_or_else(|| panic!("contract question `{id}` is missing"));
        assert_eq!(question.kind, *kind, "`{id}` changed type");
        for choice in *choices {
            assert!(
                question.choices.iter().any(|c| c.id == *choice),
                "contract choice `{id}: {choice}` is missing"
            );
        }
    }
    let region = kb.question("region").expect("region");
    assert!(region.default.is_none(), "`region` is required, with no default");
}

#[test]
fn the_three_architectures_keep_their_ids() {
    let kb = KnowledgeBase::embedded().expect("valid");
    let ids: Vec<&str> = kb.architectures.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "public_workspace",
            "private_exfiltration_prevention",
            "private_internet_outbound"
        ]
    );
}
