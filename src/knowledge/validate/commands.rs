//! Every `command:` of a next step or a confirmation, and every policy's `assign`, is a
//! runnable command: each `az` invocation is a real command of the CLI version in `upstream/`,
//! with real options, values and required options (see `upstream::cli_check`). What a command
//! names by value is checked too: roles, policy definitions, and the parameters an assignment
//! passes.

use super::super::model::Policy;
use super::Validator;
use super::facts::item_anchor;
use crate::diagnostic::did_you_mean;
use crate::upstream::cli_check::{check_command, is_placeholder_value, option_values};
use crate::upstream::policies::builtins;
use crate::upstream::roles::builtin_roles;

impl Validator<'_> {
    pub(super) fn check_commands(&mut self) {
        let mut checks = Vec::new();
        for (file, decision) in self.all(|f| &f.decisions) {
            for option in &decision.options {
                for step in &option.next_steps {
                    if let Some(command) = &step.command {
                        checks.push((
                            file,
                            "decisions",
                            step.id.as_str(),
                            "next step",
                            "command",
                            command.as_str(),
                        ));
                    }
                }
            }
        }
        let confirmations = self.all(|f| &f.confirmations).into_iter().map(|(file, confirmation)| {
            let command = confirmation.command.as_str();
            (
                file,
                "confirmations",
                confirmation.id.as_str(),
                "confirmation",
                "command",
                command,
            )
        });
        let policies = self.all(|f| &f.policies);
        let assignments = policies.iter().map(|&(file, policy)| {
            (
                file,
                "policies",
                policy.id.as_str(),
                "policy",
                "assign",
                policy.assign.as_str(),
            )
        });
        checks.extend(confirmations.chain(assignments));
        for &(file, policy) in &policies {
            self.check_assignment(file, policy);
        }
        for (file, list, id, kind, key, command) in checks {
            let anchor = item_anchor(file, list, id);
            for problem in check_command(command) {
                self.report_fact(anchor, key, &problem.word, format!("{kind} `{id}`: {problem}"));
            }
            for (path, option, value, problem) in self.named_facts(command) {
                self.report_fact(
                    anchor,
                    key,
                    &value,
                    format!("{kind} `{id}`: `{option} {value}` of `az {path}`: {problem}"),
                );
            }
        }
    }

    /// A policy's `assign` assigns that policy's definition, and the parameters it passes in
    /// `--params` are the definition's, with values it allows.
    fn check_assignment(&mut self, file: usize, policy: &Policy) {
        let anchor = item_anchor(file, "policies", &policy.id);
        const PATH: &str = "policy assignment create";
        for assigned in option_values(&policy.assign, PATH, "--policy") {
            if !is_placeholder_value(&assigned) && !assigned.eq_ignore_ascii_case(&policy.definition_id) {
                self.report_fact(
                    anchor,
                    "assign",
                    &assigned,
                    format!(
                        "policy `{}`: `assign` assigns definition `{assigned}`, but `definition_id` is `{}`",
                        policy.id, policy.definition_id
                    ),
                );
            }
        }
        let Some(definition) = builtins().definition(&policy.definition_id) else {
            return;
        };
        for params in option_values(&policy.assign, PATH, "--params") {
            if params.starts_with('@') || is_placeholder_value(&params) && !params.trim_start().starts_with('{') {
                continue;
            }
            let parsed: Result<serde_json::Map<String, serde_json::Value>, _> = serde_json::from_str(&params);
            let Ok(parsed) = parsed else {
                self.report_fact(
                    anchor,
                    "assign",
                    "--params",
                    format!(
                        "policy `{}`: `--params` of `assign` is not a JSON object of parameters (`{{\"name\":{{\"value\":...}}}}`)",
                        policy.id
                    ),
                );
                continue;
            };
            for (name, given) in &parsed {
                let value = given.get("value").and_then(serde_json::Value::as_str);
                self.check_parameter(
                    anchor,
                    "assign",
                    policy,
                    definition,
                    (name, value),
                    "`--params` of `assign`",
                );
            }
        }
    }

    /// Roles and policy definitions a command names by value, against upstream: a role must be
    /// a built-in role (by name or id) or a custom role of `role_assignments`, a policy
    /// definition GUID a known built-in.
    fn named_facts(&self, command: &str) -> Vec<(&'static str, &'static str, String, String)> {
        let roles = builtin_roles();
        let custom: Vec<&str> = self
            .all(|f| &f.role_assignments)
            .into_iter()
            .filter(|(_, assignment)| assignment.custom)
            .map(|(_, assignment)| assignment.role.as_str())
            .collect();
        let mut problems = Vec::new();
        for path in [
            "role assignment create",
            "ad sp create-for-rbac",
            "policy assignment create",
        ] {
            for role in option_values(command, path, "--role") {
                let known = is_placeholder_value(&role)
                    || roles.role_id(&role).is_some()
                    || roles.roles.values().any(|id| id.eq_ignore_ascii_case(&role))
                    || custom.contains(&role.as_str());
                if !known {
                    let hint = match roles.spelled(&role) {
                        Some(spelled) => format!("; the built-in role is spelt `{spelled}`"),
                        None => did_you_mean(&role, roles.names()),
                    };
                    problems.push((
                        path,
                        "--role",
                        role,
                        format!("not a built-in role nor a custom role of `role_assignments`{hint}"),
                    ));
                }
            }
        }
        let policies = builtins();
        for policy in option_values(command, "policy assignment create", "--policy") {
            let is_guid = policy.len() == 36 && policy.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
            if is_guid && policies.definition(&policy).is_none() {
                problems.push((
                    "policy assignment create",
                    "--policy",
                    policy,
                    format!(
                        "not one of the {} built-in policy definitions checked",
                        policies.definitions.len()
                    ),
                ));
            }
        }
        problems
    }
}
