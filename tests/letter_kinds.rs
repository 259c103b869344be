//! The letter kinds added for RULES.md §3 (issue 12 items 8–13): each renders only what the
//! desk has on record — an access supplement lists only what came after the first answer, an
//! "objection not applicable" is refused where a system rests on 6(1)(e)/(f), "identity not
//! established" needs the identity request on record, a fee notice needs its fee and reasons,
//! a consent withdrawal needs the acting records, a representative letter needs the requester.
//! Plus the wording rules: the stopped clock conditional under the EU GDPR, Art. 12A under the
//! UK GDPR, the UK complaint route, the NL public body's bezwaar, the signatory.

mod common;

use std::path::Path;

use common::*;
use dsar::domain::Language;
use dsar::letters::{self, Composed, LetterExtra, LetterKind, LetterRequest, Templates};
use dsar::{pull, register_store};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-21";

fn system(id: &str, name: &str, basis: &str, path: &Path, table: &str) -> Value {
    json!({"id": id, "name": {"de": name, "en": name, "nl": name}, "role": "internal",
        "purposes": {"de": ["Vertrag"], "en": ["Contract"], "nl": ["Overeenkomst"]},
        "data_categories": {"de": ["Kontaktdaten"], "en": ["Contact details"], "nl": ["Contactgegevens"]},
        "legal_bases": [basis], "retention": {"description": {"de": "Zwei Jahre", "en": "Two years", "nl": "Twee jaar"}, "period": "P2Y"},
        "recipients": [], "no_recipients": true, "transfers": [], "source": "data-subject", "automated_decision_making": false,
        "connector": {"kind": "sqlite", "path": path, "queries": [{"name": table, "sql": format!("SELECT * FROM {table} WHERE lower(email) = :email")}],
            "erase": [{"name": table, "sql": format!("DELETE FROM {table} WHERE lower(email) = :email")}]}})
}

struct Desk {
    db: TempDb,
    reference: String,
}

/// A firm with a shop (contract), a newsletter (consent) and, when `with_interest`, a
/// marketing database on legitimate interest; Erika is in all of them.
fn desk(controller: Value, with_interest: bool, rights: &[&str]) -> Desk {
    let db = TempDb::new();
    let file = db.dir.path().join("firm.sqlite");
    let conn = rusqlite::Connection::open(&file).expect("firm db");
    conn.execute_batch(
        "CREATE TABLE kunden (email TEXT, name TEXT); INSERT INTO kunden VALUES ('erika@example.org', 'Erika');
         CREATE TABLE abos (email TEXT); INSERT INTO abos VALUES ('erika@example.org');
         CREATE TABLE werbung (email TEXT); INSERT INTO werbung VALUES ('erika@example.org');",
    )
    .expect("rows");
    drop(conn);
    let mut systems = vec![system("shop", "Webshop", "art6-1-b", &file, "kunden"), system("newsletter", "Newsletter", "art6-1-a", &file, "abos")];
    if with_interest {
        systems.push(system("werbung", "Werbung", "art6-1-f", &file, "werbung"));
    }
    let register = json!({"format": "dsar-register", "version": 1, "controller": controller, "systems": systems});
    let mut store = db.create();
    register_store::import_text(&mut store, &ctx(TODAY), &register.to_string(), db.dir.path(), "register.json").expect("register");
    drop(store);
    let mut args = vec!["case", "new", "--name", "Erika Muster", "--email", "erika@example.org", "--received", "2026-11-16"];
    for r in rights {
        args.extend(["--right", r]);
    }
    let reference = ok(db.dsar(&args)).trim().to_string();
    Desk { db, reference }
}

fn german() -> Value {
    json!({"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
        "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
        "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]},
        "dpo": {"name": "Datenschutz Ruhr GmbH", "email": "dsb@ruhr.example", "phone": "+49 201 123456"},
        "signatory": {"name": "Anna Kranich", "role": {"de": "Geschäftsführerin", "en": "Managing Director", "nl": "Directeur"}}})
}

