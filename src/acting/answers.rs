//! Answers to act-by-hand tasks: whoever runs a system the desk cannot change (a processor,
//! a colleague) confirms what they did. The answer is recorded with its day, what was
//! confirmed, and their reply kept as a document — that record, not the task's checkbox, is
//! what a confirmation letter may rely on.

use chrono::NaiveDate;
use rusqlite::params;
use serde_json::json;

use super::ACT_BY_HAND;
use crate::audit;
use crate::cases::{self, Context};
use crate::documents::{self, NewDocument};
use crate::error::{Error, InputError, Result};
use crate::store::Store;
use crate::tasks::{self, TaskStatus, MANUAL_SEARCH};

/// What the answer confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// The data was erased.
    Erased,
    /// The processing was restricted.
    Restricted,
    /// The data was corrected.
    Rectified,
    /// The system holds nothing about the subject.
    NothingHeld,
    /// They refused or could not do it.
    Refused,
}

impl Confirmed {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            Confirmed::Erased => "erased",
            Confirmed::Restricted => "restricted",
            Confirmed::Rectified => "rectified",
            Confirmed::NothingHeld => "nothing-held",
            Confirmed::Refused => "refused",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Result<Confirmed> {
        Ok(match s.trim() {
            "erased" => Confirmed::Erased,
            "restricted" => Confirmed::Restricted,
            "rectified" => Confirmed::Rectified,
            "nothing-held" => Confirmed::NothingHeld,
            "refused" => Confirmed::Refused,
            _ => return Err(InputError::new("--confirmed", "unknown answer", "use erased, restricted, rectified, nothing-held or refused").into()),
        })
    }
}

/// The reply as received (an e-mail saved as .eml, a PDF, a text).
#[derive(Debug, Clone)]
pub struct Reply {
    /// Its file name (no path).
    pub file_name: String,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// Records the answer to a task, keeps the reply on the case, and marks the task done
/// (unless the answer is a refusal, which leaves it open for the DPO to follow up).
pub fn record(store: &mut Store, ctx: &Context, task_id: &str, on: NaiveDate, confirmed: Confirmed, note: Option<&str>, reply: Option<Reply>) -> Result<()> {
    let task = tasks::get(store, task_id)?;
    if task.kind != ACT_BY_HAND && task.kind != MANUAL_SEARCH {
        return Err(InputError::new("task", "this task takes no answer", "answers are recorded for act-by-hand and manual-search tasks").into());
    }
    if task.status == TaskStatus::Cancelled {
        return Err(InputError::new("task", "the task was cancelled", "see dsar case tasks REF").into());
    }
    if on > ctx.today {
        return Err(InputError::new("--on", "the answer's day is in the future", "give the day the answer arrived").into());
    }
    let reference: String = store.conn().query_row("SELECT reference FROM cases WHERE id = ?1", [&task.case_id], |r| r.get(0))?;
    let case = cases::get(store, &reference)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    store.write(|tx| {
        let document = match &reply {
            Some(r) => {
                let media_type = documents::media::of(&r.file_name, &r.content);
                let new = NewDocument { kind: "processor-reply", language: case.language, file_name: &r.file_name, media_type, content: &r.content, sent_at: None, message_id: None };
                Some(documents::insert(tx, ctx, &case, &new, json!({"task": task.id}))?.id)
            }
            None => None,
        };
        let now = ctx.now.to_rfc3339();
        tx.execute(
            "INSERT INTO task_answers (task_id, answered_on, confirmed, note, document_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (task_id) DO UPDATE SET answered_on = excluded.answered_on, confirmed = excluded.confirmed, note = excluded.note,
                 document_id = coalesce(excluded.document_id, task_answers.document_id), recorded_at = excluded.recorded_at",
            params![task.id, on.to_string(), confirmed.code(), note, document, now],
        )?;
        if confirmed != Confirmed::Refused {
            tx.execute("UPDATE tasks SET status = 'done', done_at = ?2 WHERE id = ?1 AND status = 'open'", params![task.id, now])?;
        }
        // Codes only: the note and the reply may name the subject.
        audit::append(tx, Some(&task.case_id), &ctx.actor, "task.answered",
            &json!({"reference": reference, "task": task.id, "system": task.system_id, "confirmed": confirmed.code(), "answered_on": on.to_string(), "document": document}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// The answer recorded for a task: `(day, confirmed)`.
pub(crate) fn of_task(conn: &rusqlite::Connection, task_id: &str) -> Result<Option<(NaiveDate, Confirmed)>> {
    let row: Option<(String, String)> = rusqlite::OptionalExtension::optional(
        conn.query_row("SELECT answered_on, confirmed FROM task_answers WHERE task_id = ?1", [task_id], |r| Ok((r.get(0)?, r.get(1)?))),
    )?;
    match row {
        Some((day, c)) => Ok(NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok().map(|d| (d, c)).map(|(d, c)| (d, Confirmed::parse(&c).unwrap_or(Confirmed::Refused)))),
        None => Ok(None),
    }
}

/// Systems of a case whose manual-search task was answered "nothing held".
pub(crate) fn nothing_held(conn: &rusqlite::Connection, case_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT t.system_id FROM tasks t JOIN task_answers a ON a.task_id = t.id
         WHERE t.case_id = ?1 AND t.kind = ?2 AND a.confirmed = 'nothing-held' AND t.system_id IS NOT NULL",
    )?;
    let rows = stmt.query_map(rusqlite::params![case_id, MANUAL_SEARCH], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
