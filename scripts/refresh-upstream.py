#!/usr/bin/env python3
"""Regenerate the trimmed upstream facts in `upstream/` from a copy of the reference data.

Usage: scripts/refresh-upstream.py SOURCE_DIR [OUT_DIR]

SOURCE_DIR is a copy of the reference upstream folder (the one with MANIFEST.json,
azure-policy-builtins.json, azure-builtin-roles.json, private-dns-zones.json, service-tags.json
and azure-cli/commands.json). OUT_DIR defaults to `upstream/` next to this script's folder.

Each output keeps its input's provenance object (`_source` or `_meta`) whole and adds a
`trimmed` entry saying what was left out and how. Standard library only.
"""

import json
import os
import sys

# The `az` command groups the knowledge base may use; everything else is left out of the table
# compiled into the binary. Bastion and Azure Firewall are `az network bastion` and
# `az network firewall` (extensions), inside `network`.
CLI_GROUPS = [
    "ml", "network", "keyvault", "acr", "policy", "role", "monitor", "ad", "aks",
    "k8s-extension", "storage", "identity", "group", "resource", "dns-resolver", "cosmosdb",
    "account", "feature", "provider", "security", "rest",
]


def load(source, name):
    with open(os.path.join(source, name), encoding="utf-8") as handle:
        return json.load(handle)


def write(out, name, data, minified=False):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        if minified:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        else:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes")


def with_trimmed(provenance, note):
    provenance = dict(provenance)
    provenance["trimmed"] = note
    return provenance


def policies(source, out):
    data = load(source, "azure-policy-builtins.json")
    definitions = {}
    for guid, definition in sorted(data["definitions"].items()):
        effect = definition["effect"]
        if effect.get("parameterized"):
            allowed = effect.get("allowedValues") or []
            default = effect.get("defaultValue")
        else:
            allowed = [effect["fixed"]]
            default = effect["fixed"]
        parameters = {}
        for name, parameter in definition.get("parameters", {}).items():
            kept = {"type": parameter.get("type")}
            if "allowedValues" in parameter:
                kept["allowedValues"] = parameter["allowedValues"]
            parameters[name] = kept
        entry = {
            "displayName": definition["displayName"],
            "version": definition["version"],
            "deprecated": definition.get("deprecated", False),
            "preview": definition.get("preview", False),
            "effects": allowed,
            "defaultEffect": default,
            "parameters": parameters,
        }
        if definition.get("roleDefinitionIds"):
            entry["roleDefinitionIds"] = definition["roleDefinitionIds"]
        definitions[guid] = entry
    note = (
        "scripts/refresh-upstream.py kept, per definition of `definitions`: displayName, version, "
        "deprecated, preview, the allowed effects (effect.allowedValues, or [effect.fixed] when the "
        "effect is not a parameter) with the default, parameters with type and allowedValues, and "
        "roleDefinitionIds where present. Left out: descriptions, category, mode, path, "
        "includedBecause, parameter defaults, policySetDefinitions, allDefinitionIndex, "
        "citedByKnowledgeBase."
    )
    write(out, "azure-policy-builtins.json", {
        "_source": with_trimmed(data["_source"], note),
        "definitions": definitions,
    })


def roles(source, out):
    data = load(source, "azure-builtin-roles.json")
    note = (
        "scripts/refresh-upstream.py kept `allBuiltInRoleNames` (every built-in role name with "
        "its id) as `roles`. Left out: permissions of the detailed roles, knowledgeBaseRoleNames, "
        "notFoundAsBuiltIn, onlyInOneDump."
    )
    write(out, "azure-builtin-roles.json", {
        "_source": with_trimmed(data["_source"], note),
        "roles": dict(sorted(data["allBuiltInRoleNames"].items())),
    })


def dns_zones(source, out):
    data = load(source, "private-dns-zones.json")
    rows = []
    for row in data["rows"]:
        kept = {
            "cloud": row["cloud"],
            "service": row["service"],
            "subresources": row["subresources"],
            "privateDnsZones": row["privateDnsZones"],
            "publicDnsZoneForwarders": row["publicDnsZoneForwarders"],
        }
        if row.get("zoneFootnotes"):
            kept["zoneFootnotes"] = {zone: note["n"] for zone, note in row["zoneFootnotes"].items()}
        rows.append(kept)
    note = (
        "scripts/refresh-upstream.py kept every row's cloud, service, subresources, private DNS "
        "zones, public DNS zone forwarders and footnote numbers per zone, the footnotes and the "
        "placeholder note. Left out: category, resourceType, commercialZoneIndex (derivable), "
        "historicalNotes."
    )
    write(out, "private-dns-zones.json", {
        "_source": with_trimmed(data["_source"], note),
        "footnotes": data["footnotes"],
        "placeholders": data["placeholders"],
        "rows": rows,
    })


