//! The case screen's identity, requester, linked-cases and found-identifiers panels, called as
//! the Tauri commands call them, against a real encrypted database and a firm whose shop
//! yields the customer number its invoicing is searched with.

use dsar_desk::api;
use dsar_desk::case_intake as intake;
use dsar_desk::dto_intake::{IdentityInput, MatchedInDto, RequesterInput};
use dsar_desk::{Desk, ErrorCode};

mod common;
use common::*;

const EMAIL: &str = "erika.mustermann@example.org";

fn firm(dir: &std::path::Path) -> String {
    let shop = dir.join("shop.sqlite");
    let c = rusqlite::Connection::open(&shop).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (email TEXT, name TEXT, customer_no TEXT);
         INSERT INTO customers VALUES ('erika.mustermann@example.org', 'Erika Mustermann', 'K-1001'), ('hans@example.org', 'Hans', 'K-1002');",
    )
    .unwrap();
    drop(c);
    std::fs::write(dir.join("invoices.csv"), "number,customer,total\nR-1,K-1001,49.00\nR-2,K-1002,5.00\n").unwrap();
    let system = |id: &str, connector: serde_json::Value| {
        serde_json::json!({"id": id, "name": format!("System {id}"), "role": "internal", "purposes": ["Verkauf"], "data_categories": ["Kontaktdaten"],
            "legal_bases": ["art6-1-b"], "retention": {"description": "3 Jahre"}, "recipients": [], "transfers": [], "source": "data-subject",
            "automated_decision_making": false, "connector": connector})
    };
    let register = serde_json::json!({"format": "dsar-register", "version": 1,
        "controller": {"name": "Kranich GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "dsb@kranich.example", "country": "DE",
            "region": "DE-NW", "language": "de", "jurisdiction": "gdpr", "supervisory_authority": {"name": "LDI NRW"}},
        "systems": [
            system("shop", serde_json::json!({"kind": "sqlite", "path": shop.display().to_string(),
                "queries": [{"name": "customers", "sql": "SELECT * FROM customers WHERE lower(email) = :email"}],
                "yields": {"customer_id": "/customer_no"}})),
            system("invoices", serde_json::json!({"kind": "csv", "path": dir.join("invoices.csv").display().to_string(), "match": {"customer_id": ["customer"]}})),
        ]});
    let path = dir.join("register.json");
    std::fs::write(&path, register.to_string()).unwrap();
    path.display().to_string()
}

fn pulled_case() -> (tempfile::TempDir, Desk, String) {
    let (dir, desk) = fresh_desk();
    api::import_register(&desk, firm(dir.path())).unwrap();
    let reference = api::create_case(&desk, new_case("Erika Mustermann", EMAIL, "2026-11-10")).unwrap();
    api::pull_case(&desk, reference.clone(), vec![], &|_| ()).unwrap();
    (dir, desk, reference)
}

fn held(systems: &[(&str, &[&str])]) -> Vec<MatchedInDto> {
    systems.iter().map(|(s, k)| MatchedInDto { system: s.to_string(), system_name: String::new(), kinds: k.iter().map(|k| k.to_string()).collect() }).collect()
}

fn check(method: &str, matched: Vec<MatchedInDto>) -> IdentityInput {
    IdentityInput { method: method.into(), on: "2026-11-12".into(), matched, note: None, document_path: None, keep_reason: None }
}

