//! A reviewer's view of every design the advisor prints: the invariants an Azure network
//! architect checks in a security review, asserted over every example and over the situations
//! the architect's review named. Each test fails on the plan as it was before the review.

#[path = "support/examples.rs"]
mod support_examples;
use support_examples::examples;

use std::collections::BTreeMap;

use aml_advisor::answers::check::check;
use aml_advisor::engine::{Recommendation, evaluate};
use aml_advisor::knowledge::KnowledgeBase;
use aml_advisor::knowledge::model::{Direction, Enforcement};
use aml_advisor::render::{self, markdown::RecordContext};

fn kb() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("valid")
}

fn recommend(kb: &KnowledgeBase, answers: &str) -> Recommendation {
    let checked = check(kb, answers, "inline", false).expect("valid answers");
    evaluate(kb, &checked.resolved)
}

/// Every example's recommendation, by file name.
fn all_examples(kb: &KnowledgeBase) -> Vec<(String, Recommendation)> {
    examples()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            (name, recommend(kb, &text))
        })
        .collect()
}

/// A situation: `key: value` answer lines on top of a private, new workspace in West Europe.
fn situation(lines: &[&str]) -> String {
    let mut text = String::from(
        "version: 1\nanswers:\n  workspace_name: review-ws\n  region: westeurope\n  resource_group: rg-review\n",
    );
    for line in lines {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn commands(r: &Recommendation) -> Vec<(&str, &str)> {
    let mut all: Vec<(&str, &str)> = r
        .next_steps
        .iter()
        .filter_map(|s| s.command.as_deref().map(|c| (s.id.as_str(), c)))
        .collect();
    all.extend(r.confirmations.iter().map(|c| (c.id.as_str(), c.command.as_str())));
    all.extend(r.policies.iter().map(|p| (p.id.as_str(), p.command.as_str())));
    all
}

fn step<'r>(r: &'r Recommendation, id: &str) -> Option<&'r aml_advisor::engine::recommendation::StepOutcome> {
    r.next_steps.iter().find(|s| s.id == id)
}

fn position(r: &Recommendation, id: &str) -> usize {
    r.next_steps.iter().position(|s| s.id == id).unwrap_or_else(|| {
        panic!(
            "step {id} is not in the plan: {:?}",
            r.next_steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        )
    })
}

fn creator_of(r: &Recommendation, resource: &str) -> Option<usize> {
    r.next_steps
        .iter()
        .position(|s| s.creates.iter().any(|c| c == resource))
}

fn looks_like_fqdn(destination: &str) -> bool {
    destination.split([',', ' ']).any(|token| {
        let token = token.trim();
        token.contains('.')
            && token.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '*')
            && !token.contains('/')
    })
}

// ----- invariants over every example --------------------------------------------------------

fn answer(r: &Recommendation, question: &str) -> String {
    r.answered_questions
        .iter()
        .find(|a| a.question == question)
        .map(|a| match &a.value {
            aml_advisor::answers::AnswerValue::Choice(choice) => choice.clone(),
            other => format!("{other:?}"),
        })
        .unwrap_or_default()
}

#[test]
fn every_rule_is_carried_by_something_the_design_has() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        let firewall = answer(&r, "internet_egress") == "firewall";
        let managed = answer(&r, "network_model") == "managed_vnet";
        for rule in &r.network_rules {
            let rule_def = kb.network_rules.iter().find(|k| k.id == rule.id).expect("rule");
            match rule_def.enforced_by {
                Enforcement::Firewall => assert!(
                    firewall,
                    "{name}: {} needs a firewall the design does not have",
                    rule.id
                ),
                Enforcement::ManagedNetwork => assert!(managed, "{name}: {} is a managed network rule", rule.id),
                Enforcement::Nsg | Enforcement::RouteTable => {
                    assert!(!managed, "{name}: {} needs your own subnets", rule.id)
                }
            }
        }
    }
}

