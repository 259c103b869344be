//! Cases that belong together: a repeated request, the same person writing through two
//! channels. A link is the DPO's decision; the desk only suggests one (intake's duplicate
//! check) and, for a repeat within a year, shows it as a *possible* Art. 12(5) ground — never
//! applies it.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde_json::json;

use super::{Case, Context};
use crate::audit;
use crate::domain::{CaseRef, Right, Status};
use crate::error::{InputError, Result};
use crate::store::Store;

/// A case linked to the one being looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    /// Its reference.
    pub reference: CaseRef,
    /// Its rights.
    pub rights: Vec<Right>,
    /// Day it was received.
    pub received: NaiveDate,
    /// Its status.
    pub status: Status,
    /// Day it was closed, if closed.
    pub closed_on: Option<NaiveDate>,
}

fn pair<'a>(a: &'a Case, b: &'a Case) -> (&'a str, &'a str) {
    if a.id < b.id { (&a.id, &b.id) } else { (&b.id, &a.id) }
}

/// Links two cases (idempotent).
pub fn link(store: &mut Store, ctx: &Context, reference: &str, other: &str) -> Result<Vec<Linked>> {
    let a = super::get(store, reference)?;
    let b = super::get(store, other)?;
    if a.id == b.id {
        return Err(InputError::new("--to", "is the same case", "give the reference of the other case").into());
    }
    store.write(|tx| {
        let (x, y) = pair(&a, &b);
        let n = tx.execute("INSERT OR IGNORE INTO case_links (case_id, other_id, created_at) VALUES (?1, ?2, ?3)", params![x, y, ctx.now.to_rfc3339()])?;
        if n > 0 {
            let details = json!({"reference": a.reference.to_string(), "other": b.reference.to_string()});
            audit::append(tx, Some(&a.id), &ctx.actor, "case.linked", &details, ctx.now)?;
        }
        Ok::<_, crate::error::Error>(())
    })?;
    linked(store.conn(), &a.id)
}

/// Removes a link.
pub fn unlink(store: &mut Store, ctx: &Context, reference: &str, other: &str) -> Result<Vec<Linked>> {
    let a = super::get(store, reference)?;
    let b = super::get(store, other)?;
    store.write(|tx| {
        let (x, y) = pair(&a, &b);
        let n = tx.execute("DELETE FROM case_links WHERE case_id = ?1 AND other_id = ?2", params![x, y])?;
        if n == 0 {
            return Err(InputError::new("--to", "the cases are not linked", "see the linked cases with `dsar case show`").into());
        }
        let details = json!({"reference": a.reference.to_string(), "other": b.reference.to_string()});
        audit::append(tx, Some(&a.id), &ctx.actor, "case.unlinked", &details, ctx.now)?;
        Ok::<_, crate::error::Error>(())
    })?;
    linked(store.conn(), &a.id)
}

/// The cases linked to one, oldest received first.
pub fn linked(conn: &Connection, case_id: &str) -> Result<Vec<Linked>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.reference, c.rights, c.received, c.status, c.closed_on FROM case_links l
         JOIN cases c ON c.id = CASE WHEN l.case_id = ?1 THEN l.other_id ELSE l.case_id END
         WHERE l.case_id = ?1 OR l.other_id = ?1
         ORDER BY c.received, c.year, c.seq",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (reference, rights, received, status, closed_on) = row?;
        // Rows the desk wrote itself; one that does not parse is skipped rather than hiding the rest.
        let (Ok(reference), Ok(received), Ok(status)) =
            (reference.parse::<CaseRef>(), NaiveDate::parse_from_str(&received, "%Y-%m-%d"), status.parse::<Status>())
        else {
            continue;
        };
        out.push(Linked {
            reference,
            rights: rights.split(',').filter_map(|r| r.parse().ok()).collect(),
            received,
            status,
            closed_on: closed_on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        });
    }
    Ok(out)
}

/// A linked case received within the twelve months before this one that asked for one of
/// the same rights: the refusal panel shows it as a *possible* repeat (Art. 12(5)). Whether a
/// repeat is excessive is the DPO's judgment — a year-old access request repeated is usually
/// reasonable — so nothing acts on this by itself.
pub fn possible_repeat(conn: &Connection, case: &Case) -> Result<Option<Linked>> {
    let since = super::twelve_months_before(case.received);
    Ok(linked(conn, &case.id)?
        .into_iter()
        .filter(|l| l.received >= since && l.received <= case.received && l.reference != case.reference)
        .filter(|l| l.rights.iter().any(|r| case.rights.contains(r)))
        .next_back())
}
