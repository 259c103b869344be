//! `dsar letter`: render a letter for a case, write the PDF, record it, hand it to delivery.

use std::path::{Path, PathBuf};

use dsar::domain::Language;
use dsar::letters::{self, Letter, LetterExtra, LetterKind, LetterRequest, Templates};

use super::args::LetterArgs;
use super::commands::{code, ctx};
use super::unlock::{db_path, open};
use super::{Cli, Failure};

/// Register gaps are warnings, not errors: the letter is the DPO's draft to review, and a
/// hard stop would teach users to force past it. Each gap is one stderr line; the audit event
/// records how many there were.
pub fn letter_cmd(cli: &Cli, a: &LetterArgs) -> Result<(), Failure> {
    let kind: LetterKind = code(&a.kind)?;
    let language: Option<Language> = a.lang.as_deref().map(code).transpose()?;
    let mut store = open(cli)?;
    let c = ctx(cli);
    let templates = Templates::with_overrides(&template_dir(cli, a));
    let req = LetterRequest { reference: a.reference.clone(), kind, language, extra: LetterExtra { reasons: a.reasons.clone(), notes: a.notes.clone() } };
    let composed = letters::compose(&store, c.today, &req, &templates)?;
    for g in &composed.gaps {
        let at = g.system_id.as_deref().map_or_else(|| "register".to_string(), |s| format!("system {s}"));
        eprintln!("dsar: warning: {at}, {}: {} — {}", g.field, g.problem, g.fix);
    }
    if kind.uses_register_content() && !composed.being_checked.is_empty() {
        eprintln!("dsar: warning: still being checked (listed as such in the letter): {}", composed.being_checked.join(", "));
    }
    std::fs::write(&a.out, &composed.letter.pdf).map_err(|e| Failure::user(format!("--out: cannot write {}: {e}", a.out.display())))?;
    letters::record_saved(&mut store, &c, &composed)?;
    println!("{} written to {}", composed.letter.file_name, a.out.display());
    if a.eml.is_some() || a.send {
        deliver(&composed.letter, a.eml.as_deref(), a.send, &a.out)?;
    }
    Ok(())
}

/// The firm's template folder: `--templates`, else `templates/` beside the database.
fn template_dir(cli: &Cli, a: &LetterArgs) -> PathBuf {
    a.templates.clone().unwrap_or_else(|| db_path(cli).parent().map_or_else(|| PathBuf::from("templates"), |d| d.join("templates")))
}

/// Saves the letter as an e-mail (`.eml`) and/or sends it. Filled in by the e-mail work
/// (lettre); until then it says so, after the PDF is safely written.
fn deliver(_letter: &Letter, _eml: Option<&Path>, _send: bool, pdf: &Path) -> Result<(), Failure> {
    Err(Failure::user(format!("e-mail delivery is not available in this build; the PDF was written to {}", pdf.display())))
}
