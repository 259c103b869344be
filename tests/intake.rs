//! Intake from e-mail (SPEC §11): the corpus of request e-mails under tests/data/intake/ with
//! its expected rights, received day and language (the rights-guess hit rate must stay at or
//! above 90 %), the `dsar intake` JSON contract, `--accept` storing the exact message, the
//! duplicate check, and hostile files that give one clear line or a marked field.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use dsar::cases;
use dsar::domain::Outcome;
use dsar::intake;
use dsar::{documents, register_store};
use serde_json::Value;
use sha2::{Digest, Sha256};

const TODAY: &str = "2026-11-21";

fn corpus(file: &str) -> PathBuf {
    data("intake").join(file)
}

/// A desk with the minimal register (controller in DE-NW: received days in Europe/Berlin).
fn desk() -> TempDb {
    let db = TempDb::new();
    let mut store = db.create();
    register_store::import_file(&mut store, &ctx(TODAY), &data("registers/minimal.json")).expect("register");
    db
}

fn json(o: std::process::Output) -> Value {
    let text = ok(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Row {
    file: String,
    rights: Vec<String>,
    received: String,
    language: String,
}

fn expected() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus("expected.tsv")).expect("expected.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "expected.tsv: four columns in {l:?}");
            Row { file: f[0].into(), rights: f[1].split(',').map(String::from).collect(), received: f[2].into(), language: f[3].into() }
        })
        .collect()
}

#[test]
fn corpus_rights_hit_rate_received_days_and_languages() {
    let db = desk();
    let store = db.open();
    let rows = expected();
    assert!(rows.len() >= 30, "the corpus has only {} e-mails", rows.len());
    let (mut hits, mut misses) = (0, Vec::new());
    let mut wrong = Vec::new();
    for row in &rows {
        let bytes = std::fs::read(corpus(&row.file)).expect("corpus file");
        let p = intake::propose(&store, &ctx(TODAY), &bytes).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        let got: Vec<String> = p.rights.iter().map(|r| r.code().to_string()).collect();
        if got == row.rights {
            hits += 1;
        } else {
            misses.push(format!("{}: expected {:?}, guessed {:?}", row.file, row.rights, got));
        }
        if p.received.to_string() != row.received {
            wrong.push(format!("{}: received {} (expected {})", row.file, p.received, row.received));
        }
        if p.language.code() != row.language {
            wrong.push(format!("{}: language {} (expected {})", row.file, p.language.code(), row.language));
        }
        assert!(p.from.is_some(), "{}: no sender found", row.file);
    }
    let rate = f64::from(hits) * 100.0 / rows.len() as f64;
    println!("rights guessed exactly: {hits}/{} = {rate:.1} %", rows.len());
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(rate >= 90.0, "rights hit rate {rate:.1} % is below 90 %:\n{}", misses.join("\n"));
    // Received days and languages are not guesses: every one must be right.
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn decoding_rfc2047_windows_1252_html_only_and_forwarded_attachments() {
    let db = desk();
    let store = db.open();
    let p = |f: &str| intake::propose(&store, &ctx(TODAY), &std::fs::read(corpus(f)).expect("file")).expect("proposal");
    let outlook = p("de-02-loeschung-qp-1252.eml");
    assert_eq!(outlook.name.as_deref(), Some("Jürgen Weiß"));
    assert_eq!(outlook.from.as_deref(), Some("j.weiss@example.org"));
    let b64 = p("de-04-einwilligung-widerruf-b64.eml");
    assert_eq!(b64.name.as_deref(), Some("Sören Köhler"));
    let html = intake::parse(&std::fs::read(corpus("de-10-html-only.eml")).expect("file")).expect("parses");
    assert!(html.text.contains("Auskunft") && !html.text.contains("<b>"), "HTML not rendered to text: {}", html.text);
    let att = p("de-11-mit-anhang.eml");
    assert_eq!(att.attachments.len(), 1);
    assert_eq!(att.attachments[0].name, "ausweis.pdf");
    assert_eq!(att.attachments[0].media_type, "application/pdf");
    assert!(att.attachments[0].size > 2000);
    let fw = p("en-11-forwarded-attachment.eml");
    assert_eq!(fw.from.as_deref(), Some("lucas.green@example.org"), "the forwarded request's sender, not the colleague's");
    assert!(fw.warnings.iter().any(|w| w.field == "from"));
    let inline = p("de-12-weitergeleitet.eml");
    assert!(inline.warnings.iter().any(|w| w.field == "from" && w.message.contains("forwarded")));
    let bare = p("en-12-no-display-name.eml");
    assert_eq!(bare.name, None);
    assert!(bare.warnings.iter().any(|w| w.field == "name"));
}

#[test]
fn cli_json_contract_creates_nothing() {
    let db = desk();
    let o = db.dsar(&["intake", corpus("de-01-auskunft-plain.eml").to_str().unwrap(), corpus("nl-08-bijlage.eml").to_str().unwrap(), "--json"]);
    let v = json(o);
    let list = v["proposals"].as_array().expect("proposals");
    assert_eq!(list.len(), 2);
    for p in list {
        for key in ["file", "from", "received", "rights", "language", "duplicate_of"] {
            assert!(p.get(key).is_some(), "key {key} missing in {p}");
        }
    }
    assert_eq!(list[0]["from"], "erika.mustermann@example.org");
    assert_eq!(list[0]["received"], "2026-03-03");
    assert_eq!(list[0]["rights"], serde_json::json!(["access"]));
    assert_eq!(list[0]["language"], "de");
    assert_eq!(list[0]["duplicate_of"], Value::Null);
    assert_eq!(list[1]["language"], "nl");
    assert_eq!(list[1]["attachments"][0]["name"], "id.jpg");
    assert_eq!(list[1]["attachments"][0]["type"], "image/jpeg");
    let cases = json(db.dsar(&["case", "list", "--json"]));
    assert_eq!(cases["total"], 0, "a proposal created a case: {cases}");
}

#[test]
fn accept_creates_the_case_with_the_exact_message_and_an_audit_event_without_personal_data() {
    let db = desk();
    let file = corpus("de-02-loeschung-qp-1252.eml");
    let bytes = std::fs::read(&file).expect("file");
    let out = ok(db.dsar(&["intake", file.to_str().unwrap(), "--accept"]));
    let reference = out.split('\t').next().unwrap_or("").trim().to_string();
    assert_eq!(reference, "DSAR-2026-0001", "output: {out}");
    let store = db.open();
    let case = cases::get(&store, &reference).expect("case");
    assert_eq!(case.received.to_string(), "2026-04-15");
    assert_eq!(case.rights.iter().map(|r| r.code()).collect::<Vec<_>>(), ["erasure"]);
    assert_eq!(case.subject.name, "Jürgen Weiß");
    assert_eq!(case.channel.code(), "email");
    let docs = documents::list(store.conn(), &case.id).expect("documents");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].kind, intake::DOCUMENT_KIND);
    assert_eq!(docs[0].media_type, "message/rfc822");
    assert_eq!(docs[0].sha256, sha(&bytes));
    let (_, stored) = documents::read(store.conn(), &case.id, &docs[0].id).expect("read");
    assert_eq!(stored, bytes, "the stored message differs from the file");
    assert_eq!(std::fs::read(&file).expect("file"), bytes, "the file was changed");
    let details: String = store
        .conn()
        .query_row("SELECT details FROM audit_events WHERE action = 'intake.accepted' AND case_id = ?1", [&case.id], |r| r.get(0))
        .expect("intake.accepted event");
    assert!(details.contains(&sha(&bytes)), "{details}");
    let all: Vec<String> = {
        let mut st = store.conn().prepare("SELECT details FROM audit_events").expect("query");
        st.query_map([], |r| r.get(0)).expect("rows").map(|r| r.expect("row")).collect()
    };
    for d in &all {
        for personal in ["weiss", "Weiß", "Jürgen", "example.org", ".eml"] {
            assert!(!d.contains(personal), "personal data '{personal}' in the audit trail: {d}");
        }
    }
    ok(db.dsar(&["audit", "verify"]));
}

