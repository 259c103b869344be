//! IMAP against a real Dovecot on 127.0.0.1 (`scripts/imap-server.sh`, found through the
//! DSAR_TEST_IMAP_* variables; `scripts/test.sh` starts it): intake from the mailbox (each
//! message proposed once, accepted into cases with the exact bytes, dismissed, a cancelled
//! read), the `imap` connector (exactly the subject's messages, from and to, not a longer
//! address; hostile search values), and the refusals that must name what to fix: the
//! password, TLS, the CA. Messages are put in with Dovecot's own `doveadm`, not our client.
//!
//! Tests share the server: each uses its own mailbox folder and empties it first.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::*;
use dsar::connectors::{self, Cancel, OpenContext, SearchKeys};
use dsar::intake::mailbox::{self, ReadOptions, Which};
use dsar::register::System;
use dsar::{cases, documents, register_store, settings};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const TODAY: &str = "2026-11-21";

struct Server {
    host: String,
    tls_port: u16,
    plain_port: u16,
    ca: PathBuf,
    conf: PathBuf,
    /// The firm's intake mailbox.
    dpo: String,
    /// A support mailbox the connector searches.
    support: String,
    password: String,
}

/// The server, or `None` (with a line saying how to run these) when the variables are unset.
fn server() -> Option<Server> {
    let var = |k: &str| std::env::var(k).ok();
    let Some(host) = var("DSAR_TEST_IMAP_HOST") else {
        eprintln!("SKIPPED: DSAR_TEST_IMAP_HOST is not set — these tests need the real IMAP server: run `bash scripts/test.sh`, or `eval \"$(bash scripts/imap-server.sh start)\"` before `cargo test --test imap`");
        return None;
    };
    let need = |k: &str| var(k).unwrap_or_else(|| panic!("{k} is not set although DSAR_TEST_IMAP_HOST is: eval the output of scripts/imap-server.sh start"));
    Some(Server {
        host,
        tls_port: need("DSAR_TEST_IMAP_TLS_PORT").parse().expect("port"),
        plain_port: need("DSAR_TEST_IMAP_PLAIN_PORT").parse().expect("port"),
        ca: need("DSAR_TEST_IMAP_CA").into(),
        conf: need("DSAR_TEST_IMAP_CONF").into(),
        dpo: need("DSAR_TEST_IMAP_USER"),
        support: need("DSAR_TEST_IMAP_USER2"),
        password: need("DSAR_TEST_IMAP_PASSWORD"),
    })
}

impl Server {
    fn doveadm(&self, args: &[&str], input: Option<&[u8]>) -> Output {
        let mut child = Command::new("doveadm")
            .arg("-c")
            .arg(&self.conf)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("doveadm (dovecot-core) runs");
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(bytes) = input {
            stdin.write_all(bytes).expect("write to doveadm");
        }
        drop(stdin);
        child.wait_with_output().expect("doveadm output")
    }

    /// Creates `folder` if needed and removes every message in it.
    fn empty(&self, user: &str, folder: &str) {
        if folder != "INBOX" {
            // Fails when it exists already, which is what we want.
            self.doveadm(&["mailbox", "create", "-u", user, folder], None);
        }
        let o = self.doveadm(&["expunge", "-u", user, "mailbox", folder, "all"], None);
        assert!(o.status.success(), "doveadm expunge: {}", String::from_utf8_lossy(&o.stderr));
    }

    fn put(&self, user: &str, folder: &str, message: &[u8]) {
        let o = self.doveadm(&["save", "-u", user, "-m", folder], Some(message));
        assert!(o.status.success(), "doveadm save: {}", String::from_utf8_lossy(&o.stderr));
    }

