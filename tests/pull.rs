//! The pull end to end on generated data for the fixture firms: exactly the planted records
//! per system (counts and content) in every kind of system — files, rotated and gzipped
//! access logs, CleverReach's API on a real HTTP server in this process (port 18080, as the
//! jaimo register says) — manual systems as tasks with a ready e-mail, broken systems failing
//! alone (missing file, invalid query, refused token, HTTP 500, wrong PostgreSQL password
//! on the server `scripts/sql-servers.sh` starts), re-pulling one system, injection probes,
//! cancellation, the audit event, and the CLI's `case pull --json` contract (SPEC §8).

mod common;
mod firms;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use common::*;
use dsar::cases::{self, NewCase};
use dsar::connectors::Cancel;
use dsar::domain::{Channel, IdentifierKind, Right};
use dsar::evidence::{self, PullStatus};
use dsar::pull::{self, PullEvent, PullOptions, PullReport};
use dsar::store::Store;
use dsar::{register_store, secrets, tasks};
use firms::Firm;
use serde_json::{json, Value};

const OTHERS: usize = 3000;
const TODAY: &str = "2026-11-21";

struct Desk {
    /// Keeps the temporary folder alive for the test's duration.
    _db: TempDb,
    store: Store,
    firm: Firm,
    reference: String,
    case_id: String,
}

fn kind(k: &str) -> IdentifierKind {
    IdentifierKind::from_key(k).unwrap()
}

fn new_case(store: &mut Store, name: &str, identifiers: &[(String, String)]) -> cases::Case {
    cases::create(
        store,
        &ctx(TODAY),
        NewCase {
            rights: vec![Right::Access, Right::Erasure],
            name: name.into(),
            address: vec![],
            identifiers: identifiers.iter().map(|(k, v)| (kind(k), v.clone())).collect(),
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: None,
            channel: Channel::Email,
        },
    )
    .unwrap()
}

/// A desk with the firm's generated data, its register imported, its secrets stored, and
/// the subject's case.
fn desk(make: fn(&Path, usize, u64) -> Firm, seed: u64) -> Desk {
    desk_with(make, seed, |_| {})
}

fn desk_with(make: fn(&Path, usize, u64) -> Firm, seed: u64, edit: impl FnOnce(&Firm)) -> Desk {
    let db = TempDb::new();
    let firm = make(&db.dir.path().join("firm"), OTHERS, seed);
    edit(&firm);
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx(TODAY), &firm.register).unwrap();
    for (name, value) in &firm.secrets {
        secrets::set(&mut store, &ctx(TODAY), name, value).unwrap();
    }
    let case = new_case(&mut store, &firm.name, &firm.identifiers);
    Desk { _db: db, store, firm, reference: case.reference.to_string(), case_id: case.id }
}

fn pull_all(d: &mut Desk) -> PullReport {
    pull::run(&mut d.store, &ctx(TODAY), &d.reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap()
}

fn status_of(report: &PullReport, id: &str) -> (PullStatus, u64, Option<String>) {
    let s = report.systems.iter().find(|s| s.result.system_id == id).unwrap_or_else(|| panic!("no result for {id}"));
    (s.result.status, s.result.records, s.result.error.clone())
}

/// The stored evidence of one system as sorted (dataset, locator, record) triples.
fn stored(d: &Desk, system: &str) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = evidence::for_case(d.store.conn(), &d.case_id)
        .unwrap()
        .into_iter()
        .filter(|e| e.system_id == system)
        .map(|e| (e.dataset, e.locator, e.record.to_string()))
        .collect();
    v.sort();
    v
}

fn expected(d: &Desk, system: &str) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = d.firm.expected[system].records.iter().map(|(ds, loc, r)| (ds.clone(), loc.clone(), r.to_string())).collect();
    v.sort();
    v
}

/// Records compare as JSON values (key order aside): re-parse both sides.
fn same_records(a: &[(String, String, String)], b: &[(String, String, String)]) -> bool {
    let norm = |v: &[(String, String, String)]| {
        let mut out: Vec<(String, String, Value)> = v.iter().map(|(d, l, r)| (d.clone(), l.clone(), serde_json::from_str(r).unwrap())).collect();
        out.sort_by(|x, y| (&x.0, &x.1, x.2.to_string()).cmp(&(&y.0, &y.1, y.2.to_string())));
        out
    };
    norm(a) == norm(b)
}

/// Asserts that `system` is ok with exactly its planted records (count, then content with
/// dataset and locator).
fn assert_planted(d: &Desk, report: &PullReport, system: &str) {
    let (status, records, error) = status_of(report, system);
    let want = expected(d, system);
    assert_eq!(status, PullStatus::Ok, "{system}: {error:?}");
    assert_eq!(records as usize, want.len(), "{system}: record count");
    let got = stored(d, system);
    assert!(same_records(&got, &want), "{system}: records differ\n got: {got:#?}\nwant: {want:#?}");
}

/// The whole check for one firm: every searchable system finds exactly the planted records,
/// manual systems become tasks with a ready e-mail; nothing else is in the register.
fn check_firm(d: &mut Desk) -> PullReport {
    let report = pull_all(d);
    assert_eq!(report.systems.len(), d.firm.expected.len() + d.firm.manual.len());
    for system in d.firm.expected.keys() {
        assert_planted(d, &report, system);
    }
    let tasks = tasks::for_case(&d.store, &d.reference).unwrap();
    for system in &d.firm.manual {
        assert_eq!(status_of(&report, system).0, PullStatus::Manual, "{system}");
        let t = tasks.iter().find(|t| t.system_id.as_deref() == Some(system)).unwrap_or_else(|| panic!("no task for {system}"));
        assert_eq!(t.kind, tasks::MANUAL_SEARCH);
        assert_eq!(t.status, tasks::TaskStatus::Open);
        assert!(t.body.contains(&d.reference), "{}", t.body);
        assert!(t.body.contains(&d.firm.name), "{}", t.body);
        let case = cases::get(&d.store, &d.reference).unwrap();
        for id in &case.subject.identifiers {
            assert!(t.body.contains(&id.value), "the e-mail names the identifier to search for: {}", t.body);
        }
        // Case language is the controller's (de): a German e-mail with a date to answer by.
        assert!(t.body.contains("Betreff: Betroffenenanfrage") && t.body.contains("bis zum 28.11.2026"), "{}", t.body);
    }
    assert_eq!(tasks.len(), d.firm.manual.len());
    report
}

