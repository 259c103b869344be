//! The Tauri commands: each moves one `api` function off the UI thread (blocking pool) and
//! returns its result. Arguments keep their snake_case names on the wire
//! (`invoke("save_letter", { reference, kind, lang, text, out_path })`).

use std::sync::Arc;

use tauri::{AppHandle, Emitter, State};

use crate::api;
use crate::dto::*;
use crate::dto_acting::*;
use crate::dto_casework::*;
use crate::error::ApiError;
use crate::Desk;

/// The event carrying [`PullProgress`].
pub const PULL_PROGRESS: &str = "pull-progress";

/// The event carrying [`ExportProgressDto`].
pub const EXPORT_PROGRESS: &str = "export-progress";

/// The event carrying [`ActProgressDto`].
pub const ACT_PROGRESS: &str = "act-progress";

pub(crate) type Shared<'a> = State<'a, Arc<Desk>>;

/// Runs `f` on the blocking pool: the store, connectors and key derivation never run on the
/// thread that draws the window.
pub(crate) async fn blocking<T: Send + 'static>(desk: &Shared<'_>, f: impl FnOnce(&Desk) -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    let desk = Arc::clone(desk);
    tauri::async_runtime::spawn_blocking(move || f(&desk)).await.map_err(|_| ApiError::internal("the operation stopped unexpectedly: try again"))?
}

/// See [`api::desk_status`].
#[tauri::command(rename_all = "snake_case")]
pub async fn desk_status(desk: Shared<'_>) -> Result<DeskStatus, ApiError> {
    blocking(&desk, api::desk_status).await
}

/// See [`api::unlock`].
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(desk: Shared<'_>, passphrase: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| api::unlock(d, passphrase)).await
}

/// See [`api::lock_desk`].
#[tauri::command(rename_all = "snake_case")]
pub async fn lock_desk(desk: Shared<'_>) -> Result<(), ApiError> {
    blocking(&desk, api::lock_desk).await
}

/// See [`api::create_desk`].
#[tauri::command(rename_all = "snake_case")]
pub async fn create_desk(desk: Shared<'_>, passphrase: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| api::create_desk(d, passphrase)).await
}

/// See [`api::open_demo`].
#[tauri::command(rename_all = "snake_case")]
pub async fn open_demo(desk: Shared<'_>) -> Result<(), ApiError> {
    blocking(&desk, api::open_demo).await
}

/// See [`api::dashboard`].
#[tauri::command(rename_all = "snake_case")]
pub async fn dashboard(desk: Shared<'_>) -> Result<Dashboard, ApiError> {
    blocking(&desk, api::dashboard).await
}

/// See [`api::list_cases`].
#[tauri::command(rename_all = "snake_case")]
pub async fn list_cases(desk: Shared<'_>, query: CaseQuery) -> Result<CasePage, ApiError> {
    blocking(&desk, move |d| api::list_cases(d, query)).await
}

/// See [`api::export_cases_csv`].
#[tauri::command(rename_all = "snake_case")]
pub async fn export_cases_csv(desk: Shared<'_>, query: CaseQuery, path: String) -> Result<u64, ApiError> {
    blocking(&desk, move |d| api::export_cases_csv(d, query, path)).await
}

/// See [`api::get_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn get_case(desk: Shared<'_>, reference: String) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::get_case(d, reference)).await
}

/// See [`api::create_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn create_case(desk: Shared<'_>, input: NewCaseInput) -> Result<String, ApiError> {
    blocking(&desk, move |d| api::create_case(d, input)).await
}

/// See [`api::pause_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn pause_case(desk: Shared<'_>, reference: String, reason: String, from: String) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::pause_case(d, reference, reason, from)).await
}

/// See [`api::resume_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn resume_case(desk: Shared<'_>, reference: String, on: String) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::resume_case(d, reference, on)).await
}

/// See [`api::extend_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn extend_case(desk: Shared<'_>, reference: String, reason: String, on: Option<String>) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::extend_case(d, reference, reason, on)).await
}

/// See [`api::close_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn close_case(desk: Shared<'_>, reference: String, outcome: String, on: Option<String>) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::close_case(d, reference, outcome, on)).await
}

