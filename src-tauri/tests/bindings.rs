//! The TypeScript types the UI imports (`ui/src/bindings/`) must be what ts-rs generates from
//! the DTOs now. `UPDATE_BINDINGS=1 cargo test -p dsar-desk --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

fn ts_files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "ts") {
            out.insert(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap());
        }
    }
    out
}

#[test]
fn committed_typescript_bindings_match_the_rust_wire_types() {
    let committed = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        for name in ts_files(&committed).keys() {
            std::fs::remove_file(committed.join(name)).unwrap();
        }
        std::fs::create_dir_all(&committed).unwrap();
        dsar_desk::dto::export_bindings(&committed).unwrap();
    }
    let fresh = tempfile::tempdir().unwrap();
    dsar_desk::dto::export_bindings(fresh.path()).unwrap();
    let (want, have) = (ts_files(fresh.path()), ts_files(&committed));
    assert!(want.len() > 10, "ts-rs generated only {} files", want.len());
    let stale: Vec<&String> = want.keys().chain(have.keys()).filter(|k| want.get(*k) != have.get(*k)).collect();
    assert!(stale.is_empty(), "ui/src/bindings/ is stale ({stale:?}): run UPDATE_BINDINGS=1 cargo test -p dsar-desk --test bindings and commit");
}

#[test]
fn error_codes_are_kebab_case_on_the_wire() {
    let e = dsar_desk::ApiError::new(dsar_desk::ErrorCode::WrongPassphrase, "m");
    assert_eq!(serde_json::to_value(&e).unwrap(), serde_json::json!({"code": "wrong-passphrase", "message": "m"}));
    // Generated afresh (not the committed file, which the other test may be rewriting).
    let dir = tempfile::tempdir().unwrap();
    dsar_desk::dto::export_bindings(dir.path()).unwrap();
    let ts = std::fs::read_to_string(dir.path().join("ErrorCode.ts")).unwrap();
    for code in ["invalid-input", "not-found", "wrong-passphrase", "locked", "conflict", "connector", "cancelled", "internal"] {
        assert!(ts.contains(&format!("\"{code}\"")), "ErrorCode.ts lacks {code}: {ts}");
    }
}
