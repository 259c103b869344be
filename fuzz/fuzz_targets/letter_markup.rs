//! The letter markup (src/letters/markup.rs, crate-private) through its only public entry,
//! `dsar::letters::render`: a firm's template override is the fuzz text inside
//! `{% raw %}…{% endraw %}`, so minijinja passes it through unchanged and the bytes reach
//! the markup reader — then the PDF layout and writer (`pdf::render`) with whatever
//! document it built (table widths, colspans, nesting, entities, CDATA, bidi text).
//! Inputs holding `endraw` are skipped: they would fuzz minijinja, not the markup.
#![no_main]

use dsar::domain::{Language, Subject};
use dsar::letters::{self, LetterExtra, LetterInput, LetterKind, Templates};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markup) = std::str::from_utf8(data) else { return };
    if markup.contains("endraw") {
        return;
    }
    let dir = dsar_fuzz::scratch_dir().join("templates");
    dsar_fuzz::scratch_file("templates/en/acknowledgement.j2", format!("{{% raw %}}{markup}{{% endraw %}}").as_bytes());
    let templates = Templates::with_overrides(&dir);
    let register = dsar_fuzz::register(0);
    let subject = Subject { name: "Jana Beispiel".into(), address: vec!["Musterweg 1".into()], identifiers: Vec::new() };
    let case = dsar_fuzz::case(subject, Language::En, None);
    let deadline = case.deadline(&Default::default()).expect("fixture deadline");
    let extra = LetterExtra::default();
    let input = LetterInput {
        kind: LetterKind::Acknowledgement,
        case: &case,
        register,
        evidence: &[],
        results: &[],
        language: Language::En,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"),
        deadline: &deadline,
        extra: &extra,
        acted: &dsar::acting::Acted::default(),
        earlier_access: None,
    };
    match letters::render(&input, &templates) {
        Ok(letter) => {
            assert!(letter.pdf.starts_with(b"%PDF-"), "render returned something that is not a PDF");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
