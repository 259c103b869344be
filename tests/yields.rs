//! Identifiers found on the way (SPEC §11, issue 14 item 6) end to end on real files the
//! test writes: a CRM (SQLite) found by e-mail yields the customer number that the invoicing
//! (CSV keyed by customer number only) and, one step further, the support desk are searched
//! with in the same pull, in dependency order even with four systems at once; the values are
//! stored with their source, listed by `case show`, and a dropped one is not searched again
//! nor taken again; cycles and `yields` written beside the connector are refused at import.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::*;
use dsar::connectors::Cancel;
use dsar::evidence::{self, PullStatus};
use dsar::pull::{self, yields, PullEvent, PullOptions, PullReport};
use dsar::register::{self, RegisterError};
use dsar::store::Store;
use dsar::{audit, cases, register_store};
use rusqlite::{params, Connection};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-21";
const EMAIL: &str = "max.mustermann@example.org";
const CUSTOMER: &str = "K-1001";

fn controller() -> Value {
    json!({"name": "Beispiel GmbH", "address": ["Hauptstr. 1", "50667 Köln"], "email": "privacy@beispiel.example",
           "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
           "supervisory_authority": {"name": "LDI NRW"}})
}

fn system(id: &str, connector: Value) -> Value {
    json!({"id": id, "name": id, "role": "internal", "purposes": ["Kundenbetreuung"], "data_categories": ["Kontaktdaten"],
           "legal_bases": ["art6-1-b"], "retention": {"description": "3 Jahre"}, "recipients": [], "transfers": [],
           "source": "data-subject", "automated_decision_making": false, "connector": connector})
}

fn register_text(systems: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({"format": "dsar-register", "version": 1, "controller": controller(), "systems": systems})).unwrap()
}

/// The firm's systems. Invoicing knows only customer numbers; support tickets are keyed by
/// customer number and carry the chat reference that the chat export is keyed by.
fn firm_systems() -> Vec<Value> {
    vec![
        // Listed before the CRM on purpose: the order comes from the data, not the file.
        system("invoicing", json!({"kind": "csv", "path": "rechnungen.csv", "delimiter": ";", "match": {"customer_id": ["Kundennummer"]}})),
        system("crm", json!({"kind": "sqlite", "path": "crm.sqlite",
            "queries": [{"name": "kunden", "sql": "SELECT kundennummer, name, email FROM kunden WHERE lower(email) = :email"}],
            "yields": {"customer_id": "/kundennummer"}})),
        system("support", json!({"kind": "jsonl", "path": "tickets.jsonl", "match": {"customer_id": ["/customer"]},
            "yields": {"chat_ref": "/chat"}})),
        system("chat", json!({"kind": "json", "path": "chat.json", "records": "/conversations",
            "identifiers": ["chat_ref"], "match": {"chat_ref": ["/ref"]}})),
        system("newsletter", json!({"kind": "jsonl", "path": "newsletter.jsonl", "match": {"email": ["/email"]}})),
        system("hr", json!({"kind": "csv", "path": "bewerber.csv", "match": {"email": ["E-Mail"]}})),
        system("post", json!({"kind": "manual", "instructions": "Ablage durchsehen"})),
    ]
}