#[test]
fn accept_refuses_a_message_without_a_recognised_right_with_one_line() {
    let db = desk();
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "question.eml", b"From: Tim Lang <tim@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nSubject: Lieferung\r\n\r\nWann kommt meine Bestellung?\r\n");
    let good = corpus("en-01-sar.eml");
    let o = db.dsar(&["intake", f.to_str().unwrap(), good.to_str().unwrap(), "--accept"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("question.eml") && err.contains("case new"), "{err}");
    assert!(stdout(&o).starts_with("DSAR-2026-0001"), "the good file is still taken in: {}", stdout(&o));
}

#[test]
fn duplicates_open_and_recently_closed_cases_but_not_old_ones() {
    let db = desk();
    let first = corpus("en-02-delete-account.eml");
    let reference = ok(db.dsar(&["intake", first.to_str().unwrap(), "--accept"])).split('\t').next().unwrap_or("").to_string();
    // Same sender, different message: upper case and spaces in the address still match.
    let dir = tempfile::tempdir().expect("tmp");
    let again = write(dir.path(), "again.eml", b"From: Emily Jones <  Emily.Jones@EXAMPLE.net >\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nSubject: Again\r\n\r\nPlease delete my data, I asked before.\r\n");
    let v = json(db.dsar(&["intake", again.to_str().unwrap(), "--json"]));
    assert_eq!(v["proposals"][0]["duplicate_of"], reference.as_str());
    let other = json(db.dsar(&["intake", corpus("en-03-unsubscribe.eml").to_str().unwrap(), "--json"]));
    assert_eq!(other["proposals"][0]["duplicate_of"], Value::Null);
    // `case new` with the same e-mail says so on stderr and still creates the case.
    let o = db.dsar(&["case", "new", "--right", "access", "--name", "E. Jones", "--email", "emily.jones@example.net", "--received", "2026-11-02"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains(&reference), "no duplicate note: {}", stderr(&o));

    // Closed within 12 months still counts; closed longer ago does not.
    let mut store = db.open();
    let second = stdout(&o).trim().to_string();
    cases::close(&mut store, &ctx(TODAY), &second, Outcome::Fulfilled, date("2026-11-03")).expect("close");
    cases::close(&mut store, &ctx(TODAY), &reference, Outcome::Fulfilled, date("2026-03-01")).expect("close");
    let p = intake::propose(&store, &ctx(TODAY), &std::fs::read(&again).expect("file")).expect("proposal");
    assert_eq!(p.duplicate_of.map(|r| r.to_string()), Some(second.clone()));
    let p = intake::propose(&store, &ctx("2027-11-04"), &std::fs::read(&again).expect("file")).expect("proposal");
    assert_eq!(p.duplicate_of, None, "a case closed more than 12 months ago is not a duplicate");
}

#[test]
fn hostile_files_give_one_clear_line_naming_the_file() {
    let db = desk();
    let dir = tempfile::tempdir().expect("tmp");
    let big = dir.path().join("huge.eml");
    {
        let f = std::fs::File::create(&big).expect("create");
        f.set_len(50 * 1024 * 1024).expect("sparse 50 MB");
    }
    let bomb = write(dir.path(), "bomb.eml", ("X-Spam: a\r\n".repeat(30_000) + "From: a@example.org\r\n\r\nhi").as_bytes());
    let pdf = write(dir.path(), "scan.eml", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    let empty = write(dir.path(), "empty.eml", b"");
    let missing = dir.path().join("missing.eml");
    for (path, needle) in [(&big, "25 MB"), (&bomb, "header"), (&pdf, "not an e-mail"), (&empty, "not an e-mail"), (&missing, "cannot read")] {
        let before = std::fs::metadata(path).map(|m| m.len()).ok();
        let o = db.dsar(&["intake", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}: {}", path.display(), stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "one line for {}: {err}", path.display());
        assert!(err.contains(path.file_name().and_then(|n| n.to_str()).unwrap_or("?")), "names the file: {err}");
        assert!(err.contains(needle), "says why ({needle}): {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(std::fs::metadata(path).map(|m| m.len()).ok(), before, "the file was changed");
    }
}

#[test]
fn hostile_messages_become_proposals_with_the_field_marked() {
    let db = desk();
    let store = db.open();
    let c = ctx(TODAY);
    // No From: a proposal without sender, and --accept refuses it.
    let no_from = b"Date: Mon, 2 Nov 2026 10:00:00 +0100\r\nSubject: Auskunft\r\n\r\nBitte um Auskunft nach Art. 15 DSGVO.\r\n";
    let p = intake::propose(&store, &c, no_from).expect("proposal");
    assert_eq!(p.from, None);
    assert!(p.warnings.iter().any(|w| w.field == "from"));
    // A Date in the future: today is used and the field is marked.
    let future = b"From: Zoe <zoe@example.org>\r\nDate: Fri, 1 Jan 2027 10:00:00 +0100\r\nSubject: delete\r\n\r\nPlease delete my data.\r\n";
    let p = intake::propose(&store, &c, future).expect("proposal");
    assert_eq!(p.received, date(TODAY));
    assert!(p.warnings.iter().any(|w| w.field == "received" && w.message.contains("future")));
    // No Date: today, marked.
    let p = intake::propose(&store, &c, b"From: zoe@example.org\r\nSubject: delete\r\n\r\nPlease delete my data.\r\n").expect("proposal");
    assert_eq!(p.received, date(TODAY));
    assert!(p.warnings.iter().any(|w| w.field == "received"));
    // Broken MIME: unterminated boundary, invalid base64, unknown charset — still read.
    let broken = b"From: Max <max@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nSubject: =?x-unknown?Q?L=F6schung?=\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain; charset=x-bogus\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--zz\r\nContent-Type: text/plain\r\n\r\nBitte loeschen Sie meine Daten.\r\n";
    let p = intake::propose(&store, &c, broken).expect("proposal");
    assert_eq!(p.from.as_deref(), Some("max@example.org"));
    assert_eq!(p.rights.iter().map(|r| r.code()).collect::<Vec<_>>(), ["erasure"]);
    // A From that is not an address.
    let p = intake::propose(&store, &c, b"From: undisclosed-recipients:;\r\nSubject: Auskunft\r\n\r\nAuskunft bitte\r\n").expect("proposal");
    assert_eq!(p.from, None);
    // Through the CLI: --accept refuses the sender-less one with one line.
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "nofrom.eml", no_from);
    drop(store);
    let o = db.dsar(&["intake", f.to_str().unwrap(), "--accept"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("nofrom.eml"), "{}", stderr(&o));
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap stand-in for the fuzz target: truncations and bit flips of every corpus file.
    for row in expected() {
        let bytes = std::fs::read(corpus(&row.file)).expect("file");
        for cut in (0..bytes.len()).step_by(97) {
            let _ = intake::parse(&bytes[..cut]);
        }
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(13) {
            flipped[i] ^= 0x5a;
        }
        let _ = intake::parse(&flipped);
    }
}
