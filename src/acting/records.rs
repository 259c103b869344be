//! What was done, read back: per system of the case's latest approved plan, its execution,
//! verification and retention; the Art. 19 notices; and what a confirmation letter still
//! lacks ([`Acted::missing_for`]) — the desk never confirms what it cannot show.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::json;

use super::answers::Confirmed;
use super::instructions::{self, Ask, To};
use super::plan::{Action, Plan};
use super::statements::StatementAction;
use super::ACT_BY_HAND;
use crate::audit;
use crate::cases::{self, Case, Context};
use crate::domain::Language;
use crate::error::{Error, InputError, Result};
use crate::letters::{LetterKind, Unrecorded};
use crate::register::{Register, Role};
use crate::store::{Store, StoreError};

/// One system as acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActedSystem {
    /// Register system id.
    pub id: String,
    /// What the plan said.
    pub action: Action,
    /// `done`, `task`, `error`, `skipped`, `running`, or `planned` (not run yet).
    pub status: String,
    /// Rows (records) changed.
    pub rows: u64,
    /// Rows erased (erase statements).
    pub erased_rows: u64,
    /// Rows restricted (restrict statements).
    pub restricted_rows: u64,
    /// Retained until (retain).
    pub retained_until: Option<NaiveDate>,
    /// The laws that require keeping the data.
    pub retained_by: Vec<String>,
    /// The verification: `Some(true)` gone/flagged, `Some(false)` not, `None` not verified.
    pub verified: Option<bool>,
    /// The error of the last run.
    pub error: Option<String>,
    /// For a system acted on by hand: the answer recorded (day, what was confirmed).
    pub answer: Option<(NaiveDate, super::answers::Confirmed)>,
}

impl ActedSystem {
    /// Kept under a legal duty (not merely waiting to age out).
    pub fn is_retained(&self) -> bool {
        self.retained_until.is_some() && !self.retained_by.is_empty()
    }

    fn confirmed(&self, what: Confirmed) -> bool {
        self.answer.is_some_and(|(_, c)| c == what)
    }
}

/// A case's acting record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Acted {
    /// The latest approved plan.
    pub plan: Option<Plan>,
    /// Per system of that plan.
    pub systems: Vec<ActedSystem>,
    /// The Art. 19 notices.
    pub notices: Vec<Notice>,
    /// Act-by-hand tasks still open (system ids).
    pub open_tasks: Vec<String>,
    /// Whether the subject is on the suppression list for this case.
    pub suppressed: bool,
    /// Corrections noted on the case (rectification).
    pub corrections: Vec<super::rectify::Correction>,
}

impl Acted {
    /// Systems whose data was erased (done, verified gone).
    pub fn erased(&self) -> impl Iterator<Item = &ActedSystem> {
        self.systems.iter().filter(|s| (s.status == "done" && s.erased_rows > 0 && s.verified == Some(true)) || s.confirmed(Confirmed::Erased))
    }

    /// Systems whose data was corrected, as confirmed by whoever runs them.
    pub fn rectified(&self) -> impl Iterator<Item = &ActedSystem> {
        self.systems.iter().filter(|s| s.confirmed(Confirmed::Rectified))
    }

    /// Systems whose data is kept under a retention duty (done and verified, or a task).
    pub fn retained(&self) -> impl Iterator<Item = &ActedSystem> {
        self.systems.iter().filter(|s| s.is_retained() && (s.verified == Some(true) || s.status == "task" || s.restricted_rows == 0))
    }

    /// Systems whose records are not changed but age out on their own (log files, by the
    /// system's retention period), with the day.
    pub fn aging_out(&self) -> impl Iterator<Item = &ActedSystem> {
        self.systems.iter().filter(|s| s.action == Action::Retain && s.retained_by.is_empty() && s.retained_until.is_some() && s.status == "done")
    }