/// Writes the systems' files: the subject among other people, with near-misses.
fn write_firm(dir: &Path) {
    let crm = Connection::open(dir.join("crm.sqlite")).unwrap();
    crm.execute_batch("CREATE TABLE kunden (kundennummer TEXT, name TEXT, email TEXT)").unwrap();
    for i in 0..200 {
        crm.execute("INSERT INTO kunden VALUES (?1, ?2, ?3)", params![format!("K-{}", 2000 + i), format!("Person {i}"), format!("p{i}@example.com")]).unwrap();
    }
    crm.execute("INSERT INTO kunden VALUES (?1, 'Max Mustermann', ?2)", params![format!(" {CUSTOMER} "), "Max.Mustermann@Example.org"]).unwrap();
    drop(crm);

    let mut csv = String::from("Rechnungsnummer;Kundennummer;Betrag;Datum\n");
    for i in 0..300 {
        csv.push_str(&format!("R-{i};K-{};{}.00;2026-0{}-01\n", 2000 + i % 200, 10 + i, 1 + i % 9));
    }
    // Three of the subject's, and near-misses: a longer number, another customer's.
    csv.push_str("R-900;K-1001;49.00;2026-03-01\nR-901;K-10011;12.00;2026-03-02\nR-902;K-1001;19.90;2026-04-01\nR-903;K-1002;5.00;2026-04-02\nR-904;K-1001;99.00;2026-05-01\n");
    std::fs::write(dir.join("rechnungen.csv"), csv).unwrap();

    let mut tickets = String::new();
    for i in 0..50 {
        tickets.push_str(&format!("{}\n", json!({"customer": format!("K-{}", 2000 + i), "chat": format!("C-{i}"), "text": "Frage"})));
    }
    tickets.push_str(&format!("{}\n", json!({"customer": CUSTOMER, "chat": "C-77", "text": "Rechnung falsch"})));
    std::fs::write(dir.join("tickets.jsonl"), tickets).unwrap();

    let mut conversations: Vec<Value> = (0..50).map(|i| json!({"ref": format!("C-{i}"), "text": "Hallo"})).collect();
    conversations.push(json!({"ref": "C-77", "text": "Meine Rechnung R-902 ist falsch"}));
    conversations.push(json!({"ref": "C-77", "text": "Danke"}));
    conversations.push(json!({"ref": "C-770", "text": "near miss"}));
    std::fs::write(dir.join("chat.json"), json!({"conversations": conversations}).to_string()).unwrap();

    std::fs::write(dir.join("newsletter.jsonl"), format!("{}\n{}\n", json!({"email": EMAIL, "list": "news"}), json!({"email": "p1@example.com"}))).unwrap();
    std::fs::write(dir.join("bewerber.csv"), "Name,E-Mail\nAnna,anna@example.com\n").unwrap();
}

struct Desk {
    db: TempDb,
    store: Store,
    reference: String,
    case_id: String,
}

/// A desk with the firm's register imported and the subject's case — known by e-mail only.
fn desk(systems: Vec<Value>) -> Desk {
    let db = TempDb::new();
    let dir = db.dir.path().join("firm");
    std::fs::create_dir_all(&dir).unwrap();
    write_firm(&dir);
    let file = dir.join("register.json");
    std::fs::write(&file, register_text(systems)).unwrap();
    let store = db.create();
    drop(store);
    ok(db.dsar(&["register", "import", file.to_str().unwrap()]));
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Max Mustermann", "--email", EMAIL, "--received", "2026-11-02"]))
        .trim()
        .to_string();
    let store = db.open();
    let case_id = cases::get(&store, &reference).unwrap().id;
    Desk { db, store, reference, case_id }
}

fn pull_with(d: &mut Desk, options: &PullOptions) -> (PullReport, Vec<String>) {
    let events = Mutex::new(Vec::new());
    let progress = |e: &PullEvent| {
        let line = match e {
            PullEvent::Started { system } => format!("start {system}"),
            PullEvent::Finished { system, .. } => format!("end {system}"),
        };
        events.lock().unwrap().push(line);
    };
    let report = pull::run(&mut d.store, &ctx(TODAY), &d.reference, options, &progress, &Cancel::new()).unwrap();
    (report, events.into_inner().unwrap())
}

fn pull_all(d: &mut Desk) -> PullReport {
    pull_with(d, &PullOptions::default()).0
}

fn records(report: &PullReport, id: &str) -> (PullStatus, u64) {
    let s = report.systems.iter().find(|s| s.result.system_id == id).unwrap_or_else(|| panic!("no result for {id}"));
    assert_eq!(s.result.error, None, "{id}");
    (s.result.status, s.result.records)
}

fn stored_records(d: &Desk, id: &str) -> Vec<Value> {
    evidence::for_case(d.store.conn(), &d.case_id).unwrap().into_iter().filter(|e| e.system_id == id).map(|e| e.record).collect()
}

