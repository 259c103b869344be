//! "Needs you": what acting left for the DPO to do, across all cases — retained data whose
//! retention has ended (erase-after follow-ups due), answers from whoever runs a system that
//! are overdue, and Art. 19 notices not yet sent or closed. The dashboard lists it; the
//! reminders count it.

use chrono::{Duration, NaiveDate};
use rusqlite::params;

use super::{ACT_BY_HAND, ERASE_AFTER};
use crate::error::Result;
use crate::store::Store;
use crate::tasks::MANUAL_SEARCH;

/// How long whoever runs a system is given to answer (as the task e-mails ask).
pub const ANSWER_DAYS: i64 = 7;

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The case.
    pub reference: String,
    /// The register system it concerns.
    pub system_id: Option<String>,
    /// The task or notice to open (its id).
    pub id: String,
    /// What it says, e.g. the task's title or the recipient's name.
    pub title: String,
    /// Since when it is due.
    pub due: NaiveDate,
}

/// Everything that needs the DPO, oldest first in each list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeedsYou {
    /// Retained data to erase now (the follow-up's date has come).
    pub follow_ups_due: Vec<Need>,
    /// Act-by-hand and manual-search tasks without an answer after [`ANSWER_DAYS`].
    pub answers_overdue: Vec<Need>,
    /// Art. 19 notices neither sent nor closed.
    pub notices_open: Vec<Need>,
}

impl NeedsYou {
    /// How many items in all.
    pub fn len(&self) -> usize {
        self.follow_ups_due.len() + self.answers_overdue.len() + self.notices_open.len()
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// What needs the DPO as of `today`.
pub fn needs_you(store: &Store, today: NaiveDate) -> Result<NeedsYou> {
    let conn = store.conn();
    let mut out = NeedsYou::default();
    let mut stmt = conn.prepare_cached(
        "SELECT c.reference, t.system_id, t.id, t.title, t.due_on FROM tasks t JOIN cases c ON c.id = t.case_id
         WHERE t.kind = ?1 AND t.status = 'open' AND t.due_on IS NOT NULL AND t.due_on <= ?2 ORDER BY t.due_on, c.reference",
    )?;
    let rows = stmt.query_map(params![ERASE_AFTER, today.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))?;
    for r in rows {
        let (reference, system_id, id, title, due) = r?;
        if let Some(due) = day(&due) {
            out.follow_ups_due.push(Need { reference, system_id, id, title, due });
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.reference, t.system_id, t.id, t.title, coalesce(t.due_on, t.created_at) FROM tasks t JOIN cases c ON c.id = t.case_id
         WHERE t.kind IN (?1, ?2) AND t.status = 'open' ORDER BY t.created_at, c.reference",
    )?;
    let rows = stmt.query_map(params![ACT_BY_HAND, MANUAL_SEARCH], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))?;
    for r in rows {
        let (reference, system_id, id, title, since) = r?;
        // Act-by-hand tasks carry their answer day; manual-search tasks count from creation.
        let Some(since_day) = day(&since) else { continue };
        let due = if since.len() == 10 { since_day } else { since_day + Duration::days(ANSWER_DAYS) };
        if due < today {
            out.answers_overdue.push(Need { reference, system_id, id, title, due });
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.reference, n.system_id, n.id, n.recipient, n.created_at FROM recipient_notices n JOIN cases c ON c.id = n.case_id
         WHERE n.status = 'open' ORDER BY n.created_at, c.reference",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))?;
    for r in rows {
        let (reference, system_id, id, title, created) = r?;
        if let Some(due) = day(&created) {
            out.notices_open.push(Need { reference, system_id: Some(system_id), id, title, due });
        }
    }
    Ok(out)
}