#[test]
fn jaimo_pull_finds_exactly_the_planted_records() {
    let mut d = desk(firms::jaimo, 1);
    let report = check_firm(&mut d);
    // Two torn lines in the Slack export are skipped and reported, not fatal.
    let slack = report.systems.iter().find(|s| s.result.system_id == "slack").unwrap();
    let warning = slack.warning.as_deref().unwrap_or_default();
    assert!(warning.starts_with("2 line(s) of slack-notifications.jsonl skipped"), "{warning}");
    assert!(!warning.contains("mustermann"), "{warning}");
    // Windows-1252 read right: umlauts in the header and values.
    let fastbill = stored(&d, "fastbill");
    assert!(fastbill[0].2.contains("\"Straße\":\"Große Straße 5\"") && fastbill[0].2.contains("\"Währung\":\"€\""), "{fastbill:?}");
    let gmail = tasks::for_case(&d.store, &d.reference).unwrap().remove(0);
    assert!(gmail.body.contains("Postfach nach Absender- und Empfängeradresse durchsuchen"), "instructions are part of the e-mail");
    // CleverReach: both addresses asked for, the `+` intact (sent as %2B), the records of both.
    let asked = firms::http_server::asked();
    for email in [firms::JAIMO_EMAIL, firms::JAIMO_NEWSLETTER_EMAIL] {
        assert!(asked.iter().any(|a| a == email), "the API was asked for {email}: {asked:?}");
    }
    let cleverreach = stored(&d, "cleverreach");
    assert_eq!(cleverreach.len(), 3);
    assert!(cleverreach.iter().all(|(ds, loc, _)| ds == "receivers" && loc.starts_with("http://127.0.0.1:18080/v3/receivers?email=***#/data/")), "{cleverreach:?}");
    assert!(cleverreach.iter().any(|(_, _, r)| r.contains(firms::JAIMO_NEWSLETTER_EMAIL)));
}

#[test]
fn websmart_pull_finds_exactly_the_planted_records() {
    let mut d = desk(firms::websmart, 2);
    check_firm(&mut d);
    let task = tasks::for_case(&d.store, &d.reference).unwrap().remove(0);
    assert!(task.body.starts_with("An: privacy@inbox-solutions.example\n"), "{}", task.body);
    assert!(task.body.contains("Guten Tag Inbox Solutions GmbH,"), "{}", task.body);
    assert!(task.body.contains("Als unser Auftragsverarbeiter für „Messenger-Kommunikation"), "{}", task.body);
    // The BLOB column arrives as base64 text.
    assert!(stored(&d, "crm").iter().any(|(_, _, r)| r.contains("\"unterschrift\":\"AP")));
}

#[test]
fn smart_cx_pull_finds_exactly_the_planted_records() {
    let mut d = desk(firms::smart_cx, 3);
    check_firm(&mut d);
    let twilio = stored(&d, "twilio");
    assert!(twilio.iter().all(|(_, loc, _)| loc.starts_with("twilio-messages.json#/messages/")), "{twilio:?}");
    // The access logs: 9 lines of the subject's in all four files (two of them gzipped, one
    // in two gzip members), CR stripped from a CRLF line, none of the near-misses.
    let logs = stored(&d, "hosting-logs");
    assert_eq!(logs.len(), 9);
    let folder = d.firm.files["hosting-logs"].to_string_lossy().into_owned();
    for (file, n) in [("access.log.3.gz", 2), ("access.log.2.gz", 2), ("access.log.1", 3), ("access.log", 2)] {
        let prefix = format!("{folder}/{file}:");
        assert_eq!(logs.iter().filter(|(_, loc, _)| loc.starts_with(&prefix)).count(), n, "{file}: {logs:#?}");
    }
    assert!(logs.iter().any(|(_, _, r)| r.contains("\"::ffff:198.51.100.23 - - [18/Nov/2026:")));
    assert!(logs.iter().any(|(_, _, r)| r.contains("GET /favicon.ico") && !r.contains("\\r")));
    // The near-misses are in the files (among thousands of lines) and were not found.
    let mut all = String::new();
    for file in ["access.log.3.gz", "access.log.2.gz", "access.log.1", "access.log"] {
        let bytes = std::fs::read(d.firm.files["hosting-logs"].join(file)).unwrap();
        if file.ends_with(".gz") {
            std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut all).unwrap();
        } else {
            all.push_str(std::str::from_utf8(&bytes).unwrap());
        }
    }
    assert!(all.lines().count() > 4 * OTHERS, "{} lines", all.lines().count());
    for near in ["198.51.100.230 ", "=1198.51.100.23 ", "198.51.100.2 ", "//198.51.100.23.7/", "/4.198.51.100.23 ", "=id198.51.100.23 ", "jana.beispiel%40"] {
        assert!(all.contains(near), "near-miss {near:?} is not in the logs");
        assert!(!logs.iter().any(|(_, _, r)| r.contains(near)), "near-miss {near:?} found");
    }
}

