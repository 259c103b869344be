//! The desktop app's operations as plain functions over [`Desk`]: each parses the wire
//! strings, calls the core's transport-neutral operation and converts the result to a DTO.
//! The Tauri commands (`commands.rs`) only move them off the UI thread; tests call these.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use dsar::cases::{self, Case, ListQuery, NewCase, PauseReason};
use dsar::domain::{Channel, IdentifierKind, Language, Outcome, Right, Status, UnknownCode};
use dsar::letters::{self, LetterKind, LetterRequest, Templates};
use dsar::pull::{self, PullEvent, PullOptions};
use dsar::store::{RawKey, Store, StoreError};
use dsar::{audit, bundle, documents, evidence, mail, register_store, tasks};

use crate::desk::{Desk, DEMO_PASSPHRASE};
use crate::dto::*;
use crate::dto_casework::LetterTextDto;
use crate::error::ApiError;

pub use crate::acting_api::*;
pub use crate::casework::*;

/// Largest page the case list returns at once.
pub const MAX_PAGE: u32 = 1000;

pub(crate) fn date(field: &str, s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| ApiError::input(field, "not a date: use YYYY-MM-DD, e.g. 2026-11-21").at(crate::reason::Reason::DateMalformed, field))
}

pub(crate) fn opt_date(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    s.map(|s| date(field, s)).transpose()
}

pub(crate) fn code<T: FromStr<Err = UnknownCode>>(field: &str, s: &str) -> Result<T, ApiError> {
    s.parse::<T>().map_err(|e| {
        let params = crate::reason::params([("field", field.to_string()), ("given", e.given.chars().take(40).collect()), ("allowed", e.allowed.clone())]);
        ApiError::input(field, e).with(crate::reason::Reason::InputCodeUnknown, params)
    })
}

pub(crate) fn opt_code<T: FromStr<Err = UnknownCode>>(field: &str, s: Option<&str>) -> Result<Option<T>, ApiError> {
    s.filter(|s| !s.trim().is_empty()).map(|s| code(field, s)).transpose()
}

/// Whether a desk is open, and which file it uses. Started with `--demo`, the first call
/// opens the demo desk (creating it on the first run) so the window starts on the dashboard.
pub fn desk_status(desk: &Desk) -> Result<DeskStatus, ApiError> {
    if desk.take_demo_at_start() && !desk.is_unlocked()? {
        open_demo(desk)?;
    }
    let path = desk.db_path()?;
    Ok(DeskStatus { unlocked: desk.is_unlocked()?, exists: path.exists(), db_path: path.display().to_string() })
}

/// Opens the user's database with `passphrase`.
pub fn unlock(desk: &Desk, passphrase: String) -> Result<(), ApiError> {
    let path = desk.db_path()?;
    let passphrase = zeroize::Zeroizing::new(passphrase);
    // The key is derived once here; every later connection (pulls, exports, tests) uses it.
    let (store, key) = match RawKey::derive(&path, &passphrase).and_then(|k| Ok((Store::open_with_key(&path, &k)?, k))) {
        Ok(opened) => opened,
        Err(StoreError::WrongPassphrase { .. }) if std::fs::metadata(&path).is_ok_and(|m| m.len() < 16) => {
            let store = Store::open(&path, &passphrase)?;
            let key = store.key(&passphrase)?;
            (store, key)
        }
        Err(e) => return Err(e.into()),
    };
    desk.set_open(store, path, key)
}

/// Locks the desk: the store is closed and the passphrase forgotten.
pub fn lock_desk(desk: &Desk) -> Result<(), ApiError> {
    desk.lock()
}

/// Creates the user's encrypted database (first run) and opens it.
pub fn create_desk(desk: &Desk, passphrase: String) -> Result<(), ApiError> {
    let path = desk.db_path()?;
    let store = Store::create(&path, &passphrase)?;
    let key = store.key(&passphrase)?;
    desk.set_open(store, path, key)
}

