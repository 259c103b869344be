//! Wire types of the desktop app: serializable counterparts of the core's types (which stay
//! free of serde), with TypeScript generated into `ui/src/bindings/` by ts-rs.
//!
//! Dates are `YYYY-MM-DD` strings, codes their kebab-case spellings. Counts are `number` in
//! TypeScript (`#[ts(type = "number")]`): they stay far below 2^53, and JSON carries them as
//! numbers, not the `bigint` ts-rs would otherwise declare.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use dsar::cases::{Case, CaseSummary};
use dsar::deadline::Deadline;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_day(d: Option<NaiveDate>) -> Option<String> {
    d.map(day)
}

/// Whether a desk is open and where its file is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DeskStatus {
    /// A database is unlocked.
    pub unlocked: bool,
    /// The database file the desk uses (the demo's once the demo is open).
    pub db_path: String,
    /// Whether that file exists (false on first run: offer to create it or open the demo).
    pub exists: bool,
}

/// Open cases invoking one right.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RightCount {
    /// Right code, e.g. `access`.
    pub right: String,
    /// Open cases invoking it.
    #[ts(type = "number")]
    pub open: u64,
}

/// Cases received and closed in one month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Received that month.
    #[ts(type = "number")]
    pub received: u64,
    /// Closed that month.
    #[ts(type = "number")]
    pub closed: u64,
}

/// The dashboard's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dashboard {
    /// Open, running cases past their due date.
    #[ts(type = "number")]
    pub overdue: u64,
    /// Open, running cases due within the next seven days (today included).
    #[ts(type = "number")]
    pub due_this_week: u64,
    /// Cases waiting for the subject (clock stopped).
    #[ts(type = "number")]
    pub paused: u64,
    /// Open cases per right.
    pub open_by_right: Vec<RightCount>,
    /// The last twelve months, oldest first.
    pub per_month: Vec<MonthCount>,
    /// Median calendar days from receipt to closing.
    pub median_days_to_close: Option<f64>,
}

impl From<dsar::cases::Dashboard> for Dashboard {
    fn from(d: dsar::cases::Dashboard) -> Dashboard {
        Dashboard {
            overdue: d.overdue,
            due_this_week: d.due_this_week,
            paused: d.paused,
            open_by_right: d.open_by_right.into_iter().map(|(r, open)| RightCount { right: r.code().into(), open }).collect(),
            per_month: d.per_month.into_iter().map(|m| MonthCount { month: m.month, received: m.received, closed: m.closed }).collect(),
            median_days_to_close: d.median_days_to_close,
        }
    }
}

/// Which cases to list (every filter optional; `sort` is `due`, `received` or `reference`).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct CaseQuery {
    /// Only this status code.
    pub status: Option<String>,
    /// Only open, running cases past their due date.
    pub overdue: bool,
    /// Only open cases.
    pub open_only: bool,
    /// Only cases invoking this right code.
    pub right: Option<String>,
    /// Text in the subject's name or the reference.
    pub search: Option<String>,
    /// `due`, `received` or `reference`.
    pub sort: String,
    /// `asc` or `desc`; absent: the sort's natural way (due and reference ascending,
    /// received newest first).
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<String>,
    /// Page size (1–1000).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseRow {
    /// `DSAR-YYYY-NNNN`.
    pub reference: String,
    /// Status code.
    pub status: String,
    /// Right codes.
    pub rights: Vec<String>,
    /// Subject's name.
    pub subject_name: String,
    /// Day received.
    pub received: String,
    /// The date that counts now.
    pub due: String,
    /// Whether the period was extended.
    pub extended: bool,
    /// Calendar days until due (negative when overdue).
    #[ts(type = "number")]
    pub days_left: i64,
    /// Open, running and past due.
    pub overdue: bool,
    /// Outcome code once closed.
    pub outcome: Option<String>,
}

impl From<&CaseSummary> for CaseRow {
    fn from(s: &CaseSummary) -> CaseRow {
        CaseRow {
            reference: s.reference.clone(),
            status: s.status.code().into(),
            rights: s.rights.iter().map(|r| r.code().to_string()).collect(),
            subject_name: s.subject_name.clone(),
            received: day(s.received),
            due: day(s.due),
            extended: s.extended,
            days_left: s.days_left,
            overdue: s.is_overdue(),
            outcome: s.outcome.map(|o| o.code().to_string()),
        }
    }
}

/// A page of the case list and how many cases matched in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CasePage {
    /// All matching cases.
    #[ts(type = "number")]
    pub total: u64,
    /// This page.
    pub items: Vec<CaseRow>,
}

/// One identifier of the subject.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct IdentifierDto {
    /// `email`, `phone`, `customer_id`, … or a custom key.
    pub kind: String,
    /// Normalised value.
    pub value: String,
}