#[test]
fn no_nsg_or_route_rule_lists_an_fqdn() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        for rule in &r.network_rules {
            let rule_def = kb.network_rules.iter().find(|k| k.id == rule.id).expect("rule");
            if matches!(rule_def.enforced_by, Enforcement::Nsg | Enforcement::RouteTable) {
                assert!(
                    !looks_like_fqdn(&rule.destination),
                    "{name}: {} is enforced by an NSG or route table but names an FQDN: {}",
                    rule.id,
                    rule.destination
                );
            }
        }
    }
}

/// Which role each Modify or DeployIfNotExists built-in needs for its managed identity, as
/// Azure Policy's own definitions say (tests/fixtures/upstream/policy-remediation-roles.json).
fn remediation_roles() -> BTreeMap<String, (String, Vec<String>)> {
    let text = std::fs::read_to_string("tests/fixtures/upstream/policy-remediation-roles.json").expect("fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["definitions"]
        .as_object()
        .expect("definitions")
        .iter()
        .map(|(id, definition)| {
            let effect = definition["effect"].as_str().expect("effect").to_string();
            let roles = definition["roles"]
                .as_object()
                .expect("roles")
                .values()
                .map(|name| name.as_str().expect("name").to_string())
                .collect();
            (id.clone(), (effect, roles))
        })
        .collect()
}

fn option_value<'c>(command: &'c str, option: &str) -> Option<&'c str> {
    let start = command.find(&format!("{option} "))? + option.len() + 1;
    let rest = &command[start..];
    let value = if let Some(quoted) = rest.strip_prefix('"') {
        &quoted[..quoted.find('"')?]
    } else {
        rest.split(' ').next()?
    };
    Some(value)
}

#[test]
fn every_policy_assignment_matches_its_row_and_deploying_effects_have_an_identity_with_its_role() {
    let kb = kb();
    let roles = remediation_roles();
    let mut deploying_seen = 0;
    for (name, r) in all_examples(&kb) {
        for policy in &r.policies {
            let command = &policy.command;
            assert_eq!(
                option_value(command, "--policy"),
                Some(policy.definition_id.as_str()),
                "{name}: {command}"
            );
            assert!(
                command.contains(&format!("\"effect\":{{\"value\":\"{}\"}}", policy.effect)),
                "{name}: {} assigns another effect than its row ({}): {command}",
                policy.id,
                policy.effect
            );
            assert!(!command.contains("{effect}"), "{name}: unfilled effect in {command}");
            if policy.effect == "Modify" || policy.effect == "DeployIfNotExists" {
                deploying_seen += 1;
                let (_, needed) = roles.get(&policy.definition_id).unwrap_or_else(|| {
                    panic!("{}: no upstream roles recorded for {}", policy.id, policy.definition_id)
                });
                assert!(command.contains("--mi-system-assigned"), "{name}: {command}");
                assert!(
                    command.contains("--identity-scope /subscriptions/<subscription-id>"),
                    "{name}: {command}"
                );
                for role in needed {
                    assert!(
                        command.contains(&format!("--role \"{role}\"")),
                        "{name}: {} lacks role {role}: {command}",
                        policy.id
                    );
                }
                let assignment = option_value(command, "--name").expect("assignment name");
                assert!(
                    command.contains(&format!(
                        "az policy remediation create --name {assignment}-remediation --policy-assignment /subscriptions/<subscription-id>/providers/Microsoft.Authorization/policyAssignments/{assignment}"
                    )),
                    "{name}: the remediation must reference the assignment at its scope: {command}"
                );
            } else {
                assert!(!command.contains("remediation"), "{name}: {command}");
            }
        }
    }
    assert!(
        deploying_seen > 0,
        "some example must assign a Modify or DeployIfNotExists policy"
    );
}

#[test]
fn no_access_policy_is_set_on_a_vault_that_uses_rbac() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        for (id, command) in commands(&r) {
            assert!(!command.contains("set-policy"), "{name}: {id}: {command}");
        }
        if let Some(vault) = step(&r, "cmk_key_vault") {
            let command = vault.command.as_deref().expect("command");
            assert!(
                command.contains("--enable-rbac-authorization true"),
                "{name}: {command}"
            );
            let cosmos = step(&r, "cmk_cosmos_access").expect("Cosmos DB access step");
            assert!(
                cosmos
                    .command
                    .as_deref()
                    .expect("command")
                    .contains("Key Vault Crypto Service Encryption User")
            );
        }
    }
}

