//! Backup and restore against real encrypted databases: the copy stays encrypted and opens with
//! the same passphrase; restore refuses a wrong passphrase, a corrupt or tampered file without
//! touching the live database, and keeps the replaced file. Also the settings that live beside
//! them: reminders (due-soon query), case defaults, the controller edit.

mod common;

use common::*;
use dsar::backup::{self, BackupError};
use dsar::cases;
use dsar::register_store;
use dsar::reminders::{self, Reminders};
use dsar::settings::{self, CaseDefaults};
use dsar::store::Store;

fn new_case(name: &str, email: &str, received: &str) -> cases::NewCase {
    cases::NewCase {
        rights: vec![dsar::domain::Right::Access],
        name: name.into(),
        address: vec![],
        identifiers: vec![(dsar::domain::IdentifierKind::Email, email.into())],
        received: date(received),
        jurisdiction: None,
        region: None,
        language: None,
        channel: dsar::domain::Channel::Email,
    }
}

fn with_cases(db: &TempDb, n: usize) -> Store {
    let mut store = db.create();
    for i in 0..n {
        cases::create(&mut store, &ctx("2026-11-21"), new_case(&format!("Person {i}"), &format!("p{i}@example.org"), "2026-11-20")).unwrap();
    }
    store
}

fn case_count(store: &Store) -> u64 {
    cases::list(store, &cases::ListQuery::new(date("2026-11-21"))).unwrap().total
}

fn actions(store: &Store) -> Vec<String> {
    let mut stmt = store.conn().prepare("SELECT action FROM audit_events ORDER BY seq").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn backup_is_encrypted_opens_with_the_same_passphrase_and_is_audited() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 3);
    let out = db.dir.path().join("copy.dsarbak");
    let done = backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    assert_eq!(done.path, out);
    assert_eq!(done.bytes, std::fs::metadata(&out).unwrap().len());
    let head = std::fs::read(&out).unwrap();
    assert!(!head.starts_with(b"SQLite format 3"), "backup is not encrypted");
    assert!(!backup::is_plain_sqlite(&out).unwrap());
    assert!(backup::is_plain_sqlite(&out).is_ok());
    assert!(matches!(Store::open(&out, "some other passphrase"), Err(dsar::store::StoreError::WrongPassphrase { .. })));
    let copy = Store::open(&out, PASS).unwrap();
    assert_eq!(case_count(&copy), 3);
    assert_eq!(actions(&store).last().map(String::as_str), Some("store.backup"));
    // Backing up onto an existing file replaces it with a complete copy.
    drop(copy);
    cases::create(&mut store, &ctx("2026-11-21"), new_case("Late Person", "late@example.org", "2026-11-21")).unwrap();
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    assert_eq!(case_count(&Store::open(&out, PASS).unwrap()), 4);
}

#[test]
fn backup_onto_the_live_database_is_refused() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let path = db.path.clone();
    assert!(matches!(backup::backup(&mut store, &ctx("2026-11-21"), &path), Err(BackupError::SameFile)));
    assert_eq!(case_count(&store), 1);
}

#[test]
fn restore_replaces_the_database_and_keeps_the_old_file() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 2);
    let out = db.dir.path().join("two-cases.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    for i in 0..3 {
        cases::create(&mut store, &ctx("2026-11-21"), new_case(&format!("After {i}"), &format!("a{i}@example.org"), "2026-11-21")).unwrap();
    }
    assert_eq!(case_count(&store), 5);
    let verified = backup::verify(&db.path, &out, PASS).unwrap();
    assert_eq!(verified.cases, 2);
    let restored = verified.replace(store, &ctx("2026-11-21")).unwrap();
    assert_eq!(case_count(&restored.store), 2);
    assert_eq!(actions(&restored.store).last().map(String::as_str), Some("store.restored"));
    assert!(dsar::audit::verify(restored.store.conn()).unwrap().is_intact());
    let kept_name = restored.kept.file_name().unwrap().to_string_lossy().into_owned();
    assert!(kept_name.starts_with("desk.db.before-restore-"), "{kept_name}");
    assert_eq!(leftovers(&db), [kept_name.clone()], "one kept file, no -wal/-shm clutter beside it");
    drop(restored.store);
    assert_eq!(case_count(&Store::open(&db.path, PASS).unwrap()), 2);
    // The replaced database is intact beside it, with all five cases.
    assert_eq!(case_count(&Store::open(&db.dir.path().join(&kept_name), PASS).unwrap()), 5);
    // The backup the user chose is left as it was: it still holds two cases.
    assert_eq!(case_count(&Store::open(&out, PASS).unwrap()), 2);
}

