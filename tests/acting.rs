//! Acting on a request (SPEC §10) on real files and a real HTTP server: a shop's SQLite
//! database with invoices under HGB retention, a Windows-1252 newsletter CSV, a nested JSON
//! message store, a JSON Lines chat log, access logs, a CRM's REST API (tiny_http in this
//! process) and a manual accounting system. Plan → approve → execute → verify → notices →
//! letters, and every way it must refuse: a stale plan, a statement that fails, a second
//! matching row inserted after planning, a re-run, letters without records.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::*;
use dsar::acting::{self, Action, NoticeStatus, NoticeUpdate};
use dsar::cases::{self, NewCase};
use dsar::connectors::Cancel;
use dsar::domain::{Channel, IdentifierKind, Right};
use dsar::store::Store;
use dsar::{register_store, suppression, tasks};
use rusqlite::Connection;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const TODAY: &str = "2026-11-21";
const EMAIL: &str = "jutta.kranich@example.org";

/// The CRM's REST API: records every request (method and raw URL) and answers `status`.
struct Crm {
    addr: String,
    seen: Arc<Mutex<Vec<(String, String)>>>,
    status: Arc<Mutex<u16>>,
}

fn crm() -> Crm {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let status = Arc::new(Mutex::new(204u16));
    let (s2, st2) = (seen.clone(), status.clone());
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            s2.lock().unwrap().push((request.method().to_string(), request.url().to_string()));
            // A contact answered with 2xx to a DELETE is gone from later searches.
            let deleted = s2.lock().unwrap().iter().any(|(m, _)| m == "DELETE") && *st2.lock().unwrap() < 300;
            let (code, body) = if request.method() == &tiny_http::Method::Get {
                let mine = request.url().contains("jutta.kranich%40example.org") && !deleted;
                (200, if mine { r#"{"data": [{"id": 7, "email": "jutta.kranich@example.org"}]}"# } else { r#"{"data": []}"# })
            } else {
                (*st2.lock().unwrap(), "")
            };
            let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(code));
        }
    });
    Crm { addr, seen, status }
}

struct Firm {
    _db: TempDb,
    store: Store,
    dir: PathBuf,
    reference: String,
    crm: Crm,
}

fn shop_db(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, restricted INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE wishlist (id INTEGER PRIMARY KEY, customer_id INTEGER, item TEXT);",
    )
    .unwrap();
    for i in 1..=200 {
        let email = if i == 42 { "Jutta.Kranich@example.org".to_string() } else { format!("person{i}@example.org") };
        c.execute("INSERT INTO customers VALUES (?1, ?2, ?3)", rusqlite::params![i, email, format!("Person {i}")]).unwrap();
        for k in 0..3 {
            c.execute("INSERT INTO orders (customer_id, total) VALUES (?1, ?2)", rusqlite::params![i, (i * 10 + k) as f64]).unwrap();
        }
        c.execute("INSERT INTO wishlist (customer_id, item) VALUES (?1, 'lamp')", [i]).unwrap();
    }
}

