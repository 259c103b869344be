//! What a letter takes from the register (issue 12 items 2, 5, 6; RULES.md §3): one language
//! (a missing translation is a gap, never silently German), recipients named with their
//! country ("none" only when the register says so), and answers tailored to the subject —
//! the legitimate interest named, purposes mapped to their bases, the right to object only
//! where it applies (direct marketing always), portability only where it applies, automated
//! decisions with their significance and the Art. 22(3) rights. Older registers stay
//! importable.

mod common;

use std::path::Path;

use common::*;
use dsar::domain::Language;
use dsar::letters::{self, completeness, LetterExtra, LetterKind, LetterRequest, Templates};
use dsar::{pull, register, register_store};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-21";

fn system(id: &str, basis: &[&str], path: &Path) -> Value {
    json!({"id": id, "name": {"de": format!("System {id}"), "en": format!("System {id}")}, "role": "internal",
        "purposes": {"de": ["Vertrag"], "en": ["Contract"]}, "data_categories": {"de": ["Kontaktdaten"], "en": ["Contact details"]},
        "legal_bases": basis, "retention": {"description": {"de": "Zwei Jahre", "en": "Two years"}},
        "recipients": [], "no_recipients": true, "transfers": [], "source": "data-subject", "automated_decision_making": false,
        "connector": {"kind": "sqlite", "path": path, "queries": [{"name": "kunden", "sql": "SELECT * FROM kunden WHERE lower(email) = :email"}]}})
}

