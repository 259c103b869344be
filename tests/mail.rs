//! E-mail against a real SMTP server (aiosmtpd on 127.0.0.1, started by
//! `scripts/smtp-server.sh`, found through DSAR_TEST_SMTP): plain, login, STARTTLS and TLS,
//! the refusals, `deliver_letter` with its documents and audit events, and `dsar settings`.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::Value;

use common::*;
use dsar::cases::{self, Case, NewCase};
use dsar::documents::{self, media};
use dsar::domain::{Channel, IdentifierKind, Language, Right};
use dsar::mail::{self, Delivery, LetterParts, MailError};
use dsar::settings::{self, Security, SmtpSettings};
use dsar::store::Store;

const NAME: &str = "Jana Beispiel";
const EMAIL: &str = "jana.beispiel@example.org";
const PDF: &[u8] = b"%PDF-1.7\n% stand-in letter \xC3\xA4\xC3\xB6\xC3\xBC \xE2\x82\xAC\n%%EOF\n";
const TEXT: &str = "Sehr geehrte Frau Beispiel,\n\nanbei unsere Auskunft nach Art. 15 DSGVO (Grüße, €, ĳ).\n";

/// The running test server, as written by scripts/smtp-server.sh.
struct Server {
    plain: u16,
    auth: u16,
    starttls: u16,
    tls: u16,
    ca: PathBuf,
    maildir: PathBuf,
    user: String,
    password: String,
}

fn server() -> Server {
    let path = std::env::var("DSAR_TEST_SMTP").unwrap_or_else(|_| {
        panic!("DSAR_TEST_SMTP is not set: these tests need the real SMTP server — run `bash scripts/test.sh`, or `eval \"$(bash scripts/smtp-server.sh start)\"` before `cargo test --test mail`")
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("DSAR_TEST_SMTP={path} cannot be read ({e}): is the server running? start it with scripts/smtp-server.sh start"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let port = |k: &str| u16::try_from(v[k].as_u64().unwrap()).unwrap();
    Server {
        plain: port("plain"),
        auth: port("auth"),
        starttls: port("starttls"),
        tls: port("tls"),
        ca: PathBuf::from(v["ca"].as_str().unwrap()),
        maildir: PathBuf::from(v["maildir"].as_str().unwrap()),
        user: v["user"].as_str().unwrap().into(),
        password: v["password"].as_str().unwrap().into(),
    }
}

fn smtp(port: u16, security: Security) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security,
        user: None,
        password_secret: None,
        from_address: "datenschutz@jaimo.test".into(),
        from_name: Some("Jaimo Datenschutz".into()),
        ca_file: None,
    }
}

fn message(subject: &str) -> mail::Message {
    let from = mail::mailbox(Some("Jaimo Datenschutz"), "datenschutz@jaimo.test", "from").unwrap();
    let to = mail::mailbox(Some(NAME), EMAIL, "to").unwrap();
    mail::compose(&from, &to, subject, TEXT, &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF)]).unwrap()
}

/// What the server received for a Message-ID: the raw bytes and its envelope.
fn received(s: &Server, message_id: &str) -> (Vec<u8>, Value) {
    let want = message_id.trim_matches(['<', '>']);
    for e in std::fs::read_dir(&s.maildir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "eml") {
            let raw = std::fs::read(&p).unwrap();
            let parsed = MessageParser::default().parse(&raw).unwrap();
            if parsed.message_id() == Some(want) {
                let envelope: Value = serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap()).unwrap();
                return (raw, envelope);
            }
        }
    }
    panic!("the server received no message with Message-ID {message_id}");
}

/// Checks a message as any mail program would read it: subject, body, the attachments' names,
/// types and exact bytes.
fn check_parsed(raw: &[u8], subject: &str, attachments: &[(&str, &str, &[u8])]) {
    let m = MessageParser::default().parse(raw).unwrap();
    assert_eq!(m.subject(), Some(subject));
    assert_eq!(m.body_text(0).unwrap().replace("\r\n", "\n"), TEXT);
    let got: Vec<(String, String, Vec<u8>)> = m
        .attachments()
        .map(|a| {
            let ct = a.content_type().unwrap();
            (a.attachment_name().unwrap().to_string(), format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")), a.contents().to_vec())
        })
        .collect();
    let want: Vec<(String, String, Vec<u8>)> = attachments.iter().map(|(n, t, b)| (n.to_string(), t.to_string(), b.to_vec())).collect();
    assert_eq!(got, want);
    let text = String::from_utf8_lossy(raw);
    let subject_header = text.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(!subject_header.contains("Beispiel"), "{subject_header}");
}

fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    port
}