#[test]
fn manual_task_email_follows_the_case_language() {
    let mut d = desk(firms::websmart, 4);
    let mut ids = d.firm.identifiers.clone();
    ids.push(("customer_id".into(), "K-1001".into()));
    for (lang, subject_line, answer_by) in [("en", "Subject: Data subject request", "by 28 November 2026"), ("nl", "Onderwerp: Verzoek van betrokkene", "uiterlijk 28-11-2026")] {
        let mut new = NewCase {
            rights: vec![Right::Access],
            name: "Erika Musterfrau".into(),
            address: vec![],
            identifiers: ids.iter().map(|(k, v)| (kind(k), v.clone())).collect(),
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: Some(lang.parse().unwrap()),
            channel: Channel::Email,
        };
        new.rights.push(Right::Erasure);
        let case = cases::create(&mut d.store, &ctx(TODAY), new).unwrap();
        let opts = PullOptions { systems: vec!["messenger".into()], ..PullOptions::default() };
        pull::run(&mut d.store, &ctx(TODAY), &case.reference.to_string(), &opts, &|_| {}, &Cancel::new()).unwrap();
        let t = tasks::for_case(&d.store, &case.reference.to_string()).unwrap().remove(0);
        assert!(t.body.contains(subject_line) && t.body.contains(answer_by), "{lang}: {}", t.body);
        assert!(t.body.contains("K-1001"), "{lang}: custom identifiers are listed");
    }
}

#[test]
fn a_broken_system_reports_its_own_error_while_the_others_succeed() {
    let mut d = desk_with(firms::jaimo, 5, |firm| {
        std::fs::remove_file(&firm.files["salesforce"]).unwrap();
        let text = std::fs::read_to_string(&firm.register).unwrap();
        let text = text.replace("SELECT st.name, st.handle, st.sources FROM stages", "SELECT st.name, st.handel, st.sources FROM stages");
        std::fs::write(&firm.register, text).unwrap();
    });
    // CleverReach refuses a token that is not the account's.
    secrets::set(&mut d.store, &ctx(TODAY), "cleverreach_token", "cr-revoked-t0ken").unwrap();
    let report = pull_all(&mut d);
    let (status, records, error) = status_of(&report, "cleverreach");
    assert_eq!((status, records), (PullStatus::Error, 0));
    assert_eq!(error.as_deref(), Some("authentication refused by http://127.0.0.1:18080/v3/receivers — check the user and the secret in the register"));
    let (status, _, error) = status_of(&report, "salesforce");
    let error = error.unwrap();
    assert_eq!(status, PullStatus::Error);
    assert!(error.starts_with("file missing: ") && error.contains("salesforce-contacts.csv"), "{error}");
    let (status, records, error) = status_of(&report, "dashboard");
    let error = error.unwrap();
    assert_eq!((status, records), (PullStatus::Error, 0));
    assert!(error.contains("query 'stages' is invalid") && error.contains("no such column: st.handel"), "{error}");
    for system in ["slack", "fastbill"] {
        let (status, records, _) = status_of(&report, system);
        assert_eq!((status, records as usize), (PullStatus::Ok, d.firm.expected[system].records.len()), "{system}");
    }
    assert_eq!(status_of(&report, "gmail").0, PullStatus::Manual);
    for s in &report.systems {
        let e = s.result.error.as_deref().unwrap_or("").to_lowercase();
        assert!(!e.contains("mustermann") && !e.contains("1234567") && !e.contains("t0ken"), "no identifier or secret in errors: {e}");
    }
    // A failing system stores nothing, and says why in the checklist.
    assert!(stored(&d, "dashboard").is_empty());
    let results = evidence::results(d.store.conn(), &d.case_id).unwrap();
    assert!(results.iter().any(|r| r.system_id == "salesforce" && r.error.as_deref() == Some(error_of(&report, "salesforce"))));
}

fn error_of<'a>(report: &'a PullReport, id: &str) -> &'a str {
    report.systems.iter().find(|s| s.result.system_id == id).and_then(|s| s.result.error.as_deref()).unwrap_or("")
}

#[test]
fn cleverreach_answering_500_fails_alone() {
    // The server answers 500 while this firm lives; the other jaimo tests wait meanwhile.
    let mut d = desk(firms::jaimo_cleverreach_500, 13);
    let report = pull_all(&mut d);
    let (status, records, error) = status_of(&report, "cleverreach");
    assert_eq!((status, records), (PullStatus::Error, 0));
    assert_eq!(error.as_deref(), Some("http://127.0.0.1:18080/v3/receivers answered HTTP 500 — check the endpoint and its credentials"));
    assert!(stored(&d, "cleverreach").is_empty());
    for system in ["dashboard", "slack", "salesforce", "fastbill"] {
        assert_planted(&d, &report, system);
    }
    assert_eq!(status_of(&report, "gmail").0, PullStatus::Manual);
    // The server is fine again: re-pulling CleverReach alone replaces the error with its records.
    drop(d.firm.service.take());
    let _lease = firms::http_server::shared();
    let opts = PullOptions { systems: vec!["cleverreach".into()], ..PullOptions::default() };
    let report = pull::run(&mut d.store, &ctx(TODAY), &d.reference, &opts, &|_| {}, &Cancel::new()).unwrap();
    assert_planted(&d, &report, "cleverreach");
}

/// PostgreSQL from `scripts/sql-servers.sh` (URL, password), or a failure saying how to start it.
fn pg_server() -> (String, String) {
    let env = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!(
                "{name} is not set: this test needs the real PostgreSQL server. Run `bash scripts/test.sh`, \
                 or `eval \"$(bash scripts/sql-servers.sh start)\"` before cargo test."
            )
        })
    };
    (env("DSAR_TEST_PG_URL"), env("DSAR_TEST_PG_PASSWORD"))
}

/// A table of this process's own (several test runs may share the server), dropped at the end.
struct PgTable {
    config: postgres::Config,
    name: String,
}

impl Drop for PgTable {
    fn drop(&mut self) {
        if let Ok(mut c) = self.config.connect(postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP TABLE IF EXISTS {}", self.name));
        }
    }
}