#[test]
fn invoicing_keyed_by_customer_number_is_found_through_the_crm() {
    let mut d = desk(firm_systems());
    let report = pull_all(&mut d);
    assert_eq!(records(&report, "crm"), (PullStatus::Ok, 1));
    assert_eq!(records(&report, "invoicing"), (PullStatus::Ok, 3), "the subject's three invoices, not K-10011's or K-1002's");
    let invoices: Vec<String> = stored_records(&d, "invoicing").iter().map(|r| r["Rechnungsnummer"].as_str().unwrap().to_string()).collect();
    assert_eq!(invoices, ["R-900", "R-902", "R-904"]);
    // One step further: the ticket found by customer number yields the chat reference.
    assert_eq!(records(&report, "support"), (PullStatus::Ok, 1));
    assert_eq!(records(&report, "chat"), (PullStatus::Ok, 2));
    assert!(stored_records(&d, "chat").iter().all(|r| r["ref"] == "C-77"));
    assert_eq!(records(&report, "newsletter"), (PullStatus::Ok, 1));
    assert_eq!(records(&report, "hr"), (PullStatus::Ok, 0));
    assert_eq!(records(&report, "post").0, PullStatus::Manual);
    let yielded_count = |id: &str| report.systems.iter().find(|s| s.result.system_id == id).unwrap().yielded;
    assert_eq!((yielded_count("crm"), yielded_count("support"), yielded_count("invoicing")), (1, 1, 0));

    // Stored with their source; the value normalised (the CRM's cell has spaces around it).
    let list = yields::list(d.store.conn(), &d.case_id).unwrap();
    let got: Vec<(&str, &str, &str, &str, &str, bool)> =
        list.iter().map(|y| (y.kind.as_str(), y.value.as_str(), y.system_id.as_str(), y.dataset.as_str(), y.locator.as_str(), y.dropped)).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0, got[0].1, got[0].2, got[0].5), ("chat_ref", "C-77", "support", false));
    assert_eq!((got[1].0, got[1].1, got[1].2, got[1].3, got[1].5), ("customer_id", CUSTOMER, "crm", "kunden", false));
    assert!(got[1].4.contains("kunden"), "the locator names the query: {}", got[1].4);
    let active: Vec<String> = yields::active(d.store.conn(), &d.case_id).unwrap().iter().map(|i| format!("{}={}", i.kind, i.value)).collect();
    assert_eq!(active, ["chat_ref=C-77", "customer_id=K-1001"]);

    // The audit trail counts them and never holds a value.
    let events = audit::for_case(d.store.conn(), &d.case_id).unwrap();
    let pulled = events.iter().rev().find(|e| e.action == "case.pulled").unwrap();
    let details: Value = serde_json::from_str(&pulled.details).unwrap();
    let crm = details["systems"].as_array().unwrap().iter().find(|s| s["id"] == "crm").unwrap();
    assert_eq!(crm["yielded"], 1);
    assert!(!pulled.details.contains(CUSTOMER) && !pulled.details.contains("C-77"), "{}", pulled.details);

    // Re-pulling only the invoicing still searches with what the CRM yielded before.
    let (again, _) = pull_with(&mut d, &PullOptions { systems: vec!["invoicing".into()], concurrency: 4 });
    assert_eq!(records(&again, "invoicing"), (PullStatus::Ok, 3));
}

#[test]
fn the_order_follows_the_yields_even_with_four_at_once() {
    let mut d = desk(firm_systems());
    for round in 0..5 {
        let (report, events) = pull_with(&mut d, &PullOptions { systems: vec![], concurrency: 4 });
        let at = |e: &str| events.iter().position(|x| x == e).unwrap_or_else(|| panic!("round {round}: no '{e}' in {events:?}"));
        assert!(at("end crm") < at("start invoicing"), "round {round}: {events:?}");
        assert!(at("end crm") < at("start support"), "round {round}: {events:?}");
        assert!(at("end support") < at("start chat"), "round {round}: {events:?}");
        // Systems that wait for no one all start before any waiting one does.
        for free in ["crm", "newsletter", "hr", "post"] {
            assert!(at(&format!("start {free}")) < at("start invoicing"), "round {round}: {events:?}");
        }
        assert_eq!(records(&report, "invoicing"), (PullStatus::Ok, 3), "round {round}");
        assert_eq!(records(&report, "chat"), (PullStatus::Ok, 2), "round {round}");
        // The report stays in register order.
        let ids: Vec<&str> = report.systems.iter().map(|s| s.result.system_id.as_str()).collect();
        assert_eq!(ids, ["invoicing", "crm", "support", "chat", "newsletter", "hr", "post"]);
    }
}

