//! The app's operations against real encrypted databases in temporary folders, called as the
//! Tauri commands call them (no window needed): unlock, cases, errors by code, the demo's
//! dashboard against list totals, pull with progress, letter and bundle.

use std::cell::RefCell;
use std::path::PathBuf;

use dsar_desk::api;
use chrono::NaiveDate;
use dsar_desk::dto::{CaseQuery, NewCaseInput, PullProgress};
use dsar_desk::{Desk, DeskConfig, ErrorCode};

mod common;
use common::*;

#[test]
fn a_locked_desk_answers_locked_and_says_no_file_exists_yet() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    let s = api::desk_status(&desk).unwrap();
    assert!(!s.unlocked && !s.exists);
    assert_eq!(PathBuf::from(&s.db_path), dir.path().join("dsar.db"));
    assert_eq!(api::dashboard(&desk).unwrap_err().code, ErrorCode::Locked);
    assert_eq!(api::list_cases(&desk, query()).unwrap_err().code, ErrorCode::Locked);
    assert_eq!(api::unlock(&desk, PASS.into()).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn wrong_passphrase_is_its_own_code_and_the_right_one_unlocks() {
    let (dir, _first) = fresh_desk();
    let desk = desk_in(dir.path());
    let e = api::unlock(&desk, "not the passphrase".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::WrongPassphrase);
    assert!(e.message.starts_with("passphrase:"), "{}", e.message);
    assert!(!api::desk_status(&desk).unwrap().unlocked);
    api::unlock(&desk, PASS.into()).unwrap();
    assert!(api::desk_status(&desk).unwrap().unlocked);
}

#[test]
fn a_short_passphrase_or_an_existing_file_is_refused_on_create() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    let e = api::create_desk(&desk, "short".into()).unwrap_err();
    assert_eq!((e.code, e.message.starts_with("passphrase:")), (ErrorCode::InvalidInput, true), "{}", e.message);
    api::create_desk(&desk, PASS.into()).unwrap();
    assert_eq!(api::create_desk(&desk_in(dir.path()), PASS.into()).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn bad_new_case_input_names_the_field_and_stores_nothing() {
    let (_dir, desk) = fresh_desk();
    let cases: [(&str, NewCaseInput); 7] = [
        ("received", new_case("Erika Muster", "erika@example.org", "2026-13-01")),
        ("received", new_case("Erika Muster", "erika@example.org", "2026-12-24")),
        ("email", new_case("Erika Muster", "erika-at-example.org", "2026-11-02")),
        ("name", new_case("  ", "erika@example.org", "2026-11-02")),
        ("rights", NewCaseInput { rights: vec!["gossip".into()], ..new_case("Erika Muster", "erika@example.org", "2026-11-02") }),
        ("ids", NewCaseInput { ids: vec!["customer_id".into()], ..new_case("Erika Muster", "erika@example.org", "2026-11-02") }),
        ("channel", NewCaseInput { channel: "pigeon".into(), ..new_case("Erika Muster", "erika@example.org", "2026-11-02") }),
    ];
    for (field, input) in cases {
        let e = api::create_case(&desk, input).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{field}: {}", e.message);
        assert!(e.message.starts_with(&format!("{field}: ")), "expected {field}: …, got {}", e.message);
        assert!(!e.message.contains("erika"), "personal data in {}", e.message);
    }
    assert_eq!(api::list_cases(&desk, query()).unwrap().total, 0);
}

#[test]
fn a_case_goes_from_create_to_close_and_its_timeline_shows_every_step() {
    let (_dir, desk) = fresh_desk();
    assert_eq!(api::import_register(&desk, fixture_register("jaimo.json")).unwrap(), api::register_systems(&desk).unwrap().len() as u64);
    let reference = api::create_case(&desk, new_case("Erika Muster", "Erika@Example.org", "2026-11-02")).unwrap();
    let c = api::get_case(&desk, reference.clone()).unwrap();
    // The deadline engine's own answer for the same input.
    let rights = [dsar::domain::Right::Access];
    let ov = dsar::deadline::CalendarOverrides::default();
    let want = dsar::deadline::compute(&dsar::deadline::DeadlineInput {
        received: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        jurisdiction: dsar::deadline::Jurisdiction::Gdpr,
        region: "DE-BW".parse().unwrap(),
        rights: &rights,
        pauses: &[],
        overrides: &ov,
    })
    .unwrap();
    assert_eq!(c.deadline.due, want.due.to_string());
    assert_eq!((c.region.as_str(), c.language.as_str(), c.status.as_str()), ("DE-BW", "de", "new"));
    assert_eq!(c.subject.identifiers[0].value, "erika@example.org");
    assert_eq!(c.deadline.days_left_calendar, Some((want.due - today()).num_days()));

    let c = api::pause_case(&desk, reference.clone(), "identity".into(), "2026-11-05".into()).unwrap();
    assert_eq!(c.deadline.clock_stopped_since.as_deref(), Some("2026-11-05"));
    assert_eq!(c.deadline.days_left_calendar, None);
    let c = api::resume_case(&desk, reference.clone(), "2026-11-10".into()).unwrap();
    assert!(c.deadline.due > want.due.to_string(), "the pause moves the due date: {} vs {}", c.deadline.due, want.due);
    let c = api::extend_case(&desk, reference.clone(), "many systems to search".into(), None).unwrap();
    assert_eq!(c.extended_on.as_deref(), Some(TODAY));
    assert_eq!(Some(c.deadline.effective_due.clone()), c.deadline.extended_due);
    let c = api::close_case(&desk, reference.clone(), "fulfilled".into(), None).unwrap();
    assert_eq!((c.status.as_str(), c.outcome.as_deref(), c.closed_on.as_deref()), ("closed", Some("fulfilled"), Some(TODAY)));

    let actions: Vec<&str> = c.timeline.iter().map(|e| e.action.as_str()).collect();
    for a in ["case.created", "case.paused", "case.resumed", "case.extended", "case.closed"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(c.timeline.iter().all(|e| !e.details.contains("Erika") && !e.details.contains("example.org")));
    let e = api::extend_case(&desk, reference, "again".into(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
}

#[test]
fn unknown_cases_and_codes_map_to_not_found_and_invalid_input() {
    let (_dir, desk) = fresh_desk();
    assert_eq!(api::get_case(&desk, "DSAR-2026-0999".into()).unwrap_err().code, ErrorCode::NotFound);
    let e = api::list_cases(&desk, CaseQuery { sort: "size".into(), ..query() }).unwrap_err();
    assert_eq!((e.code, e.message.starts_with("sort: ")), (ErrorCode::InvalidInput, true));
    let e = api::list_cases(&desk, CaseQuery { status: Some("sleeping".into()), ..query() }).unwrap_err();
    assert!(e.message.starts_with("status: "), "{}", e.message);
    let e = api::import_register(&desk, "/nonexistent/register.json".into()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    assert!(api::register_systems(&desk).unwrap().is_empty());
}

#[test]
fn the_case_list_pages_filters_and_searches() {
    let (_dir, desk) = fresh_desk();
    for (i, name) in ["Anna Alt", "Bert Bunt", "Carla Cord", "Anton Amsel"].iter().enumerate() {
        api::create_case(&desk, new_case(name, &format!("p{i}@example.org"), &format!("2026-10-0{}", i + 1))).unwrap();
    }
    let all = api::list_cases(&desk, query()).unwrap();
    assert_eq!((all.total, all.items.len()), (4, 4));
    let page = api::list_cases(&desk, CaseQuery { limit: 3, offset: 3, sort: "reference".into(), ..query() }).unwrap();
    assert_eq!((page.total, page.items.len(), page.items[0].reference.as_str()), (4, 1, "DSAR-2026-0004"));
    let found = api::list_cases(&desk, CaseQuery { search: Some("Amsel".into()), ..query() }).unwrap();
    assert_eq!(found.items.iter().map(|r| r.subject_name.as_str()).collect::<Vec<_>>(), ["Anton Amsel"]);
    let overdue = api::list_cases(&desk, CaseQuery { overdue: true, ..query() }).unwrap();
    assert!(overdue.items.iter().all(|r| r.overdue && r.days_left < 0));
    assert_eq!(overdue.total, all.items.iter().filter(|r| r.overdue).count() as u64);
}

#[test]
fn the_case_list_sorts_both_ways_and_exports_every_matching_case_as_csv() {
    let (dir, desk) = fresh_desk();
    for (i, name) in ["Anna Alt", "Bert Bunt", "Carla Cord"].iter().enumerate() {
        api::create_case(&desk, new_case(name, &format!("p{i}@example.org"), &format!("2026-10-0{}", i + 1))).unwrap();
    }
    let refs = |q: CaseQuery| api::list_cases(&desk, q).unwrap().items.into_iter().map(|r| r.reference).collect::<Vec<_>>();
    let desc = refs(CaseQuery { sort: "reference".into(), direction: Some("desc".into()), ..query() });
    assert_eq!(desc, ["DSAR-2026-0003", "DSAR-2026-0002", "DSAR-2026-0001"]);
    let oldest = refs(CaseQuery { sort: "received".into(), direction: Some("asc".into()), ..query() });
    assert_eq!(oldest[0], "DSAR-2026-0001");
    let e = api::list_cases(&desk, CaseQuery { direction: Some("up".into()), ..query() }).unwrap_err();
    assert!(e.message.starts_with("direction: "), "{}", e.message);
    let path = dir.path().join("report.csv");
    let q = CaseQuery { limit: 1, sort: "reference".into(), ..query() };
    assert_eq!(api::export_cases_csv(&desk, q, path.to_string_lossy().into()).unwrap(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("reference,received,rights,status,due,closed,outcome\nDSAR-2026-0001,2026-10-01,access,new,"), "{text}");
    assert!(!text.contains("Anna") && !text.contains("example.org"), "{text}");
}

fn total(desk: &Desk, q: CaseQuery) -> u64 {
    api::list_cases(desk, CaseQuery { limit: 1, ..q }).unwrap().total
}

#[test]
fn the_demo_dashboard_equals_the_case_list_counts() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    let s = api::desk_status(&desk).unwrap();
    assert!(s.unlocked && s.exists && s.db_path.ends_with("dsar-demo.db"), "{s:?}");
    let d = api::dashboard(&desk).unwrap();
    assert_eq!(d.overdue, total(&desk, CaseQuery { overdue: true, ..query() }));
    let paused = total(&desk, CaseQuery { status: Some("awaiting-identity".into()), ..query() })
        + total(&desk, CaseQuery { status: Some("awaiting-clarification".into()), ..query() });
    assert_eq!(d.paused, paused);
    assert!(d.paused > 0 && d.overdue > 0, "the demo has paused and overdue cases: {d:?}");
    for r in &d.open_by_right {
        assert_eq!(r.open, total(&desk, CaseQuery { open_only: true, right: Some(r.right.clone()), ..query() }), "{}", r.right);
    }
    // Due this week, counted from the rows themselves.
    let open = api::list_cases(&desk, CaseQuery { open_only: true, limit: 1000, ..query() }).unwrap();
    let week = open.items.iter().filter(|r| !r.status.starts_with("awaiting-") && (0..=6).contains(&r.days_left)).count() as u64;
    assert_eq!(d.due_this_week, week);
    assert_eq!(d.per_month.len(), 12);
    assert_eq!(d.per_month.last().unwrap().month, "2026-11");
    let all = total(&desk, query());
    let received: u64 = d.per_month.iter().map(|m| m.received).sum();
    assert!(received > 0 && received <= all);
    assert!(d.median_days_to_close.is_some_and(|m| m > 0.0));
    // Opening the demo again reuses it.
    let again = desk_in(dir.path());
    api::open_demo(&again).unwrap();
    assert_eq!(total(&again, query()), all);
}

#[test]
fn pull_reports_progress_per_system_then_letter_and_bundle_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    // A case the demo already pulled with records: its subject is in the demo's systems.
    let open = api::list_cases(&desk, CaseQuery { open_only: true, right: Some("access".into()), ..query() }).unwrap();
    let reference = open
        .items
        .iter()
        .map(|r| r.reference.clone())
        .find(|r| api::get_case(&desk, r.clone()).unwrap().systems.iter().any(|s| s.records > 0))
        .expect("the demo has a pulled access case with records");
    let events: RefCell<Vec<PullProgress>> = RefCell::new(Vec::new());
    let summary = api::pull_case(&desk, reference.clone(), vec![], &|p| events.borrow_mut().push(p)).unwrap();
    let events = events.into_inner();
    assert!(!summary.cancelled);
    assert_eq!(summary.systems.len(), api::register_systems(&desk).unwrap().len());
    for s in &summary.systems {
        let fin = events.iter().find(|e| e.system == s.id && e.phase == "finished").unwrap_or_else(|| panic!("no finished event for {}", s.id));
        assert_eq!((fin.status.as_deref(), fin.records), (Some(s.status.as_str()), Some(s.records)));
        assert!(events.iter().all(|e| e.reference == reference));
    }
    assert!(summary.systems.iter().any(|s| s.status == "ok" && s.records > 0), "{summary:?}");
    let detail = api::get_case(&desk, reference.clone()).unwrap();
    let by_id = |mut v: Vec<dsar_desk::dto::SystemResultDto>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    assert_eq!(by_id(detail.systems), by_id(summary.systems.clone()));

    let pdf = dir.path().join("letter.pdf");
    // Jaimo's register leaves two retention periods open: the final letter goes with a reason.
    let accepted = Some("Retention of chat and mail is being settled with IT; answered within the deadline".to_string());
    let saved = api::save_letter(&desk, reference.clone(), "access-response".into(), Some("en".into()), Default::default(), pdf.display().to_string(), accepted).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert!(saved.file_name.ends_with(".pdf"));
    let zip = dir.path().join("bundle.zip");
    let e = api::export_bundle(&desk, reference.clone(), zip.display().to_string(), Some("short".into()), |_| {}).unwrap_err();
    assert!(e.message.starts_with("password: "), "{}", e.message);

    // A second export of the same case while one runs is refused; a cancelled one writes nothing.
    let running = desk.start_export(&reference).unwrap();
    let e = api::export_bundle(&desk, reference.clone(), zip.display().to_string(), None, |_| {}).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    running.cancel.cancel();
    drop(running);

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&seen);
    let done = api::export_bundle(&desk, reference.clone(), zip.display().to_string(), None, move |p| sink.lock().unwrap().push(p)).unwrap();
    assert_eq!(done.records, summary.systems.iter().map(|s| s.records).sum::<u64>());
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 2 && seen.iter().all(|p| p.reference == reference && p.records_total == done.records), "{seen:?}");
    assert_eq!(seen.last().map(|p| p.records_done), Some(done.records));
    assert!(zip.exists() && done.files > 2);
    let detail = api::get_case(&desk, reference).unwrap();
    let actions: Vec<&str> = detail.timeline.iter().map(|e| e.action.as_str()).collect();
    for a in ["case.pulled", "letter.saved", "document.saved"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(detail.documents.iter().any(|d| d.kind == "bundle"));
}

#[test]
fn a_second_pull_of_the_same_case_is_refused_while_one_runs() {
    let (_dir, desk) = fresh_desk();
    let reference = api::create_case(&desk, new_case("Erika Muster", "erika@example.org", "2026-11-02")).unwrap();
    let running = desk.start_pull(&reference).unwrap();
    let e = api::pull_case(&desk, reference.clone(), vec![], &|_| {}).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    api::cancel_pull(&desk, reference.clone()).unwrap();
    assert!(running.cancel.is_cancelled());
    drop(running);
    // Free again: now it fails only because this desk has no register.
    let e = api::pull_case(&desk, reference, vec![], &|_| {}).unwrap_err();
    assert_ne!(e.code, ErrorCode::Conflict, "{}", e.message);
}

#[test]
fn started_with_demo_the_first_status_opens_the_demo_desk_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = DeskConfig { demo_at_start: true, ..config(dir.path()) };
    let desk = Desk::new(config);
    let status = api::desk_status(&desk).unwrap();
    assert!(status.unlocked, "the demo is open");
    assert!(dir.path().join("demo").join("dsar-demo.db").exists());
    assert!(api::dashboard(&desk).unwrap().overdue > 0, "the demo has overdue cases");
    assert_eq!(api::list_cases(&desk, dsar_desk::dto::CaseQuery { status: None, overdue: false, open_only: false, right: None, search: None, direction: None, sort: "due".into(), limit: 100, offset: 0 }).unwrap().total, 30);
}

#[test]
fn locking_closes_the_desk_and_returns_to_the_users_own_database() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    assert!(api::desk_status(&desk).unwrap().db_path.ends_with("dsar-demo.db"));
    let reference = api::list_cases(&desk, CaseQuery { status: None, overdue: false, open_only: false, right: None, search: None, direction: None, sort: "due".into(), limit: 1, offset: 0 }).unwrap().items[0].reference.clone();

    // Not while work runs on a second connection.
    let running = desk.start_export(&reference).unwrap();
    assert_eq!(api::lock_desk(&desk).unwrap_err().code, ErrorCode::Conflict);
    drop(running);

    api::lock_desk(&desk).unwrap();
    let status = api::desk_status(&desk).unwrap();
    assert!(!status.unlocked);
    assert!(status.db_path.ends_with("dsar.db") && !status.exists, "{status:?}");
    assert_eq!(api::dashboard(&desk).unwrap_err().code, ErrorCode::Locked);
    assert_eq!(api::get_case(&desk, reference).unwrap_err().code, ErrorCode::Locked);
}