/// The words an architecture or variant uses to say something cannot be reached from the
/// internet; they must not describe a workspace whose endpoint is public or IP-filtered.
const ALL_PRIVATE_CLAIMS: &[&str] = &[
    "nothing of the workspace is exposed",
    "every resource is private",
    "all data-plane access goes through private endpoints",
    "all data-plane access is private",
];

#[test]
fn nothing_reachable_from_the_internet_is_called_private() {
    let kb = kb();
    let mut checked = 0;
    for (name, r) in all_examples(&kb) {
        let access = r
            .answered_questions
            .iter()
            .find(|a| a.question == "workspace_access")
            .map(|a| format!("{:?}", a.value))
            .unwrap_or_default();
        if access.contains("private") && !access.contains("selected") {
            continue;
        }
        checked += 1;
        let mut said = vec![r.architecture.summary.clone()];
        said.extend(r.architecture.pros.iter().cloned());
        if let Some(variant) = &r.architecture.variant {
            said.push(variant.summary.clone());
            said.extend(variant.pros.iter().cloned());
        }
        for text in said {
            let lower = text.to_lowercase();
            for claim in ALL_PRIVATE_CLAIMS {
                assert!(!lower.contains(claim), "{name} ({access}): {text}");
            }
        }
    }
    assert!(
        checked >= 3,
        "examples with public or selected-IP workspaces: {checked}"
    );
}

#[test]
fn sources_are_public_pages_or_described_documents() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        let record = render::markdown::render(
            &r,
            &RecordContext {
                date: "2026-12-01".to_string(),
                tool_version: "test".to_string(),
            },
        );
        assert!(
            !record.contains("seeds/"),
            "{name}: a record cites a file readers do not have"
        );
        for source in &r.sources {
            assert!(
                source.location.starts_with("https://") || !source.location.contains('/'),
                "{name}: {}",
                source.location
            );
        }
    }
}

// ----- the situations the architect's review named ------------------------------------------

#[test]
fn the_workspace_is_created_after_a_premium_registry_and_is_given_it() {
    let kb = kb();
    let r = recommend(&kb, &situation(&["workspace_state: new", "workspace_access: private"]));
    let registry = position(&r, "ws_registry");
    let workspace = position(&r, "ws_create");
    assert!(registry < workspace);
    assert!(
        step(&r, "ws_registry")
            .unwrap()
            .command
            .as_deref()
            .unwrap()
            .contains("--sku Premium")
    );
    let file = step(&r, "ws_create").unwrap().file.as_ref().expect("workspace file");
    assert!(
        file.content.contains("container_registry: /subscriptions/"),
        "{}",
        file.content
    );
    assert!(file.content.contains("system_datastores_auth_mode: identity"));
    // The old plan moved the registry to Premium in the prepare phase, before the workspace
    // (which creates it lazily) existed.
    for (id, command) in commands(&r) {
        assert!(
            !(command.contains("az acr update") && command.contains("--sku")),
            "{id}: {command}"
        );
    }
}

#[test]
fn creation_time_settings_are_in_the_workspace_file() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&[
            "workspace_state: new",
            "encryption_keys: customer_managed",
            "high_business_impact: \"yes\"",
            "network_model: managed_vnet",
            "managed_outbound: allow_only_approved_outbound",
            "build_environment: open_internet",
            "package_ecosystems: [pypi]",
        ]),
    );
    let create = step(&r, "ws_create").expect("workspace step");
    let file = &create.file.as_ref().expect("file").content;
    for expected in [
        "customer_managed_key:",
        "key_uri: https://<cmk-key-vault>.vault.azure.net/keys/cmk-review-ws",
        "hbi_workspace: true",
        "isolation_mode: allow_only_approved_outbound",
        "firewall_sku: standard",
    ] {
        assert!(file.contains(expected), "missing {expected} in:\n{file}");
    }
    let needs: Vec<&str> = create.uses.iter().map(|u| u.resource.as_str()).collect();
    assert!(
        needs.contains(&"key:cmk") && needs.contains(&"role_assignment:cmk-cosmos"),
        "{needs:?}"
    );
    for (id, command) in commands(&r) {
        assert!(
            !command.contains("--hbi-workspace"),
            "{id}: not a flag of the v2 ml extension"
        );
        assert!(!command.contains("workspace YAML"), "{id}: prose in a command");
    }
}