/// No error message may carry the subject's address or name, or a password.
fn assert_clean(e: &MailError, secrets: &[&str]) {
    let text = e.to_string();
    for leak in [EMAIL, NAME, "datenschutz@jaimo.test"].iter().chain(secrets) {
        assert!(!text.contains(leak), "error leaks {leak:?}: {text}");
    }
}

#[test]
fn compose_sets_a_message_id_the_reference_subject_and_the_pdf() {
    let m = message("Ihre Anfrage DSAR-2026-0001");
    let id = mail::message_id(&m).expect("Message-ID");
    assert!(id.starts_with('<') && id.ends_with('>') && id.contains('@'), "{id}");
    assert_ne!(mail::message_id(&message("x")), Some(id), "every message gets its own id");
    check_parsed(&m.formatted(), "Ihre Anfrage DSAR-2026-0001", &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF)]);
    let from = mail::mailbox(None, "a@b.test", "from").unwrap();
    let e = mail::compose(&from, &from, "s", "t", &[("x.pdf", "not a type", b"x")]).unwrap_err();
    assert!(matches!(e, MailError::MediaType(_)), "{e}");
    assert!(matches!(mail::mailbox(None, "no-at-sign", "to"), Err(MailError::Address { field: "to" })));
}

#[test]
fn save_eml_writes_a_message_mail_programs_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("antwort.eml");
    let m = message("Auskunft DSAR-2026-0001");
    mail::save_eml(&m, &path).unwrap();
    let raw = std::fs::read(&path).unwrap();
    assert_eq!(raw, m.formatted());
    check_parsed(&raw, "Auskunft DSAR-2026-0001", &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF)]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    let e = mail::save_eml(&m, &dir.path().join("missing/x.eml")).unwrap_err();
    assert!(e.is_user_error() && e.to_string().contains("cannot write"), "{e}");
}

#[test]
fn sends_over_plain_smtp_to_this_machine() {
    let s = server();
    let m = message("Auskunft DSAR-2026-0001");
    mail::send(&m, &smtp(s.plain, Security::None), None).unwrap();
    let (raw, env) = received(&s, &mail::message_id(&m).unwrap());
    assert_eq!(env["rcpt_tos"], serde_json::json!([EMAIL]));
    assert_eq!(env["mail_from"], "datenschutz@jaimo.test");
    check_parsed(&raw, "Auskunft DSAR-2026-0001", &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF)]);
}

#[test]
fn sends_over_starttls_and_tls_trusting_the_firm_ca() {
    let s = server();
    for (port, security, listener) in [(s.starttls, Security::StartTls, "starttls"), (s.tls, Security::Tls, "tls")] {
        let m = message("Auskunft DSAR-2026-0002");
        let mut cfg = smtp(port, security);
        cfg.ca_file = Some(s.ca.clone());
        mail::send(&m, &cfg, None).unwrap_or_else(|e| panic!("{listener}: {e}"));
        let (_, env) = received(&s, &mail::message_id(&m).unwrap());
        assert_eq!(env["listener"], listener);
    }
}

#[test]
fn an_untrusted_certificate_or_a_port_without_tls_is_a_tls_error() {
    let s = server();
    for (port, security) in [(s.starttls, Security::StartTls), (s.tls, Security::Tls), (s.plain, Security::StartTls), (s.plain, Security::Tls)] {
        let mut cfg = smtp(port, security);
        if port == s.plain {
            cfg.ca_file = Some(s.ca.clone());
        }
        let e = mail::send(&message("DSAR-2026-0003"), &cfg, None).unwrap_err();
        assert!(matches!(e, MailError::Tls { .. }), "{security} on {port}: {e:?}");
        assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
        assert_clean(&e, &[]);
    }
    let mut cfg = smtp(s.starttls, Security::StartTls);
    cfg.ca_file = Some(PathBuf::from("/no/such/ca.pem"));
    let e = mail::send(&message("DSAR-2026-0003"), &cfg, None).unwrap_err();
    assert!(matches!(e, MailError::CaFile { .. }), "{e:?}");
}