    /// Systems whose data was restricted (done, verified flagged), retained ones included.
    pub fn restricted(&self) -> impl Iterator<Item = &ActedSystem> {
        self.systems.iter().filter(|s| (s.status == "done" && s.restricted_rows > 0 && s.verified == Some(true)) || s.confirmed(Confirmed::Restricted))
    }

    /// Recipients recorded as informed (sent), by name, once each.
    pub fn informed(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for n in self.notices.iter().filter(|n| n.status == NoticeStatus::Sent) {
            if !out.contains(&n.recipient.as_str()) {
                out.push(&n.recipient);
            }
        }
        out
    }

    /// What the desk must record before it can send `kind` as a final letter; empty when
    /// the records carry it. Kinds that confirm nothing always pass.
    pub fn missing_for(&self, kind: LetterKind, reference: &str) -> Vec<Unrecorded> {
        let confirms = matches!(
            kind,
            LetterKind::ErasureConfirmation
                | LetterKind::ErasurePartial
                | LetterKind::RestrictionConfirmation
                | LetterKind::ObjectionAccepted
                | LetterKind::ConsentWithdrawalConfirmation
                | LetterKind::RectificationConfirmation
                | LetterKind::RecipientsInformed
        );
        if !confirms {
            return Vec::new();
        }
        if kind == LetterKind::RecipientsInformed {
            let mut missing: Vec<Unrecorded> = self
                .notices
                .iter()
                .filter(|n| n.status == NoticeStatus::Open)
                .map(|n| Unrecorded::new("unrecorded.notice-open", vec![("recipient", n.recipient.clone())], format!("the notice to {} is still open: record it as sent or closed", n.recipient)))
                .collect();
            if self.informed().is_empty() && missing.is_empty() {
                missing.push(Unrecorded::new("unrecorded.none-informed", vec![], "no recipient is recorded as informed"));
            }
            return missing;
        }
        let Some(plan) = &self.plan else {
            return vec![Unrecorded::new("unrecorded.nothing-carried-out", vec![], format!("nothing has been carried out for this case: run dsar case plan {reference}, then dsar case act {reference} --plan ID"))];
        };
        let mut missing = Vec::new();
        for s in &self.systems {
            let acts = matches!(s.action, Action::Erase | Action::Restrict | Action::Retain | Action::Task);
            match s.status.as_str() {
                "planned" | "running" | "skipped" if acts => missing.push(Unrecorded::system("unrecorded.not-acted", &s.id, format!("system {} has not been acted on: dsar case act {reference} --plan {}", s.id, plan.id))),
                "error" => missing.push(Unrecorded::system("unrecorded.failed", &s.id, format!("system {} failed: {} ", s.id, s.error.as_deref().unwrap_or("see the case screen")).trim_end())),
                "done" if s.action.changes_data() && s.erased_rows + s.restricted_rows > 0 && s.verified.is_none() => {
                    missing.push(Unrecorded::system("unrecorded.not-verified", &s.id, format!("system {} is not verified: dsar case verify {reference}", s.id)))
                }
                "done" if s.verified == Some(false) => missing.push(Unrecorded::system("unrecorded.still-holds", &s.id, format!("system {} still holds the data after acting (verify failed)", s.id))),
                _ => {}
            }
        }
        for id in &self.open_tasks {
            missing.push(Unrecorded::system("unrecorded.task-open", id, format!("the task for system {id} is still open: record the answer once whoever runs the system confirms (dsar task answer ID)")));
        }
        for s in self.systems.iter().filter(|s| s.confirmed(Confirmed::Refused)) {
            missing.push(Unrecorded::system("unrecorded.refused", &s.id, format!("system {}: whoever runs it refused or could not act — follow up", s.id)));
        }
        let retained = self.systems.iter().any(|s| s.is_retained() && s.action != Action::None);
        match kind {
            LetterKind::ErasureConfirmation if retained => {
                missing.push(Unrecorded::new("unrecorded.retained", vec![], "part of the data is kept under a retention duty: send erasure-partial instead"))
            }
            LetterKind::ErasurePartial if !retained => missing.push(Unrecorded::new("unrecorded.none-retained", vec![], "no data is kept under a retention duty: send erasure-confirmation instead")),
            LetterKind::RestrictionConfirmation if self.restricted().next().is_none() => missing.push(Unrecorded::new("unrecorded.no-restriction", vec![], "no restriction is recorded for this case")),
            LetterKind::RectificationConfirmation if self.corrections.is_empty() => {
                missing.push(Unrecorded::new("unrecorded.no-correction", vec![], format!("no correction is noted: dsar case rectify {reference} --field NAME --old VALUE --new VALUE")))
            }
            _ => {}
        }
        missing
    }
}

