//! Letters: Art. 15 content per firm and language (snapshots of the PDF's extracted text),
//! every kind in every language, hostile user text printed literally, page furniture on
//! every page, the completeness check, firm overrides, and the `dsar letter` command.
//!
//! Needs `pdftotext`, `pdfinfo` (poppler-utils) and `qpdf` (scripts/test.sh installs them).
//! Snapshots live in tests/snapshots/letters/; review changes like code and refresh them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test letters`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use dsar::cases::{self, Case, NewCase};
use dsar::domain::{Channel, IdentifierKind, Language, Right};
use dsar::evidence::{self, Found, PullStatus, SystemResult};
use dsar::letters::{self, words, Composed, LetterExtra, LetterKind, LetterRequest, Templates};
use dsar::register::{self, Register};
use dsar::register_store;
use dsar::store::Store;

const TODAY: &str = "2026-11-21";
const LANGS: [Language; 3] = [Language::De, Language::En, Language::Nl];

/// A desk with a firm's register, one case and evidence in some systems.
struct Desk {
    _db: TempDb,
    store: Store,
    case: Case,
    register: Register,
}

/// Systems given records per fixture firm; one manual system stays pending, the rest are
/// searched with nothing found.
fn holdings(firm: &str) -> (&'static [(&'static str, usize)], &'static str) {
    match firm {
        "jaimo" => (&[("dashboard", 3), ("slack", 2), ("fastbill", 4)], "gmail"),
        "smart-cx" => (&[("hosting-logs", 5), ("appointments", 1), ("mailjet", 2)], "cdn"),
        "websmart" => (&[("webchat", 2), ("crm", 3), ("newsletter", 6)], "messenger"),
        _ => (&[], ""),
    }
}

fn desk_with(register_file: &Path, firm: &str, lang: Language, name: &str, address: Vec<String>) -> Desk {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx(TODAY);
    let register = register_store::import_file(&mut store, &c, register_file).unwrap();
    let case = cases::create(
        &mut store,
        &c,
        NewCase {
            rights: vec![Right::Access, Right::Erasure],
            name: name.into(),
            address,
            identifiers: vec![(IdentifierKind::Email, "jana@example.org".into())],
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: Some(lang),
            channel: Channel::Email,
        },
    )
    .unwrap();
    let (held, manual) = holdings(firm);
    for s in &register.systems {
        let n = held.iter().find(|(id, _)| *id == s.id).map(|(_, n)| *n).unwrap_or(if firm.is_empty() { 1 } else { 0 });
        let status = if s.id == manual { PullStatus::Manual } else { PullStatus::Ok };
        let found: Vec<Found> = (0..n)
            .map(|i| Found { dataset: "records".into(), locator: format!("row {i}"), record: serde_json::json!({"email": "jana@example.org", "n": i}) })
            .collect();
        let result = SystemResult { system_id: s.id.clone(), status, records: n as u64, duration_ms: 1, error: None, pulled_at: "2026-11-20T10:00:00Z".into() };
        store.write(|tx| evidence::replace_system(tx, &case.id, &result, &found)).unwrap();
    }
    Desk { _db: db, store, case, register }
}

fn desk(firm: &str, lang: Language) -> Desk {
    desk_with(&data(&format!("registers/{firm}.json")), firm, lang, "Jana Beispiel", vec!["Musterweg 1".into(), "12345 Musterstadt".into()])
}

fn compose(d: &Desk, kind: LetterKind, lang: Language, extra: LetterExtra, templates: &Templates) -> Result<Composed, dsar::Error> {
    let req = LetterRequest { reference: d.case.reference.to_string(), kind, language: Some(lang), extra };
    letters::compose(&d.store, date(TODAY), &req, templates)
}

fn reasons() -> LetterExtra {
    LetterExtra { reasons: Some("Grund eins / reason one.\n\nGrund zwei / reason two.".into()), notes: Some("Notiz / note.".into()), ground: Some(letters::RefusalGround::Art12Unfounded), fee: Some("25,00 EUR".into()), encrypted_bundle: true }
}

