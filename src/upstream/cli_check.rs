//! Checks a `command:` of the knowledge base against the Azure CLI command table: it must be
//! runnable as written once its placeholders are filled.
//!
//! The text is split like a POSIX shell would: words separated by blanks, `'single'` and
//! `"double"` quotes (with `\` escapes outside single quotes), `\` + newline as a continuation,
//! and invocations separated by `&&`, `||`, `;`, `|`, `&` or a newline outside quotes. `$(...)`
//! stays inside its word as a computed value.
//!
//! Every invocation that starts with `az` must be a known command (the longest run of leading
//! words that names one), every option must be one of its options or aliases or a global
//! option, options take as many values as their arity says (a switch takes none), required
//! options are present (those marked "required unless `--ids`" too, unless `--ids` is given),
//! enum values are among the choices (ignoring case, as the CLI does), and no stray word is
//! left. Values that hold a placeholder (`${workspace_name}`, `<registry-name>`, `$(...)`)
//! are not checked against choices.
//!
//! Any other invocation must start with one of [`OTHER_TOOLS`]; their arguments are not
//! checked. Anything else (`workspace properties: ...`, `deployment YAML: ...`) is prose, which
//! belongs in the step's `text`.

use std::fmt;

use super::cli::{CliTable, CommandSpec, Nargs, OptionSpec, table};
use crate::diagnostic::did_you_mean;

/// Programs other than `az` a command may run: container and package tools the advice names
/// (`docker`, `pip`, `conda`, `Rscript`), source control (`git`), Kubernetes (`kubectl`,
/// `helm`), and the network probes a confirmation uses (`curl`, `nslookup`, `dig`).
pub const OTHER_TOOLS: &[&str] = &[
    "docker", "pip", "pip3", "conda", "git", "Rscript", "kubectl", "helm", "curl", "nslookup", "dig",
];

/// One program run: its words after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// 1-based position in the command.
    pub index: usize,
    pub words: Vec<String>,
}