/// See [`api::set_case_status`].
#[tauri::command(rename_all = "snake_case")]
pub async fn set_case_status(desk: Shared<'_>, reference: String, status: String) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::set_case_status(d, reference, status)).await
}

/// See [`api::pull_case`]; each [`PullProgress`] is emitted as `pull-progress`.
#[tauri::command(rename_all = "snake_case")]
pub async fn pull_case(app: AppHandle, desk: Shared<'_>, reference: String, systems: Vec<String>) -> Result<PullSummary, ApiError> {
    // A lost progress event only delays the UI's update until the summary arrives.
    blocking(&desk, move |d| api::pull_case(d, reference, systems, &|p| drop(app.emit(PULL_PROGRESS, p)))).await
}

/// See [`api::cancel_pull`].
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_pull(desk: Shared<'_>, reference: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| api::cancel_pull(d, reference)).await
}

/// See [`api::save_letter`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_letter(
    desk: Shared<'_>,
    reference: String,
    kind: String,
    lang: Option<String>,
    text: LetterTextDto,
    out_path: String,
    accept_gaps: Option<String>,
) -> Result<LetterSaved, ApiError> {
    blocking(&desk, move |d| api::save_letter(d, reference, kind, lang, text, out_path, accept_gaps)).await
}

/// See [`api::save_letter_draft`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_letter_draft(desk: Shared<'_>, reference: String, kind: String, lang: Option<String>, text: LetterTextDto, out_path: String) -> Result<LetterSaved, ApiError> {
    blocking(&desk, move |d| api::save_letter_draft(d, reference, kind, lang, text, out_path)).await
}

/// See [`api::export_bundle`].
#[tauri::command(rename_all = "snake_case")]
pub async fn export_bundle(app: AppHandle, desk: Shared<'_>, reference: String, out_path: String, password: Option<String>) -> Result<ExportDone, ApiError> {
    blocking(&desk, move |d| api::export_bundle(d, reference, out_path, password, move |p| drop(app.emit(EXPORT_PROGRESS, p)))).await
}

/// Opens document `id` of case `reference` in the system's viewer: the desk chooses the file
/// ([`crate::documents_api::document_file`]) and the opener plugin starts the viewer.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_document(app: AppHandle, desk: Shared<'_>, reference: String, id: String) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    blocking(&desk, move |d| {
        let file = crate::documents_api::document_file(d, reference, id)?;
        app.opener().open_path(file.to_string_lossy(), None::<&str>).map_err(|_| {
            ApiError::new(crate::error::ErrorCode::Internal, "no program could be started to show the document — install a viewer for its type (PDF, e-mail, ZIP)")
                .because(crate::reason::Reason::DocumentViewerFailed)
        })
    })
    .await
}

/// See [`api::cancel_export`].
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_export(desk: Shared<'_>, reference: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| api::cancel_export(d, reference)).await
}

/// See [`api::register_systems`].
#[tauri::command(rename_all = "snake_case")]
pub async fn register_systems(desk: Shared<'_>) -> Result<Vec<SystemRow>, ApiError> {
    blocking(&desk, api::register_systems).await
}

/// See [`api::preview_register_import`].
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_register_import(desk: Shared<'_>, path: String) -> Result<crate::dto::RegisterImportPreviewDto, ApiError> {
    blocking(&desk, move |d| api::preview_register_import(d, path)).await
}

/// See [`api::import_register_previewed`].
#[tauri::command(rename_all = "snake_case")]
pub async fn import_register_previewed(desk: Shared<'_>, path: String, sha256: String) -> Result<u64, ApiError> {
    blocking(&desk, move |d| api::import_register_previewed(d, path, sha256)).await
}

/// See [`api::import_register`].
#[tauri::command(rename_all = "snake_case")]
pub async fn import_register(desk: Shared<'_>, path: String) -> Result<u64, ApiError> {
    blocking(&desk, move |d| api::import_register(d, path)).await
}

/// See [`api::test_systems`].
#[tauri::command(rename_all = "snake_case")]
pub async fn test_systems(desk: Shared<'_>, ids: Vec<String>) -> Result<Vec<SystemTestDto>, ApiError> {
    blocking(&desk, move |d| api::test_systems(d, ids)).await
}

