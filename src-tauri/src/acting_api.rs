//! Acting on a request from the case screen (SPEC §10): plan, approve and carry out, verify,
//! the Art. 19 notices, answers to act-by-hand tasks, the corrections of a rectification, and
//! the dashboard's "Needs you" — plain functions over [`Desk`] like those in `api.rs` (which
//! re-exports them). Planning, acting and verifying search or change the firm's systems, so
//! they run on a second connection with a cancel flag, like a pull.

use std::path::Path;

use dsar::acting::answers::{self, Confirmed, Reply};
use dsar::acting::rectify::{self, Correction};
use dsar::acting::{self, Need, NoticeStatus, NoticeUpdate, Plan, SystemOutcome};
use dsar::connectors::Cancel;
use dsar::letters::LetterKind;
use dsar::store::Store;

use crate::api::{detail, opt_date, system_names};
use crate::desk::Desk;
use crate::dto::CaseDetail;
use crate::dto_acting::*;
use crate::error::{ApiError, ErrorCode};

/// The letters that confirm what was done: each may go only once the desk has recorded it.
const CONFIRMATIONS: [LetterKind; 7] = [
    LetterKind::ErasureConfirmation,
    LetterKind::ErasurePartial,
    LetterKind::RestrictionConfirmation,
    LetterKind::ObjectionAccepted,
    LetterKind::ConsentWithdrawalConfirmation,
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
    let (reason, params) = crate::reason_text::input_reason(&i.field, &i.problem);
    let coded = |a: ApiError| a.with(reason, params.clone());
    match i.field.as_str() {
        "--plan" | "plan" => coded(ApiError::new(ErrorCode::Conflict, format!("plan: {} — press Plan, check the new plan, then approve it", i.problem))),
        "--system" => ApiError::input("systems", &i.problem),
        "--channel" => ApiError::input("channel", format!("{} — say how it was sent, e.g. e-mail or letter", i.problem)).because(crate::reason::Reason::NoticeChannelEmpty),
        "--reason" => ApiError::input("reason", format!("{} — {}", i.problem, i.fix)),
        "notice" => coded(ApiError::new(ErrorCode::NotFound, format!("notice: {} — reload the case", i.problem))),
        "--on" => ApiError::input("on", format!("{} — give the day the answer arrived", i.problem)),
        "--confirmed" => ApiError::input("confirmed", format!("{} — choose what they confirmed", i.problem)),
        "task" | "TASK_ID" => coded(ApiError::new(ErrorCode::Conflict, format!("task: {} — reload the case", i.problem))),
        "rectification" => ApiError::input("rectification", format!("{} — note what to correct under Corrections first", i.problem)),
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
    if let Some(head) = line.strip_suffix("(dsar task answer ID)") {
        return format!("{head}(press Record the answer on its task under Tasks)");
    }
    if let Some(head) = line.strip_suffix(&format!("dsar case rectify {reference} --field NAME --old VALUE --new VALUE")) {
        return format!("{head}add it under Corrections");
    }
    line.to_string()
}

/// A task's text as the window shows it: a follow-up ends "Erase it then: dsar case plan REF."
/// (in the case's language); the window has the Plan button for that, so the command goes and
/// the sentence ends where the language's own words do.
pub(crate) fn task_body_in_window(body: &str, reference: &str) -> String {
    body.replace(&format!(": dsar case plan {reference}."), ".")
}

/// A run the user stopped is reported as cancelled, whatever the core says about it.
fn stopped(e: dsar::Error, cancel: &Cancel, what: &str) -> ApiError {
    if cancel.is_cancelled() {
        return ApiError::new(ErrorCode::Cancelled, format!("{what} cancelled")).because(crate::reason::Reason::Cancelled);
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
                error_reason: coded(&s.error).0,
                error_params: coded(&s.error).1,
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
            error_reason: coded(&s.error).0,
            error_params: coded(&s.error).1,
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
        .map(|k| LetterReadinessDto {
            kind: k.code().into(),
            missing: acted.missing_for(*k, &reference).iter().map(|m| crate::dto_casework::GapDto::unrecorded(m, &reference)).collect(),
        })
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
    let (error_reason, error_params) = coded(&o.error);
    SystemOutcomeDto { id: o.id.clone(), name: names.get(&o.id), status: o.status.into(), rows: o.rows, error: o.error.clone(), error_reason, error_params }
}

/// A system's stored error (a connector's message) as its reason code, where it has one.
fn coded(error: &Option<String>) -> (Option<crate::reason::Reason>, crate::reason::Params) {
    match error.as_deref().and_then(crate::reason_text::connector_text_reason) {
        Some((reason, params)) => (Some(reason), params),
        None => (None, crate::reason::Params::new()),
    }
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
        _ => return Err(ApiError::input("status", "use sent, impossible or disproportionate").at(crate::reason::Reason::InputChoiceUnknown, "status")),
    };
    desk.with_store(|s| {
        // A notice id from another case (a stale screen) must not be recorded here.
        if !acting::notices(s, &reference)?.iter().any(|n| n.id == notice_id) {
            return Err(ApiError::new(ErrorCode::NotFound, "this notice is not one of the case's notices: reload the case").because(crate::reason::Reason::NoticeNotFound));
        }
        acting::update_notice(s, &ctx, &notice_id, update).map_err(in_app)?;
        actions(s, &reference)
    })
}

fn need_dto(names: &Names, n: &Need) -> NeedDto {
    NeedDto {
        reference: n.reference.clone(),
        system_name: n.system_id.as_deref().map(|id| names.get(id)),
        system_id: n.system_id.clone(),
        id: n.id.clone(),
        title: n.title.clone(),
        since: n.due.to_string(),
    }
}

/// What acting left for the DPO across all cases as of today: retained data to erase now,
/// overdue answers from whoever runs a system, Art. 19 notices not yet sent.
pub fn needs_you(desk: &Desk) -> Result<NeedsYouDto, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| {
        let names = Names::of(s)?;
        let n = acting::needs_you(s, today)?;
        let list = |items: &[Need]| items.iter().map(|i| need_dto(&names, i)).collect();
        Ok(NeedsYouDto { follow_ups_due: list(&n.follow_ups_due), answers_overdue: list(&n.answers_overdue), notices_open: list(&n.notices_open) })
    })
}