/// A problem with one invocation of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based position of the invocation in the command.
    pub invocation: usize,
    /// How many invocations the command has.
    pub of: usize,
    /// The offending word as written (an option, a value, a command word).
    pub word: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.of > 1 {
            write!(f, "invocation {} of {}: {}", self.invocation, self.of, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// Splits a command into invocations, or says where its quoting is broken.
pub fn split_invocations(command: &str) -> Result<Vec<Invocation>, String> {
    let mut invocations: Vec<Vec<String>> = vec![Vec::new()];
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    let end_word = |word: &mut Option<String>, invocations: &mut Vec<Vec<String>>| {
        if let Some(done) = word.take() {
            invocations.last_mut().expect("never empty").push(done);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' => end_word(&mut word, &mut invocations),
            '\n' | ';' | '|' | '&' => {
                end_word(&mut word, &mut invocations);
                if (c == '|' || c == '&') && chars.peek() == Some(&c) {
                    chars.next();
                }
                invocations.push(Vec::new());
            }
            '\'' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(inner) => text.push(inner),
                        None => return Err("a single quote `'` is never closed".into()),
                    }
                }
            }
            '"' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('"' | '\\' | '$' | '`')) => text.push(escaped),
                            Some('\n') => {}
                            Some(other) => {
                                text.push('\\');
                                text.push(other);
                            }
                            None => return Err("a double quote `\"` is never closed".into()),
                        },
                        Some(inner) => text.push(inner),
                        None => return Err("a double quote `\"` is never closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => end_word(&mut word, &mut invocations),
                Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                None => word.get_or_insert_with(String::new).push('\\'),
            },
            '$' if chars.peek() == Some(&'(') => {
                // A command substitution is one computed value, whatever it holds.
                let text = word.get_or_insert_with(String::new);
                text.push('$');
                let mut depth = 0usize;
                for inner in chars.by_ref() {
                    text.push(inner);
                    match inner {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if depth != 0 {
                    return Err("a command substitution `$(` is never closed".into());
                }
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    end_word(&mut word, &mut invocations);
    let count = invocations.len();
    // A trailing newline or `;` ends the last invocation rather than starting an empty one.
    Ok(invocations
        .into_iter()
        .enumerate()
        .filter(|(position, words)| !(words.is_empty() && *position + 1 == count && count > 1))
        .map(|(position, words)| Invocation {
            index: position + 1,
            words,
        })
        .collect())
}

/// Whether a value is a hole to fill or computed at run time, so not checked against choices:
/// it holds `${name}`, `<name>` or `$(...)`, or is a whole `{name}` (the engine's `{effect}`).
pub fn is_placeholder_value(value: &str) -> bool {
    let braced = value
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    super::is_placeholder(value) || value.contains("$(") || braced
}

/// Checks a command against the embedded command table.
pub fn check_command(command: &str) -> Vec<Problem> {
    check_command_with(table(), command)
}

/// Checks a command against a given command table.
pub fn check_command_with(table: &CliTable, command: &str) -> Vec<Problem> {
    let invocations = match split_invocations(command) {
        Ok(invocations) => invocations,
        Err(message) => {
            return vec![Problem {
                invocation: 1,
                of: 1,
                word: command.split_whitespace().next().unwrap_or_default().to_string(),
                message: format!("cannot be split into words: {message}"),
            }];
        }
    };
    let of = invocations.len();
    let mut problems = Vec::new();
    for invocation in &invocations {
        let mut report = |word: &str, message: String| {
            problems.push(Problem {
                invocation: invocation.index,
                of,
                word: word.to_string(),
                message,
            });
        };
        match invocation.words.first().map(String::as_str) {
            None => report("", "an empty invocation between two operators".into()),
            Some("az") => check_az(table, &invocation.words[1..], &mut report),
            Some(tool) if OTHER_TOOLS.contains(&tool) => {}
            Some(first) => {
                report(
                    first,
                    format!(
                        "`{}` is not a runnable command: a command field holds `az` invocations, or runs one of {} \
                         (joined by `&&`); prose belongs in `text`, and a file a command applies goes in the step's `file:`",
                        invocation.words.join(" "),
                        OTHER_TOOLS.join(", ")
                    ),
                );
                // The rest of prose split at `;` says nothing new.
                break;
            }
        }
    }
    problems
}

fn is_option(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-') && !word[1..].starts_with(|c: char| c.is_ascii_digit())
}

fn check_az(table: &CliTable, words: &[String], report: &mut dyn FnMut(&str, String)) {
    let leading: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .take_while(|word| !is_option(word))
        .collect();
    let Some((spec, used)) = table.lookup(&leading) else {
        unknown_command(table, &leading, report);
        return;
    };
    let name = format!("az {}", spec.path);
    let mut given: Vec<&OptionSpec> = Vec::new();
    // Options the unknown ones are probably meant to be: not reported again as missing.
    let mut misspelt: Vec<&str> = Vec::new();
    let mut positionals = 0usize;
    // The switch the previous word was, to explain a value given to it.
    let mut after_switch: Option<&OptionSpec> = None;
    let mut rest = words[used..].iter().map(String::as_str).peekable();
    while let Some(word) = rest.next() {
        let switch = after_switch.take();
        if !is_option(word) {
            positionals += 1;
            if spec.positionals.is_empty() {
                let message = match switch {
                    Some(switch) => format!(
                        "stray word `{word}` in `{name}`: `{}` is a switch and takes no value",
                        switch.canonical()
                    ),
                    None => format!("stray word `{word}` in `{name}`: it takes no positional arguments"),
                };
                report(word, message);
            } else if positionals > spec.positionals.len()
                && !spec
                    .positionals
                    .iter()
                    .any(|p| p.ends_with("args") || p.ends_with("options"))
            {
                report(
                    word,
                    format!(
                        "stray word `{word}` in `{name}`: it takes {} positional argument(s)",
                        spec.positionals.len()
                    ),
                );
            }
            continue;
        }
        let (option_name, inline) = match word.split_once('=') {
            Some((option_name, value)) if option_name.starts_with("--") => (option_name, Some(value)),
            _ => (word, None),
        };
        let Some(option) = spec.option(option_name) else {
            misspelt.extend(crate::diagnostic::suggest(option_name, spec.option_names()));
            let hint = did_you_mean(option_name, spec.option_names());
            report(option_name, format!("`{name}` has no option `{option_name}`{hint}"));
            // Its values would only repeat the problem as stray words.
            while rest.next_if(|next| !is_option(next)).is_some() {}
            continue;
        };
        given.push(option);
        if option.nargs == Nargs::Zero {
            after_switch = Some(option);
        }
        let mut values: Vec<&str> = inline.into_iter().collect();
        let takes_more = |values: &Vec<&str>| match option.nargs {
            Nargs::Zero => false,
            Nargs::One | Nargs::Optional => values.is_empty() && inline.is_none(),
            Nargs::OneOrMore | Nargs::ZeroOrMore => inline.is_none(),
        };
        while takes_more(&values) {
            match rest.peek() {
                Some(next) if !is_option(next) => values.push(rest.next().expect("peeked")),
                _ => break,
            }
        }
        match option.nargs {
            Nargs::Zero if inline.is_some() => report(
                option_name,
                format!("`{option_name}` of `{name}` is a switch and takes no value"),
            ),
            Nargs::One | Nargs::OneOrMore if values.is_empty() => {
                report(option_name, format!("`{option_name}` of `{name}` needs a value"));
            }
            _ => {}
        }
        if !option.choices.is_empty() {
            for value in values.iter().filter(|value| !is_placeholder_value(value)) {
                if !option.choices.iter().any(|choice| choice.eq_ignore_ascii_case(value)) {
                    let hint = did_you_mean(value, option.choices.iter().map(String::as_str));
                    report(
                        value,
                        format!(
                            "`{option_name}` of `{name}` takes one of {}; found `{value}`{hint}",
                            option.choices.join(", ")
                        ),
                    );
                }
            }
        }
    }
    let meant = |canonical: &str| {
        misspelt
            .iter()
            .any(|name| spec.option(name).is_some_and(|option| option.canonical() == canonical))
    };
    let has = |canonical: &str| given.iter().any(|option| option.canonical() == canonical) || meant(canonical);
    let mut missing: Vec<&str> = spec.required.iter().map(String::as_str).filter(|r| !has(r)).collect();
    if !has("--ids") {
        missing.extend(spec.required_unless_ids.iter().map(String::as_str).filter(|r| !has(r)));
    }
    for required in missing {
        let unless = if spec.required_unless_ids.iter().any(|r| r == required) {
            " (or `--ids`)"
        } else {
            ""
        };
        let word = words.get(used - 1).map_or("az", String::as_str);
        report(word, format!("`{name}` needs `{required}`{unless}"));
    }
}

fn unknown_command(table: &CliTable, leading: &[&str], report: &mut dyn FnMut(&str, String)) {
    let written = format!("az {}", leading.join(" "));
    let Some(first) = leading.first() else {
        report("az", "`az` without a command".into());
        return;
    };
    if table.meta.top_level.iter().any(|group| group == first) && table.longest_group(&leading[..1]).0.is_empty() {
        report(
            first,
            format!(
                "`{written}`: `az {first}` is outside the command groups checked ({}); \
                 add it to CLI_GROUPS in scripts/refresh-upstream.py if the advice needs it",
                table.longest_group::<&str>(&[]).1.join(", ")
            ),
        );
        return;
    }
    let (group, next) = table.longest_group(leading);
    let depth = if group.is_empty() { 0 } else { group.split(' ').count() };
    let word = leading.get(depth).copied().unwrap_or(first);
    let hint = did_you_mean(word, next.iter().map(String::as_str));
    let group_name = if group.is_empty() {
        "az".to_string()
    } else {
        format!("az {group}")
    };
    let message = if depth >= leading.len() {
        format!(
            "`{written}` is a command group, not a command; `{group_name}` has: {}",
            next.join(", ")
        )
    } else if next.len() <= 40 {
        format!(
            "`{written}` is not an az command: `{group_name}` has no `{word}`{hint}; it has: {}",
            next.join(", ")
        )
    } else {
        format!("`{written}` is not an az command: `{group_name}` has no `{word}`{hint}")
    };
    report(word, message);
}

/// The values given to `option` (any of its names) in every invocation of `az <path>` in
/// `command`, each with the word as written: for checking what a value names (a role, a
/// policy definition). A command that does not split gives none.
pub fn option_values(command: &str, path: &str, option: &str) -> Vec<String> {
    let table = table();
    let Some(spec) = table.command(path) else {
        return Vec::new();
    };
    let Some(wanted) = spec.option(option).map(OptionSpec::canonical) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for invocation in split_invocations(command).unwrap_or_default() {
        let Some(("az", words)) = invocation
            .words
            .split_first()
            .map(|(first, rest)| (first.as_str(), rest))
        else {
            continue;
        };
        let leading: Vec<&str> = words.iter().map(String::as_str).take_while(|w| !is_option(w)).collect();
        if table.lookup(&leading).is_none_or(|(found, _)| found.path != path) {
            continue;
        }
        let mut rest = words.iter().map(String::as_str).peekable();
        while let Some(word) = rest.next() {
            let (name, inline) = match word.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value)),
                _ => (word, None),
            };
            if spec.option(name).is_none_or(|o| o.canonical() != wanted) {
                continue;
            }
            match inline {
                Some(value) => values.push(value.to_string()),
                None => {
                    while let Some(value) = rest.next_if(|next| !is_option(next)) {
                        values.push(value.to_string());
                    }
                }
            }
        }
    }
    values
}

