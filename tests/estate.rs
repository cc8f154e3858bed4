//! `assess`: reading estates in every upstream shape, the answers they determine, the drift and
//! estate findings, steps already done, bad input, fleet mode and `interview --estate`.
//!
//! The upstream samples in tests/fixtures/estate/upstream/ are response bodies from the Azure
//! REST API specifications and an `az ml workspace show` sample (provenance in
//! tests/fixtures/estate/README.md); the others are written by hand in the same shapes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aml_advisor::answers::{AnswerValue, Given};
use aml_advisor::engine::Recommendation;
use aml_advisor::estate::report::{AnswerOrigin, DriftItem};
use aml_advisor::estate::{self, Estate, EstateFile, EstateIndex, GivenAnswers, Scope};
use aml_advisor::knowledge::KnowledgeBase;
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::{Value, json};

fn kb() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("the embedded knowledge base is valid")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/estate")
        .join(name)
}

fn read_files(kb: &KnowledgeBase, names: &[&str]) -> Estate {
    let files = names
        .iter()
        .map(|name| EstateFile {
            name: (*name).to_string(),
            text: std::fs::read_to_string(fixture(name)).unwrap(),
        })
        .collect();
    estate::read(files, &kb.estate).unwrap_or_else(|problems| panic!("{names:?} did not read: {problems}"))
}

/// An estate from JSON documents built in the test, one file each.
fn estate_of(kb: &KnowledgeBase, documents: &[Value]) -> Estate {
    let files = documents
        .iter()
        .enumerate()
        .map(|(index, document)| EstateFile {
            name: format!("doc{index}.json"),
            text: serde_json::to_string_pretty(document).unwrap(),
        })
        .collect();
    estate::read(files, &kb.estate).unwrap_or_else(|problems| panic!("did not read: {problems}"))
}

/// Assesses the only (or the named) workspace.
fn assess(kb: &KnowledgeBase, estate: &Estate, workspace: Option<&str>, given: Option<&Given>) -> Recommendation {
    let index = EstateIndex::new(estate, &kb.estate);
    let workspaces = index.workspaces(estate);
    let chosen = match workspace {
        Some(name) => workspaces.iter().find(|w| w.name == name).expect("named workspace"),
        None => {
            assert_eq!(workspaces.len(), 1, "one workspace expected");
            &workspaces[0]
        }
    };
    let scope = Scope::new(estate, &kb.estate, &index, chosen);
    let answers = given.map(|given| GivenAnswers {
        given,
        file: "answers.yaml",
        strict: false,
    });
    estate::assess(kb, &scope, answers.as_ref()).unwrap_or_else(|problems| panic!("not assessed: {problems}"))
}

fn derived(recommendation: &Recommendation) -> HashMap<String, AnswerValue> {
    recommendation
        .estate
        .as_ref()
        .unwrap()
        .derived_answers
        .iter()
        .map(|answer| (answer.question.clone(), answer.value.clone()))
        .collect()
}

fn drift<'r>(recommendation: &'r Recommendation, id: &str) -> Option<&'r DriftItem> {
    recommendation
        .estate
        .as_ref()
        .unwrap()
        .drift
        .iter()
        .find(|item| item.id == id)
}

fn finding_ids(recommendation: &Recommendation) -> Vec<String> {
    recommendation
        .estate
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .map(|f| f.id.clone())
        .collect()
}

fn choice(value: &str) -> AnswerValue {
    AnswerValue::Choice(value.to_string())
}

const SUB: &str = "/subscriptions/11111111-2222-3333-4444-555555555555";

fn workspace_id(name: &str) -> String {
    format!("{SUB}/resourceGroups/rg-{name}/providers/Microsoft.MachineLearningServices/workspaces/{name}")
}

/// A workspace in the ARM shape with these properties.
fn arm_workspace(name: &str, properties: Value) -> Value {
    json!({
        "id": workspace_id(name),
        "name": name,
        "type": "Microsoft.MachineLearningServices/workspaces",
        "location": "westeurope",
        "properties": properties,
    })
}

fn child(workspace: &str, kind: &str, name: &str, properties: Value) -> Value {
    json!({
        "id": format!("{}/{kind}/{name}", workspace_id(workspace)),
        "name": name,
        "type": format!("Microsoft.MachineLearningServices/workspaces/{kind}"),
        "properties": properties,
    })
}

// ----- shapes ---------------------------------------------------------------------------------