    /// The flags of every message in `folder` (what reading must leave alone).
    fn flags(&self, user: &str, folder: &str) -> String {
        let o = self.doveadm(&["fetch", "-u", user, "uid flags", "mailbox", folder], None);
        assert!(o.status.success(), "doveadm fetch: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn intake_settings(&self, port: u16, ca: bool) -> settings::ImapIntakeSettings {
        settings::ImapIntakeSettings {
            host: self.host.clone(),
            port,
            user: self.dpo.clone(),
            folder: "INBOX".into(),
            ca_file: ca.then(|| self.ca.clone()),
        }
    }
}

fn message(from: &str, to: &str, cc: Option<&str>, subject: &str, date: &str, body: &str) -> Vec<u8> {
    let mut m = format!("From: {from}\r\nTo: {to}\r\n");
    if let Some(cc) = cc {
        m.push_str(&format!("Cc: {cc}\r\n"));
    }
    m.push_str(&format!(
        "Subject: {subject}\r\nDate: {date}\r\nMessage-ID: <{}@test.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        hex::encode(&Sha256::digest(format!("{from}{subject}{date}").as_bytes())[..8])
    ));
    m.into_bytes()
}

/// The three requests of the intake tests: German access, English erasure, German objection.
fn requests() -> Vec<Vec<u8>> {
    vec![
        message(
            "Anna Müller <anna.mueller@example.de>",
            "datenschutz@beispiel.example",
            None,
            "Auskunftsersuchen nach Art. 15 DSGVO",
            "Mon, 16 Nov 2026 09:12:00 +0100",
            "Sehr geehrte Damen und Herren,\r\n\r\nich bitte um Auskunft nach Art. 15 DSGVO über alle zu meiner Person gespeicherten Daten.\r\n\r\nMit freundlichen Grüßen\r\nAnna Müller",
        ),
        message(
            "John Smith <john.smith@example.com>",
            "datenschutz@beispiel.example",
            None,
            "Request to delete my personal data",
            "Tue, 17 Nov 2026 14:30:00 +0000",
            "Hello,\r\n\r\nI hereby request the erasure of my personal data under Article 17 GDPR. Please delete my account and confirm.\r\n\r\nRegards,\r\nJohn Smith",
        ),
        message(
            "Bernd Schulz <b.schulz@example.org>",
            "datenschutz@beispiel.example",
            None,
            "Widerspruch gegen Werbung",
            "Wed, 18 Nov 2026 08:05:00 +0100",
            "Guten Tag,\r\n\r\nhiermit widerspreche ich der Verarbeitung meiner Daten zu Werbezwecken nach Art. 21 DSGVO.\r\n\r\nBernd Schulz",
        ),
    ]
}

/// A desk with the minimal register (controller in DE-NW).
fn desk() -> TempDb {
    let db = TempDb::new();
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx(TODAY), &data("registers/minimal.json")).expect("register");
    db
}

/// Runs the CLI with `input` on standard input.
fn dsar_with_input(db: &TempDb, args: &[&str], input: &str) -> Output {
    let mut child = dsar_cmd()
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dsar");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("dsar output")
}

fn set_mailbox(db: &TempDb, s: &Server, port: u16, ca: bool, password: &str) {
    let port = port.to_string();
    let ca_path = s.ca.display().to_string();
    let mut args = vec!["settings", "imap", "--host", s.host.as_str(), "--port", port.as_str(), "--user", s.dpo.as_str()];
    if ca {
        args.extend(["--ca-file", ca_path.as_str()]);
    }
    ok(dsar_with_input(db, &args, password));
}