#[test]
fn a_dropped_identifier_is_not_searched_in_the_next_pull() {
    let mut d = desk(firm_systems());
    assert_eq!(records(&pull_all(&mut d), "invoicing"), (PullStatus::Ok, 3));

    // The value as the DPO types it: spacing does not matter, normalisation is the pull's.
    let dropped = yields::drop(&mut d.store, &ctx(TODAY), &d.reference, "customer_id", "  K-1001 ").unwrap();
    assert_eq!(dropped.from_systems, ["crm"]);
    assert_eq!(dropped.repull, ["invoicing", "support"]);
    // Audited with the kind and the system, never the value.
    let events = audit::for_case(d.store.conn(), &d.case_id).unwrap();
    let e = events.last().unwrap();
    assert_eq!(e.action, "case.identifier-dropped");
    let details: Value = serde_json::from_str(&e.details).unwrap();
    assert_eq!((details["kind"].as_str(), details["system"].as_str()), (Some("customer_id"), Some("crm")));
    assert!(!e.details.contains(CUSTOMER), "{}", e.details);
    // Twice is refused, and so is a value no pull found.
    let again = yields::drop(&mut d.store, &ctx(TODAY), &d.reference, "customer_id", CUSTOMER).unwrap_err();
    assert!(again.to_string().contains("dropped already"), "{again}");
    let unknown = yields::drop(&mut d.store, &ctx(TODAY), &d.reference, "customer_id", "K-4711").unwrap_err();
    assert!(unknown.to_string().contains("dsar case show") && !unknown.to_string().contains("K-4711"), "{unknown}");

    // The CRM yields it again, but it is not taken: invoicing and (through it) chat find nothing.
    let report = pull_all(&mut d);
    assert_eq!(records(&report, "crm"), (PullStatus::Ok, 1));
    assert_eq!(records(&report, "invoicing"), (PullStatus::Ok, 0));
    assert_eq!(records(&report, "support"), (PullStatus::Ok, 0));
    assert_eq!(records(&report, "chat"), (PullStatus::Ok, 0));
    assert!(stored_records(&d, "invoicing").is_empty());
    let list = yields::list(d.store.conn(), &d.case_id).unwrap();
    assert_eq!(list.len(), 1, "the chat reference went with the ticket: {list:?}");
    assert_eq!((list[0].kind.as_str(), list[0].value.as_str(), list[0].system_id.as_str(), list[0].dropped), ("customer_id", CUSTOMER, "crm", true));
    assert!(yields::active(d.store.conn(), &d.case_id).unwrap().is_empty());
}