#[test]
fn every_upstream_shape_is_read_with_its_kind() {
    let kb = kb();
    let cases: [(&str, &str, usize); 9] = [
        ("upstream/workspace-get.json", "workspace", 1),
        ("upstream/workspace-list-by-subscription.json", "workspace", 2),
        ("upstream/az-ml-workspace-show.json", "workspace", 1),
        ("upstream/managed-network-outbound-rules-list.json", "outbound_rule", 2),
        ("upstream/private-endpoint-get.json", "private_endpoint", 1),
        ("upstream/private-dns-zone-get.json", "private_dns_zone", 1),
        (
            "upstream/private-dns-zone-virtual-network-link-get.json",
            "dns_zone_link",
            1,
        ),
        ("upstream/network-security-group-get.json", "nsg", 1),
        // Both of its entries carry the same placeholder id, so they are one resource.
        (
            "upstream/workspace-private-endpoint-connections-list.json",
            "workspace_private_endpoint_connection",
            1,
        ),
    ];
    for (file, kind, count) in cases {
        let estate = read_files(&kb, &[file]);
        let kinds: Vec<Option<&str>> = estate.resources.iter().map(|r| r.kind.as_deref()).collect();
        assert_eq!(kinds, vec![Some(kind); count], "{file}");
        assert!(estate.ignored.is_empty(), "{file}: {:?}", estate.ignored);
    }
    // `az ml workspace show` has no `type`: it comes from the id.
    let estate = read_files(&kb, &["upstream/az-ml-workspace-show.json"]);
    assert_eq!(
        estate.resources[0].arm_type,
        "Microsoft.MachineLearningServices/workspaces"
    );
    // The REST API writes the outbound rules' type short; the id gives the full one.
    let estate = read_files(&kb, &["upstream/managed-network-outbound-rules-list.json"]);
    assert_eq!(
        estate.resources[0].arm_type,
        "Microsoft.MachineLearningServices/workspaces/outboundRules"
    );
}

#[test]
fn resource_graph_output_is_read_and_unknown_types_are_listed_as_ignored() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let index = EstateIndex::new(&estate, &kb.estate);
    let mut names: Vec<&str> = index.workspaces(&estate).iter().map(|w| w.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["claims-ml", "legacy-ml", "research-ml"]);
    assert_eq!(estate.ignored.len(), 1);
    assert_eq!(estate.ignored[0].arm_type, "microsoft.web/sites");
    assert_eq!(estate.ignored[0].count, 1);
    // Children belong to their own workspace only.
    let research = index
        .workspaces(&estate)
        .into_iter()
        .find(|w| w.name == "research-ml")
        .unwrap();
    let claims = index
        .workspaces(&estate)
        .into_iter()
        .find(|w| w.name == "claims-ml")
        .unwrap();
    assert_eq!(
        Scope::new(&estate, &kb.estate, &index, research)
            .related("compute")
            .len(),
        2
    );
    assert!(
        Scope::new(&estate, &kb.estate, &index, claims)
            .related("compute")
            .is_empty()
    );
}

#[test]
fn arm_and_az_ml_spellings_of_one_workspace_derive_the_same_answers() {
    let kb = kb();
    let snake = assess(
        &kb,
        &read_files(&kb, &["upstream/az-ml-workspace-show.json"]),
        None,
        None,
    );
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("upstream/az-ml-workspace-show.json")).unwrap()).unwrap();
    // The same workspace written as ARM returns it: camelCase under `properties`, PascalCase enums.
    let arm = arm_workspace(
        sample["name"].as_str().unwrap(),
        json!({
            "publicNetworkAccess": "Disabled",
            "hbiWorkspace": false,
            "systemDatastoresAuthMode": "accessKey",
            "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "firewallSku": "Standard",
                "outboundRules": {"microsoft": {"type": "FQDN", "destination": "microsoft.com", "category": "UserDefined"}}},
        }),
    );
    let mut arm = arm;
    arm["id"] = sample["id"].clone();
    arm["location"] = sample["location"].clone();
    let camel = assess(&kb, &estate_of(&kb, &[arm]), None, None);
    assert_eq!(derived(&snake), derived(&camel));
    assert_eq!(
        derived(&snake)["managed_outbound"],
        choice("allow_only_approved_outbound")
    );
    assert_eq!(derived(&snake)["region"], AnswerValue::Text("westus3".into()));
}

// ----- derived answers ------------------------------------------------------------------------

#[test]
fn names_region_and_resource_group_come_from_the_workspace_with_evidence() {
    let kb = kb();
    let mut workspace = arm_workspace("contoso-ml", json!({"publicNetworkAccess": "Disabled"}));
    workspace["location"] = json!("West Europe");
    let recommendation = assess(&kb, &estate_of(&kb, &[workspace]), None, None);
    let answers = derived(&recommendation);
    assert_eq!(answers["workspace_name"], AnswerValue::Text("contoso-ml".into()));
    assert_eq!(
        answers["region"],
        AnswerValue::Text("westeurope".into()),
        "display names become CLI names"
    );
    assert_eq!(answers["resource_group"], AnswerValue::Text("rg-contoso-ml".into()));
    assert_eq!(answers["workspace_state"], choice("existing"));
    let region = recommendation
        .estate
        .as_ref()
        .unwrap()
        .derived_answers
        .iter()
        .find(|a| a.question == "region")
        .unwrap();
    assert_eq!(region.evidence[0].path, "$.location");
    assert_eq!(region.evidence[0].value, "West Europe");
    assert_eq!(region.evidence[0].file, "doc0.json");
    assert_eq!(recommendation.region, "westeurope");
}

