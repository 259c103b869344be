//! The Inbox (request e-mails → proposed cases → accepted or dismissed) and New case's
//! duplicate hint, called as the Tauri commands call them, against real encrypted databases.

use dsar_desk::dto_inbox::{DuplicateQuery, ProposalEdits};
use dsar_desk::{inbox, ErrorCode};

mod common;
use common::*;

const ERIKA: &str = "From: Erika Mustermann <Erika.Mustermann@example.org>\r\n\
To: datenschutz@kranich.example\r\n\
Date: Tue, 17 Nov 2026 09:12:00 +0100\r\n\
Subject: Auskunftsersuchen nach Art. 15 DSGVO\r\n\
Message-ID: <erika-1@example.org>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\
\r\n\
Sehr geehrte Damen und Herren,\r\n\
\r\n\
\r\n\
hiermit bitte ich um Auskunft über die zu meiner Person gespeicherten Daten.\r\n\
\r\n\
Mit freundlichen Grüßen\r\n\
Erika Mustermann\r\n";

const NO_RIGHT: &str = "From: kurt@example.org\r\nDate: Wed, 18 Nov 2026 10:00:00 +0100\r\nSubject: Frage\r\n\r\nWann haben Sie geöffnet?\r\n";

fn edits(p: &dsar_desk::dto_inbox::ProposalDto) -> ProposalEdits {
    ProposalEdits {
        from: p.from.clone().unwrap_or_default(),
        name: p.name.clone().unwrap_or_default(),
        received: p.received.clone(),
        rights: p.rights.clone(),
        language: p.language.clone(),
    }
}

#[test]
fn a_dropped_email_is_proposed_and_accepted_with_its_original_kept() {
    let (_dir, desk) = with_register();
    let added = inbox::inbox_add_bytes(&desk, "Auskunft Erika.eml".into(), ERIKA.as_bytes().to_vec()).unwrap();
    assert!(added.refused.is_empty());
    let [p] = added.items.as_slice() else { panic!("one proposal: {:?}", added.items) };
    assert_eq!(added.added, std::slice::from_ref(&p.id));
    assert_eq!(p.from.as_deref(), Some("erika.mustermann@example.org"), "normalised");
    assert_eq!(p.name.as_deref(), Some("Erika Mustermann"));
    assert_eq!(p.received, "2026-11-17");
    assert_eq!(p.rights, ["access"]);
    assert_eq!(p.language, "de");
    assert_eq!(p.subject, "Auskunftsersuchen nach Art. 15 DSGVO");
    assert!(p.excerpt.starts_with("Sehr geehrte Damen und Herren,\n\nhiermit bitte ich um Auskunft"), "{}", p.excerpt);
    assert_eq!(p.file_name, "Auskunft Erika.eml");
    assert!(p.duplicate.is_none());

    // The same file dropped again is the same proposal.
    let again = inbox::inbox_add_bytes(&desk, "copy.eml".into(), ERIKA.as_bytes().to_vec()).unwrap();
    assert_eq!((again.items.len(), again.added.clone()), (1, vec![p.id.clone()]));

    // The DPO corrects the name and adds portability before accepting.
    let mut e = edits(p);
    e.name = "Erika M. Mustermann".into();
    e.rights.push("portability".into());
    let reference = inbox::inbox_accept(&desk, p.id.clone(), e).unwrap();
    let case = dsar_desk::api::get_case(&desk, reference.clone()).unwrap();
    assert_eq!(case.subject.name, "Erika M. Mustermann");
    assert_eq!(case.rights, ["access", "portability"]);
    assert_eq!(case.received, "2026-11-17");
    assert_eq!(case.channel, "email");
    let doc = case.documents.iter().find(|d| d.kind == "request-email").expect("the original is kept");
    assert_eq!((doc.file_name.as_str(), doc.bytes), ("Auskunft Erika.eml", ERIKA.len() as u64));
    assert!(case.timeline.iter().any(|t| t.action == "intake.accepted"));
    assert!(inbox::inbox_list(&desk).unwrap().is_empty(), "accepted proposals leave the Inbox");
    let e = inbox::inbox_accept(&desk, p.id.clone(), edits(p)).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound, "accepted once only");

    // The same sender writes again: the proposal names the open case.
    let second = ERIKA.replace("erika-1@", "erika-2@").replace("17 Nov", "19 Nov");
    let added = inbox::inbox_add_bytes(&desk, "".into(), second.into_bytes()).unwrap();
    let dup = added.items[0].duplicate.as_ref().expect("a duplicate");
    assert_eq!((dup.reference.as_str(), dup.name.as_str(), dup.status.as_str()), (reference.as_str(), "Erika M. Mustermann", "new"));
    assert_eq!(added.items[0].file_name, "request.eml");
}

