//! Two writers on one desk at the same moment, with real work in flight: a pull that is held
//! inside its HTTP search (a peer on 127.0.0.1 that answers only when the test lets it) while
//! a backup is taken and the `dsar` CLI creates a case; and the CLI writing while this
//! process holds the desk's write lock — it waits and succeeds, or after the 5 s busy
//! timeout says "the desk is busy" and changes nothing. Nothing committed may be lost and
//! the desk must pass its integrity check and audit chain afterwards.
//!
//! The app's own rule — a passphrase change, a restore or a lock is refused while a pull runs
//! on its second connection — is tested in `src-tauri/tests/concurrency.rs`.

mod common;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use dsar::audit;
use dsar::cases::{self, NewCase};
use dsar::connectors::Cancel;
use dsar::domain::{Channel, IdentifierKind, Right};
use dsar::evidence::{self, PullStatus};
use dsar::pull::{self, PullOptions};
use dsar::store::Store;
use serde_json::json;

const EMAIL: &str = "jana.beispiel@example.org";
const RECORDS: usize = 40;

/// An HTTP peer that holds every request until `release` is set, then answers with
/// `RECORDS` records of the subject.
struct SlowPeer {
    port: u16,
    asked: Arc<AtomicUsize>,
    release: Arc<AtomicBool>,
}

impl SlowPeer {
    fn start() -> SlowPeer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(AtomicBool::new(false));
        let (a, r) = (asked.clone(), release.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                a.fetch_add(1, Ordering::SeqCst);
                let started = Instant::now();
                while !r.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(25) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                let data: Vec<_> = (0..RECORDS).map(|i| json!({"id": i, "email": EMAIL, "event": format!("login {i}")})).collect();
                let body = json!({ "data": data }).to_string();
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
        SlowPeer { port, asked, release }
    }

    /// Waits until the pull's request has arrived (it is now held in the search).
    fn wait_asked(&self) {
        let started = Instant::now();
        while self.asked.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(20), "the pull never reached the peer");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn register(dir: &std::path::Path, port: u16) -> std::path::PathBuf {
    let doc = json!({
        "format": "dsar-register", "version": 1,
        "controller": {
            "name": "Beispiel GmbH", "address": ["Hauptstr. 1", "50667 Köln"],
            "email": "privacy@beispiel.example", "country": "DE", "region": "DE-NW",
            "language": "de", "jurisdiction": "gdpr", "supervisory_authority": {"name": "LDI NRW"}
        },
        "systems": [{
            "id": "crm", "name": {"de": "CRM", "en": "CRM"}, "role": "processor",
            "purposes": ["Vertrag"], "data_categories": ["E-Mail"], "legal_bases": ["art6-1-b"],
            "retention": {"description": "Bis Vertragsende", "period": "P3Y"},
            "recipients": [], "transfers": [], "source": "data-subject",
            "automated_decision_making": false,
            "connector": {"kind": "http", "url": format!("http://127.0.0.1:{port}/v3/receivers?email={{email}}"), "records": "/data"}
        }]
    });
    let path = dir.join("register.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

fn new_case(name: &str, email: &str) -> NewCase {
    NewCase {
        rights: vec![Right::Access],
        name: name.into(),
        address: vec![],
        identifiers: vec![(IdentifierKind::Email, email.into())],
        received: date("2026-11-02"),
        jurisdiction: None,
        region: None,
        language: None,
        channel: Channel::Email,
    }
}

/// A desk whose one system is the held peer, and Jana's case on it: the store that made them
/// (still open, as the app's is) and the peer, which answers only once released.
fn desk_asking_a_held_peer() -> (TempDb, SlowPeer, Store, cases::Case) {
    let db = TempDb::new();
    let peer = SlowPeer::start();
    let mut app = db.create();
    let c = ctx("2026-11-21");
    dsar::register_store::import_file(&mut app, &c, &register(db.dir.path(), peer.port)).unwrap();
    let case = cases::create(&mut app, &c, new_case("Jana Beispiel", EMAIL)).unwrap();
    (db, peer, app, case)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_and_a_cli_write_during_a_running_pull_lose_nothing() {
    let (db, peer, mut app, case) = desk_asking_a_held_peer();
    let c = ctx("2026-11-21");
    let reference = case.reference.to_string();
    let dir = tempfile::tempdir().unwrap();
    let during = dir.path().join("during.bak");

    let report = std::thread::scope(|s| {
        // The pull on its own connection, as the app runs it.
        let puller = s.spawn(|| {
            let mut second = db.open();
            pull::run(&mut second, &ctx("2026-11-21"), &reference, &PullOptions::default(), &|_| {}, &Cancel::new())
        });
        peer.wait_asked();
        // While the pull waits for the peer: a backup, and the CLI creates a case.
        let done = dsar::backup::backup(&mut app, &c, &during).unwrap();
        assert!(done.bytes > 0);
        let cli = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Otto Zwischendurch", "--email", "otto@example.org", "--received", "2026-11-03"]));
        assert_eq!(cli.trim(), "DSAR-2026-0002");
        assert!(!puller.is_finished(), "the pull was still waiting for the peer");
        peer.release.store(true, Ordering::SeqCst);
        puller.join().unwrap()
    });
    let report = report.unwrap();
    assert!(!report.cancelled);
    assert_eq!(report.systems.len(), 1);
    assert_eq!((report.systems[0].result.status, report.systems[0].result.records), (PullStatus::Ok, RECORDS as u64));

    // The pull's evidence and the CLI's case are both in the desk.
    let store = db.open();
    assert_eq!(evidence::for_case(store.conn(), &case.id).unwrap().len(), RECORDS);
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), 2);
    assert!(cases::get(&store, "DSAR-2026-0002").is_ok());
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    assert!(audit::verify(store.conn()).unwrap().is_intact());
    let actions: Vec<String> = audit::for_case(store.conn(), &case.id).unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "case.pulled"), "{actions:?}");

