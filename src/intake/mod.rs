//! Intake: request e-mails (`.eml`) turned into proposed cases — sender, received day,
//! rights, language and a possible duplicate — which the user accepts into cases that keep
//! the original message as a document (exact bytes, SHA-256).
//!
//! `propose` only reads; `accept` creates the case and stores the message in one transaction
//! and records `intake.accepted` with the file's SHA-256 and counts, never its content.

pub mod duplicates;
pub mod language;
pub mod mailbox;
mod message;
pub mod received;
pub mod rights;

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::cases::{self, Case, Context, NewCase};
use crate::deadline::{Jurisdiction, Region};
use crate::documents::{self, media, NewDocument};
use crate::domain::{CaseRef, Channel, Identifier, IdentifierKind, Language, Right};
use crate::error::{InputError, Result};
use crate::store::Store;

pub use message::{parse, read, Attachment, Forwarded, IntakeError, Message, MAX_BYTES};

/// `kind` of the stored original request e-mail.
pub const DOCUMENT_KIND: &str = "request-email";

/// A field the user should look at before accepting, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `from`, `received`, `rights`, `language`, `name`.
    pub field: &'static str,
    /// What was found and what was assumed; no personal data.
    pub message: String,
}

/// A case as the desk would create it from one e-mail; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The sender's address, normalised; `None` when missing or not an address.
    pub from: Option<String>,
    /// The subject's name as guessed from the From display name.
    pub name: Option<String>,
    /// Day received, in the controller's time zone.
    pub received: NaiveDate,
    /// Rights guessed from subject and body (empty: the user chooses).
    pub rights: Vec<Right>,
    /// Language of the request.
    pub language: Language,
    /// An open case (or one closed in the last 12 months) with the same sender address.
    pub duplicate_of: Option<CaseRef>,
    /// Attachments found.
    pub attachments: Vec<Attachment>,
    /// Fields to check.
    pub warnings: Vec<Warning>,
    /// SHA-256 of the message bytes.
    pub sha256: String,
    /// Message-ID, if any.
    pub message_id: Option<String>,
}

impl Proposal {
    fn warn(&mut self, field: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning { field, message: message.into() });
    }
}

/// What intake takes from the register (or assumes without one).
struct Controller {
    region: Region,
    jurisdiction: Jurisdiction,
    language: Option<Language>,
    country: String,
    assumed: bool,
}

fn controller(store: &Store) -> Result<Controller> {
    Ok(match crate::register_store::current(store)? {
        Some(r) => Controller {
            region: r.controller.region(),
            jurisdiction: r.controller.jurisdiction(),
            language: Some(r.controller.language()),
            country: r.controller.country.clone(),
            assumed: false,
        },
        None => {
            let region = Jurisdiction::Gdpr.default_region();
            Controller { region, jurisdiction: Jurisdiction::Gdpr, language: None, country: region.country().to_string(), assumed: true }
        }
    })
}

/// Proposes a case for one message. Only reads the store (the controller's defaults and
/// existing cases for duplicates).
pub fn propose(store: &Store, ctx: &Context, bytes: &[u8]) -> Result<Proposal> {
    let mut msg = parse(bytes)?;
    let ctl = controller(store)?;
    let mut notes = Vec::new();
    if let Some(fw) = msg.forwarded.take().filter(|f| f.from.is_some()) {
        // The person who forwarded it is a colleague; the request is the attached message.
        msg.from = fw.from;
        msg.from_name = fw.from_name;
        msg.date = fw.date.or(msg.date);
        notes.push(Warning { field: "from", message: "forwarded as an attachment: sender and date are those of the attached message".into() });
    } else if msg.forward_subject {
        notes.push(Warning { field: "from", message: "the subject says forwarded: the sender may be a colleague — enter the subject's own address".into() });
    }
    let received = match msg.date {
        Some(instant) => received::local_day(instant, ctl.region),
        None => ctx.today,
    };
    let text = format!("{}\n{}", msg.subject, msg.text);
    let mut p = Proposal {
        from: None,
        name: msg.from_name.clone().filter(|n| !n.contains('@')),
        received,
        rights: map_to(&rights::guess(&text), ctl.jurisdiction),
        language: Language::En,
        duplicate_of: None,
        attachments: msg.attachments.clone(),
        warnings: notes,
        sha256: hex::encode(Sha256::digest(bytes)),
        message_id: msg.message_id.clone(),
    };
    match msg.from.as_deref().map(|a| Identifier::new(IdentifierKind::Email, a, &ctl.country)) {
        Some(Ok(id)) => p.from = Some(id.value),
        Some(Err(_)) => p.warn("from", "the sender is not a usable e-mail address: enter the subject's address by hand"),
        None => p.warn("from", "the message has no From address: enter the subject's address by hand"),
    }
    if p.name.is_none() && p.from.is_some() {
        p.warn("name", "no display name in From: the address is used as the name until you correct it");
    }
    match msg.date {
        None => p.warn("received", format!("the message has no valid Date: today ({}) is used — enter the day it arrived", ctx.today)),
        Some(_) if received > ctx.today => {
            p.warn("received", format!("the message's Date ({received}) is in the future: today ({}) is used — check the sender's clock", ctx.today));
            p.received = ctx.today;
        }
        Some(_) if ctl.assumed => p.warn(
            "received",
            format!("no register imported: the Date was read in {} (the default region {})", received::zone_name(ctl.region), ctl.region.code()),
        ),
        Some(_) => {}
    }
    if p.rights.is_empty() {
        p.warn("rights", "no right recognised in the text: choose them with `dsar case new --right …`");
    }
    match language::guess(&text) {
        Some(l) => p.language = l,
        None => {
            p.language = ctl.language.unwrap_or(Language::En);
            p.warn("language", format!("language not recognised: {} (the controller's) is assumed", p.language.code()));
        }
    }
    if let Some(email) = &p.from {
        let ids = [Identifier { kind: IdentifierKind::Email, value: email.clone() }];
        p.duplicate_of = duplicates::find(store.conn(), &ids, ctx.today, None)?;
    }
    Ok(p)
}

