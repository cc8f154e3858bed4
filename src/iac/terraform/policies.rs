//! The policy assignments at the subscription, with the identities, roles and remediations
//! their effects need.

use super::*;

pub(super) fn policy_parameter(refs: &Refs, source: &str) -> Result<String, String> {
    Ok(match source.split_once(':') {
        Some(("text", value)) => super::super::value::Syntax::Hcl.string(value),
        Some(("zone", zone)) => {
            if !refs.design.dns_zones.iter().any(|z| z.id == zone) {
                return Err(format!(
                    "a policy parameter names DNS zone `{zone}`, which the design does not create"
                ));
            }
            format!("module.{zone}.resource_id")
        }
        _ if source == "log_analytics" => "module.log_analytics.resource_id".to_string(),
        _ => match refs.endpoint_subnet(EndpointNetwork::Workload) {
            Value::Expr(expression) => expression,
            other => super::super::value::Syntax::Hcl.print(&other, 0),
        },
    })
}

pub(super) fn policy_blocks(refs: &Refs, policy: &Policy) -> Result<Vec<Block>, String> {
    let name = &policy.id;
    let mut parameters = vec![format!(
        "effect = {{ value = {} }}",
        super::super::value::Syntax::Hcl.string(&policy.effect)
    )];
    for (parameter, source) in &policy.parameters {
        parameters.push(format!(
            "{parameter} = {{ value = {} }}",
            policy_parameter(refs, source)?
        ));
    }
    let mut assignment = Block::new("resource", &["azurerm_subscription_policy_assignment", name])
        .comment(format!("Policy: {}", policy.display_name))
        .attr("name", Value::str(&policy.assignment))
        .attr("display_name", Value::str(&policy.display_name))
        .attr(
            "subscription_id",
            Value::expr("\"/subscriptions/${var.subscription_id}\""),
        )
        .attr(
            "policy_definition_id",
            Value::str(format!(
                "/providers/Microsoft.Authorization/policyDefinitions/{}",
                policy.definition_id
            )),
        )
        .attr(
            "parameters",
            Value::expr(format!("jsonencode({{\n    {}\n  }})", parameters.join("\n    "))),
        );
    let Some(role) = &policy.identity_role else {
        return Ok(vec![assignment]);
    };
    assignment = assignment
        .attr("location", Value::expr("var.location"))
        .block(Block::new("identity", &[]).attr("type", Value::str("SystemAssigned")));
    Ok(vec![
        assignment,
        Block::new("resource", &["azurerm_role_assignment", &format!("{name}_identity")])
            .attr("scope", Value::expr("\"/subscriptions/${var.subscription_id}\""))
            .attr("role_definition_name", Value::str(role))
            .attr(
                "principal_id",
                Value::expr(format!(
                    "azurerm_subscription_policy_assignment.{name}.identity[0].principal_id"
                )),
            ),
        Block::new("resource", &["azurerm_subscription_policy_remediation", name])
            .attr("name", Value::str(format!("{}-remediation", policy.assignment)))
            .attr(
                "subscription_id",
                Value::expr("\"/subscriptions/${var.subscription_id}\""),
            )
            .attr(
                "policy_assignment_id",
                Value::expr(format!("azurerm_subscription_policy_assignment.{name}.id")),
            )
            .attr(
                "depends_on",
                Value::List(vec![Value::expr(format!("azurerm_role_assignment.{name}_identity"))]),
            ),
    ])
}
