//! Identity, representatives and linked cases (SPEC §11) through the CLI: how identity was
//! established (and a document copy kept only with a reason), letters addressed to a
//! representative that name the subject, the disclosure warning while identity is open, and
//! duplicates linked with a possible Art. 12(5) repeat shown — never applied.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use dsar::{cases, documents, letters, register_store};
use serde_json::Value;

/// A desk with the minimal register, its CRM a real SQLite file holding Erika Muster.
fn desk() -> TempDb {
    let db = TempDb::new();
    let data_dir = db.dir.path().join("data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let conn = rusqlite::Connection::open(data_dir.join("crm.sqlite")).expect("crm");
    conn.execute_batch(
        "CREATE TABLE kunden (email TEXT, name TEXT, kundennummer TEXT);
         INSERT INTO kunden VALUES ('erika@example.org', 'Erika Muster', 'K-1001'), ('otto@example.org', 'Otto Normal', 'K-1002');
         CREATE TABLE vertraege (kunde TEXT, produkt TEXT);
         INSERT INTO vertraege VALUES ('K-1001', 'Tarif S');",
    )
    .expect("crm rows");
    drop(conn);
    let register = db.dir.path().join("register.json");
    std::fs::copy(data("registers/minimal.json"), &register).expect("register copy");
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx("2026-11-21"), &register).expect("register");
    db
}