#[test]
fn a_customer_network_workspace_sends_serverless_jobs_into_its_subnet() {
    let kb = kb();
    for egress in ["firewall", "nat_gateway", "no_internet"] {
        for state in ["new", "existing"] {
            let r = recommend(
                &kb,
                &situation(&[
                    &format!("workspace_state: {state}"),
                    "network_model: customer_vnet",
                    &format!("internet_egress: {egress}"),
                ]),
            );
            let serverless: Vec<_> = r
                .next_steps
                .iter()
                .filter(|s| {
                    s.file
                        .as_ref()
                        .is_some_and(|f| f.content.contains("serverless_compute:"))
                })
                .collect();
            assert_eq!(serverless.len(), 1, "{egress}/{state}: exactly one step sets it");
            let file = &serverless[0].file.as_ref().unwrap().content;
            assert!(
                file.contains("no_public_ip: true") && file.contains("subnets/snet-training"),
                "{file}"
            );
        }
    }
}

#[test]
fn the_pipeline_principal_has_a_federated_credential_and_no_secret() {
    let kb = kb();
    let r = recommend(&kb, &situation(&["automation: [ci_cd_pipelines]"]));
    let cicd = r
        .next_steps
        .iter()
        .find(|s| s.id.ends_with("_cicd_principal"))
        .expect("CI/CD step");
    let command = cicd.command.as_deref().unwrap();
    assert!(!command.contains("create-for-rbac"), "{command}");
    assert!(command.contains("az ad app federated-credential create"), "{command}");
    assert!(command.contains("az role assignment create"), "{command}");
    let file = cicd.file.as_ref().expect("credential file");
    assert!(file.content.contains("api://AzureADTokenExchange"));
}

#[test]
fn policy_commands_follow_the_design() {
    let kb = kb();
    // A public workspace gets no policy that disables public access, in any effect.
    let public = recommend(
        &kb,
        &situation(&["workspace_access: public", "policy_enforcement: enforce"]),
    );
    for policy in &public.policies {
        assert!(
            !policy.display_name.contains("disable public network access"),
            "{}",
            policy.display_name
        );
    }
    // The same policy audits under audit and denies under enforce.
    let effect_of = |enforcement: &str| {
        let r = recommend(
            &kb,
            &situation(&[
                "workspace_access: private",
                &format!("policy_enforcement: {enforcement}"),
            ]),
        );
        r.policies
            .iter()
            .find(|p| p.definition_id == "438c38d2-3772-465a-a9cc-7a6666a275ce")
            .map(|p| p.command.clone())
            .expect("public access policy")
    };
    assert!(effect_of("audit").contains("\"value\":\"Audit\""));
    assert!(effect_of("enforce").contains("\"value\":\"Deny\""));
    // The governance steps no longer carry one fixed assignment for every design.
    let r = recommend(&kb, &situation(&["policy_enforcement: enforce"]));
    for id in ["gov_enforce_assign", "gov_enforce_identity"] {
        assert!(step(&r, id).is_some_and(|s| s.command.is_none()), "{id}");
    }
}

#[test]
fn registry_data_endpoints_have_no_zone_of_their_own() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        for zone in &r.dns_zones {
            assert!(
                !zone.zone.contains("data.privatelink.azurecr.io"),
                "{name}: {}",
                zone.zone
            );
        }
    }
}

