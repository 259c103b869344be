//! Tasks: per-system to-dos of a case (search a manual system, notify a recipient, confirm
//! an erasure) — listed with the case, created or refreshed by the operation that needs
//! them, and marked done by the user (an audit event).

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::json;

use crate::audit;
use crate::cases::{self, Context};
use crate::error::{Error, InputError, Result};
use crate::store::{Store, StoreError};

/// Task kind for a system that must be searched by hand (the pull creates it).
pub const MANUAL_SEARCH: &str = "manual-search";

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    /// Still to do.
    Open,
    /// Done.
    Done,
    /// No longer needed.
    Cancelled,
}

impl TaskStatus {
    /// Stable spelling (database, CLI JSON).
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<TaskStatus> {
        Ok(match s {
            "open" => TaskStatus::Open,
            "done" => TaskStatus::Done,
            "cancelled" => TaskStatus::Cancelled,
            _ => return Err(StoreError::Corrupt { what: "tasks.status".into() }.into()),
        })
    }
}

/// One to-do of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// UUID v7.
    pub id: String,
    /// The case (UUID).
    pub case_id: String,
    /// The register system it concerns, if any.
    pub system_id: Option<String>,
    /// What kind of to-do, e.g. [`MANUAL_SEARCH`].
    pub kind: String,
    /// One line for lists.
    pub title: String,
    /// The details, e.g. the ready e-mail to the processor.
    pub body: String,
    /// Open, done or cancelled.
    pub status: TaskStatus,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was marked done (RFC 3339).
    pub done_at: Option<String>,
}

const COLUMNS: &str = "id, case_id, system_id, kind, title, body, status, created_at, done_at";

fn row_to_task(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Task, String)> {
    let status: String = r.get(6)?;
    Ok((
        Task {
            id: r.get(0)?,
            case_id: r.get(1)?,
            system_id: r.get(2)?,
            kind: r.get(3)?,
            title: r.get(4)?,
            body: r.get(5)?,
            status: TaskStatus::Open,
            created_at: r.get(7)?,
            done_at: r.get(8)?,
        },
        status,
    ))
}

fn with_status((mut task, status): (Task, String)) -> Result<Task> {
    task.status = TaskStatus::parse(&status)?;
    Ok(task)
}

/// The tasks of a case, open ones first, then in the order they were created.
pub fn for_case(store: &Store, reference: &str) -> Result<Vec<Task>> {
    let case = cases::get(store, reference)?;
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tasks WHERE case_id = ?1 ORDER BY status <> 'open', created_at, id"
    ))?;
    let rows = stmt.query_map([&case.id], row_to_task)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(with_status(r?)?);
    }
    Ok(out)
}

/// One task by id.
pub fn get(store: &Store, task_id: &str) -> Result<Task> {
    let row = store
        .conn()
        .query_row(&format!("SELECT {COLUMNS} FROM tasks WHERE id = ?1"), [task_id.trim()], row_to_task)
        .optional()?;
    match row {
        Some(r) => with_status(r),
        None => Err(InputError::new("TASK_ID", "no task with this id", "list a case's tasks with: dsar case tasks REF").into()),
    }
}

/// Marks a task done (an audit event). Marking a done task again changes nothing.
pub fn mark_done(store: &mut Store, ctx: &Context, task_id: &str) -> Result<Task> {
    let task = get(store, task_id)?;
    match task.status {
        TaskStatus::Done => return Ok(task),
        TaskStatus::Cancelled => {
            return Err(InputError::new("TASK_ID", "the task was cancelled", "a cancelled task cannot be done; see dsar case tasks REF").into())
        }
        TaskStatus::Open => {}
    }
    let done_at = ctx.now.to_rfc3339();
    store.write(|tx| {
        tx.execute("UPDATE tasks SET status = 'done', done_at = ?2 WHERE id = ?1 AND status = 'open'", params![task.id, done_at])?;
        let reference: String = tx.query_row("SELECT reference FROM cases WHERE id = ?1", [&task.case_id], |r| r.get(0))?;
        // Codes only: the body (the e-mail) holds the subject's identifiers.
        let details = json!({"reference": reference, "task": task.id, "kind": task.kind, "system": task.system_id});
        audit::append(tx, Some(&task.case_id), &ctx.actor, "task.done", &details, ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(Task { status: TaskStatus::Done, done_at: Some(done_at), ..task })
}

/// Creates the case's task of `kind` for `system_id`, or refreshes its title and body when
/// it exists; a task already done stays done. Returns the task id.
pub(crate) fn refresh(
    tx: &Transaction<'_>,
    case_id: &str,
    system_id: &str,
    kind: &str,
    title: &str,
    body: &str,
    now: &str,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let id: String = tx.query_row(
        "INSERT INTO tasks (id, case_id, system_id, kind, title, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (case_id, system_id, kind) DO UPDATE SET title = excluded.title, body = excluded.body
         RETURNING id",
        params![id, case_id, system_id, kind, title, body, now],
        |r| r.get(0),
    )?;
    Ok(id)
}