fn write_pdf(pdf: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("tool missing: install poppler-utils and qpdf (scripts/test.sh does)");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's text as poppler extracts it; `page` limits it to one page.
fn pdf_text(pdf: &[u8], page: Option<usize>) -> String {
    let (_dir, path) = write_pdf(pdf);
    let mut c = Command::new("pdftotext");
    if let Some(p) = page {
        c.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    c.arg(&path).arg("-");
    run(&mut c)
}

fn page_count(pdf: &[u8]) -> usize {
    let (_dir, path) = write_pdf(pdf);
    let info = run(Command::new("pdfinfo").arg(&path));
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("Pages: line")
}

fn qpdf_check(pdf: &[u8]) {
    let (_dir, path) = write_pdf(pdf);
    run(Command::new("qpdf").arg("--check").arg(&path));
}

/// The text without the running header and page labels, so a paragraph continued on the
/// next page reads on.
fn without_furniture(text: &str, reference: &str) -> String {
    text.lines()
        .filter(|l| !(l.contains(reference) && l.contains(" · ")))
        .filter(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            !(w.len() == 4 && ["Page", "Seite", "Pagina"].contains(&w[0]) && ["of", "von", "van"].contains(&w[2]))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whitespace- and hyphen-free form, so text wrapped across lines or table cells still
/// matches (pdftotext drops the hyphen of a word broken after one).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

#[track_caller]
fn assert_has(haystack: &str, needle: &str, what: &str) {
    assert!(squash(haystack).contains(&squash(needle)), "{what}: missing {needle:?}");
}

/// Compares with tests/snapshots/letters/NAME, or writes it when UPDATE_SNAPSHOTS is set.
#[track_caller]
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/letters").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no snapshot {}: run UPDATE_SNAPSHOTS=1 cargo test --test letters and review it", path.display()));
    assert!(expected == actual, "snapshot {name} differs; review with UPDATE_SNAPSHOTS=1 and git diff.\n--- expected\n{expected}\n--- actual\n{actual}");
}

fn rights_words(lang: Language) -> [&'static str; 6] {
    match lang {
        Language::De => ["Berichtigung", "Löschung", "Einschränkung der Verarbeitung", "Widerspruch", "Direktwerbung", "Gerichtlicher Rechtsbehelf"],
        Language::En => ["Rectification", "Erasure", "Restriction of processing", "Objection", "direct marketing", "Judicial remedy"],
        Language::Nl => ["Rectificatie", "Wissing", "Beperking van de verwerking", "Bezwaar", "direct marketing", "rechter"],
    }
}

#[test]
fn access_letters_carry_every_art15_item_for_every_system_with_data() {
    for firm in ["jaimo", "smart-cx", "websmart"] {
        for lang in LANGS {
            let d = desk(firm, lang);
            let composed = compose(&d, LetterKind::AccessResponse, lang, LetterExtra::default(), &Templates::builtin()).unwrap();
            let letter = &composed.letter;
            let text = pdf_text(&letter.pdf, None);
            let what = format!("{firm}/{lang}");
            let body = without_furniture(&text, &d.case.reference.to_string());
            snapshot(&format!("{firm}-access-response-{}.pdf.txt", lang.code()), &text);
            snapshot(&format!("{firm}-access-response-{}.mail.txt", lang.code()), &letter.text);
            let ctl = d.register.controller.language();
            let (held, manual) = holdings(firm);
            let listed: Vec<&str> = held.iter().map(|(id, _)| *id).chain([manual]).collect();
            for id in &listed {
                let s = d.register.system(id).unwrap();
                for body in [&body, &letter.text] {
                    assert_has(body, s.name.pick(lang, ctl), &what);
                    for p in s.purposes.pick(lang, ctl) {
                        assert_has(body, p, &format!("{what} {id} purpose"));
                    }
                    for c in s.data_categories.pick(lang, ctl) {
                        assert_has(body, c, &format!("{what} {id} category"));
                    }
                    for r in s.recipients.names(lang, ctl) {
                        assert_has(body, &r, &format!("{what} {id} recipient"));
                    }
                    assert_has(body, s.retention.description.pick(lang, ctl), &format!("{what} {id} retention"));
                    assert_has(body, &words::source(s.source.pick(lang, ctl), lang), &format!("{what} {id} source"));
                    for t in &s.transfers {
                        assert_has(body, &words::country(&t.country, lang), &format!("{what} {id} transfer country"));
                        assert_has(body, words::safeguard(t.safeguard, lang), &format!("{what} {id} safeguard"));
                    }
                    assert_has(body, &format!("22 {}", words::law(d.case.jurisdiction, lang)), &format!("{what} {id} automated decisions"));
                }
            }
            // Systems searched without result are not listed.
            for s in d.register.systems.iter().filter(|s| !listed.contains(&s.id.as_str())) {
                assert!(!squash(&text).contains(&squash(s.name.pick(lang, ctl))), "{what}: {} listed without data", s.id);
            }
            let authority = &d.register.controller.supervisory_authority;
            assert_has(&body, &authority.name, &what);
            for l in authority.address.iter().flatten() {
                assert_has(&body, l, &what);
            }
            for w in rights_words(lang) {
                assert_has(&body, w, &format!("{what} rights"));
            }
            assert_eq!(letter.file_name, format!("{}-access-response-{}.pdf", d.case.reference, lang.code()));
        }
    }
}

#[test]
fn every_kind_renders_in_every_language_as_a_valid_pdf() {
    let d = desk("jaimo", Language::De);
    for lang in LANGS {
        let mut subjects = Vec::new();
        for kind in LetterKind::ALL {
            let composed = compose(&d, *kind, lang, reasons(), &Templates::builtin()).unwrap_or_else(|e| panic!("{kind}/{lang}: {e}"));
            let l = &composed.letter;
            assert_eq!((l.kind, l.language), (*kind, lang));
            assert!(!l.subject_line.is_empty() && !l.text.trim().is_empty(), "{kind}/{lang}");
            qpdf_check(&l.pdf);
            let text = pdf_text(&l.pdf, None);
            assert_has(&text, &d.case.reference.to_string(), &format!("{kind}/{lang} reference"));
            assert_has(&text, &l.subject_line, &format!("{kind}/{lang} subject"));
            assert!(l.text.contains("Jana Beispiel"), "{kind}/{lang}: salutation");
            if kind.needs_reasons() {
                assert_has(&text, "reason two.", &format!("{kind}/{lang} reasons"));
            }
            subjects.push(l.subject_line.clone());
        }
        assert!(subjects.iter().filter(|s| s.contains(&d.case.reference.to_string())).count() == 0, "no reference in subject lines");
    }
}

#[test]
fn a_refusal_without_its_legal_ground_is_refused_at_that_field() {
    let d = desk("jaimo", Language::En);
    let err = compose(&d, LetterKind::Refusal, Language::En, reasons_without_ground(), &Templates::builtin()).unwrap_err();
    assert!(err.is_user_error() && err.to_string().starts_with("ground:"), "{err}");
}

fn reasons_without_ground() -> LetterExtra {
    LetterExtra { ground: None, ..reasons() }
}

#[test]
fn letters_that_need_reasons_are_refused_without_them() {
    let d = desk("jaimo", Language::En);
    for kind in [LetterKind::Refusal, LetterKind::ObjectionRejected, LetterKind::ExtensionNotice] {
        let ground = (kind == LetterKind::Refusal).then_some(letters::RefusalGround::Art12Unfounded);
        let err = compose(&d, kind, Language::En, LetterExtra { ground, ..LetterExtra::default() }, &Templates::builtin()).unwrap_err();
        assert!(err.is_user_error() && err.to_string().contains("reasons"), "{kind}: {err}");
    }
}

#[test]
fn subject_text_with_markup_template_syntax_rtl_and_emoji_is_printed_literally() {
    let hostile = "<script>alert(1)</script> &amp; {{ 7*7 }} {% if true %}x{% endif %} مرحبا שלום 👍";
    let d = desk_with(&data("registers/jaimo.json"), "jaimo", Language::En, hostile, vec![hostile.into()]);
    let extra = LetterExtra { reasons: Some(hostile.into()), notes: Some(hostile.into()), ground: Some(letters::RefusalGround::Art12Unfounded), fee: Some(hostile.into()), encrypted_bundle: false };
    let composed = compose(&d, LetterKind::Refusal, Language::En, extra, &Templates::builtin()).unwrap();
    let l = &composed.letter;
    assert!(l.text.contains(&format!("Dear {hostile},")), "{}", l.text);
    assert_eq!(l.text.matches(hostile).count(), 3, "salutation, reasons, notes:\n{}", l.text);
    assert!(!l.text.contains("&lt;") && !l.text.contains("&amp;amp;") && !l.text.contains("49"), "escaped or evaluated:\n{}", l.text);
    qpdf_check(&l.pdf);
    let text = pdf_text(&l.pdf, None);
    for part in ["<script>alert(1)</script>", "&amp;", "{{ 7*7 }}", "{% if true %}x{% endif %}", "👍", "مرحبا", "שלום"] {
        assert_has(&text, part, "PDF text");
    }
    assert!(!text.contains("&lt;") && !text.contains("49"), "escaped or evaluated in the PDF:\n{text}");
}

#[test]
fn a_register_with_many_systems_gives_numbered_pages_each_with_the_reference() {
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data("registers/jaimo.json")).unwrap()).unwrap();
    let template = doc["systems"][0].clone();
    let systems: Vec<serde_json::Value> = (1..=24)
        .map(|i| {
            let mut s = template.clone();
            s["id"] = format!("sys-{i:02}").into();
            s["name"] = format!("System Nummer {i:02}").into();
            s
        })
        .collect();
    doc["systems"] = systems.into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let d = desk_with(&file, "", Language::De, "Jana Beispiel", vec![]);
    let letter = compose(&d, LetterKind::AccessResponse, Language::De, LetterExtra::default(), &Templates::builtin()).unwrap().letter;
    let pages = page_count(&letter.pdf);
    assert!(pages >= 4, "{pages} pages");
    let reference = d.case.reference.to_string();
    for p in 1..=pages {
        let text = pdf_text(&letter.pdf, Some(p));
        assert!(text.contains(&reference), "page {p} lacks the reference");
        assert!(text.contains(&format!("Seite {p} von {pages}")), "page {p}: no 'Seite {p} von {pages}' in\n{text}");
    }
    let all = pdf_text(&letter.pdf, None);
    for i in 1..=24 {
        assert_has(&all, &format!("System Nummer {i:02}"), "every system listed");
    }
    qpdf_check(&letter.pdf);
}

