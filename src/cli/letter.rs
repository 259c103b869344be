//! `dsar letter`: render a letter for a case, write the PDF, record it, hand it to delivery.

use std::path::PathBuf;

use dsar::domain::Language;
use dsar::letters::{self, Letter, LetterExtra, LetterKind, LetterRequest, Templates};
use dsar::mail::{self, Delivery, LetterParts};

use super::args::LetterArgs;
use super::commands::{code, ctx};
use super::unlock::{db_path, open};
use super::{Cli, Failure};

/// A final letter is refused while the register has a gap for it (one line per gap) or the
/// desk lacks the record a confirmation needs; `--draft` previews it marked as a draft, and
/// `--accept-gaps --reason` sends it anyway with the reason audited.
pub fn letter_cmd(cli: &Cli, a: &LetterArgs) -> Result<(), Failure> {
    let kind: LetterKind = code(&a.kind)?;
    let language: Option<Language> = a.lang.as_deref().map(code).transpose()?;
    let mut store = open(cli)?;
    let c = ctx(cli);
    let templates = Templates::with_overrides(&template_dir(cli, a));
    let ground: Option<letters::RefusalGround> = a.ground.as_deref().map(code).transpose()?;
    // SPEC §8: a refusal names its legal ground; other kinds take none.
    match (kind, ground) {
        (LetterKind::Refusal, None) => {
            let all: Vec<String> = letters::RefusalGround::ALL.iter().map(|g| g.code()).collect();
            return Err(Failure::user(format!("--ground: a refusal must name its legal ground — use one of {}", all.join(", "))));
        }
        (k, Some(_)) if k != LetterKind::Refusal => return Err(Failure::user("--ground: only a refusal takes a ground")),
        _ => {}
    }
    let req = LetterRequest { reference: a.reference.clone(), kind, language, extra: LetterExtra { reasons: a.reasons.clone(), notes: a.notes.clone(), ground, fee: a.fee.clone(), encrypted_bundle: a.encrypted_bundle } };
    // Where the file may go is checked before anything else is said about the letter.
    dsar::output::check_target(store.path(), &a.out).map_err(|e| Failure::user(format!("--out: {e}")))?;
    if a.draft {
        let composed = letters::compose_draft(&store, c.today, &req, &templates)?;
        for line in gap_lines(&composed) {
            eprintln!("dsar: draft: {line}");
        }
        dsar::output::write_atomic(store.path(), &a.out, &composed.letter.pdf).map_err(|e| Failure::user(format!("--out: {e}")))?;
        println!("draft written to {} (marked as draft; nothing recorded)", a.out.display());
        return Ok(());
    }
    let composed = letters::compose(&store, c.today, &req, &templates)?;
    // SPEC §8/§10: a confirmation the desk cannot show is not written at all.
    if !composed.unrecorded.is_empty() {
        return Err(Failure::user(format!("a {} letter confirms what the desk has not recorded:\n  {}", kind.code(), composed.unrecorded.join("\n  "))));
    }
    // RULES.md §3: a final letter does not go out with placeholders for what the register lacks.
    let accepted = a.reason.as_deref().map(str::trim).filter(|r| a.accept_gaps && !r.is_empty());
    if a.accept_gaps && accepted.is_none() {
        return Err(Failure::user("--reason: say why the gaps are accepted (it goes into the audit trail)"));
    }
    if !composed.gaps.is_empty() && accepted.is_none() {
        return Err(Failure::user(format!(
            "the register has gaps for this {} letter:\n  {}\nfill them in the register, preview with --draft, or send anyway with --accept-gaps --reason TEXT",
            kind.code(),
            gap_lines(&composed).join("\n  ")
        )));
    }
    for line in gap_lines(&composed) {
        eprintln!("dsar: warning: {line} (accepted)");
    }
    if kind.uses_register_content() && !composed.being_checked.is_empty() {
        eprintln!("dsar: warning: still being checked (listed as such in the letter): {}", composed.being_checked.join(", "));
    }
    if let Some(w) = dsar::identity::disclosure_warning(store.conn(), &composed.case, kind)? {
        eprintln!("dsar: warning: {w}");
    }
    dsar::output::write_atomic(store.path(), &a.out, &composed.letter.pdf).map_err(|e| Failure::user(format!("--out: {e}")))?;
    letters::record_saved_accepting(&mut store, &c, &composed, accepted)?;
    println!("{} written to {}", composed.letter.file_name, a.out.display());
    deliver(&mut store, &c, &composed, a)
}

/// The firm's template folder: `--templates`, else `templates/` beside the database.
fn template_dir(cli: &Cli, a: &LetterArgs) -> PathBuf {
    a.templates.clone().unwrap_or_else(|| db_path(cli).parent().map_or_else(|| PathBuf::from("templates"), |d| d.join("templates")))
}

/// Stores the PDF on the case as a document, and saves the e-mail (`.eml`) and/or sends it
/// when asked. Runs after the PDF file is written, so a failed send loses nothing.
fn deliver(store: &mut dsar::store::Store, c: &dsar::cases::Context, composed: &letters::Composed, a: &LetterArgs) -> Result<(), Failure> {
    let l: &Letter = &composed.letter;
    let parts = LetterParts { kind: l.kind.code(), language: l.language, subject_line: &l.subject_line, text: &l.text, pdf: &l.pdf, file_name: &l.file_name };
    let delivery = Delivery { eml: a.eml.as_deref(), send: a.send, bundle: None };
    let delivered = mail::deliver_letter(store, c, &composed.case, &parts, &delivery)?;
    if let Some(p) = &delivered.eml {
        println!("e-mail saved to {}", p.display());
    }
    if delivered.sent {
        println!("e-mail sent{}", delivered.message_id.map(|m| format!(" (Message-ID {m})")).unwrap_or_default());
    }
    Ok(())
}

/// One line per register gap, without personal data.
fn gap_lines(composed: &letters::Composed) -> Vec<String> {
    composed
        .gaps
        .iter()
        .map(|g| {
            let at = g.system_id.as_deref().map_or_else(|| "register".to_string(), |s| format!("system {s}"));
            format!("{at}, {}: {} — {}", g.field, g.problem, g.fix)
        })
        .collect()
}
