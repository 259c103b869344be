//! Importing a register shows first what it changes (issue 13 item 6): systems added, removed
//! and changed with their fields, the controller's fields — and a confirmed import refuses a
//! file that changed since it was previewed.

mod common;

use common::*;
use dsar::register_diff;
use dsar::register_store;
use serde_json::{json, Value};

fn minimal() -> Value {
    serde_json::from_str(&std::fs::read_to_string(data("registers/minimal.json")).expect("fixture")).expect("json")
}

fn versions(db: &TempDb) -> i64 {
    db.open().conn().query_row("SELECT count(*) FROM register_versions", [], |r| r.get(0)).expect("count")
}

#[test]
fn the_preview_names_what_changes_and_changes_nothing() {
    let db = TempDb::new();
    let mut store = db.create();
    let first = db.dir.path().join("first.json");
    std::fs::write(&first, minimal().to_string()).expect("write");
    // Without a register, everything is added.
    let p = register_diff::preview(&store, &first).expect("preview");
    assert!(!p.replaces);
    assert_eq!(p.added.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["crm", "newsletter"]);
    register_store::import_file(&mut store, &ctx("2026-11-21"), &first).expect("import");
    drop(store);

    let mut next = minimal();
    next["controller"]["name"] = json!("Beispiel AG");
    next["systems"][0]["purposes"] = json!(["Vertrag", "Support"]);
    let mut shop = next["systems"][0].clone();
    shop["id"] = json!("shop");
    shop["name"] = json!("Webshop");
    next["systems"][1] = shop;
    let second = db.dir.path().join("second.json");
    std::fs::write(&second, next.to_string()).expect("write");

    let out = ok(db.dsar(&["register", "import", second.to_str().expect("path"), "--dry-run"]));
    assert!(out.contains("added     shop  Webshop"), "{out}");
    assert!(out.contains("removed   newsletter  Newsletter  (no longer searched)"), "{out}");
    assert!(out.contains("changed   crm  Kundenverwaltung: purposes"), "{out}");
    assert!(out.contains("controller: name"), "{out}");
    assert_eq!(versions(&db), 1, "a dry run stores nothing");

    let store = db.open();
    let p = register_diff::preview(&store, &second).expect("preview");
    assert_eq!((p.added.len(), p.removed.len(), p.changed.len(), p.unchanged), (1, 1, 1, 0));
    drop(store);
    // The file changes after the preview: the confirmed import is refused.
    let mut edited = next.clone();
    edited["controller"]["email"] = json!("other@beispiel.example");
    std::fs::write(&second, edited.to_string()).expect("write");
    let mut store = db.open();
    let err = register_diff::import_confirmed(&mut store, &ctx("2026-11-21"), &second, &p.sha256).expect_err("changed");
    assert!(err.to_string().contains("changed since it was previewed"), "{err}");
    let again = register_diff::preview(&store, &second).expect("preview");
    register_diff::import_confirmed(&mut store, &ctx("2026-11-21"), &second, &again.sha256).expect("import");
    drop(store);
    assert_eq!(versions(&db), 2);
    // The same file again changes nothing, and says so.
    let out = ok(db.dsar(&["register", "import", second.to_str().expect("path"), "--dry-run"]));
    assert!(out.contains("nothing would change"), "{out}");
}

#[test]
fn a_broken_file_is_reported_by_the_preview_as_by_the_import() {
    let db = TempDb::new();
    let store = db.create();
    let bad = db.dir.path().join("bad.json");
    let mut doc = minimal();
    doc["systems"][0]["role"] = json!("friend");
    std::fs::write(&bad, doc.to_string()).expect("write");
    let err = register_diff::preview(&store, &bad).expect_err("refused");
    assert!(err.to_string().contains("/systems/0/role"), "{err}");
}