#[test]
fn restore_with_a_backup_made_under_another_passphrase_opens_with_that_one() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let out = db.dir.path().join("old.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    store.change_passphrase("the newer passphrase").unwrap();
    let restored = backup::verify(&db.path, &out, PASS).unwrap().replace(store, &ctx("2026-11-21")).unwrap();
    drop(restored.store);
    Store::open(&db.path, PASS).unwrap();
}

fn leftovers(db: &TempDb) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names.retain(|n| n.starts_with(".dsar-") || n.contains("before-restore"));
    names
}

#[test]
fn wrong_passphrase_on_restore_is_refused_and_nothing_is_replaced() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 2);
    let out = db.dir.path().join("b.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    cases::create(&mut store, &ctx("2026-11-21"), new_case("After", "after@example.org", "2026-11-21")).unwrap();
    let e = backup::verify(&db.path, &out, "not the passphrase").unwrap_err();
    assert!(matches!(e, BackupError::WrongPassphrase), "{e:?}");
    assert!(e.is_user_error());
    assert_eq!(case_count(&store), 3);
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
}

#[test]
fn a_corrupt_or_missing_file_is_refused_and_nothing_is_replaced() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 2);
    let out = db.dir.path().join("b.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    // Flip bytes in the middle of a page: SQLCipher's page HMAC no longer matches.
    let mut bytes = std::fs::read(&out).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xff;
    }
    let broken = db.dir.path().join("broken.bak");
    std::fs::write(&broken, &bytes).unwrap();
    let e = backup::verify(&db.path, &broken, PASS).unwrap_err();
    assert!(matches!(e, BackupError::Damaged { .. } | BackupError::WrongPassphrase), "{e:?}");
    let junk = db.dir.path().join("junk.bak");
    std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
    assert!(matches!(backup::verify(&db.path, &junk, PASS).unwrap_err(), BackupError::WrongPassphrase));
    let e = backup::verify(&db.path, &db.dir.path().join("nope.bak"), PASS).unwrap_err();
    assert!(matches!(e, BackupError::Missing { .. }), "{e:?}");
    assert_eq!(case_count(&store), 2);
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
    drop(store);
    assert_eq!(case_count(&db.open()), 2);
}

#[test]
fn a_backup_whose_audit_trail_was_altered_is_refused() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 2);
    let out = db.dir.path().join("b.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    {
        let copy = Store::open(&out, PASS).unwrap();
        // Someone with the passphrase and a SQLite shell: drop the guard, rewrite history.
        copy.conn().execute_batch("DROP TRIGGER audit_events_no_update;").unwrap();
        copy.conn().execute("UPDATE audit_events SET actor = 'someone else' WHERE seq = 1", []).unwrap();
    }
    let e = backup::verify(&db.path, &out, PASS).unwrap_err();
    assert!(matches!(e, BackupError::AuditBroken { problems } if problems > 0), "{e:?}");
    assert_eq!(case_count(&store), 2);
}

