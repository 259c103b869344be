//! A case as stored: loading it from and saving it to its rows.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::Context;
use crate::deadline::{self, CalendarOverrides, Deadline, DeadlineInput, Jurisdiction, Pause, Region};
use crate::domain::{CaseRef, Channel, Identifier, IdentifierKind, Language, Outcome, Right, Status, Subject};
use crate::error::{Error, Result};
use crate::store::StoreError;

/// A data subject request and everything decided about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// UUID v7.
    pub id: String,
    /// Human reference.
    pub reference: CaseRef,
    /// Rights invoked.
    pub rights: Vec<Right>,
    /// The person.
    pub subject: Subject,
    /// How it arrived.
    pub channel: Channel,
    /// Day it reached the controller.
    pub received: NaiveDate,
    /// Law whose period applies.
    pub jurisdiction: Jurisdiction,
    /// Holiday calendar.
    pub region: Region,
    /// Language of the correspondence.
    pub language: Language,
    /// Workflow status.
    pub status: Status,
    /// Outcome once closed.
    pub outcome: Option<Outcome>,
    /// Day it was closed.
    pub closed_on: Option<NaiveDate>,
    /// Day the extension notice went out.
    pub extended_on: Option<NaiveDate>,
    /// Why the period was extended.
    pub extension_reason: Option<String>,
    /// Identity and clarification pauses, oldest first.
    pub pauses: Vec<Pause>,
    /// Who made the request, when not the subject: letters go to them.
    pub requester: Option<super::requester::Requester>,
    /// A formal salutation for the subject, when known.
    pub salutation: Option<super::salutation::Salutation>,
}

impl Case {
    /// Computes the deadline from the case's dates and the region's calendar.
    pub fn deadline(&self, overrides: &CalendarOverrides) -> Result<Deadline> {
        Ok(deadline::compute(&DeadlineInput {
            received: self.received,
            jurisdiction: self.jurisdiction,
            region: self.region,
            rights: &self.rights,
            pauses: &self.pauses,
            overrides,
        })?)
    }

    /// The date that counts now: the extended due date once extended, else the due date.
    pub fn effective_due(&self, dl: &Deadline) -> NaiveDate {
        match (self.extended_on, dl.extended_due) {
            (Some(_), Some(ext)) => ext,
            _ => dl.due,
        }
    }

    /// The pause still waiting for the subject, if any.
    pub fn open_pause(&self) -> Option<&Pause> {
        self.pauses.iter().find(|p| matches!(p, Pause::Identity { received: None, .. } | Pause::Clarification { received: None, .. }))
    }

    pub(super) fn open_pause_mut(&mut self) -> Option<&mut Pause> {
        self.pauses.iter_mut().find(|p| matches!(p, Pause::Identity { received: None, .. } | Pause::Clarification { received: None, .. }))
    }
}

pub(super) fn rights_code(rights: &[Right]) -> String {
    rights.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// Parses a stored value; a failure means the file was changed outside the app.
fn stored<T: std::str::FromStr>(column: &str, v: &str) -> Result<T> {
    v.parse::<T>().map_err(|_| Error::Store(StoreError::Corrupt { what: column.to_string() }))
}

fn stored_date(column: &str, v: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| Error::Store(StoreError::Corrupt { what: column.to_string() }))
}

fn opt_date(column: &str, v: Option<String>) -> Result<Option<NaiveDate>> {
    v.map(|s| stored_date(column, &s)).transpose()
}