/// Opens the demo database, creating it (with its pulled cases) on first use.
pub fn open_demo(desk: &Desk) -> Result<(), ApiError> {
    let path = desk.demo_path().to_path_buf();
    if !path.exists() {
        dsar::demo::create(&path, DEMO_PASSPHRASE, &desk.context(), false)?;
    }
    let key = RawKey::derive(&path, DEMO_PASSPHRASE)?;
    let store = Store::open_with_key(&path, &key)?;
    desk.set_open(store, path, key)
}

/// The week's work queue as of today: the cases that need the DPO now.
pub fn work_queue(desk: &Desk) -> Result<Vec<crate::dto::QueueItemDto>, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| Ok(cases::this_week(s, today)?.into_iter().map(Into::into).collect()))
}

/// The dashboard's numbers as of today.
pub fn dashboard(desk: &Desk) -> Result<Dashboard, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| Ok(cases::dashboard(s, today)?.into()))
}

/// One page of the case list, filtered and sorted in SQL.
pub fn list_cases(desk: &Desk, query: CaseQuery) -> Result<CasePage, ApiError> {
    let q = list_query(desk, query)?;
    desk.with_store(|s| {
        let page = cases::list(s, &q)?;
        Ok(CasePage { total: page.total, items: page.items.iter().map(CaseRow::from).collect() })
    })
}

/// Every case matching the list's filter (not one page), in its order, as the yearly-report
/// CSV at `path` (see [`cases::export_csv`]); returns the number of cases written.
pub fn export_cases_csv(desk: &Desk, query: CaseQuery, path: String) -> Result<u64, ApiError> {
    let q = list_query(desk, query)?;
    desk.with_store(|s| Ok(cases::export_csv(s, &q, Path::new(&path))?))
}

fn list_query(desk: &Desk, query: CaseQuery) -> Result<ListQuery, ApiError> {
    let mut q = ListQuery::new(desk.context().today);
    q.status = opt_code::<Status>("status", query.status.as_deref())?;
    q.right = opt_code::<Right>("right", query.right.as_deref())?;
    q.overdue = query.overdue;
    q.open_only = query.open_only;
    q.search = query.search;
    q.limit = query.limit.clamp(1, MAX_PAGE);
    q.offset = query.offset;
    q.sort = match query.sort.as_str() {
        "due" | "" => cases::Sort::Due,
        "received" => cases::Sort::Received,
        "reference" => cases::Sort::Reference,
        _ => return Err(ApiError::input("sort", "unknown order: use due, received or reference").at(crate::reason::Reason::InputChoiceUnknown, "sort")),
    };
    q.direction = match query.direction.as_deref() {
        None | Some("") => cases::Direction::Natural,
        Some("asc") => cases::Direction::Ascending,
        Some("desc") => cases::Direction::Descending,
        Some(_) => return Err(ApiError::input("direction", "unknown direction: use asc or desc").at(crate::reason::Reason::InputChoiceUnknown, "direction")),
    };
    Ok(q)
}

/// System names in the controller's language, by id.
pub(crate) fn system_names(store: &Store) -> Result<Vec<(String, String)>, ApiError> {
    Ok(match register_store::current(store)? {
        Some(r) => {
            let lang = r.controller.language();
            r.systems.iter().map(|s| (s.id.clone(), s.name.pick(lang, lang).to_string())).collect()
        }
        None => Vec::new(),
    })
}

fn system_dto(names: &[(String, String)], r: &evidence::SystemResult) -> SystemResultDto {
    let name = names.iter().find(|(id, _)| *id == r.system_id).map_or_else(|| r.system_id.clone(), |(_, n)| n.clone());
    let secret = r.error.as_deref().and_then(SecretProblemDto::of_error);
    let (error_reason, error_params) = match r.error.as_deref().and_then(crate::reason_text::connector_text_reason) {
        Some((reason, params)) => (Some(reason), params),
        None => (None, crate::reason::Params::new()),
    };
    SystemResultDto { id: r.system_id.clone(), name, status: r.status.code().into(), records: r.records, duration_ms: r.duration_ms, error: r.error.clone(), secret, error_reason, error_params }
}