fn json(o: std::process::Output) -> Value {
    let text = ok(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn new_case(db: &TempDb, extra: &[&str]) -> String {
    let mut args = vec!["case", "new", "--right", "access", "--name", "Erika Muster", "--email", "Erika@Example.org", "--id", "customer_id=K-1001", "--received", "2026-11-16"];
    args.extend_from_slice(extra);
    ok(db.dsar(&args)).trim().to_string()
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn failure(o: std::process::Output) -> String {
    assert_eq!(o.status.code(), Some(1), "expected exit 1\nstdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn audit_details(db: &TempDb, action: &str) -> Vec<String> {
    let store = db.open();
    let mut stmt = store.conn().prepare("SELECT details FROM audit_events WHERE action = ?1 ORDER BY seq").expect("audit query");
    let rows = stmt.query_map([action], |r| r.get::<_, String>(0)).expect("audit rows");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn held_data_identity_is_proposed_from_the_pull_and_recorded_with_kinds_not_values() {
    let db = desk();
    let r = new_case(&db, &[]);
    let before = json(db.dsar(&["case", "show", &r, "--json"]));
    assert_eq!(before["identity"]["established"], false);

    // Nothing pulled yet: nothing to propose.
    assert!(ok(db.dsar(&["case", "identity", &r, "--suggest"])).contains("no identifier of the case was found"));
    ok(db.dsar(&["case", "pull", &r, "--system", "crm"]));
    let suggested = json(db.dsar(&["case", "identity", &r, "--suggest", "--json"]));
    assert_eq!(suggested["matched"], serde_json::json!([{"system": "crm", "kinds": ["email", "customer_id"]}]));

    // The access letter warns while identity is open, and still renders.
    let pdf = db.dir.path().join("access.pdf");
    let o = db.dsar(&["letter", &r, "--kind", "access-response", "--out", pdf.to_str().expect("path"), "--accept-gaps", "--reason", "test register"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains(&format!("identity of the subject of {r} is not established")), "{err}");

    let rec = json(db.dsar(&["case", "identity", &r, "--method", "held-data", "--matched", "crm:email,customer_id", "--on", "2026-11-17", "--json"]));
    assert_eq!(rec["method"], "held-data");
    assert_eq!(rec["on"], "2026-11-17");
    assert_eq!(rec["by"], "cli:tester");
    assert_eq!(rec["matched"][0]["kinds"], serde_json::json!(["email", "customer_id"]));

    let after = json(db.dsar(&["case", "show", &r, "--json"]));
    assert_eq!(after["identity"]["established"], true);
    assert_eq!(after["identity"]["checks"].as_array().map(Vec::len), Some(1));
    // No warning once a check is recorded.
    let o = db.dsar(&["letter", &r, "--kind", "access-response", "--out", pdf.to_str().expect("path"), "--accept-gaps", "--reason", "test register"]);
    assert!(!stderr(&o).contains("not established"), "{}", stderr(&o));

    // The audit trail has kinds and systems, never the values matched.
    let details = audit_details(&db, "identity.established");
    assert_eq!(details.len(), 1);
    assert!(details[0].contains("customer_id") && details[0].contains("crm"), "{}", details[0]);
    assert!(!details[0].contains("K-1001") && !details[0].contains("erika"), "{}", details[0]);
}

#[test]
fn an_id_document_is_hashed_and_dropped_unless_a_reason_keeps_it() {
    let db = desk();
    let r = new_case(&db, &[]);
    let scan = file(db.dir.path(), "ausweis.pdf", b"%PDF-1.7 scan of an identity card");
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(b"%PDF-1.7 scan of an identity card"))
    };
    let seen = json(db.dsar(&["case", "identity", &r, "--method", "document-seen", "--document", scan.to_str().expect("path"), "--json"]));
    assert_eq!(seen["document_sha256"], sha);
    assert_eq!(seen["document_kept"], false);
    let store = db.open();
    let case = cases::get(&store, &r).expect("case");
    assert!(documents::list(store.conn(), &case.id).expect("docs").iter().all(|d| d.kind != dsar::identity::DOCUMENT_KIND), "copy stored without a reason");
    drop(store);

    let kept = json(db.dsar(&[
        "case", "identity", &r, "--method", "document-seen", "--document", scan.to_str().expect("path"), "--keep-reason", "Streit über die Identität anhängig", "--json",
    ]));
    assert_eq!(kept["document_kept"], true);
    assert_eq!(kept["kept_reason"], "Streit über die Identität anhängig");
    let store = db.open();
    let docs = documents::list(store.conn(), &case.id).expect("docs");
    let copy = docs.iter().find(|d| d.kind == dsar::identity::DOCUMENT_KIND).expect("kept copy");
    assert_eq!(documents::read(store.conn(), &case.id, &copy.id).expect("bytes").1, b"%PDF-1.7 scan of an identity card");
    let details = audit_details(&db, "identity.established");
    assert!(details[0].contains("seen-not-kept") && !details[0].contains("kept_reason"), "{}", details[0]);
    assert!(details[1].contains("\"kept\"") && details[1].contains("Streit über die Identität anhängig"), "{}", details[1]);

    // --keep-reason without a document is refused before anything is stored.
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "document-seen", "--keep-reason", "x"]));
    assert!(err.contains("--keep-reason"), "{err}");
}

#[test]
fn bad_identity_input_names_the_flag_and_the_fix() {
    let db = desk();
    let r = new_case(&db, &[]);
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "passport"]));
    assert!(err.contains("unknown method 'passport'") && err.contains("held-data, email-round-trip, document-seen, representative-authority"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "held-data"]));
    assert!(err.contains("--matched") && err.contains("crm:email"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "held-data", "--matched", "erp:email"]));
    assert!(err.contains("'erp' is not in the register") && err.contains("crm, newsletter"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "held-data", "--matched", "crm:phone"]));
    assert!(err.contains("no 'phone' identifier") && err.contains("email, customer_id"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "email-round-trip", "--on", "2026-11-30"]));
    assert!(err.contains("--on") && err.contains("future"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "email-round-trip", "--on", "2026-11-01"]));
    assert!(err.contains("before the request arrived"), "{err}");
    let err = failure(db.dsar(&["case", "identity", &r, "--method", "representative-authority"]));
    assert!(err.contains("dsar case requester"), "{err}");
    // Nothing was recorded by the refused attempts.
    assert!(audit_details(&db, "identity.established").is_empty());
}