/// The data subject.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SubjectDto {
    /// Name as given.
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Identifiers.
    pub identifiers: Vec<IdentifierDto>,
}

/// The deadline panel: every date and why it is what it is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DeadlineDto {
    /// Due date of the ordinary period.
    pub due: String,
    /// Latest day to send an extension notice, where the law allows one.
    pub extension_notice_by: Option<String>,
    /// Due date if (or once) extended.
    pub extended_due: Option<String>,
    /// CCPA: acknowledge by.
    pub acknowledge_by: Option<String>,
    /// The date that counts now.
    pub effective_due: String,
    /// The clock is stopped (waiting for the subject) since.
    pub clock_stopped_since: Option<String>,
    /// Calendar days left; none when closed or the clock is stopped.
    #[ts(type = "number | null")]
    pub days_left_calendar: Option<i64>,
    /// Working days left in the case's region.
    #[ts(type = "number | null")]
    pub days_left_working: Option<i64>,
    /// One sentence per rule applied.
    pub explanation: Vec<String>,
}

/// One system's outcome in the last pull.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemResultDto {
    /// Register system id.
    pub id: String,
    /// System name in the controller's language (the id when no longer in the register).
    pub name: String,
    /// `ok`, `error`, `manual`, `cancelled`, …
    pub status: String,
    /// Records found.
    #[ts(type = "number")]
    pub records: u64,
    /// Wall time of the search.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// What went wrong.
    pub error: Option<String>,
    /// The secret the error is about, when the system failed for a secret that is not set or
    /// not allowed for it: the UI words that and links to Settings → Secrets.
    #[ts(optional = nullable)]
    pub secret: Option<SecretProblemDto>,
    /// The error as a code the window words (`connector.*`, `secret.*`); absent for an error
    /// without one.
    #[ts(optional = nullable)]
    pub error_reason: Option<crate::reason::Reason>,
    /// The error's parameters (absent when none).
    #[serde(skip_serializing_if = "crate::reason::Params::is_empty")]
    #[ts(as = "Option<crate::reason::Params>", optional)]
    pub error_params: crate::reason::Params,
}

/// A pull error caused by a secret (`ConnectorError::SecretMissing` or `SecretNotAllowed`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SecretProblemDto {
    /// The secret's name, as in `{secret:NAME}`.
    pub name: String,
    /// `missing` (not set) or `not-allowed` (set for other systems or another address).
    pub problem: String,
}

impl SecretProblemDto {
    /// Reads a stored pull error: the core keeps it as the `ConnectorError`'s message, and the
    /// two secret errors begin `secret 'NAME' is not set` and `secret 'NAME' …` (a test below
    /// checks this against the core's own messages, so a changed wording fails here).
    pub fn of_error(error: &str) -> Option<SecretProblemDto> {
        let rest = error.strip_prefix("secret '")?;
        let (name, after) = rest.split_once('\'')?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        let problem = if after.starts_with(" is not set") { "missing" } else { "not-allowed" };
        Some(SecretProblemDto { name: name.to_string(), problem: problem.to_string() })
    }
}

/// A to-do of the case.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TaskDto {
    /// Task id.
    pub id: String,
    /// The system it concerns.
    pub system_id: Option<String>,
    /// e.g. `manual-search`.
    pub kind: String,
    /// One line.
    pub title: String,
    /// Details (e.g. the ready e-mail to a processor).
    pub body: String,
    /// `open`, `done`, `cancelled`.
    pub status: String,
}

/// A stored letter, e-mail or bundle.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DocumentDto {
    /// Document id.
    pub id: String,
    /// Letter kind or `bundle`.
    pub kind: String,
    /// Language code.
    pub language: String,
    /// File name.
    pub file_name: String,
    /// Size.
    #[ts(type = "number")]
    pub bytes: u64,
    /// When stored (RFC 3339).
    pub created_at: String,
    /// When sent (RFC 3339).
    pub sent_at: Option<String>,
}

/// One step of the case's audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TimelineEvent {
    /// Position in the chain.
    #[ts(type = "number")]
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// e.g. `case.created`.
    pub action: String,
    /// Details as JSON text (codes, dates, counts).
    pub details: String,
}

/// Everything the case screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseDetail {
    /// `DSAR-YYYY-NNNN`.
    pub reference: String,
    /// Status code.
    pub status: String,
    /// Right codes.
    pub rights: Vec<String>,
    /// Channel code.
    pub channel: String,
    /// Day received.
    pub received: String,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Region code.
    pub region: String,
    /// Language code of the correspondence.
    pub language: String,
    /// The person.
    pub subject: SubjectDto,
    /// The deadline panel.
    pub deadline: DeadlineDto,
    /// Day the extension notice went out.
    pub extended_on: Option<String>,
    /// Why extended.
    pub extension_reason: Option<String>,
    /// Outcome code once closed.
    pub outcome: Option<String>,
    /// Day closed.
    pub closed_on: Option<String>,
    /// Last pull per system.
    pub systems: Vec<SystemResultDto>,
    /// To-dos.
    pub tasks: Vec<TaskDto>,
    /// Stored documents.
    pub documents: Vec<DocumentDto>,
    /// The audit trail of the case, oldest first.
    pub timeline: Vec<TimelineEvent>,
}

