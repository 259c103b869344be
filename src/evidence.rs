//! Evidence: the records a pull found for a case, with where each came from, and the
//! per-system outcome of the last pull (the systems checklist).

use rusqlite::{params, Connection, Transaction};

use crate::error::Result;
use crate::store::StoreError;

/// One record found in one system.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Register system id.
    pub system_id: String,
    /// Dataset within the system (query name, file name, endpoint) — one file in the bundle.
    pub dataset: String,
    /// Where exactly: query, file and line, URL (never with secrets).
    pub locator: String,
    /// The record as found (a JSON object).
    pub record: serde_json::Value,
    /// When it was pulled (RFC 3339).
    pub pulled_at: String,
}

/// A record a connector returns, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Dataset within the system.
    pub dataset: String,
    /// Where exactly.
    pub locator: String,
    /// The record.
    pub record: serde_json::Value,
}

/// How the last pull of one system ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullStatus {
    /// Searched; `records` found (possibly 0).
    Ok,
    /// No connector: a manual task was created.
    Manual,
    /// The system could not be searched; see the error.
    Error,
    /// The user cancelled before this system finished.
    Cancelled,
}

impl PullStatus {
    /// Stable spelling (SPEC §8 `case pull` JSON).
    pub fn code(self) -> &'static str {
        match self {
            PullStatus::Ok => "ok",
            PullStatus::Manual => "manual",
            PullStatus::Error => "error",
            PullStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<PullStatus> {
        Ok(match s {
            "ok" => PullStatus::Ok,
            "manual" => PullStatus::Manual,
            "error" => PullStatus::Error,
            "cancelled" => PullStatus::Cancelled,
            _ => return Err(StoreError::Corrupt { what: "pull_results.status".into() }.into()),
        })
    }
}

/// The outcome of one system in the last pull.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemResult {
    /// Register system id.
    pub system_id: String,
    /// How it ended.
    pub status: PullStatus,
    /// Records found.
    pub records: u64,
    /// Wall time of this system's search.
    pub duration_ms: u64,
    /// What went wrong (no personal data, no secrets).
    pub error: Option<String>,
    /// When (RFC 3339).
    pub pulled_at: String,
}

/// Replaces one system's evidence and result for a case, inside the caller's transaction:
/// re-pulling a system never touches the other systems' records.
pub fn replace_system(tx: &Transaction<'_>, case_id: &str, result: &SystemResult, found: &[Found]) -> Result<()> {
    tx.execute("DELETE FROM evidence WHERE case_id = ?1 AND system_id = ?2", [case_id, &result.system_id])?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO evidence (case_id, system_id, dataset, locator, record, pulled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for f in found {
            ins.execute(params![case_id, result.system_id, f.dataset, f.locator, f.record.to_string(), result.pulled_at])?;
        }
    }
    tx.execute(
        "INSERT INTO pull_results (case_id, system_id, status, records, duration_ms, error, pulled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (case_id, system_id) DO UPDATE SET status = excluded.status, records = excluded.records,
             duration_ms = excluded.duration_ms, error = excluded.error, pulled_at = excluded.pulled_at",
        params![
            case_id,
            result.system_id,
            result.status.code(),
            i64::try_from(result.records).unwrap_or(i64::MAX),
            i64::try_from(result.duration_ms).unwrap_or(i64::MAX),
            result.error,
            result.pulled_at
        ],
    )?;
    Ok(())
}

/// Records a system whose search was cancelled, inside the caller's transaction. Its earlier
/// result and evidence, if any, stay as they were (returns `true` then): cancelling a re-pull
/// must not destroy what was found before.
pub fn record_cancelled(tx: &Transaction<'_>, case_id: &str, result: &SystemResult) -> Result<bool> {
    let inserted = tx.execute(
        "INSERT INTO pull_results (case_id, system_id, status, records, duration_ms, error, pulled_at)
         VALUES (?1, ?2, ?3, 0, 0, NULL, ?4) ON CONFLICT (case_id, system_id) DO NOTHING",
        params![case_id, result.system_id, PullStatus::Cancelled.code(), result.pulled_at],
    )?;
    Ok(inserted == 0)
}

/// All evidence of a case, by system, dataset and order found.
pub fn for_case(conn: &Connection, case_id: &str) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare_cached(
        "SELECT system_id, dataset, locator, record, pulled_at FROM evidence WHERE case_id = ?1 ORDER BY system_id, dataset, id",
    )?;
    let mut rows = stmt.query([case_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let record: String = r.get(3)?;
        out.push(Evidence {
            system_id: r.get(0)?,
            dataset: r.get(1)?,
            locator: r.get(2)?,
            record: serde_json::from_str(&record).map_err(|_| StoreError::Corrupt { what: "evidence.record".into() })?,
            pulled_at: r.get(4)?,
        });
    }
    Ok(out)
}

/// The last pull's outcome per system of a case.
pub fn results(conn: &Connection, case_id: &str) -> Result<Vec<SystemResult>> {
    let mut stmt = conn.prepare_cached(
        "SELECT system_id, status, records, duration_ms, error, pulled_at FROM pull_results WHERE case_id = ?1 ORDER BY system_id",
    )?;
    let mut rows = stmt.query([case_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let status: String = r.get(1)?;
        out.push(SystemResult {
            system_id: r.get(0)?,
            status: PullStatus::parse(&status)?,
            records: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
            duration_ms: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
            error: r.get(4)?,
            pulled_at: r.get(5)?,
        });
    }
    Ok(out)
}