#[test]
fn case_show_lists_what_was_found_on_the_way_and_the_cli_drops_it() {
    let mut d = desk(firm_systems());
    pull_all(&mut d);
    let Desk { db, store, reference, .. } = d;
    drop(store);
    let pulled = ok(db.dsar(&["case", "pull", &reference]));
    assert!(pulled.contains("identifiers found on the way (searched with in the systems after them): crm 1, support 1"), "{pulled}");
    let shown: Value = serde_json::from_str(&ok(db.dsar(&["case", "show", &reference, "--json"]))).unwrap();
    assert_eq!(shown["reference"], reference.as_str(), "existing keys stay");
    let crm = shown["yielded"].as_array().unwrap().iter().find(|y| y["kind"] == "customer_id").unwrap().clone();
    assert_eq!((crm["value"].as_str(), crm["system"].as_str(), crm["dropped"].as_bool()), (Some(CUSTOMER), Some("crm"), Some(false)));
    let text = ok(db.dsar(&["case", "show", &reference]));
    assert!(text.contains("found       customer_id K-1001 in crm (kunden, "), "{text}");

    let out = ok(db.dsar(&["case", "identifier", "drop", &reference, "--kind", "customer_id", "--value", CUSTOMER]));
    assert!(out.contains("dropped") && out.contains("--system invoicing --system support"), "{out}");
    let shown: Value = serde_json::from_str(&ok(db.dsar(&["case", "show", &reference, "--json"]))).unwrap();
    let crm = shown["yielded"].as_array().unwrap().iter().find(|y| y["kind"] == "customer_id").unwrap().clone();
    assert_eq!(crm["dropped"], true);
    assert!(ok(db.dsar(&["case", "show", &reference])).contains("K-1001 in crm (kunden, "));
    let refused = db.dsar(&["case", "identifier", "drop", &reference, "--kind", "customer_id", "--value", "K-9"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let timeline = ok(db.dsar(&["case", "timeline", &reference, "--json"]));
    assert!(timeline.contains("case.identifier-dropped") && !timeline.contains("\"K-1001\""), "{timeline}");
}

fn import_error(systems: Vec<Value>) -> RegisterError {
    register::parse(&register_text(systems), Path::new("/firm")).expect_err("must be refused")
}

#[test]
fn a_cycle_is_refused_at_import_naming_its_systems() {
    let mut systems = firm_systems();
    // The invoicing now yields the e-mail it holds, which the CRM searches with.
    systems[0]["connector"]["yields"] = json!({"email": "/Mail"});
    let e = import_error(systems.clone());
    assert_eq!(e.problems.len(), 1, "{e}");
    let p = &e.problems[0];
    assert_eq!(p.path, "/systems/0/connector/yields");
    assert!(p.problem.contains("invoicing → crm"), "{}", p.problem);
    assert!(p.problem.contains("invoicing yields email, which crm searches with; crm yields customer_id, which invoicing searches with"), "{}", p.problem);
    assert!(p.fix.contains("remove one of these yields"), "{}", p.fix);
    // Through the front door: nothing stored, the systems named.
    let db = TempDb::new();
    let file = db.dir.path().join("register.json");
    std::fs::write(&file, register_text(systems)).unwrap();
    drop(db.create());
    let out = db.dsar(&["register", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("invoicing → crm"), "{}", stderr(&out));
    assert!(register_store::current(&db.open()).unwrap().is_none());
}

#[test]
fn yields_beside_the_connector_says_move_it_into_connector() {
    let mut systems = firm_systems();
    let y = systems[1]["connector"].as_object_mut().unwrap().remove("yields").unwrap();
    systems[1]["yields"] = y;
    systems[2]["derive"] = json!({"h": {"from": "phone", "hmac_sha256_key": "{secret:k}"}});
    let e = import_error(systems);
    let at = |path: &str| e.problems.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("nothing at {path}: {e}"));
    for path in ["/systems/1/yields", "/systems/2/derive"] {
        let p = at(path);
        assert!(p.fix.starts_with("move it into connector"), "{p}");
        assert!(!p.fix.contains("remove it"), "{p}");
    }
    assert!(at("/systems/1/yields").problem.contains("system 'crm'"));
}

#[test]
fn yields_are_checked_and_written_back_on_export() {
    let mut systems = firm_systems();
    systems[1]["connector"]["yields"] = json!({"customer_id": "/kundennummer", "name": "/name", "customer": "/k", "loyalty_no": "/l", "ip": "kein-zeiger", "email": "/a~2b"});
    systems[5]["connector"]["yields"] = json!({"email": "/E-Mail"});
    systems[6]["connector"]["yields"] = json!({"email": "/x"});
    let e = import_error(systems);
    let problem = |path: &str| e.problems.iter().find(|p| p.path == path).map(|p| format!("{} — {}", p.problem, p.fix)).unwrap_or_else(|| panic!("nothing at {path}: {e}"));
    assert!(problem("/systems/1/connector/yields/name").contains("not an identifier"));
    assert!(problem("/systems/1/connector/yields/customer").contains("use 'customer_id' instead"));
    assert!(problem("/systems/1/connector/yields/loyalty_no").contains("declare the custom kind in \"identifiers\""));
    assert!(problem("/systems/1/connector/yields/ip").contains("JSON pointer"));
    assert!(problem("/systems/1/connector/yields/email").contains("JSON pointer"), "~2 is no escape");
    assert!(problem("/systems/6/connector/yields").contains("manual system finds no records"));
    assert!(!e.problems.iter().any(|p| p.path.starts_with("/systems/1/connector/yields/customer_id") || p.path.starts_with("/systems/5")), "{e}");

    // A valid one survives export and import unchanged; a register without yields as before.
    let text = register_text(firm_systems());
    let r = register::parse(&text, Path::new("/firm")).unwrap();
    let crm = r.system("crm").unwrap().connector.as_ref().unwrap();
    assert_eq!(crm.yields.get("customer_id").map(String::as_str), Some("/kundennummer"));
    let exported = register::to_json(&r);
    let back: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(back["systems"][1]["connector"]["yields"], json!({"customer_id": "/kundennummer"}));
    assert!(back["systems"][0]["connector"].get("yields").is_none(), "no empty yields written");
    assert_eq!(register::parse(&exported, Path::new("/elsewhere")).unwrap(), r);
}

#[test]
fn the_demo_firm_searches_slack_after_the_dashboard_yields_the_phone() {
    let text = std::fs::read_to_string(data("registers/jaimo.json")).unwrap();
    let r = register::parse(&text, Path::new("/jaimo")).unwrap();
    let all: Vec<&register::System> = r.systems.iter().collect();
    let waves = register::yield_waves(&all).unwrap();
    let ids: Vec<Vec<&str>> = waves.iter().map(|w| w.iter().map(|&i| all[i].id.as_str()).collect()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids[0].contains(&"dashboard") && ids[1] == ["slack"], "{ids:?}");
}

#[test]
fn an_erasure_plan_acts_on_the_invoices_found_by_the_yielded_customer_number() {
    let mut systems = firm_systems();
    systems[0]["connector"]["erase"] = json!("rewrite");
    let mut d = desk(systems);
    let erasure = ok(d.db.dsar(&["case", "new", "--right", "erasure", "--name", "Max Mustermann", "--email", EMAIL, "--received", "2026-11-02"]))
        .trim()
        .to_string();
    d.reference = erasure.clone();
    pull_all(&mut d);
    let plan: Value = serde_json::from_str(&ok(d.db.dsar(&["case", "plan", &erasure, "--json"]))).unwrap();
    let invoicing = plan["systems"].as_array().unwrap().iter().find(|s| s["id"] == "invoicing").unwrap();
    assert_eq!((invoicing["action"].as_str(), invoicing["records"].as_u64()), (Some("erase"), Some(3)), "{plan}");
    let id = plan["plan"].as_str().unwrap();
    ok(d.db.dsar(&["case", "act", &erasure, "--plan", id, "--system", "invoicing"]));
    let left = std::fs::read_to_string(d.db.dir.path().join("firm/rechnungen.csv")).unwrap();
    assert!(!left.contains("R-900;K-1001") && !left.contains("R-902") && !left.contains("R-904"), "the subject's invoices are gone");
    assert!(left.contains("R-901;K-10011") && left.contains("R-903;K-1002"), "the near-misses stay");
}

#[test]
fn the_manual_search_email_names_the_identifiers_found_on_the_way() {
    let mut d = desk(firm_systems());
    pull_all(&mut d);
    let tasks = dsar::tasks::for_case(&d.store, &d.reference).unwrap();
    let post = tasks.iter().find(|t| t.system_id.as_deref() == Some("post")).expect("the manual system's task");
    assert!(post.body.contains(CUSTOMER) && post.body.contains("C-77"), "{}", post.body);
    // A dropped one is not asked for.
    yields::drop(&mut d.store, &ctx(TODAY), &d.reference, "chat_ref", "C-77").unwrap();
    pull_all(&mut d);
    let tasks = dsar::tasks::for_case(&d.store, &d.reference).unwrap();
    let post = tasks.iter().find(|t| t.system_id.as_deref() == Some("post")).unwrap();
    assert!(post.body.contains(CUSTOMER) && !post.body.contains("C-77"), "{}", post.body);
}
