//! Architecture invariants that must not erode: the core knows nothing of Tauri, clap lives
//! only in the CLI entry, every migration is numbered and embedded, no `todo!()` lands.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_has_no_tauri_dependency() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let deps: Vec<&str> = manifest
        .split("\n[")
        .filter(|section| section.starts_with("dependencies]") || section.starts_with("dev-dependencies]"))
        .flat_map(|s| s.lines().skip(1))
        .collect();
    assert!(!deps.is_empty());
    for line in deps {
        assert!(!line.trim_start().starts_with("tauri"), "the core crate depends on tauri: {line}");
    }
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("tauri::"), "{} uses tauri", f.display());
    }
}

#[test]
fn clap_only_in_the_cli_entry() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in files {
        let rel = f.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "src/main.rs" || rel.starts_with("src/cli/") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("clap"), "{rel} uses clap; only src/main.rs and src/cli/ may");
    }
}

#[test]
fn migrations_are_numbered_without_gaps() {
    let mut versions: Vec<u32> = std::fs::read_dir(root().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|n| {
            let v = n.strip_prefix('V').and_then(|r| r.split("__").next()).and_then(|v| v.parse().ok());
            v.unwrap_or_else(|| panic!("migration {n} is not named V<number>__<name>.sql"))
        })
        .collect();
    versions.sort();
    assert_eq!(versions, (1..=versions.len() as u32).collect::<Vec<_>>());
}

#[test]
fn no_stubs_land() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for stub in ["todo!(", "unimplemented!("] {
            assert!(!text.contains(stub), "{} contains {stub}", f.display());
        }
    }
}
