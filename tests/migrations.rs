//! Upgrades from committed database files. `tests/data/migrations/v1.desk`, `v4.desk` and `v7.desk`
//! (SQLCipher database files; not `.db`, which `.gitignore` keeps out) are desks frozen at schema V1, V4 and V7, each with three cases (one with its
//! clock stopped), identifiers and audit events; from V2 evidence and a letter; from V3 the
//! search index rows that release wrote; from V7 a bundle kept on disk (V6) and an approved
//! erasure plan with its result. Unlike `store.rs`'
//! `desks_of_every_earlier_schema_open_with_…` (which builds the old desk with today's
//! migration files, stopped at a level), these files do not change when a migration file is
//! edited: an edited earlier migration, or a new one that breaks on real old data, fails here.
//!
//! The files were made once with `Store::create_at_schema` (refinery stopped at the level)
//! and SQL fitting that level; `DSAR_MAKE_MIGRATION_FIXTURES=1 cargo test --test migrations
//! -- --ignored make_fixtures` makes them again (only ever for a new level: never remake
//! existing ones, that is what they guard against).

mod common;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use common::*;
use dsar::audit;
use dsar::cases;
use dsar::store::Store;

/// The passphrase the fixture desks were written with.
const OLD_PASS: &str = "fixture passphrase of an older desk";
const LEVELS: [i32; 3] = [1, 4, 7];
const LETTER: &[u8] = b"%PDF-1.7\n% a letter saved by an older release\n%%EOF\n";
/// (name, e-mail, status, surname searched for)
const PEOPLE: [(&str, &str, &str, &str); 3] = [
    ("Erika Altbestand", "erika.alt@example.org", "awaiting-identity", "Altbestand"),
    ("Otto Vorversion", "otto.v@example.org", "in-progress", "Vorversion"),
    ("Zoë Überführt", "zoe.u@example.org", "new", "Überführt"),
];

fn fixture(level: i32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/migrations/v{level}.desk"))
}

fn case_id(i: usize) -> String {
    format!("0190a000-0000-7000-8000-00000000000{i}")
}

