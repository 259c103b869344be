//! Wire types of acting on a request (SPEC §10): the plan, what was carried out, the
//! verification, the Art. 19 notices, what confirmation letters still lack, the corrections of
//! a rectification and the dashboard's "Needs you" list (TypeScript in `ui/src/bindings/`, like
//! `dto.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One statement of a system's plan with the rows it changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlannedStatementDto {
    /// The statement's name in the register (a file's name; for http the method).
    pub name: String,
    /// `erase` or `restrict`.
    pub action: String,
    /// Rows (records) it changes, as counted by the dry run.
    #[ts(type = "number")]
    pub rows: u64,
}

/// One system's part of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemPlanDto {
    /// Register system id.
    pub id: String,
    /// Name in the controller's language (the id when no longer in the register).
    pub name: String,
    /// `erase`, `restrict`, `retain`, `suppress`, `task` or `none`.
    pub action: String,
    /// Records the search found.
    #[ts(type = "number")]
    pub records: u64,
    /// The statements in the order they run.
    pub statements: Vec<PlannedStatementDto>,
    /// `YYYY-MM-DD`: retained data may be erased after it (for logs: the lines age out).
    pub retained_until: Option<String>,
    /// The laws that require keeping the data.
    pub retained_by: Vec<String>,
    /// Why a task, or what happens to data that is not changed (English, no personal data).
    pub note: Option<String>,
    /// The search or dry run failed: plan again once the system is reachable.
    pub error: Option<String>,
    /// The error as a code the window words (`connector.*`, …); absent for an error without one.
    #[ts(optional = nullable)]
    pub error_reason: Option<crate::reason::Reason>,
    /// The error's parameters.
    pub error_params: crate::reason::Params,
}

/// A case's plan.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlanDto {
    /// SHA-256 of the plan's content: approving names exactly this plan.
    pub id: String,
    /// The day it was made.
    pub planned_on: String,
    /// Whether the subject's identifiers go on the suppression list.
    pub suppress: bool,
    /// Whether it was approved (carried out at least in part).
    pub approved: bool,
    /// Per system, in register order.
    pub systems: Vec<SystemPlanDto>,
}

/// One system of the approved plan as carried out.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ActedSystemDto {
    /// Register system id.
    pub id: String,
    /// Name in the controller's language.
    pub name: String,
    /// What the plan said (`erase`, `restrict`, `retain`, `suppress`, `task`, `none`).
    pub action: String,
    /// `done`, `task`, `error`, `skipped`, `running`, or `planned` (not run yet).
    pub status: String,
    /// Rows erased.
    #[ts(type = "number")]
    pub erased_rows: u64,
    /// Rows restricted.
    #[ts(type = "number")]
    pub restricted_rows: u64,
    /// `YYYY-MM-DD` the retained data may be erased.
    pub retained_until: Option<String>,
    /// The laws that require keeping the data.
    pub retained_by: Vec<String>,
    /// `true` gone/flagged, `false` still there, `null` not verified.
    pub verified: Option<bool>,
    /// Why the last run failed.
    pub error: Option<String>,
    /// The error as a code the window words (`connector.*`, …); absent for an error without one.
    #[ts(optional = nullable)]
    pub error_reason: Option<crate::reason::Reason>,
    /// The error's parameters.
    pub error_params: crate::reason::Params,
    /// For a system acted on by hand: what its operator confirmed (`erased`, …) and when.
    pub answer: Option<AnswerDto>,
}

/// The answer to an act-by-hand task.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnswerDto {
    /// `YYYY-MM-DD`.
    pub on: String,
    /// `erased`, `restricted`, `rectified`, `nothing-held` or `refused`.
    pub confirmed: String,
}

/// One Art. 19 notice to a recipient.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoticeDto {
    /// Notice id.
    pub id: String,
    /// The system whose data changed.
    pub system_id: String,
    /// Its name.
    pub system_name: String,
    /// The recipient as the register names it.
    pub recipient: String,
    /// `recipient-notice` (another controller) or `processor-instruction` (Art. 28(3)(g)).
    pub kind: String,
    /// `erase`, `restrict` or `rectify`.
    pub action: String,
    /// `open`, `sent`, `impossible` or `disproportionate`.
    pub status: String,
    /// `YYYY-MM-DD` when sent.
    pub sent_on: Option<String>,
    /// How it was sent.
    pub channel: Option<String>,
    /// Why it was closed without sending.
    pub reason: Option<String>,
    /// The ready letter's title.
    pub letter_title: String,
    /// The ready letter's text.
    pub letter_text: String,
}

