//! The Settings screen's operations against real encrypted databases, as the Tauri commands
//! call them: controller edit with errors at fields, defaults, SMTP without the password ever
//! coming back, reminders, passphrase change (second connections follow), backup and restore.

use std::path::Path;

use dsar_desk::settings_dto::{CaseDefaultsDto, RemindersDto, SmtpInput};
use dsar_desk::{api, settings_api, Desk, ErrorCode};

mod common;
use common::*;

fn total(desk: &Desk) -> u64 {
    api::list_cases(desk, query()).unwrap().total
}

#[test]
fn controller_edits_are_stored_and_errors_name_the_field() {
    let (_dir, desk) = fresh_desk();
    assert!(settings_api::get_settings(&desk).unwrap().controller.is_none());
    let (_dir, desk) = with_register();
    let mut c = settings_api::get_settings(&desk).unwrap().controller.unwrap();
    c.name = "Jaimo Neu GmbH".into();
    c.dpo_name = Some("Datenschutz Extern GmbH".into());
    c.dpo_email = Some("dsb@example.org".into());
    let saved = settings_api::save_controller(&desk, c.clone()).unwrap();
    assert_eq!(saved.name, "Jaimo Neu GmbH");
    assert_eq!(settings_api::get_settings(&desk).unwrap().controller.unwrap().dpo_email.as_deref(), Some("dsb@example.org"));

    let mut bad = c.clone();
    bad.dpo_email = Some("no address".into());
    let e = settings_api::save_controller(&desk, bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.starts_with("dpo_email:"), "{}", e.message);
    let mut bad = c.clone();
    bad.region = "XX-YY".into();
    assert!(settings_api::save_controller(&desk, bad).unwrap_err().message.starts_with("region:"));
    let mut bad = c;
    bad.email = String::new();
    assert!(settings_api::save_controller(&desk, bad).unwrap_err().message.starts_with("email:"));
    // Nothing refused was stored.
    assert_eq!(settings_api::get_settings(&desk).unwrap().controller.unwrap().dpo_email.as_deref(), Some("dsb@example.org"));
}

#[test]
fn register_problem_pointers_map_to_form_fields() {
    assert_eq!(settings_api::controller_field("/controller/dpo/email"), "dpo_email");
    assert_eq!(settings_api::controller_field("/controller/supervisory_authority/name"), "authority_name");
    assert_eq!(settings_api::controller_field("/controller/address/0"), "address");
    assert_eq!(settings_api::controller_field("/controller"), "name");
}

#[test]
fn case_defaults_round_trip_and_a_foreign_region_is_refused_at_its_field() {
    let (_dir, desk) = fresh_desk();
    let d = CaseDefaultsDto { jurisdiction: Some("gdpr".into()), region: Some("DE-BY".into()), language: Some("en".into()), channel: Some("letter".into()) };
    settings_api::save_case_defaults(&desk, d.clone()).unwrap();
    assert_eq!(settings_api::get_settings(&desk).unwrap().defaults, d);
    let e = settings_api::save_case_defaults(&desk, CaseDefaultsDto { jurisdiction: Some("ccpa".into()), ..d.clone() }).unwrap_err();
    assert!(e.message.starts_with("region:"), "{}", e.message);
    let e = settings_api::save_case_defaults(&desk, CaseDefaultsDto { channel: Some("pigeon".into()), ..d.clone() }).unwrap_err();
    assert!(e.message.starts_with("channel:"), "{}", e.message);
    assert_eq!(settings_api::get_settings(&desk).unwrap().defaults, d);
}

fn smtp() -> SmtpInput {
    SmtpInput {
        host: "smtp.example.com".into(),
        port: 587,
        security: "starttls".into(),
        user: Some("dpo@example.com".into()),
        password: Some("mailbox secret 123".into()),
        from_address: "dpo@example.com".into(),
        from_name: Some("Datenschutz".into()),
    }
}

#[test]
fn smtp_password_is_stored_as_a_secret_and_never_returned() {
    let (_dir, desk) = fresh_desk();
    let e = settings_api::save_smtp(&desk, SmtpInput { password: None, ..smtp() }).unwrap_err();
    assert!(e.message.starts_with("password:"), "{}", e.message);
    let e = settings_api::save_smtp(&desk, SmtpInput { security: "none".into(), ..smtp() }).unwrap_err();
    assert!(e.message.starts_with("security:"), "{}", e.message);
    let e = settings_api::save_smtp(&desk, SmtpInput { from_address: "nope".into(), ..smtp() }).unwrap_err();
    assert!(e.message.starts_with("from_address:"), "{}", e.message);
    assert!(settings_api::get_settings(&desk).unwrap().smtp.is_none(), "a refused form stored something");

    let saved = settings_api::save_smtp(&desk, smtp()).unwrap();
    assert!(saved.password_set);
    let shown = serde_json::to_string(&settings_api::get_settings(&desk).unwrap()).unwrap();
    assert!(!shown.contains("mailbox secret 123"), "{shown}");
    assert!(shown.contains("\"password_set\":true"), "{shown}");
    // Saving again without a password keeps the stored one.
    let again = settings_api::save_smtp(&desk, SmtpInput { password: None, port: 2525, ..smtp() }).unwrap();
    assert!(again.password_set && again.port == 2525);
}