#[test]
fn identity_by_held_data_is_proposed_from_the_pull_and_recorded_with_systems_and_kinds() {
    let (_dir, desk, reference) = pulled_case();
    let before = intake::case_intake(&desk, reference.clone()).unwrap();
    assert!(before.checks.is_empty());
    assert_eq!(before.identifier_kinds, ["email"]);
    let proposed: Vec<_> = before.held_matches.iter().map(|m| (m.system.as_str(), m.system_name.as_str(), m.kinds.clone())).collect();
    assert_eq!(proposed, [("shop", "System shop", vec!["email".to_string()])]);

    let e = intake::record_identity(&desk, reference.clone(), check("held-data", vec![])).unwrap_err();
    assert!(e.message.starts_with("matched: "), "{e:?}");
    let e = intake::record_identity(&desk, reference.clone(), check("held-data", held(&[("shop", &["phone"])]))).unwrap_err();
    assert!(e.message.starts_with("matched: the case has no 'phone' identifier"), "{e:?}");
    let e = intake::record_identity(&desk, reference.clone(), IdentityInput { on: "2026-11-09".into(), ..check("held-data", held(&[("shop", &["email"])])) }).unwrap_err();
    assert!(e.message.starts_with("on: is before the request arrived"), "{e:?}");

    let after = intake::record_identity(&desk, reference.clone(), check("held-data", held(&[("shop", &["email"])]))).unwrap();
    let [c] = after.checks.as_slice() else { panic!("{:?}", after.checks) };
    assert_eq!((c.method.as_str(), c.on.as_str(), c.by.as_str()), ("held-data", "2026-11-12", "app:test"));
    assert_eq!(c.matched.iter().map(|m| (m.system_name.as_str(), m.kinds.join(","))).collect::<Vec<_>>(), [("System shop", "email".to_string())]);
    let timeline = api::get_case(&desk, reference).unwrap().timeline;
    let ev = timeline.iter().find(|e| e.action == "identity.established").expect("audited");
    assert!(!ev.details.contains(EMAIL), "kinds, never values: {}", ev.details);
}

#[test]
fn a_document_seen_is_kept_only_with_a_reason() {
    let (dir, desk, reference) = pulled_case();
    let scan = dir.path().join("Ausweis.pdf");
    std::fs::write(&scan, b"%PDF-1.4 scan").unwrap();
    let doc = |keep: Option<&str>| IdentityInput {
        document_path: Some(scan.display().to_string()),
        keep_reason: keep.map(str::to_string),
        note: Some("Personalausweis, Name und Anschrift stimmen".into()),
        ..check("document-seen", vec![])
    };
    let seen = intake::record_identity(&desk, reference.clone(), doc(None)).unwrap();
    assert!(seen.checks[0].document_seen && seen.checks[0].kept_reason.is_none());
    let kept = intake::record_identity(&desk, reference.clone(), doc(Some("Bestreitet die Person die Anfrage, belegt die Kopie die Prüfung"))).unwrap();
    assert_eq!(kept.checks[1].kept_reason.as_deref(), Some("Bestreitet die Person die Anfrage, belegt die Kopie die Prüfung"));
    let docs = api::get_case(&desk, reference.clone()).unwrap().documents;
    assert_eq!(docs.iter().filter(|d| d.kind == "identity-document").count(), 1, "one copy: the one with a reason");
    let e = intake::record_identity(&desk, reference, IdentityInput { document_path: None, ..doc(Some("weil")) }).unwrap_err();
    assert!(e.message.starts_with("document_path: "), "{e:?}");
}

#[test]
fn a_requester_is_recorded_on_the_case_and_on_new_case_with_their_authority() {
    let (dir, desk, reference) = pulled_case();
    let poa = dir.path().join("Vollmacht.pdf");
    std::fs::write(&poa, b"%PDF-1.4 Vollmacht").unwrap();
    let input = RequesterInput {
        name: "Kanzlei Berger & Partner".into(),
        address: vec!["Ring 5".into(), "".into(), "50672 Köln".into()],
        email: Some(" Kanzlei@Berger.example ".into()),
        authority: "lawyer".into(),
        authority_note: Some("Vollmacht vom 2. November 2026".into()),
        document_path: Some(poa.display().to_string()),
    };
    let e = intake::set_requester(&desk, reference.clone(), RequesterInput { name: " ".into(), ..input.clone() }).unwrap_err();
    assert!(e.message.starts_with("name: "), "{e:?}");
    let e = intake::set_requester(&desk, reference.clone(), RequesterInput { authority: "other".into(), authority_note: None, ..input.clone() }).unwrap_err();
    assert!(e.message.starts_with("authority: "), "{e:?}");
    let r = intake::set_requester(&desk, reference.clone(), input.clone()).unwrap().requester.unwrap();
    assert_eq!((r.name.as_str(), r.email.as_deref(), r.authority.as_str()), ("Kanzlei Berger & Partner", Some("kanzlei@berger.example"), "lawyer"));
    assert_eq!((r.address, r.document.as_deref()), (vec!["Ring 5".to_string(), "50672 Köln".to_string()], Some("Vollmacht.pdf")));
    // Representative's authority as the identity check needs the requester.
    assert_eq!(intake::record_identity(&desk, reference.clone(), check("representative-authority", vec![])).unwrap().checks.len(), 1);
    assert!(intake::clear_requester(&desk, reference.clone()).unwrap().requester.is_none());

    // New case with a representative: both or neither.
    let mut new = new_case("Max Muster", "max@example.org", "2026-11-18");
    new.requester = Some(RequesterInput { email: Some("nicht-gueltig".into()), ..input.clone() });
    let e = api::create_case(&desk, new.clone()).unwrap_err();
    assert!(e.message.starts_with("requester_email: "), "{e:?}");
    assert_eq!(api::list_cases(&desk, query()).unwrap().total, 1, "no case without its requester");
    new.requester = Some(input);
    let made = api::create_case(&desk, new).unwrap();
    assert_eq!(intake::case_intake(&desk, made).unwrap().requester.unwrap().name, "Kanzlei Berger & Partner");
}