#[test]
fn every_private_endpoint_gets_its_zone_group_after_it_exists() {
    let kb = kb();
    for (name, r) in all_examples(&kb) {
        for (index, step) in r.next_steps.iter().enumerate() {
            if !step.id.contains("_zone_group_") {
                continue;
            }
            for used in step.uses.iter().filter(|u| u.resource.starts_with("private_endpoint:")) {
                let created = creator_of(&r, &used.resource)
                    .unwrap_or_else(|| panic!("{name}: {} uses {}, which no step creates", step.id, used.resource));
                assert!(created < index, "{name}: {} before its endpoint", step.id);
            }
        }
    }
}

#[test]
fn package_rules_name_every_host_their_table_lists() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&[
            "network_model: managed_vnet",
            "managed_outbound: allow_only_approved_outbound",
            "exfiltration_prevention: not_required",
            "build_environment: open_internet",
            "package_ecosystems: [conda, huggingface]",
        ]),
    );
    let conda = step(&r, "bi_fqdn_conda").unwrap().command.as_deref().unwrap();
    assert!(conda.contains("--destination anaconda.com"), "{conda}");
    let hf = step(&r, "bi_fqdn_huggingface").unwrap().command.as_deref().unwrap();
    for host in ["docker.io", "production.cloudflare.docker.com", "cdn.auth0.com"] {
        assert!(hf.contains(host), "{host} missing from {hf}");
    }
}

#[test]
fn mirrors_live_in_the_customers_network() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&[
            "build_environment: dmz_mirrors",
            "package_ecosystems: [pypi, conda, cran]",
        ]),
    );
    for (id, command) in commands(&r) {
        assert!(
            !command.contains("pkgs.dev.azure.com"),
            "{id}: Azure Artifacts is not a mirror in the network"
        );
    }
    let pypi = step(&r, "bm_pypi_mirror").expect("PyPI mirror step");
    assert!(pypi.text.contains("blob storage"), "{}", pypi.text);
    let image = step(&r, "bm_base_image_config").expect("base image");
    let dockerfile = &image.file.as_ref().expect("Dockerfile").content;
    assert!(
        dockerfile.contains("pypi-proxy") && dockerfile.contains("conda-proxy") && dockerfile.contains("cran-proxy")
    );
}

#[test]
fn image_builds_use_a_cluster_the_plan_creates() {
    let kb = kb();
    for build in ["build_outside_aml", "open_internet", "dmz_mirrors"] {
        let r = recommend(
            &kb,
            &situation(&["workspace_access: private", &format!("build_environment: {build}")]),
        );
        let set = r
            .next_steps
            .iter()
            .find(|s| {
                s.command
                    .as_deref()
                    .is_some_and(|c| c.contains("--image-build-compute cpu-image-build"))
            })
            .unwrap_or_else(|| panic!("{build}: no step sets the image build compute"));
        let cluster = creator_of(&r, "compute:image-build").unwrap_or_else(|| panic!("{build}: no cluster"));
        assert!(cluster < position(&r, &set.id), "{build}");
    }
}

#[test]
fn the_approver_role_applies_to_system_assigned_identities_too() {
    let kb = kb();
    let r = recommend(&kb, &situation(&["network_model: managed_vnet"]));
    let approver = r
        .role_assignments
        .iter()
        .find(|role| role.role == "Azure AI Enterprise Network Connection Approver")
        .expect("approver role");
    assert!(approver.why.contains("system- or user-assigned"), "{}", approver.why);
}

#[test]
fn application_insights_covers_kubernetes_endpoints_and_vnet_alerts_need_a_vnet() {
    let kb = kb();
    let k8s = recommend(
        &kb,
        &situation(&[
            "network_model: customer_vnet",
            "inference: [kubernetes]",
            "central_logging: log_analytics",
        ]),
    );
    assert!(step(&k8s, "mon_app_insights").is_some());
    let managed = recommend(&kb, &situation(&["network_model: managed_vnet", "alerting: \"yes\""]));
    for id in ["mon_alert_vnet_changes", "monp_alert_vnet_changes"] {
        assert!(step(&managed, id).is_none(), "{id} without a virtual network");
    }
}

