#!/usr/bin/env python3
"""Regenerate tests/fixtures/avm/: the interfaces of the Azure Verified Modules the IaC export
calls, trimmed to what the interface tests check (names, types, defaults, validations, allowed
values, compiled Bicep types). Descriptions are left out; provenance (`_source`) is kept whole.

Usage: scripts/refresh-avm-fixtures.py AVM_DIR BICEP_REGISTRY_MODULES_GIT_DIR [OUT_DIR]

AVM_DIR is a copy of the reference folder `upstream/avm` (terraform-*.variables.json and
bicep-*.params.json, each with its `_source`). BICEP_REGISTRY_MODULES_GIT_DIR is a clone (or
bare mirror) of github.com/Azure/bicep-registry-modules, read for the one module the reference
folder lacks (avm/ptn/authorization/resource-role-assignment, at its release tag). OUT_DIR
defaults to tests/fixtures/avm next to this script's folder. Standard library only.
"""

import glob
import json
import os
import subprocess
import sys

# Modules read straight from the registry repository: (path, release tag).
EXTRA_BICEP = [("avm/ptn/authorization/resource-role-assignment", "0.1.2")]


def strip_metadata(value):
    """Compiled ARM types without their descriptions (metadata), which tests do not read."""
    if isinstance(value, dict):
        return {k: strip_metadata(v) for k, v in value.items() if k != "metadata"}
    if isinstance(value, list):
        return [strip_metadata(v) for v in value]
    return value


def write(out, name, data):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes")


def terraform(path, out):
    data = json.load(open(path, encoding="utf-8"))
    source = dict(data["_source"])
    source["trimmed"] = "descriptions and summaries left out; names, types, defaults and validation conditions as upstream"
    variables = [
        {
            "name": v["name"],
            "type": v["type"],
            "default": v.get("default"),
            "required": bool(v.get("required")),
            "validations": [c["condition"] for c in v.get("validations", [])],
        }
        for v in data["variables"]
    ]
    write(out, os.path.basename(path).replace(".variables.json", ".json"), {"_source": source, "variables": variables})


def bicep(path, out):
    data = json.load(open(path, encoding="utf-8"))
    source = dict(data["_source"])
    source["trimmed"] = "descriptions left out; every param's name, required flag, @allowed values and compiled type, and the compiled type definitions"
    params = [
        {"name": p["name"], "required": p["required"], "allowed": p.get("allowed"), "compiled": strip_metadata(p["compiled"])}
        for p in data["params"]
    ]
    definitions = {name: strip_metadata(t.get("compiled", {})) for name, t in data["types"].items()}
    write(out, os.path.basename(path).replace(".params.json", ".json"), {"_source": source, "params": params, "definitions": definitions})


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True, text=True).stdout


def bicep_from_registry(repo, path, version, out):
    tag = f"{path}/{version}"
    commit = git(repo, "rev-list", "-n", "1", tag).strip()
    compiled = json.loads(git(repo, "show", f"{commit}:{path}/main.json"))
    params = []
    for name, p in compiled["parameters"].items():
        required = "defaultValue" not in p and not p.get("nullable", False)
        params.append({"name": name, "required": required, "allowed": p.get("allowedValues"), "compiled": strip_metadata(p)})
    source = {
        "repo": "Azure/bicep-registry-modules",
        "commit": commit,
        "tag": tag,
        "path": path,
        "files": [f"{path}/main.json"],
        "moduleReference": f"br/public:{path}:{version}",
        "version": version,
        "method": "parameters of the compiled main.json at the release tag; required = no defaultValue and not nullable",
        "license": "MIT (upstream LICENSE)",
    }
    name = "bicep-" + path.split("/", 1)[1].replace("/", "-") + ".json"
    write(out, name, {"_source": source, "params": params, "definitions": strip_metadata(compiled.get("definitions", {}))})


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    avm, repo = sys.argv[1], sys.argv[2]
    out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "avm")
    os.makedirs(out, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(avm, "terraform-*.variables.json"))):
        terraform(path, out)
    for path in sorted(glob.glob(os.path.join(avm, "bicep-*.params.json"))):
        bicep(path, out)
    if not os.path.isdir(os.path.join(repo, "objects")):
        repo = os.path.join(repo, ".git")
    for path, version in EXTRA_BICEP:
        bicep_from_registry(repo, path, version, out)


if __name__ == "__main__":
    main()