fn dutch_public_body() -> Value {
    json!({"name": "Gemeente Voorbeeld", "address": ["Markt 1", "1234 AB Voorbeeld"], "email": "privacy@voorbeeld.example",
        "country": "NL", "region": "NL", "language": "nl", "jurisdiction": "gdpr", "public_body": true,
        "supervisory_authority": {"name": "Autoriteit Persoonsgegevens"}})
}

fn british() -> Value {
    json!({"name": "Kestrel Ltd", "address": ["1 High Street", "London EC1A 1AA"], "email": "privacy@kestrel.example",
        "country": "GB", "region": "GB-ENG", "language": "en", "jurisdiction": "uk-gdpr",
        "supervisory_authority": {"name": "Information Commissioner's Office"}})
}

fn pull_systems(d: &Desk, systems: &[&str]) {
    let mut store = d.db.open();
    let options = pull::PullOptions { systems: systems.iter().map(|s| s.to_string()).collect(), concurrency: 2 };
    pull::run(&mut store, &ctx(TODAY), &d.reference, &options, &|_| {}, &dsar::connectors::Cancel::default()).expect("pull");
}

fn compose(d: &Desk, kind: LetterKind, lang: Language, extra: LetterExtra) -> dsar::Result<Composed> {
    let store = d.db.open();
    letters::compose(&store, date(TODAY), &LetterRequest { reference: d.reference.clone(), kind, language: Some(lang), extra }, &Templates::builtin())
}

fn text(d: &Desk, kind: LetterKind, lang: Language, extra: LetterExtra) -> (String, Vec<String>) {
    let c = compose(d, kind, lang, extra).unwrap_or_else(|e| panic!("{kind}/{lang}: {e}"));
    (c.letter.text, c.unrecorded.into_iter().map(|u| u.text).collect())
}

fn reasons(r: &str) -> LetterExtra {
    LetterExtra { reasons: Some(r.into()), ..Default::default() }
}

#[test]
fn an_access_supplement_completes_a_saved_answer_with_only_what_came_after_it() {
    let d = desk(german(), false, &["access"]);
    pull_systems(&d, &["shop"]);
    // Nothing to supplement before an access answer was saved.
    let (_, unmet) = text(&d, LetterKind::AccessSupplement, Language::De, LetterExtra::default());
    assert_eq!(unmet.len(), 1, "{unmet:?}");
    assert!(unmet[0].contains("send access-response first"), "{unmet:?}");

    // The first answer names the newsletter as still being checked, with the date for the rest.
    let pdf = d.db.dir.path().join("access.pdf");
    ok(d.db.dsar(&["letter", &d.reference, "--kind", "access-response", "--out", pdf.to_str().expect("path")]));
    let (first, _) = text(&d, LetterKind::AccessResponse, Language::De, LetterExtra::default());
    assert!(first.contains("spätestens bis zum 16.12.2026"), "{first}");

    // Nothing came in yet: refused.
    let (_, unmet) = text(&d, LetterKind::AccessSupplement, Language::De, LetterExtra::default());
    assert!(unmet.iter().any(|u| u.contains("no system returned results after the last access answer")), "{unmet:?}");

    std::thread::sleep(std::time::Duration::from_millis(20));
    pull_systems(&d, &["newsletter"]);
    let (supplement, unmet) = text(&d, LetterKind::AccessSupplement, Language::De, LetterExtra::default());
    assert!(unmet.is_empty(), "{unmet:?}");
    // The earlier letter's day is the day it was saved (the clock, not DSAR_TODAY).
    let saved = chrono::Local::now().date_naive().format("%d.%m.%Y").to_string();
    let utc = chrono::Utc::now().date_naive().format("%d.%m.%Y").to_string();
    assert!(
        supplement.contains(&format!("mit unserem Schreiben vom {saved} haben wir Ihnen Auskunft erteilt")) || supplement.contains(&format!("vom {utc} haben")),
        "{supplement}"
    );
    assert!(supplement.contains("Newsletter: 1 Datensatz"), "{supplement}");
    assert!(!supplement.contains("Webshop"), "the shop was answered already: {supplement}");
    assert!(supplement.contains("Damit ist unsere Auskunft vollständig."), "{supplement}");
}