pub(crate) fn detail(store: &Store, today: NaiveDate, case: &Case) -> Result<CaseDetail, ApiError> {
    let ov = cases::calendar_overrides(store.conn(), case.region)?;
    let dl = case.deadline(&ov)?;
    let left = (case.status.is_open() && dl.clock_stopped_since.is_none()).then(|| {
        let d = dl.days_left(today, case.extended_on.is_some(), case.region, &ov);
        (d.calendar, d.working)
    });
    let mut out = case_detail(case, &dl, left);
    let names = system_names(store)?;
    let reference = case.reference.to_string();
    out.systems = evidence::results(store.conn(), &case.id)?.iter().map(|r| system_dto(&names, r)).collect();
    out.tasks = tasks::for_case(store, &reference)?
        .into_iter()
        .map(|t| TaskDto { body: crate::acting_api::task_body_in_window(&t.body, &reference), id: t.id, system_id: t.system_id, kind: t.kind, title: t.title, status: t.status.code().into() })
        .collect();
    out.documents = documents::list(store.conn(), &case.id)?
        .into_iter()
        .map(|d| DocumentDto { id: d.id, kind: d.kind, language: d.language, file_name: d.file_name, bytes: d.bytes, created_at: d.created_at, sent_at: d.sent_at })
        .collect();
    out.timeline = audit::for_case(store.conn(), &case.id)?
        .into_iter()
        .map(|e| TimelineEvent { seq: e.seq, at: e.at, actor: e.actor, action: e.action, details: e.details })
        .collect();
    Ok(out)
}

/// Everything the case screen shows.
pub fn get_case(desk: &Desk, reference: String) -> Result<CaseDetail, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| detail(s, today, &cases::get(s, &reference)?))
}

fn new_case(input: NewCaseInput) -> Result<NewCase, ApiError> {
    let rights = input.rights.iter().map(|r| code::<Right>("rights", r)).collect::<Result<Vec<_>, _>>()?;
    let mut identifiers = Vec::new();
    if let Some(e) = input.email.filter(|e| !e.trim().is_empty()) {
        identifiers.push((IdentifierKind::Email, e));
    }
    if let Some(p) = input.phone.filter(|p| !p.trim().is_empty()) {
        identifiers.push((IdentifierKind::Phone, p));
    }
    for pair in input.ids.iter().filter(|p| !p.trim().is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| ApiError::input("ids", "write each identifier as KEY=VALUE, e.g. customer_id=K-1001").because(crate::reason::Reason::IdentifierNotKeyValue))?;
        let kind = IdentifierKind::from_key(k).map_err(|e| ApiError::input("ids", e).because(crate::reason::Reason::IdentifierBadKey))?;
        identifiers.push((kind, v.to_string()));
    }
    Ok(NewCase {
        rights,
        name: input.name,
        address: input.address.into_iter().filter(|l| !l.trim().is_empty()).collect(),
        identifiers,
        received: date("received", &input.received)?,
        jurisdiction: opt_code("jurisdiction", input.jurisdiction.as_deref())?,
        region: opt_code("region", input.region.as_deref())?,
        language: opt_code::<Language>("language", input.language.as_deref())?,
        channel: code::<Channel>("channel", &input.channel)?,
    })
}

/// The form's field for a core validation error, so the UI shows it at the right place.
fn at_field(e: dsar::Error) -> ApiError {
    use dsar::domain::IdentifierError as I;
    match &e {
        dsar::Error::Input(i) => {
            let field = if i.field == "right" { "rights" } else { i.field.as_str() };
            ApiError::input(field, format!("{} — {}", i.problem, i.fix))
        }
        dsar::Error::Identifier(i) => {
            let field = match i {
                I::Email => "email",
                I::Phone => "phone",
                _ => "ids",
            };
            let (reason, params) = crate::error::identifier_reason(i);
            let params = if params.contains_key("field") { crate::reason::params([("field", field.to_string())]) } else { params };
            ApiError::input(field, i).with(reason, params)
        }
        _ => e.into(),
    }
}