#[test]
fn workspace_access_follows_public_network_access_and_ip_rules() {
    let kb = kb();
    let cases = [
        (json!({"publicNetworkAccess": "Disabled"}), "private"),
        (
            json!({"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "203.0.113.0/24"}]}}),
            "selected_ips",
        ),
        (json!({"publicNetworkAccess": "Enabled"}), "public"),
        (json!({"hbiWorkspace": false}), "public"),
    ];
    for (properties, expected) in cases {
        let recommendation = assess(
            &kb,
            &estate_of(&kb, &[arm_workspace("w1", properties.clone())]),
            None,
            None,
        );
        assert_eq!(
            derived(&recommendation)["workspace_access"],
            choice(expected),
            "{properties}"
        );
    }
}

#[test]
fn network_model_and_managed_outbound_follow_the_isolation_mode() {
    let kb = kb();
    let cases = [
        (
            "AllowOnlyApprovedOutbound",
            "managed_vnet",
            Some("allow_only_approved_outbound"),
        ),
        (
            "allow_internet_outbound",
            "managed_vnet",
            Some("allow_internet_outbound"),
        ),
        ("Disabled", "customer_vnet", None),
    ];
    for (mode, model, outbound) in cases {
        let workspace = arm_workspace("w1", json!({"managedNetwork": {"isolationMode": mode}}));
        let answers = derived(&assess(&kb, &estate_of(&kb, &[workspace]), None, None));
        assert_eq!(answers["network_model"], choice(model), "{mode}");
        assert_eq!(answers.get("managed_outbound"), outbound.map(choice).as_ref(), "{mode}");
    }
    let bare = derived(&assess(
        &kb,
        &estate_of(&kb, &[arm_workspace("w1", json!({"hbiWorkspace": false}))]),
        None,
        None,
    ));
    assert_eq!(
        bare["network_model"],
        choice("customer_vnet"),
        "no managed network is isolation mode Disabled"
    );
}

#[test]
fn encryption_and_hbi_come_from_the_workspace() {
    let kb = kb();
    let protected = arm_workspace("w1", json!({"hbiWorkspace": true, "encryption": {"status": "Enabled"}}));
    let answers = derived(&assess(&kb, &estate_of(&kb, &[protected]), None, None));
    assert_eq!(answers["encryption_keys"], choice("customer_managed"));
    assert_eq!(answers["high_business_impact"], choice("yes"));
    let plain = arm_workspace("w1", json!({"hbiWorkspace": false}));
    let answers = derived(&assess(&kb, &estate_of(&kb, &[plain]), None, None));
    assert_eq!(answers["encryption_keys"], choice("microsoft_managed"));
    assert_eq!(answers["high_business_impact"], choice("no"));
}

#[test]
fn inference_compute_and_local_auth_come_from_children() {
    let kb = kb();
    let recommendation = assess(
        &kb,
        &read_files(&kb, &["fabrikam-subscription.graph.json"]),
        Some("research-ml"),
        None,
    );
    let answers = derived(&recommendation);
    assert_eq!(
        answers["inference"],
        AnswerValue::Choices(vec!["managed_online".into(), "kubernetes".into()])
    );
    assert_eq!(answers["endpoint_access"], choice("public"));
    assert_eq!(answers["compute_public_ip"], choice("yes"));
    assert_eq!(answers["local_auth"], choice("allow"));
    assert_eq!(
        answers["internet_egress"],
        choice("nat_gateway"),
        "the NAT gateway serves its compute's subnet"
    );
    assert_eq!(answers["workspace_access"], choice("public"));
    // Another team's NAT gateway in the same subscription says nothing about legacy-ml.
    let legacy = derived(&assess(
        &kb,
        &read_files(&kb, &["fabrikam-subscription.graph.json"]),
        Some("legacy-ml"),
        None,
    ));
    assert!(!legacy.contains_key("internet_egress"), "{legacy:?}");
}

#[test]
fn inference_is_none_only_when_endpoints_and_compute_were_exported() {
    let kb = kb();
    let bare = derived(&assess(
        &kb,
        &estate_of(&kb, &[arm_workspace("w1", json!({"hbiWorkspace": false}))]),
        None,
        None,
    ));
    assert!(
        !bare.contains_key("inference"),
        "nothing exported says nothing about inference"
    );
    let documents = [
        arm_workspace("w1", json!({"hbiWorkspace": false})),
        child("w1", "computes", "cpu", json!({"computeType": "AmlCompute"})),
        child(
            "w1",
            "onlineEndpoints",
            "gone",
            json!({"publicNetworkAccess": "Disabled"}),
        ),
        child("w2", "batchEndpoints", "other", json!({})),
        arm_workspace("w2", json!({"hbiWorkspace": false})),
    ];
    let answers = derived(&assess(&kb, &estate_of(&kb, &documents), Some("w1"), None));
    assert_eq!(
        answers["inference"],
        AnswerValue::Choices(vec!["managed_online".into()]),
        "w2's batch endpoint is not w1's"
    );
    assert_eq!(answers["endpoint_access"], choice("private"));
}

#[test]
fn firewall_routes_dns_and_package_sources_are_derived() {
    let kb = kb();
    let workspace = arm_workspace(
        "w1",
        json!({"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": {
            "pypi": {"type": "FQDN", "destination": "pypi.org"},
            "cran": {"type": "FQDN", "destination": "cloud.r-project.org"},
            "hf": {"type": "FQDN", "destination": "huggingface.co"}}}}),
    );
    let zone = json!({"id": format!("{SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"),
        "name": "privatelink.api.azureml.ms", "type": "Microsoft.Network/privateDnsZones", "location": "global", "properties": {"numberOfRecordSets": 2}});
    let subnet = format!("{SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/training");
    let compute = child(
        "w1",
        "computes",
        "cpu",
        json!({"computeType": "AmlCompute", "properties": {"subnet": {"id": subnet}}}),
    );
    let routes = json!({"id": format!("{SUB}/resourceGroups/net/providers/Microsoft.Network/routeTables/rt-compute"),
        "name": "rt-compute", "type": "Microsoft.Network/routeTables", "properties": {"subnets": [{"id": subnet}], "routes": [
            {"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"}}]}});
    let answers = derived(&assess(
        &kb,
        &estate_of(&kb, &[workspace, zone, routes, compute]),
        None,
        None,
    ));
    assert_eq!(
        answers["package_ecosystems"],
        AnswerValue::Choices(vec!["pypi".into(), "cran".into(), "huggingface".into()])
    );
    assert_eq!(answers["build_environment"], choice("open_internet"));
    assert_eq!(answers["dns"], choice("azure_private_dns"));
    assert_eq!(answers["internet_egress"], choice("firewall"));
}

