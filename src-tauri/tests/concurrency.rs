//! The desk's rule for work on a second connection, tested with a real pull in flight (held
//! inside its HTTP search by a peer on 127.0.0.1 that answers only when the test lets it):
//! a passphrase change, a restore and locking the desk are refused with `Conflict` while it
//! runs — they would re-encrypt or move the file under the pull's connection — and change
//! nothing; a backup and quick operations go on meanwhile. Once the pull has finished, its
//! evidence is stored, the passphrase change succeeds, and a restore keeps the replaced
//! database (with the pull's evidence) beside the desk.

mod common;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use dsar_desk::{api, settings_api, ErrorCode};
use serde_json::json;

const EMAIL: &str = "jana.beispiel@example.org";
const RECORDS: usize = 40;
const NEW_PASS: &str = "a newer passphrase for the desk";

/// Holds each request until `release` is set, then answers with `RECORDS` records.
fn slow_peer() -> (u16, Arc<AtomicUsize>, Arc<AtomicBool>) {
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
            let data: Vec<_> = (0..RECORDS).map(|i| json!({"id": i, "email": EMAIL})).collect();
            let body = json!({ "data": data }).to_string();
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    (port, asked, release)
}

fn register(dir: &std::path::Path, port: u16) -> String {
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
    path.display().to_string()
}

#[test]
fn a_passphrase_change_a_restore_and_a_lock_are_refused_while_a_pull_runs_and_nothing_is_lost() {
    let (dir, desk) = fresh_desk();
    let (port, asked, release) = slow_peer();
    api::import_register(&desk, register(dir.path(), port)).unwrap();
    let reference = api::create_case(&desk, new_case("Jana Beispiel", EMAIL, "2026-11-02")).unwrap();
    let before = dir.path().join("before.bak");
    settings_api::backup_database(&desk, before.display().to_string()).unwrap();
    let during = dir.path().join("during.bak");

    let summary = std::thread::scope(|s| {
        let puller = s.spawn(|| api::pull_case(&desk, reference.clone(), vec![], &|_| {}));
        let started = Instant::now();
        while asked.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(20), "the pull never reached the peer");
            std::thread::sleep(Duration::from_millis(10));
        }
        // Refused while the pull holds its second connection, with words saying why.
        let e = settings_api::change_passphrase(&desk, PASS.into(), NEW_PASS.into(), NEW_PASS.into()).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
        assert!(e.message.contains("still running") && e.message.contains("change the passphrase"), "{}", e.message);
        let e = settings_api::restore_database(&desk, before.display().to_string(), PASS.into()).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
        assert!(e.message.contains("restore"), "{}", e.message);
        assert_eq!(api::lock_desk(&desk).unwrap_err().code, ErrorCode::Conflict);
        // The desk stays usable meanwhile: a backup and a new case.
        settings_api::backup_database(&desk, during.display().to_string()).unwrap();
        api::create_case(&desk, new_case("Otto Zwischendurch", "otto@example.org", "2026-11-03")).unwrap();
        assert!(!puller.is_finished(), "the pull was still waiting for the peer");
        release.store(true, Ordering::SeqCst);
        puller.join().unwrap()
    });
    let summary = summary.unwrap();
    assert!(!summary.cancelled);
    assert_eq!((summary.systems[0].status.as_str(), summary.systems[0].records), ("ok", RECORDS as u64));

    // Nothing was changed by the refused operations: same file, same passphrase, all there.
    assert!(api::desk_status(&desk).unwrap().unlocked);
    let case = api::get_case(&desk, reference.clone()).unwrap();
    assert_eq!(case.systems.iter().map(|s| s.records).sum::<u64>(), RECORDS as u64);
    assert_eq!(api::list_cases(&desk, query()).unwrap().total, 2);
    let kept: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.contains("before-restore")).collect();
    assert!(kept.is_empty(), "a refused restore moved the desk: {kept:?}");
    let plain = dsar::store::Store::open(&dir.path().join("dsar.db"), PASS).expect("still the old passphrase");
    assert_eq!(plain.integrity_check().unwrap(), Ok(()));
    assert!(dsar::audit::verify(plain.conn()).unwrap().is_intact());
    drop(plain);

    // Idle again: the passphrase change goes through and the pull's evidence is still there.
    settings_api::change_passphrase(&desk, PASS.into(), NEW_PASS.into(), NEW_PASS.into()).unwrap();
    api::lock_desk(&desk).unwrap();
    api::unlock(&desk, NEW_PASS.into()).unwrap();
    assert_eq!(api::get_case(&desk, reference.clone()).unwrap().systems.iter().map(|s| s.records).sum::<u64>(), RECORDS as u64);

    // And a restore (of the backup taken mid-pull) keeps the replaced desk, pull included.
    let restored = settings_api::restore_database(&desk, during.display().to_string(), PASS.into()).unwrap();
    assert_eq!(restored.cases, 1, "the backup was taken before the second case was created");
    let old = dsar::store::Store::open(std::path::Path::new(&restored.kept_path), NEW_PASS).unwrap();
    let evidence: i64 = old.conn().query_row("SELECT count(*) FROM evidence", [], |r| r.get(0)).unwrap();
    assert_eq!(evidence, RECORDS as i64, "the replaced desk keeps the pull's evidence");
    assert!(dsar::audit::verify(old.conn()).unwrap().is_intact());
}
