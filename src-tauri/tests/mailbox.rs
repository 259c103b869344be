//! The Inbox's "Read mailbox" and the mailbox settings against a real Dovecot on 127.0.0.1
//! (`scripts/imap-server.sh`, found through the DSAR_TEST_IMAP_* variables; `scripts/test.sh`
//! starts it). The test uses its own folder of the intake user; messages are put in with
//! Dovecot's own `doveadm`. Without the server only the refusals are checked.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use dsar_desk::dto_inbox::{ImapInput, ProposalEdits};
use dsar_desk::{inbox, ErrorCode};

mod common;
use common::*;

const FOLDER: &str = "DesktopInbox";

fn doveadm(conf: &str, args: &[&str], input: Option<&[u8]>) -> bool {
    let mut child = Command::new("doveadm").arg("-c").arg(conf).args(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("doveadm runs");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(b) = input {
        stdin.write_all(b).unwrap();
    }
    drop(stdin);
    child.wait().unwrap().success()
}

fn mail(from: &str, subject: &str, date: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nTo: datenschutz@kranich.example\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{}@test.example>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n", subject.len() * 7 + body.len())
        .into_bytes()
}

#[test]
fn the_mailbox_is_refused_until_it_is_set_and_its_fields_are_checked() {
    let (_dir, desk) = fresh_desk();
    let e = inbox::inbox_read_mailbox(&desk, None, &|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.starts_with("imap: no intake mailbox is set — check the mailbox under Settings → Mailbox"), "{e:?}");
    assert!(inbox::get_imap(&desk).unwrap().is_none());
    let input = ImapInput { host: "imap.kranich.example".into(), port: 993, user: "datenschutz@kranich.example".into(), folder: "INBOX".into(), password: String::new() };
    let e = inbox::save_imap(&desk, input.clone()).unwrap_err();
    assert!(e.message.starts_with("password: "), "{e:?}");
    let e = inbox::save_imap(&desk, ImapInput { port: 143, password: "geheim".into(), ..input.clone() }).unwrap_err();
    assert!(e.message.starts_with("port: 143 is the plain IMAP port"), "{e:?}");
    assert!(!e.message.contains("dsar "), "the window names no CLI: {e:?}");
    let saved = inbox::save_imap(&desk, ImapInput { password: "geheim".into(), ..input.clone() }).unwrap();
    assert_eq!(inbox::get_imap(&desk).unwrap(), Some(saved.clone()));
    // The same server again without a password keeps the stored one.
    inbox::save_imap(&desk, ImapInput { folder: "Anfragen".into(), ..input }).unwrap();
    assert_eq!(inbox::get_imap(&desk).unwrap().unwrap().folder, "Anfragen");
}

#[test]
fn messages_read_from_the_mailbox_join_the_inbox_and_are_remembered_when_decided() {
    let var = |k: &str| std::env::var(k).ok();
    let Some(host) = var("DSAR_TEST_IMAP_HOST") else {
        eprintln!("SKIPPED: DSAR_TEST_IMAP_HOST is not set — run `eval \"$(bash scripts/imap-server.sh start)\"` first");
        return;
    };
    let need = |k: &str| var(k).unwrap_or_else(|| panic!("{k} is not set"));
    let (conf, user, password) = (need("DSAR_TEST_IMAP_CONF"), need("DSAR_TEST_IMAP_USER"), need("DSAR_TEST_IMAP_PASSWORD"));
    doveadm(&conf, &["mailbox", "create", "-u", &user, FOLDER], None);
    assert!(doveadm(&conf, &["expunge", "-u", &user, "mailbox", FOLDER, "all"], None));
    let requests = [
        mail("Erika Mustermann <erika@example.org>", "Auskunft nach Art. 15 DSGVO", "Tue, 17 Nov 2026 09:12:00 +0100", "Ich bitte um Auskunft über meine gespeicherten Daten."),
        mail("Newsletter <news@shop.example>", "Angebote der Woche", "Wed, 18 Nov 2026 07:00:00 +0100", "Nur heute: 20 % Rabatt."),
    ];
    for m in &requests {
        assert!(doveadm(&conf, &["save", "-u", &user, "-m", FOLDER], Some(m)));
    }

    let (_dir, desk) = fresh_desk();
    let settings = dsar::settings::ImapIntakeSettings {
        host,
        port: need("DSAR_TEST_IMAP_TLS_PORT").parse().unwrap(),
        user,
        folder: FOLDER.into(),
        ca_file: Some(need("DSAR_TEST_IMAP_CA").into()),
    };
    let ctx = desk.context();
    desk.with_store(|s| Ok(dsar::settings::set_imap(s, &ctx, &settings, &password)?)).unwrap();

    // Only what arrived from tomorrow on: nothing (the server's arrival day is today).
    let later = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let none = inbox::inbox_read_mailbox(&desk, Some(later), &|_| ()).unwrap();
    assert_eq!((none.total, none.items.len()), (0, 0));
    let e = inbox::inbox_read_mailbox(&desk, Some("gestern".into()), &|_| ()).unwrap_err();
    assert!(e.message.starts_with("since: "), "{e:?}");

    let seen = Mutex::new(Vec::new());
    let read = inbox::inbox_read_mailbox(&desk, None, &|p| seen.lock().unwrap().push((p.done, p.total))).unwrap();
    assert_eq!((read.total, read.cancelled, read.added.len()), (2, false, 2));
    assert_eq!(*seen.lock().unwrap(), [(0, 2), (1, 2), (2, 2)], "n of total after each message");
    let erika = read.items.iter().find(|p| p.from.as_deref() == Some("erika@example.org")).expect("her request");
    assert_eq!((erika.source.as_str(), erika.rights.clone()), ("mailbox", vec!["access".to_string()]));
    assert!(erika.file_name.starts_with("DesktopInbox-") && erika.file_name.ends_with(".eml"), "{}", erika.file_name);
    let news = read.items.iter().find(|p| p.from.as_deref() == Some("news@shop.example")).unwrap();

    // Reading again while both wait adds nothing twice.
    assert_eq!(inbox::inbox_read_mailbox(&desk, None, &|_| ()).unwrap().items.len(), 2);

    let edits = ProposalEdits { from: "erika@example.org".into(), name: "Erika Mustermann".into(), received: erika.received.clone(), rights: erika.rights.clone(), language: "de".into() };
    let reference = inbox::inbox_accept(&desk, erika.id.clone(), edits).unwrap();
    inbox::inbox_dismiss(&desk, news.id.clone()).unwrap();
    let case = dsar_desk::api::get_case(&desk, reference).unwrap();
    assert!(case.documents.iter().any(|d| d.kind == "request-email"), "the message is kept on the case");

    // Decided messages are remembered in the desk: a later read proposes neither again.
    let again = inbox::inbox_read_mailbox(&desk, None, &|_| ()).unwrap();
    assert_eq!((again.total, again.items.len()), (0, 0));
}