/// The UI calls this once its first screen is drawn. With `DSAR_READY_FILE` set (the desktop
/// benchmark, `scripts/bench-desktop.sh`), it creates that file, so start-up is timed from
/// outside the process: from spawn to the first interactive screen. Otherwise it does nothing.
#[tauri::command(rename_all = "snake_case")]
pub fn ui_ready() {
    if let Some(path) = std::env::var_os("DSAR_READY_FILE") {
        let _ = std::fs::write(path, b"ready\n");
    }
}

/// See [`api::case_evidence`].
#[tauri::command(rename_all = "snake_case")]
pub async fn case_evidence(desk: Shared<'_>, reference: String, system: Option<String>) -> Result<Vec<EvidenceDto>, ApiError> {
    blocking(&desk, move |d| api::case_evidence(d, reference, system)).await
}

/// See [`api::complete_task`].
#[tauri::command(rename_all = "snake_case")]
pub async fn complete_task(desk: Shared<'_>, reference: String, task_id: String) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::complete_task(d, reference, task_id)).await
}

/// See [`api::preview_letter`].
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_letter(desk: Shared<'_>, reference: String, kind: String, lang: Option<String>, text: LetterTextDto) -> Result<LetterPreview, ApiError> {
    blocking(&desk, move |d| api::preview_letter(d, reference, kind, lang, text)).await
}

/// See [`api::send_letter`].
#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
pub async fn send_letter(
    desk: Shared<'_>,
    reference: String,
    kind: String,
    lang: Option<String>,
    text: LetterTextDto,
    send: bool,
    eml_path: Option<String>,
    accept_gaps: Option<String>,
) -> Result<LetterSent, ApiError> {
    blocking(&desk, move |d| api::send_letter(d, reference, kind, lang, text, send, eml_path, accept_gaps)).await
}

/// See [`api::export_register`].
#[tauri::command(rename_all = "snake_case")]
pub async fn export_register(desk: Shared<'_>, out_path: String) -> Result<RegisterExported, ApiError> {
    blocking(&desk, move |d| api::export_register(d, out_path)).await
}

/// See [`api::register_system`].
#[tauri::command(rename_all = "snake_case")]
pub async fn register_system(desk: Shared<'_>, id: String) -> Result<SystemFieldsDto, ApiError> {
    blocking(&desk, move |d| api::register_system(d, id)).await
}

/// See [`api::save_system`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_system(desk: Shared<'_>, id: String, fields: SystemFieldsDto) -> Result<u64, ApiError> {
    blocking(&desk, move |d| api::save_system(d, id, fields)).await
}

/// See [`api::add_manual_system`].
#[tauri::command(rename_all = "snake_case")]
pub async fn add_manual_system(desk: Shared<'_>, id: String, contact_email: String, fields: SystemFieldsDto) -> Result<u64, ApiError> {
    blocking(&desk, move |d| api::add_manual_system(d, id, contact_email, fields)).await
}

/// See [`api::case_actions`].
#[tauri::command(rename_all = "snake_case")]
pub async fn case_actions(desk: Shared<'_>, reference: String) -> Result<CaseActionsDto, ApiError> {
    blocking(&desk, move |d| api::case_actions(d, reference)).await
}

/// See [`api::plan_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_case(desk: Shared<'_>, reference: String) -> Result<CaseActionsDto, ApiError> {
    blocking(&desk, move |d| api::plan_case(d, reference)).await
}

/// See [`api::act_case`]; each system's outcome is emitted as `act-progress`.
#[tauri::command(rename_all = "snake_case")]
pub async fn act_case(app: AppHandle, desk: Shared<'_>, reference: String, plan_id: String, systems: Vec<String>) -> Result<ActReportDto, ApiError> {
    // A lost progress event only delays the UI's update until the report arrives.
    blocking(&desk, move |d| api::act_case(d, reference, plan_id, systems, &|p| drop(app.emit(ACT_PROGRESS, p)))).await
}