/// Writes an old desk's content with SQL fitting `level` (no code of this release but the
/// audit chain's `append`, whose format has not changed since V1).
fn fill(path: &Path, level: i32) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", OLD_PASS).unwrap();
    let tx = conn.transaction().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-10T09:30:00Z").unwrap().with_timezone(&chrono::Utc);
    let at = now.to_rfc3339();
    for (i, (name, email, status, _)) in PEOPLE.iter().enumerate() {
        let id = case_id(i);
        let reference = format!("DSAR-2026-000{}", i + 1);
        let rights = if i == 1 { "access,erasure" } else { "access" };
        tx.execute(
            "INSERT INTO cases (id, year, seq, reference, rights, subject_name, subject_address, channel, received, jurisdiction, region,
                                language, status, due, extended_due, effective_due, created_at, updated_at)
             VALUES (?1, 2026, ?2, ?3, ?4, ?5, '[\"Hauptstr. 1\",\"50667 Köln\"]', 'email', '2026-11-02', 'gdpr', 'DE-NW', 'de', ?6, '2026-12-02', NULL, '2026-12-02', ?7, ?7)",
            rusqlite::params![id, i as i64 + 1, reference, rights, name, status, at],
        )
        .unwrap();
        tx.execute("INSERT INTO identifiers (case_id, kind, value) VALUES (?1, 'email', ?2)", [&id, &email.to_string()]).unwrap();
        if level >= 3 {
            tx.execute("INSERT INTO case_search (case_id, text) VALUES (?1, ?2)", [&id, &format!("{reference} {name} {email}")]).unwrap();
        }
        if i == 0 {
            tx.execute("INSERT INTO pauses (case_id, seq, reason, asked, received) VALUES (?1, 1, 'identity', '2026-11-05', NULL)", [&id]).unwrap();
        }
        audit::append(&tx, Some(&id), "release-test", "case.created", &serde_json::json!({"reference": reference}), now).unwrap();
        if level >= 2 && i < 2 {
            for n in 0..3 {
                tx.execute(
                    "INSERT INTO evidence (case_id, system_id, dataset, locator, record, pulled_at) VALUES (?1, 'crm', 'kunden', ?2, ?3, ?4)",
                    rusqlite::params![id, format!("kunden.csv:{}", n + 2), serde_json::json!({"E-Mail": email, "Zeile": n}).to_string(), at],
                )
                .unwrap();
            }
            tx.execute(
                "INSERT INTO documents (id, case_id, kind, language, file_name, media_type, content, sha256, created_at)
                 VALUES (?1, ?2, 'access-response', 'de', 'antwort.pdf', 'application/pdf', ?3, ?4, ?5)",
                rusqlite::params![format!("{id}-doc"), id, LETTER, hex::encode(Sha256::digest(LETTER)), at],
            )
            .unwrap();
            audit::append(&tx, Some(&id), "release-test", "document.saved", &serde_json::json!({"kind": "access-response"}), now).unwrap();
        }
    }
    if level >= 6 {
        tx.execute(
            "INSERT INTO documents (id, case_id, kind, language, file_name, media_type, content, sha256, created_at, size, path)
             VALUES ('bundle-doc', ?1, 'bundle', 'de', 'export.zip', 'application/zip', x'', ?2, ?3, 12345, '/home/dpo/export.zip')",
            rusqlite::params![case_id(1), "ab".repeat(32), at],
        )
        .unwrap();
    }
    if level >= 7 {
        tx.execute(
            "INSERT INTO action_plans (id, case_id, body, created_at, approved_at, approved_by) VALUES ('plan-1', ?1, '{\"systems\":[]}', ?2, ?2, 'dpo')",
            rusqlite::params![case_id(1), at],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO action_results (case_id, plan_id, system_id, action, status, rows, statements, started_at, finished_at)
             VALUES (?1, 'plan-1', 'crm', 'erase', 'done', 3, '[{\"name\":\"delete\",\"action\":\"erase\",\"rows\":3}]', ?2, ?2)",
            rusqlite::params![case_id(1), at],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
#[ignore = "makes the committed fixtures; run only for a new level"]
fn make_fixtures() {
    if std::env::var("DSAR_MAKE_MIGRATION_FIXTURES").as_deref() != Ok("1") {
        return;
    }
    for level in LEVELS {
        let path = fixture(level);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("old.db");
        Store::create_at_schema(&work, OLD_PASS, level).unwrap();
        fill(&work, level);
        let conn = rusqlite::Connection::open(&work).unwrap();
        conn.pragma_update(None, "key", OLD_PASS).unwrap();
        // As the old release left it: compacted, in WAL mode (set at every open), checkpointed.
        conn.execute_batch("VACUUM").unwrap();
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        drop(conn);
        assert!(!tmp.path().join("old.db-wal").exists(), "checkpointed and closed");
        std::fs::copy(&work, &path).unwrap();
    }
}

fn schema_level(path: &Path, pass: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", pass).unwrap();
    conn.query_row("SELECT MAX(version) FROM refinery_schema_history", [], |r| r.get(0)).unwrap()
}

/// A private copy of the committed fixture (opening migrates it).
fn copy_of(level: i32) -> (tempfile::TempDir, PathBuf) {
    let src = fixture(level);
    assert!(src.is_file(), "{} is missing: it is committed with this test", src.display());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    std::fs::copy(&src, &path).unwrap();
    (dir, path)
}

#[test]
fn committed_v1_v4_v7_desks_open_with_every_case_the_search_index_and_the_audit_chain() {
    let newest = {
        let db = TempDb::new();
        drop(db.create());
        schema_level(&db.path, PASS)
    };
    for level in LEVELS {
        let (_dir, path) = copy_of(level);
        assert_eq!(schema_level(&path, OLD_PASS), i64::from(level), "the fixture is at V{level}");
        let events_before: i64 = {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.pragma_update(None, "key", OLD_PASS).unwrap();
            conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap()
        };

        let store = Store::open(&path, OLD_PASS).unwrap_or_else(|e| panic!("V{level}: {e}"));
        assert_eq!(schema_level(&path, OLD_PASS), newest, "V{level}: migrated to the newest schema");
        assert_eq!(store.integrity_check().unwrap(), Ok(()), "V{level}");
        let chain = audit::verify(store.conn()).unwrap();
        assert!(chain.is_intact(), "V{level}: audit chain");
        let events_after: i64 = store.conn().query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap();
        assert!(events_after >= events_before, "V{level}: audit events lost ({events_before} → {events_after})");
        assert!(PathBuf::from(format!("{}.schema-{level}.bak", path.display())).exists(), "V{level}: no copy before migrating");

        // Every case, as written by the old release.
        for (i, (name, email, status, surname)) in PEOPLE.iter().enumerate() {
            let reference = format!("DSAR-2026-000{}", i + 1);
            let case = cases::get(&store, &reference).unwrap_or_else(|e| panic!("V{level} {reference}: {e}"));
            assert_eq!(case.id, case_id(i));
            assert_eq!(case.subject.name, *name, "V{level}");
            assert_eq!(case.subject.identifiers.len(), 1, "V{level}");
            assert_eq!(case.subject.identifiers[0].value, *email, "V{level}");
            assert_eq!(case.status.code(), *status, "V{level} {reference}");
            assert_eq!(case.pauses.len(), usize::from(i == 0), "V{level} {reference}: pauses");
            assert_eq!(case.subject.address, ["Hauptstr. 1", "50667 Köln"], "V{level}");
            // The search index finds each case by its surname (before V3 there was no index:
            // the migration must have built it from the cases).
            let mut q = cases::ListQuery::new(date("2026-11-21"));
            q.search = Some((*surname).into());
            let found: Vec<String> = cases::list(&store, &q).unwrap().items.iter().map(|c| c.reference.to_string()).collect();
            assert_eq!(found, [reference.as_str()], "V{level}: search for {surname}");
            let mut q = cases::ListQuery::new(date("2026-11-21"));
            q.search = Some((*email).into());
            assert_eq!(cases::list(&store, &q).unwrap().items.len(), 1, "V{level}: search for {email}");
        }
        let all = cases::list(&store, &cases::ListQuery::new(date("2026-11-21"))).unwrap();
        assert_eq!(all.items.len(), 3, "V{level}: every case listed");

        if level >= 2 {
            for i in 0..2 {
                let ev = dsar::evidence::for_case(store.conn(), &case_id(i)).unwrap();
                assert_eq!(ev.len(), 3, "V{level}: evidence of case {i}");
                let docs = dsar::documents::list(store.conn(), &case_id(i)).unwrap();
                let letter = docs.iter().find(|d| d.kind == "access-response").expect("letter");
                let (_, bytes) = dsar::documents::read(store.conn(), &case_id(i), &letter.id).unwrap();
                assert_eq!(bytes, LETTER, "V{level}: letter bytes");
            }
        }
        if level >= 7 {
            let docs = dsar::documents::list(store.conn(), &case_id(1)).unwrap();
            let bundle = docs.iter().find(|d| d.kind == "bundle").expect("bundle document");
            assert_eq!(bundle.bytes, 12345, "V{level}: bundle size kept");
            let rows: i64 = store.conn().query_row("SELECT rows FROM action_results WHERE plan_id = 'plan-1'", [], |r| r.get(0)).unwrap();
            assert_eq!(rows, 3, "V{level}: acting records kept");
        }

        // The desk works on: a new case is numbered after the old ones, the chain still holds.
        let mut store = store;
        let created = cases::create(
            &mut store,
            &ctx("2026-11-21"),
            cases::NewCase {
                rights: vec![dsar::domain::Right::Access],
                name: "Neu Nach Upgrade".into(),
                address: vec![],
                identifiers: vec![(dsar::domain::IdentifierKind::Email, "neu@example.org".into())],
                received: date("2026-11-20"),
                jurisdiction: None,
                region: None,
                language: None,
                channel: dsar::domain::Channel::Email,
            },
        )
        .unwrap();
        assert_eq!(created.reference.to_string(), "DSAR-2026-0004", "V{level}");
        assert!(audit::verify(store.conn()).unwrap().is_intact(), "V{level}: chain after a new case");
        drop(store);
        // And the CLI reads the upgraded desk.
        let out = dsar_cmd().env("DSAR_DB", &path).env("DSAR_PASSPHRASE", OLD_PASS).args(["audit", "verify"]).output().unwrap();
        ok(out);
    }
}

#[test]
fn an_edited_earlier_migration_is_noticed_not_applied_over_an_old_desk() {
    // What an edited `V1__initial.sql` looks like to an old desk: the checksum refinery
    // recorded when it applied V1 no longer matches the embedded file.
    let (_dir, path) = copy_of(4);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "key", OLD_PASS).unwrap();
        conn.execute("UPDATE refinery_schema_history SET checksum = '1' WHERE version = 1", []).unwrap();
    }
    let pages = |p: &Path| -> Vec<String> { std::fs::read(p).unwrap().chunks(4096).map(|c| hex::encode(&Sha256::digest(c)[..6])).collect() };
    let before = pages(&path);
    let Err(e) = Store::open(&path, OLD_PASS) else { panic!("a desk whose applied V1 differs from this build's V1 must not open silently") };
    eprintln!("refused: {e}");
    assert_eq!(schema_level(&path, OLD_PASS), 4, "nothing migrated");
    let after = pages(&path);
    let changed: Vec<usize> = before.iter().zip(&after).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect();
    assert!(before.len() == after.len() && changed.is_empty(), "the file is left as it was: {} → {} pages, changed pages {changed:?}", before.len(), after.len());
}