#[test]
fn login_failures_say_what_to_fix_without_the_password() {
    let s = server();
    let mut cfg = smtp(s.auth, Security::None);
    cfg.user = Some(s.user.clone());
    cfg.password_secret = Some("smtp_password".into());
    let e = mail::send(&message("DSAR-2026-0004"), &cfg, Some("wrong-password-123")).unwrap_err();
    assert!(matches!(e, MailError::AuthRefused { .. }), "{e:?}");
    assert!(e.to_string().contains("535"), "{e}");
    assert_clean(&e, &["wrong-password-123", &s.user]);

    let e = mail::send(&message("DSAR-2026-0004"), &smtp(s.auth, Security::None), None).unwrap_err();
    assert!(matches!(e, MailError::AuthRequired { .. }), "{e:?}");
    assert_clean(&e, &[]);

    let m = message("DSAR-2026-0004");
    mail::send(&m, &cfg, Some(&s.password)).unwrap();
    let (_, env) = received(&s, &mail::message_id(&m).unwrap());
    assert_eq!((env["listener"].as_str(), env["login"].as_bool()), (Some("auth"), Some(true)));
}

#[test]
fn plain_smtp_to_another_host_and_unreachable_servers_are_refused_clearly() {
    let mut cfg = smtp(25, Security::None);
    cfg.host = "smtp.example.com".into();
    let e = mail::send(&message("DSAR-2026-0005"), &cfg, None).unwrap_err();
    assert!(matches!(&e, MailError::Settings(i) if i.field == "--security"), "{e:?}");
    assert!(e.to_string().contains("starttls"), "{e}");

    let port = closed_port();
    let e = mail::send(&message("DSAR-2026-0005"), &smtp(port, Security::None), None).unwrap_err();
    assert!(matches!(e, MailError::Unreachable { .. }), "{e:?}");
    assert_eq!(e.to_string(), format!("cannot reach the mail server 127.0.0.1:{port}: check host and port, and that this computer is online"));
}

struct Desk {
    _db: TempDb,
    store: Store,
    case: Case,
}

fn desk(email: Option<&str>) -> Desk {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    dsar::register_store::import_file(&mut store, &c, &data("registers/jaimo.json")).unwrap();
    let case = cases::create(
        &mut store,
        &c,
        NewCase {
            rights: vec![Right::Access],
            name: NAME.into(),
            address: vec![],
            identifiers: email.map(|e| vec![(IdentifierKind::Email, e.to_string())]).unwrap_or_default(),
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: Some(Language::De),
            channel: Channel::Email,
        },
    )
    .unwrap();
    Desk { _db: db, store, case }
}

fn letter(subject_line: &str) -> LetterParts<'_> {
    LetterParts { kind: "access-response", language: Language::De, subject_line, text: TEXT, pdf: PDF, file_name: "DSAR-2026-0001-auskunft.pdf" }
}

fn actions(store: &Store, case: &Case) -> Vec<(String, Value)> {
    dsar::audit::for_case(store.conn(), &case.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.action != "case.created")
        .map(|e| (e.action, serde_json::from_str(&e.details).unwrap()))
        .collect()
}

