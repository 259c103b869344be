//! The audit trail: append-only, hash-chained events that show what was asked, done and sent.
//!
//! Each event's hash is SHA-256 over its canonical form, which includes the previous event's
//! hash; the newest (seq, hash) is also kept as the chain head, so altering, removing,
//! reordering or cutting off events is found by [`verify`].

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::store::{put_setting, StoreError};

/// The hash the first event links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit_head";

/// One recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The case it concerns (UUID), if any.
    pub case_id: Option<String>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: `cli:<os user>` or `app:<os user>`.
    pub actor: String,
    /// What, e.g. `case.created`, `case.paused`.
    pub action: String,
    /// Details as canonical JSON text (codes, dates, references — never subject data).
    pub details: String,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// Hash of this event.
    pub hash: String,
}

fn canonical(seq: i64, case_id: Option<&str>, at: &str, actor: &str, action: &str, details: &str, prev: &str) -> String {
    // A JSON array has one spelling for given strings, so the same event always hashes alike.
    serde_json::json!([seq, case_id, at, actor, action, details, prev]).to_string()
}

fn hash_of(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends an event inside the caller's transaction, so the change and its record commit
/// together or not at all.
pub fn append(
    tx: &Transaction<'_>,
    case_id: Option<&str>,
    actor: &str,
    action: &str,
    details: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let (last_seq, prev): (i64, String) = tx
        .query_row("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let seq = last_seq + 1;
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    // serde_json's Value (with preserve_order) prints keys in insertion order; callers build
    // details with json!{} literals, which is deterministic for a given call site.
    let details = details.to_string();
    let hash = hash_of(&canonical(seq, case_id, &at, actor, action, &details, &prev));
    tx.execute(
        "INSERT INTO audit_events (seq, case_id, at, actor, action, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, case_id, at, actor, action, details, prev, hash],
    )?;
    put_setting(tx, HEAD_KEY, &format!("{seq}:{hash}"))?;
    Ok(seq)
}

/// Events of one case, oldest first (the case timeline).
pub fn for_case(conn: &Connection, case_id: &str) -> Result<Vec<AuditEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, case_id, at, actor, action, details, prev_hash, hash FROM audit_events WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], row_to_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        seq: r.get(0)?,
        case_id: r.get(1)?,
        at: r.get(2)?,
        actor: r.get(3)?,
        action: r.get(4)?,
        details: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// One inconsistency found in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// The event's content no longer matches its hash.
    Altered {
        /// Event number.
        seq: i64,
    },
    /// Events between two numbers are gone.
    Removed {
        /// Last event before the gap.
        after: i64,
        /// First event after the gap.
        before: i64,
    },
    /// The event does not link to the one stored before it (reordered or replaced).
    Unlinked {
        /// Event number.
        seq: i64,
    },
    /// Events at the end of the chain are gone.
    TailRemoved {
        /// Newest event the head records.
        head: i64,
        /// Newest event present.
        last: i64,
    },
    /// The recorded head does not match the newest event.
    HeadMismatch {
        /// Newest event present.
        last: i64,
    },
}

impl std::fmt::Display for Tamper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tamper::Altered { seq } => write!(f, "event {seq} was altered: its content does not match its hash"),
            Tamper::Removed { after, before } => {
                write!(f, "events {}..{} were removed (gap between event {after} and event {before})", after + 1, before - 1)
            }
            Tamper::Unlinked { seq } => {
                write!(f, "event {seq} does not follow the event stored before it: events were reordered or replaced")
            }
            Tamper::TailRemoved { head, last } => {
                write!(f, "events {}..{head} were removed from the end of the trail", last + 1)
            }
            Tamper::HeadMismatch { last } => write!(f, "event {last} is not the event recorded as the newest"),
        }
    }
}

/// Result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events checked.
    pub events: i64,
    /// Problems found; empty when the trail is intact.
    pub problems: Vec<Tamper>,
}

impl Verification {
    /// Whether the trail is intact.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Walks the whole chain and reports every altered, removed or reordered event.
pub fn verify(conn: &Connection) -> Result<Verification, StoreError> {
    let mut stmt =
        conn.prepare("SELECT seq, case_id, at, actor, action, details, prev_hash, hash FROM audit_events ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    let mut events = 0;
    let mut last_seq = 0;
    let mut last_hash = GENESIS.to_string();
    while let Some(row) = rows.next()? {
        let e = row_to_event(row)?;
        events += 1;
        let expected = hash_of(&canonical(e.seq, e.case_id.as_deref(), &e.at, &e.actor, &e.action, &e.details, &e.prev_hash));
        if expected != e.hash {
            problems.push(Tamper::Altered { seq: e.seq });
        }
        if e.seq != last_seq + 1 {
            problems.push(Tamper::Removed { after: last_seq, before: e.seq });
        } else if e.prev_hash != last_hash {
            problems.push(Tamper::Unlinked { seq: e.seq });
        }
        last_seq = e.seq;
        last_hash = e.hash;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [HEAD_KEY], |r| r.get(0))
        .optional()?;
    if let Some(head) = head {
        let (head_seq, head_hash) = head.split_once(':').unwrap_or(("0", ""));
        let head_seq: i64 = head_seq.parse().unwrap_or(0);
        if head_seq > last_seq {
            problems.push(Tamper::TailRemoved { head: head_seq, last: last_seq });
        } else if head_seq != last_seq || head_hash != last_hash {
            problems.push(Tamper::HeadMismatch { last: last_seq });
        }
    } else if events > 0 {
        problems.push(Tamper::HeadMismatch { last: last_seq });
    }
    Ok(Verification { events, problems })
}
