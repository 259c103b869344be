//! Acting on a request from the case screen (SPEC §10), called as the Tauri commands call
//! them: a firm with a plain SQLite shop (invoices kept under HGB, with a recipient) and a
//! newsletter CSV that is rewritten; plan → approve and carry out with progress → verify →
//! notices → what the confirmation letters lack, and every refusal in the app's own words.

use std::cell::RefCell;
use std::path::Path;

use dsar_desk::api;
use dsar_desk::dto::NewCaseInput;
use dsar_desk::dto_acting::{ActProgressDto, CaseActionsDto};
use dsar_desk::{Desk, ErrorCode};
use rusqlite::Connection;
use serde_json::json;

mod common;
use common::*;

const EMAIL: &str = "jutta.kranich@example.org";

fn shop(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, restricted INTEGER NOT NULL DEFAULT 0);",
    )
    .unwrap();
    for i in 1..=20 {
        let email = if i == 7 { EMAIL.to_string() } else { format!("person{i}@example.org") };
        c.execute("INSERT INTO customers VALUES (?1, ?2, ?3)", rusqlite::params![i, email, format!("Person {i}")]).unwrap();
        for k in 0..3 {
            c.execute("INSERT INTO orders (customer_id, total) VALUES (?1, ?2)", rusqlite::params![i, f64::from(i * 10 + k)]).unwrap();
        }
    }
}