/// See [`api::cancel_acting`].
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_acting(desk: Shared<'_>, reference: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| api::cancel_acting(d, reference)).await
}

/// See [`api::verify_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn verify_case(desk: Shared<'_>, reference: String) -> Result<Vec<VerifiedDto>, ApiError> {
    blocking(&desk, move |d| api::verify_case(d, reference)).await
}

/// See [`api::update_notice`].
#[tauri::command(rename_all = "snake_case")]
pub async fn update_notice(
    desk: Shared<'_>,
    reference: String,
    notice_id: String,
    status: String,
    on: Option<String>,
    channel: Option<String>,
    reason: Option<String>,
) -> Result<CaseActionsDto, ApiError> {
    blocking(&desk, move |d| api::update_notice(d, reference, notice_id, status, on, channel, reason)).await
}

/// See [`api::work_queue`].
#[tauri::command(rename_all = "snake_case")]
pub async fn work_queue(desk: Shared<'_>) -> Result<Vec<crate::dto::QueueItemDto>, ApiError> {
    blocking(&desk, api::work_queue).await
}

/// See [`api::needs_you`].
#[tauri::command(rename_all = "snake_case")]
pub async fn needs_you(desk: Shared<'_>) -> Result<NeedsYouDto, ApiError> {
    blocking(&desk, api::needs_you).await
}

/// See [`api::record_answer`].
#[tauri::command(rename_all = "snake_case")]
pub async fn record_answer(
    desk: Shared<'_>,
    reference: String,
    task_id: String,
    on: Option<String>,
    confirmed: String,
    note: Option<String>,
    reply_path: Option<String>,
) -> Result<CaseDetail, ApiError> {
    blocking(&desk, move |d| api::record_answer(d, reference, task_id, on, confirmed, note, reply_path)).await
}

/// See [`api::case_corrections`].
#[tauri::command(rename_all = "snake_case")]
pub async fn case_corrections(desk: Shared<'_>, reference: String) -> Result<Vec<CorrectionDto>, ApiError> {
    blocking(&desk, move |d| api::case_corrections(d, reference)).await
}

/// See [`api::add_correction`].
#[tauri::command(rename_all = "snake_case")]
pub async fn add_correction(desk: Shared<'_>, reference: String, correction: CorrectionInput) -> Result<Vec<CorrectionDto>, ApiError> {
    blocking(&desk, move |d| api::add_correction(d, reference, correction)).await
}

/// See [`crate::inbox::inbox_list`].
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_list(desk: Shared<'_>) -> Result<Vec<crate::dto_inbox::ProposalDto>, ApiError> {
    blocking(&desk, crate::inbox::inbox_list).await
}

/// `%XX` escapes (the window sends the file name `encodeURIComponent`-ed in a header) back to text.
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// See [`crate::inbox::inbox_add_bytes`]: the body is the file's raw bytes (no JSON), its name
/// in the `x-file-name` header.
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_add_bytes(desk: Shared<'_>, request: tauri::ipc::Request<'_>) -> Result<crate::dto_inbox::InboxAddedDto, ApiError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::input("message", "the window sent no file content: drop the file again").because(crate::reason::Reason::IntakeNoContent));
    };
    let bytes = bytes.clone();
    let name = request.headers().get("x-file-name").and_then(|v| v.to_str().ok()).map(percent_decoded).unwrap_or_default();
    blocking(&desk, move |d| crate::inbox::inbox_add_bytes(d, name, bytes)).await
}

/// See [`crate::inbox::inbox_add_files`].
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_add_files(desk: Shared<'_>, paths: Vec<String>) -> Result<crate::dto_inbox::InboxAddedDto, ApiError> {
    blocking(&desk, move |d| crate::inbox::inbox_add_files(d, paths)).await
}

/// See [`crate::inbox::inbox_accept`].
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_accept(desk: Shared<'_>, id: String, edits: crate::dto_inbox::ProposalEdits) -> Result<String, ApiError> {
    blocking(&desk, move |d| crate::inbox::inbox_accept(d, id, edits)).await
}