#[test]
fn deliver_letter_sends_with_the_stored_password_and_records_documents_and_audit() {
    let s = server();
    let mut d = desk(Some(EMAIL));
    let c = ctx("2026-11-21");
    dsar::secrets::set(&mut d.store, &c, "smtp_password", &s.password).unwrap();
    let mut cfg = smtp(s.auth, Security::None);
    cfg.user = Some(s.user.clone());
    cfg.password_secret = Some("smtp_password".into());
    settings::set_smtp(&mut d.store, &c, &cfg).unwrap();
    assert_eq!(settings::smtp(&d.store).unwrap(), Some(cfg));

    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("antwort.eml");
    let bundle: &[u8] = b"PK\x03\x04 stand-in bundle";
    let done = mail::deliver_letter(
        &mut d.store,
        &c,
        &d.case,
        &letter("Ihre Auskunft"),
        &Delivery { eml: Some(&eml), send: true, bundle: Some(("DSAR-2026-0001.zip", bundle)) },
    )
    .unwrap();
    assert!(done.sent);
    let id = done.message_id.clone().unwrap();
    let (raw, env) = received(&s, &id);
    assert_eq!(env["login"], true);
    let subject = "[DSAR-2026-0001] Ihre Auskunft";
    check_parsed(&raw, subject, &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF), ("DSAR-2026-0001.zip", "application/zip", bundle)]);
    check_parsed(&std::fs::read(&eml).unwrap(), subject, &[("DSAR-2026-0001-auskunft.pdf", "application/pdf", PDF), ("DSAR-2026-0001.zip", "application/zip", bundle)]);

    let docs = documents::list(d.store.conn(), &d.case.id).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!((docs[0].media_type.as_str(), docs[0].kind.as_str(), docs[0].sent_at.as_deref()), (media::PDF, "access-response", None));
    assert_eq!(documents::read(d.store.conn(), &d.case.id, &docs[0].id).unwrap().1, PDF);
    let email_doc = &docs[1];
    assert_eq!((email_doc.media_type.as_str(), email_doc.file_name.as_str(), email_doc.message_id.as_deref()), (media::EMAIL, "antwort.eml", Some(id.as_str())));
    assert!(email_doc.sent_at.is_some());
    assert_eq!(documents::read(d.store.conn(), &d.case.id, &email_doc.id).unwrap().1, std::fs::read(&eml).unwrap());

    let events = actions(&d.store, &d.case);
    let names: Vec<&str> = events.iter().map(|(a, _)| a.as_str()).collect();
    // Sending the answer starts the work on a new case (cases::start_work).
    assert_eq!(names, ["document.saved", "letter.sent", "case.status-changed"]);
    assert_eq!(events[2].1["to"], "in-progress");
    let sent = &events[1].1;
    assert_eq!((sent["kind"].as_str(), sent["message_id"].as_str(), sent["sha256"].as_str()), (Some("access-response"), Some(id.as_str()), Some(email_doc.sha256.as_str())));
    let all = serde_json::to_string(&events).unwrap();
    for leak in [EMAIL, NAME, "Beispiel", &s.password, &s.user, "datenschutz@jaimo.test"] {
        assert!(!all.contains(leak), "audit trail holds {leak:?}: {all}");
    }
}

#[test]
fn deliver_letter_saves_an_eml_without_smtp_from_the_controller_address() {
    let mut d = desk(Some(EMAIL));
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("brief.eml");
    let c = ctx("2026-11-21");
    let done = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("Auskunft DSAR-2026-0001"), &Delivery { eml: Some(&eml), ..Delivery::default() }).unwrap();
    assert!(!done.sent);
    let raw = std::fs::read(&eml).unwrap();
    let parsed = MessageParser::default().parse(&raw).unwrap();
    let from = parsed.from().unwrap().first().unwrap();
    let register = dsar::register_store::current(&d.store).unwrap().unwrap();
    assert_eq!(from.address(), Some(register.controller.email.as_str()));
    assert_eq!(parsed.subject(), Some("Auskunft DSAR-2026-0001"));
    let names: Vec<String> = actions(&d.store, &d.case).into_iter().map(|(a, _)| a).collect();
    assert_eq!(names, ["document.saved", "document.saved"]);
    let docs = documents::list(d.store.conn(), &d.case.id).unwrap();
    assert!(docs[1].sent_at.is_none() && docs[1].message_id == done.message_id);

    // Only the PDF when neither --eml nor --send is asked for.
    let done = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("Auskunft DSAR-2026-0001"), &Delivery::default()).unwrap();
    assert!(done.email.is_none() && done.message_id.is_none());
    assert_eq!(documents::list(d.store.conn(), &d.case.id).unwrap().len(), 3);
}

#[test]
fn deliver_letter_refuses_before_storing_anything() {
    let s = server();
    let c = ctx("2026-11-21");
    let mut d = desk(Some(EMAIL));
    let e = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("Auskunft für Jana Beispiel"), &Delivery { send: true, ..Delivery::default() }).unwrap_err();
    assert!(matches!(e, MailError::PersonalSubjectLine), "{e:?}");
    let e = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("DSAR-2026-0001"), &Delivery { send: true, ..Delivery::default() }).unwrap_err();
    assert!(matches!(e, MailError::NotConfigured), "{e:?}");
    let mut cfg = smtp(s.auth, Security::None);
    cfg.user = Some(s.user.clone());
    cfg.password_secret = Some("not_stored_yet".into());
    settings::set_smtp(&mut d.store, &c, &cfg).unwrap();
    let e = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("DSAR-2026-0001"), &Delivery { send: true, ..Delivery::default() }).unwrap_err();
    assert!(e.to_string().contains("dsar secret set not_stored_yet"), "{e}");
    assert!(documents::list(d.store.conn(), &d.case.id).unwrap().is_empty());

    let mut no_email = desk(None);
    let e = mail::deliver_letter(&mut no_email.store, &c, &no_email.case, &letter("DSAR-2026-0001"), &Delivery { send: true, ..Delivery::default() }).unwrap_err();
    assert!(matches!(e, MailError::NoRecipient), "{e:?}");
    assert!(documents::list(no_email.store.conn(), &no_email.case.id).unwrap().is_empty());
}