#[test]
fn due_soon_lists_overdue_and_due_within_the_lead_time_but_not_paused_or_closed() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    // GDPR, one month: received 2026-10-15 is due mid-November (overdue on 2026-11-21),
    // received 2026-10-22 is due within days, received 2026-11-15 is due mid-December.
    let overdue = cases::create(&mut store, &c, new_case("Old", "old@example.org", "2026-10-15")).unwrap().reference.to_string();
    let soon = cases::create(&mut store, &c, new_case("Soon", "soon@example.org", "2026-10-22")).unwrap().reference.to_string();
    let later = cases::create(&mut store, &c, new_case("Later", "later@example.org", "2026-11-15")).unwrap().reference.to_string();
    let paused = cases::create(&mut store, &c, new_case("Paused", "paused@example.org", "2026-10-15")).unwrap().reference.to_string();
    cases::pause(&mut store, &c, &paused, cases::PauseReason::Identity, date("2026-10-16")).unwrap();
    let closed = cases::create(&mut store, &c, new_case("Closed", "closed@example.org", "2026-10-15")).unwrap().reference.to_string();
    cases::close(&mut store, &c, &closed, dsar::domain::Outcome::Fulfilled, date("2026-11-01")).unwrap();

    let refs = |w: &reminders::DueWindow| w.references.clone();
    let due = reminders::due_soon(&store, date("2026-11-21"), &[7]).unwrap();
    assert_eq!(due.overdue, vec![overdue.clone()]);
    assert_eq!(due.windows.len(), 1);
    assert_eq!((due.windows[0].days, refs(&due.windows[0])), (7, vec![soon.clone()]));
    // Two lead times: each case sits in the shortest that holds it.
    let wide = reminders::due_soon(&store, date("2026-11-21"), &[30, 2]).unwrap();
    assert_eq!(wide.windows.iter().map(|w| w.days).collect::<Vec<_>>(), vec![2, 30]);
    // `soon` is due on Monday 2026-11-23 (the 22nd is a Sunday): two days out.
    assert_eq!(refs(&wide.windows[0]), vec![soon]);
    assert_eq!(refs(&wide.windows[1]), vec![later]);
    assert_eq!(wide.overdue, vec![overdue]);
}

#[test]
fn a_case_is_reminded_of_once_per_stage_and_again_when_it_gets_closer() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-01");
    // Received 2026-10-22: due Monday 2026-11-23 under the GDPR (the 22nd is a Sunday).
    let case = cases::create(&mut store, &c, new_case("Soon", "soon@example.org", "2026-10-22")).unwrap().reference.to_string();
    let due_on = |day: &str, store: &dsar::store::Store| reminders::due_soon(store, date(day), &reminders::DEFAULT_THRESHOLDS).unwrap();

    // Seventeen days out: not within any lead time, nothing to remind of.
    let d = due_on("2026-11-06", &store);
    assert_eq!((d.fresh, d.overdue.len()), (0, 0));
    // A week out: fresh once; after the reminder, no longer fresh on the next days.
    let d = due_on("2026-11-16", &store);
    assert_eq!(d.fresh, 1);
    assert_eq!(d.windows.iter().find(|w| w.days == 7).map(|w| w.references.clone()), Some(vec![case.clone()]));
    reminders::mark_reminded(&mut store, &d).unwrap();
    assert_eq!(due_on("2026-11-16", &store).fresh, 0);
    assert_eq!(due_on("2026-11-20", &store).fresh, 0);
    // Two days out: fresh again (a shorter lead time), then quiet.
    let d = due_on("2026-11-21", &store);
    assert_eq!(d.fresh, 1);
    reminders::mark_reminded(&mut store, &d).unwrap();
    assert_eq!(due_on("2026-11-22", &store).fresh, 0);
    // Overdue: fresh once more.
    let d = due_on("2026-11-24", &store);
    assert_eq!((d.fresh, d.overdue.clone()), (1, vec![case.clone()]));
    reminders::mark_reminded(&mut store, &d).unwrap();
    assert_eq!(due_on("2026-11-25", &store).fresh, 0);
    // Closed: forgotten at the next reminder, so nothing stays remembered for it.
    cases::close(&mut store, &ctx("2026-11-25"), &case, dsar::domain::Outcome::Fulfilled, date("2026-11-25")).unwrap();
    let d = due_on("2026-11-25", &store);
    assert_eq!((d.fresh, d.overdue.len()), (0, 0));
    reminders::mark_reminded(&mut store, &d).unwrap();
    assert_eq!(store.setting("reminders.sent").unwrap().as_deref(), Some("{}"));
}

