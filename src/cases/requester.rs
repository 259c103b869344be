//! The requester: the person who made a request for the subject when that is not the
//! subject themself (a lawyer, a parent, a holder of a power of attorney). Letters are
//! addressed to them and name the subject (SPEC §11); the authority they showed is kept as a
//! stored document, because answering a stranger about someone else is the disclosure the
//! desk must be able to justify.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;

use super::{Case, Context};
use crate::audit;
use crate::documents::{self, NewDocument};
use crate::domain::{Authority, Identifier, IdentifierKind};
use crate::error::{Error, InputError, Result};
use crate::store::{Store, StoreError};

/// `kind` of the stored authority document.
pub const AUTHORITY_DOCUMENT: &str = "requester-authority";

/// A requester as stored with the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester {
    /// Their name (or their firm's).
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Their e-mail address, normalised.
    pub email: Option<String>,
    /// What entitles them.
    pub authority: Authority,
    /// What the authority is, in the DPO's words (e.g. "Vollmacht vom 2. Dezember").
    pub authority_note: Option<String>,
    /// The stored authority document, if one was shown.
    pub document_id: Option<String>,
}

/// A file the user attaches (the authority shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name as the user had it.
    pub file_name: String,
    /// Its exact bytes.
    pub content: Vec<u8>,
}

/// What the user enters for a requester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequester {
    /// Their name.
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Their e-mail address.
    pub email: Option<String>,
    /// What entitles them.
    pub authority: Authority,
    /// What the authority is.
    pub authority_note: Option<String>,
    /// The authority document shown, stored with the case.
    pub document: Option<Attachment>,
}

/// The case's requester, if one is recorded.
pub fn load(conn: &Connection, case_id: &str) -> Result<Option<Requester>> {
    let row: Option<(String, String, Option<String>, String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT name, address, email, authority, authority_note, document_id FROM requesters WHERE case_id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((name, address, email, authority, authority_note, document_id)) = row else { return Ok(None) };
    let authority = authority.parse::<Authority>().map_err(|_| Error::Store(StoreError::Corrupt { what: "requesters.authority".into() }))?;
    Ok(Some(Requester { name, address: serde_json::from_str(&address).unwrap_or_default(), email, authority, authority_note, document_id }))
}

/// Checks and normalises what the user entered; nothing is stored.
pub(super) fn checked(new: &NewRequester, country: &str) -> Result<NewRequester> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(InputError::new("requester name", "is empty", "enter the name of the person or firm who made the request").into());
    }
    let email = match new.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(
            Identifier::new(IdentifierKind::Email, e, country)
                .map_err(|_| InputError::new("requester e-mail", "is not an e-mail address", "enter it as name@example.org or leave it empty"))?
                .value,
        ),
        None => None,
    };
    let address: Vec<String> = new.address.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    if address.is_empty() && email.is_none() {
        return Err(InputError::new("requester", "has neither a postal address nor an e-mail address", "enter where the answer should go").into());
    }
    if new.authority == Authority::Other && new.authority_note.as_deref().map_or(true, |n| n.trim().is_empty()) {
        return Err(InputError::new("authority", "'other' needs a note", "say what entitles the requester (e.g. the insolvency administrator's appointment)").into());
    }
    Ok(NewRequester {
        name: name.to_string(),
        address,
        email,
        authority: new.authority,
        authority_note: new.authority_note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
        document: new.document.clone(),
    })
}

/// Stores (or replaces) the requester inside the caller's transaction; `new` must come
/// from [`checked`].
pub(super) fn store_in(tx: &Transaction<'_>, ctx: &Context, case: &Case, new: &NewRequester) -> Result<Requester> {
    let document_id = match &new.document {
        Some(a) => {
            let doc = NewDocument {
                kind: AUTHORITY_DOCUMENT,
                language: case.language,
                file_name: &a.file_name,
                media_type: documents::media::of(&a.file_name, &a.content),
                content: &a.content,
                sent_at: None,
                message_id: None,
            };
            Some(documents::insert(tx, ctx, case, &doc, json!({}))?.id)
        }
        None => None,
    };
    let address = serde_json::to_string(&new.address).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO requesters (case_id, name, address, email, authority, authority_note, document_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (case_id) DO UPDATE SET name = excluded.name, address = excluded.address, email = excluded.email,
             authority = excluded.authority, authority_note = excluded.authority_note,
             document_id = coalesce(excluded.document_id, requesters.document_id), updated_at = excluded.updated_at",
        params![case.id, new.name, address, new.email, new.authority.code(), new.authority_note, document_id, ctx.now.to_rfc3339()],
    )?;
    // The authority's kind only: names and addresses stay out of the audit trail.
    audit::append(
        tx,
        Some(&case.id),
        &ctx.actor,
        "requester.recorded",
        &json!({"reference": case.reference.to_string(), "authority": new.authority.code(), "document": document_id}),
        ctx.now,
    )?;
    load(tx, &case.id)?.ok_or_else(|| Error::Store(StoreError::Corrupt { what: "requesters".into() }))
}

/// Records who made the request for the subject (replacing an earlier entry).
pub fn set(store: &mut Store, ctx: &Context, reference: &str, new: &NewRequester) -> Result<Requester> {
    let case = super::get(store, reference)?;
    let new = checked(new, case.region.country())?;
    store.write(|tx| store_in(tx, ctx, &case, &new))
}

/// Records a new case made by a representative: the case and its requester exist together
/// or not at all.
pub fn create_case(store: &mut Store, ctx: &Context, new: super::NewCase, requester: &NewRequester) -> Result<Case> {
    let country = new.region.map_or("DE", |r| r.country()).to_string();
    let checked = checked(requester, &country)?;
    let (mut case, stored) = super::create_with(store, ctx, new, |tx, case| store_in(tx, ctx, case, &checked))?;
    case.requester = Some(stored);
    Ok(case)
}

/// Removes the requester: the subject made the request themself after all.
pub fn clear(store: &mut Store, ctx: &Context, reference: &str) -> Result<()> {
    let case = super::get(store, reference)?;
    store.write(|tx| {
        let n = tx.execute("DELETE FROM requesters WHERE case_id = ?1", [&case.id])?;
        if n == 0 {
            return Err(InputError::new("requester", "none is recorded for this case", "nothing to remove").into());
        }
        audit::append(tx, Some(&case.id), &ctx.actor, "requester.removed", &json!({"reference": case.reference.to_string()}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(authority: Authority) -> NewRequester {
        NewRequester {
            name: " Kanzlei Roth ".into(),
            address: vec!["Hauptstr. 1".into(), " ".into(), "50667 Köln".into()],
            email: Some(" Info@Kanzlei-Roth.example ".into()),
            authority,
            authority_note: None,
            document: None,
        }
    }

    #[test]
    fn entries_are_trimmed_and_the_email_normalised() {
        let c = checked(&new(Authority::Lawyer), "DE").expect("valid");
        assert_eq!(c.name, "Kanzlei Roth");
        assert_eq!(c.address, ["Hauptstr. 1", "50667 Köln"]);
        assert_eq!(c.email.as_deref(), Some("info@kanzlei-roth.example"));
    }

    #[test]
    fn other_authority_needs_a_note_and_an_answer_needs_an_address() {
        let err = checked(&new(Authority::Other), "DE").expect_err("no note").to_string();
        assert!(err.contains("authority") && err.contains("needs a note"), "{err}");
        let mut n = new(Authority::Parent);
        n.address.clear();
        n.email = None;
        let err = checked(&n, "DE").expect_err("nowhere to answer").to_string();
        assert!(err.contains("neither a postal address nor an e-mail"), "{err}");
    }

}