/// Records a new request; returns its reference.
pub fn create_case(desk: &Desk, mut input: NewCaseInput) -> Result<String, ApiError> {
    let requester = input.requester.take().map(crate::case_intake::new_requester).transpose().map_err(|e| in_requester(&e))?;
    let new = new_case(input)?;
    let ctx = desk.context();
    desk.with_store(|s| {
        let case = match &requester {
            // The case and its requester exist together or not at all.
            Some(r) => cases::requester::create_case(s, &ctx, new, r).map_err(|e| match e {
                dsar::Error::Input(i) if i.field.starts_with("requester") || i.field == "authority" => in_requester(&crate::case_intake::requester_field(dsar::Error::Input(i))),
                other => at_field(other),
            })?,
            None => cases::create(s, &ctx, new).map_err(at_field)?,
        };
        Ok(case.reference.to_string())
    })
}

/// A requester field's error on New case: its fields are named `requester_<field>` there.
fn in_requester(e: &ApiError) -> ApiError {
    if e.code != crate::error::ErrorCode::InvalidInput {
        return e.clone();
    }
    let (field, rest) = e.message.split_once(": ").unwrap_or(("requester", &e.message));
    ApiError { message: format!("requester_{field}: {rest}"), ..e.clone() }
}

/// Runs `change` on the case and returns the case screen's data after it.
fn change(desk: &Desk, change: impl FnOnce(&mut Store, &cases::Context) -> dsar::Result<Case>) -> Result<CaseDetail, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        let case = change(s, &ctx)?;
        detail(s, ctx.today, &case)
    })
}

/// Stops the clock while waiting for the subject (`reason`: `identity` or `clarification`).
pub fn pause_case(desk: &Desk, reference: String, reason: String, from: String) -> Result<CaseDetail, ApiError> {
    let (reason, from) = (code::<PauseReason>("reason", &reason)?, date("from", &from)?);
    change(desk, |s, c| cases::pause(s, c, &reference, reason, from))
}

/// Restarts the clock on the day the subject answered.
pub fn resume_case(desk: &Desk, reference: String, on: String) -> Result<CaseDetail, ApiError> {
    let on = date("on", &on)?;
    change(desk, |s, c| cases::resume(s, c, &reference, on))
}

/// Extends the period (notice sent `on`, today when none).
pub fn extend_case(desk: &Desk, reference: String, reason: String, on: Option<String>) -> Result<CaseDetail, ApiError> {
    let on = opt_date("on", on.as_deref())?;
    change(desk, |s, c| cases::extend(s, c, &reference, &reason, on.unwrap_or(c.today)))
}

/// Closes the case with its outcome (answered `on`, today when none).
pub fn close_case(desk: &Desk, reference: String, outcome: String, on: Option<String>) -> Result<CaseDetail, ApiError> {
    let (outcome, on) = (code::<Outcome>("outcome", &outcome)?, opt_date("on", on.as_deref())?);
    change(desk, |s, c| cases::close(s, c, &reference, outcome, on.unwrap_or(c.today)))
}

/// Moves the case along the workflow.
pub fn set_case_status(desk: &Desk, reference: String, status: String) -> Result<CaseDetail, ApiError> {
    let to = code::<Status>("status", &status)?;
    change(desk, |s, c| cases::set_status(s, c, &reference, to))
}

fn progress_dto(reference: &str, e: &PullEvent) -> PullProgress {
    match e {
        PullEvent::Started { system } => PullProgress { reference: reference.into(), system: system.clone(), phase: "started".into(), status: None, records: None },
        PullEvent::Finished { system, status, records, .. } => PullProgress {
            reference: reference.into(),
            system: system.clone(),
            phase: "finished".into(),
            status: Some(status.code().into()),
            records: Some(*records),
        },
    }
}

