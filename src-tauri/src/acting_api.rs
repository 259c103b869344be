//! Acting on a request from the case screen (SPEC §10): plan, approve and carry out, verify,
//! and the Art. 19 notices — plain functions over [`Desk`] like those in `api.rs` (which
//! re-exports them). Planning, acting and verifying search or change the firm's systems, so
//! they run on a second connection with a cancel flag, like a pull.

use dsar::acting::{self, NoticeStatus, NoticeUpdate, Plan, SystemOutcome};
use dsar::connectors::Cancel;
use dsar::letters::LetterKind;
use dsar::store::Store;

use crate::api::{opt_date, system_names};
use crate::desk::Desk;
use crate::dto_acting::*;
use crate::error::{ApiError, ErrorCode};

/// The letters that confirm what was done: each may go only once the desk has recorded it.
const CONFIRMATIONS: [LetterKind; 6] = [
    LetterKind::ErasureConfirmation,
    LetterKind::ErasurePartial,
    LetterKind::RestrictionConfirmation,
    LetterKind::ObjectionAccepted,
    LetterKind::RectificationConfirmation,
    LetterKind::RecipientsInformed,
];

struct Names(Vec<(String, String)>);

impl Names {
    fn of(store: &Store) -> Result<Names, ApiError> {
        Ok(Names(system_names(store)?))
    }