/// The spec of `az <path>`, for tests that want to look at one.
pub fn command(path: &str) -> Option<&'static CommandSpec> {
    table().command(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(command: &str) -> Vec<Vec<String>> {
        split_invocations(command)
            .expect("splits")
            .into_iter()
            .map(|invocation| invocation.words)
            .collect()
    }

    fn messages(command: &str) -> Vec<String> {
        check_command(command).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            words(r#"az a --x 'one two' && az b --y "say \"hi\"" || c;d | e"#),
            vec![
                vec!["az", "a", "--x", "one two"],
                vec!["az", "b", "--y", "say \"hi\""],
                vec!["c"],
                vec!["d"],
                vec!["e"],
            ]
        );
        assert_eq!(words("a 'x && y' \"p;q\""), vec![vec!["a", "x && y", "p;q"]]);
        assert_eq!(words("a \\\n  --b c\n"), vec![vec!["a", "--b", "c"]]);
        assert_eq!(
            words("a --id $(az x show --query \"id\" -o tsv) b"),
            vec![vec!["a", "--id", "$(az x show --query \"id\" -o tsv)", "b"]]
        );
        assert!(split_invocations("a 'open").is_err());
        assert!(split_invocations("a \"open").is_err());
    }

    #[test]
    fn a_valid_command_with_placeholders_aliases_and_globals_passes() {
        assert_eq!(
            messages(
                "az ml workspace create -n ${workspace_name} -g ${resource_group} --location ${region} \
                 --managed-network allow_only_approved_outbound --output table --only-show-errors"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(
                "az network nsg rule create -g <rg> --nsg-name nsg --name r --priority 100 --protocol '*' \
                 --direction Outbound --destination-address-prefixes Storage.${region} AzureMonitor --destination-port-ranges 443 \
                 && docker push <registry-name>.azurecr.io/x:1"
            ),
            Vec::<String>::new()
        );
        // Enum values are compared ignoring case, as the CLI does.
        assert!(messages("az network nsg rule create -g g --nsg-name n -n r --priority 1 --protocol tcp").is_empty());
    }

    #[test]
    fn inline_values_and_the_values_of_an_option() {
        assert!(messages("az ml workspace show --name=x --resource-group=y --output=table").is_empty());
        assert_eq!(
            messages("az ml workspace provision-network --name x -g y --include-spark=yes"),
            vec!["`--include-spark` of `az ml workspace provision-network` is a switch and takes no value"]
        );
        let command = "az role assignment create --role \"AzureML Data Scientist\" --scope <s> && az role assignment create --scope <s> --role=AcrPush";
        assert_eq!(
            option_values(command, "role assignment create", "--role"),
            vec!["AzureML Data Scientist", "AcrPush"]
        );
        assert!(option_values(command, "ad sp create-for-rbac", "--role").is_empty());
    }

    #[test]
    fn required_unless_ids() {
        assert!(messages("az network vnet show --ids <vnet-id>").is_empty());
        assert_eq!(
            messages("az network vnet show --name v"),
            vec!["`az network vnet show` needs `--resource-group` (or `--ids`)"]
        );
    }

    #[test]
    fn every_kind_of_mistake_is_named() {
        assert_eq!(
            messages("az ml workspace craete --name x -g y"),
            vec![
                "`az ml workspace craete` is not an az command: `az ml workspace` has no `craete` (did you mean `create`?); \
                 it has: create, delete, diagnose, list, list-keys, outbound-rule, provision-network, show, sync-keys, update"
            ]
        );
        assert_eq!(
            messages("az ml workspace show --name x -g y --nmae z"),
            vec!["`az ml workspace show` has no option `--nmae` (did you mean `--name`?)"]
        );
        assert_eq!(
            messages("az ml workspace show --name x"),
            vec!["`az ml workspace show` needs `--resource-group`"]
        );
        assert_eq!(
            messages("az network nsg rule create -g g --nsg-name n -n r --priority 1 --protocol TCPX"),
            vec!["`--protocol` of `az network nsg rule create` takes one of *, Ah, Esp, Icmp, Tcp, Udp; found `TCPX`"]
        );
        assert_eq!(
            messages("az ml workspace show --name x -g y extra"),
            vec!["stray word `extra` in `az ml workspace show`: it takes no positional arguments"]
        );
        assert_eq!(
            messages("az ml workspace provision-network --name x -g y --include-spark true"),
            vec![
                "stray word `true` in `az ml workspace provision-network`: `--include-spark` is a switch and takes no value"
            ]
        );
        assert_eq!(
            messages("az ml workspace provision-network --include-spark true --name x -g y extra"),
            vec![
                "stray word `true` in `az ml workspace provision-network`: `--include-spark` is a switch and takes no value",
                "stray word `extra` in `az ml workspace provision-network`: it takes no positional arguments",
            ]
        );
        assert_eq!(
            messages("az ml workspace show -g y --name"),
            vec!["`--name` of `az ml workspace show` needs a value"]
        );
        assert_eq!(
            messages("az provider register --namespace X && deployment YAML: egress_public_network_access: disabled"),
            vec![
                "invocation 2 of 2: `deployment YAML: egress_public_network_access: disabled` is not a runnable command: \
                 a command field holds `az` invocations, or runs one of docker, pip, pip3, conda, git, Rscript, kubectl, helm, curl, nslookup, dig \
                 (joined by `&&`); prose belongs in `text`, and a file a command applies goes in the step's `file:`"
            ]
        );
        assert_eq!(
            check_command("az ml workspace show --name x -g y --nmae z")[0].word,
            "--nmae"
        );
        assert_eq!(
            messages("az vm list"),
            vec![
                "`az vm list`: `az vm` is outside the command groups checked (account, acr, ad, aks, cosmosdb, dns-resolver, \
                 feature, group, identity, k8s-extension, keyvault, ml, monitor, network, policy, provider, resource, rest, role, \
                 security, storage); add it to CLI_GROUPS in scripts/refresh-upstream.py if the advice needs it"
            ]
        );
        assert_eq!(
            messages("az netwrk vnet list"),
            vec![
                "`az netwrk vnet list` is not an az command: `az` has no `netwrk` (did you mean `network`?); it has: account, \
                 acr, ad, aks, cosmosdb, dns-resolver, feature, group, identity, k8s-extension, keyvault, ml, monitor, network, \
                 policy, provider, resource, rest, role, security, storage"
            ]
        );
        assert_eq!(
            messages("az ml workspace"),
            vec![
                "`az ml workspace` is a command group, not a command; `az ml workspace` has: create, delete, diagnose, list, \
                 list-keys, outbound-rule, provision-network, show, sync-keys, update"
            ]
        );
    }
}