/// Searches the case's subject in `systems` (all when empty) on its own connection, so the
/// desk stays usable meanwhile; `progress` sees each system start and finish.
pub fn pull_case(desk: &Desk, reference: String, systems: Vec<String>, progress: &dyn Fn(PullProgress)) -> Result<PullSummary, ApiError> {
    let guard = desk.start_pull(&reference)?;
    let mut store = desk.second_connection()?;
    let ctx = desk.context();
    let options = PullOptions { systems, ..PullOptions::default() };
    let report = pull::run(&mut store, &ctx, &reference, &options, &|e| progress(progress_dto(&reference, e)), &guard.cancel)?;
    let names = system_names(&store)?;
    Ok(PullSummary { systems: report.systems.iter().map(|s| system_dto(&names, &s.result)).collect(), cancelled: report.cancelled })
}

/// Stops the running pull of the case (systems not finished become `cancelled`).
pub fn cancel_pull(desk: &Desk, reference: String) -> Result<(), ApiError> {
    desk.cancel_pull(&reference)
}

/// The firm's letter templates: `templates/` beside the database, as the CLI uses.
pub(crate) fn templates(db: &Path) -> Templates {
    Templates::with_overrides(&db.parent().map_or_else(|| PathBuf::from("templates"), |d| d.join("templates")))
}

/// Renders a letter, writes the PDF to `out_path`, stores it on the case and records it. A
/// letter the register has gaps for is refused unless `accept_gaps` gives the DPO's reason for
/// sending it anyway, which goes into the audit trail with the gaps' fields.
pub fn save_letter(
    desk: &Desk,
    reference: String,
    kind: String,
    lang: Option<String>,
    text: LetterTextDto,
    out_path: String,
    accept_gaps: Option<String>,
) -> Result<LetterSaved, ApiError> {
    let accepted = crate::casework::accepted_reason(accept_gaps)?;
    let kind = code::<LetterKind>("kind", &kind)?;
    let language = opt_code::<Language>("lang", lang.as_deref())?;
    let out = PathBuf::from(out_path);
    let templates = templates(&desk.db_path()?);
    let ctx = desk.context();
    desk.with_store(|s| {
        let req = LetterRequest { reference, kind, language, extra: text.into_extra() };
        let composed = letters::compose(s, ctx.today, &req, &templates)?;
        crate::casework::refuse_unrecorded(&composed)?;
        let accepted = crate::casework::refuse_gaps(&composed, accepted.as_deref())?;
        dsar::output::write_atomic(s.path(), &out, &composed.letter.pdf).map_err(|e| crate::error::output_error("out_path", e))?;
        letters::record_saved_accepting(s, &ctx, &composed, accepted)?;
        let l = &composed.letter;
        let parts = mail::LetterParts { kind: l.kind.code(), language: l.language, subject_line: &l.subject_line, text: &l.text, pdf: &l.pdf, file_name: &l.file_name };
        mail::deliver_letter(s, &ctx, &composed.case, &parts, &mail::Delivery { eml: None, send: false, bundle: None })?;
        Ok(LetterSaved { file_name: l.file_name.clone(), gaps: composed.gaps.iter().map(crate::dto_casework::GapDto::register).collect() })
    })
}