fn parse_register(name: &str) -> Register {
    let path = data(&format!("registers/{name}.json"));
    register::parse(&std::fs::read_to_string(&path).unwrap(), path.parent().unwrap()).unwrap()
}

#[test]
fn completeness_finds_what_an_art15_answer_would_lack() {
    let jaimo = parse_register("jaimo");
    let gaps = letters::completeness(&jaimo, &["dashboard", "slack"], Language::De);
    assert!(gaps.iter().any(|g| g.system_id.as_deref() == Some("slack") && g.field == "retention.description"), "{gaps:?}");
    // The published register leaves the dashboard's recipients empty without saying that
    // nobody receives the data (RULES.md §3: "none" only when the register says so).
    let dashboard: Vec<&str> = gaps.iter().filter(|g| g.system_id.as_deref() == Some("dashboard")).map(|g| g.field.as_str()).collect();
    assert_eq!(dashboard, ["recipients"], "{gaps:?}");

    // A transfer without a safeguard is refused at import now (issue 12 item 3): the letter
    // never has to admit one; in a register built in memory it is still a gap.
    let mut websmart = parse_register("websmart");
    let before = letters::completeness(&websmart, &["messenger", "crm"], Language::De);
    assert!(before.iter().all(|g| !g.field.starts_with("transfers")), "{before:?}");
    websmart.systems.iter_mut().find(|s| s.id == "messenger").unwrap().transfers[0].safeguard = dsar::register::Safeguard::None;
    let gaps = letters::completeness(&websmart, &["messenger", "crm"], Language::De);
    let added: Vec<_> = gaps.iter().filter(|g| !before.contains(g)).map(|g| (g.system_id.as_deref(), g.field.as_str())).collect();
    assert_eq!(added, [(Some("messenger"), "transfers/0/safeguard")]);

    let minimal = parse_register("minimal");
    let gaps = letters::completeness(&minimal, &[], Language::De);
    assert!(gaps.iter().any(|g| g.system_id.is_none() && g.field == "controller.supervisory_authority.address"), "{gaps:?}");

    let mut adm = parse_register("jaimo");
    adm.systems[0].automated_decision_making = true;
    adm.systems[0].logic = None;
    let gaps = letters::completeness(&adm, &["dashboard"], Language::En);
    assert!(gaps.iter().any(|g| g.field == "logic"), "{gaps:?}");
    assert!(gaps.iter().all(|g| !g.fix.is_empty() && !g.problem.is_empty()));
}

