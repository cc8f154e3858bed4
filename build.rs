//! Embeds every `knowledge/*.yaml` file in the binary, so that the tool works standalone and an
//! organisation that adds a file to its fork does not also have to edit a list in Rust.
//!
//! Parsing ~300 KB of YAML took most of a run's time, so each file is also converted to JSON
//! here, once, and its SHA-256 computed: at run time the embedded knowledge is read from JSON
//! (about ten times faster) and the hash is a constant. The YAML stays embedded for
//! `knowledge export` and as the fallback that reports exact positions if a file does not fit
//! the model.

use std::{env, fs, path::Path};

use sha2::{Digest, Sha256};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut names: Vec<String> = fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut hasher = Sha256::new();
    let mut files = String::from("pub const FILES: &[(&str, &str)] = &[\n");
    let mut json = String::from("pub const JSON: &[&str] = &[\n");
    for (index, name) in names.iter().enumerate() {
        let path = root.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_default();
        // Must match `knowledge::load::hash`: base name, NUL, text, NUL.
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
        files.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
        // A file that does not parse here gets no JSON; the run-time loader then parses the
        // YAML and reports the error with its position.
        let converted = serde_yaml::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| serde_json::to_string(&value).ok())
            .unwrap_or_default();
        let json_path = Path::new(&out_dir).join(format!("knowledge-{index}.json"));
        fs::write(&json_path, converted).expect("OUT_DIR is writable");
        json.push_str(&format!("    include_str!({:?}),\n", json_path.display().to_string()));
    }
    files.push_str("];\n");
    json.push_str("];\n");
    let hash = format!("pub const CONTENT_HASH: &str = \"{:x}\";\n", hasher.finalize());
    let out = Path::new(&out_dir).join("embedded_knowledge.rs");
    fs::write(out, format!("{files}{json}{hash}")).expect("OUT_DIR is writable");
}