#[test]
fn a_representatives_request_is_answered_to_them_and_names_the_subject() {
    let db = desk();
    let poa = file(db.dir.path(), "vollmacht.pdf", b"%PDF-1.7 Vollmacht");
    let r = new_case(
        &db,
        &[
            "--requester-name", "Kanzlei Roth", "--requester-email", "Post@Kanzlei-Roth.example", "--requester-address", "Ring 5", "--requester-address",
            "50672 Köln", "--authority", "lawyer", "--authority-document", poa.to_str().expect("path"),
        ],
    );
    let shown = json(db.dsar(&["case", "show", &r, "--json"]));
    assert_eq!(shown["requester"]["name"], "Kanzlei Roth");
    assert_eq!(shown["requester"]["email"], "post@kanzlei-roth.example");
    assert_eq!(shown["requester"]["authority"], "lawyer");
    assert_eq!(shown["requester"]["document"], true);
    assert_eq!(shown["subject"]["name"], "Erika Muster");

    // The letter goes to the requester, greets them and says whose request it is.
    let store = db.open();
    let req = letters::LetterRequest { reference: r.clone(), kind: letters::LetterKind::Acknowledgement, language: None, extra: Default::default() };
    let composed = letters::compose(&store, date("2026-11-21"), &req, &letters::Templates::builtin()).expect("letter");
    let text = &composed.letter.text;
    assert!(text.contains("Guten Tag Kanzlei Roth,"), "{text}");
    assert!(text.contains("in Vertretung von Erika Muster gestellt (anwaltliche Vertretung)"), "{text}");
    assert!(!text.contains("Guten Tag Erika Muster"), "{text}");
    drop(store);

    // The e-mail is addressed to the requester, not to the subject.
    let pdf = db.dir.path().join("ack.pdf");
    let eml = db.dir.path().join("ack.eml");
    ok(db.dsar(&["letter", &r, "--kind", "acknowledgement", "--out", pdf.to_str().expect("path"), "--eml", eml.to_str().expect("path")]));
    let mail = String::from_utf8_lossy(&std::fs::read(&eml).expect("eml")).into_owned();
    let to = mail.lines().find(|l| l.starts_with("To:")).expect("To header");
    assert!(to.contains("post@kanzlei-roth.example") && !to.contains("erika"), "{to}");

    // Representative authority now counts as an identity method; the audit has no name.
    ok(db.dsar(&["case", "identity", &r, "--method", "representative-authority", "--note", "Vollmacht mit Ausweiskopie geprüft"]));
    for d in audit_details(&db, "requester.recorded") {
        assert!(d.contains("\"lawyer\"") && !d.contains("Roth") && !d.contains("Köln"), "{d}");
    }

    // Removing the requester sends letters to the subject again.
    ok(db.dsar(&["case", "requester", &r, "--clear"]));
    assert_eq!(json(db.dsar(&["case", "show", &r, "--json"]))["requester"], Value::Null);
    let err = failure(db.dsar(&["case", "requester", &r, "--name", "X", "--authority", "other", "--email", "x@y.example"]));
    assert!(err.contains("'other' needs a note"), "{err}");
    let err = failure(db.dsar(&["case", "requester", &r, "--name", "X", "--authority", "lawyer"]));
    assert!(err.contains("neither a postal address nor an e-mail"), "{err}");
}

#[test]
fn a_repeat_is_flagged_at_creation_linked_by_hand_and_shown_as_a_possible_ground_only() {
    let db = desk();
    let first = new_case(&db, &[]);
    let o = db.dsar(&["case", "new", "--right", "access", "--name", "Erika Muster", "--email", "erika@example.org", "--received", "2026-11-20"]);
    let second = ok(o.clone()).trim().to_string();
    assert!(stderr(&o).contains(&format!("has an identifier of {first}")), "{}", stderr(&o));

    // Not linked until the DPO links them.
    let shown = json(db.dsar(&["case", "show", &second, "--json"]));
    assert_eq!(shown["linked"], serde_json::json!([]));
    assert_eq!(shown["possible_repeat_of"], Value::Null);

    assert!(ok(db.dsar(&["case", "link", &second, "--to", &first])).contains(&first));
    let shown = json(db.dsar(&["case", "show", &second, "--json"]));
    assert_eq!(shown["linked"][0]["reference"], first.as_str());
    assert_eq!(shown["possible_repeat_of"], first.as_str());
    // The link shows from both sides; the earlier case has no "repeat" (it came first).
    let earlier = json(db.dsar(&["case", "show", &first, "--json"]));
    assert_eq!(earlier["linked"][0]["reference"], second.as_str());
    assert_eq!(earlier["possible_repeat_of"], Value::Null);
    // Linking twice changes nothing; the status of the later case is untouched.
    ok(db.dsar(&["case", "link", &first, "--to", &second]));
    assert_eq!(audit_details(&db, "case.linked").len(), 1);
    assert_eq!(shown["status"], "new");

    let err = failure(db.dsar(&["case", "link", &first, "--to", &first]));
    assert!(err.contains("same case"), "{err}");
    ok(db.dsar(&["case", "unlink", &second, "--to", &first]));
    assert_eq!(json(db.dsar(&["case", "show", &second, "--json"]))["linked"], serde_json::json!([]));
    let err = failure(db.dsar(&["case", "unlink", &second, "--to", &first]));
    assert!(err.contains("not linked"), "{err}");
}