#[test]
fn a_firm_template_overrides_the_built_in_one() {
    let d = desk("jaimo", Language::De);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("de")).unwrap();
    std::fs::write(
        dir.path().join("de/acknowledgement.j2"),
        r#"{% extends "de/_layout.j2" %}{% block subject %}Eingangsbestätigung der Kanzlei{% endblock %}{% block body %}<p>Kanzlei-Text zu {{ case.reference }}</p>{% endblock %}"#,
    )
    .unwrap();
    let templates = Templates::with_overrides(dir.path());
    let l = compose(&d, LetterKind::Acknowledgement, Language::De, LetterExtra::default(), &templates).unwrap().letter;
    assert_eq!(l.subject_line, "Eingangsbestätigung der Kanzlei");
    assert!(l.text.contains(&format!("Kanzlei-Text zu {}", d.case.reference)), "{}", l.text);
    assert_has(&pdf_text(&l.pdf, None), "Kanzlei-Text zu", "override in the PDF");
    // Other kinds and languages still come from the built-in templates.
    let other = compose(&d, LetterKind::Acknowledgement, Language::En, LetterExtra::default(), &templates).unwrap().letter;
    assert!(!other.text.contains("Kanzlei"));

    std::fs::write(dir.path().join("de/refusal.j2"), r#"{% extends "de/_layout.j2" %}{% block body %}<marquee>x</marquee>{% endblock %}"#).unwrap();
    let err = compose(&d, LetterKind::Refusal, Language::De, reasons(), &templates).unwrap_err();
    let msg = err.to_string();
    assert!(err.is_user_error() && msg.contains("de/refusal.j2") && msg.contains("<marquee>"), "{msg}");
}