#[test]
fn an_objection_is_not_applicable_only_where_no_system_rests_on_public_task_or_legitimate_interest() {
    let d = desk(german(), true, &["objection"]);
    pull_systems(&d, &["shop", "newsletter", "werbung"]);
    let (_, unmet) = text(&d, LetterKind::ObjectionNotApplicable, Language::De, LetterExtra::default());
    assert_eq!(unmet, ["system werbung rests on art6-1-f: the objection applies there — weigh it and answer with objection-accepted or objection-rejected"]);

    let d = desk(german(), false, &["objection"]);
    pull_systems(&d, &["shop", "newsletter"]);
    let (de, unmet) = text(&d, LetterKind::ObjectionNotApplicable, Language::De, LetterExtra::default());
    assert!(unmet.is_empty(), "{unmet:?}");
    assert!(de.contains("Webshop: Art. 6 Abs. 1 lit. b DSGVO (Vertrag oder vorvertragliche Maßnahmen)"), "{de}");
    assert!(de.contains("Art. 21 Abs. 2 und 3 DSGVO"), "direct marketing always: {de}");
    assert!(de.contains("mit Wirkung für die Zukunft widerrufen (Art. 7 Abs. 3 DSGVO)"), "consent: {de}");
    assert!(de.contains("Gerichtlicher Rechtsbehelf"), "{de}");
    let (en, _) = text(&d, LetterKind::ObjectionNotApplicable, Language::En, LetterExtra::default());
    assert!(en.contains("gives no right to object to processing on these bases"), "{en}");
}

#[test]
fn identity_not_established_needs_the_request_on_record_and_says_why() {
    let d = desk(german(), false, &["access"]);
    let err = compose(&d, LetterKind::IdentityNotEstablished, Language::De, LetterExtra::default()).expect_err("no reasons");
    assert!(err.to_string().contains("reasons"), "{err}");
    let (_, unmet) = text(&d, LetterKind::IdentityNotEstablished, Language::De, reasons("Die Anschrift passt zu keinem Kundenkonto."));
    assert!(unmet.iter().any(|u| u.contains("never asked to confirm their identity")), "{unmet:?}");

    ok(d.db.dsar(&["case", "pause", &d.reference, "--reason", "identity", "--from", "2026-11-17"]));
    let (de, unmet) = text(&d, LetterKind::IdentityNotEstablished, Language::De, reasons("Die Anschrift passt zu keinem Kundenkonto."));
    assert!(unmet.is_empty(), "{unmet:?}");
    assert!(de.contains("Mit unserem Schreiben vom 17.11.2026"), "{de}");
    assert!(de.contains("Die Anschrift passt zu keinem Kundenkonto."), "{de}");
    assert!(de.contains("Art. 12 Abs. 2 Satz 2 DSGVO") && de.contains("Art. 11 Abs. 2 Satz 2 DSGVO"), "{de}");

    // Once identity is recorded, the letter would be false.
    ok(d.db.dsar(&["case", "identity", &d.reference, "--method", "email-round-trip", "--on", "2026-11-18"]));
    let (_, unmet) = text(&d, LetterKind::IdentityNotEstablished, Language::De, reasons("x"));
    assert!(unmet.iter().any(|u| u.contains("identity is recorded as established")), "{unmet:?}");
}