/// Where an Art. 19 notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeStatus {
    /// Still to send.
    Open,
    /// Sent (date and channel recorded).
    Sent,
    /// Closed: informing the recipient proved impossible.
    Impossible,
    /// Closed: informing the recipient would take a disproportionate effort.
    Disproportionate,
}

impl NoticeStatus {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            NoticeStatus::Open => "open",
            NoticeStatus::Sent => "sent",
            NoticeStatus::Impossible => "impossible",
            NoticeStatus::Disproportionate => "disproportionate",
        }
    }

    fn parse(s: &str) -> Result<NoticeStatus> {
        Ok(match s {
            "open" => NoticeStatus::Open,
            "sent" => NoticeStatus::Sent,
            "impossible" => NoticeStatus::Impossible,
            "disproportionate" => NoticeStatus::Disproportionate,
            _ => return Err(StoreError::Corrupt { what: "recipient_notices.status".into() }.into()),
        })
    }
}

/// One Art. 19 notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// UUID v7.
    pub id: String,
    /// The system whose data changed.
    pub system_id: String,
    /// The recipient as the register names it.
    pub recipient: String,
    /// `recipient-notice` (another controller) or `processor-instruction` (Art. 28(3)(g)).
    pub kind: String,
    /// `erase`, `restrict` or `rectify`.
    pub action: String,
    /// Where it stands.
    pub status: NoticeStatus,
    /// When it was sent.
    pub sent_on: Option<NaiveDate>,
    /// How (e-mail, letter, portal…).
    pub channel: Option<String>,
    /// Why it was closed without sending.
    pub reason: Option<String>,
    /// The ready letter: title and text.
    pub letter: (String, String),
}

