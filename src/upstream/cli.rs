//! The Azure CLI command table (`upstream/azure-cli-commands.json`): every command of the
//! groups the knowledge base uses, with its options, aliases, arity, required options and enum
//! choices, as `az` itself builds them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

const TEXT: &str = include_str!("../../upstream/azure-cli-commands.json");

/// How many values an option takes (argparse `nargs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nargs {
    /// Exactly one value.
    One,
    /// A switch: no value.
    Zero,
    /// One value or none.
    Optional,
    /// One value or more.
    OneOrMore,
    /// Any number of values.
    ZeroOrMore,
}

#[derive(Debug, Clone)]
pub struct OptionSpec {
    /// The canonical name first, then its aliases.
    pub names: Vec<String>,
    pub nargs: Nargs,
    /// The values an enum option accepts (the CLI compares them ignoring case).
    pub choices: Vec<String>,
}

impl OptionSpec {
    pub fn canonical(&self) -> &str {
        &self.names[0]
    }
}

#[derive(Debug, Clone)]
pub struct CommandSpec {
    /// The command words without `az` (`ml workspace create`).
    pub path: String,
    pub options: Vec<OptionSpec>,
    /// Option name (canonical or alias) → index into `options`.
    by_name: HashMap<String, usize>,
    /// Canonical names of options that must be given.
    pub required: Vec<String>,
    /// Canonical names of options that must be given unless `--ids` is.
    pub required_unless_ids: Vec<String>,
    /// Names of positional arguments (a handful of commands take them).
    pub positionals: Vec<String>,
}

impl CommandSpec {
    /// An option by any of its names (or a global option such as `--output`).
    pub fn option(&self, name: &str) -> Option<&OptionSpec> {
        self.by_name
            .get(name)
            .map(|&index| &self.options[index])
            .or_else(|| table().global(name))
    }

    /// Every name the command accepts, global options included.
    pub fn option_names(&self) -> impl Iterator<Item = &str> {
        self.by_name
            .keys()
            .map(String::as_str)
            .chain(table().globals.iter().flat_map(|o| o.names.iter().map(String::as_str)))
    }
}

#[derive(Debug, Deserialize)]
pub struct CliMeta {
    pub azure_cli_core: String,
    pub extensions: BTreeMap<String, String>,
    /// Every top-level group of `az`, including those the table leaves out.
    #[serde(default)]
    pub top_level: Vec<String>,
    global_nargs: BTreeMap<String, Option<String>>,
}

impl CliMeta {
    /// `azure-cli 2.91.0 (ml 2.43.0, azure-firewall 2.2.0, bastion 1.4.3, ...)`: the ml
    /// extension first, the others by name.
    pub fn versions(&self) -> String {
        let mut extensions: Vec<(&String, &String)> = self.extensions.iter().collect();
        extensions.sort_by_key(|(name, _)| (name.as_str() != "ml", name.as_str()));
        let extensions: Vec<String> = extensions
            .into_iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect();
        format!("azure-cli {} ({})", self.azure_cli_core, extensions.join(", "))
    }
}

#[derive(Deserialize)]
struct RawTable {
    #[serde(rename = "_meta")]
    meta: CliMeta,
    commands: BTreeMap<String, RawCommand>,
}

#[derive(Deserialize)]
struct RawCommand {
    o: String,
    #[serde(default)]
    r: String,
    #[serde(default)]
    i: String,
    #[serde(default)]
    c: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    p: Vec<String>,
}

#[derive(Debug)]
pub struct CliTable {
    pub meta: CliMeta,
    commands: HashMap<String, CommandSpec>,
    /// Every command group (`ml`, `ml workspace`, ...) with the words that may follow it.
    groups: HashMap<String, Vec<String>>,
    globals: Vec<OptionSpec>,
}

fn parse_nargs(text: Option<&str>) -> Nargs {
    match text {
        Some("0") => Nargs::Zero,
        Some("?") => Nargs::Optional,
        Some("+") => Nargs::OneOrMore,
        Some("*") => Nargs::ZeroOrMore,
        _ => Nargs::One,
    }
}