/// What one confirmation letter still lacks before it may be saved or sent.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterReadinessDto {
    /// Letter kind code, e.g. `erasure-partial`.
    pub kind: String,
    /// One line per thing to record first, as a code the window words (`unrecorded.*`);
    /// empty when the letter may go.
    pub missing: Vec<crate::dto_casework::GapDto>,
}

/// The case screen's Actions panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseActionsDto {
    /// The case's latest plan (approved or not).
    pub plan: Option<PlanDto>,
    /// The id of the latest approved plan, whose results `systems` shows.
    pub acted_plan: Option<String>,
    /// Per system of the latest approved plan.
    pub systems: Vec<ActedSystemDto>,
    /// The Art. 19 notices.
    pub notices: Vec<NoticeDto>,
    /// Systems whose act-by-hand task is still open.
    pub open_tasks: Vec<String>,
    /// Whether the subject is on the suppression list for this case.
    pub suppressed: bool,
    /// Per confirmation letter kind, what it still lacks.
    pub letters: Vec<LetterReadinessDto>,
}

/// How one system's execution ended.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SystemOutcomeDto {
    /// Register system id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `done`, `task`, `error` or `skipped`.
    pub status: String,
    /// Rows changed.
    #[ts(type = "number")]
    pub rows: u64,
    /// Why it failed or was skipped.
    pub error: Option<String>,
    /// The error as a code the window words (`connector.*`, …); absent for an error without one.
    #[ts(optional = nullable)]
    pub error_reason: Option<crate::reason::Reason>,
    /// The error's parameters.
    pub error_params: crate::reason::Params,
}

/// What carrying out a plan did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ActReportDto {
    /// The plan carried out.
    pub plan: String,
    /// Per system run (all of the plan's, or the chosen ones).
    pub systems: Vec<SystemOutcomeDto>,
    /// Whether the user cancelled (the remaining systems are `skipped`).
    pub cancelled: bool,
}

/// Payload of the `act-progress` event: one system finished.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ActProgressDto {
    /// The case.
    pub reference: String,
    /// The system's outcome.
    pub outcome: SystemOutcomeDto,
}

/// One system searched again after acting.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VerifiedDto {
    /// Register system id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Records the search still finds (outside retained datasets).
    #[ts(type = "number")]
    pub records: u64,
    /// Erased data gone and restricted data flagged.
    pub ok: bool,
    /// What was checked or why it failed (English, no personal data).
    pub note: Option<String>,
}

/// One thing acting left for the DPO (a task or an Art. 19 notice of some case).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NeedDto {
    /// The case's reference.
    pub reference: String,
    /// The register system it concerns.
    pub system_id: Option<String>,
    /// Its name in the controller's language (the id when no longer in the register).
    pub system_name: Option<String>,
    /// The task's or the notice's id.
    pub id: String,
    /// The task's title, or the recipient a notice goes to.
    pub title: String,
    /// `YYYY-MM-DD` since when it is due (a notice: since it was made).
    pub since: String,
}

/// The dashboard's "Needs you": what acting left to do across all cases, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NeedsYouDto {
    /// Retained data whose retention has ended: erase it now.
    pub follow_ups_due: Vec<NeedDto>,
    /// Answers from whoever runs a system that are overdue.
    pub answers_overdue: Vec<NeedDto>,
    /// Art. 19 notices neither sent nor closed.
    pub notices_open: Vec<NeedDto>,
}

/// A correction noted on a case (Art. 16): kept in the encrypted case, never in the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CorrectionDto {
    /// The system it concerns; `null`: wherever the data is held.
    pub system_id: Option<String>,
    /// Its name in the controller's language.
    pub system_name: Option<String>,
    /// What is corrected, in the DPO's words (e.g. "Anschrift").
    pub field: String,
    /// The value held now.
    pub old: String,
    /// The correct value.
    pub new: String,
}

/// A correction as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct CorrectionInput {
    /// A register system id; `null` or blank: wherever the data is held.
    pub system_id: Option<String>,
    /// What is corrected.
    pub field: String,
    /// The value held now (may be blank when nothing was held).
    pub old: String,
    /// The correct value.
    pub new: String,
}

/// Writes these types' TypeScript into `dir`.
pub(crate) fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    NeedsYouDto::export_all_to(dir)?;
    CorrectionDto::export_all_to(dir)?;
    CorrectionInput::export_all_to(dir)?;
    CaseActionsDto::export_all_to(dir)?;
    ActReportDto::export_all_to(dir)?;
    ActProgressDto::export_all_to(dir)?;
    VerifiedDto::export_all_to(dir)?;
    Ok(())
}