/// GDPR rights as the controller's law names them (the CCPA has its own list).
fn map_to(rights: &[Right], jurisdiction: Jurisdiction) -> Vec<Right> {
    if jurisdiction != Jurisdiction::Ccpa {
        return rights.to_vec();
    }
    let mut out = Vec::new();
    for r in rights {
        let m = match r {
            Right::Access | Right::Portability => Right::Know,
            Right::Erasure => Right::Delete,
            Right::Rectification => Right::Correct,
            Right::Restriction => Right::Limit,
            Right::Objection | Right::WithdrawConsent => Right::OptOut,
            other => *other,
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// Creates the case a proposal describes and stores the message with it, in one
/// transaction. Refused when no right was recognised or the sender is unknown: those the
/// user enters with `dsar case new`.
pub fn accept(store: &mut Store, ctx: &Context, proposal: &Proposal, bytes: &[u8], file_name: &str) -> Result<Case> {
    if proposal.rights.is_empty() {
        return Err(InputError::new("rights", "no right recognised in the message", "create the case with `dsar case new --right …` and the details from the e-mail").into());
    }
    let Some(email) = proposal.from.clone() else {
        return Err(InputError::new("from", "the message has no usable sender address", "create the case with `dsar case new --email …`").into());
    };
    if hex::encode(Sha256::digest(bytes)) != proposal.sha256 {
        return Err(InputError::new("file", "the message changed since it was proposed", "run `dsar intake` on it again").into());
    }
    let new = NewCase {
        rights: proposal.rights.clone(),
        name: proposal.name.clone().unwrap_or_else(|| email.clone()),
        address: vec![],
        identifiers: vec![(IdentifierKind::Email, email)],
        received: proposal.received,
        jurisdiction: None,
        region: None,
        language: Some(proposal.language),
        channel: Channel::Email,
    };
    let doc_name = if file_name.is_empty() { "request.eml" } else { file_name };
    let (case, _) = cases::create_with(store, ctx, new, |tx, case| {
        let doc = NewDocument {
            kind: DOCUMENT_KIND,
            language: proposal.language,
            file_name: doc_name,
            media_type: media::EMAIL,
            content: bytes,
            sent_at: None,
            // Not recorded apart: documents put the Message-ID into the audit event, and a
            // subject's Message-ID can carry their domain or address. The bytes keep it.
            message_id: None,
        };
        documents::insert(tx, ctx, case, &doc, serde_json::Value::Null)?;
        // Counts and the hash only: the file name and words may be personal data.
        let details = json!({
            "reference": case.reference.to_string(),
            "sha256": proposal.sha256,
            "bytes": bytes.len(),
            "rights": proposal.rights.len(),
            "attachments": proposal.attachments.len(),
            "warnings": proposal.warnings.len(),
            "duplicate": proposal.duplicate_of.is_some(),
        });
        audit::append(tx, Some(&case.id), &ctx.actor, "intake.accepted", &details, ctx.now)?;
        Ok(())
    })?;
    Ok(case)
}

/// The first day the duplicate window covers: cases closed on or after it still count.
fn twelve_months_before(today: NaiveDate) -> NaiveDate {
    cases::twelve_months_before(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
    }

    #[test]
    fn ccpa_controllers_get_ccpa_names_without_duplicates() {
        let got = map_to(&[Right::Access, Right::Portability, Right::Erasure, Right::Objection, Right::WithdrawConsent], Jurisdiction::Ccpa);
        assert_eq!(got, [Right::Know, Right::Delete, Right::OptOut]);
        assert_eq!(map_to(&[Right::Access], Jurisdiction::Gdpr), [Right::Access]);
    }

    #[test]
    fn the_duplicate_window_is_one_year_leap_day_included() {
        assert_eq!(twelve_months_before(day("2026-11-21")), day("2025-11-21"));
        assert_eq!(twelve_months_before(day("2028-02-29")), day("2027-02-28"));
    }
}