/// A case's own fields and deadline; lists are filled by the caller.
pub(crate) fn case_detail(c: &Case, dl: &Deadline, days_left: Option<(i64, i64)>) -> CaseDetail {
    CaseDetail {
        reference: c.reference.to_string(),
        status: c.status.code().into(),
        rights: c.rights.iter().map(|r| r.code().to_string()).collect(),
        channel: c.channel.code().into(),
        received: day(c.received),
        jurisdiction: c.jurisdiction.code().into(),
        region: c.region.code().into(),
        language: c.language.code().into(),
        subject: SubjectDto {
            name: c.subject.name.clone(),
            address: c.subject.address.clone(),
            identifiers: c.subject.identifiers.iter().map(|i| IdentifierDto { kind: i.kind.key().to_string(), value: i.value.clone() }).collect(),
        },
        deadline: DeadlineDto {
            due: day(dl.due),
            extension_notice_by: opt_day(dl.extension_notice_by),
            extended_due: opt_day(dl.extended_due),
            acknowledge_by: opt_day(dl.acknowledge_by),
            effective_due: day(c.effective_due(dl)),
            clock_stopped_since: opt_day(dl.clock_stopped_since),
            days_left_calendar: days_left.map(|d| d.0),
            days_left_working: days_left.map(|d| d.1),
            explanation: dl.explanation.iter().map(|a| a.to_string()).collect(),
        },
        extended_on: opt_day(c.extended_on),
        extension_reason: c.extension_reason.clone(),
        outcome: c.outcome.map(|o| o.code().to_string()),
        closed_on: opt_day(c.closed_on),
        systems: Vec::new(),
        tasks: Vec::new(),
        documents: Vec::new(),
        timeline: Vec::new(),
    }
}

/// The new-case form.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct NewCaseInput {
    /// Right codes (at least one).
    pub rights: Vec<String>,
    /// Subject's name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Further identifiers as `KEY=VALUE`.
    pub ids: Vec<String>,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Day received, `YYYY-MM-DD`.
    pub received: String,
    /// Jurisdiction code; the controller's when none.
    pub jurisdiction: Option<String>,
    /// Region code; the controller's when none.
    pub region: Option<String>,
    /// Language code; the controller's when none.
    pub language: Option<String>,
    /// Channel code.
    pub channel: String,
    /// Who made the request for the subject, when not the subject themself.
    #[serde(default)]
    #[ts(optional)]
    pub requester: Option<crate::dto_intake::RequesterInput>,
}

/// What a pull did per system.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PullSummary {
    /// Per system, in register order.
    pub systems: Vec<SystemResultDto>,
    /// Whether the user cancelled.
    pub cancelled: bool,
}

/// Payload of the `pull-progress` event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PullProgress {
    /// The case.
    pub reference: String,
    /// Register system id.
    pub system: String,
    /// `started` or `finished`.
    pub phase: String,
    /// Status code once finished.
    pub status: Option<String>,
    /// Records found once finished.
    #[ts(type = "number | null")]
    pub records: Option<u64>,
}

/// Payload of the `export-progress` event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportProgressDto {
    /// The case.
    pub reference: String,
    /// Records written so far.
    #[ts(type = "number")]
    pub records_done: u64,
    /// Records the bundle will hold.
    #[ts(type = "number")]
    pub records_total: u64,
}

/// A saved letter.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterSaved {
    /// The PDF's file name.
    pub file_name: String,
    /// Register gaps: accepted with a reason (a final letter), or listed on a draft (with what
    /// the desk has not recorded).
    pub gaps: Vec<crate::dto_casework::GapDto>,
}

/// A written export bundle.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportDone {
    /// Where it was written.
    pub path: String,
    /// Records in it.
    #[ts(type = "number")]
    pub records: u64,
    /// Files in it (manifest included).
    #[ts(type = "number")]
    pub files: u64,
}

/// A system of the register.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemRow {
    /// System id.
    pub id: String,
    /// Name in the controller's language.
    pub name: String,
    /// Role code.
    pub role: String,
    /// Connector kind code.
    pub connector: String,
}