    // The backup taken mid-pull verifies (opens, integrity check, audit chain) and holds the
    // desk as it was then: the one case, the pull not yet written.
    let verified = dsar::backup::verify(&db.path, &during, PASS).unwrap();
    assert_eq!(verified.cases, 1);
    drop(verified);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&during, &copy).unwrap();
    let old = Store::open(&copy, PASS).unwrap();
    assert_eq!(old.integrity_check().unwrap(), Ok(()));
    assert_eq!(count(&old, "SELECT count(*) FROM evidence"), 0);
    assert!(audit::verify(old.conn()).unwrap().is_intact());
}

#[test]
fn the_cli_writing_while_this_process_holds_the_write_lock_waits_or_says_the_desk_is_busy() {
    let db = TempDb::new();
    let mut app = db.create();
    let c = ctx("2026-11-21");
    cases::create(&mut app, &c, new_case("Erste Person", "a@example.org")).unwrap();

    // Held for one second: the CLI waits (busy timeout 5 s) and then succeeds.
    let (created, waited) = std::thread::scope(|s| {
        let tx = app.conn().unchecked_transaction().unwrap();
        tx.execute("INSERT INTO settings (key, value) VALUES ('holding', '1')", []).unwrap();
        let started = Instant::now();
        let cli = s.spawn(|| db.dsar(&["case", "new", "--right", "access", "--name", "Zweite Person", "--email", "b@example.org", "--received", "2026-11-03"]));
        std::thread::sleep(Duration::from_millis(1000));
        tx.commit().unwrap();
        let out = cli.join().unwrap();
        (ok(out), started.elapsed())
    });
    assert_eq!(created.trim(), "DSAR-2026-0002");
    assert!(waited >= Duration::from_millis(900), "the CLI did not wait for the lock: {waited:?}");

    // Held past the busy timeout: one clear line, exit 1, nothing written by the CLI.
    let tx = app.conn().unchecked_transaction().unwrap();
    tx.execute("INSERT INTO settings (key, value) VALUES ('holding2', '1')", []).unwrap();
    let started = Instant::now();
    let out = db.dsar(&["case", "new", "--right", "access", "--name", "Dritte Person", "--email", "c@example.org", "--received", "2026-11-04"]);
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("the desk is busy") && err.contains("nothing was changed"), "{err}");
    assert!(waited >= Duration::from_secs(4), "gave up before the busy timeout: {waited:?}");
    tx.commit().unwrap();

    assert_eq!(count(&app, "SELECT count(*) FROM cases"), 2);
    assert_eq!(count(&app, "SELECT count(*) FROM settings WHERE key IN ('holding', 'holding2')"), 2, "this process's writes are kept");
    assert_eq!(app.integrity_check().unwrap(), Ok(()));
    assert!(audit::verify(app.conn()).unwrap().is_intact());
    // And the CLI works again once the lock is free, numbering on.
    assert_eq!(ok(db.dsar(&["case", "new", "--right", "access", "--name", "Dritte Person", "--email", "c@example.org", "--received", "2026-11-04"])).trim(), "DSAR-2026-0003");
}

