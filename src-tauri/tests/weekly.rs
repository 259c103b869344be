//! The DPO's weekly round, called as the Tauri commands call them: the dashboard's "Needs you"
//! (overdue answers, open notices, retained data due for erasure), recording the answer of
//! whoever runs a system with their reply kept, the corrections of a rectification, and the
//! letters panel's register gaps (refused, a draft that records nothing, or sent with a reason
//! that is audited). The firm: a plain SQLite shop (invoices kept under HGB, a recipient) and
//! a payroll CSV the desk cannot change (act by hand) whose retention the register leaves open.

use std::path::Path;

use chrono::NaiveDate;
use dsar_desk::api;
use dsar_desk::dto::NewCaseInput;
use dsar_desk::dto_acting::CorrectionInput;
use dsar_desk::dto_casework::LetterTextDto;
use dsar_desk::{Desk, DeskConfig, ErrorCode};
use rusqlite::Connection;
use serde_json::json;

mod common;
use common::*;

const JUTTA: &str = "jutta.kranich@example.org";
const MAX: &str = "max.muster@example.org";

fn shop(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT, street TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, restricted INTEGER NOT NULL DEFAULT 0);",
    )
    .unwrap();
    for i in 1..=10 {
        let email = match i {
            7 => JUTTA.to_string(),
            8 => MAX.to_string(),
            _ => format!("person{i}@example.org"),
        };
        c.execute("INSERT INTO customers VALUES (?1, ?2, ?3, 'Alte Straße 1')", rusqlite::params![i, email, format!("Person {i}")]).unwrap();
        c.execute("INSERT INTO orders (customer_id, total) VALUES (?1, ?2)", rusqlite::params![i, f64::from(i * 10)]).unwrap();
    }
}

