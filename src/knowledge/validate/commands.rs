//! Every `command:` of a next step or a confirmation is a runnable command: each `az`
//! invocation is a real command of the CLI version in `upstream/`, with real options, values
//! and required options (see `upstream::cli_check`).

use super::Validator;
use super::facts::item_anchor;
use crate::upstream::cli_check::check_command;

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
        }
    }
}