/// SHA-256 over every row of every table except the subject's, in a stable order.
fn others_digest(path: &Path) -> String {
    let c = Connection::open(path).unwrap();
    let mut h = Sha256::new();
    for (table, filter) in [
        ("customers", "id <> 42"),
        ("orders", "customer_id <> 42"),
        ("wishlist", "customer_id <> 42"),
    ] {
        let mut stmt = c.prepare(&format!("SELECT * FROM {table} WHERE {filter} ORDER BY id")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                h.update(format!("{:?}|", r.get_ref(i).unwrap()).as_bytes());
            }
            h.update(b"\n");
        }
    }
    hex::encode(h.finalize())
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn register(dir: &Path, crm: &str) -> Value {
    let system = |id: &str, name: &str, connector: Value| {
        json!({"id": id, "name": name, "role": "internal", "purposes": ["Verkauf"], "data_categories": ["Kontaktdaten"],
               "legal_bases": ["art6-1-b"], "retention": {"description": "Für die Dauer der Kundenbeziehung"}, "recipients": [],
               "transfers": [], "source": "data-subject", "automated_decision_making": false, "connector": connector})
    };
    let mut shop = system("shop", "Webshop", json!({"kind": "sqlite", "path": dir.join("shop.sqlite"),
        "queries": [
            {"name": "customers", "sql": "SELECT * FROM customers WHERE lower(email) = :email"},
            {"name": "orders", "sql": "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE lower(c.email) = :email"},
            {"name": "wishlist", "sql": "SELECT w.* FROM wishlist w JOIN customers c ON c.id = w.customer_id WHERE lower(c.email) = :email"}],
        "erase": [
            {"name": "orders", "sql": "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"},
            {"name": "wishlist", "sql": "DELETE FROM wishlist WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"},
            {"name": "customers", "sql": "UPDATE customers SET email = NULL, name = 'erased' WHERE lower(email) = :email"}],
        "restrict": [{"name": "orders", "sql": "UPDATE orders SET restricted = 1 WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"}],
        "lift": [{"name": "orders", "sql": "UPDATE orders SET restricted = 0 WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"}]}));
    shop["statutory_retention"] = json!([{"law": "HGB § 257, AO § 147", "applies_to": "Rechnungen", "period": "P8Y", "datasets": ["orders"]}]);
    shop["recipients"] = json!(["Steuerberatung Kunz & Partner"]);
    let mut newsletter = system("newsletter", "Newsletter", json!({"kind": "csv", "path": dir.join("newsletter.csv"), "delimiter": ";", "encoding": "windows-1252",
        "match": {"email": ["E-Mail"]}, "erase": "rewrite"}));
    newsletter["legal_bases"] = json!(["art6-1-a"]);
    let mut messages = system("messages", "SMS-Versand", json!({"kind": "json", "path": dir.join("messages.json"), "records": "/data/messages",
        "match": {"email": ["/to"]}, "erase": "rewrite"}));
    messages["role"] = json!("processor");
    messages["vendor"] = json!({"name": "Twilio Ireland Ltd.", "country": "IE"});
    let chat = system("chat", "Support-Chat", json!({"kind": "jsonl", "path": dir.join("chat.jsonl"), "match": {"email": ["/from"]}, "erase": "rewrite"}));
    let mut logs = system("access", "Zugriffsprotokolle", json!({"kind": "logs", "paths": [dir.join("access.log")], "match": ["email"]}));
    logs["retention"] = json!({"description": "14 Tage", "period": "P14D"});
    let crm_system = system("crm", "CRM", json!({"kind": "http", "url": format!("http://{crm}/v1/contacts?email={{email}}"), "records": "/data",
        "erase": {"method": "DELETE", "url": format!("http://{crm}/v1/contacts/{{email}}")}}));
    let mut accounting = system("accounting", "Buchhaltung (extern)", json!({"kind": "manual", "contact": {"name": "Frau Kunz", "email": "kunz@steuer.example"}}));
    accounting["role"] = json!("processor");
    accounting["vendor"] = json!({"name": "Kunz & Partner", "country": "DE"});
    json!({"format": "dsar-register", "version": 1,
        "controller": {"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
            "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
            "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]}},
        "systems": [shop, newsletter, messages, chat, logs, crm_system, accounting]})
}

const NEWSLETTER: &str = "E-Mail;Name;Seit\r\nperson1@example.org;Björn Groß;2024\r\nJUTTA.KRANICH@example.org;Jutta Kränich;2025\r\nperson2@example.org;Ärzte GmbH;2023\r\n";
const MESSAGES: &str = "{\"meta\": {\"v\": 2},\n \"data\": {\"messages\": [\n  {\"to\": \"person1@example.org\", \"text\": \"Ihre Lieferung\"},\n  {\"to\": \"jutta.kranich@example.org\", \"text\": \"Ihr Code: 4711\"},\n  {\"to\": \"person2@example.org\", \"text\": \"Danke\"}\n ]}}\n";
const CHAT: &str = "{\"from\":\"person1@example.org\",\"t\":\"Hallo\"}\n{\"from\":\"jutta.kranich@example.org\",\"t\":\"Wo ist meine Lampe?\"}\n{\"from\":\"jutta.kranich@example.org\",\"t\":\"Danke!\"}\n{\"from\":\"person2@example.org\",\"t\":\"Hi\"}\n";

fn firm(rights: Vec<Right>) -> Firm {
    let db = TempDb::new();
    let dir = db.dir.path().join("firm");
    std::fs::create_dir_all(&dir).unwrap();
    shop_db(&dir.join("shop.sqlite"));
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(NEWSLETTER);
    std::fs::write(dir.join("newsletter.csv"), &cp1252).unwrap();
    std::fs::set_permissions(dir.join("newsletter.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::write(dir.join("messages.json"), MESSAGES).unwrap();
    std::fs::write(dir.join("chat.jsonl"), CHAT).unwrap();
    std::fs::write(dir.join("access.log"), format!("2026-11-20 GET /cart user={EMAIL}\n2026-11-20 GET / user=person1@example.org\n")).unwrap();
    let crm = crm();
    let reg = dir.join("register.json");
    std::fs::write(&reg, serde_json::to_vec_pretty(&register(&dir, &crm.addr)).unwrap()).unwrap();
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx(TODAY), &reg).unwrap();
    let case = cases::create(
        &mut store,
        &ctx(TODAY),
        NewCase {
            rights,
            name: "Jutta Kranich".into(),
            address: vec![],
            identifiers: vec![(IdentifierKind::Email, EMAIL.into())],
            received: date("2026-11-10"),
            jurisdiction: None,
            region: None,
            language: None,
            channel: Channel::Email,
        },
    )
    .unwrap();
    Firm { _db: db, store, dir, reference: case.reference.to_string(), crm }
}

fn no_op(_: &str, _: &acting::SystemOutcome) {}

fn by_id(plan: &acting::Plan) -> BTreeMap<&str, &acting::SystemPlan> {
    plan.systems.iter().map(|s| (s.id.as_str(), s)).collect()
}

#[test]
fn erasure_end_to_end_changes_exactly_the_subjects_data_and_records_every_step() {
    let mut f = firm(vec![Right::Erasure]);
    let shop = f.dir.join("shop.sqlite");
    let before = others_digest(&shop);
    let c = ctx(TODAY);

    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    let p = by_id(&plan);
    assert_eq!(plan.id.len(), 64);
    assert_eq!(p["shop"].action, Action::Retain);
    let rows: Vec<(&str, &str, u64)> = p["shop"].statements.iter().map(|s| (s.name.as_str(), s.action.code(), s.rows)).collect();
    assert_eq!(rows, [("orders", "restrict", 3), ("wishlist", "erase", 1), ("customers", "erase", 1)]);
    assert_eq!(p["shop"].records, 5);
    assert_eq!(p["shop"].retained_until, Some(date("2034-12-31")), "8 years from the end of 2026");
    assert_eq!((p["newsletter"].action, p["newsletter"].statements[0].rows), (Action::Erase, 1));
    assert_eq!((p["messages"].action, p["messages"].statements[0].rows), (Action::Erase, 1));
    assert_eq!((p["chat"].action, p["chat"].statements[0].rows), (Action::Erase, 2));
    assert_eq!((p["crm"].action, p["crm"].records), (Action::Erase, 1));
    assert_eq!((p["access"].action, p["access"].retained_until), (Action::Retain, Some(date("2026-12-05"))));
    assert_eq!(p["accounting"].action, Action::Task);
    // The dry run changed nothing.
    assert_eq!(count(&shop, "SELECT count(*) FROM wishlist"), 200);
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE restricted = 1"), 0);
    // Planning again over the same data gives the same plan.
    assert_eq!(acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap().id, plan.id);

    let report = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let status: BTreeMap<&str, (&str, u64)> = report.systems.iter().map(|o| (o.id.as_str(), (o.status, o.rows))).collect();
    assert_eq!(status["shop"], ("done", 5));
    assert_eq!(status["newsletter"], ("done", 1));
    assert_eq!(status["messages"], ("done", 1));
    assert_eq!(status["chat"], ("done", 2));
    assert_eq!(status["crm"], ("done", 1));
    assert_eq!(status["access"], ("done", 0));
    assert_eq!(status["accounting"], ("task", 0));

    // SQLite: exactly the subject's rows; every other row unchanged; invoices kept, flagged.
    assert_eq!(others_digest(&shop), before);
    assert_eq!(count(&shop, "SELECT count(*) FROM wishlist WHERE customer_id = 42"), 0);
    assert_eq!(count(&shop, "SELECT count(*) FROM customers WHERE lower(email) = 'jutta.kranich@example.org'"), 0);
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE customer_id = 42 AND restricted = 1"), 3);
    // Files: only the matching records went, the other bytes are identical, permissions kept.
    let (expected_csv, _, _) = encoding_rs::WINDOWS_1252.encode("E-Mail;Name;Seit\r\nperson1@example.org;Björn Groß;2024\r\nperson2@example.org;Ärzte GmbH;2023\r\n");
    assert_eq!(std::fs::read(f.dir.join("newsletter.csv")).unwrap(), expected_csv.as_ref());
    assert_eq!(std::fs::metadata(f.dir.join("newsletter.csv")).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(
        std::fs::read_to_string(f.dir.join("messages.json")).unwrap(),
        "{\"meta\": {\"v\": 2},\n \"data\": {\"messages\": [\n  {\"to\": \"person1@example.org\", \"text\": \"Ihre Lieferung\"},\n  {\"to\": \"person2@example.org\", \"text\": \"Danke\"}\n ]}}\n"
    );
    assert_eq!(std::fs::read_to_string(f.dir.join("chat.jsonl")).unwrap(), "{\"from\":\"person1@example.org\",\"t\":\"Hallo\"}\n{\"from\":\"person2@example.org\",\"t\":\"Hi\"}\n");
    let leftovers: Vec<_> = std::fs::read_dir(&f.dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // Logs are never rewritten.
    assert!(std::fs::read_to_string(f.dir.join("access.log")).unwrap().contains(EMAIL));
    // http: the DELETE arrived with the identifier encoded.
    let seen = f.crm.seen.lock().unwrap().clone();
    assert!(seen.contains(&("DELETE".to_string(), "/v1/contacts/jutta.kranich%40example.org".to_string())), "{seen:?}");

    // Follow-up and task.
    let t = tasks::for_case(&f.store, &f.reference).unwrap();
    let follow = t.iter().find(|t| t.kind == acting::ERASE_AFTER).expect("erase-after task");
    assert!(follow.title.contains("2034-12-31"), "{}", follow.title);
    let manual = t.iter().find(|t| t.kind == acting::ACT_BY_HAND).expect("act-by-hand task");
    assert!(manual.body.contains("Art. 28 Abs. 3 lit. g") && manual.body.contains(EMAIL), "{}", manual.body);

    // Verify: erased data gone, invoices flagged.
    let verified = acting::verify(&mut f.store, &c, &f.reference).unwrap();
    let ok: BTreeMap<&str, (bool, u64)> = verified.iter().map(|v| (v.id.as_str(), (v.ok, v.records))).collect();
    assert_eq!(ok["shop"], (true, 0));
    assert_eq!(ok["newsletter"], (true, 0));
    assert_eq!(ok["chat"], (true, 0));
    assert_eq!(ok["crm"], (true, 0));
    assert!(!ok.contains_key("access"), "logs are not verified as erased");

    // Notices: the shop's recipient and Twilio (processor) — open until recorded.
    let notices = acting::notices(&f.store, &f.reference).unwrap();
    let to: Vec<(&str, &str)> = notices.iter().map(|n| (n.recipient.as_str(), n.kind.as_str())).collect();
    assert!(to.contains(&("Steuerberatung Kunz & Partner", "recipient-notice")), "{to:?}");
    assert!(to.contains(&("Twilio Ireland Ltd.", "processor-instruction")), "{to:?}");
    assert!(notices.iter().all(|n| n.status == NoticeStatus::Open && n.letter.1.contains(&f.reference)));

    // The audit trail names systems and counts, never the subject.
    let conn = f.store.conn();
    let details: Vec<String> = conn.prepare("SELECT details FROM audit_events").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    assert!(details.iter().all(|d| !d.to_lowercase().contains("kranich")), "identifiers in the audit trail");
    let actions: Vec<String> = conn.prepare("SELECT action FROM audit_events").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    for a in ["case.planned", "plan.approved", "system.acted", "case.acted", "case.verified"] {
        assert!(actions.iter().any(|x| x == a), "no {a} event");
    }

    // Re-running is idempotent: nothing runs twice.
    let deletes_before = f.crm.seen.lock().unwrap().iter().filter(|(m, _)| m == "DELETE").count();
    let again = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    assert_eq!(again.systems.iter().find(|o| o.id == "shop").unwrap().status, "done");
    assert_eq!(f.crm.seen.lock().unwrap().iter().filter(|(m, _)| m == "DELETE").count(), deletes_before);
    assert_eq!(others_digest(&shop), before);
}

/// The child of the kill test: carries out the plan the parent made, on the parent's desk.
#[test]
#[ignore = "the child process of a_kill_during_execution_then_a_rerun_has_no_double_effect"]
fn act_child() {
    let dir = PathBuf::from(std::env::var("DSAR_ACT_DIR").expect("run by the kill test only"));
    let reference = std::env::var("DSAR_ACT_REF").expect("DSAR_ACT_REF");
    let plan = std::env::var("DSAR_ACT_PLAN").expect("DSAR_ACT_PLAN");
    let mut store = Store::open(&dir.join("desk.db"), PASS).unwrap();
    println!("ready");
    acting::act(&mut store, &ctx(TODAY), &reference, &plan, &[], &no_op, &Cancel::new()).unwrap();
    println!("finished");
}

#[test]
fn a_kill_during_execution_then_a_rerun_has_no_double_effect() {
    use std::io::{BufRead, BufReader};
    let (mut killed_mid_run, mut resumed) = (0, 0);
    for round in 0..10u64 {
        let mut f = firm(vec![Right::Erasure]);
        let shop = f.dir.join("shop.sqlite");
        let before = others_digest(&shop);
        let plan = acting::plan(&mut f.store, &ctx(TODAY), &f.reference, &Cancel::new()).unwrap();
        // The last rounds hold the shop's write lock, so the kill lands for certain while
        // the child is inside the shop's execution (marked running, waiting for the lock).
        let hold = (round >= 8).then(|| {
            let c = Connection::open(&shop).unwrap();
            c.execute_batch("BEGIN IMMEDIATE").unwrap();
            c
        });
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["act_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env("DSAR_ACT_DIR", f._db.dir.path())
            .env("DSAR_ACT_REF", &f.reference)
            .env("DSAR_ACT_PLAN", &plan.id)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // libtest prints "test act_child ... " before the child's own output on that line.
        while let Some(Ok(line)) = lines.next() {
            if line.ends_with("ready") {
                break;
            }
        }
        // From at once to well past the end of a run (a debug run takes ~10–50 ms here).
        let wait = if hold.is_some() { 400_000 } else { round * round * 900 };
        std::thread::sleep(std::time::Duration::from_micros(wait));
        child.kill().unwrap();
        child.wait().unwrap();
        drop(hold);
        let finished = lines.any(|l| l.is_ok_and(|l| l.ends_with("finished")));
        if !finished {
            killed_mid_run += 1;
        }
        let running: i64 = f.store.conn().query_row("SELECT count(*) FROM action_results WHERE status = 'running'", [], |r| r.get(0)).unwrap();
        resumed += usize::from(running > 0);
        // The re-run completes every system, with no double effect.
        let report = acting::act(&mut f.store, &ctx(TODAY), &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
        for o in &report.systems {
            assert!(["done", "task"].contains(&o.status), "round {round}: {} {} {:?}", o.id, o.status, o.error);
        }
        assert_eq!(others_digest(&shop), before, "round {round}");
        assert_eq!(count(&shop, "SELECT count(*) FROM wishlist WHERE customer_id = 42"), 0);
        assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE customer_id = 42 AND restricted = 1"), 3);
        assert_eq!(std::fs::read_to_string(f.dir.join("chat.jsonl")).unwrap(), "{\"from\":\"person1@example.org\",\"t\":\"Hallo\"}\n{\"from\":\"person2@example.org\",\"t\":\"Hi\"}\n");
        let verified = acting::verify(&mut f.store, &ctx(TODAY), &f.reference).unwrap();
        assert!(verified.iter().all(|v| v.ok), "round {round}: {verified:?}");
        let leftovers: Vec<_> = std::fs::read_dir(&f.dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".part")).collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
        let system_events: i64 = count_events(&f.store, "system.acted");
        assert!(system_events >= 6, "round {round}: every system's outcome is recorded");
    }
    eprintln!("{killed_mid_run} of 10 kills before the run finished, {resumed} inside a system's execution");
    assert!(killed_mid_run >= 2, "only {killed_mid_run} of 10 kills landed before the run finished");
    assert!(resumed >= 1, "no kill landed inside a system's execution");
}

fn count_events(store: &Store, action: &str) -> i64 {
    store.conn().query_row("SELECT count(*) FROM audit_events WHERE action = ?1", [action], |r| r.get(0)).unwrap()
}

#[test]
fn a_second_matching_row_after_planning_rolls_that_system_back_and_the_others_go_on() {
    let mut f = firm(vec![Right::Erasure]);
    let shop = f.dir.join("shop.sqlite");
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    Connection::open(&shop).unwrap().execute("INSERT INTO wishlist (customer_id, item) VALUES (42, 'sofa')", []).unwrap();
    let report = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let shop_outcome = report.systems.iter().find(|o| o.id == "shop").unwrap();
    assert_eq!(shop_outcome.status, "error");
    let e = shop_outcome.error.as_deref().unwrap();
    assert!(e.contains("the data changed since the plan") && e.contains("plan again") && e.contains("'wishlist'"), "{e}");
    assert!(!e.contains("kranich"), "{e}");
    // Nothing changed in the shop, not even the restriction that ran before the mismatch.
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE restricted = 1"), 0);
    assert_eq!(count(&shop, "SELECT count(*) FROM wishlist WHERE customer_id = 42"), 2);
    assert_eq!(count(&shop, "SELECT count(*) FROM customers WHERE id = 42 AND email IS NOT NULL"), 1);
    assert_eq!(report.systems.iter().find(|o| o.id == "chat").unwrap().status, "done", "other systems go on");
    // The letter is refused while the shop is not done.
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    let missing = acted.missing_for(dsar::letters::LetterKind::ErasurePartial, &f.reference);
    assert!(missing.iter().any(|m| m.contains("system shop failed")), "{missing:?}");
    // A new plan sees the second row and carries it out.
    let plan2 = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    assert_ne!(plan2.id, plan.id);
    let stale = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap_err();
    assert!(stale.to_string().contains("stale"), "{stale}");
    let r2 = acting::act(&mut f.store, &c, &f.reference, &plan2.id, &["shop".into()], &no_op, &Cancel::new()).unwrap();
    assert_eq!((r2.systems[0].status, r2.systems[0].rows), ("done", 6));
    assert_eq!(count(&shop, "SELECT count(*) FROM wishlist WHERE customer_id = 42"), 0);
}

#[test]
fn a_failing_statement_rolls_back_its_system_only() {
    let mut f = firm(vec![Right::Erasure]);
    let shop = f.dir.join("shop.sqlite");
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    // The customers statement will fail at execution: its column is gone.
    let conn = Connection::open(&shop).unwrap();
    conn.execute_batch("ALTER TABLE customers RENAME COLUMN name TO full_name;").unwrap();
    drop(conn);
    let report = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let o = report.systems.iter().find(|o| o.id == "shop").unwrap();
    assert_eq!(o.status, "error");
    assert!(o.error.as_deref().unwrap().contains("nothing was changed"), "{:?}", o.error);
    assert_eq!(count(&shop, "SELECT count(*) FROM wishlist WHERE customer_id = 42"), 1, "the wishlist delete before it was rolled back");
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE restricted = 1"), 0);
    assert_eq!(report.systems.iter().find(|o| o.id == "newsletter").unwrap().status, "done");
}

#[test]
fn a_file_that_changed_since_the_plan_is_left_alone_and_http_errors_are_that_systems() {
    let mut f = firm(vec![Right::Erasure]);
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    let chat = f.dir.join("chat.jsonl");
    let grown = format!("{CHAT}{{\"from\":\"jutta.kranich@example.org\",\"t\":\"Noch da?\"}}\n");
    std::fs::write(&chat, &grown).unwrap();
    *f.crm.status.lock().unwrap() = 500;
    let report = acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let st: BTreeMap<&str, &acting::SystemOutcome> = report.systems.iter().map(|o| (o.id.as_str(), o)).collect();
    assert_eq!(st["chat"].status, "error");
    assert_eq!(std::fs::read_to_string(&chat).unwrap(), grown, "the file is untouched");
    assert_eq!(st["crm"].status, "error");
    assert!(st["crm"].error.as_deref().unwrap().contains("HTTP 500"), "{:?}", st["crm"].error);
    assert_eq!(st["newsletter"].status, "done");
}

#[test]
fn objection_suppresses_hashes_only_and_the_list_outlives_the_case() {
    let mut f = firm(vec![Right::Objection]);
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    assert!(plan.suppress);
    // The newsletter runs on consent, the shop on contract: an objection erases neither
    // here (Art. 21 concerns 6(1)(e)/(f)); the shop's data stays, the list stops marketing.
    assert_eq!(by_id(&plan)["shop"].action, Action::Suppress);
    acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let id = |v: &str| dsar::domain::Identifier::new(IdentifierKind::Email, v, "DE").unwrap();
    assert!(suppression::check(&mut f.store, &[id(" JUTTA.Kranich@example.org ")]).unwrap());
    assert!(!suppression::check(&mut f.store, &[id("person1@example.org")]).unwrap());
    let csv = suppression::export_csv(&f.store).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(!csv.to_lowercase().contains("kranich") && !csv.contains('@'), "{csv}");
    let raw: Vec<String> = f.store.conn().prepare("SELECT hash || kind || reason || case_ref FROM suppression").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    assert!(raw.iter().all(|r| !r.contains('@')));
    // The letter: no Art. 19 claim, the suppression list named.
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    assert!(acted.suppressed);
    assert!(acted.missing_for(dsar::letters::LetterKind::ObjectionAccepted, &f.reference).is_empty(), "{:?}", acted.missing_for(dsar::letters::LetterKind::ObjectionAccepted, &f.reference));
}

#[test]
fn confirmations_follow_the_records_through_the_cli() {
    let mut f = firm(vec![Right::Erasure]);
    let db = &f._db;
    let out = db.dir.path().join("letter.pdf");
    let out_s = out.to_str().unwrap();
    // Before anything was done: refused, with what to do.
    let o = db.dsar(&["letter", &f.reference, "--kind", "erasure-confirmation", "--out", out_s]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("dsar case plan"), "{}", stderr(&o));
    assert!(!out.exists());
    // Acting without a plan id, with an unknown one: exit 1, one clear line.
    let o = db.dsar(&["case", "act", &f.reference]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("plan"), "{}", stderr(&o));
    let o = db.dsar(&["case", "act", &f.reference, "--plan", &"0".repeat(64)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no plan yet") && stderr(&o).lines().count() == 1, "{}", stderr(&o));

    let plan: Value = serde_json::from_str(&ok(db.dsar(&["case", "plan", &f.reference, "--json"]))).unwrap();
    let id = plan["plan"].as_str().unwrap().to_string();
    let shop = plan["systems"].as_array().unwrap().iter().find(|s| s["id"] == "shop").unwrap();
    assert_eq!(shop["action"], "retain");
    assert_eq!(shop["retained_until"], "2034-12-31");
    assert_eq!(shop["statements"][0], json!({"name": "orders", "action": "restrict", "rows": 3}));
    let o = db.dsar(&["case", "act", &f.reference, "--plan", &"a".repeat(64)]);
    assert!(stderr(&o).contains("not a plan of this case"), "{}", stderr(&o));

    let acted: Value = serde_json::from_str(&ok(db.dsar(&["case", "act", &f.reference, "--plan", &id, "--json"]))).unwrap();
    let statuses: Vec<&str> = acted["systems"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert!(statuses.iter().all(|s| ["done", "task", "skipped"].contains(s)), "{acted}");
    // Not verified yet: refused.
    let o = db.dsar(&["letter", &f.reference, "--kind", "erasure-partial", "--out", out_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not verified"), "{}", stderr(&o));
    let verified: Value = serde_json::from_str(&ok(db.dsar(&["case", "verify", &f.reference, "--json"]))).unwrap();
    assert!(verified["systems"].as_array().unwrap().iter().all(|s| s["ok"] == true), "{verified}");
    // The manual task is still open.
    let o = db.dsar(&["letter", &f.reference, "--kind", "erasure-partial", "--out", out_s]);
    assert!(stderr(&o).contains("task for system accounting"), "{}", stderr(&o));
    let task = tasks::for_case(&f.store, &f.reference).unwrap().into_iter().find(|t| t.kind == acting::ACT_BY_HAND).unwrap();
    ok(db.dsar(&["task", "done", &task.id]));
    // Retention: the full confirmation is refused in favour of the partial one.
    let o = db.dsar(&["letter", &f.reference, "--kind", "erasure-confirmation", "--out", out_s]);
    assert!(stderr(&o).contains("send erasure-partial instead"), "{}", stderr(&o));
    // One recipient informed, one closed as impossible: the letter names exactly the first.
    let notices = acting::notices(&f.store, &f.reference).unwrap();
    let kunz = notices.iter().find(|n| n.recipient.starts_with("Steuerberatung")).unwrap();
    let twilio = notices.iter().find(|n| n.recipient.starts_with("Twilio")).unwrap();
    ok(db.dsar(&["case", "notice", &kunz.id, "--sent", "2026-11-21", "--channel", "E-Mail"]));
    let o = db.dsar(&["case", "notice", &twilio.id, "--impossible"]);
    assert_eq!(o.status.code(), Some(1), "a closed notice needs a reason");
    ok(db.dsar(&["case", "notice", &twilio.id, "--impossible", "--reason", "Konto gekündigt"]));
    f.store = db.open();
    let n = acting::notices(&f.store, &f.reference).unwrap();
    assert_eq!(n.iter().find(|x| x.id == kunz.id).unwrap().status, NoticeStatus::Sent);
    ok(db.dsar(&["letter", &f.reference, "--kind", "erasure-partial", "--out", out_s]));
    let text = pdf_text(&out);
    assert!(text.contains("Steuerberatung Kunz & Partner"), "{text}");
    assert!(!text.contains("Twilio"), "a recipient not informed is not named: {text}");
    assert!(text.contains("Löschung nach dem 31.12.2034"), "{text}");
    // RULES.md §3: Art. 17(3)(b) with the statute; § 35(3) BDSG is not for statutory duties.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Art. 17 Abs. 3 lit. b DSGVO i. V. m. HGB § 257, AO § 147") && !flat.contains("BDSG"), "{flat}");
    assert!(text.contains("Newsletter") && text.contains("Support-Chat"), "erased systems named: {text}");
    // The access log is not rewritten: the letter says when its lines go, not that they went.
    assert!(flat.contains("Zugriffsprotokolle: bis zum 05.12.2026"), "{flat}");
}

fn pdf_text(path: &Path) -> String {
    let o = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&o.stdout).replace('\u{00ad}', "")
}

#[test]
fn bad_acting_sections_are_import_errors_at_their_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path(), "127.0.0.1:9");
    let cases: Vec<(Box<dyn Fn(&mut Value)>, &str, &str)> = vec![
        (Box::new(|r| r["systems"][0]["connector"]["queries"][0]["sql"] = json!("DELETE FROM customers WHERE email = :email")), "/systems/0/connector/queries/0/sql", "SELECT"),
        (Box::new(|r| r["systems"][0]["connector"]["erase"][0]["sql"] = json!("SELECT * FROM orders WHERE email = :email")), "/systems/0/connector/erase/0/sql", "DELETE or an UPDATE"),
        (Box::new(|r| r["systems"][0]["connector"]["erase"][0]["sql"] = json!("DELETE FROM orders")), "/systems/0/connector/erase/0/sql", "every row"),
        (Box::new(|r| r["systems"][4]["connector"]["erase"] = json!("rewrite")), "/systems/4/connector/erase", "never rewritten"),
        (Box::new(|r| r["systems"][1]["connector"]["restrict"] = json!([])), "/systems/1/connector/restrict", "cannot 'restrict'"),
        (Box::new(|r| r["systems"][1]["connector"]["erase"] = json!("delete")), "/systems/1/connector/erase", "rewrite"),
        (Box::new(|r| r["systems"][0]["statutory_retention"][0]["datasets"] = json!(["invoices"])), "/systems/0/statutory_retention/0/datasets/0", "names no statement"),
        (Box::new(|r| r["systems"][0]["statutory_retention"][0]["datasets"] = json!(["wishlist"])), "/systems/0/statutory_retention/0/datasets/0", "no restrict statement"),
    ];
    for (edit, pointer, words) in cases {
        let mut r = reg.clone();
        edit(&mut r);
        let e = dsar::register::parse(&r.to_string(), dir.path()).unwrap_err();
        let lines = e.to_string();
        assert!(lines.lines().any(|l| l.contains(pointer) && l.contains(words)), "{pointer} / {words}:\n{lines}");
    }
    dsar::register::parse(&reg.to_string(), dir.path()).expect("the test's own register is valid");
}

#[test]
fn rectification_keeps_old_and_new_in_the_case_only_and_the_letters_follow_the_answers() {
    let mut f = firm(vec![Right::Rectification]);
    let c = ctx(TODAY);
    let e = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap_err();
    assert!(e.to_string().contains("dsar case rectify"), "{e}");
    let fix = acting::rectify::Correction { system: None, field: "Nachname".into(), old: "Kranich".into(), new: "Kranich-Vogel".into() };
    acting::rectify::record(&mut f.store, &c, &f.reference, &[fix]).unwrap();
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    let p = by_id(&plan);
    assert_eq!(p["shop"].action, Action::Task, "corrections are made by hand");
    assert_eq!(p["accounting"].action, Action::Task);
    acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let t = tasks::for_case(&f.store, &f.reference).unwrap();
    let shop_task = t.iter().find(|t| t.kind == acting::ACT_BY_HAND && t.system_id.as_deref() == Some("shop")).unwrap();
    assert!(shop_task.body.contains("Nachname: Kranich → Kranich-Vogel"), "{}", shop_task.body);
    // The values are in the encrypted case, never in the audit trail.
    let details: Vec<String> = f.store.conn().prepare("SELECT details FROM audit_events").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    assert!(details.iter().all(|d| !d.contains("Vogel")), "correction values in the audit trail");
    // Until every system's operator has answered, the confirmation is refused.
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    assert!(!acted.missing_for(dsar::letters::LetterKind::RectificationConfirmation, &f.reference).is_empty());
    let open: Vec<_> = t.iter().filter(|t| t.kind == acting::ACT_BY_HAND).collect();
    assert!(open.len() >= 2, "{open:?}");
    let reply = acting::answers::Reply { file_name: "antwort.eml".into(), content: b"From: kunz@steuer.example\r\n\r\nErledigt.".to_vec() };
    for (i, task) in open.iter().enumerate() {
        let r = (i == 0).then(|| reply.clone());
        acting::answers::record(&mut f.store, &c, &task.id, date("2026-11-20"), acting::answers::Confirmed::Rectified, Some("telefonisch bestätigt"), r).unwrap();
    }
    let future = acting::answers::record(&mut f.store, &c, &open[0].id, date("2026-12-20"), acting::answers::Confirmed::Rectified, None, None).unwrap_err();
    assert!(future.to_string().contains("future"), "{future}");
    let docs: i64 = f.store.conn().query_row("SELECT count(*) FROM documents WHERE kind = 'processor-reply'", [], |r| r.get(0)).unwrap();
    assert_eq!(docs, 1, "the reply is kept on the case");
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    assert!(acted.missing_for(dsar::letters::LetterKind::RectificationConfirmation, &f.reference).is_empty(), "{:?}", acted.missing_for(dsar::letters::LetterKind::RectificationConfirmation, &f.reference));
    let req = dsar::letters::LetterRequest { reference: f.reference.clone(), kind: dsar::letters::LetterKind::RectificationConfirmation, language: None, extra: Default::default() };
    let letter = dsar::letters::compose(&f.store, date(TODAY), &req, &dsar::letters::Templates::builtin()).unwrap();
    assert!(letter.letter.text.contains("Nachname: Kranich-Vogel"), "{}", letter.letter.text);
    assert!(!letter.letter.text.contains("unterrichtet"), "no recipient is informed yet: {}", letter.letter.text);
    // A refused rectification is a letter of its own, and must say why.
    let refused = dsar::letters::LetterRequest { kind: dsar::letters::LetterKind::RectificationRefused, ..req.clone() };
    assert!(dsar::letters::compose(&f.store, date(TODAY), &refused, &dsar::letters::Templates::builtin()).is_err());
    let with_reasons = dsar::letters::LetterRequest { extra: dsar::letters::LetterExtra { reasons: Some("Der Name entspricht dem Ausweis.".into()), notes: None, ground: None, fee: None, encrypted_bundle: false }, ..refused };
    let l = dsar::letters::compose(&f.store, date(TODAY), &with_reasons, &dsar::letters::Templates::builtin()).unwrap();
    assert!(l.letter.text.contains("Art. 18 Abs. 1 lit. a") && l.letter.text.contains("Der Name entspricht dem Ausweis."), "{}", l.letter.text);
}

#[test]
fn an_answered_manual_system_is_named_as_erased_and_recipients_informed_names_exactly_those_sent() {
    let mut f = firm(vec![Right::Erasure]);
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    acting::verify(&mut f.store, &c, &f.reference).unwrap();
    let task = tasks::for_case(&f.store, &f.reference).unwrap().into_iter().find(|t| t.kind == acting::ACT_BY_HAND).unwrap();
    // A refusal keeps the letter from going out.
    acting::answers::record(&mut f.store, &c, &task.id, date("2026-11-20"), acting::answers::Confirmed::Refused, None, None).unwrap();
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    let missing = acted.missing_for(dsar::letters::LetterKind::ErasurePartial, &f.reference);
    assert!(missing.iter().any(|m| m.contains("refused")), "{missing:?}");
    acting::answers::record(&mut f.store, &c, &task.id, date("2026-11-21"), acting::answers::Confirmed::Erased, None, None).unwrap();
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    assert!(acted.erased().any(|s| s.id == "accounting"), "{:?}", acted.systems);
    // recipients-informed: refused while a notice is open; then exactly the sent ones.
    assert!(!acted.missing_for(dsar::letters::LetterKind::RecipientsInformed, &f.reference).is_empty());
    let notices = acting::notices(&f.store, &f.reference).unwrap();
    for n in &notices {
        let update = if n.recipient.starts_with("Twilio") {
            NoticeUpdate::Closed { status: NoticeStatus::Disproportionate, reason: "Nur Versanddienst, keine Speicherung".into() }
        } else {
            NoticeUpdate::Sent { on: date(TODAY), channel: "E-Mail".into() }
        };
        acting::update_notice(&mut f.store, &c, &n.id, update).unwrap();
    }
    let req = dsar::letters::LetterRequest { reference: f.reference.clone(), kind: dsar::letters::LetterKind::RecipientsInformed, language: Some(dsar::domain::Language::En), extra: Default::default() };
    let l = dsar::letters::compose(&f.store, date(TODAY), &req, &dsar::letters::Templates::builtin()).unwrap();
    assert!(l.unrecorded.is_empty(), "{:?}", l.unrecorded);
    assert!(l.letter.text.contains("Steuerberatung Kunz & Partner") && !l.letter.text.contains("Twilio"), "{}", l.letter.text);
    let partial = dsar::letters::LetterRequest { kind: dsar::letters::LetterKind::ErasurePartial, language: None, ..req };
    let l = dsar::letters::compose(&f.store, date(TODAY), &partial, &dsar::letters::Templates::builtin()).unwrap();
    assert!(l.unrecorded.is_empty(), "{:?}", l.unrecorded);
    assert!(l.letter.text.contains("Buchhaltung (extern)"), "{}", l.letter.text);
}

#[test]
fn needs_you_lists_follow_ups_on_their_date_overdue_answers_and_open_notices() {
    let mut f = firm(vec![Right::Erasure]);
    let c = ctx(TODAY);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    let now = acting::needs_you(&f.store, date(TODAY)).unwrap();
    assert!(now.follow_ups_due.is_empty(), "the invoices are kept until 2034");
    assert!(now.answers_overdue.is_empty(), "the processor has a week");
    assert_eq!(now.notices_open.len(), 2);
    let later = acting::needs_you(&f.store, date("2026-11-30")).unwrap();
    assert_eq!(later.answers_overdue.iter().map(|n| n.system_id.as_deref()).collect::<Vec<_>>(), [Some("accounting")]);
    assert!(acting::needs_you(&f.store, date("2034-12-30")).unwrap().follow_ups_due.is_empty());
    let due = acting::needs_you(&f.store, date("2034-12-31")).unwrap();
    assert_eq!(due.follow_ups_due.len(), 1);
    assert_eq!((due.follow_ups_due[0].system_id.as_deref(), due.follow_ups_due[0].due), (Some("shop"), date("2034-12-31")));
    // The follow-up is in the reminders on its day, once.
    let rem = dsar::reminders::due_soon(&f.store, date("2034-12-31"), &[7]).unwrap();
    let day_before = dsar::reminders::due_soon(&f.store, date("2034-12-30"), &[7]).unwrap();
    assert_eq!((rem.follow_ups.len(), rem.fresh), (1, day_before.fresh + 1), "the (long overdue) case, and the follow-up");
    dsar::reminders::mark_reminded(&mut f.store, &rem).unwrap();
    assert_eq!(dsar::reminders::due_soon(&f.store, date("2034-12-31"), &[7]).unwrap().fresh, 0);
    assert!(dsar::reminders::due_soon(&f.store, date("2034-12-30"), &[7]).unwrap().follow_ups.is_empty());
    let o = f._db.dsar(&["needs-you", "--json"]);
    let v: Value = serde_json::from_str(&ok(o)).unwrap();
    assert_eq!(v["notices_open"].as_array().unwrap().len(), 2, "{v}");
}

#[test]
fn the_demo_desk_can_be_acted_on_from_plan_to_letter() {
    let db = TempDb::new();
    ok(db.dsar(&["demo"]));
    let reference = ok(db.dsar(&["case", "new", "--right", "erasure", "--name", "Max Mustermann", "--email", "max.mustermann@example.org", "--received", "2026-11-20"]));
    let reference = reference.trim();
    let plan: Value = serde_json::from_str(&ok(db.dsar(&["case", "plan", reference, "--json"]))).unwrap();
    let systems: BTreeMap<&str, &Value> = plan["systems"].as_array().unwrap().iter().map(|s| (s["id"].as_str().unwrap(), s)).collect();
    assert_eq!(systems["dashboard"]["action"], "erase", "{plan}");
    assert!(systems["dashboard"]["statements"].as_array().unwrap().iter().all(|s| s["rows"].as_u64().unwrap() > 0), "{plan}");
    assert_eq!(systems["fastbill"]["action"], "task", "invoices under retention in a CSV: by hand");
    let id = plan["plan"].as_str().unwrap();
    let acted: Value = serde_json::from_str(&ok(db.dsar(&["case", "act", reference, "--plan", id, "--json"]))).unwrap();
    let dashboard = acted["systems"].as_array().unwrap().iter().find(|s| s["id"] == "dashboard").unwrap();
    assert_eq!(dashboard["status"], "done", "{acted}");
    let verified: Value = serde_json::from_str(&ok(db.dsar(&["case", "verify", reference, "--json"]))).unwrap();
    assert!(verified["systems"].as_array().unwrap().iter().all(|s| s["ok"] == true), "{verified}");
    let users = count(&db.dir.path().join("demo-data/data/dashboard.sqlite"), "SELECT count(*) FROM users WHERE lower(email) = 'max.mustermann@example.org'");
    assert_eq!(users, 0);
}

#[test]
fn a_restriction_is_lifted_by_its_own_plan_only_after_the_subject_was_told() {
    let mut f = firm(vec![Right::Restriction]);
    let shop = f.dir.join("shop.sqlite");
    let c = ctx(TODAY);
    let before = others_digest(&shop);
    let plan = acting::plan(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    assert_eq!(by_id(&plan)["shop"].action, Action::Restrict);
    acting::act(&mut f.store, &c, &f.reference, &plan.id, &[], &no_op, &Cancel::new()).unwrap();
    assert!(acting::verify(&mut f.store, &c, &f.reference).unwrap().iter().all(|v| v.ok));
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE customer_id = 42 AND restricted = 1"), 3);
    let acted = acting::acted(&f.store, &f.reference).unwrap();
    assert!(acted.missing_for(dsar::letters::LetterKind::RestrictionConfirmation, &f.reference).iter().all(|m| m.contains("task")), "{:?}", acted.missing_for(dsar::letters::LetterKind::RestrictionConfirmation, &f.reference));

    let lift = acting::plan_lift(&mut f.store, &c, &f.reference, &Cancel::new()).unwrap();
    let p = by_id(&lift);
    assert_eq!((p["shop"].action, p["shop"].statements[0].rows), (Action::Lift, 3));
    assert_eq!(p["newsletter"].action, Action::None, "nothing was restricted there");
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE restricted = 1"), 3, "the dry run lifted nothing");
    let e = acting::act(&mut f.store, &c, &f.reference, &lift.id, &[], &no_op, &Cancel::new()).unwrap_err();
    assert!(e.to_string().contains("Art. 18(3)") && e.to_string().contains("restriction-lift-notice"), "{e}");
    let out = f._db.dir.path().join("lift.pdf");
    ok(f._db.dsar(&["letter", &f.reference, "--kind", "restriction-lift-notice", "--out", out.to_str().unwrap()]));
    let r = acting::act(&mut f.store, &c, &f.reference, &lift.id, &[], &no_op, &Cancel::new()).unwrap();
    assert_eq!(r.systems.iter().find(|o| o.id == "shop").map(|o| (o.status, o.rows)), Some(("done", 3)));
    assert_eq!(count(&shop, "SELECT count(*) FROM orders WHERE restricted = 1"), 0);
    assert_eq!(others_digest(&shop), before, "every other row unchanged");
    let v = acting::verify(&mut f.store, &c, &f.reference).unwrap();
    assert!(v.iter().any(|v| v.id == "shop" && v.ok && v.note.as_deref() == Some("searched again: restriction lifted")), "{v:?}");
    let o = f._db.dsar(&["case", "plan", &f.reference, "--lift", "--json"]);
    let json: Value = serde_json::from_str(&ok(o)).unwrap();
    assert_eq!(json["systems"][0]["statements"][0]["action"], "lift", "{json}");
}

#[test]
fn no_data_goes_out_once_every_system_was_searched_and_the_manual_one_answered_nothing_held() {
    let mut f = firm(vec![Right::Access]);
    let c = ctx(TODAY);
    let stranger = cases::create(
        &mut f.store,
        &c,
        NewCase {
            rights: vec![Right::Access],
            name: "Karl Unbekannt".into(),
            address: vec![],
            identifiers: vec![(IdentifierKind::Email, "karl.unbekannt@example.net".into())],
            received: date("2026-11-12"),
            jurisdiction: None,
            region: None,
            language: None,
            channel: Channel::Email,
        },
    )
    .unwrap();
    let reference = stranger.reference.to_string();
    dsar::pull::run(&mut f.store, &c, &reference, &dsar::pull::PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
    let req = dsar::letters::LetterRequest { reference: reference.clone(), kind: dsar::letters::LetterKind::NoData, language: None, extra: Default::default() };
    let before = dsar::letters::compose(&f.store, date(TODAY), &req, &dsar::letters::Templates::builtin()).unwrap();
    assert_eq!(before.unrecorded.len(), 1, "only the manual system is open: {:?}", before.unrecorded);
    assert!(before.unrecorded[0].contains("system accounting"), "{:?}", before.unrecorded);
    let task = tasks::for_case(&f.store, &reference).unwrap().into_iter().find(|t| t.kind == tasks::MANUAL_SEARCH).unwrap();
    acting::answers::record(&mut f.store, &c, &task.id, date("2026-11-20"), acting::answers::Confirmed::NothingHeld, None, None).unwrap();
    let after = dsar::letters::compose(&f.store, date(TODAY), &req, &dsar::letters::Templates::builtin()).unwrap();
    assert!(after.unrecorded.is_empty(), "{:?}", after.unrecorded);
    assert!(after.letter.text.contains("Buchhaltung (extern)"), "the answered system is listed as searched: {}", after.letter.text);
}