/// A restore by one `dsar` process while another `dsar` process pulls the same desk: the app's
/// in-process rule (refused while a pull runs) cannot see another process. Once the restore
/// let it go on (its writes landed in the file put aside, `<desk>.before-restore-<time>`, not
/// in the desk the user sees; before that fix, in neither). Now the restore sees that it does
/// not have the desk to itself and refuses, changing nothing; the pull's records stay in the
/// desk; the same restore goes through once the pull has ended.
#[test]
fn a_cli_restore_is_refused_while_another_process_pulls_and_goes_through_once_it_is_done() {
    let (db, peer, mut app, case) = desk_asking_a_held_peer();
    let c = ctx("2026-11-21");
    let dir = tempfile::tempdir().unwrap();
    let bak = dir.path().join("before.bak");
    dsar::backup::backup(&mut app, &c, &bak).unwrap();
    drop(app);

    let pull = dsar_cmd()
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .args(["case", "pull", &case.reference.to_string(), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    peer.wait_asked();
    // The pull holds the desk: whatever it writes after a swap would land in the file put
    // aside, so the restore says so and changes nothing.
    let refused = db.dsar(&["restore", bak.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("another program has this desk open"), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("nothing was changed"), "{}", stderr(&refused));
    let beside: Vec<String> = std::fs::read_dir(db.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!beside.iter().any(|n| n.contains("before-restore")), "nothing was put aside: {beside:?}");
    peer.release.store(true, Ordering::SeqCst);
    let pulled = pull.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_str(&ok(pulled)).unwrap();
    assert_eq!(report["systems"][0]["records"], RECORDS, "{report}");

    // The pull's records are in the desk the user sees.
    let store = db.open();
    assert_eq!(count(&store, "SELECT count(*) FROM evidence"), RECORDS as i64, "the pull's records are lost");
    drop(store);
    // With the pull done, the same restore goes through: the desk is the backup again and the
    // replaced file, named by the restore, keeps the pull.
    let restored = ok(db.dsar(&["restore", bak.to_str().unwrap()]));
    let store = db.open();
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    assert!(audit::verify(store.conn()).unwrap().is_intact());
    assert_eq!(evidence::for_case(store.conn(), &case.id).unwrap().len(), 0);
    drop(store);
    let kept = restored.trim().rsplit(' ').next().unwrap().to_string();
    assert!(kept.contains("before-restore-"), "{restored}");
    let old = Store::open(std::path::Path::new(&kept), PASS).unwrap();
    assert_eq!(old.integrity_check().unwrap(), Ok(()));
    assert_eq!(count(&old, "SELECT count(*) FROM evidence"), RECORDS as i64);
    assert!(audit::verify(old.conn()).unwrap().is_intact());
    let actions: Vec<String> = audit::for_case(old.conn(), &case.id).unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "case.pulled"), "{actions:?}");
}

/// A pull cancelled while a system is being asked (mid-flight, not before any work): the
/// answer that arrives after the cancel is not a finished search. The system is `cancelled`
/// with no evidence, the report and its audit event say the pull was cancelled.
#[test]
fn a_pull_cancelled_while_a_system_is_asked_keeps_nothing_that_answered_after_the_cancel() {
    // The store that made the desk stays open during the pull, as the app's does.
    let (db, peer, _app, case) = desk_asking_a_held_peer();
    let reference = case.reference.to_string();
    let cancel = Cancel::new();

    let report = std::thread::scope(|s| {
        let puller = s.spawn(|| {
            let mut second = db.open();
            pull::run(&mut second, &ctx("2026-11-21"), &reference, &PullOptions::default(), &|_| {}, &cancel)
        });
        peer.wait_asked();
        cancel.cancel();
        // The peer answers in full after the cancel.
        peer.release.store(true, Ordering::SeqCst);
        puller.join().unwrap()
    })
    .unwrap();
    assert!(report.cancelled);
    assert_eq!((report.systems[0].result.status, report.systems[0].result.records), (PullStatus::Cancelled, 0));
    let store = db.open();
    assert_eq!(evidence::for_case(store.conn(), &case.id).unwrap().len(), 0, "nothing kept from after the cancel");
    let pulled: Vec<serde_json::Value> = audit::for_case(store.conn(), &case.id).unwrap().into_iter().filter(|e| e.action == "case.pulled").map(|e| serde_json::from_str(&e.details).unwrap()).collect();
    assert_eq!(pulled.len(), 1);
    assert_eq!(pulled[0]["cancelled"], true, "{}", pulled[0]);
    assert_eq!(pulled[0]["systems"][0]["status"], "cancelled", "{}", pulled[0]);
}