fn controller() -> Value {
    json!({"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
        "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
        "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]}})
}

/// A desk whose register has the given systems (all finding Erika in one SQLite table),
/// with an access case pulled.
fn desk(systems: impl FnOnce(&Path) -> Vec<Value>) -> (TempDb, String) {
    let db = TempDb::new();
    let file = db.dir.path().join("firm.sqlite");
    let conn = rusqlite::Connection::open(&file).expect("db");
    conn.execute_batch("CREATE TABLE kunden (email TEXT); INSERT INTO kunden VALUES ('erika@example.org');").expect("rows");
    drop(conn);
    let reg = json!({"format": "dsar-register", "version": 1, "controller": controller(), "systems": systems(&file)});
    let mut store = db.create();
    register_store::import_text(&mut store, &ctx(TODAY), &reg.to_string(), db.dir.path(), "register.json").expect("register");
    drop(store);
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Erika Muster", "--email", "erika@example.org", "--received", "2026-11-16"]))
        .trim()
        .to_string();
    let mut store = db.open();
    pull::run(&mut store, &ctx(TODAY), &reference, &pull::PullOptions::default(), &|_| {}, &dsar::connectors::Cancel::default()).expect("pull");
    (db, reference)
}

fn access(db: &TempDb, reference: &str, lang: Language) -> letters::Composed {
    let store = db.open();
    let req = LetterRequest { reference: reference.into(), kind: LetterKind::AccessResponse, language: Some(lang), extra: LetterExtra::default() };
    letters::compose(&store, date(TODAY), &req, &Templates::builtin()).expect("letter")
}

fn gap_fields(c: &letters::Composed) -> Vec<String> {
    c.gaps.iter().map(|g| format!("{}:{}", g.system_id.as_deref().unwrap_or("register"), g.field)).collect()
}

#[test]
fn the_demo_register_is_complete_in_german_and_english_and_a_dutch_letter_is_told_what_is_missing() {
    let reg = register::parse(dsar::demo::REGISTER, Path::new("/")).expect("demo register");
    let all: Vec<&str> = reg.systems.iter().map(|s| s.id.as_str()).collect();
    for lang in [Language::De, Language::En] {
        let gaps = completeness(&reg, &all, lang);
        assert!(gaps.is_empty(), "{lang}: {gaps:#?}");
    }
    let nl = completeness(&reg, &all, Language::Nl);
    assert!(nl.iter().any(|g| g.system_id.as_deref() == Some("dashboard") && g.field == "purposes" && g.problem.contains("no Dutch text")), "{nl:#?}");
}

#[test]
fn a_german_only_register_gives_translation_gaps_for_an_english_letter_but_not_for_a_german_one() {
    let reg = register::parse(&std::fs::read_to_string(data("registers/jaimo.json")).expect("jaimo"), &data("registers")).expect("parse");
    let en = completeness(&reg, &["dashboard"], Language::En);
    let fields: Vec<&str> = en.iter().map(|g| g.field.as_str()).collect();
    for f in ["name", "purposes", "data_categories", "retention.description"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(!fields.contains(&"source"), "data-subject is a code the letter words itself: {fields:?}");
    let de = completeness(&reg, &["dashboard"], Language::De);
    assert!(de.iter().all(|g| !g.problem.contains("text:")), "{de:#?}");
}

#[test]
fn recipients_are_named_with_their_country_and_none_is_said_only_when_the_register_says_so() {
    let (db, r) = desk(|p| {
        let mut named = system("named", &["art6-1-b"], p);
        named["recipients"] = json!([{"name": "Steuerberatung Kunz & Partner", "country": "DE"}, {"name": "Slack Inc.", "country": "US"}]);
        named["no_recipients"] = json!(false);
        let mut silent = system("silent", &["art6-1-b"], p);
        silent.as_object_mut().expect("object").remove("no_recipients");
        let mut category = system("category", &["art6-1-b"], p);
        category["recipients"] = json!([{"category": {"de": "IT-Dienstleister", "en": "IT service providers"}}]);
        category["no_recipients"] = json!(false);
        vec![named, silent, category, system("none", &["art6-1-b"], p)]
    });
    let c = access(&db, &r, Language::De);
    assert_eq!(gap_fields(&c), ["silent:recipients", "category:recipients"], "{:#?}", c.gaps);
    assert!(c.gaps[1].problem.contains("only categories of recipients are named (IT-Dienstleister)"), "{:?}", c.gaps[1]);
    let t = &c.letter.text;
    assert!(t.contains("Empfänger: Steuerberatung Kunz & Partner (Deutschland)\n  Slack Inc. (USA)"), "{t}");
    assert!(t.contains("Empfänger: IT-Dienstleister (Kategorie)"), "{t}");
    // "none" only for the system whose register entry says so; the silent one claims nothing.
    assert_eq!(t.matches("keine außerhalb unseres Unternehmens").count(), 1, "{t}");
    let en = access(&db, &r, Language::En);
    assert!(en.letter.text.contains("IT service providers (category)"), "{}", en.letter.text);
}

#[test]
fn legitimate_interest_and_purpose_bases_are_named_or_are_gaps() {
    let (db, r) = desk(|p| {
        let mut mapped = system("mapped", &["art6-1-b", "art6-1-f"], p);
        mapped["purposes"] = json!({"de": ["Vertrag", "Betrugsprävention"], "en": ["Contract", "Fraud prevention"]});
        mapped["purpose_bases"] = json!([
            {"purpose": {"de": "Vertrag", "en": "Contract"}, "legal_bases": ["art6-1-b"]},
            {"purpose": {"de": "Betrugsprävention", "en": "Fraud prevention"}, "legal_bases": ["art6-1-f"]}]);
        mapped["legitimate_interest"] = json!({"de": "Schutz vor Zahlungsausfällen", "en": "Protection against payment defaults"});
        let mut unmapped = system("unmapped", &["art6-1-b", "art6-1-f"], p);
        unmapped["purposes"] = json!({"de": ["Vertrag", "Werbung"], "en": ["Contract", "Marketing"]});
        vec![mapped, unmapped]
    });
    let c = access(&db, &r, Language::De);
    assert_eq!(gap_fields(&c), ["unmapped:legitimate_interest", "unmapped:purpose_bases"], "{:#?}", c.gaps);
    let t = &c.letter.text;
    assert!(t.contains("Zwecke und Rechtsgrundlagen: Vertrag: Art. 6 Abs. 1 lit. b DSGVO"), "{t}");
    assert!(t.contains("Betrugsprävention: Art. 6 Abs. 1 lit. f DSGVO"), "{t}");
    assert!(t.contains("Berechtigtes Interesse: Schutz vor Zahlungsausfällen"), "{t}");
    // Both rest partly on legitimate interests: the full right to object is listed.
    assert!(t.contains("aus Gründen, die sich aus Ihrer besonderen Situation ergeben"), "{t}");
}

#[test]
fn a_purpose_mapped_to_a_basis_the_system_does_not_name_is_a_register_error() {
    let mut reg: Value = serde_json::from_str(&std::fs::read_to_string(data("registers/minimal.json")).expect("minimal")).expect("json");
    reg["systems"][0]["purpose_bases"] = json!([{"purpose": "Vertrag", "legal_bases": ["art6-1-f"]}]);
    let err = register::parse(&reg.to_string(), &data("registers")).expect_err("refused");
    let p = err.problems.iter().find(|p| p.path == "/systems/0/purpose_bases/0/legal_bases/0").unwrap_or_else(|| panic!("{err}"));
    assert!(p.problem.contains("art6-1-f is not among the system's legal_bases"), "{p:?}");
}

#[test]
fn the_rights_list_is_tailored_to_the_bases_and_automated_decisions_carry_their_significance() {
    // Contract only: no Art. 21(1) objection, but direct marketing always; portability applies.
    let (db, r) = desk(|p| vec![system("shop", &["art6-1-b"], p)]);
    let t = access(&db, &r, Language::De).letter.text;
    assert!(!t.contains("aus Gründen, die sich aus Ihrer besonderen Situation ergeben"), "{t}");
    assert!(t.contains("Widerspruch gegen Direktwerbung (Art. 21 Abs. 2 und 3 DSGVO)"), "{t}");
    assert!(t.contains("Datenübertragbarkeit (Art. 20 DSGVO)"), "{t}");

    // Legal obligation only: no portability.
    let (db, r) = desk(|p| vec![system("books", &["art6-1-c"], p)]);
    let t = access(&db, &r, Language::En).letter.text;
    assert!(!t.contains("Data portability"), "{t}");
    assert!(t.contains("Objection to direct marketing"), "{t}");

    // Automated decisions: logic, significance and consequences, Art. 22(3).
    let (db, r) = desk(|p| {
        let mut scoring = system("scoring", &["art6-1-b"], p);
        scoring["automated_decision_making"] = json!(true);
        scoring["logic"] = json!({"de": "Ein Punktwert aus Zahlungshistorie und Bestellwert", "en": "A score from payment history and order value"});
        vec![scoring]
    });
    let c = access(&db, &r, Language::De);
    assert_eq!(gap_fields(&c), ["scoring:significance"]);
    let (db, r) = desk(|p| {
        let mut scoring = system("scoring", &["art6-1-b"], p);
        scoring["automated_decision_making"] = json!(true);
        scoring["logic"] = json!({"de": "Ein Punktwert aus Zahlungshistorie und Bestellwert", "en": "A score from payment history and order value"});
        scoring["significance"] = json!({"de": "Unter 40 Punkten bieten wir keinen Kauf auf Rechnung an", "en": "Below 40 points we do not offer payment on invoice"});
        vec![scoring]
    });
    let c = access(&db, &r, Language::En);
    assert!(c.gaps.is_empty(), "{:#?}", c.gaps);
    let t = &c.letter.text;
    assert!(t.contains("Significance and envisaged consequences for you: Below 40 points we do not offer payment on invoice"), "{t}");
    assert!(t.contains("obtain human intervention on our part, express your point of view and contest the decision"), "{t}");
}

#[test]
fn registers_written_before_these_fields_still_import_and_export_unchanged() {
    for file in ["jaimo.json", "smart-cx.json", "websmart.json", "minimal.json"] {
        let text = std::fs::read_to_string(data(&format!("registers/{file}"))).expect("fixture");
        let reg = register::parse(&text, &data("registers")).unwrap_or_else(|e| panic!("{file}: {e}"));
        let back = register::to_json(&reg);
        let again = register::parse(&back.to_string(), &data("registers")).unwrap_or_else(|e| panic!("{file} round trip: {e}"));
        assert_eq!(reg.systems, again.systems, "{file}");
    }
}