/// Writes the case's export bundle (AES-256 with `password`) on its own connection.
pub fn export_bundle(
    desk: &Desk,
    reference: String,
    out_path: String,
    password: Option<String>,
    progress: impl Fn(ExportProgressDto) + Send + Sync + 'static,
) -> Result<ExportDone, ApiError> {
    let password = password.filter(|p| !p.is_empty());
    if password.as_ref().is_some_and(|p| p.chars().count() < bundle::MIN_PASSWORD) {
        return Err(bundle::BundleError::WeakPassword { min: bundle::MIN_PASSWORD }.into());
    }
    let guard = desk.start_export(&reference)?;
    let mut store = desk.second_connection()?;
    let r = reference.clone();
    let tell: bundle::ProgressFn = Arc::new(move |p: bundle::ExportProgress| {
        progress(ExportProgressDto { reference: r.clone(), records_done: p.records_done, records_total: p.records_total })
    });
    let done = bundle::export_watched(&mut store, &desk.context(), &reference, Path::new(&out_path), password, Some(tell), Some(guard.cancel.clone()))?;
    let files = u64::try_from(done.manifest.files.len() + 1).unwrap_or(u64::MAX);
    Ok(ExportDone { path: done.path.display().to_string(), records: done.manifest.records, files })
}

/// Stops the running export of the case: nothing is written, nothing recorded.
pub fn cancel_export(desk: &Desk, reference: String) -> Result<(), ApiError> {
    desk.cancel_export(&reference)
}

/// The systems of the current register (none before the first import).
pub fn register_systems(desk: &Desk) -> Result<Vec<SystemRow>, ApiError> {
    desk.with_store(|s| {
        let Some(reg) = register_store::current(s)? else { return Ok(Vec::new()) };
        let lang = reg.controller.language();
        Ok(reg
            .systems
            .iter()
            .map(|x| SystemRow { id: x.id.clone(), name: x.name.pick(lang, lang).to_string(), role: x.role.code().into(), connector: x.connector_kind().code().into() })
            .collect())
    })
}

/// Imports a register file (every import is kept); returns its number of systems.
pub fn import_register(desk: &Desk, path: String) -> Result<u64, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        let reg = register_store::import_file(s, &ctx, Path::new(&path))?;
        Ok(u64::try_from(reg.systems.len()).unwrap_or(u64::MAX))
    })
}

/// What importing the file would change; changes nothing.
pub fn preview_register_import(desk: &Desk, path: String) -> Result<RegisterImportPreviewDto, ApiError> {
    desk.with_store(|s| {
        let p = dsar::register_diff::preview(s, Path::new(&path))?;
        let named = |n: &dsar::register_diff::Named| SystemNameDto { id: n.id.clone(), name: n.name.clone() };
        Ok(RegisterImportPreviewDto {
            replaces: p.replaces,
            added: p.added.iter().map(named).collect(),
            removed: p.removed.iter().map(named).collect(),
            changed: p.changed.iter().map(|c| SystemChangeDto { id: c.system.id.clone(), name: c.system.name.clone(), fields: c.fields.clone() }).collect(),
            unchanged: u32::try_from(p.unchanged).unwrap_or(u32::MAX),
            controller: p.controller,
            sha256: p.sha256,
        })
    })
}

/// Imports the file the user previewed and confirmed; refused when it changed since.
pub fn import_register_previewed(desk: &Desk, path: String, sha256: String) -> Result<u64, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        let reg = dsar::register_diff::import_confirmed(s, &ctx, Path::new(&path), &sha256)?;
        Ok(u64::try_from(reg.systems.len()).unwrap_or(u64::MAX))
    })
}

/// Tests the systems' connections (all when `ids` is empty) on a connection of its own:
/// a server that does not answer holds up only this call.
pub fn test_systems(desk: &Desk, ids: Vec<String>) -> Result<Vec<SystemTestDto>, ApiError> {
    let _work = desk.start_check()?;
    let store = desk.second_connection()?;
    Ok(pull::test_systems(&store, &ids)?
        .into_iter()
        .map(|t| match t.outcome {
            Ok(message) => SystemTestDto { id: t.system_id, ok: true, message, reason: None, params: crate::reason::Params::new() },
            Err(e) => {
                let (reason, params) = crate::error::connector_reason(&e);
                SystemTestDto { id: t.system_id, ok: false, message: e.to_string(), reason: Some(reason), params }
            }
        })
        .collect())
}
