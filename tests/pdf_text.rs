//! PDF text fidelity (issue 12 item 15): the text `pdftotext` extracts from a rendered PDF is
//! the text that was composed — every word, every hyphen, ligatures as their letters.
//!
//! What "equal" means ([`same_text`]), the same rule for both sides:
//! - the non-whitespace characters are identical and in the same order: nothing dropped,
//!   added or replaced; hyphens, dashes and punctuation are never normalised;
//! - where the composed text has whitespace the PDF has whitespace (a space or a line break);
//! - a space inside a PDF line stands for whitespace in the composed text; only a *line break*
//!   may fall inside a word, because layout puts it there (after a hyphen of a compound wider
//!   than its column, or inside a word wider than the line).
//!
//! Two extraction modes:
//! - `pdftotext -raw` (content order, the text as drawn) must be equal in every case;
//! - plain `pdftotext` (reading order, what the lawyer ran) undoes hyphenation: poppler deletes
//!   a U+002D ending any line and joins the lines (TextOutputDev.cc: `hyphenated =
//!   text[len - 1] == '-'`). The layout therefore never ends a line with a hyphen it can
//!   avoid, and plain `pdftotext` must be equal too — except where the composed text itself
//!   forces a line to end in a hyphen (a line break right after one, a compound wider than a
//!   line), which no PDF can protect from that heuristic.
//!
//! Needs `pdftotext` (poppler-utils; scripts/test.sh installs it). Without it the tests say so
//! and pass, unless `CI` is set.

mod common;

use std::process::Command;

use common::*;
use dsar::cases::{self, NewCase};
use dsar::domain::{Channel, IdentifierKind, Language, Right};
use dsar::evidence::{self, Found, PullStatus, SystemResult};
use dsar::letters::{self, LetterExtra, LetterKind, LetterRequest, Templates};
use dsar::pdf::{render, Block, Cell, Document, Row, Span, Table, TableStyle};
use dsar::register_store;

/// Extraction mode of `pdftotext`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// `-raw`: content-stream order, no dehyphenation.
    Raw,
    /// No option: reading order, with poppler's dehyphenation.
    Reading,
}

/// The PDF's text as poppler extracts it, or `None` (with a message) when `pdftotext` is missing.
fn pdftotext(pdf: &[u8], mode: Mode) -> Option<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let mut cmd = Command::new("pdftotext");
    if mode == Mode::Raw {
        cmd.arg("-raw");
    }
    match cmd.args(["-enc", "UTF-8"]).arg(&path).arg("-").output() {
        Ok(o) => {
            assert!(o.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8(o.stdout).expect("pdftotext -enc UTF-8 prints UTF-8"))
        }
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "pdftotext missing on CI ({e}): install poppler-utils (scripts/ensure-packages.sh)");
            eprintln!("SKIPPED: pdftotext not found ({e}); install poppler-utils (scripts/test.sh does) to run the PDF text checks");
            None
        }
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document { title: "T".into(), language: "de".into(), header: "Kopf".into(), page_label: "Seite {page} von {pages}".into(), date: None, blocks }
}

/// The PDF's text without the running header and page label (layout-only: they are not in
/// the composed text) and with pages joined.
fn body_lines(extracted: &str, is_header: impl Fn(&str) -> bool) -> Vec<String> {
    extracted
        .split('\u{c}')
        .flat_map(|page| page.lines())
        .filter(|l| !is_header(l) && !is_page_label(l))
        .map(str::to_string)
        .collect()
}

/// "Seite 2 von 5", "Page 2 of 5", "Pagina 2 van 5" exactly.
fn is_page_label(line: &str) -> bool {
    let w: Vec<&str> = line.split_whitespace().collect();
    w.len() == 4
        && ["Page", "Seite", "Pagina"].contains(&w[0])
        && ["of", "von", "van"].contains(&w[2])
        && w[1].chars().all(|c| c.is_ascii_digit())
        && w[3].chars().all(|c| c.is_ascii_digit())
}

fn whitespace_at(s: &[char], mut i: usize) -> (usize, bool, bool) {
    let (mut any, mut newline) = (false, false);
    while let Some(c) = s.get(i).filter(|c| c.is_whitespace()) {
        any = true;
        newline |= *c == '\n';
        i += 1;
    }
    (i, any, newline)
}