#[test]
fn a_wrong_postgres_password_fails_that_system_alone() {
    let (url, password) = pg_server();
    let mut config: postgres::Config = url.parse().unwrap();
    config.password(&password);
    let table = PgTable { config: config.clone(), name: format!("pull_kunden_{}", std::process::id()) };
    let mut client = config.connect(postgres::NoTls).unwrap_or_else(|e| panic!("cannot connect to {url}: {e} — run `bash scripts/test.sh`"));
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t};
             CREATE TABLE {t} (id bigint PRIMARY KEY, email text NOT NULL, name text, plan text);
             INSERT INTO {t} SELECT i, 'kunde' || i || '@example.com', 'Kunde ' || i, 'basic' FROM generate_series(1, 2000) i;
             INSERT INTO {t} VALUES (5001, 'Jana.Beispiel@example.org', 'Jana Beispiel', 'pro'), (5002, 'jana.beispiel@example.org', 'J. Beispiel', 'basic'),
                                    (5003, 'jana.beispiel@example.org.evil', 'Jana Beispiel', 'basic'), (5004, 'xjana.beispiel@example.org', 'Jana Beispiel', 'basic');",
            t = table.name
        ))
        .unwrap();
    drop(client);

    let db = TempDb::new();
    let dir = db.dir.path().join("firm");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/kontakte.csv"), "name,email\nAnna Schmidt,anna@example.com\nJana Beispiel,JANA.BEISPIEL@example.org\nBen Weber,ben@example.net\n").unwrap();
    let system = |id: &str, connector: Value| {
        json!({"id": id, "name": id, "role": "internal", "purposes": ["Vertrag"], "data_categories": ["Kontaktdaten"], "legal_bases": ["art6-1-b"],
               "retention": {"description": "3 Jahre"}, "recipients": [], "transfers": [], "source": "data-subject",
               "automated_decision_making": false, "connector": connector})
    };
    let register = json!({
        "format": "dsar-register", "version": 1,
        "controller": {"name": "Beispiel Shop GmbH", "address": ["Weg 1", "41460 Neuss"], "email": "privacy@shop.example", "country": "DE",
                       "region": "DE-NW", "language": "de", "jurisdiction": "gdpr", "supervisory_authority": {"name": "LDI NRW"}},
        "systems": [
            system("shop-db", json!({"kind": "postgres", "url": url, "password": "{secret:shop_db_password}",
                "queries": [{"name": "kunden", "sql": format!("SELECT id, email, name, plan FROM {} WHERE lower(email) = :email ORDER BY id", table.name)}]})),
            system("kontakte", json!({"kind": "csv", "path": "data/kontakte.csv", "match": {"email": ["email"]}})),
        ]
    });
    let reg = dir.join("register.json");
    std::fs::write(&reg, serde_json::to_string_pretty(&register).unwrap()).unwrap();
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx(TODAY), &reg).unwrap();
    let case = new_case(&mut store, "Jana Beispiel", &[("email".into(), "jana.beispiel@example.org".into())]);
    let reference = case.reference.to_string();
    let count = |report: &PullReport, id: &str| {
        let (status, records, error) = status_of(report, id);
        assert_eq!(status, PullStatus::Ok, "{id}: {error:?}");
        records
    };

    // The right password first: the query works and finds the two planted rows.
    secrets::set(&mut store, &ctx(TODAY), "shop_db_password", &password).unwrap();
    let report = pull::run(&mut store, &ctx(TODAY), &reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
    assert_eq!((count(&report, "shop-db"), count(&report, "kontakte")), (2, 1));

    let wrong = "Wr0ng-Passw0rd-4711";
    secrets::set(&mut store, &ctx(TODAY), "shop_db_password", wrong).unwrap();
    let mut later = ctx(TODAY);
    later.now += chrono::Duration::seconds(5);
    let report = pull::run(&mut store, &later, &reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
    let (status, records, error) = status_of(&report, "shop-db");
    let error = error.unwrap();
    assert_eq!((status, records), (PullStatus::Error, 0));
    let endpoint = url.split_once('@').unwrap().1; // 127.0.0.1:PORT/dsar_test, no user
    assert_eq!(error, format!("authentication refused by {endpoint} — check the user and the secret in the register"));
    for secret in [wrong, password.as_str(), "dsar_test@"] {
        assert!(!error.contains(secret), "{error}");
    }
    assert_eq!(count(&report, "kontakte"), 1);
    // The failed re-pull replaced the earlier rows: nothing stale passes as current.
    let ev = evidence::for_case(store.conn(), &case.id).unwrap();
    assert!(ev.iter().all(|e| e.system_id == "kontakte"), "{ev:?}");
    drop(table);
}

#[test]
fn re_pulling_one_system_replaces_only_its_evidence() {
    let mut d = desk(firms::websmart, 6);
    pull_all(&mut d);
    let crm_before = stored(&d, "crm");
    let webchat_before = stored(&d, "webchat");
    let results_before = evidence::results(d.store.conn(), &d.case_id).unwrap();
    // One more newsletter event; the CRM file disappears (re-pulling it would now fail).
    let mut f = std::fs::OpenOptions::new().append(true).open(&d.firm.files["newsletter"]).unwrap();
    std::io::Write::write_all(&mut f, b"{\"event\": \"click\", \"recipient\": \"ERIKA.MUSTERFRAU@example.de\", \"campaign\": \"2026-11\"}\n").unwrap();
    std::fs::remove_file(&d.firm.files["crm"]).unwrap();
    let mut later = ctx(TODAY);
    later.now += chrono::Duration::seconds(5);
    let opts = PullOptions { systems: vec!["newsletter".into()], ..PullOptions::default() };
    let report = pull::run(&mut d.store, &later, &d.reference, &opts, &|_| {}, &Cancel::new()).unwrap();
    assert_eq!(report.systems.len(), 1);
    assert_eq!(status_of(&report, "newsletter").1 as usize, d.firm.expected["newsletter"].records.len() + 1);
    assert_eq!(stored(&d, "newsletter").len(), d.firm.expected["newsletter"].records.len() + 1, "no duplicates: replaced, not added");
    assert_eq!(stored(&d, "crm"), crm_before);
    assert_eq!(stored(&d, "webchat"), webchat_before);
    let results_after = evidence::results(d.store.conn(), &d.case_id).unwrap();
    for r in &results_after {
        let before = results_before.iter().find(|b| b.system_id == r.system_id).unwrap();
        if r.system_id == "newsletter" {
            assert_ne!(r.pulled_at, before.pulled_at);
        } else {
            assert_eq!(r, before, "{} untouched", r.system_id);
        }
    }
}

#[test]
fn unknown_system_id_is_one_clear_error_and_changes_nothing() {
    let mut d = desk(firms::websmart, 7);
    let opts = PullOptions { systems: vec!["crm".into(), "crmm".into()], ..PullOptions::default() };
    let e = pull::run(&mut d.store, &ctx(TODAY), &d.reference, &opts, &|_| {}, &Cancel::new()).unwrap_err();
    assert!(e.is_user_error());
    assert_eq!(e.to_string(), "system: unknown system id 'crmm' — use one of: webchat, messenger, crm, newsletter");
    assert!(evidence::results(d.store.conn(), &d.case_id).unwrap().is_empty());
    let events = dsar::audit::for_case(d.store.conn(), &d.case_id).unwrap();
    assert!(events.iter().all(|e| e.action != "case.pulled"));
}

#[test]
fn cancellation_before_start_records_every_system_as_cancelled() {
    let mut d = desk(firms::smart_cx, 8);
    let cancel = Cancel::new();
    cancel.cancel();
    let events = Mutex::new(Vec::new());
    let report = pull::run(&mut d.store, &ctx(TODAY), &d.reference, &PullOptions::default(), &|e| events.lock().unwrap().push(e.clone()), &cancel).unwrap();
    assert!(report.cancelled);
    assert_eq!(report.systems.len(), 5);
    assert!(report.systems.iter().all(|s| s.result.status == PullStatus::Cancelled && s.result.records == 0), "{report:?}");
    let events = events.into_inner().unwrap();
    assert_eq!(events.len(), 5);
    assert!(events.iter().all(|e| matches!(e, PullEvent::Finished { status: PullStatus::Cancelled, .. })));
    let stored_results = evidence::results(d.store.conn(), &d.case_id).unwrap();
    assert_eq!(stored_results.len(), 5);
    assert!(stored_results.iter().all(|r| r.status == PullStatus::Cancelled));
    assert!(evidence::for_case(d.store.conn(), &d.case_id).unwrap().is_empty());
    assert!(tasks::for_case(&d.store, &d.reference).unwrap().is_empty(), "a cancelled manual system creates no task");
}

#[test]
fn cancelling_a_re_pull_mid_flight_keeps_the_earlier_evidence_of_unfinished_systems() {
    let mut d = desk(firms::jaimo, 10);
    pull_all(&mut d);
    let results_before = evidence::results(d.store.conn(), &d.case_id).unwrap();
    let systems: Vec<String> = results_before.iter().map(|r| r.system_id.clone()).collect();
    let before: BTreeMap<String, _> = systems.iter().map(|s| (s.clone(), stored(&d, s))).collect();
    assert!(before.values().filter(|v| !v.is_empty()).count() >= 3, "the first pull found records in several systems");

    // One system at a time; the user presses Cancel as soon as the first one has finished.
    let cancel = Cancel::new();
    let mut later = ctx(TODAY);
    later.now += chrono::Duration::seconds(5);
    let opts = PullOptions { concurrency: 1, ..PullOptions::default() };
    let report = pull::run(
        &mut d.store,
        &later,
        &d.reference,
        &opts,
        &|e| {
            if matches!(e, PullEvent::Finished { status, .. } if *status != PullStatus::Cancelled) {
                cancel.cancel();
            }
        },
        &cancel,
    )
    .unwrap();
    assert!(report.cancelled);
    let finished: Vec<&str> = report.systems.iter().filter(|s| s.result.status != PullStatus::Cancelled).map(|s| s.result.system_id.as_str()).collect();
    let cancelled: Vec<&str> = report.systems.iter().filter(|s| s.result.status == PullStatus::Cancelled).map(|s| s.result.system_id.as_str()).collect();
    // The worker may take the next system before the Cancel lands (a manual one takes no
    // time), so only "some finished, the rest cancelled" is certain.
    assert!(!finished.is_empty() && cancelled.len() >= 2, "{report:?}");
    let results_after = evidence::results(d.store.conn(), &d.case_id).unwrap();
    for id in &systems {
        // Every system still holds exactly what it held: the finished one was searched again
        // over unchanged data, the cancelled ones were not touched at all.
        assert_eq!(stored(&d, id), before[id], "{id}: evidence changed");
        let (a, b) = (results_after.iter().find(|r| &r.system_id == id).unwrap(), results_before.iter().find(|r| &r.system_id == id).unwrap());
        if cancelled.contains(&id.as_str()) {
            assert_eq!(a, b, "{id}: the earlier result stays");
        } else {
            assert_ne!(a.pulled_at, b.pulled_at, "{id} was searched again");
        }
    }
    let events = dsar::audit::for_case(d.store.conn(), &d.case_id).unwrap();
    let last = events.iter().rev().find(|e| e.action == "case.pulled").unwrap();
    let details: Value = serde_json::from_str(&last.details).unwrap();
    assert_eq!(details["cancelled"], true);
    let kept = details["systems"].as_array().unwrap().iter().filter(|s| s["earlier_evidence_kept"] == true).count();
    assert_eq!(kept, cancelled.len());
}

#[test]
fn progress_reports_every_system_start_and_end() {
    let mut d = desk(firms::jaimo, 9);
    let events = Mutex::new(Vec::new());
    let opts = PullOptions { concurrency: 2, ..PullOptions::default() };
    let report = pull::run(&mut d.store, &ctx(TODAY), &d.reference, &opts, &|e| events.lock().unwrap().push(e.clone()), &Cancel::new()).unwrap();
    let events = events.into_inner().unwrap();
    for s in &report.systems {
        let id = &s.result.system_id;
        let started = events.iter().position(|e| matches!(e, PullEvent::Started { system } if system == id)).unwrap();
        let finished = events
            .iter()
            .position(|e| matches!(e, PullEvent::Finished { system, status, records, .. } if system == id && *status == s.result.status && *records == s.result.records))
            .unwrap();
        assert!(started < finished, "{id}");
    }
    assert_eq!(events.len(), 2 * report.systems.len());
}

#[test]
fn the_pull_audit_event_holds_counts_but_no_identifier() {
    let mut d = desk(firms::jaimo, 10);
    pull_all(&mut d);
    let events = dsar::audit::for_case(d.store.conn(), &d.case_id).unwrap();
    let pulled: Vec<_> = events.iter().filter(|e| e.action == "case.pulled").collect();
    assert_eq!(pulled.len(), 1);
    let details: Value = serde_json::from_str(&pulled[0].details).unwrap();
    assert_eq!(details["reference"], d.reference.as_str());
    let systems = details["systems"].as_array().unwrap();
    let dashboard = systems.iter().find(|s| s["id"] == "dashboard").unwrap();
    assert_eq!(dashboard["status"], "ok");
    assert_eq!(dashboard["records"], 6);
    assert_eq!(systems.iter().find(|s| s["id"] == "slack").unwrap()["skipped"], 2);
    let all_audit: String = dsar::audit::for_case(d.store.conn(), &d.case_id).unwrap().iter().map(|e| e.details.clone()).collect();
    for secret in ["mustermann", "Mustermann", "1711234567", "171 1234567", "203.0.113.", "Große Straße", "Newsletter DE", firms::http_server::TOKEN] {
        assert!(!all_audit.contains(secret), "audit trail contains {secret:?}: {all_audit}");
    }
    assert!(dsar::audit::verify(d.store.conn()).unwrap().is_intact());
}

#[test]
fn injection_probes_as_identifiers_find_nothing_and_break_nothing() {
    let mut d = desk(firms::jaimo, 11);
    let probes = ["' OR 1=1 --", "%", "_", "%00", "../../../../etc/passwd", "{secret:cleverreach_token}", "*", "a\0b", "\" OR \"\"=\""];
    let email_probes = ["o'reilly+1=1@example.org", "%@example.org", "_@example.org", "max.mustermann%@example.org"];
    let hashes = |firm: &Firm| -> BTreeMap<String, Vec<u8>> { firm.files.iter().map(|(k, p)| (k.clone(), std::fs::read(p).unwrap())).collect() };
    let before = hashes(&d.firm);
    for (i, probe) in probes.iter().enumerate() {
        let mut ids: Vec<(String, String)> = vec![("customer_id".into(), probe.to_string()), ("username".into(), probe.to_string())];
        // E-mail probes must still be e-mail addresses; these carry SQL and LIKE metacharacters.
        ids.push(("email".into(), email_probes[i % 4].into()));
        if probe.chars().any(char::is_control) {
            // A NUL never reaches a connector: the case itself is refused at the field.
            let new = NewCase {
                rights: vec![Right::Access],
                name: "Probe".into(),
                address: vec![],
                identifiers: ids.iter().map(|(k, v)| (kind(k), v.clone())).collect(),
                received: date("2026-11-02"),
                jurisdiction: None,
                region: None,
                language: None,
                channel: Channel::Email,
            };
            let e = cases::create(&mut d.store, &ctx(TODAY), new).unwrap_err();
            assert!(e.is_user_error() && e.to_string().contains("U+0000"), "{e}");
            continue;
        }
        let case = new_case(&mut d.store, probe, &ids);
        let report = pull::run(&mut d.store, &ctx(TODAY), &case.reference.to_string(), &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
        for s in &report.systems {
            let r = &s.result;
            assert_eq!(r.records, 0, "probe {probe:?} found records in {}", r.system_id);
            assert_ne!(r.status, PullStatus::Error, "probe {probe:?} broke {}: {:?}", r.system_id, r.error);
        }
    }
    assert_eq!(before, hashes(&d.firm), "no source file was changed");
    // Each e-mail probe reached the API as one intact value (`'`, `+`, `=`, `%` encoded).
    let asked = firms::http_server::asked();
    for probe in email_probes {
        assert!(asked.iter().any(|a| a == probe), "{probe:?} not asked intact: {asked:?}");
    }
    // The original subject is still found afterwards: nothing was damaged.
    let report = pull_all(&mut d);
    assert_eq!(status_of(&report, "dashboard").1, 6);
    assert_eq!(status_of(&report, "cleverreach").1, 3);
}

/// A register of every file kind on this branch, matching on custom identifiers, the name
/// and a derived keyed hash, to run probes and derived identifiers through each connector.
fn probe_register(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let c = rusqlite::Connection::open(dir.join("data/accounts.sqlite")).unwrap();
    c.execute_batch(
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, customer_id TEXT, username TEXT, name TEXT, phone_hash TEXT);
         INSERT INTO accounts VALUES (1, 'K-1', 'anna', 'Anna Schmidt', 'x'), (2, 'K-2', 'ben', 'Ben Weber', 'y'), (3, 'K-1001', 'jana', 'Jana Beispiel', 'z');",
    )
    .unwrap();
    std::fs::write(dir.join("data/members.csv"), "member_no;user;full_name;tel_hash\nM-1;anna;Anna Schmidt;aa\nM-2;ben;Ben Weber;bb\n").unwrap();
    std::fs::write(dir.join("data/members.jsonl"), "{\"member\": {\"no\": \"M-1\", \"user\": \"anna\"}}\n{\"member\": {\"no\": 7, \"user\": \"ben\"}}\n").unwrap();
    std::fs::write(dir.join("data/members.json"), "{\"data\": [{\"no\": \"M-1\", \"name\": \"Anna Schmidt\"}]}").unwrap();
    let system = |id: &str, connector: Value| {
        json!({"id": id, "name": id, "role": "internal", "purposes": ["p"], "data_categories": ["c"], "legal_bases": ["art6-1-b"],
               "retention": {"description": "r"}, "recipients": [], "transfers": [], "source": "data-subject",
               "automated_decision_making": false, "connector": connector})
    };
    let register = json!({
        "format": "dsar-register", "version": 1,
        "controller": {"name": "Probe GmbH", "address": ["Weg 1", "12345 Berlin"], "email": "privacy@probe.example", "country": "DE",
                       "region": "DE-BE", "language": "en", "jurisdiction": "gdpr", "supervisory_authority": {"name": "BlnBDI"}},
        "systems": [
            system("accounts", json!({"kind": "sqlite", "path": "data/accounts.sqlite", "identifiers": ["member_no"], "queries": [
                {"name": "by_customer", "sql": "SELECT * FROM accounts WHERE customer_id = :customer_id"},
                {"name": "by_username", "sql": "SELECT * FROM accounts WHERE username = :username"},
                {"name": "by_name", "sql": "SELECT * FROM accounts WHERE lower(name) = lower(:name)"},
                {"name": "by_member", "sql": "SELECT * FROM accounts WHERE customer_id = :member_no"}]})),
            system("members-csv", json!({"kind": "csv", "path": "data/members.csv", "delimiter": ";", "identifiers": ["member_no"],
                "match": {"member_no": ["member_no"], "username": ["user"], "name": ["full_name"], "tel_hash": ["tel_hash"]},
                "derive": {"tel_hash": {"from": "phone", "hmac_sha256_key": "{secret:hash_key}", "prefix": "wa:"}}})),
            system("members-jsonl", json!({"kind": "jsonl", "path": "data/members.jsonl", "identifiers": ["member_no"],
                "match": {"member_no": ["/member/no"], "username": ["/member/user"]}})),
            system("members-json", json!({"kind": "json", "path": "data/members.json", "records": "/data", "identifiers": ["member_no"],
                "match": {"member_no": ["/no"], "name": ["/name"]}})),
        ]
    });
    let path = dir.join("register.json");
    std::fs::write(&path, serde_json::to_string_pretty(&register).unwrap()).unwrap();
    path
}

#[test]
fn probes_through_custom_identifiers_match_only_exact_values() {
    let db = TempDb::new();
    let mut store = db.create();
    let reg = probe_register(&db.dir.path().join("probe"));
    register_store::import_file(&mut store, &ctx(TODAY), &reg).unwrap();
    secrets::set(&mut store, &ctx(TODAY), "hash_key", "hash-key").unwrap();
    for probe in ["' OR 1=1 --", "%", "_", "%00", "../data/accounts.sqlite", "{secret:hash_key}", "K-%", "anna' --", "Anna Schmidt' OR '1'='1"] {
        let ids = vec![("customer_id".to_string(), probe.to_string()), ("username".into(), probe.into()), ("member_no".into(), probe.into())];
        let case = new_case(&mut store, probe, &ids);
        let report = pull::run(&mut store, &ctx(TODAY), &case.reference.to_string(), &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
        for s in &report.systems {
            assert_eq!((s.result.status, s.result.records), (PullStatus::Ok, 0), "probe {probe:?} in {}: {:?}", s.result.system_id, s.result.error);
        }
    }
    // The same connectors do find exact values: member M-1 / number 7, user anna, the name.
    let ids = vec![("member_no".to_string(), "7".to_string()), ("username".into(), "anna".into()), ("customer_id".into(), "K-1001".into())];
    let case = new_case(&mut store, "  anna   SCHMIDT ", &ids);
    let report = pull::run(&mut store, &ctx(TODAY), &case.reference.to_string(), &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
    let counts: BTreeMap<_, _> = report.systems.iter().map(|s| (s.result.system_id.as_str(), s.result.records)).collect();
    assert_eq!(counts, BTreeMap::from([("accounts", 3), ("members-csv", 1), ("members-json", 1), ("members-jsonl", 2)]), "{report:?}");
}

#[test]
fn derived_identifiers_match_keyed_hashes_and_need_their_secret() {
    let db = TempDb::new();
    let mut store = db.create();
    let reg = probe_register(&db.dir.path().join("probe"));
    // A member row holding the subject's keyed phone hash (upper-case hex: compared ignoring case).
    let csv_path = db.dir.path().join("probe/data/members.csv");
    let mut text = std::fs::read_to_string(&csv_path).unwrap();
    text.push_str(&format!("M-9;zed;Zed Null;{}\n", hmac_hex("hash-key", "wa:+491711234567").to_uppercase()));
    std::fs::write(&csv_path, text).unwrap();
    register_store::import_file(&mut store, &ctx(TODAY), &reg).unwrap();
    let ids = vec![("phone".to_string(), "0171 1234567".to_string())];
    let case = new_case(&mut store, "Nobody Here", &ids);
    let reference = case.reference.to_string();
    let opts = PullOptions { systems: vec!["members-csv".into()], ..PullOptions::default() };
    let report = pull::run(&mut store, &ctx(TODAY), &reference, &opts, &|_| {}, &Cancel::new()).unwrap();
    assert_eq!(report.systems[0].result.status, PullStatus::Error);
    assert_eq!(report.systems[0].result.error.as_deref(), Some("secret 'hash_key' is not set — set it in Settings → Secrets, or run: dsar secret set hash_key"));
    secrets::set(&mut store, &ctx(TODAY), "hash_key", "hash-key").unwrap();
    let report = pull::run(&mut store, &ctx(TODAY), &reference, &opts, &|_| {}, &Cancel::new()).unwrap();
    assert_eq!((report.systems[0].result.status, report.systems[0].result.records), (PullStatus::Ok, 1), "{report:?}");
    let ev = evidence::for_case(store.conn(), &case.id).unwrap();
    assert_eq!(ev[0].record["member_no"], "M-9");
    assert_eq!(ev[0].locator, "members.csv:4");
}

/// Independent HMAC-SHA256 (RFC 2104 over the sha2 crate) for the expected digest.
fn hmac_hex(key: &str, msg: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key.as_bytes());
    let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(msg.bytes()).collect();
    let inner = Sha256::digest(&inner);
    let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(inner.iter().copied()).collect();
    hex::encode(Sha256::digest(&outer))
}

#[test]
fn case_pull_json_and_the_other_subcommands_through_the_cli() {
    let db = TempDb::new();
    let firm = firms::jaimo(&db.dir.path().join("firm"), 500, 12);
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", firm.register.to_str().unwrap()]));
    for (name, value) in &firm.secrets {
        assert!(secret_set(&db, name, value).contains(&format!("secret {name} stored")));
    }
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Max Mustermann", "--email", "max.mustermann@example.org", "--phone", "0171 1234567", "--received", "2026-11-02"]));
    let reference = reference.trim();

    let out = db.dsar(&["case", "pull", reference, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["systems"]);
    let systems = v["systems"].as_array().unwrap();
    let ids: Vec<_> = systems.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["dashboard", "slack", "salesforce", "gmail", "fastbill", "cleverreach"], "register order");
    for s in systems {
        let keys: Vec<_> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "status", "records", "duration_ms", "error"]);
        assert!(s["records"].is_u64() && s["duration_ms"].is_u64());
        match s["status"].as_str().unwrap() {
            "ok" | "manual" => assert!(s["error"].is_null()),
            "error" => assert!(s["error"].is_string()),
            other => panic!("status {other}"),
        }
    }
    let by_id = |id: &str| systems.iter().find(|s| s["id"] == id).unwrap().clone();
    assert_eq!(by_id("dashboard")["records"], 6);
    assert_eq!(by_id("gmail")["status"], "manual");
    assert!(systems.iter().all(|s| s["status"] != "error"), "{v}");
    // The case has only the main address: its two CleverReach receivers.
    assert_eq!((by_id("cleverreach")["status"].as_str(), by_id("cleverreach")["records"].as_u64()), (Some("ok"), Some(2)), "{v}");
    assert!(stderr(&out).contains("dsar: warning: slack: 2 line(s)"), "{}", stderr(&out));

    let human = ok(db.dsar(&["case", "pull", reference, "--system", "salesforce"]));
    assert!(human.contains("salesforce") && human.contains("ok") && !human.contains("dashboard"), "{human}");
    let bad = db.dsar(&["case", "pull", reference, "--system", "nope"]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(stderr(&bad).lines().count(), 1);
    assert!(stderr(&bad).contains("unknown system id 'nope'") && stderr(&bad).contains("dashboard, slack"), "{}", stderr(&bad));

    let ev: Value = serde_json::from_str(&ok(db.dsar(&["case", "evidence", reference, "--system", "dashboard", "--json"]))).unwrap();
    let items = ev["evidence"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|e| e["system"] == "dashboard" && e["locator"].as_str().unwrap().starts_with("query ")));
    let preview = ok(db.dsar(&["case", "evidence", reference]));
    // 6 dashboard + 5 slack + 2 salesforce + 3 fastbill + 2 cleverreach.
    assert!(preview.contains("slack-notifications.jsonl:") && preview.contains("18 records"), "{preview}");

    let t: Value = serde_json::from_str(&ok(db.dsar(&["case", "tasks", reference, "--json"]))).unwrap();
    let tasks = t["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0]["system"].as_str(), tasks[0]["status"].as_str(), tasks[0]["kind"].as_str()), (Some("gmail"), Some("open"), Some("manual-search")));
    let id = tasks[0]["id"].as_str().unwrap();
    assert!(ok(db.dsar(&["task", "done", id])).contains("done"));
    let t: Value = serde_json::from_str(&ok(db.dsar(&["case", "tasks", reference, "--json"]))).unwrap();
    assert_eq!(t["tasks"][0]["status"], "done");
    let missing = db.dsar(&["task", "done", "0190-nope"]);
    assert_eq!(missing.status.code(), Some(1));
    let timeline = ok(db.dsar(&["case", "timeline", reference]));
    assert!(timeline.contains("case.pulled") && timeline.contains("task.done"), "{timeline}");

    let test = ok(db.dsar(&["register", "test"]));
    for id in ["dashboard", "slack", "salesforce", "gmail", "fastbill", "cleverreach"] {
        assert!(test.contains(&format!("ok    {id}")), "{test}");
    }
    assert!(test.contains("http://127.0.0.1:18080/ answered (HTTP 200)"), "{test}");
    let test = ok(db.dsar(&["register", "test", "dashboard", "fastbill", "gmail", "cleverreach", "--json"]));
    let v: Value = serde_json::from_str(&test).unwrap();
    assert!(v["systems"].as_array().unwrap().iter().all(|s| s["ok"] == true), "{v}");

    // One failing system: `register test` exits 1 naming it; the pull still exits 0.
    std::fs::remove_file(&firm.files["fastbill"]).unwrap();
    let test = db.dsar(&["register", "test"]);
    assert_eq!(test.status.code(), Some(1));
    assert!(stdout(&test).contains("ok    cleverreach") && stdout(&test).contains("FAIL  fastbill"), "{}", stdout(&test));
    assert!(stdout(&test).contains("file missing"), "{}", stdout(&test));
    assert_eq!(stderr(&test).trim(), "dsar: 1 of 6 systems failed the test: fastbill");
    let test = db.dsar(&["register", "test", "fastbill"]);
    assert_eq!(test.status.code(), Some(1));
    let out = db.dsar(&["case", "pull", reference, "--system", "fastbill", "--system", "dashboard", "--json"]);
    assert_eq!(out.status.code(), Some(0), "partial success exits 0: {}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["systems"][0]["id"], "dashboard");
    assert_eq!((v["systems"][1]["status"].as_str(), v["systems"][1]["records"].as_u64()), (Some("error"), Some(0)), "{v}");
    assert!(v["systems"][1]["error"].as_str().unwrap().starts_with("file missing: "), "{v}");
}

/// `dsar secret set NAME` with the value on standard input; returns stdout.
fn secret_set(db: &TempDb, name: &str, value: &str) -> String {
    let mut child = dsar_cmd()
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .args(["secret", "set", name])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dsar");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), value.as_bytes()).unwrap();
    ok(child.wait_with_output().unwrap())
}