#[test]
fn reminders_list_overdue_and_due_soon_once_per_stage_and_stay_quiet_when_off() {
    let (_dir, desk) = fresh_desk();
    // On 2026-11-21: overdue; due Monday 23rd (2 days); due mid-December (outside 7 days).
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-10-10")).unwrap();
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-10-22")).unwrap();
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-11-15")).unwrap();
    assert_eq!(settings_api::get_settings(&desk).unwrap().reminders.thresholds, vec![7, 2], "SPEC §3 defaults");
    let d = settings_api::due_reminders(&desk).unwrap();
    assert!(d.enabled);
    assert_eq!(d.overdue.len(), 1);
    assert_eq!(d.windows.iter().map(|w| (w.days, w.references.len())).collect::<Vec<_>>(), vec![(2, 1), (7, 0)], "{d:?}");
    assert_eq!(d.fresh, 2);
    // Once shown, the same cases are not fresh again.
    assert_eq!(settings_api::reminders_shown(&desk).unwrap().fresh, 2);
    assert_eq!(settings_api::due_reminders(&desk).unwrap().fresh, 0);
    // A longer lead time brings in the December case, fresh; stored longest first.
    let saved = settings_api::save_reminders(&desk, RemindersDto { enabled: true, thresholds: vec![2, 30] }).unwrap();
    assert_eq!(saved.thresholds, vec![30, 2]);
    let d = settings_api::due_reminders(&desk).unwrap();
    assert_eq!((d.windows[1].days, d.windows[1].references.len(), d.fresh), (30, 1, 1));
    for bad in [vec![0], vec![7, 7], vec![]] {
        let e = settings_api::save_reminders(&desk, RemindersDto { enabled: true, thresholds: bad }).unwrap_err();
        assert!(e.message.starts_with("thresholds:"), "{}", e.message);
    }
    settings_api::save_reminders(&desk, RemindersDto { enabled: false, thresholds: vec![7] }).unwrap();
    let off = settings_api::due_reminders(&desk).unwrap();
    assert!(!off.enabled && off.overdue.is_empty() && off.windows.is_empty() && off.fresh == 0);
}

#[test]
fn passphrase_change_checks_the_current_one_and_second_connections_follow() {
    let (dir, desk) = with_register();
    let new = "an even better passphrase";
    let e = settings_api::change_passphrase(&desk, "wrong current pass".into(), new.into(), new.into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase);
    assert!(e.message.starts_with("current:"), "{}", e.message);
    let e = settings_api::change_passphrase(&desk, PASS.into(), "too short".into(), "too short".into()).unwrap_err();
    assert!(e.message.starts_with("new:"), "{}", e.message);
    let e = settings_api::change_passphrase(&desk, PASS.into(), new.into(), "something else".into()).unwrap_err();
    assert!(e.message.starts_with("repeat:"), "{}", e.message);

    settings_api::change_passphrase(&desk, PASS.into(), new.into(), new.into()).unwrap();
    // Work on a second connection (connection tests) opens with the new passphrase.
    api::test_systems(&desk, vec![]).unwrap();
    let other = desk_in(dir.path());
    assert_eq!(api::unlock(&other, PASS.into()).unwrap_err().code, ErrorCode::WrongPassphrase);
    api::unlock(&other, new.into()).unwrap();
}

#[test]
fn backup_then_restore_brings_the_earlier_state_back_and_keeps_the_replaced_file() {
    let (dir, desk) = with_register();
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-11-20")).unwrap();
    let out = dir.path().join("backup.db");
    let b = settings_api::backup_database(&desk, out.display().to_string()).unwrap();
    assert!(b.bytes > 0);
    assert!(!std::fs::read(&out).unwrap().starts_with(b"SQLite format 3"));
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-11-21")).unwrap();
    assert_eq!(total(&desk), 2);

    let e = settings_api::restore_database(&desk, out.display().to_string(), "not the passphrase".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase);
    assert!(e.message.starts_with("passphrase:"), "{}", e.message);
    assert_eq!(total(&desk), 2, "a refused restore changed the desk");
    let e = settings_api::restore_database(&desk, dir.path().join("missing.db").display().to_string(), PASS.into()).unwrap_err();
    assert!(e.message.starts_with("path:"), "{}", e.message);

    let r = settings_api::restore_database(&desk, out.display().to_string(), PASS.into()).unwrap();
    assert_eq!(r.cases, 1);
    assert_eq!(total(&desk), 1);
    assert!(Path::new(&r.kept_path).is_file());
    // The desk keeps working on the restored file, second connections included.
    api::create_case(&desk, new_case("Erika Mustermann", "erika@example.org", "2026-11-21")).unwrap();
    api::test_systems(&desk, vec![]).unwrap();
    assert_eq!(total(&desk), 2);
}