def service_tags(source, out):
    data = load(source, "service-tags.json")
    tags = {}
    for name, tag in sorted(data["tags"].items()):
        usable = tag.get("usableIn")
        learn = tag.get("learnTable") or {}
        tags[name] = {
            "regional": bool(tag.get("hasRegionalVariants")),
            "nsg": usable["NSG"] if usable else True,
            "udr": usable["UDR"] if usable else not tag.get("learnUdrUnsupported", False),
            "firewall": usable["AzureFirewall"] if usable else bool(learn.get("canUseWithAzureFirewall")),
            "serviceEndpointPolicy": usable["ServiceEndpointPolicy/VSE"] if usable else False,
            "inServiceTagsJson": tag.get("inServiceTagsJson", False),
        }
        if learn.get("canBeRegional") is not None:
            tags[name]["learnCanBeRegional"] = learn["canBeRegional"]
    note = (
        "scripts/refresh-upstream.py kept, per tag: whether it has regional variants "
        "(hasRegionalVariants), where it is usable (usableIn NSG/UDR/AzureFirewall/"
        "ServiceEndpointPolicy; for tags absent from the JSON, the Learn table: NSG yes, UDR unless "
        "learnUdrUnsupported, firewall = canUseWithAzureFirewall, no service endpoint policy), "
        "inServiceTagsJson and the Learn table's canBeRegional; and regionSuffixes. Left out: "
        "variant counts and examples, systemService, networkFeatures (same as usableIn), notes."
    )
    write(out, "service-tags.json", {
        "_source": with_trimmed(data["_source"], note),
        "regionSuffixes": data["regionSuffixes"],
        "tags": tags,
    })


def split_names(option):
    # A deprecated option is dumped as "--old, --new"; each is a name az accepts.
    return [name.strip() for name in option.split(",") if name.strip()]


def cli(source, out):
    data = load(source, os.path.join("azure-cli", "commands.json"))
    meta = data["_meta"]
    commands = {}
    for path, command in sorted(data.items()):
        if path == "_meta":
            continue
        words = path.split()
        if words[0] != "az" or words[1] not in CLI_GROUPS:
            continue
        aliases = command.get("aliases", {})
        canonical_of = {}
        for canonical, names in aliases.items():
            for name in names:
                canonical_of[name] = canonical
        nargs = command.get("nargs", {})
        options = []
        seen = set()
        for option in sorted(command["options"]):
            for name in split_names(option):
                canonical = canonical_of.get(name, name)
                if canonical in seen:
                    continue
                seen.add(canonical)
                names = [canonical] + [n for n in aliases.get(canonical, []) if n != canonical]
                spec = "|".join(names)
                count = nargs.get(canonical)
                if count is not None and str(count) != "1":
                    spec += "=" + str(count)
                options.append(spec)
        entry = {"o": " ".join(options)}
        if command.get("required"):
            entry["r"] = " ".join(command["required"])
        if command.get("required_unless_ids"):
            entry["i"] = " ".join(command["required_unless_ids"])
        if command.get("choices"):
            entry["c"] = command["choices"]
        if command.get("positionals"):
            entry["p"] = command["positionals"]
        commands[" ".join(words[1:])] = entry
    kept_meta = {k: v for k, v in meta.items() if k != "groups"}
    kept_meta["trimmed"] = (
        "scripts/refresh-upstream.py kept the commands of the groups " + ", ".join(CLI_GROUPS)
        + " (keys without the leading `az`). Per command: o = every option as `canonical|alias...`"
        " with `=N` when argparse nargs is not one value (0 switch, ? optional value, + or * list);"
        " r = required options; i = required unless --ids; c = enum choices; p = positional"
        " arguments. top_level (kept) lists every top-level group of az, so that a command of a group left"
        " out is told apart from a command that does not exist. Left out: configured_default,"
        " extension, preview/deprecated flags, the list of command groups (derivable)."
    )
    write(out, os.path.join("azure-cli-commands.json"), {"_meta": kept_meta, "commands": commands},
          minified=True)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    source = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "upstream")
    os.makedirs(out, exist_ok=True)
    policies(source, out)
    roles(source, out)
    dns_zones(source, out)
    service_tags(source, out)
    cli(source, out)


if __name__ == "__main__":
    main()
