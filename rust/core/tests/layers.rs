//! The engine's layers (README "Repository"): a module may use only its own layer and those below
//! it, so that storage never reaches into the catalog and nothing but the protocol speaks JSON to Java.

use std::fs;
use std::path::Path;

/// Bottom first; modules of one entry form one layer.
const LAYERS: &[&[&str]] = &[
    &["units", "error", "runtime"],
    &["presto"],
    &["storage"],
    &["zk", "config"],
    &["catalog"],
    &["plan"],
    &["protocol"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a source file belongs to (`zk/lock.rs` → `zk`, `units.rs` → `units`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_its_own_layer_and_those_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            violations.push(format!(
                "{}: module '{module}' is in no layer",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in line.split("crate::").skip(1) {
                let name: String = used
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(layer) = layer_of(&name) {
                    if layer > own {
                        violations.push(format!(
                            "{}:{}: '{module}' uses the higher layer '{name}'",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(files.len() > 20, "found only {} source files", files.len());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