#[test]
fn the_answers_file_wins_where_it_differs_and_is_marked() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let mut given = Given::default();
    given.set("workspace_access", choice("private"));
    given.set("data_sensitivity", choice("highly_sensitive"));
    let recommendation = assess(&kb, &estate, Some("research-ml"), Some(&given));
    let access = recommendation
        .estate
        .as_ref()
        .unwrap()
        .derived_answers
        .iter()
        .find(|a| a.question == "workspace_access")
        .unwrap();
    assert_eq!(access.value, choice("public"), "the estate's value is reported");
    assert_eq!(access.origin, AnswerOrigin::AnswersOverEstate);
    let effective: HashMap<_, _> = recommendation.answers.0.iter().cloned().collect();
    assert_eq!(
        effective["workspace_access"],
        choice("private"),
        "the design follows the answers file"
    );
    let item = drift(&recommendation, "workspace-public-network-access").expect("public access drifts");
    assert_eq!(
        (item.deployed.as_str(), item.recommended.as_str()),
        ("Enabled", "Disabled")
    );
}

// ----- drift ----------------------------------------------------------------------------------

/// The drift item's step is in the plan, at its number, with its command.
fn assert_closed_by_plan_step(recommendation: &Recommendation, item: &DriftItem) {
    let number = item.step_number.unwrap_or_else(|| panic!("{} has no step", item.id));
    let step = &recommendation.next_steps[number - 1];
    assert_eq!(Some(&step.id), item.step.as_ref());
    assert_eq!(step.command, item.command);
    assert!(step.done.is_none(), "a step that closes drift is not done");
}

#[test]
fn settings_that_differ_drift_with_the_step_that_closes_them() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let mut given = Given::default();
    given.set("workspace_access", choice("private"));
    given.set("endpoint_access", choice("private"));
    let research = assess(&kb, &estate, Some("research-ml"), Some(&given));
    let public = drift(&research, "workspace-public-network-access").unwrap();
    assert_closed_by_plan_step(&research, public);
    assert!(
        public
            .command
            .as_deref()
            .unwrap()
            .contains("--public-network-access Disabled")
    );
    let endpoint = drift(&research, "online-endpoint-public-access").unwrap();
    assert_eq!(
        (endpoint.resource.as_str(), endpoint.deployed.as_str()),
        ("scoring", "Enabled")
    );

    let legacy = assess(&kb, &estate, Some("legacy-ml"), None);
    let datastores = drift(&legacy, "workspace-system-datastores-auth").unwrap();
    assert_eq!(
        (datastores.deployed.as_str(), datastores.recommended.as_str()),
        ("accessKey", "identity")
    );
    assert_closed_by_plan_step(&legacy, datastores);
    assert!(datastores.one_way.is_none());
}

#[test]
fn one_way_doors_are_flagged() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    // claims-ml has a managed network; asking for a customer VNet cannot be done in place.
    let mut given = Given::default();
    given.set("network_model", choice("customer_vnet"));
    given.set("workload_needs", AnswerValue::Choices(vec!["attached_vms".into()]));
    let claims = assess(&kb, &estate, Some("claims-ml"), Some(&given));
    let mode = drift(&claims, "workspace-isolation-mode").unwrap();
    assert_eq!(
        (mode.deployed.as_str(), mode.recommended.as_str()),
        ("AllowInternetOutbound", "Disabled")
    );
    assert!(mode.one_way.as_deref().unwrap().contains("cannot be turned off"));
    // legacy-ml has neither a customer-managed key nor HBI; asking for them needs a new workspace.
    let mut given = Given::default();
    given.set("encryption_keys", choice("customer_managed"));
    given.set("high_business_impact", choice("yes"));
    let legacy = assess(&kb, &estate, Some("legacy-ml"), Some(&given));
    for id in ["workspace-customer-managed-key", "workspace-high-business-impact"] {
        let item = drift(&legacy, id).unwrap_or_else(|| panic!("{id} drifts"));
        assert!(item.one_way.as_deref().unwrap().contains("new workspace"), "{id}");
        assert_eq!(item.step_number, None, "{id}: no step can change it in place");
    }
    let report = legacy.estate.as_ref().unwrap();
    assert_eq!(report.one_way_count(), 2);
}