#[test]
fn reminder_and_case_default_settings_round_trip_and_are_checked() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    assert_eq!(reminders::reminders(&store).unwrap(), Reminders { enabled: true, thresholds: vec![7, 2] });
    // Stored longest first, whatever order they were given in.
    reminders::set_reminders(&mut store, &c, Reminders { enabled: false, thresholds: vec![3, 14] }).unwrap();
    assert_eq!(reminders::reminders(&store).unwrap(), Reminders { enabled: false, thresholds: vec![14, 3] });
    for bad in [vec![], vec![0], vec![31], vec![7, 7], vec![10, 7, 3, 1]] {
        let e = reminders::set_reminders(&mut store, &c, Reminders { enabled: true, thresholds: bad.clone() }).unwrap_err();
        assert!(e.to_string().starts_with("thresholds"), "{bad:?}: {e}");
    }
    assert_eq!(reminders::reminders(&store).unwrap().thresholds, vec![14, 3], "a refused change stores nothing");
    // A choice saved by the first version (one lead time) is still read.
    store.write(|tx| dsar::store::put_setting(tx, "reminders", r#"{"enabled":true,"days_before":5}"#)).unwrap();
    assert_eq!(reminders::reminders(&store).unwrap(), Reminders { enabled: true, thresholds: vec![5] });

    assert_eq!(settings::case_defaults(&store).unwrap(), CaseDefaults::default());
    let d = CaseDefaults { jurisdiction: Some("uk-gdpr".parse().unwrap()), region: Some("GB-ENG".parse().unwrap()), language: Some("en".parse().unwrap()), channel: Some("letter".parse().unwrap()) };
    settings::set_case_defaults(&mut store, &c, &d).unwrap();
    assert_eq!(settings::case_defaults(&store).unwrap(), d);
    let bad = CaseDefaults { jurisdiction: Some("ccpa".parse().unwrap()), region: Some("DE-BW".parse().unwrap()), ..d };
    let e = settings::set_case_defaults(&mut store, &c, &bad).unwrap_err();
    assert!(e.to_string().starts_with("region"), "{e}");
    assert_eq!(settings::case_defaults(&store).unwrap(), d);
    let acts = actions(&store);
    assert!(acts.contains(&"settings.reminders".to_string()) && acts.contains(&"settings.case-defaults".to_string()), "{acts:?}");
}

#[test]
fn editing_the_controller_stores_a_new_register_version_and_refuses_what_import_refuses() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    register_store::import_file(&mut store, &c, &data("registers/jaimo.json")).unwrap();
    let before = register_store::current(&store).unwrap().unwrap();
    let versions = |s: &Store| s.conn().query_row("SELECT count(*) FROM register_versions", [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(versions(&store), 1);

    let mut edited = before.controller.clone();
    edited.name = "Jaimo Renamed GmbH".into();
    edited.dpo = Some(dsar::register::Dpo { name: "Externe DSB GmbH".into(), email: "dsb@example.org".into(), address: None, phone: None });
    let reg = register_store::update_controller(&mut store, &c, &edited).unwrap();
    assert_eq!(reg.controller.name, "Jaimo Renamed GmbH");
    assert_eq!(reg.systems, before.systems);
    assert_eq!(versions(&store), 2);
    assert_eq!(register_store::current(&store).unwrap().unwrap().controller, edited);
    assert_eq!(actions(&store).last().map(String::as_str), Some("register.controller-edited"));

    let mut bad = edited.clone();
    bad.email = "not an address".into();
    bad.name = String::new();
    let e = register_store::update_controller(&mut store, &c, &bad).unwrap_err();
    let dsar::Error::Register(r) = &e else { panic!("{e:?}") };
    assert!(r.mentions("/controller/email") || r.problems.iter().any(|p| p.path.starts_with("/controller/email")), "{r}");
    assert!(r.problems.iter().any(|p| p.path.starts_with("/controller/name")), "{r}");
    assert_eq!(versions(&store), 2);
    assert_eq!(register_store::current(&store).unwrap().unwrap().controller, edited);
}

#[test]
fn cli_backup_and_restore() {
    let db = TempDb::new();
    drop(with_cases(&db, 2));
    let out = db.dir.path().join("cli.bak");
    let o = db.dsar(&["backup", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!backup::is_plain_sqlite(&out).unwrap());
    let o = db.dsar(&["case", "new", "--right", "access", "--name", "Third Person", "--email", "t@example.org", "--received", "2026-11-21"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = db.dsar(&["restore", db.dir.path().join("missing.bak").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(case_count(&db.open()), 3);
    let o = db.dsar(&["restore", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("before-restore-"), "{}", stdout(&o));
    assert_eq!(case_count(&db.open()), 2);
}

#[test]
fn two_restores_in_one_second_keep_both_replaced_files_and_the_restored_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let out = db.dir.path().join("one-case.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    // A backup file readable by everyone (copied from a USB stick, say).
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    cases::create(&mut store, &ctx("2026-11-21"), new_case("Second", "s@example.org", "2026-11-21")).unwrap();
    let same_second = ctx("2026-11-21");
    let first = backup::verify(&db.path, &out, PASS).unwrap().replace(store, &same_second).unwrap();
    let mut store = first.store;
    cases::create(&mut store, &ctx("2026-11-21"), new_case("Third", "t@example.org", "2026-11-21")).unwrap();
    let second = backup::verify(&db.path, &out, PASS).unwrap().replace(store, &same_second).unwrap();
    assert_ne!(first.kept, second.kept, "the second restore overwrote the first kept database");
    drop(second.store);
    // Each kept file holds what the desk held before its restore: 2 cases, then 1 + Third.
    assert_eq!(case_count(&Store::open(&first.kept, PASS).unwrap()), 2);
    assert_eq!(case_count(&Store::open(&second.kept, PASS).unwrap()), 2);
    assert_eq!(std::fs::metadata(&db.path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn restore_is_refused_while_another_connection_has_the_desk_open_and_nothing_it_commits_is_lost() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let out = db.dir.path().join("one-case.bak");
    backup::backup(&mut store, &ctx("2026-11-21"), &out).unwrap();
    // The CLI holds a write transaction while the app restores: after the swap its commit
    // would land in the file put aside, so the restore refuses and changes nothing.
    let other = db.open();
    let tx = other.conn().unchecked_transaction().unwrap();
    tx.execute("INSERT INTO settings (key, value) VALUES ('cli', 'writing')", []).unwrap();
    let verified = backup::verify(&db.path, &out, PASS).unwrap();
    let err = verified.replace(store, &ctx("2026-11-21")).unwrap_err();
    assert!(matches!(err, backup::BackupError::InUse), "{err}");
    assert_eq!(err.reason(), "restore.in-use");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    tx.commit().unwrap();
    let store = db.open();
    assert_eq!(store.setting("cli").unwrap().as_deref(), Some("writing"));
    assert_eq!(case_count(&store), 1);
    assert!(leftovers(&db).iter().all(|n| !n.contains("before-restore")), "{:?}", leftovers(&db));
    // Merely open, between transactions (an app left unlocked), is the same: refused.
    let verified = backup::verify(&db.path, &out, PASS).unwrap();
    assert!(matches!(verified.replace(store, &ctx("2026-11-21")), Err(backup::BackupError::InUse)));
    assert!(leftovers(&db).iter().all(|n| !n.contains("before-restore")), "{:?}", leftovers(&db));
    // Closed there, the restore goes through.
    drop(other);
    let verified = backup::verify(&db.path, &out, PASS).unwrap();
    let restored = verified.replace(db.open(), &ctx("2026-11-21")).unwrap();
    assert_eq!(restored.store.setting("cli").unwrap(), None, "the backup, made before the CLI wrote");
    assert_eq!(Store::open(&restored.kept, PASS).unwrap().setting("cli").unwrap().as_deref(), Some("writing"));
}

#[test]
fn the_last_backup_is_recorded_and_a_reminder_is_due_when_it_is_older_than_seven_days() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    assert_eq!(settings::last_backup(&store).unwrap(), None, "never backed up");
    let now = chrono::Utc::now();
    assert!(settings::backup_due(None, now), "never made: remind");
    let mut c = ctx("2026-11-21");
    c.now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").unwrap().to_utc();
    backup::backup(&mut store, &c, &db.dir.path().join("b1.db")).unwrap();
    assert_eq!(settings::last_backup(&store).unwrap(), Some(c.now));
    // A refused backup leaves the record as it was.
    let mut later = c.clone();
    later.now = c.now + chrono::Duration::days(1);
    assert!(backup::backup(&mut store, &later, &db.path).is_err());
    assert_eq!(settings::last_backup(&store).unwrap(), Some(c.now));
    assert!(!settings::backup_due(Some(c.now), c.now + chrono::Duration::days(7)), "seven days: still fine");
    assert!(settings::backup_due(Some(c.now), c.now + chrono::Duration::days(7) + chrono::Duration::minutes(1)), "older than seven days");
    // The copy was written before the record: restored, it says no backup of it was made.
    let copy = Store::open(&db.dir.path().join("b1.db"), PASS).unwrap();
    assert_eq!(settings::last_backup(&copy).unwrap(), None);
}

#[test]
fn a_backup_made_before_the_time_was_recorded_is_found_in_the_audit_trail() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let c = ctx("2026-11-21");
    backup::backup(&mut store, &c, &db.dir.path().join("b.db")).unwrap();
    store.conn().execute("DELETE FROM settings WHERE key = 'last_backup'", []).unwrap();
    let found = settings::last_backup(&store).unwrap().expect("from the audit trail");
    assert!((found - c.now).num_seconds().abs() < 1);
}

#[test]
fn backup_errors_name_the_problem_in_words_without_os_text_or_temporary_files() {
    let db = TempDb::new();
    let mut store = with_cases(&db, 1);
    let c = ctx("2026-11-21");
    let check = |e: BackupError, reason: &str, words: &str| {
        assert_eq!(e.reason(), reason);
        let m = e.to_string();
        assert!(m.contains(words), "{m}");
        assert!(!m.contains("os error") && !m.contains(".dsar-backup-"), "{m}");
    };
    let missing = db.dir.path().join("no such folder").join("b.db");
    check(backup::backup(&mut store, &c, &missing).unwrap_err(), "backup.no-folder", "the folder does not exist — choose an existing folder");
    check(backup::backup(&mut store, &c, &db.path).unwrap_err(), "backup.same-file", "choose another file name");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = db.dir.path().join("read-only");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        // Root writes anywhere: the check holds only for an ordinary user.
        if std::fs::write(ro.join("probe"), b"").is_err() {
            check(backup::backup(&mut store, &c, &ro.join("b.db")).unwrap_err(), "backup.not-allowed", "no permission to write in this folder");
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    assert_eq!(settings::last_backup(&store).unwrap(), None, "no backup was made");
}

#[test]
fn idle_lock_minutes_default_to_fifteen_and_are_checked() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    assert_eq!(settings::idle_lock_minutes(&store).unwrap(), 15);
    settings::set_idle_lock_minutes(&mut store, &c, 1).unwrap();
    assert_eq!(settings::idle_lock_minutes(&store).unwrap(), 1);
    for bad in [0, 481] {
        match settings::set_idle_lock_minutes(&mut store, &c, bad) {
            Err(dsar::Error::Input(i)) => assert_eq!(i.field, "idle_lock_minutes"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    settings::set_idle_lock_minutes(&mut store, &c, 480).unwrap();
    drop(store);
    let store = db.open();
    assert_eq!(settings::idle_lock_minutes(&store).unwrap(), 480);
    assert!(actions(&store).iter().filter(|a| *a == "settings.idle-lock").count() == 2);
}

#[test]
fn only_a_demo_desk_carries_the_demo_marker() {
    let db = TempDb::new();
    let store = db.create();
    assert!(!dsar::demo::is_demo_store(&store).unwrap());
    drop(store);
    let demo = db.dir.path().join("demo.db");
    dsar::demo::create(&demo, PASS, &ctx("2026-11-21"), false).unwrap();
    assert!(dsar::demo::is_demo_store(&Store::open(&demo, PASS).unwrap()).unwrap());
}
