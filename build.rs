//! Embeds every `knowledge/*.yaml` file in the binary, so that the tool works standalone and an
//! organisation that adds a file to its fork does not also have to edit a list in Rust.

use std::{env, fs, path::Path};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
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
    let mut code = String::from("pub const FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = root.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_knowledge.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