/// The case's acting record.
pub fn acted(store: &Store, reference: &str) -> Result<Acted> {
    let case = cases::get(store, reference)?;
    let conn = store.conn();
    let body: Option<String> = conn
        .query_row("SELECT body FROM action_plans WHERE case_id = ?1 AND approved_at IS NOT NULL ORDER BY approved_at DESC, rowid DESC LIMIT 1", [&case.id], |r| r.get(0))
        .optional()?;
    let mut out = Acted { notices: notices(store, reference)?, corrections: super::rectify::for_case(store, reference)?, ..Acted::default() };
    out.suppressed = conn.query_row("SELECT count(*) FROM suppression WHERE case_ref = ?1", [case.reference.to_string()], |r| r.get::<_, i64>(0))? > 0;
    let mut stmt = conn.prepare("SELECT system_id FROM tasks WHERE case_id = ?1 AND kind = ?2 AND status = 'open' ORDER BY system_id")?;
    out.open_tasks = stmt.query_map(params![case.id, ACT_BY_HAND], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
    let Some(body) = body else { return Ok(out) };
    let plan: Plan = serde_json::from_str(&body).map_err(|_| StoreError::Corrupt { what: "action_plans.body".into() })?;
    for sp in &plan.systems {
        let row: Option<(String, i64, String, Option<String>)> = conn
            .query_row(
                "SELECT status, rows, statements, error FROM action_results WHERE plan_id = ?1 AND system_id = ?2",
                params![plan.id, sp.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let verified: Option<bool> =
            conn.query_row("SELECT ok FROM verifications WHERE plan_id = ?1 AND system_id = ?2", params![plan.id, sp.id], |r| r.get(0)).optional()?;
        let task: Option<String> = conn
            .query_row("SELECT id FROM tasks WHERE case_id = ?1 AND system_id = ?2 AND kind = ?3", params![case.id, sp.id, ACT_BY_HAND], |r| r.get(0))
            .optional()?;
        let answer = match task {
            Some(t) if sp.action == Action::Task => super::answers::of_task(conn, &t)?,
            _ => None,
        };
        let (status, rows, statements, error) = row.unwrap_or_else(|| ("planned".into(), 0, "[]".into(), None));
        let statements: Vec<super::PlannedStatement> = serde_json::from_str(&statements).unwrap_or_default();
        let sum = |a: StatementAction| statements.iter().filter(|s| s.action == a).map(|s| s.rows).sum();
        out.systems.push(ActedSystem {
            id: sp.id.clone(),
            action: sp.action,
            status,
            rows: rows as u64,
            erased_rows: sum(StatementAction::Erase),
            restricted_rows: sum(StatementAction::Restrict),
            retained_until: sp.retained_until,
            retained_by: sp.retained_by.clone(),
            verified,
            error,
            answer,
        });
    }
    out.plan = Some(plan);
    Ok(out)
}

const NOTICE_COLUMNS: &str = "n.id, n.system_id, n.recipient, n.kind, n.action, n.status, n.sent_on, n.channel, n.reason";

/// The case's Art. 19 notices with their ready letters.
pub fn notices(store: &Store, reference: &str) -> Result<Vec<Notice>> {
    let case = cases::get(store, reference)?;
    let register = crate::register_store::current(store)?;
    let mut stmt = store.conn().prepare(&format!("SELECT {NOTICE_COLUMNS} FROM recipient_notices n WHERE n.case_id = ?1 ORDER BY n.system_id, n.created_at, n.id"))?;
    let rows = stmt.query_map([&case.id], row)?;
    let mut out = Vec::new();
    for r in rows {
        let (mut n, status) = r?;
        n.status = NoticeStatus::parse(&status)?;
        n.letter = notice_letter(&case, register.as_ref(), &n);
        out.push(n);
    }
    Ok(out)
}

type Row = (Notice, String);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let sent: Option<String> = r.get(6)?;
    Ok((
        Notice {
            id: r.get(0)?,
            system_id: r.get(1)?,
            recipient: r.get(2)?,
            kind: r.get(3)?,
            action: r.get(4)?,
            status: NoticeStatus::Open,
            sent_on: sent.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            channel: r.get(7)?,
            reason: r.get(8)?,
            letter: (String::new(), String::new()),
        },
        r.get(5)?,
    ))
}

fn notice_letter(case: &Case, register: Option<&Register>, n: &Notice) -> (String, String) {
    let lang = case.language;
    let firm = register.map_or("", |r| r.controller.name.as_str());
    let system = register
        .and_then(|r| r.system(&n.system_id).map(|s| s.name.pick(lang, r.controller.language()).to_string()))
        .unwrap_or_else(|| n.system_id.clone());
    let ask = match n.action.as_str() {
        "restrict" => Ask::Restrict,
        "lift" => Ask::Lift,
        "rectify" => Ask::Rectify,
        _ => Ask::Erase,
    };
    let to = if n.kind == "processor-instruction" { To::Processor } else { To::Controller };
    let (title, body) = instructions::compose(lang, ask, to, firm, &case.reference.to_string(), &system, &case.subject);
    (format!("{title} — {}", n.recipient), body)
}

/// Creates the notices for every system of `plan` whose data was changed: one per recipient
/// in the register (another controller) and one for the vendor of a processor system. A
/// notice that exists stays as it is. Returns how many were new.
pub(crate) fn create_notices(tx: &Transaction<'_>, case: &Case, register: &Register, plan: &Plan, lang: Language, now: &str) -> Result<usize> {
    let mut created = 0;
    for sp in plan.systems.iter().filter(|s| s.action.changes_data()) {
        let row: Option<(String, String)> = tx
            .query_row("SELECT status, statements FROM action_results WHERE plan_id = ?1 AND system_id = ?2", params![plan.id, sp.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((status, statements)) = row else { continue };
        let statements: Vec<super::PlannedStatement> = serde_json::from_str(&statements).unwrap_or_default();
        if status != "done" || statements.iter().all(|s| s.rows == 0) {
            continue;
        }
        let action = if statements.iter().any(|s| s.action == StatementAction::Erase && s.rows > 0) { "erase" } else { "restrict" };
        let Some(system) = register.system(&sp.id) else { continue };
        let mut to: Vec<(String, &str)> =
            system.recipients.names(lang, register.controller.language()).iter().map(|r| (r.trim().to_string(), "recipient-notice")).filter(|(r, _)| !r.is_empty()).collect();
        if let (Role::Processor, Some(v)) = (system.role, &system.vendor) {
            to.push((v.name.clone(), "processor-instruction"));
        }
        for (recipient, kind) in to {
            created += tx.execute(
                "INSERT INTO recipient_notices (id, case_id, system_id, recipient, kind, action, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (case_id, system_id, recipient) DO NOTHING",
                params![uuid::Uuid::now_v7().to_string(), case.id, sp.id, recipient, kind, action, now],
            )?;
        }
    }
    Ok(created)
}

/// How a notice is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeUpdate {
    /// Sent on a day by a channel.
    Sent {
        /// The day.
        on: NaiveDate,
        /// E-mail, letter, portal, phone…
        channel: String,
    },
    /// Not sent, with the reason (Art. 19: impossible or disproportionate effort).
    Closed {
        /// Impossible or disproportionate.
        status: NoticeStatus,
        /// Why.
        reason: String,
    },
}

/// Records that a notice was sent or why it will not be; an audit event (names of system
/// and kind only — the recipient is a firm, but the reason is free text and stays out).
pub fn update_notice(store: &mut Store, ctx: &Context, notice_id: &str, update: NoticeUpdate) -> Result<()> {
    let id = notice_id.trim().to_string();
    let found: Option<(String, String, String)> = store
        .conn()
        .query_row("SELECT n.case_id, n.system_id, c.reference FROM recipient_notices n JOIN cases c ON c.id = n.case_id WHERE n.id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((case_id, system_id, reference)) = found else {
        return Err(InputError::new("notice", "no notice with this id", "list the case's notices with: dsar case notices REF").into());
    };
    let (status, sent_on, channel, reason) = match &update {
        NoticeUpdate::Sent { on, channel } => {
            if channel.trim().is_empty() {
                return Err(InputError::new("--channel", "empty", "say how it was sent, e.g. e-mail or letter").into());
            }
            ("sent", Some(on.to_string()), Some(channel.trim().to_string()), None)
        }
        NoticeUpdate::Closed { status, reason } => {
            if reason.trim().is_empty() || !matches!(status, NoticeStatus::Impossible | NoticeStatus::Disproportionate) {
                return Err(InputError::new("--reason", "a notice is closed unsent only with a reason", "say why informing this recipient is impossible or would take a disproportionate effort (Art. 19)").into());
            }
            (status.code(), None, None, Some(reason.trim().to_string()))
        }
    };
    store.write(|tx| {
        tx.execute(
            "UPDATE recipient_notices SET status = ?2, sent_on = ?3, channel = ?4, reason = ?5 WHERE id = ?1",
            params![id, status, sent_on, channel, reason],
        )?;
        audit::append(tx, Some(&case_id), &ctx.actor, "notice.updated", &json!({"reference": reference, "notice": id, "system": system_id, "status": status}), ctx.now)?;
        Ok::<_, Error>(())
    })
}