/// What importing a register file would change (shown before the register is replaced).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RegisterImportPreviewDto {
    /// A register is imported already (without one, everything is added).
    pub replaces: bool,
    /// Systems only in the file.
    pub added: Vec<SystemNameDto>,
    /// Systems only in the current register (no longer searched after the import).
    pub removed: Vec<SystemNameDto>,
    /// Systems in both that differ, with the fields that differ.
    pub changed: Vec<SystemChangeDto>,
    /// Systems in both, the same.
    pub unchanged: u32,
    /// Controller fields that differ.
    pub controller: Vec<String>,
    /// The file's SHA-256 as previewed (the confirmed import refuses a changed file).
    pub sha256: String,
}

/// A system by id and name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemNameDto {
    /// System id.
    pub id: String,
    /// Name in the controller's language.
    pub name: String,
}

/// A changed system.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemChangeDto {
    /// System id.
    pub id: String,
    /// Name in the controller's language.
    pub name: String,
    /// Register fields that differ (codes, e.g. `purposes`).
    pub fields: Vec<String>,
}

/// The result of testing one system's connection.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemTestDto {
    /// System id.
    pub id: String,
    /// Whether it answered.
    pub ok: bool,
    /// What was checked, or why it failed (the core's English words).
    pub message: String,
    /// Why it failed, as a code the window words (`connector.*`, `secret.*`).
    #[ts(optional = nullable)]
    pub reason: Option<crate::reason::Reason>,
    /// The reason's parameters.
    pub params: crate::reason::Params,
}

/// One case in the week's work queue (see `dsar::cases::this_week`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct QueueItemDto {
    /// Reference.
    pub reference: String,
    /// The subject's name.
    pub name: String,
    /// The date that counts now (YYYY-MM-DD).
    pub due: String,
    /// Calendar days left (negative when overdue).
    #[ts(type = "number")]
    pub days_left: i64,
    /// `overdue`, `due-soon`, `task-overdue` or `stopped-long`.
    pub why: String,
    /// `search`, `answer`, `follow-up-subject` or `chase-task`.
    pub next: String,
    /// Since when the clock is stopped (YYYY-MM-DD), for a waiting case.
    pub stopped_since: Option<String>,
}

impl From<dsar::cases::QueueItem> for QueueItemDto {
    fn from(i: dsar::cases::QueueItem) -> QueueItemDto {
        QueueItemDto {
            reference: i.reference,
            name: i.name,
            due: i.due.to_string(),
            days_left: i.days_left,
            why: i.why.code().to_string(),
            next: i.next.code().to_string(),
            stopped_since: i.stopped_since.map(|d| d.to_string()),
        }
    }
}

/// Writes the TypeScript of every wire type (and what they use) into `dir`, one file per type.
pub fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    DeskStatus::export_all_to(dir)?;
    RegisterImportPreviewDto::export_all_to(dir)?;
    Dashboard::export_all_to(dir)?;
    QueueItemDto::export_all_to(dir)?;
    CaseQuery::export_all_to(dir)?;
    CasePage::export_all_to(dir)?;
    CaseDetail::export_all_to(dir)?;
    NewCaseInput::export_all_to(dir)?;
    PullSummary::export_all_to(dir)?;
    PullProgress::export_all_to(dir)?;
    ExportProgressDto::export_all_to(dir)?;
    LetterSaved::export_all_to(dir)?;
    ExportDone::export_all_to(dir)?;
    SystemRow::export_all_to(dir)?;
    SystemTestDto::export_all_to(dir)?;
    crate::error::ApiError::export_all_to(dir)?;
    std::fs::write(dir.join("ReasonParams.ts"), crate::reason::params_ts()).map_err(ts_rs::ExportError::from)?;
    crate::dto_casework::export_bindings(dir)?;
    crate::dto_inbox::export_bindings(dir)?;
    crate::dto_intake::export_bindings(dir)?;
    crate::dto_acting::export_bindings(dir)?;
    crate::settings_dto::export_bindings(dir)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SecretProblemDto;
    use dsar::connectors::ConnectorError;

    #[test]
    fn a_pull_error_names_the_secret_it_is_about() {
        let missing = ConnectorError::SecretMissing { name: "crm_token".into() }.to_string();
        let refused = ConnectorError::SecretNotAllowed { name: "crm.token-2".into(), system: "crm".into(), detail: "was set for shop".into() }.to_string();
        let of = |e: &str| SecretProblemDto::of_error(e).map(|p| (p.name, p.problem));
        assert_eq!(of(&missing), Some(("crm_token".into(), "missing".into())));
        assert_eq!(of(&refused), Some(("crm.token-2".into(), "not-allowed".into())));
        let other = ConnectorError::AuthRefused { endpoint: "db:5432".into() }.to_string();
        assert_eq!(of(&other), None);
        assert_eq!(of("file missing: /x — check the path"), None);
    }
}
