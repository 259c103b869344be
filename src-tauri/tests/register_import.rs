//! The Register screen's import: first what the file changes, then the import of exactly the
//! file that was previewed.

use dsar_desk::{api, ErrorCode};

mod common;
use common::*;

fn fixture() -> serde_json::Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/registers/minimal.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn the_preview_lists_the_changes_and_the_confirmed_import_takes_only_the_previewed_file() {
    let (dir, desk) = fresh_desk();
    let file = dir.path().join("register.json");
    std::fs::write(&file, fixture().to_string()).unwrap();
    let path = file.display().to_string();
    let first = api::preview_register_import(&desk, path.clone()).unwrap();
    assert!(!first.replaces);
    assert_eq!(first.added.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["crm", "newsletter"]);
    assert_eq!(api::import_register_previewed(&desk, path.clone(), first.sha256).unwrap(), 2);

    let mut next = fixture();
    next["systems"].as_array_mut().unwrap().pop();
    next["controller"]["email"] = serde_json::json!("dsb@beispiel.example");
    std::fs::write(&file, next.to_string()).unwrap();
    let p = api::preview_register_import(&desk, path.clone()).unwrap();
    assert!(p.replaces);
    assert_eq!(p.removed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["newsletter"]);
    assert_eq!(p.controller, ["email"]);
    assert_eq!(p.unchanged, 1);
    // Changed after the preview: refused, and the register stays as it was.
    next["controller"]["name"] = serde_json::json!("Andere GmbH");
    std::fs::write(&file, next.to_string()).unwrap();
    let e = api::import_register_previewed(&desk, path.clone(), p.sha256).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.contains("changed since it was previewed"), "{e:?}");
    assert_eq!(api::register_systems(&desk).unwrap().len(), 2);
}
