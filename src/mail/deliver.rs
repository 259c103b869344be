//! `deliver_letter`: what `dsar letter … [--eml FILE] [--send]` and the app's Send button do
//! with a rendered letter — keep its PDF as a document, and save and/or send it as an e-mail,
//! recording each in the case's documents and audit trail.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{compose, mailbox, message_id, save_eml, send, MailError};
use crate::bundle::names::PersonalWords;
use crate::cases::{Case, Context};
use crate::documents::{self, media, Document, NewDocument};
use crate::domain::{IdentifierKind, Language};
use crate::store::Store;
use crate::{register_store, secrets, settings};

/// A rendered letter, as the letter module produces it.
#[derive(Debug, Clone, Copy)]
pub struct LetterParts<'a> {
    /// Letter kind code, e.g. `access-response`.
    pub kind: &'a str,
    /// Its language.
    pub language: Language,
    /// E-mail subject line (carries the case reference, never the subject's name).
    pub subject_line: &'a str,
    /// Plain text of the letter: the e-mail body.
    pub text: &'a str,
    /// The PDF.
    pub pdf: &'a [u8],
    /// The PDF's file name.
    pub file_name: &'a str,
}

/// What to do with the letter besides keeping its PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivery<'a> {
    /// Save the e-mail as an `.eml` file here.
    pub eml: Option<&'a Path>,
    /// Send it through the configured SMTP server.
    pub send: bool,
    /// Attach an export bundle: `(file name, bytes)`.
    pub bundle: Option<(&'a str, &'a [u8])>,
}

/// What happened.
#[derive(Debug, Clone)]
pub struct Delivered {
    /// The stored PDF.
    pub pdf: Document,
    /// The stored e-mail, when one was saved or sent.
    pub email: Option<Document>,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// Where the `.eml` was written.
    pub eml: Option<PathBuf>,
    /// Whether the server accepted it.
    pub sent: bool,
}

/// Keeps the letter's PDF as a document of `case` and, as asked in `delivery`, saves the
/// e-mail (text + PDF [+ bundle]) as `.eml` and/or sends it to the subject's e-mail address.
///
/// The `.eml` is written before sending, so it exists even when the server refuses. What was
/// saved is recorded even then (`document.saved`); a sent e-mail is recorded as `letter.sent`
/// with its Message-ID. When sending fails, the error is returned after recording.
pub fn deliver_letter(store: &mut Store, ctx: &Context, case: &Case, letter: &LetterParts<'_>, delivery: &Delivery<'_>) -> Result<Delivered, MailError> {
    let reference = case.reference.to_string();
    let personal = PersonalWords::whole(&case.subject.name, case.subject.identifiers.iter().map(|i| i.value.as_str()));
    if personal.found_in(letter.subject_line) {
        return Err(MailError::PersonalSubjectLine);
    }
    let subject_line =
        if letter.subject_line.contains(&reference) { letter.subject_line.to_string() } else { format!("[{reference}] {}", letter.subject_line) };

    let wants_mail = delivery.eml.is_some() || delivery.send;
    let smtp = settings::smtp(store)?;
    let mut message = None;
    if wants_mail {
        // A representative's request is answered to them (SPEC §11), never past them to the subject.
        let to = match &case.requester {
            Some(r) => mailbox(Some(&r.name), r.email.as_deref().ok_or(MailError::NoRecipient)?, "the requester's e-mail")?,
            None => mailbox(Some(&case.subject.name), case.subject.first(&IdentifierKind::Email).ok_or(MailError::NoRecipient)?, "the subject's e-mail")?,
        };
        let from = match &smtp {
            Some(s) => mailbox(s.from_name.as_deref(), &s.from_address, "from")?,
            None if delivery.send => return Err(MailError::NotConfigured),
            None => {
                // A saved .eml without SMTP settings comes from the controller's contact address.
                let reg = register_store::current(store)?.ok_or(MailError::NotConfigured)?;
                mailbox(Some(&reg.controller.name), &reg.controller.email, "from")?
            }
        };
        let mut attachments = vec![(letter.file_name, media::PDF, letter.pdf)];
        if let Some((name, bytes)) = delivery.bundle {
            attachments.push((name, media::ZIP, bytes));
        }
        message = Some(compose(&from, &to, &subject_line, letter.text, &attachments)?);
    }

    let password = match (&smtp, delivery.send) {
        (Some(s), true) => match &s.password_secret {
            Some(name) => Some(secrets::smtp_password(store, name)?.ok_or_else(|| MailError::MissingSecret(name.clone()))?),
            None => None,
        },
        _ => None,
    };

    if let (Some(m), Some(path)) = (&message, delivery.eml) {
        crate::output::check_target(store.path(), path)?;
        save_eml(m, path)?;
    }
    let send_result = match (&message, &smtp, delivery.send) {
        (Some(m), Some(s), true) => Some(send(m, s, password.as_ref().map(|p| p.as_str()))),
        _ => None,
    };
    let sent = matches!(send_result, Some(Ok(())));
    let mid = message.as_ref().and_then(message_id);
    let raw = message.as_ref().map(|m| m.formatted());
    let eml_name = delivery
        .eml
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{reference}-{}.eml", letter.kind));

    let (pdf, email) = store.write(|tx| {
        let pdf = documents::insert(
            tx,
            ctx,
            case,
            &NewDocument {
                kind: letter.kind,
                language: letter.language,
                file_name: letter.file_name,
                media_type: media::PDF,
                content: letter.pdf,
                sent_at: None,
                message_id: None,
            },
            serde_json::Value::Null,
        )?;
        let email = match &raw {
            Some(bytes) if sent || delivery.eml.is_some() => Some(documents::insert(
                tx,
                ctx,
                case,
                &NewDocument {
                    kind: letter.kind,
                    language: letter.language,
                    file_name: &eml_name,
                    media_type: media::EMAIL,
                    content: bytes,
                    sent_at: sent.then_some(ctx.now),
                    message_id: mid.as_deref(),
                },
                json!({"attachments": if delivery.bundle.is_some() { 2 } else { 1 }, "saved_as_eml": delivery.eml.is_some()}),
            )?),
            _ => None,
        };
        Ok::<_, MailError>((pdf, email))
    })?;
    if let Some(Err(e)) = send_result {
        return Err(e);
    }
    Ok(Delivered { pdf, email, message_id: mid, eml: delivery.eml.map(Path::to_path_buf), sent })
}