/// A reply file kept as a document lives in the database: a value there cannot pass 1 GB,
/// and an e-mail with its attachments rarely passes a few megabytes.
pub const MAX_REPLY_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the reply file the user named. Messages never repeat the path (it may name a person).
fn read_reply(path: &str) -> Result<Reply, ApiError> {
    let path = Path::new(path.trim());
    let unreadable = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no file at this path",
            std::io::ErrorKind::PermissionDenied => "this account may not read the file",
            _ => "the file cannot be read",
        };
        ApiError::input("reply_path", format!("{why} — check the path or choose the file again")).at(crate::reason::Reason::FileUnreadable, "reply_path")
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(ApiError::input("reply_path", "this is not a file — choose the reply itself (.eml, .pdf, .txt)").at(crate::reason::Reason::FileNotAFile, "reply_path"));
    }
    if meta.len() > MAX_REPLY_BYTES {
        return Err(ApiError::input("reply_path", "the file is larger than 64 MB — keep it outside the desk and say in the note where it is").with(crate::reason::Reason::FileTooLarge, crate::reason::params([("field", "reply_path".to_string()), ("max_mb", "64".to_string())])));
    }
    let content = std::fs::read(path).map_err(unreadable)?;
    let file_name = path.file_name().map_or_else(|| "reply".to_string(), |n| n.to_string_lossy().into_owned());
    Ok(Reply { file_name, content })
}

/// Records the answer to one of the case's act-by-hand or manual-search tasks: the day it
/// arrived (`on`, today when none), what was `confirmed` (`erased`, `restricted`, `rectified`,
/// `nothing-held`, `refused`), a note, and the reply file at `reply_path` kept as a document.
/// Returns the case screen's data after it.
pub fn record_answer(
    desk: &Desk,
    reference: String,
    task_id: String,
    on: Option<String>,
    confirmed: String,
    note: Option<String>,
    reply_path: Option<String>,
) -> Result<CaseDetail, ApiError> {
    let ctx = desk.context();
    let on = opt_date("on", on.as_deref().filter(|d| !d.trim().is_empty()))?.unwrap_or(ctx.today);
    let confirmed = Confirmed::parse(&confirmed).map_err(in_app)?;
    // Read before the store is locked: a slow disk must not hold up the desk.
    let reply = reply_path.filter(|p| !p.trim().is_empty()).map(|p| read_reply(&p)).transpose()?;
    desk.with_store(|s| {
        let case = dsar::cases::get(s, &reference)?;
        // A task id from another case (a stale screen) must not be answered here.
        if !dsar::tasks::for_case(s, &reference)?.iter().any(|t| t.id == task_id) {
            return Err(ApiError::new(ErrorCode::NotFound, "this task is not one of the case's tasks: reload the case").because(crate::reason::Reason::TaskNotFound));
        }
        answers::record(s, &ctx, &task_id, on, confirmed, note.as_deref(), reply).map_err(in_app)?;
        detail(s, ctx.today, &case)
    })
}

fn corrections(store: &Store, reference: &str) -> Result<Vec<CorrectionDto>, ApiError> {
    let names = Names::of(store)?;
    Ok(rectify::for_case(store, reference)?
        .into_iter()
        .map(|c| CorrectionDto { system_name: c.system.as_deref().map(|id| names.get(id)), system_id: c.system, field: c.field, old: c.old, new: c.new })
        .collect())
}

/// The corrections noted on the case, in the order they were noted.
pub fn case_corrections(desk: &Desk, reference: String) -> Result<Vec<CorrectionDto>, ApiError> {
    desk.with_store(|s| corrections(s, &reference))
}

/// The core names the CLI's flags (`--field NAME --old VALUE --new VALUE`); the form has fields.
fn correction_refused(e: dsar::Error) -> ApiError {
    let dsar::Error::Input(i) = &e else { return e.into() };
    match i.field.as_str() {
        "--system" => ApiError::input("system", format!("{} — choose a system of the register, or wherever the data is held", i.problem)),
        "--field" => ApiError::input("field", format!("{} — say what is corrected and give the correct value", i.problem)),
        "--new" => ApiError::input("new", format!("{} — give the corrected value", i.problem)),
        _ => e.into(),
    }
}

/// Notes a correction on the case (old → new, optionally for one system); returns the case's
/// corrections after it. The values stay in the encrypted case; the audit trail only counts them.
pub fn add_correction(desk: &Desk, reference: String, correction: CorrectionInput) -> Result<Vec<CorrectionDto>, ApiError> {
    let ctx = desk.context();
    let c = Correction {
        system: correction.system_id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        field: correction.field,
        old: correction.old,
        new: correction.new,
    };
    desk.with_store(|s| {
        rectify::record(s, &ctx, &reference, &[c]).map_err(correction_refused)?;
        corrections(s, &reference)
    })
}