fn finding_ids(r: &Recommendation) -> Vec<&str> {
    r.findings.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn the_missing_findings_are_raised() {
    let kb = kb();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "data_sensitivity: highly_sensitive",
                "exfiltration_prevention: not_required",
                "network_model: customer_vnet",
                "internet_egress: nat_gateway",
            ],
            "highly-sensitive-uncontrolled-egress",
        ),
        (
            &[
                "data_sensitivity: highly_sensitive",
                "exfiltration_prevention: not_required",
                "network_model: managed_vnet",
                "managed_outbound: allow_internet_outbound",
            ],
            "highly-sensitive-uncontrolled-egress",
        ),
        (
            &[
                "workspace_access: public",
                "inference: [managed_online]",
                "endpoint_access: private",
            ],
            "public-workspace-private-managed-endpoints",
        ),
        (
            &["workspace_state: existing", "encryption_keys: customer_managed"],
            "cmk-on-existing-workspace",
        ),
        (
            &[
                "network_model: customer_vnet",
                "ip_space: scarce",
                "workload_needs: [non_http_onprem_data]",
            ],
            "scarce-ip-hub-routing-non-http-onprem",
        ),
        (
            &[
                "network_model: customer_vnet",
                "workload_needs: [own_firewall_inspection]",
                "internet_egress: no_internet",
            ],
            "own-firewall-inspection-no-internet",
        ),
        (&["workspace_state: existing"], "existing-workspace-v1-legacy-mode"),
    ];
    for (answers, finding) in cases {
        let r = recommend(&kb, &situation(answers));
        assert!(
            finding_ids(&r).contains(finding),
            "{answers:?} should raise {finding}: {:?}",
            finding_ids(&r)
        );
    }
    let cmk = recommend(
        &kb,
        &situation(&["workspace_state: existing", "encryption_keys: customer_managed"]),
    );
    let conflict = cmk
        .findings
        .iter()
        .find(|f| f.id == "cmk-on-existing-workspace")
        .unwrap();
    assert_eq!(format!("{:?}", conflict.severity), "Conflict");
}

#[test]
fn local_authentication_is_confirmed_on_the_property_the_policy_checks() {
    let kb = kb();
    let r = recommend(&kb, &situation(&["local_auth: disable"]));
    let confirmation = r
        .confirmations
        .iter()
        .find(|c| c.id == "confirm_local_auth_disabled")
        .expect("confirmation");
    assert!(
        confirmation.command.contains("disableLocalAuth"),
        "{}",
        confirmation.command
    );
    let step = r
        .next_steps
        .iter()
        .find(|s| s.id.ends_with("_disable_local_auth"))
        .expect("step");
    assert!(
        step.command
            .as_deref()
            .unwrap()
            .contains("properties.disableLocalAuth=true")
    );
}

#[test]
fn route_rules_are_carried_by_route_tables() {
    let kb = kb();
    for rule in &kb.network_rules {
        if rule.direction == Direction::Route {
            assert_eq!(rule.enforced_by, Enforcement::RouteTable, "{}", rule.id);
        }
    }
}

// ----- the network review items -------------------------------------------------------------

/// Some step of the plan creates exactly this resource.
fn creates(r: &Recommendation, resource: &str) -> bool {
    r.next_steps.iter().any(|s| s.creates.iter().any(|c| c == resource))
}

fn creates_kind(r: &Recommendation, kind: &str) -> Option<usize> {
    r.next_steps.iter().position(|s| {
        s.creates
            .iter()
            .any(|c| c == kind || c.starts_with(&format!("{kind}:")))
    })
}

#[test]
fn a_network_without_internet_still_reaches_azure_and_denies_the_internet() {
    let kb = kb();
    for topology in ["standalone_vnet", "hub_spoke"] {
        let r = recommend(
            &kb,
            &situation(&[
                "network_model: customer_vnet",
                "internet_egress: no_internet",
                &format!("network_topology: {topology}"),
            ]),
        );
        // Default outbound access is retired: the subnet needs an explicit path to the tags.
        let path = creates_kind(&r, "nat_gateway").or_else(|| creates_kind(&r, "route_table"));
        assert!(path.is_some(), "{topology}: no NAT gateway or route to a firewall");
        let nsg = creates_kind(&r, "nsg").expect("an NSG is created");
        let deny = r
            .next_steps
            .iter()
            .position(|s| {
                s.command.as_deref().is_some_and(|c| {
                    c.contains("--access Deny") && c.contains("--destination-address-prefixes Internet")
                })
            })
            .expect("a rule denies the Internet tag");
        assert!(nsg <= deny, "{topology}: the NSG exists before its rules");
        assert!(
            r.network_rules
                .iter()
                .any(|rule| rule.destination.starts_with("Internet (deny"))
        );
    }
}