fn register(dir: &Path) -> serde_json::Value {
    let system = |id: &str, name: &str, connector: serde_json::Value| {
        json!({"id": id, "name": name, "role": "internal", "purposes": ["Verkauf"], "data_categories": ["Kontaktdaten"],
               "legal_bases": ["art6-1-b"], "retention": {"description": "Für die Dauer der Kundenbeziehung"}, "recipients": [], "no_recipients": true,
               "transfers": [], "source": "data-subject", "automated_decision_making": false, "connector": connector})
    };
    let mut shop = system("shop", "Webshop", json!({"kind": "sqlite", "path": dir.join("shop.sqlite"),
        "queries": [
            {"name": "customers", "sql": "SELECT * FROM customers WHERE lower(email) = :email"},
            {"name": "orders", "sql": "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE lower(c.email) = :email"}],
        "erase": [
            {"name": "orders", "sql": "DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"},
            {"name": "customers", "sql": "UPDATE customers SET email = NULL, name = 'erased' WHERE lower(email) = :email"}],
        "restrict": [{"name": "orders", "sql": "UPDATE orders SET restricted = 1 WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)"}]}));
    shop["statutory_retention"] = json!([{"law": "HGB § 257, AO § 147", "applies_to": "Rechnungen", "period": "P8Y", "datasets": ["orders"]}]);
    shop["recipients"] = json!(["Steuerberatung Kunz & Partner"]);
    // No erase section: the desk cannot change it, whoever runs it is asked by e-mail.
    let mut payroll = system("payroll", "Lohnabrechnung", json!({"kind": "csv", "path": dir.join("payroll.csv"), "match": {"email": ["email"]}}));
    payroll["retention"] = json!({"description": "Keine Angabe"});
    json!({"format": "dsar-register", "version": 1,
        "controller": {"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
            "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
            "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]}},
        "systems": [shop, payroll]})
}

struct Firm {
    dir: tempfile::TempDir,
    desk: Desk,
}

impl Firm {
    fn case(&self, name: &str, email: &str, rights: &[&str]) -> String {
        let input = NewCaseInput { rights: rights.iter().map(|r| r.to_string()).collect(), ..new_case(name, email, "2026-11-10") };
        let reference = api::create_case(&self.desk, input).unwrap();
        api::pull_case(&self.desk, reference.clone(), vec![], &|_| {}).unwrap();
        reference
    }

    /// The same desk opened on another day, as the app started a week later.
    fn on(&self, day: &str) -> Desk {
        let today = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let desk = Desk::new(DeskConfig { today: Some(today), ..config(self.dir.path()) });
        api::unlock(&desk, PASS.into()).unwrap();
        desk
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Plans and carries out the case's plan.
    fn act(&self, reference: &str) {
        let plan = api::plan_case(&self.desk, reference.into()).unwrap().plan.unwrap();
        let report = api::act_case(&self.desk, reference.into(), plan.id, vec![], &|_| {}).unwrap();
        assert!(report.systems.iter().all(|o| o.status != "error"), "{report:?}");
    }

    fn missing(&self, reference: &str, kind: &str) -> Vec<String> {
        let missing = api::case_actions(&self.desk, reference.into()).unwrap().letters.into_iter().find(|l| l.kind == kind).unwrap().missing;
        missing.into_iter().map(|g| g.text.strip_prefix("not recorded: ").unwrap_or(&g.text).to_string()).collect()
    }

    /// The case's audit events of `action`, their details parsed.
    fn audit(&self, reference: &str, action: &str) -> Vec<serde_json::Value> {
        let timeline = api::get_case(&self.desk, reference.into()).unwrap().timeline;
        timeline.into_iter().filter(|e| e.action == action).map(|e| serde_json::from_str(&e.details).unwrap()).collect()
    }
}

fn firm() -> Firm {
    let (dir, desk) = fresh_desk();
    let files = dir.path().join("firm");
    std::fs::create_dir_all(&files).unwrap();
    shop(&files.join("shop.sqlite"));
    std::fs::write(files.join("payroll.csv"), format!("email,name,iban\nperson1@example.org,Björn,DE02\n{JUTTA},Jutta,DE03\n{MAX},Max,DE04\n")).unwrap();
    let reg = files.join("register.json");
    std::fs::write(&reg, serde_json::to_vec_pretty(&register(&files)).unwrap()).unwrap();
    api::import_register(&desk, reg.display().to_string()).unwrap();
    Firm { dir, desk }
}

#[test]
fn needs_you_lists_overdue_answers_open_notices_and_retained_data_due_with_system_names() {
    let f = firm();
    let empty = api::needs_you(&f.desk).unwrap();
    assert!(empty.follow_ups_due.is_empty() && empty.answers_overdue.is_empty() && empty.notices_open.is_empty());

    let reference = f.case("Jutta Kranich", JUTTA, &["erasure"]);
    f.act(&reference);
    // Acted today: the payroll's answer is due in a week, the recipient is to be told now.
    let now = api::needs_you(&f.desk).unwrap();
    assert!(now.answers_overdue.is_empty() && now.follow_ups_due.is_empty(), "{now:?}");
    let notices: Vec<(&str, Option<&str>, Option<&str>, &str)> =
        now.notices_open.iter().map(|n| (n.reference.as_str(), n.system_id.as_deref(), n.system_name.as_deref(), n.title.as_str())).collect();
    assert_eq!(notices, [(reference.as_str(), Some("shop"), Some("Webshop"), "Steuerberatung Kunz & Partner")]);
    // Open since the notice was made: the core dates it by the clock, not by the fixed day.
    assert!(NaiveDate::parse_from_str(&now.notices_open[0].since, "%Y-%m-%d").is_ok(), "{}", now.notices_open[0].since);

    // A week and a bit later the answer is overdue, since the day it was asked for.
    let later = api::needs_you(&f.on("2026-11-30")).unwrap();
    let task = api::get_case(&f.desk, reference.clone()).unwrap().tasks.into_iter().find(|t| t.kind == "act-by-hand").unwrap();
    let overdue: Vec<(&str, Option<&str>, Option<&str>, &str, &str)> =
        later.answers_overdue.iter().map(|n| (n.reference.as_str(), n.system_id.as_deref(), n.system_name.as_deref(), n.id.as_str(), n.since.as_str())).collect();
    assert_eq!(overdue, [(reference.as_str(), Some("payroll"), Some("Lohnabrechnung"), task.id.as_str(), "2026-11-28")]);
    assert_eq!(later.answers_overdue[0].title, task.title);
    assert!(later.follow_ups_due.is_empty());

    // When the invoices' retention has ended, their erasure is due.
    let end = api::needs_you(&f.on("2035-01-02")).unwrap();
    let due: Vec<(&str, Option<&str>, &str)> = end.follow_ups_due.iter().map(|n| (n.reference.as_str(), n.system_name.as_deref(), n.since.as_str())).collect();
    assert_eq!(due, [(reference.as_str(), Some("Webshop"), "2034-12-31")]);
    assert!(end.follow_ups_due[0].title.contains("2034-12-31"), "{}", end.follow_ups_due[0].title);

    // The follow-up's text names no CLI command: the window has the Plan button.
    let follow_up = api::get_case(&f.desk, reference).unwrap().tasks.into_iter().find(|t| t.kind == "erase-after").unwrap();
    assert!(!follow_up.body.contains("dsar "), "{}", follow_up.body);
    assert!(follow_up.body.ends_with("löschen."), "{}", follow_up.body);
}

#[test]
fn an_answer_with_its_reply_file_is_kept_on_the_case_and_confirms_the_system() {
    let f = firm();
    let reference = f.case("Jutta Kranich", JUTTA, &["erasure"]);
    f.act(&reference);
    let task = api::get_case(&f.desk, reference.clone()).unwrap().tasks.into_iter().find(|t| t.kind == "act-by-hand").unwrap();
    assert_eq!(task.status, "open");
    let lacks = f.missing(&reference, "erasure-partial");
    assert!(
        lacks.iter().any(|m| m.starts_with("the task for system payroll is still open") && m.ends_with("(press Record the answer on its task under Tasks)")),
        "{lacks:?}"
    );
    assert!(!lacks.iter().any(|m| m.contains("dsar ")), "the window's words, not the CLI's: {lacks:?}");

    let reply = f.path("Antwort Lohnbüro.eml");
    std::fs::write(&reply, "From: lohn@example.org\r\nSubject: Re: Löschung\r\n\r\nErledigt.\r\n").unwrap();
    let answer = |on: Option<&str>, confirmed: &str, reply: Option<String>| {
        api::record_answer(&f.desk, reference.clone(), task.id.clone(), on.map(Into::into), confirmed.into(), Some("Telefonisch bestätigt".into()), reply)
    };
    // Refusals name the form's field and change nothing.
    for (on, confirmed, path, field) in [
        (Some("2026-11-19"), "maybe", None, "confirmed: "),
        (Some("21.11.2026"), "erased", None, "on: "),
        (Some("2026-11-22"), "erased", None, "on: "),
        (Some("2026-11-19"), "erased", Some(f.path("Kranich-nicht-da.eml")), "reply_path: "),
        (Some("2026-11-19"), "erased", Some(f.dir.path().display().to_string()), "reply_path: "),
    ] {
        let e = answer(on, confirmed, path).unwrap_err();
        assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with(field), "{field}: {e:?}");
        assert!(!e.message.contains("Kranich") && !e.message.contains("--"), "no path and no CLI flag in {}", e.message);
    }
    let other = api::create_case(&f.desk, new_case("Max Muster", MAX, "2026-11-12")).unwrap();
    let e = api::record_answer(&f.desk, other, task.id.clone(), None, "erased".into(), None, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(f.audit(&reference, "task.answered").is_empty());

    let after = answer(Some("2026-11-19"), "erased", Some(reply.clone())).unwrap();
    assert_eq!(after.tasks.iter().find(|t| t.id == task.id).unwrap().status, "done");
    let kept = after.documents.iter().find(|d| d.kind == "processor-reply").expect("the reply is kept");
    assert_eq!((kept.file_name.as_str(), kept.bytes), ("Antwort Lohnbüro.eml", std::fs::metadata(&reply).unwrap().len()));
    let payroll = api::case_actions(&f.desk, reference.clone()).unwrap().systems.into_iter().find(|s| s.id == "payroll").unwrap();
    let answered = payroll.answer.expect("the answer is recorded");
    assert_eq!((answered.on.as_str(), answered.confirmed.as_str()), ("2026-11-19", "erased"));
    assert!(!f.missing(&reference, "erasure-partial").iter().any(|m| m.contains("payroll")), "{:?}", f.missing(&reference, "erasure-partial"));
    // Codes only in the audit trail: the note and the reply may name the subject.
    let events = f.audit(&reference, "task.answered");
    assert_eq!(events.len(), 1);
    assert_eq!((events[0]["confirmed"].as_str(), events[0]["answered_on"].as_str(), events[0]["system"].as_str()), (Some("erased"), Some("2026-11-19"), Some("payroll")));
    assert!(!events[0].to_string().contains("Telefonisch"));
    assert!(api::needs_you(&f.on("2026-12-10")).unwrap().answers_overdue.is_empty(), "an answered task is not overdue");
}

#[test]
fn a_refused_answer_leaves_the_task_open_and_the_letter_says_to_follow_up() {
    let f = firm();
    let reference = f.case("Jutta Kranich", JUTTA, &["erasure"]);
    f.act(&reference);
    let task = api::get_case(&f.desk, reference.clone()).unwrap().tasks.into_iter().find(|t| t.kind == "act-by-hand").unwrap();
    let after = api::record_answer(&f.desk, reference.clone(), task.id.clone(), None, "refused".into(), None, None).unwrap();
    assert_eq!(after.tasks.iter().find(|t| t.id == task.id).unwrap().status, "open");
    assert!(f.missing(&reference, "erasure-partial").iter().any(|m| m.contains("refused or could not act")));
    let answer = api::case_actions(&f.desk, reference).unwrap().systems.into_iter().find(|s| s.id == "payroll").unwrap().answer.unwrap();
    assert_eq!((answer.on.as_str(), answer.confirmed.as_str()), (TODAY, "refused"), "today when no day is given");
}

#[test]
fn corrections_are_noted_per_case_and_the_plan_asks_for_them_by_hand() {
    let f = firm();
    let reference = f.case("Max Muster", MAX, &["rectification"]);
    assert!(api::case_corrections(&f.desk, reference.clone()).unwrap().is_empty());
    let e = api::plan_case(&f.desk, reference.clone()).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("rectification: ") && e.message.ends_with("under Corrections first"), "{e:?}");
    assert!(!e.message.contains("dsar "), "{}", e.message);

    let add = |system: Option<&str>, field: &str, old: &str, new: &str| {
        api::add_correction(&f.desk, reference.clone(), CorrectionInput { system_id: system.map(Into::into), field: field.into(), old: old.into(), new: new.into() })
    };
    for (system, field, old, new, at) in [
        (None, " ", "x", "y", "field: "),
        (None, "Anschrift", "Alte Straße 1", "  ", "field: "),
        (None, "Anschrift", "Alte Straße 1", "Alte Straße 1 ", "new: "),
        (Some("crm"), "Anschrift", "Alte Straße 1", "Neue Straße 2", "system: "),
    ] {
        let e = add(system, field, old, new).unwrap_err();
        assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with(at), "{at}: {e:?}");
        assert!(!e.message.contains("--") && !e.message.contains("Straße"), "no CLI flags and no values: {}", e.message);
    }
    assert!(f.audit(&reference, "case.corrections-noted").is_empty(), "a refused correction notes nothing");

    add(Some("shop"), "Anschrift", "Alte Straße 1", "Neue Straße 2").unwrap();
    let all = add(Some(" "), "Nachname", "Muster", "Mustermann").unwrap();
    let shown: Vec<(Option<&str>, Option<&str>, &str, &str, &str)> =
        all.iter().map(|c| (c.system_id.as_deref(), c.system_name.as_deref(), c.field.as_str(), c.old.as_str(), c.new.as_str())).collect();
    assert_eq!(shown, [(Some("shop"), Some("Webshop"), "Anschrift", "Alte Straße 1", "Neue Straße 2"), (None, None, "Nachname", "Muster", "Mustermann")]);
    assert_eq!(api::case_corrections(&f.desk, reference.clone()).unwrap(), all);
    // The audit trail counts them; their values stay in the encrypted case.
    let noted = f.audit(&reference, "case.corrections-noted");
    assert_eq!(noted.iter().map(|e| e["corrections"].as_u64()).collect::<Vec<_>>(), [Some(1), Some(1)]);
    assert!(!noted.iter().any(|e| e.to_string().contains("Straße") || e.to_string().contains("Muster")));

    // The plan: corrections are made by hand, the task's e-mail lists what to change.
    f.act(&reference);
    let tasks = api::get_case(&f.desk, reference.clone()).unwrap().tasks;
    let shop = tasks.iter().find(|t| t.kind == "act-by-hand" && t.system_id.as_deref() == Some("shop")).expect("a task for the shop");
    assert!(shop.body.contains("Anschrift: Alte Straße 1 → Neue Straße 2") && shop.body.contains("Nachname: Muster → Mustermann"), "{}", shop.body);
    assert!(!f.missing(&reference, "rectification-confirmation").iter().any(|m| m.contains("correction")));

    // Erasure and rectification asked together: acting goes ahead, and the confirmation of the
    // rectification says where to note the corrections.
    let both = f.case("Jutta Kranich", JUTTA, &["erasure", "rectification"]);
    f.act(&both);
    let lacks = f.missing(&both, "rectification-confirmation");
    assert!(lacks.iter().any(|m| m == "no correction is noted: add it under Corrections"), "{lacks:?}");
    assert!(!lacks.iter().any(|m| m.contains("dsar ")), "{lacks:?}");
}