#[test]
fn a_failed_send_still_records_what_was_saved_and_no_letter_sent() {
    let c = ctx("2026-11-21");
    let mut d = desk(Some(EMAIL));
    settings::set_smtp(&mut d.store, &c, &smtp(closed_port(), Security::None)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("brief.eml");
    let e = mail::deliver_letter(&mut d.store, &c, &d.case, &letter("DSAR-2026-0001"), &Delivery { eml: Some(&eml), send: true, bundle: None }).unwrap_err();
    assert!(matches!(e, MailError::Unreachable { .. }), "{e:?}");
    assert!(eml.is_file());
    let names: Vec<String> = actions(&d.store, &d.case).into_iter().map(|(a, _)| a).filter(|a| a != "settings.smtp").collect();
    assert_eq!(names, ["document.saved", "document.saved"]);
    assert!(documents::list(d.store.conn(), &d.case.id).unwrap().iter().all(|doc| doc.sent_at.is_none()));
}

fn sh(db: &TempDb, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = dsar_cmd()
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn settings_smtp_is_stored_and_shown_without_the_password() {
    let db = TempDb::new();
    db.create();
    let secret = "Very-Secret-SMTP-Pa55";
    let o = db.dsar(&["settings", "show"]);
    assert!(ok(o).contains("not configured"));
    let set = ["settings", "smtp", "--host", "smtp.jaimo.test", "--port", "587", "--security", "starttls", "--user", "dpo@jaimo.test", "--password-secret", "{secret:smtp_password}", "--from", "datenschutz@jaimo.test", "--from-name", "Jaimo Datenschutz"];
    let out = ok(db.dsar(&set));
    assert!(out.contains("not stored yet"), "{out}");
    ok(sh(&db, &["secret", "set", "smtp_password"], &format!("{secret}\n")));
    let text = ok(db.dsar(&["settings", "show"]));
    for want in ["smtp.jaimo.test:587", "starttls", "dpo@jaimo.test", "secret smtp_password (stored)", "Jaimo Datenschutz <datenschutz@jaimo.test>"] {
        assert!(text.contains(want), "{want:?} missing in:\n{text}");
    }
    let json: Value = serde_json::from_str(&ok(db.dsar(&["settings", "show", "--json"]))).unwrap();
    assert_eq!(json["smtp"]["port"], 587);
    assert_eq!(json["smtp"]["password_secret"], "smtp_password");
    assert_eq!(json["smtp"]["password_stored"], true);
    let timeline = ok(db.dsar(&["audit", "verify", "--json"]));
    for shown in [&text, &json.to_string(), &timeline] {
        assert!(!shown.contains(secret), "password shown: {shown}");
    }

    for (args, want) in [
        (vec!["--host", "smtp.jaimo.test", "--port", "25", "--security", "none", "--from", "a@jaimo.test"], "--security"),
        (vec!["--host", "smtp.jaimo.test", "--port", "587", "--security", "ssl", "--from", "a@jaimo.test"], "security"),
        (vec!["--host", "smtp.jaimo.test", "--port", "587", "--security", "tls", "--from", "nobody"], "--from"),
        (vec!["--host", "smtp.jaimo.test", "--port", "587", "--security", "tls", "--user", "u", "--from", "a@jaimo.test"], "--password-secret"),
    ] {
        let mut full = vec!["settings", "smtp"];
        full.extend(args);
        let o = db.dsar(&full);
        assert_eq!(o.status.code(), Some(1), "{full:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(want), "{full:?}: {err}");
    }
    let still: Value = serde_json::from_str(&ok(db.dsar(&["settings", "show", "--json"]))).unwrap();
    assert_eq!(still["smtp"]["host"], "smtp.jaimo.test", "a refused change keeps the old settings");
}