#[test]
fn a_registry_below_premium_drifts_for_a_private_workspace() {
    let kb = kb();
    let recommendation = assess(
        &kb,
        &read_files(&kb, &["contoso-workspace.arm.json", "contoso-network.arm-list.json"]),
        None,
        None,
    );
    let sku = drift(&recommendation, "registry-sku").unwrap();
    assert_eq!(
        (sku.resource.as_str(), sku.deployed.as_str(), sku.recommended.as_str()),
        ("crcontosomlprod", "Standard", "Premium")
    );
    assert_closed_by_plan_step(&recommendation, sku);
}

#[test]
fn planned_resources_missing_from_the_estate_drift_and_present_ones_mark_steps_done() {
    let kb = kb();
    let recommendation = assess(
        &kb,
        &read_files(&kb, &["contoso-workspace.arm.json", "contoso-network.arm-list.json"]),
        None,
        None,
    );
    let notebooks = drift(&recommendation, "missing:dns_zone:notebooks").expect("the notebooks zone is missing");
    assert_eq!(notebooks.deployed, "absent");
    assert_closed_by_plan_step(&recommendation, notebooks);
    assert!(
        recommendation.next_steps[notebooks.step_number.unwrap() - 1]
            .creates
            .contains(&"dns_zone:notebooks".to_string())
    );
    // The approved-only outbound rule for PyPI is there; conda is not in use, so not asked for.
    assert!(drift(&recommendation, "missing:outbound_rule:pypi").is_none());
    let done: Vec<&str> = recommendation
        .next_steps
        .iter()
        .filter(|s| s.done.is_some())
        .map(|s| s.id.as_str())
        .collect();
    for expected in [
        "mva_client_private_endpoint",
        "mva_disable_public_access",
        "wse_datastores_identity",
        "mva_provision_network",
        "bi_set_image_build_compute",
    ] {
        assert!(done.contains(&expected), "{expected} should be done; done: {done:?}");
    }
    // Every done step's resources are in the estate, and its command is not printed.
    let text = aml_advisor::render::text::render(&recommendation);
    for step in recommendation.next_steps.iter().filter(|s| s.done.is_some()) {
        if let Some(command) = &step.command {
            let first_line = command.lines().next().unwrap();
            assert!(
                !text.contains(first_line)
                    || recommendation
                        .next_steps
                        .iter()
                        .any(|s| s.done.is_none() && s.command.as_deref().is_some_and(|c| c.contains(first_line))),
                "{}'s command is printed",
                step.id
            );
        }
    }
}

#[test]
fn a_compliant_private_managed_estate_has_no_drift_for_what_it_has() {
    let kb = kb();
    let recommendation = assess(
        &kb,
        &read_files(&kb, &["contoso-workspace.arm.json", "contoso-network.arm-list.json"]),
        None,
        None,
    );
    let report = recommendation.estate.as_ref().unwrap();
    for id in [
        "workspace-public-network-access",
        "workspace-isolation-mode",
        "workspace-system-datastores-auth",
        "missing:private_endpoint:workspace",
        "missing:dns_zone:api",
        "missing:workspace_setting:image-build-compute",
        "missing:managed_network",
    ] {
        assert!(
            drift(&recommendation, id).is_none(),
            "{id} should not drift: {:?}",
            report.drift
        );
    }
}

#[test]
fn what_the_files_do_not_hold_is_not_checked_rather_than_missing() {
    let kb = kb();
    let recommendation = assess(&kb, &read_files(&kb, &["contoso-workspace.arm.json"]), None, None);
    let report = recommendation.estate.as_ref().unwrap();
    assert!(
        report.drift.iter().all(|item| !item.id.starts_with("missing:dns_zone")),
        "{:?}",
        report.drift
    );
    let zones = report
        .not_checked
        .iter()
        .find(|item| item.needs == "private DNS zone")
        .expect("zones not compared");
    assert!(
        zones.what.contains(&"private DNS zone notebooks".to_string()),
        "{zones:?}"
    );
    assert!(report.not_checked.iter().any(|item| item.needs == "container registry"));
}

// ----- estate findings ------------------------------------------------------------------------

#[test]
fn estate_findings_fire_on_their_facts_only() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let legacy = finding_ids(&assess(&kb, &estate, Some("legacy-ml"), None));
    assert!(legacy.contains(&"estate-v1-legacy-mode".to_string()), "{legacy:?}");
    assert!(
        legacy.contains(&"estate-access-key-datastores".to_string()),
        "{legacy:?}"
    );
    let research = finding_ids(&assess(&kb, &estate, Some("research-ml"), None));
    assert!(
        research.contains(&"estate-private-registry-without-build-compute".to_string()),
        "{research:?}"
    );
    assert!(!research.contains(&"estate-v1-legacy-mode".to_string()));
    assert!(!research.contains(&"estate-access-key-datastores".to_string()));
    let claims = finding_ids(&assess(&kb, &estate, Some("claims-ml"), None));
    assert!(claims.is_empty(), "{claims:?}");

    let contoso = finding_ids(&assess(
        &kb,
        &read_files(&kb, &["contoso-workspace.arm.json"]),
        None,
        None,
    ));
    assert_eq!(contoso, ["estate-private-endpoint-pending"]);

    let unprovisioned = arm_workspace(
        "w1",
        json!({"managedNetwork": {"isolationMode": "AllowInternetOutbound", "status": {"status": "Inactive"}}}),
    );
    let ids = finding_ids(&assess(&kb, &estate_of(&kb, &[unprovisioned]), None, None));
    assert!(
        ids.contains(&"estate-managed-network-not-provisioned".to_string()),
        "{ids:?}"
    );
}