#[test]
fn secrets_the_register_uses_are_listed_by_name_and_set_without_showing_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    let before = settings_api::list_secrets(&desk).unwrap();
    let token = before.iter().find(|s| s.name == "cleverreach_token").expect("the demo register refers to cleverreach_token");
    assert_eq!(token.used_by, ["cleverreach"]);
    assert!(token.set, "the demo stores a token");

    let e = settings_api::set_secret(&desk, "cleverreach_token".into(), "  ".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.starts_with("value:"), "{}", e.message);
    let e = settings_api::set_secret(&desk, "bad name!".into(), "x".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);

    let after = settings_api::set_secret(&desk, "crm_password".into(), "s3cret-value".into()).unwrap();
    let crm = after.iter().find(|s| s.name == "crm_password").unwrap();
    assert!(crm.set && crm.used_by.is_empty());
    let wire = serde_json::to_string(&after).unwrap();
    assert!(!wire.contains("s3cret-value") && !wire.contains("demo-token-for-cleverreach"), "values never leave the store: {wire}");
}

#[test]
fn a_secret_blocked_after_an_import_moved_its_system_is_listed_and_allowed_from_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    let token = |list: &[dsar_desk::settings_dto::SecretDto]| list.iter().find(|s| s.name == "cleverreach_token").cloned().unwrap();
    assert!(token(&settings_api::list_secrets(&desk).unwrap()).blocked.is_empty(), "the demo's token is bound to CleverReach");

    // The same register with CleverReach at another address.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/registers/jaimo.json")).unwrap();
    let moved = text.replace("http://127.0.0.1:18080/", "http://127.0.0.2:18080/");
    assert_ne!(moved, text);
    let file = dir.path().join("moved.json");
    std::fs::write(&file, moved).unwrap();
    api::import_register(&desk, file.display().to_string()).unwrap();
    let blocked = token(&settings_api::list_secrets(&desk).unwrap()).blocked;
    assert_eq!(blocked.len(), 1, "{blocked:?}");
    assert_eq!((blocked[0].system.as_str(), blocked[0].reason.as_str()), ("cleverreach", "moved"));
    assert_eq!(blocked[0].allowed.as_deref(), Some("127.0.0.1:18080"));
    assert_eq!(blocked[0].now, "127.0.0.2:18080");
    let tested = api::test_systems(&desk, vec!["cleverreach".into()]).unwrap();
    assert!(!tested[0].ok && tested[0].message.contains("was set for 127.0.0.1:18080"), "{tested:?}");

    let after = settings_api::allow_secret(&desk, "cleverreach_token".into(), "cleverreach".into()).unwrap();
    assert!(token(&after).blocked.is_empty());
    let e = settings_api::allow_secret(&desk, "cleverreach_token".into(), "gmail".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
}

#[test]
fn safety_status_tells_demo_from_real_the_idle_lock_and_the_last_backup() {
    let (dir, desk) = fresh_desk();
    let s = settings_api::safety_status(&desk).unwrap();
    assert!(!s.demo, "a real desk");
    assert_eq!(s.idle_lock_minutes, 15);
    assert_eq!(s.last_backup, None);
    assert!(s.backup_due, "never backed up: remind");

    let s = settings_api::save_idle_lock(&desk, 1).unwrap();
    assert_eq!(s.idle_lock_minutes, 1);
    let e = settings_api::save_idle_lock(&desk, 0).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.starts_with("idle_lock_minutes:"), "{}", e.message);
    assert_eq!(settings_api::safety_status(&desk).unwrap().idle_lock_minutes, 1);

    settings_api::backup_database(&desk, dir.path().join("b.db").display().to_string()).unwrap();
    let s = settings_api::safety_status(&desk).unwrap();
    assert!(!s.backup_due);
    let at = chrono::DateTime::parse_from_rfc3339(s.last_backup.as_deref().unwrap()).unwrap();
    assert!((chrono::Utc::now() - at.to_utc()).num_seconds().abs() < 60);

    api::lock_desk(&desk).unwrap();
    assert_eq!(settings_api::safety_status(&desk).unwrap_err().code, ErrorCode::Locked);
    api::open_demo(&desk).unwrap();
    assert!(settings_api::safety_status(&desk).unwrap().demo, "the demo desk");
}

#[test]
fn a_backup_error_carries_a_reason_code_and_no_os_text_or_temporary_path() {
    let (dir, desk) = fresh_desk();
    let e = settings_api::backup_database(&desk, dir.path().join("missing").join("b.db").display().to_string()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.reason.map(dsar_desk::Reason::code), Some("backup.no-folder"));
    assert!(!e.message.contains("os error") && !e.message.contains(".dsar-backup-"), "{}", e.message);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["reason"], "backup.no-folder");
    // Other errors carry their own reason and its parameters.
    let json = serde_json::to_value(settings_api::save_idle_lock(&desk, 0).unwrap_err()).unwrap();
    assert_eq!(json["reason"], "settings.idle-lock", "{json}");
    assert!(json["params"]["min"].is_string() && json["params"]["max"].is_string(), "{json}");
}
