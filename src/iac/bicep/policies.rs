//! `policies.bicep`: the policy assignments at the subscription, with the identities, roles
//! and remediations their effects need.

use super::*;

/// The policy assignments live at the subscription: a module file of their own, called with
/// `scope: subscription()`, receiving the resource ids their parameters need.
pub(super) fn policies(refs: &Refs, header: &str) -> Result<(String, String), String> {
    let design = refs.design;
    let mut inputs: Vec<(String, Value)> = vec![("location".to_string(), Value::expr("location"))];
    let mut file = String::new();
    for line in header.lines() {
        file.push_str(&format!("// {line}\n"));
    }
    file.push_str("targetScope = 'subscription'\n\n@description('Region of the policy assignments\\' managed identities.')\nparam location string\n\n");
    let mut declared: Vec<String> = Vec::new();
    for policy in &design.policies {
        for source in policy.parameters.values() {
            let (param, value) = match source.split_once(':') {
                Some(("text", _)) => continue,
                Some(("zone", zone)) => {
                    if !design.dns_zones.iter().any(|z| z.id == zone) {
                        return Err(format!(
                            "a policy parameter names DNS zone `{zone}`, which the design does not create"
                        ));
                    }
                    (format!("{}ResourceId", param_name(zone)), refs.zone(zone))
                }
                _ if source == "log_analytics" => (
                    "logAnalyticsResourceId".to_string(),
                    Value::expr("logAnalytics.outputs.resourceId"),
                ),
                _ => (
                    "privateEndpointSubnetResourceId".to_string(),
                    refs.endpoint_subnet(EndpointNetwork::Workload),
                ),
            };
            if !declared.contains(&param) {
                file.push_str(&format!("param {param} string\n\n"));
                inputs.push((param.clone(), value));
                declared.push(param);
            }
        }
    }
    for policy in &design.policies {
        let symbol = param_name(&policy.id);
        let mut parameters = vec![(
            "effect".to_string(),
            Value::object([("value", Value::str(&policy.effect))]),
        )];
        for (name, source) in &policy.parameters {
            let value = match source.split_once(':') {
                Some(("text", text)) => Value::str(text),
                Some(("zone", zone)) => Value::expr(format!("{}ResourceId", param_name(zone))),
                _ if source == "log_analytics" => Value::expr("logAnalyticsResourceId"),
                _ => Value::expr("privateEndpointSubnetResourceId"),
            };
            parameters.push((name.clone(), Value::object([("value", value)])));
        }
        let mut body = vec![("name".to_string(), Value::str(&policy.assignment))];
        if policy.identity_role.is_some() {
            body.push(("location".to_string(), Value::expr("location")));
            body.push((
                "identity".to_string(),
                Value::object([("type", Value::str("SystemAssigned"))]),
            ));
        }
        body.push((
            "properties".to_string(),
            Value::object([
                ("displayName", Value::str(&policy.display_name)),
                (
                    "policyDefinitionId",
                    Value::expr(format!(
                        "tenantResourceId('Microsoft.Authorization/policyDefinitions', {})",
                        string(&policy.definition_id)
                    )),
                ),
                ("parameters", Value::Object(parameters)),
            ]),
        ));
        file.push_str(&resource_decl(
            &symbol,
            "Microsoft.Authorization/policyAssignments@2024-04-01",
            Value::Object(body),
            Some(&format!("Policy: {}", policy.display_name)),
        ));
        file.push('\n');
        if let Some(role) = &policy.identity_role {
            let role_id = builtin_roles()
                .role_id(role)
                .ok_or_else(|| format!("policy `{}`: `{role}` is not a built-in role", policy.id))?;
            file.push_str(&resource_decl(
                &format!("{symbol}Identity"),
                "Microsoft.Authorization/roleAssignments@2022-04-01",
                Value::object([
                    (
                        "name",
                        Value::expr(format!("guid(subscription().id, {})", string(&policy.assignment))),
                    ),
                    (
                        "properties",
                        Value::object([
                            (
                                "roleDefinitionId",
                                Value::expr(format!(
                                    "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})",
                                    string(role_id)
                                )),
                            ),
                            ("principalId", Value::expr(format!("{symbol}.identity.principalId"))),
                            ("principalType", Value::str("ServicePrincipal")),
                        ]),
                    ),
                ]),
                None,
            ));
            file.push('\n');
            file.push_str(&resource_decl(
                &format!("{symbol}Remediation"),
                "Microsoft.PolicyInsights/remediations@2024-10-01",
                Value::object([
                    ("name", Value::str(format!("{}-remediation", policy.assignment))),
                    (
                        "properties",
                        Value::object([("policyAssignmentId", Value::expr(format!("{symbol}.id")))]),
                    ),
                    ("dependsOn", Value::List(vec![Value::expr(format!("{symbol}Identity"))])),
                ]),
                None,
            ));
            file.push('\n');
        }
    }
    let call = format!(
        "// The Azure Policy assignments, at the subscription.\nmodule policies 'policies.bicep' = {}\n\n",
        Syntax::Bicep.print(
            &Value::object([
                ("name", Value::str("policies")),
                ("scope", Value::expr("subscription()")),
                ("params", Value::Object(inputs)),
            ]),
            0
        )
    );
    Ok((call, file))
}
