//! `dsar::letters::render` with the built-in templates and hostile text where people type
//! it: the subject's name and address (often copied from the request itself), the DPO's
//! reasons and notes and the extension reason — for every letter kind, language and fixture
//! firm. The text must come out as text (auto-escaped, then unescaped by the markup reader)
//! and lay out in the PDF whatever its scripts, directions and control characters.
#![no_main]

use dsar::domain::{Language, Subject};
use dsar::letters::{self, LetterExtra, LetterInput, LetterKind, Templates};
use libfuzzer_sys::fuzz_target;

/// Input: `kind language firm` (three bytes), then UTF-8 text split at U+001F (unit
/// separator) into name, address (lines), reasons, notes and extension reason; a missing or
/// empty part is "not given".
struct Input {
    kind: u8,
    language: u8,
    firm: u8,
    name: String,
    address: Vec<String>,
    reasons: Option<String>,
    notes: Option<String>,
    extension_reason: Option<String>,
}

impl Input {
    fn read(data: &[u8]) -> Option<Input> {
        let (head, rest) = data.split_at_checked(3)?;
        let text = std::str::from_utf8(rest).ok()?;
        let mut parts = text.split('\u{1f}');
        let mut next = || parts.next().filter(|p| !p.is_empty()).map(str::to_string);
        let name = next().unwrap_or_default();
        let address = next().map(|a| a.lines().map(str::to_string).collect()).unwrap_or_default();
        Some(Input { kind: head[0], language: head[1], firm: head[2], name, address, reasons: next(), notes: next(), extension_reason: next() })
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    let kind = LetterKind::ALL[usize::from(input.kind) % LetterKind::ALL.len()];
    let language = Language::ALL[usize::from(input.language) % Language::ALL.len()];
    let register = dsar_fuzz::register(usize::from(input.firm));
    let subject = Subject { name: input.name, address: input.address.into_iter().take(8).collect(), identifiers: Vec::new() };
    let case = dsar_fuzz::case(subject, language, input.extension_reason);
    let deadline = case.deadline(&Default::default()).expect("fixture deadline");
    // The ground (refusals only) rides on the language byte's upper part: none or any.
    let grounds = letters::RefusalGround::ALL;
    let pick = usize::from(input.language) / Language::ALL.len() % (grounds.len() + 1);
    let ground = pick.checked_sub(1).map(|i| grounds[i]);
    // A fee notice takes its fee from the notes (hostile text there too); the copy's
    // encryption paragraph rides on the firm byte's upper bit.
    let fee = input.notes.clone();
    let extra = LetterExtra { reasons: input.reasons, notes: input.notes, ground, fee, encrypted_bundle: input.firm >= 128 };
    let letter_input = LetterInput {
        kind,
        case: &case,
        register,
        evidence: &[],
        results: &[],
        language,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"),
        deadline: &deadline,
        extra: &extra,
        acted: &dsar::acting::Acted::default(),
        earlier_access: None,
    };
    thread_local!(static TEMPLATES: Templates = Templates::builtin());
    TEMPLATES.with(|templates| match letters::render(&letter_input, templates) {
        Ok(letter) => {
            assert!(letter.pdf.starts_with(b"%PDF-"), "render returned something that is not a PDF");
        }
        Err(e) => {
            // The built-in templates never fail on user text (a PDF error is a program
            // fault, `is_user_error` says); only missing reasons, a missing fee or a ground of
            // another law may be refused.
            assert!(
                matches!(
                    e,
                    letters::LetterError::MissingReasons { .. }
                        | letters::LetterError::MissingFee
                        | letters::LetterError::MissingGround
                        | letters::LetterError::GroundNotApplicable { .. }
                ),
                "built-in template failed on user text: {e}"
            );
        }
    });
});