#[test]
fn cases_are_linked_by_hand_and_a_repeat_is_only_suggested() {
    let (_dir, desk, first) = pulled_case();
    let second = api::create_case(&desk, new_case("Erika Mustermann", EMAIL, "2026-11-19")).unwrap();
    let i = intake::case_intake(&desk, second.clone()).unwrap();
    assert_eq!(i.suggested_link.as_ref().map(|d| d.reference.as_str()), Some(first.as_str()), "same e-mail: suggested");
    assert!(i.linked.is_empty() && i.possible_repeat.is_none(), "never linked by itself");
    let e = intake::link_case(&desk, second.clone(), "DSAR-2026-0999".into()).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("other: "), "{e:?}");
    let i = intake::link_case(&desk, second.clone(), first.to_lowercase()).unwrap();
    assert_eq!(i.linked.iter().map(|l| l.reference.as_str()).collect::<Vec<_>>(), [first.as_str()]);
    assert_eq!(i.possible_repeat.as_ref().map(|l| l.reference.as_str()), Some(first.as_str()), "access again within a year");
    assert!(i.suggested_link.is_none(), "linked already");
    assert_eq!(intake::case_intake(&desk, first.clone()).unwrap().linked[0].reference, second, "both ways");
    let i = intake::unlink_case(&desk, first.clone(), second.clone()).unwrap();
    assert!(i.linked.is_empty());
}

#[test]
fn identifiers_found_on_the_way_are_listed_with_their_source_and_dropped() {
    let (_dir, desk, reference) = pulled_case();
    let i = intake::case_intake(&desk, reference.clone()).unwrap();
    let found: Vec<_> = i.yielded.iter().map(|y| (y.kind.as_str(), y.value.as_str(), y.system_name.as_str(), y.dropped)).collect();
    assert_eq!(found, [("customer_id", "K-1001", "System shop", false)]);
    let d = api::get_case(&desk, reference.clone()).unwrap();
    assert_eq!(d.systems.iter().find(|s| s.id == "invoices").map(|s| s.records), Some(1), "invoicing searched with it");
    let i = intake::drop_yielded(&desk, reference.clone(), "customer_id".into(), "K-1001".into()).unwrap();
    assert!(i.yielded[0].dropped);
    let e = intake::drop_yielded(&desk, reference, "customer_id".into(), "K-9".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
}

#[test]
fn a_formal_salutation_is_set_from_the_letter_panel_and_greets_in_the_letter() {
    let (_dir, desk, reference) = pulled_case();
    let next = intake::set_salutation(&desk, reference.clone(), "ms".into(), None).unwrap();
    let s = next.salutation.expect("salutation");
    assert_eq!((s.form.as_str(), s.family_name.as_str()), ("ms", "Mustermann"));
    let preview = api::preview_letter(&desk, reference.clone(), "acknowledgement".into(), Some("de".into()), Default::default()).unwrap();
    assert!(preview.body_text.starts_with("Sehr geehrte Frau Mustermann,"), "{}", preview.body_text);
    let next = intake::set_salutation(&desk, reference.clone(), "".into(), None).unwrap();
    assert_eq!(next.salutation, None);
    let e = intake::set_salutation(&desk, reference, "dr".into(), None).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.contains("unknown salutation 'dr'"), "{e:?}");
}