#[test]
fn with_a_service_endpoint_policy_storage_is_not_opened_on_the_firewall() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&[
            "network_model: customer_vnet",
            "internet_egress: firewall",
            "exfiltration_prevention: required",
        ]),
    );
    for rule in &r.network_rules {
        let carried = kb
            .network_rules
            .iter()
            .find(|k| k.id == rule.id)
            .expect("rule")
            .enforced_by;
        if carried == Enforcement::Firewall {
            assert!(
                !rule.destination.starts_with("Storage"),
                "{} opens Storage on the firewall",
                rule.id
            );
        }
    }
    assert!(r.network_rules.iter().any(|rule| rule.id == "out_storage_with_sep"));
    assert!(
        r.network_rules
            .iter()
            .any(|rule| rule.id == "out_storage_firewall_subnet_se"),
        "the firewall subnet's own storage note"
    );
}

#[test]
fn restricted_aks_egress_routes_through_a_policy_managed_firewall() {
    let kb = kb();
    for topology in ["standalone_vnet", "hub_spoke"] {
        let r = recommend(
            &kb,
            &situation(&[
                "network_model: customer_vnet",
                "internet_egress: firewall",
                &format!("network_topology: {topology}"),
                "workload_needs: [kubernetes_inference]",
                "inference: [kubernetes]",
                "kubernetes_outbound: restricted",
            ]),
        );
        let aks = r
            .next_steps
            .iter()
            .position(|s| s.command.as_deref().is_some_and(|c| c.contains("az aks create")))
            .expect("AKS is created");
        let command = r.next_steps[aks].command.as_deref().unwrap();
        assert!(command.contains("--outbound-type userDefinedRouting"), "{command}");
        assert!(command.contains("--network-plugin-mode overlay"), "{command}");
        let route = r
            .next_steps
            .iter()
            .position(|s| {
                s.command
                    .as_deref()
                    .is_some_and(|c| c.contains("--name snet-scoring --route-table"))
            })
            .expect("the route table is attached to the scoring subnet");
        assert!(
            route < aks,
            "{topology}: the route table must be on the subnet before the cluster"
        );
        for (id, command) in commands(&r) {
            assert!(
                !command.contains("application-rule create"),
                "{id}: classic firewall rules: {command}"
            );
            assert!(
                !command.contains("network-rule create"),
                "{id}: classic firewall rules: {command}"
            );
        }
        assert!(
            commands(&r)
                .iter()
                .any(|(_, c)| c.contains("--fqdn-tags AzureKubernetesService")),
            "{topology}: the AzureKubernetesService FQDN tag is allowed"
        );
        assert!(creates_kind(&r, "nsg").is_some());
    }
}

#[test]
fn scarce_address_space_isolates_the_network_instead_of_peering_it() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&[
            "workspace_access: private",
            "network_model: customer_vnet",
            "network_topology: hub_spoke",
            "internet_egress: firewall",
            "ip_space: scarce",
        ]),
    );
    for (id, command) in commands(&r) {
        assert!(
            !command.contains("vnet peering create"),
            "{id}: the isolated network is peered: {command}"
        );
        assert!(
            !command.contains("<firewall-private-ip>") || creates_kind(&r, "firewall").is_some(),
            "{id}: routes to the hub firewall"
        );
    }
    assert!(
        creates_kind(&r, "firewall").is_some(),
        "the isolated network brings its own egress"
    );
    assert!(creates(&r, "private_endpoint:client-workspace"));
    assert!(creates(&r, "dns_zone:corp-api"), "split DNS for the client endpoints");
}