/// Checks `extracted` against `composed` under the rule in the module comment. With
/// `table_colons`, a `:` in the composed text directly before whitespace, where the PDF has
/// whitespace instead (a line break in reading order, a space in `-raw` when label and value
/// share a baseline), is the text form of a table's column gap (`label: value`, see
/// src/letters/markup.rs `table_text`) and is not required in the PDF.
fn same_text(composed: &str, extracted: &str, table_colons: bool) -> Result<(), String> {
    let a: Vec<char> = composed.chars().collect();
    let b: Vec<char> = extracted.chars().collect();
    let (mut i, mut j) = (0, 0);
    let context = |s: &[char], at: usize| -> String { s[at.saturating_sub(40)..(at + 40).min(s.len())].iter().collect() };
    loop {
        let (ia, space_a, _) = whitespace_at(&a, i);
        let (jb, space_b, newline_b) = whitespace_at(&b, j);
        if table_colons && !space_a && space_b && a.get(ia) == Some(&':') && a.get(ia + 1).is_none_or(|c| c.is_whitespace()) && b.get(jb) != Some(&':') {
            i = ia + 1;
            continue;
        }
        let at = || format!("composed …{}… / PDF …{}…", context(&a, ia), context(&b, jb));
        if space_a && !space_b && jb < b.len() {
            return Err(format!("a space is missing in the PDF: {}", at()));
        }
        if !space_a && space_b && !newline_b && ia < a.len() {
            return Err(format!("the PDF splits a word within a line: {}", at()));
        }
        match (a.get(ia), b.get(jb)) {
            (None, None) => return Ok(()),
            (Some(x), Some(y)) if x == y => {
                i = ia + 1;
                j = jb + 1;
            }
            (x, y) => return Err(format!("composed has {x:?}, PDF has {y:?}: {}", at())),
        }
    }
}

#[test]
fn same_text_keeps_hyphens_and_words_and_allows_line_breaks_only() {
    assert!(same_text("Baden-Württemberg und mehr", "Baden-\nWürttemberg und\nmehr", false).is_ok());
    assert!(same_text("Baden-Württemberg", "BadenWürttemberg", false).is_err(), "a lost hyphen is a difference");
    assert!(same_text("Baden-Württemberg", "Baden‐Württemberg", false).is_err(), "U+2010 is not U+002D");
    assert!(same_text("zwei Wörter", "zweiWörter", false).is_err(), "a lost space is a difference");
    assert!(same_text("ein Wort", "ei n Wort", false).is_err(), "a space inside a line is a difference");
    assert!(same_text("offiziell", "oﬃziell", false).is_err(), "a ligature must extract as its letters");
    assert!(same_text("Zwecke: Vertrag", "Zwecke\nVertrag", true).is_ok());
    assert!(same_text("Zwecke: Vertrag", "Zwecke Vertrag", true).is_ok());
    assert!(same_text("Zwecke: Vertrag", "ZweckeVertrag", true).is_err(), "a column gap is whitespace");
    assert!(same_text("Zwecke: Vertrag", "Zwecke\nVertrag", false).is_err(), "colons only in letters' tables");
}

const HYPHENS: &str = "Baden-Württemberg E-Mail-Adresse Auskunfts-\nersuchen";
const LIGATURES: &str = "Auflistung offiziell effektiv fließend";

/// A narrow plain-table column (about 70 pt) forces breaks right after hyphens: the
/// compounds are wider than the column. `-raw` must return every hyphen and every ligature's
/// letters.
#[test]
fn hyphens_at_line_breaks_and_ligatures_extract_as_composed() {
    let composed = format!("{HYPHENS} {LIGATURES}");
    for bold in [false, true] {
        let span = Span { text: composed.clone(), bold };
        let table = Table { widths: vec![18.0, 82.0], style: TableStyle::Plain, rows: vec![Row { cells: vec![Cell { content: vec![span], colspan: 1 }, Cell { content: vec![], colspan: 1 }], header: false }] };
        let pdf = render(&doc(vec![Block::Table(table)])).expect("render");
        let Some(raw) = pdftotext(&pdf, Mode::Raw) else { return };
        let body = body_lines(&raw, |l| l == "Kopf").join("\n");
        // The column really is narrow: the compounds were broken after their hyphens (and in
        // bold "Württemberg" alone is wider than the column, so it is cut once more).
        for broken in ["Baden-\nWürttember", "E-Mail-\nAdresse", "Auskunfts-\nersuchen"] {
            assert!(body.contains(broken), "bold={bold}: expected a break in {broken:?}:\n{body}");
        }
        same_text(&composed, &body, false).unwrap_or_else(|e| panic!("bold={bold}: {e}\n{body}"));
    }
}