/// Loads a case by reference (`DSAR-2026-0042`).
pub(super) fn load(conn: &Connection, reference: &str) -> Result<Case> {
    let r: CaseRef = reference.parse().map_err(|e: crate::domain::reference::BadReference| crate::error::InputError::new("reference", e.to_string(), "copy it from dsar case list"))?;
    type Row = (String, String, String, String, String, String, String, String, String, String, Option<String>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT id, rights, subject_name, subject_address, channel, received, jurisdiction, region, language, status,
                    outcome, closed_on, extended_on, extension_reason
             FROM cases WHERE reference = ?1",
            [r.to_string()],
            |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?, x.get(5)?, x.get(6)?, x.get(7)?, x.get(8)?, x.get(9)?, x.get(10)?, x.get(11)?, x.get(12)?, x.get(13)?)),
        )
        .optional()?;
    let Some((id, rights, name, address, channel, received, jurisdiction, region, language, status, outcome, closed_on, extended_on, extension_reason)) = row else {
        return Err(Error::CaseNotFound(r.to_string()));
    };
    let rights = rights.split(',').filter(|s| !s.is_empty()).map(|s| stored::<Right>("rights", s)).collect::<Result<Vec<_>>>()?;
    let address: Vec<String> = serde_json::from_str(&address).unwrap_or_default();
    let mut subject = Subject { name, address, identifiers: vec![] };
    {
        let mut stmt = conn.prepare_cached("SELECT kind, value FROM identifiers WHERE case_id = ?1 ORDER BY rowid")?;
        let mut rows = stmt.query([&id])?;
        while let Some(x) = rows.next()? {
            let kind: String = x.get(0)?;
            let value: String = x.get(1)?;
            let kind = IdentifierKind::from_key(&kind).unwrap_or(IdentifierKind::Other(kind));
            subject.identifiers.push(Identifier { kind, value });
        }
    }
    let mut pauses = Vec::new();
    {
        let mut stmt = conn.prepare_cached("SELECT reason, asked, received FROM pauses WHERE case_id = ?1 ORDER BY seq")?;
        let mut rows = stmt.query([&id])?;
        while let Some(x) = rows.next()? {
            let reason: String = x.get(0)?;
            let asked = stored_date("pauses.asked", &x.get::<_, String>(1)?)?;
            let received = opt_date("pauses.received", x.get(2)?)?;
            pauses.push(if reason == "identity" { Pause::Identity { asked, received } } else { Pause::Clarification { asked, received } });
        }
    }
    Ok(Case {
        reference: r,
        rights,
        subject,
        channel: stored("channel", &channel)?,
        received: stored_date("received", &received)?,
        jurisdiction: stored("jurisdiction", &jurisdiction)?,
        region: stored("region", &region)?,
        language: stored("language", &language)?,
        status: stored("status", &status)?,
        outcome: outcome.map(|o| stored("outcome", &o)).transpose()?,
        closed_on: opt_date("closed_on", closed_on)?,
        extended_on: opt_date("extended_on", extended_on)?,
        extension_reason,
        pauses,
        requester: super::requester::load(conn, &id)?,
        salutation: super::salutation::load(conn, &id)?,
        id,
    })
}

/// Writes the mutable parts of a case and its cached deadline.
pub(super) fn save(tx: &Transaction<'_>, case: &Case, dl: &Deadline, ctx: &Context) -> Result<()> {
    tx.execute(
        "UPDATE cases SET status = ?2, outcome = ?3, closed_on = ?4, extended_on = ?5, extension_reason = ?6,
                          due = ?7, extended_due = ?8, effective_due = ?9, updated_at = ?10
         WHERE id = ?1",
        params![
            case.id,
            case.status.code(),
            case.outcome.map(|o| o.code()),
            case.closed_on.map(|d| d.to_string()),
            case.extended_on.map(|d| d.to_string()),
            case.extension_reason,
            dl.due.to_string(),
            dl.extended_due.map(|d| d.to_string()),
            case.effective_due(dl).to_string(),
            ctx.now.to_rfc3339(),
        ],
    )?;
    tx.execute("DELETE FROM pauses WHERE case_id = ?1", [&case.id])?;
    let mut ins = tx.prepare_cached("INSERT INTO pauses (case_id, seq, reason, asked, received) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, p) in case.pauses.iter().enumerate() {
        let (reason, asked, received) = match p {
            Pause::Identity { asked, received } => ("identity", asked, received),
            Pause::Clarification { asked, received } => ("clarification", asked, received),
        };
        ins.execute(params![case.id, i as i64 + 1, reason, asked.to_string(), received.map(|d| d.to_string())])?;
    }
    Ok(())
}