#[test]
fn proposals_are_kept_per_desk_until_dismissed_and_survive_a_lock() {
    let (dir, desk) = fresh_desk();
    let added = inbox::inbox_add_bytes(&desk, "a.eml".into(), ERIKA.as_bytes().to_vec()).unwrap();
    let id = added.added[0].clone();
    dsar_desk::api::lock_desk(&desk).unwrap();
    assert_eq!(inbox::inbox_list(&desk).unwrap_err().code, ErrorCode::Locked);
    dsar_desk::api::open_demo(&desk).unwrap();
    assert!(inbox::inbox_list(&desk).unwrap().is_empty(), "the demo desk does not show the real desk's mail");
    dsar_desk::api::lock_desk(&desk).unwrap();
    dsar_desk::api::unlock(&desk, PASS.into()).unwrap();
    assert_eq!(inbox::inbox_list(&desk).unwrap().len(), 1, "kept over the lock");
    assert!(inbox::inbox_dismiss(&desk, id).unwrap().is_empty());
    drop(dir);
}

#[test]
fn files_are_read_from_paths_and_bad_ones_are_listed_not_fatal() {
    let (dir, desk) = fresh_desk();
    let good = dir.path().join("Anfrage.eml");
    let bad = dir.path().join("photo.eml");
    let missing = dir.path().join("missing.eml");
    std::fs::write(&good, ERIKA).unwrap();
    std::fs::write(&bad, [0xffu8, 0xd8, 0xff, 0xe0, 0, 0, 1, 2]).unwrap();
    let paths = [&good, &bad, &missing].iter().map(|p| p.display().to_string()).collect();
    let added = inbox::inbox_add_files(&desk, paths).unwrap();
    assert_eq!(added.items.len(), 1);
    assert_eq!(added.items[0].file_name, "Anfrage.eml");
    let refused: Vec<_> = added.refused.iter().map(|r| r.file_name.as_str()).collect();
    assert_eq!(refused, ["photo.eml", "missing.eml"]);
    assert!(added.refused[0].message.starts_with("not an e-mail"), "{:?}", added.refused[0]);
}

#[test]
fn accepting_checks_the_dpos_corrections_at_their_fields() {
    let (_dir, desk) = fresh_desk();
    let added = inbox::inbox_add_bytes(&desk, "k.eml".into(), NO_RIGHT.as_bytes().to_vec()).unwrap();
    let p = &added.items[0];
    assert!(p.rights.is_empty());
    let fields: Vec<_> = p.warnings.iter().map(|w| w.field.as_str()).collect();
    assert!(fields.contains(&"rights") && fields.contains(&"name"), "{fields:?}");
    let try_with = |f: &dyn Fn(&mut ProposalEdits)| {
        let mut e = edits(p);
        e.name = "Kurt Kühn".into();
        e.rights = vec!["access".into()];
        f(&mut e);
        inbox::inbox_accept(&desk, p.id.clone(), e).unwrap_err().message
    };
    assert!(try_with(&|e| e.rights.clear()).starts_with("rights: "));
    assert!(try_with(&|e| e.name = " ".into()).starts_with("name: "));
    assert!(try_with(&|e| e.received = "2026-12-01".into()).starts_with("received: "));
    assert!(try_with(&|e| e.received = "gestern".into()).starts_with("received: "));
    assert!(try_with(&|e| e.from = "kurt at example".into()).starts_with("from: "));
    assert!(try_with(&|e| e.language = "fr".into()).starts_with("language: "));
    let mut e = edits(p);
    e.name = "Kurt Kühn".into();
    e.rights = vec!["erasure".into()];
    let reference = inbox::inbox_accept(&desk, p.id.clone(), e).unwrap();
    assert_eq!(dsar_desk::api::get_case(&desk, reference).unwrap().rights, ["erasure"]);
}

#[test]
fn new_case_hints_at_an_open_case_with_the_same_identifier() {
    let (_dir, desk) = fresh_desk();
    let mut input = new_case("Jutta Kranich", "jutta@example.org", "2026-11-02");
    input.phone = Some("+49 221 1234567".into());
    input.ids = vec!["customer_id=K-1001".into()];
    let reference = dsar_desk::api::create_case(&desk, input).unwrap();
    let hint = |q: DuplicateQuery| inbox::find_duplicate(&desk, q).unwrap().map(|h| (h.field, h.case.reference, h.case.name));
    let want = |f: &str| Some((f.to_string(), reference.clone(), "Jutta Kranich".to_string()));
    assert_eq!(hint(DuplicateQuery { email: Some(" Jutta@Example.org ".into()), ..Default::default() }), want("email"));
    assert_eq!(hint(DuplicateQuery { phone: Some("0221 1234567".into()), ..Default::default() }), want("phone"));
    assert_eq!(hint(DuplicateQuery { ids: vec!["customer_id=K-1001".into()], ..Default::default() }), want("ids"));
    assert_eq!(hint(DuplicateQuery { email: Some("someone@example.org".into()), ..Default::default() }), None);
    assert_eq!(hint(DuplicateQuery { email: Some("jutta@".into()), ids: vec!["nonsense".into()], ..Default::default() }), None, "half-typed values are no error");
}