#[test]
fn a_fee_notice_states_the_fee_the_reasons_and_the_burden_of_proof() {
    let d = desk(german(), false, &["access"]);
    let err = compose(&d, LetterKind::FeeNotice, Language::De, reasons("Vierte gleichlautende Anfrage in sechs Wochen.")).expect_err("no fee");
    assert!(err.to_string().contains("--fee"), "{err}");
    let extra = LetterExtra { fee: Some("25,00 EUR".into()), ..reasons("Vierte gleichlautende Anfrage in sechs Wochen.") };
    let (de, _) = text(&d, LetterKind::FeeNotice, Language::De, extra.clone());
    assert!(de.contains("ein Entgelt von 25,00 EUR"), "{de}");
    assert!(de.contains("Vierte gleichlautende Anfrage in sechs Wochen."), "{de}");
    assert!(de.contains("Art. 12 Abs. 5 Satz 2 lit. a DSGVO") && de.contains("Art. 12 Abs. 5 Satz 3 DSGVO"), "{de}");
    let (nl, _) = text(&d, LetterKind::FeeNotice, Language::Nl, extra);
    assert!(nl.contains("een vergoeding van 25,00 EUR") && nl.contains("art. 12 lid 5, derde zin, AVG"), "{nl}");
}

#[test]
fn a_consent_withdrawal_is_confirmed_only_after_acting_and_names_what_stays() {
    let d = desk(german(), false, &["withdraw-consent"]);
    pull_systems(&d, &["shop", "newsletter"]);
    let (_, unmet) = text(&d, LetterKind::ConsentWithdrawalConfirmation, Language::De, LetterExtra::default());
    assert!(unmet.iter().any(|u| u.contains("nothing has been carried out")), "{unmet:?}");

    // Plan, act, verify: the newsletter rests on consent only, the shop on contract.
    let plan = ok(d.db.dsar(&["case", "plan", &d.reference, "--json"]));
    let plan: Value = serde_json::from_str(&plan).expect("plan json");
    let id = plan["plan"].as_str().expect("plan id").to_string();
    ok(d.db.dsar(&["case", "act", &d.reference, "--plan", &id]));
    ok(d.db.dsar(&["case", "verify", &d.reference]));
    let (de, unmet) = text(&d, LetterKind::ConsentWithdrawalConfirmation, Language::De, LetterExtra::default());
    assert!(unmet.is_empty(), "{unmet:?}");
    assert!(de.contains("haben wir gelöscht (Art. 17 Abs. 1 lit. b DSGVO)"), "{de}");
    assert!(de.contains("- Newsletter"), "{de}");
    assert!(de.contains("Die Rechtmäßigkeit der Verarbeitung bis zu Ihrem Widerruf bleibt unberührt (Art. 7 Abs. 3 Satz 2 DSGVO)"), "{de}");
    assert!(de.contains("Webshop: Art. 6 Abs. 1 lit. b DSGVO"), "what stays, with its basis: {de}");
    assert!(!de.contains("Newsletter: Art. 6"), "the consent system is not listed as staying: {de}");

    // A case that did not ask to withdraw consent cannot get this letter.
    let other = desk(german(), false, &["access"]);
    let (_, unmet) = text(&other, LetterKind::ConsentWithdrawalConfirmation, Language::De, LetterExtra::default());
    assert!(unmet.iter().any(|u| u.contains("does not ask to withdraw consent")), "{unmet:?}");
}

#[test]
fn a_representative_is_asked_for_authority_with_redaction_advice_and_no_second_person_mixup() {
    let d = desk(german(), false, &["access"]);
    let (_, unmet) = text(&d, LetterKind::RequestByRepresentative, Language::De, LetterExtra::default());
    assert!(unmet.iter().any(|u| u.contains("no requester is recorded")), "{unmet:?}");
    ok(d.db.dsar(&["case", "requester", &d.reference, "--name", "Max Muster", "--email", "max@example.org", "--authority", "parent"]));
    let (de, unmet) = text(&d, LetterKind::RequestByRepresentative, Language::De, LetterExtra::default());
    assert!(unmet.is_empty(), "{unmet:?}");
    assert!(de.starts_with("Guten Tag Max Muster,"), "{de}");
    assert!(de.contains("die Sie für Erika Muster gestellt haben") && de.contains("(elterliche Sorge)"), "{de}");
    assert!(!de.contains("sind in diesem Schreiben"), "the 'you means the subject' note does not fit this letter: {de}");
    assert!(de.contains("Soweit wir sie dafür benötigen, läuft die Frist für unsere Antwort nicht"), "{de}");
    let (nl, _) = text(&d, LetterKind::RequestByRepresentative, Language::Nl, LetterExtra::default());
    assert!(nl.contains("burgerservicenummer (BSN; art. 46 UAVG)"), "{nl}");
    let (subject_line, _) = {
        let c = compose(&d, LetterKind::RequestByRepresentative, Language::De, LetterExtra::default()).expect("letter");
        (c.letter.subject_line, ())
    };
    assert!(!subject_line.contains("Erika"), "subject lines carry no names: {subject_line}");
}