impl CliTable {
    fn from_raw(raw: RawTable) -> Self {
        let mut groups: HashMap<String, HashSet<String>> = HashMap::new();
        let mut commands = HashMap::new();
        for (path, command) in raw.commands {
            let words: Vec<&str> = path.split(' ').collect();
            for depth in 0..words.len() {
                groups
                    .entry(words[..depth].join(" "))
                    .or_default()
                    .insert(words[depth].to_string());
            }
            let mut options = Vec::new();
            let mut by_name = HashMap::new();
            for spec in command.o.split(' ').filter(|s| !s.is_empty()) {
                let (names, nargs) = match spec.split_once('=') {
                    Some((names, nargs)) => (names, parse_nargs(Some(nargs))),
                    None => (spec, Nargs::One),
                };
                let names: Vec<String> = names.split('|').map(str::to_string).collect();
                let choices = command.c.get(&names[0]).cloned().unwrap_or_default();
                for name in &names {
                    by_name.insert(name.clone(), options.len());
                }
                options.push(OptionSpec { names, nargs, choices });
            }
            let split = |text: &str| text.split(' ').filter(|s| !s.is_empty()).map(str::to_string).collect();
            let spec = CommandSpec {
                path: path.clone(),
                options,
                by_name,
                required: split(&command.r),
                required_unless_ids: split(&command.i),
                positionals: command.p,
            };
            commands.insert(path, spec);
        }
        let globals = raw
            .meta
            .global_nargs
            .iter()
            .filter(|(name, _)| name.starts_with("--"))
            .map(|(name, nargs)| {
                let mut names = vec![name.clone()];
                match name.as_str() {
                    "--output" => names.push("-o".into()),
                    "--help" => names.push("-h".into()),
                    _ => {}
                }
                OptionSpec {
                    names,
                    nargs: parse_nargs(nargs.as_deref()),
                    choices: if name == "--output" {
                        ["json", "jsonc", "none", "table", "tsv", "yaml", "yamlc"]
                            .map(str::to_string)
                            .to_vec()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        Self {
            meta: raw.meta,
            commands,
            groups: groups
                .into_iter()
                .map(|(group, next)| {
                    let mut next: Vec<String> = next.into_iter().collect();
                    next.sort();
                    (group, next)
                })
                .collect(),
            globals,
        }
    }

    /// A command by its words without `az` (`ml workspace create`).
    pub fn command(&self, path: &str) -> Option<&CommandSpec> {
        self.commands.get(path)
    }

    /// The longest run of leading `words` that is a command: the command and how many words
    /// it took.
    pub fn lookup<S: AsRef<str>>(&self, words: &[S]) -> Option<(&CommandSpec, usize)> {
        (1..=words.len()).rev().find_map(|count| {
            let path = words[..count].iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
            self.commands.get(&path).map(|spec| (spec, count))
        })
    }

    /// The longest run of leading `words` that is a command group, with the words that may
    /// follow it.
    pub fn longest_group<S: AsRef<str>>(&self, words: &[S]) -> (String, &[String]) {
        for count in (0..=words.len()).rev() {
            let path = words[..count].iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
            if let Some(next) = self.groups.get(&path) {
                return (path, next);
            }
        }
        (String::new(), &[])
    }

    /// A global option (`--output`, `--query`, `--only-show-errors`, `--verbose`, `--debug`,
    /// `--help`) by any of its names.
    pub fn global(&self, name: &str) -> Option<&OptionSpec> {
        self.globals
            .iter()
            .find(|option| option.names.iter().any(|n| n == name))
    }

    pub fn len(&self) -> usize {
        self.commands.len()
    }

    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

/// The embedded command table, parsed on first use (about 0.8 MB of JSON).
pub fn table() -> &'static CliTable {
    static DATA: OnceLock<CliTable> = OnceLock::new();
    DATA.get_or_init(|| CliTable::from_raw(super::parse("azure-cli-commands.json", TEXT)))
}

/// The CLI and extension versions the commands are checked against, without parsing the
/// whole table: `azure-cli 2.91.0 (ml 2.43.0, azure-firewall 2.2.0, ...)`.
pub fn versions() -> &'static str {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "_meta")]
        meta: CliMeta,
    }
    static VERSIONS: OnceLock<String> = OnceLock::new();
    VERSIONS.get_or_init(|| {
        // The file is written with sorted keys, so `_meta` comes before `commands`.
        let head = TEXT
            .find(",\"commands\":")
            .map_or(TEXT.to_string(), |end| format!("{}}}", &TEXT[..end]));
        super::parse::<Head>("azure-cli-commands.json", &head).meta.versions()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_commands_up_by_their_longest_prefix() {
        let table = table();
        let (spec, used) = table
            .lookup(&["ml", "workspace", "create", "--name", "x"])
            .expect("known");
        assert_eq!((spec.path.as_str(), used), ("ml workspace create", 3));
        assert_eq!(spec.option("-g").map(OptionSpec::canonical), Some("--resource-group"));
        assert_eq!(spec.option("-o").map(OptionSpec::canonical), Some("--output"));
        assert!(spec.required.contains(&"--resource-group".to_string()));
        assert!(table.lookup(&["ml", "workspace"]).is_none());
        assert!(
            table
                .longest_group(&["ml", "workspace", "craete"])
                .1
                .contains(&"create".to_string())
        );
        assert_eq!(versions(), table.meta.versions());
        assert!(versions().starts_with("azure-cli 2.91.0 ("), "{}", versions());
    }
}