    fn get(&self, id: &str) -> String {
        self.0.iter().find(|(i, _)| i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }
}

/// The core names its fields as the CLI spells them (`--plan`); the app has no such flags, so
/// the message names the app's field and what to do in the window.
fn in_app(e: dsar::Error) -> ApiError {
    let dsar::Error::Input(i) = &e else { return e.into() };
    match i.field.as_str() {
        "--plan" | "plan" => ApiError::new(ErrorCode::Conflict, format!("plan: {} — press Plan, check the new plan, then approve it", i.problem)),
        "--system" => ApiError::input("systems", &i.problem),
        "--channel" => ApiError::input("channel", format!("{} — say how it was sent, e.g. e-mail or letter", i.problem)),
        "--reason" => ApiError::input("reason", format!("{} — {}", i.problem, i.fix)),
        "notice" => ApiError::new(ErrorCode::NotFound, format!("notice: {} — reload the case", i.problem)),
        _ => e.into(),
    }
}

/// What a confirmation letter still lacks, as the window says it: the core ends some lines
/// with the CLI command that fixes them (`dsar case verify REF`); the app names its button
/// instead. Lines whose fix the app has no button for keep the command.
pub(crate) fn in_window(line: &str, reference: &str) -> String {
    let plan_then_act = format!("run dsar case plan {reference}, then dsar case act {reference} --plan ID");
    let act = format!("dsar case act {reference} --plan ");
    let verify = format!("dsar case verify {reference}");
    if let Some(head) = line.strip_suffix(&plan_then_act) {
        return format!("{head}press Plan under Actions, check the plan, then Approve and carry out");
    }
    if let Some((head, _)) = line.split_once(&act) {
        return format!("{head}press Re-run for it under Actions");
    }
    if let Some(head) = line.strip_suffix(&verify) {
        return format!("{head}press Verify under Actions");
    }
    line.to_string()
}

/// A run the user stopped is reported as cancelled, whatever the core says about it.
fn stopped(e: dsar::Error, cancel: &Cancel, what: &str) -> ApiError {
    if cancel.is_cancelled() {
        return ApiError::new(ErrorCode::Cancelled, format!("{what} cancelled"));
    }
    in_app(e)
}

fn day(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn plan_dto(p: &Plan, approved: bool, names: &Names) -> PlanDto {
    PlanDto {
        id: p.id.clone(),
        planned_on: p.planned_on.to_string(),
        suppress: p.suppress,
        approved,
        systems: p
            .systems
            .iter()
            .map(|s| SystemPlanDto {
                id: s.id.clone(),
                name: names.get(&s.id),
                action: s.action.code().into(),
                records: s.records,
                statements: s.statements.iter().map(|st| PlannedStatementDto { name: st.name.clone(), action: st.action.code().into(), rows: st.rows }).collect(),
                retained_until: day(s.retained_until),
                retained_by: s.retained_by.clone(),
                note: s.note.clone(),
                error: s.error.clone(),
            })
            .collect(),
    }
}

/// The Actions panel's data: the latest plan, what the latest approved plan did, the notices
/// and what each confirmation letter still lacks.
fn actions(store: &Store, reference: &str) -> Result<CaseActionsDto, ApiError> {
    let names = Names::of(store)?;
    let case = dsar::cases::get(store, reference)?;
    let reference = case.reference.to_string();
    let latest = acting::latest_plan(store, &reference)?;
    let acted = acting::acted(store, &reference)?;
    let acted_plan = acted.plan.as_ref().map(|p| p.id.clone());
    let plan = latest.map(|p| {
        let approved = acted_plan.as_deref() == Some(p.id.as_str());
        plan_dto(&p, approved, &names)
    });
    let systems = acted
        .systems
        .iter()
        .map(|s| ActedSystemDto {
            id: s.id.clone(),
            name: names.get(&s.id),
            action: s.action.code().into(),
            status: s.status.clone(),
            erased_rows: s.erased_rows,
            restricted_rows: s.restricted_rows,
            retained_until: day(s.retained_until),
            retained_by: s.retained_by.clone(),
            verified: s.verified,
            error: s.error.clone(),
            answer: s.answer.map(|(on, c)| AnswerDto { on: on.to_string(), confirmed: c.code().into() }),
        })
        .collect();
    let notices = acted
        .notices
        .iter()
        .map(|n| NoticeDto {
            id: n.id.clone(),
            system_id: n.system_id.clone(),
            system_name: names.get(&n.system_id),
            recipient: n.recipient.clone(),
            kind: n.kind.clone(),
            action: n.action.clone(),
            status: n.status.code().into(),
            sent_on: day(n.sent_on),
            channel: n.channel.clone(),
            reason: n.reason.clone(),
            letter_title: n.letter.0.clone(),
            letter_text: n.letter.1.clone(),
        })
        .collect();
    let letters = CONFIRMATIONS
        .iter()
        .map(|k| LetterReadinessDto { kind: k.code().into(), missing: acted.missing_for(*k, &reference).iter().map(|m| in_window(m, &reference)).collect() })
        .collect();
    Ok(CaseActionsDto { plan, acted_plan, systems, notices, open_tasks: acted.open_tasks.clone(), suppressed: acted.suppressed, letters })
}

/// Everything the Actions panel shows for the case.
pub fn case_actions(desk: &Desk, reference: String) -> Result<CaseActionsDto, ApiError> {
    desk.with_store(|s| actions(s, &reference))
}

/// Plans the case (a dry run in every system) on its own connection and returns the panel's
/// data with the new plan. Cancelling stops before the next system; nothing is stored then.
pub fn plan_case(desk: &Desk, reference: String) -> Result<CaseActionsDto, ApiError> {
    let guard = desk.start_acting(&reference)?;
    let mut store = desk.second_connection()?;
    let ctx = desk.context();
    acting::plan(&mut store, &ctx, &reference, &guard.cancel).map_err(|e| stopped(e, &guard.cancel, "planning"))?;
    actions(&store, &reference)
}

fn outcome_dto(names: &Names, o: &SystemOutcome) -> SystemOutcomeDto {
    SystemOutcomeDto { id: o.id.clone(), name: names.get(&o.id), status: o.status.into(), rows: o.rows, error: o.error.clone() }
}

/// Approves plan `plan_id` (the case's latest) and carries it out in `systems` (all when
/// empty) on its own connection; `progress` sees each system finish. Cancelling stops before
/// the next system (the rest are `skipped`); a system already done is never run twice.
pub fn act_case(desk: &Desk, reference: String, plan_id: String, systems: Vec<String>, progress: &dyn Fn(ActProgressDto)) -> Result<ActReportDto, ApiError> {
    let guard = desk.start_acting(&reference)?;
    let mut store = desk.second_connection()?;
    let ctx = desk.context();
    let names = Names::of(&store)?;
    let tell = |_: &str, o: &SystemOutcome| progress(ActProgressDto { reference: reference.clone(), outcome: outcome_dto(&names, o) });
    let report = acting::act(&mut store, &ctx, &reference, &plan_id, &systems, &tell, &guard.cancel).map_err(in_app)?;
    Ok(ActReportDto { plan: report.plan, systems: report.systems.iter().map(|o| outcome_dto(&names, o)).collect(), cancelled: report.cancelled })
}

/// Stops the running plan or execution of the case before its next system.
pub fn cancel_acting(desk: &Desk, reference: String) -> Result<(), ApiError> {
    desk.cancel_acting(&reference)
}

/// Searches the acted systems again on its own connection and records whether erased data
/// is gone and restricted data carries its flag.
pub fn verify_case(desk: &Desk, reference: String) -> Result<Vec<VerifiedDto>, ApiError> {
    let _work = desk.start_acting(&reference)?;
    let mut store = desk.second_connection()?;
    let ctx = desk.context();
    let names = Names::of(&store)?;
    let verified = acting::verify(&mut store, &ctx, &reference).map_err(in_app)?;
    Ok(verified.into_iter().map(|v| VerifiedDto { name: names.get(&v.id), id: v.id, records: v.records, ok: v.ok, note: v.note }).collect())
}

/// Records an Art. 19 notice of the case as sent (`status` `sent`, `on` a day, today when
/// none, and the `channel`) or closed unsent (`impossible` or `disproportionate`, with the
/// `reason`); returns the panel's data after it.
pub fn update_notice(
    desk: &Desk,
    reference: String,
    notice_id: String,
    status: String,
    on: Option<String>,
    channel: Option<String>,
    reason: Option<String>,
) -> Result<CaseActionsDto, ApiError> {
    let ctx = desk.context();
    let closed = |status| NoticeUpdate::Closed { status, reason: reason.clone().unwrap_or_default() };
    let update = match status.as_str() {
        "sent" => NoticeUpdate::Sent { on: opt_date("on", on.as_deref())?.unwrap_or(ctx.today), channel: channel.unwrap_or_default() },
        "impossible" => closed(NoticeStatus::Impossible),
        "disproportionate" => closed(NoticeStatus::Disproportionate),
        _ => return Err(ApiError::input("status", "use sent, impossible or disproportionate")),
    };
    desk.with_store(|s| {
        // A notice id from another case (a stale screen) must not be recorded here.
        if !acting::notices(s, &reference)?.iter().any(|n| n.id == notice_id) {
            return Err(ApiError::new(ErrorCode::NotFound, "this notice is not one of the case's notices: reload the case"));
        }
        acting::update_notice(s, &ctx, &notice_id, update).map_err(in_app)?;
        actions(s, &reference)
    })
}
