//! Every letter kind in every language for three controllers — GDPR in Germany, GDPR in the
//! Netherlands, UK GDPR — as snapshots of the text the subject reads (the e-mail body; the
//! PDF carries the same text, tests/pdf_text.rs). Reviewed like code: a change to a template
//! shows here as a diff. `UPDATE_SNAPSHOTS=1 cargo test --test letter_matrix` rewrites them.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use dsar::domain::Language;
use dsar::letters::{self, LetterExtra, LetterKind, LetterRequest, RefusalGround, Templates};
use dsar::{pull, register_store};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-21";

fn system(id: &str, names: [&str; 3], basis: &str, path: &Path) -> Value {
    let t = |de: &str, en: &str, nl: &str| json!({"de": de, "en": en, "nl": nl});
    json!({"id": id, "name": t(names[0], names[1], names[2]), "role": "internal",
        "purposes": {"de": ["Vertragsabwicklung"], "en": ["Performing the contract"], "nl": ["Uitvoering van de overeenkomst"]},
        "data_categories": {"de": ["Name", "E-Mail-Adresse"], "en": ["Name", "E-mail address"], "nl": ["Naam", "E-mailadres"]},
        "legal_bases": [basis], "retention": {"description": t("Zwei Jahre nach Vertragsende", "Two years after the contract ends", "Twee jaar na het einde van de overeenkomst"), "period": "P2Y"},
        "recipients": [{"name": "Steuerberatung Kunz & Partner", "country": "DE"}], "transfers": [], "source": "data-subject", "automated_decision_making": false,
        "connector": {"kind": "sqlite", "path": path, "queries": [{"name": "kunden", "sql": "SELECT * FROM kunden WHERE lower(email) = :email"}]}})
}

fn controllers() -> [(&'static str, Value, Language); 5] {
    let de = json!({"name": "Kranich Möbel GmbH", "address": ["Hauptstraße 1", "50667 Köln"], "email": "datenschutz@kranich.example",
        "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
        "supervisory_authority": {"name": "LDI NRW", "address": ["Kavalleriestraße 2-4", "40213 Düsseldorf"]},
        "dpo": {"name": "Datenschutz Ruhr GmbH", "email": "dsb@ruhr.example"},
        "signatory": {"name": "Anna Kranich", "role": {"de": "Geschäftsführerin", "en": "Managing Director", "nl": "Directeur"}}});
    let nl = json!({"name": "Tulp Webwinkel B.V.", "address": ["Keizersgracht 1", "1015 CJ Amsterdam"], "email": "privacy@tulp.example",
        "country": "NL", "region": "NL", "language": "nl", "jurisdiction": "gdpr",
        "supervisory_authority": {"name": "Autoriteit Persoonsgegevens", "address": ["Postbus 93374", "2509 AJ Den Haag"]}});
    let uk = json!({"name": "Kestrel Ltd", "address": ["1 High Street", "London EC1A 1AA"], "email": "privacy@kestrel.example",
        "country": "GB", "region": "GB-ENG", "language": "en", "jurisdiction": "uk-gdpr",
        "supervisory_authority": {"name": "Information Commissioner's Office", "address": ["Wycliffe House", "Wilmslow SK9 5AF"]}});
    [("gdpr-de-de", de.clone(), Language::De), ("gdpr-de-en", de, Language::En), ("gdpr-nl-nl", nl.clone(), Language::Nl), ("gdpr-nl-en", nl, Language::En), ("uk-en", uk, Language::En)]
}

fn snapshot(dir: &str, kind: LetterKind, actual: &str) -> Option<String> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/letters/matrix").join(dir).join(format!("{}.txt", kind.code()));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write");
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => None,
        Ok(_) => Some(format!("{dir}/{} differs", kind.code())),
        Err(_) => Some(format!("{dir}/{} has no snapshot", kind.code())),
    }
}

#[test]
fn every_kind_in_every_language_for_three_controllers_matches_its_snapshot() {
    let mut problems = Vec::new();
    for (dir, controller, lang) in controllers() {
        let db = TempDb::new();
        let file = db.dir.path().join("firm.sqlite");
        let conn = rusqlite::Connection::open(&file).expect("db");
        conn.execute_batch("CREATE TABLE kunden (email TEXT); INSERT INTO kunden VALUES ('erika@example.org');").expect("rows");
        drop(conn);
        let mut newsletter = system("newsletter", ["Newsletter", "Newsletter", "Nieuwsbrief"], "art6-1-a", &file);
        // A transfer under each kind of safeguard: a UK letter must word them as UK law does.
        newsletter["transfers"] = json!([{"country": "US", "safeguard": "dpf"}, {"country": "IN", "safeguard": "scc"}, {"country": "CH", "safeguard": "adequacy"}]);
        let reg = json!({"format": "dsar-register", "version": 1, "controller": controller,
            "systems": [system("shop", ["Webshop", "Web shop", "Webwinkel"], "art6-1-b", &file), newsletter]});
        let mut store = db.create();
        register_store::import_text(&mut store, &ctx(TODAY), &reg.to_string(), db.dir.path(), "register.json").expect("register");
        drop(store);
        let reference = ok(db.dsar(&[
            "case", "new", "--right", "access", "--right", "erasure", "--right", "objection", "--right", "withdraw-consent", "--name", "Erika Muster", "--email",
            "erika@example.org", "--received", "2026-11-16", "--language", lang.code(),
        ]))
        .trim()
        .to_string();
        ok(db.dsar(&["case", "pause", &reference, "--reason", "identity", "--from", "2026-11-17"]));
        ok(db.dsar(&["case", "resume", &reference, "--on", "2026-11-18"]));
        let mut store = db.open();
        pull::run(&mut store, &ctx(TODAY), &reference, &pull::PullOptions::default(), &|_| {}, &dsar::connectors::Cancel::default()).expect("pull");
        let ground = if dir.starts_with("uk") { RefusalGround::Art12Excessive } else { RefusalGround::Art12Unfounded };
        let extra = LetterExtra {
            reasons: Some(["Begründung.", "Our reasons.", "Onze redenen."][match lang {
                Language::De => 0,
                Language::En => 1,
                Language::Nl => 2,
            }]
            .into()),
            notes: None,
            ground: Some(ground),
            fee: Some("25,00 EUR".into()),
            encrypted_bundle: true,
        };
        for kind in LetterKind::ALL {
            let req = LetterRequest { reference: reference.clone(), kind: *kind, language: Some(lang), extra: extra.clone() };
            let composed = letters::compose(&store, date(TODAY), &req, &Templates::builtin()).unwrap_or_else(|e| panic!("{dir}/{kind}: {e}"));
            let text = format!("Subject: {}\n\n{}", composed.letter.subject_line, composed.letter.text);
            // A missing value never prints as "None" (minijinja's word for it).
            for null in [" vom None", " of None", " van None", "None,"] {
                assert!(!text.contains(null), "{dir}/{kind}: {null}");
            }
            // The subject line never carries the subject; a UK letter never EU terms.
            assert!(!composed.letter.subject_line.contains("Erika"), "{dir}/{kind}");
            if dir.starts_with("uk") {
                for eu in ["Member State", "European Commission", "EU standard contractual", "EU SCC", "Art. 45 GDPR", "Art. 46(2)(c) GDPR"] {
                    assert!(!text.contains(eu), "{dir}/{kind}: {eu}");
                }
            }
            problems.extend(snapshot(dir, *kind, &text));
        }
    }
    assert!(problems.is_empty(), "review with UPDATE_SNAPSHOTS=1 and git diff:\n{}", problems.join("\n"));
}