/// The lawyer's case: "Baden-Württemberg" near the end of a full-width line. Whatever text
/// precedes it, the compound is never broken at its hyphen (it fits on a line), so plain
/// `pdftotext` — which deletes a hyphen ending a line — returns it intact, and both modes
/// return the paragraph as composed.
#[test]
fn a_hyphenated_name_at_the_end_of_a_line_survives_plain_pdftotext() {
    let lead = "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit";
    let blocks: Vec<Block> = (0..24)
        .map(|k| Block::Paragraph(vec![Span::plain(format!("{}{lead} Baden-Württemberg, Ihre E-Mail-Adresse und {LIGATURES}.", "Wort ".repeat(k)))]))
        .collect();
    let composed: Vec<String> = blocks.iter().map(|b| match b { Block::Paragraph(s) => s[0].text.clone(), _ => String::new() }).collect();
    let pdf = render(&doc(blocks)).expect("render");
    for mode in [Mode::Raw, Mode::Reading] {
        let Some(text) = pdftotext(&pdf, mode) else { return };
        let body = body_lines(&text, |l| l == "Kopf").join("\n");
        assert!(!body.contains("BadenWürttemberg") && !body.contains("EMail"), "{mode:?}: a hyphen was lost:\n{body}");
        assert_eq!(body.matches("Baden-Württemberg").count(), 24, "{mode:?}: the name broken or missing:\n{body}");
        same_text(&composed.join("\n"), &body, false).unwrap_or_else(|e| panic!("{mode:?}: {e}\n{body}"));
    }
}