fn cli_desk() -> (TempDb, String) {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", data("registers/jaimo.json").to_str().unwrap()]));
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", "Jana Beispiel", "--email", "jana@example.org", "--received", "2026-11-02"]));
    (db, reference.trim().to_string())
}

#[test]
fn cli_refuses_a_final_letter_with_gaps_drafts_it_or_records_the_accepted_gaps() {
    let (db, reference) = cli_desk();
    let out = db.dir.path().join("antwort.pdf");
    // Final: refused, one line per gap, nothing written (RULES.md §3: no placeholders go out).
    let o = db.dsar(&["letter", &reference, "--kind", "access-response", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("system slack, retention.description") && err.contains("--accept-gaps --reason"), "{err}");
    assert!(!out.exists());
    // Draft: written, marked on every page, nothing recorded.
    let draft = db.dir.path().join("entwurf.pdf");
    ok(db.dsar(&["letter", &reference, "--kind", "access-response", "--draft", "--out", draft.to_str().unwrap()]));
    let draft_pdf = std::fs::read(&draft).unwrap();
    let pages = pdf_text(&draft_pdf, None);
    let page_count = pages.matches('\u{c}').count().max(1);
    assert!(pages.matches("ENTWURF").count() >= page_count, "every page says ENTWURF: {pages}");
    let o = db.dsar(&["letter", &reference, "--kind", "access-response", "--draft", "--send", "--out", draft.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a draft is never sent");
    let timeline = ok(db.dsar(&["case", "timeline", &reference, "--json"]));
    assert!(!timeline.contains("letter.saved"), "a draft records nothing: {timeline}");
    let o = db.dsar(&["letter", &reference, "--kind", "access-response", "--accept-gaps", "--reason", "  ", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "an accepted gap needs a reason");
    let o = db.dsar(&["letter", &reference, "--kind", "access-response", "--accept-gaps", "--reason", "Slack-Frist beim Anbieter angefragt", "--out", out.to_str().unwrap()]);
    let err = stderr(&o);
    ok(o);
    assert!(err.contains("system slack, retention.description") && err.contains("(accepted)"), "{err}");
    assert!(err.contains("still being checked"), "{err}");
    assert!(!err.contains("Jana"), "no personal data on stderr: {err}");
    let pdf = std::fs::read(&out).unwrap();
    qpdf_check(&pdf);
    assert_has(&pdf_text(&pdf, None), "Auskunft", "German by default (the controller's language)");

    let timeline: serde_json::Value = serde_json::from_str(&ok(db.dsar(&["case", "timeline", &reference, "--json"]))).unwrap();
    let saved = timeline.as_array().unwrap().iter().find(|e| e["action"] == "letter.saved").expect("letter.saved event");
    let sha = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&pdf))
    };
    assert_eq!(saved["details"]["sha256"], sha.as_str());
    assert_eq!(saved["details"]["kind"], "access-response");
    assert_eq!(saved["details"]["language"], "de");
    assert_eq!(saved["details"]["gaps_accepted"], "Slack-Frist beim Anbieter angefragt");
    assert!(saved["details"]["gap_fields"].as_array().unwrap().iter().any(|f| f == "slack:retention.description"), "{saved}");
    assert!(!saved["details"].to_string().contains("Jana"), "no personal data in the audit trail");
    ok(db.dsar(&["audit", "verify"]));

    let en = db.dir.path().join("en.pdf");
    ok(db.dsar(&["letter", &reference, "--kind", "acknowledgement", "--lang", "en", "--out", en.to_str().unwrap()]));
    assert_has(&pdf_text(&std::fs::read(&en).unwrap(), None), "confirmation of receipt", "--lang en");
}

#[test]
fn cli_saves_the_letter_as_an_eml_with_the_pdf_and_stores_it_on_the_case() {
    let (db, reference) = cli_desk();
    let pdf = db.dir.path().join("ack.pdf");
    let eml = db.dir.path().join("ack.eml");
    let printed = ok(db.dsar(&["letter", &reference, "--kind", "acknowledgement", "--out", pdf.to_str().unwrap(), "--eml", eml.to_str().unwrap()]));
    assert!(printed.contains("e-mail saved to"), "{printed}");
    let raw = std::fs::read_to_string(&eml).unwrap();
    assert!(raw.contains("Message-ID:") && raw.contains("To: ") && raw.contains("application/pdf"), "{raw}");
    assert!(raw.contains(&reference), "the subject line carries the reference");
    let timeline = ok(db.dsar(&["case", "timeline", &reference, "--json"]));
    assert!(timeline.contains("letter.saved") && timeline.contains("document.saved"), "{timeline}");
    ok(db.dsar(&["audit", "verify"]));
}

#[test]
fn cli_refuses_bad_letter_requests_with_one_line() {
    let (db, reference) = cli_desk();
    let out = db.dir.path().join("x.pdf");
    let out = out.to_str().unwrap();
    for (args, expect) in [
        (vec!["letter", reference.as_str(), "--kind", "acess-response", "--out", out], "unknown letter kind"),
        (vec!["letter", reference.as_str(), "--kind", "refusal", "--out", out], "--ground: a refusal must name its legal ground"),
        (vec!["letter", reference.as_str(), "--kind", "refusal", "--ground", "art99", "--out", out], "unknown ground"),
        (vec!["letter", reference.as_str(), "--kind", "refusal", "--ground", "uavg-41", "--reasons", "x", "--out", out], "uavg-41 does not apply"),
        (vec!["letter", reference.as_str(), "--kind", "refusal", "--ground", "art15-4", "--out", out], "reasons"),
        (vec!["letter", reference.as_str(), "--kind", "acknowledgement", "--ground", "art15-4", "--out", out], "only a refusal takes a ground"),
        (vec!["letter", reference.as_str(), "--kind", "no-data", "--lang", "fr", "--out", out], "unknown language"),
        (vec!["letter", "DSAR-2026-0099", "--kind", "no-data", "--out", out], "no case DSAR-2026-0099"),
        (vec!["letter", reference.as_str(), "--kind", "acknowledgement", "--out", out, "--send"], "no mail server configured"),
    ] {
        let o = db.dsar(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expect) && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn no_data_is_refused_while_a_system_holds_data_or_is_unsearched_and_never_claims_absence_beyond_the_search() {
    // RULES.md §3, issue 12 item 8: Jaimo's case has records in some systems, a manual one
    // (Gmail) and an error (CleverReach): every one of them keeps the no-data letter back.
    let d = desk("jaimo", Language::En);
    let c = compose(&d, LetterKind::NoData, Language::En, LetterExtra::default(), &Templates::builtin()).unwrap();
    let lacks = c.unrecorded.join("\n");
    assert!(lacks.contains("system dashboard holds") && lacks.contains("answer with access-response"), "{lacks}");
    assert!(lacks.contains("system gmail has not been searched to the end"), "{lacks}");
    for (lang, never) in [(Language::En, "we do not process any personal data"), (Language::De, "keine personenbezogenen Daten über Sie verarbeiten"), (Language::Nl, "geen persoonsgegevens over u verwerken")] {
        let l = compose(&d, LetterKind::NoData, lang, LetterExtra::default(), &Templates::builtin()).unwrap().letter;
        assert!(!l.text.contains(never), "{lang:?} claims absence beyond the search: {}", l.text);
    }
    let (db, reference) = cli_desk();
    let out = db.dir.path().join("nodata.pdf");
    let o = db.dsar(&["letter", &reference, "--kind", "no-data", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn the_art_15_4_sentence_is_not_claimed_when_nothing_was_withheld() {
    // RULES.md §3 / issue 12 item 7: the desk records no withholding, so no letter says it.
    for (lang, cite) in [(Language::De, "Art. 15 Abs. 4"), (Language::En, "Art. 15(4)"), (Language::Nl, "art. 15 lid 4")] {
        let d = desk("jaimo", lang);
        let l = compose(&d, LetterKind::AccessResponse, lang, LetterExtra::default(), &Templates::builtin()).unwrap().letter;
        assert!(!l.text.contains(cite), "{lang:?}: {}", l.text);
    }
}

#[test]
fn an_art_49_derogation_is_shown_with_the_transfers_not_among_the_legal_bases() {
    let d = desk("websmart", Language::En);
    let l = compose(&d, LetterKind::AccessResponse, Language::En, LetterExtra::default(), &Templates::builtin()).unwrap().letter;
    // The CRM lists art49-1-b among its bases without a transfer marked art49.
    // Past the summary at the top, which names the systems too.
    let detail = l.text.split("Information about the processing").nth(1).expect("the detail");
    let crm = detail.split("Kunden- und Vertragsverwaltung").nth(1).expect("the CRM's block");
    let basis = crm.split("Legal basis:").nth(1).and_then(|t| t.split("Recipients:").next()).unwrap_or("");
    assert!(!basis.contains("Art. 49"), "among the legal bases: {basis}");
    let transfers = crm.split("Transfers to third countries:").nth(1).and_then(|t| t.split("Automated").next()).unwrap_or("");
    assert!(transfers.contains("Art. 49(1)(b) GDPR"), "with the transfers: {transfers}");
}

#[test]
fn a_refusal_names_its_chosen_ground_in_the_letters_language() {
    let (db, reference) = cli_desk();
    let out = db.dir.path().join("refusal.pdf");
    for (lang, words) in [
        ("de", "offenkundig exzessiv, insbesondere wegen häufiger Wiederholung (Art. 12 Abs. 5 Satz 2 lit. b DSGVO)"),
        ("en", "manifestly excessive, in particular because it is repetitive (Art. 12(5)(b) GDPR)"),
        ("nl", "buitensporig, met name vanwege het repetitieve karakter"),
    ] {
        ok(db.dsar(&["letter", &reference, "--kind", "refusal", "--ground", "art12-5-excessive", "--reasons", "Dritter Antrag in vier Wochen.", "--lang", lang, "--out", out.to_str().unwrap()]));
        let text = pdf_text(&std::fs::read(&out).unwrap(), None);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(words) && flat.contains("Dritter Antrag in vier Wochen."), "{lang}: {flat}");
        assert!(!flat.contains("Art. 12 Abs. 4 und 5") && !flat.contains("Art. 12(4) and (5)"), "the chosen ground, not both: {flat}");
    }
    ok(db.dsar(&["letter", &reference, "--kind", "refusal", "--ground", "bdsg-34", "--reasons", "Nur Archivdaten.", "--out", out.to_str().unwrap()]));
    let flat = pdf_text(&std::fs::read(&out).unwrap(), None).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("§ 34 Abs. 1 Nr. 2 BDSG") && flat.contains("Art. 77"), "ground, complaint: {flat}");
}

#[test]
fn dutch_letters_name_the_registers_authority_and_the_uavg_court_route_only_for_dutch_firms() {
    let german = desk("jaimo", Language::Nl);
    let text = compose(&german, LetterKind::Refusal, Language::Nl, reasons(), &Templates::builtin()).unwrap().letter.text;
    assert!(text.contains("Baden-Württemberg") && !text.contains("Autoriteit Persoonsgegevens") && !text.contains("UAVG"), "{text}");

    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data("registers/jaimo.json")).unwrap()).unwrap();
    doc["controller"]["country"] = "NL".into();
    doc["controller"]["region"] = "NL".into();
    doc["controller"]["language"] = "nl".into();
    doc["controller"]["supervisory_authority"] = serde_json::json!({"name": "Autoriteit Persoonsgegevens", "address": ["Postbus 93374", "2509 AJ Den Haag"]});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nl.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let dutch = desk_with(&file, "jaimo", Language::Nl, "Jan de Vries", vec![]);
    let text = compose(&dutch, LetterKind::Refusal, Language::Nl, reasons(), &Templates::builtin()).unwrap().letter.text;
    assert!(text.contains("Autoriteit Persoonsgegevens\nPostbus 93374") && text.contains("binnen zes weken") && text.contains("art. 35 UAVG"), "{text}");
    assert!(text.starts_with("Geachte Jan de Vries,"), "{text}");
}

#[test]
fn partial_erasure_claims_nothing_the_desk_has_not_recorded() {
    // Without a plan carried out and verified (tests/acting.rs has the full flow), the letter
    // names no retained, erased or informed party, and compose says what is missing.
    let d = desk("jaimo", Language::De);
    let c = compose(&d, LetterKind::ErasurePartial, Language::De, LetterExtra::default(), &Templates::builtin()).unwrap();
    for claim in ["Fastbill (Rechnungen)", "Fastbill GmbH", "unterrichtet"] {
        assert!(!c.letter.text.contains(claim), "claims {claim:?} without a record:\n{}", c.letter.text);
    }
    assert!(c.unrecorded.iter().any(|u| u.contains("dsar case plan")), "{:?}", c.unrecorded);
    assert!(c.letter.text.contains("Art. 17 Abs. 3 lit. b DSGVO)") && !c.letter.text.contains("BDSG"), "{}", c.letter.text);
    let en = compose(&d, LetterKind::ErasurePartial, Language::En, LetterExtra::default(), &Templates::builtin()).unwrap();
    assert!(en.letter.text.contains("Art. 17(3)(b) GDPR)") && !en.letter.text.contains("Retention period"), "{}", en.letter.text);
}

/// Every gap kind made once, from systems written to lack one thing each: the codes are
/// exactly `GAP_CODES` (the desktop words each of them), each with the parameters listed there.
#[test]
fn every_gap_code_is_in_the_one_list_with_its_parameters() {
    use serde_json::json;
    let mut reg = parse_register("jaimo");
    let base = serde_json::to_value(&reg.systems[0]).unwrap();
    let system = |id: &str, changes: serde_json::Value| -> dsar::register::System {
        let mut v = base.clone();
        v["id"] = json!(id);
        v["name"] = json!({"de": "System", "en": "System"});
        v["role"] = json!("internal");
        v["recipients"] = json!([]);
        v["no_recipients"] = json!(true);
        v["transfers"] = json!([]);
        for (k, x) in changes.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).unwrap()
    };
    let systems = vec![
        system("a", json!({"purposes": ["Keine Angabe"], "data_categories": [], "legal_bases": []})),
        system("b", json!({"role": "processor", "recipients": [], "no_recipients": false})),
        system("c", json!({"no_recipients": false, "recipients": [{"category": "IT-Dienstleister"}]})),
        system("d", json!({"legal_bases": ["art6-1-f", "art6-1-b"], "purposes": ["Vertrag", "Werbung"], "automated_decision_making": true, "retention": {"description": "k. A."}, "source": "?"})),
        system("e", json!({"source": "Dritte", "transfers": [{"country": "US", "safeguard": "none"}, {"country": "IN", "safeguard": "art49"}]})),
        system("f", json!({"recipients": [], "no_recipients": false})),
        system("g", json!({
            "name": "Kundenliste", "purposes": ["Vertrag"], "data_categories": ["Name"], "recipients": [{"category": "IT-Dienstleister"}],
            "retention": {"description": "bis Vertragsende"}, "source": "Shop", "legitimate_interest": "Werbung", "logic": "Punkte", "significance": "Rabatt",
            "purpose_bases": [{"purpose": "Vertrag", "legal_bases": ["art6-1-b"]}], "transfers": [{"country": "CH", "safeguard": "adequacy", "note": "Schweiz"}],
            "statutory_retention": [{"applies_to": "Rechnungen", "law": "§ 147 AO", "period": "P10Y"}]
        })),
    ];
    reg.systems.extend(systems);
    reg.controller.supervisory_authority.name = "n/a".into();
    reg.controller.supervisory_authority.address = None;
    let ids = ["a", "b", "c", "d", "e", "f", "g"];
    let mut gaps = letters::completeness(&reg, &ids, Language::De);
    gaps.extend(letters::completeness(&reg, &["g"], Language::En));
    let made: std::collections::BTreeSet<&str> = gaps.iter().map(|g| g.code).collect();
    let listed: std::collections::BTreeSet<&str> = letters::GAP_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(listed.len(), letters::GAP_CODES.len(), "a code listed twice");
    assert_eq!(made, listed, "made but not listed, or listed but never made");
    for g in &gaps {
        let names = letters::GAP_CODES.iter().find(|(c, _)| *c == g.code).unwrap().1;
        let given: Vec<&str> = g.params.iter().map(|(n, _)| *n).collect();
        assert_eq!(given, names, "{g:?}");
        assert!(g.params.iter().all(|(_, v)| !v.is_empty()), "{g:?}");
        assert!(!g.problem.is_empty() && !g.fix.is_empty());
    }
    let cat = gaps.iter().find(|g| g.code == "recipients-categories-only").unwrap();
    assert_eq!(cat.params, [("categories", "IT-Dienstleister".to_string())]);
    let tr = gaps.iter().find(|g| g.code == "translation.source").unwrap();
    assert_eq!(tr.params, [("language", "en".to_string()), ("register_language", "de".to_string())]);
}