fn register(dir: &Path) -> serde_json::Value {
    let system = |id: &str, name: &str, connector: serde_json::Value| {
        json!({"id": id, "name": name, "role": "internal", "purposes": ["Verkauf"], "data_categories": ["Kontaktdaten"],
               "legal_bases": ["art6-1-b"], "retention": {"description": "Für die Dauer der Kundenbeziehung"}, "recipients": [],
               "transfers": [], "source": "data-subject", "automated_decision_making": false, "connector": connector})
    };
    let mut shop = system("shop", "Webshop", json!({"kind": "sqlite", "path": dir.join("shop.sqlite"),
        "queries": [
            {"name": "customers", "sql": "SELECT * FROM customers WHERE lower(email) = :email"},
            {"name": "orders", "sql": "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE lower(c.email) = :email"}],
        "erase": [
            {"name": "orders", "sql": "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"},
            {"name": "customers", "sql": "UPDATE customers SET email = NULL, name = 'erased' WHERE lower(email) = :email"}],
        "restrict": [{"name": "orders", "sql": "UPDATE orders SET restricted = 1 WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"}]}));
    shop["statutory_retention"] = json!([{"law": "HGB § 257, AO § 147", "applies_to": "Rechnungen", "period": "P8Y", "datasets": ["orders"]}]);
    shop["recipients"] = json!(["Steuerberatung Kunz & Partner"]);
    let mut newsletter = system("newsletter", "Newsletter", json!({"kind": "csv", "path": dir.join("newsletter.csv"), "match": {"email": ["email"]}, "erase": "rewrite"}));
    newsletter["legal_bases"] = json!(["art6-1-a"]);
    json!({"format": "dsar-register", "version": 1,
        "controller": {"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
            "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
            "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]}},
        "systems": [shop, newsletter]})
}

struct Firm {
    dir: tempfile::TempDir,
    desk: Desk,
    reference: String,
}

impl Firm {
    fn shop(&self) -> std::path::PathBuf {
        self.dir.path().join("firm").join("shop.sqlite")
    }

    fn count(&self, sql: &str) -> i64 {
        Connection::open(self.shop()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn actions(&self) -> CaseActionsDto {
        api::case_actions(&self.desk, self.reference.clone()).unwrap()
    }

    fn missing(&self, kind: &str) -> Vec<String> {
        let missing = self.actions().letters.into_iter().find(|l| l.kind == kind).unwrap_or_else(|| panic!("no readiness for {kind}")).missing;
        // Each line a code the window words; its English text as the window used to show it.
        assert!(missing.iter().all(|g| g.code.starts_with("unrecorded.") && g.field.is_empty()), "{missing:?}");
        missing.into_iter().map(|g| g.text.strip_prefix("not recorded: ").unwrap_or(&g.text).to_string()).collect()
    }
}

fn firm(rights: &[&str]) -> Firm {
    let (dir, desk) = fresh_desk();
    let files = dir.path().join("firm");
    std::fs::create_dir_all(&files).unwrap();
    shop(&files.join("shop.sqlite"));
    std::fs::write(files.join("newsletter.csv"), format!("email,name\nperson1@example.org,Björn\n{EMAIL},Jutta\nperson2@example.org,Ärzte GmbH\n")).unwrap();
    let reg = files.join("register.json");
    std::fs::write(&reg, serde_json::to_vec_pretty(&register(&files)).unwrap()).unwrap();
    api::import_register(&desk, reg.display().to_string()).unwrap();
    let input = NewCaseInput { rights: rights.iter().map(|r| r.to_string()).collect(), ..new_case("Jutta Kranich", EMAIL, "2026-11-10") };
    let reference = api::create_case(&desk, input).unwrap();
    Firm { dir, desk, reference }
}

#[test]
fn plan_act_verify_and_notices_from_the_case_screen_change_exactly_the_subjects_rows() {
    let f = firm(&["erasure"]);
    let before = f.actions();
    assert!(before.plan.is_none() && before.acted_plan.is_none() && before.notices.is_empty());
    let partial = before.letters.iter().find(|l| l.kind == "erasure-partial").unwrap();
    assert!(partial.missing.iter().any(|m| m.code == "unrecorded.nothing-carried-out" && m.text.ends_with("press Plan under Actions, check the plan, then Approve and carry out")), "{:?}", partial.missing);

    let planned = api::plan_case(&f.desk, f.reference.clone()).unwrap();
    let plan = planned.plan.expect("a plan");
    assert!(!plan.approved && plan.id.len() == 64);
    let shop = plan.systems.iter().find(|s| s.id == "shop").unwrap();
    assert_eq!((shop.name.as_str(), shop.action.as_str(), shop.records), ("Webshop", "retain", 4));
    let statements: Vec<(&str, &str, u64)> = shop.statements.iter().map(|s| (s.name.as_str(), s.action.as_str(), s.rows)).collect();
    assert_eq!(statements, [("orders", "restrict", 3), ("customers", "erase", 1)]);
    assert_eq!(shop.retained_until.as_deref(), Some("2034-12-31"), "8 years from the end of 2026");
    assert_eq!(shop.retained_by, ["HGB § 257, AO § 147"]);
    let newsletter = plan.systems.iter().find(|s| s.id == "newsletter").unwrap();
    assert_eq!((newsletter.action.as_str(), newsletter.statements[0].rows), ("erase", 1));
    // The dry run changed nothing.
    assert_eq!(f.count("SELECT count(*) FROM orders WHERE restricted = 1"), 0);

    // A letter that confirms the erasure is refused before anything was done.
    let pdf = f.dir.path().join("partial.pdf");
    let e = api::save_letter(&f.desk, f.reference.clone(), "erasure-partial".into(), Some("de".into()), Default::default(), pdf.display().to_string(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    assert!(e.message.contains("press Plan under Actions") && !e.message.contains("dsar case"), "the window's words, not the CLI's: {}", e.message);
    assert!(!pdf.exists());

    // Approve and carry out: one progress event per system, in plan order.
    let events: RefCell<Vec<ActProgressDto>> = RefCell::new(Vec::new());
    let report = api::act_case(&f.desk, f.reference.clone(), plan.id.clone(), vec![], &|p| events.borrow_mut().push(p)).unwrap();
    let events = events.into_inner();
    assert!(!report.cancelled);
    assert_eq!(events.iter().map(|e| e.outcome.id.as_str()).collect::<Vec<_>>(), ["shop", "newsletter"]);
    assert!(events.iter().all(|e| e.reference == f.reference));
    let done: Vec<(&str, &str, u64)> = report.systems.iter().map(|o| (o.id.as_str(), o.status.as_str(), o.rows)).collect();
    assert_eq!(done, [("shop", "done", 4), ("newsletter", "done", 1)]);
    assert_eq!(f.count("SELECT count(*) FROM orders WHERE customer_id = 7 AND restricted = 1"), 3);
    assert_eq!(f.count("SELECT count(*) FROM orders WHERE restricted = 1"), 3, "only the subject's orders");
    assert_eq!(f.count("SELECT count(*) FROM customers WHERE email IS NULL"), 1);
    let csv = std::fs::read_to_string(f.dir.path().join("firm").join("newsletter.csv")).unwrap();
    assert_eq!(csv, "email,name\nperson1@example.org,Björn\nperson2@example.org,Ärzte GmbH\n");

    // Done but not verified: the letter still lacks the verification.
    let acted = f.actions();
    assert_eq!(acted.acted_plan.as_deref(), Some(plan.id.as_str()));
    assert!(acted.plan.as_ref().unwrap().approved);
    let shop = acted.systems.iter().find(|s| s.id == "shop").unwrap();
    assert_eq!((shop.status.as_str(), shop.erased_rows, shop.restricted_rows, shop.verified), ("done", 1, 3, None));
    assert!(f.missing("erasure-partial").iter().any(|m| m == "system shop is not verified: press Verify under Actions"), "{:?}", f.missing("erasure-partial"));
    let preview = api::preview_letter(&f.desk, f.reference.clone(), "erasure-partial".into(), None, Default::default()).unwrap();
    assert!(preview.gaps.iter().any(|g| g.text == "not recorded: system shop is not verified: press Verify under Actions"), "{:?}", preview.gaps);
    // The window words it from the code: the system named, no English sentence needed.
    let g = preview.gaps.iter().find(|g| g.code == "unrecorded.not-verified").unwrap();
    assert_eq!((g.system.as_deref(), g.params.get("system").map(String::as_str)), (Some("shop"), Some("shop")));

    let verified = api::verify_case(&f.desk, f.reference.clone()).unwrap();
    let ok: Vec<(&str, &str, bool, u64)> = verified.iter().map(|v| (v.id.as_str(), v.name.as_str(), v.ok, v.records)).collect();
    assert_eq!(ok, [("shop", "Webshop", true, 0), ("newsletter", "Newsletter", true, 0)]);
    assert_eq!(f.missing("erasure-partial"), Vec::<String>::new());
    assert!(f.missing("erasure-confirmation").iter().any(|m| m.contains("erasure-partial instead")));

    // The shop's recipient is to be told (Art. 19), with a ready letter; recipients-informed
    // waits for it.
    let notices = f.actions().notices;
    assert_eq!(notices.len(), 1, "{notices:?}");
    let n = &notices[0];
    assert_eq!((n.system_name.as_str(), n.recipient.as_str(), n.kind.as_str(), n.status.as_str()), ("Webshop", "Steuerberatung Kunz & Partner", "recipient-notice", "open"));
    assert!(n.letter_text.contains(&f.reference) && n.letter_title.contains("Kunz"));
    assert!(f.missing("recipients-informed").iter().any(|m| m.contains("still open")));
    let after = api::update_notice(&f.desk, f.reference.clone(), n.id.clone(), "sent".into(), Some("2026-11-21".into()), Some("E-Mail".into()), None).unwrap();
    let n = &after.notices[0];
    assert_eq!((n.status.as_str(), n.sent_on.as_deref(), n.channel.as_deref()), ("sent", Some("2026-11-21"), Some("E-Mail")));
    assert!(after.letters.iter().find(|l| l.kind == "recipients-informed").unwrap().missing.is_empty());

    let saved = api::save_letter(&f.desk, f.reference.clone(), "erasure-partial".into(), Some("de".into()), Default::default(), pdf.display().to_string(), None).unwrap();
    assert!(saved.file_name.contains("erasure-partial") && std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    // Every step is in the timeline, by the OS account of whoever runs the app.
    let timeline = api::get_case(&f.desk, f.reference.clone()).unwrap().timeline;
    let steps: Vec<&str> = timeline.iter().map(|e| e.action.as_str()).collect();
    for a in ["case.planned", "plan.approved", "system.acted", "case.acted", "case.verified", "notice.updated", "letter.saved"] {
        assert!(steps.contains(&a), "{a} missing from {steps:?}");
    }
    // The timeline says in words when the kept data may go: the date is in the events.
    let acted_shop = timeline.iter().find(|e| e.action == "system.acted" && e.details.contains("\"shop\"")).unwrap();
    assert!(acted_shop.details.contains("\"retained_until\":\"2034-12-31\""), "{}", acted_shop.details);
    assert!(!timeline.iter().any(|e| e.details.to_lowercase().contains("kranich")), "no identifiers in the audit trail");

    // Carrying out again changes nothing twice.
    let again = api::act_case(&f.desk, f.reference.clone(), plan.id, vec![], &|_| {}).unwrap();
    assert!(again.systems.iter().all(|o| o.status == "done"));
    assert_eq!(f.count("SELECT count(*) FROM orders"), 60);
}

#[test]
fn refusals_name_the_apps_field_and_what_to_do_in_the_window() {
    let f = firm(&["erasure"]);
    // Nothing to verify, no plan to approve.
    let e = api::verify_case(&f.desk, f.reference.clone()).unwrap_err();
    assert!(e.code == ErrorCode::Conflict && e.message.starts_with("plan: nothing has been carried out"), "{e:?}");
    let e = api::act_case(&f.desk, f.reference.clone(), "ab".repeat(32), vec![], &|_| {}).unwrap_err();
    assert!(e.code == ErrorCode::Conflict && e.message.starts_with("plan: ") && e.message.contains("press Plan"), "{e:?}");
    assert!(!e.message.contains("dsar case"), "no CLI commands in the app: {}", e.message);

    let plan = api::plan_case(&f.desk, f.reference.clone()).unwrap().plan.unwrap();
    let e = api::act_case(&f.desk, f.reference.clone(), plan.id.clone(), vec!["nope".into()], &|_| {}).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("systems: "), "{e:?}");
    // A plan made stale by a new register version is refused; nothing changed.
    api::save_system(&f.desk, "newsletter".into(), api::register_system(&f.desk, "newsletter".into()).unwrap()).unwrap();
    let e = api::act_case(&f.desk, f.reference.clone(), plan.id, vec![], &|_| {}).unwrap_err();
    assert!(e.code == ErrorCode::Conflict && e.message.contains("register changed"), "{e:?}");
    assert_eq!(f.count("SELECT count(*) FROM orders WHERE restricted = 1"), 0);

    // An access request has nothing to act on.
    let access = api::create_case(&f.desk, new_case("Max Muster", "max@example.org", "2026-11-12")).unwrap();
    let e = api::plan_case(&f.desk, access.clone()).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("right: "), "{e:?}");
    let e = api::case_actions(&f.desk, "DSAR-2026-9999".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    // One plan, execution or verification per case at a time.
    let running = f.desk.start_acting(&f.reference).unwrap();
    for e in [api::plan_case(&f.desk, f.reference.clone()).unwrap_err(), api::verify_case(&f.desk, f.reference.clone()).unwrap_err()] {
        assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    }
    assert_eq!(api::lock_desk(&f.desk).unwrap_err().code, ErrorCode::Conflict, "lock waits for the running work");
    api::cancel_acting(&f.desk, f.reference.clone()).unwrap();
    assert!(running.cancel.is_cancelled());
}

#[test]
fn cancel_stops_before_the_next_system_and_a_rerun_of_one_system_finishes_it() {
    let f = firm(&["erasure"]);
    let plan = api::plan_case(&f.desk, f.reference.clone()).unwrap().plan.unwrap();
    // The user presses Cancel while the first system runs: the second is not touched.
    let report = api::act_case(&f.desk, f.reference.clone(), plan.id.clone(), vec![], &|_| {
        api::cancel_acting(&f.desk, f.reference.clone()).unwrap();
    })
    .unwrap();
    assert!(report.cancelled);
    let status: Vec<(&str, &str)> = report.systems.iter().map(|o| (o.id.as_str(), o.status.as_str())).collect();
    assert_eq!(status, [("shop", "done"), ("newsletter", "skipped")]);
    assert!(std::fs::read_to_string(f.dir.path().join("firm").join("newsletter.csv")).unwrap().contains(EMAIL));
    assert!(f.missing("erasure-partial").iter().any(|m| m == "system newsletter has not been acted on: press Re-run for it under Actions"), "{:?}", f.missing("erasure-partial"));

    // Re-run just that system (the panel's Re-run button).
    let rerun = api::act_case(&f.desk, f.reference.clone(), plan.id, vec!["newsletter".into()], &|_| {}).unwrap();
    assert_eq!(rerun.systems.iter().map(|o| (o.id.as_str(), o.status.as_str())).collect::<Vec<_>>(), [("newsletter", "done")]);
    assert!(!std::fs::read_to_string(f.dir.path().join("firm").join("newsletter.csv")).unwrap().contains(EMAIL));
    assert!(f.actions().systems.iter().all(|s| s.status == "done"));
}

#[test]
fn a_notice_is_closed_only_with_a_reason_and_only_on_its_own_case() {
    let f = firm(&["erasure"]);
    let plan = api::plan_case(&f.desk, f.reference.clone()).unwrap().plan.unwrap();
    api::act_case(&f.desk, f.reference.clone(), plan.id, vec![], &|_| {}).unwrap();
    let id = f.actions().notices[0].id.clone();
    let update = |status: &str, on: Option<&str>, channel: Option<&str>, reason: Option<&str>| {
        api::update_notice(&f.desk, f.reference.clone(), id.clone(), status.into(), on.map(Into::into), channel.map(Into::into), reason.map(Into::into))
    };
    let e = update("maybe", None, None, None).unwrap_err();
    assert!(e.message.starts_with("status: "), "{e:?}");
    let e = update("sent", Some("21.11.2026"), Some("E-Mail"), None).unwrap_err();
    assert!(e.message.starts_with("on: "), "{e:?}");
    let e = update("sent", None, Some("  "), None).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("channel: "), "{e:?}");
    let e = update("impossible", None, None, Some(" ")).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("reason: "), "{e:?}");
    assert_eq!(f.actions().notices[0].status, "open", "a refused update changes nothing");

    let other = api::create_case(&f.desk, new_case("Max Muster", "max@example.org", "2026-11-12")).unwrap();
    let e = api::update_notice(&f.desk, other, id.clone(), "sent".into(), None, Some("E-Mail".into()), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    let closed = update("disproportionate", None, None, Some("Die Kanzlei existiert nicht mehr.")).unwrap();
    let n = &closed.notices[0];
    assert_eq!((n.status.as_str(), n.reason.as_deref()), ("disproportionate", Some("Die Kanzlei existiert nicht mehr.")));
    let missing = closed.letters.iter().find(|l| l.kind == "recipients-informed").unwrap();
    assert!(missing.missing.iter().any(|m| m.code == "unrecorded.none-informed" && m.text.contains("no recipient is recorded as informed")), "{missing:?}");
}

#[test]
fn the_actor_is_the_os_account_not_unknown() {
    let actor = dsar_desk::actor();
    assert!(actor.starts_with("app:") && actor.len() > 4, "{actor}");
    assert_ne!(actor, "app:unknown", "the account is asked from the system, not only USER");
}
