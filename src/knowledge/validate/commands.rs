//! Every `command:` of a next step or a confirmation is a runnable command: each `az`
//! invocation is a real command of the CLI version in `upstream/`, with real options, values
//! and required options (see `upstream::cli_check`).

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
                        checks.push((file, "decisions", step.id.as_str(), "next step", command.as_str()));
                    }
                }
            }
        }
        for (file, confirmation) in self.all(|f| &f.confirmations) {
            checks.push((
                file,
                "confirmations",
                confirmation.id.as_str(),
                "confirmation",
                confirmation.command.as_str(),
            ));
        }
        for (file, list, id, kind, command) in checks {
            let anchor = item_anchor(file, list, id);
            for problem in check_command(command) {
                self.report_fact(anchor, "command", &problem.word, format!("{kind} `{id}`: {problem}"));
            }
            for (path, option, value, problem) in self.named_facts(command) {
                self.report_fact(
                    anchor,
                    "command",
                    &value,
                    format!("{kind} `{id}`: `{option} {value}` of `az {path}`: {problem}"),
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
        for path in ["role assignment create", "ad sp create-for-rbac"] {
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