/// See [`crate::inbox::inbox_dismiss`].
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_dismiss(desk: Shared<'_>, id: String) -> Result<Vec<crate::dto_inbox::ProposalDto>, ApiError> {
    blocking(&desk, move |d| crate::inbox::inbox_dismiss(d, id)).await
}

/// See [`crate::inbox::find_duplicate`].
#[tauri::command(rename_all = "snake_case")]
pub async fn find_duplicate(desk: Shared<'_>, query: crate::dto_inbox::DuplicateQuery) -> Result<Option<crate::dto_inbox::DuplicateHintDto>, ApiError> {
    blocking(&desk, move |d| crate::inbox::find_duplicate(d, query)).await
}

/// See [`crate::case_intake::case_intake`].
#[tauri::command(rename_all = "snake_case")]
pub async fn case_intake(desk: Shared<'_>, reference: String) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::case_intake(d, reference)).await
}

/// See [`crate::case_intake::record_identity`].
#[tauri::command(rename_all = "snake_case")]
pub async fn record_identity(desk: Shared<'_>, reference: String, input: crate::dto_intake::IdentityInput) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::record_identity(d, reference, input)).await
}

/// See [`crate::case_intake::set_requester`].
#[tauri::command(rename_all = "snake_case")]
pub async fn set_requester(desk: Shared<'_>, reference: String, input: crate::dto_intake::RequesterInput) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::set_requester(d, reference, input)).await
}

/// See [`crate::case_intake::clear_requester`].
#[tauri::command(rename_all = "snake_case")]
pub async fn clear_requester(desk: Shared<'_>, reference: String) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::clear_requester(d, reference)).await
}

/// See [`crate::case_intake::set_salutation`].
#[tauri::command(rename_all = "snake_case")]
pub async fn set_salutation(desk: Shared<'_>, reference: String, form: String, family_name: Option<String>) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::set_salutation(d, reference, form, family_name)).await
}

/// See [`crate::case_intake::link_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn link_case(desk: Shared<'_>, reference: String, other: String) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::link_case(d, reference, other)).await
}

/// See [`crate::case_intake::unlink_case`].
#[tauri::command(rename_all = "snake_case")]
pub async fn unlink_case(desk: Shared<'_>, reference: String, other: String) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::unlink_case(d, reference, other)).await
}

/// See [`crate::case_intake::drop_yielded`].
#[tauri::command(rename_all = "snake_case")]
pub async fn drop_yielded(desk: Shared<'_>, reference: String, kind: String, value: String) -> Result<crate::dto_intake::CaseIntakeDto, ApiError> {
    blocking(&desk, move |d| crate::case_intake::drop_yielded(d, reference, kind, value)).await
}

/// The event carrying [`crate::dto_inbox::MailboxProgressDto`].
pub const MAILBOX_PROGRESS: &str = "mailbox-progress";

/// See [`crate::inbox::inbox_read_mailbox`]; progress is emitted as `mailbox-progress`.
#[tauri::command(rename_all = "snake_case")]
pub async fn inbox_read_mailbox(app: AppHandle, desk: Shared<'_>, since: Option<String>) -> Result<crate::dto_inbox::MailboxReadDto, ApiError> {
    // A lost progress event only delays the UI's update until the result arrives.
    blocking(&desk, move |d| crate::inbox::inbox_read_mailbox(d, since, &|p| drop(app.emit(MAILBOX_PROGRESS, p)))).await
}

/// See [`crate::inbox::cancel_mailbox_read`].
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_mailbox_read(desk: Shared<'_>) -> Result<(), ApiError> {
    blocking(&desk, crate::inbox::cancel_mailbox_read).await
}

/// See [`crate::inbox::get_imap`].
#[tauri::command(rename_all = "snake_case")]
pub async fn get_imap(desk: Shared<'_>) -> Result<Option<crate::dto_inbox::ImapSettingsDto>, ApiError> {
    blocking(&desk, crate::inbox::get_imap).await
}

/// See [`crate::inbox::save_imap`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_imap(desk: Shared<'_>, input: crate::dto_inbox::ImapInput) -> Result<crate::dto_inbox::ImapSettingsDto, ApiError> {
    blocking(&desk, move |d| crate::inbox::save_imap(d, input)).await
}