fn json_of(o: Output) -> Value {
    let text = ok(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn each_mailbox_message_is_proposed_once_and_accepted_into_a_case_with_its_exact_bytes() {
    let Some(s) = server() else { return };
    s.empty(&s.dpo, "INBOX");
    let sent = requests();
    for m in &sent {
        s.put(&s.dpo, "INBOX", m);
    }
    let flags_before = s.flags(&s.dpo, "INBOX");
    let db = desk();
    set_mailbox(&db, &s, s.tls_port, true, &format!("{}\n", s.password));

    let first = json_of(db.dsar(&["intake", "--imap", "--json"]));
    let proposals = first["proposals"].as_array().expect("proposals");
    assert_eq!(proposals.len(), 3, "{first:#}");
    assert_eq!(first["errors"], json!([]));
    let from: Vec<&str> = proposals.iter().map(|p| p["from"].as_str().unwrap_or("")).collect();
    assert_eq!(from, ["anna.mueller@example.de", "john.smith@example.com", "b.schulz@example.org"]);
    let languages: Vec<&str> = proposals.iter().map(|p| p["language"].as_str().unwrap_or("")).collect();
    assert_eq!(languages, ["de", "en", "de"]);
    let rights: Vec<Value> = proposals.iter().map(|p| p["rights"].clone()).collect();
    assert_eq!(rights, [json!(["access"]), json!(["erasure"]), json!(["objection"])]);
    let received: Vec<&str> = proposals.iter().map(|p| p["received"].as_str().unwrap_or("")).collect();
    assert_eq!(received, ["2026-11-16", "2026-11-17", "2026-11-18"]);
    for (p, m) in proposals.iter().zip(&sent) {
        let locator = p["locator"].as_str().expect("locator");
        assert!(locator.starts_with("imap:INBOX/") && locator[11..].parse::<u32>().is_ok(), "{locator}");
        assert_eq!(p["file"], p["locator"]);
        assert_eq!(p["sha256"], json!(hex::encode(Sha256::digest(m))), "the bytes are the server's, unchanged");
    }

    // Proposed once: the next read has nothing new, in JSON and in text.
    let second = json_of(db.dsar(&["intake", "--imap", "--json"]));
    assert_eq!(second["proposals"], json!([]), "{second:#}");
    assert!(ok(db.dsar(&["intake", "--imap"])).contains("no new messages"));

    // --accept takes in the three proposed-but-undecided messages.
    let accepted = json_of(db.dsar(&["intake", "--imap", "--accept", "--json"]));
    let made = accepted["cases"].as_array().expect("cases");
    assert_eq!(made.len(), 3, "{accepted:#}");
    let store = db.open();
    for (c, m) in made.iter().zip(&sent) {
        let reference = c["reference"].as_str().expect("reference");
        assert!(reference.starts_with("DSAR-2026-"), "{reference}");
        let case = cases::get(&store, reference).expect("case");
        let docs = documents::list(store.conn(), &case.id).expect("documents");
        let doc = docs.iter().find(|d| d.kind == "request-email").expect("request e-mail kept");
        let (_, bytes) = documents::read(store.conn(), &case.id, &doc.id).expect("read document");
        assert_eq!(&bytes, m, "the case keeps the message exactly as the server held it");
    }
    drop(store);
    let again = json_of(db.dsar(&["intake", "--imap", "--accept", "--json"]));
    assert_eq!(again["cases"], json!([]), "accepted messages are not taken in twice: {again:#}");

    // A later message is proposed; dismissed, it is neither proposed nor accepted again.
    s.put(&s.dpo, "INBOX", &message("Newsletter <news@shop.example>", "datenschutz@beispiel.example", None, "Unsere Angebote", "Thu, 19 Nov 2026 10:00:00 +0100", "Rabatt!"));
    let fourth = json_of(db.dsar(&["intake", "--imap", "--json"]));
    let list = fourth["proposals"].as_array().expect("proposals");
    assert_eq!(list.len(), 1, "{fourth:#}");
    let locator = list[0]["locator"].as_str().expect("locator").to_string();
    let out = ok(db.dsar(&["intake", "--imap", "--dismiss", &locator]));
    assert!(out.contains(&format!("dismissed {locator}")), "{out}");
    let after = json_of(db.dsar(&["intake", "--imap", "--accept", "--json"]));
    assert_eq!(after["cases"], json!([]), "{after:#}");
    assert_eq!(json_of(db.dsar(&["intake", "--imap", "--json"]))["proposals"], json!([]));

    // Read-only: EXAMINE and BODY.PEEK left every flag as it was (no \Seen).
    assert_eq!(s.flags(&s.dpo, "INBOX").lines().filter(|l| l.contains("\\Seen")).count(), 0);
    assert!(flags_before.lines().count() >= 3, "{flags_before}");
    // The audit trail knows a message was dismissed, not whose.
    let audit = ok(db.dsar(&["audit", "verify"]));
    assert!(!audit.contains("news@shop.example"), "{audit}");
}

#[test]
fn a_cancelled_read_stops_between_messages_and_leaves_the_rest_new() {
    let Some(s) = server() else { return };
    // Its own folder, with a name that needs IMAP's modified UTF-7.
    let folder = "Anträge";
    s.empty(&s.dpo, folder);
    for m in requests() {
        s.put(&s.dpo, folder, &m);
    }
    let db = desk();
    let mut store = db.open();
    let c = ctx(TODAY);
    let mut settings = s.intake_settings(s.tls_port, true);
    settings.folder = folder.into();
    settings::set_imap(&mut store, &c, &settings, &s.password).expect("settings");

    let cancel = Cancel::new();
    let mut seen = Vec::new();
    let opts = ReadOptions { folder: None, which: Which::New, since: None };
    let report = mailbox::read(&mut store, &c, &opts, &cancel, &mut |p| {
        seen.push((p.done, p.total));
        if p.done == 1 {
            cancel.cancel();
        }
    })
    .expect("read");
    assert!(report.cancelled);
    assert_eq!(report.total, 3);
    assert_eq!(report.proposals.len(), 1, "stopped after the first message");
    assert_eq!(seen, [(0, 3), (1, 3)]);
    assert_eq!(report.proposals[0].proposal.from.as_deref(), Some("anna.mueller@example.de"));
    assert_eq!(report.proposals[0].key.folder, folder);

    // The two not reached are still new; the first is not proposed again.
    let rest = mailbox::read(&mut store, &c, &opts, &Cancel::new(), &mut |_| {}).expect("read again");
    assert!(!rest.cancelled);
    let from: Vec<_> = rest.proposals.iter().map(|p| p.proposal.from.clone().unwrap_or_default()).collect();
    assert_eq!(from, ["john.smith@example.com", "b.schulz@example.org"]);

    // Undecided lists all three again; accepting one and dismissing one leaves one.
    let all = mailbox::read(&mut store, &c, &ReadOptions { folder: None, which: Which::Undecided, since: None }, &Cancel::new(), &mut |_| {}).expect("undecided");
    assert_eq!(all.proposals.len(), 3);
    let case = mailbox::accept(&mut store, &c, &all.proposals[0]).expect("accept");
    assert_eq!(case.rights, [dsar::domain::Right::Access]);
    mailbox::dismiss(&mut store, &c, &all.proposals[1].key).expect("dismiss");
    let err = mailbox::accept(&mut store, &c, &all.proposals[0]).expect_err("accepted twice");
    assert!(err.to_string().contains("accepted already"), "{err}");
    let left = mailbox::read(&mut store, &c, &ReadOptions { folder: None, which: Which::Undecided, since: None }, &Cancel::new(), &mut |_| {}).expect("left");
    let from: Vec<_> = left.proposals.iter().map(|p| p.proposal.from.clone().unwrap_or_default()).collect();
    assert_eq!(from, ["b.schulz@example.org"]);
}

/// An `imap` system of the support mailbox, as a register would hold it.
fn support_system(s: &Server, bodies: bool, port: u16) -> System {
    serde_json::from_value(json!({
        "id": "support", "name": "Support mailbox", "role": "internal", "purposes": ["Support"],
        "data_categories": ["E-Mail"], "legal_bases": ["art6-1-b"], "retention": {"description": "2 Jahre"},
        "recipients": [], "transfers": [], "source": "data-subject", "automated_decision_making": false,
        "connector": {"kind": "imap", "host": s.host, "port": port, "user": s.support, "password": "{secret:support_imap}",
                      "folders": ["INBOX", "Sent"], "bodies": bodies, "ca_file": s.ca.display().to_string()}
    }))
    .expect("system JSON")
}

fn open_support(system: &System, password: &str) -> Result<Box<dyn connectors::Source>, connectors::ConnectorError> {
    let connector = system.connector.clone().expect("connector");
    let password = password.to_string();
    let secrets = move |name: &str| (name == "support_imap").then(|| password.clone());
    connectors::open(&OpenContext { system, connector: &connector, secrets: &secrets, default_country: "DE" })
}

#[test]
fn the_connector_finds_exactly_the_subjects_messages_from_and_to() {
    let Some(s) = server() else { return };
    s.empty(&s.support, "INBOX");
    s.empty(&s.support, "Sent");
    let d = "Mon, 16 Nov 2026 09:00:00 +0100";
    s.put(&s.support, "INBOX", &message("Anna <anna@example.de>", "support@beispiel.example", None, "a: from her", d, "Mein Passwort geht nicht."));
    s.put(&s.support, "INBOX", &message("Joanna <joanna@example.de>", "support@beispiel.example", None, "b: longer address", d, "Hallo"));
    s.put(&s.support, "INBOX", &message("Kollege <k@beispiel.example>", "support@beispiel.example", Some("ANNA@Example.DE"), "c: copied to her", d, "FYI"));
    s.put(&s.support, "INBOX", &message("Other <other@example.net>", "support@beispiel.example", None, "d: unrelated", d, "x"));
    s.put(&s.support, "Sent", &message("Support <support@beispiel.example>", "Anna <anna@example.de>", None, "e: to her", d, "Wir haben Ihr Passwort zurückgesetzt."));
    s.put(&s.support, "Sent", &message("Support <support@beispiel.example>", "anna@example.de.evil.example", None, "f: address inside a longer domain", d, "x"));

    let system = support_system(&s, false, s.tls_port);
    let source = open_support(&system, &s.password).expect("open");
    let checked = source.test().expect("test connection");
    assert!(checked.contains("INBOX: 4 messages") && checked.contains("Sent: 2 messages"), "{checked}");

    let mut keys = SearchKeys::new();
    keys.add("email", "anna@example.de");
    let found = source.search(&keys, &Cancel::new()).expect("search");
    let subjects: BTreeSet<&str> = found.iter().map(|f| f.record["subject"].as_str().unwrap_or("")).collect();
    assert_eq!(subjects, BTreeSet::from(["a: from her", "c: copied to her", "e: to her"]));
    for f in &found {
        let (folder, uid) = f.locator.rsplit_once('/').expect("folder/UID");
        assert_eq!(f.dataset, folder);
        assert!(uid.parse::<u32>().is_ok(), "{}", f.locator);
        assert!(f.record.get("text").is_none(), "headers only unless bodies is true");
    }
    let from_her = found.iter().find(|f| f.record["subject"] == "a: from her").expect("a");
    assert_eq!(from_her.record["from"], json!(["anna@example.de"]));
    assert_eq!(from_her.record["date"], json!("2026-11-16T09:00:00+01:00"));
    let to_her = found.iter().find(|f| f.record["subject"] == "e: to her").expect("e");
    assert!(to_her.locator.starts_with("Sent/"), "{}", to_her.locator);
    assert_eq!(to_her.record["to"], json!(["anna@example.de"]));

    // With bodies, the text comes along.
    let with_bodies = open_support(&support_system(&s, true, s.tls_port), &s.password).expect("open");
    let found = with_bodies.search(&keys, &Cancel::new()).expect("search with bodies");
    let text = found.iter().find(|f| f.record["subject"] == "e: to her").and_then(|f| f.record["text"].as_str()).unwrap_or("");
    assert!(text.contains("Passwort zurückgesetzt"), "{text:?}");

    // Values that would break out of a quoted string or the command line stay one value.
    for hostile in ["anna@example.de\" OR ALL \"", "anna@example.de\r\nd9 LOGOUT", "x\\\"@example.de", "ännä@exämple.de"] {
        let mut keys = SearchKeys::new();
        keys.add("email", hostile);
        let got = source.search(&keys, &Cancel::new()).unwrap_or_else(|e| panic!("{hostile:?}: {e}"));
        assert!(got.is_empty(), "{hostile:?} found {}", got.len());
    }
    // No e-mail address: nothing to search for, no error.
    let mut phone_only = SearchKeys::new();
    phone_only.add("phone", "+4922112345");
    assert!(source.search(&phone_only, &Cancel::new()).expect("no email").is_empty());
    // Cancelled before it starts.
    let cancel = Cancel::new();
    cancel.cancel();
    assert_eq!(source.search(&keys, &cancel).expect_err("cancelled"), connectors::ConnectorError::Cancelled);
}

#[test]
fn a_wrong_password_is_named_and_never_echoed() {
    let Some(s) = server() else { return };
    let db = desk();
    set_mailbox(&db, &s, s.tls_port, true, "not-the-password-4711");
    let o = db.dsar(&["intake", "--imap"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("password") && err.contains("refused the login"), "{err}");
    assert!(!err.contains("4711"), "{err}");

    let system = support_system(&s, false, s.tls_port);
    let e = open_support(&system, "not-the-password-4711").expect("open").test().expect_err("refused");
    assert!(matches!(e, connectors::ConnectorError::AuthRefused { .. }), "{e}");
    assert!(!e.to_string().contains("4711"), "{e}");
}

#[test]
fn a_port_without_tls_is_refused_naming_tls() {
    let Some(s) = server() else { return };
    let db = desk();
    set_mailbox(&db, &s, s.plain_port, true, &s.password);
    let o = db.dsar(&["intake", "--imap"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("--port") && err.contains("did not answer with TLS") && err.contains("993"), "{err}");

    let e = open_support(&support_system(&s, false, s.plain_port), &s.password).expect("open").test().expect_err("no TLS");
    assert!(matches!(e, connectors::ConnectorError::Insecure { .. }), "{e}");
    assert!(e.to_string().contains("TLS"), "{e}");

    // The plain IMAP port is refused before anything is stored.
    let o = dsar_with_input(&db, &["settings", "imap", "--host", &s.host, "--port", "143", "--user", &s.dpo], &s.password);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--port: 143 is the plain IMAP port"), "{}", stderr(&o));
}

#[test]
fn an_untrusted_certificate_names_the_ca_file_and_nothing_is_proposed() {
    let Some(s) = server() else { return };
    let db = desk();
    set_mailbox(&db, &s, s.tls_port, false, &s.password);
    let o = db.dsar(&["intake", "--imap", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--ca-file: the TLS certificate"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn a_password_set_for_one_server_is_not_sent_to_another() {
    let Some(s) = server() else { return };
    let db = desk();
    let mut store = db.open();
    let c = ctx(TODAY);
    settings::set_imap(&mut store, &c, &s.intake_settings(s.tls_port, true), &s.password).expect("settings");
    // The same settings pointed elsewhere without a new password: refused before connecting.
    let elsewhere = s.intake_settings(s.tls_port.wrapping_add(1), true);
    let e = settings::imap_password(&store, &elsewhere).expect_err("bound to the first server");
    assert!(e.to_string().contains(&format!("set for {}:{}", s.host, s.tls_port)), "{e}");
    // And the SMTP settings cannot reuse it, nor can a connector.
    let smtp = settings::SmtpSettings {
        host: "127.0.0.1".into(),
        port: 25,
        security: settings::Security::None,
        user: Some("x".into()),
        password_secret: Some(settings::IMAP_PASSWORD_SECRET.into()),
        from_address: "dpo@example.test".into(),
        from_name: None,
        ca_file: None,
    };
    assert!(settings::set_smtp(&mut store, &c, &smtp).is_err(), "the mailbox password is not the SMTP password");
}

/// A register with the minimal controller and one `imap` system on the support mailbox.
fn register_with_mailbox(s: &Server, port: u16, folder: &str) -> Value {
    let mut reg: Value = serde_json::from_str(&std::fs::read_to_string(data("registers/minimal.json")).expect("minimal register")).expect("JSON");
    let mut system = serde_json::to_value(support_system(s, false, port)).expect("system");
    system["connector"]["folders"] = json!([folder]);
    reg["systems"] = json!([system]);
    reg
}

#[test]
fn a_pull_searches_the_mailbox_with_its_bound_secret() {
    let Some(s) = server() else { return };
    let folder = "Pull";
    s.empty(&s.support, folder);
    let d = "Fri, 20 Nov 2026 11:00:00 +0100";
    s.put(&s.support, folder, &message("Anna <anna@example.de>", "support@beispiel.example", None, "Rechnung fehlt", d, "Wo ist meine Rechnung?"));
    s.put(&s.support, folder, &message("Joanna <joanna@example.de>", "support@beispiel.example", None, "Frage", d, "Hallo"));
    let db = TempDb::new();
    drop(db.create());
    let file = db.dir.path().join("register.json");
    std::fs::write(&file, register_with_mailbox(&s, s.tls_port, folder).to_string()).expect("write register");
    ok(db.dsar(&["register", "import", file.to_str().expect("path")]));
    let set = ok(dsar_with_input(&db, &["secret", "set", "support_imap"], &s.password));
    assert!(set.contains(&format!("support ({}:{})", s.host, s.tls_port)), "bound to the mailbox server: {set}");
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Anna", "--email", "anna@example.de", "--received", "2026-11-20"]));
    let reference = reference.trim();

    let pulled = json_of(db.dsar(&["case", "pull", reference, "--json"]));
    assert_eq!(pulled["systems"][0]["status"], "ok", "{pulled:#}");
    assert_eq!(pulled["systems"][0]["records"], 1, "{pulled:#}");
    let ev = json_of(db.dsar(&["case", "evidence", reference, "--json", "--system", "support"]));
    let record = &ev["evidence"][0];
    assert_eq!(record["record"]["subject"], "Rechnung fehlt", "{ev:#}");
    assert!(record["locator"].as_str().is_some_and(|l| l.starts_with("Pull/")), "{ev:#}");

    // The register now sends the password to another port: refused, naming both addresses.
    std::fs::write(&file, register_with_mailbox(&s, s.plain_port, folder).to_string()).expect("write register");
    ok(db.dsar(&["register", "import", file.to_str().expect("path")]));
    let pulled = json_of(db.dsar(&["case", "pull", reference, "--json"]));
    assert_eq!(pulled["systems"][0]["status"], "error", "{pulled:#}");
    let error = pulled["systems"][0]["error"].as_str().unwrap_or("");
    assert!(error.contains(&format!("was set for {}:{}", s.host, s.tls_port)) && error.contains(&format!("{}:{}", s.host, s.plain_port)), "{error}");
}

#[test]
fn a_server_that_never_answers_times_out_with_host_and_port() {
    // Needs no Dovecot: a listener that accepts and then says nothing, not even to TLS.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hold = std::thread::spawn(move || {
        let (conn, _) = listener.accept().expect("accept");
        std::thread::sleep(std::time::Duration::from_secs(3));
        drop(conn);
    });
    let config = dsar::mail::imap::ImapConfig {
        host: "127.0.0.1".into(),
        port,
        user: "dpo@example.test".into(),
        ca_file: None,
        timeout: std::time::Duration::from_secs(1),
    };
    let started = std::time::Instant::now();
    let e = dsar::mail::imap::ImapSession::connect(&config, "secret-4711").expect_err("no answer");
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "gave up after the limit, not the peer: {:?}", started.elapsed());
    assert_eq!(e, dsar::mail::imap::ImapError::Timeout { endpoint: format!("127.0.0.1:{port}"), seconds: 1 });
    assert!(e.to_string().contains(&format!("no answer from 127.0.0.1:{port} within 1 s")), "{e}");
    hold.join().expect("listener thread");
}

/// The `imap` connector in the register (SPEC §5): round trip, defaults, and the refusals at
/// import. Needs no server.
#[test]
fn the_register_reads_writes_and_checks_imap_connectors() {
    let base: Value = serde_json::from_str(&std::fs::read_to_string(data("registers/minimal.json")).expect("minimal")).expect("JSON");
    let with = |connector: Value| {
        let mut reg = base.clone();
        reg["systems"][0]["connector"] = connector;
        dsar::register::parse(&reg.to_string(), std::path::Path::new("/firm"))
    };
    let reg = with(json!({"kind": "imap", "host": "imap.example.com", "user": "support@example.com", "password": "{secret:support_imap}",
                          "folders": ["INBOX", "Gesendet"], "ca_file": "certs/ca.pem"}))
    .expect("valid imap connector");
    let connector = reg.systems[0].connector.as_ref().expect("connector");
    let dsar::register::Settings::Imap(m) = &connector.settings else { panic!("not imap: {:?}", connector.settings) };
    assert_eq!((m.port(), m.folders(), m.bodies), (993, vec!["INBOX".to_string(), "Gesendet".to_string()], false));
    assert_eq!(m.ca_file.as_deref(), Some(std::path::Path::new("/firm/certs/ca.pem")), "anchored at the register's folder");
    assert_eq!(dsar::secrets::destination(connector), "imap.example.com:993", "the password is bound to the mailbox server");
    let back = serde_json::to_value(connector).expect("serialise");
    assert_eq!(back["kind"], "imap");
    assert_eq!(back["password"], "{secret:support_imap}");
    assert!(back.get("port").is_none() && back.get("bodies").is_none(), "defaults are not written out: {back}");

    let minimal = with(json!({"kind": "imap", "host": "h", "user": "u", "password": "{secret:p}"})).expect("minimal imap");
    let dsar::register::Settings::Imap(m) = &minimal.systems[0].connector.as_ref().expect("connector").settings else { panic!() };
    assert_eq!(m.folders(), ["INBOX"]);

    let problems = |connector: Value| -> Vec<String> {
        with(connector).expect_err("refused").problems.iter().map(|p| format!("{}: {}", p.path, p.problem)).collect()
    };
    let p = problems(json!({"kind": "imap", "host": "h", "user": "u", "password": "plain-text-4711"}));
    assert!(p.iter().any(|p| p.starts_with("/systems/0/connector/password")), "{p:?}");
    assert!(p.iter().all(|p| !p.contains("4711")), "{p:?}");
    let p = problems(json!({"kind": "imap", "host": "h", "user": "u"}));
    assert!(p.iter().any(|p| p.contains("password")), "{p:?}");
    let p = problems(json!({"kind": "imap", "host": "h", "port": 143, "user": "u", "password": "{secret:p}", "folders": ["INBOX", "INBOX"]}));
    assert!(p.iter().any(|p| p.starts_with("/systems/0/connector/port: 143 is the plain IMAP port")), "{p:?}");
    assert!(p.iter().any(|p| p.starts_with("/systems/0/connector/folders/1: folder 'INBOX' is listed twice")), "{p:?}");
    let p = problems(json!({"kind": "imap", "host": "h", "user": "u", "password": "{secret:p}", "erase": []}));
    assert!(p.iter().any(|p| p.contains("cannot 'erase'")), "{p:?}");
}

#[test]
fn a_message_without_a_recognised_right_waits_until_dismissed() {
    let Some(s) = server() else { return };
    let folder = "Unklar";
    s.empty(&s.dpo, folder);
    s.put(&s.dpo, folder, &message("Clara <clara@example.nl>", "datenschutz@beispiel.example", None, "Frage", "Thu, 19 Nov 2026 10:00:00 +0100", "Wann öffnet Ihr Laden?"));
    let db = desk();
    set_mailbox(&db, &s, s.tls_port, true, &s.password);
    // --since narrows by arrival day on the server; what it leaves out stays new.
    let later = json_of(db.dsar(&["intake", "--imap", "--folder", folder, "--since", "2999-01-01", "--json"]));
    assert_eq!(later["proposals"], json!([]), "{later:#}");
    let o = db.dsar(&["intake", "--imap", "--since", "19.11.2026"]);
    assert!(stderr(&o).contains("--since: not a date"), "{}", stderr(&o));
    let first = json_of(db.dsar(&["intake", "--imap", "--folder", folder, "--since", "2000-01-01", "--json"]));
    assert_eq!(first["proposals"][0]["rights"], json!([]), "{first:#}");
    let locator = first["proposals"][0]["locator"].as_str().expect("locator").to_string();
    assert_eq!(locator, format!("imap:{folder}/{}", locator.rsplit('/').next().unwrap_or("")));
    // --accept refuses it, one line with the way out, and keeps it waiting.
    for _ in 0..2 {
        let o = db.dsar(&["intake", "--imap", "--folder", folder, "--accept"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("no right recognised") && err.contains(&format!("dsar intake --imap --dismiss {locator}")), "{err}");
        assert!(!err.contains("clara@example.nl"), "{err}");
    }
    ok(db.dsar(&["intake", "--imap", "--folder", folder, "--dismiss", &locator]));
    let o = db.dsar(&["intake", "--imap", "--folder", folder, "--accept", "--json"]);
    assert_eq!(json_of(o)["cases"], json!([]));
    // A locator the desk never proposed is refused with the way to get one.
    let o = db.dsar(&["intake", "--imap", "--folder", folder, "--dismiss", "imap:Unklar/999999"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("has not proposed this message"), "{}", stderr(&o));
    let o = db.dsar(&["intake", "--imap", "--dismiss", "INBOX-7"]);
    assert!(stderr(&o).contains("--dismiss: not a message locator"), "{}", stderr(&o));
}