#[test]
fn a_private_endpoint_without_the_notebooks_zone_is_reported_under_a_public_design() {
    let kb = kb();
    let workspace = arm_workspace(
        "w1",
        json!({"publicNetworkAccess": "Enabled", "privateEndpointConnections": [{"name": "pe",
        "properties": {"privateLinkServiceConnectionState": {"status": "Approved"}}}]}),
    );
    let zone = |name: &str| {
        json!({"id": format!("{SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/{name}"),
        "name": name, "type": "Microsoft.Network/privateDnsZones", "properties": {"numberOfRecordSets": 1}})
    };
    let without = finding_ids(&assess(
        &kb,
        &estate_of(&kb, &[workspace.clone(), zone("privatelink.api.azureml.ms")]),
        None,
        None,
    ));
    assert!(
        without.contains(&"estate-notebooks-zone-missing".to_string()),
        "{without:?}"
    );
    let with = finding_ids(&assess(
        &kb,
        &estate_of(
            &kb,
            &[
                workspace.clone(),
                zone("privatelink.api.azureml.ms"),
                zone("privatelink.notebooks.azure.net"),
            ],
        ),
        None,
        None,
    ));
    assert!(!with.contains(&"estate-notebooks-zone-missing".to_string()));
    let unexported = finding_ids(&assess(&kb, &estate_of(&kb, &[workspace]), None, None));
    assert!(
        !unexported.contains(&"estate-notebooks-zone-missing".to_string()),
        "no zones exported says nothing"
    );
}

#[test]
fn evidence_points_at_the_line_of_the_value() {
    let kb = kb();
    let recommendation = assess(&kb, &read_files(&kb, &["contoso-workspace.arm.json"]), None, None);
    let text = std::fs::read_to_string(fixture("contoso-workspace.arm.json")).unwrap();
    let pending = &recommendation.estate.as_ref().unwrap().findings[0].evidence[0];
    assert_eq!(
        pending.path,
        "$.properties.privateEndpointConnections[1].properties.privateLinkServiceConnectionState.status"
    );
    let line = text.lines().nth(pending.line - 1).unwrap();
    assert!(
        line.contains("\"status\": \"Pending\""),
        "line {}: {line}",
        pending.line
    );
}

// ----- through the binary ---------------------------------------------------------------------

