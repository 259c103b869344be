//! The case screen's record preview, task completion, letter preview and e-mail, and the
//! register editor, called as the Tauri commands call them, against real encrypted databases.

use dsar_desk::api;
use dsar_desk::dto::CaseQuery;
use dsar_desk::dto_casework::{LetterTextDto, SystemFieldsDto};
use dsar_desk::{Desk, ErrorCode};

mod common;
use common::*;

fn demo() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::open_demo(&desk).unwrap();
    (dir, desk)
}

fn all_cases(desk: &Desk) -> Vec<String> {
    let q = CaseQuery { limit: 1000, ..query() };
    api::list_cases(desk, q).unwrap().items.into_iter().map(|r| r.reference).collect()
}

/// A demo case whose last pull found records, with its systems' results.
fn case_with_records(desk: &Desk) -> (String, dsar_desk::dto::CaseDetail) {
    all_cases(desk)
        .into_iter()
        .map(|r| (r.clone(), api::get_case(desk, r).unwrap()))
        .find(|(_, d)| d.systems.iter().filter(|s| s.records > 0).count() >= 2)
        .expect("the demo has a case with records in two systems")
}

#[test]
fn the_record_preview_lists_one_systems_records_with_their_fields() {
    let (_dir, desk) = demo();
    let (reference, detail) = case_with_records(&desk);
    let all = api::case_evidence(&desk, reference.clone(), None).unwrap();
    assert_eq!(all.len() as u64, detail.systems.iter().map(|s| s.records).sum::<u64>());
    for s in detail.systems.iter().filter(|s| s.records > 0) {
        let one = api::case_evidence(&desk, reference.clone(), Some(s.id.clone())).unwrap();
        assert_eq!(one.len() as u64, s.records, "{}", s.id);
        assert!(one.iter().all(|e| e.system_id == s.id && !e.locator.is_empty() && !e.fields.is_empty()));
    }
    // Every field is shown as text: strings unquoted, the rest as JSON.
    let fields: Vec<_> = all.iter().flat_map(|e| e.fields.iter()).collect();
    assert!(fields.iter().any(|f| !f.value.starts_with('"')), "{fields:?}");
    let e = api::case_evidence(&desk, "DSAR-2026-9999".into(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn a_task_is_marked_done_once_and_only_on_its_own_case() {
    let (_dir, desk) = demo();
    let cases: Vec<_> = all_cases(&desk).into_iter().map(|r| (r.clone(), api::get_case(&desk, r).unwrap())).collect();
    let (reference, detail) = cases.iter().find(|(_, d)| d.tasks.iter().any(|t| t.status == "open")).expect("the demo has an open task");
    let task = detail.tasks.iter().find(|t| t.status == "open").unwrap();
    assert!(!task.body.is_empty(), "a manual-search task carries the e-mail to send");
    let other = cases.iter().find(|(r, _)| r != reference).map(|(r, _)| r.clone()).unwrap();
    let e = api::complete_task(&desk, other, task.id.clone()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let after = api::complete_task(&desk, reference.clone(), task.id.clone()).unwrap();
    assert_eq!(after.tasks.iter().find(|t| t.id == task.id).unwrap().status, "done");
    assert_eq!(after.timeline.iter().filter(|e| e.action == "task.done").count(), 1);
    let again = api::complete_task(&desk, reference.clone(), task.id.clone()).unwrap();
    assert_eq!(again.timeline.iter().filter(|e| e.action == "task.done").count(), 1, "done twice is recorded once");
}

#[test]
fn a_letter_preview_stores_nothing_and_matches_what_is_saved_as_eml() {
    let (dir, desk) = demo();
    let (reference, detail) = case_with_records(&desk);
    let preview = api::preview_letter(&desk, reference.clone(), "access-response".into(), Some("en".into()), Default::default()).unwrap();
    assert!(preview.subject.contains(&reference), "{}", preview.subject);
    assert!(preview.body_text.len() > 200);
    assert!(preview.file_name.ends_with("-access-response-en.pdf"));
    let unchanged = api::get_case(&desk, reference.clone()).unwrap();
    assert_eq!((unchanged.documents.len(), unchanged.timeline.len()), (detail.documents.len(), detail.timeline.len()));
    let e = api::preview_letter(&desk, reference.clone(), "love-letter".into(), None, Default::default()).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("kind: "), "{e:?}");

    let e = api::send_letter(&desk, reference.clone(), "access-response".into(), Some("en".into()), Default::default(), true, None, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Settings → SMTP"), "{}", e.message);
    assert_eq!(api::get_case(&desk, reference.clone()).unwrap().documents.len(), detail.documents.len(), "a refused send stores nothing");

    let eml = dir.path().join("letter.eml");
    let accepted = Some("Retention of chat and mail is being settled with IT".to_string());
    let sent = api::send_letter(&desk, reference.clone(), "access-response".into(), Some("en".into()), Default::default(), false, Some(eml.display().to_string()), accepted).unwrap();
    assert!(!sent.sent);
    assert_eq!(sent.eml_path.as_deref(), Some(eml.display().to_string().as_str()));
    let raw = std::fs::read_to_string(&eml).unwrap();
    assert!(raw.contains(&reference) && raw.contains("application/pdf"), "the .eml carries the subject line and the PDF");
    let after = api::get_case(&desk, reference).unwrap();
    assert_eq!(after.documents.len(), detail.documents.len() + 2, "the PDF and the e-mail are stored");
    assert!(after.documents.iter().all(|d| d.sent_at.is_none()));
}

#[test]
fn the_register_exports_to_a_file_that_imports_again() {
    let (dir, desk) = with_register();
    let out = dir.path().join("register-out.json");
    let done = api::export_register(&desk, out.display().to_string()).unwrap();
    assert_eq!(done.systems as usize, api::register_systems(&desk).unwrap().len());
    let reg = dsar::register::parse(&std::fs::read_to_string(&out).unwrap(), dir.path()).unwrap();
    assert_eq!(reg.systems.len() as u64, done.systems);
    let e = api::export_register(&desk, dir.path().join("no/such/dir/r.json").display().to_string()).unwrap_err();
    assert!(e.message.starts_with("out_path: "), "{}", e.message);
}

#[test]
fn a_broken_register_file_lists_every_problem_with_its_pointer() {
    let (dir, desk) = with_register();
    let file = dir.path().join("broken.json");
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture_register("jaimo.json")).unwrap()).unwrap();
    doc["systems"][0]["role"] = "friend".into();
    doc["systems"][1]["legal_bases"] = serde_json::json!([]);
    std::fs::write(&file, doc.to_string()).unwrap();
    let e = api::import_register(&desk, file.display().to_string()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let lines: Vec<&str> = e.message.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("/systems/0/role: ")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("/systems/1/legal_bases: ")), "{lines:?}");
    // The same problems as codes the window words in German or English, each at its pointer.
    let coded: Vec<(&str, &str)> = e.problems.iter().map(|p| (p.path.as_str(), p.code.as_str())).collect();
    assert_eq!(coded, [("/systems/0/role", "value.unknown"), ("/systems/1/legal_bases", "value.empty")], "{:?}", e.problems);
    assert!(e.problems.iter().all(|p| !p.text.is_empty()));
    let wire = serde_json::to_value(&e).unwrap();
    assert_eq!(wire["problems"][0]["code"], "value.unknown", "{wire}");
    let other = api::import_register(&desk, "/nonexistent/register.json".into()).unwrap_err();
    assert!(serde_json::to_value(&other).unwrap().get("problems").is_none(), "no problems list on other errors");
}

#[test]
fn an_edited_system_is_saved_as_a_new_version_and_errors_name_their_fields() {
    let (_dir, desk) = with_register();
    let mut f = api::register_system(&desk, "dashboard".into()).unwrap();
    assert_eq!(f.name, "Stage Dashboard");
    f.recipients = vec!["Hosting provider".into()];
    assert_eq!(api::save_system(&desk, "dashboard".into(), f.clone()).unwrap(), 2);
    assert_eq!(api::register_system(&desk, "dashboard".into()).unwrap(), f);

    let bad = SystemFieldsDto { purposes: vec![], legal_bases: vec!["art99".into()], retention_period: Some("three years".into()), ..f.clone() };
    let e = api::save_system(&desk, "dashboard".into(), bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let fields: Vec<&str> = e.message.lines().map(|l| l.split(':').next().unwrap()).collect();
    for want in ["purposes", "legal_bases", "retention_period"] {
        assert!(fields.contains(&want), "{want} missing: {}", e.message);
    }
    assert_eq!(api::register_system(&desk, "dashboard".into()).unwrap(), f, "a refused edit changes nothing");
    assert_eq!(api::register_system(&desk, "nope".into()).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn a_manual_system_is_added_with_its_contact_and_a_bad_address_is_placed_at_its_field() {
    let (_dir, desk) = with_register();
    let f = SystemFieldsDto {
        name: "Paper archive".into(),
        role: "internal".into(),
        purposes: vec!["Contracts".into()],
        data_categories: vec!["Name, address".into()],
        recipients: vec![],
        legal_bases: vec!["art6-1-c".into()],
        retention: "Ten years after the contract ends".into(),
        retention_period: Some("P10Y".into()),
        source: "data-subject".into(),
    };
    let e = api::add_manual_system(&desk, "archive".into(), "archive-at-example".into(), f.clone()).unwrap_err();
    assert!(e.message.starts_with("contact_email: "), "{}", e.message);
    let before = api::register_systems(&desk).unwrap().len();
    api::add_manual_system(&desk, "archive".into(), "archive@example.com".into(), f.clone()).unwrap();
    let rows = api::register_systems(&desk).unwrap();
    assert_eq!(rows.len(), before + 1);
    let row = rows.iter().find(|r| r.id == "archive").unwrap();
    assert_eq!((row.name.as_str(), row.connector.as_str()), ("Paper archive", "manual"));
    let e = api::add_manual_system(&desk, "archive".into(), "archive@example.com".into(), f).unwrap_err();
    assert!(e.message.starts_with("id: "), "{}", e.message);
}

#[test]
fn register_pointers_map_to_the_editors_fields() {
    use dsar_desk::casework::problem_field;
    assert_eq!(problem_field("/systems/3/purposes/0"), "purposes");
    assert_eq!(problem_field("/systems/3/retention/period"), "retention_period");
    assert_eq!(problem_field("/systems/3/retention/description"), "retention");
    assert_eq!(problem_field("/systems/12/connector/contact/email"), "contact_email");
    assert_eq!(problem_field("/controller/email"), "register");
    assert_eq!(problem_field(""), "register");
}

#[test]
fn a_refusal_needs_reasons_and_carries_them_into_the_letter() {
    let (dir, desk) = demo();
    let reference = all_cases(&desk).remove(0);
    let e = api::preview_letter(&desk, reference.clone(), "refusal".into(), Some("en".into()), Default::default()).unwrap_err();
    assert!(e.message.starts_with("ground"), "the legal ground is chosen first: {}", e.message);
    let ground = Some("art12-5-unfounded".to_string());
    let e = api::preview_letter(&desk, reference.clone(), "refusal".into(), Some("en".into()), LetterTextDto { ground: ground.clone(), ..Default::default() }).unwrap_err();
    assert!(e.message.starts_with("reasons"), "{}", e.message);
    let blank = LetterTextDto { reasons: Some("   ".into()), notes: None, ground: ground.clone(), fee: None, encrypted_bundle: None };
    assert!(api::preview_letter(&desk, reference.clone(), "refusal".into(), Some("en".into()), blank).is_err(), "blank reasons count as none");
    let text = LetterTextDto { reasons: Some("It repeats a request answered last week.".into()), notes: None, ground, fee: None, encrypted_bundle: None };
    let preview = api::preview_letter(&desk, reference.clone(), "refusal".into(), Some("en".into()), text.clone()).unwrap();
    assert!(preview.body_text.contains("manifestly unfounded"), "{}", preview.body_text);
    let pdf = dir.path().join("refusal.pdf");
    api::save_letter(&desk, reference, "refusal".into(), Some("en".into()), text, pdf.display().to_string(), None).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}
