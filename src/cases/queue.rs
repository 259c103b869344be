//! The week's work queue on the dashboard: the cases that need the DPO now, each with why and
//! the next step — overdue, due within a week, waiting for the subject for more than two weeks,
//! or holding a task past its date. A case appears once, under its most urgent reason.

use chrono::{Duration, NaiveDate};
use rusqlite::params;

use crate::error::Result;
use crate::store::Store;

/// Days a stopped clock may wait before the case needs a look (a reminder to the subject, or
/// closing it under Art. 12(2)).
pub const STOPPED_TOO_LONG_DAYS: i64 = 14;

/// Why a case is in the queue, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// Past its due date.
    Overdue,
    /// Due within seven days.
    DueSoon,
    /// A task (an answer from whoever runs a system, a follow-up) is past its date.
    TaskOverdue,
    /// Waiting for the subject for more than [`STOPPED_TOO_LONG_DAYS`].
    StoppedLong,
}

impl Why {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            Why::Overdue => "overdue",
            Why::DueSoon => "due-soon",
            Why::TaskOverdue => "task-overdue",
            Why::StoppedLong => "stopped-long",
        }
    }
}

/// What to do next with a case, from its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// No system searched yet.
    Search,
    /// Searched: write the answer (or plan the action for rights that change data).
    Answer,
    /// Waiting for the subject: remind them, or close the case when they do not answer.
    FollowUpSubject,
    /// A task is open past its date: chase whoever runs the system.
    ChaseTask,
}

impl NextStep {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            NextStep::Search => "search",
            NextStep::Answer => "answer",
            NextStep::FollowUpSubject => "follow-up-subject",
            NextStep::ChaseTask => "chase-task",
        }
    }
}

/// One case in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    /// Reference.
    pub reference: String,
    /// The subject's name (shown to the DPO, as in the case list).
    pub name: String,
    /// The date that counts now.
    pub due: NaiveDate,
    /// Calendar days left (negative when overdue).
    pub days_left: i64,
    /// Why it is here.
    pub why: Why,
    /// What to do next.
    pub next: NextStep,
    /// Since when the clock is stopped, for a waiting case.
    pub stopped_since: Option<NaiveDate>,
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// The queue as of `today`, most urgent first (by reason, then due date).
pub fn this_week(store: &Store, today: NaiveDate) -> Result<Vec<QueueItem>> {
    let conn = store.conn();
    let week_end = (today + Duration::days(6)).to_string();
    let stopped_before = (today - Duration::days(STOPPED_TOO_LONG_DAYS)).to_string();
    let task_overdue: std::collections::HashSet<String> = {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT case_id FROM tasks WHERE status = 'open' AND (
                 (due_on IS NOT NULL AND due_on < ?1) OR (due_on IS NULL AND kind = 'manual-search' AND substr(created_at, 1, 10) < ?2))",
        )?;
        let week_ago = (today - Duration::days(7)).to_string();
        let rows = stmt.query_map(params![today.to_string(), week_ago], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.reference, c.subject_name, c.effective_due, c.status,
                (SELECT max(p.asked) FROM pauses p WHERE p.case_id = c.id AND p.received IS NULL),
                EXISTS (SELECT 1 FROM pull_results r WHERE r.case_id = c.id)
         FROM cases c WHERE (c.status = 'closed') = 0
         ORDER BY c.effective_due, c.reference",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, reference, name, due, status, stopped, pulled) = row?;
        let Some(due) = day(&due) else { continue };
        let waiting = status == "awaiting-identity" || status == "awaiting-clarification";
        let stopped_since = stopped.as_deref().and_then(day);
        let why = if waiting {
            match stopped.as_deref() {
                Some(s) if s < stopped_before.as_str() => Some(Why::StoppedLong),
                _ if task_overdue.contains(&id) => Some(Why::TaskOverdue),
                _ => None,
            }
        } else if due < today {
            Some(Why::Overdue)
        } else if due.to_string() <= week_end {
            Some(Why::DueSoon)
        } else if task_overdue.contains(&id) {
            Some(Why::TaskOverdue)
        } else {
            None
        };
        let Some(why) = why else { continue };
        let next = if waiting {
            NextStep::FollowUpSubject
        } else if !pulled {
            NextStep::Search
        } else if task_overdue.contains(&id) {
            NextStep::ChaseTask
        } else {
            NextStep::Answer
        };
        out.push(QueueItem { reference, name, due, days_left: (due - today).num_days(), why, next, stopped_since });
    }
    out.sort_by(|a, b| a.why.cmp(&b.why).then(a.due.cmp(&b.due)).then(a.reference.cmp(&b.reference)));
    Ok(out)
}