/// Every letter kind in every language for one fixture case (jaimo, with data in three
/// systems): the PDF's text equals the letter's plain text (`Letter::text`). Stripped, being
/// layout only:
/// - PDF: the running header (the line with " · " ending in the case reference) and the page
///   label on every page; everything up to the subject heading — the letterhead (address
///   window, date, references: `only="pdf"` in _layout.j2) and the subject, which the text
///   carries as the e-mail subject (checked equal to `subject_line` here); a table header
///   row repeated at the top of a page; the list bullet `•` at the start of a line.
/// - Text: the list marker `- ` at the start of a line; a table header's underline (a line
///   of dashes only); the `:` between a table label and its value (`table_colons`); the
///   sender block closing the e-mail (`only="text"` in _layout.j2: the controller's name,
///   address, e-mail and "…: REFERENCE"), which the PDF prints in its letterhead instead —
///   checked there line by line.
#[test]
fn every_letter_kind_and_language_extracts_as_its_composed_text() {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    let register = register_store::import_file(&mut store, &c, &data("registers/jaimo.json")).expect("register");
    let case = cases::create(
        &mut store,
        &c,
        NewCase {
            rights: vec![Right::Access, Right::Erasure],
            name: "Jana Beispiel".into(),
            address: vec!["Musterweg 1".into(), "12345 Musterstadt".into()],
            identifiers: vec![(IdentifierKind::Email, "jana@example.org".into())],
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: Some(Language::De),
            channel: Channel::Email,
        },
    )
    .expect("case");
    for s in &register.systems {
        let n = match s.id.as_str() {
            "dashboard" => 3,
            "slack" => 2,
            "fastbill" => 4,
            _ => 0,
        };
        let status = if s.id == "gmail" { PullStatus::Manual } else { PullStatus::Ok };
        let found: Vec<Found> = (0..n).map(|i| Found { dataset: "records".into(), locator: format!("row {i}"), record: serde_json::json!({"email": "jana@example.org", "n": i}) }).collect();
        let result = SystemResult { system_id: s.id.clone(), status, records: n as u64, duration_ms: 1, error: None, pulled_at: "2026-11-20T10:00:00Z".into() };
        store.write(|tx| evidence::replace_system(tx, &case.id, &result, &found)).expect("evidence");
    }
    let reference = case.reference.to_string();
    let extra = LetterExtra {
        reasons: Some("Grund eins / reason one.\n\nGrund zwei / reason two.".into()),
        notes: Some("Notiz / note.".into()),
        ground: Some(letters::RefusalGround::Art12Unfounded),
        fee: Some("25,00 EUR".into()),
        encrypted_bundle: true,
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for lang in [Language::De, Language::En, Language::Nl] {
        for kind in LetterKind::ALL {
            let req = LetterRequest { reference: reference.clone(), kind: *kind, language: Some(lang), extra: extra.clone() };
            let letter = match letters::compose(&store, date("2026-11-21"), &req, &Templates::builtin()) {
                Ok(c) => c.letter,
                Err(e) => {
                    failures.push(format!("{kind}/{lang}: not composed: {e}"));
                    continue;
                }
            };
            let (text, sender) = split_sender_block(&letter.text, &reference);
            let composed = text_side(text);
            for mode in [Mode::Raw, Mode::Reading] {
                let Some(extracted) = pdftotext(&letter.pdf, mode) else { return };
                let what = format!("{kind}/{lang}/{mode:?}");
                let (head, body) = match pdf_side(&extracted, &reference, &letter.subject_line, &header_rows(text)) {
                    Ok(b) => b,
                    Err(e) => {
                        failures.push(format!("{what}: {e}"));
                        continue;
                    }
                };
                for line in sender.lines().map(collapse).filter(|l| !l.is_empty()) {
                    if !collapse(&head).contains(&line) {
                        failures.push(format!("{what}: the e-mail's sender line {line:?} is not in the PDF's letterhead"));
                    }
                }
                if let Err(e) = same_text(&composed, &body, true) {
                    failures.push(format!("{what}: {e}"));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} letters differ:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(checked, 2 * 3 * LetterKind::ALL.len());
}

/// The letter's plain text and its closing sender block: the last paragraph, when its last
/// line ends in ": REFERENCE" (empty when there is none).
fn split_sender_block<'a>(text: &'a str, reference: &str) -> (&'a str, &'a str) {
    let trimmed = text.trim_end();
    match trimmed.rfind("\n\n") {
        Some(at) if trimmed.lines().last().is_some_and(|l| l.ends_with(&format!(": {reference}"))) => (&trimmed[..at], &trimmed[at + 2..]),
        _ => (text, ""),
    }
}

/// The letter's plain text without its list markers and table-header underlines.
fn text_side(text: &str) -> String {
    text.lines()
        .filter(|l| !(l.len() >= 3 && l.chars().all(|c| c == '-')))
        .map(|l| l.strip_prefix("- ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Table header rows of the text (the line above a line of dashes), which the PDF repeats at
/// the top of a page a table continues on.
fn header_rows(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).filter(|w| w[1].len() >= 3 && w[1].chars().all(|c| c == '-')).map(|w| w[0].to_string()).collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF's text before the end of the subject heading (the letterhead) and after it (the
/// body), without page furniture, repeated table headers and bullets.
fn pdf_side(extracted: &str, reference: &str, subject: &str, headers: &[String]) -> Result<(String, String), String> {
    let is_header = |l: &str| l.contains(" · ") && l.trim_end().ends_with(reference);
    let mut lines = Vec::new();
    let mut seen_headers: Vec<&str> = Vec::new();
    for (n, page) in extracted.split('\u{c}').enumerate() {
        let mut at_top = n > 0;
        for l in page.lines() {
            if is_header(l) || is_page_label(l) || (at_top && l.trim().is_empty()) {
                continue;
            }
            let repeated = headers.iter().find(|h| collapse(h) == collapse(l)).map(String::as_str);
            if let Some(h) = repeated {
                if at_top && seen_headers.contains(&h) {
                    at_top = false;
                    continue;
                }
                seen_headers.push(h);
            }
            at_top = false;
            lines.push(l.strip_prefix("• ").unwrap_or(l).to_string());
        }
    }
    let wanted = collapse(subject);
    let mut so_far = String::new();
    for (k, l) in lines.iter().enumerate() {
        so_far.push(' ');
        so_far.push_str(l);
        if collapse(&so_far).ends_with(&wanted) {
            return Ok((lines[..=k].join("\n"), lines[k + 1..].join("\n")));
        }
    }
    Err(format!("subject {subject:?} not found in the PDF:\n{}", lines.join("\n")))
}