#[test]
fn the_stopped_clock_is_conditional_under_the_gdpr_and_article_12a_under_the_uk_gdpr() {
    let d = desk(german(), false, &["access"]);
    for kind in [LetterKind::IdentityRequest, LetterKind::ClarificationRequest, LetterKind::Acknowledgement] {
        let (de, _) = text(&d, kind, Language::De, LetterExtra::default());
        assert!(!de.contains("gehemmt"), "{kind}: {de}");
        assert!(de.contains("läuft die Frist") && de.contains("nicht"), "{kind}: {de}");
    }
    let (id, _) = text(&d, LetterKind::IdentityRequest, Language::De, LetterExtra::default());
    assert!(id.contains("Warum wir nachfragen:") && id.contains("Lichtbild, Ausweis- und Zugangsnummer"), "{id}");
    assert!(id.contains("Art. 11 Abs. 2 und Art. 12 Abs. 2 DSGVO"), "what happens without an answer: {id}");
    let (nl, _) = text(&d, LetterKind::IdentityRequest, Language::Nl, LetterExtra::default());
    assert!(nl.contains("burgerservicenummer (BSN; art. 46 UAVG)"), "{nl}");

    let uk = desk(british(), false, &["access", "erasure"]);
    let (en, _) = text(&uk, LetterKind::IdentityRequest, Language::En, LetterExtra::default());
    assert!(en.contains("Under Article 12A UK GDPR, the time for our answer does not begin until we receive it."), "{en}");
    let (clar, _) = text(&uk, LetterKind::ClarificationRequest, Language::En, LetterExtra::default());
    assert!(clar.contains("large quantity of information") && clar.contains("We will answer the other parts of your request regardless"), "{clar}");
}

#[test]
fn uk_letters_use_uk_terms_and_the_complaint_to_the_controller_first() {
    let d = desk(british(), false, &["access"]);
    pull_systems(&d, &["shop", "newsletter"]);
    let (en, _) = text(&d, LetterKind::ObjectionNotApplicable, Language::En, LetterExtra::default());
    assert!(en.contains("section 164A Data Protection Act 2018") && en.contains("complain to the Information Commissioner"), "{en}");
    assert!(en.contains("a court in the United Kingdom"), "{en}");
    for word in ["Member State", "European Commission", "EU SCC"] {
        assert!(!en.contains(word), "{word} in a UK letter: {en}");
    }
}

#[test]
fn a_dutch_public_body_points_to_bezwaar_not_the_civil_petition() {
    let d = desk(dutch_public_body(), false, &["access"]);
    pull_systems(&d, &["shop", "newsletter"]);
    let (nl, _) = text(&d, LetterKind::ObjectionNotApplicable, Language::Nl, LetterExtra::default());
    assert!(nl.contains("besluit in de zin van de Algemene wet bestuursrecht (art. 34 UAVG)") && nl.contains("bezwaar maken bij ons"), "{nl}");
    assert!(!nl.contains("art. 35 UAVG"), "{nl}");
    assert!(!nl.contains("BDSG"), "{nl}");
}