fn run_assess(args: &[&str]) -> (i32, String, String) {
    let output = cargo_bin_cmd!("aml-advisor")
        .arg("assess")
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A fixture's path relative to the crate (where cargo runs integration tests), so that
/// messages and records read the same in every checkout (their wrapping depends on its length).
fn path(name: &str) -> String {
    format!("tests/fixtures/estate/{name}")
}

#[test]
fn bad_estates_are_clear_errors_with_file_line_and_json_path() {
    let cases = [
        ("bad/not-json.json", ":4:1: is not JSON: trailing comma"),
        (
            "bad/unknown-shape.json",
            ":1:1: $: not an estate export (an object with keys exportedAt, workspaces)",
        ),
        (
            "bad/list-of-names.json",
            ":2:3: $[0]: is a text; each resource is a JSON object",
        ),
        (
            "bad/id-not-arm.json",
            ":3:5: $.value[0]: has no `type` and its id `contoso-ml-prod` is not an ARM resource id",
        ),
        (
            "bad/workspace-without-properties.json",
            ":3:5: $.value[0]: Microsoft.MachineLearningServices/workspaces `contoso-ml-prod` has no `properties`",
        ),
        (
            "bad/only-web-apps.json",
            ":1:1: holds only `Microsoft.Web/sites`; an assessment needs at least one Azure Machine Learning workspace",
        ),
    ];
    for (file, expected) in cases {
        let (code, stdout, stderr) = run_assess(&["--estate", &path(file)]);
        assert_eq!(code, 65, "{file}: {stderr}");
        assert!(stdout.is_empty(), "{file}");
        assert!(
            stderr.contains(&format!("{}{expected}", path(file))),
            "{file}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{file}");
    }
}

#[test]
fn conflicting_copies_of_one_workspace_are_refused() {
    let (code, _, stderr) = run_assess(&[
        "--estate",
        &path("contoso-workspace.arm.json"),
        &path("bad/conflicting-copy.json"),
    ]);
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains("conflicting-copy.json:25:30: $[0].properties.publicNetworkAccess:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("with properties.publicNetworkAccess `Disabled` instead of `Enabled`"),
        "{stderr}"
    );
    // The same workspace twice, unchanged, is read once.
    let (code, _, stderr) = run_assess(&[
        "--estate",
        &path("contoso-workspace.arm.json"),
        &path("contoso-workspace.arm.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_file_past_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let (code, _, stderr) = run_assess(&["--estate", huge.to_str().unwrap()]);
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains("huge.json:1:1: is 209715200 bytes; the limit is 134217728 bytes (128 MiB)"),
        "{stderr}"
    );
}

#[test]
fn several_workspaces_need_a_choice_and_a_region_the_estate_lacks_is_asked_for() {
    let (code, _, stderr) = run_assess(&["--estate", &path("fabrikam-subscription.graph.json")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("holds 3 workspaces: `research-ml`, `claims-ml`, `legacy-ml`; choose one with --workspace NAME"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: ignored resources of types the advisor does not read: microsoft.web/sites (1)"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run_assess(&[
        "--estate",
        &path("fabrikam-subscription.graph.json"),
        "--workspace",
        "claims-ml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["estate"]["workspace"]["name"], "claims-ml");
    assert_eq!(json["workspace_name"], "claims-ml");
    // The REST sample's region is a canary region the knowledge base does not list.
    let (code, _, stderr) = run_assess(&["--estate", &path("upstream/workspace-get.json")]);
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains(
            "`region` is needed and the estate does not determine it (the estate's `eastus2euap` cannot be used"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("give it in --answers"), "{stderr}");
}

#[test]
fn the_design_record_has_the_estate_section_after_the_decision_outcome() {
    let (code, stdout, stderr) = run_assess(&[
        "--estate",
        &path("contoso-workspace.arm.json"),
        &path("contoso-network.arm-list.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let outcome = stdout.find("\n## Decision outcome").unwrap();
    let estate = stdout.find("\n## Current estate and drift").unwrap();
    let next = stdout[outcome + 1..].find("\n## ").map(|p| p + outcome + 1).unwrap();
    assert_eq!(estate, next, "the estate section follows the decision outcome");
    assert!(stdout.contains("| Setting | Deployed | Recommended | Severity | One-way | Step |"));
    assert!(stdout.contains("- [x] **"), "steps already in place are ticked");
    let section = &stdout[estate..stdout[estate + 1..].find("\n## ").unwrap() + estate + 1];
    insta::assert_snapshot!("contoso_estate_section", section);
}

#[test]
fn fleet_mode_writes_a_record_per_workspace_and_an_index_with_drift_counts() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("records");
    let args = [
        "--estate",
        &path("fabrikam-subscription.graph.json"),
        "--output-dir",
        target.to_str().unwrap(),
        "--format",
        "json",
    ];
    let (code, _, stderr) = run_assess(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote 3 record(s) and index.md"), "{stderr}");
    let index = std::fs::read_to_string(target.join("index.md")).unwrap();
    for name in ["research-ml", "claims-ml", "legacy-ml"] {
        let record: Value =
            serde_json::from_str(&std::fs::read_to_string(target.join(format!("{name}.json"))).unwrap()).unwrap();
        let drift = record["estate"]["drift"].as_array().unwrap();
        let count = |severity: &str| drift.iter().filter(|d| d["severity"] == severity).count();
        let row = index
            .lines()
            .find(|line| line.starts_with(&format!("| {name} |")))
            .unwrap();
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[3..6],
            [
                count("high").to_string(),
                count("medium").to_string(),
                count("low").to_string()
            ],
            "{row}"
        );
    }
    assert!(index.contains("`microsoft.web/sites`: 1"), "{index}");
    // A second run does not overwrite without --force.
    let (code, _, stderr) = run_assess(&args);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("4 of the 4 files this run writes already exist"),
        "{stderr}"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(run_assess(&forced).0, 0);
}

#[test]
fn the_interview_prefills_from_the_estate_and_says_so() {
    let output = cargo_bin_cmd!("aml-advisor")
        .args([
            "interview",
            "--plain",
            "--new",
            "--estate",
            &path("contoso-workspace.arm.json"),
        ])
        .env("AML_ADVISOR_DATA_DIR", tempfile::tempdir().unwrap().path())
        .write_stdin("\nquit\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("(from the estate: "), "{stdout}");
    assert!(
        stdout.contains("contoso-workspace.arm.json:3 $.name = contoso-ml-prod"),
        "{stdout}"
    );
    assert!(stdout.contains("Answer [Enter = contoso-ml-prod]"), "{stdout}");
}

#[test]
fn an_answers_file_shared_by_a_fleet_does_not_rename_its_workspaces() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let mut given = Given::default();
    given.set("workspace_name", AnswerValue::Text("one-name-for-all".into()));
    given.set("region", AnswerValue::Text("eastus".into()));
    given.set(
        "personas",
        AnswerValue::Choices(vec!["data_scientists".into(), "auditors".into()]),
    );
    let claims = assess(&kb, &estate, Some("claims-ml"), Some(&given));
    assert_eq!(claims.workspace_name, "claims-ml");
    assert_eq!(claims.region, "westeurope");
    let effective: HashMap<_, _> = claims.answers.0.iter().cloned().collect();
    assert_eq!(
        effective["personas"],
        AnswerValue::Choices(vec!["data_scientists".into(), "auditors".into()])
    );
}

#[test]
fn the_review_marks_the_answers_that_came_from_the_estate() {
    use aml_advisor::tui::app::App;
    use aml_advisor::tui::theme::Theme;
    use aml_advisor::tui::{action::Action, ui, update::update};
    let kb = kb();
    let estate = read_files(&kb, &["contoso-workspace.arm.json"]);
    let index = EstateIndex::new(&estate, &kb.estate);
    let scope = Scope::new(&estate, &kb.estate, &index, index.workspaces(&estate)[0]);
    let (given, derived, _) = estate::answers_for(&kb, &scope, None);
    let origins = derived
        .iter()
        .map(|answer| {
            (
                answer.question.clone(),
                (answer.value.clone(), estate::describe_origin(answer)),
            )
        })
        .collect();
    let mut app = App::new(&kb, Theme::monochrome(), None);
    app.load_estate_answers(given, origins);
    let network = kb.question_position("network_model").unwrap();
    let sensitivity = kb.question_position("data_sensitivity").unwrap();
    assert!(app.is_from_estate(network));
    assert!(!app.is_from_estate(sensitivity), "a default is not from the estate");
    update(&mut app, Action::Resize(160, 60));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 60)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("pre-filled from the estate"), "{screen}");
    assert!(screen.contains("(estate)"), "{screen}");
    assert!(screen.contains("(default)"), "{screen}");
}

#[test]
fn thousands_of_bad_rows_are_summarised_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.json");
    let names: Vec<String> = (0..5000).map(|i| format!("workspace-{i}")).collect();
    std::fs::write(&file, serde_json::to_string(&names).unwrap()).unwrap();
    let (code, _, stderr) = run_assess(&["--estate", file.to_str().unwrap()]);
    assert_eq!(code, 65, "{stderr}");
    assert_eq!(
        stderr
            .lines()
            .filter(|line| line.contains("is a text; each resource"))
            .count(),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("and 4980 more resources refused like the ones above"),
        "{stderr}"
    );
}

#[test]
fn what_the_estate_shows_settled_withdraws_its_findings_and_marks_its_steps_done() {
    let kb = kb();
    let estate = read_files(&kb, &["fabrikam-subscription.graph.json"]);
    let claims = assess(&kb, &estate, Some("claims-ml"), None);
    let report = claims.estate.as_ref().unwrap();
    let settled: Vec<&str> = report.settled.iter().map(|s| s.id.as_str()).collect();
    for id in [
        "customer-managed-key-in-place",
        "hbi-in-place",
        "managed-network-in-place",
        "image-build-compute-in-place",
        "v1-legacy-mode-off",
    ] {
        assert!(settled.contains(&id), "{id} settled: {settled:?}");
    }
    // The same answers without the estate raise the findings the estate withdraws.
    let (given, _, _) = {
        let index = EstateIndex::new(&estate, &kb.estate);
        let workspace = index
            .workspaces(&estate)
            .into_iter()
            .find(|w| w.name == "claims-ml")
            .unwrap();
        estate::answers_for(&kb, &Scope::new(&estate, &kb.estate, &index, workspace), None)
    };
    let plain = aml_advisor::engine::evaluate(&kb, &aml_advisor::answers::resolve(&kb, &given));
    for id in [
        "cmk-on-existing-workspace",
        "hbi-on-existing-workspace",
        "existing-workspace-to-managed-vnet",
    ] {
        assert!(
            plain.findings.iter().any(|f| f.id == id),
            "{id} fires from the answers alone"
        );
        assert!(
            !claims.findings.iter().any(|f| f.id == id),
            "{id} is withdrawn by the estate"
        );
    }
    let cmk = report
        .settled
        .iter()
        .find(|s| s.id == "customer-managed-key-in-place")
        .unwrap();
    assert_eq!(cmk.withdrawn_findings.len(), 1);
    assert_eq!(cmk.evidence[0].value, "Enabled");
    let done = |id: &str| {
        claims
            .next_steps
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.done.as_ref())
    };
    assert!(done("cmk_existing_workspace").is_some_and(|e| e.describe().contains("encryption.status = Enabled")));
    // legacy-ml has v1 legacy mode on: nothing about it is settled.
    let legacy = assess(&kb, &estate, Some("legacy-ml"), None);
    assert!(
        legacy
            .estate
            .as_ref()
            .unwrap()
            .settled
            .iter()
            .all(|s| s.id != "v1-legacy-mode-off")
    );
}

#[test]
fn quiet_leaves_out_the_progress_and_the_ignored_types_note() {
    let out = tempfile::tempdir().unwrap();
    let output = cargo_bin_cmd!("aml-advisor")
        .args([
            "--quiet",
            "assess",
            "--estate",
            &path("fabrikam-subscription.graph.json"),
            "--output-dir",
        ])
        .arg(out.path().join("records"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    // Without --quiet both are said.
    let (code, _, stderr) = run_assess(&[
        "--estate",
        &path("fabrikam-subscription.graph.json"),
        "--output-dir",
        out.path().join("again").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("note: ignored resources") && stderr.contains("wrote 3 record(s)"),
        "{stderr}"
    );
}