#[test]
fn a_letter_with_register_gaps_is_refused_a_draft_records_nothing_and_a_reason_sends_it() {
    let f = firm();
    let reference = f.case("Max Muster", MAX, &["access"]);
    let pdf = f.path("access.pdf");
    let save = |accept: Option<&str>| api::save_letter(&f.desk, reference.clone(), "access-response".into(), Some("de".into()), LetterTextDto::default(), pdf.clone(), accept.map(Into::into));
    let e = save(None).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    let lines: Vec<&str> = e.message.lines().collect();
    assert!(lines[0].starts_with("gaps: the register has gaps for this access-response letter"), "{}", e.message);
    assert_eq!(lines.len(), 2, "one gap a line: {}", e.message);
    assert!(lines[1].starts_with("system payroll, retention.description: no storage period"), "{}", lines[1]);
    let e = save(Some("   ")).unwrap_err();
    assert!(e.code == ErrorCode::InvalidInput && e.message.starts_with("accept_gaps: "), "{e:?}");
    assert!(!Path::new(&pdf).exists(), "no letter written");
    assert!(f.audit(&reference, "letter.saved").is_empty());

    // A draft: written and marked, gaps listed, nothing stored or recorded.
    let draft = f.path("access-draft.pdf");
    let before = api::get_case(&f.desk, reference.clone()).unwrap();
    let written = api::save_letter_draft(&f.desk, reference.clone(), "access-response".into(), Some("de".into()), LetterTextDto::default(), draft.clone()).unwrap();
    assert!(std::fs::read(&draft).unwrap().starts_with(b"%PDF"));
    assert_eq!(written.gaps.len(), 1);
    assert!(written.gaps[0].text.starts_with("system payroll, retention.description"));
    // As a code the window words in German or English, with the system's name from the register.
    let g = &written.gaps[0];
    assert_eq!((g.code.as_str(), g.system.as_deref(), g.field.as_str()), ("retention", Some("payroll"), "retention.description"));
    assert!(g.system_name.as_deref().is_some_and(|n| !n.is_empty()) && g.params.is_empty(), "{g:?}");
    let after = api::get_case(&f.desk, reference.clone()).unwrap();
    assert_eq!((after.documents.len(), after.timeline.len()), (before.documents.len(), before.timeline.len()), "a draft records nothing");
    let e = api::save_letter_draft(&f.desk, reference.clone(), "access-response".into(), None, LetterTextDto::default(), " ".into()).unwrap_err();
    assert!(e.message.starts_with("out_path: "), "{e:?}");
    let e = api::save_letter_draft(&f.desk, reference.clone(), "access-response".into(), None, LetterTextDto::default(), f.path("dsar.db")).unwrap_err();
    assert!(e.message.starts_with("out_path: "), "never over the open database: {e:?}");

    // Sent anyway: the reason and the gaps' fields are in the audit trail.
    let reason = "Lohnbüro klärt die Speicherdauer; Antwort fristgerecht";
    let saved = save(Some(reason)).unwrap();
    assert_eq!(saved.gaps.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), ["retention"]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert_ne!(std::fs::read(&pdf).unwrap(), std::fs::read(&draft).unwrap(), "the final letter is not the draft");
    let events = f.audit(&reference, "letter.saved");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["gaps_accepted"].as_str(), Some(reason));
    assert_eq!(events[0]["gap_fields"], json!(["payroll:retention.description"]));

    // The e-mail the same way: refused without a reason, saved with one.
    let eml = f.path("access.eml");
    let send = |accept: Option<&str>| {
        api::send_letter(&f.desk, reference.clone(), "access-response".into(), Some("de".into()), LetterTextDto::default(), false, Some(eml.clone()), accept.map(Into::into))
    };
    let e = send(None).unwrap_err();
    assert!(e.code == ErrorCode::Conflict && e.message.starts_with("gaps: "), "{e:?}");
    assert!(!Path::new(&eml).exists());
    assert!(send(Some(reason)).unwrap().eml_path.is_some());
    assert_eq!(f.audit(&reference, "letter.saved").len(), 2);

    // A letter without register content has no gaps: no reason needed, none recorded.
    api::save_letter(&f.desk, reference.clone(), "acknowledgement".into(), None, LetterTextDto::default(), f.path("ack.pdf"), Some("not needed".into())).unwrap();
    assert!(f.audit(&reference, "letter.saved")[2].get("gaps_accepted").is_none());
}
