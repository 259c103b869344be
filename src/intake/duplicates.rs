//! Whether a new request repeats one the desk already has: the same normalised identifier on
//! an open case, or on one closed within the last 12 months (a repeat within a year may be
//! "manifestly unfounded or excessive", Art. 12(5), and is answered with the earlier one in
//! view).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{CaseRef, Identifier};
use crate::error::Result;

/// The most recently received matching case, if any. `except` leaves out a case (the one
/// just created). Identifiers must be normalised (they are compared as stored).
pub fn find(conn: &Connection, identifiers: &[Identifier], today: NaiveDate, except: Option<&str>) -> Result<Option<CaseRef>> {
    let since = super::twelve_months_before(today).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT c.reference FROM identifiers i JOIN cases c ON c.id = i.case_id
         WHERE i.kind = ?1 AND i.value = ?2 AND c.id IS NOT ?3
           AND (c.status <> 'closed' OR c.closed_on >= ?4)
         ORDER BY c.received DESC, c.year DESC, c.seq DESC LIMIT 1",
    )?;
    for id in identifiers {
        let found: Option<String> = stmt.query_row(params![id.kind.key(), id.value, except, since], |r| r.get(0)).optional()?;
        if let Some(reference) = found {
            if let Ok(r) = reference.parse::<CaseRef>() {
                return Ok(Some(r));
            }
        }
    }
    Ok(None)
}