#[test]
fn letters_are_signed_by_the_named_signatory_and_the_email_carries_the_sender_block() {
    let d = desk(german(), false, &["access"]);
    let (de, _) = text(&d, LetterKind::Acknowledgement, Language::De, LetterExtra::default());
    assert!(de.contains("Mit freundlichen Grüßen\n\nAnna Kranich\nGeschäftsführerin\nKranich Möbel GmbH"), "{de}");
    assert!(de.contains("Datenschutzbeauftragte(r): Datenschutz Ruhr GmbH · dsb@ruhr.example · +49 201 123456"), "{de}");
    assert!(de.contains("Kranich Möbel GmbH\nHauptstraße 1\n50667 Köln\ndatenschutz@kranich.example\nUnser Zeichen:"), "sender block: {de}");
    let (en, _) = text(&d, LetterKind::Acknowledgement, Language::En, LetterExtra::default());
    assert!(en.contains("Anna Kranich\nManaging Director\nKranich Möbel GmbH"), "{en}");
}

#[test]
fn an_access_answer_opens_with_a_summary_and_says_how_an_encrypted_copy_is_opened() {
    let d = desk(german(), false, &["access"]);
    pull_systems(&d, &["shop"]);
    let (plain, _) = text(&d, LetterKind::AccessResponse, Language::De, LetterExtra::default());
    let summary = plain.find("Auf einen Blick").expect("summary");
    let detail = plain.find("Informationen zur Verarbeitung").expect("detail");
    assert!(summary < detail, "the summary comes first: {plain}");
    assert!(plain[summary..detail].contains("Webshop: 1 Datensatz") && plain[summary..detail].contains("Newsletter: Prüfung läuft noch, Ergebnis spätestens bis zum 16.12.2026"), "{plain}");
    assert!(!plain.contains("AES-256"), "no encryption claimed unless chosen: {plain}");
    let (encrypted, _) = text(&d, LetterKind::AccessResponse, Language::En, LetterExtra { encrypted_bundle: true, ..Default::default() });
    assert!(encrypted.contains("ZIP archive encrypted with AES-256") && encrypted.contains("by a separate channel") && encrypted.contains("7-Zip"), "{encrypted}");
}

#[test]
fn the_greeting_is_neutral_by_default_and_formal_when_the_case_has_a_salutation() {
    let d = desk(german(), false, &["access"]);
    let (de, _) = text(&d, LetterKind::Acknowledgement, Language::De, LetterExtra::default());
    assert!(de.starts_with("Guten Tag Erika Muster,"), "{de}");
    ok(d.db.dsar(&["case", "salutation", &d.reference, "--form", "ms"]));
    let (de, _) = text(&d, LetterKind::Acknowledgement, Language::De, LetterExtra::default());
    assert!(de.starts_with("Sehr geehrte Frau Muster,"), "{de}");
    let (en, _) = text(&d, LetterKind::Acknowledgement, Language::En, LetterExtra::default());
    assert!(en.starts_with("Dear Ms Muster,"), "{en}");
    ok(d.db.dsar(&["case", "salutation", &d.reference, "--form", "mr", "--family-name", "van der Berg"]));
    let (nl, _) = text(&d, LetterKind::Acknowledgement, Language::Nl, LetterExtra::default());
    assert!(nl.starts_with("Geachte heer Van der Berg,"), "{nl}");
    let shown: Value = serde_json::from_str(&ok(d.db.dsar(&["case", "show", &d.reference, "--json"]))).expect("json");
    assert_eq!(shown["salutation"], json!({"form": "mr", "family_name": "van der Berg"}));
    ok(d.db.dsar(&["case", "salutation", &d.reference, "--form", "none"]));
    let (de, _) = text(&d, LetterKind::Acknowledgement, Language::De, LetterExtra::default());
    assert!(de.starts_with("Guten Tag Erika Muster,"), "{de}");
    let bad = d.db.dsar(&["case", "salutation", &d.reference, "--form", "dr"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("unknown salutation 'dr': use one of ms, mr"), "{}", stderr(&bad));
    // A new case may carry it from the start.
    let r = ok(d.db.dsar(&["case", "new", "--right", "access", "--name", "Otto Normal", "--email", "otto@example.org", "--received", "2026-11-16", "--salutation", "mr"]));
    let store = d.db.open();
    let case = dsar::cases::get(&store, r.trim()).expect("case");
    assert_eq!(case.salutation.map(|s| s.family_name), Some("Normal".to_string()));
}