#[test]
fn a_managed_network_reached_from_a_client_network_gets_storage_endpoints_there() {
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&["workspace_access: private", "network_model: managed_vnet"]),
    );
    for endpoint in [
        "private_endpoint:workspace",
        "private_endpoint:storage-blob",
        "private_endpoint:storage-file",
    ] {
        assert!(creates(&r, endpoint), "{endpoint}");
    }
    assert!(
        r.role_assignments
            .iter()
            .any(|role| role.id == "ra_workspace_reader_client_storage_pe")
    );
}

#[test]
fn endpoint_prerequisites_match_the_network_model() {
    let kb = kb();
    let customer = recommend(
        &kb,
        &situation(&["network_model: customer_vnet", "inference: [managed_online]"]),
    );
    for (id, command) in commands(&customer) {
        assert!(
            !command.contains("managed_network.status"),
            "{id}: a customer network has no managed network: {command}"
        );
    }
    let managed = recommend(
        &kb,
        &situation(&["network_model: managed_vnet", "inference: [managed_online]"]),
    );
    assert!(
        commands(&managed)
            .iter()
            .any(|(_, c)| c.contains("managed_network.status"))
    );
}

/// Every action and not-action of the custom roles the plan creates matches real operations of
/// Azure Machine Learning's resource provider (`az provider operation show`, trimmed into
/// tests/fixtures/upstream/ml-provider-operations.json); a `*` matches any run of characters.
#[test]
fn custom_role_actions_are_real_provider_operations() {
    let text = std::fs::read_to_string("tests/fixtures/upstream/ml-provider-operations.json").expect("fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let operations: Vec<String> = json["providers"]["Microsoft.MachineLearningServices"]["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a.as_str().expect("action").to_lowercase())
        .collect();
    fn matches(pattern: &str, operation: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == operation,
            Some((head, tail)) => {
                operation.starts_with(head)
                    && (head.len()..=operation.len()).any(|cut| matches(tail, &operation[cut..]))
            }
        }
    }
    let kb = kb();
    let r = recommend(
        &kb,
        &situation(&["personas: [data_scientists, mlflow_users, workspace_admins, mlops_automation]"]),
    );
    let mut checked = 0;
    for step in r
        .next_steps
        .iter()
        .filter(|s| s.creates.iter().any(|c| c.starts_with("role_definition")))
    {
        let file = step.file.as_ref().expect("the role definition is shown");
        let role: serde_json::Value = serde_json::from_str(&file.content).expect("role definition is JSON");
        for key in ["Actions", "NotActions"] {
            for action in role[key].as_array().expect("list") {
                let action = action.as_str().expect("text").to_lowercase();
                assert!(
                    operations.iter().any(|operation| matches(&action, operation)),
                    "{}: {key} {action} matches no Microsoft.MachineLearningServices operation",
                    step.id
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "custom role actions checked: {checked}");
}

/// A managed network is provisioned once: every outbound rule the plan adds comes before the
/// step that provisions it, so the first provisioning already carries them.
#[test]
fn outbound_rules_come_before_the_managed_network_is_provisioned() {
    let kb = kb();
    for (outbound, build) in [
        ("allow_only_approved_outbound", "open_internet"),
        ("allow_only_approved_outbound", "dmz_mirrors"),
        ("allow_internet_outbound", "dmz_mirrors"),
    ] {
        let r = recommend(
            &kb,
            &situation(&[
                "network_model: managed_vnet",
                &format!("managed_outbound: {outbound}"),
                &format!("build_environment: {build}"),
                "package_ecosystems: [pypi, conda, cran, git, huggingface]",
            ]),
        );
        let provision = creates_kind(&r, "managed_network").expect("the network is provisioned");
        let rules: Vec<usize> = r
            .next_steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.creates.iter().any(|c| c.starts_with("outbound_rule:")))
            .map(|(index, _)| index)
            .collect();
        assert!(rules.len() >= 2, "{outbound}/{build}: {rules:?}");
        assert!(
            rules.iter().all(|&rule| rule < provision),
            "{outbound}/{build}: a rule after provisioning"
        );
    }
}
